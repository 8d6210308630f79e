"""The levelled matrix in real Chromium: its filters and their addresses, a phone's layout, and axe."""

from __future__ import annotations

import pytest

from .test_levels import HANDBOOK
from .test_site_quality import AXE, VIEWPORTS, WCAG_TAGS, _need

# Every word of the matrix on one line: a word whose letters sit on two lines was broken (a line may
# still end after a hyphen the text has, as in "pre-|determination").
BROKEN_WORDS = """() => {
  const broken = [];
  const table = document.querySelector('table.matrix-levels');
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('.visually-hidden') || !node.parentElement.offsetParent) continue;
    const re = /[^\\s\\-\u2010]+/g;
    let match;
    while ((match = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


def _visible_topics(page) -> list[str]:
    return page.locator("tr.matrix-row:not([hidden]) > th a").all_inner_texts()


def test_differ_filter_shows_only_topics_where_levels_differ(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/matrix/")
    page.get_by_label("Only topics where councils differ in level").check()
    want = [t.title for t in HANDBOOK.topics if HANDBOOK.levels_differ[t.id]]
    assert _visible_topics(page) == want
    assert "differ=1" in page.url
    page.close()


@pytest.mark.parametrize("level", ["requires", "permits", "silent"])
def test_level_filter_shows_topics_where_a_council_is_at_that_level(browser, site_url, level):
    page = browser.new_page()
    page.goto(site_url + "/matrix/")
    page.get_by_label("Only topics where a council’s level is").select_option(level)
    want = [t.title for t in HANDBOOK.topics if any(HANDBOOK.cell(t.id, c.id).level == level for c in HANDBOOK.councils)]
    assert _visible_topics(page) == want
    assert f"level={level}" in page.url
    assert page.locator(".matrix-count").inner_text() == f"Showing {len(want)} of {len(HANDBOOK.topics)} topics."
    page.close()


def test_a_councils_gaps_from_the_address(browser, site_url):
    """The filters are read back from a shared address, and combine."""
    page = browser.new_page()
    page.goto(site_url + "/matrix/?silent=brackley&level=requires")
    want = [
        t.title
        for t in HANDBOOK.topics
        if HANDBOOK.cell(t.id, "brackley").level == "silent" and any(HANDBOOK.cell(t.id, c.id).level == "requires" for c in HANDBOOK.councils)
    ]
    assert want, "Brackley is silent on a topic another council requires something on"
    assert _visible_topics(page) == want
    assert page.get_by_label("Only topics on which this council is silent").input_value() == "brackley"
    page.get_by_label("Only topics on which this council is silent").select_option("")
    assert "silent=" not in page.url and "level=requires" in page.url
    page.close()


def test_a_level_links_to_the_clause_that_decides_it(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/matrix/")
    cell = HANDBOOK.cell("disclaimer", "wiltshire")
    page.locator(f'a[href$="topics/disclaimer/#{cell.deciding.id}"]').first.click()
    page.wait_for_url(f"**/topics/disclaimer/#{cell.deciding.id}")
    assert page.locator(f"#{cell.deciding.id} .clause-level").inner_text() == f"Level: {cell.level.capitalize()}"
    page.close()


@pytest.mark.parametrize("path", ["/matrix/", "/"])
def test_the_matrix_reads_on_a_phone_without_sideways_scrolling_or_broken_words(browser, site_url, path):
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(site_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(BROKEN_WORDS) == []
    # Each cell says its council: the label and the level sit side by side on one line.
    first = page.locator("tr.matrix-row td").first
    label = first.evaluate("td => getComputedStyle(td, '::before').content")
    assert HANDBOOK.councils[0].short_name in label
    page.close()


def test_the_matrix_on_a_desktop_breaks_no_words(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "/matrix/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate(BROKEN_WORDS) == []
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_on_the_filtered_matrix_and_a_topic_page(browser, site_url, scheme, viewport):
    _need(AXE)
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    failures = []
    for path in ("/matrix/?differ=1&level=permits", "/matrix/?silent=oxford", "/topics/sanctions/"):
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
        failures += [f"{path}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    context.close()
    assert not failures, "\n".join(failures)


def test_the_printed_matrix_breaks_no_words(browser, site_url):
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(site_url + "/matrix/")
    page.emulate_media(media="print")
    assert page.evaluate(BROKEN_WORDS) == []
    page.close()
