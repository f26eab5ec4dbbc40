"""A circuit breaker per host: a host that stops answering must not stretch the run.

A host that hangs (down, or silently dropping this machine's packets) holds its per-host slots
for a whole timeout per request, so every brand waits for it. After ``threshold`` timeouts or
resets in a row from one host, the breaker *opens*: that host's requests fail at once with
"<host> is not answering" (adapters turn that into ``unknown``, never a verdict). After a
cool-down one request is let through as a probe: an answer of any kind closes the breaker (the
host is used again), another failure re-opens it for twice as long (capped).

Any HTTP answer counts as "answering": a 429 with Retry-After pauses the host (``NetClient``)
but never opens the breaker, nor do 5xx, guard refusals or TLS errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Breaker"]


@dataclass(slots=True)
class _HostState:
    failures: int = 0
    open_until: float | None = None
    """Monotonic time the cool-down ends; None: closed (requests pass)."""
    cooldown: float = 0.0
    probing: bool = False
    last_error: str = ""


class Breaker:
    """Per-host failure counting; ``admit`` before a request, ``record`` after it."""

    def __init__(
        self,
        *,
        threshold: int = 3,
        cooldown: float = 5.0,
        max_cooldown: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        on_open: Callable[[str, str], None] | None = None,
    ) -> None:
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
        self.max_cooldown = max(cooldown, max_cooldown)
        self.clock = clock
        self.on_open = on_open
        self._hosts: dict[str, _HostState] = {}
        self.opened: dict[str, str] = {}
        """Every host whose breaker opened during the run -> why (kept after recovery)."""

    def refusal(self, host: str) -> tuple[str | None, bool]:
        """``(None, is_probe)`` when a request to ``host`` may go, else ``(message, False)``.

        While the breaker is open every request is refused; once the cool-down has passed,
        exactly one request goes as the probe (the others are still refused until it ends)."""
        state = self._hosts.get(host)
        if state is None or state.open_until is None:
            return None, False
        if not state.probing and self.clock() >= state.open_until:
            state.probing = True
            return None, True
        return self.message(host), False

    def message(self, host: str) -> str:
        state = self._hosts.get(host)
        detail = f" ({state.last_error})" if state is not None and state.last_error else ""
        return (
            f"{host} is not answering: not asked, after {self.threshold} timeouts or "
            f"resets in a row{detail}"
        )

    def record(self, host: str, *, failed: bool, probe: bool = False, error: str = "") -> None:
        state = self._hosts.get(host)
        if not failed:
            if state is not None:
                state.failures = 0
                state.open_until = None
                state.probing = False
                state.cooldown = 0.0
            return
        if state is None:
            state = self._hosts[host] = _HostState()
        state.failures += 1
        state.last_error = error
        if probe:
            state.probing = False
            state.cooldown = min(self.max_cooldown, max(self.cooldown, 2 * state.cooldown))
            state.open_until = self.clock() + state.cooldown
        elif state.open_until is None and state.failures >= self.threshold:
            state.cooldown = self.cooldown
            state.open_until = self.clock() + state.cooldown
            if host not in self.opened:
                self.opened[host] = error
                if self.on_open is not None:
                    self.on_open(host, error)

    def release(self, host: str) -> None:
        """The probe ended without saying anything (cancelled): the next request probes."""
        state = self._hosts.get(host)
        if state is not None:
            state.probing = False

    def is_open(self, host: str) -> bool:
        state = self._hosts.get(host)
        return state is not None and state.open_until is not None
