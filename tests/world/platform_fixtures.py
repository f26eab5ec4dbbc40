"""Response shapes of the catalog's platforms, one helper per signal (see PLATFORMS.md §3).

Each helper routes the loopback world so a platform answers as it does in production: the
claimed and not-found shapes the adapters look for, and the traps they must not read as a
verdict (consent pages, login walls, challenges, HTML where JSON was expected, 200 with an
error body).
"""

from __future__ import annotations

import json
from typing import Any

from tests.world.http import HttpWorld, Reply, Request

X_API = "api.x.com"
INSTAGRAM = "www.instagram.com"
THREADS = "www.threads.com"
THREADS_OLD = "www.threads.net"  # redirects every path to www.threads.com since Jan 2026
THREADS_GRAPH = "graph.threads.com"
TIKTOK = "www.tiktok.com"
YOUTUBE = "www.youtube.com"
YOUTUBE_API = "www.googleapis.com"
LINKEDIN = "www.linkedin.com"
LINKEDIN_API = "api.linkedin.com"
FACEBOOK = "www.facebook.com"
FACEBOOK_GRAPH = "graph.facebook.com"
REDDIT = "www.reddit.com"
REDDIT_OAUTH = "oauth.reddit.com"
PINTEREST = "www.pinterest.com"
TWITCH_GQL = "gql.twitch.tv"
TWITCH_ID = "id.twitch.tv"
TWITCH_API = "api.twitch.tv"
SNAPCHAT = "www.snapchat.com"
TUMBLR = "www.tumblr.com"
TUMBLR_API = "api.tumblr.com"

CLOUDFLARE_CHALLENGE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    '<div id="challenge-body"><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/'
    'chl_page/v1"></script>Enable JavaScript and cookies to continue</div></body></html>'
)


def page(*parts: str) -> str:
    return "<!DOCTYPE html><html><head>" + "".join(parts) + "</head><body></body></html>"


# --- x ---------------------------------------------------------------------------------
def x_availability(world: HttpWorld, reason: str, valid: bool | None = None) -> None:
    messages = {
        "available": "Available!",
        "taken": "Username has already been taken",
        "improper_format": "Your username can only contain letters, numbers and '_'",
        "unavailable": "This username is unavailable",
    }
    body = {
        "valid": reason == "available" if valid is None else valid,
        "reason": reason,
        "msg": messages.get(reason, reason),
        "desc": messages.get(reason, reason),
    }
    world.route(X_API, "/i/users/username_available.json", Reply.json(body))


def x_api_user(world: HttpWorld, username: str) -> None:
    world.route(
        X_API,
        f"/2/users/by/username/{username}",
        Reply.json(
            {"data": {"id": "2244994945", "name": "Acme Inc", "username": username.capitalize()}}
        ),
    )


def x_api_not_found(world: HttpWorld, username: str, detail: str = "") -> None:
    error = {
        "value": username,
        "detail": detail or f"Could not find user with username: [{username}].",
        "title": "Not Found Error",
        "resource_type": "user",
        "parameter": "username",
        "resource_id": username,
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }
    world.route(X_API, f"/2/users/by/username/{username}", Reply.json({"errors": [error]}, 404))


# --- instagram / threads -----------------------------------------------------------------
def instagram_user(world: HttpWorld, username: str, host: str = INSTAGRAM, **extra: object) -> None:
    user = {
        "username": username,
        "full_name": "Acme",
        "biography": "We make things",
        "external_url": "https://acme.com/",
        "is_private": False,
        **extra,
    }
    world.route(
        host,
        "/api/v1/users/web_profile_info/",
        Reply.json({"data": {"user": user}, "status": "ok"}),
    )


def instagram_not_found(world: HttpWorld, host: str = INSTAGRAM) -> None:
    world.route(
        host,
        "/api/v1/users/web_profile_info/",
        Reply.json({"data": {"user": None}, "status": "ok"}, 404),
    )


def instagram_login_wall(world: HttpWorld, host: str = INSTAGRAM) -> None:
    world.route(
        host,
        "/api/v1/users/web_profile_info/",
        Reply.json(
            {
                "message": "Please wait a few minutes before you try again.",
                "require_login": True,
                "status": "fail",
            },
            401,
        ),
    )


def threads_moved(world: HttpWorld) -> None:
    """threads.net as it answers since January 2026: every path 301s to www.threads.com."""

    def answer(request: Request) -> Reply:
        return Reply.redirect(f"https://{THREADS}{request.path}", 301)

    world.route_prefix(THREADS_OLD, "/", answer)


