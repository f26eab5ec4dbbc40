"""The ``domain`` platform: the brand's name in other TLDs, judged by each registry's RDAP."""

from __future__ import annotations

from typing import Any

import pytest

from brandaudit.rdap import parse_bootstrap, parse_domain, server_for
from tests.conftest import World
from tests.world import rdap
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _rows(result: Any) -> dict[str, dict[str, Any]]:
    brand = result.json()["brands"][0]
    return {r["handle"]: r for r in brand["platforms"] if r["platform"] == "domain"}


def test_registered_not_registered_error_and_no_rdap_tld(world: World) -> None:
    rdap.bootstrap(world.http)
    rdap.registered(world.http, "acme.com")
    rdap.registered(world.http, "acme.io", registered="2026-11-20T10:00:00Z")
    world.http.route("rdap.pir.test", "/v1/domain/acme.org", Reply.text("busy", status=503))
    world.http.route(
        "rdap.nic.co.test", "/v1/domain/acme.co", Reply.json({"errorCode": 429}, status=429)
    )
    world.http.route("acme.io", "/", Reply.html("<p>parked</p>"))
    result = world.run("check", "acme.com", "-p", "domain", "-f", "json", "--no-discover")
    rows = _rows(result)
    assert sorted(rows) == [
        "acme.ai",
        "acme.app",
        "acme.co",
        "acme.com",
        "acme.io",
        "acme.net",
        "acme.org",
    ]
    io = rows["acme.io"]
    assert io["status"] == "claimed"
    assert "registered 2026-11-20" in io["reason"]
    assert "Example Registrar, Inc." in io["reason"]
    assert "ns1.example-dns.test" in io["reason"]
    assert io["ownership"]["status"] == "unconfirmed"
    assert "not linked to you" in io["ownership"]["reason"]
    assert rows["acme.com"]["ownership"]["status"] == "verified"
    net = rows["acme.net"]
    assert net["status"] == "available"
    assert "not registered" in net["reason"] and "premium" in net["reason"]
    assert net["evidence"][-1]["signal"] == "404 from the TLD's RDAP server"
    assert rows["acme.org"]["status"] == "unknown"
    assert "HTTP 503" in rows["acme.org"]["reason"]
    assert rows["acme.co"]["status"] == "unknown"
    assert "429" in rows["acme.co"]["reason"]
    assert rows["acme.ai"]["status"] == "unknown"
    assert "no RDAP service for .ai" in rows["acme.ai"]["reason"]
    # Grouped as "nothing public decides it", the others by what their answers showed.
    causes = {name: rows[name].get("cause") for name in ("acme.ai", "acme.org", "acme.co")}
    assert causes == {
        "acme.ai": "unsupported",
        "acme.org": "server_error",
        "acme.co": "rate_limited",
    }
    # One bootstrap read for the whole run (no cache in tests): per-run memo.
    assert len(world.http.requests_to(rdap.IANA)) == 1


def test_a_404_that_is_not_rdap_is_not_available(world: World) -> None:
    """A 404 HTML page (a captive portal, a CDN) is not the registry saying 'no such domain'."""
    rdap.bootstrap(world.http, {"io": "rdap.identitydigital.test"})
    world.http.route(
        "rdap.identitydigital.test", "/v1/domain/acme.io", Reply.html("<h1>gone</h1>", status=404)
    )
    result = world.run("check", "acme.io", "-p", "domain", "-f", "json", "--no-discover")
    rows = _rows(result)
    assert rows["acme.io"]["status"] == "unknown"
    assert "not RDAP" in rows["acme.io"]["reason"]


def test_redirect_to_the_brand_is_linked_and_tlds_config(world: World, tmp_path: Any) -> None:
    (tmp_path / "brandaudit.toml").write_text('[domains]\ntlds = ["io"]\n')
    rdap.bootstrap(world.http)
    rdap.registered(world.http, "acme.io")
    world.http.route("acme.io", "/", Reply.redirect("https://acme.com/"))
    world.http.route("acme.com", "/", Reply.html("<p>Acme</p>"))
    # [domains] tlds narrows the names to the brand's own TLD and .io.
    result = world.run(
        "check", "acme.com", "-f", "json", "--no-discover", "-p", "domain", cwd=tmp_path
    )
    rows = _rows(result)
    assert sorted(rows) == ["acme.com", "acme.io"]
    own = rows["acme.io"]["ownership"]
    assert own["status"] == "linked"
    assert "redirects to acme.com" in own["reason"]


def test_domain_runs_only_when_asked(world: World, tmp_path: Any) -> None:
    from brandaudit.config import Settings, settings_from_mapping
    from brandaudit.platforms import registry

    plain = registry.load(Settings())
    assert "domain" in plain.adapters
    assert "domain" not in {a.id for a in plain.select(None)}
    configured = registry.load(settings_from_mapping({"domains": {"tlds": ["io"]}}))
    assert "domain" in {a.id for a in configured.select(None)}


