"""Hostile input: every domain and handle is either normalised correctly or refused with
``InputError`` (never another exception), and no URL built from a handle can leave the
template's scheme, host and path prefix."""

from __future__ import annotations

import asyncio
import string
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from brandaudit.config import Settings, load_file
from brandaudit.errors import ConfigError, InputError
from brandaudit.handles import (
    MAX_DOMAIN_LENGTH,
    clean_handle,
    derive_handle,
    domain_syntax_problem,
    normalise_domain,
)
from brandaudit.model import Status
from brandaudit.net.client import Response
from brandaudit.platforms.base import Adapter, CheckContext, q
from brandaudit.platforms.registry import load

# Every character class the brief names: ASCII, IDN scripts and homoglyphs, zero-width and
# bidi controls, NUL and C0/C1 controls, URL delimiters, percent-escapes, lone surrogates
# (what Python makes of argv bytes that are not UTF-8), fullwidth dots and '@'.
_NASTY = [
    ".",
    "..",
    "../",
    "/",
    "?",
    "#",
    "@",
    "%2F",
    "%2e%2e",
    "%00",
    ":",
    "\\",
    " ",
    "\t",
    "\n",
    "\x00",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\u3002",
    "\uff0e",
    "\uff20",
    "\ud800",
    "\udcff",
    "а",  # Cyrillic a
    "е",  # Cyrillic e
    "ο",  # Greek omicron
    "ı",  # dotless i
    "ß",
    "ﬁ",
    "\u0301",  # combining acute
    "𝐚",  # mathematical bold a
    "①",
    "xn--",
    "-",
    "_",
    "http://",
    "https://",
    "[::1]",
    "127.0.0.1",
    "localhost",
]
ALL_CHARS = st.characters(codec=None, exclude_categories=())
fragments = st.one_of(
    st.sampled_from(_NASTY),
    st.text(string.ascii_letters + string.digits + "-", min_size=1, max_size=70),
    st.text(ALL_CHARS, min_size=1, max_size=8),
)
hostile_text = st.lists(fragments, max_size=12).map("".join)
domainish = st.builds(
    lambda parts, tld, sep: sep.join([*parts, tld]),
    st.lists(fragments, min_size=1, max_size=4),
    st.sampled_from(["com", "co.uk", "de", "xn--p1ai", "рф", "COM", "io", "zz", "1"]),
    st.sampled_from([".", "\u3002", "..", "/", "@", " "]),
)
huge = st.builds(
    lambda s, n: s * n, st.sampled_from(["a", "a.", "é", "\x00", "/"]), st.integers(1, 5000)
)

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PER_PLATFORM = settings(PROPERTY, max_examples=80)
"""Fewer examples per platform: the same handle strategy runs once per adapter."""


def _registry_adapters() -> list[Adapter]:
    return list(load(Settings()).adapters.values())


ADAPTERS = _registry_adapters()


def _assert_one_line(exc: Exception) -> None:
    message = str(exc)
    assert message, "an error must say what is wrong"
    assert "\n" not in message and len(message) < 400, message


# --- domains -------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(hostile_text, domainish, huge))
@example("not a domain")
@example("https://user@acme.com/")
@example("acme.com%2F..%2Fevil.com")
@example("xn--zz.com")
@example("co.uk")
@example("a" * 64 + ".com")
@example("аpple.com")
@example("acme\u3002com")
@example("acme.com\x00.evil.com")
def test_normalise_domain_normalises_or_refuses(raw: str) -> None:
    try:
        result = normalise_domain(raw)
    except InputError as exc:
        _assert_one_line(exc)
        return
    value = result.value
    assert value.isascii() and value == value.lower()
    assert domain_syntax_problem(value) is None
    assert len(value) <= MAX_DOMAIN_LENGTH
    # A normalised domain is a fixed point, and is a plain host for a URL.
    assert normalise_domain(value).value == value
    # (raw_host: ``.host`` decodes xn-- labels, and one that isn't punycode, valid handle
    # syntax that ``check`` takes as ``bluesky`` does, fails to decode: a failed request.)
    assert httpx.URL(f"https://{value}/").raw_host == value.encode("ascii")
    assert urlsplit(f"https://{value}/x").hostname == value
    # ...and yields a handle that passes the generic handle check unchanged.
    handle = derive_handle(value)
    assert clean_handle(handle) == handle


