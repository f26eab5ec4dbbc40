"""Differential test: brandaudit's verified / not-verified against the atproto SDK's own
resolver (``atproto_identity``), for every scenario of the Bluesky suite, in the same
DNS + HTTP world. The justified differences are listed once, in tests/bluesky/reference.py.

(``verify_here`` makes the same comparison for every other in-process test too.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from brandaudit.model import BlueskyStatus
from tests.bluesky.cases import CASES
from tests.bluesky.contract import CONTRACT, run_contract
from tests.bluesky.reference import KNOWN_DIFFERENCES, difference, sdk_verdict
from tests.bluesky.scenario import DID, OTHER_DID, Bsky, verify_here, world_settings
from tests.conftest import World


def _split_record(b: Bsky) -> None:
    b.healthy(dns=False)
    b.txt(["did=did:plc:", DID[len("did:plc:") :]])


def _healthy(b: Bsky) -> None:
    b.healthy()


# (name, arrange, domain, expected_did) beyond CASES and CONTRACT
EXTRA: list[tuple[str, Callable[[Bsky], None], str, str | None]] = [
    ("TXT split into strings", _split_record, "acme.com", None),
    ("--did names another account", _healthy, "acme.com", OTHER_DID),
]


def _scenarios() -> list[tuple[str, Callable[[World], Any]]]:
    out: list[tuple[str, Callable[[World], Any]]] = []
    for case in CASES:

        def run(world: World, case: Any = case) -> Any:
            case.arrange(Bsky(world, domain=case.domain))
            return verify_here(world, case.domain, differential=False), {}

        out.append((f"case: {case.name}", run))
    for contract in CONTRACT:

        def run_c(world: World, contract: Any = contract) -> Any:
            network = dict(contract.network)
            if contract.silent_site:
                from tests.bluesky.contract import silent_site

                network["origin_map"] = silent_site(world.http.origin, contract.domain)
            b = Bsky(world, domain=contract.domain)
            return run_contract(b, contract, differential=False), network

        out.append((f"contract: {contract.name}", run_c))
    for name, arrange, domain, expected in EXTRA:

        def run_e(
            world: World, arrange: Any = arrange, domain: str = domain, did: Any = expected
        ) -> Any:
            arrange(Bsky(world, domain=domain))
            return verify_here(world, domain, did, differential=False), {}

        out.append((name, run_e))
    return out


def test_every_scenario_agrees_with_the_sdk_or_has_a_listed_reason(world: World) -> None:
    unexplained: list[str] = []
    needed: dict[str, list[str]] = {}
    compared = 0
    for name, run in _scenarios():
        world.http.reset()
        world.dns.reset()
        result, network = run(world)
        if result.status is BlueskyStatus.UNKNOWN:
            continue  # brandaudit makes no claim
        # the same world the verifier saw (a run_contract scenario may have changed the map)
        settings = world_settings(world, **network)
        sdk = sdk_verdict(result.domain, settings)
        compared += 1
        if (result.status is BlueskyStatus.VERIFIED) == sdk.verified:
            continue
        known = difference(result, sdk, world)
        if known is None:
            unexplained.append(f"{name}: brandaudit {result.status.value}, SDK {sdk.detail}")
        else:
            needed.setdefault(known.name, []).append(name)
    assert not unexplained, "\n".join(unexplained)
    assert compared >= 50
    # every listed difference is needed by some scenario: the list is not a blanket excuse
    assert set(needed) == {d.name for d in KNOWN_DIFFERENCES}, needed


def test_the_reference_is_not_vacuous(world: World) -> None:
    b = Bsky(world)
    b.healthy()
    settings = world_settings(world)
    assert sdk_verdict("acme.com", settings).verified
    world.dns.reset()
    b.site()
    assert not sdk_verdict("acme.com", settings).verified  # no record, no file
    b.good_file()
    assert sdk_verdict("acme.com", settings).verified  # the file alone (DNS gave nothing)
    b.txt(f"did={OTHER_DID}")
    assert not sdk_verdict("acme.com", settings).verified  # DNS wins; OTHER has no document


@pytest.mark.parametrize("reason", KNOWN_DIFFERENCES, ids=[d.name for d in KNOWN_DIFFERENCES])
def test_each_difference_has_a_reason(reason: Any) -> None:
    assert len(reason.reason) > 60
