"""Reading large-run input: plain lines, CSV, comments, shards, bad lines, resume files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandaudit.batch import (
    BatchStats,
    InputEntry,
    JsonlSink,
    Shard,
    plan_entries,
    read_done,
    read_entries,
)
from brandaudit.config import Settings
from brandaudit.errors import InputError
from brandaudit.model import Brand, HandleSource


def entries_from_text(text: str, label: str = "<text>") -> list[InputEntry]:
    """All entries of an input given as a string."""
    return list(read_entries(io.StringIO(text), label))


def _plan(entries: list[InputEntry], **kwargs: object) -> tuple[list[str], list[str], BatchStats]:
    warnings: list[str] = []
    stats = BatchStats()
    requests = list(
        plan_entries(entries, Settings(), (), warn=warnings.append, stats=stats, **kwargs)  # type: ignore[arg-type]
    )
    return [r.domain for r in requests], warnings, stats


def test_plain_lines_skip_blanks_and_comments_and_keep_line_numbers() -> None:
    text = "\ufeff# brands\nacme.com\n\n  Example.ORG  # trailing comment\n#x.com\nhttps://shop.example.net/path\n"
    entries = entries_from_text(text, "in.txt")
    assert [(e.ordinal, e.where, e.domain) for e in entries] == [
        (0, "in.txt:2", "acme.com"),
        (1, "in.txt:4", "Example.ORG"),
        (2, "in.txt:6", "https://shop.example.net/path"),
    ]
    domains, warnings, _ = _plan(entries)
    assert domains == ["acme.com", "example.org", "shop.example.net"]
    assert warnings == []


def test_csv_with_domain_name_and_handles_columns() -> None:
    text = 'name,domain,handles\n"Acme, Inc.",acme.com,acmehq; acme_official\n,example.org,\n'
    entries = entries_from_text(text, "b.csv")
    assert entries[0] == InputEntry(
        0, "b.csv:2", "acme.com", "Acme, Inc.", ("acmehq", "acme_official")
    )
    assert entries[1] == InputEntry(1, "b.csv:3", "example.org", None, ())
    warnings: list[str] = []
    requests = list(
        plan_entries(entries, Settings(), ("cli",), warn=warnings.append, stats=BatchStats())
    )
    assert requests[0].name == "Acme, Inc."
    assert requests[0].handles == (
        ("acmehq", HandleSource.CLI),
        ("acme_official", HandleSource.CLI),
    )
    # A row without handles falls back to --handle.
    assert requests[1].handles == (("cli", HandleSource.CLI),)


def test_a_comma_without_a_domain_column_is_not_csv() -> None:
    entries = entries_from_text("acme.com,example.org\n")
    assert [e.domain for e in entries] == ["acme.com,example.org"]
    domains, warnings, stats = _plan(entries)
    assert domains == [] and stats.skipped_invalid == 1
    assert warnings[0].startswith("<text>:1: ")


def test_bad_lines_are_warnings_naming_the_line_and_the_run_goes_on() -> None:
    entries = entries_from_text("acme.com\nnot a domain\nexample.org\nlocalhost\n", "list.txt")
    domains, warnings, stats = _plan(entries)
    assert domains == ["acme.com", "example.org"]
    assert stats.skipped_invalid == 2
    assert warnings[0].startswith("list.txt:2: ") and warnings[0].endswith("; skipped")
    assert warnings[1].startswith("list.txt:4: ")


def test_bad_handle_in_csv_is_a_warning() -> None:
    entries = entries_from_text("domain,handles\nacme.com,a/b\nexample.org,ok\n", "h.csv")
    domains, warnings, _ = _plan(entries)
    assert domains == ["example.org"]
    assert warnings[0].startswith("h.csv:2: handle 'a/b'")


def test_repeated_and_already_done_domains_are_skipped() -> None:
    entries = entries_from_text("acme.com\nACME.com\nexample.org\nfoo.net\n")
    domains, _, stats = _plan(entries, done={"foo.net"})
    assert domains == ["acme.com", "example.org"]
    assert stats.skipped_done == 2


def test_reading_is_lazy() -> None:
    class Exploding(io.StringIO):
        def __iter__(self):  # type: ignore[override]
            yield "acme.com\n"
            raise AssertionError("read past what was asked for")

    from brandaudit.batch import read_entries

    entries = read_entries(Exploding(), "x")
    assert next(entries).domain == "acme.com"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3/3", "K must be below N"),
        ("4/3", "K must be below N"),
        ("0/0", "N must be at least 1"),
        ("1", "expected K/N"),
        ("-1/3", "expected K/N"),
        ("a/b", "expected K/N"),
    ],
)
def test_bad_shards_are_usage_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Shard.parse(text)


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=60))
def test_shards_partition_the_entries(count: int, size: int) -> None:
    shards = [Shard.parse(f"{k}/{count}") for k in range(count)]
    for ordinal in range(size):
        assert sum(s.keeps(ordinal) for s in shards) == 1


def test_shard_counts_entries_valid_or_not() -> None:
    entries = entries_from_text("a.com\nbad\nc.com\nd.com\n# note\ne.com\n")
    zero, _, _ = _plan(entries, shard=Shard(0, 2))
    one, warnings, _ = _plan(entries, shard=Shard(1, 2))
    assert zero == ["a.com", "c.com", "e.com"]
    assert one == ["d.com"] and len(warnings) == 1


def _brand_line(domain: str) -> bytes:
    return Brand(domain=domain).model_dump_json().encode() + b"\n"


def test_resume_reads_done_domains_and_finds_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    torn = _brand_line("c.com")[:25]
    path.write_bytes(_brand_line("a.com") + b"garbage\n" + _brand_line("b.com") + torn)
    warnings: list[str] = []
    done, cut_at = read_done(path, warnings.append)
    assert done == {"a.com", "b.com"}
    assert cut_at == len(path.read_bytes()) - len(torn)
    assert any("1 line(s) are not brand results" in w for w in warnings)
    assert any("last line is incomplete" in w for w in warnings)


def test_resume_of_a_complete_or_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert read_done(path, print) == (set(), None)
    path.write_bytes(_brand_line("a.com"))
    assert read_done(path, print) == ({"a.com"}, None)


def test_sink_appends_after_cutting_the_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(_brand_line("a.com") + b'{"domain": "b.c')
    done, cut_at = read_done(path, lambda _m: None)
    with JsonlSink(path, append=True, cut_at=cut_at) as sink:
        sink.write(Brand(domain="b.com"))
    assert path.read_bytes() == _brand_line("a.com") + _brand_line("b.com")
    assert done == {"a.com"}


def test_sink_without_append_starts_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text("old\n")
    with JsonlSink(path) as sink:
        sink.write(Brand(domain="a.com"))
    assert path.read_bytes() == _brand_line("a.com")
    assert sink.count == 1


def test_a_one_column_csv_is_csv() -> None:
    entries = entries_from_text("Domain\nacme.com\n", "one.csv")
    assert [(e.where, e.domain) for e in entries] == [("one.csv:2", "acme.com")]
