"""DID documents read as atproto does: the first valid at:// entry, the #atproto Multikey,
the https #atproto_pds endpoint."""

from __future__ import annotations

from typing import Any

import pytest

from brandaudit.bluesky.diddoc import MalformedDocument, first_handle, parse_did_document
from tests.bluesky.scenario import DID, PDS, did_doc


def test_a_plc_document() -> None:
    doc = parse_did_document(did_doc())
    assert doc.id == DID
    assert doc.handle == "acme.com"
    assert doc.pds == PDS
    assert doc.pds_problem is None and doc.key_problem is None


def test_absolute_ids_are_accepted() -> None:
    data = did_doc()
    data["service"][0]["id"] = f"{DID}#atproto_pds"
    assert parse_did_document(data).pds == PDS


@pytest.mark.parametrize(
    ("aka", "handle"),
    [
        (["at://acme.com"], "acme.com"),
        (["at://ACME.com"], "acme.com"),
        (["https://acme.com", "at://acme.com"], "acme.com"),
        (["at://not valid", "at://acme.com"], "acme.com"),  # first *valid* entry
        (["at://old.bsky.social", "at://acme.com"], "old.bsky.social"),  # later ignored
        (["at://acme.local"], None),
        ([], None),
    ],
)
def test_first_valid_handle(aka: list[str], handle: str | None) -> None:
    assert first_handle(tuple(aka)) == handle


@pytest.mark.parametrize(
    ("change", "field", "needle"),
    [
        ({"service": []}, "pds", "no service"),
        (
            {
                "service": [
                    {"id": "#atproto_pds", "type": "Other", "serviceEndpoint": PDS},
                ]
            },
            "pds",
            "type 'Other'",
        ),
        (
            {
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": "ftp://pds.acme.com",
                    }
                ]
            },
            "pds",
            "not https",
        ),
        (
            {
                "service": [
                    {
                        "id": "#atproto_pds",
                        "type": "AtprotoPersonalDataServer",
                        "serviceEndpoint": "https://pds.acme.com/some/path",
                    }
                ]
            },
            "pds",
            "more than scheme, host and port",
        ),
        ({"verificationMethod": []}, "key", "no verification method"),
    ],
)
def test_incomplete_documents(change: dict[str, Any], field: str, needle: str) -> None:
    data = did_doc()
    data.update(change)
    doc = parse_did_document(data)
    problem = doc.pds_problem if field == "pds" else doc.key_problem
    assert problem is not None and needle in problem


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        ({"type": "EcdsaSecp256k1VerificationKey2019"}, "not Multikey"),
        ({"controller": "did:plc:someoneelseentirelyxxxx"}, "controller"),
        ({"publicKeyMultibase": None}, "no publicKeyMultibase"),
    ],
)
def test_key_rules(key: dict[str, Any], needle: str) -> None:
    data = did_doc()
    data["verificationMethod"][0].update(key)
    assert needle in (parse_did_document(data).key_problem or "")


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ([], "JSON list"),
        ("did", "JSON str"),
        ({"alsoKnownAs": []}, "id"),
        ({"id": DID, "alsoKnownAs": "at://acme.com"}, "alsoKnownAs"),
        ({"id": DID, "service": [{"id": "#atproto_pds"}]}, "service"),
    ],
)
def test_malformed(data: Any, needle: str) -> None:
    with pytest.raises(MalformedDocument, match=needle):
        parse_did_document(data)


def test_plain_http_endpoint_works_with_a_note() -> None:
    # Bluesky's reference resolver accepts http (development stacks run on it): not a broken
    # identity, but the pds check warns.
    data = did_doc()
    data["service"] = [
        {
            "id": "#atproto_pds",
            "type": "AtprotoPersonalDataServer",
            "serviceEndpoint": "http://localhost:2583",
        }
    ]
    doc = parse_did_document(data)
    assert doc.pds == "http://localhost:2583"
    assert doc.pds_problem is None
    assert doc.pds_note is not None and "plain http" in doc.pds_note
