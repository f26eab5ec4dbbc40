"""The distribution is installed as itself: one name (``brandaudit-cli``; ``brandaudit`` on the
package index is an unrelated project), every install line in the documentation and examples
naming it (or a path, a git URL, the action's checkout), one version everywhere, and the
README's action example using only inputs ``action.yml`` has."""

from __future__ import annotations

import importlib
import re
import shlex
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

import brandaudit

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
NAME = PYPROJECT["project"]["name"]
# The console script's module (brandaudit._entry), as pyproject.toml names it.
_entry = importlib.import_module(PYPROJECT["project"]["scripts"]["brandaudit"].split(":")[0])
# The unrelated project that owns this name on the package index.
FOREIGN = "brandaudit"


def _scanned_files() -> list[Path]:
    """Where a user reads an install line: the README, docs/, the action, examples/, and the
    other documents and messages that tell people how to install."""
    files = [
        ROOT / "README.md",
        ROOT / "SECURITY.md",
        ROOT / "CHANGELOG.md",
        ROOT / "action.yml",
        ROOT / "Dockerfile",
        ROOT / ".pre-commit-hooks.yaml",
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "bench").glob("*.md")),
        *sorted((ROOT / ".github").rglob("*.yml")),
        *sorted((ROOT / "src").rglob("*.py")),
    ]
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.is_file() and path.suffix in {".md", ".yml", ".yaml", ".toml", ".txt", ".py"}:
            files.append(path)
    return [f for f in files if f.is_file()]


# An installer, then what it installs. `uvx`/`pipx run` install their first argument (or --from
# / --spec) and run a command; the others install every positional argument.
_INSTALLER = re.compile(
    r"(?<![\w-])(?P<cmd>(?:python3?\s+-m\s+)?pip3?\s+install|uv\s+pip\s+install|uv\s+add"
    r"|uv\s+tool\s+(?:install|run)|pipx\s+(?:install|run|inject)|uvx)(?=\s)(?P<rest>[^\n]*)"
)
_END = re.compile(r"&&|\|\||;|\||#|`|\)$")
_TAKES_VALUE = {"-r", "-c", "--constraint", "--requirement", "-i", "--index-url", "--python"}


def _install_targets(line: str) -> Iterator[str]:
    """Every requirement an install command on this line would fetch by name."""
    for match in _INSTALLER.finditer(line):
        rest = _END.split(match.group("rest"), maxsplit=1)[0]
        try:
            words = shlex.split(rest)
        except ValueError:
            words = rest.split()
        runs = match.group("cmd").split()[-1] in {"uvx", "run"}
        skip = False
        for i, word in enumerate(words):
            if skip:
                skip = False
                continue
            if word in {"--from", "--spec"} and i + 1 < len(words):
                yield words[i + 1]
                break
            if word in _TAKES_VALUE:
                skip = True
                continue
            if word.startswith("-"):
                continue
            yield word
            if runs:
                break  # the rest is the command and its arguments


def _names_foreign(target: str) -> bool:
    """Whether an install target asks the index for the unrelated ``brandaudit``."""
    target = target.strip("\"'")
    if target.startswith((".", "/", "~", "$")) or "/" in target.split("@")[0]:
        return False  # a path or a variable: this checkout, never the index
    try:
        name = Requirement(target).name
    except InvalidRequirement:
        name = re.split(r"[\[=<>!~@;\s]", target, maxsplit=1)[0]
    return canonicalize_name(name) == FOREIGN


def _offences(text: str) -> list[str]:
    found = []
    lines = text.replace("\\\n", " ").splitlines()
    for number, line in enumerate(lines, 1):
        for target in _install_targets(line):
            if _names_foreign(target):
                found.append(f"{number}: {line.strip()}")
        # A requirement written out anywhere (a workflow's env, a docstring, a TOML list).
        if re.search(
            r"(?<![\w./@-])[\"']?brandaudit(?:\[[\w,\s-]*\])?\s*(?:===?|>=|~=|<=|!=)", line
        ):
            found.append(f"{number}: {line.strip()}")
    return found


