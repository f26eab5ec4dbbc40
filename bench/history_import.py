"""History store: ``brandaudit import`` of a large JSON Lines run, with peak memory.

Generates N brand results shaped like ``check -f jsonl`` output (10 platforms each, with
evidence and ownership: ~6 KB a line), then imports them into a fresh store in a child process
(``brandaudit import``) and reports wall time and the child's peak RSS (``wait4``), and, in
process, the peak of Python allocations (``tracemalloc``) for the same import. Memory is flat
when the 10,000-line peak is no higher than the 1,000-line one (plus noise). Local files only.

    python -m bench.history_import [--sizes 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

PLATFORMS = ("github", "mastodon", "bluesky", "x", "instagram", "youtube", "tiktok", "reddit",
             "twitch", "linkedin")  # fmt: skip


def brand_line(index: int) -> str:
    from brandaudit.model import (
        Brand,
        Confidence,
        Evidence,
        Method,
        Ownership,
        OwnershipStatus,
        PlatformResult,
        Status,
    )

    domain = f"brand{index}.example"
    handle = f"brand{index}"
    results = []
    for number, platform in enumerate(PLATFORMS):
        status = (Status.CLAIMED, Status.AVAILABLE, Status.UNKNOWN)[(index + number) % 3]
        url = f"https://{platform}.example/api/users/{handle}"
        results.append(
            PlatformResult(
                platform=platform,
                platform_name=platform.title(),
                handle=handle,
                status=status,
                confidence=Confidence.HIGH,
                method=Method.PUBLIC_API,
                url=f"https://{platform}.example/{handle}",
                reason=f"{platform.title()} answered 200 with the account {handle!r}",
                evidence=(
                    Evidence(method="GET", url=url, status_code=200, signal="200 with login"),
                ),
                ownership=Ownership(
                    status=OwnershipStatus.UNCONFIRMED,
                    reason="no link either way: this account may not be the brand's",
                ),
            )
        )
    return Brand(
        domain=domain, handles=(handle,), platforms=tuple(results), score=60, grade="C"
    ).model_dump_json()


def generate(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            handle.write(brand_line(index) + "\n")


def _brandaudit() -> list[str]:
    script = Path(sys.executable).parent / "brandaudit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "brandaudit"]


def measure(count: int, folder: Path) -> dict[str, Any]:
    from brandaudit.history.store import import_file

    source = folder / f"run-{count}.jsonl"
    generate(source, count)
    db = folder / f"cli-{count}.sqlite3"
    started = time.perf_counter()
    proc = subprocess.Popen([*_brandaudit(), "import", str(source), "--db", str(db)],
                            stdout=subprocess.DEVNULL)  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"brandaudit import failed with {proc.returncode}")
    tracemalloc.start()
    _, saved, _ = import_file(source, folder / f"lib-{count}.sqlite3", tool_version="bench")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert saved == count
    return {
        "brands": count,
        "file_mb": round(source.stat().st_size / 1e6, 1),
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: KiB
        "tracemalloc_peak_mb": round(peak / 1e6, 2),
        "db_mb": round(db.stat().st_size / 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="brandaudit-bench-") as tmp:
        for size in args.sizes:
            rows.append(measure(size, Path(tmp)))
    print(json.dumps(rows, indent=2))
    print("| brands | JSONL MB | wall s | CPU s | peak RSS MB | tracemalloc peak MB | store MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['brands']:,} | {r['file_mb']} | {r['wall_s']} | {r['cpu_s']} | "
              f"{r['peak_rss_mb']} | {r['tracemalloc_peak_mb']} | {r['db_mb']} |")  # fmt: skip


if __name__ == "__main__":
    main()
