"""The history store: saved audits in one SQLite file (the standard library's ``sqlite3``).

Layout (``PRAGMA user_version`` is the schema version; ``application_id`` marks the file as
brandaudit's):

- ``runs``: one row per saved run: when, which brandaudit, from where (``check``/``import``)
  and the config's claims (JSON);
- ``results``: one row per (run, brand): the brand's full result as JSON
  (``Brand.model_dump_json()``, secrets redacted as in reports) with its score, grade and
  status counts beside it, so ``history`` lists runs without parsing results.

Safety:

- WAL journal and a busy timeout: readers never block the writer, and two writers queue.
- One transaction per run. Brands are spooled to an unlinked temporary file while the run
  goes on (memory stays flat: one brand at a time) and copied into the store in one short
  ``BEGIN IMMEDIATE`` transaction at the end. A run killed at any point (SIGINT, SIGTERM,
  SIGKILL) leaves no half run: SQLite rolls an unfinished transaction back on the next open.
- A store written by a newer schema is refused, never rewritten; an older one is migrated
  step by step (``MIGRATIONS``), inside a transaction.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from brandaudit.errors import BrandauditError
from brandaudit.exitcodes import ExitCode
from brandaudit.model import Brand
from brandaudit.redact import scrub

SCHEMA_VERSION = 2
"""The newest history schema this version reads and writes."""

APPLICATION_ID = 0x42415544  # "BAUD": marks the SQLite file as a brandaudit history store
BUSY_TIMEOUT_S = 60.0
"""How long a writer waits for another run's transaction to end before giving up."""
FILE_NAME = "history.sqlite3"


class HistoryError(BrandauditError):
    """The history store can't be used (newer schema, not a store, unreadable...)."""

    exit_code = ExitCode.USAGE


def default_path() -> Path:
    """``history.sqlite3`` in the user data directory (e.g. ~/.local/share/brandaudit)."""
    from platformdirs import user_data_path

    return user_data_path("brandaudit", appauthor=False) / FILE_NAME


def resolve_path(db: Path | None) -> Path:
    """``--db``, else ``BRANDAUDIT_DB``, else the default location."""
    if db is not None:
        return db
    from brandaudit.config import history_db

    return history_db() or default_path()


# ------------------------------------------------------------------------------------------
# schema


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            saved_at TEXT NOT NULL,
            started_at TEXT NOT NULL,
            tool_version TEXT NOT NULL,
            source TEXT NOT NULL,
            claims TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    conn.execute(
        """CREATE TABLE results (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            domain TEXT NOT NULL,
            score INTEGER,
            grade TEXT,
            brand TEXT NOT NULL,
            PRIMARY KEY (run_id, domain)
        )"""
    )


def _v2(conn: sqlite3.Connection) -> None:
    """Status counts beside each result (``history`` lists runs without parsing results) and an
    index for per-domain lookups."""
    conn.execute("ALTER TABLE results ADD COLUMN counts TEXT NOT NULL DEFAULT '{}'")
    conn.execute("CREATE INDEX results_by_domain ON results(domain, run_id)")
    rowids = [row[0] for row in conn.execute("SELECT rowid FROM results")]
    for rowid in rowids:  # one result in memory at a time
        (text,) = conn.execute("SELECT brand FROM results WHERE rowid = ?", (rowid,)).fetchone()
        conn.execute(
            "UPDATE results SET counts = ? WHERE rowid = ?",
            (json.dumps(_counts(json.loads(text))), rowid),
        )


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2)
"""``MIGRATIONS[i]`` takes a store from schema ``i`` to ``i + 1``; never edit a released step."""
assert len(MIGRATIONS) == SCHEMA_VERSION


