"""The documented drift workflow (examples/workflows/drift.yml): pinned, least privilege, and
its audit step, run as written, alerts (exit 1) when the brand lost ground."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import World
from tests.world import platforms as p

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "examples" / "workflows" / "drift.yml"


def _run_block(name: str) -> str:
    text = WORKFLOW.read_text()
    match = re.search(
        rf"- name: {re.escape(name)}\n(?:        (?!run:).*\n)*"
        r"        run: \|\n((?:          .*\n|\n)+)",
        text,
    )
    assert match is not None, name
    return "\n".join(line[10:] for line in match.group(1).splitlines()) + "\n"


def test_actions_are_pinned_and_permissions_minimal() -> None:
    text = WORKFLOW.read_text()
    uses = re.findall(r"uses: (\S+)", text)
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", use), use
    assert "\npermissions: {}\n" in text
    assert "actions/upload-artifact@" in text
    assert "actions/download-artifact@" in text
    assert "schedule:" in text
    assert "persist-credentials: false" in text
    for name in ("Find the previous run of this workflow", "Audit and compare"):
        assert "${{" not in _run_block(name)  # no expression expanded into a script


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_audit_step_alerts_on_a_lost_handle(world: World, tmp_path: Path) -> None:
    script = _run_block("Audit and compare")
    (tmp_path / "brandaudit.toml").write_text(
        '[brand]\ndomain = "acme.com"\ndiscover = false\n'
    )  # no [claims]: exit 1 can only come from --fail-on-change
    env = world.env(
        PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", BRANDAUDIT_PLATFORMS="github"
    )

    def step() -> int:
        done = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=tmp_path,
            env=env,
            timeout=120,
            check=False,
            capture_output=True,
        )
        return done.returncode

    p.github_user(world.http, "acme")
    assert step() == 0  # first run: no baseline yet
    (tmp_path / "previous").mkdir()
    shutil.move(tmp_path / "report.json", tmp_path / "previous" / "report.json")
    assert step() == 0  # nothing changed
    world.http.reset()
    p.github_not_found(world.http, "acme")
    assert step() == 1  # lost: the job fails, GitHub notifies
    assert "Since last run" in (tmp_path / "report.md").read_text()
