"""``pds``, ``appview`` and ``verification``: the account's hosting server, Bluesky's public
AppView, and the blue check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from brandaudit.bluesky.common import (
    api_error,
    blocked,
    could_not,
    host_of,
    make_check,
)
from brandaudit.bluesky.diddoc import DidDoc
from brandaudit.bluesky.syntax import (
    INVALID_HANDLE,
)
from brandaudit.model import BlueskyCheck, Cause, CheckStatus, Evidence
from brandaudit.net.client import Response

# --- signals -----------------------------------------------------------------------------
APPVIEW_URL = "https://public.api.bsky.app"
API_CAP = 512 * 1024
SUSPENDED_STATUSES = {"takendown", "suspended"}
DEACTIVATED_STATUSES = {"deactivated"}
PROFILE_NOT_FOUND = "Profile not found"
# -----------------------------------------------------------------------------------------


def judge_pds(
    domain: str,
    did: str | None,
    doc: DidDoc | None,
    repo: Response | None,
    resolved: Response | None,
) -> BlueskyCheck:
    """Judge the account's hosting server: a DID document that names no usable server or
    key, a server that doesn't answer, an account it doesn't have or reports inactive, or an
    active account (with the notes that make it fragile)."""
    if did is None or doc is None:
        return make_check("pds", CheckStatus.SKIP, "skipped: no DID document to read")
    problems = [p for p in (doc.pds_problem, doc.key_problem) if p]
    if problems or doc.pds is None:
        return make_check(
            "pds",
            CheckStatus.FAIL,
            "the identity record is incomplete: " + "; ".join(problems),
            "The account's identity record is incomplete; contact your hosting provider.",
        )
    if repo is None:
        return could_not("pds", "no time was left to ask the hosting server", cause=Cause.DEADLINE)
    ev = [repo.evidence()] + ([resolved.evidence()] if resolved is not None else [])
    host = host_of(doc.pds) or doc.pds
    if blocked(repo):
        return could_not("pds", f"the hosting server {host}: {repo.describe()}", ev)
    not_active = _judge_repo_status(host, did, repo, ev)
    if not_active is not None:
        return not_active
    return _judge_active_account(domain, did, doc, host, resolved, ev)


def _judge_repo_status(
    host: str, did: str, repo: Response, ev: list[Evidence]
) -> BlueskyCheck | None:
    """getRepoStatus: the server doesn't have the account, answered something else than a
    repo status, or reports the account inactive. None when the account is active."""
    body = repo.json()
    error, message = api_error(repo)
    if repo.status == 400 and error == "RepoNotFound":
        return make_check(
            "pds",
            CheckStatus.FAIL,
            f"the hosting server {host} doesn't have the account `{did}` ({message or error})",
            "The account's identity record names a server that doesn't host it; contact your "
            "hosting provider.",
            ev,
        )
    if repo.status != 200 or not isinstance(body, dict) or "active" not in body:
        return could_not(
            "pds",
            f"the hosting server {host} answered HTTP {repo.status} "
            f"{(error or message)[:80]!r} to getRepoStatus".rstrip(),
            ev,
        )
    if body.get("active") is True:
        return None
    return _inactive(host, str(body.get("status") or "").lower(), ev)


def _inactive(host: str, state: str, ev: list[Evidence]) -> BlueskyCheck:
    """The hosting server reports the account inactive: suspended, deactivated or other."""
    if state in SUSPENDED_STATUSES:
        return make_check(
            "pds",
            CheckStatus.FAIL,
            f"{host} reports the account as {state}",
            "Bluesky suspended this account; appeal through Bluesky support.",
            ev,
        )
    if state in DEACTIVATED_STATUSES:
        return make_check(
            "pds",
            CheckStatus.FAIL,
            f"{host} reports the account as deactivated",
            "Log in to Bluesky to reactivate the account.",
            ev,
        )
    return make_check(
        "pds",
        CheckStatus.FAIL,
        f"{host} reports the account as inactive ({state or 'no status given'})",
        "Log in to Bluesky; if the account stays inactive, contact your hosting provider.",
        ev,
    )


def _judge_active_account(
    domain: str,
    did: str,
    doc: DidDoc,
    host: str,
    resolved: Response | None,
    ev: list[Evidence],
) -> BlueskyCheck:
    """The account is active: a pass, or a warning when the server's resolveHandle names
    another DID (a stale cache) or its endpoint is plain http or carries a path."""
    message_ok = f"{host} hosts `{did}` (active); the signing key is present"
    if doc.key_note:
        # Legacy key types are valid (atproto.com/specs/did; @atproto/identity atproto-data.ts):
        # information, not a warning.
        message_ok += f" ({doc.key_note}; Bluesky accepts it)"
    if resolved is not None and resolved.status == 200:
        data = resolved.json()
        other = data.get("did") if isinstance(data, dict) else None
        if isinstance(other, str) and other != did:
            return make_check(
                "pds",
                CheckStatus.WARN,
                f"{message_ok}; but its resolveHandle maps `{domain}` to `{other}`",
                "The hosting server's cache is stale; it usually clears by itself within a day.",
                ev,
            )
    if doc.pds_note:
        return make_check(
            "pds",
            CheckStatus.WARN,
            f"{message_ok}; but {doc.pds_note}",
            "Fine for a development server; a public account's hosting server should use https."
            if "more than scheme" not in doc.pds_note
            else "Ask your hosting provider to list the server as a plain `https://<host>` URL.",
            ev,
        )
    return make_check("pds", CheckStatus.PASS, message_ok, evidence=ev)


# ---------------------------------------------------------------------------------------
# appview + verification


@dataclass(frozen=True, slots=True)
class AppviewJudgement:
    check: BlueskyCheck
    profile: dict[str, Any] | None = None
    blocked: bool = False


RESUBMIT = (
    "Bluesky hasn't re-checked yet. Submit `{d}` again in Settings → Account → Handle to force "
    "it (max 10 per 5 min, 50 a day), or wait about an hour."
)


def judge_appview(
    domain: str,
    did: str | None,
    profile_resp: Response | None,
    resolve_resp: Response | None,
    earlier_ok: bool,
) -> AppviewJudgement:
    """Judge Bluesky's public AppView: the account taken down or deactivated, the domain
    linked to another account, answers that say nothing about the handle, no profile, or
    the handle the profile shows."""
    if did is None:
        return AppviewJudgement(
            make_check("appview", CheckStatus.SKIP, "skipped: no DID to look up")
        )
    if profile_resp is None or resolve_resp is None:
        return AppviewJudgement(
            could_not(
                "appview", "no time was left to ask public.api.bsky.app", cause=Cause.DEADLINE
            ),
            blocked=True,
        )
    asked = _Asked(
        domain,
        did,
        profile_resp,
        resolve_resp,
        earlier_ok,
        [profile_resp.evidence(), resolve_resp.evidence()],
    )
    closed = _judge_closed_account(asked)
    if closed is not None:
        return AppviewJudgement(closed)
    resolved = _resolved_did(resolve_resp)
    if resolved is not None and resolved != did:
        return AppviewJudgement(
            make_check(
                "appview",
                CheckStatus.FAIL,
                f"public.api.bsky.app resolves `{domain}` to `{resolved}`, not `{did}`",
                f"Bluesky still links `{domain}` to another account. Re-submit the handle; if "
                "it persists, contact Bluesky support.",
                asked.evidence,
            )
        )
    unusable = _judge_unusable_answers(asked, resolved)
    if unusable is not None:
        return unusable
    body = profile_resp.json()
    if profile_resp.status != 200 or not isinstance(body, dict):
        return _judge_no_profile(asked)
    return AppviewJudgement(_judge_shown_handle(asked, body, resolved), body)


@dataclass(frozen=True, slots=True)
class _Asked:
    """What ``judge_appview`` asked the AppView and got back, shared by its steps."""

    domain: str
    did: str
    profile: Response
    """getProfile of the DID."""
    resolve: Response
    """resolveHandle of the domain."""
    earlier_ok: bool
    """The checks before this one found the setup working."""
    evidence: list[Evidence]


def _judge_closed_account(asked: _Asked) -> BlueskyCheck | None:
    """getProfile says the account is taken down or deactivated; None otherwise."""
    error, message = api_error(asked.profile)
    if asked.profile.status != 400:
        return None
    if error == "AccountTakedown":
        return make_check(
            "appview",
            CheckStatus.FAIL,
            f"Bluesky reports `{asked.did}` as taken down ({message or error})",
            "Bluesky suspended this account; appeal through Bluesky support.",
            asked.evidence,
        )
    if error == "AccountDeactivated":
        return make_check(
            "appview",
            CheckStatus.FAIL,
            f"Bluesky reports `{asked.did}` as deactivated",
            "Log in to Bluesky to reactivate the account.",
            asked.evidence,
        )
    return None


def _resolved_did(resolve_resp: Response) -> str | None:
    """The DID a 200 answer of resolveHandle names, or None."""
    if resolve_resp.status != 200:
        return None
    data = resolve_resp.json()
    if isinstance(data, dict) and isinstance(data.get("did"), str):
        return str(data["did"])
    return None


def _judge_unusable_answers(asked: _Asked, resolved: str | None) -> AppviewJudgement | None:
    """Answers that say nothing about the handle: a blocked path (an error, 429, 5xx), or a
    resolveHandle answer the AppView never gives for a handle. None when both are usable."""
    stuck = [r for r in (asked.profile, asked.resolve) if blocked(r)]
    if stuck:
        what = "; ".join(f"{_path_of(r)}: {r.describe()}" for r in stuck)
        return AppviewJudgement(
            could_not("appview", f"public.api.bsky.app ({what})", asked.evidence), None, True
        )
    resolve = asked.resolve
    resolve_error, _resolve_message = api_error(resolve)
    if (
        (resolve.status == 200 and resolved is None)
        or resolve.status not in {200, 400}
        or (resolve.status == 400 and not resolve_error)
    ):
        # The AppView answers a handle it can't resolve with 400 and an XRPC error body
        # ("InvalidRequest", "Unable to resolve handle"); a 404, an HTML page or a 200
        # without a DID is the path to it misbehaving, never news about the handle.
        body = asked.profile.json()
        return AppviewJudgement(
            could_not(
                "appview",
                f"public.api.bsky.app answered resolveHandle with {resolve.describe()}, "
                "not an answer it gives for a handle",
                asked.evidence,
            ),
            body if asked.profile.status == 200 and isinstance(body, dict) else None,
        )
    return None


def _judge_no_profile(asked: _Asked) -> AppviewJudgement:
    """getProfile gave no profile: not indexed yet ("Profile not found"), or an answer that
    says nothing."""
    _error, message = api_error(asked.profile)
    if asked.profile.status == 400 and message == PROFILE_NOT_FOUND:
        return AppviewJudgement(
            make_check(
                "appview",
                CheckStatus.WARN if asked.earlier_ok else CheckStatus.INFO,
                f"Bluesky has no profile for `{asked.did}` ({message})",
                "If you just created the account, wait a few minutes; otherwise log in to "
                "Bluesky once so it is indexed.",
                asked.evidence,
            )
        )
    return AppviewJudgement(
        could_not(
            "appview",
            f"public.api.bsky.app answered HTTP {asked.profile.status} to getProfile",
            asked.evidence,
        ),
        None,
        True,
    )


def _judge_shown_handle(asked: _Asked, body: dict[str, Any], resolved: str | None) -> BlueskyCheck:
    """The profile's handle: the domain (and resolveHandle agrees), ``handle.invalid``,
    another handle (not re-indexed yet), or the domain while resolveHandle doesn't find it."""
    domain, did, ev = asked.domain, asked.did, asked.evidence
    shown = str(body.get("handle") or "").lower()
    if shown == domain and resolved == did:
        return make_check(
            "appview",
            CheckStatus.PASS,
            f"Bluesky shows `{did}` as `@{domain}`, and resolves `{domain}` to it",
            evidence=ev,
        )
    resubmit = RESUBMIT.format(d=domain)
    if shown == INVALID_HANDLE and asked.earlier_ok:
        return make_check(
            "appview",
            CheckStatus.WARN,
            f"Bluesky shows `{did}` as `handle.invalid` although your setup checks out",
            resubmit,
            ev,
        )
    if shown == INVALID_HANDLE:
        return make_check(
            "appview",
            CheckStatus.INFO,
            f"Bluesky shows `{did}` as `handle.invalid`, as expected until the problems above "
            "are fixed",
            "Fix the problems above, then submit the handle again in Settings → Account → Handle.",
            ev,
        )
    if shown != domain:
        return make_check(
            "appview",
            CheckStatus.WARN if asked.earlier_ok else CheckStatus.INFO,
            f"Bluesky still shows `{did}` as `@{shown}`"
            + (" (not re-indexed yet)" if asked.earlier_ok else ""),
            resubmit,
            ev,
        )
    return make_check(
        "appview",
        CheckStatus.WARN,
        f"Bluesky shows `{did}` as `@{domain}`, but its resolveHandle doesn't find "
        f"`{domain}` yet ({asked.resolve.describe()} {api_error(asked.resolve)[1][:80]!r})",
        resubmit,
        ev,
    )


