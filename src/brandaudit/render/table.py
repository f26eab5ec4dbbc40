"""The terminal report. A status is always a word; colour only adds to it.

Made to fit one screen for a typical brand: one line per platform, undecided checks grouped by
cause, the Bluesky domain handle in a few lines, the top next steps, and one closing summary
line like a linter's. Lines never end in spaces and a link is never split across lines (it is
shown without its scheme, and left whole when it doesn't fit). Below ``STACKED_BELOW`` columns
each platform takes two lines instead of a table row.

Each part is one function taking a brand and returning lines (``Section``), so new sections
slot in by adding to ``SECTIONS``.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from brandaudit.model import (
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    Change,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    OwnershipStatus,
    PlatformResult,
    Report,
    Status,
)
from brandaudit.policy.match import claim_of, domain_claim
from brandaudit.render import lookalikes
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.common import (
    BATCH_ROWS,
    CAUSE_LABEL,
    CHECK_WORD,
    OUTCOME_WORD,
    BrandSummary,
    brand_title,
    claim_counts,
    is_cached,
    one_line,
    short_url,
    status_word,
    summarise,
    summary_line,
    undecided_groups,
    worst_first,
)
from brandaudit.render.options import RenderOptions
from brandaudit.render.people import activity_note, handle_notes, person_title

MAX_STEPS = 5
"""Next steps shown in the terminal; the other formats carry all of them."""
STEPS_WITH_DETAIL = 3
"""The first steps also show their detail (wrapped, at most ``DETAIL_LINES`` lines)."""
DETAIL_LINES = 3
STACKED_BELOW = 70
"""Narrower than this, each platform is shown on two lines."""
CACHED_MARK = "*"

STATUS_STYLE: dict[Status, str] = {
    Status.CLAIMED: "green",
    Status.AVAILABLE: "cyan",
    Status.UNKNOWN: "yellow",
    Status.INVALID: "magenta",
    Status.RESERVED: "blue",
    Status.SUSPENDED: "red",
    Status.NOT_APPLICABLE: "dim",
}

OUTCOME_STYLE: dict[ClaimOutcome, str] = {
    ClaimOutcome.PASS: "green",
    ClaimOutcome.FAIL: "bold red",
    ClaimOutcome.UNDECIDED: "yellow",
}

GRADE_STYLE: dict[str, str] = {"A": "green", "B": "green", "C": "yellow", "D": "red", "F": "red"}

BLUESKY_STYLE: dict[BlueskyStatus, str] = {
    BlueskyStatus.VERIFIED: "green",
    BlueskyStatus.MISCONFIGURED: "bold red",
    BlueskyStatus.NOT_CONFIGURED: "yellow",
    BlueskyStatus.UNKNOWN: "yellow",
}

OWNERSHIP_WORD: dict[OwnershipStatus, str] = {
    OwnershipStatus.VERIFIED: "verified yours (two-way link)",
    OwnershipStatus.LINKED: "linked one way",
    OwnershipStatus.UNCONFIRMED: "owner unconfirmed",
}

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

Section = Callable[[Brand, int], list[Text]]


def _console(options: RenderOptions, buffer: io.StringIO) -> Console:
    return Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=max(options.width or 100, 20),
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def _is_link(word: str) -> bool:
    return "://" in word or word.startswith("www.")


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` columns, ending in an ellipsis when cut. A link is never
    cut in the middle: the cut moves to before it."""
    if len(text) <= width:
        return text
    kept = text[: max(width - 1, 0)]
    start = kept.rfind(" ") + 1
    word = text[start:].split(" ", 1)[0]
    if _is_link(word) and len(kept) < start + len(word):
        kept = kept[:start]
    return kept.rstrip() + "…"


