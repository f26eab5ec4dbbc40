"""The look-alike watch in every format (pure): ``brandaudit lookalikes`` and the section that
``check --lookalikes`` adds to the table, Markdown and SARIF reports.

Suspects come first, then unrelated accounts, then the brand's own. What strangers wrote was
cleaned when it entered the model (``redact.clean_text``); each renderer still escapes for its
format (``one_line`` for text, ``md`` for Markdown, Jinja2's autoescape for HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, assert_never

from brandaudit.model import Brand, LookalikeClass, LookalikeFinding, Report
from brandaudit.render.base import Format, renderer_for

if TYPE_CHECKING:
    from brandaudit.render.options import RenderOptions

RULE_ID = "brandaudit/lookalike-suspect"
RULE_HELP = (
    "An account or domain that imitates the brand's name, is not linked from the brand's "
    "website or [claims], and uses the brand's name (or, for a domain, was registered "
    "recently). It is a lead to look at, not proof of impersonation: report it to the "
    "platform or registrar if it is posing as the brand; if it is yours, link it from your "
    "website so the watch calls it yours."
)
LABEL = {
    LookalikeClass.SUSPECT: "SUSPECT",
    LookalikeClass.UNRELATED: "unrelated",
    LookalikeClass.YOURS: "yours",
}


def line(text: str) -> str:
    from brandaudit.render.common import one_line

    return one_line(text)


def counts_line(brand: Brand) -> str:
    section = brand.lookalikes
    if section is None:
        return ""
    by_class = dict.fromkeys(LookalikeClass, 0)
    for finding in section.findings:
        by_class[finding.classification] += 1
    return (
        f"{section.variants} look-alike names of {section.brand_handle!r}, {section.checks} "
        f"checks: {by_class[LookalikeClass.SUSPECT]} suspect, "
        f"{by_class[LookalikeClass.UNRELATED]} unrelated, {by_class[LookalikeClass.YOURS]} "
        f"yours, {section.free} free, {len(section.undecided)} undecided"
        + (f", {section.not_in_dns} domains not in DNS" if section.not_in_dns else "")
    )


def why(finding: LookalikeFinding) -> str:
    return line(finding.reasons[0] if finding.reasons else "")


def section_lines(brand: Brand) -> list[str]:
    """The plain-text section (table format): one line per held look-alike."""
    section = brand.lookalikes
    if section is None:
        return []
    lines = [f"Look-alikes of {brand.domain}: {counts_line(brand)}"]
    for finding in section.findings:
        lines.append(
            f"  {LABEL[finding.classification]:<9} {finding.platform_name:<10} "
            f"{line(finding.handle):<24} {finding.variant_kind:<13} {why(finding)}"
        )
    if section.undecided:
        shown = ", ".join(f"{u.platform} {u.handle}" for u in section.undecided[:10])
        more = len(section.undecided) - 10
        lines.append(
            f"  undecided ({len(section.undecided)}): {line(shown)}"
            + (f" and {more} more" if more > 0 else "")
        )
    return lines


def section_markdown(brand: Brand) -> list[str]:
    from brandaudit.render.common import md

    section = brand.lookalikes
    if section is None:
        return []
    lines = [f"### Look-alikes of {md(brand.domain)}", "", md(counts_line(brand)), ""]
    if section.findings:
        lines += ["| Class | Platform | Handle | Kind | Why |", "|---|---|---|---|---|"]
        for f in section.findings:
            cells = [LABEL[f.classification], f.platform_name, f.handle, f.variant_kind, why(f)]
            lines.append("| " + " | ".join(md(c) for c in cells) + " |")
        lines.append("")
    return lines


def with_sections(text: str, report: Report, section: Callable[[Brand], list[str]]) -> str:
    """A report's text with the watch's section after it (``check --lookalikes``), one
    ``section`` per brand; ``text`` unchanged when no brand was watched."""
    if not any(brand.lookalikes for brand in report.brands):
        return text
    lines = [line for brand in report.brands for line in section(brand)]
    return text.rstrip("\n") + "\n\n" + "\n".join(lines).rstrip("\n") + "\n"


def render_table(report: Report) -> str:
    lines: list[str] = []
    for brand in report.brands:
        lines += section_lines(brand)
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    lines = ["## brandaudit look-alike watch", ""]
    for brand in report.brands:
        lines += section_markdown(brand)
    return "\n".join(lines) + "\n"


def render_watch(report: Report, fmt: Format, options: RenderOptions) -> str:
    """``brandaudit lookalikes`` in ``fmt``: the watch's own table, Markdown and page; JSON
    and SARIF through their renderers (``options`` carry SARIF's config locations)."""
    match fmt:
        case Format.TABLE:
            return render_table(report)
        case Format.MARKDOWN:
            return render_markdown(report)
        case Format.HTML:
            return render_html(report)
        case Format.JSON | Format.SARIF:
            return renderer_for(fmt).render(report, options)
        case Format.JSONL | Format.JUNIT:
            raise ValueError(f"the look-alike watch has no {fmt.value} format")
        case _:
            assert_never(fmt)


def suspects(report: Report) -> list[tuple[Brand, LookalikeFinding]]:
    return [
        (brand, f)
        for brand in report.brands
        if brand.lookalikes is not None
        for f in brand.lookalikes.findings
        if f.classification is LookalikeClass.SUSPECT
    ]


def sarif_results(
    brand: Brand,
    rule_index: Callable[[dict[str, Any]], int],
    location: Callable[[int | None], dict[str, Any]],
) -> list[dict[str, Any]]:
    """A SARIF result per suspect: on the config line when a config file was read, else on
    the suspect's own address (every SARIF result has a location)."""
    import hashlib

    section = brand.lookalikes
    if section is None:
        return []
    rule = {
        "id": RULE_ID,
        "name": "LookalikeSuspect",
        "shortDescription": {"text": "A look-alike account or domain uses the brand's name"},
        "fullDescription": {"text": RULE_HELP},
        "helpUri": "https://github.com/brandaudit/brandaudit/blob/main/README.md#look-alike-watch",
        "help": {"text": RULE_HELP, "markdown": RULE_HELP},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"security-severity": "6.5", "tags": ["brand", "impersonation"]},
    }
    out: list[dict[str, Any]] = []
    for f in section.findings:
        if f.classification is not LookalikeClass.SUSPECT:
            continue
        where = location(None) or {
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": f.url or f"https://{f.handle}/"}}}
            ]
        }
        out.append(
            {
                "ruleId": RULE_ID,
                "ruleIndex": rule_index(rule),
                "level": "warning",
                "message": {
                    "text": line(
                        f"{brand.domain}: suspect look-alike {f.platform_name} {f.handle} "
                        f"({f.variant_kind}): {why(f)}"
                    )
                },
                **where,
                "partialFingerprints": {
                    "brandaudit/v1": hashlib.sha256(
                        "|".join((RULE_ID, brand.domain, f.platform, f.handle)).encode("utf-8")
                    ).hexdigest()[:32]
                },
                "properties": {
                    "platform": f.platform,
                    "handle": f.handle,
                    "url": f.url,
                    "matched": f.matched,
                },
            }
        )
    return out


