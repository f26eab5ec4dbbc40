"""Telegram public usernames (``t.me/<name>``): users, bots, channels and groups share one
namespace. The ``t.me`` preview page shows a profile card for a name in use and a generic
"Contact" page, marked ``noindex, nofollow``, for one nobody shows. Names sold on Fragment
and names Telegram holds back look like the generic page too, so ``available`` is low."""

from __future__ import annotations

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import HandleRule
from brandaudit.platforms.signals import Outcome, Signal, SignalAdapter

# --- signals -----------------------------------------------------------------------------
PAGE = "https://t.me/{handle}"
HEADERS = {"Accept": "text/html", "Accept-Language": "en"}
# WhatsMyName wmn-data.json "Telegram": e_code 200 e_string tgme_page_title, m_code 200
# m_string "noindex, nofollow"; Maigret data.json "Telegram" absenceStrs
# <meta name="robots" content="noindex, nofollow">; user-scanner
# user_scanner/user_scan/social/telegram.py (c354c0e, 2026-03-04) keys on tgme_page_extra.
CLAIMED = Signal.of(200, patterns=(r'class="tgme_page_title"',), label="200 with tgme_page_title")
# The generic page names the handle it was asked for in its "contact @name" link
# (tg://resolve?domain=<name>); requiring it means a page about another name (a redirect, a
# cached or shared page) can't read as this name being free.
NOT_SHOWN = Signal.of(
    200,
    patterns=(
        r'<meta name="robots" content="noindex, nofollow"',
        r'tg://resolve\?domain={handle}["&]',
    ),
    ignore_case=True,
    label="200 'noindex, nofollow' contact page for this handle, without a profile card",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"t.me", "telegram.me", "www.telegram.me"}
RESERVED_PATHS = frozenset({"s", "c", "joinchat", "addstickers", "share", "proxy", "iv", "+"})


class TelegramAdapter(SignalAdapter):
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
    check_template = PAGE
    request_headers = HEADERS
    profile_hosts = frozenset(HOSTS)
    reserved_paths = RESERVED_PATHS
    outcomes = (
        Outcome(
            CLAIMED,
            Status.CLAIMED,
            Confidence.MEDIUM,
            "t.me/{handle} is a Telegram user, bot, channel or group",
        ),
        Outcome(
            NOT_SHOWN,
            Status.AVAILABLE,
            Confidence.LOW,
            "Telegram shows nobody at t.me/{handle} (names for sale on Fragment and names "
            "Telegram holds back look the same)",
            "Set '{handle}' as the username in Telegram's settings",
        ),
    )