def _wrap(text: str, width: int, indent: str, limit: int | None = None) -> list[str]:
    """Wrap at spaces only: a URL (or any long word) is never split, it overflows whole."""
    lines = textwrap.wrap(
        one_line(text),
        width=max(width, 20),
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if limit is not None and len(lines) > limit:
        lines = [*lines[: limit - 1], _cut(lines[limit - 1] + " …", max(width, 20))]
    return lines


# ---------------------------------------------------------------------------------------
# sections


def header_section(brand: Brand, width: int) -> list[Text]:
    title = Text(brand_title(brand), style="bold")
    if brand.score is None:
        title.append(" · not scored (nothing decided)", style="yellow")
    else:
        title.append(" · ")
        title.append(f"grade {brand.grade}", style=f"bold {GRADE_STYLE.get(brand.grade or '', '')}")
        title.append(f" ({brand.score}/100)")
    counts = claim_counts(brand)
    lines = [title]
    if counts.total:
        claims = f"claims: {counts.passed} pass, {counts.failed} fail, {counts.undecided} undecided"
        if len(title.plain) + len(claims) + 3 <= width:
            title.append(f" · {claims}")
        else:
            lines.append(Text(_cut(claims, width)))
    handles = ", ".join(brand.handles) or "-"
    lines.append(Text(_cut(f"handles checked: {handles}", width), style="dim"))
    return lines


def _note(result: PlatformResult) -> str:
    """The short note of a platform line: ownership and link, or why."""
    if result.status is Status.CLAIMED:
        parts: list[str] = []
        if result.ownership is not None and result.ownership.status in OWNERSHIP_WORD:
            parts.append(OWNERSHIP_WORD[result.ownership.status])
        pulse = activity_note(result.activity)  # brandaudit.activity: dormant first
        if pulse and pulse.startswith("DORMANT"):
            parts.insert(0, "DORMANT")
        if result.url:
            parts.append(short_url(result.url))
        return " · ".join(parts)
    if result.status is Status.UNKNOWN:
        from brandaudit.render.common import cause_of

        return CAUSE_LABEL[cause_of(result)].split(":", 1)[0]
    reason = one_line(result.reason)
    prefix = f"{result.platform_name}: "
    return reason[len(prefix) :] if reason.startswith(prefix) else reason


def _fit_note(note: str, width: int) -> str:
    """Cut a note to ``width``; a link in it is dropped whole rather than cut."""
    if len(note) <= width:
        return note
    head, sep, _link = note.rpartition(" · ")
    if sep and "/" in _link and len(head) <= width:
        return head
    if " " not in note and "/" in note:  # a bare link
        return ""
    return _cut(note, width)


def _status_cell(result: PlatformResult) -> Text:
    word = Text(status_word(result.status), style=STATUS_STYLE[result.status])
    if is_cached(result):
        word.append(CACHED_MARK, style="dim")
    return word


def _claim_cell(claim: ClaimResult | None) -> Text:
    if claim is None:
        return Text("")
    need = "req" if claim.required else "opt"
    return Text(f"{OUTCOME_WORD[claim.outcome]} {need}", style=OUTCOME_STYLE[claim.outcome])


def platform_section(brand: Brand, width: int) -> list[Text]:
    if not brand.platforms:
        return []
    rows = [(r, claim_of(brand, r)) for r in brand.platforms]
    if width < STACKED_BELOW:
        return _stacked(rows, width)
    name_w = min(max(len(r.platform_name) for r, _ in rows), 14)
    handle_w = min(max(len(r.handle) for r, _ in rows), 18)
    status_w = max(len(status_word(r.status)) + (1 if is_cached(r) else 0) for r, _ in rows)
    claim_w = max((len(_claim_cell(c).plain) for _, c in rows), default=0)
    widths = [max(name_w, 8), max(handle_w, 6), max(status_w, 6), claim_w]
    heads = ["Platform", "Handle", "Status", "Claim" if claim_w else ""]
    note_w = width - sum(w + 2 for w in widths if w)
    header = Text()
    for head, w in zip(heads, widths, strict=True):
        if w:
            header.append(head.ljust(w + 2)[: w + 2])
    header.append("Note")
    lines = [Text(header.plain.rstrip(), style="bold")]
    for result, claim in rows:
        line = Text()
        cells: list[Text] = [
            Text(_cut(result.platform_name, widths[0])),
            Text(_cut(result.handle, widths[1])),
            _status_cell(result),
            _claim_cell(claim),
        ]
        for cell, w in zip(cells, widths, strict=True):
            if w:
                line.append_text(cell)
                line.append(" " * (w + 2 - len(cell.plain)))
        line.append(_fit_note(_note(result), note_w), style="dim")
        line.rstrip()
        lines.append(line)
    return lines


def _stacked(rows: Sequence[tuple[PlatformResult, ClaimResult | None]], width: int) -> list[Text]:
    lines: list[Text] = []
    for result, claim in rows:
        first = Text(result.platform_name, style="bold")
        first.append(" ")
        first.append_text(_status_cell(result))
        if claim is not None:
            first.append(" ")
            first.append_text(_claim_cell(claim))
        lines.append(first)
        second = f"  {result.handle}"
        note = _note(result)
        if note:
            second += f" · {note}"
        lines.append(Text(_fit_note(second, width), style="dim"))
    return lines


def undecided_section(brand: Brand, width: int) -> list[Text]:
    groups = undecided_groups(brand)
    if not groups:
        return []
    lines: list[Text] = []
    for cause, results in groups:
        noun = "platform" if len(results) == 1 else "platforms"
        label = f"{len(results)} {noun} {CAUSE_LABEL[cause]}"
        names = ", ".join(r.platform_name for r in results)
        if len(label) + len(names) + 3 <= width:
            text = Text(f"{label} ", style="yellow")
            text.append(f"({names})", style="dim")
            lines.append(text)
            continue
        lines.append(Text(_cut(label, width), style="yellow"))
        lines.extend(Text(t, style="dim") for t in _wrap(names, width, "  "))
    return lines


def bluesky_section(brand: Brand, width: int) -> list[Text]:
    domain: BlueskyDomain | None = brand.bluesky_domain
    if domain is None:
        return []
    head = Text(f"Bluesky domain handle {domain.domain}: ")
    head.append(domain.status.value.replace("_", " ").upper(), style=BLUESKY_STYLE[domain.status])
    claim = domain_claim(brand)
    if claim is not None:
        need = f" ({'required' if claim.required else 'optional'} claim)"
        if len(head.plain) + len(need) <= width:
            head.append(need, style="dim")
    lines = [head]
    shown = [c for c in domain.checks if c.status in {CheckStatus.FAIL, CheckStatus.WARN}]
    for check in shown:
        word = CHECK_WORD[check.status]
        style = "bold red" if check.status is CheckStatus.FAIL else "yellow"
        line = Text(f"  {word} ", style=style)
        message = one_line(check.message).replace("`", "")
        line.append(_cut(f"{check.id}: {message}", width - len(word) - 3))
        lines.append(line)
    if domain.checks and len(shown) < len(domain.checks):
        # The rest, every one counted: the parts add up to the checks not listed above.
        rest = [
            (CheckStatus.PASS, "passed"),
            (CheckStatus.INFO, "informational"),
            (CheckStatus.SKIP, "skipped"),
        ]
        counts = [(sum(1 for c in domain.checks if c.status is s), w) for s, w in rest]
        text = ", ".join(f"{n} {word}" for n, word in counts if n)
        lines.append(Text(f"  {text}", style="dim"))
    return lines


def activity_section(brand: Brand, width: int) -> list[Text]:
    """The pulse of each claimed account whose last activity is known (brandaudit.activity):
    one line each, dormant ones in bold."""
    notes: list[str] = []
    for result in brand.platforms:
        activity = result.activity
        if (
            result.status is Status.CLAIMED
            and activity is not None
            and activity.dormant is not None
        ):
            notes.append(f"{result.platform_name} {result.handle}: {activity_note(activity)}")
    domain = brand.bluesky_domain
    if domain is not None and domain.activity is not None and domain.activity.dormant is not None:
        notes.append(f"Bluesky @{domain.domain}: {activity_note(domain.activity)}")
    if not notes:
        return []
    lines = [Text("Activity", style="bold")]
    for note in notes:
        style = "bold" if "DORMANT" in note else "dim"
        lines.append(Text(_cut("  " + one_line(note), width), style=style))
    return lines


def people_section(brand: Brand, width: int) -> list[Text]:
    """The brand's people (brandaudit.people): one line per handle, notes cut to fit."""
    if not brand.people and not brand.suggested_people:
        return []
    lines = [Text("People", style="bold")]
    for person in brand.people:
        need = f"; required: {', '.join(person.required)}" if person.required else ""
        lines.append(Text(_cut(person_title(person) + need, width)))
        for result in person.handles:
            line = Text(f"  {result.platform_name} {result.handle} ")
            line.append_text(_status_cell(result))
            notes = [one_line(n) for n in handle_notes(person, result)]
            lines.extend(wrap_notes(line, notes, width))
    if brand.suggested_people:
        lines.append(Text("Named on the website (not audited; add to brandaudit.toml):"))
        for suggestion in brand.suggested_people:
            lines.extend(Text(s, style="dim") for s in suggestion.snippet.rstrip("\n").split("\n"))
    return lines


NOTE_INDENT = "    "


def wrap_notes(line: Text, notes: Sequence[str], width: int) -> list[Text]:
    """``line`` followed by its notes: whole notes in order on it, then on indented lines
    below. At any width every note shows (the first, a person's Bluesky verdict, is never
    cut off by the others); only a note wider than a line of its own is cut."""
    lines = [line]
    current, used = line, 0
    for note in notes:
        sep = " · " if used else (" " if current is line else "")
        if len(current.plain) + len(sep) + len(note) > width and (used or current is line):
            current, used, sep = Text(NOTE_INDENT), 0, ""
            lines.append(current)
        room = max(width - len(current.plain) - len(sep), 8)
        current.append(sep + _fit_note(note, room), style="dim")
        used += 1
    return lines


def changes_section(brand: Brand, width: int) -> list[Text]:
    """What changed since the baseline (check --baseline; brandaudit.history)."""
    if not brand.changes:
        return []
    lines = [Text("Since last run", style="bold")]
    for change in brand.changes:
        word = change.kind.value.replace("_", " ")
        line = Text(f"{word} ", style="bold red" if change.regression else "")
        line.append(_cut(one_line(change.message), max(width - len(word) - 3, 8)))
        lines.append(line)
    return lines


def steps_section(brand: Brand, width: int) -> list[Text]:
    if not brand.next_steps:
        return []
    lines = [Text("Next steps", style="bold")]
    shown = brand.next_steps[:MAX_STEPS]
    for index, step in enumerate(shown):
        title = Text(f"{step.priority}. ")
        title.append(_cut(one_line(step.title), width - len(title.plain)), style="bold")
        lines.append(title)
        rerun = step.title.startswith("Re-run later:")  # the undecided lines say it already
        if index < STEPS_WITH_DETAIL and step.detail and not rerun:
            detail = step.detail.replace("`", "")
            if step.url and step.url not in detail:
                detail += f" {step.url}"
            lines.extend(Text(t) for t in _wrap(detail, width, "   ", DETAIL_LINES))
    hidden = len(brand.next_steps) - len(shown)
    if hidden > 0:
        lines.append(Text(f"   … and {hidden} more (-f markdown, -o report.html)", style="dim"))
    return lines


SECTIONS: tuple[Section, ...] = (
    header_section,
    platform_section,
    undecided_section,
    bluesky_section,
    activity_section,
    people_section,
    changes_section,
    steps_section,
)
"""The parts of one brand's report, in order; each is separated by a blank line."""


def brand_lines(brand: Brand, width: int) -> list[Text]:
    lines: list[Text] = []
    for section in SECTIONS:
        part = section(brand, width)
        if part and lines and section is not platform_section:
            lines.append(Text(""))
        lines.extend(part)
    shown = [*brand.platforms, *(r for person in brand.people for r in person.handles)]
    if any(is_cached(r) for r in shown):  # wherever a * appears, its legend does too
        lines.append(Text(f"{CACHED_MARK} from the HTTP cache (--refresh asks again)", style="dim"))
    return lines


def batch_table(
    summaries: Sequence[BrandSummary], width: int, limit: int = BATCH_ROWS
) -> list[Text]:
    """One line per brand (worst first, at most ``limit``): domain, grade,
    claimed/free/undecided and why it would fail the run."""
    rows = worst_first(summaries)
    shown = rows[:limit]
    domain_w = min(max([len(r.domain) for r in shown] + [6]), 30)
    head = f"{'Brand'.ljust(domain_w)}  Grade   Claimed  Free  Failing  Undecided  Result"
    lines = [Text(head, "bold")]
    for row in shown:
        mark = "?" if row.low_confidence else ""  # too few checks decided (low confidence)
        grade = f"{row.grade}{mark} {row.score}" if row.score is not None else "-"
        text = (
            f"{_cut(row.domain, domain_w).ljust(domain_w)}  {grade:<6}  {row.claimed:>7}  "
            f"{row.free:>4}  {row.failing:>7}  {row.undecided:>9}  "
        )
        text += _cut(row.reason, max(width - len(text), 8))
        lines.append(Text(text.rstrip()))
    if len(rows) > len(shown):
        lines.append(Text(f"… and {len(rows) - len(shown)} more brands", style="dim"))
    return lines


def batch_text(summaries: Sequence[BrandSummary], width: int) -> str:
    """``batch_table`` as plain text (stderr after a streamed batch)."""
    return "".join(line.plain.rstrip() + "\n" for line in batch_table(summaries, width))


def fold_summary(line: str, width: int) -> list[str]:
    """The summary line within ``width``, folded after a `` · `` (then at spaces)."""
    folded: list[str] = []
    current = ""
    for part in line.split(" · "):
        joined = f"{current} · {part}" if current else part
        if len(joined) <= width or not current:
            current = joined
        else:
            folded.append(current + " ·")
            current = "  " + part
    folded.append(current)
    out: list[str] = []
    for piece in folded:
        out += textwrap.wrap(piece, width, subsequent_indent="  ", break_on_hyphens=False) or [""]
    return out


def render_table(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = _console(options, buffer)
    width = console.width
    lines: list[Text] = []
    if not report.brands:
        lines.append(Text("No brand was checked."))
    for index, brand in enumerate(report.brands):
        if index:
            lines.append(Text(""))
        lines.extend(brand_lines(brand, width))
    if len(report.brands) > 1:
        lines.append(Text(""))
        summaries = [summarise(b, options.min_score) for b in report.brands]
        lines.extend(batch_table(summaries, width))
    if report.warnings:
        lines.append(Text(""))
    for warning in report.warnings:
        lines.append(Text(_cut(f"warning: {one_line(warning)}", width), style="yellow"))
    lines.append(Text(""))
    summary = summary_line(report, options.exit_code, options.min_score)
    lines.extend(Text(part, style="bold") for part in fold_summary(summary, width))
    for line in lines:
        line.rstrip()
        console.print(line, no_wrap=True, overflow="ignore", crop=False, soft_wrap=True)
    text = buffer.getvalue()
    if options.color:
        return text
    return "\n".join(line.rstrip() for line in text.split("\n"))


def changes_table(changes: Sequence[Change], title: str = "Since last run") -> Table:
    """What changed since the baseline (``check --baseline``; ``brandaudit diff``)."""
    from rich.table import Table

    table = Table(
        box=None,
        show_header=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        title=Text(title, style="bold"),
        title_justify="left",
    )
    table.add_column("Kind", no_wrap=True)
    table.add_column("Change", overflow="fold", ratio=1)
    for change in changes:
        style = "bold red" if change.regression else ""
        word = change.kind.value.replace("_", " ")
        table.add_row(Text(word, style=style), Text(one_line(change.message)))
    return table


def render_renderables(items: Sequence[RenderableType], width: int | None) -> str:
    """Plain terminal text of rich renderables (``history``/``diff`` tables), without colour."""
    buffer = io.StringIO()
    console = _console(RenderOptions(color=False, width=width), buffer)
    for item in items:
        console.print(item)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _render(report: Report, options: RenderOptions) -> str:
    return lookalikes.with_sections(render_table(report, options), report, lookalikes.section_lines)


RENDERER = FunctionRenderer(Format.TABLE, _render)
