"""The atproto interop test vectors (tests/bluesky/interop/, from
bluesky-social/atproto-interop-tests) against brandaudit's handle and DID rules.

Syntax-valid values brandaudit refuses are refused by atproto *policy*, not by syntax: each
such rule is listed once below with its reason, and each must be needed by some vector (the
list is no blanket excuse). Every syntax-invalid value is refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from brandaudit import handles
from brandaudit.bluesky.syntax import did_problem, handle_problem

VECTORS = Path(__file__).parent / "interop"


def _vectors(name: str) -> list[str]:
    """The values of one vector file: comments and empty lines dropped, spaces kept."""
    lines = (VECTORS / name).read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


@dataclass(frozen=True)
class Policy:
    name: str
    reason: str
    applies: Callable[[str], bool]
    message: str
    """A piece of the problem brandaudit names for it."""


HANDLE_POLICY = (
    Policy(
        "disallowed TLDs",
        "valid syntax, but `.arpa`, `.local` and `.onion` (with `.alt`, `.example`, "
        "`.internal`, `.invalid`, `.localhost`) are never on the public internet: the PDS "
        "refuses them (DISALLOWED_TLDS in @atproto/syntax, indigo AllowedTLD)",
        lambda h: h.lower().rsplit(".", 1)[-1] in {"arpa", "local", "onion"},
        "refused by Bluesky",
    ),
)

DID_POLICY = (
    Policy(
        "methods other than plc and web",
        "valid DID syntax, but atproto supports only did:plc and did:web (atproto.com/specs/did)",
        lambda d: d.split(":")[1] not in {"plc", "web"},
        "only did:plc and did:web",
    ),
    Policy(
        "did:web with a port",
        "did:web in atproto is a host name only: no port (`%3A`) and no path "
        "(atproto.com/specs/did, did:web)",
        lambda d: d.startswith("did:web:") and "%3a" in d.lower(),
        "with a port or a path",
    ),
)


def _policy(value: str, rules: tuple[Policy, ...]) -> Policy | None:
    return next((p for p in rules if p.applies(value)), None)


HANDLES_VALID = _vectors("handle_syntax_valid.txt")
HANDLES_INVALID = _vectors("handle_syntax_invalid.txt")
DIDS_VALID = _vectors("did_syntax_valid.txt")
DIDS_INVALID = _vectors("did_syntax_invalid.txt")


def test_the_vector_files_are_read() -> None:
    assert (len(HANDLES_VALID), len(HANDLES_INVALID)) == (71, 48)
    assert (len(DIDS_VALID), len(DIDS_INVALID)) == (24, 18)
    assert " john.test" in HANDLES_INVALID and "john.test " in HANDLES_INVALID


@pytest.mark.parametrize("handle", HANDLES_VALID)
def test_valid_handle_vectors(handle: str) -> None:
    # handles are case-insensitive: brandaudit judges the lowercased form, as it is used
    problem = handle_problem(handle.lower())
    policy = _policy(handle, HANDLE_POLICY)
    if policy is None:
        assert problem is None, problem
    else:
        assert problem is not None and policy.message in problem, problem


@pytest.mark.parametrize("handle", HANDLES_INVALID)
def test_invalid_handle_vectors(handle: str) -> None:
    assert handle_problem(handle) is not None


@pytest.mark.parametrize("did", DIDS_VALID)
def test_valid_did_vectors(did: str) -> None:
    problem = did_problem(did)
    policy = _policy(did, DID_POLICY)
    if policy is None:
        assert problem is None, problem
    else:
        assert problem is not None and policy.message in problem, problem


@pytest.mark.parametrize("did", DIDS_INVALID)
def test_invalid_did_vectors(did: str) -> None:
    assert did_problem(did) is not None


@pytest.mark.parametrize(
    ("rules", "vectors"),
    [(HANDLE_POLICY, HANDLES_VALID), (DID_POLICY, DIDS_VALID)],
    ids=["handles", "dids"],
)
def test_each_policy_refusal_is_needed_and_has_a_reason(
    rules: tuple[Policy, ...], vectors: list[str]
) -> None:
    for rule in rules:
        assert len(rule.reason) > 60
        assert any(_policy(v, rules) is rule for v in vectors), rule.name


@pytest.mark.parametrize(
    "name", ["xn--zz.ws", "acme.xn--zz", "xn--0.com", "xn--stackoverflow.com", "xn--ls8h.ws"]
)
def test_the_sdk_takes_the_xn_labels_check_now_takes(name: str) -> None:
    # The atproto SDK's handle syntax (atproto_client string_formats) decodes no xn-- label
    # either: brandaudit's one validator agrees with it, and check takes the name. (Here, not
    # in tests/unit: importing the SDK's models warns on the lowest pydantic the smoke tests
    # run, and warnings are errors.)
    from atproto_client.models.string_formats import validate_handle

    from brandaudit.bluesky.syntax import handle_problem

    validate_handle(name, None)  # raises on a refusal
    assert handle_problem(name) is None
    assert handles.normalise_domain(name).value == name
