from __future__ import annotations

import io

from rich.console import Console

from brandaudit.progress import Progress, progress_enabled


def test_progress_counts_past_the_planned_total_and_never_reads_markup() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    with Progress(console, 1, enabled=True) as bar:
        bar.update("acme.com: github acme [bold]claimed")
        bar.update("acme.com: github acme-declared [/] claimed")  # a declared profile
        assert (bar.done, bar.total) == (2, 2)


def test_progress_is_off_in_ci(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setenv("CI", "true")
    assert not progress_enabled(stream_isatty=True)
    monkeypatch.delenv("CI")
    assert progress_enabled(stream_isatty=True)
    assert not progress_enabled(stream_isatty=False)
