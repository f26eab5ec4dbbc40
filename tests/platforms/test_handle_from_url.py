"""Profile URL -> handle, for website discovery: profiles yes; posts, shares, intents no."""

from __future__ import annotations

import pytest

from brandaudit.config import Settings
from brandaudit.platforms import registry

ADAPTERS = registry.load(Settings()).adapters

PROFILES = [
    ("x", "https://x.com/AcmeHQ", "acmehq"),
    ("x", "https://twitter.com/acme_hq/", "acme_hq"),
    ("x", "http://mobile.twitter.com/acme", "acme"),
    ("threads", "https://www.threads.net/@acme.brand", "acme.brand"),
    ("threads", "https://www.threads.com/@acme", "acme"),
    ("instagram", "https://www.instagram.com/acme.brand/", "acme.brand"),
    ("instagram", "https://instagram.com/Acme_Brand", "acme_brand"),
    ("tiktok", "https://www.tiktok.com/@acme", "acme"),
    ("youtube", "https://www.youtube.com/@AcmeTV", "acmetv"),
    ("youtube", "https://youtube.com/@acmetv/videos", "acmetv"),
    ("linkedin", "https://www.linkedin.com/company/acme-inc/", "acme-inc"),
    ("linkedin", "https://uk.linkedin.com/company/acme-inc/about/", "acme-inc"),
    ("facebook", "https://www.facebook.com/AcmeBrand", "acmebrand"),
    ("facebook", "https://m.facebook.com/acme.brand/", "acme.brand"),
    ("reddit", "https://www.reddit.com/user/acme_official/", "acme_official"),
    ("reddit", "https://old.reddit.com/u/acme_official", "acme_official"),
    ("pinterest", "https://www.pinterest.com/acme/", "acme"),
    ("pinterest", "https://www.pinterest.co.uk/acme/_saved/", "acme"),
    ("twitch", "https://www.twitch.tv/acmetv", "acmetv"),
    ("twitch", "https://twitch.tv/acmetv/videos", "acmetv"),
    ("snapchat", "https://www.snapchat.com/@acme", "acme"),
    ("snapchat", "https://www.snapchat.com/add/acme", "acme"),
    ("tumblr", "https://www.tumblr.com/acme", "acme"),
    ("tumblr", "https://acme.tumblr.com/", "acme"),
    # Channel invite codes are case-sensitive: kept as written.
    (
        "whatsapp-channel",
        "https://whatsapp.com/channel/0029VaDK8ZUDjiOhwFS1cP2j",
        "0029VaDK8ZUDjiOhwFS1cP2j",
    ),
    (
        "whatsapp-channel",
        "https://www.whatsapp.com/channel/0029VaDK8ZUDjiOhwFS1cP2j/",
        "0029VaDK8ZUDjiOhwFS1cP2j",
    ),
]

NOT_PROFILES = [
    ("x", "https://x.com/acme/status/1234567890"),
    ("x", "https://twitter.com/intent/tweet?text=hi"),
    ("x", "https://twitter.com/share?url=https://acme.com"),
    ("x", "https://x.com/hashtag/acme"),
    ("x", "https://x.com/i/flow/login"),
    ("x", "https://x.com/home"),
    ("x", "https://example.com/acme"),
    ("x", "https://user:pass@x.com/acme"),
    ("x", "javascript:alert(1)"),
    ("threads", "https://www.threads.net/@acme/post/C1234"),
    ("threads", "https://www.threads.net/acme"),
    ("instagram", "https://www.instagram.com/p/C1234abcd/"),
    ("instagram", "https://www.instagram.com/reel/C1234abcd/"),
    ("instagram", "https://www.instagram.com/explore/tags/acme/"),
    ("instagram", "https://www.instagram.com/acme/tagged/"),
    ("tiktok", "https://www.tiktok.com/@acme/video/7234567890"),
    ("tiktok", "https://www.tiktok.com/tag/acme"),
    ("youtube", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("youtube", "https://www.youtube.com/channel/UCBR8-60-B28hp2BmDPdntcQ"),
    ("youtube", "https://www.youtube.com/c/Acme"),
    ("youtube", "https://youtu.be/dQw4w9WgXcQ"),
    ("youtube", "https://www.youtube.com/@acme/watch"),
    ("linkedin", "https://www.linkedin.com/in/jane-doe/"),
    ("linkedin", "https://www.linkedin.com/shareArticle?mini=true&url=x"),
    ("linkedin", "https://www.linkedin.com/company/acme/posts/123/extra"),
    ("linkedin", "https://www.linkedin.com/showcase/acme-labs/"),
    ("facebook", "https://www.facebook.com/sharer/sharer.php?u=https://acme.com"),
    ("facebook", "https://www.facebook.com/acme/posts/12345"),
    ("facebook", "https://www.facebook.com/profile.php?id=100000"),
    ("facebook", "https://www.facebook.com/hashtag/acme"),
    ("facebook", "https://www.facebook.com/groups/acme"),
    ("reddit", "https://www.reddit.com/r/acme/"),
    ("reddit", "https://www.reddit.com/user/acme/comments/abc/title/"),
    ("pinterest", "https://www.pinterest.com/pin/123456/"),
    ("pinterest", "https://www.pinterest.com/acme/some-board/"),
    ("twitch", "https://www.twitch.tv/directory/game/Chess"),
    ("twitch", "https://www.twitch.tv/videos/123456"),
    ("snapchat", "https://www.snapchat.com/t/abc123"),
    ("snapchat", "https://www.snapchat.com/spotlight/abc"),
    ("tumblr", "https://www.tumblr.com/acme/7123456789/post-title"),
    ("tumblr", "https://www.tumblr.com/tagged/acme"),
    ("tumblr", "https://acme.tumblr.com/post/123"),
    ("tumblr", "https://www.tumblr.com/"),
    ("whatsapp-channel", "https://chat.whatsapp.com/0029VaDK8ZUDjiOhwFS1cP2j"),
    ("whatsapp-channel", "https://whatsapp.com/channel/acme"),
    ("whatsapp-channel", "https://wa.me/15551234567"),
]


@pytest.mark.parametrize(("platform", "url", "handle"), PROFILES)
def test_profile_urls_give_the_handle(platform: str, url: str, handle: str) -> None:
    assert ADAPTERS[platform].handle_from_url(url) == handle


@pytest.mark.parametrize(("platform", "url"), NOT_PROFILES)
def test_other_urls_give_nothing(platform: str, url: str) -> None:
    assert ADAPTERS[platform].handle_from_url(url) is None


@pytest.mark.parametrize("platform", sorted(ADAPTERS))
def test_every_adapter_round_trips_its_own_profile_url(platform: str) -> None:
    adapter = ADAPTERS[platform]
    # WhatsApp Channels have no names, only invite codes.
    handle = "0029VaAcmeBrand0Channel01" if platform == "whatsapp-channel" else "acmebrand"
    if platform == "domain":
        # A domain is a "profile" only when the run checks it for a brand (acmebrand.com's
        # site linking acmebrand.io), so the name is planned first.
        handle = adapter.handles_for("acmebrand.com", "acmebrand")[1]
    assert adapter.handle_problem(handle) is None
    found = adapter.handle_from_url(adapter.profile_url(handle))
    assert found is not None
    # Bluesky gives the full handle (acmebrand.bsky.social): compare where it leads.
    assert adapter.profile_url(found) == adapter.profile_url(handle)
