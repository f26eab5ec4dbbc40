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
    BodyKind,
    BodyReading,
    read_well_known_body,
)
from brandaudit.model import BlueskyCheck, CheckStatus, Evidence
from brandaudit.net.client import ErrorKind, Response
from brandaudit.net.dns import DnsOutcome

# --- signals -----------------------------------------------------------------------------
WELL_KNOWN_PATH = "/.well-known/atproto-did"
WELL_KNOWN_CAP = 4096
"""Bytes read; a first line that doesn't end within them is never a DID."""
INDIGO_CAP = 2048
"""indigo (Bluesky's Go services) refuses a bigger file (ResolveHandleWellKnown)."""
WELL_KNOWN_MAX_REDIRECTS = 10
"""As indigo (Go's http.Client stops at 10); fetch() in @atproto/identity follows 20. Any
redirect is a warning."""
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
    """Judge the website file the way Bluesky reads it: the body first. When its first line
    is a DID (``HandleResolver.resolveHttp`` in @atproto/identity ignores the status and the
    Content-Type), the method resolves and everything else is a warning; otherwise the
    answer says why not (a failed request, a web page, 404, another status, a bad body)."""
    ev = [response.evidence()]
    if response.error:
        return WellKnownJudgement(_judge_failed_request(domain, response, dns_obs, ev))
    if response.truncated and b"\n" not in response.body[:WELL_KNOWN_CAP]:
        return WellKnownJudgement(_oversized(domain, response, expected_did, ev))
    reading = read_well_known_body(response.body[:WELL_KNOWN_CAP])
    if reading.resolves:
        return WellKnownJudgement(_judge_served_file(domain, response, reading, ev), reading)
    not_the_file = _judge_not_the_file(domain, response, ev)
    if not_the_file is not None:
        return WellKnownJudgement(not_the_file)
    return WellKnownJudgement(
        _judge_unusable_body(domain, response, reading, expected_did, ev), reading
    )


def _file_url(domain: str) -> str:
    return f"https://{domain}{WELL_KNOWN_PATH}"


def _route(response: Response) -> str:
    """The redirects followed, for a message: `` (redirected: a -> b)`` or ""."""
    return " (redirected: " + " -> ".join(response.hops) + ")" if response.hops else ""


def _file_fix(did: str | None) -> str:
    return f"The file must contain only `{did or '<your DID>'}`." + (
        "" if did else " " + where_did()
    )


def _judge_failed_request(
    domain: str, response: Response, dns_obs: DnsObservation | None, ev: list[Evidence]
) -> BlueskyCheck:
    """No HTTP answer: brandaudit's guard refused, redirects went wrong, brandaudit's own
    network is down, the domain has no address, or HTTPS on the domain is broken."""
    url, route, error, kind = (
        _file_url(domain),
        _route(response),
        response.error or "",
        response.error_kind,
    )
    if kind == ErrorKind.GUARD:
        return could_not("well_known", error, ev)
    if kind == ErrorKind.REDIRECTS:
        return make_check(
            "well_known",
            CheckStatus.FAIL,
            f"`{url}` redirects more than {WELL_KNOWN_MAX_REDIRECTS} times{route}",
            f"Serve `{WELL_KNOWN_PATH}` directly on `{domain}`, without redirects.",
            ev,
        )
    if kind in {ErrorKind.REDIRECT_LOOP, ErrorKind.REDIRECT_REFUSED}:
        return make_check(
            "well_known",
            CheckStatus.FAIL,
            f"`{url}`: {error}{route}",
            f"Serve `{WELL_KNOWN_PATH}` directly on `{domain}`, without redirects.",
            ev,
        )
    if kind in {ErrorKind.CONNECT, ErrorKind.TIMEOUT} and _resolver_down(response, dns_obs):
        return could_not(
            "well_known",
            f"`{url}` failed ({error}) while brandaudit's own DNS lookups fail too; check your "
            "network",
            ev,
        )
    if kind == ErrorKind.CONNECT and _no_address(dns_obs):
        return make_check(
            "well_known",
            CheckStatus.INFO,
            f"`{domain}` has no address (no A or AAAA record), so there is no website "
            "file; method not used",
            evidence=ev,
        )
    if kind in _NO_ANSWER and _no_record(dns_obs):
        # Neither method answers: nothing shows the handle is set up, or set up wrong.
        return could_not(
            "well_known",
            f"the website (`{url}`) {_NO_ANSWER[kind]}, and there is no `_atproto` record",
            ev,
        )
    return make_check(
        "well_known",
        CheckStatus.FAIL,
        f"`{url}` failed: {error}{route}",
        f"HTTPS on `{domain}` failed ({error}); fix it or use the DNS record.",
        ev,
    )


_NO_ANSWER = {
    ErrorKind.TIMEOUT: "did not answer in time",
    ErrorKind.HOST_DOWN: "did not answer",
    ErrorKind.CONNECT: "could not be reached",
}
"""Failures where the website said nothing (in our words, not the HTTP library's)."""


def _no_record(obs: DnsObservation | None) -> bool:
    """The domain has no ``_atproto`` TXT record at all (NXDOMAIN or no TXT)."""
    return obs is not None and obs.main.outcome in {DnsOutcome.NXDOMAIN, DnsOutcome.NODATA}


def _oversized(
    domain: str, response: Response, expected_did: str | None, ev: list[Evidence]
) -> BlueskyCheck:
    """A body over the cap whose first line doesn't even end within it: no DID."""
    return make_check(
        "well_known",
        CheckStatus.FAIL,
        f"`{_file_url(domain)}` is larger than {WELL_KNOWN_CAP} bytes{_route(response)}; "
        "a DID is one short line",
        _file_fix(expected_did),
        ev,
    )


