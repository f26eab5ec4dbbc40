"""Shared fixtures: a clean environment for every test, no traffic beyond loopback, and the
loopback test world (HTTP + DNS) with a helper that runs the installed ``brandaudit``."""

from __future__ import annotations

import functools
import ipaddress
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
import pytest

from tests.crashes import watch_internal_errors
from tests.world.dns import DnsWorld
from tests.world.http import HttpWorld

# Timing is measured by bench/, never asserted: hypothesis's per-example deadline (200 ms)
# only flakes on a loaded machine or under pytest-xdist.
hypothesis.settings.register_profile("brandaudit", deadline=None)
hypothesis.settings.load_profile("brandaudit")

# `-m smoke`: a quick cross-section that touches every runtime dependency (typer's usage
# errors, httpx + httpcore through the network core, dnspython, atproto's DID documents,
# pydantic models and schema, rich's rendering, the public suffix list). .ci/run runs it on
# the lowest versions pyproject.toml allows.
_SMOKE = (
    "tests/unit/",
    "tests/render/test_golden.py",
    "tests/bluesky/test_diddoc.py",
    "tests/e2e/test_foundation.py",
    "tests/e2e/test_bluesky_cli.py",
)
_ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(_ROOT) and (
            item.path.relative_to(_ROOT).as_posix().startswith(_SMOKE)
        ):
            item.add_marker(pytest.mark.smoke)


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            ip = ipaddress.ip_address(host.split("%", 1)[0])
        except ValueError:
            ip = None
        if ip is None or not ip.is_loopback:
            raise OSError(f"test isolation: connection to {host!r} refused (loopback only)")
    return _real_connect(self, address)


# Variables that change what brandaudit (or rich) does, cleared for every test.
_CLEARED = frozenset(
    {
        "NO_COLOR",
        "FORCE_COLOR",
        "TTY_COMPATIBLE",
        "TTY_INTERACTIVE",
        "CI",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "no_proxy",
    }
)


