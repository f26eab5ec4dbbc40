"""Telegram public usernames (``t.me/<name>``): users, bots, channels and groups share one
namespace. The ``t.me`` preview page shows a profile card for a name in use and a generic
"Contact" page, marked ``noindex, nofollow``, for one nobody shows. Names sold on Fragment
and names Telegram holds back look like the generic page too, so ``available`` is low."""

from __future__ import annotations

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, undecided

# --- signals -----------------------------------------------------------------------------
PAGE = "https://t.me/{handle}"
HEADERS = {"Accept": "text/html", "Accept-Language": "en"}
# WhatsMyName wmn-data.json "Telegram": e_code 200 e_string tgme_page_title, m_code 200
# m_string "noindex, nofollow"; Maigret data.json "Telegram" absenceStrs
# <meta name="robots" content="noindex, nofollow">; user-scanner
# user_scanner/user_scan/social/telegram.py (c354c0e, 2026-03-04) keys on tgme_page_extra.
CLAIMED = Signal.of(200, patterns=(r'class="tgme_page_title"',), label="200 with tgme_page_title")
NOT_SHOWN = Signal.of(
    200, patterns=(r'<meta name="robots" content="noindex, nofollow"',),
    label="200 'noindex, nofollow' contact page without a profile card",
)  # fmt: skip
# -----------------------------------------------------------------------------------------

HOSTS = {"t.me", "telegram.me", "www.telegram.me"}
RESERVED_PATHS = frozenset({"s", "c", "joinchat", "addstickers", "share", "proxy", "iv", "+"})


class TelegramAdapter(Adapter):
    id = "telegram"
    canary = "botfather"
    canary_source = "Maigret data.json 'Telegram' usernameClaimed: BotFather (Telegram's own bot)"
    name = "Telegram"
    methods = (Method.PUBLIC_PAGE,)
    # Telegram's username form: "You can use a-z, 0-9 and underscores. Minimum length is 5
    # characters." Names start with a letter, end with a letter or digit and are at most 32
    # long; collectible (Fragment) names may have 4 characters, so 4 is allowed here.
    rule = HandleRule(
        r"(?=.{4,32}$)[a-z][a-z0-9_]*[a-z0-9]",
        "4-32 letters, digits or '_', starting with a letter and not ending with '_' "
        "(new names need 5 or more)",
    )
    profile_template = "https://t.me/{handle}"
    signup_url = "https://telegram.org/faq#q-what-can-i-use-as-my-username"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        what = "Telegram"
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx):
            return early
        if CLAIMED.matches(response):
            ctx.mark(CLAIMED.describe())
            return Verdict(
                Status.CLAIMED,
                Confidence.MEDIUM,
                f"t.me/{handle} is a Telegram user, bot, channel or group",
                method,
            )
        if NOT_SHOWN.matches(response):
            ctx.mark(NOT_SHOWN.describe())
            return Verdict(
                Status.AVAILABLE,
                Confidence.LOW,
                f"Telegram shows nobody at t.me/{handle} (names for sale on Fragment and "
                "names Telegram holds back look the same)",
                method,
                remediation=f"Set {handle!r} as the username in Telegram's settings",
            )
        return undecided(response, method, what, ctx, CLAIMED, NOT_SHOWN)
