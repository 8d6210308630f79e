"""The drafting workbench on the command line: `build.py draft SELECTION.yaml -o draft.docx` with
today's selection files and the richer ones, read back with python-docx; the Word document's styles,
lists, links, header, footer and sources table; the Markdown export; bad selection files
(tests/bad_drafts, with exact messages); what a protocol covers; audience warnings; the handbook's
address; the /draft/ page's generated data; and the document rendered by LibreOffice."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import markdown
import pytest

from policyhandbook import config
from policyhandbook.draft import DOCUMENT_TEXT, INTRO, audience_terms, audience_warning, build_draft, coverage, outline, read_selection, to_docx
from policyhandbook.draft_export import WORD
from policyhandbook.load import load
from policyhandbook.model import KEY_TOPICS
from policyhandbook.pipeline import Paths, navigation, render_handbook
from policyhandbook.problems import SourceError

from .conftest import ROOT

SITE_URL = "https://handbook.example.org/"  # mkdocs.yml's site_url, which the test projects copy
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

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

RICH = """\
title: Our protocol
audience: members
sections:
  - heading: Before you post
    topics: [disclaimer, meetings]
    note: A note on the whole section.
    content:
      - text: "Our own opening words.\\n- our first point\\n- our second point"
      - clause: alpha-1-2
        note: Keep the list.
      - alpha-1-1
  - topics: [safeguarding]
    content:
      - beta-purpose-1
  - heading: Our own section
"""


# --- reading a Word document back -----------------------------------------------------------------


def rows(path: Path) -> list[tuple[str, str, bool]]:
    """(style, text, first run bold) for every body paragraph of a .docx (tables left out)."""
    return [(p.style.name, p.text, bool(p.runs and p.runs[0].bold)) for p in docx.Document(str(path)).paragraphs]


def _text_and_fields(element) -> str:
    """A paragraph's text, with each field as {INSTRUCTION} and its shown result left out."""
    out, in_result = [], False
    for node in element.iter():
        if node.tag == W + "fldChar":
            in_result = {"separate": True, "end": False}.get(node.get(W + "fldCharType"), in_result)
        elif node.tag == W + "instrText":
            out.append("{" + (node.text or "").strip() + "}")
        elif node.tag == W + "t" and not in_result:
            out.append(node.text or "")
    return "".join(out)


def _paragraph(p) -> dict:
    runs, links = [], []
    for item in p.iter_inner_content():
        if isinstance(item, docx.text.hyperlink.Hyperlink):
            links.append((item.text, item.url))
            runs += [(r.text, bool(r.bold), bool(r.italic), r.style.style_id, "link") for r in item.runs]
        elif item.text:
            runs.append((item.text, bool(item.bold), bool(item.italic), None, ""))
    numbered = p._p.pPr is not None and p._p.pPr.numPr is not None
    return {"style": p.style.name, "text": _text_and_fields(p._p), "runs": runs, "links": links, "numbered": numbered}


def _attrs(node) -> dict | None:
    return None if node is None else {key.split("}")[1]: value for key, value in node.attrib.items()}


def _style(document, style_id: str) -> dict:
    style = next(s for s in document.styles if s.style_id == style_id)
    element, font = style.element, style.font
    numbering = None
    num_id = element.find(f"{W}pPr/{W}numPr/{W}numId")
    if num_id is not None:
        part = document.part.numbering_part.element
        abstract_id = part.num_having_numId(int(num_id.get(W + "val"))).abstractNumId.val
        level = next(a for a in part.findall(W + "abstractNum") if a.get(W + "abstractNumId") == str(abstract_id)).find(W + "lvl")
        numbering = (level.find(W + "numFmt").get(W + "val"), level.find(W + "lvlText").get(W + "val"), _attrs(level.find(f"{W}pPr/{W}ind")))
    return {
        "name": style.name,
        "based": style.base_style.style_id if style.base_style is not None else None,
        "font": font.name,
        "size": font.size,
        "bold": font.bold,
        "italic": font.italic,
        "underline": font.underline,
        "color": str(font.color.rgb) if font.color is not None and font.color.rgb is not None else None,
        **{name: _attrs(element.find(f"{W}pPr/{W}{name}")) for name in ("ind", "spacing", "jc", "outlineLvl", "keepNext", "keepLines")},
        "border": _attrs(element.find(f"{W}pPr/{W}pBdr/{W}left")),
        "lang": _attrs(element.find(f"{W}rPr/{W}lang")),
        "numbering": numbering,
    }


