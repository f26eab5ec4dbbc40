"""The secret registry behind every output (in-process)."""

from __future__ import annotations

import logging

import pytest

from brandaudit.config import Settings
from brandaudit.model import Evidence
from brandaudit.net.client import register_credential_headers
from brandaudit.redact import (
    MIN_SECRET_LENGTH,
    REDACTED,
    SECRET_PARAMS,
    RedactingFilter,
    defuse_commands,
    forget_all,
    redact_url,
    register,
    scrub,
    scrub_value,
    stop_commands,
)

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


def test_a_secret_of_exactly_the_minimum_length_is_scrubbed() -> None:
    exact = "x" * MIN_SECRET_LENGTH
    register(exact)
    register(exact[1:])  # one shorter: not a secret (would mangle ordinary words)
    assert scrub(f"key={exact}") == f"key={REDACTED}"
    assert scrub(exact[1:]) == exact[1:]


@pytest.mark.parametrize(
    ("inner", "outer"),
    [
        ("abcdef", "abcdefGHIJKL"),  # shorter sorts first by length
        ("tokenZ", "AAAAAAtokenZ"),  # shorter sorts *last* alphabetically: length must decide
    ],
)
def test_a_secret_inside_a_longer_one_leaves_no_tail(inner: str, outer: str) -> None:
    for order in ((inner, outer), (outer, inner)):
        forget_all()
        for secret in order:
            register(secret)
        assert scrub(f"a {outer} b {inner} c") == f"a {REDACTED} b {REDACTED} c", order


def test_the_fully_percent_encoded_form_is_scrubbed() -> None:
    # A space and a slash: only quote(safe="") gives "%20" *and* "%2F" (quote keeps the "/",
    # quote_plus turns the space into "+"), the form a query parameter built by hand carries.
    register("tok en/secret")
    assert scrub("q=tok%20en%2Fsecret") == f"q={REDACTED}"
    assert scrub("q=tok+en%2Fsecret&p=tok%20en/secret") == f"q={REDACTED}&p={REDACTED}"


def test_strings_inside_lists_and_tuples_are_cleaned_others_kept() -> None:
    register(SECRET)
    assert scrub_value([f"x {SECRET}", 7, None]) == [f"x {REDACTED}", 7, None]
    assert scrub_value((f"\x1b{SECRET}", 7, b"raw")) == (REDACTED, 7, b"raw")
    assert scrub_value(f"{SECRET}\x00") == REDACTED
    assert scrub_value(7) == 7


def test_a_log_line_keeps_its_other_words() -> None:
    register(SECRET)
    record = logging.LogRecord("brandaudit", logging.INFO, __file__, 1, "GET %s for %s", None, None)
    record.args = (f"https://api.test/?key={SECRET}", "acme")
    assert RedactingFilter().filter(record)
    assert record.getMessage() == f"GET https://api.test/?key={REDACTED} for acme"
    # A line without a secret is left as it was made (its arguments too).
    plain = logging.LogRecord("brandaudit", logging.INFO, __file__, 1, "GET %s", ("x",), None)
    assert RedactingFilter().filter(plain)
    assert (plain.msg, plain.args) == ("GET %s", ("x",))


def test_an_exception_logged_without_being_raised_is_scrubbed() -> None:
    # logger.debug(..., exc_info=exc) for an exception that was made, never raised: no
    # traceback, but its message (a server's words, a token) is still printed.
    register(SECRET)
    logger = logging.getLogger("brandaudit.test.unraised")
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    handler = Keep()
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.error("failed", exc_info=ValueError(f"bad token {SECRET}"))
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    assert seen
    assert seen[0].exc_text is not None
    assert SECRET not in seen[0].exc_text
    assert REDACTED in seen[0].exc_text


# --- URLs: what evidence, the cache and reports keep ---------------------------------------
@pytest.mark.parametrize("key", sorted(SECRET_PARAMS))
def test_every_credential_parameter_is_redacted_whatever_its_case(key: str) -> None:
    for spelling in (key, key.upper()):
        url = f"https://api.test/v1/x?q=acme&{spelling}=abc123&n=2"
        assert redact_url(url) == f"https://api.test/v1/x?q=acme&{spelling}=REDACTED&n=2"


def test_other_parameters_keep_their_values_and_their_readable_characters() -> None:
    # '@', ':', '/', ',' and '*' stay as written (an evidence URL a person reads); blank
    # values are kept, so the URL still says what was asked.
    url = "https://api.test/p?acct=a@b.test&at=12:30&path=/x/y&ids=1,2&glob=*&empty=&key=k"
    assert redact_url(url) == (
        "https://api.test/p?acct=a@b.test&at=12:30&path=/x/y&ids=1,2&glob=*&empty=&key=REDACTED"
    )


def test_a_url_without_a_query_or_unparsable_is_only_scrubbed() -> None:
    register("registered-secret-value")
    try:
        assert redact_url("https://api.test/registered-secret-value/x") == (
            f"https://api.test/{REDACTED}/x"
        )
        assert redact_url("http://[::1/registered-secret-value?key=1") == (
            f"http://[::1/{REDACTED}?key=1"
        )
        assert redact_url("https://api.test/x?registered-secret-value") == (
            f"https://api.test/x?{REDACTED}="
        )
    finally:
        forget_all()


# --- workflow commands: what GitHub's runner must never read from a server's text ----------
def test_json_keeps_its_meaning_and_loses_the_legacy_marker() -> None:
    text = '{"bio": "##[error]boom"}\n::warning::x'
    assert defuse_commands(text, json=True) == '{"bio": "##\\u005b' + 'error]boom"}\n::warning::x'
    assert defuse_commands("plain", json=True) == "plain"


def test_text_breaks_the_legacy_marker_anywhere_and_the_new_one_at_a_line_start() -> None:
    joiner = "\u2060"
    assert defuse_commands("a ##[add-mask]b ##[x") == f"a ##{joiner}[add-mask]b ##{joiner}[x"
    assert defuse_commands("no markers: a::b") == "no markers: a::b"
    text = "first::kept\n  ::error::boom\n::stop-commands::t\nlast"
    assert defuse_commands(text) == (
        f"first::kept\n  :{joiner}:error::boom\n:{joiner}:stop-commands::t\nlast"
    )


def test_stop_commands_wraps_the_text_in_a_fresh_random_token() -> None:
    wrapped = stop_commands("line one\nline two")
    head, _, rest = wrapped.partition("\n")
    assert head.startswith("::stop-commands::")
    token = head.removeprefix("::stop-commands::")
    assert len(token) == 32 and all(c in "0123456789abcdef" for c in token)
    assert rest == f"line one\nline two\n::{token}::\n"
    again = stop_commands("ends\n")
    token2 = again.split("\n")[0].removeprefix("::stop-commands::")
    assert token2 != token
    assert again == f"::stop-commands::{token2}\nends\n::{token2}::\n"
    empty = stop_commands("")
    token3 = empty.split("\n")[0].removeprefix("::stop-commands::")
    assert empty == f"::stop-commands::{token3}\n::{token3}::\n"
