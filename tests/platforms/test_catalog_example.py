"""examples/platforms/catalog.toml: the documented example catalog loads, and each of its
platforms reads the claimed and not-found shapes its built-in twin reads."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from brandaudit.config import Settings
from brandaudit.model import Status
from brandaudit.platforms import registry
from brandaudit.platforms.custom import CustomAdapter
from tests.conftest import World
from tests.platforms.conftest import check
from tests.world import platform_fixtures as f
from tests.world.http import HttpWorld

CATALOG = Path(__file__).parents[2] / "examples" / "platforms" / "catalog.toml"


def _platforms() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    platforms: dict[str, Any] = data["platforms"]
    return platforms


def test_the_catalog_loads_without_warnings() -> None:
    loaded = registry.load(Settings.model_validate({"platforms": _platforms()}))
    assert not loaded.warnings
    ids = {"telegram-page", "substack-profile", "kick-channel", "discord-vanity"}
    assert ids == set(_platforms())
    for platform_id in ids:
        adapter = loaded.adapters[platform_id]
        assert isinstance(adapter, CustomAdapter)
        assert adapter.handle_problem("acmebrand") is None


SHAPES: list[tuple[str, Any, Any, Status]] = [
    # A free-looking t.me page may be a name sold or for sale on Fragment, and a free Kick
    # slug may be held under its '_'/'-' twin: one GET can't rule either out, so these two
    # examples never say available (docs/platforms.md, Telegram and Kick).
    ("telegram-page", f.telegram_profile, f.telegram_not_shown, Status.UNKNOWN),
    ("substack-profile", f.substack_profile, f.substack_not_found, Status.AVAILABLE),
    ("kick-channel", f.kick_channel, f.kick_not_found, Status.UNKNOWN),
    ("discord-vanity", f.discord_invite, f.discord_invite_unknown, Status.AVAILABLE),
]


@pytest.mark.parametrize(
    ("platform", "claimed", "missing", "missing_reads"), SHAPES, ids=[s[0] for s in SHAPES]
)
def test_catalog_platform_reads_its_shapes(
    world: World, platform: str, claimed: Any, missing: Any, missing_reads: Status
) -> None:
    def run(setup: Any) -> Status:
        world.http.reset()
        setup(world.http, "acmebrand")
        return check(world, platform, "acmebrand", platforms=_platforms()).status

    assert run(claimed) is Status.CLAIMED
    assert run(missing) is missing_reads

    def blocked(http: HttpWorld, _name: str) -> None:
        from tests.world.http import Reply

        http.route_prefix("*", "/", Reply.json({"message": "Unknown Invite"}, 429))

    assert run(blocked) is Status.UNKNOWN
