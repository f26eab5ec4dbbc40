"""History store: ``check --save`` (and ``--save --baseline last``) on a 10,000-brand streamed
run, with peak memory.

Brands come from ``-i -`` and stream out as ``-f jsonl`` against ``bench.server`` at 0 ms
latency (one user-defined platform, every third handle held), so the run itself costs little
and what is measured is the history path: every brand spooled, then saved in one transaction;
with ``--baseline last`` each brand is also looked up in the store and compared. Peak RSS is
the ``brandaudit`` process's (``wait4``). Memory is flat when 10,000 brands cost no more than
1,000. Loopback only.

    python -m bench.history_save [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.common import LatencyServer, measure
from bench.run import base_env, brandaudit_config


def run(server: LatencyServer, work: Path, count: int, *extra: str) -> dict[str, object]:
    env = base_env()
    env.update(
        {
            "BRANDAUDIT_ORIGIN_MAP": f"http://*={server.origin},https://*={server.origin}",
            "BRANDAUDIT_NAMESERVERS": f"127.0.0.1:{server.dns_port}",
            "BRANDAUDIT_NO_CACHE": "1",
        }
    )
    config = work / "brandaudit.toml"
    config.write_text(brandaudit_config(1))
    db = work / f"history-{count}.sqlite3"
    command = [str(Path(sys.executable).parent / "brandaudit"), "check", "-c", str(config)]
    command += ["--no-discover", "-p", "site0", "-i", "-", "-f", "jsonl", "-o"]
    command += [str(work / "out.jsonl"), "--save", "--db", str(db), *extra]
    stdin = "".join(f"{'taken' if i % 3 == 0 else 'free'}{i}.com\n" for i in range(count))
    result = measure(command, env=env, stdin=stdin, timeout=1800)
    if result.code not in {0, 1}:
        raise SystemExit(f"brandaudit exited {result.code}: {result.stderr[-500:]}")
    return {
        "brands": count,
        "mode": " ".join(["--save", *extra]),
        "wall_s": round(result.wall, 1),
        "cpu_s": round(result.cpu, 1),
        "peak_rss_mb": round(result.maxrss_mb, 1),
        "store_mb": round(db.stat().st_size / 1e6, 1),
        "stderr_tail": result.stderr.strip().splitlines()[-1:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    with LatencyServer(0.0) as server, tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            rows.append(run(server, Path(tmp), size))
            rows.append(run(server, Path(tmp), size, "--baseline", "last"))
    print(json.dumps(rows, indent=2))
    print("| brands | mode | wall s | CPU s | peak RSS MB | store MB |")
    print("|---:|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['brands']:,} | `{r['mode']}` | {r['wall_s']} | {r['cpu_s']} | "
            f"{r['peak_rss_mb']} | {r['store_mb']} |"
        )


if __name__ == "__main__":
    main()
