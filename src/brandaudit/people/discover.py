"""People the brand's website names: schema.org ``Person`` nodes in its JSON-LD.

An Organization-like node (``brandaudit.pagelinks.ORGANIZATION_TYPES``) may name its
people under ``founder``, ``employee`` and ``member`` (https://schema.org/Organization), each a
``Person`` (https://schema.org/Person) with ``name``, ``jobTitle`` and ``sameAs`` links. They
are *suggested* in the report with a ready ``[[people]]`` table, never audited unless the
user adds them to the config. Bounded like the rest of the page reading.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from brandaudit.model import SuggestedPerson
from brandaudit.pagelinks import (
    ORGANIZATION_TYPES,
    jsonld_nodes,
    same_as_values,
    type_names,
)
from brandaudit.platforms.base import Adapter

PEOPLE_KEYS = ("founder", "founders", "employee", "employees", "member", "members")
"""schema.org properties of an Organization that name people (plural forms are superseded
aliases schema.org still lists)."""
MAX_PEOPLE = 50
MAX_SAME_AS = 20
_ROLE = {"founders": "founder", "employees": "employee", "members": "member"}


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())[:200]
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name"))
    return None


def people_from_jsonld(documents: Sequence[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(role, Person node) for every person an Organization-like node names, in order;
    ``@id`` references are looked up in the same documents."""
    by_id: dict[str, dict[str, Any]] = {}
    orgs: list[dict[str, Any]] = []
    for document in documents:
        for node in jsonld_nodes(document):
            node_id = node.get("@id")
            if isinstance(node_id, str) and len(node) > 1 and node_id not in by_id:
                by_id[node_id] = node
            if type_names(node.get("@type")) & ORGANIZATION_TYPES:
                orgs.append(node)
    found: list[tuple[str, dict[str, Any]]] = []
    for org in orgs:
        for key in PEOPLE_KEYS:
            value = org.get(key)
            items = value if isinstance(value, list) else [value]
            for item in items[:MAX_PEOPLE]:
                if not isinstance(item, dict):
                    continue
                node = item
                if set(item) == {"@id"} and isinstance(item["@id"], str):
                    node = by_id.get(item["@id"], item)
                types = type_names(node.get("@type"))
                if types and "Person" not in types:
                    continue
                found.append((_ROLE.get(key, key), node))
    return found[:MAX_PEOPLE]


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML ones)."""
    return json.dumps(text, ensure_ascii=False)


def snippet(name: str, role: str | None, handles: dict[str, str]) -> str:
    lines = ["[[people]]", f"name = {_toml_string(name)}"]
    if role:
        lines.append(f"role = {_toml_string(role)}")
    if handles:
        inner = ", ".join(f"{k} = {_toml_string(v)}" for k, v in handles.items())
        lines.append(f"handles = {{ {inner} }}")
    return "\n".join(lines) + "\n"


def _handles(same_as: Sequence[str], adapters: Sequence[Adapter]) -> dict[str, str]:
    out: dict[str, str] = {}
    for url in same_as:
        for adapter in adapters:
            if adapter.id in out:
                continue
            try:
                handle = adapter.handle_from_url(url)
            except Exception:  # a plugin's URL reader must not break the report
                handle = None
            if handle:
                out[adapter.id] = handle
                break
    return out


def suggest_people(
    documents: Sequence[Any],
    adapters: Sequence[Adapter],
    page: str,
    configured: Sequence[str] = (),
) -> tuple[SuggestedPerson, ...]:
    """Suggestions for the people the page names, minus those already configured (by name).

    ``adapters`` map ``sameAs`` links to handles (the run's adapters, with LinkedIn in person
    mode for ``/in/`` links)."""
    known = {n.casefold() for n in configured}
    out: list[SuggestedPerson] = []
    seen: set[str] = set()
    for role, node in people_from_jsonld(documents):
        name = _text(node.get("name"))
        if not name or name.casefold() in known or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        same_as = [
            u.strip()
            for u in same_as_values(node.get("sameAs", []))
            if u.strip().startswith(("http://", "https://"))
        ][:MAX_SAME_AS]
        job = _text(node.get("jobTitle"))
        handles = _handles(same_as, adapters)
        out.append(
            SuggestedPerson(
                name=name,
                role=role,
                job_title=job,
                same_as=tuple(same_as),
                handles=handles,
                page=page,
                snippet=snippet(name, job or role, handles),
            )
        )
    return tuple(out)