def threads_page(world: HttpWorld, username: str, *, og_type: str = "profile") -> None:
    # WhatsMyName (a43078f): 200 with og:type profile and "username": for a profile.
    data = {"require": [["ProfileRoot", {"user": {"username": username, "pk": "314216"}}]]}
    world.route(
        THREADS,
        f"/@{username}",
        Reply.html(
            page(
                f'<meta property="og:type" content="{og_type}" />',
                f'<script type="application/json">{json.dumps(data)}</script>',
            )
        ),
    )


def threads_page_missing(world: HttpWorld, username: str) -> None:
    # WhatsMyName (a43078f): 302 when the profile is missing.
    world.route(THREADS, f"/@{username}", Reply.redirect(f"https://{THREADS}/", 302))


def instagram_401(world: HttpWorld, host: str = INSTAGRAM) -> None:
    world.route(
        host,
        "/api/v1/users/web_profile_info/",
        Reply.json({"message": "", "status": "fail"}, 401),
    )


def threads_discovery(world: HttpWorld, username: str) -> None:
    world.route(
        THREADS_GRAPH,
        "/v1.0/profile_lookup",
        Reply.json({"username": username, "name": "Acme", "follower_count": 12000}),
    )


# --- tiktok --------------------------------------------------------------------------------
def tiktok_oembed(world: HttpWorld, username: str) -> None:
    world.route(
        TIKTOK,
        "/oembed",
        Reply.json(
            {
                "version": "1.0",
                "type": "rich",
                "title": "Acme",
                "author_url": f"https://www.tiktok.com/@{username}",
                "author_name": "Acme",
                "provider_name": "TikTok",
            }
        ),
    )


def tiktok_not_shown(world: HttpWorld, username: str) -> None:
    world.route(
        TIKTOK, "/oembed", Reply.json({"code": 400, "message": "Something went wrong"}, 400)
    )
    world.route(TIKTOK, f"/embed/@{username}", Reply.html(page("<title>TikTok</title>"), 400))


# --- youtube -------------------------------------------------------------------------------
CHANNEL_ID = "UCBR8-60-B28hp2BmDPdntcQ"


def youtube_channel_page(world: HttpWorld, handle: str) -> None:
    data = {"metadata": {"channelMetadataRenderer": {"externalId": CHANNEL_ID}}}
    world.route(
        YOUTUBE,
        f"/@{handle}",
        Reply.html(
            page(f"<script>var ytInitialData = {json.dumps(data, separators=(',', ':'))};</script>")
        ),
    )


def youtube_page_with_other_channel(world: HttpWorld, handle: str) -> None:
    """A 200 page whose only channel ids belong to other channels (a shelf, an error page)."""
    data = {
        "contents": {"shelf": [{"channelId": "UCxxxxxxxxxxxxxxxxxxxxx1"}]},
        "responseContext": {"externalId": "UCyyyyyyyyyyyyyyyyyyyyy2"},
    }
    world.route(
        YOUTUBE,
        f"/@{handle}",
        Reply.html(
            page(f"<script>var ytInitialData = {json.dumps(data, separators=(',', ':'))};</script>")
        ),
    )


def youtube_page_not_found(world: HttpWorld, handle: str) -> None:
    world.route(
        YOUTUBE,
        f"/@{handle}",
        Reply.html(
            page(
                "<title>404 Not Found</title>",
                '<link rel="icon" href="https://www.youtube.com/s/desktop/28b0985e/img/favicon.ico">',
            ),
            404,
        ),
    )


def youtube_consent(world: HttpWorld, handle: str) -> None:
    world.route(
        YOUTUBE,
        f"/@{handle}",
        Reply.redirect(f"https://consent.youtube.com/m?continue=https://www.youtube.com/@{handle}"),
    )


def youtube_api(world: HttpWorld, items: list[dict[str, object]]) -> None:
    body: dict[str, object] = {
        "kind": "youtube#channelListResponse",
        "etag": "abc",
        "pageInfo": {"totalResults": len(items), "resultsPerPage": 5},
    }
    if items:
        body["items"] = items
    world.route(YOUTUBE_API, "/youtube/v3/channels", Reply.json(body))


