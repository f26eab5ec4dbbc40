"""The CI contract, through the installed CLI against the loopback world: exit codes, several
output files in one run, GitHub annotations and the job summary."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import World
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e

CONFIG = """\
[brand]
domain = "acme.com"

[claims]
github = "acme"
{optional}
"""


def _github(world: World, outcome: str) -> None:
    if outcome == "pass":
        p.github_user(world.http, "acme")
    elif outcome == "fail":
        p.github_not_found(world.http, "acme")
    else:  # blocked: the platform answered, but not about the handle
        world.http.route(p.GITHUB, "/users/acme", Reply.json({"message": "Forbidden"}, 403))


def _config(tmp_path: Path, required: bool) -> Path:
    optional = "" if required else 'optional = ["github"]'
    path = tmp_path / "brandaudit.toml"
    path.write_text(CONFIG.format(optional=optional))
    return path


@pytest.mark.parametrize(
    ("outcome", "required", "code"),
    [
        ("pass", True, 0),
        ("fail", True, 1),
        ("undecided", True, 3),
        ("pass", False, 0),
        ("fail", False, 0),
        ("undecided", False, 0),
    ],
)
def test_exit_code_matrix(
    world: World, tmp_path: Path, outcome: str, required: bool, code: int
) -> None:
    _github(world, outcome)
    _config(tmp_path, required)
    result = world.run("check", "-p", "github", "-f", "json", cwd=tmp_path)
    assert result.code == code, result.stderr
    (claim,) = result.json()["brands"][0]["claims"]
    assert claim["outcome"] == outcome
    assert claim["required"] is required
    assert claim["config_line"] == 5


@pytest.mark.parametrize("outcome", ["pass", "fail", "undecided"])
def test_nothing_declared_or_required_reports_and_exits_0(
    world: World, tmp_path: Path, outcome: str
) -> None:
    _github(world, outcome)
    result = world.run("check", "acme.com", "-p", "github", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "acme.com · " in result.stdout.splitlines()[0]
    assert result.stdout.splitlines()[-1].endswith("→ exit 0")


@pytest.mark.parametrize(("outcome", "code"), [("pass", 0), ("fail", 1), ("undecided", 3)])
def test_require_flag_adds_a_requirement(
    world: World, tmp_path: Path, outcome: str, code: int
) -> None:
    _github(world, outcome)
    result = world.run("check", "acme.com", "-p", "github", "--require", "github", cwd=tmp_path)
    assert result.code == code, result.stderr


@pytest.mark.parametrize("outcome", ["fail", "undecided"])
def test_exit_zero_reports_without_failing(world: World, tmp_path: Path, outcome: str) -> None:
    _github(world, outcome)
    _config(tmp_path, required=True)
    result = world.run("check", "-p", "github", "--exit-zero", "-f", "sarif", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["runs"][0]["results"]


def test_exit_zero_keeps_usage_errors(world: World, tmp_path: Path) -> None:
    result = world.run("check", "acme.com", "--exit-zero", "-p", "myspace", cwd=tmp_path)
    assert result.code == 2


def test_unknown_claim_platform_is_a_config_error_with_its_line(
    world: World, tmp_path: Path
) -> None:
    (tmp_path / "brandaudit.toml").write_text(
        '[brand]\ndomain = "acme.com"\n\n[claims]\ngithb = "acme"\n'
    )
    result = world.run("check", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("brandaudit: error: ")
    assert "brandaudit.toml:5: claims.githb: unknown platform 'githb'" in result.stderr
    assert result.stdout == ""


def test_bad_config_is_one_line_naming_file_and_line(world: World, tmp_path: Path) -> None:
    (tmp_path / "brandaudit.toml").write_text('[brand]\ndomain = "acme.com"\ncolour = 1\n')
    result = world.run("check", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip().endswith("brandaudit.toml:3: brand.colour: unknown key")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        (  # a typo'd key of a declared adapter table (issue 25: accepted silently before)
            'instancs = ["hachyderm.io"]\n',
            "brandaudit.toml:5: adapters.mastodon.instancs: unknown key (did you mean "
            "'instances'?)",
        ),
        (  # a bad element of a multi-line array, at its own line
            'instances = [\n  "hachyderm.io",\n  "https://a/b",\n]\n',
            "brandaudit.toml:7: adapters.mastodon.instances: 'https://a/b' is not an instance",
        ),
    ],
)
def test_adapter_table_typos_are_refused_at_their_line(
    world: World, tmp_path: Path, table: str, needle: str
) -> None:
    (tmp_path / "brandaudit.toml").write_text(
        f'[brand]\ndomain = "acme.com"\n\n[adapters.mastodon]\n{table}'
    )
    result = world.run("check", "-p", "mastodon", cwd=tmp_path)
    assert result.code == 2, result.stderr
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert world.http.requests == []


def test_several_outputs_in_one_run(world: World, tmp_path: Path) -> None:
    _github(world, "fail")
    _config(tmp_path, required=True)
    names = ["r.json", "r.sarif", "r.sarif.json", "r.junit.xml", "r.md", "r.txt"]
    args = [arg for name in names for arg in ("-o", name)]
    result = world.run("check", "-p", "github", *args, cwd=tmp_path)
    assert result.code == 1, result.stderr
    assert result.stdout == ""
    assert json.loads((tmp_path / "r.json").read_text())["schema_version"] == 1
    for sarif in ("r.sarif", "r.sarif.json"):
        log = json.loads((tmp_path / sarif).read_text())
        (found,) = log["runs"][0]["results"]
        region = found["locations"][0]["physicalLocation"]
        assert region["artifactLocation"]["uri"] == "brandaudit.toml"
        assert region["region"]["startLine"] == 5
    assert ET.parse(tmp_path / "r.junit.xml").getroot().get("failures") == "1"
    assert "#### Claims" in (tmp_path / "r.md").read_text()
    assert "FAIL" in (tmp_path / "r.txt").read_text()
    assert not [f for f in tmp_path.iterdir() if f.name.endswith(".tmp")]


def test_format_flag_names_an_unknown_extension(world: World, tmp_path: Path) -> None:
    _github(world, "pass")
    result = world.run(
        "check", "acme.com", "-p", "github", "-f", "sarif", "-o", "out.log", cwd=tmp_path
    )
    assert result.code == 0, result.stderr
    assert json.loads((tmp_path / "out.log").read_text())["version"] == "2.1.0"
    refused = world.run("check", "acme.com", "-p", "github", "-o", "out.log", cwd=tmp_path)
    assert refused.code == 2
    assert "pass --format" in refused.stderr


def test_github_actions_annotations_and_step_summary(world: World, tmp_path: Path) -> None:
    _github(world, "fail")
    _config(tmp_path, required=True)
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    result = world.run(
        "check",
        "-p",
        "github",
        cwd=tmp_path,
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("::error ")]
    assert errors == [
        "::error file=brandaudit.toml,line=5,title=brandaudit%3A github claim acme::acme.com: "
        "the required github claim 'acme' fails: available: "
        + errors[0].split("fails: available: ", 1)[1]
    ]
    text = summary.read_text()
    assert text.startswith("# earlier step\n")
    assert "## brandaudit readiness report" in text
    assert "**FAIL**" in text
    # The text report can't issue workflow commands: it sits between stop-commands markers.
    match = re.match(r"::stop-commands::([0-9a-f]{32})\n", result.stdout)
    assert match is not None
    assert result.stdout.endswith(f"::{match.group(1)}::\n")


def test_github_actions_keeps_json_stdout_clean(world: World, tmp_path: Path) -> None:
    _github(world, "undecided")
    _config(tmp_path, required=True)
    result = world.run("check", "-p", "github", "-f", "json", cwd=tmp_path, GITHUB_ACTIONS="true")
    assert result.code == 3
    assert result.json()["brands"][0]["claims"][0]["outcome"] == "undecided"
    assert any(
        line.startswith("::warning file=brandaudit.toml,line=5")
        for line in result.stderr.splitlines()
    )


def test_outside_github_actions_no_annotations(world: World, tmp_path: Path) -> None:
    _github(world, "fail")
    _config(tmp_path, required=True)
    result = world.run("check", "-p", "github", cwd=tmp_path)
    assert "::error" not in result.stderr and "::stop-commands" not in result.stdout


def test_text_report_reads_at_80_columns_without_colour(world: World, tmp_path: Path) -> None:
    p.github_not_found(world.http, "acme")
    p.mastodon_account(world.http, "acme")
    (tmp_path / "brandaudit.toml").write_text(
        '[brand]\ndomain = "acme.com"\nname = "Acme"\n\n[claims]\ngithub = "acme"\n'
        'mastodon = "acme"\n'
    )
    result = world.run("check", "-p", "github", "-p", "mastodon", cwd=tmp_path, COLUMNS="80")
    assert result.code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "\x1b[" not in result.stdout
    assert lines[0] == "Acme (acme.com) · grade D (50/100) · claims: 1 pass, 1 fail, 0 undecided"
    assert any(line.startswith("GitHub") and "FAIL req" in line for line in lines)
    assert any(line.startswith("Mastodon") and "PASS req" in line for line in lines)
    assert lines[-1] == "grade D (50/100) · 1 required claim fails (github) → exit 1"
    assert not any(line.endswith(" ") for line in lines)
    assert "Next steps" in lines
    assert any("Claim acme on GitHub" in line for line in lines)
    assert any("https://github.com/signup" in line for line in lines)