def render_html(report: Report) -> str:
    """A small self-contained page (Jinja2, autoescaped)."""
    from jinja2 import Environment

    env = Environment(autoescape=True)
    template = env.from_string(_PAGE)
    return template.render(
        report=report,
        rows=[
            (b, f, LABEL[f.classification])
            for b in report.brands
            if b.lookalikes
            for f in b.lookalikes.findings
        ],
        counts={b.domain: counts_line(b) for b in report.brands},
    )


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>brandaudit look-alike watch</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}td,th{padding:.25rem .5rem;
text-align:left;vertical-align:top}tr.suspect td:first-child{font-weight:bold;color:#a00}</style>
</head><body>
<h1>Look-alike watch</h1>
<p>Generated {{ report.generated_at.strftime('%Y-%m-%d %H:%M UTC') }} by brandaudit
{{ report.tool.version }}.</p>
{% for domain, line in counts.items() %}<p><strong>{{ domain }}</strong>: {{ line }}</p>{% endfor %}
<table><thead><tr><th>Class</th><th>Platform</th><th>Handle</th><th>Kind</th><th>Why</th></tr>
</thead><tbody>
{% for brand, f, label in rows %}<tr class="{{ f.classification.value }}"><td>{{ label }}</td>
<td>{{ f.platform_name }}</td><td>{{ f.handle }}</td><td>{{ f.variant_kind }}</td>
<td>{{ f.reasons[0] if f.reasons else '' }}</td></tr>
{% endfor %}</tbody></table>
<p>"suspect" is a lead, not proof: an account or domain not linked from the brand's website
that uses the brand's name. "yours" means the brand links it; "unrelated" means nothing in it
points at the brand.</p>
</body></html>
"""
