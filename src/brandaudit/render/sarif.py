"""``-f sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

* One run for every brand (GitHub rejects a file with more than 20 runs), with
  ``automationDetails.id`` from ``--sarif-category`` (upload-sarif's ``category`` sets the
  same thing), ``brandaudit/`` by default. Each result says its brand (``properties.domain``)
  and its fingerprint includes the domain, so alerts of one brand never close another's.
* One rule per check kind that ran (``claim/<platform>``, ``bluesky/<check id>``), passing ones
  included, so GitHub closes an alert once the problem is fixed.
* One result per failing or undecided claim and per failing or warning Bluesky check. GitHub
  rejects a result without a location (upload-sarif: "expected at least one location"), so
  every result has one: the config line that declares it; else the ``--input`` line that
  lists the brand; else line 1 of the config file; else line 1 of the stated file
  (``--sarif-location``, or the running workflow in GitHub Actions); else line 1 of
  ``brandaudit.toml``, where ``brandaudit init`` puts the claims.
* ``security-severity`` is a string holding a number 0.0-10.0 on each rule, tagged
  ``security``: GitHub shows it as critical (>= 9.0), high (>= 7.0), medium (>= 4.0) or low.
* With ``check --baseline``: one result per regression since the baseline (``change/<kind>``;
  ``lost`` and ``bluesky_changed`` are errors, other regressions warnings).
* People's required handles (``[[people]] required``): rule ``person/<platform>``.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import (
    BlueskyCheck,
    Brand,
    Change,
    ChangeKind,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    PlatformResult,
    Report,
)
from brandaudit.policy.match import person_result, result_for
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.common import need_word, one_line
from brandaudit.render.lookalikes import sarif_results as lookalike_sarif_results
from brandaudit.render.options import RenderOptions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/brandaudit/brandaudit"
CLAIM_HELP_URI = f"{INFORMATION_URI}/blob/main/README.md#configuration"
BLUESKY_HELP_URI = "https://atproto.com/specs/handle"
DEFAULT_CATEGORY = "brandaudit/"
FINGERPRINT_KEY = "brandaudit/v1"

# GitHub maps security-severity to critical (>= 9), high (>= 7), medium (>= 4), low.
CLAIM_SEVERITY = "7.5"
"""A handle the brand declares but doesn't hold can be squatted and used to impersonate it."""


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:32]


def _artifact(config_path: str) -> dict[str, Any]:
    path = PurePath(config_path)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


DEFAULT_LOCATION = "brandaudit.toml"
"""The last resort of a result's location: where ``brandaudit init`` writes the claims."""


def _where(options: RenderOptions, line: int | None, domain: str) -> tuple[str, int]:
    """The file and line a result points at (see the module docstring for the order)."""
    if options.config_path and line:
        return options.config_path, line
    if options.input_path and (listed := options.input_lines.get(domain)):
        return options.input_path, listed
    if options.config_path:
        return options.config_path, 1
    return (options.sarif_location or DEFAULT_LOCATION), 1


def _at(options: RenderOptions, domain: str, line: int | None) -> dict[str, Any]:
    """``_locations`` with the line last (what ``render.lookalikes`` calls)."""
    return _locations(options, line, domain)


def _locations(options: RenderOptions, line: int | None, domain: str) -> dict[str, Any]:
    """``{"locations": [...]}``: every result has one (GitHub rejects a result without)."""
    path, number = _where(options, line, domain)
    return {
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(path),
                    "region": {"startLine": max(number, 1)},
                }
            }
        ]
    }


def _claim_rule(brand: Brand, platform: str) -> dict[str, Any]:
    name = next((r.platform_name for r in brand.platforms if r.platform == platform), platform)
    return {
        "id": f"claim/{platform}",
        "name": f"Claim{''.join(p.capitalize() for p in platform.replace('-', '_').split('_'))}",
        "shortDescription": {"text": f"The brand holds its declared {name} handle"},
        "fullDescription": {
            "text": f"A handle declared under [claims] (or with --require {platform}) must be "
            f"held on {name}. An unheld handle can be registered by anyone and used to "
            "impersonate the brand."
        },
        "helpUri": CLAIM_HELP_URI,
        "help": {
            "text": f"Register the handle on {name}, or correct the declared handle in "
            "brandaudit.toml. Undecided results (blocked, rate-limited, timed out) clear on a "
            "later run.",
            "markdown": f"**Register the handle on {name}**, or correct `[claims] {platform}` "
            "in `brandaudit.toml`.\n\nAn *undecided* result means the platform did not answer "
            "clearly (blocked, rate-limited, timed out); run brandaudit again later.",
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "security-severity": CLAIM_SEVERITY,
            "tags": ["security", "brand", "impersonation", platform],
            "precision": "high",
        },
    }


