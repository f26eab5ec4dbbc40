"""HTTP engine comparison: the same N GETs at concurrency C against the loopback latency server,
through httpx with its default pool, httpx with limits sized to C, an aiohttp-backed httpx
transport (``httpx-aiohttp``), and brandaudit's own ``NetClient`` (tuned httpx behind the
routing transport: origin map, guard, proxies).

Run: ``python -m bench.engines [--requests 2000] [--latency 0.1] [--concurrency 64 256 1024]``.
Each variant runs in its own process (``--variant``) so pools and imports do not interact.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.common import LatencyServer

VARIANTS = (
    "httpx-default",
    "httpx-tuned",
    "httpx-tuned-keepalive16",
    "httpx-aiohttp",
    "brandaudit-netclient",
    "brandaudit-netclient-aiohttp",
)


async def _drive(
    n: int, concurrency: int, one: Callable[[int], Awaitable[bool]]
) -> tuple[int, int]:
    sem = asyncio.Semaphore(concurrency)
    ok = failed = 0

    async def task(i: int) -> None:
        nonlocal ok, failed
        async with sem:
            try:
                good = await one(i)
            except Exception:
                good = False
        if good:
            ok += 1
        else:
            failed += 1

    await asyncio.gather(*(task(i) for i in range(n)))
    return ok, failed


async def run_variant(variant: str, origin: str, n: int, concurrency: int) -> dict[str, Any]:
    import httpx

    client: Any
    if variant == "httpx-default":
        client = httpx.AsyncClient()
    elif variant == "httpx-tuned":
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        client = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(30.0))
    elif variant == "httpx-tuned-keepalive16":
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=16)
        client = httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(30.0))
    elif variant == "httpx-aiohttp":
        from httpx_aiohttp import AiohttpTransport

        client = httpx.AsyncClient(transport=AiohttpTransport(), timeout=httpx.Timeout(30.0))
    elif variant.startswith("brandaudit-netclient"):
        from brandaudit.config import NetworkSettings
        from brandaudit.net.client import NetClient

        settings = NetworkSettings(
            origin_map={"http://*": origin},
            concurrency=concurrency,
            per_host=concurrency,
            deadline=60,
            engine="aiohttp" if variant.endswith("aiohttp") else "httpx",
        )
        client = NetClient(settings, trust_env=False)
    else:
        raise SystemExit(f"unknown variant {variant}")

    async with client:
        if variant.startswith("brandaudit-netclient"):

            async def one(i: int) -> bool:
                response = await client.fetch("GET", f"http://bench.test/u/user{i}")
                return response.status == 404

        else:

            async def one(i: int) -> bool:
                response = await client.get(f"{origin}/u/user{i}")
                return bool(response.status_code == 404)

        cpu0, wall0 = time.process_time(), time.perf_counter()
        ok, failed = await _drive(n, concurrency, one)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"ok": ok, "failed": failed, "wall": wall, "cpu": cpu}


def _child(args: argparse.Namespace) -> None:
    result = asyncio.run(run_variant(args.variant, args.origin, args.requests, args.concurrency))
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--origin", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=Path("bench/out/engines.json"))
    args = parser.parse_args()
    if args.variant:
        args.concurrency = args.concurrency[0]
        _child(args)
        return
    rows = []
    with LatencyServer(args.latency) as server:
        for concurrency in args.concurrency:
            floor = -(-args.requests // concurrency) * args.latency
            for variant in VARIANTS:
                runs = []
                for _ in range(args.repeat):
                    out = subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "bench.engines",
                            "--variant",
                            variant,
                            "--origin",
                            server.origin,
                            "--requests",
                            str(args.requests),
                            "--concurrency",
                            str(concurrency),
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                        timeout=600,
                        env={**os.environ, "NO_PROXY": "*"},
                    )
                    runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                runs.sort(key=lambda r: r["wall"])
                median = runs[len(runs) // 2]
                row = {
                    "variant": variant,
                    "concurrency": concurrency,
                    "requests": args.requests,
                    "latency": args.latency,
                    "floor": floor,
                    **median,
                    "rps": median["ok"] / median["wall"] if median["wall"] else 0.0,
                }
                rows.append(row)
                ratio = median["wall"] / floor
                print(
                    f"C={concurrency:5d} {variant:28s} wall {median['wall']:6.2f}s "
                    f"(floor {floor:.2f}s, x{ratio:4.2f}) cpu {median['cpu']:5.2f}s "
                    f"ok {median['ok']} failed {median['failed']} rss {median['maxrss_mb']:.0f}MB",
                    flush=True,
                )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
