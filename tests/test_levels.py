"""Levels: the data, the pages that show them, the open data, and the wording rules behind them."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from policyhandbook.levels import CLAUSE_LEVELS, LEVELS, RANK, evidence, excerpt, strongest, suggest_levels
from policyhandbook.pipeline import Paths, render_handbook

from .conftest import ROOT

HANDBOOK, FILES = render_handbook(Paths.at(ROOT))
CELLS = [(topic, council) for topic in HANDBOOK.topics for council in HANDBOOK.councils]


def _cell_id(item: tuple) -> str:
    return f"{item[0].id}-{item[1].id}"


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", CELLS, ids=_cell_id)
def test_a_cell_takes_the_strongest_level_of_its_clauses(cell):
    topic, council = cell
    got = HANDBOOK.cell(topic.id, council.id)
    clauses = HANDBOOK.by_topic[topic.id][council.id]
    assert got.clauses == clauses
    assert got.level == strongest([c.level_on(topic.id) for c in clauses])
    if clauses:
        assert got.deciding is not None and got.deciding.level_on(topic.id) == got.level
        earlier = clauses[: clauses.index(got.deciding)]
        assert all(RANK[c.level_on(topic.id)] > RANK[got.level] for c in earlier), "the first clause at the level decides"
    else:
        assert got.level == "silent" and got.deciding is None and not got.notes


@pytest.mark.parametrize("cell", [c for c in CELLS if HANDBOOK.cell(c[0].id, c[1].id).clauses], ids=_cell_id)
def test_the_deciding_clause_is_worded_at_its_level(cell):
    """A person set every level by reading; the clause that decides a cell must carry the words of that level."""
    topic, council = cell
    got = HANDBOOK.cell(topic.id, council.id)
    assert evidence(got.deciding.text, got.deciding.heading, got.level, topic.id), (
        f"{got.deciding.id} is '{got.level}' on {topic.id}, but its wording shows nothing of that level"
    )


def test_the_five_councils_use_every_clause_level():
    used = {c.level_on(t) for c in HANDBOOK.clauses for t in c.topics}
    assert used == set(CLAUSE_LEVELS)


def test_levels_differ_is_true_exactly_when_reviewed_cells_disagree():
    for topic in HANDBOOK.topics:
        levels = {HANDBOOK.cell(topic.id, c.id).level for c in HANDBOOK.councils}
        assert HANDBOOK.levels_differ[topic.id] == (len(levels) > 1)


# --- the pages ------------------------------------------------------------------------------


def _matrix_cell(page: str, topic_id: str, council) -> str:
    row = page[re.search(rf'<a href="(?:\.\./)?topics/{topic_id}/">', page).start() :]
    row = row[: row.index("</tr>")]
    start = row.index(f'data-label="{html.escape(council.short_name)}"')
    return row[start : row.index("</td>", start)]


@pytest.mark.parametrize("name", ["matrix.md", "index.md"])
def test_the_matrix_shows_each_level_in_words_linked_to_its_deciding_clause(name):
    page = FILES[name]
    for topic, council in CELLS:
        cell = HANDBOOK.cell(topic.id, council.id)
        shown = _matrix_cell(page, topic.id, council)
        assert f'<span class="level level-{cell.level}">{cell.level.capitalize()}</span>' in shown
        if cell.clauses:
            assert f'topics/{topic.id}/#{cell.deciding.id}"' in shown
            n = len(cell.clauses)
            assert f"{n} clause{'s' if n != 1 else ''}" in shown
        for number in HANDBOOK.note_numbers.get((topic.id, council.id), ()):
            assert f'href="#matrix-note-{number}"' in shown


def test_the_matrix_legend_says_what_each_level_means():
    from policyhandbook.levels import MEANINGS

    page = FILES["matrix.md"]
    legend = page[page.index('<dl class="level-legend"') : page.index("</dl>")]
    for level in LEVELS:
        assert level.capitalize() in legend and html.escape(MEANINGS[level]) in legend


def test_every_note_is_listed_once_under_its_number():
    page = FILES["matrix.md"]
    notes = [
        (n, council, topic, note)
        for (topic, council), numbers in HANDBOOK.note_numbers.items()
        for n, note in zip(numbers, HANDBOOK.council_by_id[council].notes_on(topic), strict=True)
    ]
    assert notes, "the five councils carry notes"
    assert sorted(n for n, *_ in notes) == list(range(1, len(notes) + 1))
    for n, council, topic, note in notes:
        item = re.search(rf'<li id="matrix-note-{n}" value="{n}">(.*?)</li>', page)
        assert item, f"note {n} is missing"
        assert note in html.unescape(item.group(1))
        assert f"{HANDBOOK.council_by_id[council].short_name}, {HANDBOOK.topic_by_id[topic].title}:" in html.unescape(item.group(1))


@pytest.mark.parametrize("topic", HANDBOOK.topics, ids=lambda t: t.id)
def test_the_topic_page_gives_each_councils_level_and_the_words_that_decide_it(topic):
    page = FILES[f"topics/{topic.id}.md"]
    glance = page[page.index('<table class="glance') : page.index("</table>")]
    for council in HANDBOOK.councils:
        cell = HANDBOOK.cell(topic.id, council.id)
        row = glance[glance.index(f'<tr data-council="{council.id}"') :]
        row = row[: row.index("</tr>")]
        assert f'<span class="level level-{cell.level}">{cell.level.capitalize()}</span>' in row
        if not cell.clauses:
            continue
        words = html.unescape(re.search(r'<q class="deciding-words">(.*?)</q>', row).group(1))
        assert words.strip("…").strip(), "the deciding words are not empty"
        for piece in words.split("…"):
            assert piece.strip() in cell.deciding.text, f"'{piece}' is not verbatim from {cell.deciding.id}"
        assert f'href="#{cell.deciding.id}"' in row
        for note in cell.notes:
            assert note in html.unescape(row)
        # The column of the comparison says the level too, and every clause its own.
        column = page[page.index(f'id="council-{council.id}"') :]
        assert f'Level: <span class="level level-{cell.level}">' in column[: column.index("</section>")]


def test_council_pages_give_each_tag_its_level():
    for council in HANDBOOK.councils:
        page = FILES[f"councils/{council.id}.md"]
        for clause in council.clauses:
            block = page[page.index(f'id="{clause.id}"') :]
            block = block[: block.index("</article>")]
            for topic in clause.topics:
                assert f'<span class="tag-level level-{clause.level_on(topic)}">({clause.level_on(topic)})</span>' in block


# --- the open data --------------------------------------------------------------------------


def test_matrix_json_has_one_cell_per_council_and_topic():
    data = json.loads(FILES["data/matrix.json"])
    assert list(data) == ["levels", "cells"]
    assert data["levels"] == ["requires", "recommends", "permits", "mentions", "silent"]
    assert [(c["topic"], c["council"]) for c in data["cells"]] == [(t.id, c.id) for t, c in CELLS]
    for item in data["cells"]:
        assert list(item)[:5] == ["council", "topic", "level", "clauses", "notes"]
        cell = HANDBOOK.cell(item["topic"], item["council"])
        assert item["level"] == cell.level
        assert sorted(item["clauses"]) == sorted(c.id for c in cell.clauses)
        assert item["notes"] == list(cell.notes)
        if item["clauses"]:
            assert item["clauses"][0] == cell.deciding.id, "the deciding clause comes first"
        assert all(item["topic"] in HANDBOOK.clause_by_id[cid].topics for cid in item["clauses"])
        assert not (item["level"] == "silent" and item["notes"])


def test_matrix_csv_matches_the_json():
    rows = list(csv.DictReader(io.StringIO(FILES["data/matrix.csv"])))
    cells = json.loads(FILES["data/matrix.json"])["cells"]
    assert [(r["council"], r["topic"], r["level"]) for r in rows] == [(c["council"], c["topic"], c["level"]) for c in cells]
    assert [r["clauses"].split() for r in rows] == [c["clauses"] for c in cells]


def test_clauses_json_gives_each_clause_its_level_per_topic():
    data = json.loads(FILES["data/clauses.json"])
    for item in data["clauses"]:
        clause = HANDBOOK.clause_by_id[item["id"]]
        assert item["levels"] == {t: clause.level_on(t) for t in clause.topics}


# --- the wording rules ----------------------------------------------------------------------

SUGGESTIONS = [
    ("Councillors must not disclose confidential information.", "Responsibilities", ["confidentiality"], "requires"),
    ("You should use a disclaimer on your profile.", "Tips", ["disclaimer"], "recommends"),
    ("It is best practice to reply within a day.", "Style", ["style-etiquette"], "recommends"),
    ("Councillors may choose to open a separate account.", "Accounts", ["official-personal"], "permits"),
    ("Anything you post may be seen by anyone and shared widely.", "Risks", ["public-permanent"], "mentions"),
    ("Social media is a collective term for websites that let people share content.", "Introduction", ["scope"], "mentions"),
    ("Do not post while chairing a meeting.", "Responsibilities of councillors", ["meetings"], "requires"),
    ("Do not post while chairing a meeting.", "Top tips", ["meetings"], "recommends"),
    ("Breaches of this protocol may be considered under the Code of Conduct.", "Breaches", ["sanctions"], "requires"),
    ("It's imperative that you are aware of the law.", "Keeping safe", ["legal-risks"], "requires"),
    ("If a journalist contacts you, speak with the Communications team.", "Good practice", ["press-media"], "recommends"),
]


@pytest.mark.parametrize(("text", "heading", "topics", "want"), SUGGESTIONS, ids=[s[0][:40] for s in SUGGESTIONS])
def test_suggested_levels_follow_the_rules(text, heading, topics, want):
    level, levels, _ = suggest_levels(text, heading, topics)
    assert levels.get(topics[0], level) == want


def test_a_list_item_takes_the_level_of_its_lead_in():
    assert suggest_levels("- the council's logo on a personal account.", "Accounts", ["council-equipment"], lead="Councillors must not use:")[0] == "requires"
    assert suggest_levels("- the council's logo on a personal account.", "Accounts", ["council-equipment"])[0] == "mentions"


def test_a_stated_consequence_requires_on_sanctions_only():
    level, levels, _ = suggest_levels("You should be polite; complaints may be referred to the Monitoring Officer.", "Conduct", ["conduct", "sanctions"])
    assert (level, levels) == ("recommends", {"sanctions": "requires"})


@pytest.mark.parametrize("clause", HANDBOOK.clauses[::7], ids=lambda c: c.id)
def test_excerpts_are_verbatim_and_short(clause):
    for topic in clause.topics:
        words = excerpt(clause.text, clause.level_on(topic), clause.heading)
        assert len(words.replace("…", " ").split()) <= 28
        for piece in words.split("…"):
            assert piece.strip() in clause.text
