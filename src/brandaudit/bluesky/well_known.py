"""``well_known``: ``https://<domain>/.well-known/atproto-did`` (docs/bluesky.md, "The nine
checks")."""

from __future__ import annotations

from dataclasses import dataclass

from brandaudit.bluesky.common import (
    could_not,
    host_of,
    make_check,
    where_did,
)
from brandaudit.bluesky.dns_check import DnsJudgement, DnsObservation, FileState
from brandaudit.bluesky.syntax import (
    BodyReading,
    read_well_known_body,
)
from brandaudit.model import BlueskyCheck, CheckStatus
from brandaudit.net.client import ErrorKind, Response
from brandaudit.net.dns import DnsOutcome

# --- signals -----------------------------------------------------------------------------
WELL_KNOWN_PATH = "/.well-known/atproto-did"
WELL_KNOWN_CAP = 4096
"""Bytes; indigo reads at most 2048. A bigger body is never a DID."""
WELL_KNOWN_MAX_REDIRECTS = 5
CHALLENGE_HEADERS = ("cf-mitigated",)
CHALLENGE_MARKERS = ("<html", "<!doctype html", "just a moment", "<head", "<body")
# -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WellKnownJudgement:
    check: BlueskyCheck
    reading: BodyReading | None = None


def _no_address(obs: DnsObservation | None) -> bool:
    if obs is None or not obs.addresses:
        return False
    return all(
        a.outcome in {DnsOutcome.NXDOMAIN, DnsOutcome.NODATA} and not a.cname_chain
        for a in obs.addresses
    )


_LOCAL_RESOLUTION_FAILURES = ("temporary failure in name resolution", "try again")


def _resolver_down(response: Response, obs: DnsObservation | None) -> bool:
    """The failure is on brandaudit's side: its resolver answers nothing at all (the zone's
    NS query timed out or errored), or the system resolver said "try again"."""
    if any(marker in (response.error or "").lower() for marker in _LOCAL_RESOLUTION_FAILURES):
        return True
    return obs is not None and (
        obs.control.outcome in {DnsOutcome.TIMEOUT, DnsOutcome.ERROR} or obs.resolver_broken
    )


def _is_challenge(response: Response) -> str | None:
    for header in CHALLENGE_HEADERS:
        if header in response.headers:
            return f"a `{header}: {response.headers[header]}` header (bot protection)"
    if response.content_type in {"text/html", "application/xhtml+xml"}:
        return f"Content-Type `{response.content_type}`"
    head = response.body[:WELL_KNOWN_CAP].decode("utf-8", "replace").lower()
    for marker in CHALLENGE_MARKERS:
        if marker in head:
            return f"`{marker}` in the body"
    return None


HTML_FIX = (
    "Your site answers with a web page (bot protection, a redirect or an app fallback). "
    f"Serve a plain-text file and exempt `{WELL_KNOWN_PATH}` from bot checks and redirects."
)


