"""The store through the CLI: history, diff, import, prune, schema versions, and safety
(killed runs, concurrent runs)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brandaudit.history import store as store_module
from tests.conftest import World, brandaudit_command, with_default_signals
from tests.history.helpers import brand_json, check, history
from tests.world import platforms as p
from tests.world.http import Reply

pytestmark = pytest.mark.e2e


def _import(world: World, db: Path, tmp_path: Path, *lines: str, name: str = "r.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines))
    result = world.run("import", str(path), "--db", str(db))
    assert result.code == 0, result.stderr
    return result.stdout


def test_history_lists_runs_with_scores_and_a_sparkline(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    for index, (status, score) in enumerate([("claimed", 100), ("available", 0), ("claimed", 50)]):
        _import(world, db, tmp_path, brand_json("acme.com", status, score), name=f"{index}.jsonl")
    runs = history(world, db)
    assert [(r["run"], r["score"], r["grade"], r["counts"]) for r in runs] == [
        (1, 100, "A", {"claimed": 1}),
        (2, 0, "F", {"available": 1}),
        (3, 50, "F", {"claimed": 1}),
    ]
    assert all(r["source"] == "import" for r in runs)
    table = world.run("history", "ACME.com", "--db", str(db))
    assert table.code == 0, table.stderr
    assert "score: █▁▄" in table.stdout
    assert "first 100, last 50, min 0, max 100" in table.stdout
    empty = world.run("history", "other.org", "--db", str(db))
    assert empty.code == 0
    assert "No saved run for other.org" in empty.stdout


def test_history_without_a_domain_lists_the_stored_brands(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _import(world, db, tmp_path, brand_json("acme.com", "claimed", 100), name="a.jsonl")
    _import(world, db, tmp_path, brand_json("acme.com", "claimed", 100), name="b.jsonl")
    _import(world, db, tmp_path, brand_json("zeta.org", "available", 0), name="c.jsonl")
    listed = world.run("history", "--db", str(db), "-f", "json")
    assert listed.code == 0, listed.stderr
    rows = [(b["domain"], b["runs"]) for b in listed.json()["brands"]]
    assert rows == [("acme.com", 2), ("zeta.org", 1)]
    table = world.run("history", "--db", str(db), env=world.env(COLUMNS="40"))
    assert table.code == 0, table.stderr
    assert "acme.com" in table.stdout and "zeta.org" in table.stdout
    # The date column is never cut, even at 40 columns.
    saved = listed.json()["brands"][0]["last_saved_at"]
    assert saved in table.stdout
    narrow = world.run("history", "acme.com", "--db", str(db), env=world.env(COLUMNS="60"))
    assert narrow.code == 0 and saved in narrow.stdout


def test_diff_between_saved_runs_in_every_format(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    _import(world, db, tmp_path, brand_json("acme.com", "claimed", 100), name="a.jsonl")
    _import(world, db, tmp_path, brand_json("acme.com", "suspended", 0), name="b.jsonl")
    _import(world, db, tmp_path, brand_json("acme.com", "suspended", 0), name="c.jsonl")
    latest = world.run("diff", "acme.com", "--db", str(db), "-f", "json")
    assert latest.code == 0, latest.stderr
    assert (latest.json()["from"], latest.json()["to"], latest.json()["changes"]) == (2, 3, [])
    data = world.run("diff", "acme.com", "--from", "1", "--to", "2", "--db", str(db), "-f", "json")
    kinds = [(c["kind"], c["before"], c["after"]) for c in data.json()["changes"]]
    assert kinds == [("lost", "claimed", "suspended"), ("score_changed", "100", "0")]
    md = world.run(
        "diff", "acme.com", "--from", "1", "--to", "2", "--db", str(db), "-f", "markdown"
    )
    assert "## acme.com: run 1 -&gt; run 2" in md.stdout  # escaped, renders as ->
    assert "| `lost` | **yes** | GitHub acme: was claimed, now suspended" in md.stdout
    table = world.run("diff", "acme.com", "--from", "1", "--to", "2", "--db", str(db))
    assert "lost" in table.stdout
    assert "score changed" in table.stdout
    missing = world.run("diff", "acme.com", "--from", "9", "--db", str(db))
    assert missing.code == 2
    assert "run 9 has no result for acme.com" in missing.stderr


def test_import_streams_jsonl_and_skips_a_torn_line(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    path = tmp_path / "big.jsonl"
    lines = [brand_json(f"brand{i}.com") for i in range(50)]
    path.write_text("\n".join(lines) + "\n" + lines[0][:40])  # a killed run's torn tail
    result = world.run("import", str(path), "--db", str(db))
    assert result.code == 0, result.stderr
    assert "imported 50 brand(s)" in result.stdout
    assert "1 line(s) are not brand results" in result.stderr
    assert history(world, db, "brand49.com")[0]["run"] == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("hello\n")
    refused = world.run("import", str(bad), "--db", str(db))
    assert refused.code == 2
    assert "not a brandaudit report" in refused.stderr


def test_prune_keeps_the_newest_or_drops_the_old(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    for index in range(3):
        _import(world, db, tmp_path, brand_json("acme.com"), brand_json("b.org"), name=f"{index}")
    _import(world, db, tmp_path, brand_json("acme.com"), name="last")
    pruned = world.run("history", "--prune", "--keep", "2", "--db", str(db))
    assert pruned.code == 0, pruned.stderr
    assert [r["run"] for r in history(world, db)] == [3, 4]
    assert [r["run"] for r in history(world, db, "b.org")] == [2, 3]
    assert "1 run(s) removed" in pruned.stdout  # run 1 held nothing any more
    world.run("history", "b.org", "--prune", "--older-than", "0", "--db", str(db))
    assert history(world, db, "b.org") == []
    assert [r["run"] for r in history(world, db)] == [3, 4]
    usage = world.run("history", "--prune", "--db", str(db))
    assert usage.code == 2
    assert "--keep N or --older-than DAYS" in usage.stderr


def test_a_store_from_a_newer_version_is_refused_not_rewritten(
    world: World, tmp_path: Path
) -> None:
    db = tmp_path / "h.sqlite3"
    _import(world, db, tmp_path, brand_json("acme.com"))
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    for args in (
        ["history", "acme.com", "--db", str(db)],
        ["diff", "acme.com", "--db", str(db)],
        ["check", "acme.com", "-p", "github", "--save", "--db", str(db)],
        ["check", "acme.com", "-p", "github", "--baseline", "last", "--db", str(db)],
    ):
        result = world.run(*args)
        assert result.code == 2, (args, result.stderr)
        assert "written by a newer brandaudit (history schema 99" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert db.read_bytes() == before
    assert world.http.requests_to(p.GITHUB) == []


def test_a_file_that_is_not_a_store_is_refused(world: World, tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("my notes, not a database\n" * 100)
    result = world.run("history", "acme.com", "--db", str(db))
    assert result.code == 2
    assert "not a readable brandaudit history store" in result.stderr
    assert db.read_text() == "my notes, not a database\n" * 100
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE mine (x)")
    conn.close()
    refused = world.run("check", "acme.com", "--save", "--db", str(other))
    assert refused.code == 2
    assert "not a brandaudit history store" in refused.stderr


def test_a_version_1_store_is_migrated(world: World, tmp_path: Path) -> None:
    db = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    store_module.MIGRATIONS[0](conn)
    conn.execute(f"PRAGMA application_id = {store_module.APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO runs (saved_at, started_at, tool_version, source) "
        "VALUES ('2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', '0.1.0', 'check')"
    )
    conn.execute(
        "INSERT INTO results (run_id, domain, score, grade, brand) VALUES (1, 'acme.com', 0, "
        "'F', ?)",
        (brand_json("acme.com", "available", 0),),
    )
    conn.close()
    runs = history(world, db)
    assert [(r["run"], r["version"], r["counts"]) for r in runs] == [(1, "0.1.0", {"available": 1})]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


@pytest.mark.parametrize("streaming", [False, True], ids=["report", "jsonl"])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_save_leaves_earlier_runs_intact(
    world: World, tmp_path: Path, sig: signal.Signals, streaming: bool
) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    assert check(world, db, "acme.com", "-p", "github", "--save").code == 0
    world.http.reset()
    p.github_not_found(world.http, "acme")
    assert check(world, db, "acme.com", "-p", "github", "--save").code == 0
    world.http.reset()
    world.http.route(p.GITHUB, "/users/acme", Reply(hang=True))
    p.github_user(world.http, "example")  # streamed: this brand is done (spooled) first
    brands = tmp_path / "brands.txt"
    brands.write_text("example.org\nacme.com\n")
    what = ["-i", str(brands), "-f", "jsonl"] if streaming else ["acme.com"]
    proc = subprocess.Popen(
        with_default_signals(
            [
                *brandaudit_command(),
                "check",
                *what,
                "-p",
                "github",
                "--save",
                "--db",
                str(db),
                "--deadline",
                "60",
                "--timeout",
                "60",
            ]
        ),
        env=world.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        wanted = 2 if streaming else 1
        for _ in range(300):  # until the run is in flight (bounded: 30 s)
            if len(world.http.requests_to(p.GITHUB)) >= wanted:
                break
            time.sleep(0.1)
        assert len(world.http.requests_to(p.GITHUB)) >= wanted, "the run never started"
        time.sleep(0.3)  # let the finished brand reach the spool
        proc.send_signal(sig)
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert code == {signal.SIGKILL: -9, signal.SIGTERM: 143, signal.SIGINT: 130}[sig]
    runs = history(world, db)
    assert [(r["run"], r["counts"]) for r in runs] == [(1, {"claimed": 1}), (2, {"available": 1})]
    assert history(world, db, "example.org") == []  # no half run
    diff = world.run("diff", "acme.com", "--db", str(db), "-f", "json")
    assert [c["kind"] for c in diff.json()["changes"]] == ["lost", "score_changed"]


_WRITER = """
import sys
from pathlib import Path
from brandaudit.history.store import RunWriter
from tests.history.helpers import brand_json
db, count, tag = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
writer = RunWriter(db, source=tag, tool_version="test")
for i in range(count):
    writer.add_json(brand_json(f"brand{i}.com"))
