"""The typed cause an adapter's own ``unknown`` carries: the renderers group undecided rows by
it, so a login wall must read as one and a refused API version as drift, whatever the
reason's wording says."""

from __future__ import annotations

import pytest

from brandaudit.model import Cause, Status
from tests.conftest import World
from tests.platforms.conftest import check
from tests.platforms.test_builtin import CASES, Case
from tests.world import platform_fixtures as f

EXPECTED = {
    # Instagram's JSON {"require_login": true} on HTTP 200: a login wall, not an odd answer
    "ig-login-json": Cause.LOGIN_WALL,
    "li-api-426-nonexistent-version-is-drift": Cause.SIGNAL_DRIFT,
    **{c.id: Cause.SIGNAL_DRIFT for c in CASES if c.id.startswith("fb-graph-version-error-")},
}
SELECTED = [c for c in CASES if c.id in EXPECTED]


def test_every_expected_case_exists() -> None:
    assert len(SELECTED) == len(EXPECTED) >= 3


@pytest.mark.parametrize("case", SELECTED, ids=[c.id for c in SELECTED])
def test_an_adapter_s_own_unknown_carries_its_cause(world: World, case: Case) -> None:
    case.setup(world.http)
    result = check(world, case.platform, case.handle, credentials=case.credentials)
    assert result.status is Status.UNKNOWN, result.reason
    assert result.cause is EXPECTED[case.id], (result.cause, result.reason)


# The shapes only a changed platform sends: the answer's own format, without the markers the
# adapter decides on. Signal drift (the adapter needs re-checking), not "unexpected answer".
DRIFT = [
    Case(
        "medium-json-view-without-a-user-or-an-error",
        "medium",
        "acme",
        lambda w: f._medium(w, "acme", {"success": True, "payload": {"references": {}}}),
        Status.UNKNOWN,
        "signal drift",
    ),
    Case(
        "linktree-next-data-without-a-decision",
        "linktree",
        "acme",
        lambda w: w.route(
            f.LINKTREE,
            "/acme",
            f._next_page({"props": {"pageProps": {}}, "page": "/[other]", "query": {}}),
        ),
        Status.UNKNOWN,
        "signal drift",
    ),
]


@pytest.mark.parametrize("case", DRIFT, ids=[c.id for c in DRIFT])
def test_a_changed_answer_is_signal_drift(world: World, case: Case) -> None:
    case.setup(world.http)
    result = check(world, case.platform, case.handle)
    assert result.status is Status.UNKNOWN, result.reason
    assert case.reason in result.reason
    assert result.cause is Cause.SIGNAL_DRIFT, (result.cause, result.reason)
