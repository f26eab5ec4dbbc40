"""The look-alike watch: ``brandaudit lookalikes acme.com`` over every built-in platform
(``domain`` included) on the simulated network, with its requests and time.

``bench.server`` answers every host after a fixed latency (default 100 ms) with a 404 JSON
"Not Found", so most look-alikes read free or undecided and none is held: what is measured is
the cost of the watch's fan-out (variants x platforms, per-host limits), not classification.
The server's request counter gives the requests; wall and CPU seconds and peak RSS come from
``wait4``. Loopback only.

    python -m bench.lookalikes [--latency 0.1] [--max-variants 40 100]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.common import LatencyServer, measure
from bench.run import base_env, builtin_ids


def run(server: LatencyServer, work: Path, max_variants: int) -> dict[str, object]:
    env = base_env()
    env.update(
        {
            "BRANDAUDIT_ORIGIN_MAP": f"http://*={server.origin},https://*={server.origin}",
            "BRANDAUDIT_NAMESERVERS": f"127.0.0.1:{server.dns_port}",
            "BRANDAUDIT_NO_CACHE": "1",
            "BRANDAUDIT_CONFIG": str(work / "brandaudit.toml"),
        }
    )
    (work / "brandaudit.toml").write_text("")
    platforms = [arg for pid in builtin_ids() for arg in ("-p", pid)]
    command = [str(Path(sys.executable).parent / "brandaudit"), "lookalikes", "acme.com"]
    command += [*platforms, "--max-variants", str(max_variants), "-f", "json"]
    server.reset()
    result = measure(command, env=env, timeout=1800)
    if result.code not in {0, 1, 3}:
        raise SystemExit(f"brandaudit exited {result.code}: {result.stderr[-500:]}")
    section = json.loads(result.stdout)["brands"][0]["lookalikes"]
    return {
        "max_variants": max_variants,
        "platforms": len(section["platforms"]),
        "checks": section["checks"],
        "requests": server.requests(),
        "wall_s": round(result.wall, 2),
        "cpu_s": round(result.cpu, 2),
        "peak_rss_mb": round(result.maxrss_mb, 1),
        "free": section["free"],
        "undecided": len(section["undecided"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--max-variants", type=int, nargs="+", default=[40])
    args = parser.parse_args()
    rows = []
    with LatencyServer(args.latency) as server, tempfile.TemporaryDirectory() as tmp:
        for size in args.max_variants:
            rows.append(run(server, Path(tmp), size))
    print(json.dumps(rows, indent=2))
    print("| --max-variants | platforms | checks | requests | wall s | CPU s | peak RSS MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['max_variants']} | {r['platforms']} | {r['checks']} | {r['requests']} | "
            f"{r['wall_s']} | {r['cpu_s']} | {r['peak_rss_mb']} |"
        )


if __name__ == "__main__":
    main()
