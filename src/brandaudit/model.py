"""The result model: frozen pydantic types that every renderer reads and ``-f json`` prints.

``Report.model_dump_json()`` is the JSON format; ``brandaudit schema`` prints its JSON schema
(``report_schema``), committed as ``schemas/report.v1.json`` and held to it by a test. Inside
a version, changes are additive only (a new optional field, a new enum value); any breaking
change needs a new ``SCHEMA_VERSION``, a new committed schema and a converter in
``brandaudit.reader`` (README "JSON schema").
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from brandaudit.redact import scrub_value

SCHEMA_VERSION: Literal[1] = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_secrets(cls, value: Any) -> Any:
        """No registered secret (token, API key) and no terminal escape sequence survives
        into a result, wherever a server or an error message put it (``brandaudit.redact``)."""
        return scrub_value(value)


class Status(StrEnum):
    """Whether a handle is held on a platform."""

    CLAIMED = "claimed"
    """An account holds the name (the platform returned it)."""
    AVAILABLE = "available"
    """The platform positively said the name is free."""
    UNKNOWN = "unknown"
    """Not decided: blocked, rate-limited, timed out or an unexpected answer."""
    INVALID = "invalid"
    """The handle breaks the platform's rules; no request was needed."""
    RESERVED = "reserved"
    """Nobody holds it, yet it cannot be registered."""
    SUSPENDED = "suspended"
    """Held by a suspended, taken-down or deactivated account."""
    NOT_APPLICABLE = "not_applicable"
    """The platform has no public names of this kind to check (WhatsApp Channels: a brand's
    name is reserved in the app, not looked up); never counted for or against the brand."""


class Cause(StrEnum):
    """Why a result (or a Bluesky check) was not decided: a value, never read from the
    reason's wording. Set where the fact is known: the network core (a failed request), the
    shared verdict helpers (a block, a login wall, a redirect elsewhere), the runner (the
    deadline, a crash) and the Bluesky verifier. Renderers group undecided results by it."""

    TIMEOUT = "timeout"
    """A request got no (complete) answer in time."""
    DEADLINE = "deadline"
    """The check ran out of its ``--deadline`` before it could decide."""
    UNREACHABLE = "unreachable"
    """No connection: refused, reset, TLS failure, a name that does not resolve."""
    HOST_NOT_ANSWERING = "host_not_answering"
    """The host stopped answering earlier in this run, so it was not asked again."""
    DNS_BROKEN = "dns_broken"
    """The resolver failed (SERVFAIL, REFUSED, no answer), so DNS decided nothing."""
    RATE_LIMITED = "rate_limited"
    """HTTP 429, or the platform's own rate-limit answer."""
    BLOCKED = "blocked"
    """HTTP 401/403/407/999, a bot challenge or an interstitial page."""
    LOGIN_WALL = "login_wall"
    """The platform sent the request to a login or consent page."""
    SERVER_ERROR = "server_error"
    """HTTP 5xx: the platform had an error."""
    MOVED = "moved"
    """The platform redirected the address elsewhere (the adapter needs updating)."""
    SIGNAL_DRIFT = "signal_drift"
    """The expected status came without the expected marker (the platform changed)."""
    UNEXPECTED_ANSWER = "unexpected_answer"
    """An answer no signal reads: another status, not JSON, cut at the size cap..."""
    UNSUPPORTED = "unsupported"
    """The platform shows nothing public that could decide."""
    NEEDS_CREDENTIALS = "needs_credentials"
    """A credential that is not set would decide it."""
    INTERNAL_ERROR = "internal_error"
    """brandaudit itself failed (an adapter or check raised): a bug to report, not the
    platform's doing."""


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Method(StrEnum):
    """How an adapter decided."""

    OFFICIAL_API = "official_api"
    AVAILABILITY_ENDPOINT = "availability_endpoint"
    PUBLIC_API = "public_api"
    PUBLIC_PAGE = "public_page"
    RULE = "rule"
    """Decided from the handle rules alone, without a request."""


class HandleSource(StrEnum):
    """Where a checked handle came from."""

    DECLARED_CONFIG = "declared_config"
    DECLARED_WEBSITE = "declared_website"
    CLI = "cli"
    DERIVED = "derived"


class OwnershipStatus(StrEnum):
    VERIFIED = "verified"
    LINKED = "linked"
    UNCONFIRMED = "unconfirmed"
    NOT_APPLICABLE = "not_applicable"


