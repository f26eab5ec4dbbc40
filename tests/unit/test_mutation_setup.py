"""The mutation-testing habit stays usable: the equivalents list is well formed, every target's
sources and tests exist, and the weekly workflow example is pinned and least-privilege."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"
WORKFLOW = ROOT / "examples" / "workflows" / "mutation.yml"


def test_each_listed_equivalent_says_what_and_why() -> None:
    entries = tomllib.loads(EQUIVALENTS.read_text("utf-8"))["equivalent"]
    seen: set[tuple[str, str, str]] = set()
    for entry in entries:
        assert set(entry) == {"function", "original", "mutated", "reason"}, entry
        assert re.fullmatch(r"brandaudit(\.\w+)+\.x[_ǁ][\wǁ]+", entry["function"]), entry
        assert "__mutmut_" not in entry["function"]  # numbers shift when a function changes
        assert entry["original"] != entry["mutated"]
        assert entry["reason"].strip() and "\n" not in entry["reason"]
        key = (entry["function"], entry["original"], entry["mutated"])
        assert key not in seen, f"listed twice: {key}"
        seen.add(key)


def test_the_targets_name_files_that_exist() -> None:
    mutation = pytest.importorskip("bench.mutation", reason="bench/ is not in the sdist")
    for target in mutation.TARGETS.values():
        for pattern in target.sources:
            assert list(ROOT.glob(pattern)), pattern
        for test in target.tests:
            assert (ROOT / test).is_file(), test


def test_a_survivor_is_matched_to_its_entry_by_function_and_change() -> None:
    mutation = pytest.importorskip("bench.mutation", reason="bench/ is not in the sdist")
    diff = (
        "--- src/brandaudit/redact.py\n+++ src/brandaudit/redact.py\n@@ -1,3 +1,3 @@\n"
        " def scrub(text: str) -> str:\n-    if not forms or not text:\n"
        "+    if not forms and not text:\n         return text\n"
    )
    assert mutation.changed_lines(diff) == (
        "if not forms or not text:",
        "if not forms and not text:",
    )
    entry = {
        "function": "brandaudit.redact.x_scrub",
        "original": "if not forms or not text:",
        "mutated": "if not forms and not text:",
    }
    assert mutation.is_listed("brandaudit.redact.x_scrub__mutmut_7", diff, [entry])
    assert not mutation.is_listed("brandaudit.redact.x_register__mutmut_7", diff, [entry])
    other = diff.replace("and not text", "or text")
    assert not mutation.is_listed("brandaudit.redact.x_scrub__mutmut_7", other, [entry])


def test_the_weekly_workflow_is_pinned_least_privilege_and_uploads_the_report() -> None:
    text = WORKFLOW.read_text("utf-8")
    uses = re.findall(r"uses: (\S+)", text)
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", use), use
    assert "\npermissions: {}\n" in text
    assert "contents: read" in text
    assert "persist-credentials: false" in text
    assert "schedule:" in text
    assert "python -m bench.mutation" in text
    assert "actions/upload-artifact@" in text
    assert "bench/out/mutation/report.md" in text
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    assert any(dep.startswith("mutmut") for dep in extras["mutation"])
