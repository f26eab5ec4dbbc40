"""The benchmark workloads: brandaudit (default engine choice, or forced to httpx or aiohttp),
Sherlock and Maigret doing
the same checks against the loopback latency server. Only loopback traffic: Sherlock's and
Maigret's update checks are sent to a closed loopback port through HTTP(S)_PROXY.

Run everything: ``python -m bench.run`` (writes ``bench/out/results.json`` and prints a
Markdown table). Pick workloads with ``--only a b``; ``--repeat`` runs per cell (median); the
tools of a workload take turns, run by run.
Sherlock and Maigret are installed into ``bench/.venvs/`` on first use.

Workloads (latency 100 ms unless noted):
  a  1 brand x every built-in platform (brandaudit only: the others get as many generic sites)
  b  10 handles x 50 user-defined platforms
  c  100 brands x 10 user-defined platforms
  d  1,000 brands x 10 user-defined platforms at 0 ms (CPU cost, memory)
  e  10,000 brands x 10 user-defined platforms at 0 ms (brandaudit only: flat memory)
  f  200 brands x 10 platforms at 20 ms, one hangs, one resets, one always answers 429
     (brandaudit only); f0 is the same run with every platform healthy, for the ratio

Tools: ``brandaudit`` is the default install with default settings (engine ``auto``);
``brandaudit-httpx`` and ``brandaudit-aiohttp`` force an engine (``BRANDAUDIT_ENGINE``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.common import ROOT, LatencyServer, Measured, measure

VENVS = ROOT / "bench" / ".venvs"
OUT = ROOT / "bench" / "out"
TOOLS = {"sherlock": ("sherlock-project", "sherlock"), "maigret": ("maigret", "maigret")}
# A closed loopback port: anything the tools try to fetch from the internet fails at once.
NOWHERE = "http://127.0.0.1:9"


@dataclass(frozen=True, slots=True)
class Workload:
    key: str
    title: str
    latency: float
    handles: int
    sites: int
    builtins: bool = False
    brands_as_handles: bool = False
    """Each handle is its own brand (brandaudit: --input; others: one username each)."""
    tools: tuple[str, ...] = ("brandaudit", "brandaudit-httpx", "sherlock", "maigret")
    faults: tuple[tuple[str, str], ...] = ()
    """(host, hang|reset|always-429) served faulty by the latency server."""


WORKLOADS = {
    "a": Workload("a", "1 brand x every built-in platform", 0.1, 1, 0, builtins=True),
    "b": Workload("b", "10 handles x 50 user-defined platforms", 0.1, 10, 50),
    "c": Workload("c", "100 brands x 10 platforms", 0.1, 100, 10, brands_as_handles=True),
    "d": Workload("d", "1,000 brands x 10 platforms, 0 ms", 0.0, 1000, 10, brands_as_handles=True),
    "e": Workload(
        "e",
        "10,000 brands x 10 platforms, 0 ms",
        0.0,
        10000,
        10,
        brands_as_handles=True,
        tools=("brandaudit", "brandaudit-httpx"),
    ),
    "f": Workload(
        "f",
        "200 brands x 10 platforms, 20 ms, 3 faulty platforms",
        0.02,
        200,
        10,
        brands_as_handles=True,
        tools=("brandaudit",),
        faults=(
            ("site7.bench.test", "hang"),
            ("site8.bench.test", "reset"),
            ("site9.bench.test", "always-429"),
        ),
    ),
    "f0": Workload(
        "f0",
        "200 brands x 10 platforms, 20 ms, all healthy",
        0.02,
        200,
        10,
        brands_as_handles=True,
        tools=("brandaudit",),
    ),
}
ENGINES = {"brandaudit-httpx": "httpx", "brandaudit-aiohttp": "aiohttp"}


def ensure_tool(tool: str) -> Path:
    package, script = TOOLS[tool]
    venv = VENVS / package
    binary = venv / "bin" / script
    if not binary.exists():
        print(f"installing {package} into {venv} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", package], check=True, timeout=900
        )
    return binary


def handles_for(workload: Workload) -> list[str]:
    # Every third handle is held ("taken..."), so both verdicts are exercised.
    return [f"taken{i}" if i % 3 == 0 else f"free{i}" for i in range(workload.handles)]


def brandaudit_config(sites: int) -> str:
    lines = []
    for i in range(sites):
        lines += [
            f"[platforms.site{i}]",
            f'name = "Site {i}"',
            f'url = "http://site{i}.bench.test/u/{{handle}}"',
            'handle_pattern = "^[a-z0-9_]{1,40}$"',
            "claimed = { status = [200], body_contains = ['\"id\":'] }",
            'available = { status = [404], body_contains = ["Not Found"] }',
            "",
        ]
    return "\n".join(lines)


def builtin_ids() -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "brandaudit", "platforms", "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "BRANDAUDIT_CONFIG": os.devnull},
        cwd=tempfile.gettempdir(),
    )
    return [row["id"] for row in json.loads(out.stdout)["platforms"]]


def sherlock_data(port: int, sites: int) -> dict[str, Any]:
    return {
        f"Site{i}": {
            "errorType": "status_code",
            "url": f"http://127.0.0.1:{port}/s{i}/u/{{}}",
            "urlMain": f"http://127.0.0.1:{port}/s{i}/",
            "username_claimed": "taken",
        }
        for i in range(sites)
    }


def maigret_data(port: int, sites: int) -> dict[str, Any]:
    return {
        "sites": {
            f"Site{i}": {
                "url": f"http://127.0.0.1:{port}/s{i}/u/{{username}}",
                "urlMain": f"http://127.0.0.1:{port}/s{i}/",
                "checkType": "status_code",
                "usernameClaimed": "taken",
                "usernameUnclaimed": "noonewouldeverusethis7",
                "alexaRank": i + 1,
            }
            for i in range(sites)
        },
        "engines": {},
        "tags": [],
    }


def base_env() -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TERM"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"NO_COLOR": "1", "COLUMNS": "100"})
    return env


@dataclass(frozen=True, slots=True)
class Plan:
    command: list[str]
    env: dict[str, str]
    stdin: str | None
    concurrency: int
    """The tool's own limit on requests in flight (for the floor)."""


