"""``brandaudit platforms``: the platforms brandaudit can check."""

from __future__ import annotations

import json
from typing import Any

import typer

from brandaudit.cli.common import err_console, guarded, load_registry, load_settings, terminal_width
from brandaudit.cli.options import ConfigOption, ListFormat, ListFormatOption


def platforms_cmd(
    fmt: ListFormatOption = ListFormat.TABLE,
    config: ConfigOption = None,
) -> None:
    """List the platforms brandaudit can check: id, name, method, handle rule, credentials."""

    def body() -> int:
        settings = load_settings(config)
        registry = load_registry(settings)
        rows: list[dict[str, Any]] = []
        for adapter in registry.adapters.values():
            rows.append(
                {
                    "id": adapter.id,
                    "name": adapter.name,
                    "methods": [m.value for m in adapter.methods],
                    "handle_rule": adapter.describe_rule(),
                    "profile_url": adapter.profile_template,
                    "credentials": [
                        {"name": c.name, "env": list(c.env), "purpose": c.purpose}
                        for c in adapter.credentials
                    ],
                }
            )
        if fmt is ListFormat.JSON:
            from brandaudit.sinks import write_stdout

            write_stdout(
                json.dumps({"platforms": rows, "warnings": registry.warnings}, indent=2) + "\n",
                json=True,
            )
        else:
            _print_table(rows)
            for warning in registry.warnings:
                err_console().print(f"brandaudit: warning: {warning}", markup=False)
        return 0

    raise typer.Exit(guarded(body))


def _print_table(rows: list[dict[str, Any]]) -> None:
    """The platforms table (``render.listings.platforms_table``) on stdout."""
    import sys

    from brandaudit.cli.common import use_color
    from brandaudit.cli.options import Color
    from brandaudit.render.listings import platforms_table
    from brandaudit.sinks import write_stdout

    width = terminal_width() or 80
    write_stdout(platforms_table(rows, width, color=use_color(Color.AUTO, sys.stdout)))
