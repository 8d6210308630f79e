"""The rendered handbook: every page exists and quotes every clause where it belongs."""

from __future__ import annotations

import html
import json

import pytest

from policyhandbook.pipeline import Paths, render_handbook
from policyhandbook.render import clause_html

from .conftest import ROOT

HANDBOOK, FILES = render_handbook(Paths.at(ROOT))


def test_every_topic_and_council_has_a_page():
    for topic in HANDBOOK.topics:
        assert f"topics/{topic.id}.md" in FILES
    for council in HANDBOOK.councils:
        assert f"councils/{council.id}.md" in FILES
    for name in ("index.md", "matrix.md", "about.md", "accessibility.md", "data.md", "topics/index.md", "councils/index.md"):
        assert name in FILES


@pytest.mark.parametrize("clause", HANDBOOK.clauses, ids=lambda c: c.id)
def test_clause_appears_on_its_council_page_and_topic_pages(clause):
    quoted = str(clause_html(clause.text))
    anchor = f'<article class="clause" id="{clause.id}"'
    pages = [f"councils/{clause.council}.md"] + [f"topics/{t}.md" for t in clause.topics]
    for page in pages:
        text = FILES[page]
        assert anchor in text, page
        assert quoted in text, page
        assert text.count(anchor) == 1, page
    for topic in HANDBOOK.topics:
        if topic.id not in clause.topics:
            assert f'id="{clause.id}"' not in FILES[f"topics/{topic.id}.md"]


@pytest.mark.parametrize("topic", HANDBOOK.topics, ids=lambda t: t.id)
def test_silent_councils_are_named_as_silent(topic):
    page = FILES[f"topics/{topic.id}.md"]
    for council in HANDBOOK.councils:
        silent = not HANDBOOK.by_topic[topic.id][council.id]
        assert (f"{html.escape(council.short_name)}’s policy says nothing on this topic" in page) == silent


def test_matrix_levels_counts_and_silent_cells_in_words():
    page = FILES["matrix.md"]
    for topic in HANDBOOK.topics:
        for council in HANDBOOK.councils:
            cell = HANDBOOK.cell(topic.id, council.id)
            if cell.clauses:
                n = len(cell.clauses)
                link = f'topics/{topic.id}/#{cell.deciding.id}"><span class="level level-{cell.level}">{cell.level.capitalize()}</span> <span class="cell-count">{n} clause'
                assert link in page
    silent_cells = sum(1 for t in HANDBOOK.topics for c in HANDBOOK.councils if not HANDBOOK.by_topic[t.id][c.id])
    assert page.count('<span class="level level-silent">Silent</span></td>') == silent_cells


def test_gaps_box_names_topics_two_others_address():
    page = FILES["councils/oxford.md"]
    box = page[page.index("Compared with the others") : page.index("</aside>")]
    for topic in HANDBOOK.gaps("oxford"):
        assert topic.title in box
    assert HANDBOOK.gaps("oxford"), "expected Oxford to have at least one gap"


def test_open_data_matches_the_schema_exactly():
    data = json.loads(FILES["data/clauses.json"])
    assert list(data) == ["councils", "topics", "clauses"]
    assert all(list(c) == ["id", "name", "title", "audience", "status", "date", "source", "url", "retrieved", "checked"] for c in data["councils"])
    assert all(list(t) == ["id", "title", "group", "description"] for t in data["topics"])
    # The BRIEF's fields, in its order; new fields may only follow them.
    assert all(list(c)[:6] == ["id", "council", "section", "heading", "text", "topics"] for c in data["clauses"])
    assert all(list(c)[6:] == ["levels"] and list(c["levels"]) == c["topics"] for c in data["clauses"])
    assert len(data["clauses"]) == len(HANDBOOK.clauses)
    assert all("**" not in c["text"] and "[footnoteRef" not in c["text"] for c in data["clauses"])


def test_open_data_csv_has_every_clause():
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(FILES["data/clauses.csv"])))
    assert [r["id"] for r in rows] == [c.id for c in HANDBOOK.clauses]
    # The exact wording, but for the apostrophe before a cell a spreadsheet would run as a formula.
    assert [r["text"].removeprefix("'") if r["text"].startswith("'-") else r["text"] for r in rows] == [c.text for c in HANDBOOK.clauses]


FORMULAS = ['=HYPERLINK("http://example.com","x")', "+1+1", "-1+1", "@SUM(A1:A2)", "\tx", "\r=1", "\uff1d1+1", "- a list item"]


def test_no_csv_cell_is_a_formula_to_a_spreadsheet_and_the_json_keeps_the_exact_text():
    """OWASP's CSV injection: a cell starting =, +, -, @, a tab or a carriage return is run by a
    spreadsheet, so it gets an apostrophe before it; the JSON is unchanged."""
    import csv
    import dataclasses
    import io

    from policyhandbook.data import FORMULA_START, clauses_csv, clauses_json
    from policyhandbook.model import Handbook

    council = HANDBOOK.councils[0]
    clauses = tuple(dataclasses.replace(c, text=text, heading=text, section=text) for c, text in zip(council.clauses, FORMULAS, strict=False))
    hostile = dataclasses.replace(council, name="=cmd|' /C calc'!A0", title="@title", clauses=clauses)
    handbook = Handbook(groups=HANDBOOK.groups, councils=(hostile,), version="test")
    rows = list(csv.reader(io.StringIO(clauses_csv(handbook), newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    for row, text in zip(rows[1:], FORMULAS, strict=False):
        assert row[-1] == "'" + text  # one apostrophe, nothing else changed
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert [c["text"] for c in json.loads(clauses_json(handbook))["clauses"]] == FORMULAS[: len(clauses)]
    # The real open data: every clause that opens with a list item is protected, and the data page says how.
    real = list(csv.reader(io.StringIO(FILES["data/clauses.csv"], newline="")))
    assert not [cell for row in real for cell in row if cell.startswith(FORMULA_START)]
    assert "starts with an apostrophe" in FILES["data.md"]


def test_same_sources_same_bytes():
    _, again = render_handbook(Paths.at(ROOT))
    assert again == FILES


def test_committed_handbook_is_up_to_date():
    on_disk = {p.relative_to(ROOT / "handbook").as_posix(): p.read_bytes() for p in (ROOT / "handbook").rglob("*") if p.is_file()}
    expected = {name: content.encode() if isinstance(content, str) else content for name, content in FILES.items()}
    stale = sorted(set(on_disk) ^ set(expected) | {n for n in expected if on_disk.get(n) != expected[n]})
    assert not stale, f"handbook/ is stale ({', '.join(stale[:5])}); run `make build` and commit handbook/"
