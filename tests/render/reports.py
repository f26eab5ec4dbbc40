"""Reports built by hand with the model, under a fixed clock, for the renderer tests."""

from __future__ import annotations

from datetime import UTC, datetime

from brandaudit import policy
from brandaudit.config import line_index, settings_from_mapping
from brandaudit.model import (
    BlueskyCheck,
    BlueskyDomain,
    BlueskyStatus,
    Brand,
    Cause,
    CheckStatus,
    Confidence,
    Evidence,
    HandleSource,
    Method,
    Ownership,
    OwnershipStatus,
    PlatformResult,
    Report,
    Status,
    ToolInfo,
)

CLOCK = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
VERSION = "0.1.0"
SIGNUP = {
    "github": "https://github.com/signup",
    "mastodon": "https://joinmastodon.org/servers",
    "bluesky": "https://bsky.app/",
    "x": "https://x.com/i/flow/signup",
}

CONFIG_TEXT = """\
[brand]
domain = "acme.com"
name = "Acme"

[claims]
github = "acme"
mastodon = "acme"
x = "acme"
bluesky = "acme.com"
optional = ["x"]
"""


def result(
    platform: str,
    name: str,
    status: Status,
    reason: str,
    *,
    handle: str = "acme",
    confidence: Confidence = Confidence.HIGH,
    remediation: str | None = None,
    source: HandleSource = HandleSource.DECLARED_CONFIG,
    ownership: Ownership | None = None,
    cause: Cause | None = None,
) -> PlatformResult:
    return PlatformResult(
        platform=platform,
        platform_name=name,
        handle=handle,
        handle_source=source,
        status=status,
        confidence=confidence,
        method=Method.PUBLIC_API,
        url=f"https://{platform}.example/{handle}",
        reason=reason,
        cause=cause,
        evidence=(
            Evidence(method="GET", url=f"https://api.{platform}.example/{handle}", status_code=200),
        ),
        remediation=remediation,
        ownership=ownership,
    )


def misconfigured_domain() -> BlueskyDomain:
    return BlueskyDomain(
        domain="acme.com",
        status=BlueskyStatus.MISCONFIGURED,
        did="did:plc:abcdefghijklmnopqrstuvwx",
        checks=(
            BlueskyCheck(id="handle_syntax", status=CheckStatus.PASS, message="valid handle"),
            BlueskyCheck(
                id="dns_txt",
                status=CheckStatus.FAIL,
                message="the TXT value is 'did:plc:abcdefghijklmnopqrstuvwx' without 'did='",
                fix="Set the value to exactly `did=did:plc:abcdefghijklmnopqrstuvwx`, "
                "with no quotes or spaces.",
            ),
            BlueskyCheck(
                id="well_known",
                status=CheckStatus.WARN,
                message="the file redirects to https://www.acme.com/.well-known/atproto-did",
                fix="Serve it directly; some resolvers don't follow redirects.",
            ),
            BlueskyCheck(
                id="methods_agree", status=CheckStatus.SKIP, message="only one method answered"
            ),
            BlueskyCheck(id="verification", status=CheckStatus.INFO, message="no blue check"),
        ),
    )