@pytest.mark.parametrize(
    "line",
    [
        "pip install brandaudit",
        "pip install brandaudit && brandaudit check acme.com",
        "python -m pip install --quiet Brandaudit",
        'pip install "brandaudit==0.1.0"',
        "pip install 'brandaudit[aiohttp]'",
        "pip3 install -U brandaudit>=0.1",
        "pipx install brandaudit",
        "uv tool install brandaudit",
        "uv pip install BrandAudit",
        "uvx brandaudit check acme.com",
        "uvx --from brandaudit brandaudit check acme.com",
        "pipx run --spec brandaudit brandaudit check acme.com",
        "      - pip install brandaudit",
        'dependencies = ["brandaudit>=0.1"]',
        'run: python -m pip install "brandaudit==${BRANDAUDIT_VERSION}"',
        "pip install \\\n  brandaudit",
    ],
)
def test_the_scan_catches_a_line_that_installs_the_other_project(line: str) -> None:
    assert _offences(line), line


@pytest.mark.parametrize(
    "line",
    [
        "pip install . && brandaudit check acme.com",
        "pip install -e '.[test,lint]' && python -m pytest -n auto --cov",
        "pip install brandaudit-cli",
        'pip install "brandaudit-cli==0.1.0"',
        "pipx install brandaudit-cli",
        "uv tool install brandaudit-cli",
        "uvx --from brandaudit-cli brandaudit check acme.com",
        '"$bin/python" -m pip install --quiet "$GITHUB_ACTION_PATH"',
        'pip install "brandaudit-cli @ git+https://github.com/brandaudit/brandaudit@0123abc"',
        "pip install -e . -e 'examples/plugin[test]'",
        "pip install -r requirements.txt brandaudit-cli",
        "brandaudit check acme.com  # pip install is not needed here",
    ],
)
def test_the_scan_passes_lines_that_install_this_project(line: str) -> None:
    assert not _offences(line), line


def test_no_install_line_installs_the_unrelated_brandaudit() -> None:
    offences = {
        str(path.relative_to(ROOT)): found
        for path in _scanned_files()
        if (found := _offences(path.read_text(encoding="utf-8")))
    }
    assert offences == {}


def test_the_scan_reads_the_files_users_copy_from() -> None:
    names = {str(p.relative_to(ROOT)) for p in _scanned_files()}
    assert {"README.md", "action.yml", "examples/workflows/sharded.yml"} <= names
    assert "examples/plugin/pyproject.toml" in names
    assert any(n.startswith("docs/") for n in names)


def test_the_distribution_name_is_ours_and_used_everywhere() -> None:
    assert canonicalize_name(NAME) == "brandaudit-cli"
    assert canonicalize_name(NAME) != FOREIGN
    # The command and the import package keep the short name.
    assert PYPROJECT["project"]["scripts"] == {"brandaudit": "brandaudit._entry:main"}
    # --version's fast path skips this distribution's own .dist-info by this name.
    assert re.sub(r"[-_.]+", "_", NAME).lower() == _entry.DIST_INFO_NAME
    assert _entry.dist_info_name(f"{_entry.DIST_INFO_NAME}-1.2.3.dist-info") == (
        _entry.DIST_INFO_NAME
    )
    assert _entry.dist_info_name("Brandaudit.CLI.egg-info") == _entry.DIST_INFO_NAME
    assert _entry.dist_info_name("brandaudit-0.1.0.dist-info") != _entry.DIST_INFO_NAME
    # The example plugin depends on this project, by this name.
    plugin = tomllib.loads((ROOT / "examples/plugin/pyproject.toml").read_text(encoding="utf-8"))
    depends = {canonicalize_name(Requirement(r).name) for r in plugin["project"]["dependencies"]}
    assert canonicalize_name(NAME) in depends
    # The action's `version:` input installs this distribution.
    assert f'"{NAME}==$BRANDAUDIT_ACTION_VERSION"' in (ROOT / "action.yml").read_text()