def test_table_and_markdown_show_domain_rows(world: World) -> None:
    rdap.bootstrap(world.http, {"io": "rdap.identitydigital.test"})
    rdap.registered(world.http, "acme.io")
    for fmt in ("table", "markdown", "html", "jsonl"):  # SARIF, JUnit: claims only
        result = world.run("check", "acme.com", "-p", "domain", "-f", fmt, "--no-discover")
        assert result.code in {0, 3}, result.stderr
        assert "acme.io" in result.stdout, fmt


def test_bad_tlds_config_is_a_config_error(world: World, tmp_path: Any) -> None:
    (tmp_path / "brandaudit.toml").write_text('[domains]\ntlds = ["i o"]\n')
    result = world.run("check", "acme.com", "-p", "domain", cwd=tmp_path)
    assert result.code == 2
    assert "domains.tlds" in result.stderr and "not a TLD" in result.stderr


def test_parsers_are_bounded_and_strict() -> None:
    services = parse_bootstrap(
        {"services": [[["com"], ["http://a.test/", "https://b.test/"]], "junk", [["x"], []]]}
    )
    assert services == {"com": ("https://b.test/", "http://a.test/")}
    assert server_for(services, "acme.com") == "https://b.test/"
    assert server_for(services, "acme.x") is None
    assert parse_domain({"objectClassName": "domain", "ldhName": "other.com"}, "acme.com") is None
    hostile = rdap.domain_object("acme.com", registrar="Evil\x1b[31m Registrar " + "x" * 500)
    record = parse_domain(hostile, "acme.com")
    assert record is not None and record.registrar is not None
    assert "\x1b" not in record.registrar and len(record.registrar) <= 200


def test_an_unreadable_bootstrap_is_asked_once_per_run(world: World) -> None:
    world.http.route(rdap.IANA, "/rdap/dns.json", Reply.text("down", status=503))
    result = world.run("check", "acme.com", "-p", "domain", "-f", "json", "--no-discover")
    rows = _rows(result)
    assert len(rows) == 7
    assert all(r["status"] == "unknown" for r in rows.values())
    assert all("bootstrap could not be read (HTTP 503)" in r["reason"] for r in rows.values())
    assert len(world.http.requests_to(rdap.IANA)) == 1


def test_same_nameservers_as_the_brand_is_an_ownership_signal(world: World) -> None:
    rdap.bootstrap(world.http, {"io": "rdap.identitydigital.test"})
    ns = ("ada.ns.example-dns.test", "bob.ns.example-dns.test")
    world.dns.add("acme.com", ns=[f"{n}." for n in ns])
    rdap.registered(world.http, "acme.io", nameservers=ns)
    result = world.run(
        "check", "acme.com", "-p", "domain", "-H", "acme.io", "-f", "json", "--no-discover"
    )
    own = _rows(result)["acme.io"]["ownership"]
    assert own["status"] == "linked"
    assert "same nameservers as acme.com" in own["reason"]
    assert "shared hosting" in own["reason"]


def test_the_brand_site_linking_a_domain_is_an_ownership_signal(world: World) -> None:
    rdap.bootstrap(world.http, {"io": "rdap.identitydigital.test", "com": "rdap.verisign.test"})
    rdap.registered(world.http, "acme.io")
    rdap.registered(world.http, "acme.com")
    world.http.route(
        "acme.com",
        "/",
        Reply.html(
            '<a href="https://acme.io/">EU shop</a><a href="https://acme.io/login">x</a>'
            '<a href="https://acme.com/">home</a><a href="https://other.example/">o</a>'
        ),
    )
    world.http.route("acme.io", "/", Reply.redirect("https://acme.com/"))
    result = world.run("check", "acme.com", "-p", "domain", "-f", "json")
    brand = result.json()["brands"][0]
    own = _rows(result)["acme.io"]["ownership"]
    assert own["status"] == "verified"
    assert "two-way: acme.com links to it" in own["reason"]
    assert "redirects to acme.com" in own["reason"]
    declared = {(d["platform"], d["handle"]) for d in brand["declared_profiles"]}
    assert declared == {("domain", "acme.io")}


def test_only_planned_names_home_pages_are_domain_links() -> None:
    from brandaudit.platforms.builtin.domain import DomainAdapter

    adapter = DomainAdapter()
    adapter.handles_for("acme.com", "acme")
    assert adapter.handle_from_url("https://acme.io/") == "acme.io"
    assert adapter.handle_from_url("https://www.acme.io") == "acme.io"
    assert adapter.handle_from_url("https://acme.io/login") is None  # a page, not the site
    assert adapter.handle_from_url("https://acme.com/") is None  # the brand itself
    assert adapter.handle_from_url("https://other.example/") is None  # not checked
    assert adapter.normalise_handle("Acme.IO.") == "acme.io"
    assert adapter.normalise_handle("acme") == "acme.com"


def test_an_idn_brand_name_is_asked_in_punycode() -> None:
    from brandaudit.platforms.builtin.domain import DomainAdapter

    adapter = DomainAdapter()
    names = adapter.handles_for("xn--bcher-kva.de", "bücher")
    assert names[:2] == ["xn--bcher-kva.de", "xn--bcher-kva.com"]
    assert all(adapter.handle_problem(n) is None for n in names)
