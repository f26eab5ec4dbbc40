"""The homepage extractor: links, rel="me" and JSON-LD sameAs."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from brandaudit.model import DeclaredVia
from brandaudit.pagelinks import extract_links, same_as_from_jsonld

PAGE = "https://acme.com/"


def _jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_plain_links_in_document_order() -> None:
    html = """<html><body>
      <a href="https://github.com/acme">GitHub</a>
      <a href='https://mastodon.social/@acme'>Mastodon</a>
      <a href=https://bsky.app/profile/acme.com>Bluesky</a>
      <a>no href</a><a href="">empty</a><a href="#top">anchor</a>
      <a href="mailto:hi@acme.com">mail</a><a href="javascript:void(0)">js</a>
    </body></html>"""
    page = extract_links(html, PAGE)
    assert page.urls() == [
        "https://github.com/acme",
        "https://mastodon.social/@acme",
        "https://bsky.app/profile/acme.com",
    ]
    assert {link.via for link in page.links} == {DeclaredVia.LINK}


def test_rel_me_on_a_and_link() -> None:
    html = """<head><link rel="me" href="https://mastodon.social/@acme">
      <link rel="stylesheet" href="/style.css"><link rel="ME authn" href="https://github.com/acme"/>
      </head><body><a rel="nofollow me" href="https://bsky.app/profile/acme.com">b</a>
      <a rel="nofollow" href="https://x.com/acme">x</a></body>"""
    page = extract_links(html, PAGE)
    assert page.urls(DeclaredVia.REL_ME) == [
        "https://mastodon.social/@acme",
        "https://github.com/acme",
        "https://bsky.app/profile/acme.com",
    ]
    assert page.urls(DeclaredVia.LINK) == ["https://x.com/acme"]  # the stylesheet is no rel=me


def test_relative_links_resolve_against_the_page_and_base() -> None:
    page = extract_links('<a href="/about">a</a><a href="team">t</a>', "https://www.acme.com/en/")
    assert page.urls() == ["https://www.acme.com/about", "https://www.acme.com/en/team"]
    page = extract_links(
        '<base href="https://cdn.acme.com/x/"><a href="y">y</a><base href="https://evil/">',
        PAGE,
    )
    assert page.urls() == ["https://cdn.acme.com/x/y"]  # only the first <base> counts


def test_entities_in_attributes_are_decoded() -> None:
    html = '<a href="https://github.com/acme?tab=repositories&amp;q=x">g</a>'
    html += '<a href="https://mastodon.social/&#64;acme">m</a>'
    assert extract_links(html, PAGE).urls() == [
        "https://github.com/acme?tab=repositories&q=x",
        "https://mastodon.social/@acme",
    ]


def test_jsonld_organization_same_as_list_and_string() -> None:
    html = _jsonld(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Acme",
            "sameAs": ["https://github.com/acme", "https://bsky.app/profile/acme.com"],
        }
    ) + _jsonld({"@type": "Brand", "sameAs": "https://mastodon.social/@acme"})
    page = extract_links(html, PAGE)
    assert page.urls(DeclaredVia.JSON_LD) == [
        "https://github.com/acme",
        "https://bsky.app/profile/acme.com",
        "https://mastodon.social/@acme",
    ]
    assert page.notes == []
    assert page.jsonld_blocks == 2


def test_jsonld_graph_arrays_nesting_and_type_spellings() -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "sameAs": "https://x.com/not-org", "url": "https://acme.com"},
            {
                "@type": ["Organization", "Corporation"],
                "sameAs": [{"@id": "https://github.com/acme"}, 42, None],
            },
            {
                "@type": "WebPage",
                "publisher": {"@type": "schema:Brand", "sameAs": ["https://x.com/acme"]},
            },
            {"@type": "Person", "sameAs": "https://github.com/the-founder"},
        ],
    }
    array = [
        {"@type": "http://schema.org/LocalBusiness", "sameAs": "https://mastodon.social/@acme"}
    ]
    page = extract_links(_jsonld(doc) + _jsonld(array), PAGE)
    assert page.urls(DeclaredVia.JSON_LD) == [
        "https://github.com/acme",
        "https://x.com/acme",
        "https://mastodon.social/@acme",
    ]


def test_malformed_jsonld_is_noted_and_the_rest_still_read() -> None:
    html = (
        '<script type="application/ld+json">{"@type": "Organization", "sameAs": [</script>'
        '<script type="application/ld+json">  </script>'
        + _jsonld({"@type": "Organization", "sameAs": "https://github.com/acme"})
        + '<a href="https://bsky.app/profile/acme.com">b</a>'
    )
    page = extract_links(html, PAGE)
    assert page.urls() == ["https://github.com/acme", "https://bsky.app/profile/acme.com"]
    assert len(page.notes) == 1
    assert page.notes[0].startswith("JSON-LD block 1 is not valid JSON (line 1")


def test_other_scripts_are_ignored_and_script_text_is_not_html() -> None:
    html = (
        '<script>var s = "<a href=\\"https://github.com/evil\\">";</script>'
        '<script type="application/json">{"sameAs": "https://github.com/nope"}</script>'
        '<script type="application/ld+json; charset=utf-8">'
        '{"@type":"Organization","sameAs":"https://github.com/acme?a=1&amp;b=2"}</script>'
    )
    page = extract_links(html, PAGE)
    # JSON-LD text is not entity-decoded: '&amp;' stays as written.
    assert page.urls() == ["https://github.com/acme?a=1&amp;b=2"]


def test_an_unterminated_jsonld_block_is_noted() -> None:
    page = extract_links('<script type="application/ld+json">{"@type": "Organiz', PAGE)
    assert page.urls() == []
    assert any("unterminated" in note for note in page.notes)


def test_broken_markup_does_not_stop_extraction() -> None:
    html = (
        '<div><a href="https://github.com/acme"<p><a href="https://x.com/acme">x</a></div></span>'
    )
    page = extract_links(html, PAGE)
    assert "https://x.com/acme" in page.urls()


def test_a_huge_page_is_bounded() -> None:
    html = "".join(f'<a href="https://github.com/u{i}">u</a>' for i in range(6000))
    page = extract_links(html, PAGE)
    assert len(page.links) == 5000


def test_non_html_text_yields_nothing() -> None:
    assert extract_links('{"sameAs": "https://github.com/acme"}', PAGE).urls() == []
    assert extract_links("\x00\x01\x02 binary garbage \xff", PAGE).urls() == []


def test_same_as_walk_is_depth_bounded() -> None:
    node: dict[str, object] = {"@type": "Organization", "sameAs": "https://github.com/deep"}
    for _ in range(100):
        node = {"child": node}
    assert same_as_from_jsonld(node) == []
    shallow = {"a": {"b": {"@type": "Organization", "sameAs": "https://github.com/x"}}}
    assert same_as_from_jsonld(shallow) == ["https://github.com/x"]


@settings(max_examples=200)
@given(st.text(max_size=500))
def test_the_extractor_never_raises(text: str) -> None:
    extract_links(text, PAGE)
    extract_links(f'<script type="application/ld+json">{text}</script><a href="{text}">', PAGE)
