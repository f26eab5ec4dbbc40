"""``brandaudit bluesky``: the Bluesky domain-handle verifier on its own, in full."""

from __future__ import annotations

import asyncio
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from brandaudit import exits
from brandaudit.cli.common import (
    config_location,
    github_outputs,
    guarded,
    in_github_actions,
    load_settings,
    run_async,
    sarif_places,
    terminal_width,
    use_color,
)
from brandaudit.cli.options import (
    OUTPUT,
    AllowPrivateOption,
    Color,
    ColorOption,
    ConcurrencyOption,
    ConfigOption,
    DeadlineOption,
    ListFormat,
    SarifCategoryOption,
    SarifLocationOption,
    TimeoutOption,
    network_flags,
)
from brandaudit.errors import InputError

if TYPE_CHECKING:
    from brandaudit.config import Settings
    from brandaudit.model import BlueskyDomain, Report

BLUESKY_HELP = (
    "Verify that DOMAIN works as a Bluesky handle (like @acme.com), and say exactly what to "
    "fix.\n\n"
    "Runs nine checks (handle_syntax, dns_txt, well_known, methods_agree, did_document, "
    "bidirectional, pds, appview, verification) and gives each domain a status: verified, "
    "misconfigured, not_configured or unknown (a service did not answer; retry later).\n\n"
    "verified means the handle works today, as Bluesky's own resolver decides; what works but "
    "is fragile is a warning. A domain that doesn't exist is not_configured; a DNS resolver "
    "that can't see the domain is unknown (set [network] nameservers).\n\n"
    "With --did it also prints what to add: the DNS record (host as your DNS "
    "panel wants it, type TXT, value did=...) and the website file.\n\n"
    "Output: -f table (default) or -f json: for one domain the BlueskyDomain "
    "object, for several a JSON list of them in the order given; -f markdown, sarif or "
    "junit as for check. Under GitHub Actions also annotations and the job summary.\n\n"
    "\b\nExamples:\n"
    "  brandaudit bluesky acme.com\n"
    "  brandaudit bluesky team.acme.co.uk --did did:plc:abcdefghijklmnopqrstuvwx\n"
    "  brandaudit bluesky acme.com acme.org -f json\n\n"
    "Exit codes: 0 every domain verified; 1 a domain is misconfigured or not "
    "configured; 2 bad input (usage, config, --did); 3 a domain could not be decided "
    "(unknown); 4 internal error; 130 interrupted; 143 terminated."
)


def _check_input(domains: list[str], did: str | None) -> str | None:
    from brandaudit.bluesky.syntax import did_problem

    for raw in domains:
        if not raw.strip():
            raise InputError("a domain argument is empty")
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in raw):
            raise InputError(f"{raw!r} is not a domain: it contains control characters")
        if len(raw) > 1024:
            raise InputError("a domain argument is longer than 1024 characters")
    if did is None:
        return None
    did = did.strip()
    problem = did_problem(did)
    if problem:
        raise InputError(f"--did {did[:80]!r} is not a DID Bluesky accepts: {problem}")
    if len(domains) > 1:
        raise InputError("--did applies to one domain (a DID has one handle); pass one domain")
    return did


async def _verify_all(
    domains: list[str], settings: Settings, did: str | None
) -> list[BlueskyDomain]:
    from brandaudit.bluesky import verify_domain
    from brandaudit.net.session import make_cache, open_clients

    def warn(message: str) -> None:
        sys.stderr.write(f"brandaudit: warning: {message}\n")

    opened = open_clients(
        settings, planned=len(domains), cache=make_cache(settings, warn), news=warn
    )
    async with opened as clients:
        net, dns = clients.net, clients.dns
        return list(
            await asyncio.gather(
                *(verify_domain(d, net, dns, settings, expected_did=did) for d in domains)
            )
        )


class BlueskyFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    SARIF = "sarif"
    JUNIT = "junit"


def as_report(results: list[BlueskyDomain], settings: Settings) -> Report:
    """The verdicts as a check report: one brand per domain, each with a required Bluesky
    claim on its own domain (judged by the domain verifier), for the shared renderers."""
    from datetime import UTC, datetime

    from brandaudit import __version__, policy
    from brandaudit.model import Brand, Report, ToolInfo

    brands = []
    for result in results:
        claims = settings.model_copy(
            update={"claims": {"bluesky": result.domain}, "optional_claims": frozenset()}
        )
        brand = Brand(domain=result.domain, bluesky_domain=result)
        brands.append(policy.assess(brand, claims))
    return Report(
        tool=ToolInfo(version=__version__), generated_at=datetime.now(UTC), brands=tuple(brands)
    )


def render_results(results: list[BlueskyDomain], fmt: ListFormat, color: bool) -> str:
    from brandaudit.render.listings import bluesky_json, bluesky_text

    if fmt is ListFormat.JSON:
        return bluesky_json(results)
    return bluesky_text(results, terminal_width() or 80, color)


_OWN = {BlueskyFormat.TABLE, BlueskyFormat.JSON}
"""Formats with the verifier's own full output; the others go through the check renderers."""
_JSON = {BlueskyFormat.JSON, BlueskyFormat.SARIF}
"""JSON formats (the others are wrapped in ::stop-commands:: under Actions, see sinks)."""


# A Typer command declares each of its options as a parameter (PLR0913 is about helpers).
def bluesky_cmd(  # noqa: PLR0913
    domains: Annotated[
        list[str],
        typer.Argument(help="Domain(s) to verify as Bluesky handles, e.g. acme.com."),
    ],
    did: Annotated[
        str | None,
        typer.Option(
            "--did",
            help="Your account's DID (did:plc:... or did:web:...): print exactly what to add.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        BlueskyFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json, markdown, sarif or junit.",
            case_sensitive=False,
            rich_help_panel=OUTPUT,
        ),
    ] = BlueskyFormat.TABLE,
    config: ConfigOption = None,
    timeout: TimeoutOption = None,
    deadline: DeadlineOption = None,
    concurrency: ConcurrencyOption = None,
    allow_private_network: AllowPrivateOption = False,
    color: ColorOption = Color.AUTO,
    sarif_category: SarifCategoryOption = None,
    sarif_location: SarifLocationOption = None,
) -> None:
    def body() -> int:
        from brandaudit.render import RenderOptions
        from brandaudit.sinks import write_stdout

        checked_did = _check_input(domains, did)
        network = network_flags(
            timeout=timeout,
            deadline=deadline,
            concurrency=concurrency,
            allow_private_network=allow_private_network,
        )
        settings = load_settings(config, **network)
        results = run_async(_verify_all(domains, settings, checked_did))
        code = exits.for_bluesky(r.status for r in results)
        colored = fmt is BlueskyFormat.TABLE and use_color(color, sys.stdout)
        in_actions = in_github_actions()
        report = as_report(results, settings) if in_actions or fmt not in _OWN else None
        config_path, config_lines = config_location(settings)
        options = RenderOptions(
            width=100,
            exit_code=code,
            config_path=config_path,
            config_lines=config_lines,
            sarif_category=sarif_category,
            sarif_location=sarif_places(None, sarif_location)[2],
        )
        if fmt in _OWN:
            text = render_results(results, ListFormat(fmt.value), colored)
        else:
            from dataclasses import replace

            from brandaudit.render import Format, render

            assert report is not None
            text = render(report, Format(fmt.value), replace(options, width=terminal_width()))
        write_stdout(text, json=fmt in _JSON)
        if report is not None and in_actions:
            github_outputs(report, options)
        return code

    raise typer.Exit(guarded(body))
