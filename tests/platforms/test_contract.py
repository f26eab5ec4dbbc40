"""The contract every adapter keeps, built-in or user-defined: an answer about the requester
(block, rate limit, outage, challenge, login wall, consent page, hang, empty body) is never
``available``; it is ``unknown`` with a reason.

Every host and path of the loopback world answers with the hostile reply, so each request
an adapter makes (token endpoints and fallbacks included) meets it. The error replies carry
a "poison" body stuffed with the not-found markers adapters look for, so only the status
can keep an adapter honest. Each mode runs all adapters at once (cached), then one test per
(adapter, mode) asserts on its results without and with credentials.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from brandaudit.config import Settings
from brandaudit.model import Cause, HandleSource, PlatformResult, Status
from brandaudit.platforms import registry
from tests.crashes import is_internal_error
from tests.platforms.conftest import credential_env_vars, run_checks, settings_for
from tests.world import platform_fixtures as f
from tests.world.http import HttpWorld, Reply

HANDLE = "acmebrand"
# WhatsApp Channels decide only a channel code linked from the brand's website: the contract
# checks that path (any other handle is never even asked about).
DECLARED = {"whatsapp-channel": ("0029VaAcmeBrand0Channel01", HandleSource.DECLARED_WEBSITE)}
CUSTOM: dict[str, Any] = {
    "contractsocial": {
        "name": "Contract Social",
        "url": "https://contract.social/@{handle}",
        "check_url": "https://contract.social/api/users/{handle}",
        "handle_pattern": "^[a-z0-9_]{3,20}$",
        "claimed": {"status": [200], "json_path": "user.id"},
        "available": {"status": [404], "body_contains": ['"error":"no_such_user"']},
    }
}
POISON = json.dumps(
    {
        "message": "Not Found",
        "error": 404,
        "valid": True,
        "reason": "available",
        "data": {"user": None, "userResultByLogin": {"__typename": "UserDoesNotExist"}},
        "meta": {"status": 404, "msg": "Not Found"},
        "elements": [],
        "kind": "youtube#channelListResponse",
        "note": "User not found. NOT_FOUND <title>Not found.</title> 404 Not Found",
    }
)


def _poison(status: int, **headers: str) -> Reply:
    return Reply(
        status=status, body=POISON, headers={"Content-Type": "application/json", **headers}
    )


MODES: dict[str, Reply] = {
    "403": _poison(403),
    "429": _poison(429, **{"Retry-After": "3600"}),
    "999": _poison(999),
    "500": _poison(500),
    "503": _poison(503, **{"Retry-After": "3600"}),
    "hang": Reply(hang=True),
    "challenge-403": Reply.html(f.CLOUDFLARE_CHALLENGE, 403, {"cf-mitigated": "challenge"}),
    "challenge-200": Reply.html(f.CLOUDFLARE_CHALLENGE, 200),
    "login-redirect": Reply.redirect("/login?next=%2Facmebrand"),
    "authwall-redirect": Reply.redirect("https://www.linkedin.com/authwall?trk=x"),
    "ig-login-redirect": Reply.redirect("https://www.instagram.com/accounts/login/"),
    "consent-redirect": Reply.redirect("https://consent.youtube.com/m?continue=x"),
    "empty-200": Reply(status=200, body=b""),
    "cdn-404": Reply.text("404 Not Found", 404),
    "reset": Reply(reset=True),
    # The platform moved (threads.net -> threads.com, Jan 2026): a redirect to another host.
    "moved-host": Reply.redirect("https://moved.example/new/location", 301),
}
# The typed cause each mode may leave (one of): the undecided outcome for *this* answer, read
# from the result's ``cause`` (model.Cause), never from its wording; a crash in the adapter is
# ``internal_error`` and fails first (tests/crashes.py).
_LOGIN_OR_MOVED = frozenset({Cause.LOGIN_WALL, Cause.MOVED})  # API hosts: "redirected to /login"
_ODD_ANSWER = frozenset({Cause.UNEXPECTED_ANSWER, Cause.SIGNAL_DRIFT, Cause.UNSUPPORTED})
EXPECTED: dict[str, frozenset[Cause]] = {
    "403": frozenset({Cause.BLOCKED}),
    "429": frozenset({Cause.RATE_LIMITED}),
    "999": frozenset({Cause.BLOCKED}),
    "500": frozenset({Cause.SERVER_ERROR}),
    "503": frozenset({Cause.SERVER_ERROR}),
    "hang": frozenset({Cause.TIMEOUT, Cause.DEADLINE}),
    "challenge-403": frozenset({Cause.BLOCKED}),
    # A JSON API answered with a challenge page reads as "not JSON" (unexpected answer).
    "challenge-200": frozenset({Cause.BLOCKED, Cause.UNEXPECTED_ANSWER}),
    "login-redirect": _LOGIN_OR_MOVED,
    "authwall-redirect": _LOGIN_OR_MOVED,
    "ig-login-redirect": _LOGIN_OR_MOVED,
    "consent-redirect": _LOGIN_OR_MOVED,
    "empty-200": _ODD_ANSWER,
    "cdn-404": _ODD_ANSWER,
    # Three resets in a row open the host's breaker: later requests there are not asked.
    "reset": frozenset({Cause.UNREACHABLE, Cause.HOST_NOT_ANSWERING}),
    "moved-host": frozenset({Cause.MOVED}),
}
ALL_CREDENTIALS = {
    "x_bearer_token": "t",
    "threads_access_token": "t",
    "youtube_api_key": "k",
    "linkedin_access_token": "t",
    "facebook_access_token": "a|b",
    "reddit_client_id": "i",
    "reddit_client_secret": "s",
    "twitch_client_id": "i",
    "twitch_client_secret": "s",
    "tumblr_api_key": "k",
    "github_token": "t",
}


def _ids() -> list[str]:
    loaded = registry.load(Settings.model_validate({"platforms": CUSTOM}))
    assert not loaded.warnings, loaded.warnings
    return sorted(loaded.adapters)


ADAPTERS = _ids()
_cache: dict[tuple[str, bool], dict[str, PlatformResult]] = {}


def _results(http: HttpWorld, mode: str, credentials: bool) -> dict[str, PlatformResult]:
    key = (mode, credentials)
    if key not in _cache:
        http.reset()
        http.route_prefix("*", "/", MODES[mode])

        class _W:  # the parts of the World fixture settings_for reads
            pass

        holder: Any = _W()
        holder.http = http
        settings = settings_for(
            holder,
            deadline=1.0 if mode == "hang" else 5.0,
            credentials=ALL_CREDENTIALS if credentials else None,
            platforms=CUSTOM,
        )
        results = run_checks(
            settings,
            [(a, *DECLARED[a]) if a in DECLARED else (a, HANDLE) for a in ADAPTERS],
            fresh=True,  # the "reset" mode opens breakers; no other mode may inherit them
        )
        _cache[key] = {r.platform: r for r in results}
        http.reset()
    return _cache[key]


def test_the_contract_covers_every_platform() -> None:
    assert set(EXPECTED) == set(MODES)
    assert len(ADAPTERS) >= 23
    assert {"x", "threads", "instagram", "tiktok", "youtube", "linkedin", "facebook"} <= set(
        ADAPTERS
    )
    assert {"reddit", "pinterest", "twitch", "snapchat", "tumblr", "bluesky", "github"} <= set(
        ADAPTERS
    )
    assert {"mastodon", "contractsocial"} <= set(ADAPTERS)
    new = {"discord", "discord-invite", "telegram", "substack", "kick", "linktree", "medium"}
    new |= {"whatsapp-channel"}
    assert new <= set(ADAPTERS)
    assert credential_env_vars()  # the credentials fixture clears real variables


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("adapter", ADAPTERS)
def test_hostile_answers_are_never_available(
    http_world: HttpWorld, adapter: str, mode: str
) -> None:
    for credentials in (False, True):  # public signals, then every official API path
        result = _results(http_world, mode, credentials)[adapter]
        where = f"{adapter} ({'with' if credentials else 'without'} credentials)"
        assert result.status is Status.UNKNOWN, f"{where} said {result.status}: {result.reason}"
        assert not is_internal_error(result.reason), f"{where} crashed: {result.reason}"
        assert result.cause in EXPECTED[mode], (
            f"{where}: cause {result.cause} ({result.reason!r}) is none of {set(EXPECTED[mode])}"
        )
        # A check cut by its deadline records the request the deadline ended, too.
        assert result.evidence, f"{where}: the request that failed is recorded"
