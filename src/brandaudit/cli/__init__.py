"""The command line (Typer): ``app.py`` builds the app, ``common.py`` holds what every command
shares, one module per command. The only package that exits."""

from brandaudit.cli.app import app, main

__all__ = ["app", "main"]
