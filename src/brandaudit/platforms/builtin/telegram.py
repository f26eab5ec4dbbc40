"""Telegram public usernames (``t.me/<name>``): users, bots, channels and groups share one
namespace. The ``t.me`` preview page shows a profile card for a name in use and a generic
"Contact" page, marked ``noindex, nofollow``, for one nobody shows. Names sold or for sale on
Fragment and names Telegram holds back look like the generic page too, so before
``available`` Fragment is asked about the name; ``available`` stays low."""

from __future__ import annotations

from urllib.parse import urlsplit

from brandaudit.model import Confidence, Method, Status
from brandaudit.net.client import Response
from brandaudit.platforms.base import CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Outcome, Signal, SignalAdapter, blocked
from brandaudit.platforms.verdicts import decided

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
# Fragment, Telegram's marketplace for usernames: a name sold, taken or on sale there shows
# the same t.me contact page as a free one (docs/platforms.md, "telegram", 2026-12). Its
# page for the name carries a status span: `tm-status-unavail` "Sold", `tm-status-taken`
# "Taken", `tm-status-avail` (on auction or for sale); a name Fragment doesn't know
# redirects to its main page (Maigret data.json "Fragment", presence marker `tm-wallet`;
# user-scanner user_scanner/user_scan/finance/fragment.py, 2026-08).
FRAGMENT = "https://fragment.com/username/{handle}"
FRAGMENT_HOST = "fragment.com"
FRAGMENT_SOLD = Signal.of(
    200, patterns=(r"\btm-status-unavail\b",), label="Fragment 200 'tm-status-unavail' (Sold)"
)
FRAGMENT_TAKEN = Signal.of(
    200, patterns=(r"\btm-status-taken\b",), label="Fragment 200 'tm-status-taken' (Taken)"
)
FRAGMENT_ON_SALE = Signal.of(
    200, patterns=(r"\btm-status-avail\b",), label="Fragment 200 'tm-status-avail' (for sale)"
)
FRAGMENT_NO_LISTING = "Fragment redirects to its main page (no listing)"
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
            "Telegram shows nobody at t.me/{handle}, and Fragment has no listing for it "
            "(a name Telegram holds back may still look the same)",
            "Set '{handle}' as the username in Telegram's settings",
        ),
    )

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        verdict = await super().check(handle, ctx)
        if verdict.status is not Status.AVAILABLE:
            return verdict
        return await self._ask_fragment(handle, ctx, verdict)

    async def _ask_fragment(self, handle: str, ctx: CheckContext, free: Verdict) -> Verdict:
        """t.me shows nobody: ``available`` only when Fragment has no listing for the name
        either (it redirects to its main page); sold, taken or on sale there is
        ``reserved``; anything else is no verdict."""
        what = "Fragment (Telegram's username marketplace)"
        url = FRAGMENT.format(handle=q(handle))
        response = await ctx.fetch(url, headers={"Accept": "text/html", "Accept-Language": "en"})
        if _main_page_redirect(response):
            ctx.mark(FRAGMENT_NO_LISTING)
            return free
        if early := blocked(response, Method.PUBLIC_PAGE, what, ctx):
            return _unsure(handle, early.reason)
        for signal, words in (
            (FRAGMENT_SOLD, "was sold on Fragment and belongs to its buyer"),
            (FRAGMENT_TAKEN, "is taken on Fragment"),
            (
                FRAGMENT_ON_SALE,
                "is for sale on Fragment (auction or fixed price): it can be bought, not "
                "registered for free",
            ),
        ):
            if signal.matches(response):
                return decided(
                    ctx,
                    signal,
                    Verdict(
                        Status.RESERVED,
                        Confidence.MEDIUM,
                        f"t.me shows nobody at @{handle}, but the name {words}",
                        Method.PUBLIC_PAGE,
                        remediation=f"See {url}" if signal is FRAGMENT_ON_SALE else None,
                    ),
                )
        ctx.mark(f"no verdict: HTTP {response.status}, no Fragment status")
        return _unsure(handle, f"HTTP {response.status} without a known status")


def _main_page_redirect(response: Response) -> bool:
    """A redirect to Fragment's main page: Fragment has no listing for the name."""
    if response.status not in {301, 302, 303, 307, 308} or not response.location:
        return False
    parts = urlsplit(response.location)
    return (parts.hostname or FRAGMENT_HOST) == FRAGMENT_HOST and parts.path in {"", "/"}


def _unsure(handle: str, why: str) -> Verdict:
    return Verdict(
        Status.UNKNOWN,
        Confidence.LOW,
        f"Telegram: no verdict: t.me shows nobody at @{handle}, but Fragment (where Telegram "
        f"names are sold and held) could not be checked ({why})",
        Method.PUBLIC_PAGE,
        signal="no verdict",
    )
