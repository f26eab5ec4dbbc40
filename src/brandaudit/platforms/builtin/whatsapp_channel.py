"""WhatsApp Channels (``whatsapp.com/channel/<code>``): confirmed only from a declared link.

Channels have no public names: a channel's address is an invite code WhatsApp makes up
(``0029Va...``), and no public answer maps a brand's name to a channel or says a code is free.
So this platform never says ``available``. It can say ``claimed`` only for a code the brand's
own website links to (HandleSource.DECLARED_WEBSITE, found by ``brandaudit.ownership``), and
then only when WhatsApp's public channel page shows that channel. Any other handle (a brand
name, a code typed on the command line or in ``[claims]``) is ``unknown`` without a request:
nothing public can decide it.

Method: ``public_page``: the verdict comes from WhatsApp's public channel page.
"""

from __future__ import annotations

import httpx

from brandaudit.model import Confidence, HandleSource, Method, ProfileInfo, Status
from brandaudit.net.client import Response
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, undecided
from brandaudit.platforms.verdicts import claimed

# --- signals -----------------------------------------------------------------------------
# The public channel page a link opens. Its channel card, as a public scraper reads it
# (GitZymzz/KiromiMDE scrape/lenwy/LenCH.js: the name in `h3._9vd5._9t2_`, the follower count
# in `h5._9vd5._9scy`, the join link in `a#action-button`). The class names are WhatsApp's
# build-generated ones: when they change, the page matches no signal and the verdict is
# `unknown` (signal drift), never a guess.
PAGE = "https://whatsapp.com/channel/{handle}"
HEADERS = {"Accept": "text/html", "Accept-Language": "en"}
CHANNEL_CARD = Signal.of(
    200, patterns=(r'id="action-button"',),
    label="200 channel page with the channel's name card and join button",
)  # fmt: skip
NAME_CARD = ("h3", "_9t2_")
"""The name card: an ``<h3>`` of class ``_9t2_``, read with ``brandaudit.htmlscan`` (a pattern
such as ``<h3[^>]*_9t2_[^>]*>`` backtracks over a page of unclosed ``<h3``)."""
MAX_REDIRECTS = 2
# -----------------------------------------------------------------------------------------

HOSTS = {"whatsapp.com", "www.whatsapp.com"}
NO_PUBLIC_SIGNAL = (
    "WhatsApp Channels: no verdict: channels have no public names and no public answer says "
    "whether a channel exists for a name; brandaudit confirms a channel only from the brand's "
    "own website linking whatsapp.com/channel/<code>"
)


def _within_whatsapp(_old: httpx.URL, new: httpx.URL) -> bool:
    host = (new.host or "").lower()
    return host == "whatsapp.com" or host.endswith(".whatsapp.com")


class WhatsAppChannelAdapter(Adapter):
    id = "whatsapp-channel"
    # No canary: a canary is checked as a typed handle, which this platform never decides
    # (only a brand's own link does), so `brandaudit selfcheck` reports "no canary" here.
    canary = None
    canary_source = (
        "none: a channel is confirmed only from a brand's own link, which selfcheck can't give"
    )
    name = "WhatsApp Channels"
    methods = (Method.PUBLIC_PAGE,)
    # Invite codes as seen in public links (e.g. whatsapp.com/channel/0029VaDK8ZUDjiOhwFS1cP2j):
    # "0029" then letters and digits: every public link seen is 24 characters starting
    # "0029Va" or "0029Vb". WhatsApp documents no format, so the length is permissive (20-32
    # in all). Brand names never fit, so they read `not_applicable`, not `invalid` or `unknown`.
    rule = HandleRule(
        r"0029[A-Za-z0-9]{16,28}",
        "a channel invite code from a whatsapp.com/channel/<code> link ('0029' and 16-28 "
        "letters or digits): channels have no names",
        flags=0,
    )
    case_sensitive = True
    says_available = False
    rule_miss = Status.NOT_APPLICABLE
    profile_template = "https://whatsapp.com/channel/{handle}"

    def handle_problem(self, handle: str) -> str | None:
        """A brand's name is not a wrong handle here but a question WhatsApp doesn't answer
        publicly: usernames opened for reservation on 2026-06-29 with no public directory
        (docs/platforms.md "whatsapp", 2026-12). The result is ``not_applicable``
        (``rule_miss``), left out of the score (policy/score.py ``handle_outcome``)."""
        if self.rule.problem(handle) is None:
            return None
        return (
            "not applicable: WhatsApp channels have no names, and nothing public says whether "
            "a WhatsApp username is free or held; reserve your username in the WhatsApp app"
        )

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        code = segment_handle(url, HOSTS, before=("channel",))
        return code if code and self.handle_problem(code) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        what = "WhatsApp Channels"
        if ctx.handle_source is not HandleSource.DECLARED_WEBSITE:
            return Verdict(
                Status.UNKNOWN, Confidence.LOW, NO_PUBLIC_SIGNAL, method, signal="no verdict"
            )
        response = await ctx.fetch(
            PAGE.format(handle=q(handle)),
            headers=HEADERS,
            max_redirects=MAX_REDIRECTS,
            redirect_allowed=_within_whatsapp,
        )
        if early := blocked(response, method, what, ctx):
            return early
        name = _channel_name(response) if CHANNEL_CARD.matches(response) else None
        if name:
            return claimed(
                ctx,
                CHANNEL_CARD,
                f"whatsapp.com/channel/{handle} is a WhatsApp channel"
                + (f" ({name})" if name else "")
                + ", linked from the brand's website",
                method,
                profile=ProfileInfo(display_name=name),
            )
        return undecided(response, method, what, ctx, CHANNEL_CARD)


def _channel_name(response: Response) -> str | None:
    """The first non-empty name card of the page, if any."""
    from brandaudit.htmlscan import element_text

    tag, css_class = NAME_CARD
    return next((name for name in element_text(response.text(), tag, css_class) if name), None)
