from __future__ import annotations

import httpx
import pytest

from brandaudit.origin_map import OriginMap, parse_origin_map_env


def test_exact_origin_beats_wildcard() -> None:
    m = OriginMap.from_mapping(
        {
            "https://*": "http://127.0.0.1:9000",
            "https://api.github.com": "http://127.0.0.1:9001",
        }
    )
    assert str(m.rewrite(httpx.URL("https://api.github.com/users/x"))) == (
        "http://127.0.0.1:9001/users/x"
    )
    assert str(m.rewrite(httpx.URL("https://bsky.app/a?b=1"))) == "http://127.0.0.1:9000/a?b=1"


def test_scheme_and_port_must_match() -> None:
    m = OriginMap.from_mapping({"https://example.com": "http://127.0.0.1:1"})
    assert m.rewrite(httpx.URL("http://example.com/")) is None
    assert m.rewrite(httpx.URL("https://example.com:8443/")) is None
    assert m.rewrite(httpx.URL("https://example.com:443/")) is not None
    assert m.rewrite(httpx.URL("https://EXAMPLE.com/")) is not None


def test_an_ipv6_target_keeps_its_brackets() -> None:
    m = OriginMap.from_mapping({"https://*": "http://[::1]:9000"})
    assert str(m.rewrite(httpx.URL("https://a.example/x"))) == "http://[::1]:9000/x"


@pytest.mark.parametrize(
    "value",
    [
        "https://a.example",  # no '='
        "https://a.example=ftp://x",  # bad scheme
        "a.example=http://127.0.0.1",  # no scheme
        "https://a.example=http://*",  # wildcard target
        "https://a.example/path=http://127.0.0.1",  # path in FROM
        "https://a.example=http://127.0.0.1:99999",  # port out of range
    ],
)
def test_bad_env_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="BRANDAUDIT_ORIGIN_MAP"):
        parse_origin_map_env(value)


def test_env_parsing_accepts_several_pairs() -> None:
    mapping = parse_origin_map_env(" https://*=http://127.0.0.1:1 , http://*=http://127.0.0.1:2,")
    assert mapping == {"https://*": "http://127.0.0.1:1", "http://*": "http://127.0.0.1:2"}