def structure(path: Path) -> dict:
    """A Word document's structure: page, header, footer, every paragraph (style, text, runs, links,
    list numbering) and table (rows, cells, header rows, columns, borders), and the styles they use."""
    document = docx.Document(str(path))
    body, used = [], set()
    for block in document.element.body.iterchildren():
        if block.tag == W + "p":
            paragraph = docx.text.paragraph.Paragraph(block, document._body)
            body.append(("p", _paragraph(paragraph)))
            used.add(paragraph.style.style_id)
        elif block.tag == W + "tbl":
            table = docx.table.Table(block, document._body)
            table_rows = []
            for row in table.rows:
                header = row._tr.trPr is not None and row._tr.trPr.find(W + "tblHeader") is not None
                table_rows.append((header, [[_paragraph(p) for p in cell.paragraphs] for cell in row.cells]))
                used |= {p.style.style_id for cell in row.cells for p in cell.paragraphs}
            grid = [int(col.get(W + "w")) for col in block.find(W + "tblGrid").findall(W + "gridCol")]
            borders = {edge.tag.split("}")[1]: _attrs(edge) for edge in block.find(f"{W}tblPr/{W}tblBorders")}
            body.append(("table", {"rows": table_rows, "grid": grid, "borders": borders}))
    section = document.sections[0]
    names = ("page_width", "page_height", "left_margin", "right_margin", "top_margin", "bottom_margin", "header_distance", "footer_distance")
    page = {name: getattr(section, name).twips for name in names}
    header = [_paragraph(p) for p in section.header.paragraphs]
    footer = [_paragraph(p) for p in section.footer.paragraphs]
    used |= {p.style.style_id for p in section.header.paragraphs + section.footer.paragraphs} | {"Hyperlink"}
    chain: set[str] = set()
    for style_id in used:
        while style_id:
            chain.add(style_id)
            base = next(s for s in document.styles if s.style_id == style_id).base_style
            style_id = base.style_id if base is not None else None
    styles = {style_id: _style(document, style_id) for style_id in sorted(chain)}
    return {"page": page, "header": header, "footer": footer, "styles": styles, "body": body, "title": document.core_properties.title}


def quotations(path: Path) -> list[tuple[str, str]]:
    """(the quoted text, with list items as '- ' lines, its citation) for every quotation."""
    out, current = [], []
    for kind, p in structure(path)["body"]:
        if kind == "table":
            continue
        if p["style"] == "Quote":
            current.append(p["text"])
        elif p["style"] == "Quote List":
            current.append("- " + p["text"])
        elif p["style"] == "Citation":
            out.append(("\n".join(current), p["text"]))
            current = []
        else:
            assert not current, f"a quotation without its citation, before {p}"
    return out


# --- today's selection files ------------------------------------------------------------------------


