"""The command line (Typer): ``app.py`` builds the app, ``common.py`` holds what every command
shares, one module per command. The only package that exits."""

import sys
from typing import TYPE_CHECKING

from brandaudit.cli.app import main

if TYPE_CHECKING:
    from brandaudit.cli.app import app

__all__ = ["app", "main"]

# Importing the submodule set ``app`` to it; ``brandaudit.cli.app`` is the Typer app, as it
# always was, built on first use by ``__getattr__`` below (the console script builds only
# the command it runs). The module stays importable as ``brandaudit.cli.app``.
globals().pop("app", None)


def __getattr__(name: str) -> object:
    if name == "app":
        return sys.modules["brandaudit.cli.app"].app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
