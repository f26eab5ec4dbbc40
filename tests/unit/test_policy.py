"""Policy: claims judged, the readiness score and grade, next steps and the exit code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from brandaudit import policy
from brandaudit.config import settings_from_mapping
from brandaudit.exitcodes import ExitCode
from brandaudit.model import (
    Activity,
    ActivityStatus,
    BlueskyCheck,
    BlueskyDomain,
    BlueskySetup,
    BlueskyStatus,
    Brand,
    Change,
    ChangeKind,
    CheckStatus,
    ClaimOutcome,
    Confidence,
    DnsRecordSetup,
    Method,
    Ownership,
    OwnershipStatus,
    PersonBluesky,
    PersonResult,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
    WellKnownSetup,
)
from brandaudit.policy.claims import judge_domain, judge_person, judge_person_claim
from brandaudit.policy.match import handle_key
from brandaudit.policy.score import apply_activity, mark_dormant
from tests.factories import res

SIGNUP = {"github": "https://github.com/signup", "mastodon": "https://joinmastodon.org/servers"}


def domain(status: BlueskyStatus, *checks: BlueskyCheck, **extra: Any) -> BlueskyDomain:
    return BlueskyDomain(domain="acme.com", status=status, checks=checks, **extra)


def assess(
    *results: PlatformResult,
    claims: dict[str, Any] | None = None,
    requires: tuple[str, ...] = (),
    bluesky: BlueskyDomain | None = None,
) -> Brand:
    brand = Brand(domain="acme.com", handles=("acme",), platforms=results, bluesky_domain=bluesky)
    settings = settings_from_mapping({"claims": claims} if claims else {})
    return policy.assess(brand, settings, requires, SIGNUP)


def report_of(brand: Brand) -> Report:
    return Report(
        tool=ToolInfo(version="0"), generated_at=datetime(2026, 1, 1, tzinfo=UTC), brands=(brand,)
    )


# --- claims and exit codes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (Status.CLAIMED, ClaimOutcome.PASS),
        (Status.AVAILABLE, ClaimOutcome.FAIL),
        (Status.RESERVED, ClaimOutcome.FAIL),
        (Status.SUSPENDED, ClaimOutcome.FAIL),
        (Status.INVALID, ClaimOutcome.FAIL),
        (Status.UNKNOWN, ClaimOutcome.UNDECIDED),
    ],
)
@pytest.mark.parametrize("required", [True, False])
def test_claim_outcome_and_exit_code(status: Status, outcome: ClaimOutcome, required: bool) -> None:
    claims: dict[str, Any] = {"github": "acme"}
    if not required:
        claims["optional"] = ["github"]
    brand = assess(res("github", status), claims=claims)
    (claim,) = brand.claims
    assert (claim.outcome, claim.required) == (outcome, required)
    expected = ExitCode.OK
    if required and outcome is ClaimOutcome.FAIL:
        expected = ExitCode.FINDINGS
    elif required and outcome is ClaimOutcome.UNDECIDED:
        expected = ExitCode.INCONCLUSIVE
    assert policy.exit_code_for(report_of(brand)) is expected


def test_failure_beats_undecided_for_the_exit_code() -> None:
    brand = assess(
        res("github", Status.UNKNOWN),
        res("mastodon", Status.AVAILABLE),
        claims={"github": "acme", "mastodon": "acme"},
    )
    assert policy.exit_code_for(report_of(brand)) is ExitCode.FINDINGS


def test_nothing_declared_exits_0_even_with_everything_free() -> None:
    brand = assess(res("github", Status.AVAILABLE), res("mastodon", Status.UNKNOWN))
    assert brand.claims == ()
    assert policy.exit_code_for(report_of(brand)) is ExitCode.OK


def test_require_uses_the_primary_handle_or_the_declared_one() -> None:
    brand = assess(
        res("github", Status.CLAIMED),
        res("mastodon", Status.CLAIMED, handle="acmehq"),
        claims={"mastodon": "acmehq", "optional": ["mastodon"]},
        requires=("github", "mastodon"),
    )
    assert [(c.platform, c.handle, c.required) for c in brand.claims] == [
        ("mastodon", "acmehq", True),
        ("github", "acme", True),
    ]
    assert all(c.outcome is ClaimOutcome.PASS for c in brand.claims)


def test_claim_on_a_platform_that_did_not_run_is_undecided() -> None:
    brand = assess(res("github", Status.CLAIMED), claims={"mastodon": "acme"})
    assert brand.claims[0].outcome is ClaimOutcome.UNDECIDED
    assert "not checked" in brand.claims[0].reason


def test_claim_matches_handles_case_insensitively_and_without_at() -> None:
    brand = assess(res("github", Status.CLAIMED, handle="acme"), claims={"github": "@ACME"})
    assert brand.claims[0].outcome is ClaimOutcome.PASS


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (BlueskyStatus.VERIFIED, ClaimOutcome.PASS),
        (BlueskyStatus.MISCONFIGURED, ClaimOutcome.FAIL),
        (BlueskyStatus.NOT_CONFIGURED, ClaimOutcome.FAIL),
        (BlueskyStatus.UNKNOWN, ClaimOutcome.UNDECIDED),
    ],
)
def test_bluesky_domain_claim_passes_only_when_verified(
    status: BlueskyStatus, outcome: ClaimOutcome
) -> None:
    # The handle exists on Bluesky (claimed), yet only the verifier's verdict counts.
    brand = assess(
        res("bluesky", Status.CLAIMED, handle="acme.com"),
        claims={"bluesky": "acme.com"},
        bluesky=domain(status),
    )
    assert brand.claims[0].outcome is outcome


def test_ownership_unconfirmed_does_not_fail_a_claim() -> None:
    # Not proof the account is someone else's (see policy.claims: no ownership status refutes).
    owned = Ownership(status=OwnershipStatus.UNCONFIRMED, reason="no link either way")
    brand = assess(res("github", Status.CLAIMED, ownership=owned), claims={"github": "acme"})
    assert brand.claims[0].outcome is ClaimOutcome.PASS


# --- score and grade ------------------------------------------------------------------------


def test_score_weights_and_grade() -> None:
    # required claim pass (3) + optional claim fail (2) + handle pass (1) + handle fail (1)
    brand = assess(
        res("github", Status.CLAIMED),
        res("mastodon", Status.AVAILABLE),
        res("x", Status.CLAIMED),
        res("youtube", Status.AVAILABLE),
        claims={"github": "acme", "mastodon": "acme", "optional": ["mastodon"]},
    )
    assert brand.score == round(100 * 4 / 7)
    assert brand.grade == "D"


def test_undecided_is_left_out_of_the_denominator_not_counted_as_zero() -> None:
    decided = assess(res("github", Status.CLAIMED), res("mastodon", Status.AVAILABLE))
    with_unknown = assess(
        res("github", Status.CLAIMED), res("mastodon", Status.AVAILABLE), res("x", Status.UNKNOWN)
    )
    assert decided.score == with_unknown.score == 50


def test_score_is_none_when_nothing_could_be_decided() -> None:
    brand = assess(res("github", Status.UNKNOWN), bluesky=domain(BlueskyStatus.UNKNOWN))
    assert (brand.score, brand.grade) == (None, None)
    assert assess().score is None


def test_invalid_brand_handle_is_not_applicable() -> None:
    brand = assess(res("github", Status.CLAIMED), res("x", Status.INVALID))
    assert brand.score == 100


def test_any_brand_handle_claimed_on_a_platform_is_enough() -> None:
    brand = assess(
        res("github", Status.AVAILABLE, handle="acme"),
        res("github", Status.CLAIMED, handle="acmehq"),
    )
    assert brand.score == 100


def test_bluesky_domain_counts_once_when_also_claimed() -> None:
    items = policy.score_items(
        assess(
            res("bluesky", Status.CLAIMED, handle="acme.com"),
            claims={"bluesky": "acme.com"},
            bluesky=domain(BlueskyStatus.VERIFIED),
        )
    )
    assert [(i.key, i.weight) for i in items] == [("claim/bluesky", 3)]
    unclaimed = policy.score_items(assess(bluesky=domain(BlueskyStatus.MISCONFIGURED)))
    assert [(i.key, i.outcome) for i in unclaimed] == [("bluesky/domain", ClaimOutcome.FAIL)]


@pytest.mark.parametrize(
    ("value", "letter"),
    [(100, "A"), (90, "A"), (89, "B"), (75, "B"), (74, "C"), (60, "C"), (59, "D"), (40, "D"),
     (39, "F"), (0, "F"), (None, None)],
)  # fmt: skip
def test_grade_boundaries(value: int | None, letter: str | None) -> None:
    assert policy.grade(value) == letter


def test_score_rounds_half_up() -> None:
    def items(passed: int, failed: int) -> list[policy.ScoreItem]:
        return [policy.ScoreItem("p", 1, ClaimOutcome.PASS)] * passed + [
            policy.ScoreItem("f", 1, ClaimOutcome.FAIL)
        ] * failed

    assert policy.score(items(179, 21)) == 90  # 89.5 -> 90, an A
    assert policy.score(items(1, 2)) == 33
    assert policy.score(items(2, 1)) == 67
    assert policy.score([policy.ScoreItem("x", 3, None)]) is None


# --- next steps -------------------------------------------------------------------------------


def test_next_steps_ranked_by_impact_with_signup_links() -> None:
    fix = BlueskyCheck(
        id="dns_txt", status=CheckStatus.FAIL, message="two records", fix="Delete the extra one."
    )
    warn = BlueskyCheck(id="appview", status=CheckStatus.WARN, message="stale", fix="Wait.")
    brand = assess(
        res("github", Status.AVAILABLE),
        res("mastodon", Status.AVAILABLE, remediation="Create acme on a server"),
        res("x", Status.UNKNOWN),
        res("youtube", Status.AVAILABLE),
        claims={"github": "acme", "mastodon": "acme", "optional": ["mastodon"]},
        bluesky=domain(BlueskyStatus.MISCONFIGURED, fix, warn),
    )
    titles = [(s.priority, s.title, s.url) for s in brand.next_steps]
    assert titles == [
        (1, "Claim acme on Github", "https://github.com/signup"),
        (2, "Fix the Bluesky handle acme.com: the _atproto DNS record", None),
        (3, "Claim acme on Mastodon", "https://joinmastodon.org/servers"),
        (4, "Claim acme on Youtube", None),
        (5, "Improve the Bluesky handle acme.com: Bluesky's view of the handle", None),
        (6, "Re-run later: 1 platform check could not be decided", None),
    ]
    assert brand.next_steps[1].detail == "Delete the extra one."
    assert brand.next_steps[2].detail == "Create acme on a server"
    assert "X acme" in (brand.next_steps[5].detail or "")


def test_unknown_bluesky_check_ids_are_consumed_generically() -> None:
    odd = BlueskyCheck(id="brand_new_check", status=CheckStatus.FAIL, message="m", fix="Do X.")
    brand = assess(bluesky=domain(BlueskyStatus.MISCONFIGURED, odd))
    assert brand.next_steps[0].title == "Fix the Bluesky handle acme.com: brand new check"
    assert brand.next_steps[0].detail == "Do X."


def test_not_configured_domain_suggests_the_setup() -> None:
    setup = BlueskySetup(
        did="did:plc:abc",
        dns=DnsRecordSetup(
            zone="acme.com", host="_atproto", fqdn="_atproto.acme.com", value="did=did:plc:abc"
        ),
        well_known=WellKnownSetup(
            url="https://acme.com/.well-known/atproto-did", content="did:plc:abc"
        ),
    )
    brand = assess(bluesky=domain(BlueskyStatus.NOT_CONFIGURED, setup=setup))
    (step,) = brand.next_steps
    assert step.title == "Use acme.com as your Bluesky handle"
    assert (
        step.detail == "Add a TXT record at _atproto (in acme.com) with the value did=did:plc:abc."
    )


def test_required_undecided_claim_asks_for_a_rerun_first() -> None:
    brand = assess(res("github", Status.UNKNOWN), res("x", Status.AVAILABLE), requires=("github",))
    assert brand.next_steps[0].title == "Re-run the Github check for acme (undecided)"
    assert brand.next_steps[1].title == "Claim acme on X"


def test_failing_domain_claim_without_fixes_still_gets_a_step() -> None:
    brand = assess(claims={"bluesky": "acme.com"}, bluesky=domain(BlueskyStatus.MISCONFIGURED))
    assert brand.next_steps[0].title == "Fix the Bluesky handle acme.com"


def test_suspended_and_invalid_claims_get_their_own_advice() -> None:
    brand = assess(
        res("github", Status.SUSPENDED, url="https://github.com/acme"),
        res("mastodon", Status.INVALID),
        claims={"github": "acme", "mastodon": "acme"},
    )
    titles = [s.title for s in brand.next_steps]
    assert titles == [
        "Recover or replace the suspended Github account acme",
        "Fix the declared Mastodon handle 'acme' in [claims]",
    ]


def test_everything_fine_means_no_next_steps() -> None:
    brand = assess(res("github", Status.CLAIMED), bluesky=domain(BlueskyStatus.VERIFIED))
    assert brand.next_steps == ()
    assert (brand.score, brand.grade) == (100, "A")


def test_evaluate_fills_every_brand() -> None:
    brand = Brand(domain="acme.com", handles=("acme",), platforms=(res("github", Status.CLAIMED),))
    verdict = policy.evaluate(report_of(brand), settings_from_mapping({}), ("github",))
    (judged,) = verdict.report.brands
    assert judged.score == 100 and judged.claims[0].outcome is ClaimOutcome.PASS
    assert verdict.exit_code is ExitCode.OK


def test_website_findings_become_next_steps_before_optional_work() -> None:
    from brandaudit.model import Discovery, DiscoveryStatus, Finding

    finding = Finding(
        kind="declared_missing",
        platform="github",
        handle="acme-old",
        message="acme.com links to https://github.com/acme-old, but that account doesn't exist",
        fix="Fix or remove the link on https://acme.com/.",
    )
    brand = assess(res("github", Status.CLAIMED), res("x", Status.AVAILABLE))
    brand = brand.model_copy(
        update={
            "discovery": Discovery(
                status=DiscoveryStatus.OK, url="https://acme.com/", findings=(finding,)
            )
        }
    )
    steps = policy.next_steps(brand, SIGNUP)
    assert [s.title for s in steps] == [
        "Fix the website's link to Github acme-old",
        "Claim acme on X",
    ]
    assert steps[0].detail is not None and steps[0].detail.endswith("link on https://acme.com/.")


def test_rerun_step_names_the_platform_once() -> None:
    from brandaudit.config import Settings
    from brandaudit.model import Brand, PlatformResult, Status
    from brandaudit.policy import assess

    result = PlatformResult(
        platform="snapchat",
        platform_name="Snapchat",
        handle="acme",
        status=Status.UNKNOWN,
        confidence=Confidence.LOW,
        method=Method.PUBLIC_PAGE,
        reason="Snapchat: rate-limited (HTTP 429); try again later",
    )
    brand = assess(Brand(domain="acme.com", handles=("acme",), platforms=(result,)), Settings())
    rerun = brand.next_steps[-1]
    assert rerun.title.startswith("Re-run later")
    assert rerun.detail == "Snapchat acme: rate-limited (HTTP 429); try again later"


# --- a person's Bluesky domain handle is judged by the domain verifier ----------------------
@pytest.mark.parametrize(
    ("status", "outcome", "words"),
    [
        (BlueskyStatus.VERIFIED, ClaimOutcome.PASS, "bob.dev is a verified Bluesky domain"),
        (BlueskyStatus.UNKNOWN, ClaimOutcome.UNDECIDED, "could not verify bob.dev on Bluesky"),
        (BlueskyStatus.MISCONFIGURED, ClaimOutcome.FAIL, "bob.dev is misconfigured"),
    ],
)
def test_a_persons_domain_handle_claim_is_the_domain_verifiers(
    status: BlueskyStatus, outcome: ClaimOutcome, words: str
) -> None:
    # The adapter's row for the same handle says the opposite: the verifier alone decides.
    row = res("bluesky", Status.AVAILABLE, handle="bob.dev")
    person = PersonResult(
        name="Bob",
        required=("bluesky", "github"),
        handles=(row, res("github", Status.CLAIMED, handle="bob")),
        bluesky=PersonBluesky(
            handle="bob.dev",
            under_brand_domain=False,
            domain=BlueskyDomain(domain="bob.dev", status=status),
        ),
        config_line=4,
    )
    judged, reason = judge_person_claim(person, "bluesky")
    assert (judged, words in reason) == (outcome, True), reason
    # Other platforms of the same person are judged by their own result.
    assert judge_person_claim(person, "github")[0] is ClaimOutcome.PASS
    claims = {c.platform: c for c in judge_person(person).claims}
    assert claims["bluesky"].outcome is outcome
    assert claims["bluesky"].reason == f"Bob: {reason}"
    assert claims["bluesky"].handle == "bob.dev"
    assert claims["bluesky"].config_line == 4


def test_a_person_without_a_checked_domain_is_judged_by_the_adapter_row() -> None:
    row = res("bluesky", Status.AVAILABLE, handle="bob.bsky.social")
    undomained = PersonResult(
        name="Bob",
        required=("bluesky",),
        handles=(row,),
        bluesky=PersonBluesky(handle="bob.bsky.social", under_brand_domain=False),
    )
    assert judge_person_claim(undomained, "bluesky")[0] is ClaimOutcome.FAIL
    unchecked = PersonResult(name="Bob", required=("bluesky",), declared={"bluesky": "bob.dev"})
    outcome, reason = judge_person_claim(unchecked, "bluesky")
    assert outcome is ClaimOutcome.UNDECIDED
    assert reason == "the platform was not checked in this run"
    assert judge_person(unchecked).claims[0].handle == "bob.dev"


# --- --fail-on-change: changes since a baseline join the exit code ---------------------------
def _changed(kind: ChangeKind) -> Report:
    change = Change(kind=kind, platform="github", regression=True, message="github: lost")
    return report_of(Brand(domain="acme.com", changes=(change,)))


@pytest.mark.parametrize(
    ("exit_code", "fail_on", "expected"),
    [
        (ExitCode.OK, frozenset({"lost"}), ExitCode.FINDINGS),
        (ExitCode.INCONCLUSIVE, frozenset({"lost"}), ExitCode.FINDINGS),  # findings outrank
        (ExitCode.FINDINGS, frozenset({"lost"}), ExitCode.FINDINGS),
        (ExitCode.OK, frozenset({"taken"}), ExitCode.OK),  # a change not named
        (ExitCode.INCONCLUSIVE, frozenset({"taken"}), ExitCode.INCONCLUSIVE),
        (ExitCode.OK, frozenset(), ExitCode.OK),
    ],
)
def test_a_named_change_fails_the_run(
    exit_code: ExitCode, fail_on: frozenset[str], expected: ExitCode
) -> None:
    report = _changed(ChangeKind.LOST)
    assert policy.change_exit_code(report, fail_on) is (
        ExitCode.FINDINGS if "lost" in fail_on else ExitCode.OK
    )
    verdict = policy.with_changes(policy.Verdict(report=report, exit_code=exit_code), fail_on)
    assert verdict.exit_code is expected
    assert verdict.report == report
    unchanged = report_of(Brand(domain="acme.com"))
    assert policy.change_exit_code(unchanged, frozenset({"lost"})) is ExitCode.OK


# --- --fail-under: the score threshold ---------------------------------------------------
def _scored(*values: int | None) -> Report:
    brands = tuple(Brand(domain=f"b{i}.com", score=v) for i, v in enumerate(values))
    return Report(
        tool=ToolInfo(version="0"), generated_at=datetime(2026, 1, 1, tzinfo=UTC), brands=brands
    )


@pytest.mark.parametrize(
    ("scores", "min_score", "expected"),
    [
        ((80,), 80, ExitCode.OK),  # at the threshold passes
        ((79,), 80, ExitCode.FINDINGS),
        ((95, 79), 80, ExitCode.FINDINGS),  # any brand under it
        ((None,), 80, ExitCode.INCONCLUSIVE),  # no score: can't say it passed
        ((95, None), 80, ExitCode.INCONCLUSIVE),
        ((None, 10), None, ExitCode.OK),  # no threshold: scores decide nothing
    ],
)
def test_the_score_threshold(
    scores: tuple[int | None, ...], min_score: int | None, expected: ExitCode
) -> None:
    assert policy.exit_code_for(_scored(*scores), min_score) is expected


def test_evaluate_takes_the_threshold_from_config_unless_given() -> None:
    brand = Brand(
        domain="acme.com", handles=("acme",), platforms=(res("github", Status.AVAILABLE),)
    )
    report = report_of(brand)
    strict = settings_from_mapping({"policy": {"min_score": 50}})
    assert policy.evaluate(report, strict).exit_code is ExitCode.FINDINGS  # score 0 < 50
    assert policy.evaluate(report, strict, min_score=0).exit_code is ExitCode.OK
    assert policy.evaluate(report, settings_from_mapping({})).exit_code is ExitCode.OK
    judged = policy.evaluate(report, settings_from_mapping({}), signup_urls=SIGNUP).report
    assert SIGNUP["github"] in [step.url for step in judged.brands[0].next_steps]


def test_a_claim_keeps_the_config_line_that_declares_it() -> None:
    brand = Brand(domain="acme.com", handles=("acme",), platforms=(res("github"),))
    settings = settings_from_mapping({"claims": {"github": "acme"}}, lines={"claims.github": 7})
    claims = policy.assess(brand, settings).claims
    assert [(c.platform, c.config_line) for c in claims] == [("github", 7)]


def test_required_without_a_handle_and_domain_wording() -> None:
    no_handles = Brand(domain="acme.com", platforms=())
    (claim,) = policy.assess(no_handles, settings_from_mapping({}), ("github",)).claims
    assert (claim.handle, claim.required, claim.outcome) == ("", True, ClaimOutcome.UNDECIDED)
    outcome, reason = judge_domain("acme.com", BlueskyStatus.NOT_CONFIGURED)
    assert (outcome, reason) == (
        ClaimOutcome.FAIL,
        "the Bluesky domain handle acme.com is not configured",
    )


def test_handle_key_drops_only_the_leading_at() -> None:
    assert handle_key(" @Xavier ") == "xavier"
    assert handle_key("@@acme") == "acme"


# --- activity: dormant accounts ---------------------------------------------------------------
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _activity(last: datetime | None) -> Activity:
    return Activity(status=ActivityStatus.KNOWN, last_activity_at=last, reason="newest post")


def test_an_account_that_never_posted_is_dormant_without_an_age() -> None:
    marked = mark_dormant(_activity(None), NOW, 90)
    assert marked is not None
    assert (marked.dormant, marked.age_days, marked.dormant_after_days) == (True, None, 90)
    # Judged again (a stored report re-read): an age from before is not kept.
    stale = _activity(None).model_copy(update={"age_days": 40, "dormant": False})
    again = mark_dormant(stale, NOW, 90)
    assert again is not None
    assert (again.dormant, again.age_days) == (True, None)


def test_a_date_in_the_future_is_zero_days_old() -> None:
    marked = mark_dormant(_activity(datetime(2026, 6, 3, tzinfo=UTC)), NOW, 90)
    assert marked is not None
    assert (marked.dormant, marked.age_days) == (False, 0)
    old = mark_dormant(_activity(datetime(2026, 3, 2, tzinfo=UTC)), NOW, 90)
    assert old is not None
    assert (old.dormant, old.age_days) == (True, 91)


def test_a_persons_accounts_are_marked_too() -> None:
    person = PersonResult(
        name="Bob",
        handles=(
            res("github", handle="bob", activity=_activity(datetime(2025, 1, 1, tzinfo=UTC))),
        ),
    )
    brand = Brand(domain="acme.com", people=(person,))
    marked = apply_activity(brand, NOW, 90)
    activity = marked.people[0].handles[0].activity
    assert activity is not None
    assert activity.dormant is True


@pytest.mark.parametrize(
    ("claims", "title"),
    [
        (
            None,
            "Re-run later: 2 platform checks and the Bluesky domain handle could not be decided",
        ),
        (  # a required claim has a step of its own: the re-run says it covers the rest
            {"x": "acme"},
            "Re-run later: 1 of the 2 undecided platform checks and the Bluesky domain handle "
            "could not be decided",
        ),
    ],
)
def test_rerun_counts_what_the_summary_counts(claims: dict[str, Any] | None, title: str) -> None:
    # issue 25: "Re-run later: 23" beside "22 undecided" counted the domain handle among them
    from brandaudit.render.common import summary_line

    brand = assess(
        res("github", Status.CLAIMED),
        res("x", Status.UNKNOWN),
        res("reddit", Status.UNKNOWN),
        claims=claims,
        bluesky=domain(BlueskyStatus.UNKNOWN),
    )
    assert brand.next_steps[-1].title == title
    assert "2 undecided" in summary_line(report_of(brand))
