"""The drafting workbench in real Chromium: a draft built across three pages, restructured (renamed,
reordered, merged, a clause moved), with the drafter's own wording and notes; the Word export has the
same structure as `build.py draft`'s from the saved selection; the selection reopened in a fresh
browser profile (by the file picker, and by drag and drop) and the share link opened in another give
the same draft; the coverage check updating; audience warnings; keyboard only; bad files and bad links
with exact messages; the page from file://; axe in light and dark at 1280 and 390 px."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from policyhandbook.draft import audience_terms, audience_warning, build_draft, read_selection
from policyhandbook.read import parse_yaml

from .conftest import ROOT
from .test_draft import BAD_FILES, HANDBOOK, SITE_URL, expected, structure

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TOPIC = "disclaimer"
STAFF_CLAUSE = "chiltern-south-bucks-17-4-2"  # from a staff policy, on sanctions


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
D = HANDBOOK.clause_by_id[STAFF_CLAUSE]


def citation(clause) -> str:
    return "\u2014 " + HANDBOOK.council_by_id[clause.council].citation(clause)


def new_context(browser, width: int = 1280, **options):
    return browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True, **options)


@pytest.fixture
def context(browser):
    context = new_context(browser)
    yield context
    context.close()


def toggle(page, clause):
    return page.locator(f'article[id="{clause.id}"] button.draft-toggle')


def watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def seed(page, site_url, draft: dict) -> None:
    """Put a draft straight into local storage (as the buttons would), then open /draft/."""
    page.goto(site_url + "/")
    page.evaluate("d => localStorage.setItem(HandbookDraft.storageKey, JSON.stringify(d))", draft)
    page.goto(site_url + "/draft/")
    page.wait_for_selector(".draft-summary")


def v1(*items, notes=None) -> dict:
    """A draft as the page's first version stored it (clauses filed by topic, a note per topic)."""
    return {"version": 1, "title": "", "items": [{"id": c.id, "topic": c.topics[0], "name": c.id} for c in items], "notes": notes or {}}


def stored(page) -> dict:
    return page.evaluate("HandbookDraft.load()")


