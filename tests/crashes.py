"""What a crash looks like in a result, in one place.

The runner turns an exception in an adapter into an ``unknown`` result, and the Bluesky
verifier turns one into "could not check" on every check: right for users (one bug never
stops a run), but a test that asserts only UNKNOWN or SKIP would then pass on a crash.
``tests/conftest.py`` fails any test during which one of these results is made, unless the
test is marked ``internal_error`` (it is about that path).

A crash is the typed cause ``Cause.INTERNAL_ERROR`` (``model.Cause``), which only the two
catch-alls set: ``jobs.run_job`` (through ``jobs.failed_verdict``) and
``bluesky.verify.verify_domain`` (through ``_skip_all``). No reason wording is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from brandaudit.model import Cause

SEAMS = (("brandaudit.jobs", "failed_verdict"), ("brandaudit.bluesky.verify", "_skip_all"))
"""The functions every crash result is built by (module, name); each gets the reason as its
second argument and the cause as its third."""


def is_internal_error(cause: Cause | None) -> bool:
    """Whether ``cause`` (a result's or a Bluesky check's) is the one a crash leaves."""
    return cause is Cause.INTERNAL_ERROR


@contextmanager
def watch_internal_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Yields the reasons of the crash results made while the block runs."""
    import importlib

    seen: list[str] = []
    for module_name, name in SEAMS:
        module = importlib.import_module(module_name)
        real: Callable[..., Any] = getattr(module, name)

        def spy(
            first: Any, reason: str, cause: Cause | None = None, _real: Callable[..., Any] = real
        ) -> Any:
            if is_internal_error(cause):
                seen.append(reason)
            return _real(first, reason, cause)

        monkeypatch.setattr(module, name, spy)
    yield seen
