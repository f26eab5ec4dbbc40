"""Hostile arguments and environment through the real command line: exit 2, one line on
stderr naming the problem, nothing on stdout, no traceback, and no request sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brandaudit import cli
from brandaudit.net.client import NetClient
from tests.conftest import World

BAD_ARGS: list[tuple[list[str], str]] = [
    (["check", "not a domain"], "contains spaces"),
    (["check", "co.uk"], "public suffix"),
    (["check", "acme.com\x01"], "control characters"),
    (["check", "https://user:pw@acme.com/"], "contains '@'"),
    (["check", "a" * 300 + ".com"], "304 characters long"),
    (["check", "a" * 70 + ".com"], "the limit is 63"),
    (["check", "x" * 5000], "too long"),
    (["check", "xn--bcher-.com"], "starts or ends with '-'"),
    (["check", "acme.com", "-H", ".."], "only dots"),
    (["check", "acme.com", "-H", "a b"], "contains ' '"),
    (["check", "acme.com", "-H", "ac\u200bme"], "invisible character U+200B"),
    (["check", "acme.com", "-H", "@@acme"], "more than one '@'"),
    (["check", "acme.com", "-H", "%2F"], "contains '%'"),
    (["check", "acme.com", "-H", "../../admin"], "contains '/'"),
    (["check", "acme.com", "-H", ""], "is empty"),
    (["check", "acme.com", "-H", "\udcfe\udcff"], "not UTF-8"),
    (["check", "acme.com", "-p", "../github"], "unknown platform"),
    (["check", "acme.com", "--deadline", "nan"], "--deadline"),
    (["check", "acme.com", "--deadline", "-1"], "--deadline"),
    (["check", "acme.com", "--timeout", "inf"], "--timeout"),
    (["check", "acme.com", "--concurrency", "99999999999999999999"], "--concurrency"),
    (["check", "acme.com", "-o", "/nonexistent/dir/report.json"], "does not exist"),
    (["check", "acme.com", "-o", "report.exe"], "cannot tell the format"),
    (["check", "acme.com", "-c", "/nonexistent/brandaudit.toml"], "not found"),
    (["check", "acme.com", "--format", "../../etc/passwd"], "unknown format"),
]

BAD_ENV: list[tuple[dict[str, str], str]] = [
    ({"BRANDAUDIT_DEADLINE": "soon"}, "deadline"),
    ({"BRANDAUDIT_PER_HOST": "-5"}, "per-host"),
    ({"BRANDAUDIT_ORIGIN_MAP": "https://*=file:///etc"}, "BRANDAUDIT_ORIGIN_MAP"),
    ({"BRANDAUDIT_ORIGIN_MAP": "garbage"}, "must be FROM=TO"),
    ({"BRANDAUDIT_NAMESERVERS": "dns.example"}, "must be an IP address"),
    ({"BRANDAUDIT_CONCURRENCY": "0"}, "concurrency"),
]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records any request: refusing an input must happen before the network is used."""
    asked: list[str] = []

    async def fetch(self: NetClient, method: str, url: str, **kw: Any) -> Any:
        asked.append(url)
        raise AssertionError(f"a request was sent for a refused input: {url}")

    monkeypatch.setattr(NetClient, "fetch", fetch)
    return asked


def _run_in_process(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def _assert_refused(code: int, out: str, err: str, needle: str) -> None:
    assert code == 2, err
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("brandaudit: error: "), err
    assert needle in lines[0], err


@pytest.mark.parametrize(("argv", "needle"), BAD_ARGS, ids=lambda v: repr(v)[:40])
def test_bad_arguments(
    argv: list[str],
    needle: str,
    capsys: pytest.CaptureFixture[str],
    no_network: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = _run_in_process(argv, capsys)
    _assert_refused(code, out, err, needle)
    assert no_network == []


@pytest.mark.parametrize(("env", "needle"), BAD_ENV, ids=lambda v: repr(v)[:40])
def test_bad_environment(
    env: dict[str, str],
    needle: str,
    capsys: pytest.CaptureFixture[str],
    no_network: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code, out, err = _run_in_process(["check", "acme.com", "-p", "github"], capsys)
    _assert_refused(code, out, err, needle)
    assert no_network == []


@pytest.mark.e2e
def test_undecodable_argv_bytes_through_the_installed_command(world: World) -> None:
    """What a shell passes when a name is not UTF-8: refused, not a UnicodeEncodeError."""
    result = world.run("check", "acme\udcff.com")  # sent as the byte 0xff
    _assert_refused(result.code, result.stdout, result.stderr, "not UTF-8")
