from __future__ import annotations

from pathlib import Path

import pytest

from brandaudit.errors import InputError
from brandaudit.handles import clean_handle, derive_handle, normalise_domain, registrable_domain


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("acme.com", "acme.com"),
        ("ACME.com", "acme.com"),
        ("@acme.com", "acme.com"),
        ("https://www.Acme.com/about?x=1#top", "www.acme.com"),
        ("acme.com.", "acme.com"),
        ("  acme.com ", "acme.com"),
        ("bücher.de", "xn--bcher-kva.de"),
        ("acme.com:443", "acme.com"),
    ],
)
def test_normalise_domain(raw: str, expected: str) -> None:
    assert normalise_domain(raw).value == expected


def test_normalise_domain_says_what_changed() -> None:
    result = normalise_domain("https://ACME.com/")
    assert any("scheme" in c for c in result.changes)
    assert any("lowercased" in c for c in result.changes)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "acme",
        "acme..com",
        "-acme.com",
        "acme.123",
        "a" * 64 + ".com",
        "ac_me.com",
        "user@acme.com",
        "acme\x00.com",
    ],
)
def test_bad_domains_are_refused(raw: str) -> None:
    with pytest.raises(InputError):
        normalise_domain(raw)


@pytest.mark.parametrize(
    ("domain", "handle"),
    [
        ("acme.com", "acme"),
        ("acme.co.uk", "acme"),
        ("team.acme.co.uk", "acme"),
        ("www.acme.com", "acme"),
        ("xn--bcher-kva.de", "bücher"),
    ],
)
def test_derive_handle(domain: str, handle: str) -> None:
    assert derive_handle(domain) == handle


def test_registrable_domain() -> None:
    assert registrable_domain("team.acme.co.uk") == "acme.co.uk"
    assert registrable_domain("acme.com") == "acme.com"


@pytest.mark.parametrize("raw", ["ac/me", "a?b", "a#b", "a%2Fb", "a b", "", "  ", "a:b", "x" * 101])
def test_clean_handle_refuses_url_steering(raw: str) -> None:
    with pytest.raises(InputError):
        clean_handle(raw)


def test_clean_handle_strips_at() -> None:
    assert clean_handle(" @acme ") == "acme"


def test_public_suffix_table_is_cached_rebuilt_and_never_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandaudit import handles

    handles.use_cache_folder(tmp_path / "cache")

    def fresh() -> object:
        handles._psl.cache_clear()
        return handles._psl()

    try:
        first = fresh()  # parsed, then stored
        tables = list((tmp_path / "cache" / "psl").glob("*.bin"))
        assert len(tables) == 1
        second = fresh()  # read back from the table
        assert second is not first
        for psl in (first, second):
            assert psl.is_public("co.uk") and psl.is_public("github.io")  # type: ignore[attr-defined]
            assert psl.privatesuffix("team.acme.co.uk") == "acme.co.uk"  # type: ignore[attr-defined]
        tables[0].write_bytes(b"\x00garbage")  # unreadable: parsed again and rewritten
        assert fresh().is_public("co.uk")  # type: ignore[attr-defined]
        assert tables[0].read_bytes() != b"\x00garbage"
        (tmp_path / "file").write_text("not a folder")  # unusable cache folder: still works
        handles.use_cache_folder(tmp_path / "file" / "sub")
        assert fresh().privatesuffix("a.b.example.com") == "example.com"  # type: ignore[attr-defined]
    finally:
        handles.use_cache_folder(None)
        handles._psl.cache_clear()


@pytest.mark.parametrize("domain", ["xn--ls8h.ws", "xn--stackoverflow.com", "xn--3jk.com"])
def test_check_accepts_the_internationalised_domains_bluesky_accepts(domain: str) -> None:
    # Emoji domains (💩.ws = xn--ls8h.ws) are registered; IDNA 2008 refuses to decode them,
    # yet they are valid handle syntax (atproto-interop-tests handle_syntax_valid.txt), so
    # `check` must take what `bluesky` takes.
    from brandaudit.bluesky.verify import judge_syntax

    assert normalise_domain(domain).value == domain
    assert judge_syntax(domain)[2]


def _interop(name: str) -> list[str]:
    path = Path(__file__).parents[1] / "bluesky" / "interop" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize(
    "name",
    [
        *_interop("handle_syntax_valid.txt"),
        *_interop("handle_syntax_invalid.txt"),
        "xn--zz.ws",  # not punycode, yet valid handle syntax (no vector decodes its labels)
        "acme.xn--zz",
        "xn--0.com",
        "xn--99999999.com",
    ],
)
def test_check_refuses_no_name_bluesky_accepts(name: str) -> None:
    """One validator (issue 24): whatever ``bluesky`` takes as handle syntax, ``check`` takes
    as a brand's domain (a public suffix aside: no brand registers ``co.uk``)."""
    from brandaudit.bluesky.syntax import handle_problem, normalise_handle

    handle = normalise_handle(name)
    if handle.problem or handle_problem(handle.value):
        return
    from brandaudit.handles import public_suffix

    if public_suffix(name.lower()) == name.lower():
        return  # no brand registers a public suffix
    assert normalise_domain(name).value == handle.value
