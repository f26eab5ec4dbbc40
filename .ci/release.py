"""The version's one source of truth is ``__version__`` in src/brandaudit/__init__.py; this
script moves it and checks a release against it.

    python .ci/release.py bump 0.2.0 [--date YYYY-MM-DD]
        Sets ``__version__``, turns CHANGELOG.md's "Unreleased" section into the version's
        dated section (merged into an undated section of that version if there is one), and
        moves every version a user copies (README, examples: ``brandaudit-cli==``, the action's
        ``@v`` tag, the image tag) to the new one. Commit that, then tag it ``v0.2.0``.

    python .ci/release.py check v0.2.0 [--notes FILE] [--github-output FILE]
        What the release workflow runs on a tag: the tag must be ``v`` + ``__version__`` and
        CHANGELOG.md must have a dated, non-empty section for it (written to FILE, the GitHub
        release's notes). Exits 1, saying why, otherwise.

Standard library only, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INIT = Path("src/brandaudit/__init__.py")
CHANGELOG = Path("CHANGELOG.md")
DIST = "brandaudit-cli"
_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:(a|b|rc)(0|[1-9]\d*))?$")
_SECTION = re.compile(r"^## \[(?P<name>[^\]]+)\](?P<rest>.*)$", re.MULTILINE)


class ReleaseError(Exception):
    pass


def current_version(root: Path) -> str:
    match = _VERSION_LINE.search((root / INIT).read_text(encoding="utf-8"))
    if match is None:
        raise ReleaseError(f"{INIT}: no '__version__ = \"...\"' line")
    return match.group(1)


def _sections(text: str) -> list[tuple[str, str, int, int]]:
    """(name, rest of heading, start, end) of each ``## [name]`` section."""
    found = list(_SECTION.finditer(text))
    ends = [m.start() for m in found[1:]]
    links = (
        re.compile(r"^\[[^\]]+\]: ", re.MULTILINE).search(text, found[-1].end()) if found else None
    )
    ends.append(links.start() if links else len(text))
    return [
        (m.group("name"), m.group("rest"), m.start(), e) for m, e in zip(found, ends, strict=True)
    ]


def _body(text: str, start: int, end: int) -> str:
    return text[start:end].split("\n", 1)[1].strip() if "\n" in text[start:end] else ""


def _merge(first: str, second: str) -> str:
    """Two section bodies as one, entries under the same ``###`` heading together."""
    order: list[str] = []
    parts: dict[str, list[str]] = {}
    for body in (first, second):
        for chunk in re.split(r"^(?=### )", body, flags=re.MULTILINE):
            heading, _, rest = (
                chunk.partition("\n") if chunk.startswith("### ") else ("", "", chunk)
            )
            if rest.strip():
                if heading not in parts:
                    order.append(heading)
                    parts[heading] = []
                parts[heading].append(rest.strip())
    return "\n\n".join(f"{h.strip()}\n\n" * bool(h) + "\n".join(parts[h]) for h in order)


def release_notes(root: Path, version: str) -> str:
    text = (root / CHANGELOG).read_text(encoding="utf-8")
    for name, rest, start, end in _sections(text):
        if name == version:
            if not re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest):
                raise ReleaseError(f"{CHANGELOG}: [{version}] has no release date ({rest!r})")
            body = _body(text, start, end)
            if not body:
                raise ReleaseError(f"{CHANGELOG}: [{version}] is empty")
            return body + "\n"
    raise ReleaseError(f"{CHANGELOG}: no section [{version}]")


def check(root: Path, tag: str) -> str:
    version = current_version(root)
    if tag != f"v{version}":
        raise ReleaseError(f"tag {tag!r} is not v{version}, the version in {INIT}")
    if not _VERSION.match(version):
        raise ReleaseError(f"{version!r} is not a release version (1.2.3, 1.2.3rc1)")
    return release_notes(root, version)


