"""GitHub Actions: workflow-command annotations and the job summary. Pure: returns strings.

The CLI prints the annotations on **stderr** (the runner reads workflow commands from both
streams, and stdout stays the report, so ``-f json > report.json`` keeps working) and appends
the summary to ``$GITHUB_STEP_SUMMARY`` (see ``brandaudit.sinks.append_step_summary``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from brandaudit.model import Brand, CheckStatus, ClaimOutcome, LookalikeClass, Report
from brandaudit.render import lookalikes
from brandaudit.render.common import BrandSummary, need_word, one_line
from brandaudit.render.findings import Finding, brand_findings
from brandaudit.render.markdown import batch_markdown, render_markdown
from brandaudit.render.options import RenderOptions

Level = Literal["error", "warning", "notice"]

MAX_PER_LEVEL = 10
"""GitHub shows at most 10 error and 10 warning annotations per step; more are dropped."""
SUMMARY_LIMIT = 1024 * 1024
"""GitHub refuses a step summary over 1 MiB."""


def escape_data(text: str) -> str:
    """Escape a workflow-command message (``%``, CR and LF), and break a legacy ``##[`` in
    it (the runner reads that anywhere in a line; see ``redact.defuse_commands``)."""
    from brandaudit.redact import defuse_commands

    return defuse_commands(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True, slots=True)
class Annotation:
    level: Level
    title: str
    message: str
    file: str | None = None
    line: int | None = None

    def command(self) -> str:
        props: list[str] = []
        if self.file:
            props.append(f"file={escape_property(self.file)}")
            if self.line:
                props.append(f"line={self.line}")
        props.append(f"title={escape_property(self.title)}")
        return f"::{self.level} {','.join(props)}::{escape_data(self.message)}"


_ORDER = {"claim": 0, "person": 0, "bluesky": 1, "change": 2}
"""Annotations list claims (the brand's, then its people's) before checks and regressions."""


def _level(f: Finding) -> Level:
    """A finding's annotation level: an undecided claim is a warning even when optional; a
    failing Bluesky check an error only when the domain handle is required, a warning check
    a notice."""
    if f.check is not None:
        if f.check.status is CheckStatus.FAIL:
            return "error" if f.required else "warning"
        return "notice"
    if f.claim is not None and f.claim.outcome is ClaimOutcome.UNDECIDED:
        return "warning"
    return "error" if f.level == "error" else "warning"


def _title(f: Finding) -> str:
    if f.check is not None:
        return f"brandaudit: Bluesky {f.check.id}"
    if f.change is not None:
        return f"brandaudit: {f.change.kind.value.replace('_', ' ')} since the last run"
    assert f.claim is not None
    return f"brandaudit: {f.claim.platform} claim {f.claim.handle}"


def _message(f: Finding) -> str:
    if f.check is not None:
        fix = f" Fix: {f.remediation}" if f.remediation is not None else ""
        return f"{f.bluesky_domain}: {f.message}{fix}"
    if f.change is not None:
        return f"{f.domain}: {f.message}"
    assert f.claim is not None
    claim = f.claim
    verdict = "fails" if claim.outcome is ClaimOutcome.FAIL else "could not be decided"
    return (
        f"{f.domain}: the {need_word(claim)} {claim.platform} claim {claim.handle!r} "
        f"{verdict}: {f.message}"
    )


def _brand_annotations(brand: Brand, options: RenderOptions) -> Iterable[Annotation]:
    """Claims, Bluesky checks and regressions since the baseline (``render.findings``);
    file= and line= only when a config file was read, line 1 when the key's line is unknown."""
    file = options.config_path
    found = sorted(brand_findings(brand, options), key=lambda f: _ORDER[f.kind])
    for f in found:
        if f.reported:
            line = (f.line or 1) if file else None
            yield Annotation(_level(f), _title(f), _message(f), file, line)


def collect_annotations(report: Report, options: RenderOptions | None = None) -> list[Annotation]:
    options = options or RenderOptions()
    return [
        a
        for brand in report.brands
        for a in (
            *_brand_annotations(brand, options),
            *suspect_annotations(  # check --lookalikes (brandaudit.lookalikes)
                brand, options.config_path, options.config_lines.get("brand.domain")
            ),
        )
    ]


