"""Every adapter reads a hostile page at the size cap in bounded time (issue 22, finding 1).

Every host and path of the loopback world answers with one page of ``tests.hostile_html``,
so each request of each adapter (entry points, user-defined platforms too) meets it. The
checks run one after another and each is timed on its own: a quadratic or backtracking
parser in any adapter (or in a helper it calls) takes minutes here, the bound a few seconds.
A new adapter is walked without editing this file.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from brandaudit.model import Status
from tests.hostile_html import BODIES, CAP
from tests.platforms.conftest import run_checks, settings_for
from tests.platforms.test_contract import ADAPTERS, CUSTOM, DECLARED, HANDLE
from tests.world.http import HttpWorld, Reply

BOUND = 8.0
"""Seconds one check may take, request and parsing (the measured worst is under a second)."""
KINDS = [
    # The pages that broke a parser an adapter uses; the rest of tests.hostile_html meets every
    # parser directly (tests/hardening/test_hostile_parsing.py), at less cost to the suite.
    "unclosed <a",
    "unclosed <script",
    "next-data decoys",
    "json-ld decoys",
    "join button, name cards",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_adapter_reads_a_hostile_page_in_bounded_time(
    http_world: HttpWorld, kind: str
) -> None:
    assert set(KINDS) <= set(BODIES)
    http_world.reset()
    # Just under the cap: a body cut at the cap is never parsed for a verdict.
    http_world.route_prefix("*", "/", Reply.html(BODIES[kind](CAP - 64)))

    class _W:  # the parts of the World fixture settings_for reads
        pass

    holder: Any = _W()
    holder.http = http_world
    settings = settings_for(holder, deadline=30.0, platforms=CUSTOM)
    slow: dict[str, float] = {}
    try:
        for adapter in ADAPTERS:
            job = (adapter, *DECLARED[adapter]) if adapter in DECLARED else (adapter, HANDLE)
            start = time.perf_counter()
            (result,) = run_checks(settings, [job])
            took = time.perf_counter() - start
            assert result.status is not Status.AVAILABLE, f"{adapter}: {result.reason}"
            if took >= BOUND:
                slow[adapter] = round(took, 1)
    finally:
        http_world.reset()
    assert not slow, f"checks slower than {BOUND}s on {kind!r}: {slow}"
