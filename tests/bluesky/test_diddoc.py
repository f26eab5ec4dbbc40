"""DID documents read as atproto does: the first at:// entry, the #atproto key
(Multikey or a legacy type), the https #atproto_pds endpoint."""

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
        # only the first at:// entry counts (getHandle in @atproto/common-web), even unusable
        (["at://not valid", "at://acme.com"], None),
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
        ({"verificationMethod": []}, "key", "no verification method"),
    ],
)
def test_incomplete_documents(change: dict[str, Any], field: str, needle: str) -> None:
    data = did_doc()
    data.update(change)
    doc = parse_did_document(data)
    problem = doc.pds_problem if field == "pds" else doc.key_problem
    assert problem is not None and needle in problem


def legacy_key(curve: str, *, compressed: bool) -> str:
    """A publicKeyMultibase as legacy PLC and did:web documents serve it: base58btc of the
    raw point, no multicodec prefix."""
    from atproto_crypto.multibase import bytes_to_multibase
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256K1() if curve == "k256" else ec.SECP256R1())
    fmt = (
        serialization.PublicFormat.CompressedPoint
        if compressed
        else serialization.PublicFormat.UncompressedPoint
    )
    raw = key.public_key().public_bytes(serialization.Encoding.X962, fmt)
    return bytes_to_multibase("z", raw)


@pytest.mark.parametrize(
    ("key_type", "curve", "compressed"),
    [
        ("EcdsaSecp256k1VerificationKey2019", "k256", True),
        ("EcdsaSecp256k1VerificationKey2019", "k256", False),
        ("EcdsaSecp256r1VerificationKey2019", "p256", True),
        ("EcdsaSecp256r1VerificationKey2019", "p256", False),
    ],
)
def test_legacy_key_types_are_valid(key_type: str, curve: str, compressed: bool) -> None:
    # atproto.com/specs/did (backwards-compatible forms); @atproto/identity atproto-data.ts
    # getDidKeyFromMultibase decodes them; PLC directories still serve them.
    data = did_doc()
    data["verificationMethod"][0].update(
        {"type": key_type, "publicKeyMultibase": legacy_key(curve, compressed=compressed)}
    )
    doc = parse_did_document(data)
    assert doc.key_problem is None
    assert doc.key_note is not None and "legacy type" in doc.key_note


@pytest.mark.parametrize(
    ("key", "needle"),
    [
        # A Multikey value under a legacy type is not a raw point: undecodable.
        ({"type": "EcdsaSecp256k1VerificationKey2019"}, "can't be decoded"),
        ({"type": "JsonWebKey2020"}, "type 'JsonWebKey2020'"),
        ({"publicKeyMultibase": "zNotBase58!!"}, "can't be decoded"),
        ({"publicKeyMultibase": "zQ3shXjHeiBuRCKmM36cuYnm7YEMzhGnCmCyW92sRJ9pribS"}, "decoded"),
        ({"publicKeyMultibase": None}, "no publicKeyMultibase"),
    ],
)
def test_key_rules(key: dict[str, Any], needle: str) -> None:
    data = did_doc()
    data["verificationMethod"][0].update(key)
    assert needle in (parse_did_document(data).key_problem or "")


def test_another_controller_is_a_note_not_a_problem() -> None:
    # @atproto/common-web findItemById reads the key by id only; the controller isn't checked.
    data = did_doc()
    data["verificationMethod"][0]["controller"] = "did:plc:someoneelseentirelyxxxx"
    doc = parse_did_document(data)
    assert doc.key_problem is None
    assert doc.key_note is not None and "controller" in doc.key_note


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


def test_an_endpoint_with_a_path_works_with_a_note() -> None:
    # validateUrl in @atproto/common-web accepts any http(s) URL: the identity works.
    data = did_doc()
    data["service"][0]["serviceEndpoint"] = "https://pds.acme.com/some/path"
    doc = parse_did_document(data)
    assert doc.pds_problem is None
    assert doc.pds == "https://pds.acme.com"
    assert doc.pds_note is not None and "more than scheme, host and port" in doc.pds_note