def plan(tool: str, workload: Workload, server: LatencyServer, work: Path) -> Plan:
    handles = handles_for(workload)
    sites = workload.sites
    if workload.builtins:
        sites = len(builtin_ids())
    if tool.startswith("brandaudit"):
        env = base_env()
        env.update(
            {
                "BRANDAUDIT_ORIGIN_MAP": f"http://*={server.origin},https://*={server.origin}",
                "BRANDAUDIT_NAMESERVERS": f"127.0.0.1:{server.dns_port}",
                "BRANDAUDIT_NO_CACHE": "1",
            }
        )
        if tool in ENGINES:
            env["BRANDAUDIT_ENGINE"] = ENGINES[tool]
        config = work / "brandaudit.toml"
        config.write_text(brandaudit_config(workload.sites))
        command = [str(Path(sys.executable).parent / "brandaudit"), "check", "-c", str(config)]
        stdin = None
        if workload.builtins:
            command += ["taken.com", "-f", "json"]
        else:
            command += ["--no-discover"]
            for i in range(sites):
                command += ["-p", f"site{i}"]
            if workload.brands_as_handles:
                stdin = "".join(f"{h}.com\n" for h in handles)
                command += ["-i", "-", "-f", "jsonl", "-o", str(work / "out.jsonl")]
            else:
                command += ["bench.com", "-f", "json"]
                for h in handles:
                    command += ["-H", h]
        # The default limits bound the floor: 6 per host, and globally what the open-file
        # limit allows (brandaudit.net.client.global_limit).
        from brandaudit.net.client import HTTPX_GLOBAL_LIMIT, global_limit

        limit = global_limit(None)
        if tool == "brandaudit-httpx":
            limit = min(limit, HTTPX_GLOBAL_LIMIT)
        return Plan(command, env, stdin, min(limit, 6 * sites))
    env = base_env()
    env.update(
        {
            "HTTP_PROXY": NOWHERE,
            "HTTPS_PROXY": NOWHERE,
            "http_proxy": NOWHERE,
            "https_proxy": NOWHERE,
            "NO_PROXY": "127.0.0.1",
            "no_proxy": "127.0.0.1",
        }
    )
    binary = ensure_tool(tool)
    if tool == "sherlock":
        data = work / "sherlock.json"
        data.write_text(json.dumps(sherlock_data(server.port, sites)))
        command = [str(binary), "--json", str(data), "--no-color", "--print-all"]
        command += ["--timeout", "30", "--folderoutput", str(work / "sherlock-out"), *handles]
        return Plan(command, env, None, min(20, sites))
    data = work / "maigret.json"
    data.write_text(json.dumps(maigret_data(server.port, sites)))
    command = [str(binary), "--db", str(data), "--no-autoupdate", "--no-recursion"]
    command += ["--no-extracting", "--no-progressbar", "--no-color", "-a", "--timeout", "30"]
    command += ["--folderoutput", str(work / "maigret-out"), *handles]
    return Plan(command, env, None, 100)


def startup_floor() -> float:
    runs = [measure([sys.executable, "-c", "pass"]).wall for _ in range(5)]
    return statistics.median(runs)


@dataclass
class Row:
    workload: str
    tool: str
    runs: int
    code: int
    wall: float
    cpu: float
    maxrss_mb: float
    requests: int
    checks: int
    concurrency: int
    floor: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.wall / self.floor if self.floor else math.nan


