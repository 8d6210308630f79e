"""The drafting workbench in real Chromium: add clauses from two pages, reload, reorder on /draft/,
download the Word and Markdown exports and read them back; keyboard-only use; clauses that no longer
exist; the clipboard; axe on /draft/ with clauses in it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from policyhandbook.draft import build_draft
from policyhandbook.load import load
from policyhandbook.model import section_label

from .conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HANDBOOK = load(ROOT / "source_policies")
TOPIC = "disclaimer"


def _choose():
    """A: the first clause on the disclaimer page; B, C: two Oxford clauses filed under the same topic."""
    a = next(c for council in HANDBOOK.councils for c in HANDBOOK.by_topic[TOPIC][council.id])
    oxford = [c for c in HANDBOOK.council_by_id["oxford"].clauses if c.id != a.id and c.topics[0] != TOPIC]
    for i, b in enumerate(oxford):
        for c in oxford[i + 1 :]:
            if c.topics[0] == b.topics[0]:
                return a, b, c
    raise AssertionError("no two Oxford clauses share a first topic")


A, B, C = _choose()


def citation(clause) -> str:
    return "\u2014 " + HANDBOOK.council_by_id[clause.council].citation(clause)


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context
    context.close()


def toggle(page, clause):
    return page.locator(f'article[id="{clause.id}"] button.draft-toggle')


def seed(page, site_url, items, notes=None):
    """Put a draft straight into local storage (as the buttons would), then open /draft/."""
    page.goto(site_url + "/")
    draft = {"version": 1, "title": "", "items": items, "notes": notes or {}}
    page.evaluate("d => localStorage.setItem(HandbookDraft.storageKey, JSON.stringify(d))", draft)
    page.goto(site_url + "/draft/")
    page.wait_for_selector(".draft-summary")


def read_docx(path: Path) -> dict:
    """The document's title, then per heading: the quotations (with citations) and notes under it."""
    document = docx.Document(str(path))
    result = {"title": None, "sections": []}
    quote: list[str] = []
    for p in document.paragraphs:
        style = p.style.name
        if style == "Title":
            result["title"] = p.text
        elif style == "Heading 1":
            result["sections"].append({"heading": p.text, "clauses": [], "notes": [], "sources": []})
        elif style == "Quote":
            quote.append(p.text)
        elif style == "Citation":
            result["sections"][-1]["clauses"].append(("\n".join(quote), p.text))
            quote = []
        elif style == "List Bullet":
            result["sections"][-1]["sources"].append(p.text)
        elif result["sections"]:
            result["sections"][-1]["notes"].append(p.text)
    return result


def test_add_three_clauses_from_two_pages_reload_reorder_and_export(context, site_url, tmp_path):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))

    # A topic page: every clause has the button; its accessible name says which clause.
    page.goto(site_url + f"/topics/{TOPIC}/")
    assert page.locator("article.clause button.draft-toggle").count() == page.locator("article.clause").count() > 0
    button = toggle(page, A)
    council = HANDBOOK.council_by_id[A.council]
    name = re.escape(f"{council.short_name}, {section_label(A.section)}")
    # (Chromium puts a space before the visually hidden part of the name.)
    assert page.get_by_role("button", name=re.compile(rf"^Add to draft ?: {name}$")).count() == 1
    button.click()
    assert page.get_by_role("button", name=re.compile(rf"^Remove from draft ?: {name}$")).count() == 1
    assert page.get_by_role("link", name=re.compile(r"^Draft 1 ?clause$")).count() == 1  # the count in the header

    # A council page.
    page.goto(site_url + "/councils/oxford/")
    toggle(page, B).click()
    toggle(page, C).click()
    assert page.locator(".md-header .draft-link__count").inner_text() == "3"

    # The draft persists across reloads and pages.
    page.reload()
    assert "Remove from draft" in toggle(page, B).inner_text()
    page.goto(site_url + f"/topics/{TOPIC}/")
    assert "Remove from draft" in toggle(page, A).inner_text()

    page.goto(site_url + "/draft/")
    page.wait_for_selector(".draft-item")
    items = page.locator(".draft-item")
    assert [items.nth(i).get_attribute("data-clause") for i in range(items.count())] == _taxonomy_order([(A, TOPIC), (B, B.topics[0]), (C, C.topics[0])])
    assert page.locator(".draft-summary").inner_text().startswith("Your draft has 3 clauses from 2 councils")
    # Each clause shows its citation.
    for clause in (A, B, C):
        assert citation(clause)[2:] in page.locator(f'.draft-item[data-clause="{clause.id}"] .draft-item-cite').inner_text()

    # Reorder: C above B.
    page.locator(f'.draft-item[data-clause="{C.id}"] button[data-key="up:{C.id}"]').click()
    order = [items.nth(i).get_attribute("data-clause") for i in range(items.count())]
    assert order.index(C.id) < order.index(B.id)
    page.fill(f"#draft-note-{TOPIC}", "Start from this wording.\nName our monitoring officer.")
    page.fill("#draft-title", "Our social media protocol")

    # Word.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Word document (.docx)").click()
    assert download.value.suggested_filename == "our-social-media-protocol.docx"
    word = tmp_path / "browser.docx"
    download.value.save_as(word)
    document = read_docx(word)
    assert document["title"] == "Our social media protocol"
    expected = _expected_sections()
    assert [s["heading"] for s in document["sections"]] == [title for title, _ in expected] + ["Sources"]
    for section, (_, clauses) in zip(document["sections"], expected, strict=False):
        assert section["clauses"] == [(clause.text.strip(), citation(clause)) for clause in clauses]
    disclaimer = next(s for s in document["sections"] if s["heading"] == HANDBOOK.topic_by_id[TOPIC].title)
    assert disclaimer["notes"] == ["Note: Start from this wording.", "Name our monitoring officer."]
    sources = document["sections"][-1]["sources"]
    assert [s.split(",")[0] for s in sources] == [c.name for c in HANDBOOK.councils if c.id in {A.council, B.council}]

    # Markdown.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Markdown (.md)").click()
    markdown = tmp_path / "browser.md"
    download.value.save_as(markdown)
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Our social media protocol\n")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [title for title, _ in expected] + ["Sources"]
    for clause in (A, B, C):
        for line in clause.text.strip().split("\n"):
            assert f"> {line.strip()}\n" in text
        assert citation(clause) + "\n" in text
    assert text.index(C.text.split("\n")[0]) < text.index(B.text.split("\n")[0])

    # The selection file builds the very same documents on the command line.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download selection (.yaml)").click()
    assert download.value.suggested_filename == "draft-selection.yaml"
    selection = tmp_path / "draft-selection.yaml"
    download.value.save_as(selection)
    build_draft(HANDBOOK, selection, tmp_path / "cli.docx")
    build_draft(HANDBOOK, selection, tmp_path / "cli.md")
    assert (tmp_path / "cli.md").read_text(encoding="utf-8") == text

    def rows(path):
        return [(p.style.name, p.text, [bool(r.bold) for r in p.runs]) for p in docx.Document(str(path)).paragraphs]

    assert rows(tmp_path / "cli.docx") == rows(word)
    assert not errors