def judge_well_known(
    domain: str,
    response: Response,
    dns_obs: DnsObservation | None = None,
    expected_did: str | None = None,
) -> WellKnownJudgement:
    url = f"https://{domain}{WELL_KNOWN_PATH}"
    ev = [response.evidence()]
    hops = response.hops
    route = ""
    if hops:
        route = " (redirected: " + " -> ".join(hops) + ")"
    file_fix = f"The file must contain only `{expected_did or '<your DID>'}`." + (
        "" if expected_did else " " + where_did()
    )
    if response.error:
        kind = response.error_kind
        if kind == ErrorKind.GUARD:
            return WellKnownJudgement(could_not("well_known", response.error, ev))
        if kind == ErrorKind.REDIRECTS:
            return WellKnownJudgement(
                make_check(
                    "well_known",
                    CheckStatus.FAIL,
                    f"`{url}` redirects more than {WELL_KNOWN_MAX_REDIRECTS} times{route}",
                    f"Serve `{WELL_KNOWN_PATH}` directly on `{domain}`, without redirects.",
                    ev,
                )
            )
        if kind in {ErrorKind.REDIRECT_LOOP, ErrorKind.REDIRECT_REFUSED}:
            return WellKnownJudgement(
                make_check(
                    "well_known",
                    CheckStatus.FAIL,
                    f"`{url}`: {response.error}{route}",
                    f"Serve `{WELL_KNOWN_PATH}` directly on `{domain}`, without redirects.",
                    ev,
                )
            )
        if kind in {ErrorKind.CONNECT, ErrorKind.TIMEOUT} and _resolver_down(response, dns_obs):
            return WellKnownJudgement(
                could_not(
                    "well_known",
                    f"`{url}` failed ({response.error}) while brandaudit's own DNS lookups "
                    "fail too; check your network",
                    ev,
                )
            )
        if kind == ErrorKind.CONNECT and _no_address(dns_obs):
            return WellKnownJudgement(
                make_check(
                    "well_known",
                    CheckStatus.INFO,
                    f"`{domain}` has no address (no A or AAAA record), so there is no website "
                    "file; method not used",
                    evidence=ev,
                )
            )
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` failed: {response.error}{route}",
                f"HTTPS on `{domain}` failed ({response.error}); fix it or use the DNS record.",
                ev,
            )
        )
    status = response.status or 0
    challenge = _is_challenge(response)
    if challenge and status != 404:
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` answered HTTP {status} with a web page, not the file: {challenge}{route}",
                HTML_FIX,
                ev,
            )
        )
    if status == 404:
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.INFO,
                f"no file at `{url}` (HTTP 404{route}); method not used",
                evidence=ev,
            )
        )
    if status == 429:
        return WellKnownJudgement(
            could_not("well_known", f"`{domain}` rate-limited brandaudit (HTTP 429)", ev)
        )
    if not 200 <= status < 300:
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` answered HTTP {status}{route}",
                f"Make `{url}` answer 200 with your DID, or delete it and use the DNS record.",
                ev,
            )
        )
    if response.truncated:
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` is larger than {WELL_KNOWN_CAP} bytes{route}; a DID is one short line",
                file_fix,
                ev,
            )
        )
    reading = read_well_known_body(response.body)
    if not reading.resolves:
        shown = response.body[:120].decode("utf-8", "replace")
        target = expected_did or reading.did
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.FAIL,
                f"`{url}` contains {shown!r}: {reading.detail}{route}",
                f"The file must contain only `{target or '<your DID>'}`."
                + ("" if target else " " + where_did()),
                ev,
            ),
            reading,
        )
    notes: list[str] = []
    fixes: list[str] = []
    if hops:
        cross = {host_of(h) for h in hops} - {domain}
        where = f" to another host ({', '.join(sorted(cross))})" if cross else ""
        notes.append(f"it redirects{where}: " + " -> ".join(hops))
        fixes.append("Serve it directly; some resolvers don't follow redirects.")
    if status != 200:
        notes.append(f"it answers HTTP {status}, not 200")
        fixes.append("Answer with status 200.")
    if response.content_type != "text/plain":
        shown_type = response.content_type or "none"
        notes.append(f"its Content-Type is `{shown_type}`, not `text/plain`")
        fixes.append("Serve it as `text/plain`.")
    if reading.kind.value == "padded":
        notes.append("it has whitespace or a newline around the DID")
        fixes.append("Remove the whitespace; strict resolvers don't trim it.")
    if "access-control-allow-origin" not in response.headers:
        notes.append("no `Access-Control-Allow-Origin` header (browser apps can't read it)")
        fixes.append("Send `Access-Control-Allow-Origin: *` with the file.")
    message = f"`{url}` contains `{reading.did}`"
    if notes:
        return WellKnownJudgement(
            make_check(
                "well_known",
                CheckStatus.WARN,
                message + "; but " + "; ".join(notes),
                " ".join(fixes),
                ev,
            ),
            reading,
        )
    return WellKnownJudgement(
        make_check("well_known", CheckStatus.PASS, message, evidence=ev), reading
    )


def file_state(response: Response, judgement: WellKnownJudgement) -> FileState:
    """What the HTTPS method gave, for the DNS judgement (NXDOMAIN is read against it)."""
    if judgement.reading is not None and judgement.reading.resolves:
        return FileState.RESOLVES
    if response.status is not None:
        return FileState.ANSWERED
    return FileState.SILENT


def behind_working_dns(judgement: WellKnownJudgement) -> WellKnownJudgement:
    """A broken file while the DNS record resolves is a warning, not a failure: resolvers
    read DNS first and never need the file (an app fallback page or a bot wall at that path
    is common on sites whose handle works). The finding and its fix are kept."""
    check = judgement.check
    if check.status is not CheckStatus.FAIL:
        return judgement
    return WellKnownJudgement(
        check.model_copy(
            update={
                "status": CheckStatus.WARN,
                "message": check.message + " (not used: your DNS record already works)",
                "fix": "Only needed if you rely on the file: " + (check.fix or ""),
            }
        ),
        judgement.reading,
    )


def behind_working_file(judgement: DnsJudgement) -> DnsJudgement:
    """A broken DNS record that Bluesky's resolver ignores (no ``did=`` value, several of
    them, a record at a wrong name, SERVFAIL or a timeout) while the website file resolves:
    the handle works through the file (``HandleResolver.resolve`` in @atproto/identity falls
    back to HTTPS when DNS gives nothing), so the finding is a warning with its fix."""
    check = judgement.check
    if check.status is not CheckStatus.FAIL:
        return judgement
    return DnsJudgement(
        check.model_copy(
            update={
                "status": CheckStatus.WARN,
                "message": check.message
                + " (Bluesky's resolver falls back to your website file, so the handle works)",
                "fix": "Fix it, or delete it and rely on the file: " + (check.fix or ""),
            }
        ),
        judgement.reading,
        judgement.misplaced,
    )
