"""Worst parsing time at the size cap: the homepage extractor and every adapter.

Every page of ``tests.hostile_html`` (the pages that made ``html.parser`` quadratic and the
``<script>`` patterns backtrack), at the 2 MiB body cap, is read by the homepage extractor
and served to every adapter (all entry points, through the real runner, the network core and a
loopback server answering every host). Prints a Markdown table of the worst time per reader
and the page that caused it.

    python -m bench.hostile_parsing            # ~2-4 min on a quiet 2-core machine
"""

from __future__ import annotations

import asyncio
import sys
import time

from tests.hostile_html import BODIES, CAP
from tests.world.http import HttpWorld, Reply

from brandaudit.config import Settings
from brandaudit.model import HandleSource
from brandaudit.net.client import NetClient
from brandaudit.net.dns import DnsClient
from brandaudit.pagelinks import MAX_BIO_CHARS, extract_links, split_bio
from brandaudit.platforms import registry
from brandaudit.runner import Job, run_job

DECLARED = {"whatsapp-channel": ("0029VaAcmeBrand0Channel01", HandleSource.DECLARED_WEBSITE)}


def _worst(times: dict[str, float]) -> tuple[float, str]:
    kind = max(times, key=lambda k: times[k])
    return times[kind], kind


async def _adapters(http: HttpWorld, body: str) -> dict[str, float]:
    http.reset()
    http.route_prefix("*", "/", Reply.html(body))
    origin = http.origin
    settings = Settings.model_validate(
        {
            "network": {
                "origin_map": {"https://*": origin, "http://*": origin},
                "deadline": 120,
                "read_timeout": 60,
                "retry_budget": 0,
                "cache": False,
            }
        }
    )
    adapters = registry.load(settings).adapters
    dns = DnsClient(["127.0.0.1:9"], timeout=0.5)
    out: dict[str, float] = {}
    async with NetClient(settings.network) as net:
        for name, adapter in sorted(adapters.items()):
            handle, source = DECLARED.get(name, ("acmebrand", HandleSource.CLI))
            start = time.perf_counter()
            await run_job(
                Job(adapter, adapter.normalise_handle(handle), source), net, dns, settings
            )
            out[name] = time.perf_counter() - start
    return out


def main() -> int:
    homepage: dict[str, float] = {}
    bios: dict[str, float] = {}
    per_adapter: dict[str, dict[str, float]] = {}
    http = HttpWorld().start()
    try:
        for kind, make in BODIES.items():
            body = make(CAP - 64)
            start = time.perf_counter()
            extract_links(body, "https://acme.com/")
            homepage[kind] = time.perf_counter() - start
            bio = make(4 * MAX_BIO_CHARS)
            start = time.perf_counter()
            split_bio(bio)
            bios[kind] = time.perf_counter() - start
            for name, took in asyncio.run(_adapters(http, body)).items():
                per_adapter.setdefault(name, {})[kind] = took
            print(f"  {kind}: done", file=sys.stderr)
    finally:
        http.stop()
    print("| reader | worst (s) | page |")
    print("|---|---:|---|")
    for label, times in (("homepage (extract_links)", homepage), ("bio (split_bio)", bios)):
        worst, kind = _worst(times)
        print(f"| {label} | {worst:.3f} | {kind} |")
    for name, times in sorted(per_adapter.items()):
        worst, kind = _worst(times)
        print(f"| {name} (whole check) | {worst:.3f} | {kind} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