def full_report() -> Report:
    """A brand with every kind of outcome, judged by the real policy."""
    brand = Brand(
        domain="acme.com",
        name="Acme",
        handles=("acme",),
        platforms=(
            result("bluesky", "Bluesky", Status.CLAIMED, "the profile exists (HTTP 200)"),
            result(
                "github",
                "GitHub",
                Status.CLAIMED,
                "the account exists (HTTP 200)",
                ownership=Ownership(
                    status=OwnershipStatus.VERIFIED,
                    reason="two-way: acme.com links to the profile and the profile links back",
                    evidence=("acme.com homepage: <a href=https://github.com/acme>",),
                ),
            ),
            result(
                "mastodon",
                "Mastodon",
                Status.AVAILABLE,
                "mastodon.social says the account does not exist (HTTP 404)",
                remediation="Create the account acme on a Mastodon server",
            ),
            result(
                "x",
                "X",
                Status.UNKNOWN,
                "rate-limited (HTTP 429); try again later",
                confidence=Confidence.LOW,
                cause=Cause.RATE_LIMITED,
            ),
            result(
                "youtube",
                "YouTube",
                Status.AVAILABLE,
                "no channel has the handle @acme (HTTP 404)",
                source=HandleSource.DERIVED,
            ),
        ),
        bluesky_domain=misconfigured_domain(),
    )
    report = Report(tool=ToolInfo(version=VERSION), generated_at=CLOCK, brands=(brand,))
    settings = settings_from_mapping(
        _toml(CONFIG_TEXT), source="brandaudit.toml", lines=line_index(CONFIG_TEXT)
    )
    return policy.evaluate(report, settings, (), SIGNUP).report


def clean_report() -> Report:
    """Nothing declared, everything claimed, Bluesky verified."""
    brand = Brand(
        domain="example.org",
        handles=("example",),
        platforms=(
            result("github", "GitHub", Status.CLAIMED, "ok", handle="example"),
            result("mastodon", "Mastodon", Status.CLAIMED, "ok", handle="example"),
        ),
        bluesky_domain=BlueskyDomain(
            domain="example.org",
            status=BlueskyStatus.VERIFIED,
            did="did:plc:zyxwvutsrqponmlkjihgfedc",
            checks=(BlueskyCheck(id="dns_txt", status=CheckStatus.PASS, message="did= found"),),
        ),
    )
    report = Report(tool=ToolInfo(version=VERSION), generated_at=CLOCK, brands=(brand,))
    return policy.evaluate(report, settings_from_mapping({}), (), SIGNUP).report


def hostile_report() -> Report:
    """Text from the outside world that tries to break every format."""
    nasty = "100% <b>bold</b> | pipe\r\nnext:line, comma `tick` [x](http://evil) \x07bell ::error::"
    brand = Brand(
        domain="acme.com",
        handles=("acme",),
        platforms=(result("github", "GitHub", Status.AVAILABLE, nasty),),
    )
    report = Report(tool=ToolInfo(version=VERSION), generated_at=CLOCK, brands=(brand,))
    settings = settings_from_mapping({"claims": {"github": "acme"}})
    return policy.evaluate(report, settings, (), SIGNUP).report


def empty_report() -> Report:
    return Report(tool=ToolInfo(version=VERSION), generated_at=CLOCK)


def _toml(text: str) -> dict[str, object]:
    import tomllib

    return tomllib.loads(text)


REPORTS = {
    "full": full_report,
    "clean": clean_report,
    "hostile": hostile_report,
    "empty": empty_report,
}


PLATFORM_NAMES = {
    "bluesky": "Bluesky",
    "facebook": "Facebook",
    "github": "GitHub",
    "instagram": "Instagram",
    "linkedin": "LinkedIn",
    "mastodon": "Mastodon",
    "pinterest": "Pinterest",
    "reddit": "Reddit",
    "snapchat": "Snapchat",
    "threads": "Threads",
    "tiktok": "TikTok",
    "tumblr": "Tumblr",
    "twitch": "Twitch",
    "x": "X",
    "youtube": "YouTube",
}