def test_the_readme_shows_every_install_path_by_this_name() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in (
        f"pipx install {NAME}",
        f"uv tool install {NAME}",
        f"uvx --from {NAME} brandaudit check acme.com",
        f'pip install "{NAME}==',
    ):
        assert line in readme, line
    # The Quick start's two commands stay as they are.
    assert "pip install . && brandaudit check acme.com\n" in readme
    assert "pip install -e '.[test,lint]' && python -m pytest -n auto --cov\n" in readme


# Every place a user copies a version from, by what it pins.
_VERSION_PINS = [
    re.compile(rf"{re.escape(NAME)}==([0-9][\w.+!-]*)"),
    re.compile(r"brandaudit/brandaudit@v([0-9][\w.+!-]*)"),
    re.compile(r"ghcr\.io/brandaudit/brandaudit:([0-9][\w.+!-]*)"),
    re.compile(r'BRANDAUDIT_VERSION: "([^"]+)"'),
]


def test_every_pinned_version_is_the_current_one() -> None:
    """One source of truth: ``brandaudit.__version__``; each copy a user reads equals it (the
    release script, .ci/release.py, moves them all)."""
    seen = 0
    for path in _scanned_files():
        if path.name == "CHANGELOG.md":
            continue  # history: each section names the versions of its day
        text = path.read_text(encoding="utf-8")
        for pattern in _VERSION_PINS:
            for match in pattern.finditer(text):
                seen += 1
                assert match.group(1) == brandaudit.__version__, (path, match.group(0))
    assert seen >= 6


def _action_inputs() -> set[str]:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    block = text.split("\ninputs:\n", 1)[1].split("\noutputs:\n", 1)[0]
    return set(re.findall(r"^  ([\w-]+):\s*$", block, flags=re.MULTILINE))


def _example_inputs(text: str) -> list[tuple[str, set[str]]]:
    """For each ``uses: brandaudit/brandaudit@REF`` step: REF and the keys under its ``with:``,
    commented-out ones included (the README shows optional inputs commented)."""
    found = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"(\s*)(?:- )?uses: brandaudit/brandaudit@(\S+)", line)
        if not match:
            continue
        keys: set[str] = set()
        indent = len(match.group(1)) + (2 if line.lstrip().startswith("- ") else 0)
        in_with = False
        for following in lines[i + 1 :]:
            stripped = following.strip()
            depth = len(following) - len(following.lstrip())
            if (stripped and depth < indent) or stripped.startswith("- "):
                break
            if stripped == "with:":
                in_with = True
                continue
            if in_with and (key := re.match(r"#?\s*([\w-]+):", stripped)):
                if depth > indent:
                    keys.add(key.group(1))
                else:
                    in_with = False
        found.append((match.group(2), keys))
    return found


def test_the_readme_action_example_uses_only_inputs_the_action_has() -> None:
    inputs = _action_inputs()
    assert {"domain", "fail-under", "args", "formats", "exit-zero", "version"} <= inputs
    for path in (ROOT / "README.md", ROOT / "examples/workflows/brandaudit.yml"):
        examples = _example_inputs(path.read_text(encoding="utf-8"))
        assert examples, path
        for ref, keys in examples:
            assert keys, (path, ref)
            assert keys <= inputs, (path, keys - inputs)
            # The pinned ref carries this action.yml: the tag this version's release creates
            # (the release workflow refuses a tag that differs from __version__), or a commit.
            assert ref == f"v{brandaudit.__version__}" or re.fullmatch(r"[0-9a-f]{40}", ref)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # The prose list of inputs names each one (defaults in parentheses left out).
    listed = readme.split("\nInputs: ", 1)[1].split("; outputs:", 1)[0]
    assert set(re.findall(r"`([\w-]+)`", re.sub(r"\([^)]*\)", "", listed))) == inputs


def test_the_example_reader_sees_the_readme_inputs() -> None:
    """The reader above can fail: it finds commented and uncommented keys, and stops at the
    step's end."""
    text = (
        "steps:\n  - id: x\n    uses: brandaudit/brandaudit@v9\n    with:\n"
        "      # fail-under: '75'\n      domain: acme.com\n  - uses: other/thing@v1\n"
        "    with:\n      token: x\n"
    )
    assert _example_inputs(text) == [("v9", {"fail-under", "domain"})]
