"""``Status.NOT_APPLICABLE`` (issue 24): a platform with no public names to check (WhatsApp
Channels) is neither a failure nor a rule miss: every consumer of a status treats it so."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from brandaudit import policy
from brandaudit.config import settings_from_mapping
from brandaudit.history.diff import diff
from brandaudit.model import (
    Brand,
    ClaimOutcome,
    Confidence,
    Method,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.platforms.builtin.whatsapp_channel import WhatsAppChannelAdapter
from brandaudit.render import Format, RenderOptions, render
from tests.factories import res

MOOT = "WhatsApp Channels: not applicable: reserve your username in the WhatsApp app"


def _moot(status: Status = Status.NOT_APPLICABLE) -> PlatformResult:
    return PlatformResult(
        platform="whatsapp-channel",
        platform_name="WhatsApp Channels",
        handle="acme",
        status=status,
        confidence=Confidence.HIGH,
        method=Method.RULE,
        reason=MOOT,
    )


def _brand(
    *, claims: dict[str, object] | None = None, moot: Status = Status.NOT_APPLICABLE
) -> Brand:
    brand = Brand(
        domain="acme.com", handles=("acme",), platforms=(res("github", Status.CLAIMED), _moot(moot))
    )
    settings = settings_from_mapping({"claims": claims} if claims else {})
    return policy.assess(brand, settings, (), {})


def _report(brand: Brand) -> Report:
    return Report(
        tool=ToolInfo(version="0"), generated_at=datetime(2026, 1, 1, tzinfo=UTC), brands=(brand,)
    )


def test_the_whatsapp_adapter_answers_not_applicable_for_a_name() -> None:
    adapter = WhatsAppChannelAdapter()
    assert adapter.rule_miss is Status.NOT_APPLICABLE
    assert adapter.handle_problem("acme") is not None


def test_not_applicable_never_counts_against_the_grade() -> None:
    brand = _brand()
    assert (brand.score, brand.grade) == (100, "A")
    assert [i.key for i in policy.score_items(brand) if i.outcome is not None] == ["handle/github"]


def test_a_claim_on_a_not_applicable_name_is_undecided_with_its_own_step() -> None:
    brand = _brand(claims={"whatsapp-channel": "acme"})
    (claim,) = brand.claims
    assert claim.outcome is ClaimOutcome.UNDECIDED  # never a failure
    assert "not applicable" in claim.reason
    titles = [s.title for s in brand.next_steps]
    assert any("not applicable" in t for t in titles), titles
    assert not any(t.startswith("Re-run") for t in titles), titles  # a re-run can't decide it


def test_invalid_to_not_applicable_is_no_regression() -> None:
    before = _brand(moot=Status.INVALID)
    after = _brand()
    assert [c for c in diff(before, after) if c.regression] == []


@pytest.mark.parametrize("fmt", [Format.TABLE, Format.MARKDOWN, Format.HTML])
def test_text_formats_say_not_applicable(fmt: Format) -> None:
    text = render(_report(_brand()), fmt, RenderOptions(width=120))
    assert "not applicable" in text
    assert "not_applicable" not in text
    assert "invalid" not in text.lower().replace("handle.invalid", "")
    if fmt is Format.HTML:
        assert "Name not allowed" not in text


def test_json_carries_the_status_value() -> None:
    data = json.loads(render(_report(_brand()), Format.JSON))
    statuses = {r["platform"]: r["status"] for r in data["brands"][0]["platforms"]}
    assert statuses["whatsapp-channel"] == "not_applicable"


@pytest.mark.parametrize("fmt", [Format.SARIF, Format.JUNIT])
def test_ci_formats_never_fail_on_it(fmt: Format) -> None:
    text = render(_report(_brand(claims={"whatsapp-channel": "acme"})), fmt)
    if fmt is Format.SARIF:
        results = json.loads(text)["runs"][0]["results"]
        assert all(r["level"] != "error" for r in results), results
    else:
        assert "<failure" not in text


def test_every_status_has_a_word_and_a_style() -> None:
    # The renderers' status tables are exhaustive (a new status can't render as a KeyError).
    from brandaudit.render import html, table

    for mapping in (table.STATUS_STYLE, html.STATUS_WORD, html.STATUS_CLASS):
        assert set(mapping) == set(Status)
