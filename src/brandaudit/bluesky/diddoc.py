"""Reading a DID document the way atproto does (docs/bluesky.md, "What is asked, and
where").

The atproto SDK's ``DidDocument`` model checks the shape; the atproto rules it leaves out
(the first ``at://`` entry is the handle, the ``#atproto`` key must decode to a P-256
or secp256k1 public key, the PDS endpoint must be an http(s) URL) are applied here.

The key rules follow Bluesky's reference resolver, ``@atproto/identity``
(packages/identity/src/did/atproto-data.ts, ``getDidKeyFromMultibase``, read at
bluesky-social/atproto d6296a1): a ``#atproto`` verification method with a
``publicKeyMultibase`` of type ``Multikey`` (multicodec-prefixed, compressed) or of the legacy
types ``EcdsaSecp256r1VerificationKey2019`` / ``EcdsaSecp256k1VerificationKey2019`` (raw key
bytes) is a signing key; any other type yields none and ``ensureAtpDocument`` rejects the
document. ``findItemById`` in packages/common-web/src/did-doc.ts takes the first entry whose
id matches and checks neither type nor controller there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from brandaudit.bluesky.syntax import is_valid_handle

if TYPE_CHECKING:
    from atproto_core.did_doc import DidDocument

AT_PREFIX = "at://"
PDS_ID = "#atproto_pds"
PDS_TYPE = "AtprotoPersonalDataServer"
KEY_ID = "#atproto"
KEY_TYPE = "Multikey"
LEGACY_K256 = "EcdsaSecp256k1VerificationKey2019"
LEGACY_P256 = "EcdsaSecp256r1VerificationKey2019"
KEY_TYPES = (KEY_TYPE, LEGACY_K256, LEGACY_P256)


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
    key_note: str | None = None
    """Something about the signing key that works but is unusual (a legacy type, another
    controller): information, never a failure."""


def _matches(entry_id: str, did: str, suffix: str) -> bool:
    return entry_id in {suffix, did + suffix}


def first_handle(also_known_as: tuple[str, ...]) -> str | None:
    """The handle a document claims: its first ``at://`` entry, lowercased, or None when
    there is none or that entry isn't a valid handle. As ``getHandle`` in
    @atproto/common-web did-doc.ts (and the SDK's ``get_handle``): later entries never
    count, even when the first is unusable."""
    for entry in also_known_as:
        if entry.startswith(AT_PREFIX):
            candidate = entry[len(AT_PREFIX) :]
            return candidate.lower() if candidate and is_valid_handle(candidate) else None
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
    return None


def _endpoint_extra(endpoint: str) -> str | None:
    """A path, query, fragment or user part in a usable endpoint: Bluesky's resolver takes
    any http(s) URL (``validateUrl`` in @atproto/common-web did-doc.ts), so this is a note."""
    parts = urlsplit(endpoint)
    if parts.path not in {"", "/"} or parts.query or parts.fragment or parts.username:
        return f"its serviceEndpoint {endpoint!r} has more than scheme, host and port"
    return None


def parse_did_document(data: Any) -> DidDoc:
    """Parse ``data`` (decoded JSON) as a DID document; raise ``MalformedDocument``.

    Whether ``id`` is the DID that was asked for is the caller's check."""
    doc = _load(data)
    aka = tuple(doc.also_known_as or ())
    pds, pds_problem = _find_pds(doc)
    pds_note: str | None = None
    if pds is not None:
        pds, pds_note = _usable_endpoint(pds)
    key_problem, key_note = _find_key(doc)
    return DidDoc(
        id=doc.id,
        also_known_as=aka,
        handle=first_handle(aka),
        pds=pds,
        pds_problem=pds_problem,
        key_problem=key_problem,
        pds_note=pds_note,
        key_note=key_note,
    )


def _load(data: Any) -> DidDocument:
    """The SDK's model of ``data``; ``MalformedDocument`` saying where the shape is wrong."""
    from atproto_core.did_doc import DidDocument
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise MalformedDocument(f"it is a JSON {type(data).__name__}, not an object")
    try:
        return DidDocument.from_dict(data)
    except (ValidationError, TypeError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else []
        if errors:
            where = ".".join(str(p) for p in errors[0]["loc"])
            raise MalformedDocument(f"{where}: {errors[0]['msg']}") from None
        raise MalformedDocument(str(exc)[:200]) from None


def _find_pds(doc: DidDocument) -> tuple[str | None, str | None]:
    """(endpoint, None) of the ``#atproto_pds`` service, or (None, why not). Only the first
    service with that id counts (``getServiceEndpoint`` takes ``findItemById``'s first match,
    then checks its type and URL): when it is broken, a later, healthy entry is never read."""
    services = [s for s in doc.service or () if _matches(s.id, doc.id, PDS_ID)]
    if not services:
        return None, f"no service with id '{PDS_ID}'"
    service = services[0]
    later = " (a later entry with that id is never read)" if len(services) > 1 else ""
    if service.type != PDS_TYPE:
        return None, f"the '{PDS_ID}' service has type {service.type!r}, not {PDS_TYPE}{later}"
    endpoint_problem = _endpoint_problem(service.service_endpoint)
    if endpoint_problem:
        return None, f"the '{PDS_ID}' service: {endpoint_problem}{later}"
    return str(service.service_endpoint).rstrip("/"), None


def _usable_endpoint(pds: str) -> tuple[str, str | None]:
    """The endpoint as brandaudit calls it (scheme, host and port only) and a note on what
    works but shouldn't be in production (a path or query in it, plain http).

    The path is dropped on purpose: Bluesky's own XRPC client resolves the absolute
    ``/xrpc/<method>`` against the endpoint (``new URL(constructMethodCallUrl(...),
    serviceUri)`` in packages/xrpc/src/util.ts, bluesky-social/atproto d6296a1), so a path
    in the endpoint never reaches the server; calling ``<endpoint-with-path>/xrpc`` would
    ask something Bluesky never asks."""
    notes: list[str] = []
    extra = _endpoint_extra(pds)
    if extra:
        notes.append(f"the '{PDS_ID}' service: {extra}")
        parts = urlsplit(pds)
        pds = f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    if pds.startswith("http://"):
        notes.append(f"the hosting server {pds} is plain http, not https")
    return pds, "; ".join(notes) or None


def _find_key(doc: DidDocument) -> tuple[str | None, str | None]:
    """(problem, note) of the signing key: the first ``#atproto`` verification method, as
    findItemById takes it. A usable key may carry a note (a legacy type, another
    controller)."""
    for method in doc.verification_method or ():
        if not _matches(method.id, doc.id, KEY_ID):
            continue
        problem = signing_key_problem(method.type, method.public_key_multibase)
        if problem is not None:
            return problem, None
        notes: list[str] = []
        if method.type != KEY_TYPE:
            notes.append(f"the '{KEY_ID}' key uses the legacy type {method.type}")
        if method.controller != doc.id:
            notes.append(f"the '{KEY_ID}' key's controller is {method.controller!r}")
        return None, "; ".join(notes) or None
    return f"no verification method with id '{KEY_ID}'", None


def signing_key_problem(key_type: str, multibase: str | None) -> str | None:
    """Why a ``#atproto`` verification method gives no usable signing key, or None.

    As ``getDidKeyFromMultibase``: a Multikey is parsed (multicodec prefix, compressed
    point); a legacy key's bytes are a raw point (compressed or not) on its curve."""
    # atproto_crypto ships with the atproto SDK (no type information).
    from atproto_crypto.algs.p256 import P256  # type: ignore[import-untyped]
    from atproto_crypto.algs.secp256k1 import Secp256k1  # type: ignore[import-untyped]
    from atproto_crypto.did import parse_multikey  # type: ignore[import-untyped]
    from atproto_crypto.multibase import multibase_to_bytes  # type: ignore[import-untyped]

    if not multibase:
        return f"the '{KEY_ID}' key has no publicKeyMultibase"
    if key_type not in KEY_TYPES:
        return f"the '{KEY_ID}' key has type {key_type!r}; Bluesky reads {', '.join(KEY_TYPES)}"
    try:
        if key_type == KEY_TYPE:
            parse_multikey(multibase)
        elif key_type == LEGACY_K256:
            Secp256k1().compress_pubkey(multibase_to_bytes(multibase))
        else:
            P256().compress_pubkey(multibase_to_bytes(multibase))
    except Exception as exc:  # the crypto and multibase libraries raise several types
        return (
            f"the '{KEY_ID}' key {multibase[:60]!r} can't be decoded as a {key_type} key "
            f"({str(exc)[:80]})"
        )
    return None