def run_once(
    tool: str, workload: Workload, server: LatencyServer
) -> tuple[Measured, int, Plan, str]:
    """One run of ``tool`` on ``workload``: its measurement, the requests the server saw, its
    plan and (workload f) the verdict note."""
    note = ""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        p = plan(tool, workload, server, work)
        server.reset()
        measured = measure(p.command, env=p.env, cwd=work, stdin=p.stdin, timeout=1800)
        requests = server.requests()
        if workload.key.startswith("f"):
            note = verdict_note(work / "out.jsonl", {h for h, _ in workload.faults})
        if measured.code not in {0, 1, 3}:
            print(measured.stderr[-2000:], file=sys.stderr)
    return measured, requests, p, note


def summarise(
    tool: str, workload: Workload, runs: list[tuple[Measured, int, Plan, str]], startup: float
) -> Row:
    """The median run (by wall time) of one tool's runs; CPU is the median of its own."""
    ordered = sorted(runs, key=lambda r: r[0].wall)
    measured, requests, p, note = ordered[len(ordered) // 2]
    sites = len(builtin_ids()) if workload.builtins else workload.sites
    checks = workload.handles * sites
    floor = math.ceil(requests / p.concurrency) * workload.latency + startup
    return Row(
        workload=workload.key,
        tool=tool,
        runs=len(runs),
        code=measured.code,
        wall=measured.wall,
        cpu=statistics.median(r[0].cpu for r in runs),
        maxrss_mb=max(r[0].maxrss_mb for r in runs),
        requests=requests,
        checks=checks,
        concurrency=p.concurrency,
        floor=floor,
        note=note,
    )


def verdict_note(path: Path, faulty_hosts: set[str]) -> str:
    """Workload f: verdicts on faulty platforms (each must be unknown: anything else is false)
    and healthy platforms left undecided (should be none)."""
    faulty = {h.split(".", 1)[0] for h in faulty_hosts}
    false_verdicts = undecided = checks = 0
    for line in path.read_text().splitlines():  # one Brand per line
        for result in json.loads(line)["platforms"]:
            checks += 1
            decided = result["status"] in {"claimed", "available"}
            if result["platform"] in faulty and result["status"] != "unknown":
                false_verdicts += 1
            elif result["platform"] not in faulty and not decided:
                undecided += 1
    return f"{checks} results, {false_verdicts} false verdicts, {undecided} healthy undecided"


def table(rows: list[Row]) -> str:
    out = [
        "| workload | tool | wall s | CPU s | peak RSS MB | requests | req/s | checks/CPU-s "
        "| floor s | wall/floor | exit |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        rps = r.requests / r.wall if r.wall else 0
        per_cpu = r.checks / r.cpu if r.cpu else 0
        out.append(
            f"| {r.workload} | {r.tool} | {r.wall:.2f} | {r.cpu:.2f} | {r.maxrss_mb:.0f} | "
            f"{r.requests} | {rps:.0f} | {per_cpu:.0f} | {r.floor:.2f} | {r.ratio:.2f} | {r.code} |"
            + (f" {r.note} |" if r.note else "")
        )
    return "\n".join(out)


def startup_rows(repeat: int) -> list[str]:
    brandaudit = str(Path(sys.executable).parent / "brandaudit")
    env = base_env()
    env["BRANDAUDIT_NO_CACHE"] = "1"
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "brandaudit --version": [brandaudit, "--version"],
        "brandaudit --help": [brandaudit, "--help"],
        "brandaudit platforms": [brandaudit, "platforms"],
        "brandaudit check --help": [brandaudit, "check", "--help"],
    }
    lines = ["| command | wall s (median) | CPU s | peak RSS MB |", "|---|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in cases.items():
            runs = [measure(command, env=env, cwd=Path(tmp)) for _ in range(repeat)]
            runs.sort(key=lambda m: m.wall)
            mid = runs[len(runs) // 2]
            lines.append(f"| `{name}` | {mid.wall:.3f} | {mid.cpu:.3f} | {mid.maxrss_mb:.0f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=list(WORKLOADS), default=list(WORKLOADS))
    parser.add_argument("--tools", nargs="+", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT / "results.json")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    startup = startup_floor()
    print(f"python -c pass: {startup:.3f}s", flush=True)
    print("\n".join(startup_rows(args.repeat)), flush=True)
    rows: list[Row] = []
    for key in args.only:
        workload = WORKLOADS[key]
        with LatencyServer(workload.latency, dict(workload.faults)) as server:
            tools = [t for t in workload.tools if not args.tools or t in args.tools]
            repeat = 1 if workload.handles >= 10000 else args.repeat
            # The tools take turns (A B C A B C ...), so a change in the machine's load
            # during the workload touches every tool alike.
            runs: dict[str, list[tuple[Measured, int, Plan, str]]] = {t: [] for t in tools}
            for _ in range(repeat):
                for tool in tools:
                    runs[tool].append(run_once(tool, workload, server))
            for tool in tools:
                row = summarise(tool, workload, runs[tool], startup)
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)
                args.out.write_text(json.dumps([asdict(r) for r in rows], indent=2))
    print()
    print(table(rows))


if __name__ == "__main__":
    main()
