"""Linktree pages (``linktr.ee/<name>``): the page's Next.js ``__NEXT_DATA__`` JSON carries the
account, or the error page's own 404 state. Decided on that JSON, never on a string anywhere
in the page."""

from __future__ import annotations

from brandaudit.model import Confidence, Method, Status
from brandaudit.platforms.base import Adapter, CheckContext, HandleRule, Verdict, q
from brandaudit.platforms.signals import Signal, blocked, json_path, next_data, undecided
from brandaudit.platforms.verdicts import (
    another_account,
    claimed,
    decided,
    drifted,
    is_other_account,
)

# --- signals -----------------------------------------------------------------------------
# user-scanner user_scanner/user_scan/creator/linktree.py (d1f5bba, 2026-08-20): claimed when
# __NEXT_DATA__ props.pageProps.username (or .account.username) is the name; free on a 404
# whose __NEXT_DATA__ page is "/_error" with pageProps.statusCode 404; a "/status/blocked"
# page whose query.username is the name = a banned account. WhatsMyName wmn-data.json
# "Linktree": e_code 200 e_string "uuid":, m_code 404 m_string "statusCode":404.
PAGE = "https://linktr.ee/{handle}"
HEADERS = {"Accept": "text/html", "Accept-Language": "en"}
NAME_PATHS = ("props.pageProps.username", "props.pageProps.account.username")
ERROR_PAGE = "/_error"
BLOCKED_PAGE = "/status/blocked"
NEXT_DATA = Signal.of(200, 404, patterns=(r"__NEXT_DATA__",), label="__NEXT_DATA__")
# Linktree has two 404 pages: one for a name that breaks its rule, one for a valid name nobody
# holds (user-scanner PR #499, 2026-08; docs/platforms.md "linktree"). The second carries no
# error-page __NEXT_DATA__, only the title "Linktree | Page Not Found" (user-scanner
# user_scanner/user_scan/creator/linktree.py at ac3d33e, 2026-08-22, accepts either page).
NOT_FOUND_PAGE = Signal.of(
    404,
    # bounded quantifiers: a hostile page of endless "<title" can't make the search quadratic
    patterns=(r"<title[^>]{0,200}>\s{0,20}Linktree \| Page Not Found\s{0,20}</title>",),
    label="404 titled 'Linktree | Page Not Found'",
)
# -----------------------------------------------------------------------------------------

HOSTS = {"linktr.ee", "www.linktr.ee"}
RESERVED_PATHS = frozenset({"s", "admin", "login", "register", "blog", "help", "marketplace"})


class LinktreeAdapter(Adapter):
    id = "linktree"
    canary = "anne"
    canary_source = "Sherlock data.json 'Linktree' username_claimed and WhatsMyName known: anne"
    name = "Linktree"
    methods = (Method.PUBLIC_PAGE,)
    # Sherlock data.json "Linktree" regexCheck ^[\w\.]{2,30}$, added by its maintainer in
    # de21308 (2024-05-07): "Linktree only permits usernames with the given regex and 404s
    # otherwise". Linktree's help pages state no rule.
    rule = HandleRule(r"[a-z0-9_.]{2,30}", "2-30 letters, digits, '_' or '.'")
    profile_template = "https://linktr.ee/{handle}"
    signup_url = "https://linktr.ee/register"

    def handle_from_url(self, url: str) -> str | None:
        from brandaudit.platforms.urls import segment_handle

        name = segment_handle(url, HOSTS, reserved=RESERVED_PATHS)
        return name.lower() if name and self.handle_problem(name) is None else None

    async def check(self, handle: str, ctx: CheckContext) -> Verdict:
        method = Method.PUBLIC_PAGE
        what = "Linktree"
        response = await ctx.fetch(PAGE.format(handle=q(handle)), headers=HEADERS)
        if early := blocked(response, method, what, ctx):
            return early
        data = next_data(response)
        if data is None:
            if NOT_FOUND_PAGE.matches(response):
                return decided(ctx, NOT_FOUND_PAGE, self._free(handle, method))
            return undecided(response, method, what, ctx, NEXT_DATA, NOT_FOUND_PAGE)
        names = [json_path(data, p) for p in NAME_PATHS]
        shown = next((n for n in names if isinstance(n, str) and n), None)
        page = data.get("page")
        if response.status == 200 and page == BLOCKED_PAGE:
            blocked_name = json_path(data, "query.username")
            if isinstance(blocked_name, str) and blocked_name.lower() == handle.lower():
                return decided(
                    ctx,
                    "200 with the /status/blocked page for the name",
                    Verdict(
                        Status.SUSPENDED,
                        Confidence.MEDIUM,
                        f"linktr.ee/{handle} belongs to an account Linktree has blocked",
                        method,
                    ),
                )
        if response.status == 200 and shown is not None:
            if is_other_account(shown, handle):
                return another_account(
                    ctx,
                    f"no verdict: the page is for {shown!r}",
                    f"{what}: no verdict: the page shows another account ({shown})",
                    method,
                )
            return claimed(
                ctx,
                "200 with the account's username in __NEXT_DATA__",
                f"linktr.ee/{handle} is a Linktree page",
                method,
            )
        status_code = json_path(data, "props.pageProps.statusCode")
        if response.status == 404 and page == ERROR_PAGE and status_code == 404:
            return decided(
                ctx,
                "404 with the error page's statusCode 404 in __NEXT_DATA__",
                self._free(handle, method),
            )
        return drifted(
            ctx,
            f"signal drift: HTTP {response.status}, __NEXT_DATA__ without a decision",
            f"{what}: no verdict: signal drift (HTTP {response.status}; the page's data shows "
            "neither the account nor the not-found state); the adapter may need re-checking",
            method,
        )

    def _free(self, handle: str, method: Method) -> Verdict:
        return Verdict(
            Status.AVAILABLE,
            Confidence.MEDIUM,
            f"Linktree has no page {handle!r} (deleted accounts may keep their name)",
            method,
            remediation=f"Sign up as {handle!r} at {self.signup_url}",
        )
