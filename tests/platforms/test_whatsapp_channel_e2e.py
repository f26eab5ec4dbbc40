"""End-to-end: a WhatsApp channel the brand's homepage links to is checked and claimed; the
brand's name itself is no channel code, so it is not applicable (never available)."""

from __future__ import annotations

import pytest

from tests.conftest import World
from tests.world.http import Reply

pytestmark = pytest.mark.e2e

CODE = "0029VaAcmeBrand0Channel01"
CARD = (
    '<html><body><h3 class="_9vd5 _9t2_">Acme</h3>'
    f'<a id="action-button" href="https://whatsapp.com/channel/{CODE}">Follow</a></body></html>'
)


def test_a_channel_linked_from_the_homepage_is_claimed_and_linked(world: World) -> None:
    world.http.route(
        "acme.com",
        "/",
        Reply.html(
            f'<html><body><a href="https://whatsapp.com/channel/{CODE}">WA</a></body></html>'
        ),
    )
    world.http.route("whatsapp.com", f"/channel/{CODE}", Reply.html(CARD))
    result = world.run("check", "acme.com", "-f", "json", "-p", "whatsapp-channel")
    assert result.code == 0, result.stderr
    rows = {r["handle"]: r for r in result.json()["brands"][0]["platforms"]}
    channel = rows[CODE]
    assert channel["status"] == "claimed", channel["reason"]
    assert channel["handle_source"] == "declared_website"
    assert channel["ownership"]["status"] == "linked"
    assert rows["acme"]["status"] == "not_applicable"  # a brand name is no channel code
    assert all(r["status"] != "available" for r in rows.values())
