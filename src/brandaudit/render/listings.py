"""The tables of the commands other than ``check`` (suggest, selfcheck, platforms, history,
bluesky): pure functions, data in and text out. No network, no clock, no stream: the CLI
writes what they return (``sinks.write_stdout``). ``color`` says whether the text may carry
ANSI styles (the CLI decides from the terminal, ``NO_COLOR`` and ``FORCE_COLOR``)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from brandaudit.render.common import CAUSE_LABEL, cause_of, one_line

if TYPE_CHECKING:
    from rich.console import RenderableType

    from brandaudit.history.store import RunSummary
    from brandaudit.model import BlueskyDomain
    from brandaudit.selfcheck import CanaryResult
    from brandaudit.variants import Coverage

SPARK = "▁▂▃▄▅▆▇█"


def _text(items: Sequence[RenderableType | str], width: int | None, color: bool) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        highlight=False,
        soft_wrap=False,
        force_terminal=color or None,
        no_color=not color,
        color_system="auto" if color else None,
    )
    for item in items:
        console.print(item)
    return buffer.getvalue()


def _plain(items: Sequence[RenderableType], width: int | None) -> str:
    """Plain text without trailing spaces (``history``'s tables)."""
    from brandaudit.render.table import render_renderables

    return render_renderables(items, width)


def suggest_table(
    ranked: Sequence[Coverage],
    names: Mapping[str, str],
    candidates: Sequence[str],
    best: Coverage | None,
    *,
    width: int | None,
    color: bool = False,
) -> str:
    """``suggest``: one row per variant (best first) against the platforms (``names``: id ->
    name, in the order checked): where it is free, taken, undecided or not allowed. A handle
    is never split across lines; platform lists fold. Then the best handle, if any."""
    total = len(names)
    handle_width = max((len(c) for c in candidates), default=6)
    table = Table(pad_edge=False, title=f"Variants x {total} platforms", title_justify="left")
    table.add_column("Handle", no_wrap=True, min_width=handle_width)
    table.add_column("Free", no_wrap=True, justify="right")
    for column in ("Free on", "Taken on", "Undecided on", "Not allowed on"):
        table.add_column(column, overflow="fold")

    def listed(platforms: tuple[str, ...]) -> str:
        return ", ".join(names.get(p, p) for p in platforms) or "-"

    for item in ranked:
        table.add_row(
            item.handle,
            f"{len(item.free_on)}/{total}",
            listed(item.free_on),
            listed(item.taken_on),
            listed(item.unknown_on),
            listed(item.not_allowed_on),
        )
    if best is None:
        line = "No variant is free anywhere that answered; try --name or more variants."
    else:
        line = f"Best handle: {best.handle}, free on {len(best.free_on)} of {total} platforms"
        if best.unknown_on:
            line += f" ({len(best.unknown_on)} undecided, not counted)"
    return _text([table, line], width, color)


def undecided_cause(result: CanaryResult) -> str:
    """The cause key (``render.common.cause_of``) of an undecided canary check."""
    from brandaudit.model import Status

    for checked in (result.canary, result.random):
        if checked is not None and checked.status is Status.UNKNOWN:
            return cause_of(checked)
    return "other"


def selfcheck_summary(results: Sequence[CanaryResult], code: int) -> str:
    """``12 ok · 1 drift · 40 undecided (38 unreachable: no network?) → exit 3``."""
    from brandaudit.selfcheck import CanaryOutcome

    parts: list[str] = []
    for outcome in CanaryOutcome:
        chosen = [r for r in results if r.outcome is outcome]
        if not chosen:
            continue
        part = f"{len(chosen)} {outcome.value.replace('_', ' ')}"
        if outcome is CanaryOutcome.UNDECIDED:
            causes: dict[str, int] = {}
            for result in chosen:
                cause = undecided_cause(result)
                causes[cause] = causes.get(cause, 0) + 1
            top = sorted(causes.items(), key=lambda item: -item[1])
            part += " (" + ", ".join(f"{n} {CAUSE_LABEL[c]}" for c, n in top) + ")"
        parts.append(part)
    return (" · ".join(parts) or "no platform checked") + f" → exit {code}"


def selfcheck_table(results: Sequence[CanaryResult], width: int | None) -> str:
    """``selfcheck``: one row per platform, except the undecided ones: one row per cause,
    with a count. Never coloured."""
    from brandaudit.selfcheck import CanaryOutcome

    table = Table(pad_edge=False)
    for column in ("Platform", "Outcome", "What was seen"):
        table.add_column(column, overflow="fold")
    groups: dict[str, list[str]] = {}
    for result in results:
        if result.outcome is CanaryOutcome.UNDECIDED:
            groups.setdefault(undecided_cause(result), []).append(result.platform_name)
            continue
        table.add_row(result.platform_name, result.outcome.value.upper(), Text(result.note))
    for cause, names in sorted(groups.items(), key=lambda item: -len(item[1])):
        label = f"{len(names)} platform{'' if len(names) == 1 else 's'}"
        table.add_row(label, "UNDECIDED", Text(f"{CAUSE_LABEL[cause]}: {', '.join(names)}"))
    return _text([table], width, color=False)


def bluesky_json(results: Sequence[BlueskyDomain]) -> str:
    """``bluesky -f json``: the one domain's result, or a list of them."""
    if len(results) == 1:
        return results[0].model_dump_json() + "\n"
    return "[" + ",".join(r.model_dump_json() for r in results) + "]\n"


def bluesky_text(results: Sequence[BlueskyDomain], width: int, color: bool) -> str:
    """``bluesky``'s terminal view: one panel per domain (``bluesky.render.bluesky_panel``)."""
    from brandaudit.bluesky.render import bluesky_panel

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
    )
    for index, result in enumerate(results):
        if index:
            console.print()
        console.print(bluesky_panel(result))
    text = buffer.getvalue()
    if color:
        return text
    # Rich pads table cells to the full width; trailing blanks only clutter logs and diffs.
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(
        text, width=max(width - 2, 20), break_long_words=False, break_on_hyphens=False
    )