def save(page, button: str, path: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    download.value.save_as(path)
    return path


def section_headings(page) -> list[str]:
    return page.eval_on_selector_all(".draft-section h2", "els => els.map(e => e.firstChild.textContent.trim())")


def section(page, heading: str):
    return page.locator(".draft-section").nth(section_headings(page).index(heading))


# --- a draft across three pages, restructured, exported, reopened and shared -----------------------


@pytest.fixture(scope="module")
def made(browser, site_url, tmp_path_factory):
    """Build a draft as an officer would, and keep what it exports."""
    out = tmp_path_factory.mktemp("made")
    context = new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = watch(page)

    # Three pages: a topic page, a council page and another topic page.
    page.goto(site_url + f"/topics/{TOPIC}/")
    assert page.locator("article.clause button.draft-toggle").count() == page.locator("article.clause").count() > 0
    toggle(page, A).click()
    assert page.get_by_role("link", name=re.compile(r"^Draft 1 ?clause$")).count() == 1  # the count in the header
    page.goto(site_url + "/councils/oxford/")
    toggle(page, B).click()
    toggle(page, C).click()
    page.goto(site_url + "/topics/sanctions/")
    toggle(page, D).click()
    assert page.locator(".md-header .draft-link__count").inner_text() == "4"
    page.reload()
    assert "Remove from draft" in toggle(page, D).inner_text()

    page.goto(site_url + "/draft/")
    page.wait_for_selector(".draft-section")
    titles = {t.id: t.title for t in HANDBOOK.topics}
    order = [t.id for t in HANDBOOK.topics]
    first = sorted({A.topics[0] if TOPIC not in A.topics else TOPIC, B.topics[0], D.topics[0]}, key=order.index)
    assert section_headings(page) == [titles[t] for t in first]  # the taxonomy's order to start with
    assert page.locator(".draft-summary").inner_text().startswith("Your draft has 4 clauses from 3 councils, in 3 sections.")

    # Restructure: rename the section holding B and C, move it to the top, move C to the disclaimer
    # section, add a section of our own, and merge the sanctions section into it.
    oxford_heading = titles[B.topics[0]]
    section(page, oxford_heading).get_by_role("button", name=re.compile("^Rename")).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("How councillors use social media")
    page.keyboard.press("Enter")
    while section_headings(page)[0] != "How councillors use social media":
        section(page, "How councillors use social media").get_by_role("button", name=re.compile("^Move section up")).click()
    page.locator(f'[data-key="move:{C.id}"]').select_option(label=titles[TOPIC])
    page.locator(f'[data-key="move:{C.id}:go"]').click()
    page.get_by_role("button", name="Add a section").click()
    page.keyboard.type("Breaches")
    page.keyboard.press("Enter")
    merge_from = section(page, titles[D.topics[0]]).locator("select[data-key^='merge:']")
    merge_from.select_option(value=section(page, "Breaches").get_attribute("data-section"))
    section(page, titles[D.topics[0]]).get_by_role("button", name=re.compile("^Merge")).click()
    assert section_headings(page) == ["How councillors use social media", titles[TOPIC], "Breaches"]

    # The drafter's own wording between two quotations, a note on a clause, a note on a section.
    page.locator(f'[data-key="add-own-after:{A.id}"]').click()
    page.keyboard.type("Our council adds this:\n- always say who you are\n- never post from meetings")
    page.locator(f'[data-key="add-note:{C.id}"]').click()
    page.keyboard.type("Shorten this.")
    section(page, "Breaches").get_by_role("button", name=re.compile("^Add a note on this section")).click()
    page.keyboard.type("Name our monitoring officer.")
    page.fill("#draft-title", "Our social media protocol")
    page.reload()  # nothing typed is lost
    page.wait_for_selector(".draft-section")
    assert page.input_value("#draft-title") == "Our social media protocol"
    assert page.locator(".draft-own textarea").input_value().startswith("Our council adds this:")

    word = save(page, "Download Word document (.docx)", out / "browser.docx")
    md = save(page, "Download Markdown (.md)", out / "browser.md")
    selection = save(page, "Download selection (.yaml)", out / "draft-selection.yaml")
    page.get_by_role("button", name="Copy to clipboard").click()
    expect(page.locator("#draft-message")).to_contain_text("Copied. Paste it into Word")
    html = page.evaluate("async () => { const [item] = await navigator.clipboard.read(); return await (await item.getType('text/html')).text(); }")
    page.get_by_role("button", name="Copy a link to this draft").click()
    expect(page.locator("#draft-message")).to_contain_text("Copied a link to this draft")
    link = page.input_value("#draft-link-output")
    assert page.evaluate("navigator.clipboard.readText()") == link
    context.close()
    assert not errors
    return {"word": word, "md": md, "selection": selection, "link": link, "clipboard": html, "out": out}


def test_the_draft_is_the_drafters_structure_in_every_export(made):
    text = made["md"].read_text(encoding="utf-8")
    assert text.startswith("# Our social media protocol\n")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [
        "How councillors use social media",
        HANDBOOK.topic_by_id[TOPIC].title,
        "Breaches",
        "Sources",
    ]
    # Quotations verbatim, own wording outside them, in the drafter's order.
    a, own, c = text.index(A.text.split("\n")[0]), text.index("Our council adds this:"), text.index(C.text.split("\n")[0])
    assert a < own < c
    assert "\n\nOur council adds this:\n\n- always say who you are\n- never post from meetings\n\n" in text
    assert "**Note:** Shorten this." in text and "**Note:** Name our monitoring officer." in text
    body = made["selection"].read_text(encoding="utf-8")
    assert (
        "audience: members" in body
        and 'heading: "How councillors use social media"' in body
        and f'      - clause: {C.id}\n        note: "Shorten this."' in body
    )


def test_the_browsers_word_document_is_the_command_lines(made):
    """The same document: styles, paragraphs, lists, runs, links, table, header and footer."""
    cli = made["out"] / "cli.docx"
    build_draft(HANDBOOK, made["selection"], cli, SITE_URL)
    build_draft(HANDBOOK, made["selection"], made["out"] / "cli.md", SITE_URL)
    assert structure(made["word"]) == structure(cli)
    assert (made["out"] / "cli.md").read_text(encoding="utf-8") == made["md"].read_text(encoding="utf-8")
    document = structure(made["word"])
    paragraphs = [p for kind, p in document["body"] if kind == "p"]
    quoted = [p["text"] for p in paragraphs if p["style"] in ("Quote", "Quote List")]
    for clause in (A, B, C, D):
        assert [line.removeprefix("- ").strip() for line in clause.text.strip().split("\n") if line.strip()] == [
            t for t in quoted if t in {line.removeprefix("- ").strip() for line in clause.text.split("\n")}
        ][: len([line for line in clause.text.strip().split("\n") if line.strip()])]
    own = [(p["style"], p["text"]) for p in paragraphs if "always say who you are" in p["text"] or "Our council adds this" in p["text"]]
    assert own == [("Normal", "Our council adds this:"), ("List Bullet", "always say who you are")]
    links = [link for p in paragraphs if p["style"] == "Citation" for link in p["links"]]
    assert (A.id and f"{SITE_URL}councils/{A.council}/#{A.id}") in [url for _, url in links]
    # The clipboard's rich text: headings, quotations, the drafter's list, linked citations, the sources table.
    html = made["clipboard"]
    assert html.startswith("<h1>Our social media protocol</h1>") and "<h2>Breaches</h2>" in html
    assert "<p>Our council adds this:</p><ul><li>always say who you are</li>" in html
    assert f'<a href="{SITE_URL}councils/{A.council}/#{A.id}">' in html and "<table><thead><tr><th>Council</th>" in html


def test_the_saved_selection_reopens_in_a_fresh_profile(browser, site_url, made, tmp_path):
    for how in ("picker", "drop"):
        context = new_context(browser)
        page = context.new_page()
        errors = watch(page)
        page.goto(site_url + "/draft/")
        page.wait_for_selector(".draft-summary")
        assert page.locator(".draft-summary").inner_text() == "Your draft is empty."
        if how == "picker":
            page.set_input_files("#draft-open-file", str(made["selection"]))
        else:
            drop(page, made["selection"])
        expect(page.locator("#draft-incoming-heading")).to_have_text("Open draft-selection.yaml?")
        assert page.evaluate("document.activeElement.id") == "draft-incoming-heading"
        page.get_by_role("button", name="Open it", exact=True).click()
        assert section_headings(page) == ["How councillors use social media", HANDBOOK.topic_by_id[TOPIC].title, "Breaches"]
        again = save(page, "Download selection (.yaml)", tmp_path / f"{how}.yaml")
        assert again.read_text(encoding="utf-8") == made["selection"].read_text(encoding="utf-8")
        assert not errors
        context.close()


def drop(page, path: Path) -> None:
    """Drop a file on the page, as dragging it from the desktop does."""
    page.evaluate(
        """([name, text]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, { type: "application/yaml" }));
            for (const type of ["dragenter", "dragover", "drop"]) {
                document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
            }
        }""",
        [path.name, path.read_text(encoding="utf-8")],
    )


def test_the_share_link_opens_in_another_profile_beside_or_instead_of_its_draft(browser, site_url, made, tmp_path):
    assert "#draft=1." in made["link"] and made["link"].startswith(site_url + "/draft/")
    context = new_context(browser)
    page = context.new_page()
    seed(page, site_url, v1(B))  # this colleague has a draft of their own
    page.goto(made["link"])
    expect(page.locator("#draft-incoming-heading")).to_have_text("Open the draft in this link?")
    assert (
        "\u2018Our social media protocol\u2019: 4 clauses in 3 sections, 1 passage of the drafter\u2019s own wording, 2 notes."
        in page.locator(".draft-incoming").inner_text()
    )
    page.get_by_role("button", name="Add it after my draft").click()
    assert "#draft=" not in page.url
    assert section_headings(page) == [
        HANDBOOK.topic_by_id[B.topics[0]].title,
        "How councillors use social media",
        HANDBOOK.topic_by_id[TOPIC].title,
        "Breaches",
    ]
    assert "1 clause was in your draft already, and stays where it was." in page.locator("#draft-message").inner_text()
    # Open it again, instead of this draft: the same draft as the one shared; the one replaced can come back.
    page.goto(made["link"])
    page.get_by_role("button", name="Open it instead of my draft").click()
    again = save(page, "Download selection (.yaml)", tmp_path / "shared.yaml")
    assert again.read_text(encoding="utf-8") == made["selection"].read_text(encoding="utf-8")
    page.get_by_role("button", name="Bring back my previous draft").click()
    assert section_headings(page)[0] == HANDBOOK.topic_by_id[B.topics[0]].title
    context.close()


# --- the coverage check, start-from options, audience warnings --------------------------------------


def test_the_coverage_check_updates_as_clauses_are_added(context, site_url):
    draft = context.new_page()
    draft.goto(site_url + "/draft/")
    outline = draft.get_by_role("button", name=re.compile(r"^Start from an outline"))
    assert "Your draft is empty." in draft.locator(".draft-summary").inner_text()
    rows = draft.locator(".draft-coverage-item")
    n = rows.count()
    assert [rows.nth(i).get_attribute("data-topic") for i in range(5)] == ["disclaimer", "safeguarding", "pre-election", "meetings", "sanctions"]
    assert draft.locator(f'.draft-coverage-item[data-topic="{TOPIC}"] a').get_attribute("href").endswith(f"/topics/{TOPIC}/")
    expect(draft.locator("#draft-coverage-summary")).to_contain_text(f"Your draft covers 0 of these {n} topics")
    outline.click()
    assert len(section_headings(draft)) == n
    # Another tab: add a clause on a topic page; the draft's tab updates by itself.
    other = context.new_page()
    other.goto(site_url + f"/topics/{TOPIC}/")
    toggle(other, A).click()
    item = draft.locator(f'.draft-coverage-item[data-topic="{TOPIC}"]')
    expect(item).to_have_class(re.compile("is-covered"))
    expect(item).to_contain_text("In your draft: 1 clause")
    covered = len({t for t in A.topics if draft.locator(f'.draft-coverage-item[data-topic="{t}"]').count()})
    expect(draft.locator("#draft-coverage-summary")).to_contain_text(f"Your draft covers {covered} of these {n} topics")
    # It went into the outline's section for its topic.
    assert section(draft, HANDBOOK.topic_by_id[TOPIC].title).locator(f'.draft-item[data-clause="{A.id}"]').count() == 1
    # Own wording in a section covers its topic too.
    safeguarding = section(draft, HANDBOOK.topic_by_id["safeguarding"].title)
    safeguarding.get_by_role("button", name=re.compile("^Add your own wording")).click()
    draft.keyboard.type("Report every concern to our designated officer.")
    expect(draft.locator('.draft-coverage-item[data-topic="safeguarding"]')).to_contain_text("In your draft, in your own wording")


def test_a_clause_from_a_staff_policy_is_flagged_in_words_not_blocked(context, site_url):
    page = context.new_page()
    seed(page, site_url, v1(B, D))
    warning = page.locator(f'.draft-item[data-clause="{D.id}"] .draft-audience')
    council = HANDBOOK.council_by_id[D.council]
    said = audience_warning(council.audience, "members", audience_terms(D.text, "staff"))
    assert said == "From a staff policy: mentions disciplinary procedure and summary dismissal."
    expect(warning).to_have_text("! " + said + " Check that it suits councillors before you keep it.")
    assert page.locator(f'.draft-item[data-clause="{B.id}"] .draft-audience').count() == 0
    assert "1 clause comes from a policy written for staff" in page.locator(".draft-summary").inner_text()
    page.select_option("#draft-audience", "both")
    expect(warning).to_have_count(0)
    page.select_option("#draft-audience", "staff")  # now the councillors' clause is the odd one out
    members = page.locator(f'.draft-item[data-clause="{B.id}"] .draft-audience')
    expect(members).to_contain_text("From a members\u2019 policy")
    assert page.locator(".draft-item").count() == 2  # nothing refused


# --- keyboard only ----------------------------------------------------------------------------------


def test_keyboard_only(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/councils/oxford/")

    def tab_to(selector: str, limit: int = 400, back: bool = False) -> None:
        for _ in range(limit):
            page.keyboard.press("Shift+Tab" if back else "Tab")
            if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"could not reach {selector} with the keyboard")

    def key() -> str | None:
        return page.evaluate("document.activeElement.getAttribute('data-key')")

    tab_to("button.draft-toggle")
    first = page.evaluate("document.activeElement.getAttribute('data-clause')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # a visible focus indicator
    page.keyboard.press("Enter")
    tab_to("button.draft-toggle")
    second = page.evaluate("document.activeElement.getAttribute('data-clause')")
    page.keyboard.press("Space")
    assert page.locator(".md-header .draft-link__count").inner_text() == "2"
    expect(page.locator("#draft-status")).to_have_text(re.compile(r"^Added to your draft: Oxford"))

    tab_to(".draft-link", back=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/draft/")
    page.wait_for_selector(".draft-item")
    assert set(page.eval_on_selector_all(".draft-item", "els => els.map(e => e.getAttribute('data-clause'))")) == {first, second}

    # Rename the first section: Enter on Rename, type, Enter; focus comes back to Rename.
    tab_to("[data-key^='rename:']")
    section_key = key().split(":", 1)[1]
    page.keyboard.press("Enter")
    assert key() == f"rename-input:{section_key}"
    page.keyboard.press("Control+A")
    page.keyboard.type("Our rules")
    page.keyboard.press("Enter")
    assert key() == f"rename:{section_key}" and section_headings(page)[0] == "Our rules"

    # Own wording after the first clause, typed; then move the second clause up, past it.
    tab_to(f"[data-key='add-own-after:{first}']")
    page.keyboard.press("Enter")
    assert (key() or "").startswith("own:")
    page.keyboard.type("In our words.")
    tab_to(f"[data-key='up:{second}']")
    layout = "els => els.map(s => Array.from(s.querySelectorAll('.draft-list > li')).map(e => e.getAttribute('data-clause') || 'own'))"
    before = page.eval_on_selector_all(".draft-section", layout)
    page.keyboard.press("Enter")
    after = page.eval_on_selector_all(".draft-section", layout)
    assert after != before and key() == f"up:{second}"  # focus stays on the moved clause's button

    # Remove one; focus moves to a neighbour, not to the top of the page.
    page.focus(f'[data-key="remove:{first}"]')
    page.keyboard.press("Enter")
    assert page.locator(".draft-item").count() == 1
    assert (key() or "").startswith("remove:")

    # Clear, confirming the question; then bring the draft back.
    messages: list[str] = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    tab_to("[data-key='clear']")
    page.keyboard.press("Enter")
    assert messages and messages[0].startswith("Clear your draft?")
    assert page.locator(".draft-summary").inner_text().startswith("Your draft is empty.")
    assert page.locator(".md-header .draft-link__count").inner_text() == "0"
    tab_to("[data-key='undo']", back=True)
    page.keyboard.press("Enter")
    assert page.locator(".draft-item").count() == 1


def test_declining_to_clear_keeps_the_draft(context, site_url):
    page = context.new_page()
    seed(page, site_url, v1(A))
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Clear draft").click()
    assert page.locator(".draft-item").count() == 1


# --- nothing lost: a rebuilt handbook, the first version's drafts -----------------------------------


def test_a_clause_that_no_longer_exists_is_named_not_dropped(context, site_url, tmp_path):
    page = context.new_page()
    draft = v1(A, notes={TOPIC: "Our note."})
    draft["items"].append({"id": "oxford-gone-9", "topic": "scope", "name": "Oxford, section 9.9"})
    seed(page, site_url, draft)
    box = page.locator(".draft-missing")
    assert "1 clause in your draft is no longer in the handbook" in box.inner_text()
    assert "Oxford, section 9.9" in box.inner_text() and "oxford-gone-9" in box.inner_text()
    assert page.locator(".draft-item:not(.draft-item--missing)").count() == 1
    assert sorted(e["id"] for s in stored(page)["sections"] for e in s["entries"]) == sorted([A.id, "oxford-gone-9"])
    body = save(page, "Download selection (.yaml)", tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "      # No longer in the handbook, so left out: oxford-gone-9 (Oxford, section 9.9)" in body
    read_selection(tmp_path / "s.yaml", HANDBOOK)  # and the command line reads the file
    page.get_by_role("button", name=re.compile(r"^Remove ?: Oxford, section 9\.9$")).click()
    expect(box).to_be_hidden()
    # The first version's note on the topic is the section's note.
    assert [s["note"] for s in stored(page)["sections"] if TOPIC in s["topics"]] == ["Our note."]


# --- bad selection files and bad links: exact messages, and the draft stays -------------------------


def test_every_bad_selection_file_gives_its_messages_in_the_page(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/draft/")
    got = page.evaluate(
        "files => files.map(([name, bytes]) => HandbookDraftPage.readSelectionFile(new Uint8Array(bytes), name).problems)",
        [[p.name, list(p.read_bytes())] for p in BAD_FILES],
    )
    for path, problems in zip(BAD_FILES, got, strict=True):
        want = expected(path, "page")
        assert problems == ([] if want == ["ok"] else [f"{path.name}:{line}" for line in want]), path.name


def test_the_page_reads_good_files_as_the_command_line_does(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/draft/")
    good = [p for p in BAD_FILES if p.name.startswith("ok-")]
    got = page.evaluate(
        """files => files.map(([name, bytes]) => {
            const s = HandbookDraftPage.readSelectionFile(new Uint8Array(bytes), name).selection;
            return [s.title, s.audience, s.sections.map(x => [x.heading, x.topics, x.note, x.entries.map(e => [e.kind, e.kind === "text" ? e.text : e.id, e.note || ""])])];
        })""",
        [[p.name, list(p.read_bytes())] for p in good],
    )
    for path, (title, audience, sections) in zip(good, got, strict=True):
        selection = read_selection(path, HANDBOOK)
        assert (title, audience) == (selection.title, selection.audience), path.name
        assert sections == [[s.heading, list(s.topics), s.note, [[e.kind, e.value, e.note] for e in s.entries]] for s in selection.sections], path.name


YAML_CASES = [
    "title: x\nclauses:\n  - a\n  - b\n",
    "clauses:\n- a\n- b\nnotes:\n  x: y\n",
    "clauses:\n  - id: a\n    topic: b\n  - c\n",
    'title: "quoted \\u00e9 \\n two"\nclauses: [a, "b", c]\n',
    "notes:\n  scope: |\n    line one\n    line two\n  other: >\n    folded\n    text\n\n    para\n",
    "title: plain\n  continued\n  here\nclauses: []\n",
    "# comment\ntitle: x # trailing\nclauses:\n  # inside\n  - a  # c\n",
    "title: yes\naudience: null\nx: ~\ny:\n",
    "title: 'it''s'\n",
    "a:\n  b:\n    - c: d\n      e: f\n    - - g\n      - h\n",
    'title: "multi\n  line\n\n  quoted"\n',
    'notes: {a: b, c: "d"}\n',
    "a:\n  - x\n  -\n  - y\n",
    "a: |-\n  keep\n\n",
    "a: |+\n  keep\n\nb: 1\n",
    "'quoted key': v\n",
    "a: b #c\n#d\ne: f\n",
    "sections:\n  -\n    heading: h\n",
]


def test_the_pages_yaml_reader_reads_as_pyyaml_does(context, site_url):
    page = context.new_page()
    page.goto(site_url + "/draft/")
    got = page.evaluate(
        """cases => cases.map(text => {
            const convert = node => {
                if (node === null) return null;
                let v = node.v;
                if (v instanceof Map) { const pairs = []; v.forEach((x, k) => pairs.push([k, convert(x)])); v = {map: pairs}; }
                else if (Array.isArray(v)) v = v.map(convert);
                return [v, node.line];
            };
            const r = HandbookDraftRead.parseYaml(text);
            return [convert(r.value), r.problems.map(p => p.line + ": " + p.message)];
        })""",
        YAML_CASES,
    )

    def convert(node):
        if node is None:
            return None
        value = node.value
        if isinstance(value, dict):
            value = {"map": [[k, convert(v)] for k, v in value.items()]}
        elif isinstance(value, list):
            value = [convert(v) for v in value]
        elif not isinstance(value, (bool, str)) and value is not None:
            value = str(value)  # the page keeps numbers as the text they are (build.py reads them as text too)
        return [value, node.line]

    for case, result in zip(YAML_CASES, got, strict=True):
        node, problems = parse_yaml(case, "f")
        assert result == [convert(node), [f"{p.line}: {p.message}" for p in problems]], case


def test_a_bad_file_leaves_the_draft_as_it_was(context, site_url):
    page = context.new_page()
    seed(page, site_url, v1(A))
    before = stored(page)
    bad = ROOT / "tests" / "bad_drafts" / "28-several-problems.yaml"
    page.set_input_files("#draft-open-file", str(bad))
    expect(page.locator("#draft-incoming-heading")).to_have_text("28-several-problems.yaml cannot be opened")
    problems = page.locator(".draft-problems li").all_inner_texts()
    assert problems == [f"{bad.name}:{line}" for line in expected(bad, "page")]
    assert "Your draft is unchanged." in page.locator(".draft-incoming").inner_text()
    page.get_by_role("button", name="Close").click()
    assert stored(page) == before
    # A file whose only problem is clauses the handbook no longer has can be opened, naming them.
    page.set_input_files("#draft-open-file", str(ROOT / "tests" / "bad_drafts" / "01-unknown-clause-id.yaml"))
    expect(page.locator("#draft-incoming-heading")).to_have_text("Open 01-unknown-clause-id.yaml? Some of its clauses are not in the handbook")
    page.get_by_role("button", name="Open it instead of my draft").click()
    expect(page.locator(".draft-missing")).to_contain_text("oxford-introduction-9")


def test_bad_links_say_what_is_wrong_and_leave_the_draft(context, site_url):
    page = context.new_page()
    seed(page, site_url, v1(A))
    before = stored(page)
    messages = page.evaluate("HandbookDraftRead.linkMessages")
    good = page.evaluate("HandbookDraftPage.encodeLink(HandbookDraft.load())")
    fmt, size, payload = good[len("draft=") :].split(".")
    forged = page.evaluate(
        """async () => {
            const pack = async text => {
                const bytes = new TextEncoder().encode(text);
                const packed = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer());
                let b = ""; packed.forEach(x => b += String.fromCharCode(x));
                return packed.length + "." + btoa(b).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
            };
            return { notJson: await pack("not a draft"), notADraft: await pack('{"v":1,"s":"x"}') };
        }"""
    )
    cases = [
        ("draft=", messages["empty"]),
        (f"draft=7.{size}.{payload}", messages["newer"]),
        (f"draft=1.{size}.{payload[: len(payload) // 2]}", messages["incomplete"]),
        (f"draft=1.{size}", messages["incomplete"]),
        (f"draft=1.{size}.{payload}%ZZ", messages["characters"]),
        (f"draft=1.{size}.{payload}$", messages["characters"]),
        (f"draft=1.{forged['notJson']}", messages["contents"]),
        (f"draft=1.{forged['notADraft']}", messages["contents"]),
    ]
    assert fmt == "1"
    for fragment, message in cases:
        page.goto(site_url + "/draft/#" + fragment)
        expect(page.locator("#draft-incoming-heading")).to_have_text("This link cannot be opened")
        assert page.locator(".draft-problem").inner_text() == message, fragment
        assert "Your draft is unchanged." in page.locator(".draft-incoming").inner_text()
        page.get_by_role("button", name="Close").click()
        assert stored(page) == before and "#draft=" not in page.url
    assert messages == {
        "empty": "This link holds no draft: it ends after \u2018#draft=\u2019. Ask for the link again, or for the selection file instead.",
        "newer": "This link was made by a newer version of the handbook, which this copy cannot read. Open it in the online handbook, or ask for the selection file instead.",
        "characters": "This link to a draft is damaged: it holds characters a draft link never has. It may have been changed when it was copied; ask for the link again.",
        "incomplete": "This link to a draft is incomplete: it may have been cut off when it was copied. Ask for the link again, or for the selection file instead.",
        "contents": "This link to a draft is damaged: what it holds is not a draft. Ask for the link again, or for the selection file instead.",
        "browser": "This browser cannot open compressed draft links. Open the link in a current version of Edge, Chrome, Firefox or Safari, or ask for the selection file instead.",
    }


def forty_clause_draft() -> dict:
    """A realistic large draft: 40 clauses in 12 sections, a note of about 80 characters on every clause,
    a note on every section and a passage of the drafter's own wording in each. The notes and wording are
    English that does not repeat (sentences of other clauses), so they compress as an officer's would."""
    clauses = [c for c in HANDBOOK.clauses if c.council != "brackley"][::5][:40]
    words = " ".join(c.text for c in HANDBOOK.clauses if c not in clauses).split()
    assert len(clauses) == 40

    def prose(n: int, start: int) -> str:
        return " ".join(words[start : start + n])

    sections = []
    for i in range(12):
        part = clauses[i * 40 // 12 : (i + 1) * 40 // 12]
        entries = [{"kind": "clause", "id": c.id, "name": "", "note": prose(13, 400 * i + 20 * j)} for j, c in enumerate(part)]
        entries.insert(1, {"kind": "text", "key": f"k{100 + i}", "text": prose(30, 400 * i + 200)})
        note = prose(15, 400 * i + 300)
        sections.append({"key": f"k{i + 1}", "heading": f"Section {i + 1}", "topics": [], "note": note, "keep": True, "entries": entries})
    return {"version": 2, "title": "Our social media protocol for councillors", "audience": "members", "next": 200, "sections": sections}


def test_a_forty_clause_draft_travels_by_link(browser, site_url, tmp_path):
    context = new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    seed(page, site_url, forty_clause_draft())
    page.get_by_role("button", name="Copy a link to this draft").click()
    expect(page.locator("#draft-message")).to_contain_text("Copied a link")
    link = page.input_value("#draft-link-output")
    sent = save(page, "Download selection (.yaml)", tmp_path / "sent.yaml").read_text(encoding="utf-8")
    context.close()
    draft = forty_clause_draft()
    typed = sum(len(e.get("note", "") or e.get("text", "")) for sec in draft["sections"] for e in sec["entries"]) + sum(
        len(sec["note"]) for sec in draft["sections"]
    )
    print(f"\nA link to a 40-clause draft with notes ({typed} characters of notes and own wording): {len(link)} characters")
    assert len(link) < 8000  # under the length at which the page warns that some email programs cut links off
    other = new_context(browser)
    page = other.new_page()
    page.goto(link)
    page.get_by_role("button", name="Open it", exact=True).click()
    assert save(page, "Download selection (.yaml)", tmp_path / "got.yaml").read_text(encoding="utf-8") == sent
    other.close()


# --- offline: a downloaded copy opened from file:// ---------------------------------------------------


def test_the_draft_page_works_from_a_copy_opened_from_a_file(browser, built_site, tmp_path):
    context = new_context(browser)
    page = context.new_page()
    errors = watch(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((built_site / "topics" / TOPIC / "index.html").as_uri())
    toggle(page, A).click()
    page.locator(".md-header .draft-link").click()
    page.wait_for_url("**/draft/index.html")
    page.wait_for_selector(".draft-item")
    assert page.locator(f'.draft-item[data-clause="{A.id}"]').count() == 1
    word = save(page, "Download Word document (.docx)", tmp_path / "offline.docx")
    assert [p for kind, p in structure(word)["body"] if kind == "p" and p["style"] == "Citation"][0]["links"][0][1] == f"{SITE_URL}councils/{A.council}/#{A.id}"
    page.get_by_role("button", name="Copy a link to this draft").click()
    expect(page.locator("#draft-link-about")).to_contain_text("opened from a file, so the link opens the draft in the online handbook")
    assert page.input_value("#draft-link-output").startswith(SITE_URL + "draft/#draft=1.")
    assert not errors and all(url.startswith(("file://", "blob:", "data:")) for url in requests), requests
    context.close()


def test_without_javascript_the_pages_say_so_and_show_no_buttons(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + f"/topics/{TOPIC}/")
    assert page.locator("button.draft-toggle").count() == 0
    page.goto(site_url + "/draft/")
    assert "This page needs JavaScript to show your draft." in page.locator(".draft-nojs").inner_text()
    context.close()


# --- accessibility -----------------------------------------------------------------------------------

RICH_DRAFT = {
    "version": 2,
    "title": "Our protocol",
    "audience": "members",
    "next": 20,
    "sections": [
        {
            "key": "k1",
            "heading": "",
            "topics": [TOPIC],
            "note": "A note.",
            "entries": [
                {"kind": "clause", "id": A.id, "name": "A", "note": "On this clause."},
                {"kind": "text", "key": "k5", "text": "Our own wording."},
                {"kind": "clause", "id": "gone-1", "name": "Gone, section 1", "note": ""},
            ],
        },
        {
            "key": "k2",
            "heading": "Our own section",
            "topics": [],
            "note": "",
            "keep": True,
            "entries": [{"kind": "clause", "id": D.id, "name": "D", "note": ""}],
        },
        {"key": "k3", "heading": "", "topics": ["meetings"], "note": "", "keep": True, "entries": []},
    ],
}


# (tests/test_site_quality.py runs axe on every page, /draft/ empty; here it is full, with a link offered.)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_wcag_violations_on_the_draft_page(browser, site_url, scheme, width):
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing; run `npm ci` (make test does it)")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    seed(page, site_url, RICH_DRAFT)
    link = page.evaluate("HandbookDraftPage.encodeLink(HandbookDraft.load())")
    page.goto(site_url + "/draft/#" + link)
    page.wait_for_selector(".draft-incoming:not([hidden])")
    page.locator("[data-key='rename:k2']").click()
    assert page.locator(".draft-missing").is_visible() and page.locator(".draft-audience").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    failures = [f"{v['id']}: {v['help']} at {[', '.join(n['target']) for n in v['nodes'][:3]]}" for v in result["violations"]]
    context.close()
    assert not failures, "\n".join(failures)


def test_the_first_versions_draft_opens_in_the_taxonomys_order(context, site_url):
    page = context.new_page()
    seed(page, site_url, v1(D, B, A, notes={"scope": "A note on scope."}))
    order = [t.id for t in HANDBOOK.topics]
    topics = sorted({D.topics[0], B.topics[0], A.topics[0], "scope"}, key=order.index)
    assert section_headings(page) == [HANDBOOK.topic_by_id[t].title for t in topics]
    assert json.dumps(stored(page)).count('"placed": false') == 0
