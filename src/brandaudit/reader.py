"""The versioned reader: reports and stored runs written by any released brandaudit.

The report format is versioned by ``Report.schema_version`` (the committed schema is
``schemas/report.v<N>.json``). The rule (README "JSON schema"):

- inside a version, changes are additive only: a new optional field, a new enum value. A
  report of an older release of the same version reads as it is, its missing fields filled
  here, once, as it is read (``_fill_v1``);
- anything else (a field renamed, removed, retyped, made required) is a new version, and this
  module gains a converter from the old one, so every saved store and baseline file still
  reads.

The history store keeps each brand as the ``Brand`` JSON of the version that wrote it (schema
1 so far); ``history``, ``diff``, ``import``, ``merge`` and ``check --baseline`` all read
brands through ``brand_from_json``, never through the live model directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from brandaudit.errors import InputError
from brandaudit.model import SCHEMA_VERSION, Brand

READS: frozenset[int] = frozenset({1})
"""The report schema versions this release reads."""


def report_version(data: Mapping[str, Any]) -> int:
    """The ``schema_version`` of a ``-f json`` report (1 when absent: the first releases)."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError(f"not a brandaudit report (schema_version {version!r})")
    return version


def check_version(version: int, where: str) -> None:
    """A clear error for a report this release can't read (written by a newer one)."""
    if version not in READS:
        newest = max(READS)
        hint = "upgrade brandaudit" if version > newest else "it is not a brandaudit report"
        raise InputError(
            f"{where}: report schema {version} (this brandaudit reads up to {newest}); {hint}"
        )


def brand_from_json(raw: str | bytes, version: int = SCHEMA_VERSION) -> Brand:
    """One brand (``Brand`` JSON of report schema ``version``) as today's model.

    Raises ``ValueError`` (pydantic's ``ValidationError`` included) for anything that is not
    a brand result."""
    data = json.loads(raw)
    return brand_from_data(data, version)


def brand_from_data(data: Any, version: int = SCHEMA_VERSION) -> Brand:
    if not isinstance(data, dict):
        raise ValueError("not a brand result (a JSON object is expected)")
    check_version(version, "brand")
    return Brand.model_validate(_fill_v1(data))


# ---------------------------------------------------------------------------------------
# schema 1: fields added after 0.1.0, filled for results written before them


def _fill_v1(brand: dict[str, Any]) -> dict[str, Any]:
    """``cause`` on undecided results and on Bluesky checks that could not be made (added
    after 0.1.0), derived once from what 0.1.0 wrote (``brandaudit.causes.legacy``)."""
    pending = list(_needs_cause(brand))
    if not pending:
        return brand
    from brandaudit.causes import legacy, legacy_check

    for item, kind in pending:
        if kind == "result":
            reason = item.get("reason")
            evidence = item.get("evidence")
            items = (
                [e for e in evidence if isinstance(e, dict)] if isinstance(evidence, list) else []
            )
            item["cause"] = legacy(reason if isinstance(reason, str) else "", items)
        else:
            message = item.get("message")
            cause = legacy_check(message if isinstance(message, str) else "")
            if cause is not None:
                item["cause"] = cause.value
    return brand


def _needs_cause(brand: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str]]:
    """Each undecided result and skipped Bluesky check without a ``cause`` (this edits the
    dicts in place, so the caller's data is what gets filled)."""
    results = list(_dicts(brand.get("platforms")))
    domains = [brand.get("bluesky_domain")]
    for person in _dicts(brand.get("people")):
        results += _dicts(person.get("handles"))
        bluesky = person.get("bluesky")
        if isinstance(bluesky, dict):
            domains.append(bluesky.get("domain"))
    for result in results:
        if result.get("status") == "unknown" and "cause" not in result:
            yield result, "result"
    for domain in domains:
        if isinstance(domain, dict):
            for check in _dicts(domain.get("checks")):
                if check.get("status") == "skip" and "cause" not in check:
                    yield check, "check"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
