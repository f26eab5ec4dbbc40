"""Hostile servers through the real CLI: each fault is an ``unknown`` with a precise reason,
within the deadline and bounded memory, and the other checks of the run are unaffected.

GitHub plays the hostile platform; Mastodon answers normally in the same run and must still
come out ``claimed``. ``--deadline 1 --timeout 0.5`` keeps every case short.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from brandaudit.config import NetworkSettings
from tests.conftest import CliResult, World
from tests.hardening.helpers import ENGINES, FAST, fetch, run_measured
from tests.world import platforms as p
from tests.world.dns import DnsWorld
from tests.world.http import HttpWorld, RawServer, Reply, Request

pytestmark = pytest.mark.e2e

CAP = NetworkSettings().max_body_bytes
USER = "/users/acme"
FIFTY_MB = 50 * 1024 * 1024


@dataclass(frozen=True)
class Fault:
    id: str
    reply: Callable[[], Reply] | None = None
    """Makes what the world answers for GitHub (None: ``raw`` answers instead)."""
    raw: bytes | None = b""
    """With ``reply=None``: a RawServer answering these bytes (None: never answers)."""
    needles: tuple[str, ...] = ()
    """The reason must contain one of these."""


FAULTS = [
    Fault("hang-after-request", lambda: Reply(hang=True), needles=("timed out",)),
    Fault("accepts-never-reads", None, raw=None, needles=("timed out",)),
    Fault(
        "slow-drip",
        lambda: Reply(body=b'{"login": "acme", "type": "User"}', drip=0.2),
        needles=("timed out", "deadline"),
    ),
    Fault("endless-body", lambda: Reply(endless=True), needles=("size cap",)),
    Fault("fifty-megabytes", lambda: Reply.text("x" * FIFTY_MB), needles=("size cap",)),
    Fault(
        "gzip-bomb",
        lambda: Reply(
            body=gzip.compress(b"{" + b" " * FIFTY_MB),
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        ),
        needles=("size cap",),
    ),
    Fault(
        "bad-gzip",
        lambda: Reply(
            body=b"definitely not gzip",
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        ),
        needles=("DecodingError",),
    ),
    Fault(
        "short-body-then-close",
        None,
        raw=b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"lo',
        needles=("RemoteProtocolError",),
    ),
    Fault(
        "short-body-kept-open",
        lambda: Reply(
            body=b'{"login": "ac', content_length=500, headers={"Content-Type": "application/json"}
        ),
        needles=("timed out reading the body",),
    ),
    Fault(
        "reset", lambda: Reply(reset=True), needles=("RemoteProtocolError", "ReadError", "reset")
    ),
    Fault("not-http", None, raw=b"SSH-2.0-OpenSSH_9.6\r\n", needles=("RemoteProtocolError",)),
    Fault(
        "bad-status-line",
        None,
        raw=b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}",
        needles=("RemoteProtocolError",),
    ),
    Fault(
        "malformed-json",
        lambda: Reply(body=b'{"login": "acme",', headers={"Content-Type": "application/json"}),
        needles=("not valid JSON",),
    ),
    Fault(
        "deeply-nested-json",
        lambda: Reply(
            body=b"[" * 200_000 + b"]" * 200_000, headers={"Content-Type": "application/json"}
        ),
        needles=("not valid JSON",),
    ),
    Fault(
        "html-login-wall",
        lambda: Reply.html("<html><form action=/login>Sign in</form></html>"),
        needles=("text/html",),
    ),
    Fault(
        "json-claim-served-as-html",
        lambda: Reply.html('{"login": "acme", "id": 1, "type": "User"}'),
        needles=("text/html",),
    ),
    Fault(
        "json-not-found-served-as-html",
        lambda: Reply.html('{"message": "Not Found"}', status=404),
        needles=("text/html",),
    ),
    Fault(
        "cross-host-redirect",
        lambda: Reply.redirect("https://evil.example/users/acme", 301),
        needles=("redirected to https://evil.example/users/acme",),
    ),
    Fault(
        "redirect-to-itself",
        lambda: Reply.redirect("https://api.github.com/users/acme"),
        needles=("redirected to",),
    ),
    Fault(
        "redirect-to-metadata",
        lambda: Reply.redirect("http://169.254.169.254/latest/meta-data/"),
        needles=("redirected to http://169.254.169.254",),
    ),
]


ARGS = ("check", "acme.com", "-f", "json", "--no-discover", "-p", "github", "-p", "mastodon")
HTTP_FAULTS = [f for f in FAULTS if f.reply is not None]
RAW_FAULTS = [f for f in FAULTS if f.reply is None]


def _handle(fault: Fault) -> str:
    return f"f{FAULTS.index(fault):02d}"


def _mastodon_echo(request: Request) -> Reply:
    acct = request.arg("acct") or ""
    return Reply.json({"id": "1", "username": acct, "acct": acct})


@dataclass(frozen=True)
class Batch:
    result: CliResult
    rows: dict[tuple[str, str], dict[str, Any]]
    elapsed: float
    peak_mb: float
    baseline_mb: float
    requests: list[Request]


@pytest.fixture(scope="module", params=ENGINES)
def batch(request: pytest.FixtureRequest, http_world: HttpWorld, dns_world: DnsWorld) -> Batch:
    """One run in which GitHub answers each handle with a different fault at once, while
    Mastodon answers every handle normally; and a normal run to compare memory with. Once
    per installed HTTP engine."""
    world = World(http_world, dns_world)
    engine_env = {"BRANDAUDIT_ENGINE": request.param}
    http_world.reset()
    p.github_user(http_world, "acme")
    p.mastodon_account(http_world, "acme")
    code, _, err, baseline = run_measured([*ARGS, *FAST], world.env(**engine_env))
    assert code == 0, err
    http_world.reset()
    for fault in HTTP_FAULTS:
        assert fault.reply is not None
        http_world.route(p.GITHUB, f"/users/{_handle(fault)}", fault.reply())
    http_world.route(p.MASTODON, "/api/v1/accounts/lookup", _mastodon_echo)
    handles = [arg for f in HTTP_FAULTS for arg in ("-H", _handle(f))]
    started = time.monotonic()
    # Every fault at once: a slightly longer deadline than FAST, for the queue per host.
    code, out, err, peak = run_measured(
        [*ARGS, *handles, "--deadline", "2", "--timeout", "0.5"], world.env(**engine_env)
    )
    elapsed = time.monotonic() - started
    result = CliResult(code, out, err)
    requests = list(http_world.requests)
    http_world.reset()
    rows = {(r["platform"], r["handle"]): r for r in result.json()["brands"][0]["platforms"]}
    return Batch(result, rows, elapsed, peak, baseline, requests)


@pytest.mark.parametrize("fault", HTTP_FAULTS, ids=lambda f: f.id)
def test_each_hostile_answer_is_unknown_with_a_precise_reason(batch: Batch, fault: Fault) -> None:
    row = batch.rows[("github", _handle(fault))]
    assert row["status"] == "unknown", row
    assert any(n in row["reason"] for n in fault.needles), row["reason"]
    if "deadline" not in row["reason"]:
        # (A request cut by the check's deadline is still in flight: no evidence yet.)
        assert row["evidence"], "the request that failed is shown as evidence"


def test_the_rest_of_the_run_is_unaffected_and_bounded(batch: Batch) -> None:
    assert batch.result.code == 0, batch.result.stderr
    assert "Traceback" not in batch.result.stderr
    mastodon = [r for (platform, _), r in batch.rows.items() if platform == "mastodon"]
    assert len(mastodon) == len(HTTP_FAULTS)
    assert {r["status"] for r in mastodon} == {"claimed"}
    # Bounded, not a benchmark: a hang would hit the subprocess timeout instead.
    assert batch.elapsed < 20
    # The size cap stops reading and decompressing: the 50 MB, endless and gzip-bomb
    # bodies (all in this run) leave the peak near a normal run's.
    assert batch.peak_mb < batch.baseline_mb + 25, (batch.peak_mb, batch.baseline_mb)
    # Redirects elsewhere were reported, never followed.
    assert not [r for r in batch.requests if r.host == "evil.example"]
    assert not [r for r in batch.requests if r.path.startswith("/latest/meta-data")]


@pytest.fixture
def raw_servers() -> Iterator[Callable[[bytes | None], RawServer]]:
    started: list[RawServer] = []

    def start(reply: bytes | None) -> RawServer:
        server = RawServer(reply).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def _rows(result: CliResult) -> dict[str, dict[str, Any]]:
    return {r["platform"]: r for r in result.json()["brands"][0]["platforms"]}


@pytest.mark.parametrize("fault", RAW_FAULTS, ids=lambda f: f.id)
def test_servers_that_break_http_itself(
    world: World, raw_servers: Callable[[bytes | None], RawServer], fault: Fault
) -> None:
    server = raw_servers(fault.raw)
    p.mastodon_account(world.http, "acme")
    env = world.env()
    # The exact entry wins over the world's wildcard.
    env["BRANDAUDIT_ORIGIN_MAP"] = (
        f"https://{p.GITHUB}={server.origin}," + env["BRANDAUDIT_ORIGIN_MAP"]
    )
    result = world.run(*ARGS, *FAST, env=env, timeout=30)
    assert result.code == 0, result.stderr
    rows = _rows(result)
    assert rows["github"]["status"] == "unknown"
    assert any(n in rows["github"]["reason"] for n in fault.needles), rows["github"]["reason"]
    assert rows["mastodon"]["status"] == "claimed"
    assert server.accepted >= 1


def test_one_hanging_platform_does_not_hold_up_the_others(world: World) -> None:
    world.http.route(p.GITHUB, USER, Reply(hang=True))
    world.http.route(p.BSKY, "/xrpc/app.bsky.actor.getProfile", Reply(endless=True))
    p.mastodon_account(world.http, "acme")
    result = world.run(
        "check", "acme.com", "-f", "json", "--no-discover", "-p", "github", "-p", "bluesky",
        "-p", "mastodon", *FAST, timeout=30,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    rows = _rows(result)
    assert rows["github"]["status"] == "unknown"
    assert rows["bluesky"]["status"] == "unknown"
    assert rows["mastodon"]["status"] == "claimed"


def test_closed_port_is_a_connection_error(world: World) -> None:
    with RawServer(b"") as server:
        port = server.port
    # nothing listens there any more
    p.mastodon_account(world.http, "acme")
    env = world.env()
    env["BRANDAUDIT_ORIGIN_MAP"] = (
        f"https://{p.GITHUB}=http://127.0.0.1:{port}," + env["BRANDAUDIT_ORIGIN_MAP"]
    )
    result = world.run(
        "check", "acme.com", "-f", "json", "--no-discover", "-p", "github", "-p", "mastodon",
        *FAST, env=env, timeout=30,
    )  # fmt: skip
    rows = _rows(result)
    assert rows["github"]["status"] == "unknown"
    assert "could not connect to" in rows["github"]["reason"]
    assert rows["mastodon"]["status"] == "claimed"


# --- redirects followed by hand (NetClient) --------------------------------------------------


def _mapped(world: HttpWorld, *hosts: str) -> dict[str, str]:
    return {f"https://{h}": world.origin for h in hosts}


def test_redirect_loop_is_detected(http_world: HttpWorld) -> None:
    http_world.reset()
    http_world.route("a.test", "/", Reply.redirect("https://b.test/"))
    http_world.route("b.test", "/", Reply.redirect("https://a.test/"))
    response = fetch("https://a.test/", origin_map=_mapped(http_world, "a.test", "b.test"),
                     max_redirects=10)  # fmt: skip
    assert response.error_kind == "redirect_loop"
    assert "redirect loop back to https://a.test/" in (response.error or "")
    assert len(http_world.requests) == 2


def test_endless_redirect_chain_is_cut(http_world: HttpWorld) -> None:
    http_world.reset()
    http_world.route_prefix(
        "a.test", "/", lambda r: Reply.redirect(f"/{int(r.path.strip('/') or 0) + 1}")
    )
    response = fetch("https://a.test/", origin_map=_mapped(http_world, "a.test"), max_redirects=3)
    assert response.error_kind == "too_many_redirects"
    assert "more than 3 redirects" in (response.error or "")
    assert len(http_world.requests) == 4


def test_redirect_to_another_scheme_is_refused(http_world: HttpWorld) -> None:
    http_world.reset()
    http_world.route("a.test", "/", Reply.redirect("file:///etc/passwd"))
    response = fetch("https://a.test/", origin_map=_mapped(http_world, "a.test"), max_redirects=3)
    assert response.error_kind == "redirect_refused"
    assert "unsupported scheme 'file'" in (response.error or "")


def test_server_text_cannot_drive_the_terminal_or_the_ci_runner(
    world: World, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Escape sequences and workflow commands inside a server's answer reach no output raw."""
    evil = "\x1b]0;pwned\x07\x1b[31mEVIL\x1b[0m\n::error::injected\r::set-output name=x::y"
    # Both answers are shown: GitHub's login (in the 'another account' reason) and
    # Mastodon's profile URL (as the link).
    world.http.route(p.GITHUB, USER, Reply.json({"login": "other" + evil, "type": "User"}))
    p.mastodon_account(world.http, "acme", url="https://mastodon.social/@acme" + evil)
    outputs = [tmp_path / "r.txt", tmp_path / "r.md"]
    args = ["check", "acme.com", "-p", "github", "-p", "mastodon", "--no-discover", *FAST]
    for out in outputs:
        args += ["-o", str(out)]
    result = world.run(*args, GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(tmp_path / "s.md"))
    assert result.code == 0, result.stderr
    texts = [result.stdout, result.stderr, *(o.read_text() for o in outputs)]
    printed = [result.stderr]  # what reaches the CI log
    for fmt in ("table", "markdown", "junit", "json"):  # in-process: the same text, faster
        shown = run_cli(*args[: args.index("-o")], "-f", fmt, GITHUB_ACTIONS="true")
        assert shown.code == 0, shown.stderr
        texts += [shown.stdout, shown.stderr]
        printed += [shown.stdout, shown.stderr]
    assert any("EVIL" in text for text in texts), "the hostile text is shown somewhere"
    for text in texts:
        # No escape sequence can start: no ESC, no C1 control (CSI is U+009B).
        assert not [c for c in text if c == "\x1b" or "\x80" <= c <= "\x9f"], repr(text)
    for text in printed:
        assert _live_workflow_commands(text) == [], text


