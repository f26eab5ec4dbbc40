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


def _print(results: list[CanaryResult], fmt: ListFormat, code: int) -> None:
    import sys

    from brandaudit.cli.common import isatty
    from brandaudit.render.listings import selfcheck_summary, selfcheck_table
    from brandaudit.sinks import write_stdout

    if fmt is ListFormat.JSON:
        payload = {"platforms": [r.model_dump(mode="json") for r in results]}
        write_stdout(json.dumps(payload, indent=2) + "\n", json=True)
    else:
        table = selfcheck_table(results, terminal_width())
        write_stdout(table + f"selfcheck: {selfcheck_summary(results, code)}\n")
    if code and not (fmt is ListFormat.TABLE and isatty(sys.stdout)):
        sys.stderr.write(f"brandaudit: selfcheck: {selfcheck_summary(results, code)}\n")
