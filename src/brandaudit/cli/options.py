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
        help="Requests in flight over all hosts (default: --per-host on every host at "
        "once, capped by the open-file limit; 480 with ulimit -n 1024).",
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


# --- check's own options (declared here so the command stays short) ---

DomainsArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="Brand domains, e.g. acme.com. Default: [brand] domain(s) from the config.",
        show_default=False,
    ),
]

HandleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--handle",
        "-H",
        help="Handle to check (repeatable). Default: derived from the domain "
        "(acme.co.uk -> acme), or [brand] handles.",
        show_default=False,
        rich_help_panel=PLATFORMS,
    ),
]

CheckFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json, jsonl, markdown, sarif, junit or html (default: "
        "table, or from the -o extension: .txt .json .jsonl .md .sarif .sarif.json .xml "
        ".junit.xml .html).",
        envvar="BRANDAUDIT_FORMAT",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

OutputOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the report to FILE (repeatable; format from the "
        "extension). Written atomically.",
        show_default=False,
        rich_help_panel=OUTPUT,
        dir_okay=False,
    ),
]

RequireOption = Annotated[
    list[str] | None,
    typer.Option(
        "--require",
        "-r",
        help="Fail (exit 1) unless the brand's handle is claimed on PLATFORM (repeatable).",
        show_default=False,
        rich_help_panel=POLICY,
    ),
]

ExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero",
        envvar="BRANDAUDIT_EXIT_ZERO",
        help="Exit 0 even when a required claim fails (1) or is undecided (3), e.g. when "
        "code scanning reads the SARIF. Errors still exit 2 or 4.",
        rich_help_panel=POLICY,
    ),
]

FailUnderOption = Annotated[
    int | None,
    typer.Option(
        "--fail-under",
        metavar="SCORE",
        envvar="BRANDAUDIT_FAIL_UNDER",
        help="Exit 1 when a brand's readiness score is below SCORE (0-100); exit 3 when "
        "nothing could be scored. Default: [policy] min_score.",
        show_default=False,
        rich_help_panel=POLICY,
        min=0,
        max=100,
    ),
]

SarifCategoryOption = Annotated[
    str | None,
    typer.Option(
        "--sarif-category",
        metavar="ID",
        envvar="BRANDAUDIT_SARIF_CATEGORY",
        help="SARIF automationDetails.id, as upload-sarif's category sets it "
        "(default: brandaudit/).",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

SarifLocationOption = Annotated[
    str | None,
    typer.Option(
        "--sarif-location",
        metavar="FILE",
        envvar="BRANDAUDIT_SARIF_LOCATION",
        help="The repository file SARIF results point at when no config or --input line "
        "declares them (default: the running workflow in GitHub Actions, else "
        "brandaudit.toml).",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

ProgressOption = Annotated[
    bool,
    typer.Option(
        "--progress/--no-progress",
        help="Progress on stderr (default: only on a terminal outside CI).",
        rich_help_panel=OUTPUT,
    ),
]

InputOption = Annotated[
    str | None,
    typer.Option(
        "--input",
        "-i",
        metavar="FILE",
        help="Read brands from FILE: one domain per line (# comments), or CSV with a "
        "domain column (and name, handles). '-' reads stdin.",
        show_default=False,
        rich_help_panel=BATCH,
    ),
]

ResumeOption = Annotated[
    Path | None,
    typer.Option(
        "--resume",
        help="Skip brands already in this JSON Lines file (a torn last line is redone). "
        "With -f jsonl -o FILE on the same file, new lines are appended.",
        show_default=False,
        rich_help_panel=BATCH,
        dir_okay=False,
    ),
]

ShardOption = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="K/N",
        help="Check only shard K of N (K/N, 0-based): every N-th input entry from K.",
        show_default=False,
        rich_help_panel=BATCH,
    ),
]

BrandDeadlineOption = Annotated[
    float | None,
    typer.Option(
        "--brand-deadline",
        help="Seconds allowed for one brand, all its checks included (default: 3 x --deadline).",
        envvar="BRANDAUDIT_BRAND_DEADLINE",
        show_default=False,
        rich_help_panel=NETWORK,
        min=0.1,
        max=3600,
    ),
]

PerHostOption = Annotated[
    int | None,
    typer.Option(
        "--per-host",
        help="Requests in flight at once to one host.",
        envvar="BRANDAUDIT_PER_HOST",
        show_default=False,
        rich_help_panel=NETWORK,
        min=1,
        max=1024,
    ),
]

CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        help="HTTP cache folder (default: the user cache dir, e.g. ~/.cache/brandaudit).",
        envvar="BRANDAUDIT_CACHE_DIR",
        show_default=False,
        rich_help_panel=NETWORK,
        file_okay=False,
    ),
]

NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        envvar="BRANDAUDIT_NO_CACHE",
        help="Don't read or write the HTTP cache.",
        rich_help_panel=NETWORK,
    ),
]

RefreshOption = Annotated[
    bool,
    typer.Option(
        "--refresh",
        help="Ask every platform again (ignore cached answers, store the new ones).",
        rich_help_panel=NETWORK,
    ),
]

SaveOption = Annotated[
    bool,
    typer.Option(
        "--save",
        help="Save this run (every brand's result) to the history store.",
        rich_help_panel="History",
    ),
]

HistoryDbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="History store (default: history.sqlite3 in the user data dir).",
        envvar="BRANDAUDIT_DB",
        show_default=False,
        rich_help_panel="History",
        dir_okay=False,
    ),
]

BaselineOption = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        metavar="last|FILE",
        help="Compare with the last saved run, or a previous -f json/jsonl report, and "
        "list each brand's changes.",
        show_default=False,
        rich_help_panel="History",
    ),
]

FailOnChangeOption = Annotated[
    str | None,
    typer.Option(
        "--fail-on-change",
        metavar="KIND[,KIND]",
        help="Exit 1 on these changes (default with --baseline: lost,bluesky_changed). "
        "Kinds: lost, taken, gained, ownership_changed, bluesky_changed, score_changed, "
        "declared_link_changed, not_rechecked, suspect_appeared.",
        show_default=False,
        rich_help_panel="History",
    ),
]

DiscoverOption = Annotated[
    bool,
    typer.Option(
        "--discover/--no-discover",
        envvar="BRANDAUDIT_DISCOVER",
        help="Read the brand's homepage for the profiles it links to (checked too, and "
        "used for ownership). Default: on, or [brand] discover.",
        rich_help_panel=PLATFORMS,
    ),
]


# --- the look-alike watch (brandaudit.lookalikes; the same bounds as there) ---
DEFAULT_MAX_VARIANTS = 40
MAX_VARIANTS = 400
LookalikesOption = Annotated[
    bool,
    typer.Option(
        "--lookalikes",
        help="Also run the look-alike watch (see 'brandaudit lookalikes'): accounts that "
        "imitate the brand's handle, classified yours / suspect / unrelated.",
        rich_help_panel=PLATFORMS,
    ),
]
MaxVariantsOption = Annotated[
    int,
    typer.Option(
        "--max-variants",
        help=f"How many look-alike names to try, most common forms first (1-{MAX_VARIANTS}); "
        "each is checked on every platform whose handle rules allow it.",
        min=1,
        max=MAX_VARIANTS,
        rich_help_panel=PLATFORMS,
    ),
]
FailOnSuspectOption = Annotated[
    bool,
    typer.Option(
        "--fail-on-suspect",
        envvar="BRANDAUDIT_FAIL_ON_SUSPECT",
        help="Exit 1 when any look-alike is classified suspect (for CI).",
        rich_help_panel=POLICY,
    ),
]
