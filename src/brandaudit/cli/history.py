"""``brandaudit history``, ``diff`` and ``import``: the saved audits (``brandaudit.history``)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from brandaudit.cli.common import guarded, terminal_width
from brandaudit.cli.options import OUTPUT
from brandaudit.errors import InputError

if TYPE_CHECKING:
    from brandaudit.history.store import RunSummary, Store
    from brandaudit.model import Change

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="History store (default: history.sqlite3 in the user data dir).",
        envvar="BRANDAUDIT_DB",
        show_default=False,
        dir_okay=False,
    ),
]


class HistoryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class DiffFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


def _domain(raw: str) -> str:
    from brandaudit.handles import normalise_domain

    return normalise_domain(raw).value


def _open(db: Path | None) -> Store:
    from brandaudit.history.store import Store, resolve_path

    return Store(resolve_path(db))


def _write(text: str, *, json: bool = False) -> None:
    from brandaudit.sinks import write_stdout

    write_stdout(text, json=json)


def history_cmd(
    domain: Annotated[
        str | None,
        typer.Argument(
            help="Brand domain (without one: the stored brands; with --prune: every brand).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        HistoryFormat,
        typer.Option(
            "--format", "-f", help="table or json.", case_sensitive=False, rich_help_panel=OUTPUT
        ),
    ] = HistoryFormat.TABLE,
    db: DbOption = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete old runs (with --keep or --older-than).")
    ] = False,
    keep: Annotated[
        int | None,
        typer.Option("--keep", min=1, help="With --prune: keep the newest N runs of each brand."),
    ] = None,
    older_than: Annotated[
        float | None,
        typer.Option(
            "--older-than", min=0, metavar="DAYS", help="With --prune: delete runs older than DAYS."
        ),
    ] = None,
) -> None:
    """List a brand's saved runs (score, grade, status counts) with a score sparkline.

    \b
    Examples:
      brandaudit history acme.com
      brandaudit history acme.com -f json
      brandaudit history --prune --keep 30
    """

    def body() -> int:
        if prune:
            return _prune(db, domain, keep, older_than)
        if keep is not None or older_than is not None:
            raise InputError("--keep and --older-than go with --prune")
        if domain is None:
            return _stored_brands(db, fmt)
        name = _domain(domain)
        with _open(db) as store:
            runs = store.runs_for(name)
            path = store.path
        if fmt is HistoryFormat.JSON:
            data = {"domain": name, "db": str(path), "runs": [r.as_json() for r in runs]}
            _write(json.dumps(data, indent=2) + "\n", json=True)
        else:
            _write(_history_table(name, runs))
        return 0

    raise typer.Exit(guarded(body))


def _stored_brands(db: Path | None, fmt: HistoryFormat) -> int:
    """``history`` without a domain: the brands the store holds."""
    from brandaudit.render.listings import stored_brands_table

    with _open(db) as store:
        brands = store.brands()
        path = store.path
    if fmt is HistoryFormat.JSON:
        rows = [{"domain": d, "runs": n, "last_saved_at": at} for d, n, at in brands]
        _write(json.dumps({"db": str(path), "brands": rows}, indent=2) + "\n")
        return 0
    _write(stored_brands_table(str(path), brands, terminal_width()))
    return 0


def _prune(db: Path | None, domain: str | None, keep: int | None, older: float | None) -> int:
    if keep is None and older is None:
        raise InputError("--prune needs --keep N or --older-than DAYS")
    name = _domain(domain) if domain is not None else None
    with _open(db) as store:
        results, runs = store.prune(keep=keep, older_than_days=older, domain=name)
    _write(f"pruned {results} saved result(s); {runs} run(s) removed\n")
    return 0


def _history_table(domain: str, runs: list[RunSummary]) -> str:
    from brandaudit.render.listings import history_table

    return history_table(domain, runs, terminal_width())


def diff_cmd(
    domain: Annotated[str, typer.Argument(help="Brand domain.", show_default=False)],
    from_run: Annotated[
        int | None,
        typer.Option(
            "--from",
            metavar="RUN",
            help="Earlier run id (default: the second newest).",
            show_default=False,
        ),
    ] = None,
    to_run: Annotated[
        int | None,
        typer.Option(
            "--to", metavar="RUN", help="Later run id (default: the newest).", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="table, json or markdown.",
            case_sensitive=False,
            rich_help_panel=OUTPUT,
        ),
    ] = DiffFormat.TABLE,
    db: DbOption = None,
) -> None:
    """What changed for a brand between two saved runs (default: the last two).

    \b
    Examples:
      brandaudit diff acme.com
      brandaudit diff acme.com --from 3 --to 7 -f markdown
    """

    def body() -> int:
        from brandaudit.history.diff import diff

        name = _domain(domain)
        with _open(db) as store:
            ids = [r.run_id for r in store.runs_for(name)]
            if not ids:
                raise InputError(f"no saved run for {name}")
            later = to_run if to_run is not None else ids[-1]
            if from_run is not None:
                earlier = from_run
            else:
                before = [i for i in ids if i < later]
                if not before:
                    raise InputError(f"{name} has no saved run before run {later} to compare with")
                earlier = before[-1]
            old, new = store.brand(earlier, name), store.brand(later, name)
        for run_id, found in ((earlier, old), (later, new)):
            if found is None:
                raise InputError(
                    f"run {run_id} has no result for {name} (see brandaudit history {name})"
                )
        assert old is not None
        assert new is not None
        changes = diff(old, new)
        _write(_render_diff(name, earlier, later, changes, fmt), json=fmt is DiffFormat.JSON)
        return 0

    raise typer.Exit(guarded(body))


def _render_diff(
    domain: str, earlier: int, later: int, changes: tuple[Change, ...], fmt: DiffFormat
) -> str:
    title = f"{domain}: run {earlier} -> run {later}"
    if fmt is DiffFormat.JSON:
        data = {
            "domain": domain,
            "from": earlier,
            "to": later,
            "changes": [c.model_dump(mode="json") for c in changes],
        }
        return json.dumps(data, indent=2) + "\n"
    if fmt is DiffFormat.MARKDOWN:
        from brandaudit.render.common import md
        from brandaudit.render.markdown import changes_section

        if not changes:
            return f"## {md(title)}\n\n_No change._\n"
        return f"## {md(title)}\n\n" + "\n".join(changes_section(changes, "Changes")) + "\n"

    from brandaudit.render.table import changes_table, render_renderables

    if not changes:
        return f"{title}: no change\n"
    return render_renderables([changes_table(changes, title)], terminal_width())


def import_cmd(
    file: Annotated[
        Path,
        typer.Argument(help="A JSON Lines report (-f jsonl), or a -f json report.", dir_okay=False),
    ],
    db: DbOption = None,
) -> None:
    """Save a report file (such as a large run's JSON Lines) to the history store as one run.

    Lines are read one at a time; lines that are not brand results (a torn last line) are
    skipped with a warning.
    """

    def body() -> int:
        import sys

        from brandaudit import __version__
        from brandaudit.history.store import Store, import_file, resolve_path

        path = resolve_path(db)
        Store(path, create=True).close()  # a newer or foreign store fails before reading
        run_id, count, stats = import_file(file, path, tool_version=__version__)
        if stats.skipped:
            sys.stderr.write(
                f"brandaudit: warning: {file}: {stats.skipped} line(s) are not brand "
                "results; skipped\n"
            )
        _write(f"imported {count} brand(s) from {file} as run {run_id} into {path}\n")
        return 0

    raise typer.Exit(guarded(body))
