"""The nine Bluesky domain-handle checks as data: one ``CheckSpec`` per check, in the order
the verifier runs them (docs/bluesky.md, "The nine checks").

Everything that names a check outside its judge derives from here: the terminal panel's
labels (``bluesky/render.py``), the Markdown and HTML reports, SARIF rules
(``render/sarif.py``), JUnit test cases (``render/junit.py``), the next steps
(``policy.steps``) and README's checks table (a test keeps it in step). The judges
write the per-finding message and fix; a spec holds what is true of the check as a whole.

The wording follows the contract in docs/bluesky.md: a ``fail`` means the handle doesn't
work for people; what works but is fragile (a file that disagrees with DNS, DNS trouble while
the file works) only warns, and DNS wins over the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# GitHub maps security-severity to critical (>= 9), high (>= 7), medium (>= 4), low.
SEVERITY = "5.0"
"""A handle that doesn't work lets the brand's Bluesky identity fall back to a bsky.social name
anyone could imitate."""
INFO_SEVERITY = "2.0"
"""Information-only checks (``verification``): nothing here stops the handle working."""

_CODE = re.compile(r"`([^`]*)`")


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """What every output says about one check."""

    id: str
    label: str
    """Short name in tables: the terminal panel, Markdown, HTML, README."""
    title: str
    """SARIF ``shortDescription``: what a passing check means, as one sentence."""
    help: str
    """SARIF ``help.markdown``: the general remediation (``code`` in backticks)."""
    step: str
    """The noun phrase a next step names: "Fix the Bluesky handle <d>: <step>"."""
    informational: bool = False
    """Never fails (SARIF level ``note``, low severity)."""

    @property
    def rule_id(self) -> str:
        return f"bluesky/{self.id}"

    @property
    def rule_name(self) -> str:
        """SARIF ``name``: ``BlueskyDnsTxt``."""
        return "Bluesky" + "".join(part.capitalize() for part in self.id.split("_"))

    @property
    def severity(self) -> str:
        """SARIF ``properties.security-severity`` (a number 0.0-10.0, as a string)."""
        return INFO_SEVERITY if self.informational else SEVERITY

    @property
    def help_text(self) -> str:
        """SARIF ``help.text``: ``help`` without Markdown."""
        return _CODE.sub(r"\1", self.help)

    @property
    def full_description(self) -> str:
        return f"Bluesky domain handle check {self.id} ({self.label}): {self.title}."

    def junit_name(self, domain: str) -> str:
        """The JUnit test case name: stable across wording changes (CI history keys on it)."""
        return f"{domain} {self.id}"

    def step_title(self, domain: str, *, failing: bool) -> str:
        """The next step's title for a failing (``Fix``) or warning (``Improve``) check."""
        verb = "Fix" if failing else "Improve"
        return f"{verb} the Bluesky handle {domain}: {self.step}"


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec(
        id="handle_syntax",
        label="Handle syntax",
        title="The domain can be a Bluesky handle",
        help="Use a domain you own on the public internet, such as `acme.com` or "
        "`team.acme.com`. A `.test` domain or a name longer than 244 characters only warns "
        "(too long for a DNS record: only the website file can work).",
        step="the domain name",
    ),
    CheckSpec(
        id="dns_txt",
        label="DNS record",
        title="The _atproto TXT record names exactly one DID",
        help="Add a TXT record at `_atproto.<domain>` whose value is exactly `did=<your DID>` "
        "(no quotes, no spaces), and delete any other `_atproto` records and records at wrong "
        "names. When the website file resolves the handle, DNS findings only warn: Bluesky's "
        "resolver falls back to the file when DNS gives no answer.",
        step="the _atproto DNS record",
    ),
    CheckSpec(
        id="well_known",
        label="Website file",
        title="/.well-known/atproto-did serves the DID",
        help="Serve `https://<domain>/.well-known/atproto-did` directly (status 200, no "
        "redirects, no bot challenge) as `text/plain`, containing only your DID. While the DNS "
        "record works, a broken file only warns: Bluesky reads DNS first.",
        step="the /.well-known/atproto-did file",
    ),
    CheckSpec(
        id="methods_agree",
        label="Methods agree",
        title="DNS and the website file name the same DID",
        help="Bluesky uses DNS: its resolver never reads the website file once DNS answers, so "
        "the handle works through DNS. Delete `/.well-known/atproto-did` (or make it name the "
        "same DID as the DNS record) before it misleads someone.",
        step="the website file disagrees with DNS",
    ),
    CheckSpec(
        id="did_document",
        label="DID document",
        title="The DID document can be fetched and is well formed",
        help="Copy your DID again from Bluesky: Settings → Account → Handle → I have my own "
        "domain, and put it in the DNS record (or the website file).",
        step="the DID document",
    ),
    CheckSpec(
        id="bidirectional",
        label="Claims handle",
        title="The DID document claims the domain back",
        help="In Bluesky: Settings → Account → Handle → I have my own domain → enter the "
        "domain → Verify → Update. If the DID isn't your account's, replace it with yours.",
        step="the account's handle",
    ),
    CheckSpec(
        id="pds",
        label="Hosting (PDS)",
        title="The account's host (PDS) and signing key are listed and the account is active",
        help="An incomplete identity record (no PDS or no signing key): contact your hosting "
        "provider. A deactivated account: log in to Bluesky to reactivate it. A suspended "
        "account: appeal through Bluesky support.",
        step="the account's host (PDS)",
    ),
    CheckSpec(
        id="appview",
        label="Bluesky app",
        title="Bluesky shows the domain as the account's handle",
        help="Submit the domain again in Settings → Account → Handle to force a re-check (at "
        "most 10 times in 5 minutes), or wait about an hour. If Bluesky still links the domain "
        "to another account, contact Bluesky support.",
        step="Bluesky's view of the handle",
    ),
    CheckSpec(
        id="verification",
        label="Blue check",
        title="The blue check still matches the handle",
        help="Information only: renaming the handle drops the blue check. If it no longer "
        "matches, ask the verifier to verify the account again.",
        step="the blue check",
        informational=True,
    ),
)

CHECK_IDS: tuple[str, ...] = tuple(spec.id for spec in CHECKS)
BY_ID: dict[str, CheckSpec] = {spec.id: spec for spec in CHECKS}


def spec_for(check_id: str) -> CheckSpec:
    """The spec of ``check_id``; an id no spec knows (a newer report read by an older
    brandaudit) gets a generic one, so no output ever breaks on it."""
    spec = BY_ID.get(check_id)
    if spec is not None:
        return spec
    return CheckSpec(
        id=check_id,
        label=check_id.replace("_", " "),
        title=f"Bluesky domain handle check {check_id}",
        help="See the check's message.",
        step=check_id.replace("_", " "),
    )
