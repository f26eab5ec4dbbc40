"""Issue 28's cases against Bluesky's own servers: the PLC directory, PDS and AppView of
``@atproto/dev-env`` with dnsmasq for the ``_atproto`` records (../shared/realstack/, see its
README; the helpers are the domain verifier's, tests/bluesky/test_realstack.py).

The brand ``acme.corp`` is alice's account, the person ``bob.acme.corp`` is bob's; alice's
repository holds the ``app.bsky.graph.verification`` records. Each case runs twice: with
alice an ordinary account, the AppView is silent and brandaudit applies Bluesky's rule
itself; with alice marked a trusted verifier (``bsky.actor."trustedVerifier"``, the flag the
AppView's profile query filters on), the AppView rates the record and its ``isValid`` must
agree with what brandaudit decided on its own. What the AppView answered is printed
(``pytest -s``).

These tests skip, saying why, unless the stack is running (``APPVIEW=1 up.sh`` wrote
``/tmp/realpeers/run/state.json``). They change the stack's DNS records, both handles, bob's
display name and alice's records.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.bluesky.test_realstack import (
    APPVIEW,
    CLOSED,
    DNS,
    PDS,
    PLC,
    RP,
    _account,
    set_records,
    stack,
    update_handle,
    wait_for_appview,
)
from tests.conftest import CliResult, brandaudit_command

pytestmark = pytest.mark.e2e

__all__ = ["stack"]  # the fixture, from the domain verifier's real-stack tests

BRAND = "acme.corp"
PERSON = "bob.acme.corp"
NAME = "Bob Builder"
COLLECTION = "app.bsky.graph.verification"
CONFIG = f"""
[brand]
domain = "{BRAND}"
handles = ["acme"]
discover = false

[[people]]
name = "{NAME}"
handles = {{ bluesky = "{PERSON}" }}
"""


def _auth(account: dict[str, Any]) -> dict[str, str]:
    return {"authorization": f"Bearer {account['accessJwt']}"}


def _xrpc(method: str, account: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{PDS}/xrpc/{method}", headers=_auth(account), json=body, timeout=20)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json() if response.content else {}
    return answer


def _profile(did: str) -> dict[str, Any]:
    response = httpx.get(
        f"{APPVIEW}/xrpc/app.bsky.actor.getProfile", params={"actor": did}, timeout=10
    )
    body: dict[str, Any] = response.json()
    return body


def _wait(what: str, done: Any, seconds: float = 20) -> Any:
    """The AppView indexes what the PDS wrote a moment later."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = done()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"the AppView didn't show {what} within {seconds:g}s")


def set_display_name(account: dict[str, Any], name: str) -> None:
    _xrpc(
        "com.atproto.repo.putRecord",
        account,
        {
            "repo": account["did"],
            "collection": "app.bsky.actor.profile",
            "rkey": "self",
            "record": {"$type": "app.bsky.actor.profile", "displayName": name},
        },
    )
    _wait(f"{name!r}", lambda: _profile(account["did"]).get("displayName") == name)


def clear_records(brand: dict[str, Any]) -> None:
    listed = httpx.get(
        f"{PDS}/xrpc/com.atproto.repo.listRecords",
        params={"repo": brand["did"], "collection": COLLECTION, "limit": 100},
        timeout=10,
    ).json()
    for record in listed.get("records", []):
        rkey = record["uri"].rsplit("/", 1)[-1]
        _xrpc(
            "com.atproto.repo.deleteRecord",
            brand,
            {"repo": brand["did"], "collection": COLLECTION, "rkey": rkey},
        )


def verify_person(brand: dict[str, Any], person: dict[str, Any], handle: str, name: str) -> str:
    made = _xrpc(
        "com.atproto.repo.createRecord",
        brand,
        {
            "repo": brand["did"],
            "collection": COLLECTION,
            "record": {
                "$type": COLLECTION,
                "subject": person["did"],
                "handle": handle,
                "displayName": name,
                "createdAt": "2026-12-07T05:00:00.000Z",
            },
        },
    )
    uri: str = made["uri"]
    return uri


def trust(brand: dict[str, Any], trusted: bool) -> None:
    """Mark the brand's account a trusted verifier in the AppView's database, as Bluesky
    does for its verifiers (there is no API for it)."""
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql isn't installed: can't mark a trusted verifier")
    value = "true" if trusted else "false"
    subprocess.run(
        [
            psql,
            "-h",
            "127.0.0.1",
            "-U",
            "pg",
            "-d",
            "postgres",
            "-qc",
            f"update bsky.actor set \"trustedVerifier\" = {value} where did = '{brand['did']}'",
        ],
        check=True,
        timeout=20,
        capture_output=True,
    )


def appview_view(person: dict[str, Any], brand: dict[str, Any]) -> dict[str, Any] | None:
    state = _profile(person["did"]).get("verification") or {}
    return next(
        (v for v in state.get("verifications", []) if v.get("issuer") == brand["did"]), None
    )


