"""The drafting workbench on the command line: `build.py draft SELECTION.yaml -o draft.docx`,
read back with python-docx; clear errors for bad selections; the /draft/ page's wiring."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

from policyhandbook.draft import DOCUMENT_TEXT, INTRO, read_selection
from policyhandbook.load import load
from policyhandbook.pipeline import Paths, navigation, render_handbook

from .conftest import ROOT

SELECTION = """\
title: Our councillors' social media protocol
clauses:
  - alpha-2-1
  - beta-purpose-1
  - id: alpha-1-2
    topic: meetings
  - alpha-1-1
notes:
  meetings: Say what "during meetings" means.
  scope: |
    Cover co-opted members too.
    And independent persons.
"""


def paragraphs(path: Path) -> list[tuple[str, str, bool]]:
    """(style, text, first run bold) for every paragraph of a .docx."""
    return [(p.style.name, p.text, bool(p.runs and p.runs[0].bold)) for p in docx.Document(str(path)).paragraphs]


def test_draft_builds_a_word_document_with_quotations_citations_notes_and_sources(project, cli):
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    result = cli(project, "draft", "selection.yaml", "-o", "draft.docx")
    assert result.code == 0, result.err
    assert result.out == "draft: wrote draft.docx: 4 clauses on 4 topics from 2 councils\n"
    assert paragraphs(project / "draft.docx") == [
        ("Title", "Our councillors' social media protocol", False),
        ("Normal", INTRO, False),
        # Topics in taxonomy order, whatever the selection's order.
        ("Heading 1", "Scope and definitions", False),
        ("Quote", "This policy applies to all councillors.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 1.1", False),
        ("Normal", "Note: Cover co-opted members too.", True),
        ("Normal", "And independent persons.", False),
        ("Heading 1", "Safeguarding", False),
        ("Quote", "Staff must report safeguarding concerns about children to the MASH team.", False),
        ("Citation", "\u2014 Beta Borough Council, Guidance for staff, \u2018Purpose\u2019, para 1", False),
        ("Heading 1", "Meetings", False),
        # Each line of the clause is a paragraph, word for word.
        ("Quote", "Councillors should:", False),
        ("Quote", "- use a disclaimer on personal accounts;", False),
        ("Quote", "- avoid posting during meetings.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 1.2", False),
        ("Normal", 'Note: Say what "during meetings" means.', True),
        ("Heading 1", "Breaches and sanctions", False),
        ("Quote", "Breaches may be referred to the Monitoring Officer.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 2.1", False),
        ("Heading 1", "Sources", False),
        ("List Bullet", "Alpha Town Council, Social media policy (adopted; 2024-05).", False),
        ("List Bullet", "Beta Borough Council, Guidance for staff (draft; undated).", False),
    ]
    document = docx.Document(str(project / "draft.docx"))
    assert document.core_properties.title == "Our councillors' social media protocol"
    assert round(document.sections[0].page_width.mm) == 210  # A4


def test_every_clause_is_quoted_verbatim_with_the_models_citation(project, cli):
    handbook = load(project / "source_policies")
    ids = [clause.id for clause in handbook.clauses]
    (project / "all.yaml").write_text("clauses:\n" + "".join(f"  - {cid}\n" for cid in ids), encoding="utf-8")
    assert cli(project, "draft", "all.yaml", "-o", "all.docx").code == 0
    rows = paragraphs(project / "all.docx")
    quotes, expected = [], []
    current: list[str] = []
    for style, text, _ in rows:
        if style == "Quote":
            current.append(text)
        elif style == "Citation":
            quotes.append(("\n".join(current), text))
            current = []
    for topic in handbook.topics:
        for clause in handbook.clauses:
            if clause.topics[0] == topic.id:
                council = handbook.council_by_id[clause.council]
                expected.append((clause.text.strip(), "\u2014 " + council.citation(clause)))
    assert quotes == expected


def test_markdown_has_the_same_structure(project, cli):
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    assert cli(project, "draft", "selection.yaml", "-o", "draft.md").code == 0
    text = (project / "draft.md").read_text(encoding="utf-8")
    assert text.startswith("# Our councillors' social media protocol\n\n" + INTRO + "\n\n## Scope and definitions\n\n")
    assert "> Councillors should:\n>\n> - use a disclaimer on personal accounts;\n> - avoid posting during meetings.\n\n" in text
    assert "\u2014 Alpha Town Council, Social media policy, section 1.2\n\n**Note:** Say what" in text
    assert text.endswith(
        "## Sources\n\n- Alpha Town Council, Social media policy (adopted; 2024-05).\n- Beta Borough Council, Guidance for staff (draft; undated).\n"
    )
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Our councillors' social media protocol",
        "## Scope and definitions",
        "## Safeguarding",
        "## Meetings",
        "## Breaches and sanctions",
        "## Sources",
    ]


def test_unknown_clause_ids_are_each_named_with_the_nearest_valid_id(project, cli):
    (project / "selection.yaml").write_text("clauses:\n  - alpha-1-1\n  - alpha-2-11\n  - beta-purpose-7\n", encoding="utf-8")
    result = cli(project, "draft", "selection.yaml", "-o", "draft.docx")
    assert result.code == 1
    assert result.out == ""
    assert result.lines == [
        "selection.yaml:3: unknown clause id 'alpha-2-11'. Did you mean 'alpha-2-1'?",
        "selection.yaml:4: unknown clause id 'beta-purpose-7'. Did you mean 'beta-purpose-1'?",
        "build.py: 2 errors in 1 file; nothing was written.",
    ]
    assert "Traceback" not in result.err
    assert not (project / "draft.docx").exists()


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "clauses:\n  - alpha-1-1\n  - alpha-1-1\n",
            ["selection.yaml:3: clause 'alpha-1-1' is listed twice (first on line 2); keep only one"],
        ),
        (
            "clauses:\n  - id: alpha-1-1\n    topic: sanctions\n",
            ["selection.yaml:2: clause 'alpha-1-1' is not tagged with topic 'sanctions'; file it under one of its topics: 'scope'"],
        ),
        (
            "clauses: [alpha-1-1]\nnotes:\n  sanctons: more\n",
            ["selection.yaml:3: unknown topic 'sanctons' in notes. Did you mean 'sanctions'?"],
        ),
        (
            "titel: Draft\nclauses: [alpha-1-1]\n",
            ["selection.yaml:1: unknown field 'titel'. Did you mean 'title'? Allowed fields: title, clauses, notes."],
        ),
        ("clauses: alpha-1-1\n", ["selection.yaml:1: field 'clauses' must be a list of clause ids, one per line starting with '- '"]),
        ("title: Draft\n", ["selection.yaml:1: missing field 'clauses'; list the clause ids under 'clauses:'"]),
        ("clauses: []\n", ["selection.yaml:1: the selection lists no clauses; add clause ids under 'clauses:'"]),
        (
            'title: "Draft\\vprotocol"\nclauses: [alpha-1-1]\n',
            [
                "selection.yaml:1: a value on this line holds a vertical tab (U+000B), from an escape in quotes; it cannot be shown, printed or saved in Word, so remove the escape"
            ],
        ),
        (
            'clauses: [alpha-1-1]\nnotes:\n  scope: "Keep\\x07 this"\n',
            [
                "selection.yaml:3: a value on this line holds a control character (U+0007), from an escape in quotes; it cannot be shown, printed or saved in Word, so remove the escape"
            ],
        ),
    ],
    ids=[
        "duplicate",
        "wrong topic",
        "unknown note topic",
        "unknown field",
        "not a list",
        "no clauses field",
        "empty",
        "control character in the title",
        "control character in a note",
    ],
)
def test_bad_selections_are_reported_as_file_line_message(project, cli, text, messages):
    (project / "selection.yaml").write_text(text, encoding="utf-8")
    result = cli(project, "draft", "selection.yaml", "-o", "draft.docx")
    assert result.code == 1
    assert result.lines == [*messages, "build.py: 1 error in 1 file; nothing was written."]
    assert not (project / "draft.docx").exists()


def test_unreadable_yaml_is_reported_with_its_line(project, cli):
    (project / "selection.yaml").write_text("clauses:\n  - [alpha-1-1\n", encoding="utf-8")
    result = cli(project, "draft", "selection.yaml", "-o", "draft.docx")
    assert result.code == 1
    assert result.lines[0].startswith("selection.yaml:3: cannot parse the file: ")
    assert "Traceback" not in result.err and not (project / "draft.docx").exists()


def test_missing_selection_file_and_bad_output_name(project, cli):
    result = cli(project, "draft", "nowhere.yaml", "-o", "draft.docx")
    assert result.code == 1
    assert result.lines[0] == "nowhere.yaml:1: cannot read the file (No such file or directory); check that it exists and is readable"
    (project / "selection.yaml").write_text("clauses: [alpha-1-1]\n", encoding="utf-8")
    result = cli(project, "draft", "selection.yaml", "-o", "draft.pdf")
    assert result.code == 1
    assert result.lines == ["build.py: cannot write 'draft.pdf': the output must end in .docx (Word) or .md (Markdown)"]


def test_a_bare_list_of_ids_and_the_default_output_name(project, cli):
    (project / "mine.yaml").write_text("- alpha-1-1\n- beta-purpose-2\n", encoding="utf-8")
    result = cli(project, "draft", "mine.yaml")
    assert result.code == 0, result.err
    assert result.out.startswith("draft: wrote mine.docx: 2 clauses on 2 topics from 2 councils")
    styles = [style for style, _, _ in paragraphs(project / "mine.docx")]
    assert styles.count("Quote") == 2 and styles.count("Citation") == 2
    assert paragraphs(project / "mine.docx")[0] == ("Title", DOCUMENT_TEXT["title"], False)


def test_the_same_selection_gives_the_same_bytes(project, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    assert cli(project, "draft", "selection.yaml", "-o", "one.docx").code == 0
    assert cli(project, "draft", "selection.yaml", "-o", "two.docx").code == 0
    assert (project / "one.docx").read_bytes() == (project / "two.docx").read_bytes()


def test_read_selection_keeps_the_drafters_order_and_topics(project):
    handbook = load(project / "source_policies")
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    selection = read_selection(project / "selection.yaml", handbook)
    assert selection.items == (("alpha-2-1", "sanctions"), ("beta-purpose-1", "safeguarding"), ("alpha-1-2", "meetings"), ("alpha-1-1", "scope"))
    assert selection.notes == {"meetings": 'Say what "during meetings" means.', "scope": "Cover co-opted members too.\nAnd independent persons."}


def test_draft_help():
    result = subprocess.run([sys.executable, "build.py", "draft", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "usage: build.py draft" in result.stdout and "SELECTION.yaml" in result.stdout


# --- the site's side ---------------------------------------------------------------------------

HANDBOOK, FILES = render_handbook(Paths.at(ROOT))


def test_the_draft_page_is_rendered_and_in_the_navigation():
    page = FILES["draft.md"]
    assert 'id="draft-app"' in page
    assert 'data-clauses="../data/clauses.json"' in page and 'data-docx="../assets/vendor/docx.iife.js"' in page
    # The browser's export uses the same fixed wording as the command line.
    for name, attribute in (("title", "data-default-title"), ("note", "data-note-label"), ("sources", "data-sources-heading")):
        assert f'{attribute}="{DOCUMENT_TEXT[name]}"' in page
    assert {"Your draft": "draft.md"} in navigation(HANDBOOK)
    assert "assets/draft.js" in FILES and "assets/vendor/docx.iife.js" in FILES


@pytest.mark.parametrize("page", ["topics/disclaimer.md", "councils/oxford.md"])
def test_every_quoted_clause_carries_what_the_add_to_draft_button_needs(page):
    text = FILES[page]
    topic = page.split("/")[1][: -len(".md")] if page.startswith("topics/") else None
    clauses = [c for c in HANDBOOK.clauses if (topic in c.topics if topic else c.council == "oxford")]
    assert clauses
    for clause in clauses:
        filed = topic or clause.topics[0]
        assert f'<article class="clause" id="{clause.id}" data-clause="{clause.id}" data-topic="{filed}" data-name="' in text


def test_the_vendored_docx_library_is_the_npm_package_unchanged():
    installed = ROOT / "node_modules" / "docx" / "dist" / "index.iife.js"
    if not installed.exists():
        pytest.fail("node_modules/docx is missing; run `npm ci` (make test does it)")
    vendored = ROOT / "templates" / "assets" / "vendor" / "docx.iife.js"
    assert vendored.read_bytes() == installed.read_bytes(), "run: cp node_modules/docx/dist/index.iife.js templates/assets/vendor/docx.iife.js"
    notes = (ROOT / "templates" / "assets" / "vendor" / "README.txt").read_text(encoding="utf-8")
    import json

    version = json.loads((ROOT / "node_modules" / "docx" / "package.json").read_text())["version"]
    assert f"docx {version}" in notes
    assert f"docx {version}" in (ROOT / "README.md").read_text(encoding="utf-8")
