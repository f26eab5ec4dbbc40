"""The verifier against Bluesky's own servers: a PLC directory, a PDS and the AppView from
the official ``@atproto/dev-env``, with dnsmasq for the ``_atproto`` records (the loopback
stack in ../shared/realstack/, see its README). Each test also asks the atproto SDK's
resolver (tests/bluesky/reference.py) about the same domain.

These tests skip, saying why, unless the stack is running (``APPVIEW=1 up.sh`` wrote
``/tmp/realpeers/run/state.json``). They change the stack's DNS records and alice's handle.

Handles live under ``.corp``: the dev PDS hosts ``*.test`` handles itself (no DNS check), so
a ``.test`` domain would not exercise the domain-handle path. A sentinel TXT record keeps
``corp`` itself in DNS, as a real public suffix always is (dnsmasq answers NXDOMAIN for a
local zone with no names, which is what the verifier's control query would read as a
broken resolver).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CliResult, brandaudit_command

pytestmark = pytest.mark.e2e

RP = Path(os.environ.get("RP", "/tmp/realpeers/run"))
STATE = RP / "state.json"
PLC = "http://127.0.0.1:2582"
PDS = "http://127.0.0.1:2583"
APPVIEW = "http://127.0.0.1:2584"
DNS = "127.0.0.1:5353"
SENTINEL = "sentinel.corp=v=1"
CLOSED = "http://127.0.0.1:9"  # nothing listens: the .corp domains have no website


def _scripts() -> Path | None:
    here = Path(__file__).resolve().parents[2]
    for candidate in (
        os.environ.get("BRANDAUDIT_REALSTACK"),
        here.parent / "shared" / "realstack",
        here.parent.parent / "shared" / "realstack",
    ):
        if candidate and (Path(candidate) / "set-records.sh").exists():
            return Path(candidate)
    return None


SCRIPTS = _scripts()


def _state() -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads(STATE.read_text())
    except (OSError, ValueError):
        return None
    try:
        httpx.get(f"{PLC}/_health", timeout=2)
        httpx.get(f"{APPVIEW}/xrpc/_health", timeout=2)
    except httpx.HTTPError:
        return None
    return data


@pytest.fixture(scope="module")
def stack() -> dict[str, Any]:
    if SCRIPTS is None:
        pytest.skip("the realstack scripts (../shared/realstack) aren't here")
    state = _state()
    if state is None:
        pytest.skip(
            f"the real AT Protocol stack isn't running ({STATE} missing or its PLC/AppView "
            "don't answer); start it with `APPVIEW=1 ../shared/realstack/up.sh`"
        )
    return state


def _account(stack: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in stack["accounts"] if a["handle"].startswith(name))
    return found


def set_records(*records: str) -> None:
    assert SCRIPTS is not None
    subprocess.run(
        ["bash", str(SCRIPTS / "set-records.sh"), SENTINEL, *records],
        env={**os.environ, "RP": str(RP)},
        check=True,
        timeout=20,
        capture_output=True,
    )


def update_handle(account: dict[str, Any], handle: str) -> httpx.Response:
    return httpx.post(
        f"{PDS}/xrpc/com.atproto.identity.updateHandle",
        headers={"authorization": f"Bearer {account['accessJwt']}"},
        json={"handle": handle},
        timeout=20,
    )


def appview_handle(did: str) -> str | None:
    response = httpx.get(
        f"{APPVIEW}/xrpc/app.bsky.actor.getProfile", params={"actor": did}, timeout=10
    )
    body = response.json() if response.status_code == 200 else {}
    handle = body.get("handle") if isinstance(body, dict) else None
    return handle if isinstance(handle, str) else None


def wait_for_appview(did: str, handle: str, seconds: float = 20) -> None:
    """The AppView indexes a handle change a moment after the PDS makes it."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if appview_handle(did) == handle:
            return
        time.sleep(0.5)
    pytest.fail(f"the AppView didn't show {did} as {handle} within {seconds:g}s")


def origin_map(domain: str) -> str:
    return (
        f"https://plc.directory={PLC},https://public.api.bsky.app={APPVIEW},"
        f"http://localhost:2583={PDS},https://{domain}={CLOSED}"
    )


