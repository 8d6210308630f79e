"""Similar wording: which clauses share passages, the open data, and the pages that show it."""

from __future__ import annotations

import html
import json
import re

import pytest

from policyhandbook import similar
from policyhandbook.pipeline import Paths, render_handbook

from .conftest import ROOT

HANDBOOK, FILES = render_handbook(Paths.at(ROOT))
SIM = HANDBOOK.similarity
PAIRS = {(p.a, p.b): p for p in SIM.pairs()}


def _linked(x: str, y: str) -> bool:
    return (x, y) in PAIRS or (y, x) in PAIRS


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("wiltshire-introduction-1", "chiltern-south-bucks-1-1"),  # the definition of social media
        ("wiltshire-responsibilities-3", "oxford-protection-and-security-2"),  # privacy settings
        ("wiltshire-responsibilities-4", "brackley-6-4-3"),  # "home address" / "home addresses"
        ("wiltshire-principles-1", "oxford-best-practice-set-the-tone"),  # "Set the tone..."
    ],
)
def test_borrowed_wording_is_found(a, b):
    assert _linked(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("bridgend-3-3", "wiltshire-responsibilities-10"),  # both on disclaimers, in their own words
        ("oxford-responsibilities-1", "bridgend-4-safe-2"),  # both on public posts
        ("chiltern-south-bucks-2-2", "brackley-5-1-para-2-1"),  # share only "the use of social media"
    ],
)
def test_clauses_on_the_same_topic_in_their_own_words_are_not_similar(a, b):
    assert not _linked(a, b)


def test_the_open_data_lists_each_pair_once_between_councils():
    data = json.loads(FILES["data/similar.json"])
    assert list(data) == ["pairs", "wordings"]
    seen = set()
    order = {c.id: n for n, c in enumerate(HANDBOOK.clauses)}
    for pair in data["pairs"]:
        assert list(pair) == ["a", "b", "score", "shared"]
        a, b = HANDBOOK.clause_by_id[pair["a"]], HANDBOOK.clause_by_id[pair["b"]]
        assert a.council != b.council and order[a.id] < order[b.id]
        assert (a.id, b.id) not in seen
        seen.add((a.id, b.id))
        assert 0 < pair["score"] <= 1
        words = a.text.split()
        for start, end in pair["shared"]:
            assert 0 <= start < end <= len(words)
        assert max(end - start for start, end in pair["shared"]) >= similar.MIN_PASSAGE
    assert len(seen) >= 10


def test_every_similar_clause_is_named_under_the_clause():
    for clause in HANDBOOK.clauses:
        page = FILES[f"councils/{clause.council}.md"]
        block = page[page.index(f'id="{clause.id}"') :]
        block = block[: block.index("</article>")]
        others = SIM.similar_to(clause.id)
        if not others:
            assert "Similar wording in:" not in block
            continue
        for other, score in others:
            assert f"#{other}" in block and f"?a={clause.id}&amp;b={other}" in block
            assert similar.how_much(score) in html.unescape(block)


def test_the_shared_wording_page_shows_each_passage_once_verbatim():
    page = FILES["similar.md"]
    assert len(SIM.families) >= 5
    assert page.count('<section class="family"') == len(SIM.families)
    for family in SIM.families:
        text = HANDBOOK.clause_by_id[family.passage_clause].text
        passage = similar.passage_text(text, family.passage)
        assert passage in text
        assert passage in html.unescape(page)
    count = len(SIM.families)
    assert f"**{count} passages appear in two or more councils' policies**" in FILES["index.md"]


# --- the rules, on planted edits ------------------------------------------------------------

BASE = (
    "Councillors should make use of stringent privacy settings if they do not want their posts to be "
    "accessed by the press or public, and should read the terms of service of any site they use."
)
PLANTED = [
    ("same", BASE, True),
    ("plural and case", BASE.replace("settings", "setting").replace("Councillors", "COUNCILLORS"), True),
    ("a word inserted", BASE.replace("stringent privacy", "stringent and robust privacy"), True),
    ("a word changed", BASE.replace("press or public", "press or the public").replace("any site", "every site"), True),
    ("punctuation", BASE.replace(",", ";").replace(".", "!"), True),
    ("half of it, in a longer clause", "Social media can be useful. " + BASE[: len(BASE) // 2] + " Always think before you post anything online.", True),
    ("same topic, own words", "Members are advised to lock down who can see their profiles and to check each platform's rules.", False),
    ("a stock phrase only", "The council supports the use of social media by members for engaging with residents.", False),
]


@pytest.mark.parametrize(("name", "text", "found"), PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_edits(name, text, found):
    result = similar.find([("one-1", "one", BASE), ("two-1", "two", text)])
    assert bool(result.similar_to("one-1")) == found
    if found:
        ((other, score),) = result.similar_to("one-1")
        assert other == "two-1" and score >= 0.3


def test_a_council_repeating_itself_is_not_similar_wording():
    result = similar.find([("one-1", "one", BASE), ("one-2", "one", BASE)])
    assert result.similar_to("one-1") == [] and result.pairs() == [] and result.families == ()


def test_a_wording_shared_by_many_councils_costs_a_pair_per_council_not_per_pair():
    clauses = [(f"c{n}-1", f"c{n}", BASE) for n in range(80)]
    result = similar.find(clauses)
    assert len(result.pairs()) == 79
    assert len(result.similar_to("c5-1")) == 79
    assert result.families[0].councils == 80


def test_same_input_same_pairs():
    items = [(c.id, c.council, c.text) for c in HANDBOOK.clauses]
    assert similar.find(items).pairs() == similar.find(items).pairs()


def test_shared_spans_are_the_shared_words():
    pair = PAIRS["brackley-6-4-3", "wiltshire-responsibilities-4"]
    words = HANDBOOK.clause_by_id["brackley-6-4-3"].text.split()
    shared = " ".join(" ".join(words[s:e]) for s, e in pair.shared)
    assert re.search(r"home address and telephone numbers", shared)
