"""What changed for one brand between two audits: pure, no I/O.

A change is a transition of one (platform, handle) result, or of a brand-level verdict
(Bluesky domain handle, score, the profiles the website links to). The rules:

- ``claimed`` -> ``available``/``suspended``/``reserved``: **lost**.
- ``available``/``suspended``/``reserved``/``invalid`` -> ``claimed``: **gained** when the
  ownership checks link the account to the brand (verified or linked), else **taken**
  (somebody holds it; nothing shows it is the brand).
- still ``claimed``, ownership status differs: **ownership_changed** (a regression when it
  was verified or linked and no longer is).
- Bluesky domain handle ``verified`` <-> anything decided: **bluesky_changed**.
- score differs (both decided): **score_changed**; the website's declared profiles gained or
  dropped a link (both homepages read): **declared_link_changed**.
- a decided verdict that is now ``unknown`` (or a homepage that could not be read) is
  **not_rechecked**: "could not re-check", never a loss. An ``unknown`` before is no basis
  for a change, so nothing is reported for it.
- a (platform, handle) checked in only one of the two runs is out of scope, not a change.
- a look-alike the watch calls ``suspect`` that the earlier watch did not: **suspect_appeared**
  (both runs must have run the watch).
"""

from __future__ import annotations

from brandaudit.model import (
    BlueskyStatus,
    Brand,
    Change,
    ChangeKind,
    DiscoveryStatus,
    LookalikeClass,
    OwnershipStatus,
    PlatformResult,
    Status,
)

_HELD = {Status.CLAIMED}
_NOT_HELD = {
    Status.AVAILABLE,
    Status.SUSPENDED,
    Status.RESERVED,
    Status.INVALID,
    Status.NOT_APPLICABLE,
}
"""Not the brand's: becoming claimed from any of these is a gain (or someone's take). Moving
between them (``invalid`` -> ``not_applicable``, a relabelling) is no change at all."""
_LOST_TO = {Status.AVAILABLE, Status.SUSPENDED, Status.RESERVED}
_OWNED = {OwnershipStatus.VERIFIED, OwnershipStatus.LINKED}

REGRESSIONS_FAIL_BY_DEFAULT: tuple[ChangeKind, ...] = (ChangeKind.LOST, ChangeKind.BLUESKY_CHANGED)
"""``--fail-on-change`` when ``--baseline`` is given without it."""


def _key(result: PlatformResult) -> tuple[str, str]:
    return result.platform, result.handle.strip().lstrip("@").lower()


def _ownership(result: PlatformResult) -> OwnershipStatus | None:
    return result.ownership.status if result.ownership is not None else None


def _word(value: object) -> str:
    text = getattr(value, "value", value)
    return str(text).replace("_", " ") if text is not None else "none"


def _platform_change(before: PlatformResult, after: PlatformResult) -> Change | None:
    name, handle = after.platform_name, after.handle
    common = {"platform": after.platform, "handle": handle}
    was, now = before.status, after.status
    if was is Status.UNKNOWN:
        return None
    if now is Status.UNKNOWN:
        return Change(
            kind=ChangeKind.NOT_RECHECKED,
            before=was.value,
            after=now.value,
            regression=False,
            message=f"{name} {handle}: could not re-check (was {was.value}): {after.reason}",
            **common,
        )
    if was in _HELD and now in _LOST_TO:
        return Change(
            kind=ChangeKind.LOST,
            before=was.value,
            after=now.value,
            regression=True,
            message=f"{name} {handle}: was claimed, now {now.value}: {after.reason}",
            **common,
        )
    if was in _NOT_HELD and now in _HELD:
        owned = _ownership(after) in _OWNED
        kind = ChangeKind.GAINED if owned else ChangeKind.TAKEN
        whose = "the brand's (ownership " if owned else "by someone (ownership "
        return Change(
            kind=kind,
            before=was.value,
            after=now.value,
            regression=not owned,
            message=f"{name} {handle}: was {was.value}, now claimed {whose}"
            f"{_word(_ownership(after))})",
            **common,
        )
    if was in _HELD and now in _HELD:
        old, new = _ownership(before), _ownership(after)
        if old is None or new is None or old is new:
            return None
        return Change(
            kind=ChangeKind.OWNERSHIP_CHANGED,
            before=old.value,
            after=new.value,
            regression=old in _OWNED and new not in _OWNED,
            message=f"{name} {handle}: ownership {_word(old)} -> {_word(new)}",
            **common,
        )
    return None