def _judge_not_the_file(domain: str, response: Response, ev: list[Evidence]) -> BlueskyCheck | None:
    """An HTTP answer whose first line is no DID and which isn't the file at all: a web page
    (a bot wall, an app fallback), 404, 429 or another non-2xx status. None when it is a 2xx
    answer (the body is then judged as the file)."""
    url, route, status = _file_url(domain), _route(response), response.status or 0
    challenge = _is_challenge(response)
    if challenge and status != 404:
        return make_check(
            "well_known",
            CheckStatus.FAIL,
            f"`{url}` answered HTTP {status} with a web page, not the file: {challenge}{route}",
            HTML_FIX,
            ev,
        )
    if status == 404:
        return make_check(
            "well_known",
            CheckStatus.INFO,
            f"no file at `{url}` (HTTP 404{route}); method not used",
            evidence=ev,
        )
    if status == 429:
        return could_not("well_known", f"`{domain}` rate-limited brandaudit (HTTP 429)", ev)
    if not 200 <= status < 300:
        return make_check(
            "well_known",
            CheckStatus.FAIL,
            f"`{url}` answered HTTP {status}{route}",
            f"Make `{url}` answer 200 with your DID, or delete it and use the DNS record.",
            ev,
        )
    return None


def _judge_unusable_body(
    domain: str,
    response: Response,
    reading: BodyReading,
    expected_did: str | None,
    ev: list[Evidence],
) -> BlueskyCheck:
    """A 2xx answer whose first line isn't a DID a resolver would take."""
    shown = response.body[:120].decode("utf-8", "replace")
    fix = _file_fix(expected_did or reading.did)
    if reading.kind is BodyKind.BLANK_FIRST_LINE:
        fix = "Bluesky reads only the first line: remove the blank line before the DID. " + fix
    return make_check(
        "well_known",
        CheckStatus.FAIL,
        f"`{_file_url(domain)}` contains {shown!r}: {reading.detail}{_route(response)}",
        fix,
        ev,
    )


def _judge_served_file(
    domain: str, response: Response, reading: BodyReading, ev: list[Evidence]
) -> BlueskyCheck:
    """The file names a DID: a pass, or a warning listing what makes it fragile."""
    found = _fragile_points(domain, response, reading)
    message = f"`{_file_url(domain)}` contains `{reading.did}`"
    if found:
        return make_check(
            "well_known",
            CheckStatus.WARN,
            message + "; but " + "; ".join(note for note, _fix in found),
            " ".join(fix for _note, fix in found),
            ev,
        )
    return make_check("well_known", CheckStatus.PASS, message, evidence=ev)


def _fragile_points(domain: str, response: Response, reading: BodyReading) -> list[tuple[str, str]]:
    """(note, fix) for each way a working file could stop working or be misread. Bluesky's
    app resolves all of these (@atproto/identity reads the first line of any answer);
    indigo (Bluesky's Go services: 200 only, at most 2048 bytes, the whole trimmed body must
    be a DID) and the Python SDK (2xx only, no redirects) refuse some of them."""
    found = _transport_points(domain, response)
    found.extend(_body_points(response, reading))
    if "access-control-allow-origin" not in response.headers:
        found.append(
            (
                "no `Access-Control-Allow-Origin` header (browser apps can't read it)",
                "Send `Access-Control-Allow-Origin: *` with the file.",
            )
        )
    return found


def _transport_points(domain: str, response: Response) -> list[tuple[str, str]]:
    """Redirects, a status other than 200, a Content-Type other than text/plain."""
    found: list[tuple[str, str]] = []
    if response.hops:
        cross = {host_of(h) for h in response.hops} - {domain}
        where = f" to another host ({', '.join(sorted(cross))})" if cross else ""
        found.append(
            (
                f"it redirects{where}: " + " -> ".join(response.hops),
                "Serve it directly; some resolvers (the Python SDK) don't follow redirects.",
            )
        )
    if response.status != 200:
        found.append(
            (
                f"it answers HTTP {response.status}, not 200 (Bluesky's app still reads the "
                "DID; indigo and the Python SDK refuse it)",
                "Answer with status 200.",
            )
        )
    if response.content_type != "text/plain":
        shown_type = response.content_type or "none"
        found.append(
            (f"its Content-Type is `{shown_type}`, not `text/plain`", "Serve it as `text/plain`.")
        )
    return found


def _body_points(response: Response, reading: BodyReading) -> list[tuple[str, str]]:
    """What in the body around the DID stricter resolvers refuse, or whitespace."""
    found: list[tuple[str, str]] = []
    if reading.kind is BodyKind.PADDED:
        found.append(
            (
                "it has whitespace or a newline around the DID",
                "Remove the whitespace (Bluesky trims it; some older tools didn't).",
            )
        )
    if reading.kind is BodyKind.BOM:
        found.append(
            (
                "it starts with a byte-order mark (BOM), which indigo and the Python SDK "
                "don't skip",
                "Save the file as UTF-8 without a BOM.",
            )
        )
    if reading.kind is BodyKind.LINES:
        found.append(
            (
                f"{reading.detail} (indigo refuses a file with more than the DID)",
                "Keep only the DID in the file.",
            )
        )
    if len(response.body) > INDIGO_CAP:
        found.append(
            (
                f"it is larger than {INDIGO_CAP} bytes, which indigo refuses",
                "Keep only the DID in the file.",
            )
        )
    return found


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
