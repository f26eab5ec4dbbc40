"""Issue 25's sweep: outputs refused before the run with the right reason, no colour under
FORCE_COLOR=0, plain words for undecided causes."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandaudit.render.common import CAUSE_LABEL
from tests.conftest import World
from tests.world import platforms as p


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_an_unwritable_folder_is_refused_before_any_request(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    done = world.run("check", "acme.com", "-p", "github", "-o", "/proc/x.json", cwd=tmp_path)
    assert done.code == 2
    assert done.stderr.strip() == (
        "brandaudit: error: /proc/x.json: cannot write in /proc (No such file or directory)"
    )
    assert world.http.requests == []  # refused before the run


def test_a_file_used_as_a_folder_is_named_as_such(world: World, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    done = world.run("check", "acme.com", "-p", "github", "-o", "afile/x.json", cwd=tmp_path)
    assert done.code == 2
    assert done.stderr.strip() == ("brandaudit: error: afile/x.json: afile is a file, not a folder")
    assert world.http.requests == []
    assert sorted(x.name for x in tmp_path.iterdir()) == ["afile"]  # no probe file left


def test_a_writable_folder_keeps_no_probe_file(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    done = world.run("check", "acme.com", "-p", "github", "-o", "r.json", cwd=tmp_path)
    assert done.code == 0, done.stderr
    assert (tmp_path / "r.json").is_file()
    assert not [x.name for x in tmp_path.iterdir() if ".probe" in x.name or x.name[0] == "."]


def test_force_color_zero_means_no_colour(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    env = {k: v for k, v in world.env().items() if k != "NO_COLOR"}
    env["FORCE_COLOR"] = "0"
    done = world.run("check", "acme.com", "-p", "github", "--color", "auto", env=env)
    assert done.code == 0, done.stderr
    assert "\x1b[" not in done.stdout and "\x1b[" not in done.stderr


def test_undecided_causes_are_plain_words() -> None:
    assert CAUSE_LABEL["other"] == "answered in a way brandaudit could not read"
    assert all("unexpected" not in label for label in CAUSE_LABEL.values())


def test_selfcheck_offline_groups_by_cause_and_ends_with_a_summary(world: World) -> None:
    env = {k: v for k, v in world.env().items() if k != "BRANDAUDIT_ORIGIN_MAP"}
    done = world.run(
        "selfcheck", "-p", "github", "-p", "mastodon", "-p", "reddit", "--deadline", "2", env=env
    )
    assert done.code == 3, done.stderr
    lines = done.stdout.splitlines()
    # One line for the three unreachable platforms; "no network?" said once.
    assert done.stdout.count("no network?") == 2  # the grouped row and the summary
    grouped = [line for line in lines if "3 platforms" in line]
    assert len(grouped) == 1 and "UNDECIDED" in grouped[0]
    assert lines[-1] == "selfcheck: 3 undecided (3 unreachable: no network?) → exit 3"
    # Exit 3 is explained on stderr too (it was empty).
    assert done.stderr.strip() == (
        "brandaudit: selfcheck: 3 undecided (3 unreachable: no network?) → exit 3"
    )


def test_bluesky_check_counts_add_up_in_the_table() -> None:
    from brandaudit.model import BlueskyCheck, BlueskyDomain, BlueskyStatus, Brand, CheckStatus
    from brandaudit.render.table import bluesky_section

    statuses = [CheckStatus.PASS, CheckStatus.INFO, CheckStatus.INFO, CheckStatus.WARN]
    statuses += [CheckStatus.SKIP] * 5
    checks = tuple(BlueskyCheck(id=f"c{i}", status=s, message="m") for i, s in enumerate(statuses))
    domain = BlueskyDomain(domain="acme.com", status=BlueskyStatus.UNKNOWN, checks=checks)
    lines = [t.plain for t in bluesky_section(Brand(domain="acme.com", bluesky_domain=domain), 80)]
    # 9 checks: 1 shown (WARN) + 1 passed + 2 informational + 5 skipped (was "1 passed,
    # 5 skipped" of 9).
    assert lines[-1] == "  1 passed, 2 informational, 5 skipped"