def typical_report() -> Report:
    """A typical brand on all 15 built-in platforms: a few claimed, a few free, most of the
    rest undecided for a handful of causes, a Bluesky domain claim that is misconfigured."""

    def unreachable(platform: str) -> PlatformResult:
        host = f"www.{platform}.com"
        return result(
            platform,
            PLATFORM_NAMES[platform],
            Status.UNKNOWN,
            f"{PLATFORM_NAMES[platform]}: no verdict: could not connect to {host}: cannot "
            f"resolve {host}: Name or service not known",
            confidence=Confidence.LOW,
            cause=Cause.UNREACHABLE,
        ).model_copy(
            update={
                "evidence": (
                    Evidence(method="GET", url=f"https://{host}/acme", error="cannot resolve"),
                )
            }
        )

    platforms = [
        result(
            "github",
            "GitHub",
            Status.CLAIMED,
            "the account exists (HTTP 200)",
            ownership=Ownership(status=OwnershipStatus.VERIFIED, reason="two-way link"),
        ).model_copy(update={"url": "https://github.com/acme-corporation-official-account"}),
        result("mastodon", "Mastodon", Status.CLAIMED, "the account exists"),
        result(
            "youtube", "YouTube", Status.AVAILABLE, "no channel has the handle @acme (HTTP 404)"
        ),
        result("x", "X", Status.AVAILABLE, "X's sign-up check says the name is free"),
        result(
            "reddit",
            "Reddit",
            Status.UNKNOWN,
            "rate-limited (HTTP 429); try again later",
            cause=Cause.RATE_LIMITED,
        ),
        result(
            "tiktok",
            "TikTok",
            Status.UNKNOWN,
            "blocked: a login wall (HTTP 403)",
            cause=Cause.LOGIN_WALL,
        ).model_copy(
            update={"evidence": (Evidence(method="GET", url="https://t.example", status_code=403),)}
        ),
        *(
            unreachable(p)
            for p in (
                "facebook",
                "instagram",
                "linkedin",
                "pinterest",
                "snapchat",
                "threads",
                "tumblr",
                "twitch",
            )
        ),
        result("bluesky", "Bluesky", Status.CLAIMED, "the profile exists (HTTP 200)"),
    ]
    brand = Brand(
        domain="acme.com",
        name="Acme",
        handles=("acme",),
        platforms=tuple(sorted(platforms, key=lambda r: r.platform)),
        bluesky_domain=misconfigured_domain(),
    )
    report = Report(tool=ToolInfo(version=VERSION), generated_at=CLOCK, brands=(brand,))
    settings = settings_from_mapping(
        _toml(CONFIG_TEXT), source="brandaudit.toml", lines=line_index(CONFIG_TEXT)
    )
    return policy.evaluate(report, settings, (), SIGNUP).report


def client_report() -> Report:
    """``typical_report`` with what a client page shows besides platforms: a person with
    handles, a dormant account, and a change since the last run (issue 25)."""
    from datetime import timedelta

    from brandaudit.model import (
        Activity,
        ActivityStatus,
        Change,
        ChangeKind,
        ClaimOutcome,
        ClaimResult,
        PersonResult,
    )

    report = typical_report()
    brand = report.brands[0]
    quiet = Activity(
        status=ActivityStatus.KNOWN,
        last_activity_at=CLOCK - timedelta(days=400),
        reason="newest post on 2024-11-28",
        age_days=400,
        dormant=True,
        dormant_after_days=180,
    )
    platforms = tuple(
        r.model_copy(update={"activity": quiet}) if r.platform == "mastodon" else r
        for r in brand.platforms
    )
    bob = PersonResult(
        name="Bob Builder",
        role="CEO",
        required=("github",),
        declared={"github": "bobb", "bluesky": "bob.bsky.social"},
        handles=(
            result("github", "GitHub", Status.CLAIMED, "the account exists", handle="bobb"),
            result("bluesky", "Bluesky", Status.AVAILABLE, "no such profile", handle="bob"),
        ),
        claims=(
            ClaimResult(
                platform="github",
                handle="bobb",
                required=True,
                outcome=ClaimOutcome.PASS,
                reason="claimed",
            ),
        ),
    )
    lost = Change(
        kind=ChangeKind.LOST,
        platform="x",
        handle="acme",
        before="claimed",
        after="available",
        regression=True,
        message="X acme: claimed -> available",
    )
    changed = brand.model_copy(
        update={"platforms": platforms, "people": (bob,), "changes": (lost,)}
    )
    return report.model_copy(update={"brands": (changed,)})
