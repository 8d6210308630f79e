"""Property-based tests: whatever the input, the reader and checker give a model or clean problems."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyhandbook.check import check_council
from policyhandbook.problems import Problem
from policyhandbook.read import parse_yaml

from .conftest import MINI

TOPICS = {"scope", "disclaimer", "safeguarding", "pre-election", "meetings", "sanctions"}
SOURCES = MINI / "source_policies"

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=20)
field_names = st.sampled_from(
    [
        "id",
        "name",
        "short_name",
        "kind",
        "nation",
        "title",
        "audience",
        "status",
        "date",
        "source",
        "original",
        "attribution",
        "reviewed",
        "clauses",
        "text",
        "topics",
    ]
)
clause = st.dictionaries(
    st.sampled_from(["id", "section", "heading", "topics", "text", "summary", "extra"]), values | st.just(["scope"]) | st.just("alpha-1"), max_size=6
)
council = st.dictionaries(field_names, values | st.lists(clause, max_size=3), max_size=14)


def _check(text: str) -> None:
    node, problems = parse_yaml(text, "alpha.yaml")
    assert all(isinstance(p, Problem) and p.line >= 1 for p in problems)
    if node is None:
        assert problems
        return
    result, more = check_council(node, "alpha.yaml", "alpha", TOPICS, SOURCES)
    assert all(isinstance(p, Problem) and p.line >= 1 for p in more)
    assert result is not None or more or problems


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_cleanly(text):
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(council)
def test_any_structure_is_checked_cleanly(data):
    _check(yaml.safe_dump(data, allow_unicode=True))


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.text(alphabet="[]{}:-#&*!|>'\"\n\t ", max_size=30))
def test_corrupting_a_real_file_is_reported_cleanly(position, junk):
    text = (SOURCES / "alpha.yaml").read_text()
    position = min(position, len(text))
    _check(text[:position] + junk + text[position:])


def test_the_real_fixture_is_valid():
    text = Path(SOURCES / "alpha.yaml").read_text()
    node, problems = parse_yaml(text, "alpha.yaml")
    assert not problems
    result, more = check_council(node, "alpha.yaml", "alpha", TOPICS, SOURCES)
    assert result is not None and not more