def test_todays_selection_builds_a_word_document_with_quotations_citations_notes_and_sources(project, cli):
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    result = cli(project, "draft", "selection.yaml", "-o", "draft.docx")
    assert result.code == 0, result.err
    assert result.out == "draft: wrote draft.docx: 4 clauses in 4 sections from 2 councils\n"
    assert rows(project / "draft.docx") == [
        ("Title", "Our councillors' social media protocol", False),
        ("Normal", INTRO, False),
        # Sections in taxonomy order, whatever the selection's order.
        ("Heading 1", "Scope and definitions", False),
        ("Quote", "This policy applies to all councillors.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 1.1", False),
        ("Normal", "Note: Cover co-opted members too.", True),
        ("Normal", "And independent persons.", False),
        ("Heading 1", "Safeguarding", False),
        ("Quote", "Staff must report safeguarding concerns about children to the MASH team.", False),
        ("Citation", "\u2014 Beta Borough Council, Guidance for staff, \u2018Purpose\u2019, para 1", False),
        ("Heading 1", "Meetings", False),
        # Each line of the clause is a paragraph, word for word; its list is a Word list.
        ("Quote", "Councillors should:", False),
        ("Quote List", "use a disclaimer on personal accounts;", False),
        ("Quote List", "avoid posting during meetings.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 1.2", False),
        ("Normal", 'Note: Say what "during meetings" means.', True),
        ("Heading 1", "Breaches and sanctions", False),
        ("Quote", "Breaches may be referred to the Monitoring Officer.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 2.1", False),
        ("Heading 1", "Sources", False),
    ]
    document = structure(project / "draft.docx")
    assert document["title"] == "Our councillors' social media protocol"
    assert document["page"]["page_width"] == 11906 and document["page"]["page_height"] == 16838  # A4
    # The citation links to the clause in the online handbook (mkdocs.yml's site_url).
    citations = [p for kind, p in document["body"] if kind == "p" and p["style"] == "Citation"]
    assert citations[0]["links"] == [("Alpha Town Council, Social media policy, section 1.1", SITE_URL + "councils/alpha/#alpha-1-1")]
    assert citations[0]["runs"][1][3] == "Hyperlink"
    # A header with the title, and page numbers in the footer.
    assert [(p["style"], p["text"]) for p in document["header"]] == [("Header", "Our councillors' social media protocol")]
    assert [(p["style"], p["text"]) for p in document["footer"]] == [("Footer", "Page {PAGE} of {NUMPAGES}")]
    # The sources: a table with a header row that repeats on every page.
    kind, table = document["body"][-1]
    assert kind == "table"
    cells = [(header, [" ".join(p["text"] for p in cell) for cell in row]) for header, row in table["rows"]]
    assert cells == [
        (True, ["Council", "Document", "Status and date", "In the handbook"]),
        (False, ["Alpha Town Council", "Social media policy", "adopted; 2024-05", "handbook.example.org/councils/alpha/"]),
        (False, ["Beta Borough Council", "Guidance for staff", "draft; undated", "handbook.example.org/councils/beta/"]),
    ]
    assert table["rows"][1][1][3][0]["links"] == [("handbook.example.org/councils/alpha/", SITE_URL + "councils/alpha/")]


def test_the_word_styles_an_officer_can_finish_with():
    document = structure_of(
        to_docx(
            [("title", "T"), ("intro", "I"), ("heading", "H"), ("quote", "Lead:\n- one\n- two"), ("citation", "C", "https://x.example/"), ("own", "- ours")]
        )
    )
    styles = document["styles"]
    # Quotations are upright, indented and ruled on the left, not all italic.
    assert styles["Quote"]["italic"] is False and styles["Quote"]["border"]["val"] == "single"
    assert styles["Quote"]["ind"] == {"left": "567", "right": "567"}
    # A clause's list is a real Word list (a bullet), in a style based on the quotation's.
    assert styles["QuoteList"]["based"] == "Quote" and styles["QuoteList"]["numbering"][:2] == ("bullet", "\u2022")
    assert styles["ListBullet"]["numbering"][:2] == ("bullet", "\u2022")
    assert styles["Normal"]["font"] == "Arial" and styles["Normal"]["lang"] == {"val": "en-GB"}
    assert styles["Hyperlink"]["underline"] is True
    assert [(p["style"], p["numbered"]) for kind, p in document["body"] if p["style"].startswith("Quote")] == [
        ("Quote", False),
        ("Quote List", False),  # numbered through its style
        ("Quote List", False),
    ]


def structure_of(data: bytes, tmp: Path | None = None) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.docx"
        path.write_bytes(data)
        return structure(path)


def test_every_clause_is_quoted_verbatim_with_the_models_citation(project, cli):
    handbook = load(project / "source_policies")
    ids = [clause.id for clause in handbook.clauses]
    (project / "all.yaml").write_text("clauses:\n" + "".join(f"  - {cid}\n" for cid in ids), encoding="utf-8")
    assert cli(project, "draft", "all.yaml", "-o", "all.docx").code == 0
    expected = []
    for topic in handbook.topics:
        for clause in handbook.clauses:
            if clause.topics[0] == topic.id:
                council = handbook.council_by_id[clause.council]
                expected.append((clause.text.strip(), "\u2014 " + council.citation(clause)))
    assert quotations(project / "all.docx") == expected


