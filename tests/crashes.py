"""What a crash looks like in a result, in one place.

The runner turns an exception in an adapter into an ``unknown`` result, and the Bluesky
verifier turns one into "could not check" on every check: right for users (one bug never
stops a run), but a test that asserts only UNKNOWN or SKIP would then pass on a crash.
``tests/conftest.py`` fails any test during which one of these results is made, unless the
test is marked ``internal_error`` (it is about that path).

Until results carry a typed cause, a crash is recognised by the reason the two catch-alls
write (``runner.run_job`` and ``bluesky.verify.verify_domain``); switch ``is_internal_error``
and ``SEAMS`` to the typed cause when it lands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

_CRASH_REASON = re.compile(
    r"no verdict: the \S+ adapter failed \("  # runner.run_job: "(ValueError: ...)"
    r"|could not check: internal error \("  # bluesky.verify.verify_domain
)

SEAMS = (("brandaudit.runner", "_failed"), ("brandaudit.bluesky.verify", "_skip_all"))
"""The functions every crash result is built by (module, name); each gets the reason as its
second argument."""


def is_internal_error(reason: str | None) -> bool:
    """Whether ``reason`` is the one a crash (an exception we didn't expect) leaves."""
    return bool(reason) and _CRASH_REASON.search(reason or "") is not None


@contextmanager
def watch_internal_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Yields the list of crash reasons made while the block runs."""
    import importlib

    seen: list[str] = []
    for module_name, name in SEAMS:
        module = importlib.import_module(module_name)
        real: Callable[..., Any] = getattr(module, name)

        def spy(first: Any, reason: str, *rest: Any, _real: Callable[..., Any] = real) -> Any:
            if is_internal_error(reason):
                seen.append(reason)
            return _real(first, reason, *rest)

        monkeypatch.setattr(module, name, spy)
    yield seen
