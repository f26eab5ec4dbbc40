"""The verdict contract, scenario by scenario (tests/bluesky/contract.py): each gets the
status Bluesky's resolver implies, and the named checks say why."""

from __future__ import annotations

import pytest

from brandaudit.bluesky import CHECK_IDS
from brandaudit.bluesky.render import bluesky_panel
from brandaudit.model import BlueskyStatus
from tests.bluesky.contract import CONTRACT, Contract, run_contract
from tests.bluesky.scenario import Bsky
from tests.conftest import World


@pytest.mark.parametrize("case", CONTRACT, ids=[c.name for c in CONTRACT])
def test_contract(world: World, case: Contract) -> None:
    result = run_contract(Bsky(world, domain=case.domain), case)
    by_id = {c.id: c for c in result.checks}
    assert tuple(by_id) == CHECK_IDS
    assert result.status.value == case.status, result.checks
    for check_id, (status, needle) in case.checks.items():
        check = by_id[check_id]
        assert check.status.value == status, check
        assert needle in check.message + " " + (check.fix or ""), check
    # a warning never comes without its fix; nothing alive is told to renew its domain
    for check in result.checks:
        if check.status.value == "warn":
            assert check.fix, check
    if result.status is not BlueskyStatus.NOT_CONFIGURED:
        assert all("renew" not in (c.fix or "") for c in result.checks)


def _panel_text(result: object) -> str:
    from rich.console import Console

    console = Console(width=100, no_color=True, record=True, file=None)
    with console.capture() as capture:
        console.print(bluesky_panel(result))  # type: ignore[arg-type]
    return capture.get()


def test_a_missing_domain_says_so_and_is_not_configured(world: World) -> None:
    case = next(c for c in CONTRACT if c.name == "NXDOMAIN domain with nothing")
    result = run_contract(Bsky(world), case)
    assert result.status is BlueskyStatus.NOT_CONFIGURED
    text = _panel_text(result)
    assert "acme.com doesn't exist in DNS: a typo, or the registration expired?" in text
    assert "something is wrong" not in text


def test_a_blind_resolver_is_blamed_not_the_domain(world: World) -> None:
    case = next(c for c in CONTRACT if "NXDOMAIN for everything, and nothing" in c.name)
    result = run_contract(Bsky(world), case)
    assert result.status is BlueskyStatus.UNKNOWN
    dns = next(c for c in result.checks if c.id == "dns_txt")
    assert "`com NS`" in dns.message
    assert "[network] nameservers" in dns.message
    assert "doesn't exist in DNS" not in dns.message


def test_next_step_for_a_missing_domain_says_it_does_not_exist(world: World) -> None:
    from brandaudit import policy
    from brandaudit.config import settings_from_mapping
    from brandaudit.model import Brand

    case = next(c for c in CONTRACT if c.name == "NXDOMAIN domain with nothing")
    result = run_contract(Bsky(world), case)
    brand = Brand(domain="acme.com", handles=("acme",), platforms=(), bluesky_domain=result)
    assessed = policy.assess(brand, settings_from_mapping({}), (), {})
    (step,) = assessed.next_steps
    assert step.title == "Check acme.com: it doesn't exist in DNS"
    assert "Check the spelling" in (step.detail or "")
