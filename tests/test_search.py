"""Search on the real built site, in real Chromium: a result is one clause with its citation and a clean
excerpt, leading to the clause with the words marked; filters by council, topic and audience; Add to
draft on results; the address keeps the query; editorial text is not found; it works from file://;
and the page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_levels import HANDBOOK
from .test_site_quality import AXE, VIEWPORTS, WCAG_TAGS, _need

# Words quoted from one council (Chiltern & South Bucks, on online encyclopaedias).
PHRASE = "edit online encyclopaedias"
HOLDERS = [c for c in HANDBOOK.clauses if PHRASE in c.text]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    yield context.new_page()
    context.close()


def hits(page):
    return page.locator(".search-hit")


def test_a_phrase_finds_its_clause_with_citation_and_leads_to_it_marked(page, site_url):
    (clause,) = HOLDERS
    council = HANDBOOK.council_by_id[clause.council]
    page.goto(site_url + "/search/")
    page.get_by_label("Search for").fill(f'"{PHRASE}"')
    first = hits(page).first
    expect(first).to_be_visible(timeout=10_000)
    assert hits(page).count() == 1
    expect(page.locator(".search-status")).to_have_text(f"1 result for “{PHRASE}”.")  # the phrase, in the status's own quotes
    link = first.locator(".search-hit-title a")
    assert link.inner_text() == council.citation(clause)
    href = link.get_attribute("href")
    assert f"/councils/{council.id}/?highlight=" in href and href.endswith(f"#{clause.id}")
    assert first.locator(".search-excerpt mark").all_inner_texts() == [PHRASE], "the quoted words are marked together"
    assert "q=%22edit" in page.url.replace("+", "%20"), "the address follows the query"
    link.click()
    page.wait_for_url(f"**#{clause.id}")
    marks = page.locator(f"#{clause.id} .clause-text mark").all_inner_texts()
    assert {m.lower() for m in marks} == set(PHRASE.split())


def test_excerpts_are_the_clause_wording_not_headings_or_navigation(page, site_url):
    page.goto(site_url + "/search/?q=safeguarding")
    expect(hits(page).first).to_be_visible(timeout=10_000)
    texts = {c.text.replace("\n", " ") for c in HANDBOOK.clauses}
    for excerpt in page.locator(".search-clause .search-excerpt").all_inner_texts()[:10]:
        piece = excerpt.strip("…").strip()
        assert any(piece[:40] in " ".join(t.split()) for t in texts), f"not a clause's wording: {excerpt!r}"
    # Word for word: each excerpt is a stretch of its own clause, nothing added (no separator full stops).
    for clause in page.locator(".search-clause").all()[:10]:
        own = " ".join(HANDBOOK.clause_by_id[clause.get_attribute("data-clause")].text.split())
        piece = clause.locator(".search-excerpt").inner_text().strip("…").strip()
        assert piece in own, f"{piece!r} is not word for word in {own!r}"
    expect(page.locator(".search-status")).to_have_text(re.compile(r"^\d+ results for “safeguarding”\.$"))


def test_filters_narrow_the_results_and_stay_in_the_address(page, site_url):
    page.goto(site_url + "/search/?q=social+media")
    expect(hits(page).first).to_be_visible(timeout=10_000)
    page.get_by_label("Council", exact=True).select_option("Oxford")
    page.get_by_label("Topic", exact=True).select_option("Disclaimers")
    expect(page.locator(".search-status")).to_contain_text("result")
    titles = page.locator(".search-hit-title a").all_inner_texts()
    want = [c for c in HANDBOOK.clauses if c.council == "oxford" and "disclaimer" in c.topics and "social" in c.text.lower() and "media" in c.text.lower()]
    assert titles and len(titles) == len(want)
    assert all(t.startswith("Oxford City Council") for t in titles)
    assert "council=Oxford" in page.url and "topic=Disclaimers" in page.url
    page.get_by_label("Written for").select_option("Staff")
    expect(page.locator(".search-status")).to_contain_text("No clause matches")


def test_add_to_draft_from_a_result(page, site_url):
    (clause,) = HOLDERS
    page.goto(site_url + f'/search/?q="{PHRASE}"')
    expect(hits(page).first).to_be_visible(timeout=10_000)
    hits(page).first.get_by_role("button", name="Add to draft").click()
    stored = page.evaluate("() => localStorage.getItem(window.HandbookDraft.storageKey)")
    assert clause.id in stored


def test_editorial_text_and_the_search_and_draft_pages_are_not_found(page, site_url):
    summary = next(c.summary for c in HANDBOOK.clauses if c.summary and len(c.summary.split()) > 6)
    for words in ("quotation marks to find them together", "kept in this browser on this device", " ".join(summary.split()[:5])):
        page.goto(site_url + f'/search/?q="{words}"')
        expect(page.locator(".search-status")).to_contain_text("No clause matches", timeout=10_000)


def test_a_query_in_the_address_runs_at_once(page, site_url):
    page.goto(site_url + "/search/?q=safeguarding&council=Wiltshire")
    expect(hits(page).first).to_be_visible(timeout=10_000)
    expect(page.get_by_label("Search for")).to_have_value("safeguarding")
    expect(page.get_by_label("Council", exact=True)).to_have_value("Wiltshire")


def test_it_works_from_a_folder_without_a_web_server(browser, built_site):
    page = browser.new_page()
    page.goto((built_site / "search" / "index.html").as_uri() + f'?q="{PHRASE}"')
    expect(hits(page).first).to_be_visible(timeout=10_000)
    href = hits(page).first.locator(".search-hit-title a").get_attribute("href")
    assert href.startswith("file://") and "/index.html?highlight=" in href
    page.close()


def test_served_it_searches_the_pagefind_index_not_the_records(page, site_url):
    """On a web server the search loads Pagefind's index chunks, never the whole records file (which only a
    page read from a folder, or one whose index cannot load, falls back to)."""
    loaded: list[tuple[str, int]] = []
    page.on("response", lambda response: loaded.append((response.url, response.status)))
    page.goto(site_url + f'/search/?q="{PHRASE}"')
    expect(hits(page).first).to_be_visible(timeout=10_000)
    assert (site_url + "/pagefind/pagefind.js", 200) in loaded
    assert any("/pagefind/index/" in url and status == 200 for url, status in loaded)
    assert not [url for url, _ in loaded if url.endswith("/data/search.js")]


def test_without_the_index_it_searches_the_records(page, site_url):
    page.route("**/pagefind/**", lambda route: route.abort())
    page.goto(site_url + f'/search/?q="{PHRASE}"')
    expect(hits(page).first).to_be_visible(timeout=10_000)


def test_the_header_links_to_search(page, site_url):
    page.goto(site_url + "/topics/disclaimer/")
    page.get_by_role("link", name="Search the handbook").click()
    page.wait_for_url("**/search/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_violations_on_search_results(browser, site_url, scheme, viewport):
    _need(AXE)
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "/search/?q=disclaimer")
    expect(hits(page).first).to_be_visible(timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    context.close()
    failures = [f"{v['id']} ({v['impact']}): {v['help']} at {[', '.join(n['target']) for n in v['nodes'][:3]]}" for v in found["violations"]]
    assert not failures, "\n".join(failures)
