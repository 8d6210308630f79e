"""Search (Pagefind) on the real built site, in real Chromium: exact wording finds its clause, the
address keeps the query, the search and draft pages are not indexed, and the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .test_site_quality import AXE, VIEWPORTS, WCAG_TAGS, _need

# Words quoted from one council (Chiltern & South Bucks, on online encyclopaedias).
PHRASE = "edit online encyclopaedias"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    yield context.new_page()
    context.close()


def results(page):
    return page.locator(".pagefind-ui__result")


def test_exact_words_find_their_council_and_lead_to_the_clause(page, site_url, built_site):
    from policyhandbook.load import load

    from .conftest import ROOT

    handbook = load(ROOT / "source_policies")
    holders = {c.council for c in handbook.clauses if PHRASE in c.text}
    assert holders, "the test phrase must be quoted in at least one clause"
    page.goto(site_url + "/search/")
    page.get_by_role("textbox").fill(f'"{PHRASE}"')
    (council,) = holders
    in_context = page.locator(f'.pagefind-ui__result-link[href*="/councils/{council}/"]').first
    expect(in_context).to_be_visible(timeout=10_000)  # results load one by one
    assert f"q=%22{PHRASE.split()[0]}" in page.url.replace("+", "%20"), "the address follows the query"
    in_context.click()
    page.wait_for_load_state()
    assert PHRASE in page.inner_text("article")


def test_a_query_in_the_address_runs_at_once(page, site_url):
    page.goto(site_url + "/search/?q=safeguarding")
    expect(results(page).first).to_be_visible(timeout=10_000)
    expect(page.get_by_role("textbox")).to_have_value("safeguarding")


def test_the_search_and_draft_pages_are_not_indexed(page, site_url):
    for words in ("quotation marks to find them together", "kept in this browser on this device"):  # only on those pages
        page.goto(site_url + f'/search/?q="{words}"')
        expect(page.locator(".pagefind-ui__message")).to_contain_text("No results", timeout=10_000)


def test_without_the_index_the_page_says_where_else_to_look(page, site_url):
    page.route("**/pagefind/pagefind-ui.js", lambda route: route.abort())
    page.goto(site_url + "/search/")
    expect(page.locator(".search-unavailable")).to_be_visible()
    expect(page.locator(".search-unavailable")).to_contain_text("topic pages")


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
    expect(results(page).first).to_be_visible(timeout=10_000)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
    context.close()
    failures = [f"{v['id']} ({v['impact']}): {v['help']} at {[', '.join(n['target']) for n in v['nodes'][:3]]}" for v in found["violations"]]
    assert not failures, "\n".join(failures)
