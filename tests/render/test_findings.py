"""The derived finding view (``render.findings``): SARIF, GitHub annotations and JUnit read
the same findings, so their counts, rules, messages and fixes agree."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from brandaudit.config import line_index
from brandaudit.model import Report
from brandaudit.render import RenderOptions
from brandaudit.render.findings import brand_findings
from brandaudit.render.github import collect_annotations
from brandaudit.render.junit import render_junit
from brandaudit.render.sarif import render_sarif
from tests.render.reports import CONFIG_TEXT, REPORTS, client_report, typical_report

OPTIONS = RenderOptions(config_path="brandaudit.toml", config_lines=line_index(CONFIG_TEXT))
ALL: dict[str, Callable[[], Report]] = {
    **REPORTS,
    "typical": typical_report,
    "client": client_report,
}


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_three_formats_consume_one_view(name: str) -> None:
    report = ALL[name]()
    found = [f for brand in report.brands for f in brand_findings(brand, OPTIONS)]
    reported = [f for f in found if f.reported]
    if name in {"full", "typical"}:
        assert {f.kind for f in reported} >= {"claim", "bluesky"}
    suspects = sum(
        1
        for b in report.brands
        if b.lookalikes
        for x in b.lookalikes.findings
        if x.classification.value == "suspect"
    )

    log = json.loads(render_sarif(report, OPTIONS))
    results = [
        r for r in log["runs"][0]["results"] if r["ruleId"] != "brandaudit/lookalike-suspect"
    ]
    assert [r["ruleId"] for r in results] == [f.rule for f in reported]
    assert [r["level"] for r in results] == [f.level for f in reported]
    for result, f in zip(results, reported, strict=True):
        assert f.message in result["message"]["text"]
        if f.remediation is not None:
            assert result["message"]["text"].endswith(f" Fix: {f.remediation}")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == (f.line or 1)
    rule_ids = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {f.rule for f in found} <= rule_ids  # passing checks keep their rule

    annotations = collect_annotations(report, OPTIONS)
    assert len(annotations) == len(reported) + suspects
    for f in reported:
        assert any(f.message in a.message and a.line == (f.line or 1) for a in annotations)

    root = ET.fromstring(render_junit(report, OPTIONS).encode())
    assert len(root.findall(".//testcase")) == len(found)


def test_a_passing_claim_is_a_finding_with_nothing_to_report() -> None:
    report = ALL["clean"]()
    found = [f for b in report.brands for f in brand_findings(b, OPTIONS)]
    assert found
    assert all(not f.reported and f.level == "none" for f in found if f.kind == "claim")