def _path_of(response: Response) -> str:
    try:
        return urlsplit(response.url).path.rsplit("/", 1)[-1]
    except ValueError:
        return response.url


RENAME_NOTE = (
    "Renaming the account, or switching it to a new handle, drops the blue check until it is "
    "verified again."
)


def _issuer(entry: dict[str, Any]) -> str:
    for key in ("issuerHandle", "issuerDisplayName", "issuer"):
        value = entry.get(key)
        if isinstance(value, str) and value:
            return value
    return "the verifier"


def judge_verification(appview: AppviewJudgement, did: str | None) -> BlueskyCheck:
    if appview.blocked:
        return could_not(
            "verification",
            "the Bluesky app view did not answer",
            cause=appview.check.cause or Cause.UNREACHABLE,
        )
    profile = appview.profile
    if did is None or profile is None:
        return make_check("verification", CheckStatus.SKIP, "skipped: no Bluesky profile to read")
    state = profile.get("verification")
    handle = str(profile.get("handle") or "")
    if not isinstance(state, dict):
        why = (
            " (Bluesky leaves it out while the handle is invalid)"
            if handle == INVALID_HANDLE
            else ""
        )
        return make_check("verification", CheckStatus.INFO, f"no blue check{why}. {RENAME_NOTE}")
    entries = [e for e in state.get("verifications") or () if isinstance(e, dict)]
    verified = str(state.get("verifiedStatus") or "none")
    trusted = str(state.get("trustedVerifierStatus") or "none")
    trusted_note = " This account is a trusted verifier." if trusted == "valid" else ""
    if verified == "valid":
        valid = [e for e in entries if e.get("isValid") is True] or entries
        issuers = ", ".join(dict.fromkeys(_issuer(e) for e in valid)) or "a trusted verifier"
        return make_check(
            "verification",
            CheckStatus.INFO,
            f"blue check from {issuers}.{trusted_note} {RENAME_NOTE}",
        )
    if verified == "invalid":
        issuer = _issuer(entries[0]) if entries else "your verifier"
        return make_check(
            "verification",
            CheckStatus.WARN,
            f"the blue check from {issuer} is no longer valid.{trusted_note} {RENAME_NOTE}",
            f"The blue check no longer matches your handle or display name; ask {issuer} to "
            "verify again.",
        )
    return make_check(
        "verification", CheckStatus.INFO, f"no blue check.{trusted_note} {RENAME_NOTE}"
    )
