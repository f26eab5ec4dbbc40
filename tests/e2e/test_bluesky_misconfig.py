"""End-to-end: real misconfigurations (docs/bluesky.md, "Sources": misconfigurations
seen in the wild), each through the installed CLI.

Every scenario starts from a verified setup and breaks one thing; the test asserts the
overall status, the check that names the problem, and the concrete fix the marketer gets.
"""

from __future__ import annotations

import pytest

from brandaudit.bluesky import CHECK_IDS
from tests.bluesky.cases import CASES, Case
from tests.bluesky.scenario import Bsky, checks, failing
from tests.conftest import World

pytestmark = pytest.mark.e2e

CLI_CASES = [c for c in CASES if c.cli]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.name for c in CLI_CASES])
def test_misconfiguration(world: World, case: Case) -> None:
    b = Bsky(world, domain=case.domain)
    case.arrange(b)
    result, data = b.verdict()
    assert data["status"] == case.status, data
    assert result.code == 1
    assert case.check in failing(data), data
    found = checks(data)[case.check]
    assert case.fix in (found["fix"] or ""), found
    assert case.message in found["message"], found
    assert tuple(c["id"] for c in data["checks"]) == CHECK_IDS


def test_enough_distinct_misconfigurations_run_end_to_end() -> None:
    assert len({c.name for c in CLI_CASES}) >= 25
    assert len({c.check for c in CLI_CASES}) >= 7
