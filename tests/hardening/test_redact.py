"""The secret registry behind every output (in-process)."""

from __future__ import annotations

import logging

import pytest

from brandaudit.config import Settings
from brandaudit.model import Evidence
from brandaudit.net.client import redact_url, register_credential_headers
from brandaudit.redact import REDACTED, RedactingFilter, register, scrub

SECRET = "s3cr3t/Token+with=odd&chars"


def test_a_secret_and_its_url_encoded_forms_are_scrubbed() -> None:
    register(SECRET)
    text = f"a {SECRET} b s3cr3t%2FToken%2Bwith%3Dodd%26chars c s3cr3t%2FToken%2Bwith%3Dodd%26chars"
    assert scrub(text) == f"a {REDACTED} b {REDACTED} c {REDACTED}"


def test_short_values_are_not_secrets() -> None:
    register("abc")
    register("")
    register(None)
    assert scrub("abc is fine") == "abc is fine"


def test_credentials_read_from_settings_are_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_TOKEN", "tok-from-env-123")
    settings = Settings.model_validate({"credentials": {"other": "tok-from-config-456"}})
    assert settings.credential("x", ("MY_TOKEN",)) == "tok-from-env-123"
    assert settings.credential("other") == "tok-from-config-456"
    assert scrub("tok-from-env-123 tok-from-config-456") == f"{REDACTED} {REDACTED}"


def test_models_and_evidence_urls_never_hold_a_secret() -> None:
    register(SECRET)
    evidence = Evidence(
        method="GET",
        url=f"https://api.test/x?echo={SECRET}",
        status_code=302,
        redirects=(f"https://api.test/y/{SECRET}",),
        error=f"bad token {SECRET}",
    )
    assert SECRET not in evidence.model_dump_json()
    assert redact_url(f"https://api.test/?q={SECRET}") == f"https://api.test/?q={REDACTED}"


def test_credential_headers_are_registered_with_and_without_their_scheme() -> None:
    register_credential_headers({"Authorization": "Basic dXNlcjpwYXNzd29yZA==", "Accept": "x"})
    assert scrub("echo: dXNlcjpwYXNzd29yZA==") == f"echo: {REDACTED}"
    assert scrub("Accept x") == "Accept x"


def test_log_records_are_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    register(SECRET)
    logger = logging.getLogger("brandaudit.test")
    caplog.handler.addFilter(RedactingFilter())
    with caplog.at_level(logging.DEBUG, logger="brandaudit.test"):
        logger.debug("GET %s", f"https://api.test/?key={SECRET}")
        try:
            raise ValueError(SECRET)
        except ValueError:
            logger.exception("failed")
    assert SECRET not in caplog.text
    assert REDACTED in caplog.text


def test_control_characters_never_reach_a_result() -> None:
    evil = "a\x1b]0;title\x07b\x1b[2Jc\rd\x9be\x00f\tg\nh"
    evidence = Evidence(method="GET", url="https://x.test/", status_code=200, error=evil)
    assert evidence.error == "a]0;title\x07b[2Jc\rdef\tg\nh"
