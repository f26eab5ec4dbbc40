from __future__ import annotations

from datetime import UTC, datetime

import pydantic
import pytest

from brandaudit.model import (
    Brand,
    Confidence,
    Evidence,
    Method,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
)


def _report() -> Report:
    result = PlatformResult(
        platform="github",
        platform_name="GitHub",
        handle="acme",
        status=Status.CLAIMED,
        confidence=Confidence.HIGH,
        method=Method.PUBLIC_API,
        url="https://github.com/acme",
        reason="github.com/acme is a GitHub organisation",
        evidence=(
            Evidence(
                method="GET",
                url="https://api.github.com/users/acme",
                status_code=200,
                signal="200 with login",
                elapsed_ms=12.5,
            ),
        ),
    )
    return Report(
        tool=ToolInfo(version="1.0"),
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        brands=(Brand(domain="acme.com", handles=("acme",), platforms=(result,)),),
    )


def test_report_round_trips_through_json() -> None:
    report = _report()
    assert Report.model_validate_json(report.model_dump_json()) == report


def test_report_is_immutable() -> None:
    report = _report()
    with pytest.raises(pydantic.ValidationError):
        report.brands[0].platforms[0].status = Status.AVAILABLE  # type: ignore[misc]


def test_schema_version_is_one_and_fixed() -> None:
    assert _report().model_dump()["schema_version"] == 1
    with pytest.raises(pydantic.ValidationError):
        Report(
            schema_version=2,
            tool=ToolInfo(version="1"),  # type: ignore[arg-type]
            generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        )


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(pydantic.ValidationError):
        Evidence.model_validate({"method": "GET", "url": "u", "surprise": 1})
