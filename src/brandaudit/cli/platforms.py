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
    """One row per platform on a wide terminal; on a narrow one, a line of names and then
    the handle rule and credentials, wrapped between words."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = terminal_width() or 80
    console = Console(width=width, highlight=False)
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
        console.print(table)
    else:
        # Narrow terminals: one line of names, then the rule, wrapped between words.
        import textwrap

        for row in rows:
            creds = ", ".join(c["env"][-1] for c in row["credentials"] if c["env"])
            head = f"{row['id']} ({row['name']}): {', '.join(row['methods'])}"
            console.print(Text(head, style="bold"), soft_wrap=True)
            lines = textwrap.wrap(
                f"handle: {row['handle_rule']}",
                width=max(width - 2, 20),
                break_long_words=False,
                break_on_hyphens=False,
            )
            if creds:
                lines += textwrap.wrap(
                    f"credentials: {creds}",
                    width=max(width - 2, 20),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            for line in lines:
                console.print(Text(f"  {line}"), soft_wrap=True)
