"""The Bluesky domain-handle verifier: is ``acme.com`` set up right as a Bluesky handle?

``verify_domain`` runs the nine checks of docs/bluesky.md and returns a ``BlueskyDomain``;
``bluesky.render.bluesky_panel`` draws one for the terminal; ``bluesky.setup.build_setup``
says what to add for a given DID. The atproto SDK is imported only inside functions.
"""

from __future__ import annotations

from brandaudit.bluesky.checks import CHECK_IDS
from brandaudit.bluesky.verify import undecided, verify_domain

__all__ = ["CHECK_IDS", "undecided", "verify_domain"]