def _bluesky_rule(check_id: str) -> dict[str, Any]:
    """``bluesky/<check id>``: every word from its spec (``brandaudit.bluesky.checks``)."""
    spec = spec_for(check_id)
    return {
        "id": spec.rule_id,
        "name": spec.rule_name,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.full_description},
        "helpUri": BLUESKY_HELP_URI,
        "help": {"text": spec.help_text, "markdown": spec.help},
        "defaultConfiguration": {"level": "note" if spec.informational else "warning"},
        "properties": {
            "security-severity": spec.severity,
            "tags": ["security", "brand", "bluesky", "dns"],
            "precision": "high",
        },
    }


def _claim_result(
    brand: Brand,
    claim: ClaimResult,
    rule_index: int,
    options: RenderOptions,
    answer: PlatformResult | None = None,
) -> dict[str, Any] | None:
    """The SARIF result for a claim that doesn't pass; ``answer`` is the result the claim
    refers to when it isn't the brand's own (a person's handle), for its "Fix:"."""
    if claim.outcome is ClaimOutcome.PASS:
        return None
    need = need_word(claim)
    if claim.outcome is ClaimOutcome.FAIL:
        level = "error" if claim.required else "warning"
        text = f"The {need} {claim.platform} claim {claim.handle!r} fails: {one_line(claim.reason)}"
    else:
        level = "warning" if claim.required else "note"
        text = (
            f"The {need} {claim.platform} claim {claim.handle!r} could not be decided: "
            f"{one_line(claim.reason)}"
        )
    match = answer or result_for(brand, claim.platform, claim.handle)
    if match is not None and match.remediation:
        text += f" Fix: {one_line(match.remediation)}"
    rule_id = f"claim/{claim.platform}"
    properties: dict[str, Any] = {
        "domain": brand.domain,
        "platform": claim.platform,
        "handle": claim.handle,
        "required": claim.required,
        "outcome": claim.outcome.value,
    }
    if claim.outcome is ClaimOutcome.UNDECIDED and match is not None and match.cause is not None:
        properties["cause"] = match.cause.value  # why undecided (model.Cause)
    return {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": text},
        **_locations(options, claim.config_line, brand.domain),
        "partialFingerprints": {
            FINGERPRINT_KEY: _fingerprint(
                rule_id, brand.domain, claim.platform, claim.handle.lower()
            )
        },
        "properties": properties,
    }


def _bluesky_result(
    brand: Brand, check: BlueskyCheck, rule_index: int, options: RenderOptions
) -> dict[str, Any] | None:
    if check.status not in {CheckStatus.FAIL, CheckStatus.WARN}:
        return None
    assert brand.bluesky_domain is not None
    domain = brand.bluesky_domain.domain
    text = f"Bluesky domain handle {domain}, {check.id}: {one_line(check.message)}"
    if check.fix:
        text += f" Fix: {one_line(check.fix)}"
    line = options.config_lines.get("claims.bluesky") or options.config_lines.get("brand.domain")
    rule_id = spec_for(check.id).rule_id
    return {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": "error" if check.status is CheckStatus.FAIL else "warning",
        "message": {"text": text},
        **_locations(options, line, brand.domain),
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(rule_id, brand.domain, domain)},
        "properties": {"domain": domain, "check": check.id, "status": check.status.value},
    }


def _driver(version: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "driver": {
            "name": "brandaudit",
            "semanticVersion": version,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }
    }