def test_markdown_has_the_same_structure(project, cli):
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    assert cli(project, "draft", "selection.yaml", "-o", "draft.md").code == 0
    text = (project / "draft.md").read_text(encoding="utf-8")
    assert text.startswith("# Our councillors' social media protocol\n\n")
    assert "> Councillors should:\n>\n> - use a disclaimer on personal accounts;\n> - avoid posting during meetings.\n\n" in text
    assert (
        f'\u2014 [Alpha Town Council, Social media policy, section 1.2]({SITE_URL}councils/alpha/#alpha-1-2)\n\n**Note:** Say what "during meetings" means.'
        in text
    )
    assert text.endswith(
        "## Sources\n\n| Council | Document | Status and date | In the handbook |\n| --- | --- | --- | --- |\n"
        f"| Alpha Town Council | Social media policy | adopted; 2024-05 | [handbook.example.org/councils/alpha/]({SITE_URL}councils/alpha/) |\n"
        f"| Beta Borough Council | Guidance for staff | draft; undated | [handbook.example.org/councils/beta/]({SITE_URL}councils/beta/) |\n"
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


# --- the richer format: the drafter's own sections, wording and notes -----------------------------


def test_the_drafters_sections_wording_and_notes(project, cli):
    (project / "rich.yaml").write_text(RICH, encoding="utf-8")
    result = cli(project, "draft", "rich.yaml", "-o", "rich.docx")
    assert result.code == 0, result.err
    assert result.out == "draft: wrote rich.docx: 3 clauses in 3 sections from 2 councils\n"
    # Beta's guidance is for staff: named, not refused.
    assert result.lines == [
        "warning: rich.yaml:14: clause 'beta-purpose-1': From a staff policy: mentions staff; check that it suits councillors (or set 'audience: both')"
    ]
    assert rows(project / "rich.docx")[2:] == [
        ("Heading 1", "Before you post", False),
        # The drafter's own wording: body text (its list a Word list), never a quotation.
        ("Normal", "Our own opening words.", False),
        ("List Bullet", "our first point", False),
        ("List Bullet", "our second point", False),
        ("Quote", "Councillors should:", False),
        ("Quote List", "use a disclaimer on personal accounts;", False),
        ("Quote List", "avoid posting during meetings.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 1.2", False),
        ("Normal", "Note: Keep the list.", True),
        ("Quote", "This policy applies to all councillors.", False),
        ("Citation", "\u2014 Alpha Town Council, Social media policy, section 1.1", False),
        ("Normal", "Note: A note on the whole section.", True),
        ("Heading 1", "Safeguarding", False),
        ("Quote", "Staff must report safeguarding concerns about children to the MASH team.", False),
        ("Citation", "\u2014 Beta Borough Council, Guidance for staff, \u2018Purpose\u2019, para 1", False),
        ("Heading 1", "Our own section", False),
        ("Heading 1", "Sources", False),
    ]
    assert cli(project, "draft", "rich.yaml", "-o", "rich.md").code == 0
    text = (project / "rich.md").read_text(encoding="utf-8")
    assert "## Before you post\n\nOur own opening words.\n\n- our first point\n- our second point\n\n> Councillors should:" in text


def test_the_drafters_text_is_text_and_never_inside_a_quotation(project, cli):
    hostile = "Ours [link](javascript:alert(1)) <img src=x onerror=alert(2)> *em* `code`\n> not a quote\n# not a heading\n1. not a list"
    selection = {
        "title": "A *title* <b>x</b>",
        "sections": [
            {"heading": "## Heading | pipe", "note": "A [note](http://x)", "content": [{"text": hostile}, {"clause": "alpha-1-1", "note": "> quoted?"}]}
        ],
    }
    (project / "s.yaml").write_text(json.dumps(selection), encoding="utf-8")  # JSON is YAML
    assert cli(project, "draft", "s.yaml", "-o", "s.md").code == 0
    assert cli(project, "draft", "s.yaml", "-o", "s.docx").code == 0
    html = markdown.markdown((project / "s.md").read_text(encoding="utf-8"), extensions=["tables"])
    tags = set(re.findall(r"<([a-z0-9]+)", html))
    assert tags <= {"h1", "h2", "p", "blockquote", "ul", "li", "strong", "a", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert re.findall(r'<a href="([^"]*)"', html) == [SITE_URL + "councils/alpha/#alpha-1-1", SITE_URL + "councils/alpha/"]
    assert "<blockquote>\n<p>This policy applies to all councillors.</p>\n</blockquote>" in html  # the only quotation
    # In Word, the drafter's lines are body text, each exactly as typed; the quotation is the clause alone.
    paragraphs = rows(project / "s.docx")
    assert ("Normal", "> not a quote", False) in paragraphs and ("Normal", "1. not a list", False) in paragraphs
    assert quotations(project / "s.docx") == [("This policy applies to all councillors.", "\u2014 Alpha Town Council, Social media policy, section 1.1")]


# --- bad selection files: tests/bad_drafts -----------------------------------------------------------

BAD = ROOT / "tests" / "bad_drafts"
BAD_FILES = sorted(BAD.glob("*.yaml"))
HANDBOOK = load(ROOT / "source_policies")
# A file with no room for an '# expect:' line.
NO_ROOM = {"14-empty-file.yaml": ["1: file is empty (or holds only comments); save a selection from the /draft/ page, or list clause ids under 'clauses:'"]}


def expected(path: Path, reader: str) -> list[str]:
    """The 'LINE: message' lines a file must give on the command line ('cli') or on the page ('page')."""
    if path.name in NO_ROOM:
        return NO_ROOM[path.name]
    data = path.read_bytes()
    found = [m.decode("utf-8") for m in re.findall(rb"^# expect(?:-" + reader.encode() + rb")?: (.*?)\r?$", data, re.MULTILINE)]
    assert found, f"{path.name} has no '# expect:' line"
    return found


def test_the_table_of_bad_selections_is_big_enough():
    assert len([p for p in BAD_FILES if not p.name.startswith("ok-")]) >= 30


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_selection_file(path):
    try:
        read_selection(path, HANDBOOK)
        got = ["ok"]
    except SourceError as err:
        got = [f"{p.line}: {p.message}" for p in err.problems]
    assert got == expected(path, "cli")


def test_a_bad_selection_on_the_command_line(project, cli, tmp_path):
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
    assert result.out.startswith("draft: wrote mine.docx: 2 clauses in 2 sections from 2 councils")
    styles = [style for style, _, _ in rows(project / "mine.docx")]
    assert styles.count("Quote") == 2 and styles.count("Citation") == 2
    assert rows(project / "mine.docx")[0] == ("Title", DOCUMENT_TEXT["title"], False)


def test_the_same_selection_gives_the_same_bytes(project, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (project / "selection.yaml").write_text(RICH, encoding="utf-8")
    assert cli(project, "draft", "selection.yaml", "-o", "one.docx").code == 0
    assert cli(project, "draft", "selection.yaml", "-o", "two.docx").code == 0
    assert (project / "one.docx").read_bytes() == (project / "two.docx").read_bytes()


def test_read_selection_keeps_the_drafters_order_and_topics(project):
    handbook = load(project / "source_policies")
    (project / "selection.yaml").write_text(SELECTION, encoding="utf-8")
    selection = read_selection(project / "selection.yaml", handbook)
    assert [(s.heading, s.topics, s.note, [e.value for e in s.entries]) for s in selection.sections] == [
        ("", ("scope",), "Cover co-opted members too.\nAnd independent persons.", ["alpha-1-1"]),
        ("", ("safeguarding",), "", ["beta-purpose-1"]),
        ("", ("meetings",), 'Say what "during meetings" means.', ["alpha-1-2"]),
        ("", ("sanctions",), "", ["alpha-2-1"]),
    ]


def test_draft_help():
    result = subprocess.run([sys.executable, "build.py", "draft", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "usage: build.py draft" in result.stdout and "SELECTION.yaml" in result.stdout and "sections:" in result.stdout


# --- what a protocol covers, and who a clause was written for ---------------------------------------


def test_coverage_puts_the_key_topics_first_then_what_most_councils_address():
    rows_ = coverage(HANDBOOK)
    assert [r["topic"] for r in rows_[:5]] == list(KEY_TOPICS) and all(r["key"] for r in rows_[:5])
    others = rows_[5:]
    n = len(HANDBOOK.councils)
    assert others and all(not r["key"] and r["councils"] * 2 > n and r["of"] == n for r in others)
    assert [r["councils"] for r in others] == sorted((r["councils"] for r in others), reverse=True)
    left_out = {t.id for t in HANDBOOK.topics} - {r["topic"] for r in rows_}
    assert all(len(HANDBOOK.addressing(t)) * 2 <= n for t in left_out) and left_out
    disclaimer = rows_[0]
    assert disclaimer["requires"] == sum(1 for c in HANDBOOK.councils if HANDBOOK.cell("disclaimer", c.id).level == "requires")


def test_audience_warnings_in_words():
    clause = HANDBOOK.clause_by_id["chiltern-south-bucks-17-4-2"]
    terms = audience_terms(clause.text, "staff")
    assert terms == ["disciplinary procedure", "summary dismissal"]
    assert audience_warning("staff", "members", terms) == "From a staff policy: mentions disciplinary procedure and summary dismissal."
    assert audience_warning("staff", "both", terms) == "" and audience_warning("both", "members", []) == ""
    assert audience_warning("members", "staff", ["councillors", "the code of conduct", "ward"]) == (
        "From a members\u2019 policy: mentions councillors, the code of conduct and ward."
    )
    assert audience_warning("staff", "members", []) == "From a staff policy: check that it suits councillors."
    assert audience_terms("Members of the public may comment; members of staff reply.", "members") == []


# --- the handbook's address: one setting --------------------------------------------------------------


def test_the_handbooks_address_comes_from_mkdocs_site_url(tmp_path):
    assert config.site_url(ROOT) == SITE_URL
    for text, want in (
        ("site_url: https://x.example/handbook\n", "https://x.example/handbook/"),
        ('site_url: ""\n', ""),
        ("site_name: x\n", ""),
        ("site_url: !ENV [HANDBOOK_URL, 'https://y.example/']\nhooks: [hooks/handbook.py]\n", ""),
        ("[unclosed\n", ""),
    ):
        (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
        assert config.site_url(tmp_path) == want, text
    assert config.site_url(tmp_path / "nowhere") == ""


def test_without_an_address_citations_are_not_linked():
    blocks = outline(HANDBOOK, read_selection(BAD / "ok-bare-list.yaml", HANDBOOK), "")
    assert [b for b in blocks if b[0] == "citation"][0][2] == ""
    document = structure_of(to_docx(blocks))
    assert not [p for kind, p in document["body"] if kind == "p" and p["links"]]


# --- the site's side -------------------------------------------------------------------------------

_, FILES = render_handbook(Paths.at(ROOT))


def test_the_draft_page_loads_its_data_as_scripts_and_is_in_the_navigation():
    page = FILES["draft.md"]
    assert 'id="draft-app"' in page and 'data-docx="../assets/vendor/docx.iife.js"' in page
    # Scripts, not fetch(): the page works from a copy of the site opened from file:// too.
    for script in ("../data/draft.js", "../assets/draft-read.js", "../assets/draft-page.js"):
        assert f'<script src="{script}"></script>' in page
    assert {"Your draft": "draft.md"} in navigation(HANDBOOK)
    for asset in ("assets/draft.js", "assets/draft-read.js", "assets/draft-page.js", "assets/draft.css", "assets/vendor/docx.iife.js"):
        assert asset in FILES


def test_the_draft_pages_data():
    text = FILES["data/draft.js"]
    assert text.startswith("/* Generated by build.py") and "\nwindow.HandbookDraftData = {" in text and text.endswith("};\n")
    data = json.loads(text.split("window.HandbookDraftData = ", 1)[1].rstrip(";\n"))
    assert data["siteUrl"] == SITE_URL and data["text"] == DOCUMENT_TEXT and data["word"] == WORD
    assert data["coverage"] == coverage(HANDBOOK)
    assert [c["id"] for c in data["clauses"]] == [c.id for c in HANDBOOK.clauses]
    clause = next(c for c in data["clauses"] if c["id"] == "chiltern-south-bucks-17-4-2")
    assert clause["terms"] == ["disciplinary procedure", "summary dismissal"]
    assert clause["citation"] == HANDBOOK.council_by_id["chiltern-south-bucks"].citation(HANDBOOK.clause_by_id[clause["id"]])
    assert {c["audience"] for c in data["councils"]} == {"members", "staff", "both"}


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
    version = json.loads((ROOT / "node_modules" / "docx" / "package.json").read_text())["version"]
    assert f"docx {version}" in notes
    assert f"docx {version}" in (ROOT / "README.md").read_text(encoding="utf-8")


# --- the Word document, rendered by LibreOffice ------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
LONG = """\
title: Our social media protocol
sections:
  - topics: [scope]
    content:
      - text: "This protocol applies to every councillor.\\n- councillors\\n- co-opted members"
      - brackley-2-1-para-2
      - clause: wiltshire-introduction-1
        note: Keep this definition.
  - topics: [disclaimer]
    content: [oxford-introduction-1, bridgend-1-1, bridgend-1-2, bridgend-1-3, bridgend-1-4]
  - topics: [sanctions]
    note: Name our monitoring officer.
    content: [chiltern-south-bucks-17-4-2, oxford-introduction-2, oxford-introduction-3, wiltshire-introduction-2]
"""


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install -y libreoffice-writer (.ci/run installs it)")
def test_libreoffice_renders_the_word_document_with_its_lists_header_and_page_numbers(tmp_path):
    (tmp_path / "s.yaml").write_text(LONG, encoding="utf-8")
    build_draft(HANDBOOK, tmp_path / "s.yaml", tmp_path / "draft.docx", SITE_URL)
    profile = (tmp_path / "profile").as_uri()  # its own profile: never shares a running LibreOffice's
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "draft.docx")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "draft.pdf"
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout, re.M).group(1))
    assert pages >= 2
    for n in range(1, pages + 1):
        page = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert page.lstrip().startswith("Our social media protocol"), f"page {n} has no header"  # the header, on every page
        assert f"Page {n} of {pages}" in page
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    for cid in ("brackley-2-1-para-2", "chiltern-south-bucks-17-4-2", "bridgend-1-4"):
        clause = HANDBOOK.clause_by_id[cid]
        for line in clause.text.split("\n"):
            words = " ".join(line.removeprefix("- ").split())
            assert words in text, f"{cid}: {words[:60]}"
    assert "\u2022 Covers a wide variety of formats" in text  # the clause's list, as a bulleted Word list
    assert "\u2022 co-opted members" in text and "Note: Keep this definition." in text
    sources = text[text.rindex("Sources") :]
    for council in HANDBOOK.councils:
        assert " ".join(council.name.split()[:3]) in sources


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('title: "Draft\\vprotocol"\nclauses: [wiltshire-introduction-1]\n', "1: a value on this line holds a vertical tab (U+000B), from an escape in quotes"),
        (
            'clauses: [wiltshire-introduction-1]\nnotes:\n  scope: "Keep\\x07 this"\n',
            "3: a value on this line holds a control character (U+0007), from an escape in quotes",
        ),
    ],
    ids=["vertical tab in the title", "control character in a note"],
)
def test_control_characters_written_as_escapes_are_refused_on_the_command_line(tmp_path, text, message):
    """A Word document cannot hold them (the page drops them from what is typed; a file is refused)."""
    path = tmp_path / "selection.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_selection(path, HANDBOOK)
    assert [f"{p.line}: {p.message}" for p in err.value.problems] == [message + "; it cannot be shown, printed or saved in Word, so remove the escape"]
