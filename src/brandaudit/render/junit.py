"""``-f junit``: JUnit XML for CI test reporters.

``testsuites > testsuite`` (one per brand) ``> testcase``: one per declared claim
(``classname="brandaudit.<platform>"``) and one per Bluesky domain check
(``classname="brandaudit.bluesky"``). A failing claim is a ``<failure>`` (``type`` says
whether it was required), an undecided claim an ``<error>``, a skipped check ``<skipped>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC

from brandaudit.bluesky.checks import spec_for
from brandaudit.model import (
    Brand,
    CheckStatus,
    ClaimOutcome,
    Report,
)
from brandaudit.render.base import Format, FunctionRenderer
from brandaudit.render.common import need_word
from brandaudit.render.findings import Finding, brand_findings
from brandaudit.render.options import RenderOptions

# Characters XML 1.0 can't carry (control characters other than tab, newline, return).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


class _Counts:
    def __init__(self) -> None:
        self.tests = self.failures = self.errors = self.skipped = 0

    def attrs(self) -> dict[str, str]:
        return {
            "tests": str(self.tests),
            "failures": str(self.failures),
            "errors": str(self.errors),
            "skipped": str(self.skipped),
        }

    def add(self, other: _Counts) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.skipped += other.skipped


def _claim_case(parent: ET.Element, f: Finding, counts: _Counts) -> None:
    assert f.claim is not None
    claim = f.claim
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "classname": _clean(f"brandaudit.{claim.platform}"),
            "name": _clean(f"claim {claim.handle} ({need_word(claim)})"),
        },
    )
    counts.tests += 1
    reason = _clean(f.message)
    if claim.outcome is ClaimOutcome.FAIL:
        counts.failures += 1
        failure = ET.SubElement(
            case, "failure", {"message": reason, "type": f"{need_word(claim)}-claim"}
        )
        failure.text = reason
    elif claim.outcome is ClaimOutcome.UNDECIDED:
        counts.errors += 1
        error = ET.SubElement(case, "error", {"message": reason, "type": "undecided"})
        error.text = reason
    else:
        ET.SubElement(case, "system-out").text = reason


def _check_case(parent: ET.Element, f: Finding, counts: _Counts) -> None:
    assert f.check is not None
    assert f.bluesky_domain is not None
    check = f.check
    name = spec_for(check.id).junit_name(f.bluesky_domain)
    case = ET.SubElement(
        parent, "testcase", {"classname": "brandaudit.bluesky", "name": _clean(name)}
    )
    counts.tests += 1
    message = _clean(f.message)
    fix = f"\nfix: {_clean(f.remediation)}" if f.remediation is not None else ""
    detail = message + fix
    if check.status is CheckStatus.FAIL:
        counts.failures += 1
        ET.SubElement(case, "failure", {"message": message, "type": "bluesky"}).text = detail
    elif check.status is CheckStatus.SKIP:
        counts.skipped += 1
        ET.SubElement(case, "skipped", {"message": message})
    else:
        ET.SubElement(case, "system-out").text = f"{check.status.value}: {detail}"


def _change_case(parent: ET.Element, f: Finding, counts: _Counts) -> None:
    """A regression since the baseline (``check --baseline``), as a failing case."""
    assert f.change is not None
    change = f.change
    subject = " ".join(p for p in (change.platform, change.handle) if p) or "brand"
    case = ET.SubElement(
        parent,
        "testcase",
        {"classname": "brandaudit.changes", "name": _clean(f"{change.kind.value} {subject}")},
    )
    counts.tests += 1
    counts.failures += 1
    message = _clean(f.message)
    ET.SubElement(case, "failure", {"message": message, "type": change.kind.value}).text = message


def _suite(
    parent: ET.Element, brand: Brand, timestamp: str, total: _Counts, options: RenderOptions
) -> None:
    suite = ET.SubElement(
        parent, "testsuite", {"name": _clean(f"brandaudit {brand.domain}"), "timestamp": timestamp}
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("domain", brand.domain),
        ("score", "" if brand.score is None else str(brand.score)),
        ("grade", brand.grade or ""),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _clean(value)})
    counts = _Counts()
    # One case per finding (render.findings): claims, Bluesky checks, regressions, people.
    for f in brand_findings(brand, options):
        if f.check is not None:
            _check_case(suite, f, counts)
        elif f.change is not None:
            _change_case(suite, f, counts)
        else:
            _claim_case(suite, f, counts)
    for key, value in counts.attrs().items():
        suite.set(key, value)
    total.add(counts)


def render_junit(report: Report, options: RenderOptions | None = None) -> str:
    root = ET.Element("testsuites", {"name": "brandaudit"})
    when = report.generated_at
    if when.tzinfo is not None:  # JUnit timestamps carry no offset: write UTC
        when = when.astimezone(UTC).replace(tzinfo=None)
    timestamp = when.isoformat(timespec="seconds")
    total = _Counts()
    for brand in report.brands:
        _suite(root, brand, timestamp, total, options or RenderOptions())
    # Jenkins' JUnit schema allows no ``skipped`` on <testsuites> (each <testsuite> has it).
    for key, value in total.attrs().items():
        if key != "skipped":
            root.set(key, value)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


RENDERER = FunctionRenderer(Format.JUNIT, render_junit)
