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
from pathlib import PurePath
from typing import Any

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import (
    Brand,
    Change,
    ClaimOutcome,
    Report,
)
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.common import need_word
from brandaudit.render.findings import CHANGE_ERRORS, Finding, brand_findings
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


def _claim_result(f: Finding, rule_index: int, options: RenderOptions) -> dict[str, Any]:
    """The SARIF result for a claim that doesn't pass (the brand's or a person's)."""
    assert f.claim is not None
    claim = f.claim
    verdict = "fails" if claim.outcome is ClaimOutcome.FAIL else "could not be decided"
    text = f"The {need_word(claim)} {claim.platform} claim {claim.handle!r} {verdict}: {f.message}"
    if f.remediation is not None:
        text += f" Fix: {f.remediation}"
    rule_id = f"claim/{claim.platform}"
    properties: dict[str, Any] = {
        "domain": f.domain,
        "platform": claim.platform,
        "handle": claim.handle,
        "required": claim.required,
        "outcome": claim.outcome.value,
    }
    answer = f.answer
    if claim.outcome is ClaimOutcome.UNDECIDED and answer is not None and answer.cause is not None:
        properties["cause"] = answer.cause.value  # why undecided (model.Cause)
    fingerprint = _fingerprint(rule_id, f.domain, claim.platform, claim.handle.lower())
    if f.person is not None:
        properties["person"] = f.person
        fingerprint += f"/{f.person.casefold()}"
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.level,
        "message": {"text": text},
        **_locations(options, f.line, f.domain),
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": properties,
    }


def _bluesky_result(f: Finding, rule_index: int, options: RenderOptions) -> dict[str, Any]:
    assert f.check is not None
    assert f.bluesky_domain is not None
    domain = f.bluesky_domain
    text = f"Bluesky domain handle {domain}, {f.check.id}: {f.message}"
    if f.remediation is not None:
        text += f" Fix: {f.remediation}"
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.level,
        "message": {"text": text},
        **_locations(options, f.line, f.domain),
        "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(f.rule, f.domain, domain)},
        "properties": {"domain": domain, "check": f.check.id, "status": f.check.status.value},
    }


def _person_rule(brand: Brand, platform: str) -> dict[str, Any]:
    """``person/<platform>``: the brand's claim rule, worded for a person."""
    rule = dict(_claim_rule(brand, platform))
    rule["id"] = f"person/{platform}"
    rule["name"] = "Person" + rule["name"]
    rule["shortDescription"] = {
        "text": f"A person of the brand holds their required {platform} handle"
    }
    return rule


def _rule(brand: Brand, f: Finding) -> dict[str, Any]:
    if f.check is not None:
        return _bluesky_rule(f.check.id)
    if f.change is not None:
        return _change_rule(f.change)
    assert f.claim is not None
    if f.person is not None:
        return _person_rule(brand, f.claim.platform)
    return _claim_rule(brand, f.claim.platform)


def _result(f: Finding, rule_index: int, options: RenderOptions) -> dict[str, Any]:
    if f.check is not None:
        return _bluesky_result(f, rule_index, options)
    if f.change is not None:
        return _change_result(f, rule_index, options)
    return _claim_result(f, rule_index, options)


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
        # A rule for every claim and check that ran (passing ones too); a result for each
        # that doesn't pass (render.findings: claims, Bluesky, regressions, people).
        for finding in brand_findings(brand, options):
            i = rule_index(_rule(brand, finding))
            if finding.reported:
                results.append(_result(finding, i, options))
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
        "defaultConfiguration": {"level": "error" if change.kind in CHANGE_ERRORS else "warning"},
        "properties": {
            "security-severity": CLAIM_SEVERITY,
            "tags": ["security", "brand", "drift"],
        },
    }


def _change_result(f: Finding, rule_index: int, options: RenderOptions) -> dict[str, Any]:
    assert f.change is not None
    change = f.change
    parts = (change.platform or "", (change.handle or "").lower(), change.before or "")
    fingerprint = _fingerprint(f.rule, f.domain, *parts, change.after or "")
    return {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.level,
        "message": {"text": f"{f.domain}: {f.message}"},
        **_locations(options, f.line, f.domain),
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "domain": f.domain,
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
