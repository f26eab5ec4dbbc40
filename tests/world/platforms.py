"""Realistic platform answers for the test world, one helper per signal shape.

Shapes follow what the platforms return (see ../shared/docs/PLATFORMS.md), so adapter tests
exercise the same markers the adapters look for in production.
"""

from __future__ import annotations

from tests.world.http import HttpWorld, Reply

BSKY = "public.api.bsky.app"
GITHUB = "api.github.com"
MASTODON = "mastodon.social"


def bsky_profile(
    world: HttpWorld, handle: str, did: str = "did:plc:abcdefghijklmnopqrstuvwx", **extra: object
) -> None:
    def answer(request: object) -> Reply:
        actor = request.arg("actor")  # type: ignore[attr-defined]
        if actor in {handle, did}:
            return Reply.json({"did": did, "handle": handle, **extra})
        return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)

    world.route(BSKY, "/xrpc/app.bsky.actor.getProfile", answer)


def bsky_not_found(world: HttpWorld) -> None:
    world.route(
        BSKY,
        "/xrpc/app.bsky.actor.getProfile",
        Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400),
    )


def github_user(world: HttpWorld, login: str, kind: str = "Organization", **extra: object) -> None:
    world.route(
        GITHUB, f"/users/{login}", Reply.json({"login": login, "id": 1, "type": kind, **extra})
    )


def github_not_found(world: HttpWorld, login: str) -> None:
    world.route(
        GITHUB,
        f"/users/{login}",
        Reply.json(
            {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest/users/users#get-a-user",
                "status": "404",
            },
            404,
        ),
    )


def mastodon_account(
    world: HttpWorld, username: str, instance: str = MASTODON, **extra: object
) -> None:
    world.route(
        instance,
        "/api/v1/accounts/lookup",
        Reply.json(
            {
                "id": "1",
                "username": username,
                "acct": username,
                "url": f"https://{instance}/@{username}",
                **extra,
            }
        ),
    )


def mastodon_not_found(world: HttpWorld, instance: str = MASTODON) -> None:
    world.route(instance, "/api/v1/accounts/lookup", Reply.json({"error": "Record not found"}, 404))
    world.route(instance, "/.well-known/webfinger", Reply(status=404))
