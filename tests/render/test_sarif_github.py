"""SARIF that GitHub code scanning accepts in every setup (issue 25).

GitHub rejects a result without a location ("expected at least one location",
github/codeql-action#1738, #2459), so every result points at a file: the config line that
declares it, else the ``--input`` line that lists the brand, else the config file, else the
stated file (``--sarif-location``, or the running workflow), else ``brandaudit.toml``.

Microsoft's SARIF Multitool checks the files with GitHub's own rules (``validate --rule-kind
"Sarif;Gh"``). It comes from npm (``@microsoft/sarif-multitool``; ``.ci/run`` installs it);
the tests that need it skip, saying so, where it is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from brandaudit.render import Format, RenderOptions, render
from brandaudit.render.sarif import DEFAULT_LOCATION, sarif_log
from tests.conftest import World
from tests.render.reports import full_report, hostile_report
from tests.world import platforms as p

_PLATFORM_SUFFIX = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform)


def find_multitool() -> str | None:
    """The Multitool's own binary (its npm ``bin`` wrapper runs it through a shell, which
    splits ``Sarif;Gh``): ``BRANDAUDIT_SARIF_MULTITOOL``, else beside npm packages on
    ``NODE_PATH`` (where .ci/run puts them) or under /tmp/sarif-mt."""
    if explicit := os.environ.get("BRANDAUDIT_SARIF_MULTITOOL"):
        return explicit if Path(explicit).is_file() else None
    if _PLATFORM_SUFFIX is None:
        return None
    roots = [r for r in os.environ.get("NODE_PATH", "").split(os.pathsep) if r]
    roots += ["/tmp/sarif-mt/node_modules", str(Path(__file__).parents[2] / ".ci-npm/node_modules")]
    name = "Sarif.Multitool.exe" if sys.platform == "win32" else "Sarif.Multitool"
    for root in roots:
        candidate = Path(root) / "@microsoft" / f"sarif-multitool-{_PLATFORM_SUFFIX}" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


MULTITOOL = find_multitool()
needs_multitool = pytest.mark.skipif(
    MULTITOOL is None,
    reason="the SARIF Multitool is not installed (npm install @microsoft/sarif-multitool; "
    ".ci/run does it)",
)


def github_rule_errors(sarif_text: str, tmp_path: Path) -> list[str]:
    """The Multitool's errors for the file under the SARIF and GitHub rules (``Sarif;Gh``)."""
    assert MULTITOOL is not None
    source = tmp_path / "under-test.sarif"
    source.write_text(sarif_text, encoding="utf-8")
    out = tmp_path / "validation.sarif"
    out.unlink(missing_ok=True)
    completed = subprocess.run(
        [MULTITOOL, "validate", "--rule-kind", "Sarif;Gh", "-o", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    assert out.exists(), completed.stdout + completed.stderr
    log = json.loads(out.read_text(encoding="utf-8-sig"))
    return [
        f"{r['ruleId']}: {r['message'].get('arguments')}"
        for run in log["runs"]
        for r in run.get("results", [])
        if r.get("level", "warning") == "error"
    ]


def _every_result_located(log: dict[str, Any]) -> list[tuple[str, int]]:
    places = []
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        places.append((location["artifactLocation"]["uri"], location["region"]["startLine"]))
    return places


# --- the validator is not vacuous ---------------------------------------------------------


@needs_multitool
def test_the_multitool_reports_a_result_without_a_location(tmp_path: Path) -> None:
    log = sarif_log(hostile_report(), RenderOptions())
    assert log["runs"][0]["results"]
    for result in log["runs"][0]["results"]:
        del result["locations"]
    errors = github_rule_errors(json.dumps(log), tmp_path)
    assert any(e.startswith("GH1015") for e in errors), errors


# --- where results point (no tool needed) -------------------------------------------------


def test_without_config_or_input_results_point_at_the_stated_file() -> None:
    default = _every_result_located(sarif_log(hostile_report(), RenderOptions()))
    assert default and {uri for uri, _ in default} == {DEFAULT_LOCATION}
    stated = sarif_log(
        hostile_report(), RenderOptions(sarif_location=".github/workflows/brand.yml")
    )
    assert {uri for uri, _ in _every_result_located(stated)} == {".github/workflows/brand.yml"}


def test_input_lines_come_before_the_config_file_but_after_a_config_line() -> None:
    report = full_report()
    domain = report.brands[0].domain
    options = RenderOptions(
        config_path="brandaudit.toml",
        config_lines={},
        input_path="brands.txt",
        input_lines={domain: 7},
    )
    log = sarif_log(report, options)
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        claim_line = next(
            (
                c.config_line
                for c in report.brands[0].claims
                if result["properties"].get("platform") == c.platform and c.config_line
            ),
            None,
        )
        expected = ("brandaudit.toml", claim_line) if claim_line else ("brands.txt", 7)
        assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (expected)


# --- the four setups of issue 25, through the CLI -----------------------------------------

CONFIG = """[brand]
domain = "acme.com"
handles = ["acmehq"]
discover = false

[claims]
github = "acmehq"
"""


@needs_multitool
def test_one_brand_with_a_config(world: World, tmp_path: Path) -> None:
    p.github_not_found(world.http, "acmehq")
    (tmp_path / "brandaudit.toml").write_text(CONFIG, encoding="utf-8")
    result = world.run("check", "-p", "github", "-f", "sarif", cwd=tmp_path)
    assert result.code == 1, result.stderr
    log = json.loads(result.stdout)
    assert _every_result_located(log) == [("brandaudit.toml", 7)]
    assert github_rule_errors(result.stdout, tmp_path) == []


@needs_multitool
def test_twenty_five_brands_without_a_config(world: World, tmp_path: Path) -> None:
    domains = [f"brand{i:02d}.com" for i in range(25)]
    for domain in domains:
        p.github_not_found(world.http, domain.split(".")[0])
    p.bsky_not_found(world.http)
    listing = tmp_path / "brands.txt"
    listing.write_text("# our brands\n" + "\n".join(domains) + "\n", encoding="utf-8")
    result = world.run(
        "check",
        "-i",
        "brands.txt",
        "--require",
        "github",
        "--require",
        "bluesky",
        "-p",
        "github",
        "-p",
        "bluesky",
        "--no-discover",
        "-o",
        "r.sarif",
        cwd=tmp_path,
    )
    assert result.code in {1, 3}, result.stderr
    text = (tmp_path / "r.sarif").read_text(encoding="utf-8")
    log = json.loads(text)
    places = _every_result_located(log)
    assert len(places) >= 25
    by_domain = {
        r["properties"]["domain"]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in log["runs"][0]["results"]
    }
    assert by_domain == {domain: i + 2 for i, domain in enumerate(domains)}
    assert {uri for uri, _ in places} == {"brands.txt"}
    assert github_rule_errors(text, tmp_path) == []


PEOPLE_ONLY = """[brand]
domain = "acme.com"
discover = false

[[people]]
name = "Bob Builder"
handles = { github = "bobby404" }
required = ["github"]
"""


@needs_multitool
def test_people_only_claims(world: World, tmp_path: Path) -> None:
    p.github_not_found(world.http, "bobby404")
    p.github_not_found(world.http, "acme")
    (tmp_path / "brandaudit.toml").write_text(PEOPLE_ONLY, encoding="utf-8")
    result = world.run("check", "-p", "github", "-f", "sarif", cwd=tmp_path)
    assert result.code == 1, result.stderr
    log = json.loads(result.stdout)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["person/github"]
    assert _every_result_located(log) == [("brandaudit.toml", 5)]
    assert github_rule_errors(result.stdout, tmp_path) == []


@needs_multitool
def test_bluesky_sarif_points_at_the_running_workflow(world: World, tmp_path: Path) -> None:
    result = world.run(
        "bluesky",
        "acme.com",
        "-f",
        "sarif",
        cwd=tmp_path,
        env=world.env(
            GITHUB_ACTIONS="true",
            GITHUB_REPOSITORY="acme/site",
            GITHUB_WORKFLOW_REF="acme/site/.github/workflows/brand.yml@refs/heads/main",
        ),
    )
    assert result.code in {1, 3}, result.stderr
    log = json.loads(result.stdout)
    places = _every_result_located(log)
    assert places and set(places) == {(".github/workflows/brand.yml", 1)}
    assert github_rule_errors(result.stdout, tmp_path) == []


def test_bluesky_sarif_points_at_the_stated_file(world: World, tmp_path: Path) -> None:
    result = world.run(
        "bluesky", "acme.com", "-f", "sarif", "--sarif-location", "docs/brand.md", cwd=tmp_path
    )
    log = json.loads(result.stdout)
    assert set(_every_result_located(log)) == {("docs/brand.md", 1)}


def test_every_golden_sarif_result_has_a_location() -> None:
    for name, build in (("hostile", hostile_report), ("full", full_report)):
        log = json.loads(render(build(), Format.SARIF, RenderOptions()))
        assert all(r.get("locations") for r in log["runs"][0]["results"]), name
