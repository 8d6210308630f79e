"""What a reader sees, in real Chromium: topic pages whose columns follow their content and keep their
headings in view, a council choice that the address, the at-a-glance table and the printout respect,
controls that stay off paper, and a phone header that shows the whole title."""

from __future__ import annotations

from .test_levels import HANDBOOK
from .test_site_quality import VIEWPORTS


def test_columns_are_as_wide_as_their_share_of_the_text(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "/topics/disclaimer/")
    widths = {c.id: page.locator(f"#council-{c.id}").bounding_box()["width"] for c in HANDBOOK.councils}
    lengths = {c.id: sum(len(x.text) for x in HANDBOOK.by_topic["disclaimer"][c.id]) for c in HANDBOOK.councils}
    longest, shortest = max(lengths, key=lengths.get), min(lengths, key=lengths.get)
    assert widths[longest] > widths[shortest] * 1.3
    page.close()


def test_a_topic_one_council_dominates_is_read_one_council_after_another(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "/topics/corporate-accounts/")
    boxes = [page.locator(f"#council-{c.id}").bounding_box() for c in HANDBOOK.councils]
    assert len({round(b["x"]) for b in boxes}) == 1, "the columns are stacked"
    page.close()


def test_column_headings_stay_in_view_while_scrolling(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "/topics/disclaimer/")
    column = page.locator("#council-brackley")
    box = column.bounding_box()
    page.mouse.wheel(0, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    heading = page.locator("#council-brackley-name").bounding_box()
    assert 0 <= heading["y"] <= 120, "the heading is at the top of the window, under the header"
    page.close()


def test_the_choice_of_councils_is_kept_with_plain_commas_and_followed_by_the_glance_table(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "/topics/disclaimer/")
    for council in ("brackley", "bridgend", "chiltern-south-bucks"):
        page.locator(f'input[name=council][value="{council}"]').uncheck()
    assert page.url.endswith("?councils=oxford,wiltshire")
    rows = page.locator("table.glance tbody tr:not([hidden])")
    assert [rows.nth(i).get_attribute("data-council") for i in range(rows.count())] == ["oxford", "wiltshire"]
    page.close()


def test_printing_keeps_the_choice_and_leaves_the_controls_off(browser, site_url):
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(site_url + "/topics/disclaimer/?councils=oxford,wiltshire")
    page.emulate_media(media="print")
    shown = [c.id for c in HANDBOOK.councils if page.locator(f"#council-{c.id}").is_visible()]
    assert shown == ["oxford", "wiltshire"]
    assert "Oxford, Wiltshire" in page.locator(".print-choice").inner_text()
    text = page.locator("article.md-content__inner").inner_text()
    for control in ("Read in context", "Link to this clause", "Download this page as PDF", "Add to draft", "Compare wording"):
        assert control not in text, control
    assert "Oxford City Council, Social media protocol for councillors" in text, "citations stay"
    page.close()


def test_a_silent_column_is_not_split_across_pages(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/topics/safeguarding/")
    page.emulate_media(media="print")
    rule = page.locator(".compare-col-silent").first.evaluate("el => getComputedStyle(el).breakInside")
    heading = page.locator(".compare-name").first.evaluate("el => getComputedStyle(el).breakAfter")
    assert rule == "avoid" and heading == "avoid"
    page.close()


def test_the_phone_header_shows_the_whole_title(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(site_url + "/")
    title = page.locator(".md-header__topic .md-ellipsis").first
    assert title.evaluate("el => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.parentElement.parentElement.clientHeight + 2")
    page.close()


def test_a_keyboard_user_can_skip_to_the_next_council(browser, site_url):
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "/topics/disclaimer/")
    page.locator("#council-brackley-name a").focus()
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent")
    assert skip == "Skip to the next council: Bridgend"
    page.keyboard.press("Enter")
    assert page.url.endswith("#council-bridgend")
    page.close()
