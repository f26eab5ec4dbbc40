"""No workflow command from a server's text reaches a GitHub Actions log (issue 22, finding 2).

The runner reads ``::command::`` at the start of a line (after blanks) and the legacy
``##[command]`` anywhere in a line. A hostile GitHub login long enough to be re-wrapped carries
both; every format of ``check`` and every command that prints server text is run under
``GITHUB_ACTIONS=true`` and its stdout read the way the runner reads it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from brandaudit.redact import defuse_commands, stop_commands
from tests.conftest import World
from tests.hardening.helpers import FAST
from tests.world import platforms as p
from tests.world.http import Reply

PADDING = " ".join(["word"] * 30)
EVIL = (
    f"other {PADDING} ::error::injected {PADDING} ##[error]legacy-injected "
    "##[add-mask]mask-injected\n::warning::newline-injected"
)
JSON_FORMATS = {"json", "jsonl", "sarif"}
FORMATS = ["table", "markdown", "junit", "html", *sorted(JSON_FORMATS)]


OWN = re.compile(r"::(error|warning|notice) (file=[^,:]*,(line=\d+,)?)?title=brandaudit[^:]*::")
"""brandaudit's own annotations (stderr): commands on purpose, the hostile text only in their
escaped message."""


def runner_reads(log: str) -> list[str]:
    """The commands GitHub's runner would run from ``log``: a ``::`` line (after blanks)
    outside a ``::stop-commands::`` block, other than brandaudit's own annotations, or ``##[``
    anywhere (conservatively, even inside a block or an annotation), from the hostile text."""
    live, stop_token = [], None
    for raw in log.splitlines():
        line = raw.strip()
        if "##[" in line and "injected" in line:
            live.append(raw)
        if stop_token is not None:
            if line == f"::{stop_token}::":
                stop_token = None
            continue
        if line.startswith("::stop-commands::"):
            stop_token = line.removeprefix("::stop-commands::")
        elif line.startswith("::") and "injected" in line and not OWN.match(line):
            live.append(raw)
    return live


def _hostile(world: World) -> None:
    world.http.route(p.GITHUB, "/users/acme", Reply.json({"login": EVIL, "type": "User"}))


ARGS = ("check", "acme.com", "-p", "github", "--no-discover", *FAST)


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_prints_no_live_command_in_any_format(world: World, fmt: str) -> None:
    _hostile(world)
    result = world.run(*ARGS, "-f", fmt, "--exit-zero", GITHUB_ACTIONS="true")
    assert result.code == 0, result.stderr
    assert runner_reads(result.stdout) == []
    assert runner_reads(result.stderr) == []
    if fmt in JSON_FORMATS:  # JSON stays JSON (for `| jq`), and says the same
        if fmt == "jsonl":
            docs = [json.loads(line) for line in result.stdout.splitlines()]
        else:
            docs = [json.loads(result.stdout)]
        if fmt != "sarif":  # the hostile text is there, unchanged once parsed
            assert "##[error]legacy-injected" in json.dumps(docs, ensure_ascii=False)
    else:
        assert result.stdout.startswith("::stop-commands::")


def test_a_text_report_file_is_safe_to_cat_in_a_log(world: World, tmp_path: Path) -> None:
    _hostile(world)
    out = tmp_path / "report.txt"
    result = world.run(*ARGS, "-o", str(out), "--exit-zero", COLUMNS="60")
    assert result.code == 0, result.stderr
    assert runner_reads(out.read_text()) == []


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_diff_and_history_print_no_live_command(world: World, tmp_path: Path, fmt: str) -> None:
    db = str(tmp_path / "h.sqlite3")
    p.github_user(world.http, "acme")
    assert world.run(*ARGS, "--save", "--db", db, "--exit-zero").code == 0
    _hostile(world)
    assert world.run(*ARGS, "--save", "--db", db, "--exit-zero").code == 0
    diff = world.run("diff", "acme.com", "--db", db, "-f", fmt, GITHUB_ACTIONS="true")
    assert diff.code == 0, diff.stderr
    assert runner_reads(diff.stdout) == []
    if fmt == "json":
        assert "##[error]legacy-injected" in json.dumps(json.loads(diff.stdout))
    history_fmt = "json" if fmt == "json" else "table"
    history = world.run("history", "acme.com", "--db", db, "-f", history_fmt, GITHUB_ACTIONS="true")
    assert history.code == 0, history.stderr
    assert runner_reads(history.stdout) == []


def test_defuse_commands_keeps_json_meaning_and_breaks_markers() -> None:
    data = {"a": "x ##[error]y", "b": "::error::z"}
    text = json.dumps(data)
    assert json.loads(defuse_commands(text, json=True)) == data
    assert "##[" not in defuse_commands(text, json=True)
    plain = defuse_commands("ok\n  ::error::x\nsee ##[warning]y ::not-a-line-start::")
    assert runner_reads(plain.replace("x", "injected").replace("y", "injected")) == []
    assert "::not-a-line-start::" in plain  # only a line's start is read as a command
    wrapped = stop_commands("::error::injected\n")
    assert runner_reads(wrapped) == []
    assert wrapped.splitlines()[1] == "::error::injected"


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_selfcheck_prints_no_live_command(world: World, fmt: str) -> None:
    # The canary answers with another account: its login is quoted in what was seen.
    world.http.route_prefix(p.GITHUB, "/users/", Reply.json({"login": EVIL, "type": "User"}))
    result = world.run("selfcheck", "-p", "github", "-f", fmt, GITHUB_ACTIONS="true")
    assert result.code in {1, 3}, result.stderr
    assert runner_reads(result.stdout) == []
    assert "injected" in result.stdout, "the canary's answer is quoted"
    if fmt == "json":
        assert json.loads(result.stdout)["platforms"]
    else:
        assert result.stdout.startswith("::stop-commands::")


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "sarif", "junit"])
def test_bluesky_prints_no_live_command(world: World, fmt: str) -> None:
    # The website file answers with hostile text where a DID should be; it is quoted back.
    text = "did:plc:##[error]legacy-injected ::error::injected"
    world.http.route("acme.com", "/.well-known/atproto-did", Reply.text(text))
    result = world.run("bluesky", "acme.com", "-f", fmt, GITHUB_ACTIONS="true")
    assert result.code in {1, 3}, result.stderr
    assert runner_reads(result.stdout) == []
    assert runner_reads(result.stderr) == []
    if fmt == "json":
        assert "injected" in result.stdout, "the file's text is quoted"
    if fmt in {"json", "sarif"}:
        assert json.loads(result.stdout)
    else:
        assert result.stdout.startswith("::stop-commands::")