def verify(domain: str, *args: str) -> tuple[CliResult, dict[str, Any]]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BRANDAUDIT_", "GITHUB_")) and k not in {"NO_COLOR", "CI"}
    }
    env.update(
        {
            "BRANDAUDIT_NAMESERVERS": DNS,
            "BRANDAUDIT_ORIGIN_MAP": origin_map(domain),
            "BRANDAUDIT_ALLOW_PRIVATE_NETWORK": "1",
            "BRANDAUDIT_NO_CACHE": "1",
            "NO_COLOR": "1",
        }
    )
    done = subprocess.run(
        [*brandaudit_command(), "bluesky", domain, "-f", "json", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    result = CliResult(done.returncode, done.stdout, done.stderr)
    assert result.stdout, result.stderr
    return result, result.json()


def sdk_says(domain: str) -> bool:
    """The atproto SDK's resolver on the same stack."""
    from brandaudit.config import Settings
    from brandaudit.origin_map import parse_origin_map_env
    from tests.bluesky.reference import sdk_verdict

    settings = Settings.model_validate(
        {
            "network": {
                "origin_map": parse_origin_map_env(origin_map(domain)),
                "nameservers": [DNS],
            }
        }
    )
    return sdk_verdict(domain, settings).verified


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in data["checks"]}


def test_txt_record_and_update_handle_is_verified(stack: dict[str, Any]) -> None:
    alice = _account(stack, "alice")
    set_records(f"_atproto.acme.corp=did={alice['did']}")
    moved = update_handle(alice, "acme.corp")  # the PDS checks the TXT record itself
    assert moved.status_code == 200, moved.text
    wait_for_appview(alice["did"], "acme.corp")
    result, data = verify("acme.corp")
    checks = by_id(data)
    assert data["status"] == "verified", checks
    assert result.code == 0
    assert checks["dns_txt"]["status"] == "pass"
    assert checks["bidirectional"]["status"] == "pass"
    # the dev PDS is plain http and its PLC serves a legacy key type: both work
    assert checks["pds"]["status"] == "warn"
    assert "plain http" in checks["pds"]["message"]
    assert checks["appview"]["status"] == "pass"
    key_type = httpx.get(f"{PLC}/{alice['did']}", timeout=10).json()["verificationMethod"][0]
    if key_type["type"] != "Multikey":  # @atproto/dev-env's PLC serves the legacy form
        assert f"legacy type {key_type['type']}" in checks["pds"]["message"]
    assert sdk_says("acme.corp")


def test_handle_never_switched(stack: dict[str, Any]) -> None:
    bob = _account(stack, "bob")
    set_records(f"_atproto.bob-brand.corp=did={bob['did']}")
    result, data = verify("bob-brand.corp")
    checks = by_id(data)
    assert data["status"] == "misconfigured", checks
    assert result.code == 1
    assert checks["dns_txt"]["status"] == "pass"
    assert checks["bidirectional"]["status"] == "fail"
    assert "@bob.test" in checks["bidirectional"]["fix"]
    # the real AppView answers an unresolvable handle with 400 InvalidRequest: news about
    # the handle, not a "could not check"
    assert not checks["appview"]["message"].startswith("could not check")
    assert not sdk_says("bob-brand.corp")


def test_two_records(stack: dict[str, Any]) -> None:
    alice, bob = _account(stack, "alice"), _account(stack, "bob")
    set_records(f"_atproto.two.corp=did={alice['did']}", f"_atproto.two.corp=did={bob['did']}")
    # Bluesky's own PDS refuses the handle: its resolver uses none of two did= records
    refused = update_handle(bob, "two.corp")
    assert refused.status_code == 400, refused.text
    result, data = verify("two.corp")
    checks = by_id(data)
    assert data["status"] == "misconfigured", checks
    assert result.code == 1
    assert checks["dns_txt"]["status"] == "fail"
    assert "2 did= records" in checks["dns_txt"]["message"]


def test_record_removed_while_plc_and_pds_remember(stack: dict[str, Any]) -> None:
    alice = _account(stack, "alice")
    set_records(f"_atproto.acme.corp=did={alice['did']}")
    assert update_handle(alice, "acme.corp").status_code == 200
    wait_for_appview(alice["did"], "acme.corp")
    # the record goes (the zone stays: a TXT at the apex); PLC, PDS and AppView still name it
    set_records("acme.corp=v=spf1 -all")
    doc = httpx.get(f"{PLC}/{alice['did']}", timeout=10).json()
    assert doc["alsoKnownAs"][0] == "at://acme.corp"
    remembered = httpx.get(
        f"{PDS}/xrpc/com.atproto.identity.resolveHandle", params={"handle": "acme.corp"}
    )
    assert remembered.json().get("did") == alice["did"]
    # (the dev AppView re-checks the handle when asked for the profile: handle.invalid)
    assert appview_handle(alice["did"]) in {"acme.corp", "handle.invalid"}
    result, data = verify("acme.corp")
    checks = by_id(data)
    assert data["status"] == "not_configured", checks
    assert result.code == 1
    assert checks["dns_txt"]["status"] == "info"
    assert "no DNS record" in checks["dns_txt"]["message"]
    assert not sdk_says("acme.corp")
    # with the DID given, the exact record to restore is printed
    _result, with_did = verify("acme.corp", "--did", alice["did"])
    assert with_did["setup"]["dns"]["value"] == f"did={alice['did']}"
