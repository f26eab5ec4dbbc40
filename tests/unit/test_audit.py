"""The audit core from Python (``brandaudit.audit``): no Typer, no process, the same verdicts
as ``brandaudit check``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from brandaudit import audit, config
from brandaudit.batch import BatchArgs
from brandaudit.config import Settings
from brandaudit.errors import InputError
from brandaudit.exitcodes import ExitCode
from tests.conftest import World
from tests.world import platforms as p


def _settings(world: World, tmp_path: Path, toml: str = "") -> Settings:
    if toml:
        (tmp_path / "brandaudit.toml").write_text(toml)
    settings = config.resolve(config_path=None, cwd=tmp_path, env=world.env())
    brand = settings.brand.model_copy(update={"discover": False})
    return settings.model_copy(update={"brand": brand})


def test_the_audit_core_imports_without_typer() -> None:
    code = (
        "import sys, brandaudit.audit; "
        "assert 'typer' not in sys.modules, 'typer imported'; "
        "assert 'brandaudit.cli' not in sys.modules; print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


def test_a_required_platform_joins_a_narrowed_run_and_fails(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    p.mastodon_not_found(world.http)
    request = audit.AuditRequest(
        domains=("acme.com",), platforms=("GitHub",), requires=("mastodon",)
    )
    warnings: list[str] = []
    outcome = audit.run_audit(request, _settings(world, tmp_path), warn=warnings.append)
    assert outcome.exit_code == ExitCode.FINDINGS
    brand = outcome.report.brands[0]
    assert {r.platform for r in brand.platforms} == {"github", "mastodon"}
    assert [(c.platform, c.outcome.value) for c in brand.claims] == [("mastodon", "fail")]
    assert (outcome.skipped_lines, outcome.plugin_warnings, outcome.history) == (0, (), None)
    assert warnings == []


def test_claims_outside_the_selection_are_dropped_with_a_warning(
    world: World, tmp_path: Path
) -> None:
    toml = '[brand]\ndomain = "acme.com"\n\n[claims]\ngithub = "acme"\nx = "acme"\n'
    p.github_user(world.http, "acme")
    warnings: list[str] = []
    request = audit.AuditRequest(platforms=("github",))  # the domain comes from the config
    outcome = audit.run_audit(request, _settings(world, tmp_path, toml), warn=warnings.append)
    assert outcome.exit_code == ExitCode.OK
    assert [(c.platform, c.outcome.value) for c in outcome.report.brands[0].claims] == [
        ("github", "pass")
    ]
    assert warnings == ["claims not checked in this run (not selected with -p): x"]


def test_skipped_input_lines_make_the_run_inconclusive(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    listing = tmp_path / "brands.txt"
    listing.write_text("acme.com\nnot a domain\n")
    request = audit.AuditRequest(platforms=("github",), batch=BatchArgs(input=str(listing)))
    warnings: list[str] = []
    outcome = audit.run_audit(request, _settings(world, tmp_path), warn=warnings.append)
    assert outcome.skipped_lines == 1
    assert outcome.exit_code == ExitCode.INCONCLUSIVE
    assert [b.domain for b in outcome.report.brands] == ["acme.com"]
    assert any("brands.txt:2" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (audit.AuditRequest(), "no domain given"),
        (audit.AuditRequest(domains=("acme.com",), platforms=("githb",)), "did you mean"),
        (audit.AuditRequest(domains=("acme.com",), handles=("a/b",)), "handle"),
    ],
)
def test_bad_requests_are_input_errors_before_any_request(
    world: World, tmp_path: Path, request_: audit.AuditRequest, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        audit.run_audit(request_, _settings(world, tmp_path))
    assert world.http.requests == []


def test_a_narrowed_run_loads_only_the_builtins_it_names(world: World, tmp_path: Path) -> None:
    """-p github: GitHub and what [claims] names load; an unknown id still lists them all."""
    toml = '[brand]\ndomain = "acme.com"\n\n[claims]\nx = "acme"\n'
    settings = _settings(world, tmp_path, toml)
    prepared = audit.prepare(audit.AuditRequest(platforms=("GitHub",)), settings)
    assert sorted(prepared.registry.adapters) == ["github", "x"]
    assert [a.id for a in prepared.adapters] == ["github"]
    with pytest.raises(InputError, match="known: bluesky, discord, "):
        audit.prepare(audit.AuditRequest(platforms=("githb",)), settings)


def test_a_user_platform_may_not_take_a_builtin_id_the_run_skipped() -> None:
    from brandaudit.errors import ConfigError
    from brandaudit.platforms import registry

    raw = {"name": "X", "url": "https://x.example/{handle}", "claimed": {"status": [200]}}
    settings = Settings.model_validate({"platforms": {"x": raw}})
    with pytest.raises(ConfigError, match="already a platform"):
        registry.load(settings, only={"github"})
