"""The Compare wording view in real Chromium: marks, verbatim text, keyboard, address, axe, phone, print."""

from __future__ import annotations

import pytest

from .test_similar import HANDBOOK
from .test_site_quality import AXE, VIEWPORTS, WCAG_TAGS, _need

A, B = "wiltshire-introduction-1", "chiltern-south-bucks-1-1"
VISIBLE_TEXT = """side => {
  const clone = document.querySelectorAll('.compare-side .compare-text')[side].cloneNode(true);
  clone.querySelectorAll('.visually-hidden').forEach(n => n.remove());
  return Array.from(clone.querySelectorAll('p, li')).map(n => n.textContent).join(' ');
}"""


def _open(browser, site_url, query, **kw):
    page = browser.new_page(**kw)
    page.goto(site_url + "/compare/" + query)
    page.wait_for_selector(".compare-side")
    return page


def test_the_view_marks_words_only_in_one_clause_and_quotes_both_in_full(browser, site_url):
    page = _open(browser, site_url, f"?a={A}&b={B}")
    for side, clause_id in ((0, A), (1, B)):
        shown = page.evaluate(VISIBLE_TEXT, side)
        assert shown.split() == HANDBOOK.clause_by_id[clause_id].text.split(), "the clause is quoted word for word"
    deleted = " ".join(page.locator(".compare-side del").all_text_contents())
    inserted = " ".join(page.locator(".compare-side ins").all_text_contents())
    assert "tweeting." in deleted and "[only in the first clause:]" in deleted
    assert "LinkedIn." in inserted and "[only in the second clause:]" in inserted
    assert "Social media" not in deleted.replace("social media", "")
    assert page.locator(".compare-legend del").is_visible() and page.locator(".compare-legend ins").is_visible()
    assert "words in both" in page.locator(".compare-status").inner_text()
    page.close()


def test_similar_clauses_are_offered_first_and_the_address_follows(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/compare/?a=wiltshire-responsibilities-3")
    page.wait_for_selector(".compare-similar li")
    offered = page.locator(".compare-similar li")
    assert offered.count() == len(HANDBOOK.similarity.similar_to("wiltshire-responsibilities-3"))
    assert "Oxford" in offered.first.inner_text()
    offered.first.get_by_role("button").click()
    page.wait_for_selector(".compare-side")
    assert "b=oxford-protection-and-security-2" in page.url
    page.close()


def test_keyboard_only(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/compare/")
    page.locator("#compare-a-council").focus()
    page.keyboard.press("ArrowDown")  # the first council
    page.wait_for_function("document.querySelector('#compare-a-clause').disabled === false")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "compare-a-clause"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "compare-b-council"
    page.keyboard.press("End")  # the last council
    page.wait_for_function("document.querySelector('#compare-b-clause').disabled === false")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.wait_for_selector(".compare-side")
    first, last = HANDBOOK.councils[0].clauses[0].id, HANDBOOK.councils[-1].clauses[0].id
    assert f"a={first}" in page.url and f"b={last}" in page.url
    page.close()


def test_an_unknown_clause_in_the_address_says_so(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/compare/?a=nowhere-1&b=" + B)
    page.wait_for_function("document.querySelector('.compare-status').textContent !== ''")
    assert "Choose the other clause" in page.locator(".compare-status").inner_text()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_and_width(browser, site_url, scheme, viewport):
    _need(AXE)
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    failures = []
    for path in (f"/compare/?a={A}&b={B}", "/similar/", "/councils/wiltshire/"):
        page.goto(site_url + path)
        if path.startswith("/compare/"):
            page.wait_for_selector(".compare-side")
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"], path
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
        failures += [f"{path}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    context.close()
    assert not failures, "\n".join(failures)


def test_it_prints_both_clauses_without_the_controls(browser, site_url):
    page = _open(browser, site_url, f"?a={A}&b={B}")
    page.emulate_media(media="print")
    assert page.locator(".compare-side").nth(1).is_visible()
    assert not page.locator(".compare-pick").first.is_visible()
    assert page.locator(".compare-legend").is_visible()
    page.close()


def test_it_works_from_a_folder_without_a_web_server(browser, built_site):
    page = browser.new_page()
    page.goto((built_site / "compare" / "index.html").as_uri() + f"?a={A}&b={B}")
    page.wait_for_selector(".compare-side")
    assert page.locator(".compare-side del").count() > 0 and page.locator(".compare-side ins").count() > 0
    assert page.locator(".compare-side .clause-cite a").first.get_attribute("href").endswith(f"/councils/wiltshire/index.html#{A}")
    page.close()
