"""``brandaudit merge``: JSON Lines shards (``check --shard K/N -f jsonl``) into one report.

Each shard line is a brand as its shard judged it (claims, score, next steps, with the
shard's config and ``--require``), so the merged report's exit code is the one a single run
over every brand gives: 1 when a required claim fails, else 3 when one is undecided, else 0.
What a single run cannot have makes the merge inconclusive (at least 3), with a warning on
stderr and in the report: a line that is not a brand (a torn or foreign file), a brand found
twice (the first is kept), a shard file with no brands, fewer files than ``--shards``, and,
with ``--input``, brands of the list that no file holds (named with their shard K/N).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from brandaudit import exits
from brandaudit.cli.common import (
    EmitArgs,
    emit,
    format_for,
    guarded,
    load_settings,
    parse_format,
)
from brandaudit.cli.options import (
    Color,
    ColorOption,
    ConfigOption,
    SarifCategoryOption,
    SarifLocationOption,
)
from brandaudit.errors import InputError
from brandaudit.exits import RunStats

if TYPE_CHECKING:
    from brandaudit.model import Brand, Report

_LISTED = 10
"""Brands named in a "missing" warning before the rest are only counted."""


@dataclass(slots=True)
class Merged:
    """The brands of every shard, in order, and what stood in the way of a whole report."""

    brands: list[Brand] = field(default_factory=list)
    where: dict[str, str] = field(default_factory=dict)
    """domain -> ``file:line`` it was taken from."""
    problems: list[str] = field(default_factory=list)


def read_shards(paths: Iterable[Path]) -> Merged:
    """Read every JSON Lines file; duplicates and bad lines become problems, never errors."""
    from brandaudit.reader import brand_from_json

    merged = Merged()
    for path in paths:
        count = 0
        try:
            handle = path.open(encoding="utf-8", errors="replace", newline="")
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
        with handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    brand = brand_from_json(line)
                except ValueError:  # pydantic's ValidationError is one
                    torn = "" if line.endswith("\n") else " (torn last line)"
                    merged.problems.append(f"{where}: not a brandaudit JSON line{torn}; skipped")
                    continue
                first = merged.where.get(brand.domain)
                if first is not None:
                    merged.problems.append(
                        f"{brand.domain} is in more than one place ({first} and {where}); "
                        "kept the first"
                    )
                    continue
                merged.where[brand.domain] = where
                merged.brands.append(brand)
                count += 1
        if count == 0:
            merged.problems.append(f"{path} holds no brands (a shard that failed or was empty)")
    return merged


def distinct_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The files in order, each once (by resolved path), and those named again."""
    seen: set[Path] = set()
    unique: list[Path] = []
    repeated: list[Path] = []
    for path in paths:
        key = path.resolve()
        if key in seen:
            if path not in repeated:
                repeated.append(path)
            continue
        seen.add(key)
        unique.append(path)
    return unique, repeated


def check_shard_count(merged: Merged, files: int, shards: int | None) -> None:
    if shards is not None and files != shards:
        what = "missing" if files < shards else "too many"
        merged.problems.append(f"expected {shards} shard files, got {files} ({what})")


def check_against_input(merged: Merged, input_file: str, shards: int | None) -> list[str]:
    """Brands of the input list that no shard holds (by shard, when ``shards`` is known);
    returns the input's domains in order, for the report's brand order."""
    import contextlib

    from brandaudit.batch import BatchArgs, entries_for
    from brandaudit.handles import normalise_domain

    order: list[str] = []
    missing: dict[int | None, list[str]] = {}
    totals: dict[int | None, int] = {}
    with contextlib.ExitStack() as stack:
        for entry in entries_for(BatchArgs(input=input_file), [], stack):
            try:
                domain = normalise_domain(entry.domain).value
            except InputError:
                continue  # the shard's run warned about it and skipped it
            order.append(domain)
            shard = entry.ordinal % shards if shards else None
            totals[shard] = totals.get(shard, 0) + 1
            if domain not in merged.where:
                missing.setdefault(shard, []).append(domain)
    for shard, domains in sorted(missing.items(), key=lambda item: item[0] or 0):
        label = f"shard {shard}/{shards}" if shard is not None else "the input"
        if shard is not None and len(domains) == totals[shard]:
            merged.problems.append(f"{label} is missing: none of its {len(domains)} brands found")
            continue
        named = ", ".join(domains[:_LISTED]) + (", ..." if len(domains) > _LISTED else "")
        merged.problems.append(f"{len(domains)} brand(s) of {label} missing: {named}")
    return order