def _live_workflow_commands(log: str) -> list[str]:
    """Lines GitHub's runner would execute: '::cmd...' outside a ::stop-commands:: block,
    other than brandaudit's own annotations (::error/::warning/::notice title=...)."""
    live, stop_token = [], None
    for line in log.splitlines():
        if stop_token is not None:
            if line == f"::{stop_token}::":
                stop_token = None
            continue
        if line.startswith("::stop-commands::"):
            stop_token = line.removeprefix("::stop-commands::")
        elif line.startswith("::") and any(w in line for w in ("injected", "set-output")):
            live.append(line)
    return live


@pytest.mark.parametrize(
    "block", ["[" * 100_000 + "]" * 100_000, '{"sameAs":' * 3000 + '"x"' + "}" * 3000]
)
def test_a_json_ld_bomb_on_the_homepage_is_ignored_not_fatal(world: World, block: str) -> None:
    """A nested-too-deep JSON-LD block is skipped; the page's other links still count."""
    page = (
        f'<html><head><script type="application/ld+json">{block}</script></head>'
        '<body><a href="https://github.com/acme">GitHub</a></body></html>'
    )
    world.http.route("acme.com", "/", Reply.html(page))
    p.github_user(world.http, "acme")
    result = world.run("check", "acme.com", "-p", "github", "-f", "json", *FAST)
    assert result.code == 0, result.stderr
    discovery = result.json()["brands"][0]["discovery"]
    assert discovery["status"] != "failed", discovery
    assert any("nested too deeply" in note for note in discovery["notes"]), discovery["notes"]
    assert "RecursionError" not in json.dumps(discovery)
