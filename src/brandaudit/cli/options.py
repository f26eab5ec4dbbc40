"""Command-line options shared by several commands, declared once.

Every command that talks to the network takes the same ``--config``, ``--timeout``,
``--deadline``, ``--concurrency`` and ``--allow-private-network``, with the same environment
variables, so a flag learnt on ``check`` works the same on ``bluesky`` and ``suggest``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

NETWORK = "Network"
OUTPUT = "Output"
POLICY = "Policy"
PLATFORMS = "Platforms"
BATCH = "Large runs"


class Color(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file (default: ./brandaudit.toml, or [tool.brandaudit] in ./pyproject.toml).",
        envvar="BRANDAUDIT_CONFIG",
        show_default=False,
        dir_okay=False,
    ),
]
PlatformOption = Annotated[
    list[str] | None,
    typer.Option(
        "--platform",
        "-p",
        help="Platform id to check (repeatable). Default: all. See 'brandaudit platforms'.",
        envvar="BRANDAUDIT_PLATFORMS",
        show_default=False,
        rich_help_panel=PLATFORMS,
    ),
]
ListFormatOption = Annotated[
    ListFormat,
    typer.Option(
        "--format", "-f", help="table or json.", case_sensitive=False, rich_help_panel=OUTPUT
    ),
]
ColorOption = Annotated[
    Color,
    typer.Option(
        "--color",
        help="Colour on a terminal: auto (default; NO_COLOR and TERM=dumb turn it off), "
        "always or never.",
        envvar="BRANDAUDIT_COLOR",
        rich_help_panel=OUTPUT,
        case_sensitive=False,
    ),
]
TimeoutOption = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help="Seconds to wait for a server to connect, and then for each read.",
        envvar="BRANDAUDIT_TIMEOUT",
        show_default=False,
        rich_help_panel=NETWORK,
        min=0.1,
        max=120,
    ),
]
DeadlineOption = Annotated[
    float | None,
    typer.Option(
        "--deadline",
        help="Seconds allowed for one check, all its requests included (default 20).",
        envvar="BRANDAUDIT_DEADLINE",
        show_default=False,
        rich_help_panel=NETWORK,
        min=0.1,
        max=600,
    ),
]
ConcurrencyOption = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        help="Requests in flight at once (default 64).",
        envvar="BRANDAUDIT_CONCURRENCY",
        show_default=False,
        rich_help_panel=NETWORK,
        min=1,
        max=4096,
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private-network",
        envvar="BRANDAUDIT_ALLOW_PRIVATE_NETWORK",
        help="Allow connections to loopback, private and link-local addresses.",
        rich_help_panel=NETWORK,
    ),
]


def network_flags(
    *,
    timeout: float | None,
    deadline: float | None,
    concurrency: int | None = None,
    allow_private_network: bool = False,
) -> dict[str, Any]:
    """The ``[network]`` overrides the shared flags stand for (None: not given)."""
    flags: dict[str, Any] = {
        "deadline": deadline,
        "concurrency": concurrency,
        "read_timeout": timeout,
        "connect_timeout": timeout,
    }
    if allow_private_network:
        flags["allow_private_network"] = True
    return flags
