"""Mutation testing of the modules where a wrong line means a wrong verdict or a leaked secret.

mutmut changes one thing at a time in a module (``>`` to ``>=``, ``and`` to ``or``, a string,
a number) and runs the in-process tests that cover the changed function; a mutant the tests
don't notice *survived*. Each target runs on its own, in its own scratch directory under
``bench/out/mutation/<target>/`` (git-ignored), with only the test files that exercise it, so
one run is a few minutes of one or two cores, not the whole suite per mutant.

Survivors listed in ``tests/mutation_equivalents.toml`` (equivalent mutants: no input can tell
them apart from the original) count as killed, so the survivors a run prints are news: either a
missing test or a new entry for that file, with its one-line reason.

    python -m bench.mutation                      # every target, one after another
    python -m bench.mutation redact policy        # some targets
    python -m bench.mutation --list               # the targets, their sources and tests
    nice -n 10 python -m bench.mutation signals --max-children 1

Outputs: ``bench/out/mutation/report.md`` (scores, and each unlisted survivor with its diff)
and ``report.json``; the exit code is 1 when a target is below its floor. Needs the
``mutation`` extra (``pip install -e '.[test,mutation]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "mutation"
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.toml"


@dataclass(frozen=True)
class Target:
    name: str
    sources: tuple[str, ...]
    """Globs (relative to the repository) of the files to mutate."""
    tests: tuple[str, ...]
    """The in-process test files (or node ids) that exercise them."""
    floor: float
    """The lowest acceptable score, in percent, listed equivalents counted as killed."""


POLICY_TESTS = (
    "tests/unit/test_policy.py",
    "tests/unit/test_match.py",
    "tests/unit/test_exits.py",
    "tests/people/test_units.py",
)
TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            "redact",
            ("src/brandaudit/redact.py",),
            ("tests/hardening/test_redact.py",),
            95.0,
        ),
        Target(
            "policy",
            (
                "src/brandaudit/policy/claims.py",
                "src/brandaudit/policy/match.py",
                "src/brandaudit/policy/score.py",
                "src/brandaudit/policy/verdict.py",
            ),
            POLICY_TESTS,
            90.0,
        ),
        # The next steps: advice, not verdicts (most survivors change its wording); measured
        # on its own so the verdict modules' score isn't diluted by it.
        Target("steps", ("src/brandaudit/policy/steps.py",), POLICY_TESTS, 0.0),
        Target(
            "signals",
            ("src/brandaudit/platforms/signals.py",),
            # The loopback-world tests (test_contract, test_custom, test_builtin) reach it too,
            # but cost seconds per mutant: its unit tests must catch a wrong line on their own.
            ("tests/platforms/test_signals.py",),
            90.0,
        ),
        Target(
            "well_known",
            ("src/brandaudit/bluesky/well_known.py",),
            ("tests/bluesky/test_judges.py", "tests/bluesky/test_judge_edges.py"),
            90.0,
        ),
        Target(
            "dns_check",
            ("src/brandaudit/bluesky/dns_check.py",),
            ("tests/bluesky/test_judges.py", "tests/bluesky/test_judge_edges.py"),
            90.0,
        ),
    )
}


@dataclass
class Outcome:
    target: Target
    counts: dict[str, int] = field(default_factory=dict)
    survivors: dict[str, str] = field(default_factory=dict)
    """Unlisted survivors: mutant name -> its diff."""
    equivalent: list[str] = field(default_factory=list)
    seconds: float = 0.0
    by_module: dict[str, dict[str, int]] = field(default_factory=dict)
    """module -> {"mutants", "killed"} (listed equivalents counted as killed)."""

    @property
    def total(self) -> int:
        return sum(n for status, n in self.counts.items() if status != "not checked")

    @property
    def score(self) -> float:
        killed = self.counts.get("killed", 0) + self.counts.get("timeout", 0)
        killed += len(self.equivalent)
        return 100.0 * killed / self.total if self.total else 0.0


def load_equivalents(path: Path = EQUIVALENTS) -> list[dict[str, str]]:
    """The listed equivalent mutants: ``function``, ``original``, ``mutated``, ``reason``."""
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text("utf-8")).get("equivalent", [])
    return [{k: str(v) for k, v in entry.items()} for entry in entries]


_NUMBER = re.compile(r"__mutmut_\d+$")


def changed_lines(diff: str) -> tuple[str, str]:
    """The removed and added lines of a mutant's diff, each stripped and joined."""
    lines = [line for line in diff.splitlines() if not line.startswith(("--- ", "+++ "))]
    removed = [line[1:].strip() for line in lines if line.startswith("-")]
    added = [line[1:].strip() for line in lines if line.startswith("+")]
    return " / ".join(removed), " / ".join(added)


