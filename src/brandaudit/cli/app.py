"""The Typer app: the root callback (``--version``, ``--debug``), every command registered
explicitly, and ``main()``, the console script's entry point (usage errors as one line, exit 2)."""

from __future__ import annotations

import functools
import importlib
import logging
import os
import sys
from typing import Annotated, Any

import typer

from brandaudit import __version__
from brandaudit.cli.common import State
from brandaudit.exitcodes import EXIT_CODE_HELP, ExitCode

HELP = f"""Audit a brand's presence: is your handle claimed on every platform, is it really yours,
and is your Bluesky domain handle set up right?

Example: brandaudit check acme.com

{EXIT_CODE_HELP}"""

_METAVAR_NAMES = {"require": "PLATFORM", "fmt": "FORMAT", "domains": "DOMAIN", "did": "DID"}


def _plain_metavars() -> None:
    """Help shows ``--platform PLATFORM`` and ``--timeout SECONDS``, not Python types
    (``<list[str]>``, ``<float range>``) as typer >= 0.2x renders them; choices stay
    ``<a|b>``. Wraps typer's ``display_type`` where it has one (older typers never had it)."""
    import typer.core

    for cls in (
        getattr(typer.core, "TyperOption", None),
        getattr(typer.core, "TyperArgument", None),
    ):
        original = getattr(cls, "display_type", None)
        if cls is None or original is None or getattr(original, "_brandaudit", False):
            continue

        def display_type(self: Any, ctx: Any, _original: Any = original) -> str:
            shown: str = _original(self, ctx)
            label = shown.strip("<>")
            name = str(getattr(self, "name", "") or "")
            if "|" in label:
                return shown
            if label == "bool":
                return ""
            if label in {"file", "list[Path]", "Path"}:
                return "FILE"
            if label in {"dir", "path"}:
                return label.upper()
            if label.startswith("float"):
                timed = any(w in name for w in ("deadline", "timeout", "ttl"))
                return "SECONDS" if timed else "NUMBER"
            if label.startswith("int"):
                return "N"
            return _METAVAR_NAMES.get(name, name.upper())

        display_type._brandaudit = True  # type: ignore[attr-defined]
        cls.display_type = display_type


_plain_metavars()


def _version_callback(value: bool) -> None:
    if value:
        lines = [f"brandaudit {__version__}"]
        from brandaudit.platforms.registry import GROUP, find_entry_points

        plugins: dict[str, str] = {}
        for ep in find_entry_points():
            dist = getattr(ep, "dist", None)
            if dist is not None and not ep.value.startswith("brandaudit."):
                plugins[str(dist.metadata["Name"])] = str(dist.version)
        for name, version in sorted(plugins.items()):
            lines.append(f"  plugin ({GROUP}): {name} {version}")
        typer.echo("\n".join(lines))
        raise typer.Exit(0)


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version_callback,
            is_eager=True,
            help="Show the version (and plugin versions) and exit.",
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", envvar="BRANDAUDIT_DEBUG", help="Show tracebacks and debug logs on stderr."
        ),
    ] = False,
) -> None:
    State.debug = debug
    if debug:
        from brandaudit.redact import RedactingFilter

        logging.basicConfig(
            level=logging.DEBUG, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
        )
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactingFilter())


# --- commands, in the order --help lists them: name -> (module, function, help attribute).
# A command's module is imported only when the app that holds it is built.
_COMMANDS: dict[str, tuple[str, str, str | None]] = {
    "check": ("brandaudit.cli.check", "check", None),
    "platforms": ("brandaudit.cli.platforms", "platforms_cmd", None),
    "schema": ("brandaudit.cli.schema", "schema", None),
    "bluesky": ("brandaudit.cli.bluesky", "bluesky_cmd", "BLUESKY_HELP"),
    "history": ("brandaudit.cli.history", "history_cmd", None),
    "diff": ("brandaudit.cli.history", "diff_cmd", None),
    "import": ("brandaudit.cli.history", "import_cmd", None),
    "init": ("brandaudit.cli.init", "init", None),
    "merge": ("brandaudit.cli.merge", "merge", None),
    "selfcheck": ("brandaudit.cli.selfcheck", "selfcheck_cmd", None),
    "suggest": ("brandaudit.cli.suggest", "suggest", None),
    "lookalikes": ("brandaudit.cli.lookalikes", "lookalikes_cmd", None),
}
# Root options before the command that take no value (``brandaudit --debug check ...``).
_ROOT_FLAGS = frozenset({"--debug"})


def _build_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with the one command ``only`` names (the same
    group, root options and callback: that command's parsing, help and errors are the same)."""
    built = typer.Typer(
        name="brandaudit",
        help=HELP,
        no_args_is_help=True,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=True,
    )
    built.callback()(_root)
    for name, (module_name, function, help_attribute) in _COMMANDS.items():
        if only is not None and name != only:
            continue
        module = importlib.import_module(module_name)
        command_help = getattr(module, help_attribute) if help_attribute else None
        built.command(name, help=command_help)(getattr(module, function))
    return built


@functools.cache
def _full_app() -> typer.Typer:
    return _build_app()


def __getattr__(name: str) -> typer.Typer:
    """``brandaudit.cli.app.app``: the whole app (for ``CliRunner`` and library use), built on
    first use so the console script can build only the command it runs."""
    if name == "app":
        return _full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _only_command(argv: list[str]) -> str | None:
    """The command ``argv`` runs when nothing else of the app can be needed: the first word
    after optional ``--debug`` is a command's name, and shell completion is not asking."""
    if any(key.startswith("_BRANDAUDIT_COMPLETE") for key in os.environ):
        return None
    for word in argv:
        if word in _ROOT_FLAGS:
            continue
        return word if word in _COMMANDS else None
    return None


@functools.cache
def _click_command(only: str | None = None) -> Any:
    """The click command tree, built from the Typer app once per process (~20 ms: Typer reads
    every command's signature; a program or test calling ``main`` again reuses it)."""
    return typer.main.get_command(_full_app() if only is None else _build_app(only))


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: usage errors as one line with exit 2, never a traceback."""
    # typer (>= 0.26) vendors click and exposes its usage exceptions only here.
    from typer._click import exceptions as click_exceptions  # noqa: PLC2701

    command = _click_command(_only_command(sys.argv[1:] if argv is None else argv))
    try:
        code = command.main(args=argv, prog_name="brandaudit", standalone_mode=False)
    except click_exceptions.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            typer.echo(exc.ctx.get_help())
        sys.exit(int(ExitCode.USAGE))
    except click_exceptions.UsageError as exc:
        command_path = exc.ctx.command_path if exc.ctx is not None else "brandaudit"
        sys.stderr.write(
            f"brandaudit: error: {exc.format_message()} (see '{command_path} --help')\n"
        )
        sys.exit(int(ExitCode.USAGE))
    except click_exceptions.ClickException as exc:
        sys.stderr.write(f"brandaudit: error: {exc.format_message()}\n")
        sys.exit(int(ExitCode.USAGE))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("brandaudit: interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
    sys.exit(code if isinstance(code, int) else 0)
