"""People and activity, piece by piece: dormant judged against a fixed clock, the activity
score item, people's claims and the exit code, config validation, JSON-LD people reading,
date parsing and the look-alike descriptions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from brandaudit import policy
from brandaudit.activity.fetchers import parse_date
from brandaudit.config import load_file, settings_from_mapping
from brandaudit.errors import ConfigError
from brandaudit.exitcodes import ExitCode
from brandaudit.model import (
    Activity,
    ActivityStatus,
    Brand,
    ClaimOutcome,
    PersonResult,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
)
from brandaudit.people.affiliation import describe_ignored
from brandaudit.people.bluesky import name_label, under_domains
from brandaudit.people.discover import people_from_jsonld, snippet
from tests.factories import res

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def known(when: datetime | None) -> Activity:
    return Activity(status=ActivityStatus.KNOWN, last_activity_at=when, reason="newest post")


def report(*brands: Brand) -> Report:
    return Report(tool=ToolInfo(version="0"), generated_at=NOW, brands=brands)


# -- dormant at the threshold ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "dormant"),
    [
        (timedelta(days=180), False),  # exactly the limit: not older than it
        (timedelta(days=180, seconds=1), True),
        (timedelta(days=179, hours=23), False),
        (timedelta(days=-3), False),  # a date in the future is not dormant
    ],
)
def test_dormant_is_older_than_the_limit_at_generated_at(age: timedelta, dormant: bool) -> None:
    brand = Brand(domain="acme.com", platforms=(res("bluesky", activity=known(NOW - age)),))
    marked = policy.apply_activity(brand, NOW, 180)
    activity = marked.platforms[0].activity
    assert activity is not None
    assert activity.dormant is dormant
    assert activity.dormant_after_days == 180


def test_never_posted_is_dormant_and_unknown_is_not_judged() -> None:
    unknown = Activity(status=ActivityStatus.UNKNOWN, reason="HTTP 500")
    unavailable = Activity(status=ActivityStatus.UNAVAILABLE, reason="not public")
    brand = Brand(
        domain="acme.com",
        platforms=(
            res("bluesky", activity=known(None)),
            res("github", activity=unknown),
            res("x", activity=unavailable),
        ),
    )
    marked = policy.apply_activity(brand, NOW, 30)
    states = [r.activity.dormant for r in marked.platforms if r.activity]
    assert states == [True, None, None]


def test_dormant_days_come_from_the_config_through_evaluate() -> None:
    settings = settings_from_mapping({"brand": {"dormant_after_days": 10}})
    brand = Brand(
        domain="acme.com",
        platforms=(res("mastodon", activity=known(NOW - timedelta(days=11))),),
    )
    verdict = policy.evaluate(report(brand), settings)
    judged = verdict.report.brands[0]
    assert judged.platforms[0].activity is not None
    assert judged.platforms[0].activity.dormant is True
    step = next(s for s in judged.next_steps if "dormant" in s.title)
    assert step.title == "Revive or retire the dormant Mastodon account acme"
    assert "the limit is 10 days" in (step.detail or "")
    assert verdict.exit_code is ExitCode.OK  # a finding, not a failed claim


def test_activity_is_its_own_small_score_item_and_claims_still_pass() -> None:
    settings = settings_from_mapping({"claims": {"github": "acme"}})
    active = res("github", activity=known(NOW - timedelta(days=1)))
    dormant = res("github", activity=known(NOW - timedelta(days=400)))
    good = policy.evaluate(report(Brand(domain="acme.com", platforms=(active,))), settings)
    bad = policy.evaluate(report(Brand(domain="acme.com", platforms=(dormant,))), settings)
    assert good.report.brands[0].score == 100
    # claim weight 3 passes, activity weight 1 fails: 75.
    assert bad.report.brands[0].score == 75
    assert bad.report.brands[0].claims[0].outcome is ClaimOutcome.PASS
    assert bad.exit_code is ExitCode.OK
    items = policy.score_items(policy.apply_activity(bad.report.brands[0], NOW, 180))
    assert [i for i in items if i.key == "activity"] == [
        policy.ScoreItem("activity", policy.WEIGHT_ACTIVITY, ClaimOutcome.FAIL)
    ]
    plain = policy.score_items(Brand(domain="acme.com", platforms=(res("github"),)))
    assert all(i.key != "activity" for i in plain)  # no activity known: no item


# -- people's claims and the exit code ------------------------------------------------------


def _person(*results: PlatformResult, required: tuple[str, ...]) -> PersonResult:
    return PersonResult(name="Bob", handles=results, required=required, config_line=9)


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Status.CLAIMED, ExitCode.OK),
        (Status.AVAILABLE, ExitCode.FINDINGS),
        (Status.UNKNOWN, ExitCode.INCONCLUSIVE),
    ],
)
def test_required_people_handles_decide_the_exit_code(status: Status, code: ExitCode) -> None:
    person = _person(res("x", status, "bobx"), res("github", Status.AVAILABLE), required=("x",))
    brand = Brand(domain="acme.com", people=(person,))
    verdict = policy.evaluate(report(brand), settings_from_mapping({}))
    assert verdict.exit_code is code
    claims = verdict.report.brands[0].people[0].claims
    assert [(c.platform, c.handle, c.config_line) for c in claims] == [("x", "bobx", 9)]


def test_a_required_platform_not_checked_is_undecided() -> None:
    brand = Brand(domain="acme.com", people=(_person(required=("bluesky",)),))
    verdict = policy.evaluate(report(brand), settings_from_mapping({}))
    assert verdict.exit_code is ExitCode.INCONCLUSIVE
    assert "not checked" in verdict.report.brands[0].people[0].claims[0].reason


# -- config -----------------------------------------------------------------------------


def test_people_config_is_validated_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "brandaudit.toml"
    path.write_text(
        '[[people]]\nname = "A"\nhandles = { x = "a" }\n\n'
        '[[people]]\nname = "B"\nhandles = { x = "b" }\nrequired = ["github"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_file(path)
    assert "brandaudit.toml:8: people.1.required" in str(caught.value)  # the exact key
    assert "'github' is required but has no handle" in str(caught.value)
    path.write_text('[[people]]\nname = "A"\nhandles = { x = "a/b" }\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_file(path)
    path.write_text("[brand]\ndormant_after_days = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="dormant_after_days"):
        load_file(path)
    path.write_text('[[people]]\nname = "A"\nnickname = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key"):
        load_file(path)


# -- pieces -------------------------------------------------------------------------------


def test_dates_are_read_strictly() -> None:
    assert parse_date("2025-05-01") == datetime(2025, 5, 1, tzinfo=UTC)
    assert parse_date("2025-05-01T10:00:00.123Z") == datetime(
        2025, 5, 1, 10, 0, 0, 123000, tzinfo=UTC
    )
    assert parse_date("2025-05-01T12:00:00+02:00") == datetime(2025, 5, 1, 10, tzinfo=UTC)
    for bad in (None, "", "yesterday", 1714557600, "2025-13-01"):
        assert parse_date(bad) is None


def test_subdomain_rules_and_name_labels() -> None:
    assert under_domains("alice.acme.com", ["acme.com"])
    assert under_domains("Alice.Team.ACME.com", ["acme.com"])
    assert not under_domains("acme.com", ["acme.com"])  # the brand's own handle
    assert not under_domains("alice.acme.com.evil.net", ["acme.com"])
    assert not under_domains("aliceacme.com", ["acme.com"])
    assert not under_domains("alice", ["acme.com"])  # alice.bsky.social
    assert name_label("Zoë Ämber-Smith", "x.bsky.social") == "zoe"
    assert name_label("李", "li-wei.bsky.social") == "li-wei"


def test_look_alikes_are_named() -> None:
    domains = ["acme.com"]
    assert "look-alike" in describe_ignored("https://acme.co/", "bio", domains)
    assert "look-alike" in describe_ignored("https://acme.com.evil.net/", "bio", domains)
    assert "look-alike" in describe_ignored("https://acme.com@evil.net/", "bio", domains)
    assert "look-alike" not in describe_ignored("https://example.org/", "bio", domains)


def test_json_ld_people_with_references_and_plain_values() -> None:
    doc = {
        "@graph": [
            {
                "@type": ["Corporation"],
                "founders": [{"@id": "#p1"}, "Just a string"],
                "employee": {"@type": "schema:Person", "name": "Eve"},
            },
            {"@id": "#p1", "@type": "Person", "name": "Pat"},
        ]
    }
    found = [(role, node.get("name")) for role, node in people_from_jsonld([doc])]
    assert found == [("founder", "Pat"), ("employee", "Eve")]
    assert people_from_jsonld([{"@type": "Person", "name": "Alone"}]) == []


def test_snippet_is_toml_even_with_quotes_and_newlines() -> None:
    import tomllib

    text = snippet('Ann "the" \nBoss', "CEO\\", {"x": 'a"b'})
    data = tomllib.loads(text)
    assert data["people"][0] == {
        "name": 'Ann "the" \nBoss',
        "role": "CEO\\",
        "handles": {"x": 'a"b'},
    }


# -- verification records -----------------------------------------------------------------

BRAND = "did:plc:brandbrandbrandbrandbran"
PERSON = "did:plc:personpersonpersonperso"


def _record(
    subject: str, handle: str = "ann.acme.com", name: str = "Ann", rkey: str = "3l"
) -> dict[str, Any]:
    return {
        "uri": f"at://{BRAND}/app.bsky.graph.verification/{rkey}",
        "value": {
            "$type": "app.bsky.graph.verification",
            "subject": subject,
            "handle": handle,
            "displayName": name,
        },
    }


def _profile(handle: str = "ann.acme.com", name: str | None = "Ann") -> dict[str, Any]:
    body: dict[str, Any] = {"did": PERSON, "handle": handle}
    if name is not None:
        body["displayName"] = name
    return body


def _view(valid: bool, **profile: Any) -> dict[str, Any]:
    return {
        **_profile(**profile),
        "verification": {"verifications": [{"issuer": BRAND, "isValid": valid}]},
    }


def test_verification_record_present_absent_and_unreadable() -> None:
    from brandaudit.model import VerificationState
    from brandaudit.people.bluesky import BrandVerifier, judge_verification

    listed = BrandVerifier(BRAND, [_record("did:plc:someoneelse"), _record(PERSON)], "2 records")
    issued = judge_verification(listed, PERSON, _view(True), [])
    assert (issued.status, issued.appview_valid) == (VerificationState.ISSUED, True)
    assert issued.judged_by == "appview"
    # The AppView's isValid: false wins, even though the record matches the profile.
    stale = judge_verification(listed, PERSON, _view(False), [])
    assert (stale.status, stale.appview_valid) == (VerificationState.INVALID, False)
    assert stale.judged_by == "appview" and "app view says" in stale.reason
    assert stale.fix is not None
    absent = BrandVerifier(BRAND, [_record("did:plc:someoneelse")], "1 record")
    assert judge_verification(absent, PERSON, None, []).status is VerificationState.NOT_ISSUED
    # The repository could not be listed: unknown, unless the AppView itself shows the check.
    failed = BrandVerifier(BRAND, None, "could not list the brand's verification records")
    assert judge_verification(failed, PERSON, None, []).status is VerificationState.UNKNOWN
    assert judge_verification(failed, PERSON, _view(True), []).status is VerificationState.ISSUED
    assert judge_verification(failed, PERSON, _view(False), []).status is VerificationState.INVALID
    # A record but no profile to compare it with: unknown, never "issued".
    assert judge_verification(listed, PERSON, None, []).status is VerificationState.UNKNOWN
    # No brand account: not applicable; no person DID: unknown.
    none = BrandVerifier(None, None, "the brand has no verified Bluesky domain handle")
    assert judge_verification(none, PERSON, None, []).status is VerificationState.NOT_APPLICABLE
    assert judge_verification(listed, None, None, []).status is VerificationState.UNKNOWN


@pytest.mark.parametrize(
    ("record", "profile", "fields"),
    [
        # The AppView's rule (packages/bsky/src/views/index.ts, Views.verification):
        # !!displayName && displayName === current && !!handle && handle === current.
        ({}, {}, ()),
        ({"handle": "ann.bsky.social"}, {}, ("handle",)),
        ({}, {"handle": "ann.example.org"}, ("handle",)),
        ({}, {"name": "Ann B."}, ("displayName",)),
        ({"handle": "Ann.acme.com"}, {}, ("handle",)),  # exact: case counts
        ({"name": "ann"}, {}, ("displayName",)),
        ({"name": ""}, {"name": ""}, ("displayName",)),  # both empty: never valid
        ({}, {"name": None}, ("displayName",)),  # no display name on the profile
        ({"handle": ""}, {}, ("handle",)),
        ({"handle": "x.com", "name": "X"}, {}, ("handle", "displayName")),
        ({}, {"handle": "handle.invalid"}, ("handle",)),
    ],
)
def test_the_appview_rule_on_one_record(
    record: dict[str, Any], profile: dict[str, Any], fields: tuple[str, ...]
) -> None:
    from brandaudit.model import VerificationState
    from brandaudit.people.bluesky import BrandVerifier, judge_verification, mismatches

    rec = _record(PERSON, **record)
    prof = _profile(**profile)
    assert tuple(m.field for m in mismatches(rec, prof)) == fields
    verdict = judge_verification(BrandVerifier(BRAND, [rec], "1 record"), PERSON, prof, [], "Ann")
    assert verdict.judged_by == "brandaudit"
    if fields:
        assert verdict.status is VerificationState.INVALID
        assert verdict.fix is not None and "Ann" in verdict.fix
        assert tuple(m.field for m in verdict.mismatches) == fields
    else:
        assert verdict.status is VerificationState.ISSUED
        assert verdict.fix is None and not verdict.mismatches


def test_an_old_handle_is_named_with_the_fix() -> None:
    from brandaudit.people.bluesky import BrandVerifier, judge_verification

    rec = _record(PERSON, handle="bob.test", name="Bob")
    prof = _profile(handle="bob.acme.corp", name="Bob")
    verdict = judge_verification(BrandVerifier(BRAND, [rec], "1"), PERSON, prof, [], "Bob")
    assert "the record names @bob.test, the account is now @bob.acme.corp" in verdict.reason
    assert verdict.fix == (
        f"Re-verify Bob from the brand's account: delete the record {rec['uri']} and write a "
        "new one naming @bob.acme.corp (in Bluesky: remove the verification, then verify "
        "again)."
    )
    renamed = judge_verification(
        BrandVerifier(BRAND, [_record(PERSON, name="Ann")], "1"),
        PERSON,
        _profile(name="Ann \x1b[31mB"),
        [],
        "Ann",
    )
    assert 'the account\'s is now "Ann [31mB"' in renamed.reason  # no escape survives
    assert renamed.fix is not None and 'display name "Ann [31mB"' in renamed.fix


def test_bluesky_counts_the_first_record_per_person() -> None:
    """The AppView indexes one verification per issuer and subject, the first; a newer one
    waits as a duplicate until the old one is deleted (indexing/plugins/verification.ts)."""
    from brandaudit.model import VerificationState
    from brandaudit.people.bluesky import BrandVerifier, judge_verification

    old = _record(PERSON, handle="ann.bsky.social", rkey="3laaa")
    new = _record(PERSON, rkey="3lzzz")
    verifier = BrandVerifier(BRAND, [new, old], "2 records")  # listRecords: newest first
    verdict = judge_verification(verifier, PERSON, _profile(), [], "Ann")
    assert verdict.status is VerificationState.INVALID
    assert verdict.record_uri == old["uri"]
    assert verdict.fix is not None and verdict.fix.startswith(
        f"Delete the older verification record {old['uri']}"
    )
    # Only the new, matching one: issued.
    alone = judge_verification(BrandVerifier(BRAND, [new], "1"), PERSON, _profile(), [], "Ann")
    assert alone.status is VerificationState.ISSUED


def test_an_invalid_verification_gets_a_step_with_its_fix() -> None:
    from brandaudit.model import PersonBluesky, PersonVerification, VerificationState

    person = PersonResult(
        name="Ann",
        bluesky=PersonBluesky(
            handle="ann.acme.com",
            under_brand_domain=True,
            verification=PersonVerification(
                status=VerificationState.INVALID,
                appview_valid=False,
                reason="stale",
                fix="Re-verify Ann.",
            ),
        ),
    )
    brand = Brand(domain="acme.com", people=(person,))
    steps = policy.evaluate(report(brand), settings_from_mapping({})).report.brands[0].next_steps
    assert [s.title for s in steps] == ["Verify Ann again on Bluesky"]
    assert steps[0].detail == "stale. Re-verify Ann."


# -- a server can't steer the activity request -------------------------------------------


class _StubNet:
    """Answers every request with one JSON body and records the URLs asked."""

    def __init__(self, body: Any) -> None:
        self.body = body
        self.urls: list[str] = []

    async def fetch(self, method: str, url: str, **_: Any) -> Any:
        import json

        import httpx

        from brandaudit.net.client import Response

        self.urls.append(url)
        return Response(
            method=method,
            url=url,
            status=200,
            headers=httpx.Headers({"content-type": "application/json"}),
            body=json.dumps(self.body).encode(),
            final_url=url,
        )


def test_mastodon_activity_asks_the_instance_that_answered_not_the_profile_url() -> None:
    import asyncio
    from typing import cast

    from brandaudit.activity.fetchers import mastodon
    from brandaudit.model import Evidence
    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from brandaudit.platforms.base import CheckContext

    lookup = "https://mastodon.social/api/v1/accounts/lookup?acct=acme"
    result = res(
        "mastodon",
        url="https://evil.example/@acme",  # what the server sent as the profile URL
        evidence=(Evidence(method="GET", url=lookup, status_code=200),),
    )
    net = _StubNet({"username": "acme", "last_status_at": "2025-01-02", "statuses_count": 3})
    ctx = CheckContext(
        net=cast(NetClient, net),
        dns=cast(DnsClient, None),
        settings=settings_from_mapping({}),
        platform="mastodon",
    )
    activity = asyncio.run(mastodon(result, ctx))
    assert net.urls == [lookup]
    assert activity.last_activity_at == datetime(2025, 1, 2, tzinfo=UTC)
    assert activity.posts == 3


class _Answers(_StubNet):
    """Answers in turn from a list of (status, body)."""

    def __init__(self, *answers: tuple[int, Any]) -> None:
        super().__init__(None)
        self.answers = list(answers)

    async def fetch(self, method: str, url: str, **_: Any) -> Any:
        import json

        import httpx

        from brandaudit.net.client import Response

        self.urls.append(url)
        status, body = self.answers.pop(0)
        return Response(
            method=method,
            url=url,
            status=status,
            headers=httpx.Headers({"content-type": "application/json"}),
            body=json.dumps(body).encode() if not isinstance(body, bytes) else body,
            final_url=url,
        )


def _read(reader: Any, result: PlatformResult, *answers: tuple[int, Any]) -> Activity:
    import asyncio
    from typing import cast

    from brandaudit.net.client import NetClient
    from brandaudit.net.dns import DnsClient
    from brandaudit.platforms.base import CheckContext

    ctx = CheckContext(
        net=cast(NetClient, _Answers(*answers)),
        dns=cast(DnsClient, None),
        settings=settings_from_mapping({}),
        platform=result.platform,
    )
    activity: Activity = asyncio.run(reader(result, ctx))
    assert len(activity.evidence) == len(ctx.evidence)  # every request is evidence
    return activity


def test_bluesky_reader_repost_garbage_and_errors() -> None:
    from brandaudit.activity.fetchers import bluesky

    profile = (200, {"did": "did:plc:x", "postsCount": 5, "followersCount": True})
    repost = {
        "feed": [
            {
                "post": {"record": {"createdAt": "2020-01-01T00:00:00Z"}},
                "reason": {
                    "$type": "app.bsky.feed.defs#reasonRepost",
                    "indexedAt": "2025-02-03T04:05:06Z",
                },
            }
        ]
    }
    got = _read(bluesky, res("bluesky"), profile, (200, repost))
    assert (got.source, got.last_activity_at) == (
        "newest repost",
        datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC),
    )
    assert (got.posts, got.followers) == (5, None)  # a bool is not a count
    undated = _read(bluesky, res("bluesky"), profile, (200, {"feed": [{"post": {"record": {}}}]}))
    assert undated.status is ActivityStatus.UNKNOWN
    for answer in (
        (429, {"error": "RateLimitExceeded"}),
        (200, {"feed": "nope"}),
        (200, b"<html>"),
    ):
        failed = _read(bluesky, res("bluesky"), profile, answer)
        assert failed.status is ActivityStatus.UNKNOWN and failed.last_activity_at is None
    blocked = _read(bluesky, res("bluesky"), (503, {}))
    assert blocked.status is ActivityStatus.UNKNOWN and "HTTP 503" in blocked.reason


def test_github_and_mastodon_readers_never_guess() -> None:
    from brandaudit.activity.fetchers import github, mastodon

    lookup = "https://mastodon.social/api/v1/accounts/lookup?acct=acme"
    from brandaudit.model import Evidence

    toot = res("mastodon", evidence=(Evidence(method="GET", url=lookup, status_code=200),))
    bad_date = _read(mastodon, toot, (200, {"username": "acme", "last_status_at": "soon"}))
    assert bad_date.status is ActivityStatus.UNKNOWN
    no_field = _read(mastodon, toot, (200, {"username": "acme"}))
    assert no_field.status is ActivityStatus.UNKNOWN
    # No evidence of a working instance: no request, no guess.
    lost = _read(mastodon, res("mastodon"))
    assert lost.status is ActivityStatus.UNAVAILABLE
    events_blocked = _read(github, res("github"), (403, {"message": "API rate limit exceeded"}))
    assert events_blocked.status is ActivityStatus.UNKNOWN
    nothing = _read(github, res("github"), (200, []), (200, []))
    assert nothing.status is ActivityStatus.UNAVAILABLE and nothing.last_activity_at is None
    # "Never posted" only when the count agrees; an empty answer beside a count is no date.
    posted = {"username": "acme", "last_status_at": None, "statuses_count": 42}
    assert _read(mastodon, toot, (200, posted)).status is ActivityStatus.UNKNOWN
    silent = {"username": "acme", "last_status_at": None, "statuses_count": 0}
    assert _read(mastodon, toot, (200, silent)).last_activity_at is None
    assert _read(mastodon, toot, (200, silent)).status is ActivityStatus.KNOWN
    undated = _read(github, res("github"), (200, [{"type": "PushEvent", "created_at": "soon"}]))
    assert undated.status is ActivityStatus.UNKNOWN


def test_bluesky_empty_feed_is_never_posted_only_when_the_count_is_zero() -> None:
    from brandaudit.activity.fetchers import bluesky

    empty = (200, {"feed": []})
    posted = _read(bluesky, res("bluesky"), (200, {"did": "did:plc:x", "postsCount": 5}), empty)
    assert posted.status is ActivityStatus.UNKNOWN
    silent = _read(bluesky, res("bluesky"), (200, {"did": "did:plc:x", "postsCount": 0}), empty)
    assert silent.status is ActivityStatus.KNOWN and silent.reason == "the account has no posts"


def test_the_verified_domain_handle_can_be_dormant_too() -> None:
    from brandaudit.model import BlueskyDomain, BlueskyStatus

    domain = BlueskyDomain(
        domain="acme.com",
        status=BlueskyStatus.VERIFIED,
        activity=known(NOW - timedelta(days=1000)),
    )
    brand = Brand(domain="acme.com", bluesky_domain=domain)
    judged = policy.evaluate(report(brand), settings_from_mapping({})).report.brands[0]
    assert judged.bluesky_domain is not None and judged.bluesky_domain.activity is not None
    assert judged.bluesky_domain.activity.dormant is True
    assert [s.title for s in judged.next_steps] == [
        "Revive or retire the dormant Bluesky account acme.com"
    ]
    # bluesky/domain passes (3), activity fails (1): 75.
    assert judged.score == 75


def test_the_cache_legend_shows_when_only_a_person_s_row_is_cached() -> None:
    from brandaudit.model import Evidence
    from brandaudit.render import RenderOptions
    from brandaudit.render.table import render_table

    fresh = Evidence(method="GET", url="https://api.github.com/users/acme")
    cached = Evidence(method="GET", url="https://api.github.com/users/ann", cached=True)
    person = PersonResult(name="Ann", handles=(res("github", handle="ann", evidence=(cached,)),))
    brand = Brand(domain="acme.com", platforms=(res("github", evidence=(fresh,)),))
    plain = render_table(report(brand), RenderOptions(color=False, width=100))
    assert "*" not in plain
    with_person = brand.model_copy(update={"people": (person,)})
    text = render_table(report(with_person), RenderOptions(color=False, width=100))
    assert "Github ann claimed*" in text
    assert "* from the HTTP cache (--refresh asks again)" in text


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_people_notes_wrap_whole_and_the_first_one_is_never_cut(width: int) -> None:
    from rich.text import Text

    from brandaudit.render.table import NOTE_INDENT, wrap_notes

    verdict = "brand verification not valid (handle and display name changed)"
    notes = [verdict, "domain handle verified", "under the brand's domain", "links to the brand"]
    head = Text("  Bluesky " + "a-very-long-person-handle.team.acme-corporation.com claimed")
    lines = [t.plain for t in wrap_notes(head, notes, width)]
    text = "\n".join(lines)
    for note in notes[1:]:  # every short note shows whole
        assert note in text
    if len(verdict) <= width - len(NOTE_INDENT):
        assert verdict in text
    assert all(len(line) <= width for line in lines[1:])
    assert all(line.startswith(NOTE_INDENT) for line in lines[1:])
