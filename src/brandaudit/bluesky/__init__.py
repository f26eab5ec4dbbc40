"""The Bluesky domain-handle verifier: is ``acme.com`` set up right as a Bluesky handle?

``verify_domain`` runs the nine checks of docs/bluesky.md and returns a ``BlueskyDomain``;
``bluesky.render.bluesky_panel`` draws one for the terminal; ``bluesky.setup.build_setup``
says what to add for a given DID. The atproto SDK is imported only inside functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from brandaudit.bluesky.checks import CHECK_IDS

if TYPE_CHECKING:
    from brandaudit.bluesky.verify import undecided, verify_domain

__all__ = ["CHECK_IDS", "undecided", "verify_domain"]


def __getattr__(name: str) -> Any:
    """``verify_domain`` and ``undecided``, imported on first use: the report's policy reads
    ``bluesky.checks`` (light), and a run without the bluesky platform never needs the
    verifier (DNS, the atproto glue)."""
    if name in {"undecided", "verify_domain"}:
        from brandaudit.bluesky import verify

        return getattr(verify, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