def sarif_log(report: Report, options: RenderOptions | None = None) -> dict[str, Any]:
    """One run holding every brand's results (see the module docstring)."""
    options = options or RenderOptions()
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []

    def rule_index(rule: dict[str, Any]) -> int:
        if rule["id"] not in index:
            index[rule["id"]] = len(rules)
            rules.append(rule)
        return index[rule["id"]]

    for brand in report.brands:
        for claim in brand.claims:
            i = rule_index(_claim_rule(brand, claim.platform))
            if (result := _claim_result(brand, claim, i, options)) is not None:
                results.append(result)
        if brand.bluesky_domain is not None:
            for check in brand.bluesky_domain.checks:
                i = rule_index(_bluesky_rule(check.id))
                if (result := _bluesky_result(brand, check, i, options)) is not None:
                    results.append(result)
        for change in brand.changes:  # check --baseline (brandaudit.history)
            if change.regression:
                i = rule_index(_change_rule(change))
                results.append(_change_result(brand, change, i, options))
        results.extend(_people_results(brand, rule_index, options))  # brandaudit.people
        results.extend(  # the look-alike watch's suspects (brandaudit.lookalikes)
            lookalike_sarif_results(
                brand, rule_index, functools.partial(_at, options, brand.domain)
            )
        )
    category = (options.sarif_category or DEFAULT_CATEGORY).strip() or DEFAULT_CATEGORY
    run: dict[str, Any] = {
        "tool": _driver(report.tool.version, rules),
        "automationDetails": {"id": category},
        "results": results,
        "properties": {
            "brands": [
                {"domain": b.domain, "score": b.score, "grade": b.grade} for b in report.brands
            ]
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _people_results(
    brand: Brand, rule_index: Callable[[dict[str, Any]], int], options: RenderOptions
) -> list[dict[str, Any]]:
    """SARIF results for people's required handles, through the brand's claim helpers
    (rule ``person/<platform>``; fingerprints include the person's name)."""
    results: list[dict[str, Any]] = []
    for person in brand.people:
        for claim in person.claims:
            rule = dict(_claim_rule(brand, claim.platform))
            rule["id"] = f"person/{claim.platform}"
            rule["name"] = "Person" + rule["name"]
            rule["shortDescription"] = {
                "text": f"A person of the brand holds their required {claim.platform} handle"
            }
            i = rule_index(rule)
            # The person's own result carries the "Fix:" (not a brand row with that handle).
            result = _claim_result(brand, claim, i, options, person_result(person, claim.platform))
            if result is None:
                continue
            result["ruleId"] = rule["id"]
            result["properties"] = {**result.get("properties", {}), "person": person.name}
            key = next(iter(result.get("partialFingerprints", {})), None)
            if key is not None:
                result["partialFingerprints"][key] += f"/{person.name.casefold()}"
            results.append(result)
    return results


_CHANGE_ERRORS = {ChangeKind.LOST, ChangeKind.BLUESKY_CHANGED}
"""Regressions reported as errors (the default ``--fail-on-change``); others are warnings."""


def _change_rule(change: Change) -> dict[str, Any]:
    """``change/<kind>``: a brand lost ground since the baseline (``check --baseline``)."""
    kind = change.kind.value
    return {
        "id": f"change/{kind}",
        "name": "BrandChange" + "".join(part.title() for part in kind.split("_")),
        "shortDescription": {"text": f"Changed since the baseline: {kind.replace('_', ' ')}"},
        "fullDescription": {
            "text": "A handle, ownership link, Bluesky domain handle, declared profile or "
            "score got worse since the baseline run (check --baseline)."
        },
        "helpUri": f"{INFORMATION_URI}/blob/main/README.md#history-and-drift",
        "defaultConfiguration": {"level": "error" if change.kind in _CHANGE_ERRORS else "warning"},
        "properties": {
            "security-severity": CLAIM_SEVERITY,
            "tags": ["security", "brand", "drift"],
        },
    }


def _change_result(
    brand: Brand, change: Change, rule_index: int, options: RenderOptions
) -> dict[str, Any]:
    line = (
        options.config_lines.get(f"claims.{change.platform}")
        if change.platform
        else options.config_lines.get("brand.domain")
    ) or options.config_lines.get("brand.domain")
    rule_id = f"change/{change.kind.value}"
    parts = (change.platform or "", (change.handle or "").lower(), change.before or "")
    return {
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": "error" if change.kind in _CHANGE_ERRORS else "warning",
        "message": {"text": f"{brand.domain}: {one_line(change.message)}"},
        **_locations(options, line, brand.domain),
        "partialFingerprints": {
            FINGERPRINT_KEY: _fingerprint(rule_id, brand.domain, *parts, change.after or "")
        },
        "properties": {
            "domain": brand.domain,
            "kind": change.kind.value,
            "platform": change.platform,
            "handle": change.handle,
            "before": change.before,
            "after": change.after,
        },
    }


def render_sarif(report: Report, options: RenderOptions | None = None) -> str:
    return json.dumps(sarif_log(report, options), indent=2, ensure_ascii=False) + "\n"


RENDERER = FunctionRenderer(Format.SARIF, render_sarif, is_json=True)