class Evidence(_Frozen):
    """One request made while deciding a result."""

    method: str = Field(description="HTTP method, or DNS for a DNS query.")
    url: str = Field(description="What was asked: the URL (secrets redacted) or DNS name.")
    status_code: int | None = Field(default=None, description="HTTP status, if any came back.")
    final_url: str | None = Field(default=None, description="Where redirects ended, if elsewhere.")
    redirects: tuple[str, ...] = Field(default=(), description="Each redirect hop, in order.")
    signal: str | None = Field(default=None, description="What in the answer decided the verdict.")
    error: str | None = Field(default=None, description="Transport error, if the request failed.")
    elapsed_ms: float = Field(default=0.0, description="Wall time of the request.")
    cached: bool = Field(
        default=False,
        exclude_if=lambda value: not value,
        description="Answered from brandaudit's HTTP cache (present only when true).",
    )
    cause: Cause | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="What kind of failure ``error`` is, as the network core saw it (present "
        "only on a failed request).",
    )


class ProfileInfo(_Frozen):
    """What a platform shows publicly about an account, for ownership checks."""

    display_name: str | None = None
    description: str | None = None
    links: tuple[str, ...] = Field(default=(), description="Links the profile shows (website...)")
    verified_links: tuple[str, ...] = Field(
        default=(), description="Links the platform itself verified (e.g. Mastodon rel=me)."
    )
    verified_by: tuple[str, ...] = Field(
        default=(),
        exclude_if=lambda value: not value,
        description="Who verified the account, as the platform shows it valid (Bluesky: the "
        "issuers' DIDs); absent when none.",
    )


class Ownership(_Frozen):
    status: OwnershipStatus
    reason: str
    evidence: tuple[str, ...] = ()
    fix: str | None = Field(default=None, description="How to make the link go both ways.")


class DeclaredVia(StrEnum):
    """Where on the brand's website a profile link was found."""

    LINK = "a"
    """A plain ``<a href>`` link."""
    REL_ME = "rel_me"
    """An ``<a rel="me">`` or ``<link rel="me">`` link."""
    JSON_LD = "json_ld"
    """``sameAs`` of a schema.org Organization/Brand in JSON-LD."""


class DeclaredProfile(_Frozen):
    """A profile the brand's website links to (discovery)."""

    platform: str
    handle: str
    url: str = Field(description="The link as found (resolved against the page).")
    found_in: tuple[DeclaredVia, ...] = ()
    page: str = Field(description="The page the link was found on.")


class DiscoveryStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    """The homepage could not be read (timeout, block, challenge, other site...)."""
    SKIPPED = "skipped"


class Finding(_Frozen):
    """Something wrong with what the website declares, with its fix."""

    kind: Literal["declared_missing", "declared_mismatch", "declared_suspended"]
    platform: str
    handle: str
    message: str
    fix: str | None = None


class Discovery(_Frozen):
    """Reading the brand's homepage for the profiles it declares."""

    status: DiscoveryStatus
    url: str
    final_url: str | None = None
    notes: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    findings: tuple[Finding, ...] = ()


class PlatformResult(_Frozen):
    """The verdict for one handle on one platform."""

    platform: str = Field(description="Adapter id, e.g. 'github'.")
    platform_name: str = Field(description="Human name, e.g. 'GitHub'.")
    handle: str
    handle_source: HandleSource = HandleSource.DERIVED
    status: Status
    confidence: Confidence
    method: Method
    url: str | None = Field(default=None, description="The profile link.")
    reason: str = Field(description="One human sentence explaining the verdict.")
    cause: Cause | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Why it is undecided (status 'unknown' only; absent otherwise).",
    )
    evidence: tuple[Evidence, ...] = ()
    remediation: str | None = Field(default=None, description="What to do, if anything.")
    profile: ProfileInfo | None = None
    ownership: Ownership | None = None
    activity: Activity | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The account's last activity, for claimed accounts (absent when unread).",
    )

    @model_validator(mode="after")
    def _cause_only_when_undecided(self) -> PlatformResult:
        if self.cause is not None and self.status is not Status.UNKNOWN:
            raise ValueError(f"a {self.status.value} result has no cause")
        return self


