"""``brandaudit schema``: the JSON schema of the report."""

from __future__ import annotations

import json

import typer

from brandaudit.cli.common import guarded


def schema() -> None:
    """Print the JSON schema of the report (-f json), as committed in schemas/report.v1.json."""

    def body() -> int:
        from brandaudit.model import report_schema
        from brandaudit.sinks import write_stdout

        write_stdout(json.dumps(report_schema(), indent=2) + "\n", json=True)
        return 0

    raise typer.Exit(guarded(body))
