"""The terminal view of one ``BlueskyDomain``: a status line, the nine checks with what was
seen and what to do, and the setup instructions. Pure (no network, no clock).

Every status is a word (colour only adds to it), so it reads the same with ``NO_COLOR``;
it fits in 80 columns (long values fold).
"""

from __future__ import annotations

import re

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from brandaudit.bluesky.checks import spec_for
from brandaudit.bluesky.common import DOMAIN_MISSING, domain_missing
from brandaudit.bluesky.setup import dns_host
from brandaudit.model import BlueskyDomain, BlueskySetup, BlueskyStatus, Cause, CheckStatus

CHECK_STYLE: dict[CheckStatus, str] = {
    CheckStatus.PASS: "green",
    CheckStatus.WARN: "yellow",
    CheckStatus.FAIL: "bold red",
    CheckStatus.INFO: "cyan",
    CheckStatus.SKIP: "dim",
}

STATUS_WORDS: dict[BlueskyStatus, tuple[str, str]] = {
    BlueskyStatus.VERIFIED: ("VERIFIED", "bold green"),
    BlueskyStatus.MISCONFIGURED: ("MISCONFIGURED", "bold red"),
    BlueskyStatus.NOT_CONFIGURED: ("NOT CONFIGURED", "bold yellow"),
    BlueskyStatus.UNKNOWN: ("UNKNOWN", "bold yellow"),
}

STATUS_SUMMARY: dict[BlueskyStatus, str] = {
    BlueskyStatus.VERIFIED: "works as a Bluesky handle",
    BlueskyStatus.MISCONFIGURED: "is set up, but something is wrong (see FAIL below)",
    BlueskyStatus.NOT_CONFIGURED: "is not set up as a Bluesky handle yet",
    BlueskyStatus.UNKNOWN: "could not be decided (a service did not answer; retry later)",
}

_CODE = re.compile(r"`([^`]+)`")


def printable(text: str) -> str:
    """Control characters (a server's answer can carry terminal escapes) shown escaped."""
    return "".join(
        ch if ch.isprintable() or ch == "\n" else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def rich_message(text: str, style: str = "bold") -> Text:
    """A message with ``code`` spans shown in ``style`` instead of backticks; control
    characters escaped."""
    text = printable(text)
    out = Text()
    last = 0
    for match in _CODE.finditer(text):
        out.append(text[last : match.start()])
        out.append(match.group(1), style=style)
        last = match.end()
    out.append(text[last:])
    return out


def checks_table(domain: BlueskyDomain) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_edge=False)
    table.add_column("Check", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    table.add_column("What we saw / what to do", overflow="fold", ratio=1)
    for check in domain.checks:
        details = rich_message(check.message)
        if check.fix and check.status is not CheckStatus.PASS:
            details.append("\nFix: ", style="bold")
            details.append_text(rich_message(check.fix))
        table.add_row(
            spec_for(check.id).label,
            Text(check.status.value.upper(), style=CHECK_STYLE[check.status]),
            details,
        )
    return table


def setup_text(domain: str, setup: BlueskySetup | None) -> RenderableType:
    """What to add: exact values with a DID, else the shape of both options."""
    did = setup.did if setup else "<your DID>"
    title = Text("How to set it up", style="bold")
    title.append(f" for {did} (use ONE method):" if setup else " (use ONE method):")
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label: str | Text, value: str) -> None:
        # Plain Text cells: nothing here is read as rich markup.
        grid.add_row(label if isinstance(label, Text) else Text(label), Text(value))

    if setup is None or setup.dns is not None:
        zone, host = dns_host(domain)
        row(Text("1. DNS record", style="bold"), f"at your DNS provider, zone {zone}")
        row("   Host", f"{host}   (or _atproto.{domain}. where the panel wants the full name)")
        row("   Type", "TXT")
        row("   Value", f"did={did}   (no quotes, no spaces)")
    url = f"https://{domain}/.well-known/atproto-did"
    row(Text("2. Website file", style="bold"), url)
    row("   Content", f"{did}   (nothing else)")
    row("   Serve as", "status 200, Content-Type text/plain, no redirects")
    row("Both?", "they must name the same DID (Bluesky reads DNS first)")
    if setup is None:
        row("Your DID", "in Bluesky: Settings → Account → Handle → I have my own domain")
        row("Exact values", f"brandaudit bluesky {domain} --did <your DID>")
    row(
        "Then",
        f"in Bluesky: Settings → Account → Handle → I have my own domain → {domain} → "
        "Verify → Update",
    )
    return Group(title, grid)


def bluesky_panel(domain: BlueskyDomain) -> RenderableType:
    """The whole view of one domain's verdict."""
    word, style = STATUS_WORDS[domain.status]
    head = Text()
    head.append("Bluesky domain handle ", style="bold")
    head.append(domain.domain, style="bold")
    head.append(": ")
    head.append(word, style=style)
    summary = STATUS_SUMMARY[domain.status]
    if any(c.id == "handle_syntax" and c.status is CheckStatus.FAIL for c in domain.checks):
        summary = "can't be a Bluesky handle (see FAIL below)"
    elif domain_missing(domain):
        summary = f"{DOMAIN_MISSING}: a typo, or the registration expired?"
    elif domain.status is BlueskyStatus.UNKNOWN and any(
        c.id == "dns_txt" and c.cause is Cause.DNS_BROKEN for c in domain.checks
    ):
        summary = (
            "could not be decided: brandaudit's DNS resolver is the problem, not the domain "
            "(see [network] nameservers)"
        )
    parts: list[RenderableType] = [head, Text(f"{domain.domain} {summary}")]
    if domain.did:
        line = Text("DID: ")
        line.append(domain.did, style="bold")
        if domain.handle:
            line.append(f" (its document claims @{domain.handle})")
        parts.append(line)
    parts.append(checks_table(domain))
    if domain.setup is not None or domain.status is BlueskyStatus.NOT_CONFIGURED:
        parts.append(Text())
        parts.append(setup_text(domain.domain, domain.setup))
    return Group(*parts)
