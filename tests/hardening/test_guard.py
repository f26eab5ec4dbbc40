"""The private-network guard: every forbidden address refused before a connection is made,
on the first request and on every redirect hop; origin-map routing and the opt-out still work."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
from typing import Any

import httpcore
import pytest

from brandaudit.config import NetworkSettings, resolve
from brandaudit.net.client import ErrorKind, NetClient
from brandaudit.net.guard import AddressGuard, GuardedBackend, GuardRefusal, address_problem
from tests.bluesky.scenario import Bsky, did_doc
from tests.conftest import World
from tests.hardening.helpers import ENGINES, fetch
from tests.world import platforms as p
from tests.world.http import HttpWorld, Reply

REFUSED = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # AWS/GCP/Azure/DO metadata
    "100.64.0.1",  # CGNAT
    "100.100.100.200",  # Alibaba metadata
    "168.63.129.16",  # Azure WireServer: a public address, refused by name
    "192.0.0.192",  # Oracle metadata
    "224.0.0.1",
    "0.0.0.0",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:10.1.2.3",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "140.82.112.3"]


@pytest.mark.parametrize("address", REFUSED)
def test_forbidden_addresses_have_a_reason(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def _assert_refused(response: Any, world: HttpWorld) -> None:
    assert response.status is None
    assert world.requests == [], "the guard let a request through"
    if "is not a canonical IPv4 address" in (response.error or ""):
        # aiohttp (yarl) refuses decimal/octal/short IPv4 spellings before connecting.
        assert response.error_kind == ErrorKind.PROTOCOL
        return
    assert response.error_kind == ErrorKind.GUARD, response
    assert response.error.startswith("private-network guard refused")
    assert "--allow-private-network" in response.error


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "2130706433",  # decimal
        "0x7f000001",  # hex
        "017700000001",  # octal
        "127.1",  # short form
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "[::ffff:7f00:1]",
        "localhost",
        "LOCALHOST.",
        "api.localhost",
    ],
)
def test_loopback_in_any_spelling_is_refused(http_world: HttpWorld, host: str, engine: str) -> None:
    http_world.reset()
    response = fetch(f"http://{host}:{http_world.port}/secret", engine=engine)
    _assert_refused(response, http_world)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "https://10.0.0.1/",
        "http://[::ffff:a9fe:a9fe]/",
    ],
)
def test_metadata_and_private_literals_are_refused(
    http_world: HttpWorld, url: str, engine: str
) -> None:
    http_world.reset()
    # Were a connection attempted, the test isolation would turn it into a 'connect' error.
    _assert_refused(fetch(url, engine=engine), http_world)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{port}/secret",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://2130706433:{port}/secret",
        "http://localhost:{port}/secret",
    ],
)
def test_redirect_from_a_mapped_host_to_a_private_address_is_refused(
    http_world: HttpWorld, location: str, engine: str
) -> None:
    http_world.reset()
    port = http_world.port
    http_world.route("brand.test", "/", Reply.redirect(location.format(port=port)))
    http_world.route("127.0.0.1", "/secret", Reply.text("the crown jewels"))
    response = fetch(
        "https://brand.test/",
        origin_map={"https://brand.test": http_world.origin},
        max_redirects=5,
        engine=engine,
    )
    if "is not a canonical IPv4 address" in (response.error or ""):
        assert engine == "aiohttp"  # yarl refuses the spelling itself
    else:
        assert response.error_kind == ErrorKind.GUARD, response
        assert "private-network guard refused" in (response.error or "")
    # The first hop reached the (mapped, trusted) server; the redirect target never did.
    assert [(r.host, r.path) for r in http_world.requests] == [("brand.test", "/")]


@pytest.mark.parametrize("engine", ENGINES)
def test_each_redirect_hop_is_checked_not_only_the_first(
    http_world: HttpWorld, engine: str
) -> None:
    http_world.reset()
    http_world.route("a.test", "/", Reply.redirect("https://b.test/next"))
    http_world.route("b.test", "/next", Reply.redirect("http://10.1.2.3/internal"))
    response = fetch(
        "https://a.test/",
        origin_map={"https://a.test": http_world.origin, "https://b.test": http_world.origin},
        max_redirects=5,
        engine=engine,
    )
    assert response.error_kind == ErrorKind.GUARD
    assert "10.1.2.3" in (response.error or "")
    assert [r.host for r in http_world.requests] == ["a.test", "b.test"]


@pytest.mark.parametrize("engine", ENGINES)
def test_origin_map_targets_are_reached_and_allow_private_network_opts_out(
    http_world: HttpWorld, engine: str
) -> None:
    http_world.reset()
    http_world.route("127.0.0.1", "/ok", Reply.text("hello"))
    http_world.route("brand.test", "/ok", Reply.text("mapped"))
    mapped = fetch(
        "https://brand.test/ok", origin_map={"https://brand.test": http_world.origin}, engine=engine
    )
    assert mapped.status == 200 and mapped.body == b"mapped"
    direct = fetch(
        f"http://127.0.0.1:{http_world.port}/ok", allow_private_network=True, engine=engine
    )
    assert direct.status == 200 and direct.body == b"hello"


def test_environment_switch_turns_the_guard_off(tmp_path: Any) -> None:
    on = resolve(config_path=None, cwd=tmp_path, env={})
    off = resolve(config_path=None, cwd=tmp_path, env={"BRANDAUDIT_ALLOW_PRIVATE_NETWORK": "1"})
    assert not on.network.allow_private_network
    assert off.network.allow_private_network


# --- the connect-time check (DNS rebinding) ------------------------------------------------


class _RecordingBackend(httpcore.AsyncNetworkBackend):
    def __init__(self) -> None:
        self.connected: list[str] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kw: Any) -> Any:
        self.connected.append(host)
        raise httpcore.ConnectError("recorded, not connected")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: list[list[str]]) -> list[str]:
    """Each getaddrinfo call returns the next answer (a rebinding resolver)."""
    asked: list[str] = []

    def getaddrinfo(host: str, port: int, *args: Any, **kw: Any) -> list[Any]:
        asked.append(host)
        addresses = answers[min(len(asked) - 1, len(answers) - 1)]
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port),
            )
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_backend_connects_to_the_checked_address_not_the_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # First answer public, any later answer loopback: we must resolve once and use it.
    asked = _fake_dns(monkeypatch, [["93.184.216.34"], ["127.0.0.1"]])
    inner = _RecordingBackend()
    backend = GuardedBackend(AddressGuard(), inner)
    with pytest.raises(httpcore.ConnectError):
        asyncio.run(backend.connect_tcp("rebind.test", 443, timeout=1))
    assert asked == ["rebind.test"]
    assert inner.connected == ["93.184.216.34"]


@pytest.mark.parametrize(
    "answer", [["127.0.0.1"], ["93.184.216.34", "10.0.0.1"], ["::ffff:169.254.169.254"]]
)
def test_backend_refuses_a_name_with_any_private_answer(
    monkeypatch: pytest.MonkeyPatch, answer: list[str]
) -> None:
    _fake_dns(monkeypatch, [answer])
    inner = _RecordingBackend()
    backend = GuardedBackend(AddressGuard(), inner)
    with pytest.raises(GuardRefusal, match=r"private-network guard refused evil\.test"):
        asyncio.run(backend.connect_tcp("evil.test", 80, timeout=1))
    assert inner.connected == []


def test_backend_reports_names_that_do_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    backend = GuardedBackend(AddressGuard(), _RecordingBackend())
    with pytest.raises(httpcore.ConnectError, match=r"cannot resolve nowhere\.test"):
        asyncio.run(backend.connect_tcp("nowhere.test", 80, timeout=1))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_name_that_does_not_resolve_is_a_connect_error_on_every_engine(
    monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    # The guard resolves before connecting; its "cannot resolve" must come back as evidence
    # (a connect error), never escape as an exception (it did on the aiohttp engine).
    def fail(*args: Any, **kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    response = fetch("https://nowhere.test/.well-known/atproto-did", engine=engine)
    assert response.status is None
    assert response.error_kind == ErrorKind.CONNECT, response
    assert "cannot resolve nowhere.test" in (response.error or "")


def test_a_disabled_guard_passes_the_name_through(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fake_dns(monkeypatch, [["127.0.0.1"]])
    inner = _RecordingBackend()
    backend = GuardedBackend(AddressGuard(enabled=False), inner)
    with pytest.raises(httpcore.ConnectError):
        asyncio.run(backend.connect_tcp("intranet.test", 80, timeout=1))
    assert inner.connected == ["intranet.test"]
    assert asked == []


# --- through the CLI ------------------------------------------------------------------------


def _exact_map(world: World, *hosts: str) -> dict[str, str]:
    """Only these hosts are mapped (no wildcard): anything else is reached directly, as in
    production, so the guard applies to it."""
    return world.env(
        BRANDAUDIT_ORIGIN_MAP=",".join(f"https://{h}={world.http.origin}" for h in hosts)
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "location", ["http://127.0.0.1:{port}/secret", "http://169.254.169.254/latest/meta-data/"]
)
def test_a_homepage_redirect_to_a_private_address_is_never_followed(
    world: World, location: str
) -> None:
    world.http.route("acme.com", "/", Reply.redirect(location.format(port=world.http.port)))
    world.http.route("127.0.0.1", "/secret", Reply.html("<a href='https://github.com/x'>x</a>"))
    p.github_user(world.http, "acme")
    env = _exact_map(world, "acme.com", "api.github.com")
    result = world.run(
        "check", "acme.com", "-p", "github", "-f", "json", "--deadline", "2", env=env
    )
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    assert "not followed" in " ".join(brand["discovery"]["notes"])
    assert not [r for r in world.http.requests if r.path in {"/secret", "/latest/meta-data/"}]
    assert brand["platforms"][0]["status"] == "claimed"  # the rest of the run is unaffected


@pytest.mark.e2e
def test_a_brand_domain_on_a_private_name_is_refused_by_the_guard(world: World) -> None:
    p.github_user(world.http, "acme")
    env = _exact_map(world, "api.github.com")
    args = ["check", "acme.localhost", "-p", "github", "-f", "json", "--deadline", "2"]
    result = world.run(*args, env=env)
    assert result.code == 0, result.stderr
    brand = result.json()["brands"][0]
    notes = " ".join(brand["discovery"]["notes"])
    assert "private-network guard refused acme.localhost" in notes
    assert "--allow-private-network" in notes
    assert brand["platforms"][0]["status"] == "claimed"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "location", ["http://127.0.0.1:{port}/secret", "http://169.254.169.254/latest/meta-data/"]
)
def test_a_well_known_redirect_to_a_private_address_is_refused_by_the_guard(
    world: World, location: str
) -> None:
    """The Bluesky website-file check follows redirects (as handle resolvers do): each hop
    goes through the guard, so a redirect into the private network is never connected."""
    world.http.route(
        "acme.com",
        "/.well-known/atproto-did",
        Reply.redirect(location.format(port=world.http.port)),
    )
    world.http.route("127.0.0.1", "/secret", Reply.text("did:plc:ewvi7nxzyoun6zhxrhs64oiz"))
    env = _exact_map(world, "acme.com")
    # Timeouts generous enough for a loaded machine: the test is about the guard, not time.
    args = ["bluesky", "acme.com", "-f", "json", "--deadline", "8", "--timeout", "4"]
    result = world.run(*args, env=env)
    assert result.code in {1, 3}, result.stderr
    assert "Traceback" not in result.stderr
    checks = {c["id"]: c for c in result.json()["checks"]}
    shown = json.dumps(checks["well_known"])
    assert "private-network guard refused" in shown, shown
    assert not [r for r in world.http.requests if r.path in {"/secret", "/latest/meta-data/"}]
    assert [r for r in world.http.requests if r.path == "/.well-known/atproto-did"]


@pytest.mark.e2e
@pytest.mark.parametrize("pds", ["https://127.0.0.1:{port}", "https://169.254.169.254"])
def test_a_did_document_pointing_into_the_private_network_is_refused(
    world: World, pds: str
) -> None:
    """Anyone can publish a DID document naming any 'PDS' address: it is server-supplied
    data, so the verifier's request to it goes through the guard."""
    b = Bsky(world)
    b.site()
    b.good_file()
    b.plc(did_doc(handle="acme.com", pds=pds.format(port=world.http.port)))
    b.profile()
    b.appview_resolves(b.did)
    world.http.route_prefix("127.0.0.1", "/xrpc/", Reply.json({"did": b.did, "active": True}))
    env = _exact_map(world, "acme.com", "plc.directory", "public.api.bsky.app")
    # Timeouts generous enough for a loaded machine: the test is about the guard, not time.
    args = ["bluesky", "acme.com", "-f", "json", "--deadline", "8", "--timeout", "4"]
    result = world.run(*args, env=env)
    assert "Traceback" not in result.stderr
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert "private-network guard refused" in json.dumps(checks["pds"]), checks["pds"]
    assert checks["pds"]["status"] != "pass"
    assert not [r for r in world.http.requests if r.path.startswith("/xrpc/com.atproto.sync")]
    assert checks["did_document"]["status"] == "pass"  # the rest of the run is unaffected


@pytest.mark.parametrize("url", ["http://10.0.0.1/internal", "http://169.254.169.254/latest/"])
def test_through_a_proxy_private_targets_are_refused_before_the_proxy_is_asked(
    http_world: HttpWorld, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """With HTTP_PROXY set, the proxy would resolve and connect; brandaudit checks the
    target first (best effort: see SECURITY.md), so the proxy never hears of it."""
    http_world.reset()
    monkeypatch.setenv("HTTP_PROXY", http_world.origin)
    monkeypatch.setenv("http_proxy", http_world.origin)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)

    async def go() -> Any:
        async with NetClient(NetworkSettings(deadline=3.0), trust_env=True) as net:
            return await net.fetch("GET", url)

    response = asyncio.run(go())
    assert response.error_kind == ErrorKind.GUARD, response
    assert http_world.requests == []
