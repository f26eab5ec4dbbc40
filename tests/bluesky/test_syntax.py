"""Pure rules: handle syntax, DID syntax, TXT values and well-known bodies (no network)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandaudit.bluesky.syntax import (
    RESOLVING_BODIES,
    BodyKind,
    TxtKind,
    bluesky_first_line,
    classify_txt,
    did_problem,
    find_did,
    handle_problem,
    handle_warning,
    normalise_handle,
    read_txt,
    read_well_known_body,
)

DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
OTHER = "did:plc:z72i7hdynmk6r22z27h6tvur"


@pytest.mark.parametrize(
    ("raw", "value", "change"),
    [
        ("acme.com", "acme.com", None),
        ("ACME.com", "acme.com", "lowercased"),
        ("@acme.com", "acme.com", "'@'"),
        ("https://acme.com/about", "acme.com", "path"),
        ("acme.com.", "acme.com", "trailing dot"),
        (" acme.com ", "acme.com", "whitespace"),
        ("bücher.de", "xn--bcher-kva.de", "punycode"),
    ],
)
def test_normalise_handle_names_each_change(raw: str, value: str, change: str | None) -> None:
    result = normalise_handle(raw)
    assert result.value == value
    assert result.problem is None
    if change is None:
        assert result.changes == ()
    else:
        assert any(change in c for c in result.changes)


@pytest.mark.parametrize(
    ("handle", "needle"),
    [
        ("my_brand.com", "'my_brand' contains '_'"),
        ("acme.123", "must start with a letter"),
        ("localhost", "at least two parts"),
        ("acme..com", "empty part"),
        ("-acme.com", "starts or ends with '-'"),
        ("acme.local", "'.local'"),
        ("acme.onion", "'.onion'"),
        ("acme.arpa", "'.arpa'"),
        ("handle.invalid", "marker"),
        ("a" * 64 + ".com", "limit is 63"),
        (".".join(["a" * 60] * 5), "limit is 253"),
        ("", "empty"),
    ],
)
def test_handle_problems_name_the_rule(handle: str, needle: str) -> None:
    problem = handle_problem(handle)
    assert problem is not None and needle in problem


@pytest.mark.parametrize("handle", ["acme.com", "team.acme.co.uk", "xn--bcher-kva.de", "a.bc"])
def test_valid_handles(handle: str) -> None:
    assert handle_problem(handle) is None
    assert handle_warning(handle) is None


def test_warnings_for_dev_tld_and_dns_length() -> None:
    dev = handle_warning("acme.test") or ""
    assert "development" in dev
    # Bluesky doesn't refuse '.test': it just never resolves on the public internet
    assert "refuse" not in dev and "never" not in dev.replace("no public resolver", "")
    assert "no public resolver" in dev
    long = ".".join(["a" * 61] * 4)  # 247 characters
    assert handle_problem(long) is None
    assert "only the website file" in (handle_warning(long) or "")


@pytest.mark.parametrize(
    ("did", "needle"),
    [
        (DID, None),
        ("did:web:acme.com", None),
        ("did:key:zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribSF", "not supported"),
        ("did:plc:short", "not a did:plc identifier"),
        ("did:plc:EWVI7NXZYOUN6ZHXRHS64OIZ", "not a did:plc identifier"),
        ("did:did:plc:ewvi7nxzyoun6zhxrhs64oiz", "doubled"),
        ("plc:ewvi7nxzyoun6zhxrhs64oiz", "does not start with 'did:'"),
        ("did:PLC:ewvi7nxzyoun6zhxrhs64oiz", "not DID syntax"),
        ("did:plc:ewvi7nxzyoun6zhxrhs64oiz ", "contains ' '"),
        ("did:plc:", "ends with"),
        ("did:web:acme.com:user:alice", "port or a path"),
        ("did:web:localhost%3A8080", "port or a path"),
        ("did:web:acme.local", "not a public host name"),
        ("did:plc:" + "a" * 2050, "limit is 2048"),
        ("", "empty"),
    ],
)
def test_did_problem(did: str, needle: str | None) -> None:
    problem = did_problem(did)
    if needle is None:
        assert problem is None
    else:
        assert problem is not None and needle in problem


@pytest.mark.parametrize(
    ("value", "kind", "did"),
    [
        (f"did={DID}", TxtKind.VALID, DID),
        (DID, TxtKind.BARE_DID, DID),
        (f"did= {DID}", TxtKind.SPACES, DID),
        (f"did ={DID}", TxtKind.SPACES, DID),
        (f" did={DID}", TxtKind.SPACES, DID),
        (f'"did={DID}"', TxtKind.QUOTED, DID),
        (f"'did={DID}'", TxtKind.QUOTED, DID),
        (f'did={DID}"', TxtKind.QUOTED, DID),
        (f"DID={DID}", TxtKind.UPPERCASE, DID),
        (f"Did={DID}", TxtKind.UPPERCASE, DID),
        (f"did=did={DID}", TxtKind.DOUBLE_PREFIX, DID),
        (f"did=did:{DID}", TxtKind.DOUBLE_METHOD, DID),
        (f"did={DID};handle=acme.com", TxtKind.EXTRA_PAIRS, DID),
        (f"did={DID} v=1", TxtKind.EXTRA_PAIRS, DID),
        (f"did={DID},foo=bar", TxtKind.EXTRA_PAIRS, DID),
        ("did=did:plc:short", TxtKind.INVALID_DID, "did:plc:short"),
        ("did=plc:ewvi7nxzyoun6zhxrhs64oiz", TxtKind.INVALID_DID, None),
        (f"\ufeffdid={DID}", TxtKind.INVISIBLE, DID),
        ("v=spf1 -all", TxtKind.OTHER, None),
        ("google-site-verification=abc", TxtKind.OTHER, None),
    ],
)
def test_classify_txt(value: str, kind: TxtKind, did: str | None) -> None:
    result = classify_txt(value)
    assert result.kind is kind, result
    assert result.did == did
    if kind not in {TxtKind.VALID, TxtKind.OTHER}:
        assert result.detail


def test_read_txt_needs_exactly_one_did_record() -> None:
    assert read_txt([f"did={DID}"]).did == DID
    assert read_txt([f"did={DID}", "v=spf1 -all"]).did == DID  # other values are ignored
    two = read_txt([f"did={DID}", f"did={OTHER}"])
    assert two.did is None
    assert len(two.did_records) == 2
    assert two.candidates == (DID, OTHER)
    near = read_txt([f'"did={DID}"'])
    assert near.did is None
    assert near.did_records == ()  # a quoted value doesn't start with did=
    assert [v.kind for v in near.near_misses] == [TxtKind.QUOTED]
    assert read_txt([f"did= {DID}"]).did_records[0].kind is TxtKind.SPACES


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (DID.encode(), BodyKind.VALID),
        (f"{DID}\n".encode(), BodyKind.PADDED),
        (f"  {DID}\r\n".encode(), BodyKind.PADDED),
        (f"{DID}\n\n  \n".encode(), BodyKind.PADDED),
        (b"", BodyKind.EMPTY),
        (b" \n", BodyKind.EMPTY),
        # @atproto/identity: fetch's text() drops the BOM; indigo doesn't (a warning)
        (b"\xef\xbb\xbf" + DID.encode(), BodyKind.BOM),
        # the first line is the DID; the rest is never read (indigo refuses it: a warning)
        (f"{DID}\n{OTHER}".encode(), BodyKind.LINES),
        (f"{DID}\nsee https://acme.com".encode(), BodyKind.LINES),
        # Bluesky reads only the first line: a blank one gives nothing
        (f"\n{DID}".encode(), BodyKind.BLANK_FIRST_LINE),
        (f"\r\n{DID}\n".encode(), BodyKind.BLANK_FIRST_LINE),
        (f"did={DID}".encode(), BodyKind.PREFIXED),
        (f'{{"did": "{DID}"}}'.encode(), BodyKind.JSON),
        (b"did:plc:short", BodyKind.INVALID_DID),
        (f"{DID} {OTHER}".encode(), BodyKind.INVALID_DID),
        (f"{DID}\x00".encode(), BodyKind.INVALID_DID),
        (f"DID:{DID[4:]}".encode(), BodyKind.INVALID_DID),
        (b"\xff\xfe\x00", BodyKind.NOT_A_DID),
        (b"<!doctype html><title>Just a moment...</title>", BodyKind.NOT_A_DID),
    ],
)
def test_read_well_known_body(body: bytes, kind: BodyKind) -> None:
    reading = read_well_known_body(body)
    assert reading.kind is kind
    assert reading.resolves == (kind in RESOLVING_BODIES)
    if reading.resolves:
        assert reading.did == DID
        assert bluesky_first_line(body) == DID


def test_resolving_bodies_are_exactly_the_ones_bluesky_reads() -> None:
    assert {BodyKind.VALID, BodyKind.PADDED, BodyKind.BOM, BodyKind.LINES} == RESOLVING_BODIES


def test_the_first_line_is_trimmed_as_javascript_trims() -> None:
    # String.prototype.trim removes U+FEFF and no-break spaces, as fetch + trim() would
    assert bluesky_first_line(f"\u00a0{DID}\ufeff\r\nmore".encode()) == DID
    assert bluesky_first_line(b"") == ""


def test_did_problem_refuses_a_trailing_newline() -> None:
    # '$' in a Python pattern matches before a final newline; the DID must end there
    assert did_problem(DID) is None
    assert did_problem(DID + "\n") is not None
    assert did_problem("did:web:acme.com\n") is not None
    assert did_problem(DID[:-1] + "\n") is not None


def test_find_did_strips_a_doubled_prefix() -> None:
    assert find_did(f"did=did:{DID}") == DID
    assert find_did("nothing here") is None


@given(st.text(max_size=120))
def test_classify_txt_never_raises_and_valid_means_valid(value: str) -> None:
    result = classify_txt(value)
    if result.kind is TxtKind.VALID:
        assert value == f"did={result.did}"
        assert result.did is not None and did_problem(result.did) is None


@given(st.binary(max_size=200))
def test_read_well_known_body_never_raises(body: bytes) -> None:
    reading = read_well_known_body(body)
    if reading.resolves:
        assert reading.did is not None and did_problem(reading.did) is None


@given(st.text(max_size=80))
def test_normalise_then_check_never_raises(raw: str) -> None:
    result = normalise_handle(raw)
    if result.problem is None:
        handle_problem(result.value)
        handle_warning(result.value)