def _bluesky_change(before: Brand, after: Brand) -> Change | None:
    old, new = before.bluesky_domain, after.bluesky_domain
    if old is None or new is None or old.status is new.status:
        return None
    if old.status is BlueskyStatus.UNKNOWN:
        return None
    handle = new.domain
    if new.status is BlueskyStatus.UNKNOWN:
        return Change(
            kind=ChangeKind.NOT_RECHECKED,
            platform="bluesky",
            handle=handle,
            before=old.status.value,
            after=new.status.value,
            regression=False,
            message=f"Bluesky domain handle {handle}: could not re-check (was {_word(old.status)})",
        )
    if BlueskyStatus.VERIFIED not in {old.status, new.status}:
        return None  # misconfigured <-> not configured: neither side verifies
    lost = old.status is BlueskyStatus.VERIFIED
    return Change(
        kind=ChangeKind.BLUESKY_CHANGED,
        platform="bluesky",
        handle=handle,
        before=old.status.value,
        after=new.status.value,
        regression=lost,
        message=f"Bluesky domain handle {handle}: {_word(old.status)} -> {_word(new.status)}",
    )


def _declared_changes(before: Brand, after: Brand) -> list[Change]:
    old, new = before.discovery, after.discovery
    if old is None or new is None or old.status is not DiscoveryStatus.OK:
        return []
    if new.status is not DiscoveryStatus.OK:
        if new.status is DiscoveryStatus.SKIPPED:
            return []
        return [
            Change(
                kind=ChangeKind.NOT_RECHECKED,
                before="ok",
                after=new.status.value,
                regression=False,
                message=f"website {new.url}: could not re-check the profiles it links to",
            )
        ]
    was = {(d.platform, d.handle.lower()): d for d in before.declared_profiles}
    now = {(d.platform, d.handle.lower()): d for d in after.declared_profiles}
    changes: list[Change] = []
    for key in sorted(was.keys() - now.keys()):
        profile = was[key]
        changes.append(
            Change(
                kind=ChangeKind.DECLARED_LINK_CHANGED,
                platform=profile.platform,
                handle=profile.handle,
                before="linked",
                after="dropped",
                regression=True,
                message=f"the website no longer links to {profile.platform} {profile.handle}",
            )
        )
    for key in sorted(now.keys() - was.keys()):
        profile = now[key]
        changes.append(
            Change(
                kind=ChangeKind.DECLARED_LINK_CHANGED,
                platform=profile.platform,
                handle=profile.handle,
                before="absent",
                after="linked",
                regression=False,
                message=f"the website now links to {profile.platform} {profile.handle}",
            )
        )
    return changes


def _suspect_changes(before: Brand, after: Brand) -> list[Change]:
    """Suspects of the look-alike watch that the earlier watch did not call suspects (both
    runs must have watched: a run without the watch is no basis)."""
    if before.lookalikes is None or after.lookalikes is None:
        return []
    earlier = {
        (f.platform, f.handle.lower())
        for f in before.lookalikes.findings
        if f.classification is LookalikeClass.SUSPECT
    }
    changes: list[Change] = []
    for found in after.lookalikes.findings:
        key = (found.platform, found.handle.lower())
        if found.classification is not LookalikeClass.SUSPECT or key in earlier:
            continue
        changes.append(
            Change(
                kind=ChangeKind.SUSPECT_APPEARED,
                platform=found.platform,
                handle=found.handle,
                before="absent",
                after="suspect",
                regression=True,
                message=f"{found.platform_name} {found.handle}: a new suspect look-alike"
                + (f" ({found.matched})" if found.matched else ""),
            )
        )
    return changes


def diff(before: Brand, after: Brand) -> tuple[Change, ...]:
    """Every change from ``before`` to ``after`` (the same brand), in a stable order."""
    changes: list[Change] = []
    earlier = {_key(r): r for r in before.platforms}
    for result in after.platforms:
        old = earlier.get(_key(result))
        if old is not None and (change := _platform_change(old, result)) is not None:
            changes.append(change)
    if (change := _bluesky_change(before, after)) is not None:
        changes.append(change)
    changes += _declared_changes(before, after)
    changes += _suspect_changes(before, after)
    if before.score is not None and after.score is not None and before.score != after.score:
        changes.append(
            Change(
                kind=ChangeKind.SCORE_CHANGED,
                before=str(before.score),
                after=str(after.score),
                regression=after.score < before.score,
                message=f"readiness {before.score} -> {after.score}"
                f" ({before.grade or '-'} -> {after.grade or '-'})",
            )
        )
    return tuple(changes)


def parse_kinds(text: str) -> frozenset[ChangeKind]:
    """``lost,bluesky_changed`` -> kinds; ValueError naming the unknown one."""
    kinds: set[ChangeKind] = set()
    for part in text.split(","):
        word = part.strip().lower().replace("-", "_")
        if not word:
            continue
        try:
            kinds.add(ChangeKind(word))
        except ValueError:
            known = ", ".join(k.value for k in ChangeKind)
            raise ValueError(
                f"unknown change kind {part.strip()!r}; choose from: {known}"
            ) from None
    if not kinds:
        raise ValueError("no change kind given")
    return frozenset(kinds)
