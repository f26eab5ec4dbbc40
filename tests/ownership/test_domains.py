"""The domain matcher: exact hosts after normalisation; look-alikes never count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandaudit.hosts import (
    host_matches,
    host_of_url,
    links_in_text,
    normalise_host,
    url_points_to,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.com",
        "https://acme.com/",
        "http://acme.com/about?x=1#team",
        "https://www.acme.com/",
        "https://WWW.ACME.COM/",
        "https://shop.acme.com/products",
        "https://eu.shop.acme.com",
        "https://acme.com.:443/",
        "acme.com",
        "www.acme.com/contact",
        "//acme.com/",
    ],
)
def test_the_domain_and_its_subdomains_count(url: str) -> None:
    assert url_points_to(url, "acme.com")


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.co/",
        "https://acme.com.evil.net/",
        "https://evilacme.com/",
        "https://acme.com@evil.net/",
        "https://acme-com.net/",
        "https://acmecom.net/",
        "https://acme.com-evil.net/",
        "https://evil.net/acme.com",
        "https://evil.net/?u=https://acme.com",
        "https://evil.net\\@acme.com/",
        "https://user:pass@acme.com/",  # credentials: never trusted
        "https://wwwacme.com/",
        "https://аcme.com/",  # Cyrillic 'а'
        "https://acme.corn/",
        "javascript:alert('acme.com')",
        "mailto:hello@acme.com",
        "ftp://acme.com/",
        "https://",
        "",
        "https://acme.com:99999/",
        "https://[::1]/",
        "https://127.0.0.1/",
    ],
)
def test_look_alikes_never_count(url: str) -> None:
    assert not url_points_to(url, "acme.com")


def test_a_subdomain_brand_does_not_match_its_parent() -> None:
    assert url_points_to("https://shop.acme.com/", "shop.acme.com")
    assert not url_points_to("https://acme.com/", "shop.acme.com")
    assert not url_points_to("https://blog.acme.com/", "shop.acme.com")


def test_www_on_the_brand_domain_is_stripped_too() -> None:
    assert host_matches("acme.com", "www.acme.com")
    assert host_matches("shop.acme.com", "www.acme.com")


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://bücher.de/", "bücher.de"),
        ("https://bücher.de/", "xn--bcher-kva.de"),
        ("https://xn--bcher-kva.de/", "bücher.de"),
        ("https://www.BÜCHER.de/", "xn--bcher-kva.de"),
        ("https://shop.bücher.de/", "bücher.de"),
    ],
)
def test_internationalised_names_match_in_any_spelling(url: str, domain: str) -> None:
    assert url_points_to(url, domain)


def test_an_idn_look_alike_does_not_match() -> None:
    assert not url_points_to("https://bucher.de/", "bücher.de")
    assert not url_points_to("https://bücher.de/", "bucher.de")


def test_normalise_host() -> None:
    assert normalise_host("WWW.Acme.COM.") == "acme.com"
    assert normalise_host("www.com") == "www.com"  # 'www' is stripped only as a prefix label
    assert normalise_host("bad_host.com") is None
    assert normalise_host("localhost") is None
    assert normalise_host("-acme.com") is None


def test_host_of_url_refuses_credentials_and_other_schemes() -> None:
    assert host_of_url("https://acme.com/x") == "acme.com"
    assert host_of_url("https://a@acme.com/") is None
    assert host_of_url("data:text/html,acme.com") is None


def test_links_in_text_finds_urls_and_bare_hosts_but_not_emails() -> None:
    text = (
        "We make things. Visit https://acme.com/blog, or shop.acme.com! "
        "Mail hello@acme.com. Not acme.com@evil.net either. (see www.acme.com)"
    )
    found = links_in_text(text)
    assert "https://acme.com/blog" in found
    assert "shop.acme.com" in found
    assert "www.acme.com" in found
    assert not any("hello" in f or "evil" in f for f in found)
    assert all(url_points_to(f, "acme.com") for f in found)


def test_links_in_text_is_bounded() -> None:
    text = " ".join(f"site{i}.com" for i in range(500))
    assert len(links_in_text(text, limit=10)) == 10


@given(st.text(max_size=200))
def test_the_matcher_never_raises(text: str) -> None:
    url_points_to(text, "acme.com")
    links_in_text(text)


@given(st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,10}){1,3}", fullmatch=True))
def test_only_the_domain_or_subdomains_match(host: str) -> None:
    expected = host == "acme.com" or host.endswith(".acme.com") or host == "www.acme.com"
    normalised = normalise_host(host)
    if normalised is None:
        assert not url_points_to(f"https://{host}/", "acme.com")
    else:
        assert url_points_to(f"https://{host}/", "acme.com") is expected