class CheckStatus(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    INFO = "info"
    SKIP = "skip"


class BlueskyCheck(_Frozen):
    id: str
    status: CheckStatus
    message: str
    fix: str | None = None
    cause: Cause | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Why the check could not be made (a 'skip' that leaves the domain "
        "'unknown'); absent on checks that ran or were skipped by design.",
    )

    @model_validator(mode="after")
    def _cause_only_when_skipped(self) -> BlueskyCheck:
        if self.cause is not None and self.status is not CheckStatus.SKIP:
            raise ValueError(f"a {self.status.value} check has no cause")
        return self

    evidence: tuple[Evidence, ...] = Field(
        default=(), description="The DNS queries and HTTP requests this check read."
    )


class BlueskyStatus(StrEnum):
    VERIFIED = "verified"
    MISCONFIGURED = "misconfigured"
    NOT_CONFIGURED = "not_configured"
    UNKNOWN = "unknown"


class DnsRecordSetup(_Frozen):
    zone: str
    host: str
    fqdn: str
    type: Literal["TXT"] = "TXT"
    value: str


class WellKnownSetup(_Frozen):
    url: str
    content: str
    content_type: str = "text/plain"


class BlueskySetup(_Frozen):
    """What to add so that ``domain`` becomes a Bluesky handle for ``did``."""

    did: str
    dns: DnsRecordSetup | None
    well_known: WellKnownSetup


class BlueskyDomain(_Frozen):
    """The Bluesky domain-handle verdict for one domain."""

    domain: str = Field(description="The normalised domain.")
    status: BlueskyStatus
    did: str | None = Field(
        default=None,
        description="The DID the checks used: the one DNS (else the website file) names, or "
        "the one a near-miss record evidently meant (then dns_txt or well_known fails).",
    )
    handle: str | None = Field(default=None, description="The handle the DID document claims.")
    checks: tuple[BlueskyCheck, ...] = ()
    setup: BlueskySetup | None = None
    activity: Activity | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The verified domain handle's last activity, when no platform result "
        "already carries it (absent otherwise).",
    )


class ClaimOutcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNDECIDED = "undecided"


class ClaimResult(_Frozen):
    """A handle the brand declares it owns (``[claims]`` or ``--require``), judged by policy."""

    platform: str
    handle: str
    required: bool
    outcome: ClaimOutcome
    reason: str
    config_line: int | None = None


class NextStep(_Frozen):
    priority: int = Field(description="Lower is more important.")
    title: str
    detail: str | None = None
    url: str | None = None


class ChangeKind(StrEnum):
    """How a brand's presence changed between two audits (``brandaudit.history.diff``)."""

    LOST = "lost"
    """A handle the brand held is now available, suspended or reserved."""
    TAKEN = "taken"
    """A free handle is now claimed, and ownership does not show it is the brand's."""
    GAINED = "gained"
    """A free handle is now claimed, and ownership shows it is the brand's."""
    OWNERSHIP_CHANGED = "ownership_changed"
    """The account is still claimed, but its ownership verdict changed."""
    BLUESKY_CHANGED = "bluesky_changed"
    """The Bluesky domain handle became, or stopped being, verified."""
    SCORE_CHANGED = "score_changed"
    DECLARED_LINK_CHANGED = "declared_link_changed"
    """The website added or dropped a link to a profile."""
    NOT_RECHECKED = "not_rechecked"
    """A decided verdict is now ``unknown``: it could not be re-checked (never a loss)."""
    SUSPECT_APPEARED = "suspect_appeared"
    """The look-alike watch found a suspect account or domain it had not found before."""


class Change(_Frozen):
    """One transition between a baseline audit and this one."""

    kind: ChangeKind
    platform: str | None = Field(default=None, description="Adapter id; None for brand-level.")
    handle: str | None = None
    before: str | None = Field(default=None, description="The earlier value (status, score...)")
    after: str | None = None
    regression: bool = Field(description="Whether the brand lost ground.")
    message: str


class LookalikeClass(StrEnum):
    """What a claimed look-alike account or domain is, from the ownership signals."""

    YOURS = "yours"
    """The brand links it (website, [claims]) or the platform proves it (verified link, the
    verified Bluesky domain handle); a look-alike domain that redirects to or links the brand."""
    SUSPECT = "suspect"
    """Not linked to the brand, and it uses the brand's name (quoted in ``matched``), or a
    look-alike domain registered recently."""
    UNRELATED = "unrelated"
    """Held, but nothing in it points at the brand."""


class LookalikeFinding(_Frozen):
    """One look-alike handle or domain that is held, classified."""

    platform: str = Field(description="Adapter id; 'domain' for a look-alike domain.")
    platform_name: str
    handle: str = Field(description="The look-alike handle or domain.")
    variant_kind: str = Field(
        description="How it differs from the brand's: affix, omission, repetition, "
        "transposition, homoglyph, separator, replacement, bitflip, tld-swap (domains)."
    )
    status: Status
    classification: LookalikeClass
    url: str | None = None
    matched: str | None = Field(
        default=None, description="What in its name, bio or page uses the brand (quoted)."
    )
    registered: datetime | None = Field(
        default=None, description="A look-alike domain's registration date (RDAP)."
    )
    reasons: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


