"""Real misconfigurations (docs/bluesky.md, "Sources": misconfigurations seen in the wild)
as scenarios on the loopback world.

Every scenario arranges a setup with one thing broken; a case names the overall status, the
check that must report it, and a piece of the concrete fix the marketer gets. The CLI runs
the ``cli`` cases end to end; every case also runs in-process (fast) in tests/bluesky.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.bluesky.scenario import DID, OTHER_DID, PDS, PDS_HOST, Bsky, did_doc
from tests.world.http import Reply


@dataclass(frozen=True)
class Case:
    name: str
    arrange: Callable[[Bsky], None]
    check: str
    fix: str
    status: str = "misconfigured"
    domain: str = "acme.com"
    message: str = ""
    cli: bool = True
    """Also run through the installed CLI (tests/e2e); every case runs in-process."""
    check_status: str = "fail"
    """What ``check`` says: a ``warn`` case is one Bluesky's app resolves but a stricter
    resolver (indigo, the Python SDK) refuses."""


def dns_value(*values: str | list[str]) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.site()
        b.txt(*values)
        b.account()

    return arrange


def file_reply(reply: Reply, *, dns: bool = False) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy(dns=dns)
        b.file(reply)

    return arrange


def misplaced(name: str) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.site()
        b.txt(f"did={b.did}", name=name.format(d=b.domain))
        b.account()

    return arrange


def dns_behaviour(behaviour: str) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.site()
        b.world.dns.add(f"_atproto.{b.domain}", behaviour=behaviour)
        b.account()

    return arrange


def plc(reply: Reply | dict[str, object]) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy()
        b.plc(reply)

    return arrange


def redirect_chain(b: Bsky) -> None:
    b.healthy(dns=False)
    for hop in range(11):
        b.world.http.route(
            b.domain, f"/hop{hop}", Reply.redirect(f"https://{b.domain}/hop{hop + 1}")
        )
    b.file(Reply.redirect(f"https://{b.domain}/hop0"))


def redirects(hops: int) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy(dns=False)
        for hop in range(hops - 1):
            b.world.http.route(
                b.domain, f"/hop{hop}", Reply.redirect(f"https://{b.domain}/hop{hop + 1}")
            )
        b.world.http.route(b.domain, f"/hop{hops - 1}", Reply.text(b.did))
        b.file(Reply.redirect(f"https://{b.domain}/hop0"))

    return arrange


def other_handle(b: Bsky) -> None:
    b.site()
    b.txt(f"did={b.did}")
    b.account(handle="acme-old.bsky.social")
    b.profile(did=b.did, handle="acme-old.bsky.social")


def listed_second(b: Bsky) -> None:
    b.healthy()
    b.plc(did_doc(also_known_as=["at://acme-old.bsky.social", "at://acme.com"]))


def no_handle(b: Bsky) -> None:
    b.healthy()
    b.plc(did_doc(also_known_as=[]))


def id_mismatch(b: Bsky) -> None:
    b.healthy()
    b.plc(did_doc(OTHER_DID))


def malformed(b: Bsky) -> None:
    b.healthy()
    b.plc({"id": DID, "alsoKnownAs": "at://acme.com", "service": 5})


def no_pds(b: Bsky) -> None:
    b.healthy()
    b.plc(did_doc(pds=None))


def non_web_pds(b: Bsky) -> None:
    b.healthy()
    b.plc(did_doc(pds=f"ftp://{PDS_HOST}"))


def no_key(b: Bsky) -> None:
    b.healthy()
    b.plc(did_doc(key=False))


def repo(state: str) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy()
        b.repo_status({"did": b.did, "active": False, "status": state})

    return arrange


def appview_other_did(b: Bsky) -> None:
    b.healthy()
    b.appview_resolves(OTHER_DID)


def takedown(b: Bsky) -> None:
    b.healthy()
    b.profile(
        Reply.json({"error": "AccountTakedown", "message": "Account has been suspended"}, 400)
    )


def subdomain_at_parent(b: Bsky) -> None:
    b.site("acme.com")
    b.site()
    b.txt(f"did={b.did}", name="_atproto.acme.com")
    b.account()


def did_web_redirect(b: Bsky) -> None:
    b.did = "did:web:acme.com"
    b.site()
    b.txt("did=did:web:acme.com")
    b.world.http.route(
        "acme.com", "/.well-known/did.json", Reply.redirect("https://www.acme.com/did.json")
    )


def underscore_handle(b: Bsky) -> None:
    b.healthy()


def empty_did_record(*, file: bool) -> Callable[[Bsky], None]:
    def arrange(b: Bsky) -> None:
        b.healthy(dns=False, file=file)
        b.txt("did=")

    return arrange


def first_pds_broken(service: dict[str, object]) -> Callable[[Bsky], None]:
    """The first ``#atproto_pds`` entry broken, a healthy one after it: only the first
    counts (findItemById)."""

    def arrange(b: Bsky) -> None:
        b.healthy()
        good = {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": PDS}
        b.plc(did_doc(service=[{"id": "#atproto_pds", **service}, good]))

    return arrange


CASES = [
    Case(
        "underscore in the domain",
        underscore_handle,
        "handle_syntax",
        "Use a domain you own on the public internet",
        domain="acme_brand.com",
        message="contains '_'",
    ),
    Case("bare DID", dns_value(DID), "dns_txt", f"exactly `did={DID}`", message="'did=' prefix"),
    Case("space after =", dns_value(f"did= {DID}"), "dns_txt", f"exactly `did={DID}`"),
    Case("quoted value", dns_value(f'"did={DID}"'), "dns_txt", "no quotes or spaces"),
    Case("upper-case DID=", dns_value(f"DID={DID}"), "dns_txt", f"`did={DID}`"),
    Case("did=did=", dns_value(f"did=did={DID}"), "dns_txt", f"`did={DID}`"),
    Case(
        "did:did:plc", dns_value(f"did=did:did:plc:{DID[8:]}"), "dns_txt", f"`did={DID}`", cli=False
    ),
    Case(
        "DID cut short",
        dns_value("did=did:plc:ewvi7nxzyoun6"),
        "dns_txt",
        "Settings → Account → Handle",
        message="not a did:plc identifier",
    ),
    Case(
        "other key=value pairs",
        dns_value(f"did={DID} handle=acme.com"),
        "dns_txt",
        f"exactly `did={DID}`",
        message="more than the DID",
    ),
    Case(
        "two did= records",
        dns_value(f"did={DID}", f"did={OTHER_DID}"),
        "dns_txt",
        "Delete the extra `_atproto` records",
    ),
    Case(
        "a leftover near-miss beside the right record",
        dns_value(f"did={DID}", f"did= {OTHER_DID}"),
        "dns_txt",
        "Delete the extra `_atproto` records",
        message="2 did= records",
    ),
    Case(
        "host doubled by the panel",
        misplaced("_atproto.{d}.{d}"),
        "dns_txt",
        "set the host to `_atproto`",
    ),
    Case(
        "underscore missing", misplaced("atproto.{d}"), "dns_txt", "Add the underscore", cli=False
    ),
    Case("record at the apex", misplaced("{d}"), "dns_txt", "Move it to the host `_atproto`"),
    Case(
        "subdomain record at the parent",
        subdomain_at_parent,
        "dns_txt",
        "the host is `_atproto.team`",
        domain="team.acme.com",
    ),
    Case("SERVFAIL", dns_behaviour("servfail"), "dns_txt", "check DNSSEC at your registrar"),
    Case("REFUSED", dns_behaviour("refused"), "dns_txt", "ask your DNS provider", cli=False),
    Case(
        "HTML app fallback",
        file_reply(Reply.html("<!doctype html><html><body>Acme</body></html>")),
        "well_known",
        "exempt `/.well-known/atproto-did`",
    ),
    Case(
        "Cloudflare challenge",
        file_reply(
            Reply.html(
                "<title>Just a moment...</title>", 403, headers={"cf-mitigated": "challenge"}
            )
        ),
        "well_known",
        "Serve a plain-text file",
        message="cf-mitigated",
    ),
    Case(
        "did= in the file",
        file_reply(Reply.text(f"did={DID}")),
        "well_known",
        f"must contain only `{DID}`",
    ),
    Case(
        "JSON in the file",
        file_reply(Reply.json({"did": DID})),
        "well_known",
        f"must contain only `{DID}`",
        cli=False,
    ),
    Case(
        "several lines (Bluesky reads the first; indigo refuses)",
        file_reply(Reply.text(f"{DID}\n{OTHER_DID}\n")),
        "well_known",
        "Keep only the DID",
        status="verified",
        check_status="warn",
        message="indigo refuses",
        cli=False,
    ),
    Case(
        "blank first line",
        file_reply(Reply.text(f"\n{DID}\n")),
        "well_known",
        "remove the blank line before the DID",
        message="first line is blank",
    ),
    Case(
        "bare DID served as text/html",
        file_reply(Reply.html(DID)),
        "well_known",
        "Serve it as `text/plain`",
        status="verified",
        check_status="warn",
        message="text/html",
        cli=False,
    ),
    Case(
        "BOM before the DID",
        file_reply(
            Reply(body=b"\xef\xbb\xbf" + DID.encode(), headers={"Content-Type": "text/plain"})
        ),
        "well_known",
        "without a BOM",
        status="verified",
        check_status="warn",
        message="indigo and the Python SDK",
        cli=False,
    ),
    Case(
        "the DID in a 404 answer",
        file_reply(Reply.text(DID, 404)),
        "well_known",
        "Answer with status 200",
        status="verified",
        check_status="warn",
        message="HTTP 404, not 200",
        cli=False,
    ),
    Case(
        "an empty did= record beside a working file",
        empty_did_record(file=True),
        "dns_txt",
        "Delete the empty record",
        status="verified",
        check_status="warn",
        message="empty `did=`",
        cli=False,
    ),
    Case(
        "an empty did= record and no file",
        empty_did_record(file=False),
        "dns_txt",
        "Delete the empty record",
        message="empty `did=`",
        cli=False,
    ),
    Case(
        "first #atproto_pds has the wrong type",
        first_pds_broken({"type": "SomethingElse", "serviceEndpoint": PDS}),
        "pds",
        "identity record is incomplete",
        message="never read",
        cli=False,
    ),
    Case(
        "first #atproto_pds is not a URL",
        first_pds_broken({"type": "AtprotoPersonalDataServer", "serviceEndpoint": "pds"}),
        "pds",
        "identity record is incomplete",
        message="never read",
        cli=False,
    ),
    Case(
        "redirect chain", redirect_chain, "well_known", "without redirects", message="more than 10"
    ),
    Case(
        "ten redirects still resolve (as indigo follows them)",
        redirects(10),
        "well_known",
        "Serve it directly",
        status="verified",
        check_status="warn",
        message="it redirects",
        cli=False,
    ),
    Case(
        "server error on the file",
        file_reply(Reply.text("oops", 500)),
        "well_known",
        "Make `https://acme.com/.well-known/atproto-did` answer 200",
        cli=False,
    ),
    Case(
        "oversized file",
        file_reply(Reply.text(DID + " " * 9000)),
        "well_known",
        "must contain only",
        message="larger than 4096 bytes",
        cli=False,
    ),
    Case(
        "DID not registered",
        plc(Reply.json({"message": f"DID not registered: {DID}"}, 404)),
        "did_document",
        "doesn't exist; copy it again",
    ),
    Case(
        "tombstoned DID",
        plc(Reply.json({"message": f"DID not available: {DID}"}, 410)),
        "did_document",
        "This account was deleted",
    ),
    Case("document id mismatch", id_mismatch, "did_document", "`id` equal to the DID"),
    Case("malformed document", malformed, "did_document", "contact your hosting provider"),
    Case("did:web redirect", did_web_redirect, "did_document", "with no redirect"),
    Case("account uses another handle", other_handle, "bidirectional", "`@acme-old.bsky.social`"),
    Case(
        "handle listed second",
        listed_second,
        "bidirectional",
        "Verify → Update",
        message="after",
        cli=False,
    ),
    Case("no handle claimed", no_handle, "bidirectional", "I have my own domain", cli=False),
    Case("no PDS endpoint", no_pds, "pds", "identity record is incomplete"),
    Case(
        "non-web PDS endpoint",
        non_web_pds,
        "pds",
        "contact your hosting provider",
        message="https",
        cli=False,
    ),
    Case(
        "no signing key",
        no_key,
        "pds",
        "identity record is incomplete",
        message="#atproto",
        cli=False,
    ),
    Case("deactivated account", repo("deactivated"), "pds", "reactivate the account"),
    Case(
        "taken-down account", repo("takendown"), "pds", "appeal through Bluesky support", cli=False
    ),
    Case("AppView links the domain elsewhere", appview_other_did, "appview", "another account"),
    Case("AppView takedown", takedown, "appview", "appeal through Bluesky support", cli=False),
]