def test_spaces_are_named_not_misreported_as_too_few_parts() -> None:
    with pytest.raises(InputError, match="contains spaces"):
        normalise_domain("not a domain")


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ("co.uk", "public suffix"),
        ("xn--bcher-.com", "starts or ends with '-'"),
        ("acme.com\x00", "control characters"),
        ("acme\udcff.com", "not UTF-8"),
        ("a" * 64 + ".com", "the limit is 63"),
        ("acme.com%2Fx", "'%'"),
        ("x" * 5000, "too long"),
    ],
)
def test_domain_refusals_say_why(raw: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        normalise_domain(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("acme\u3002com", "acme.com"), ("ACME.ＣＯＭ", "acme.com"), ("аpple.com", "xn--pple-43d.com")],
)
def test_idn_and_homoglyphs_become_punycode(raw: str, value: str) -> None:
    result = normalise_domain(raw)
    assert result.value == value
    # A homoglyph domain is a different domain: it is converted (and said so), never folded
    # into the Latin look-alike.
    if not raw.isascii() and "\u3002" not in raw and "ＣＯＭ" not in raw:
        assert any("punycode" in c for c in result.changes)


# --- handles -------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(hostile_text, huge))
@example("..")
@example(".")
@example("@@acme")
@example("ac me")
@example("ac\u200bme")
@example("acme\u202e")
@example("%2F")
@example("a" * 101)
def test_clean_handle_cleans_or_refuses(raw: str) -> None:
    try:
        handle = clean_handle(raw)
    except InputError as exc:
        _assert_one_line(exc)
        return
    assert handle and len(handle) <= 100
    assert handle.strip(".")
    assert not any(c in handle for c in "/\\?#%: \t\r\n\x00")
    assert handle.isprintable()
    assert clean_handle(handle) == handle


# --- URL templating --------------------------------------------------------------------------


def _prefix(url_with_marker: str) -> tuple[str, str, str, str]:
    parts = urlsplit(url_with_marker)
    before, _, after = parts.path.partition("MARKER")
    return parts.scheme, parts.netloc, before, after


def _assert_stays_inside(
    url: str, scheme: str, netloc: str, path_prefix: str, path_suffix: str = ""
) -> None:
    parsed = urlsplit(url)
    assert (parsed.scheme, parsed.netloc) == (scheme, netloc), url
    assert parsed.path.startswith(path_prefix), url
    assert not parsed.fragment, url
    # httpx is what sends it: it must not normalise the path out of the prefix either.
    sent = httpx.URL(url)
    assert sent.scheme == scheme and sent.netloc.decode() == netloc, url
    assert sent.raw_path.decode().startswith(path_prefix), url
    rest = sent.raw_path.decode()[len(path_prefix) :].split("?", 1)[0]
    if path_suffix and rest.endswith(path_suffix):
        rest = rest[: -len(path_suffix)]
    assert rest and "/" not in rest, url


@PROPERTY
@given(st.one_of(hostile_text, huge))
@example("..")
@example(".")
@example("../admin")
@example("a/../../b")
@example("%2e%2e")
@example("?x=1#y")
@example("@evil.com")
def test_q_cannot_steer_a_path_or_query(raw: str) -> None:
    try:
        encoded = q(raw)
    except InputError:
        return
    assert set(encoded) <= set(string.ascii_letters + string.digits + "-._~%")
    assert encoded.strip(".") or not encoded, "a dot-segment would be resolved away"
    _assert_stays_inside(
        f"https://api.example.test/users/{encoded}", "https", "api.example.test", "/users/"
    )
    query = httpx.URL(f"https://api.example.test/lookup?acct={encoded}&x=1")
    assert query.params.get("x") == "1"
    assert query.params.get("acct") == unquote(encoded)


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.id)
@PER_PLATFORM
@given(raw=st.one_of(hostile_text, huge))
def test_profile_urls_stay_on_the_platform(adapter: Adapter, raw: str) -> None:
    try:
        handle = adapter.normalise_handle(clean_handle(raw))
    except InputError:
        return
    assume(handle)
    template = adapter.profile_url("MARKER")
    scheme, netloc, path_prefix, path_suffix = _prefix(template)
    try:
        url = adapter.profile_url(handle)
    except InputError:
        return
    if adapter.id == "domain" and adapter.handle_problem(handle) is None:
        # A domain's "profile" is its own site: the handle is the host, nothing else.
        assert (urlsplit(url).netloc, urlsplit(url).path) == (handle.lower(), "/"), url
        return
    if adapter.id == "domain":  # not a domain name: an encoded query value, never a host
        assert url.startswith("https://www.iana.org/whois?q="), url
        assert httpx.URL(url).params.get("q") == handle, url
        return
    _assert_stays_inside(url, scheme, netloc, path_prefix, path_suffix)