print("commit", flush=True)
writer.commit()
print("done", flush=True)
"""


def _writer(db: Path, count: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(db), str(count), tag],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def _run_sizes(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "SELECT r.source, count(x.domain) FROM runs r LEFT JOIN results x ON x.run_id = r.id "
            "GROUP BY r.id"
        )
        return {str(source): int(n) for source, n in rows}
    finally:
        conn.close()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_sigkill_during_the_commit_leaves_all_or_nothing(tmp_path: Path, delay: float) -> None:
    db = tmp_path / "h.sqlite3"
    first = _writer(db, 10, "first")
    assert first.communicate(timeout=60)[0].split() == ["commit", "done"]
    proc = _writer(db, 5000, "killed")
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "commit"  # the transaction is starting
        time.sleep(delay)
        proc.kill()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)  # reaps it and closes the pipe
    sizes = _run_sizes(db)
    assert sizes["first"] == 10
    assert sizes.get("killed", 5000) == 5000  # the whole run, or none of it
    assert set(sizes) <= {"first", "killed"}


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    procs = [_writer(db, 1500, f"w{i}") for i in range(4)]
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        assert out.split() == ["commit", "done"]
    assert _run_sizes(db) == {f"w{i}": 1500 for i in range(4)}


def test_concurrent_check_saves_both_land(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    p.github_user(world.http, "acme")
    procs = [
        subprocess.Popen(
            [
                *brandaudit_command(),
                "check",
                "acme.com",
                "-p",
                "github",
                "--save",
                "--db",
                str(db),
                "-f",
                "json",
            ],
            env=world.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert json.loads(out)["brands"][0]["domain"] == "acme.com"
    assert [r["run"] for r in history(world, db)] == [1, 2]


def test_secrets_are_redacted_before_they_are_stored(world: World, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    secret = "ZsecretGithubTokenQ9x7"
    # A hostile server echoes the token back in the profile it returns.
    p.github_user(world.http, "acme", name=f"Acme {secret}", blog=f"https://acme.com/?t={secret}")
    result = world.run(
        "check", "acme.com", "-p", "github", "--save", "--db", str(db), GITHUB_TOKEN=secret
    )
    assert result.code == 0, result.stderr
    assert any(secret in str(r.headers) for r in world.http.requests_to(p.GITHUB))
    stored = b"".join(
        path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("h.sqlite3")
    )
    assert secret.encode() not in stored
    assert b"REDACTED" in stored
