"""Changes since the baseline in every output format (renderers are pure: no world needed)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from brandaudit.model import Brand, Change, ChangeKind, Report, ToolInfo
from brandaudit.render import Format, RenderOptions, render
from brandaudit.render.github import annotation_commands

LOST = Change(
    kind=ChangeKind.LOST,
    platform="github",
    handle="acme",
    before="claimed",
    after="available",
    regression=True,
    message="GitHub acme: was claimed, now available: 404",
)
GAINED = Change(
    kind=ChangeKind.GAINED,
    platform="mastodon",
    handle="acme",
    before="available",
    after="claimed",
    regression=False,
    message="Mastodon acme: was available, now claimed the brand's (ownership verified)",
)
SCORE = Change(
    kind=ChangeKind.SCORE_CHANGED,
    before="100",
    after="50",
    regression=True,
    message="readiness 100 -> 50 (A -> D)",
)


def _report(*changes: Change) -> Report:
    brand = Brand(domain="acme.com", handles=("acme",), score=50, grade="D", changes=changes)
    return Report(
        tool=ToolInfo(version="1.0"), generated_at=datetime(2026, 1, 1, tzinfo=UTC), brands=(brand,)
    )


OPTIONS = RenderOptions(
    config_path="brandaudit.toml", config_lines={"claims.github": 7, "brand.domain": 2}
)


def test_json_carries_changes_only_when_there_are_some() -> None:
    data = json.loads(render(_report(LOST, GAINED), Format.JSON))
    assert [c["kind"] for c in data["brands"][0]["changes"]] == ["lost", "gained"]
    assert "changes" not in json.loads(render(_report(), Format.JSON))["brands"][0]
    line = json.loads(render(_report(LOST), Format.JSONL))
    assert line["changes"][0]["regression"] is True


def test_markdown_and_table_have_a_since_last_run_section() -> None:
    markdown = render(_report(LOST, GAINED), Format.MARKDOWN)
    assert "#### Since last run" in markdown
    assert "| `lost` | **yes** | GitHub acme: was claimed, now available: 404 |" in markdown
    assert "| `gained` | no |" in markdown
    assert "Since last run" not in render(_report(), Format.MARKDOWN)
    table = render(_report(LOST, GAINED), Format.TABLE, RenderOptions(width=100))
    assert "Since last run" in table
    assert re.search(r"^lost +GitHub acme: was claimed, now available: 404$", table, re.M)
    assert "Since last run" not in render(_report(), Format.TABLE, RenderOptions(width=100))


def test_sarif_reports_regressions_only() -> None:
    log = json.loads(render(_report(LOST, GAINED, SCORE), Format.SARIF, OPTIONS))
    run = log["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"change/lost", "change/score_changed"}
    lost = results["change/lost"]
    assert lost["level"] == "error"
    assert lost["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert results["change/score_changed"]["level"] == "warning"
    assert results["change/score_changed"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 2
    }
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["change/lost", "change/score_changed"]
    assert lost["ruleIndex"] == 0
    again = json.loads(render(_report(LOST), Format.SARIF, OPTIONS))["runs"][0]["results"][0]
    assert again["partialFingerprints"] == lost["partialFingerprints"]


def test_github_annotations_for_regressions() -> None:
    lines = annotation_commands(_report(LOST, GAINED, SCORE), OPTIONS)
    assert lines == [
        "::error file=brandaudit.toml,line=7,title=brandaudit%3A lost since the last run::"
        "acme.com: GitHub acme: was claimed, now available: 404",
        "::warning file=brandaudit.toml,line=2,title=brandaudit%3A score changed since the "
        "last run::acme.com: readiness 100 -> 50 (A -> D)",
    ]


def test_junit_fails_a_case_per_regression() -> None:
    xml = render(_report(LOST, GAINED), Format.JUNIT)
    assert 'classname="brandaudit.changes" name="lost github acme"' in xml
    assert 'type="lost"' in xml
    assert "gained" not in xml
    assert 'failures="1"' in xml
