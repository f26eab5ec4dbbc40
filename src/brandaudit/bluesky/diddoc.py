"""Reading a DID document the way atproto does (BLUESKY.md §3).

The atproto SDK's ``DidDocument`` model checks the shape; the atproto rules it leaves out
(the first *valid* ``at://`` entry is the handle, the ``#atproto`` key must be a ``Multikey``
controlled by the DID, the PDS endpoint must be plain https) are applied here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from brandaudit.bluesky.syntax import is_valid_handle

AT_PREFIX = "at://"
PDS_ID = "#atproto_pds"
PDS_TYPE = "AtprotoPersonalDataServer"
KEY_ID = "#atproto"
KEY_TYPE = "Multikey"


class MalformedDocument(ValueError):
    """The document is not a DID document (the message says what is wrong)."""


@dataclass(frozen=True, slots=True)
class DidDoc:
    id: str
    also_known_as: tuple[str, ...]
    handle: str | None
    """The first syntactically valid ``at://`` entry, lowercased; None if there is none."""
    pds: str | None
    """The https PDS endpoint, or None (see ``pds_problem``)."""
    pds_problem: str | None
    key_problem: str | None
    pds_note: str | None = None
    """Something about the endpoint that works but shouldn't be in production (plain http)."""


def _matches(entry_id: str, did: str, suffix: str) -> bool:
    return entry_id in {suffix, did + suffix}


def first_handle(also_known_as: tuple[str, ...]) -> str | None:
    for entry in also_known_as:
        if entry.startswith(AT_PREFIX):
            candidate = entry[len(AT_PREFIX) :]
            if candidate and is_valid_handle(candidate):
                return candidate.lower()
    return None


def _endpoint_problem(endpoint: object) -> str | None:
    if not isinstance(endpoint, str):
        return "its serviceEndpoint is not a URL string"
    try:
        parts = urlsplit(endpoint)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return f"its serviceEndpoint {endpoint!r} is not a valid URL"
    # The spec asks for https; Bluesky's reference resolver also accepts http (development
    # stacks such as @atproto/dev-env run on it), so http is a warning (see plain_http), not
    # a broken identity.
    if parts.scheme not in {"https", "http"}:
        return f"its serviceEndpoint {endpoint!r} is not https"
    if not parts.hostname:
        return f"its serviceEndpoint {endpoint!r} has no host"
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        return f"its serviceEndpoint {endpoint!r} has more than scheme, host and port"
    return None


def parse_did_document(data: Any) -> DidDoc:
    """Parse ``data`` (decoded JSON) as a DID document; raise ``MalformedDocument``.

    Whether ``id`` is the DID that was asked for is the caller's check."""
    from atproto_core.did_doc import DidDocument
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise MalformedDocument(f"it is a JSON {type(data).__name__}, not an object")
    try:
        doc = DidDocument.from_dict(data)
    except (ValidationError, TypeError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else []
        if errors:
            where = ".".join(str(p) for p in errors[0]["loc"])
            raise MalformedDocument(f"{where}: {errors[0]['msg']}") from None
        raise MalformedDocument(str(exc)[:200]) from None
    aka = tuple(doc.also_known_as or ())
    pds: str | None = None
    pds_problem: str | None = f"no service with id '{PDS_ID}'"
    for service in doc.service or ():
        if not _matches(service.id, doc.id, PDS_ID):
            continue
        if service.type != PDS_TYPE:
            pds_problem = f"the '{PDS_ID}' service has type {service.type!r}, not {PDS_TYPE}"
            continue
        problem = _endpoint_problem(service.service_endpoint)
        if problem:
            pds_problem = f"the '{PDS_ID}' service: {problem}"
            continue
        pds, pds_problem = str(service.service_endpoint).rstrip("/"), None
        break
    pds_note = None
    if pds is not None and pds.startswith("http://"):
        pds_note = f"the hosting server {pds} is plain http, not https"
    key_problem: str | None = f"no verification method with id '{KEY_ID}'"
    for method in doc.verification_method or ():
        if not _matches(method.id, doc.id, KEY_ID):
            continue
        if method.type != KEY_TYPE:
            key_problem = f"the '{KEY_ID}' key has type {method.type!r}, not {KEY_TYPE}"
        elif method.controller != doc.id:
            key_problem = f"the '{KEY_ID}' key's controller is {method.controller!r}, not the DID"
        elif not method.public_key_multibase:
            key_problem = f"the '{KEY_ID}' key has no publicKeyMultibase"
        else:
            key_problem = None
            break
    return DidDoc(
        id=doc.id,
        also_known_as=aka,
        handle=first_handle(aka),
        pds=pds,
        pds_problem=pds_problem,
        key_problem=key_problem,
        pds_note=pds_note,
    )
