"""``brandaudit merge``: shards of a run merged into one report equal the unsharded run, with
its exit code; missing shards, duplicates and torn lines are reported, never silently lost."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import World
from tests.world.http import Reply, Request

pytestmark = pytest.mark.e2e

CONFIG = """
[platforms.social]
name = "Social"
url = "https://social.example/u/{handle}"
handle_pattern = "^[a-z0-9]{1,30}$"
claimed = { status = [200], body_contains = ['"id":'] }
available = { status = [404], body_contains = ["no such user"] }
"""
BRANDS = [f"taken{i}.com" if i % 3 == 0 else f"free{i}.com" for i in range(9)]


def _profile(request: Request) -> Reply:
    if request.path.removeprefix("/u/").startswith("taken"):
        return Reply.json({"id": 1})
    return Reply(status=404, body="no such user")


@pytest.fixture
def setup(world: World, tmp_path: Path) -> tuple[World, Path]:
    world.http.route_prefix("social.example", "/u/", _profile)
    (tmp_path / "brandaudit.toml").write_text(CONFIG)
    (tmp_path / "brands.txt").write_text("".join(f"{b}\n" for b in BRANDS))
    return world, tmp_path


def _check(world: World, tmp: Path, out: str, *extra: str) -> int:
    result = world.run(
        "check", "-i", "brands.txt", "-p", "social", "--no-discover", "-r", "social",
        "-f", "jsonl", "-o", out, *extra, cwd=tmp,
    )  # fmt: skip
    assert result.code in {0, 1}, result.stderr
    return result.code


def _without_timings(line: str) -> str:
    return re.sub(r'"elapsed_ms":[0-9.]+', '"elapsed_ms":0', line)


def _sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text().splitlines())


def test_two_shards_merge_into_the_unsharded_run(setup: tuple[World, Path]) -> None:
    world, tmp = setup
    whole_code = _check(world, tmp, "all.jsonl")
    assert whole_code == 1  # free*.com: the required claim fails
    for k in (0, 1):
        _check(world, tmp, f"shard{k}.jsonl", "--shard", f"{k}/2")
    merged = world.run(
        "merge", "shard0.jsonl", "shard1.jsonl", "--shards", "2", "-i", "brands.txt",
        "-o", "merged.jsonl", "-o", "merged.json", "-o", "merged.sarif", "-o", "merged.md",
        "-o", "merged.junit.xml", cwd=tmp,
    )  # fmt: skip
    assert merged.code == whole_code, merged.stderr
    assert "warning" not in merged.stderr
    # The same brands with the same verdicts as the one run (timings aside: separate runs).
    whole = [_without_timings(line) for line in _sorted_lines(tmp / "all.jsonl")]
    assert [_without_timings(line) for line in _sorted_lines(tmp / "merged.jsonl")] == whole
    report = json.loads((tmp / "merged.json").read_text())
    assert [b["domain"] for b in report["brands"]] == BRANDS  # the input's order
    assert report["warnings"] == []
    sarif = json.loads((tmp / "merged.sarif").read_text())
    assert len(sarif["runs"]) == 1  # one run for every brand (GitHub rejects > 20 runs)
    assert {b["domain"] for b in sarif["runs"][0]["properties"]["brands"]} == set(BRANDS)
    assert any(run["results"] for run in sarif["runs"])
    assert "free1.com" in (tmp / "merged.md").read_text()
    assert "<testsuite" in (tmp / "merged.junit.xml").read_text()


def test_merged_shards_are_byte_for_byte_the_run(setup: tuple[World, Path]) -> None:
    # The unsharded run's own lines, cut into two shards by the --shard rule (entry k goes to
    # shard k % 2), merge back into exactly its bytes.
    world, tmp = setup
    _check(world, tmp, "all.jsonl")
    lines = {json.loads(line)["domain"]: line for line in _sorted_lines(tmp / "all.jsonl")}
    for k in (0, 1):
        part = [lines[b] for i, b in enumerate(BRANDS) if i % 2 == k]
        (tmp / f"cut{k}.jsonl").write_text("".join(f"{line}\n" for line in part))
    merged = world.run("merge", "cut1.jsonl", "cut0.jsonl", "-o", "merged.jsonl", cwd=tmp)
    assert merged.code == 1, merged.stderr
    merged_lines = sorted((tmp / "merged.jsonl").read_bytes().splitlines())
    assert merged_lines == sorted((tmp / "all.jsonl").read_bytes().splitlines())


def test_missing_shard_duplicates_and_torn_lines_are_reported(
    setup: tuple[World, Path],
) -> None:
    world, tmp = setup
    for k in (0, 1, 2):
        _check(world, tmp, f"shard{k}.jsonl", "--shard", f"{k}/3")
    # Shard 2 never arrived; shard 0 was uploaded twice (and named twice); shard 1 was cut
    # mid-line.
    text = (tmp / "shard1.jsonl").read_text()
    (tmp / "shard1.jsonl").write_text(text + text.splitlines()[0][:40])
    (tmp / "again.jsonl").write_text((tmp / "shard0.jsonl").read_text())
    result = world.run(
        "merge", "shard0.jsonl", "shard0.jsonl", "again.jsonl", "shard1.jsonl", "--shards", "3",
        "-i", "brands.txt", "-f", "json", "--exit-zero", cwd=tmp,
    )  # fmt: skip
    assert result.code == 0, result.stderr  # --exit-zero
    assert "shard 2/3 is missing: none of its 3 brands found" in result.stderr
    # A file named twice is said once (not once per brand in it); a copy of it is a duplicate.
    assert result.stderr.count("shard0.jsonl is given more than once; read once") == 1
    assert result.stderr.count("is in more than one place") == 3
    assert "torn last line" in result.stderr
    report = json.loads(result.stdout)
    assert len(report["brands"]) == 6
    assert any("shard 2/3 is missing" in w for w in report["warnings"])
    # Without --exit-zero: the failed claims say 1; only problems and no findings say 3.
    only_taken = world.run("merge", "shard0.jsonl", "--shards", "3", "-f", "json", cwd=tmp)
    assert "expected 3 shard files, got 1 (missing)" in only_taken.stderr
    brands = json.loads(only_taken.stdout)["brands"]
    failing = any(c["outcome"] == "fail" for b in brands for c in b["claims"])
    assert only_taken.code == (1 if failing else 3)


def test_bad_inputs_are_one_line_errors(setup: tuple[World, Path]) -> None:
    world, tmp = setup
    missing = world.run("merge", "nope.jsonl", cwd=tmp)
    assert missing.code == 2 and "Traceback" not in missing.stderr
    (tmp / "x.jsonl").write_text("")
    bad_ext = world.run("merge", "x.jsonl", "-o", "report.unknown", cwd=tmp)
    assert bad_ext.code == 2 and "cannot tell the format" in bad_ext.stderr