def _counts(brand: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in brand.get("platforms") or ():
        status = str(result.get("status", "unknown"))
        counts[status] = counts.get(status, 0) + 1
    return counts


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _refuse_foreign(conn: sqlite3.Connection, path: Path, version: int) -> None:
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if version > SCHEMA_VERSION and app_id == APPLICATION_ID:
        raise HistoryError(
            f"{path}: written by a newer brandaudit (history schema {version}; this version "
            f"reads up to {SCHEMA_VERSION}); upgrade brandaudit, or use another --db"
        )
    if app_id not in {0, APPLICATION_ID} or (version and app_id != APPLICATION_ID):
        raise HistoryError(f"{path}: not a brandaudit history store")
    if version == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise HistoryError(f"{path}: not a brandaudit history store")


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open (and, with ``create``, create or migrate) the store; one-line errors only."""
    if not create and not path.exists():
        raise HistoryError(f"{path}: no history yet (save a run with: brandaudit check --save)")
    if path.is_dir():
        raise HistoryError(f"{path}: is a directory")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise HistoryError(f"{path}: cannot open the history store ({exc})") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = _user_version(conn)
        _refuse_foreign(conn, path, version)
        if version < SCHEMA_VERSION:
            _migrate(conn, path)  # in one transaction; a concurrent opener waits, then sees it
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise HistoryError(f"{path}: not a readable brandaudit history store ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        conn.execute("PRAGMA journal_mode = WAL")  # persistent: set once, on the file
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _user_version(conn)  # another process may have migrated meanwhile
        _refuse_foreign(conn, path, version)
        for step in MIGRATIONS[version:]:
            step(conn)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


# ------------------------------------------------------------------------------------------
# writing


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class RunWriter:
    """Collects one run's brands (spooled to disk) and saves them in one transaction."""

    def __init__(
        self,
        path: Path,
        *,
        source: str,
        tool_version: str,
        claims: Mapping[str, str] | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.tool_version = tool_version
        self.claims = {scrub(k): scrub(v) for k, v in (claims or {}).items()}
        self.started_at = _now()
        self.count = 0
        self._spool: IO[bytes] | None = tempfile.TemporaryFile()  # noqa: SIM115 - unlinked

    def add(self, brand: Brand) -> None:
        self.add_json(brand.model_dump_json())

    def add_json(self, text: str) -> None:
        """Add one brand given as ``Brand`` JSON (already validated by the caller)."""
        if self._spool is None:
            raise RuntimeError("run already saved")
        self._spool.write(scrub(text).encode("utf-8") + b"\n")
        self.count += 1

    def commit(self) -> int:
        """Save the run in one transaction; returns its id."""
        if self._spool is None:
            raise RuntimeError("run already saved")
        spool, self._spool = self._spool, None
        try:
            spool.flush()
            spool.seek(0)
            conn = connect(self.path, create=True)
            try:
                return self._insert(conn, spool)
            finally:
                conn.close()
        finally:
            spool.close()

    def _insert(self, conn: sqlite3.Connection, spool: IO[bytes]) -> int:
        try:
            conn.execute("BEGIN IMMEDIATE")
            cursor = conn.execute(
                "INSERT INTO runs (saved_at, started_at, tool_version, source, claims) "
                "VALUES (?, ?, ?, ?, ?)",
                (_now(), self.started_at, self.tool_version, self.source, json.dumps(self.claims)),
            )
            run_id = int(cursor.lastrowid or 0)
            for raw in spool:
                text = raw.decode("utf-8").rstrip("\n")
                data = json.loads(text)
                conn.execute(
                    "INSERT OR REPLACE INTO results (run_id, domain, score, grade, brand, counts) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        data["domain"],
                        data.get("score"),
                        data.get("grade"),
                        text,
                        json.dumps(_counts(data)),
                    ),
                )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise HistoryError(f"{self.path}: the run could not be saved ({exc})") from None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        return run_id

    def discard(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None


# ------------------------------------------------------------------------------------------
# reading


@dataclass(frozen=True, slots=True)
class RunSummary:
    run_id: int
    saved_at: str
    tool_version: str
    source: str
    domain: str
    score: int | None
    grade: str | None
    counts: dict[str, int] = field(default_factory=dict)
    claims: dict[str, str] = field(default_factory=dict)
    """The config's ``[claims]`` when the run was saved."""

    def as_json(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "saved_at": self.saved_at,
            "version": self.tool_version,
            "source": self.source,
            "score": self.score,
            "grade": self.grade,
            "counts": dict(sorted(self.counts.items())),
            "claims": self.claims,
        }


class Store:
    """Read access (and pruning) over an existing store."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        self.path = path
        self._conn = connect(path, create=create)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def runs_for(self, domain: str) -> list[RunSummary]:
        rows = self._conn.execute(
            "SELECT r.id, r.saved_at, r.tool_version, r.source, x.domain, x.score, x.grade, "
            "x.counts, r.claims FROM results x JOIN runs r ON r.id = x.run_id "
            "WHERE x.domain = ? ORDER BY r.id",
            (domain,),
        )
        return [
            RunSummary(
                run_id=row[0],
                saved_at=row[1],
                tool_version=row[2],
                source=row[3],
                domain=row[4],
                score=row[5],
                grade=row[6],
                counts=json.loads(row[7]),
                claims=json.loads(row[8]),
            )
            for row in rows
        ]

    def brands(self) -> list[tuple[str, int, str]]:
        """Every stored brand: domain, saved runs, the newest run's time; by domain."""
        rows = self._conn.execute(
            "SELECT x.domain, COUNT(*), MAX(r.saved_at) FROM results x "
            "JOIN runs r ON r.id = x.run_id GROUP BY x.domain ORDER BY x.domain"
        )
        return [(str(row[0]), int(row[1]), str(row[2])) for row in rows]

    def brand(self, run_id: int, domain: str) -> Brand | None:
        row = self._conn.execute(
            "SELECT brand FROM results WHERE run_id = ? AND domain = ?", (run_id, domain)
        ).fetchone()
        return None if row is None else self._parse(run_id, domain, row[0])

    def latest(self, domain: str) -> tuple[int, Brand] | None:
        """The newest saved result for ``domain`` (of any run)."""
        row = self._conn.execute(
            "SELECT run_id, brand FROM results WHERE domain = ? ORDER BY run_id DESC LIMIT 1",
            (domain,),
        ).fetchone()
        return None if row is None else (int(row[0]), self._parse(row[0], domain, row[1]))

    def _parse(self, run_id: int, domain: str, text: str) -> Brand:
        from brandaudit.reader import brand_from_json

        try:
            return brand_from_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise HistoryError(
                f"{self.path}: run {run_id}, {domain}: the saved result can't be read "
                f"({where}: {first.get('msg', 'invalid')})"
            ) from None
        except ValueError:
            raise HistoryError(
                f"{self.path}: run {run_id}, {domain}: the saved result can't be read (not JSON)"
            ) from None

    def prune(
        self, *, keep: int | None, older_than_days: float | None, domain: str | None
    ) -> tuple[int, int]:
        """Delete old results (per domain: all but the newest ``keep``, and/or those saved
        ``older_than_days`` or more ago), then runs left empty. Returns (results, runs)."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            removed = 0
            if keep is not None:
                removed += conn.execute(
                    "DELETE FROM results WHERE rowid IN (SELECT rowid FROM (SELECT rowid, "
                    "row_number() OVER (PARTITION BY domain ORDER BY run_id DESC) AS n "
                    "FROM results WHERE ?1 IS NULL OR domain = ?1) WHERE n > ?2)",
                    (domain, keep),
                ).rowcount
            if older_than_days is not None:
                cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
                stamp = cutoff.isoformat(timespec="seconds").replace("+00:00", "Z")
                removed += conn.execute(
                    "DELETE FROM results WHERE run_id IN (SELECT id FROM runs WHERE saved_at <= ?2)"
                    " AND (?1 IS NULL OR domain = ?1)",
                    (domain, stamp),
                ).rowcount
            runs = conn.execute(
                "DELETE FROM runs WHERE id NOT IN (SELECT DISTINCT run_id FROM results)"
            ).rowcount
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        return removed, runs


# ------------------------------------------------------------------------------------------
# report files (import, --baseline FILE)


@dataclass(slots=True)
class ReadStats:
    read: int = 0
    skipped: int = 0


def iter_report_file(path: Path, stats: ReadStats) -> Iterator[str]:
    """Each brand of a JSON Lines file (streamed) or of a ``-f json`` report, as validated
    ``Brand`` JSON. Lines that are not brand results (a torn last line...) are counted in
    ``stats.skipped``."""
    from brandaudit.errors import InputError

    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with handle:
        first = handle.readline()
        try:
            head = json.loads(first) if first.strip() else None
        except ValueError:
            head = None
        if isinstance(head, dict) and "domain" in head:  # JSON Lines
            yield from _brand_line(first, stats)
            for raw in handle:
                yield from _brand_line(raw, stats)
            return
        handle.seek(0)
        try:
            data = json.load(handle)
        except (ValueError, UnicodeDecodeError):
            raise InputError(
                f"{path}: not a brandaudit report (JSON from -f json, or JSON Lines)"
            ) from None
    brands = data.get("brands") if isinstance(data, dict) else None
    if not isinstance(brands, list):
        raise InputError(f"{path}: not a brandaudit report (no 'brands' list)")
    from brandaudit.reader import check_version, report_version

    version = report_version(data)
    check_version(version, str(path))
    for item in brands:
        yield from _brand_line(json.dumps(item).encode("utf-8"), stats, version)


def _brand_line(raw: bytes, stats: ReadStats, version: int = 1) -> Iterator[str]:
    """The brand as today's ``Brand`` JSON (read by the versioned reader), or counted as
    skipped."""
    from brandaudit.reader import brand_from_json

    if not raw.strip():
        return
    stats.read += 1
    try:
        brand = brand_from_json(raw, version)
    except ValueError:  # pydantic's ValidationError is one
        stats.skipped += 1
        return
    yield brand.model_dump_json()


def import_file(path: Path, db: Path, *, tool_version: str) -> tuple[int, int, ReadStats]:
    """Load a report file into the store as one run: (run id, brands saved, stats)."""
    stats = ReadStats()
    writer = RunWriter(db, source="import", tool_version=tool_version)
    try:
        for text in iter_report_file(path, stats):
            writer.add_json(text)
        if not writer.count:
            from brandaudit.errors import InputError

            raise InputError(f"{path}: no brand results in it")
        count = writer.count
        return writer.commit(), count, stats
    finally:
        writer.discard()
