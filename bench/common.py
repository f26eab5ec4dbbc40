"""Shared benchmark helpers: start/stop the latency server, run a command and measure it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent


class LatencyServer:
    """``bench.server`` in its own process; stops when the block ends (and by itself after an
    hour at most)."""

    def __init__(self, latency: float, faults: dict[str, str] | None = None) -> None:
        """``faults``: host -> ``hang``, ``reset`` or ``always-429`` (see ``bench.server``)."""
        self.latency = latency
        self.faults = dict(faults or {})
        self.process: subprocess.Popen[str] | None = None
        self.port = 0
        self.dns_port = 0

    def __enter__(self) -> LatencyServer:
        command = [sys.executable, "-m", "bench.server", "--latency", str(self.latency)]
        for host, kind in self.faults.items():
            command += [f"--{kind}", host]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        if len(line) != 2:
            self.__exit__(None, None, None)
            raise RuntimeError("the latency server did not start")
        self.port, self.dns_port = int(line[0]), int(line[1])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _get(self, path: str) -> dict[str, int]:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
            f"{self.origin}{path}", timeout=10
        ) as response:
            data: dict[str, int] = json.loads(response.read())
            return data

    def reset(self) -> None:
        self._get("/__reset")

    def requests(self) -> int:
        return self._get("/__stats")["requests"]


@dataclass(frozen=True, slots=True)
class Measured:
    code: int
    wall: float
    cpu: float
    maxrss_mb: float
    stdout: str
    stderr: str


def measure(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 900,
    stdin: str | None = None,
) -> Measured:
    """Run ``command``; its wall time, user+system CPU and peak RSS (from ``wait4``)."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-out"
    err_path = out_path.with_suffix(".err")
    with out_path.open("w") as out, err_path.open("w") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            text=True,
        )
        if stdin is not None:
            assert process.stdin is not None
            process.stdin.write(stdin)
            process.stdin.close()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text()
    stderr = err_path.read_text()
    out_path.unlink()
    err_path.unlink()
    return Measured(
        code=process.returncode,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_mb=usage.ru_maxrss / 1024,
        stdout=stdout,
        stderr=stderr,
    )