class LookalikeUndecided(_Frozen):
    platform: str
    handle: str
    reason: str


class Lookalikes(_Frozen):
    """The look-alike watch for one brand (``brandaudit lookalikes``, ``check --lookalikes``)."""

    brand_handle: str
    platforms: tuple[str, ...] = ()
    variants: int = Field(description="Look-alike names generated (before handle rules).")
    checks: int = Field(description="(platform, handle) checks made.")
    findings: tuple[LookalikeFinding, ...] = Field(
        default=(), description="Held look-alikes, suspects first."
    )
    free: int = Field(default=0, description="Checks the platform answered 'available'.")
    not_in_dns: int = Field(
        default=0, description="Look-alike domains the DNS calls NXDOMAIN (not in use today)."
    )
    undecided: tuple[LookalikeUndecided, ...] = ()


class Brand(_Frozen):
    domain: str
    name: str | None = None
    handles: tuple[str, ...] = ()
    platforms: tuple[PlatformResult, ...] = ()
    bluesky_domain: BlueskyDomain | None = None
    claims: tuple[ClaimResult, ...] = ()
    score: int | None = Field(
        default=None, description="Readiness 0-100; undecided checks left out."
    )
    grade: str | None = None
    next_steps: tuple[NextStep, ...] = ()
    declared_profiles: tuple[DeclaredProfile, ...] = Field(
        default=(), description="Profiles the brand's homepage links to."
    )
    discovery: Discovery | None = None
    changes: tuple[Change, ...] = Field(
        default=(),
        exclude_if=lambda value: not value,
        description="What changed since the baseline (check --baseline); present when any.",
    )
    people: tuple[PersonResult, ...] = Field(
        default=(),
        exclude_if=lambda value: not value,
        description="The brand's people ([[people]]), each handle checked (absent if none).",
    )
    suggested_people: tuple[SuggestedPerson, ...] = Field(
        default=(),
        exclude_if=lambda value: not value,
        description="People the brand's website names in JSON-LD, not audited (absent if none).",
    )
    lookalikes: Lookalikes | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="The look-alike watch (--lookalikes, brandaudit lookalikes); absent when "
        "not run.",
    )


# ---------------------------------------------------------------------------------------
# Activity and people (issue 16): additive types, defaults keep older reports valid.


class ActivityStatus(StrEnum):
    """Whether an account's last activity could be read."""

    KNOWN = "known"
    """The platform showed when the account was last active."""
    UNAVAILABLE = "unavailable"
    """The platform shows no activity date publicly (or needs a credential that isn't set)."""
    UNKNOWN = "unknown"
    """The platform was asked but gave no usable answer (blocked, timeout, unexpected)."""


class Activity(_Frozen):
    """An account's pulse: when it last posted, and counts where they are cheap to get."""

    status: ActivityStatus
    last_activity_at: datetime | None = Field(
        default=None, description="The newest activity the platform showed."
    )
    source: str | None = Field(
        default=None, description="What the date is, e.g. 'newest post', 'last status'."
    )
    posts: int | None = None
    followers: int | None = None
    reason: str
    evidence: tuple[Evidence, ...] = ()
    dormant: bool | None = Field(
        default=None,
        description="Last activity older than [brand] dormant_after_days at generated_at "
        "(None when no date is known).",
    )
    age_days: int | None = Field(default=None, description="Days since the last activity.")
    dormant_after_days: int | None = Field(
        default=None, description="The threshold ``dormant`` was judged with."
    )


class VerificationState(StrEnum):
    ISSUED = "issued"
    """The brand's Bluesky account holds an app.bsky.graph.verification record for the person
    that Bluesky counts as valid: its AppView says so, or (when the AppView is silent, as it is
    for a brand that isn't one of Bluesky's trusted verifiers) the record's ``handle`` and
    ``displayName`` equal the person's current ones, the AppView's own rule."""
    INVALID = "invalid"
    """The brand's record exists, but Bluesky does not count it: the AppView says
    ``isValid: false``, or the record's ``handle`` or ``displayName`` no longer match the
    person's (see ``PersonVerification.mismatches`` and ``fix``)."""
    NOT_ISSUED = "not_issued"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    """No brand Bluesky account, or no person DID, to compare."""


