"""Each format's contract, beyond its golden file: schemas, structure, escaping, width."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandaudit import policy
from brandaudit.config import line_index
from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    CheckStatus,
    ClaimOutcome,
    ClaimResult,
    Report,
    ToolInfo,
)
from brandaudit.render import EXTENSIONS, Format, RenderOptions, format_for_name, render
from brandaudit.render.github import (
    MAX_PER_LEVEL,
    annotation_commands,
    escape_data,
    escape_property,
    fit_summary,
    step_summary,
)
from brandaudit.render.markdown import md
from brandaudit.render.sarif import sarif_log
from tests.conftest import brandaudit_command
from tests.render.reports import CLOCK, CONFIG_TEXT, REPORTS, full_report, hostile_report

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
OPTIONS = RenderOptions(config_path="brandaudit.toml", config_lines=line_index(CONFIG_TEXT))


@pytest.fixture(scope="module")
def report_schema() -> dict[str, Any]:
    out = subprocess.run(
        [*brandaudit_command(), "schema"], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(out.stdout)


def _many_claims(n: int) -> Report:
    claims = tuple(
        ClaimResult(
            platform=f"p{i}",
            handle="acme",
            required=i % 2 == 0,
            outcome=ClaimOutcome.FAIL,
            reason="available",
            config_line=i + 2,
        )
        for i in range(n)
    )
    brand = Brand(domain="acme.com", claims=claims)
    brand = brand.model_copy(update={"next_steps": policy.next_steps(brand)})
    return Report(tool=ToolInfo(version="0.1.0"), generated_at=CLOCK, brands=(brand,))


# --- every format -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("name", sorted(REPORTS))
def test_every_format_renders_every_report(fmt: Format, name: str) -> None:
    text = render(REPORTS[name](), fmt, OPTIONS)
    assert text.endswith("\n") or (fmt.value == "jsonl" and name == "empty")


def test_every_format_has_a_file_extension() -> None:
    assert set(EXTENSIONS.values()) >= set(Format) - {f for f in Format if f.value == "jsonl"}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("report.json", Format.JSON),
        ("report.sarif", Format.SARIF),
        ("report.sarif.json", Format.SARIF),
        ("REPORT.SARIF", Format.SARIF),
        ("summary.md", Format.MARKDOWN),
        ("results.xml", Format.JUNIT),
        ("results.junit.xml", Format.JUNIT),
        ("report.txt", Format.TABLE),
        ("report.html", Format.HTML),
        ("report.pdf", None),
        (".json", None),
    ],
)
def test_format_for_name(name: str, fmt: Format | None) -> None:
    assert format_for_name(name) is fmt


# --- json -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_json_validates_against_brandaudit_schema(name: str, report_schema: dict[str, Any]) -> None:
    data = json.loads(render(REPORTS[name](), Format.JSON))
    jsonschema.validate(data, report_schema)
    assert Report.model_validate(data) == REPORTS[name]()


# --- sarif ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_sarif_validates_against_the_official_schema(
    name: str, sarif_validator: jsonschema.Draft4Validator
) -> None:
    log = json.loads(render(REPORTS[name](), Format.SARIF, OPTIONS))
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    assert log["version"] == "2.1.0"
    assert log["$schema"].startswith("https://")
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "brandaudit"
    assert driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")


def test_sarif_schema_rejects_a_broken_log(sarif_validator: jsonschema.Draft4Validator) -> None:
    # The validator is not vacuous: a result without a message is invalid SARIF.
    log = sarif_log(full_report(), OPTIONS)
    del log["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(log))


def test_sarif_rules_cover_every_check_that_ran_passing_ones_too() -> None:
    run = sarif_log(full_report(), OPTIONS)["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert ids == [
        "claim/github",
        "claim/mastodon",
        "claim/x",
        "claim/bluesky",
        "bluesky/handle_syntax",
        "bluesky/dns_txt",
        "bluesky/well_known",
        "bluesky/methods_agree",
        "bluesky/verification",
    ]
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"]
        assert rule["helpUri"].startswith("https://")
        assert rule["help"]["markdown"]
        severity = rule["properties"]["security-severity"]
        # GitHub reads a *string* holding a number 0.0-10.0, on rules tagged "security".
        assert isinstance(severity, str) and 0.0 < float(severity) <= 10.0
        assert "security" in rule["properties"]["tags"]


def test_sarif_results_only_for_failures_located_on_the_config_line() -> None:
    run = sarif_log(full_report(), OPTIONS)["runs"][0]
    found = {
        (r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    }
    lines = line_index(CONFIG_TEXT)
    assert found == {
        ("claim/mastodon", "error", lines["claims.mastodon"]),
        ("claim/x", "note", lines["claims.x"]),
        ("claim/bluesky", "error", lines["claims.bluesky"]),
        ("bluesky/dns_txt", "error", lines["claims.bluesky"]),
        ("bluesky/well_known", "warning", lines["claims.bluesky"]),
    }
    for result in run["results"]:
        rules = run["tool"]["driver"]["rules"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "brandaudit.toml", "uriBaseId": "%SRCROOT%"}
    assert run["automationDetails"]["id"] == "brandaudit/"


def test_sarif_fingerprints_are_stable_and_distinct() -> None:
    first = sarif_log(full_report(), OPTIONS)["runs"][0]["results"]
    again = sarif_log(full_report(), RenderOptions())["runs"][0]["results"]
    prints = [r["partialFingerprints"]["brandaudit/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["brandaudit/v1"] for r in again]
    assert len(set(prints)) == len(prints)


def test_sarif_without_a_config_file_still_has_a_location() -> None:
    run = sarif_log(hostile_report(), RenderOptions())["runs"][0]
    # GitHub rejects a result without a location: the default file, line 1.
    location = run["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "brandaudit.toml", "uriBaseId": "%SRCROOT%"}
    with_file = sarif_log(hostile_report(), RenderOptions(config_path="brandaudit.toml"))
    location = with_file["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 1}


def test_sarif_absolute_config_path_is_a_file_uri(tmp_path: Path) -> None:
    options = RenderOptions(config_path=str(tmp_path / "brandaudit.toml"))
    run = sarif_log(hostile_report(), options)["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == (tmp_path / "brandaudit.toml").as_uri()


def test_sarif_one_run_for_all_brands_with_a_settable_category() -> None:
    full = full_report()
    many = full.model_copy(
        update={
            "brands": tuple(
                full.brands[0].model_copy(update={"domain": f"b{i}.io"}) for i in range(22)
            )
        }
    )
    log = sarif_log(many, RenderOptions(sarif_category="brands/nightly"))
    (run,) = log["runs"]  # GitHub rejects more than 20 runs in one file
    assert run["automationDetails"]["id"] == "brands/nightly"
    domains = {r["properties"]["domain"] for r in run["results"] if "platform" in r["properties"]}
    assert len(domains) == 22
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    prints = [r["partialFingerprints"]["brandaudit/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


# --- junit ------------------------------------------------------------------------------


def test_junit_structure_and_counts() -> None:
    root = ET.fromstring(render(full_report(), Format.JUNIT))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("tests") == str(len(cases)) == root.get("tests") == "9"
    assert suite.get("failures") == str(len(suite.findall("testcase/failure"))) == "3"
    assert suite.get("errors") == str(len(suite.findall("testcase/error"))) == "1"
    assert suite.get("skipped") == str(len(suite.findall("testcase/skipped"))) == "1"
    # Jenkins' JUnit XSD (xunit-plugin junit-10.xsd) allows only these on <testsuites>.
    assert set(root.attrib) <= {"name", "time", "tests", "failures", "disabled", "errors"}
    by_class: dict[str, list[str]] = {}
    for case in cases:
        by_class.setdefault(case.get("classname", ""), []).append(case.get("name", ""))
    assert by_class["brandaudit.mastodon"] == ["claim acme (required)"]
    assert "acme.com dns_txt" in by_class["brandaudit.bluesky"]
    undecided = suite.find("testcase[@classname='brandaudit.x']/error")
    assert undecided is not None and "rate-limited" in (undecided.get("message") or "")


def test_junit_survives_control_characters() -> None:
    text = render(hostile_report(), Format.JUNIT)
    root = ET.fromstring(text)  # would raise on a raw \x07
    assert root.get("failures") == "1"
    assert "\x07" not in text


# --- markdown ---------------------------------------------------------------------------


def _unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_escapes_hostile_text() -> None:
    text = render(hostile_report(), Format.MARKDOWN)
    assert "<b>" not in text
    assert "\x07" not in text and "\r" not in text
    assert "[x](http://evil)" not in text
    columns = None  # every row of a table has as many cells as its header
    for line in text.splitlines():
        if not line.startswith("|"):
            columns = None
            continue
        if columns is None:
            columns = _unescaped_pipes(line)
        assert _unescaped_pipes(line) == columns, line


@given(st.text(max_size=200))
def test_md_escape_is_one_inert_line(text: str) -> None:
    out = md(text)
    assert "\n" not in out and "\r" not in out
    assert _unescaped_pipes(out) == 0
    assert "<" not in out and ">" not in out


# --- table ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_table_fits_80_columns_without_colour(name: str) -> None:
    text = render(REPORTS[name](), Format.TABLE, RenderOptions(color=False, width=80))
    assert "\x1b[" not in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_table_reads_with_words_not_colours() -> None:
    text = render(full_report(), Format.TABLE, RenderOptions(color=False, width=80))
    assert "grade F (30/100)" in text.splitlines()[0]
    for word in ("claimed", "available", "unknown", "PASS", "FAIL", "UNDECIDED", "Next steps"):
        assert word in text
    assert "1. Claim acme on Mastodon" in text
    assert "https://joinmastodon.org/servers" in text


def test_table_with_colour_has_ansi_codes() -> None:
    text = render(full_report(), Format.TABLE, RenderOptions(color=True, width=80))
    assert "\x1b[" in text


def test_table_shows_only_failing_bluesky_checks_in_short() -> None:
    text = render(full_report(), Format.TABLE, RenderOptions(width=80))
    assert "Bluesky domain handle acme.com: MISCONFIGURED (required claim)" in text
    assert "  FAIL dns_txt: " in text and "  WARN well_known: " in text
    assert "1 passed, 1 informational, 1 skipped" in text  # adds up to the 5 checks


def test_table_caps_next_steps() -> None:
    text = render(_many_claims(14), Format.TABLE, RenderOptions(width=80))
    assert "5. " in text and "6. " not in text
    assert "… and 9 more" in text


# --- github -----------------------------------------------------------------------------


def _unescape(text: str) -> str:
    for raw, escaped in (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")):
        text = text.replace(escaped, raw)
    return text


@given(st.text(max_size=200))
def test_annotation_escaping_round_trips(text: str) -> None:
    data = escape_data(text)
    prop = escape_property(text)
    assert "\n" not in data and "\r" not in data
    assert ":" not in prop and "," not in prop and "\n" not in prop
    assert _unescape(prop) == text


def test_annotations_are_capped_per_level_with_a_notice() -> None:
    lines = annotation_commands(_many_claims(30))
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == len(warnings) == MAX_PER_LEVEL
    assert lines[-1].startswith("::notice ") and "10 more finding(s)" in lines[-1]


def test_annotations_name_file_and_line() -> None:
    lines = annotation_commands(full_report(), OPTIONS)
    line = line_index(CONFIG_TEXT)["claims.mastodon"]
    assert lines[0].startswith(f"::error file=brandaudit.toml,line={line},title=")


def test_annotation_of_hostile_text_stays_one_command() -> None:
    (line,) = annotation_commands(hostile_report())
    assert line.count("\n") == 0
    assert "100%25" in line


def test_step_summary_fits_the_limit() -> None:
    big = _many_claims(400)
    full = step_summary(big, limit=10**9)
    cut = step_summary(big, limit=4096)
    assert len(full.encode()) > 4096
    assert len(cut.encode()) <= 4096
    assert "cut to fit" in cut
    assert fit_summary("abc", 0) == ""
    assert fit_summary("é" * 10, 1000) == "é" * 10


def test_report_with_bluesky_only_warnings() -> None:
    domain = BlueskyDomain(
        domain="acme.com",
        status=BlueskyStatus.VERIFIED,
        checks=(BlueskyCheck(id="appview", status=CheckStatus.WARN, message="stale", fix="wait"),),
    )
    report = Report(
        tool=ToolInfo(version="0.1.0"),
        generated_at=CLOCK,
        brands=(Brand(domain="acme.com", bluesky_domain=domain),),
    )
    (line,) = annotation_commands(report)
    assert line.startswith("::notice ")
    results = sarif_log(report)["runs"][0]["results"]
    assert [r["level"] for r in results] == ["warning"]


def test_junit_timestamp_is_utc() -> None:
    from datetime import timedelta, timezone

    shifted = full_report().model_copy(
        update={"generated_at": CLOCK.astimezone(timezone(timedelta(hours=2)))}
    )
    suite = ET.fromstring(render(shifted, Format.JUNIT)).find("testsuite")
    assert suite is not None and suite.get("timestamp") == "2026-01-02T03:04:05"


def test_annotations_without_a_config_file_have_no_location() -> None:
    (line,) = annotation_commands(hostile_report(), RenderOptions())
    assert line.startswith("::error title=brandaudit%3A github claim acme::")


# --- the terminal report's shape (issue 14) ------------------------------------------------


def _urls(report: Report) -> list[str]:
    found: list[str] = []
    for brand in report.brands:
        found += [r.url for r in brand.platforms if r.url]
        found += [s.url for s in brand.next_steps if s.url]
    return found


@pytest.mark.parametrize("width", [80, 100, 120])
def test_a_typical_brand_fits_a_screen(width: int) -> None:
    from tests.render.reports import typical_report

    report = typical_report()
    assert len(report.brands[0].platforms) == 15
    text = render(report, Format.TABLE, RenderOptions(width=width, exit_code=1))
    lines = text.splitlines()
    assert len(lines) < 45, len(lines)
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert not any(line != line.rstrip() for line in lines)
    assert "8 platforms unreachable: no network?" in text
    # The summary folds after a " · "; 5 of 15 checks decided is a low-confidence grade.
    start = next(i for i, line in enumerate(lines) if line.startswith("grade "))
    summary = " ".join(line.strip() for line in lines[start:])
    assert summary == (
        "grade D? (50/100, 5 of 15 decided) · 1 required claim fails (bluesky) · "
        "10 undecided → exit 1"
    )
    # One line per platform.
    assert sum(1 for line in lines if line.split(" ")[0] in {"Facebook", "TikTok", "X"}) == 3


@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_links_are_never_split_or_cut(width: int) -> None:
    from brandaudit.render.common import short_url
    from tests.render.reports import typical_report

    report = typical_report()
    text = render(report, Format.TABLE, RenderOptions(width=width))
    words = [w for line in text.splitlines() for w in line.split()]
    for word in words:
        if "://" in word or word.startswith("www."):
            assert not word.endswith("…"), word
    for url in _urls(report):
        shown = [w for w in words if short_url(url) in w or url in w]
        for line in text.splitlines():
            # Any part of a link on a line is the whole link.
            if url.split("://")[-1][:12] in line:
                assert short_url(url) in line or url in line, (url, line)
        del shown


def test_narrow_terminals_get_a_stacked_layout() -> None:
    from tests.render.reports import typical_report

    text = render(typical_report(), Format.TABLE, RenderOptions(width=60))
    lines = text.splitlines()
    assert "Platform" not in lines[2]  # no table header
    i = lines.index("TikTok unknown")
    assert lines[i + 1] == "  acme · blocked or behind a login wall"
    assert all(len(line) <= 60 for line in lines[:-1]), max(lines[:-1], key=len)
