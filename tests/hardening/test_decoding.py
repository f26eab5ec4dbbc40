"""Bodies are decompressed by brandaudit itself, bounded by the size cap (in-process)."""

from __future__ import annotations

import gzip
import zlib

import pytest

from tests.hardening.helpers import ENGINES, fetch
from tests.world.http import HttpWorld, Reply

BODY = b'{"login": "acme", "type": "Organization"}'


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("encoding", "payload"),
    [
        ("gzip", gzip.compress(BODY, mtime=0)),  # mtime=0: the same id in every xdist worker
        ("x-gzip", gzip.compress(BODY, mtime=0)),
        ("deflate", zlib.compress(BODY)),
        ("deflate", _raw_deflate(BODY)),
        ("identity", BODY),
        ("", BODY),
    ],
)
def test_encoded_bodies_are_decoded(
    http_world: HttpWorld, encoding: str, payload: bytes, engine: str
) -> None:
    http_world.reset()
    headers = {"Content-Type": "application/json"}
    if encoding:
        headers["Content-Encoding"] = encoding
    http_world.route("a.test", "/", Reply(body=payload, headers=headers))
    response = fetch(
        "https://a.test/", origin_map={"https://a.test": http_world.origin}, engine=engine
    )
    assert response.error is None, response.error
    assert response.body == BODY and not response.truncated
    assert response.json() == {"login": "acme", "type": "Organization"}
    sent = http_world.requests[0].headers["accept-encoding"]
    assert sent == "gzip, deflate"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_gzip_bomb_stops_at_the_cap(http_world: HttpWorld, engine: str) -> None:
    http_world.reset()
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    http_world.route("a.test", "/", Reply(body=bomb, headers=headers))
    response = fetch(
        "https://a.test/",
        origin_map={"https://a.test": http_world.origin},
        max_bytes=65536,
        engine=engine,
    )
    assert response.truncated
    assert len(response.body) == 65536
    assert response.json() is None


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_encodings_we_did_not_ask_for_are_refused(http_world: HttpWorld, encoding: str) -> None:
    http_world.reset()
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    http_world.route("a.test", "/", Reply(body=b"\x28\xb5\x2f\xfd junk", headers=headers))
    response = fetch("https://a.test/", origin_map={"https://a.test": http_world.origin})
    assert response.error_kind == "protocol"
    assert "unsupported Content-Encoding" in (response.error or "")


def test_html_is_never_read_as_json(http_world: HttpWorld) -> None:
    http_world.reset()
    http_world.route("a.test", "/", Reply.html('{"message": "Not Found"}', status=404))
    response = fetch("https://a.test/", origin_map={"https://a.test": http_world.origin})
    assert response.status == 404
    assert response.json() is None
