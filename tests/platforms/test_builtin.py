"""Each built-in adapter against the response shapes its platform really sends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from brandaudit.model import Confidence, HandleSource, Method, Status
from tests.conftest import World
from tests.crashes import is_internal_error
from tests.platforms.conftest import check
from tests.world import platform_fixtures as f
from tests.world.http import HttpWorld, Reply

Setup = Callable[[HttpWorld], None]


@dataclass(frozen=True)
class Case:
    id: str
    platform: str
    handle: str
    setup: Setup
    status: Status
    reason: str = ""
    confidence: Confidence | None = None
    method: Method | None = None
    credentials: dict[str, str] = field(default_factory=dict)


def _all(*setups: Setup) -> Setup:
    def run(world: HttpWorld) -> None:
        for setup in setups:
            setup(world)

    return run


X_TOKEN = {"x_bearer_token": "x-token"}
YT_KEY = {"youtube_api_key": "yt-key"}
TWITCH = {"twitch_client_id": "cid", "twitch_client_secret": "secret"}
REDDIT = {"reddit_client_id": "rid", "reddit_client_secret": "rsecret"}
KICK = {"kick_client_id": "kid", "kick_client_secret": "ksecret"}

CASES = [
    # --- x
    Case(
        "x-taken",
        "x",
        "acme",
        lambda w: f.x_availability(w, "taken"),
        Status.CLAIMED,
        "taken",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
    ),
    Case(
        "x-available",
        "x",
        "acmebrand",
        lambda w: f.x_availability(w, "available"),
        Status.AVAILABLE,
        "available",
        Confidence.HIGH,
    ),
    Case(
        "x-available-but-short",
        "x",
        "acm",
        lambda w: f.x_availability(w, "available"),
        Status.INVALID,
        "4-15",
    ),
    Case(
        "x-improper",
        "x",
        "acme",
        lambda w: f.x_availability(w, "improper_format", False),
        Status.INVALID,
        "refuses",
    ),
    Case(
        "x-unavailable-is-suspended",
        "x",
        "acme",
        lambda w: f.x_availability(w, "unavailable"),
        Status.SUSPENDED,
        "unavailable",
        Confidence.MEDIUM,
    ),
    Case(
        "x-invalid-username",
        "x",
        "acme",
        lambda w: f.x_availability(w, "invalid_username", False),
        Status.INVALID,
        "refuses",
    ),
    Case(
        "x-new-refusal-is-drift",
        "x",
        "acme",
        lambda w: f.x_availability(w, "reserved_by_staff", False),
        Status.UNKNOWN,
        "reserved_by_staff",
    ),
    Case(
        "x-list-body-is-no-verdict",
        "x",
        "acme",
        lambda w: w.route(f.X_API, "/i/users/username_available.json", Reply.json(["taken"])),
        Status.UNKNOWN,
        "no verdict: signal drift",  # not "no verdict" alone: a crash says that too
    ),
    Case(
        "x-html-where-json",
        "x",
        "acme",
        lambda w: w.route(
            f.X_API,
            "/i/users/username_available.json",
            Reply.html("<html><body>Something went wrong</body></html>"),
        ),
        Status.UNKNOWN,
        "HTML where JSON was expected",
    ),
    Case(
        "x-valid-without-reason-is-drift",
        "x",
        "acme",
        lambda w: w.route(f.X_API, "/i/users/username_available.json", Reply.json({"valid": True})),
        Status.UNKNOWN,
        "no verdict: signal drift",
    ),
    Case(
        "x-api-claimed",
        "x",
        "acme",
        lambda w: f.x_api_user(w, "acme"),
        Status.CLAIMED,
        "X API v2",
        Confidence.HIGH,
        Method.OFFICIAL_API,
        X_TOKEN,
    ),
    Case(
        "x-api-suspended",
        "x",
        "acme",
        lambda w: f.x_api_not_found(w, "acme", "User has been suspended: [acme]."),
        Status.SUSPENDED,
        "suspended",
        credentials=X_TOKEN,
    ),
    Case(
        "x-api-not-found-and-endpoint-agrees",
        "x",
        "acmebrand",
        _all(
            lambda w: f.x_api_not_found(w, "acmebrand"), lambda w: f.x_availability(w, "available")
        ),
        Status.AVAILABLE,
        "X API has no such user either",
        Confidence.HIGH,
        credentials=X_TOKEN,
    ),
    Case(
        "x-api-not-found-endpoint-blocked",
        "x",
        "acmebrand",
        _all(
            lambda w: f.x_api_not_found(w, "acmebrand"),
            lambda w: w.route(f.X_API, "/i/users/username_available.json", Reply.json({}, 429)),
        ),
        Status.UNKNOWN,
        "only the availability endpoint can say the name is free",
        credentials=X_TOKEN,
    ),
    Case(
        "x-api-not-found-endpoint-says-free",
        "x",
        "acmebrand",
        _all(
            lambda w: f.x_api_not_found(w, "acmebrand"),
            lambda w: f.x_availability(w, "available"),
        ),
        Status.AVAILABLE,
        "available",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
        X_TOKEN,
    ),
    # --- instagram
    Case(
        "ig-claimed",
        "instagram",
        "acme",
        lambda w: f.instagram_user(w, "acme"),
        Status.CLAIMED,
        "Instagram account",
        Confidence.HIGH,
    ),
    Case(
        "ig-private",
        "instagram",
        "acme",
        lambda w: f.instagram_user(w, "acme", is_private=True),
        Status.CLAIMED,
        "private",
    ),
    Case(
        "ig-not-found",
        "instagram",
        "acme",
        f.instagram_not_found,
        Status.AVAILABLE,
        "deactivated",
        Confidence.MEDIUM,
    ),
    Case(
        # the suspended-user shape (docs/platforms.md): the name stays held, never available
        "ig-200-null-user-is-never-available",
        "instagram",
        "acme",
        lambda w: w.route(
            f.INSTAGRAM,
            "/api/v1/users/web_profile_info/",
            Reply.json({"data": {"user": None}, "status": "ok"}),
        ),
        Status.UNKNOWN,
        "suspended account",
        Confidence.LOW,
    ),
    Case(
        "ig-404-without-body-is-drift",
        "instagram",
        "acme",
        lambda w: w.route(
            f.INSTAGRAM, "/api/v1/users/web_profile_info/", Reply.json({"status": "fail"}, 404)
        ),
        Status.UNKNOWN,
        "signal drift",
    ),
    Case("ig-login-json", "instagram", "acme", f.instagram_login_wall, Status.UNKNOWN, "login"),
    Case(
        "ig-401",
        "instagram",
        "acme",
        f.instagram_401,
        Status.UNKNOWN,
        "Instagram requires login for this lookup",
    ),
    Case(
        "ig-login-redirect",
        "instagram",
        "acme",
        lambda w: w.route(
            f.INSTAGRAM,
            "/api/v1/users/web_profile_info/",
            Reply.redirect("https://www.instagram.com/accounts/login/?next=/acme/"),
        ),
        Status.UNKNOWN,
        "login wall",
    ),
    Case(
        "ig-other-account",
        "instagram",
        "acme",
        lambda w: f.instagram_user(w, "acme_shop"),
        Status.UNKNOWN,
        "another account",
    ),
    Case(
        "ig-cdn-404",
        "instagram",
        "acme",
        lambda w: w.route(
            f.INSTAGRAM, "/api/v1/users/web_profile_info/", Reply.text("Not Found", 404)
        ),
        Status.UNKNOWN,
    ),
    # --- threads
    Case(
        "threads-claimed",
        "threads",
        "acme",
        lambda w: f.instagram_user(w, "acme", host=f.THREADS),
        Status.CLAIMED,
        "Threads profile",
    ),
    Case(
        "threads-nf-instagram-holds-it",
        "threads",
        "acme",
        _all(lambda w: f.instagram_not_found(w, f.THREADS), lambda w: f.instagram_user(w, "acme")),
        Status.RESERVED,
        "Instagram account",
    ),
    Case(
        "threads-nf-never-available",
        "threads",
        "acme",
        _all(lambda w: f.instagram_not_found(w, f.THREADS), f.instagram_not_found),
        Status.UNKNOWN,
        "can't prove the name is free",
    ),
    Case(
        "threads-login-page",
        "threads",
        "acme",
        lambda w: w.route(
            f.THREADS,
            "/api/v1/users/web_profile_info/",
            Reply.redirect("https://www.threads.com/login?show_choice_screen=false"),
        ),
        Status.UNKNOWN,
        "login wall",
    ),
    Case(
        "threads-net-redirects-the-adapter-asks-com",
        "threads",
        "acme",
        _all(f.threads_moved, lambda w: f.instagram_user(w, "acme", host=f.THREADS)),
        Status.CLAIMED,
        "Threads profile",
    ),
    Case(
        "threads-host-moved-again",
        "threads",
        "acme",
        lambda w: w.route_prefix(
            f.THREADS, "/", Reply.redirect("https://www.threads.example/@acme", 301)
        ),
        Status.UNKNOWN,
        "moved this address to https://www.threads.example/@acme",
    ),
    Case(
        "threads-json-walled-page-shows-profile",
        "threads",
        "acme",
        _all(lambda w: f.instagram_401(w, f.THREADS), lambda w: f.threads_page(w, "acme")),
        Status.CLAIMED,
        "from its page",
        Confidence.MEDIUM,
        Method.PUBLIC_PAGE,
    ),
    Case(
        "threads-json-walled-page-302-is-no-verdict",
        "threads",
        "acme",
        _all(lambda w: f.instagram_401(w, f.THREADS), lambda w: f.threads_page_missing(w, "acme")),
        Status.UNKNOWN,
        "login",
    ),
    # docs/platforms.md "threads": any non-JSON answer falls back to the page, and the page
    # needs its own og:type profile marker before claimed
    Case(
        "threads-html-instead-of-json-falls-back-to-the-page",
        "threads",
        "acme",
        _all(
            lambda w: w.route(
                f.THREADS,
                "/api/v1/users/web_profile_info/",
                Reply.html("<html><title>Threads</title></html>"),
            ),
            lambda w: f.threads_page(w, "acme"),
        ),
        Status.CLAIMED,
        "from its page",
        Confidence.MEDIUM,
        Method.PUBLIC_PAGE,
    ),
    Case(
        "threads-page-without-og-type-profile-is-no-verdict",
        "threads",
        "acme",
        _all(
            lambda w: f.instagram_401(w, f.THREADS),
            lambda w: f.threads_page(w, "acme", og_type="website"),
        ),
        Status.UNKNOWN,
    ),
    Case(
        "threads-discovery",
        "threads",
        "acme",
        lambda w: f.threads_discovery(w, "acme"),
        Status.CLAIMED,
        "Profile Discovery",
        Confidence.HIGH,
        Method.OFFICIAL_API,
        {"threads_access_token": "t"},
    ),
    # --- tiktok
    Case(
        "tiktok-oembed",
        "tiktok",
        "acme",
        lambda w: f.tiktok_oembed(w, "acme"),
        Status.CLAIMED,
        "TikTok account",
        Confidence.HIGH,
    ),
    Case(
        "tiktok-400-never-available",
        "tiktok",
        "acme",
        lambda w: f.tiktok_not_shown(w, "acme"),
        Status.UNKNOWN,
        "look alike",
    ),
    Case(
        "tiktok-verify-page",
        "tiktok",
        "acme",
        _all(
            lambda w: w.route(f.TIKTOK, "/oembed", Reply.json({}, 400)),
            lambda w: w.route(
                f.TIKTOK, "/embed/@acme", Reply.html('<div id="tiktok-verify-page">Verify</div>')
            ),
        ),
        Status.UNKNOWN,
        "challenge",
    ),
    # --- youtube
    Case(
        "yt-page-claimed",
        "youtube",
        "acme",
        lambda w: f.youtube_channel_page(w, "acme"),
        Status.CLAIMED,
        "YouTube channel",
        Confidence.MEDIUM,
        Method.PUBLIC_PAGE,
    ),
    Case(
        "yt-page-404",
        "youtube",
        "acme",
        lambda w: f.youtube_page_not_found(w, "acme"),
        Status.AVAILABLE,
        "no channel page",
        Confidence.MEDIUM,
    ),
    Case(
        "yt-channel-id-of-another-channel-is-drift",
        "youtube",
        "acme",
        lambda w: f.youtube_page_with_other_channel(w, "acme"),
        Status.UNKNOWN,
        "channelMetadataRenderer",
    ),
    Case(
        "yt-consent",
        "youtube",
        "acme",
        lambda w: f.youtube_consent(w, "acme"),
        Status.UNKNOWN,
        "consent.youtube.com",
    ),
    Case(
        "yt-200-without-data-is-drift",
        "youtube",
        "acme",
        lambda w: w.route(f.YOUTUBE, "/@acme", Reply.html("<html>YouTube</html>")),
        Status.UNKNOWN,
        "signal drift",
    ),
    Case(
        "yt-api-claimed",
        "youtube",
        "acme",
        lambda w: f.youtube_api(w, [{"id": f.CHANNEL_ID, "snippet": {"title": "Acme"}}]),
        Status.CLAIMED,
        f.CHANNEL_ID,
        Confidence.HIGH,
        Method.OFFICIAL_API,
        YT_KEY,
    ),
    Case(
        "yt-api-no-items",
        "youtube",
        "acmebrand",
        lambda w: f.youtube_api(w, []),
        Status.AVAILABLE,
        "no channel with the handle",
        Confidence.MEDIUM,
        Method.OFFICIAL_API,
        YT_KEY,
    ),
    Case(
        "yt-api-quota-falls-back-to-page",
        "youtube",
        "acme",
        _all(
            lambda w: w.route(
                f.YOUTUBE_API,
                "/youtube/v3/channels",
                Reply.json({"error": {"code": 403, "message": "quota"}}, 403),
            ),
            lambda w: f.youtube_channel_page(w, "acme"),
        ),
        Status.CLAIMED,
        "Data API gave no verdict",
        credentials=YT_KEY,
    ),
    # --- linkedin (the API version sent: docs/platforms.md "linkedin")
    Case(
        "li-company",
        "linkedin",
        "acme",
        lambda w: f.linkedin_company(w, "acme"),
        Status.CLAIMED,
        "company page",
        Confidence.MEDIUM,
    ),
    Case(
        "li-200-no-markers",
        "linkedin",
        "acme",
        lambda w: f.linkedin_generic_200(w, "acme"),
        Status.UNKNOWN,
        "can't confirm",
    ),
    Case(
        "li-organization-of-another-company",
        "linkedin",
        "acme",
        lambda w: f.linkedin_other_company(w, "acme"),
        Status.UNKNOWN,
        "can't confirm",
    ),
    Case(
        "li-999",
        "linkedin",
        "acme",
        lambda w: w.route(f.LINKEDIN, "/company/acme/", Reply.html("", 999)),
        Status.UNKNOWN,
        "999",
    ),
    Case(
        "li-authwall",
        "linkedin",
        "acme",
        lambda w: w.route(
            f.LINKEDIN,
            "/company/acme/",
            Reply.redirect("https://www.linkedin.com/authwall?trk=gf&sessionRedirect=x"),
        ),
        Status.UNKNOWN,
        "login wall",
    ),
    Case(
        "li-api-empty",
        "linkedin",
        "acmebrand",
        lambda w: w.route(f.LINKEDIN_API, "/rest/organizations", Reply.json({"elements": []})),
        Status.AVAILABLE,
        "vanity name",
        Confidence.MEDIUM,
        Method.OFFICIAL_API,
        {"linkedin_access_token": "li"},
    ),
    # A sunset LinkedIn-Version (docs/platforms.md "linkedin"): drift, not the page's guess
    Case(
        "li-api-426-nonexistent-version-is-drift",
        "linkedin",
        "acmebrand",
        _all(
            lambda w: w.route(
                f.LINKEDIN_API,
                "/rest/organizations",
                Reply.json(
                    {
                        "status": 426,
                        "code": "NONEXISTENT_VERSION",
                        "message": "Requested version 20240101 is not active",
                    },
                    426,
                ),
            ),
            lambda w: f.linkedin_company(w, "acmebrand"),
        ),
        Status.UNKNOWN,
        "signal drift: LinkedIn no longer serves API version 202609",
        Confidence.LOW,
        Method.OFFICIAL_API,
        {"linkedin_access_token": "li"},
    ),
    # --- facebook
    Case(
        "fb-page",
        "facebook",
        "acmebrand",
        lambda w: f.facebook_page(w, "acmebrand"),
        Status.CLAIMED,
        "Facebook Page",
        Confidence.MEDIUM,
    ),
    Case(
        "fb-unavailable-never-available",
        "facebook",
        "acmebrand",
        lambda w: f.facebook_unavailable(w, "acmebrand"),
        Status.UNKNOWN,
        "look alike",
    ),
    Case(
        "fb-login-redirect",
        "facebook",
        "acmebrand",
        lambda w: w.route(
            f.FACEBOOK,
            "/acmebrand",
            Reply.redirect("https://www.facebook.com/login/?next=%2Facmebrand"),
        ),
        Status.UNKNOWN,
        "login wall",
    ),
    Case(
        "fb-graph-803",
        "facebook",
        "acmebrand",
        lambda w: f.facebook_graph_not_found(w, "acmebrand"),
        Status.AVAILABLE,
        "803",
        Confidence.MEDIUM,
        Method.OFFICIAL_API,
        {"facebook_access_token": "app|secret"},
    ),
    Case(
        "fb-graph-803-personal-profile",
        "facebook",
        "acmebrand",
        lambda w: f.facebook_graph_profile(w, "acmebrand"),
        Status.CLAIMED,
        "personal Facebook profile",
        Confidence.MEDIUM,
        Method.OFFICIAL_API,
        {"facebook_access_token": "app|secret"},
    ),
    Case(
        "fb-803-other-message-is-drift",
        "facebook",
        "acmebrand",
        _all(
            lambda w: w.route(
                f.FACEBOOK_GRAPH,
                "/v24.0/acmebrand",
                Reply.json({"error": {"message": "(#803) Something new", "code": 803}}, 400),
            ),
            lambda w: f.facebook_unavailable(w, "acmebrand"),
        ),
        Status.UNKNOWN,
        "signal drift",
        credentials={"facebook_access_token": "app|secret"},
    ),
    # An expired Graph version (docs/platforms.md "facebook"): drift, not the page's guess
    *(
        Case(
            f"fb-graph-version-error-{code}-is-drift",
            "facebook",
            "acmebrand",
            _all(
                lambda w, code=code, message=message: w.route(
                    f.FACEBOOK_GRAPH,
                    "/v24.0/acmebrand",
                    Reply.json(
                        {"error": {"message": message, "type": "OAuthException", "code": code}},
                        400,
                    ),
                ),
                lambda w: f.facebook_page(w, "acmebrand"),
            ),
            Status.UNKNOWN,
            "signal drift: Graph refuses API version v24.0",
            Confidence.LOW,
            Method.OFFICIAL_API,
            {"facebook_access_token": "app|secret"},
        )
        for code, message in (
            (2635, "(#2635) You are calling a deprecated version of the Graph API."),
            (12, "(#12) This endpoint is deprecated for versions v24.0 and higher"),
            (100, "Unknown version: v24.0 is no longer available"),
        )
    ),
    Case(
        "fb-unavailable-json-escaped",
        "facebook",
        "acmebrand",
        lambda w: f.facebook_unavailable_escaped(w, "acmebrand"),
        Status.UNKNOWN,
        "look alike",
    ),
    Case(
        "fb-graph-803-short-name",
        "facebook",
        "acme",
        lambda w: f.facebook_graph_not_found(w, "acme"),
        Status.INVALID,
        "5 or more",
        credentials={"facebook_access_token": "app|secret"},
    ),
    # --- reddit
    Case(
        "reddit-claimed",
        "reddit",
        "acme",
        lambda w: f.reddit_user(w, "acme"),
        Status.CLAIMED,
        "Reddit account",
        Confidence.HIGH,
    ),
    Case(
        "reddit-suspended",
        "reddit",
        "acme",
        lambda w: f.reddit_user(w, "acme", suspended=True),
        Status.SUSPENDED,
        "suspended",
    ),
    Case(
        "reddit-404-without-credentials-is-unknown",
        "reddit",
        "acme",
        lambda w: f.reddit_not_found(w, "acme"),
        Status.UNKNOWN,
        # self-service API keys ended in Nov 2025 (docs/platforms.md "reddit"): no
        # "set REDDIT_CLIENT_ID" as if anyone could
        "needs an app Reddit has approved",
    ),
    Case(
        "reddit-signup-walled-404-is-unknown",
        "reddit",
        "acme",
        _all(lambda w: f.reddit_signup_check(w, None), lambda w: f.reddit_not_found(w, "acme")),
        Status.UNKNOWN,
        "needs an app Reddit has approved",
    ),
    Case(
        "reddit-signup-true",
        "reddit",
        "acme",
        lambda w: f.reddit_signup_check(w, True),
        Status.AVAILABLE,
        "says u/acme is available",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
    ),
    Case(
        "reddit-signup-false-no-account-reserved",
        "reddit",
        "acme",
        _all(lambda w: f.reddit_signup_check(w, False), lambda w: f.reddit_not_found(w, "acme")),
        Status.RESERVED,
        "never released",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
    ),
    Case(
        "reddit-signup-false-account",
        "reddit",
        "acme",
        _all(lambda w: f.reddit_signup_check(w, False), lambda w: f.reddit_user(w, "acme")),
        Status.CLAIMED,
        "Reddit account",
        Confidence.HIGH,
    ),
    Case(
        "reddit-api-true",
        "reddit",
        "acme",
        _all(f.reddit_token, lambda w: f.reddit_available(w, True)),
        Status.AVAILABLE,
        "says u/acme is available",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
        REDDIT,
    ),
    Case(
        "reddit-api-false-no-account-reserved",
        "reddit",
        "acme",
        _all(
            f.reddit_token,
            lambda w: f.reddit_available(w, False),
            lambda w: f.reddit_not_found(w, "acme"),
        ),
        Status.RESERVED,
        "never released",
        Confidence.HIGH,
        credentials=REDDIT,
    ),
    Case(
        "reddit-api-false-account",
        "reddit",
        "acme",
        _all(
            f.reddit_token,
            lambda w: f.reddit_available(w, False),
            lambda w: f.reddit_user(w, "acme"),
        ),
        Status.CLAIMED,
        "Reddit account",
        credentials=REDDIT,
    ),
    # --- pinterest
    Case(
        "pin-profile", "pinterest", "acme", lambda w: f.pinterest_profile(w, "acme"), Status.CLAIMED
    ),
    Case(
        "pin-not-found",
        "pinterest",
        "acme",
        lambda w: f.pinterest_not_found(w, "acme"),
        Status.AVAILABLE,
        "no user",
        Confidence.LOW,
    ),
    Case(
        "pin-redirect-home",
        "pinterest",
        "acme",
        lambda w: w.route(f.PINTEREST, "/acme/", Reply.redirect("https://www.pinterest.com/", 301)),
        Status.UNKNOWN,
        "redirected",
    ),
    Case(
        "pin-country-site-is-not-a-move",
        "pinterest",
        "acme",
        lambda w: w.route(
            f.PINTEREST, "/acme/", Reply.redirect("https://www.pinterest.co.uk/acme/", 302)
        ),
        Status.UNKNOWN,
        "regional site",
    ),
    # --- twitch
    Case(
        "twitch-gql-user",
        "twitch",
        "acmetv",
        lambda w: f.twitch_gql(w, {"__typename": "User", "id": "1", "login": "acmetv"}),
        Status.CLAIMED,
        "Twitch account",
        Confidence.HIGH,
        Method.PUBLIC_API,
    ),
    Case(
        "twitch-gql-missing",
        "twitch",
        "acmetv",
        lambda w: f.twitch_gql(
            w, {"__typename": "UserDoesNotExist", "key": "acmetv", "reason": "UNKNOWN"}
        ),
        Status.AVAILABLE,
        "no user",
        Confidence.MEDIUM,
    ),
    *(
        Case(
            f"twitch-gql-{reason.lower()}",
            "twitch",
            "acmetv",
            lambda w, reason=reason: f.twitch_gql(
                w, {"__typename": "UserDoesNotExist", "key": "acmetv", "reason": reason}
            ),
            Status.SUSPENDED,
            f"banned ({reason})",
            Confidence.MEDIUM,
        )
        for reason in ("TOS_INDEFINITE", "TOS_TEMPORARY", "DMCA")
    ),
    Case(
        "twitch-gql-deactivated-is-held-not-banned",
        "twitch",
        "acmetv",
        lambda w: f.twitch_gql(
            w, {"__typename": "UserDoesNotExist", "key": "acmetv", "reason": "DEACTIVATED"}
        ),
        Status.SUSPENDED,
        "its owner deactivated (DEACTIVATED)",
        Confidence.MEDIUM,
    ),
    Case(
        "twitch-gql-new-reason-is-unknown",
        "twitch",
        "acmetv",
        lambda w: f.twitch_gql(
            w, {"__typename": "UserDoesNotExist", "key": "acmetv", "reason": "RESERVED_BY_STAFF"}
        ),
        Status.UNKNOWN,
        "RESERVED_BY_STAFF",
    ),
    Case(
        "twitch-gql-no-reason-is-unknown",
        "twitch",
        "acmetv",
        lambda w: f.twitch_gql(w, {"__typename": "UserDoesNotExist", "key": "acmetv"}),
        Status.UNKNOWN,
        "none given",
    ),
    Case(
        "twitch-gql-200-error-body",
        "twitch",
        "acmetv",
        lambda w: w.route(
            f.TWITCH_GQL, "/gql", Reply.json({"errors": [{"message": "service timeout"}]})
        ),
        Status.UNKNOWN,
        "error",
    ),
    Case(
        "twitch-helix-user",
        "twitch",
        "acmetv",
        _all(
            f.twitch_token,
            lambda w: f.twitch_helix(w, [{"id": "1", "login": "acmetv", "display_name": "AcmeTV"}]),
        ),
        Status.CLAIMED,
        "Twitch account",
        Confidence.HIGH,
        Method.OFFICIAL_API,
        TWITCH,
    ),
    # Helix omits banned logins (docs/platforms.md "twitch"): an empty data asks GQL
    Case(
        "twitch-helix-empty-and-gql-unknown-reason-is-available",
        "twitch",
        "acmetv",
        _all(
            f.twitch_token,
            lambda w: f.twitch_helix(w, []),
            lambda w: f.twitch_gql(
                w, {"__typename": "UserDoesNotExist", "key": "acmetv", "reason": "UNKNOWN"}
            ),
        ),
        Status.AVAILABLE,
        "Helix lists no user either",
        Confidence.MEDIUM,
        Method.PUBLIC_API,
        TWITCH,
    ),
    Case(
        "twitch-helix-empty-banned-login-is-suspended",
        "twitch",
        "acmetv",
        _all(
            f.twitch_token,
            lambda w: f.twitch_helix(w, []),
            lambda w: f.twitch_gql(
                w, {"__typename": "UserDoesNotExist", "key": "acmetv", "reason": "TOS_INDEFINITE"}
            ),
        ),
        Status.SUSPENDED,
        "banned (TOS_INDEFINITE)",
        credentials=TWITCH,
    ),
    Case(
        "twitch-helix-empty-gql-unreachable-is-unknown",
        "twitch",
        "acmetv",
        _all(
            f.twitch_token,
            lambda w: f.twitch_helix(w, []),
            lambda w: w.route(f.TWITCH_GQL, "/gql", Reply.text("busy", 503)),
        ),
        Status.UNKNOWN,
        "omits banned logins",
        credentials=TWITCH,
    ),
    Case(
        "twitch-bad-secret-falls-back",
        "twitch",
        "acmetv",
        _all(
            f.twitch_token,
            lambda w: f.twitch_gql(w, {"__typename": "User", "id": "1", "login": "acmetv"}),
        ),
        Status.CLAIMED,
        "app token request failed",
        method=Method.PUBLIC_API,
        credentials={"twitch_client_id": "cid", "twitch_client_secret": "wrong"},
    ),
    # --- snapchat
    Case(
        "snap-profile", "snapchat", "acme", lambda w: f.snapchat_profile(w, "acme"), Status.CLAIMED
    ),
    Case(
        "snap-profile-with-unrelated-not-found",
        "snapchat",
        "acme",
        lambda w: f.snapchat_profile_with_unrelated_not_found(w, "acme"),
        Status.CLAIMED,
        "public Snapchat profile",
        Confidence.MEDIUM,
    ),
    Case(
        "snap-not-found-200",
        "snapchat",
        "acme",
        lambda w: f.snapchat_not_found_200(w, "acme"),
        Status.AVAILABLE,
        "no public profile",
        Confidence.LOW,
    ),
    Case(
        "snap-not-found-string-outside-next-data-is-no-verdict",
        "snapchat",
        "acme",
        lambda w: w.route(f.SNAPCHAT, "/@acme", Reply.html(f.page("<div>NOT_FOUND</div>"), 404)),
        Status.UNKNOWN,
    ),
    Case(
        "snap-not-found",
        "snapchat",
        "acme",
        lambda w: f.snapchat_not_found(w, "acme"),
        Status.AVAILABLE,
        "no public profile",
        Confidence.LOW,
    ),
    # --- tumblr
    Case("tumblr-page", "tumblr", "acme", lambda w: f.tumblr_blog_page(w, "acme"), Status.CLAIMED),
    Case(
        "tumblr-login-required-is-claimed",
        "tumblr",
        "acme",
        lambda w: w.route(
            f.TUMBLR, "/acme", Reply.redirect("https://www.tumblr.com/login_required/acme")
        ),
        Status.CLAIMED,
        "requires a login",
    ),
    Case(
        "tumblr-login-elsewhere-unknown",
        "tumblr",
        "acme",
        lambda w: w.route(
            f.TUMBLR, "/acme", Reply.redirect("https://www.tumblr.com/login?redirect_to=%2Facme")
        ),
        Status.UNKNOWN,
        "login wall",
    ),
    Case(
        "tumblr-404",
        "tumblr",
        "acme",
        lambda w: f.tumblr_not_found(w, "acme"),
        Status.AVAILABLE,
        "no blog",
        Confidence.MEDIUM,
    ),
    Case(
        "tumblr-404-without-title-is-drift",
        "tumblr",
        "acme",
        lambda w: w.route(f.TUMBLR, "/acme", Reply.html("<html>oops</html>", 404)),
        Status.UNKNOWN,
        "signal drift",
    ),
    Case(
        "tumblr-browser-check",
        "tumblr",
        "acme",
        lambda w: w.route(
            f.TUMBLR, "/acme", Reply.html("<p>Checking your browser before accessing</p>", 200)
        ),
        Status.UNKNOWN,
        "challenge",
    ),
    Case(
        "tumblr-api-blog",
        "tumblr",
        "acme",
        lambda w: f.tumblr_api_blog(w, "acme"),
        Status.CLAIMED,
        "Tumblr blog",
        Confidence.HIGH,
        Method.OFFICIAL_API,
        {"tumblr_api_key": "k"},
    ),
    Case(
        "tumblr-api-404",
        "tumblr",
        "acme",
        lambda w: f.tumblr_api_not_found(w, "acme"),
        Status.AVAILABLE,
        "no blog",
        Confidence.HIGH,
        Method.OFFICIAL_API,
        {"tumblr_api_key": "k"},
    ),
    # --- discord
    Case(
        "discord-taken",
        "discord",
        "acme",
        lambda w: f.discord_username(w, {"acme": True}),
        Status.CLAIMED,
        "held, but by whom is unknown",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
    ),
    Case(
        "discord-free",
        "discord",
        "acme.brand",
        lambda w: f.discord_username(w, {"acme.brand": False}),
        Status.AVAILABLE,
        "free",
        Confidence.HIGH,
        Method.AVAILABILITY_ENDPOINT,
    ),
    Case("discord-rate-limited", "discord", "acme", f.discord_rate_limited, Status.UNKNOWN, "429"),
    Case(
        "discord-400-is-no-verdict",
        "discord",
        "acme",
        lambda w: f.discord_username(w, {}),
        Status.UNKNOWN,
    ),
    Case(
        "discord-invite",
        "discord-invite",
        "acme",
        lambda w: f.discord_invite(w, "acme"),
        Status.CLAIMED,
        "Acme",
        Confidence.HIGH,
    ),
    Case(
        "discord-invite-unknown",
        "discord-invite",
        "acme",
        lambda w: f.discord_invite_unknown(w, "acme"),
        Status.AVAILABLE,
        "vanity",
        Confidence.LOW,
    ),
    Case(
        "discord-invite-cdn-404",
        "discord-invite",
        "acme",
        lambda w: w.route(f.DISCORD, "/api/v9/invites/acme", Reply.text("404 Not Found", 404)),
        Status.UNKNOWN,
    ),
    # --- telegram
    Case(
        "telegram-profile",
        "telegram",
        "acmebrand",
        lambda w: f.telegram_profile(w, "acmebrand"),
        Status.CLAIMED,
        "Telegram",
        Confidence.MEDIUM,
    ),
    Case(
        "telegram-not-shown-and-no-fragment-listing",
        "telegram",
        "acmebrand",
        lambda w: f.telegram_free(w, "acmebrand"),
        Status.AVAILABLE,
        "Fragment has no listing",
        Confidence.LOW,
    ),
    # docs/platforms.md "telegram": a sold, taken or for-sale name shows the same contact page
    Case(
        "telegram-sold-on-fragment-is-reserved",
        "telegram",
        "acmebrand",
        _all(
            lambda w: f.telegram_not_shown(w, "acmebrand"),
            lambda w: f.fragment_status(w, "acmebrand", "tm-status-unavail", "Sold"),
        ),
        Status.RESERVED,
        "sold on Fragment",
    ),
    Case(
        "telegram-taken-on-fragment-is-reserved",
        "telegram",
        "acmebrand",
        _all(
            lambda w: f.telegram_not_shown(w, "acmebrand"),
            lambda w: f.fragment_status(w, "acmebrand", "tm-status-taken", "Taken"),
        ),
        Status.RESERVED,
        "taken on Fragment",
    ),
    Case(
        "telegram-on-auction-is-for-sale-not-available",
        "telegram",
        "acmebrand",
        _all(
            lambda w: f.telegram_not_shown(w, "acmebrand"),
            lambda w: f.fragment_status(w, "acmebrand", "tm-status-avail", "On auction"),
        ),
        Status.RESERVED,
        "for sale on Fragment",
    ),
    Case(
        "telegram-fragment-unreachable-is-unknown",
        "telegram",
        "acmebrand",
        _all(
            lambda w: f.telegram_not_shown(w, "acmebrand"),
            lambda w: w.route(f.FRAGMENT, "/username/acmebrand", Reply.text("busy", 503)),
        ),
        Status.UNKNOWN,
        "Fragment",
    ),
    Case(
        "telegram-fragment-page-without-status-is-unknown",
        "telegram",
        "acmebrand",
        _all(
            lambda w: f.telegram_not_shown(w, "acmebrand"),
            lambda w: w.route(f.FRAGMENT, "/username/acmebrand", Reply.html("<html></html>")),
        ),
        Status.UNKNOWN,
        "without a known status",
    ),
    Case(
        "telegram-fragment-redirect-elsewhere-is-unknown",
        "telegram",
        "acmebrand",
        _all(
            lambda w: f.telegram_not_shown(w, "acmebrand"),
            lambda w: w.route(
                f.FRAGMENT, "/username/acmebrand", Reply.redirect("https://fragment.com/login")
            ),
        ),
        Status.UNKNOWN,
        "Fragment",
    ),
    Case(
        "telegram-not-shown-page-for-another-name-is-drift",
        "telegram",
        "acmebrand",
        lambda w: w.route(
            f.TELEGRAM,
            "/acmebrand",
            Reply.html(
                "<html><head><title>Telegram: Contact @othername</title>"
                '<meta name="robots" content="noindex, nofollow"></head><body>'
                '<a class="tgme_username_link" href="tg://resolve?domain=othername">'
                "@othername</a></body></html>"
            ),
        ),
        Status.UNKNOWN,
        "signal drift",
    ),
    Case(
        "telegram-not-shown-longer-name-is-drift",
        "telegram",
        "acmebrand",
        lambda w: w.route(
            f.TELEGRAM,
            "/acmebrand",
            Reply.html(
                '<html><head><meta name="robots" content="noindex, nofollow"></head><body>'
                '<a href="tg://resolve?domain=acmebrand2">@acmebrand2</a></body></html>'
            ),
        ),
        Status.UNKNOWN,
        "signal drift",
    ),
    Case(
        "telegram-bare-200-is-drift",
        "telegram",
        "acmebrand",
        lambda w: w.route(f.TELEGRAM, "/acmebrand", Reply.html("<html>Telegram</html>")),
        Status.UNKNOWN,
        "signal drift",
    ),
    # --- kick, official API (docs/platforms.md "kick": the public site needs cf_clearance)
    Case(
        "kick-official-channel",
        "kick",
        "acmetv",
        _all(f.kick_token, lambda w: f.kick_official(w, {"acmetv"})),
        Status.CLAIMED,
        "Kick channel",
        Confidence.HIGH,
        Method.OFFICIAL_API,
        KICK,
    ),
    Case(
        "kick-official-empty-data-is-available",
        "kick",
        "acmetv",
        _all(f.kick_token, lambda w: f.kick_official(w, set())),
        Status.AVAILABLE,
        "no channel",
        Confidence.MEDIUM,
        Method.OFFICIAL_API,
        KICK,
    ),
    Case(
        "kick-official-twin-channel-is-no-verdict",
        "kick",
        "acme_tv",
        _all(f.kick_token, lambda w: f.kick_official(w, {"acme-tv"})),
        Status.UNKNOWN,
        "'acme-tv' is a channel",
        method=Method.OFFICIAL_API,
        credentials=KICK,
    ),
    Case(
        "kick-official-bad-secret-falls-back-to-the-web-api",
        "kick",
        "acmetv",
        _all(f.kick_token, lambda w: f.kick_channel(w, "acmetv")),
        Status.CLAIMED,
        "app token request failed",
        method=Method.PUBLIC_API,
        credentials={"kick_client_id": "kid", "kick_client_secret": "wrong"},
    ),
    # --- substack
    Case(
        "substack-profile",
        "substack",
        "acme",
        lambda w: f.substack_profile(w, "acme"),
        Status.CLAIMED,
        "Substack profile",
        Confidence.HIGH,
    ),
    Case(
        "substack-not-found",
        "substack",
        "acme",
        lambda w: f.substack_not_found(w, "acme"),
        Status.AVAILABLE,
        "no profile",
        Confidence.MEDIUM,
    ),
    # docs/platforms.md "substack": publications are a namespace of their own
    Case(
        "substack-no-profile-but-a-publication-is-claimed",
        "substack",
        "acme",
        lambda w: f.substack_not_found(w, "acme", publication=True),
        Status.CLAIMED,
        "acme.substack.com is a Substack publication",
        Confidence.MEDIUM,
        Method.PUBLIC_PAGE,
    ),
    Case(
        "substack-publication-redirect-is-no-verdict",
        "substack",
        "acme",
        _all(
            lambda w: f.substack_not_found(w, "acme"),
            lambda w: w.route("acme.substack.com", "/", Reply.redirect("https://substack.com/")),
        ),
        Status.UNKNOWN,
    ),
    Case(
        "substack-other-handle",
        "substack",
        "acme",
        lambda w: (
            f.substack_profile(w, "acme")
            or w.route(
                f.SUBSTACK,
                "/api/v1/user/acme/public_profile",
                Reply.json({"id": 1, "handle": "acmeshop"}),
            )
        ),
        Status.UNKNOWN,
        "another profile",
    ),
    # --- kick
    Case(
        "kick-channel",
        "kick",
        "acme",
        lambda w: f.kick_channel(w, "acme"),
        Status.CLAIMED,
        "Kick channel",
        Confidence.HIGH,
    ),
    Case(
        "kick-banned",
        "kick",
        "acme",
        lambda w: f.kick_channel(w, "acme", banned=True),
        Status.SUSPENDED,
        "banned",
    ),
    Case(
        "kick-not-found",
        "kick",
        "acme",
        lambda w: f.kick_not_found(w, "acme"),
        Status.AVAILABLE,
        "no channel",
        Confidence.MEDIUM,
    ),
    Case(
        "kick-twin-spelling-is-a-channel",
        "kick",
        "acme_hq",
        lambda w: f.kick_not_found(w, "acme_hq") or f.kick_channel(w, "acme-hq"),
        Status.UNKNOWN,
        "'acme-hq' is a channel",
    ),
    Case(
        "kick-twin-spelling-blocked",
        "kick",
        "acme-hq",
        lambda w: (
            f.kick_not_found(w, "acme-hq")
            or w.route(f.KICK, "/api/v2/channels/acme_hq", Reply(status=403))
        ),
        Status.UNKNOWN,
        "could not be checked",
    ),
    Case(
        "kick-mixed-name-has-two-twins",
        "kick",
        "acme_hq-tv",
        lambda w: (
            f.kick_not_found(w, "acme_hq-tv")
            or f.kick_not_found(w, "acme-hq-tv")
            or f.kick_channel(w, "acme_hq_tv")
        ),
        Status.UNKNOWN,
        "'acme_hq_tv' is a channel",
    ),
    Case(
        "kick-neither-spelling",
        "kick",
        "acme_hq",
        lambda w: f.kick_not_found(w, "acme_hq") or f.kick_not_found(w, "acme-hq"),
        Status.AVAILABLE,
        "no channel 'acme_hq'",
        Confidence.MEDIUM,
    ),
    Case(
        "kick-other-404-is-drift",
        "kick",
        "acme",
        lambda w: w.route(
            f.KICK, "/api/v2/channels/acme", Reply.html("<title>Not Found</title>", 404)
        ),
        Status.UNKNOWN,
        "signal drift",
    ),
    # --- medium
    Case(
        "medium-user",
        "medium",
        "acme",
        lambda w: f.medium_user(w, "acme"),
        Status.CLAIMED,
        "Medium account",
        Confidence.HIGH,
    ),
    Case(
        "medium-no-user",
        "medium",
        "acme",
        lambda w: f.medium_not_found(w, "acme"),
        Status.AVAILABLE,
        "no user",
        Confidence.MEDIUM,
    ),
    Case(
        "medium-suspended",
        "medium",
        "acme",
        lambda w: f.medium_suspended(w, "acme"),
        Status.SUSPENDED,
        "suspended",
    ),
    Case(
        "medium-404-view-without-guard",
        "medium",
        "acme",
        lambda w: w.route(f.MEDIUM, "/@acme", Reply.html("<h1>PAGE NOT FOUND</h1>", 404)),
        Status.UNKNOWN,
    ),
    # --- linktree
    Case(
        "linktree-page",
        "linktree",
        "acme",
        lambda w: f.linktree_page(w, "acme"),
        Status.CLAIMED,
        "Linktree page",
        Confidence.MEDIUM,
    ),
    Case(
        "linktree-not-found",
        "linktree",
        "acme",
        lambda w: f.linktree_not_found(w, "acme"),
        Status.AVAILABLE,
        "no page",
        Confidence.MEDIUM,
    ),
    # the second 404 page, for a valid name nobody holds (docs/platforms.md "linktree")
    Case(
        "linktree-not-found-titled-page",
        "linktree",
        "acme",
        lambda w: w.route(
            f.LINKTREE,
            "/acme",
            Reply.html(f.page("<title>Linktree | Page Not Found</title>"), 404),
        ),
        Status.AVAILABLE,
        "no page",
        Confidence.MEDIUM,
    ),
    Case(
        "linktree-404-without-either-marker-is-no-verdict",
        "linktree",
        "acme",
        lambda w: w.route(f.LINKTREE, "/acme", Reply.html(f.page("<title>404</title>"), 404)),
        Status.UNKNOWN,
    ),
    Case(
        "linktree-200-with-the-not-found-title-is-no-verdict",
        "linktree",
        "acme",
        lambda w: w.route(
            f.LINKTREE, "/acme", Reply.html(f.page("<title>Linktree | Page Not Found</title>"))
        ),
        Status.UNKNOWN,
    ),
    Case(
        "linktree-blocked",
        "linktree",
        "acme",
        lambda w: f.linktree_blocked(w, "acme"),
        Status.SUSPENDED,
        "blocked",
    ),
    Case(
        "linktree-404-without-next-data-is-no-verdict",
        "linktree",
        "acme",
        lambda w: w.route(f.LINKTREE, "/acme", Reply.html('"statusCode":404', 404)),
        Status.UNKNOWN,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_adapter_reads_its_platform(world: World, case: Case) -> None:
    case.setup(world.http)
    result = check(world, case.platform, case.handle, credentials=case.credentials)
    assert result.status is case.status, result.reason
    assert case.reason.lower() in result.reason.lower()
    assert not is_internal_error(result.cause), result.reason
    if case.confidence is not None:
        assert result.confidence is case.confidence
    if case.method is not None:
        assert result.method is case.method
    assert result.evidence, "every verdict from a request carries evidence"
    if result.status is Status.AVAILABLE:
        assert result.remediation
    for evidence in result.evidence:
        # Secrets never reach the report.
        for secret in ("x-token", "yt-key", "rsecret", "app|secret", "twitch-app-token"):
            assert secret not in evidence.url


def test_rule_is_checked_before_any_request(world: World) -> None:
    result = check(world, "x", "acme.brand")
    assert result.status is Status.INVALID
    assert "letters, digits or '_'" in result.reason
    assert result.evidence == ()
    assert world.http.requests == []


def test_credentials_travel_in_headers_and_are_redacted(world: World) -> None:
    f.x_api_user(world.http, "acme")
    check(world, "x", "acme", credentials=X_TOKEN)
    request = world.http.requests_to(f.X_API)[0]
    assert request.headers["authorization"] == "Bearer x-token"
    f.youtube_api(world.http, [])
    result = check(world, "youtube", "acmebrand", credentials=YT_KEY)
    assert "key=REDACTED" in result.evidence[0].url
    assert world.http.requests_to(f.YOUTUBE_API)[0].arg("forHandle") == "@acmebrand"


def test_twitch_app_token_is_fetched_once_per_run(world: World) -> None:

    from tests.platforms.conftest import run_checks, settings_for

    f.twitch_token(world.http)
    f.twitch_helix(world.http, [])
    f.twitch_gql(world.http, {"__typename": "UserDoesNotExist", "reason": "UNKNOWN"})
    settings = settings_for(world, credentials=TWITCH)
    results = run_checks(settings, [("twitch", "acmeone"), ("twitch", "acmetwo")])
    assert {r.status for r in results} == {Status.AVAILABLE}
    assert len(world.http.requests_to(f.TWITCH_ID)) == 1
    token_request = world.http.requests_to(f.TWITCH_ID)[0]
    assert token_request.method == "POST"
    assert b"grant_type=client_credentials" in token_request.body


def test_handles_are_percent_encoded_into_urls(world: World) -> None:
    # LinkedIn slugs may contain '&' and "'": they must stay inside the path segment.
    check(world, "linkedin", "at&t")
    request = world.http.requests_to(f.LINKEDIN)[0]
    assert request.path == "/company/at%26t/"


# --- whatsapp channels: claimed only from a link on the brand's own website
CHANNEL = "0029VaAcmeBrand0Channel01"


def _channel_page(world: World, body: str, status: int = 200) -> None:
    world.http.route("whatsapp.com", f"/channel/{CHANNEL}", Reply.html(body, status))


CHANNEL_CARD = (
    '<html><head><title>WhatsApp Channel</title></head><body><div class="_9vd5">'
    '<img class="_9vx6" src="https://pps.whatsapp.net/v/acme.jpg">'
    '<h3 class="_9vd5 _9t2_">Acme &amp; Co</h3><h5 class="_9vd5 _9scy">Channel | 12K followers'
    '</h5><h4 class="_9vd5 _9scb">News from Acme</h4>'
    f'<a id="action-button" href="https://whatsapp.com/channel/{CHANNEL}">Follow</a>'
    "</div></body></html>"
)


def test_whatsapp_channel_linked_from_the_website_and_shown_is_claimed(world: World) -> None:
    _channel_page(world, CHANNEL_CARD)
    result = check(world, "whatsapp-channel", CHANNEL, source=HandleSource.DECLARED_WEBSITE)
    assert result.status is Status.CLAIMED, result.reason
    assert result.confidence is Confidence.MEDIUM
    assert result.method is Method.PUBLIC_PAGE
    assert "Acme & Co" in result.reason and "brand's website" in result.reason
    assert result.profile is not None and result.profile.display_name == "Acme & Co"
    assert result.evidence and result.evidence[0].signal


@pytest.mark.parametrize("source", [HandleSource.CLI, HandleSource.DECLARED_CONFIG])
def test_whatsapp_channel_not_linked_is_unknown_without_a_request(
    world: World, source: HandleSource
) -> None:
    _channel_page(world, CHANNEL_CARD)
    result = check(world, "whatsapp-channel", CHANNEL, source=source)
    assert result.status is Status.UNKNOWN
    assert "own website" in result.reason
    assert world.http.requests == []


def test_whatsapp_channel_brand_names_are_not_channel_codes(world: World) -> None:
    result = check(world, "whatsapp-channel", "acmebrand", source=HandleSource.DECLARED_WEBSITE)
    assert result.status is Status.NOT_APPLICABLE
    assert world.http.requests == []
    # docs/platforms.md "whatsapp": not a wrong handle, a question nothing public answers
    assert "not applicable" in result.reason
    assert "reserve your username in the WhatsApp app" in result.reason
    # and it never counts against the grade: a rule miss is left out of the score
    from brandaudit.policy.score import handle_outcome

    assert handle_outcome([result]) is None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # A landing page without the channel card: WhatsApp shows no channel for the code.
        ('<html><a id="action-button" href="https://www.whatsapp.com/">Download</a></html>', 200),
        ("<html><title>Page not found</title></html>", 404),
    ],
)
def test_whatsapp_channel_page_without_the_card_never_decides(
    world: World, body: str, status: int
) -> None:
    _channel_page(world, body, status)
    result = check(world, "whatsapp-channel", CHANNEL, source=HandleSource.DECLARED_WEBSITE)
    assert result.status is Status.UNKNOWN, result.reason
    assert result.evidence


@pytest.mark.parametrize("code", [[12], {"x": 1}, "2635", None])
def test_graph_error_codes_of_any_shape_never_crash_the_version_check(
    world: World, code: object
) -> None:
    # A hostile Graph answer: a code that isn't a number is no version error (and no crash),
    # and a huge message is cut before the version regex reads it.
    world.http.route(
        f.FACEBOOK_GRAPH,
        "/v24.0/acmebrand",
        Reply.json({"error": {"message": "deprecated " * 50_000, "code": code}}, 400),
    )
    f.facebook_unavailable(world.http, "acmebrand")
    result = check(world, "facebook", "acmebrand", credentials={"facebook_access_token": "t"})
    assert result.status is Status.UNKNOWN
    assert "adapter failed" not in result.reason
