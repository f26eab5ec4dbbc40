"""Helpers shared by the hardening suite: an in-process NetClient, a Popen runner."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Mapping
from typing import Any

from brandaudit.config import NetworkSettings
from brandaudit.net.client import NetClient, Response
from tests.conftest import brandaudit_command, with_default_signals

FAST = ("--deadline", "1", "--timeout", "0.5")


def _engines() -> list[str]:
    try:
        import aiohttp  # noqa: F401
        import httpx_aiohttp  # noqa: F401
    except ImportError:
        return ["httpx"]
    return ["httpx", "aiohttp"]


ENGINES = _engines()
"""The HTTP engines installed; the guard must hold under each."""


def fetch(url: str, *, origin_map: Mapping[str, str] | None = None, **kw: Any) -> Response:
    """One request through a fresh NetClient (no proxies from the environment)."""
    allow = bool(kw.pop("allow_private_network", False))
    settings = NetworkSettings(
        origin_map=dict(origin_map or {}),
        allow_private_network=allow,
        engine=kw.pop("engine", "httpx"),
        deadline=kw.pop("deadline", 3.0),
        connect_timeout=1.0,
        read_timeout=1.0,
    )

    async def go() -> Response:
        async with NetClient(settings, trust_env=False) as net:
            return await net.fetch(kw.pop("method", "GET"), url, **kw)

    return asyncio.run(go())


def popen(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        with_default_signals([*brandaudit_command(), *args]),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_measured(
    args: list[str], env: dict[str, str], timeout: float = 30
) -> tuple[int, str, str, float]:
    """Run brandaudit; return (exit code, stdout, stderr, peak resident memory in MB).

    The peak is the process's own VmHWM, sampled until it exits: rusage would also count
    the pages of this (large) test process that the child shares between fork and exec.
    """
    import os
    import signal
    import tempfile
    import time

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [*brandaudit_command(), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            text=True,
        )
        deadline = time.monotonic() + timeout
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, _high_water_kb(proc.pid))
            pid, status = os.waitpid(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.kill(proc.pid, signal.SIGKILL)
                pid, status = os.waitpid(proc.pid, 0)
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), peak_kb / 1024


def _high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0
