"""Shared steps for the history tests: runs of the installed CLI against the test world."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import CliResult, World
from tests.world.http import Reply

GH_MASTODON = ("-p", "github", "-p", "mastodon")


def homepage(*links: str, same_as: tuple[str, ...] = ()) -> Reply:
    head = ""
    if same_as:
        items = ", ".join(f'"{u}"' for u in same_as)
        head = (
            '<script type="application/ld+json">{"@context": "https://schema.org", '
            f'"@type": "Organization", "name": "Acme", "sameAs": [{items}]}}</script>'
        )
    body = "".join(f'<a href="{u}">profile</a>' for u in links) or "<p>No social links.</p>"
    return Reply.html(f"<!doctype html><html><head>{head}</head><body>{body}</body></html>")


def check(world: World, db: Path, *args: str) -> CliResult:
    """``brandaudit check`` with the given args, against ``db``."""
    return world.run("check", "--db", str(db), *args)


def changes(result: CliResult) -> list[dict[str, Any]]:
    brand = result.json()["brands"][0]
    return list(brand.get("changes", []))


def kinds(result: CliResult) -> dict[tuple[str | None, str], dict[str, Any]]:
    """(platform, kind) -> change."""
    return {(c["platform"], c["kind"]): c for c in changes(result)}


def history(world: World, db: Path, domain: str = "acme.com") -> list[dict[str, Any]]:
    result = world.run("history", domain, "--db", str(db), "-f", "json")
    assert result.code == 0, result.stderr
    runs: list[dict[str, Any]] = result.json()["runs"]
    return runs


def brand_json(domain: str, github: str = "claimed", score: int | None = 100) -> str:
    """One ``Brand`` JSON line as ``check -f jsonl`` writes it (for import and store tests)."""
    from brandaudit.model import Brand, Confidence, Method, PlatformResult, Status

    result = PlatformResult(
        platform="github",
        platform_name="GitHub",
        handle=domain.split(".", maxsplit=1)[0],
        status=Status(github),
        confidence=Confidence.HIGH,
        method=Method.OFFICIAL_API,
        reason=f"GitHub says {github}",
    )
    grade = None if score is None else ("A" if score >= 90 else "F")
    brand = Brand(
        domain=domain, handles=(result.handle,), platforms=(result,), score=score, grade=grade
    )
    return brand.model_dump_json()
