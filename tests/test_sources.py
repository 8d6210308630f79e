"""The real sources: verbatim, complete, tagged, and with the ids other tools rely on."""

from __future__ import annotations

import pytest

from policyhandbook.load import load
from policyhandbook.model import KEY_TOPICS
from policyhandbook.provenance import coverage, locate
from policyhandbook.text import normalise

from .conftest import ROOT

SOURCES = ROOT / "source_policies"
COUNCIL_IDS = ["brackley", "bridgend", "chiltern-south-bucks", "oxford", "wiltshire"]
MIN_COVERAGE = 0.95

HANDBOOK = load(SOURCES)


def original(council) -> str:
    return (SOURCES / council.original).read_text(encoding="utf-8")


def test_the_five_councils_are_there():
    assert sorted(c.id for c in HANDBOOK.councils) == COUNCIL_IDS


def test_key_topics_exist():
    assert set(KEY_TOPICS) <= set(HANDBOOK.topic_by_id)


def test_originals_are_the_seed_texts_byte_for_byte():
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the seed folder is not beside this checkout")
    by_council = {"bridgend": "000", "brackley": "001", "wiltshire": "002", "oxford": "003", "chiltern-south-bucks": "004"}
    for council, prefix in by_council.items():
        (seed,) = seeds.glob(f"{prefix}_*.txt")
        assert (SOURCES / "originals" / f"{council}.txt").read_bytes() == seed.read_bytes()


@pytest.mark.parametrize("clause", HANDBOOK.clauses, ids=lambda c: c.id)
def test_clause_is_verbatim(clause):
    council = HANDBOOK.council_by_id[clause.council]
    assert locate(normalise(original(council)), clause.text) >= 0


@pytest.mark.parametrize("council", HANDBOOK.councils, ids=lambda c: c.id)
def test_nothing_of_the_source_is_lost(council):
    result = coverage(council, original(council))
    print(f"{council.id}: {result.ratio:.1%} of {result.words} words covered; not covered: {' '.join(result.uncovered)}")
    assert result.ratio >= MIN_COVERAGE, f"{council.id}: only {result.ratio:.1%} covered; missing words: {' '.join(result.uncovered[:80])}"


def test_every_clause_has_a_known_topic():
    for clause in HANDBOOK.clauses:
        assert clause.topics, clause.id
        assert set(clause.topics) <= set(HANDBOOK.topic_by_id), clause.id


def test_clause_ids_are_unique():
    ids = [c.id for c in HANDBOOK.clauses]
    assert len(ids) == len(set(ids))


def test_sections_are_unique_within_a_council():
    for council in HANDBOOK.councils:
        sections = [c.section for c in council.clauses]
        assert len(sections) == len(set(sections)), council.id


def test_every_topic_is_used():
    used = {t for clause in HANDBOOK.clauses for t in clause.topics}
    assert used == set(HANDBOOK.topic_by_id)


def test_coverage_detects_a_dropped_clause():
    council = HANDBOOK.council_by_id["oxford"]
    full = coverage(council, original(council)).ratio
    from dataclasses import replace

    shorter = replace(council, clauses=council.clauses[:-10])
    assert coverage(shorter, original(council)).ratio < full


def test_example_file_is_valid(tmp_path):
    import shutil

    shutil.copy(SOURCES / "taxonomy.yaml", tmp_path)
    shutil.copytree(SOURCES / "example", tmp_path / "example")
    shutil.copy(SOURCES / "example" / "example-council.yaml", tmp_path / "example.yaml")
    handbook = load(tmp_path)
    assert [c.id for c in handbook.councils] == ["example"]