# --- linkedin ------------------------------------------------------------------------------
def linkedin_company(world: HttpWorld, slug: str) -> None:
    ld = {
        "@context": "http://schema.org",
        "@type": "Organization",
        "name": "Acme",
        "url": f"https://www.linkedin.com/company/{slug}",
    }
    world.route(
        LINKEDIN,
        f"/company/{slug}/",
        Reply.html(
            page(
                '<meta property="og:type" content="website">',
                f'<script type="application/ld+json">{json.dumps(ld)}</script>',
            )
        ),
    )


def linkedin_other_company(world: HttpWorld, slug: str) -> None:
    """An Organization node for another company, and a /company/<slug> link elsewhere."""
    ld = {
        "@context": "http://schema.org",
        "@type": "Organization",
        "name": "Other",
        "url": "https://www.linkedin.com/company/other-co",
    }
    world.route(
        LINKEDIN,
        f"/company/{slug}/",
        Reply.html(
            page(
                f'<script type="application/ld+json">{json.dumps(ld)}</script>',
                f'<a href="https://www.linkedin.com/company/{slug}/">see also</a>',
            )
        ),
    )


def linkedin_generic_200(world: HttpWorld, slug: str) -> None:
    # namecheck PR #9: LinkedIn answers 200 for slugs that don't exist.
    world.route(LINKEDIN, f"/company/{slug}/", Reply.html(page("<title>LinkedIn</title>")))


# --- facebook ------------------------------------------------------------------------------
def facebook_page(world: HttpWorld, name: str) -> None:
    world.route(
        FACEBOOK,
        f"/{name}",
        Reply.html(page(f'<meta property="og:url" content="https://www.facebook.com/{name}/" />')),
    )


def facebook_unavailable(world: HttpWorld, name: str) -> None:
    world.route(
        FACEBOOK,
        f"/{name}",
        Reply.html(
            page("<title>Facebook</title>", "<div>This content isn't available right now</div>")
        ),
    )


def facebook_graph_not_found(world: HttpWorld, name: str) -> None:
    world.route(
        FACEBOOK_GRAPH,
        f"/v24.0/{name}",
        Reply.json(
            {
                "error": {
                    "message": f"(#803) Some of the aliases you requested do not exist: {name}",
                    "type": "OAuthException",
                    "code": 803,
                    "fbtrace_id": "A1",
                }
            },
            404,
        ),
    )


def facebook_graph_profile(world: HttpWorld, name: str) -> None:
    """A personal profile holds the name: the Graph API won't show it, and says so."""
    world.route(
        FACEBOOK_GRAPH,
        f"/v24.0/{name}",
        Reply.json(
            {
                "error": {
                    "message": f"(#803) Cannot query users by their username ({name})",
                    "type": "OAuthException",
                    "code": 803,
                    "fbtrace_id": "A2",
                }
            },
            400,
        ),
    )


def facebook_unavailable_escaped(world: HttpWorld, name: str) -> None:
    """The page with the og:url and the 'unavailable' text inside JSON (escaped apostrophe)."""
    state = '{"title":"This content isn\\\'t available at the moment"}'
    world.route(
        FACEBOOK,
        f"/{name}",
        Reply.html(
            page(
                f'<meta property="og:url" content="https://www.facebook.com/{name}/" />',
                f'<script type="application/json">{state}</script>',
            )
        ),
    )


# --- reddit --------------------------------------------------------------------------------
def reddit_user(world: HttpWorld, name: str, *, suspended: bool = False) -> None:
    data: dict[str, object] = {"name": name, "is_suspended": suspended}
    if not suspended:
        data["subreddit"] = {"title": "Acme", "public_description": "Official"}
    world.route(REDDIT, f"/user/{name}/about.json", Reply.json({"kind": "t2", "data": data}))


def reddit_not_found(world: HttpWorld, name: str) -> None:
    world.route(
        REDDIT, f"/user/{name}/about.json", Reply.json({"message": "Not Found", "error": 404}, 404)
    )


def reddit_token(world: HttpWorld) -> None:
    world.route(
        REDDIT,
        "/api/v1/access_token",
        Reply.json(
            {"access_token": "reddit-app-token", "token_type": "bearer", "expires_in": 86400}
        ),
    )


def reddit_available(world: HttpWorld, answer: bool) -> None:
    world.route(REDDIT_OAUTH, "/api/username_available", Reply.json(answer))


def reddit_signup_check(world: HttpWorld, answer: bool | None) -> None:
    """The public sign-up check: true/false, or (None) walled with a 403 captcha page."""
    reply = (
        Reply.html(page("<title>Prove your humanity</title>"), 403)
        if answer is None
        else Reply.json(answer)
    )
    world.route(REDDIT, "/api/username_available.json", reply)