def _taxonomy_order(picked):
    order = [t.id for t in HANDBOOK.topics]
    return [clause.id for clause, topic in sorted(picked, key=lambda item: order.index(item[1]))]


def _expected_sections():
    """(topic title, clauses in order) after C has been moved above B."""
    groups = {TOPIC: [A]}
    groups.setdefault(B.topics[0], []).extend([C, B])
    return [(t.title, groups[t.id]) for t in HANDBOOK.topics if t.id in groups]


def test_keyboard_only(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/councils/oxford/")

    def tab_to(selector: str, limit: int = 400, back: bool = False) -> None:
        for _ in range(limit):
            page.keyboard.press("Shift+Tab" if back else "Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"could not reach {selector} with the keyboard")

    tab_to("button.draft-toggle")
    first = page.evaluate("document.activeElement.getAttribute('data-clause')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus indicator
    page.keyboard.press("Enter")
    tab_to("button.draft-toggle")
    second = page.evaluate("document.activeElement.getAttribute('data-clause')")
    page.keyboard.press("Space")
    assert page.locator(".md-header .draft-link__count").inner_text() == "2"
    # The status is set a moment after the change, so screen readers announce it; wait for it.
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Added to your draft: Oxford"))

    # The header link, reached backwards from the page, opens /draft/.
    tab_to(".draft-link", back=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/draft/")
    page.wait_for_selector(".draft-item")
    ids = page.eval_on_selector_all(".draft-item", "els => els.map(e => e.getAttribute('data-clause'))")
    assert set(ids) == {first, second}

    # Move the first clause down (both are Oxford's first clauses, under the same topic or not).
    topic_of = {c.id: c.topics[0] for c in HANDBOOK.clauses}
    if topic_of[first] == topic_of[second]:
        page.focus(f'[data-key="down:{ids[0]}"]')  # start from a known place; only the keyboard from here
        page.keyboard.press("Enter")
        assert page.eval_on_selector_all(".draft-item", "els => els.map(e => e.getAttribute('data-clause'))") == [ids[1], ids[0]]
        # Focus stays on the moved clause's button.
        assert page.evaluate("document.activeElement.getAttribute('data-key')") == f"down:{ids[0]}"

    # Remove one with the keyboard; focus moves to a neighbour, not to the top of the page.
    page.focus(f'[data-key="remove:{ids[0]}"]')
    page.keyboard.press("Enter")
    assert page.locator(".draft-item").count() == 1
    assert page.evaluate("document.activeElement.getAttribute('data-key')") == f"remove:{ids[1]}"

    # Clear, confirming the question.
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    tab_to("button.draft-clear")
    page.keyboard.press("Enter")
    assert messages and messages[0].startswith("Clear your draft?")
    assert page.locator(".draft-item").count() == 0
    assert page.locator(".draft-summary").inner_text().startswith("Your draft is empty.")
    assert page.locator(".md-header .draft-link__count").inner_text() == "0"


def test_declining_to_clear_keeps_the_draft(context, site_url):
    page = context.new_page()
    seed(page, site_url, [{"id": A.id, "topic": TOPIC, "name": "A"}])
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear draft").click()
    assert page.locator(".draft-item").count() == 1


def test_a_clause_that_no_longer_exists_is_reported_not_dropped(context, site_url, tmp_path):
    page = context.new_page()
    seed(page, site_url, [{"id": A.id, "topic": TOPIC, "name": "A"}, {"id": "oxford-gone-9", "topic": "scope", "name": "Oxford, section 9.9"}])
    box = page.locator(".draft-missing")
    assert box.is_visible()
    assert "1 clause in your draft is no longer in the handbook" in box.inner_text()
    assert "Oxford, section 9.9" in box.inner_text() and "oxford-gone-9" in box.inner_text()
    assert page.locator(".draft-item").count() == 1
    # Still kept: it is only gone when the reader removes it.
    stored = page.evaluate("JSON.parse(localStorage.getItem(HandbookDraft.storageKey)).items.map(i => i.id)")
    assert stored == [A.id, "oxford-gone-9"]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download selection (.yaml)").click()
    download.value.save_as(tmp_path / "s.yaml")
    assert "# No longer in the handbook, so left out: oxford-gone-9 (Oxford, section 9.9)" in (tmp_path / "s.yaml").read_text()
    page.get_by_role("button", name=re.compile(r"^Remove ?: Oxford, section 9\.9$")).click()
    assert not box.is_visible()
    assert page.evaluate("JSON.parse(localStorage.getItem(HandbookDraft.storageKey)).items.length") == 1


def test_copy_to_clipboard_is_rich_text_with_headings(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    seed(page, site_url, [{"id": A.id, "topic": TOPIC, "name": "A"}, {"id": B.id, "topic": B.topics[0], "name": "B"}])
    page.get_by_role("button", name="Copy to clipboard").click()
    page.wait_for_function("document.querySelector('.draft-message').textContent.startsWith('Copied')")
    html = page.evaluate(
        """async () => {
            const [item] = await navigator.clipboard.read();
            return await (await item.getType('text/html')).text();
        }"""
    )
    context.close()
    assert "<h1>Draft social media protocol</h1>" in html
    assert f"<h2>{HANDBOOK.topic_by_id[TOPIC].title}</h2>" in html
    assert "<blockquote><p>" in html and "<h2>Sources</h2>" in html
    assert citation(A).replace("&", "&amp;") in html


def test_the_browser_cites_exactly_as_the_command_line(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/draft/")
    data = json.loads((ROOT / "handbook" / "data" / "clauses.json").read_text(encoding="utf-8"))
    councils = {c["id"]: c for c in data["councils"]}
    cited = page.evaluate(
        "d => d.clauses.map(c => HandbookDraft.citation(d.councils.find(x => x.id === c.council), c))",
        {"clauses": data["clauses"], "councils": list(councils.values())},
    )
    assert cited == [HANDBOOK.council_by_id[c.council].citation(c) for c in HANDBOOK.clauses]


def test_without_javascript_the_pages_say_so_and_show_no_buttons(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + f"/topics/{TOPIC}/")
    assert page.locator("button.draft-toggle").count() == 0
    page.goto(site_url + "/draft/")
    assert "This page needs JavaScript to show your draft." in page.locator(".draft-nojs").inner_text()
    context.close()


# (tests/test_site_quality.py runs axe on every page, /draft/ empty; here it has clauses, notes, a missing clause.)
@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 390)])
def test_axe_finds_no_wcag_violations_on_the_draft_page_with_clauses(browser, site_url, scheme, width):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing; run `npm ci` (make test does it)")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    multi = next(c for c in HANDBOOK.clauses if len(c.topics) > 1 and c.id not in {A.id, B.id, C.id})
    seed(
        page,
        site_url,
        [
            {"id": A.id, "topic": TOPIC, "name": "A"},
            {"id": B.id, "topic": B.topics[0], "name": "B"},
            {"id": C.id, "topic": C.topics[0], "name": "C"},
            {"id": multi.id, "topic": multi.topics[0], "name": "M"},
            {"id": "gone-1", "topic": "scope", "name": "Gone, section 1"},
        ],
        notes={TOPIC: "A note."},
    )
    page.get_by_role("button", name="Copy to clipboard").wait_for()
    assert page.locator(".draft-missing").is_visible() and page.locator(".draft-file select").count() >= 1
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    failures = []
    for violation in result["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        failures.append(f"{violation['id']}: {violation['help']} at {targets}")
    context.close()
    assert not failures, "\n".join(failures)
