"""Golden files: the fixture corpus renders exactly as tests/golden/ (UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import os
from pathlib import Path

from policyhandbook.pipeline import Paths, render_handbook

GOLDEN = Path(__file__).parent / "golden"


def test_fixture_corpus_matches_golden_files(project):
    _, files = render_handbook(Paths.at(project))
    pages = {name: content for name, content in files.items() if not name.startswith("assets/")}
    if os.environ.get("UPDATE_GOLDEN"):
        for name, content in pages.items():
            path = GOLDEN / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    actual = {name: content.encode() if isinstance(content, str) else content for name, content in pages.items()}
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs from tests/golden/{name}; if intended, rerun with UPDATE_GOLDEN=1"


def test_hostile_text_is_escaped(project):
    _, files = render_handbook(Paths.at(project))
    page = files["topics/pre-election.md"]
    assert "&lt;b&gt;or&lt;/b&gt;" in page
    assert "<b>or</b>" not in page
    assert "{{ templates }}" in page  # literal, not evaluated
