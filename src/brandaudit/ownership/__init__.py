"""Ownership and discovery: which accounts are really the brand's.

- ``discover``: read the brand's homepage for the profiles it declares (links, ``rel="me"``,
  JSON-LD ``sameAs``);
- ``plan``: check each declared profile like any other handle;
- ``assess``: decide ownership per result (verified / linked / unconfirmed / not applicable)
  and list what is wrong with the declared links;
- ``domains``: the exact, look-alike-proof host matcher everything above relies on.
"""

from __future__ import annotations

from brandaudit.hosts import host_matches, host_of_url, url_points_to
from brandaudit.ownership.assess import apply, assess, findings_for
from brandaudit.ownership.discover import DiscoveryResult, discover, skipped
from brandaudit.ownership.plan import add_declared_jobs, gather_with_discovery, select_declared

__all__ = [
    "DiscoveryResult",
    "add_declared_jobs",
    "apply",
    "assess",
    "discover",
    "findings_for",
    "gather_with_discovery",
    "host_matches",
    "host_of_url",
    "select_declared",
    "skipped",
    "url_points_to",
]