# --- config values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            '[brand]\ndomain = "acme.com"\nhandles = ["ok", "../admin"]\n',
            ":3: brand.handles: handle",
        ),
        ('[brand]\ndomains = ["acme.com", "not a domain"]\n', ":2: brand.domains: 'not a domain'"),
        ('[brand]\ndomain = "co.uk"\n', ":2: brand.domain: 'co.uk' is a public suffix"),
        ('[claims]\ngithub = "a/b"\n', ":2: claims.github: handle 'a/b' contains '/'"),
        ('[claims]\ngithub = ".."\n', ":2: claims.github: handle '..' is only dots"),
        ("[network]\ndeadline = nan\n", ":2: network.deadline: Input should be a finite number"),
        ("[network]\nconcurrency = inf\n", ":2: network.concurrency:"),
        ('[network]\nnameservers = ["dns.example"]\n', ":2: network.nameservers:"),
        ('[network]\norigin_map = { "https://a.test" = "file:///etc" }\n', "network.origin_map:"),
    ],
)
def test_config_values_are_validated_with_file_key_and_line(
    tmp_path: Path, text: str, needle: str
) -> None:
    path = tmp_path / "brandaudit.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_file(path)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    assert needle in message, message
    assert "\n" not in message and "Value error" not in message


# --- user-defined platforms ([platforms.<id>]) ------------------------------------------------


class _RecordingNet:
    """Stands in for NetClient: records the URL an adapter asks for, answers nothing."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    async def fetch(self, method: str, url: str, **kw: Any) -> Response:
        self.urls.append(url)
        return Response(method, url, None, error="recorded", error_kind="other")


CUSTOM_TEMPLATES = [
    "https://example.social/@{handle}",
    "https://example.social/api/v1/users/{handle}/profile",
    "http://example.social:8080/u/{handle}",
    "https://example.social/lookup?user={handle}&format=json",
]


def _custom(template: str) -> Adapter:
    from brandaudit.platforms.custom import build

    raw = {
        "name": "Example",
        "url": template,
        "handle_pattern": ".+",  # as loose as a user may write it
        "claimed": {"status": [200]},
        "available": {"status": [404]},
    }
    return build("examplesocial", raw, Settings())


@pytest.mark.parametrize("template", CUSTOM_TEMPLATES)
@PER_PLATFORM
@given(raw=st.one_of(hostile_text, huge))
@example(raw="..")
@example(raw="../../admin")
@example(raw="x&format=xml")
@example(raw="x#frag")
@example(raw="@evil.test")
def test_user_defined_platform_urls_keep_scheme_host_and_path(template: str, raw: str) -> None:
    adapter = _custom(template)
    try:
        handle = adapter.normalise_handle(clean_handle(raw))
    except InputError:
        return
    assume(handle and adapter.handle_problem(handle) is None)
    net = _RecordingNet()
    ctx = CheckContext(net=net, dns=None, settings=Settings(), platform=adapter.id)  # type: ignore[arg-type]
    verdict = asyncio.run(adapter.check(handle, ctx))
    assert verdict.status is Status.UNKNOWN
    assert len(net.urls) == 1
    for url in (net.urls[0], adapter.profile_url(handle)):
        scheme, netloc, prefix, suffix = _prefix(template.replace("{handle}", "MARKER"))
        if "?" in template:
            sent = httpx.URL(url)
            assert (sent.scheme, sent.netloc.decode()) == (scheme, netloc), url
            assert sent.path == urlsplit(template).path, url
            assert sent.params.get("user") == handle, url
            assert sent.params.get("format") == "json", url
            assert not sent.fragment, url
        else:
            _assert_stays_inside(url, scheme, netloc, prefix, suffix)
