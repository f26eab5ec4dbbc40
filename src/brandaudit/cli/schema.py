"""``brandaudit schema``: the JSON schema of the report."""

from __future__ import annotations

import json

import typer

from brandaudit.cli.common import guarded


def schema() -> None:
    """Print the JSON schema of the report (-f json)."""

    def body() -> int:
        from brandaudit.model import Report
        from brandaudit.sinks import write_stdout

        schema = Report.model_json_schema(mode="serialization")
        write_stdout(json.dumps(schema, indent=2) + "\n", json=True)
        return 0

    raise typer.Exit(guarded(body))
