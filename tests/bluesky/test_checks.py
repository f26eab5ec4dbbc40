"""Checks as data (brandaudit.bluesky.checks): every output that names a Bluesky check takes
its words from the check's ``CheckSpec``, so the tables can't drift apart again."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from brandaudit import policy
from brandaudit.bluesky import CHECK_IDS
from brandaudit.bluesky.checks import BY_ID, CHECKS, CheckSpec, spec_for
from brandaudit.bluesky.render import bluesky_panel
from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    CheckStatus,
    Report,
    ToolInfo,
)
from brandaudit.render.html import render_html
from brandaudit.render.junit import render_junit
from brandaudit.render.markdown import code, md, render_markdown
from brandaudit.render.sarif import sarif_log

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "acme.com"


def _report(status: CheckStatus) -> Report:
    """One brand whose nine checks all end ``status``, each with its own message and fix."""
    checks = tuple(
        BlueskyCheck(id=s.id, status=status, message=f"saw {s.id}", fix=f"do {s.id}")
        for s in CHECKS
    )
    domain = BlueskyDomain(
        domain=DOMAIN,
        status=BlueskyStatus.MISCONFIGURED
        if status is CheckStatus.FAIL
        else BlueskyStatus.VERIFIED,
        did="did:plc:abcdefghijklmnopqrstuvwx",
        checks=checks,
    )
    brand = Brand(domain=DOMAIN, handles=("acme",), bluesky_domain=domain)
    return Report(
        tool=ToolInfo(version="0.1.0"),
        generated_at=datetime(2026, 1, 2, tzinfo=UTC),
        brands=(brand,),
    )


def _panel(domain: BlueskyDomain) -> str:
    console = Console(width=200, no_color=True, record=True)
    with console.capture() as capture:
        console.print(bluesky_panel(domain))
    return capture.get()


def test_specs_are_the_verifiers_checks_in_its_order() -> None:
    assert tuple(s.id for s in CHECKS) == CHECK_IDS
    assert tuple(BY_ID) == CHECK_IDS
    assert len({s.label for s in CHECKS}) == len(CHECKS)
    assert len({s.title for s in CHECKS}) == len(CHECKS)
    assert len({s.step for s in CHECKS}) == len(CHECKS)


@pytest.mark.parametrize("status", [CheckStatus.FAIL, CheckStatus.WARN])
def test_every_spec_reaches_every_consumer(status: CheckStatus) -> None:
    """The one walk: each id through SARIF, JUnit, Markdown, HTML, the terminal panel and
    the next steps, with the spec's own words."""
    report = _report(status)
    brand = report.brands[0]
    assert brand.bluesky_domain is not None
    run = sarif_log(report)["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    results = {r["ruleId"] for r in run["results"]}
    cases = {
        c.get("name")
        for c in ET.fromstring(render_junit(report)).iter("testcase")
        if c.get("classname") == "brandaudit.bluesky"
    }
    markdown = render_markdown(report)
    page = html.unescape(render_html(report))
    panel = _panel(brand.bluesky_domain)
    steps = {s.title: s.detail for s in policy.next_steps(brand)}
    for spec in CHECKS:
        rule = rules[spec.rule_id]
        assert rule["name"] == spec.rule_name
        assert rule["shortDescription"]["text"] == spec.title
        assert rule["fullDescription"]["text"] == spec.full_description
        assert rule["help"] == {"text": spec.help_text, "markdown": spec.help}
        assert rule["properties"]["security-severity"] == spec.severity
        level = "note" if spec.informational else "warning"
        assert rule["defaultConfiguration"]["level"] == level
        assert spec.rule_id in results
        assert spec.junit_name(DOMAIN) in cases
        assert f"| {md(spec.label)} ({code(spec.id)}) |" in markdown
        assert f'<th scope="row">{spec.label}</th>' in page
        assert re.search(rf"^\s*{re.escape(spec.label)}\s+{status.value.upper()}\b", panel, re.M)
        title = spec.step_title(DOMAIN, failing=status is CheckStatus.FAIL)
        assert steps.get(title) == f"do {spec.id}", (title, list(steps))


def _table_rows(text: str, header: str) -> list[list[str]]:
    """The rows (cells) of the Markdown table that starts with ``header``."""
    lines = text[text.index(header) :].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_readme_lists_exactly_the_specs_with_their_labels() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = _table_rows(readme, "| id | label | what is checked |")
    assert [(r[0], r[1]) for r in rows] == [(f"`{s.id}`", s.label) for s in CHECKS]


def test_docs_list_exactly_the_specs() -> None:
    docs = (ROOT / "docs" / "bluesky.md").read_text(encoding="utf-8")
    rows = _table_rows(docs, "| id | what it looks at | fails when |")
    assert [r[0] for r in rows] == [f"`{s.id}`" for s in CHECKS]


def test_wording_follows_the_contract() -> None:
    """The drift that made this module: methods_agree's rule said to fix "an old DNS
    record"; DNS wins, and it is the file that has to go."""
    agree = BY_ID["methods_agree"]
    assert "DNS record" not in agree.help.split("(")[0]
    assert "Delete `/.well-known/atproto-did`" in agree.help
    assert "Bluesky uses DNS" in agree.help
    for spec in CHECKS:  # a fail means the handle doesn't work: no "renew", no "usually"
        assert "renew" not in spec.help and "usually" not in spec.help
    assert BY_ID["verification"].informational
    assert [s.id for s in CHECKS if s.informational] == ["verification"]


def test_an_unknown_id_gets_a_generic_spec() -> None:
    spec = spec_for("future_check")
    assert isinstance(spec, CheckSpec)
    assert spec.rule_id == "bluesky/future_check"
    assert spec.rule_name == "BlueskyFutureCheck"
    assert spec.label == "future check"
    assert "future_check" not in BY_ID
