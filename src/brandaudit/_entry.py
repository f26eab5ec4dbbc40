"""The console script's entry point: answers ``--version`` before anything heavy is imported.

``brandaudit --version`` is run by installers, CI logs and bug reports; importing the Typer
app (typer, rich, click) and ``importlib.metadata`` costs several times what printing one line
should. The common case (no third-party platform plugin installed) is answered here from the
package's literal version; when a plugin might be installed, the full CLI answers, listing
each plugin's version.
"""

from __future__ import annotations

import os
import sys

_GROUP_HEADER = "[brandaudit.platforms]"
# This project's distribution name (pyproject.toml's [project] name), as installers spell it
# in a ``.dist-info`` folder name: lower case, runs of "-", "_" and "." as one "_".
DIST_INFO_NAME = "brandaudit_cli"


def _may_have_plugins() -> bool:
    """True when a distribution other than brandaudit might declare a platform plugin.

    A cheap scan of the import path's ``*.dist-info`` / ``*.egg-info`` folders for an
    ``entry_points.txt`` naming the group; anything unexpected counts as "maybe"."""
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue  # a zip file, a missing folder: not where installed plugins live
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            if dist_info_name(name) == DIST_INFO_NAME:
                continue  # brandaudit's own built-ins
            path = os.path.join(entry or ".", name, "entry_points.txt")
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    if _GROUP_HEADER in handle.read():
                        return True
            except FileNotFoundError:
                continue
            except OSError:
                return True
    return False


def dist_info_name(folder: str) -> str:
    """The distribution part of a ``<name>-<version>.dist-info`` (or ``<name>.egg-info``)
    folder name, normalised: a "-" can't be in it, and older tools kept "." and capitals."""
    stem = folder.rsplit(".", 1)[0]  # without ".dist-info" / ".egg-info"
    return stem.split("-", 1)[0].lower().replace(".", "_")


def main() -> None:
    args = sys.argv[1:]
    if len(args) == 1 and args[0] in {"--version", "-V"} and not _may_have_plugins():
        from brandaudit import __version__

        sys.stdout.write(f"brandaudit {__version__}\n")
        sys.stdout.flush()
        sys.exit(0)
    _lighten_imports()
    from brandaudit.cli.app import main as cli_main

    cli_main()


def _lighten_imports() -> None:
    """Skip work other packages do at import for features the command line never uses.

    - ``import httpx`` imports httpx's own command-line tool (click, pygments and rich's
      progress and syntax modules) if click is installed; brandaudit never calls it, so its
      module is marked absent and httpx installs its "not installed" stub instead.
    - pydantic scans every installed distribution's entry points for pydantic plugins on the
      first validation; brandaudit's models use none (set ``PYDANTIC_DISABLE_PLUGINS`` to
      something else to load them anyway).

    Only the console script does this: ``import brandaudit`` as a library changes nothing."""
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
