"""The frozen report contract: the committed schema, and files written by 0.1.0 (before typed
causes) that every later version must read (``tests/compat/data/README.md``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from brandaudit.model import SCHEMA_ID, SCHEMA_VERSION, Cause, CheckStatus, Status
from brandaudit.reader import brand_from_json
from tests.conftest import World
from tests.world import platforms as p
from tests.world.http import Reply

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
SCHEMA = ROOT / "schemas" / f"report.v{SCHEMA_VERSION}.json"
STORE = DATA / "history-0.1.0.sqlite3"
REPORT = DATA / "report-0.1.0.json"


def _store(tmp_path: Path) -> Path:
    """A copy of the 0.1.0 store (reading may migrate it, and SQLite writes beside it)."""
    db = tmp_path / "history.sqlite3"
    shutil.copy(STORE, db)
    return db


def _expected(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_brandaudit_schema_prints_the_committed_schema(world: World) -> None:
    result = world.run("schema")
    assert result.code == 0, result.stderr
    assert result.stdout == SCHEMA.read_text(encoding="utf-8"), (
        "the report model changed: an additive change updates schemas/report.v1.json "
        "(brandaudit schema > schemas/report.v1.json); a breaking one is a new version"
    )
    schema = json.loads(result.stdout)
    assert schema["$id"] == SCHEMA_ID
    assert schema["$id"].endswith(f"/schemas/report.v{SCHEMA_VERSION}.json")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_a_0_1_0_report_is_valid_under_the_committed_schema() -> None:
    """Additive only inside v1: a report written by 0.1.0 still matches the v1 schema (a new
    required field, a renamed or retyped one, fails here)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    assert report["schema_version"] == 1
    errors = sorted(Draft202012Validator(schema).iter_errors(report), key=str)
    assert not errors, errors[0]


def test_history_reads_the_0_1_0_store(world: World, tmp_path: Path) -> None:
    db = _store(tmp_path)
    result = world.run("history", "acme.com", "--db", str(db), "-f", "json")
    assert result.code == 0, result.stderr
    data = result.json()
    data.pop("db")
    assert data == _expected("history-0.1.0.expected.json")
    table = world.run("history", "acme.com", "--db", str(db))
    assert table.code == 0, table.stderr
    assert "first 100, last 50" in table.stdout


def test_diff_reads_the_0_1_0_store(world: World, tmp_path: Path) -> None:
    db = _store(tmp_path)
    result = world.run("diff", "acme.com", "--db", str(db), "-f", "json")
    assert result.code == 0, result.stderr
    assert result.json() == _expected("diff-0.1.0.expected.json")
    for fmt in ("markdown", "table"):
        shown = world.run("diff", "acme.com", "--db", str(db), "-f", fmt)
        assert shown.code == 0, shown.stderr
        assert "lost" in shown.stdout


def _acme_now(world: World) -> None:
    world.http.route("acme.com", "/", Reply.html("<p>No social links.</p>"))
    p.github_user(world.http, "acme")
    p.mastodon_account(world.http, "acme")


@pytest.mark.parametrize("baseline", ["file", "last"])
def test_check_compares_with_a_0_1_0_baseline(world: World, tmp_path: Path, baseline: str) -> None:
    """``--baseline FILE`` (0.1.0's -f json report) and ``--baseline last`` (0.1.0's store)."""
    db = _store(tmp_path)
    _acme_now(world)
    choice = str(REPORT) if baseline == "file" else "last"
    result = world.run(
        "check", "acme.com", "-p", "github", "-p", "mastodon", "--db", str(db),
        "--baseline", choice, "-f", "json",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    changes = {(c["platform"], c["kind"]) for c in result.json()["brands"][0]["changes"]}
    # 0.1.0's run 2 had GitHub available: it is claimed again, by an account we can't tie
    # to the brand.
    assert ("github", "taken") in changes, changes
    assert "line(s) are not brand results" not in result.stderr


def test_import_reads_the_0_1_0_report(world: World, tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    result = world.run("import", str(REPORT), "--db", str(db))
    assert result.code == 0, result.stderr
    runs = world.run("history", "acme.com", "--db", str(db), "-f", "json").json()["runs"]
    assert [(r["score"], r["counts"]) for r in runs] == [
        (50, {"available": 1, "claimed": 1, "unknown": 3})
    ]


def test_undecided_results_of_0_1_0_get_a_cause_once_when_read() -> None:
    """0.1.0 wrote no ``cause``: the reader derives it from what 0.1.0 wrote, so renderers
    read only the typed field."""
    brand = brand_from_json(json.dumps(json.loads(REPORT.read_text())["brands"][0]))
    undecided = [r for r in brand.platforms if r.status is Status.UNKNOWN]
    assert undecided
    assert all(r.cause is not None for r in undecided)
    assert all(r.cause is None for r in brand.platforms if r.status is not Status.UNKNOWN)
    assert brand.bluesky_domain is not None
    skipped = [c for c in brand.bluesky_domain.checks if c.status is CheckStatus.SKIP]
    assert skipped
    # 0.1.0's skips here are by design ("skipped: ..."), not "could not check": no cause.
    assert all(c.cause is None for c in skipped if not c.message.startswith("could not"))


def test_run_1_of_the_store_reads_mastodon_as_rate_limited(world: World, tmp_path: Path) -> None:
    from brandaudit.history.store import Store

    db = _store(tmp_path)
    with Store(db) as store:
        brand = store.brand(1, "acme.com")
    assert brand is not None
    mastodon = next(r for r in brand.platforms if r.platform == "mastodon")
    assert (mastodon.status, mastodon.cause) == (Status.UNKNOWN, Cause.RATE_LIMITED)


def test_a_report_of_a_newer_schema_is_refused_with_one_line(world: World, tmp_path: Path) -> None:
    data = json.loads(REPORT.read_text())
    data["schema_version"] = SCHEMA_VERSION + 1
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(data))
    result = world.run("import", str(newer), "--db", str(tmp_path / "h.sqlite3"))
    assert result.code == 2
    assert f"report schema {SCHEMA_VERSION + 1}" in result.stderr
    assert "upgrade brandaudit" in result.stderr
    assert "Traceback" not in result.stderr