def ordered(merged: Merged, order: list[str] | None) -> list[Brand]:
    """Input order when the input is known (as a single run reports), else by domain."""
    if order is None:
        return sorted(merged.brands, key=lambda b: b.domain)
    position = {domain: i for i, domain in enumerate(order)}
    return sorted(merged.brands, key=lambda b: (position.get(b.domain, len(order)), b.domain))


def merge_report(
    files: list[Path],
    *,
    shards: int | None,
    input_file: str | None,
    warn: Callable[[str], None],
) -> tuple[Report, int]:
    """The merged ``Report`` and its exit code (0, 1 or 3)."""
    from datetime import UTC, datetime

    from brandaudit import __version__
    from brandaudit.model import Report as ReportModel
    from brandaudit.model import ToolInfo
    from brandaudit.policy import exit_code_for

    unique, repeated = distinct_files(files)
    merged = read_shards(unique)
    merged.problems[:0] = [f"{path} is given more than once; read once" for path in repeated]
    check_shard_count(merged, len(unique), shards)
    order = check_against_input(merged, input_file, shards) if input_file else None
    for problem in merged.problems:
        warn(problem)
    report = ReportModel(
        tool=ToolInfo(version=__version__),
        generated_at=datetime.now(UTC),
        brands=tuple(ordered(merged, order)),
        warnings=tuple(merged.problems),
    )
    code = exits.combine([exit_code_for(report)], RunStats(problems=len(merged.problems)))
    return report, code


ShardFilesArgument = Annotated[
    list[Path],
    typer.Argument(
        help="JSON Lines files written by 'brandaudit check --shard K/N -f jsonl -o FILE'.",
        show_default=False,
        dir_okay=False,
    ),
]

MergeFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json, jsonl, markdown, sarif or junit (default: table, "
        "or from the -o extension).",
        envvar="BRANDAUDIT_FORMAT",
        show_default=False,
    ),
]

MergeOutputOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the merged report to FILE (repeatable; format from the extension). "
        "Written atomically.",
        show_default=False,
        dir_okay=False,
    ),
]

ShardsOption = Annotated[
    int | None,
    typer.Option(
        "--shards",
        metavar="N",
        help="How many shards the run was cut into (the N of K/N): fewer files, or brands "
        "of --input missing from a shard, are reported.",
        show_default=False,
        min=1,
        max=100_000,
    ),
]

MergeInputOption = Annotated[
    str | None,
    typer.Option(
        "--input",
        "-i",
        metavar="FILE",
        help="The brand list the shards were cut from: brands no file holds are reported "
        "(and the report keeps its order).",
        show_default=False,
    ),
]

MergeExitZeroOption = Annotated[
    bool,
    typer.Option(
        "--exit-zero",
        envvar="BRANDAUDIT_EXIT_ZERO",
        help="Exit 0 even when a required claim fails (1) or is undecided (3).",
    ),
]


# A Typer command declares each of its options as a parameter (PLR0913 is about helpers).
def merge(  # noqa: PLR0913
    files: ShardFilesArgument,
    fmt: MergeFormatOption = None,
    output: MergeOutputOption = None,
    shards: ShardsOption = None,
    input_file: MergeInputOption = None,
    config: ConfigOption = None,
    color: ColorOption = Color.AUTO,
    exit_zero: MergeExitZeroOption = False,
    sarif_category: SarifCategoryOption = None,
    sarif_location: SarifLocationOption = None,
) -> None:
    """Merge JSON Lines shards into one report, with the exit code of a single run.

    \b
    Examples:
      brandaudit check -i brands.txt --shard 0/4 -f jsonl -o shard0.jsonl
      brandaudit merge shard*.jsonl --shards 4 -i brands.txt -o r.sarif -o r.md
    """

    def body() -> int:
        from brandaudit.render import Format
        from brandaudit.sinks import check_target

        chosen = parse_format(fmt, Format)
        outputs = output or []
        for path in outputs:
            format_for(path, chosen)
            check_target(path)
        settings = load_settings(config)  # as check: findings in SARIF point at the config lines

        def warn(message: str) -> None:
            sys.stderr.write(f"brandaudit: warning: {message}\n")

        report, code = merge_report(files, shards=shards, input_file=input_file, warn=warn)
        emit(
            report,
            chosen,
            outputs,
            color,
            settings=settings,
            exit_code=exits.shown(code, exit_zero),
            extra=EmitArgs(sarif_category, sarif_location, input_file),
        )
        return code

    raise typer.Exit(exits.shown(guarded(body), exit_zero))