def is_listed(mutant: str, diff: str, entries: list[dict[str, str]]) -> bool:
    """Whether a survivor is a listed equivalent: same function, same change (the mutant's
    number is left out, so an edit elsewhere in the function doesn't orphan the entry)."""
    function = _NUMBER.sub("", mutant)
    original, mutated = changed_lines(diff)
    return any(
        e.get("function") == function
        and e.get("original") == original
        and e.get("mutated") == mutated
        for e in entries
    )


def _pyproject(target: Target) -> str:
    """The scratch directory's pyproject.toml: the project's pytest settings and the target's
    mutmut settings (mutmut reads only ./pyproject.toml)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    pytest_opts: dict[str, Any] = dict(project["tool"]["pytest"]["ini_options"])
    pytest_opts.pop("testpaths", None)
    # mutmut forks a worker per mutant itself: no xdist, so no --dist either.
    addopts = list(pytest_opts.get("addopts", []))
    if "--dist" in addopts:
        del addopts[addopts.index("--dist") : addopts.index("--dist") + 2]
    pytest_opts["addopts"] = addopts
    lines = ["[tool.pytest.ini_options]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in pytest_opts.items()]
    lines += [
        "",
        "[tool.mutmut]",
        'source_paths = ["src"]',
        f"only_mutate = {json.dumps(list(target.sources))}",
        f"pytest_add_cli_args_test_selection = {json.dumps(list(target.tests))}",
        # No xdist, no plugins that fork: mutmut forks one worker per mutant itself.
        'pytest_add_cli_args = ["-p", "no:xdist", "-p", "no:cacheprovider", "-q"]',
        "use_git_change_detection = false",
        "",
    ]
    return "\n".join(lines)


def prepare(target: Target, fresh: bool) -> Path:
    work = OUT / target.name
    if fresh and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    for name in ("src", "tests"):
        link = work / name
        if not link.exists():
            link.symlink_to(ROOT / name, target_is_directory=True)
    (work / "pyproject.toml").write_text(_pyproject(target), "utf-8")
    return work


def _mutmut(work: Path, *args: str, check: bool = True) -> str:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=6 * 3600,
    )
    if check and done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"mutmut {' '.join(args)} failed in {work} ({done.returncode})")
    return done.stdout


_RESULT = re.compile(r"^\s+(\S+): (.+)$")

# One process for every diff (``mutmut show`` is one process per mutant).
_DIFFS = """
import json, sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
diffs = {}
for name in json.load(sys.stdin):
    try:
        diffs[name] = get_diff_for_mutant(name)
    except Exception as exc:  # a mutant mutmut can't show: say so in the report
        diffs[name] = f"(no diff: {type(exc).__name__}: {exc})"