def bump(root: Path, new: str, date: str) -> None:
    if not _VERSION.match(new):
        raise ReleaseError(f"{new!r} is not a release version (1.2.3, 1.2.3rc1)")
    old = current_version(root)
    changelog = (root / CHANGELOG).read_text(encoding="utf-8")
    sections = {name: (rest, start, end) for name, rest, start, end in _sections(changelog)}
    if "Unreleased" not in sections:
        raise ReleaseError(f"{CHANGELOG}: no [Unreleased] section")
    _, u_start, u_end = sections["Unreleased"]
    unreleased = _body(changelog, u_start, u_end)
    if new in sections:
        rest, start, end = sections[new]
        if re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest):
            raise ReleaseError(f"{CHANGELOG}: [{new}] was already released")
        merged = _merge(unreleased, _body(changelog, start, end))
        changelog = (
            changelog[:start] + f"## [{new}] - {date}\n\n{merged}\n\n" + changelog[end:].lstrip()
        )
        changelog = changelog[:u_start] + "## [Unreleased]\n\n" + changelog[u_end:]
    else:
        if not unreleased:
            raise ReleaseError(f"{CHANGELOG}: [Unreleased] is empty: nothing to release")
        changelog = (
            changelog[:u_start]
            + f"## [Unreleased]\n\n## [{new}] - {date}\n\n{unreleased}\n\n"
            + changelog[u_end:]
        )
    changelog = _links(changelog, new)
    (root / CHANGELOG).write_text(changelog, encoding="utf-8")
    init = (root / INIT).read_text(encoding="utf-8")
    (root / INIT).write_text(_VERSION_LINE.sub(f'__version__ = "{new}"', init), encoding="utf-8")
    if new == old:
        return
    # The copies of the version users copy move with it (tests/unit/test_distribution.py
    # checks that every copy in the repository equals __version__).
    for path in [root / "README.md", *sorted((root / "examples/workflows").glob("*.yml"))]:
        text = path.read_text(encoding="utf-8")
        for before, after in (
            (f"{DIST}=={old}", f"{DIST}=={new}"),
            (f"brandaudit/brandaudit@v{old}", f"brandaudit/brandaudit@v{new}"),
            (f"brandaudit:{old}", f"brandaudit:{new}"),
            (f" v{old}", f" v{new}"),
            (f'BRANDAUDIT_VERSION: "{old}"', f'BRANDAUDIT_VERSION: "{new}"'),
        ):
            text = text.replace(before, after)
        path.write_text(text, encoding="utf-8")


def _links(changelog: str, new: str) -> str:
    """The compare links at the foot: [Unreleased] from the new tag, [new] up to it."""
    base = "https://github.com/brandaudit/brandaudit"
    match = re.search(r"^\[Unreleased\]: \S*$", changelog, re.MULTILINE)
    since = re.search(r"/compare/(\S+)\.\.\.HEAD$", match.group(0)) if match else None
    previous = since.group(1) if since else None
    lines = [f"[Unreleased]: {base}/compare/v{new}...HEAD"]
    if f"\n[{new}]: " not in changelog:
        if previous and previous != f"v{new}":
            lines.append(f"[{new}]: {base}/compare/{previous}...v{new}")
        else:
            lines.append(f"[{new}]: {base}/releases/tag/v{new}")
    if match:
        return changelog[: match.start()] + "\n".join(lines) + changelog[match.end() :]
    return changelog.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=".ci/release.py")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True)
    bump_parser = commands.add_parser("bump", help="set the version and date the changelog")
    bump_parser.add_argument("version")
    bump_parser.add_argument("--date", default=dt.datetime.now(dt.UTC).date().isoformat())
    check_parser = commands.add_parser("check", help="check a tag against the version")
    check_parser.add_argument("tag")
    check_parser.add_argument("--notes", type=Path, help="write the release notes here")
    check_parser.add_argument("--github-output", type=Path, help="append version=... here")
    args = parser.parse_args(argv)
    try:
        if args.command == "bump":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.date):
                raise ReleaseError(f"--date {args.date!r} is not YYYY-MM-DD")
            bump(args.root, args.version, args.date)
            print(f"version {args.version}: commit, then tag v{args.version}")
            return 0
        notes = check(args.root, args.tag)
        if args.notes:
            args.notes.write_text(notes, encoding="utf-8")
        if args.github_output:
            with args.github_output.open("a", encoding="utf-8") as out:
                out.write(f"version={current_version(args.root)}\n")
        print(f"{args.tag}: the version in {INIT}, with a changelog section")
        return 0
    except (ReleaseError, OSError) as exc:
        print(f"release.py: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
