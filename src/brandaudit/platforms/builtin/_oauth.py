"""App-only OAuth tokens (client-credentials grant), fetched once per run and shared by the
checks of one adapter. The token request goes through the check's context, so it is recorded
as evidence (the secret travels in the body, never in a recorded URL)."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from brandaudit.platforms.base import CheckContext


@dataclass(frozen=True, slots=True)
class Token:
    value: str | None
    problem: str = ""
    """Why there is no token (shown in the reason of the fallback verdict)."""


@dataclass(slots=True)
class ClientCredentials:
    """Fetches and caches one app token per (client id, secret) for the adapter's lifetime."""

    token_url: str
    basic_auth: bool = False
    """Send the client as HTTP Basic auth (Reddit) instead of form fields (Twitch)."""
    extra_form: Mapping[str, str] = field(default_factory=dict)
    _tokens: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    _locks: dict[tuple[int, tuple[str, str]], asyncio.Lock] = field(default_factory=dict)

    async def get(self, ctx: CheckContext, client_id: str, secret: str) -> Token:
        key = (client_id, secret)
        cached = self._tokens.get(key)
        if cached and cached[1] > time.monotonic():
            return Token(cached[0])
        lock_key = (id(asyncio.get_running_loop()), key)
        lock = self._locks.setdefault(lock_key, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(key)
            if cached and cached[1] > time.monotonic():
                return Token(cached[0])
            return await self._fetch(ctx, key)

    async def _fetch(self, ctx: CheckContext, key: tuple[str, str]) -> Token:
        client_id, secret = key
        form = {"grant_type": "client_credentials", **self.extra_form}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.basic_auth:
            pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
            headers["Authorization"] = f"Basic {pair}"
        else:
            form.update({"client_id": client_id, "client_secret": secret})
        response = await ctx.fetch(
            self.token_url, method="POST", headers=headers, content=urlencode(form).encode()
        )
        body: Any = response.json()
        if response.status == 200 and isinstance(body, dict):
            value = body.get("access_token")
            if isinstance(value, str) and value:
                expires = body.get("expires_in")
                lifetime = float(expires) if isinstance(expires, int | float) else 3600.0
                self._tokens[key] = (value, time.monotonic() + max(lifetime - 60.0, 30.0))
                ctx.mark("app token issued")
                return Token(value)
        ctx.mark(f"no app token: {response.describe()}")
        return Token(None, f"the app token request failed ({response.describe()})")
