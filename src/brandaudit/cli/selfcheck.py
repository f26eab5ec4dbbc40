"""``brandaudit selfcheck``: are the adapters still reading their platforms right?"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from brandaudit import exits
from brandaudit.cli.common import guarded, load_registry, load_settings, run_async, terminal_width
from brandaudit.cli.options import (
    AllowPrivateOption,
    ConfigOption,
    DeadlineOption,
    ListFormat,
    ListFormatOption,
    PlatformOption,
    TimeoutOption,
    network_flags,
)

if TYPE_CHECKING:
    from brandaudit.selfcheck import CanaryResult


def selfcheck_cmd(
    platform: PlatformOption = None,
    fmt: ListFormatOption = ListFormat.TABLE,
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
    deadline: DeadlineOption = None,
    allow_private_network: AllowPrivateOption = False,
) -> None:
    """Check that each platform's adapter still reads its platform right.

    A known account (the canary) must read as claimed, and a random never-registered name must
    read as available wherever the adapter can say so. DRIFT: the platform moved (the new
    location is shown), answered in a shape the adapter doesn't recognise, or the adapter lost
    its available signal. UNDECIDED: blocked, rate-limited or down. Platforms change their
    answers without notice: run this on a schedule (-f json) and before relying on a release.

    Two checks per platform. Exit 0 all ok, 1 an adapter drifted, 3 no clear answer.
    """

    def body() -> int:
        from brandaudit.selfcheck import run_selfcheck

        flags = network_flags(
            timeout=timeout, deadline=deadline, allow_private_network=allow_private_network
        )
        settings = load_settings(config, **flags)
        registry = load_registry(settings)
        adapters = registry.select(platform or None)
        results = run_async(run_selfcheck(adapters, settings))
        code = exits.for_selfcheck(r.outcome for r in results)
        _print(results, fmt, code)
        return code

    raise typer.Exit(guarded(body))


def undecided_cause(result: CanaryResult) -> str:
    """The cause key (``render.common.cause_of``) of an undecided canary check."""
    from brandaudit.model import Status
    from brandaudit.render.common import cause_of

    for checked in (result.canary, result.random):
        if checked is not None and checked.status is Status.UNKNOWN:
            return cause_of(checked)
    return "other"


def selfcheck_summary(results: list[CanaryResult], code: int) -> str:
    """``12 ok · 1 drift · 40 undecided (38 unreachable: no network?) → exit 3``."""
    from brandaudit.render.common import CAUSE_LABEL
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


def _print(results: list[CanaryResult], fmt: ListFormat, code: int) -> None:
    import sys

    from brandaudit.cli.common import isatty
    from brandaudit.sinks import write_stdout

    if fmt is ListFormat.JSON:
        payload = {"platforms": [r.model_dump(mode="json") for r in results]}
        write_stdout(json.dumps(payload, indent=2) + "\n", json=True)
    else:
        write_stdout(_table(results) + f"selfcheck: {selfcheck_summary(results, code)}\n")
    if code and not (fmt is ListFormat.TABLE and isatty(sys.stdout)):
        sys.stderr.write(f"brandaudit: selfcheck: {selfcheck_summary(results, code)}\n")


def _table(results: list[CanaryResult]) -> str:
    """One row per platform, except the undecided ones: one row per cause, with a count."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from brandaudit.render.common import CAUSE_LABEL
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
    buffer = io.StringIO()
    Console(file=buffer, width=terminal_width(), highlight=False, no_color=True).print(table)
    return buffer.getvalue()
