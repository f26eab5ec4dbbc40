"""The brand's people on the loopback world: several Bluesky accounts at once (PLC, PDS,
AppView each dispatching by DID or handle), Mastodon accounts with activity, GitHub users.

Shapes follow BLUESKY.md §3-§5 (getProfile, resolveHandle, getRepoStatus), the
``com.atproto.repo.listRecords`` output (``records[]`` of ``{uri, cid, value}``, ``cursor``),
``app.bsky.feed.getAuthorFeed`` (``feed[]`` of ``{post: {uri, record: {createdAt}, indexedAt}}``)
and Mastodon's Account entity (``last_status_at`` as a date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tests.bluesky.scenario import PDS, PDS_HOST, PLC, SITE_ADDRESS, did_doc
from tests.conftest import World
from tests.world.http import Reply, Request

APPVIEW = "public.api.bsky.app"
MASTODON = "mastodon.social"
GITHUB = "api.github.com"

BRAND_DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
ALICE_DID = "did:plc:aliceaaaaaaaaaaaaaaaaaaa"
BOB_DID = "did:plc:bobbbbbbbbbbbbbbbbbbbbbb"
CAROL_DID = "did:plc:carolccccccccccccccccccc"


def iso(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class BskyAccount:
    did: str
    handle: str
    display_name: str = ""
    website: str | None = None
    description: str | None = None
    posts: int = 10
    followers: int = 100
    newest: datetime | None = None
    """Date of the newest post; None: the feed is empty."""
    verified_by: list[tuple[str, bool]] = field(default_factory=list)
    """(issuer DID, isValid) as the AppView shows in ``verification``."""

    def profile(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "did": self.did,
            "handle": self.handle,
            "displayName": self.display_name,
            "postsCount": self.posts,
            "followersCount": self.followers,
            "followsCount": 3,
        }
        if self.website:
            body["website"] = self.website
        if self.description:
            body["description"] = self.description
        if self.verified_by:
            body["verification"] = {
                "verifications": [
                    {
                        "issuer": issuer,
                        "uri": f"at://{issuer}/app.bsky.graph.verification/3lndpqq",
                        "isValid": valid,
                        "createdAt": "2025-04-21T10:00:00.000Z",
                    }
                    for issuer, valid in self.verified_by
                ],
                "verifiedStatus": "valid" if any(v for _, v in self.verified_by) else "invalid",
                "trustedVerifierStatus": "none",
            }
        return body


@dataclass
class People:
    """Bluesky accounts, verification records and Mastodon/GitHub accounts for one world."""

    world: World
    bsky: dict[str, BskyAccount] = field(default_factory=dict)
    verifications: dict[str, list[str | dict[str, Any]]] = field(default_factory=dict)
    """Issuer DID -> its app.bsky.graph.verification records: a subject DID (the record names
    the subject's current handle and display name) or the record's whole ``value``."""
    listing_status: int = 200
    mastodon: dict[str, dict[str, Any]] = field(default_factory=dict)

    # -- Bluesky ---------------------------------------------------------------------------
    def account(self, account: BskyAccount, *, dns: bool = True) -> BskyAccount:
        """An account whose handle works: the PLC document, and for a domain handle its
        ``_atproto`` TXT record."""
        self.bsky[account.did] = account
        self.world.http.route(
            PLC, f"/{account.did}", Reply.json(did_doc(account.did, account.handle))
        )
        if dns and not account.handle.endswith(".bsky.social"):
            self.world.dns.add(account.handle, a=[SITE_ADDRESS])
            self.world.dns.txt(f"_atproto.{account.handle}", f"did={account.did}")
        return account

    def _find(self, actor: str | None) -> BskyAccount | None:
        for account in self.bsky.values():
            if actor in {account.did, account.handle}:
                return account
        return None

    def _profile(self, request: Request) -> Reply:
        account = self._find(request.arg("actor"))
        if account is None:
            return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)
        return Reply.json(account.profile())

    def _feed(self, request: Request) -> Reply:
        account = self._find(request.arg("actor"))
        if account is None:
            return Reply.json({"error": "InvalidRequest", "message": "Profile not found"}, 400)
        feed = []
        if account.newest is not None:
            created = iso(account.newest)
            feed.append(
                {
                    "post": {
                        "uri": f"at://{account.did}/app.bsky.feed.post/3kabc",
                        "cid": "bafyreib",
                        "author": {"did": account.did, "handle": account.handle},
                        "record": {
                            "$type": "app.bsky.feed.post",
                            "text": "hi",
                            "createdAt": created,
                        },
                        "indexedAt": created,
                    }
                }
            )
        return Reply.json({"feed": feed, "cursor": "x" if feed else None})

    def _resolve(self, request: Request) -> Reply:
        account = self._find(request.arg("handle"))
        if account is None:
            return Reply.json(
                {"error": "InvalidRequest", "message": "Unable to resolve handle"}, 400
            )
        return Reply.json({"did": account.did})

    def _repo_status(self, request: Request) -> Reply:
        did = request.arg("did") or ""
        return Reply.json({"did": did, "active": True})

    def _records(self, request: Request) -> Reply:
        if self.listing_status != 200:
            return Reply.json({"error": "InternalServerError"}, self.listing_status)
        repo = request.arg("repo") or ""
        assert request.arg("collection") == "app.bsky.graph.verification"
        records = []
        for n, entry in enumerate(self.verifications.get(repo, [])):
            if isinstance(entry, dict):
                value = {"$type": "app.bsky.graph.verification", **entry}
            else:
                subject_account = self.bsky.get(entry)
                value = {
                    "$type": "app.bsky.graph.verification",
                    "subject": entry,
                    "handle": subject_account.handle if subject_account else "x.bsky.social",
                    "displayName": subject_account.display_name if subject_account else "",
                    "createdAt": "2025-04-21T10:00:00.000Z",
                }
            records.append(
                {
                    "uri": f"at://{repo}/app.bsky.graph.verification/3lnd{n}",
                    "cid": f"bafyrei{n}",
                    "value": value,
                }
            )
        # listRecords lists the newest record first (rkeys are TIDs, newest largest)
        return Reply.json({"records": records[::-1]})

    # -- Mastodon --------------------------------------------------------------------------
    def toot(self, username: str, last_status_at: str | None, **extra: Any) -> None:
        self.mastodon[username.lower()] = {
            "id": "1",
            "username": username,
            "acct": username,
            "url": f"https://{MASTODON}/@{username}",
            "statuses_count": 42,
            "followers_count": 7,
            "last_status_at": last_status_at,
            **extra,
        }

    def _lookup(self, request: Request) -> Reply:
        body = self.mastodon.get((request.arg("acct") or "").lower())
        if body is None:
            return Reply.json({"error": "Record not found"}, 404)
        return Reply.json(body)

    # -- installing --------------------------------------------------------------------------
    def install(self) -> None:
        http = self.world.http
        http.route(APPVIEW, "/xrpc/app.bsky.actor.getProfile", self._profile)
        http.route(APPVIEW, "/xrpc/app.bsky.feed.getAuthorFeed", self._feed)
        http.route(APPVIEW, "/xrpc/com.atproto.identity.resolveHandle", self._resolve)
        http.route(PDS_HOST, "/xrpc/com.atproto.identity.resolveHandle", self._resolve)
        http.route(PDS_HOST, "/xrpc/com.atproto.sync.getRepoStatus", self._repo_status)
        http.route(PDS_HOST, "/xrpc/com.atproto.repo.listRecords", self._records)
        http.route(MASTODON, "/api/v1/accounts/lookup", self._lookup)
        http.route(MASTODON, "/.well-known/webfinger", Reply(status=404))


def days_before(now: datetime, days: float) -> datetime:
    return now - timedelta(days=days)


__all__ = ["PDS", "People"]
