"""Issue 14: answers that are never stale or wrong, config typos caught, the grade gate and the
one summary line; through the installed CLI against the loopback world where it matters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brandaudit import policy
from brandaudit.config import settings_from_mapping
from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    CheckStatus,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.render import Format, RenderOptions, render
from tests.conftest import World
from tests.render.reports import CLOCK, SIGNUP, result
from tests.world import platforms as p

# --- the HTTP cache is keyed by where requests really went -----------------------------


@pytest.mark.e2e
def test_cache_answers_from_an_origin_map_are_not_reused_for_the_real_hosts(
    world: World, tmp_path: Path
) -> None:
    p.github_user(world.http, "acme")
    env = world.env()
    del env["BRANDAUDIT_NO_CACHE"]
    args = ("check", "acme.com", "-p", "github", "--cache-dir", str(tmp_path / "c"))
    first = world.run(*args, "-f", "json", env=env)
    assert first.json()["brands"][0]["platforms"][0]["status"] == "claimed"
    # The same run again through the map: a cache hit, and the table marks it.
    again = world.run(*args, env=env, COLUMNS="80")
    line = next(x for x in again.stdout.splitlines() if x.startswith("GitHub"))
    assert "claimed*" in line, again.stdout
    assert "* from the HTTP cache (--refresh asks again)" in again.stdout
    # Without the map (the real hosts, unreachable here) nothing comes from the cache.
    plain = {k: v for k, v in env.items() if k != "BRANDAUDIT_ORIGIN_MAP"}
    real = world.run(*args, "-f", "json", "--deadline", "2", env=plain)
    (verdict,) = real.json()["brands"][0]["platforms"]
    assert verdict["status"] == "unknown"
    assert not any(e.get("cached") for e in verdict["evidence"])


def test_cache_key_covers_route_scope_and_credentials() -> None:
    from brandaudit.cache import cache_key, route_scope

    def key(**kw: object) -> str:
        base: dict[str, object] = {"max_bytes": 10, "max_redirects": 0}
        headers = kw.pop("headers", None)
        return cache_key("GET", "https://api.github.com/u", headers, **{**base, **kw})  # type: ignore[arg-type]

    plain = key()
    assert key(route="http://127.0.0.1:9") != plain
    assert key(scope=route_scope({"https://*": "http://127.0.0.1:9"}, None)) != key(
        scope=route_scope({}, None)
    )
    assert key(headers={"Authorization": "Bearer t"}) != plain
    assert key() == plain  # stable


# --- a Bluesky domain claim is judged by the domain verifier alone ---------------------


def _domain_claim_report(status: BlueskyStatus) -> Report:
    checks = (
        (BlueskyCheck(id="dns_txt", status=CheckStatus.PASS, message="did= found"),)
        if status is BlueskyStatus.VERIFIED
        else (
            BlueskyCheck(id="dns_txt", status=CheckStatus.FAIL, message="no record", fix="Add it"),
        )
    )
    brand = Brand(
        domain="acme.com",
        handles=("acme",),
        platforms=(
            # The adapter read the domain as a bsky.social-style name: not the verdict.
            result(
                "bluesky",
                "Bluesky",
                Status.AVAILABLE,
                "no such profile",
                handle="acme.com",
                remediation="Create the account @acme.com",
            ),
            result("github", "GitHub", Status.CLAIMED, "ok"),
        ),
        bluesky_domain=BlueskyDomain(domain="acme.com", status=status, checks=checks),
    )
    report = Report(tool=ToolInfo(version="0"), generated_at=CLOCK, brands=(brand,))
    settings = settings_from_mapping({"claims": {"bluesky": "acme.com", "github": "acme"}})
    return policy.evaluate(report, settings, (), SIGNUP).report


def test_a_verified_domain_claim_passes_everywhere() -> None:
    report = _domain_claim_report(BlueskyStatus.VERIFIED)
    brand = report.brands[0]
    assert [c.outcome.value for c in brand.claims] == ["pass", "pass"]
    assert brand.score == 100
    assert not any(r.handle == "acme.com" for r in brand.platforms)
    table = render(report, Format.TABLE, RenderOptions(width=80))
    assert "available" not in table and "Create the account" not in table
    assert "VERIFIED (required claim)" in table
    sarif = render(report, Format.SARIF)
    assert "@acme.com" not in sarif and '"results": []' in sarif
    assert not brand.next_steps


def test_a_broken_domain_claim_fails_with_the_verifiers_reason() -> None:
    brand = _domain_claim_report(BlueskyStatus.MISCONFIGURED).brands[0]
    claim = next(c for c in brand.claims if c.platform == "bluesky")
    assert claim.outcome.value == "fail" and "misconfigured" in claim.reason
    assert all("Create the account" not in (s.detail or "") for s in brand.next_steps)
    assert brand.next_steps[0].title.startswith("Fix the Bluesky handle acme.com")


# --- config typos -----------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        ('[claims]\nmastodon = "acme"\noptional = ["mastodn"]\n', (), "did you mean 'mastodon'?"),
        ('[claims]\ngithub = "acme"\noptional = ["x"]\n', (), "'x', which is not a platform"),
        ('[claims]\ngithb = "acme"\n', (), "did you mean 'github'?"),
        ("[netwrk]\ncache = false\n", (), "did you mean 'network'?"),
        ("", ("-p", "gihub"), "--platform: unknown platform 'gihub' (did you mean 'github'?)"),
        ("", ("--require", "mastodn"), "(did you mean 'mastodon'?)"),
    ],
)
def test_typos_get_did_you_mean(
    world: World, tmp_path: Path, config: str, args: tuple[str, ...], expected: str
) -> None:
    (tmp_path / "brandaudit.toml").write_text(config)
    done = world.run("check", "acme.com", *args, cwd=tmp_path)
    assert done.code == 2, done.stderr
    assert expected in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.e2e
def test_platform_ids_are_case_insensitive(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    (tmp_path / "brandaudit.toml").write_text('[claims]\nGitHub = "acme"\noptional = ["GITHUB"]\n')
    done = world.run("check", "acme.com", "-p", "GitHub", "-f", "json", cwd=tmp_path)
    assert done.code == 0, done.stderr
    (claim,) = done.json()["brands"][0]["claims"]
    assert (claim["platform"], claim["required"], claim["config_line"]) == ("github", False, 2)


# --- the grade gate and the summary line -------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("flag", "config", "code"),
    [
        (("--fail-under", "50"), "", 0),
        (("--fail-under", "100"), "", 1),
        ((), "[policy]\nmin_score = 100\n", 1),
        (("--fail-under", "0"), "[policy]\nmin_score = 100\n", 0),
    ],
)
def test_fail_under_and_min_score(
    world: World, tmp_path: Path, flag: tuple[str, ...], config: str, code: int
) -> None:
    p.github_user(world.http, "acme")
    p.mastodon_not_found(world.http)
    (tmp_path / "brandaudit.toml").write_text(config)
    done = world.run("check", "acme.com", "-p", "github", "-p", "mastodon", *flag, cwd=tmp_path)
    assert done.code == code, done.stderr
    assert done.stdout.splitlines()[-1].startswith("grade D (50/100)")
    if code:
        assert "score under 100" in done.stderr and "→ exit 1" in done.stderr


@pytest.mark.e2e
def test_nothing_decided_with_a_threshold_is_inconclusive(world: World, tmp_path: Path) -> None:
    env = {k: v for k, v in world.env().items() if k != "BRANDAUDIT_ORIGIN_MAP"}
    done = world.run("check", "acme.com", "-p", "github", "--fail-under", "60", env=env)
    assert done.code == 3, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "brandaudit: not scored · nothing decided to hold against 60 · 1 undecided → exit 3"
    )
    plain = world.run("check", "acme.com", "-p", "github", env=env)
    assert plain.code == 0  # nothing required, no threshold: nothing to gate on


@pytest.mark.e2e
def test_writing_files_in_a_terminal_prints_the_summary_on_stderr(
    world: World, tmp_path: Path
) -> None:
    p.github_not_found(world.http, "acme")
    (tmp_path / "brandaudit.toml").write_text('[claims]\ngithub = "acme"\n')
    done = world.run("check", "acme.com", "-p", "github", "-o", "r.json", cwd=tmp_path)
    assert done.code == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == (
        "brandaudit: grade F (0/100) · 1 required claim fails (github) → exit 1"
    )
    assert json.loads((tmp_path / "r.json").read_text())["brands"][0]["score"] == 0


# --- brandaudit bluesky under GitHub Actions --------------------------------------------


@pytest.mark.e2e
def test_bluesky_command_under_github_actions(world: World, tmp_path: Path) -> None:
    from tests.bluesky.scenario import Bsky

    Bsky(world).site()  # a website, but no Bluesky setup: not configured, exit 1
    summary = tmp_path / "summary.md"
    env = world.env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    done = world.run("bluesky", "acme.com", env=env)
    assert done.code == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::stop-commands::")
    assert lines[-1] == f"::{lines[0].split('::')[2]}::"
    assert "::warning" in done.stderr or "::error" in done.stderr
    assert "acme.com" in summary.read_text()
    for fmt, marker in (("markdown", "## brandaudit"), ("junit", "<testsuites")):
        out = world.run("bluesky", "acme.com", "-f", fmt, env=env)
        assert out.code == 1 and marker in out.stdout, out.stdout[:300]
    sarif = world.run("bluesky", "acme.com", "-f", "sarif", env=env)
    log = json.loads(sarif.stdout)  # JSON stays parseable: no stop-commands around it
    (run,) = log["runs"]
    assert any(r["ruleId"] == "claim/bluesky" for r in run["results"])
    # -f json keeps its own shape: the BlueskyDomain object.
    plain = world.run("bluesky", "acme.com", "-f", "json")
    assert json.loads(plain.stdout)["status"] == "not_configured"


# --- batches: the closing per-brand table, and under Actions a summary and annotations ---


@pytest.mark.e2e
def test_jsonl_batch_under_actions_summarises_and_annotates_bad_lines(
    world: World, tmp_path: Path
) -> None:
    p.github_user(world.http, "acme")
    p.github_not_found(world.http, "other")
    source = tmp_path / "brands.txt"
    source.write_text("acme.com\nnot a domain\nother.net\n")
    summary = tmp_path / "summary.md"
    env = world.env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary), COLUMNS="80")
    out = tmp_path / "out.jsonl"
    done = world.run("check", "-i", str(source), "-p", "github", "-o", str(out), env=env)
    assert done.code == 3, done.stderr
    assert f"::warning file={source},line=2,title=brandaudit%3A input::" in done.stderr
    err = done.stderr.splitlines()
    head = next(i for i, line in enumerate(err) if line.startswith("Brand "))
    assert err[head + 1].startswith("other.net") and "F 0" in err[head + 1]  # worst first
    assert err[head + 2].startswith("acme.com") and err[head + 2].endswith("ok")
    # The skipped input line is what makes it 3: the line says where to look.
    assert err[-1] == "brandaudit: 2 brands: 1A 1F · see the warnings above → exit 3", err[-1]
    text = summary.read_text()
    assert "## brandaudit batch summary" in text
    assert "| other.net | F (0/100) | 0 | 1 | 0 | 0 | ok |" in text


def test_a_several_brand_report_ends_with_the_per_brand_table() -> None:
    from tests.render.reports import clean_report, full_report

    both = full_report().model_copy(
        update={"brands": (*full_report().brands, *clean_report().brands)}
    )
    text = render(both, Format.TABLE, RenderOptions(width=80, exit_code=1))
    lines = text.splitlines()
    head = lines.index(next(x for x in lines if x.startswith("Brand ")))
    assert lines[head + 1].startswith("acme.com") and "required claim fails" in lines[head + 1]
    assert lines[head + 2].startswith("example.org") and lines[head + 2].endswith("ok")
    start = next(i for i, line in enumerate(lines) if line.startswith("2 brands: "))
    assert lines[start].startswith("2 brands: 1A 1F · 2 required claims fail")
    assert all(len(line) <= 80 for line in lines[start:])


# --- help, completion, platforms, init ----------------------------------------------------

COMMANDS = [
    "",
    "check",
    "platforms",
    "schema",
    "bluesky",
    "init",
    "suggest",
    "selfcheck",
    "history",
    "diff",
    "merge",
    "import",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_at_80_columns_is_whole_and_plain(command: str) -> None:
    import re

    from typer.testing import CliRunner

    from brandaudit.cli import app

    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "80"}, terminal_width=80)
    assert result.exit_code == 0, result.output
    text = result.output
    assert not re.search(r"<(list\[|str>|int|float|bool>|file>|dir>|path>|Path)", text), text
    assert "[bold]" not in text and "\\[" not in text
    assert all(len(line) <= 80 for line in text.splitlines())
    # Every flag and environment variable name is whole on its line.
    for name in re.findall(r"--[a-z][a-z-]+|BRANDAUDIT_[A-Z_]+", text):
        assert any(name in line for line in text.splitlines())
    for line in text.splitlines():
        assert not re.search(r"BRANDAUDIT_[A-Z_]*$", line) or line.rstrip().endswith(
            tuple(re.findall(r"BRANDAUDIT_[A-Z_]+", text))
        )
    # A command's one-line summary is never cut inside "(e.g." (issue 25).
    assert "(e.g.\n" not in text and not re.search(r"\(e\.g\.$", text, re.MULTILINE)
    if command == "check":
        assert "default 64" not in text  # the real default is computed (issue 25)
        assert "[brand] domain(s)" in text and "--platform PLATFORM" in text
        assert "--fail-under SCORE" in text and "--timeout SECONDS" in text


@pytest.mark.e2e
def test_bare_command_prints_help_once(world: World) -> None:
    done = world.run()
    assert done.code == 2
    assert (done.stdout + done.stderr).count("Usage: brandaudit") == 1


@pytest.mark.e2e
def test_shell_completion_is_offered_and_completes(world: World) -> None:
    shown = world.run("--show-completion", "bash", env=world.env(SHELL="/bin/bash"))
    assert shown.code == 0 and "_brandaudit_completion" in shown.stdout
    env = world.env(
        _BRANDAUDIT_COMPLETE="complete_bash", COMP_WORDS="brandaudit ch", COMP_CWORD="1"
    )
    assert world.run(env=env).stdout.split() == ["check"]
    assert "--install-completion" in world.run("--help").stdout


@pytest.mark.e2e
@pytest.mark.parametrize("width", ["60", "80", "140"])
def test_platforms_never_splits_variable_names(world: World, width: str) -> None:
    import re

    done = world.run("platforms", COLUMNS=width)
    assert done.code == 0, done.stderr
    for name in ("FACEBOOK_ACCESS_TOKEN", "REDDIT_CLIENT_SECRET", "TWITCH_CLIENT_ID"):
        assert name in done.stdout, name
    assert not re.search(r"[A-Z]_\s*\n", done.stdout)


def test_init_path_with_a_trailing_slash_creates_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from brandaudit.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["init", "--path", "config/", "--domain", "acme.com"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "config" / "brandaudit.toml").is_file()
    assert "brandaudit check -c config/brandaudit.toml" in result.output
    here = CliRunner().invoke(app, ["init"])
    assert here.exit_code == 0 and here.output.rstrip().endswith("run: brandaudit check")


@pytest.mark.e2e
def test_the_summary_line_says_the_code_the_process_exits_with(world: World) -> None:
    p.github_not_found(world.http, "acme")
    done = world.run("check", "acme.com", "-p", "github", "--require", "github", "--exit-zero")
    assert done.code == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith("1 required claim fails (github) → exit 0")
    failing = world.run("check", "acme.com", "-p", "github", "--require", "github")
    assert failing.code == 1
    assert failing.stdout.splitlines()[-1].endswith("→ exit 1")
    # Not a terminal: the line is on stderr too, so a log never shows a silent exit 1.
    assert failing.stderr.strip().splitlines()[-1].endswith("→ exit 1")
