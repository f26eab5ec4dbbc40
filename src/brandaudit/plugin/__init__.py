"""The stable import surface for plugin authors.

A plugin is a package that registers an :class:`Adapter` subclass in the
``brandaudit.platforms`` entry-point group. Import what it needs from here, not from the
modules behind it: these names keep their meaning across releases, the internals may move.

.. code-block:: python

    from brandaudit.plugin import (
        Adapter, CheckContext, HandleRule, Method, Signal, Status, Verdict, blocked, q,
    )

For a platform that needs one GET and a few signals, subclass :class:`SignalAdapter` and
declare ``check_template`` and ``outcomes``; otherwise write ``check`` with the helpers
below (:func:`blocked` first, then your signals, then :func:`undecided`).

Tests check an adapter with :mod:`brandaudit.plugin.testing` (``run_check``, a loopback
server), never with brandaudit's internal modules.
"""

from __future__ import annotations

from brandaudit.model import Confidence, Method, ProfileInfo, Status
from brandaudit.platforms.base import (
    Adapter,
    CheckContext,
    Credential,
    HandleRule,
    Verdict,
    q,
    unknown_from_response,
)
from brandaudit.platforms.signals import (
    MISSING,
    Match,
    Outcome,
    Signal,
    SignalAdapter,
    blocked,
    expects_json,
    json_ld_nodes,
    json_path,
    moved_to,
    next_data,
    trap,
    undecided,
)
from brandaudit.platforms.urls import segment_handle

__all__ = [
    "MISSING",
    "Adapter",
    "CheckContext",
    "Confidence",
    "Credential",
    "HandleRule",
    "Match",
    "Method",
    "Outcome",
    "ProfileInfo",
    "Signal",
    "SignalAdapter",
    "Status",
    "Verdict",
    "blocked",
    "expects_json",
    "json_ld_nodes",
    "json_path",
    "moved_to",
    "next_data",
    "q",
    "segment_handle",
    "trap",
    "undecided",
    "unknown_from_response",
]
