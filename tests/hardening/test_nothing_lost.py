"""Nothing lost: a failed or interrupted write leaves the old report intact (and no temporary
file); Ctrl-C and SIGTERM during a run leave complete files or none and exit 130/143; a
config file is never modified."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from brandaudit.errors import OutputError
from brandaudit.sinks import write_atomic
from tests.conftest import World
from tests.hardening.helpers import popen
from tests.world import platforms as p
from tests.world.http import Reply

OLD = '{"old": "report", "complete": true}\n'
NEW = '{"new": "report"}\n' * 10_000


def _leftovers(folder: Path) -> list[str]:
    return sorted(f.name for f in folder.iterdir() if f.name.endswith(".tmp"))


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_text(OLD)
    path.chmod(0o640)
    return path


class _FailingHandle(io.TextIOWrapper):
    """Writes half of what it is given, then fails as a full disk does."""

    def write(self, text: str) -> int:
        super().write(text[: len(text) // 2])
        super().flush()
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_write_failing_half_way_leaves_the_old_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: Any, **kw: Any) -> Any:
        raw = real_fdopen(fd, "wb")
        return _FailingHandle(raw, encoding="utf-8", newline="")

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OutputError, match="No space left on device") as caught:
        write_atomic(target, NEW)
    assert "\n" not in str(caught.value)
    assert target.read_text() == OLD
    assert _leftovers(target.parent) == []


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_a_failing_fsync_or_rename_leaves_the_old_file(
    target: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    def fail(*args: Any, **kw: Any) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, where, fail)
    with pytest.raises(OutputError, match="Input/output error"):
        write_atomic(target, NEW)
    assert target.read_text() == OLD
    assert _leftovers(target.parent) == []


@pytest.mark.parametrize("signal_class", [KeyboardInterrupt, SystemExit])
def test_an_interrupt_during_the_write_leaves_the_old_file(
    target: Path, monkeypatch: pytest.MonkeyPatch, signal_class: type[BaseException]
) -> None:
    def interrupted(fd: int) -> None:
        raise signal_class()

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(signal_class):
        write_atomic(target, NEW)
    assert target.read_text() == OLD
    assert _leftovers(target.parent) == []


def test_a_successful_write_replaces_whole_and_keeps_the_mode(target: Path) -> None:
    write_atomic(target, NEW)
    assert target.read_text() == NEW
    assert target.stat().st_mode & 0o777 == 0o640
    assert _leftovers(target.parent) == []


def test_a_missing_folder_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "report.json", NEW)
    assert list(tmp_path.iterdir()) == []


# --- signals during a real run -------------------------------------------------------------


def _wait_for(condition: Any, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the run to reach the hanging server")
        time.sleep(0.02)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("signum", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_mid_run_leaves_old_files_whole_and_exits_with_its_code(
    world: World, tmp_path: Path, signum: int, code: int, word: str
) -> None:
    world.http.route(p.GITHUB, "/users/acme", Reply(hang=True))
    p.mastodon_account(world.http, "acme")
    old_json = tmp_path / "report.json"
    old_json.write_text(OLD)
    new_md = tmp_path / "report.md"
    proc = popen(
        [
            "check", "acme.com", "--no-discover", "-p", "github", "-p", "mastodon",
            "-o", str(old_json), "-o", str(new_md), "--deadline", "30", "--timeout", "30",
        ],
        world.env(),
    )  # fmt: skip
    try:
        _wait_for(lambda: world.http.requests_to(p.GITHUB))
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, err
    assert word in err
    assert "Traceback" not in err
    assert out == ""
    # The run never finished, so nothing was written: the old report is whole, no new
    # file appeared, and no temporary file was left behind.
    assert old_json.read_text() == OLD
    assert not new_md.exists()
    assert _leftovers(tmp_path) == []


@pytest.mark.e2e
def test_a_config_file_is_never_modified(world: World, tmp_path: Path) -> None:
    config = tmp_path / "brandaudit.toml"
    config.write_text(
        "# my settings, exactly as I wrote them\n"
        '[brand]\ndomain = "acme.com"\nhandles = ["acme"]\n\n'
        '[claims]\ngithub = "acme"\n\n'
        "[network]\ndeadline = 1\n\n"
        '[credentials]\ngithub_token = "ghp_do_not_touch"\n'
    )
    config.chmod(0o600)
    before = (hashlib.sha256(config.read_bytes()).hexdigest(), config.stat().st_mtime_ns)
    p.github_user(world.http, "acme")
    # Read from ./brandaudit.toml (found, not named) and written next to it.
    result = world.run("check", "-p", "github", "-f", "json", "-o", "out.json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert json.loads((tmp_path / "out.json").read_text())["brands"][0]["domain"] == "acme.com"
    init = world.run("init", cwd=tmp_path)
    assert init.code == 2, init.stderr  # refuses to overwrite without --force
    after = (hashlib.sha256(config.read_bytes()).hexdigest(), config.stat().st_mtime_ns)
    assert after == before
    assert config.stat().st_mode & 0o777 == 0o600


def test_sigterm_outside_the_run_still_exits_143(
    target: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGTERM raises ``Terminated`` wherever the main thread is: while the report is
    being written too, not only during the network run."""
    import typer

    from brandaudit.cli import common

    def body() -> int:
        write_atomic(target, NEW[:100])
        raise common.Terminated

    with pytest.raises(typer.Exit) as exited:
        common.guarded(body)
    assert exited.value.exit_code == 143
    assert capsys.readouterr().err == "brandaudit: terminated\n"