json.dump(diffs, sys.stdout)
"""


def _diffs(work: Path, mutants: list[str]) -> dict[str, str]:
    if not mutants:
        return {}
    done = subprocess.run(
        [sys.executable, "-c", _DIFFS],
        cwd=work,
        input=json.dumps(mutants),
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    diffs: dict[str, str] = json.loads(done.stdout)
    return diffs


def run_target(target: Target, max_children: int, fresh: bool) -> Outcome:
    work = prepare(target, fresh)
    started = time.monotonic()
    _mutmut(work, "run", "--max-children", str(max_children))
    outcome = Outcome(target, seconds=time.monotonic() - started)
    entries = load_equivalents()
    statuses = [
        match.groups()
        for line in _mutmut(work, "results", "--all", "true").splitlines()
        if (match := _RESULT.match(line))
    ]
    diffs = _diffs(
        work, [m for m, status in statuses if status in {"survived", "no tests", "suspicious"}]
    )
    for mutant, status in statuses:
        outcome.counts[status] = outcome.counts.get(status, 0) + 1
        module = outcome.by_module.setdefault(_module(mutant), {"mutants": 0, "killed": 0})
        module["mutants"] += status != "not checked"
        module["killed"] += status in {"killed", "timeout"}
        if mutant in diffs:
            diff = diffs[mutant]
            if status == "survived" and is_listed(mutant, diff, entries):
                outcome.equivalent.append(mutant)
                module["killed"] += 1
            else:
                outcome.survivors[mutant] = diff
    return outcome


def _module(mutant: str) -> str:
    """``brandaudit.policy.score.x_grade__mutmut_3`` -> ``brandaudit.policy.score``."""
    found = re.match(r"(.+?)\.x[_ǁ]", mutant)
    return found.group(1) if found else mutant


def report(outcomes: list[Outcome]) -> str:
    rows = [
        "| target | mutants | killed | equivalent | survived | score | floor |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        killed = o.counts.get("killed", 0) + o.counts.get("timeout", 0)
        rows.append(
            f"| {o.target.name} | {o.total} | {killed} | {len(o.equivalent)} "
            f"| {len(o.survivors)} | {o.score:.1f}% | {o.target.floor:.0f}% |"
        )
    rows += ["", "| module | mutants | killed or equivalent | score |", "|---|---|---|---|"]
    for o in outcomes:
        for name, m in sorted(o.by_module.items()):
            share = 100.0 * m["killed"] / m["mutants"] if m["mutants"] else 0.0
            rows.append(f"| {name} | {m['mutants']} | {m['killed']} | {share:.1f}% |")
    parts = ["# Mutation testing", "", *rows, ""]
    for o in outcomes:
        if not o.survivors:
            continue
        parts += [f"## {o.target.name}: survivors not listed as equivalent", ""]
        for mutant, diff in sorted(o.survivors.items()):
            parts += [f"### {mutant}", "", "```diff", diff.strip(), "```", ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="target", help=", ".join(TARGETS))
    parser.add_argument("--max-children", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--keep", action="store_true", help="reuse the previous run's state")
    parser.add_argument("--list", action="store_true", help="print the targets and exit")
    args = parser.parse_args(argv)
    if unknown := [name for name in args.targets if name not in TARGETS]:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    chosen = [TARGETS[name] for name in args.targets] or list(TARGETS.values())
    if args.list:
        for t in chosen:
            print(f"{t.name}: {', '.join(t.sources)} <- {', '.join(t.tests)} (floor {t.floor}%)")
        return 0
    outcomes: list[Outcome] = []
    for target in chosen:
        print(f"== {target.name}", flush=True)
        outcome = run_target(target, args.max_children, fresh=not args.keep)
        outcomes.append(outcome)
        print(
            f"   {outcome.score:.1f}% of {outcome.total} ({len(outcome.survivors)} survivors, "
            f"{len(outcome.equivalent)} listed equivalents) in {outcome.seconds:.0f} s",
            flush=True,
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text(report(outcomes), "utf-8")
    (OUT / "report.json").write_text(
        json.dumps(
            {
                o.target.name: {
                    "score": round(o.score, 1),
                    "floor": o.target.floor,
                    "counts": o.counts,
                    "modules": o.by_module,
                    "equivalent": sorted(o.equivalent),
                    "survivors": sorted(o.survivors),
                }
                for o in outcomes
            },
            indent=2,
        ),
        "utf-8",
    )
    print(f"report: {OUT / 'report.md'}")
    return 0 if all(o.score >= o.target.floor for o in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
