"""The release pipeline: the workflow's shape (least privilege, build once, trusted publishing),
the release script that moves the version and checks a tag, and the Dockerfile."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import brandaudit

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
SCRIPT = ROOT / ".ci" / "release.py"
SHA = re.compile(r"[0-9a-f]{40}")


def _jobs(text: str) -> dict[str, str]:
    """Each job's text, by id (a small reader for this file's two-space layout)."""
    body = text.split("\njobs:\n", 1)[1]
    parts = re.split(r"^  ([\w-]+):\n", body, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_release_runs_on_version_tags_only_with_no_default_permissions() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    on = text.split("\non:\n", 1)[1].split("\n\n", 1)[0]
    assert on.split() == ["push:", "tags:", '["v[0-9]*"]']
    assert "\npermissions: {}\n" in text
    jobs = _jobs(text)
    assert set(jobs) == {"build", "publish", "github-release", "image"}
    for name, job in jobs.items():
        assert "    permissions:\n" in job, name  # each job states its own


def test_only_the_publish_job_can_ask_for_an_identity_token() -> None:
    jobs = _jobs(RELEASE.read_text(encoding="utf-8"))
    holders = {name for name, job in jobs.items() if "id-token: write" in job}
    assert holders == {"publish"}
    writers = {
        name: sorted(re.findall(r"^      ([\w-]+): write", job, flags=re.MULTILINE))
        for name, job in jobs.items()
    }
    assert writers == {
        "build": [],
        "publish": ["id-token"],
        "github-release": ["contents"],
        "image": ["packages"],
    }


def test_publish_uploads_the_checked_files_with_a_pinned_action_and_attestations() -> None:
    jobs = _jobs(RELEASE.read_text(encoding="utf-8"))
    publish = jobs["publish"]
    use = re.search(r"uses: pypa/gh-action-pypi-publish@(\S+) # v(\d+\.\d+\.\d+)", publish)
    assert use is not None and SHA.fullmatch(use.group(1))
    # attestations need v1.10 or later
    assert tuple(int(n) for n in use.group(2).split(".")) >= (1, 10, 0)
    assert "attestations: true" in publish
    assert "environment:" in publish and "name: pypi" in publish
    # Build once: publish, the GitHub release and the image fetch the build job's files.
    for name in ("publish", "github-release", "image"):
        assert "actions/download-artifact@" in jobs[name], name
        assert ".ci/dist" not in jobs[name] and "python -m build" not in jobs[name], name
    assert "needs: build" in publish
    assert "bash .ci/dist" in jobs["build"]
    assert "actions/upload-artifact@" in jobs["build"]


def test_the_tag_is_checked_and_the_release_notes_are_the_changelog_section() -> None:
    jobs = _jobs(RELEASE.read_text(encoding="utf-8"))
    assert 'python .ci/release.py check "$TAG" --notes release-notes.md' in jobs["build"]
    assert "--notes-file release-notes.md" in jobs["github-release"]
    assert '--build-arg "PACKAGE=$wheel"' in jobs["image"]  # the same wheel, not a rebuild


def test_every_workflow_checks_out_without_keeping_credentials() -> None:
    for path in [RELEASE, *sorted((ROOT / "examples" / "workflows").glob("*.yml"))]:
        text = path.read_text(encoding="utf-8")
        checkouts = re.findall(r"uses: actions/checkout@\S+[^\n]*\n(?:[^\n]*\n){0,2}", text)
        assert checkouts, path
        for step in checkouts:
            assert "persist-credentials: false" in step, (path, step)


def test_no_expression_inside_release_run_scripts() -> None:
    """Values reach the scripts through env:, never as ${{ }} in run: (script injection)."""
    text = RELEASE.read_text(encoding="utf-8")
    for block in re.findall(r"run: [|>]-?\n((?:          [^\n]*\n|\n)+)", text):
        assert "${{" not in block


# --- .ci/release.py ---------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    for name in ("README.md", "CHANGELOG.md", "src/brandaudit/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "examples" / "workflows", tmp_path / "examples" / "workflows")
    return tmp_path


def _release(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_changelog_has_unreleased_and_the_current_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    assert headings[0] == "Unreleased"
    assert brandaudit.__version__ in headings


def test_a_tag_that_is_not_the_version_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    done = _release(root, "check", "v9.9.9")
    assert done.returncode == 1
    assert f"is not v{brandaudit.__version__}" in done.stderr


def test_bump_dates_the_changelog_moves_every_pin_and_the_tag_then_checks(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    old = brandaudit.__version__
    changelog = root / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- a fix for the test\n", 1
        ),
        encoding="utf-8",
    )
    assert _release(root, "bump", old, "--date", "2026-12-08").returncode == 0
    assert _release(root, "check", f"v{old}").returncode == 0
    done = _release(root, "bump", "9.8.7", "--date", "2026-12-24")
    assert done.returncode == 1 and "[Unreleased] is empty" in done.stderr  # nothing new
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- a thing\n", 1),
        encoding="utf-8",
    )
    assert _release(root, "bump", "9.8.7", "--date", "2026-12-24").returncode == 0

    notes = tmp_path / "notes.md"
    done = _release(root, "check", "v9.8.7", "--notes", str(notes))
    assert done.returncode == 0, done.stderr
    assert notes.read_text(encoding="utf-8") == "### Added\n\n- a thing\n"
    text = changelog.read_text(encoding="utf-8")
    assert "## [Unreleased]\n\n## [9.8.7] - 2026-12-24\n" in text
    section = text.split(f"## [{old}] - 2026-12-08\n", 1)[1]
    assert "- a fix for the test" in section and "### Fixed" in section
    assert "[9.8.7]: https://github.com/brandaudit/brandaudit/compare/v" in text
    assert '__version__ = "9.8.7"' in (root / "src/brandaudit/__init__.py").read_text()
    pins = (root / "README.md").read_text() + "".join(
        p.read_text() for p in (root / "examples" / "workflows").glob("*.yml")
    )
    assert f"brandaudit-cli=={old}" not in pins and f"@v{old}" not in pins
    assert "brandaudit-cli==9.8.7" in pins and "brandaudit/brandaudit@v9.8.7" in pins
    assert "ghcr.io/brandaudit/brandaudit:9.8.7" in pins


def test_an_undated_version_section_is_not_releasable(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    changelog = root / "CHANGELOG.md"
    version = re.escape(brandaudit.__version__)
    text = re.sub(
        rf"^## \[{version}\].*$",
        f"## [{brandaudit.__version__}] - not released yet",
        changelog.read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    changelog.write_text(text, encoding="utf-8")
    done = _release(root, "check", f"v{brandaudit.__version__}")
    assert done.returncode == 1
    assert "has no release date" in done.stderr


def test_a_version_that_is_not_a_release_is_refused(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    done = _release(root, "bump", "1.0", "--date", "2026-12-24")
    assert done.returncode == 1 and "not a release version" in done.stderr


# --- Dockerfile -------------------------------------------------------------------------


def _stages(text: str) -> list[str]:
    return re.split(r"^FROM ", text, flags=re.MULTILINE)[1:]


def test_the_image_is_slim_multi_stage_and_runs_unprivileged() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim$", text, flags=re.MULTILINE)
    stages = _stages(text)
    assert len(stages) >= 2
    final = stages[-1]
    assert "COPY --from=build /opt/brandaudit /opt/brandaudit" in final
    # No build tools, compilers or package installs in what ships.
    for tool in ("pip install", "apt-get", "gcc", "build-essential", "COPY . "):
        assert tool not in final, tool
    user = re.search(r"^USER (\S+)$", final, flags=re.MULTILINE)
    assert user is not None and user.group(1).split(":")[0] not in {"0", "root"}
    assert 'ENTRYPOINT ["brandaudit"]' in final
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv"} <= set(ignored) and "dist" not in ignored  # the wheel goes in


@pytest.mark.skipif(shutil.which("hadolint") is None, reason="hadolint is not installed")
def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    done = subprocess.run(
        ["hadolint", "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- .ci/wheel_smoke.py (what .ci/dist runs on the freshly installed wheel) ----------------


@pytest.mark.e2e
def test_the_wheel_smoke_test_runs_the_command_offline_and_catches_a_wrong_version() -> None:
    from tests.conftest import brandaudit_command

    command = brandaudit_command()
    if len(command) != 1:
        pytest.skip("no installed brandaudit script to run")
    done = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "wheel_smoke.py"), command[0], "0.0.0-not-this"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Only --version is wrong: the offline check (a loopback GitHub reads `claimed`) and the
    # usage error (exit 2, one line) passed.
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"wheel_smoke.py: --version: exit 0, 'brandaudit {brandaudit.__version__}\\n' ''"
    ]