@functools.cache
def credential_variables() -> frozenset[str]:
    """Every environment variable an installed adapter reads a credential from.

    Derived from the adapters' declared ``credentials`` (built-ins and plugins, through the
    same entry points the registry loads), so a new adapter's token is cleared without
    editing this file: a developer's real token must never reach a test.
    """
    from brandaudit.errors import PluginLoadError
    from brandaudit.platforms.registry import find_entry_points, load_entry_point

    names: set[str] = set()
    for ep in find_entry_points():
        try:
            cls = load_entry_point(ep)
        except PluginLoadError:
            continue
        for credential in cls.credentials:
            names.update(credential.env)
    return frozenset(names)


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from brandaudit.redact import forget_all

    forget_all()  # secrets registered by an earlier test must not redact this one's text
    cleared = _CLEARED | credential_variables()
    for key in list(os.environ):
        if key.startswith(("BRANDAUDIT_", "GITHUB_")) or key in cleared:
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture(autouse=True)
def _no_internal_errors(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A crash inside a check fails the test: the runner and the Bluesky verifier turn it into
    ``unknown`` / "could not check", which a test asserting only an undecided outcome would
    otherwise accept. Tests about that path are marked ``internal_error``."""
    with watch_internal_errors(monkeypatch) as crashes:
        yield
    if crashes and request.node.get_closest_marker("internal_error") is None:
        pytest.fail(f"an internal error was turned into a result: {crashes[0]}", pytrace=False)


@pytest.fixture(scope="session")
def http_world() -> Iterator[HttpWorld]:
    world = HttpWorld().start()
    yield world
    world.stop()


@pytest.fixture(scope="session")
def dns_world() -> Iterator[DnsWorld]:
    world = DnsWorld().start()
    yield world
    world.stop()


@pytest.fixture
def world(
    http_world: HttpWorld,
    dns_world: DnsWorld,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[World]:
    http_world.reset()
    dns_world.reset()
    yield World(http_world, dns_world, InProcess(monkeypatch, capsys))
    http_world.reset()
    dns_world.reset()


@pytest.fixture
def run_cli(world: World) -> Callable[..., CliResult]:
    """``world.run``: the command called in this process (kept for the tests that use it)."""
    return world.run


@dataclass
class InProcess:
    """Runs ``brandaudit.cli.main`` in this process with a given environment and directory,
    returning what a process would have: exit code, stdout, stderr.

    A process start costs a second or more under coverage on a loaded machine; this is the
    default for every test about what a command does. ``World.process`` keeps a real process
    for what only a process shows: exit by signal, the stdout/stderr split of a real pipe,
    concurrency between runs, TTY and encoding behaviour, the installed script.
    """

    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]
    base_env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    """The test's environment before any run: what ``World.env`` builds on, as for a process
    (a run's own variables must not leak into the next run's)."""
    base_cwd: Path = field(default_factory=Path.cwd)
    """The directory a run without ``cwd`` starts in, as a process would."""

    def __call__(self, args: tuple[str, ...], env: dict[str, str], cwd: Path | None) -> CliResult:
        from brandaudit import cli
        from brandaudit.redact import forget_all

        forget_all()  # a fresh process starts with no registered secrets
        for key in list(os.environ):
            if key not in env:
                self.monkeypatch.delenv(key)
        for key, value in env.items():
            self.monkeypatch.setenv(key, value)
        self.monkeypatch.chdir(cwd if cwd is not None else self.base_cwd)
        self.capsys.readouterr()  # drop anything printed before this run
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        # A process starts with an unconfigured root logger (so `--debug` configures it);
        # pytest's capture handlers are put back afterwards, and `--debug`'s are dropped.
        root = logging.getLogger()
        handlers, level = root.handlers[:], root.level
        root.handlers = []
        try:
            with pytest.raises(SystemExit) as exited:
                cli.main(list(args))
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
            for added in root.handlers:
                added.close()
            root.handlers, root.level = handlers, level
        out, err = self.capsys.readouterr()
        code = exited.value.code
        return CliResult(code if isinstance(code, int) else 0 if code is None else 1, out, err)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


_DEFAULT_SIGNALS = (
    "import os, signal, sys; "
    "signal.signal(signal.SIGINT, signal.SIG_DFL); signal.signal(signal.SIGTERM, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def with_default_signals(command: list[str]) -> list[str]:
    """``command`` started with SIGINT and SIGTERM at their defaults.

    A job started in the background by a non-interactive shell (as CI runners may do) inherits
    SIGINT *ignored*, and Python then never raises KeyboardInterrupt; tests that send Ctrl-C
    must not depend on how the test run itself was started. (A launcher, not preexec_fn, which
    is unsafe with the test world's threads.)
    """
    return [sys.executable, "-c", _DEFAULT_SIGNALS, *command]


def brandaudit_command() -> list[str]:
    script = Path(sys.executable).parent / "brandaudit"
    if script.exists():
        return [str(script)]
    found = shutil.which("brandaudit")
    return [found] if found else [sys.executable, "-m", "brandaudit"]


@dataclass
class World:
    http: HttpWorld
    dns: DnsWorld
    in_process: InProcess | None = None

    def env(self, **extra: str) -> dict[str, str]:
        base = os.environ if self.in_process is None else self.in_process.base_env
        env = {
            k: v
            for k, v in base.items()
            if not k.startswith(("BRANDAUDIT_", "GITHUB_")) and k not in {"NO_COLOR", "CI"}
        }
        env.update(
            {
                "BRANDAUDIT_ORIGIN_MAP": self.http.origin_map_env(),
                "BRANDAUDIT_NAMESERVERS": self.dns.nameserver,
                "NO_COLOR": "1",
                "COLUMNS": "100",
                "PYTHONUNBUFFERED": "1",
                # Tests change the world between runs: no HTTP cache unless a test asks.
                "BRANDAUDIT_NO_CACHE": "1",
            }
        )
        env.update(extra)
        return env

    def run(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 60,
        **extra_env: str,
    ) -> CliResult:
        """Run ``brandaudit`` against this world: in this process when the world has one (the
        ``world`` fixture), else as a process. ``timeout`` bounds only a process; the test
        timeout bounds an in-process run."""
        wanted = env if env is not None else self.env(**extra_env)
        if self.in_process is None:
            return self.process(*args, env=wanted, cwd=cwd, timeout=timeout)
        return self.in_process(args, wanted, cwd)

    def process(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 60,
        **extra_env: str,
    ) -> CliResult:
        """Run the installed ``brandaudit`` as a process against this world; bounded by
        ``timeout``."""
        completed = subprocess.run(
            [*brandaudit_command(), *args],
            env=env if env is not None else self.env(**extra_env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)