class VerificationMismatch(_Frozen):
    """One snapshot field of a verification record that no longer matches the person."""

    field: Literal["handle", "displayName"]
    record: str = Field(description="What the brand's record names ('' when it is empty).")
    current: str = Field(description="The person's current value ('' when they have none).")


class PersonVerification(_Frozen):
    """Has the brand's Bluesky account verified the person (a blue check from the brand), and
    would Bluesky count the verification as valid?"""

    status: VerificationState
    issuer: str | None = Field(default=None, description="The brand account's DID.")
    record_uri: str | None = None
    appview_valid: bool | None = Field(
        default=None,
        description="What the person's profile 'verification' view says of the brand's check.",
    )
    judged_by: Literal["appview", "brandaudit"] | None = Field(
        default=None,
        description="Who rated the record: Bluesky's AppView ('isValid' on the person's "
        "profile; its verdict wins) or brandaudit, applying the AppView's rule to the record.",
    )
    mismatches: tuple[VerificationMismatch, ...] = Field(
        default=(), description="What of the record differs from the person's current profile."
    )
    fix: str | None = Field(default=None, description="How to make the verification valid.")
    reason: str
    evidence: tuple[Evidence, ...] = ()


class PersonBluesky(_Frozen):
    """The person's Bluesky handle: verified domain handle, and under the brand's domain?"""

    handle: str
    did: str | None = None
    under_brand_domain: bool
    domain: BlueskyDomain | None = Field(
        default=None, description="The nine checks, when the handle is a domain of its own."
    )
    suggested_handle: str | None = Field(
        default=None, description="<name>.<brand domain>, when the handle is not under it."
    )
    setup: BlueskySetup | None = Field(
        default=None, description="What to add for the suggested handle (needs the DID)."
    )
    verification: PersonVerification | None = None


class AffiliationStatus(StrEnum):
    LINKED = "linked"
    """The profile links to the brand's domain (exact host match)."""
    NOT_LINKED = "not_linked"
    UNKNOWN = "unknown"
    """The profile could not be read."""


class Affiliation(_Frozen):
    """Does one of the person's profiles link back to the brand's domain?"""

    platform: str
    handle: str
    status: AffiliationStatus
    reason: str
    links: tuple[str, ...] = Field(default=(), description="Links that point to the brand.")
    ignored: tuple[str, ...] = Field(
        default=(), description="Links that don't (look-alike domains included), described."
    )


class PersonResult(_Frozen):
    """One of the brand's people: every handle checked like a brand handle."""

    name: str
    role: str | None = None
    required: tuple[str, ...] = Field(
        default=(), description="Platforms whose handle must be held (exit code, SARIF, JUnit)."
    )
    declared: dict[str, str] = Field(
        default_factory=dict, description="The handles as [[people]] lists them."
    )
    handles: tuple[PlatformResult, ...] = ()
    bluesky: PersonBluesky | None = None
    affiliations: tuple[Affiliation, ...] = ()
    claims: tuple[ClaimResult, ...] = Field(
        default=(), description="The required handles, judged by policy."
    )
    config_line: int | None = None


class SuggestedPerson(_Frozen):
    """A person the brand's website names in JSON-LD (``founder``/``employee``/``member``)."""

    name: str
    role: str = Field(description="The JSON-LD property: founder, employee or member.")
    job_title: str | None = None
    same_as: tuple[str, ...] = ()
    handles: dict[str, str] = Field(
        default_factory=dict, description="Platform id -> handle, from sameAs."
    )
    page: str
    snippet: str = Field(description="A ready [[people]] table for brandaudit.toml.")


# The types above are named before they are defined: build the models now, at import, not
# lazily on first use (where a signal could interrupt pydantic mid-build).
PlatformResult.model_rebuild()
BlueskyDomain.model_rebuild()
Brand.model_rebuild()


class ToolInfo(_Frozen):
    name: Literal["brandaudit"] = "brandaudit"
    version: str


class Report(_Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    tool: ToolInfo
    generated_at: datetime
    brands: tuple[Brand, ...] = ()
    warnings: tuple[str, ...] = Field(default=(), description="Run-level warnings (plugins...).")


SCHEMA_ID = f"https://raw.githubusercontent.com/brandaudit/brandaudit/main/schemas/report.v{SCHEMA_VERSION}.json"
"""Where the committed schema of this report version is published."""


def report_schema() -> dict[str, Any]:
    """The JSON schema of ``-f json`` (``brandaudit schema``; ``schemas/report.v1.json``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **Report.model_json_schema(mode="serialization"),
    }
