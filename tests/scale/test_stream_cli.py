"""Large runs through the installed CLI: JSON Lines streaming, --input, --resume, --shard,
Ctrl-C, per-brand deadlines and rate limits, against the loopback world."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from brandaudit.model import Brand
from tests.conftest import CliResult, World, brandaudit_command, with_default_signals
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _brands(text: str) -> list[Brand]:
    return [Brand.model_validate_json(line) for line in text.splitlines()]


def _github_users(world: World, *logins: str) -> None:
    for login in logins:
        p.github_user(world.http, login)


def test_jsonl_streams_one_brand_per_line(world: World) -> None:
    _github_users(world, "acme", "example")
    p.github_not_found(world.http, "other")
    result = world.run(
        "check", "acme.com", "example.org", "other.net", "-p", "github", "-f", "jsonl"
    )
    assert result.code == 0, result.stderr
    brands = _brands(result.stdout)
    by_domain = {b.domain: b.platforms[0].status.value for b in brands}
    assert by_domain == {"acme.com": "claimed", "example.org": "claimed", "other.net": "available"}


def test_input_file_with_a_bad_line_warns_and_goes_on(world: World, tmp_path: Path) -> None:
    _github_users(world, "acme", "example")
    source = tmp_path / "brands.txt"
    source.write_text("# our brands\nacme.com\nnot a domain\n\nexample.org\n")
    out = tmp_path / "out.jsonl"
    result = world.run("check", "--input", str(source), "-p", "github", "-o", str(out))
    assert result.code == 3, result.stderr
    assert f"{source}:3: " in result.stderr and "skipped" in result.stderr
    assert sorted(b.domain for b in _brands(out.read_text())) == ["acme.com", "example.org"]
    assert out.read_text().endswith("\n")


def test_input_csv_from_stdin(world: World) -> None:
    _github_users(world, "acmehq")
    completed = subprocess.run(
        [*brandaudit_command(), "check", "-i", "-", "-p", "github", "-f", "jsonl"],
        input="domain,handles\nacme.com,acmehq\n",
        env=world.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    (brand,) = _brands(completed.stdout)
    assert brand.handles == ("acmehq",)
    assert brand.platforms[0].status.value == "claimed"


def test_input_file_with_json_holds_the_whole_report(world: World, tmp_path: Path) -> None:
    _github_users(world, "acme", "example")
    source = tmp_path / "brands.txt"
    source.write_text("example.org\nacme.com\n")
    result = world.run("check", "-i", str(source), "-p", "github", "-f", "json")
    assert result.code == 0, result.stderr
    assert [b["domain"] for b in result.json()["brands"]] == ["example.org", "acme.com"]


def test_resume_skips_done_brands_and_redoes_a_torn_line(world: World, tmp_path: Path) -> None:
    _github_users(world, "acme", "bravo", "charlie")
    out = tmp_path / "out.jsonl"
    done = Brand(domain="acme.com").model_dump_json() + "\n"
    out.write_text(done + '{"domain": "bravo.com", "plat')
    source = tmp_path / "brands.txt"
    source.write_text("acme.com\nbravo.com\ncharlie.com\n")
    result = world.run(
        "check", "-i", str(source), "-p", "github", "-o", str(out), "--resume", str(out)
    )
    assert result.code == 0, result.stderr
    assert "last line is incomplete" in result.stderr
    lines = out.read_text().splitlines()
    assert lines[0] == done.strip()
    assert sorted(b.domain for b in _brands(out.read_text())) == [
        "acme.com",
        "bravo.com",
        "charlie.com",
    ]
    # (Only the user lookups: activity also reads /users/<name>/events/public.)
    asked = sorted(r.path for r in world.http.requests_to(p.GITHUB) if r.path.count("/") == 2)
    assert asked == ["/users/bravo", "/users/charlie"]


def test_shard_checks_every_nth_entry(world: World, tmp_path: Path) -> None:
    _github_users(world, "a1", "a2", "a3", "a4")
    source = tmp_path / "brands.txt"
    source.write_text("a1.com\na2.com\na3.com\na4.com\n")
    result = world.run("check", "-i", str(source), "-p", "github", "-f", "jsonl", "--shard", "1/2")
    assert result.code == 0, result.stderr
    assert sorted(b.domain for b in _brands(result.stdout)) == ["a2.com", "a4.com"]
    bad = world.run("check", "-i", str(source), "-f", "jsonl", "--shard", "2/2")
    assert bad.code == 2
    assert bad.stderr.count("\n") == 1 and "K must be below N" in bad.stderr


def test_resume_needs_jsonl(world: World, tmp_path: Path) -> None:
    result = world.run("check", "acme.com", "-f", "json", "--resume", str(tmp_path / "x.jsonl"))
    assert result.code == 2
    assert "--resume works with -f jsonl" in result.stderr


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_keeps_complete_lines(
    world: World, tmp_path: Path, signum: signal.Signals, code: int
) -> None:
    _github_users(world, "fast")
    world.http.route(p.GITHUB, "/users/slow", Reply(hang=True))
    source = tmp_path / "brands.txt"
    source.write_text("fast.com\nslow.com\n")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        with_default_signals(
            [*brandaudit_command(), "check", "-i", str(source), "-p", "github", "-o", str(out)]
        ),
        env=world.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        for _ in range(200):  # bounded: up to 20 s for the fast brand's line
            if out.exists() and out.read_text().endswith("\n"):
                break
            time.sleep(0.1)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
    assert process.returncode == code, stderr
    (brand,) = _brands(out.read_text())
    assert brand.domain == "fast.com"
    assert "Traceback" not in stderr
    if signum == signal.SIGINT:
        assert "1 complete brand(s) written" in stderr and f"--resume {out}" in stderr


def test_brand_deadline_turns_a_slow_brand_into_unknown(world: World) -> None:
    world.http.route(p.GITHUB, "/users/slow", Reply(delay=5, status=404))
    result = world.run(
        "check", "slow.com", "-p", "github", "-f", "jsonl", "--brand-deadline", "0.5"
    )
    assert result.code == 0, result.stderr
    (brand,) = _brands(result.stdout)
    assert brand.platforms[0].status.value == "unknown"
    assert "brand ran past its 0.5s deadline" in brand.platforms[0].reason


def test_429_with_retry_after_is_waited_for_then_succeeds(world: World) -> None:
    arrivals: list[float] = []

    def limited(_request: object) -> Reply:
        arrivals.append(time.monotonic())
        if len(arrivals) == 1:
            return Reply.json({"message": "slow down"}, 429, headers={"Retry-After": "1"})
        return Reply.json({"login": "acme", "type": "Organization", "id": 1})

    world.http.route(p.GITHUB, "/users/acme", limited)
    result = world.run("check", "acme.com", "-p", "github", "-f", "json")
    assert result.code == 0, result.stderr
    row = result.json()["brands"][0]["platforms"][0]
    assert row["status"] == "claimed", row
    assert len(arrivals) == 2
    assert arrivals[1] - arrivals[0] >= 0.9  # the Retry-After was honoured, not skipped


def test_jsonl_lines_validate_against_the_brand_schema(
    world: World, run_cli: Callable[..., CliResult]
) -> None:
    import jsonschema

    from brandaudit.model import Report

    _github_users(world, "acme")
    result = run_cli("check", "acme.com", "-p", "github", "-f", "jsonl")  # in-process
    assert result.code == 0, result.stderr
    # The schema `brandaudit schema` prints (its output is checked in tests/e2e and tests/render).
    schema = Report.model_json_schema(mode="serialization")
    brand_schema = {"$defs": schema["$defs"], "$ref": "#/$defs/Brand"}
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout  # one brand, one line: empty output fails here
    record = json.loads(lines[0])
    jsonschema.validate(record, brand_schema)
    assert record["domain"] == "acme.com"


def test_brand_deadline_leaves_the_bluesky_verdict_undecided_not_missing(world: World) -> None:
    world.http.route(p.GITHUB, "/users/slow", Reply(delay=5, status=404))
    world.dns.add("_atproto.slow.com", behaviour="timeout")
    result = world.run(
        "check",
        "slow.com",
        "-p",
        "github",
        "-p",
        "bluesky",
        "-f",
        "jsonl",
        "--brand-deadline",
        "0.5",
        "--no-discover",
    )
    assert result.code == 0, result.stderr
    (brand,) = _brands(result.stdout)
    assert brand.bluesky_domain is not None
    assert brand.bluesky_domain.status.value == "unknown"
    assert {c.status.value for c in brand.bluesky_domain.checks} == {"skip"}
    assert "could not check" in brand.bluesky_domain.checks[0].message