def annotation_commands(
    report: Report, options: RenderOptions | None = None, limit: int = MAX_PER_LEVEL
) -> list[str]:
    """The ``::error``/``::warning``/``::notice`` lines, at most ``limit`` per level (one
    fewer notice when some were dropped, to make room for the notice that says so)."""
    found = collect_annotations(report, options)
    kept: list[Annotation] = []
    used: dict[str, int] = {"error": 0, "warning": 0, "notice": 0}
    for annotation in found:
        cap = limit - 1 if annotation.level == "notice" else limit
        if used[annotation.level] < cap:
            used[annotation.level] += 1
            kept.append(annotation)
    lines = [a.command() for a in kept]
    dropped = len(found) - len(kept)
    if dropped:
        lines.append(
            Annotation(
                "notice",
                "brandaudit",
                f"{dropped} more finding(s) not shown as annotations; see the job summary "
                "or the report.",
            ).command()
        )
    return lines


def fit_summary(text: str, limit: int) -> str:
    """``text`` cut at a line boundary to fit ``limit`` UTF-8 bytes, saying so when cut."""
    if limit <= 0:
        return ""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    note = "\n\n_(report cut to fit the 1 MiB job-summary limit; see the report file)_\n"
    room = limit - len(note.encode("utf-8"))
    if room <= 0:
        return ""
    cut = data[:room].decode("utf-8", errors="ignore")
    if "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    return cut + note


def step_summary(
    report: Report, options: RenderOptions | None = None, limit: int = SUMMARY_LIMIT
) -> str:
    """The Markdown report for ``$GITHUB_STEP_SUMMARY``, within ``limit`` bytes."""
    return fit_summary(render_markdown(report, options), limit)


def suspect_annotations(
    brand: Brand, config_path: str | None, line: int | None
) -> list[Annotation]:
    """A GitHub ``::warning`` per suspect (on the config file when one was read)."""
    section = brand.lookalikes
    if section is None:
        return []
    return [
        Annotation(
            "warning",
            "brandaudit: suspect look-alike",
            one_line(
                f"{brand.domain}: {f.platform_name} {f.handle} ({f.variant_kind}): "
                + lookalikes.why(f)
            ),
            config_path,
            (line or 1) if config_path else None,
        )
        for f in section.findings
        if f.classification is LookalikeClass.SUSPECT
    ]


@dataclass(frozen=True, slots=True)
class GithubOutput:
    """What a run gives GitHub Actions: the CLI writes ``annotations`` to stderr and appends
    ``summary`` to ``$GITHUB_STEP_SUMMARY``."""

    annotations: str
    """The workflow commands, one a line (empty: none)."""
    summary: str
    """The Markdown job summary, within the 1 MiB limit."""


def github_output(report: Report, options: RenderOptions | None = None) -> GithubOutput:
    lines = annotation_commands(report, options)
    return GithubOutput(
        annotations="".join(line + "\n" for line in lines),
        summary=step_summary(report, options),
    )


def watch_output(report: Report, config_path: str | None, lines: Mapping[str, int]) -> GithubOutput:
    """``brandaudit lookalikes`` under Actions: a ``::warning`` per suspect (at most
    ``MAX_PER_LEVEL``) and the watch's Markdown as the job summary."""
    found = [
        a
        for brand in report.brands
        for a in suspect_annotations(brand, config_path, lines.get("brand.domain"))
    ]
    return GithubOutput(
        annotations="".join(a.command() + "\n" for a in found[:MAX_PER_LEVEL]),
        summary=lookalikes.render_markdown(report),
    )


def batch_step_summary(summaries: Sequence[BrandSummary], limit: int = SUMMARY_LIMIT) -> str:
    """The job summary of a streamed batch: its per-brand table, within ``limit`` bytes."""
    return fit_summary(batch_markdown(summaries), limit)


INPUT_WHERE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<message>.+)$", re.DOTALL)
"""A warning about an ``--input`` line: ``FILE:LINE: message``."""


def input_annotation(message: str) -> Annotation | None:
    """The ``::warning`` on the input line a ``FILE:LINE: ...`` warning names, or None when
    the message names no line (the CLI writes it only when that file exists)."""
    match = INPUT_WHERE.match(message)
    if match is None:
        return None
    return Annotation(
        "warning", "brandaudit: input", match["message"], match["file"], int(match["line"])
    )