def platforms_table(rows: Sequence[Mapping[str, Any]], width: int, color: bool = False) -> str:
    """``platforms``: one row per platform on a wide terminal; on a narrow one, a line of
    names and then the handle rule and credentials, wrapped between words. ``rows`` are the
    ``-f json`` rows."""
    if width >= 110:
        table = Table(pad_edge=False)
        for column in ("Id", "Name", "Method", "Handle rule", "Credentials"):
            # Only the handle rule wraps (between words); the rest are never split.
            rule = column == "Handle rule"
            table.add_column(column, no_wrap=not rule, overflow="fold" if rule else "ellipsis")
        for row in rows:
            # The conventional variable (last); -f json lists every alias.
            creds = "\n".join(c["env"][-1] for c in row["credentials"] if c["env"])
            cells = (row["id"], row["name"], "\n".join(row["methods"]))
            # Plain Text: user-defined names and regexes must not be read as markup.
            table.add_row(*(Text(c) for c in (*cells, row["handle_rule"], creds or "-")))
        return _text([table], width, color)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        highlight=False,
        force_terminal=color or None,
        no_color=not color,
        color_system="auto" if color else None,
    )
    for row in rows:
        creds = ", ".join(c["env"][-1] for c in row["credentials"] if c["env"])
        head = f"{row['id']} ({row['name']}): {', '.join(row['methods'])}"
        console.print(Text(head, style="bold"), soft_wrap=True)
        lines = _wrapped(f"handle: {row['handle_rule']}", width)
        if creds:
            lines += _wrapped(f"credentials: {creds}", width)
        for line in lines:
            console.print(Text(f"  {line}"), soft_wrap=True)
    return buffer.getvalue()


def stored_brands_table(
    path: str, brands: Sequence[tuple[str, int, str]], width: int | None
) -> str:
    """``history`` without a domain: the brands a store holds (domain, runs, last saved)."""
    if not brands:
        return f"No saved run in {path} (save one with: brandaudit check DOMAIN --save)\n"
    table = Table(pad_edge=False, title=f"Brands saved in {path}", title_justify="left")
    table.add_column("Brand", overflow="fold")
    table.add_column("Runs", justify="right", no_wrap=True)
    table.add_column("Last saved (UTC)", no_wrap=True, min_width=20)
    for name, runs, saved_at in brands:
        table.add_row(name, str(runs), saved_at)
    return _plain([table], width)


def sparkline(scores: Sequence[int | None]) -> str:
    """One character per run: the score 0-100 as a bar height; ``·`` where undecided."""
    out = []
    for score in scores:
        if score is None:
            out.append("·")
        else:
            out.append(SPARK[min(len(SPARK) - 1, max(0, score) * len(SPARK) // 101)])
    return "".join(out)


def _cell(value: object) -> Text:
    """A store's text as a table cell: cleaned (no escape sequence), one line, never markup."""
    from brandaudit.redact import clean_text

    return Text(one_line(clean_text(str(value))))


def history_table(domain: str, runs: Sequence[RunSummary], width: int | None) -> str:
    """``history DOMAIN``: one row per saved run, then the score sparkline."""
    if not runs:
        return f"No saved run for {domain} (save one with: brandaudit check {domain} --save)\n"
    table = Table(
        pad_edge=False, title=Text(f"History of {domain}", style="bold"), title_justify="left"
    )
    for column in (
        "Run",
        "Saved (UTC)",
        "Version",
        "Score",
        "Grade",
        "Claimed",
        "Available",
        "Unknown",
        "Other",
    ):
        # The date is never wrapped or cut (its full width is kept); the others fold.
        saved = column == "Saved (UTC)"
        table.add_column(column, no_wrap=saved, overflow="fold", min_width=20 if saved else None)
    for run in runs:
        counts = dict(run.counts)
        claimed, available, unknown = (
            counts.pop(k, 0) for k in ("claimed", "available", "unknown")
        )
        # A store is a file anyone may hand over: its text is data, never markup or escapes.
        table.add_row(
            str(run.run_id),
            _cell(run.saved_at),
            _cell(run.tool_version),
            "-" if run.score is None else str(run.score),
            _cell(run.grade or "-"),
            str(claimed),
            str(available),
            str(unknown),
            str(sum(int(v) for v in counts.values() if isinstance(v, int))),
        )
    scores = [r.score for r in runs]
    decided = [s for s in scores if s is not None]
    spark = Text(f"score: {sparkline(scores)}")
    if decided:
        spark.append(
            f"  (first {decided[0]}, last {decided[-1]}, min {min(decided)}, max {max(decided)})"
        )
    return _plain([table, spark], width)