def check(tmp_path: Path, *, cache: bool = False) -> dict[str, Any]:
    config = tmp_path / "brandaudit.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BRANDAUDIT_", "GITHUB_")) and k not in {"NO_COLOR", "CI"}
    }
    env.update(
        {
            "BRANDAUDIT_NAMESERVERS": DNS,
            "BRANDAUDIT_ORIGIN_MAP": (
                f"https://plc.directory={PLC},https://public.api.bsky.app={APPVIEW},"
                f"http://localhost:2583={PDS},https://{BRAND}={CLOSED},https://{PERSON}={CLOSED}"
            ),
            "BRANDAUDIT_ALLOW_PRIVATE_NETWORK": "1",
            "NO_COLOR": "1",
        }
    )
    args = ["--cache-dir", str(tmp_path / "cache")] if cache else ["--no-cache"]
    done = subprocess.run(
        [*brandaudit_command(), "check", "-c", str(config), "-p", "bluesky", "-f", "json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    result = CliResult(done.returncode, done.stdout, done.stderr)
    assert result.stdout, result.stderr
    brand = result.json()["brands"][0]
    assert brand["bluesky_domain"]["status"] == "verified", brand["bluesky_domain"]
    verification: dict[str, Any] = brand["people"][0]["bluesky"]["verification"]
    return verification


@pytest.fixture
def accounts(stack: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """alice at acme.corp, bob at bob.acme.corp as "Bob Builder", no records, alice not
    trusted. One test at a time holds the stack (an exclusive lock beside its state: the
    suite's workers would otherwise change it under each other)."""
    alice, bob = _account(stack, "alice"), _account(stack, "bob")
    with (RP / "people-tests.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        set_records(f"_atproto.{BRAND}=did={alice['did']}", f"_atproto.{PERSON}=did={bob['did']}")
        for account, handle in ((alice, BRAND), (bob, PERSON)):
            moved = update_handle(account, handle)  # the PDS checks the TXT record itself
            assert moved.status_code == 200, moved.text
            wait_for_appview(account["did"], handle)
        if _profile(bob["did"]).get("displayName") != NAME:
            set_display_name(bob, NAME)
        trust(alice, False)
        clear_records(alice)
        try:
            yield alice, bob
        finally:
            clear_records(alice)
            trust(alice, False)


def _both_ways(
    tmp_path: Path, alice: dict[str, Any], bob: dict[str, Any], case: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    """brandaudit's verdict with the AppView silent, then with alice trusted (the AppView's
    own verdict, and what it answered)."""
    own = check(tmp_path)
    trust(alice, True)
    try:
        view = _wait("a verification view", lambda: appview_view(bob, alice))
        rated = check(tmp_path)
    finally:
        trust(alice, False)
    print(f"\n[realstack] {case}: AppView verification view {json.dumps(view)}")
    print(f"[realstack] {case}: brandaudit alone {own['status']} ({own['reason']})")
    print(f"[realstack] {case}: brandaudit with the AppView rating {rated['status']}")
    return own, rated, view


def test_a_matching_record_is_valid_both_ways(
    accounts: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    alice, bob = accounts
    uri = verify_person(alice, bob, PERSON, NAME)
    own, rated, view = _both_ways(tmp_path, alice, bob, "matching record")
    assert (own["status"], own["judged_by"], own["record_uri"]) == ("issued", "brandaudit", uri)
    assert view is not None and view["isValid"] is True
    assert (rated["status"], rated["judged_by"]) == ("issued", "appview")


def test_an_old_handle_is_invalid_both_ways(
    accounts: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    alice, bob = accounts
    verify_person(alice, bob, "bob.test", NAME)
    own, rated, view = _both_ways(tmp_path, alice, bob, "old handle")
    assert (own["status"], own["judged_by"]) == ("invalid", "brandaudit")
    assert f"the record names @bob.test, the account is now @{PERSON}" in own["reason"]
    assert f"write a new one naming @{PERSON}" in own["fix"]
    assert view is not None and view["isValid"] is False
    assert (rated["status"], rated["judged_by"]) == ("invalid", "appview")


def test_a_changed_display_name_is_invalid_both_ways(
    accounts: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    alice, bob = accounts
    verify_person(alice, bob, PERSON, NAME)
    set_display_name(bob, "Robert Builder")
    try:
        own, rated, view = _both_ways(tmp_path, alice, bob, "display name changed")
    finally:
        set_display_name(bob, NAME)
    assert (own["status"], own["judged_by"]) == ("invalid", "brandaudit")
    assert '"Bob Builder", the account\'s is now "Robert Builder"' in own["reason"]
    assert view is not None and view["isValid"] is False
    assert (rated["status"], rated["judged_by"]) == ("invalid", "appview")


def test_create_then_run_and_run_then_delete_with_the_cache_on(
    accounts: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    alice, bob = accounts
    assert check(tmp_path, cache=True)["status"] == "not_issued"
    verify_person(alice, bob, PERSON, NAME)
    created = check(tmp_path, cache=True)
    assert created["status"] == "issued"
    clear_records(alice)
    deleted = check(tmp_path, cache=True)
    assert deleted["status"] == "not_issued"
    assert any((tmp_path / "cache").rglob("*")), "the cache was on"
    print(
        f"\n[realstack] cache on: no record not_issued, created issued, deleted {deleted['status']}"
    )
