"""-p narrows a run: claims on other platforms are out of scope, --require widens it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import World
from tests.world import platforms as p

pytestmark = pytest.mark.e2e

CONFIG = """\
[brand]
domain = "acme.com"

[claims]
github = "acme"
x = "acme"
"""


def test_claims_on_unselected_platforms_are_out_of_scope(world: World, tmp_path: Path) -> None:
    (tmp_path / "brandaudit.toml").write_text(CONFIG)
    p.github_user(world.http, "acme")
    result = world.run("check", "-p", "github", "--no-discover", "-f", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert "claims not checked in this run (not selected with -p): x" in result.stderr
    claims = result.json()["brands"][0]["claims"]
    assert [(c["platform"], c["outcome"]) for c in claims] == [("github", "pass")]


def test_require_adds_its_platform_to_a_narrowed_run(world: World, tmp_path: Path) -> None:
    p.github_user(world.http, "acme")
    p.mastodon_not_found(world.http)
    result = world.run(
        "check",
        "acme.com",
        "-p",
        "github",
        "--require",
        "mastodon",
        "--no-discover",
        "-f",
        "json",
        cwd=tmp_path,
    )
    assert result.code == 1, result.stderr
    platforms = {r["platform"] for r in result.json()["brands"][0]["platforms"]}
    assert platforms == {"github", "mastodon"}