# --- pinterest / snapchat / tumblr ---------------------------------------------------------
def pinterest_profile(world: HttpWorld, name: str) -> None:
    ld = {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": {"name": name}}
    world.route(
        PINTEREST,
        f"/{name}/",
        Reply.html(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>')),
    )


def pinterest_not_found(world: HttpWorld, name: str) -> None:
    world.route(PINTEREST, f"/{name}/", Reply.html(page("<div>User not found.</div>"), 404))


def snapchat_profile(world: HttpWorld, name: str) -> None:
    data = {"props": {"pageProps": {"userProfile": {"publicProfileInfo": {"username": name}}}}}
    world.route(
        SNAPCHAT,
        f"/@{name}",
        Reply.html(
            page(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')
        ),
    )


def snapchat_profile_with_unrelated_not_found(world: HttpWorld, name: str) -> None:
    """A real profile whose embedded JSON also carries a NOT_FOUND elsewhere (another
    component's state, a translation table): the profile decides, not the string."""
    data = {
        "props": {
            "pageProps": {
                "userProfile": {"publicProfileInfo": {"username": name, "title": "Acme"}},
                "spotlightHighlights": {"status": "NOT_FOUND"},
                "i18n": {"errors": {"NOT_FOUND": "Sorry! We couldn't find this page."}},
            }
        },
        "page": "/[profileId]",
    }
    world.route(
        SNAPCHAT,
        f"/@{name}",
        Reply.html(
            page(
                f"<title>Acme (@{name}) | Snapchat</title>",
                f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>',
            )
        ),
    )


def snapchat_not_found_200(world: HttpWorld, name: str) -> None:
    """WhatsMyName's shape: 200 with the page's NOT_FOUND state."""
    data = {"props": {"pageProps": {"errorCode": "NOT_FOUND"}}, "page": "/[profileId]"}
    world.route(
        SNAPCHAT,
        f"/@{name}",
        Reply.html(
            page(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')
        ),
    )


def snapchat_not_found(world: HttpWorld, name: str) -> None:
    data = {"props": {"pageProps": {"statusCode": 404, "errorCode": "NOT_FOUND"}}}
    world.route(
        SNAPCHAT,
        f"/@{name}",
        Reply.html(
            page(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'),
            404,
        ),
    )


def tumblr_blog_page(world: HttpWorld, name: str) -> None:
    world.route(
        TUMBLR,
        f"/{name}",
        Reply.html(
            page(
                '<script>window.__INITIAL_STATE__={"queries":[{"queryKey":["user-info",false]}]}</script>'
            )
        ),
    )


def tumblr_not_found(world: HttpWorld, name: str) -> None:
    world.route(TUMBLR, f"/{name}", Reply.html(page("<title>Not found.</title>"), 404))


def tumblr_api_blog(world: HttpWorld, name: str) -> None:
    world.route(
        TUMBLR_API,
        f"/v2/blog/{name}.tumblr.com/info",
        Reply.json(
            {
                "meta": {"status": 200, "msg": "OK"},
                "response": {"blog": {"name": name, "title": "Acme"}},
            }
        ),
    )


def tumblr_api_not_found(world: HttpWorld, name: str) -> None:
    world.route(
        TUMBLR_API,
        f"/v2/blog/{name}.tumblr.com/info",
        Reply.json(
            {
                "meta": {"status": 404, "msg": "Not Found"},
                "response": [],
                "errors": [{"title": "Not Found", "code": 0}],
            },
            404,
        ),
    )


# --- twitch --------------------------------------------------------------------------------
def twitch_gql(world: HttpWorld, result: dict[str, object]) -> None:
    world.route(
        TWITCH_GQL,
        "/gql",
        Reply.json({"data": {"userResultByLogin": result}, "extensions": {"requestID": "1"}}),
    )


def twitch_token(world: HttpWorld) -> None:
    def answer(request: Request) -> Reply:
        form = request.body.decode()
        if "client_secret=secret" in form and "grant_type=client_credentials" in form:
            return Reply.json(
                {"access_token": "twitch-app-token", "expires_in": 5000000, "token_type": "bearer"}
            )
        return Reply.json({"status": 403, "message": "invalid client secret"}, 403)

    world.route(TWITCH_ID, "/oauth2/token", answer)


def twitch_helix(world: HttpWorld, users: list[dict[str, object]]) -> None:
    def answer(request: Request) -> Reply:
        if request.headers.get("authorization") != "Bearer twitch-app-token":
            return Reply.json(
                {"error": "Unauthorized", "status": 401, "message": "Invalid OAuth token"}, 401
            )
        return Reply.json({"data": users})

    world.route(TWITCH_API, "/helix/users", answer)


# --- discord -------------------------------------------------------------------------------
DISCORD = "discord.com"


def discord_username(world: HttpWorld, taken: dict[str, bool]) -> None:
    """The sign-up form's check: {"taken": bool} per name; 400 for names it doesn't know."""

    def answer(request: Request) -> Reply:
        try:
            name = json.loads(request.body)["username"]
        except (ValueError, KeyError, TypeError):
            return Reply.json({"message": "Invalid Form Body", "code": 50035}, 400)
        if request.method != "POST" or name not in taken:
            return Reply.json({"message": "Invalid Form Body", "code": 50035}, 400)
        return Reply.json({"taken": taken[name]})

    world.route(DISCORD, "/api/v9/unique-username/username-attempt-unauthed", answer)


def discord_rate_limited(world: HttpWorld) -> None:
    world.route(
        DISCORD,
        "/api/v9/unique-username/username-attempt-unauthed",
        Reply.json(
            {"message": "The resource is being rate limited.", "retry_after": 5, "global": False},
            429,
        ),
    )


def discord_invite(world: HttpWorld, code: str) -> None:
    world.route(
        DISCORD,
        f"/api/v9/invites/{code}",
        Reply.json(
            {
                "type": 0,
                "code": code,
                "guild": {"id": "81384788765712384", "name": "Acme", "vanity_url_code": code},
                "channel": {"id": "81384788765712384", "type": 0, "name": "general"},
                "approximate_member_count": 1200,
            }
        ),
    )


def discord_invite_unknown(world: HttpWorld, code: str) -> None:
    world.route(
        DISCORD,
        f"/api/v9/invites/{code}",
        Reply.json({"message": "Unknown Invite", "code": 10006}, 404),
    )


# --- telegram ------------------------------------------------------------------------------
TELEGRAM = "t.me"


def telegram_profile(world: HttpWorld, name: str) -> None:
    world.route(
        TELEGRAM,
        f"/{name}",
        Reply.html(
            page(
                f"<title>Telegram: Contact @{name}</title>",
                '<meta property="og:title" content="Acme">',
                f'<div class="tgme_page_title"><span dir="auto">Acme</span></div>'
                f'<div class="tgme_page_extra">@{name}</div>',
            )
        ),
    )


def telegram_not_shown(world: HttpWorld, name: str) -> None:
    world.route(
        TELEGRAM,
        f"/{name}",
        Reply.html(
            page(
                f"<title>Telegram: Contact @{name}</title>",
                '<meta name="robots" content="noindex, nofollow">',
                '<div class="tgme_page_description">If you have <strong>Telegram</strong>, '
                f'you can contact <a class="tgme_username_link" href="tg://resolve?domain={name}">'
                f"@{name}</a> right away.</div>",
            )
        ),
    )


FRAGMENT = "fragment.com"


def fragment_no_listing(world: HttpWorld, name: str) -> None:
    """Fragment doesn't know the name: it redirects to its main page."""
    world.route(FRAGMENT, f"/username/{name}", Reply.redirect("https://fragment.com/", 302))


def fragment_status(world: HttpWorld, name: str, css: str, word: str) -> None:
    """Fragment's page for a name it lists: ``css`` is tm-status-unavail (Sold),
    tm-status-taken (Taken) or tm-status-avail (on auction / for sale)."""
    world.route(
        FRAGMENT,
        f"/username/{name}",
        Reply.html(
            page(
                f"<title>@{name} - Fragment</title>",
                "",
                f'<div class="tm-section-header"><h2>@{name}</h2>'
                f'<span class="tm-section-header-status {css}">{word}</span></div>'
                '<div class="tm-wallet"></div>',
            )
        ),
    )


def telegram_free(world: HttpWorld, name: str) -> None:
    """Nobody at t.me/<name>, and no Fragment listing: the shape of a free name."""
    telegram_not_shown(world, name)
    fragment_no_listing(world, name)


# --- substack / kick / linktree ------------------------------------------------------------
SUBSTACK = "substack.com"
KICK = "kick.com"
LINKTREE = "linktr.ee"


def substack_profile(world: HttpWorld, handle: str) -> None:
    world.route(
        SUBSTACK,
        f"/api/v1/user/{handle}/public_profile",
        Reply.json({"id": 123456, "name": "Acme", "handle": handle, "bio": "We make things"}),
    )


def substack_not_found(world: HttpWorld, handle: str, *, publication: bool = False) -> None:
    """No profile @handle; no publication <handle>.substack.com either unless
    ``publication`` (then that publication's home page answers)."""
    world.route(
        SUBSTACK,
        f"/api/v1/user/{handle}/public_profile",
        Reply.json({"error": "profile not found"}, 404),
    )
    home = Reply.html(
        page(
            "<title>Acme | Substack</title>",
            f'<link rel="canonical" href="https://{handle}.substack.com">',
        )
    )
    missing = Reply.html(page("<title>Not found</title>"), 404)
    world.route(f"{handle}.substack.com", "/", home if publication else missing)


def kick_channel(world: HttpWorld, slug: str, *, banned: bool = False) -> None:
    world.route(
        KICK,
        f"/api/v2/channels/{slug}",
        Reply.json(
            {"id": 668, "slug": slug, "is_banned": banned, "user": {"username": slug.upper()}}
        ),
    )


def kick_not_found(world: HttpWorld, slug: str) -> None:
    world.route(
        KICK, f"/api/v2/channels/{slug}", Reply.json({"message": "Channel not found."}, 404)
    )


KICK_ID = "id.kick.com"
KICK_API = "api.kick.com"


def kick_token(world: HttpWorld) -> None:
    def answer(request: Request) -> Reply:
        form = request.body.decode()
        if "client_secret=ksecret" in form and "grant_type=client_credentials" in form:
            return Reply.json({"access_token": "kick-app-token", "expires_in": 3600})
        return Reply.json({"error": "invalid_client"}, 401)

    world.route(KICK_ID, "/oauth/token", answer)


def kick_official(world: HttpWorld, slugs: set[str]) -> None:
    """The official channels API: 200 data [channel] for a slug in ``slugs``, else 200
    data [] (KickEngineering/KickDevDocs#231)."""

    def answer(request: Request) -> Reply:
        if request.headers.get("authorization") != "Bearer kick-app-token":
            return Reply.json({"message": "Unauthorized"}, 401)
        slug = request.arg("slug") or ""
        data = [{"broadcaster_user_id": 668, "slug": slug}] if slug in slugs else []
        return Reply.json({"data": data, "message": "OK"})

    world.route(KICK_API, "/public/v1/channels", answer)


def _next_page(data: Any, status: int = 200) -> Reply:
    return Reply.html(
        page(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'),
        status,
    )


def linktree_page(world: HttpWorld, name: str) -> None:
    data = {
        "props": {"pageProps": {"account": {"username": name, "uuid": "u-1"}, "username": name}},
        "page": "/[profile]",
        "query": {"profile": name},
    }
    world.route(LINKTREE, f"/{name}", _next_page(data))


def linktree_not_found(world: HttpWorld, name: str) -> None:
    data = {"props": {"pageProps": {"statusCode": 404}}, "page": "/_error", "query": {}}
    world.route(LINKTREE, f"/{name}", _next_page(data, 404))


def linktree_blocked(world: HttpWorld, name: str) -> None:
    data = {"props": {"pageProps": {}}, "page": "/status/blocked", "query": {"username": name}}
    world.route(LINKTREE, f"/{name}", _next_page(data))


# --- medium --------------------------------------------------------------------------------
MEDIUM = "medium.com"
MEDIUM_GUARD = "])}while(1);</x>"


def _medium(world: HttpWorld, name: str, body: dict[str, Any], status: int = 200) -> None:
    world.route(
        MEDIUM,
        f"/@{name}",
        Reply(
            status=status,
            body=MEDIUM_GUARD + json.dumps(body),
            headers={"Content-Type": "application/json; charset=utf-8"},
        ),
    )


def medium_user(world: HttpWorld, name: str) -> None:
    user = {"userId": "abc123", "username": name, "name": "Acme", "bio": "We make things"}
    _medium(world, name, {"success": True, "payload": {"user": user, "references": {}}})


def medium_not_found(world: HttpWorld, name: str) -> None:
    _medium(world, name, {"success": False, "error": "No user found for username"}, 404)


def medium_suspended(world: HttpWorld, name: str) -> None:
    _medium(world, name, {"success": False, "error": f"User {name} is suspended"}, 404)
