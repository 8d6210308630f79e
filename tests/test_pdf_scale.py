"""The PDFs of a large handbook, on synthetic councils (benchmarks/make_corpus.py): members' packs compare
a council with its peers, pages grow with the councils (not with their square), and editing one council
changes only the PDFs that quote it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks.make_corpus import make_corpus
from policyhandbook import pdf
from policyhandbook.load import load
from policyhandbook.model import KEY_TOPICS, Council, Handbook
from policyhandbook.render import COMPACT_FROM

from .conftest import make_project
from .test_pdf import EPOCH, SITE, pages_text, squash

CLAUSES = 6  # per synthetic council: small PDFs, quick tests


def corpus(tmp: Path, councils: int) -> tuple[Path, Handbook]:
    make_corpus(tmp / "corpus", councils, CLAUSES)
    root = make_project(tmp / "project", tmp / "corpus" / "source_policies")
    return root, load(root / "source_policies")


@pytest.fixture(scope="module")
def fifteen(tmp_path_factory) -> tuple[Path, Handbook]:
    return corpus(tmp_path_factory.mktemp("fifteen"), 15)


def _rank(council: Council, other: Council) -> int:
    """How alike two councils are, as the peer rule orders them (0: same kind, nation and audience)."""
    kind, nation, audience = (
        council.kind.lower() == other.kind.lower(),
        council.nation == other.nation,
        council.audience == other.audience,
    )
    return [kind and nation and audience, kind and nation, nation and audience, kind and audience, audience, nation, kind, True].index(True)


def test_default_peers_are_the_most_alike_councils_with_why(fifteen):
    _, handbook = fifteen
    groups = pdf.peer_groups(handbook)
    order = {c.id: i for i, c in enumerate(handbook.councils)}
    for council in handbook.councils:
        others = [c for c in handbook.councils if c is not council]
        # The rule, spelled out: most alike first, then the closest in length, then the nearest in the
        # handbook's order (the earlier of two as near).
        mine = order[council.id]
        best = sorted(others, key=lambda c: (_rank(council, c), abs(len(c.clauses) - len(council.clauses)), abs(order[c.id] - mine), order[c.id]))[: pdf.PEERS]
        assert [pid for pid, _ in groups[council.id]] == [c.id for c in best], council.id
        for pid, why in groups[council.id]:
            peer = handbook.council_by_id[pid]
            if "same kind of council" in why:
                assert peer.kind.lower() == council.kind.lower() and f"({peer.kind})" in why
            if "nation (" in why:
                assert peer.nation == council.nation
            if "also written for" in why:
                assert peer.audience == council.audience
    assert pdf.peer_groups(load(fifteen[0] / "source_policies")) == groups  # the same every time


def test_councils_of_the_same_length_share_the_peer_role():
    """Councils alike in every way do not all choose the same first four: each is a peer of a few, so
    editing one council renders only a few packs again."""
    councils = tuple(Council(f"c{i:03d}", f"Council {i}", f"C{i}", "town council", "England", "T", "members", "", "", "", "", "", True, ()) for i in range(60))
    handbook = SimpleNamespace(councils=councils, council_by_id={c.id: c for c in councils})
    having = Counter(pid for group in pdf.peer_groups(handbook).values() for pid, _ in group)
    assert len(having) == 60 and max(having.values()) <= pdf.PEERS + 2, having.most_common(3)


def test_members_packs_compare_a_council_with_its_peers_named_on_the_cover(fifteen, monkeypatch, tmp_path):
    root, handbook = fifteen
    assert len(handbook.councils) >= COMPACT_FROM
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    council = handbook.councils[0]
    spec = next(s for s in pdf.specs(handbook) if s.path == pdf.members_pack_path(council.id))
    doc = pdf.outline(handbook, spec)
    group = [council.id, *spec.peer_ids]
    assert {c.id for c in doc.hb.councils} == set(group) and not doc.everyone
    for section in doc.sections:
        if section.kind == "comparison":
            assert section.data["layout"] == "side" and {c.id for c in section.data["councils"]} == set(group)
    out = tmp_path / "pack.pdf"
    pdf.build_pack(handbook, root, root / "templates", spec, out, use_cache=False)
    cover = squash(pages_text(out)[0])
    assert "Compared with Its peers: the councils most like it" in cover
    for pid, why in spec.peers:
        assert squash(f"{handbook.council_by_id[pid].name}: {why}") in cover
    # Named peers: exactly those councils, in any number.
    named = pdf.pack_spec(handbook, council.id, "meetings", ",".join(c.id for c in handbook.councils[-6:]))
    doc = pdf.outline(handbook, named)
    assert [c.id for c in doc.hb.councils] == [council.id] + [c.id for c in handbook.councils[-6:]]
    assert all(why == "named when this pack was built" for _, why in named.peers)
    with pytest.raises(pdf.PackError, match=r"unknown peer council 'council-0001x'\. Did you mean 'council-0001'\?"):
        pdf.pack_spec(handbook, council.id, None, "council-0001x")


def _render(handbook: Handbook, root: Path, paths: set[str], out: Path) -> dict[str, int]:
    """Render some of the site's PDFs (no cache): path -> pages."""
    ctx = pdf.context(root, root / "templates")
    from functools import partial

    from policyhandbook.pdf_render import render_all

    documents = [(s.path, partial(pdf.document_html, handbook, s, ctx), None) for s in pdf.specs(handbook) if s.path in paths]
    return render_all(documents, out, None, workers=2, progress=None).pages


def test_pages_grow_with_the_councils_not_their_square(fifteen, tmp_path, monkeypatch):
    """At 15 and 30 councils: a members' pack is as long at both (it compares its peers, not everyone); a
    topic's PDF and the volumes of the whole handbook grow at most in proportion to the councils."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    small_root, small = fifteen
    big_root, big = corpus(tmp_path, 30)
    assert [c.id for c in big.councils[:15]] == [c.id for c in small.councils]  # the same first fifteen
    topic = "conduct"
    counts = {}
    for name, handbook, root in (("small", small, small_root), ("big", big, big_root)):
        volumes = {s.path for s in pdf.whole_handbook(handbook)}
        wanted = volumes | {pdf.members_pack_path("council-0000"), f"topics/{topic}.pdf"}
        pages = _render(handbook, root, wanted, tmp_path / name)
        counts[name] = {
            "pack": pages[pdf.members_pack_path("council-0000")],
            "topic": pages[f"topics/{topic}.pdf"],
            "volumes": sum(pages[v] for v in volumes),
        }
        assert len(pdf.specs(handbook)) == 3 * len(handbook.councils) + len(handbook.topics) + len(volumes)
    # A volume's cover counts the councils nobody has checked in the last year; its sources list each one's dates.
    volume = next(v for v in pdf.whole_handbook(small) if len(v.councils) > 6)
    pages = pages_text(tmp_path / "small" / volume.path)
    quoted = [c for c in small.councils if c.id in volume.councils]
    assert (
        f"{len(quoted)} councils, each one’s dates listed under Sources and method; {len(quoted)} of them not checked in force in the last 12 months."
        in squash(pages[0])
    )
    assert squash(" ".join(pages)).count("Text retrieved: not recorded; last checked in force: not recorded (no check recorded).") == len(quoted)
    overview = squash(pages_text(tmp_path / "small" / "handbook" / "overview.pdf")[0])
    assert (
        f"which gives when the text was retrieved and last checked in force; {len(small.councils)} of the {len(small.councils)} councils not checked in force in the last 12 months."
        in overview
    )
    small_counts, big_counts = counts["small"], counts["big"]
    assert abs(big_counts["pack"] - small_counts["pack"]) <= 0.35 * small_counts["pack"], counts
    assert small_counts["topic"] < big_counts["topic"] <= 2 * small_counts["topic"] + 1, counts
    assert 1.5 * small_counts["volumes"] <= big_counts["volumes"] <= 2.2 * small_counts["volumes"], counts
    # A large handbook's topic PDF lists every council on the topic: its level and the words that decide it, cited.
    raw = subprocess.run(["pdftotext", "-raw", str(tmp_path / "big" / "topics" / f"{topic}.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    text = squash(raw)
    for council in big.addressing(topic):
        cell = big.cell(topic, council.id)
        assert squash(council.citation(cell.deciding)) in text, council.id
    assert f"{SITE}/topics/{topic}/" in text


def _edit_clause(root: Path, council: Council) -> str:
    """Add a word to the first line of a council's first clause, in its file and in its original."""
    clause = council.clauses[0]
    first = clause.text.split("\n")[0]
    source = root / "source_policies" / f"{council.id}.yaml"
    text = source.read_text(encoding="utf-8")
    at = text.index(f"- id: {clause.id}\n")
    source.write_text(text[:at] + text[at:].replace(f"      {first}\n", f"      {first} EDITED\n", 1), encoding="utf-8")
    original = root / "source_policies" / council.original
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace(f"{clause.section} {first}", f"{clause.section} {first} EDITED", 1), encoding="utf-8")
    return clause.id


def test_editing_one_council_changes_only_the_pdfs_that_quote_it(fifteen, tmp_path):
    """Its own PDF, its packs, the packs of the councils that have it as a peer, the topics of the edited
    clause, and the volume of the whole handbook that holds it: nothing else. (A PDF is
    rendered again exactly when its HTML changes: the cache is keyed by it.)"""
    root, handbook = fifteen
    root = make_project(tmp_path / "copy", root / "source_policies")
    ctx = pdf.context(root, root / "templates")
    before = {s.path: pdf.document_html(handbook, s, ctx) for s in pdf.specs(handbook)}
    peers = pdf.peer_groups(handbook)
    council = next(c for c in handbook.councils if sum(c.id in [p for p, _ in group] for group in peers.values()) >= 2)
    clause_id = _edit_clause(root, council)
    edited = load(root / "source_policies")
    after = {s.path: pdf.document_html(edited, s, ctx) for s in pdf.specs(edited)}
    assert before.keys() == after.keys()
    changed = {path for path in before if before[path] != after[path]}
    having = [cid for cid, group in peers.items() if council.id in [p for p, _ in group]]
    volume = next(v.path for v in pdf.whole_handbook(handbook) if council.id in v.councils)
    expected = {f"councils/{council.id}.pdf", volume}  # not the overview: its matrix prints levels, not text
    expected |= {pdf.members_pack_path(cid, large) for cid in [council.id, *having] for large in (False, True)}
    expected |= {f"topics/{t}.pdf" for t in handbook.clause_by_id[clause_id].topics}
    assert changed == expected
    assert len(changed) < len(before) / 3
    assert "EDITED" in after[f"councils/{council.id}.pdf"] and "EDITED" in after[volume]
    # A change of level changes the coverage matrix, so the overview too.
    source = root / "source_policies" / f"{council.id}.yaml"
    clause = council.clauses[0]
    level = "requires" if clause.level != "requires" else "mentions"
    text = source.read_text(encoding="utf-8")
    at = text.index(f"- id: {clause.id}\n")
    source.write_text(text[:at] + text[at:].replace(f"    level: {clause.level}\n", f"    level: {level}\n", 1), encoding="utf-8")
    relevelled = load(root / "source_policies")
    overview = next(s for s in pdf.specs(relevelled) if s.path == "handbook/overview.pdf")
    assert relevelled.cell(clause.topics[0], council.id).level != edited.cell(clause.topics[0], council.id).level
    assert pdf.document_html(relevelled, overview, ctx) != after["handbook/overview.pdf"]


def test_key_topics_and_gaps_of_a_large_handbooks_pack_stay_within_its_peers(fifteen):
    _, handbook = fifteen
    for council in handbook.councils[:5]:
        spec = next(s for s in pdf.specs(handbook) if s.path == pdf.members_pack_path(council.id))
        doc = pdf.outline(handbook, spec)
        group = {council.id, *spec.peer_ids}
        gaps = next(s for s in doc.sections if s.kind == "gaps").data["gaps"]
        for gap in gaps:
            assert not doc.hb.by_topic[gap["topic"].id][council.id]
            assert {c.id for c in gap["addressing"]} <= group and len(gap["addressing"]) >= 2
        assert [t.id for t in doc.topics] == list(KEY_TOPICS)


def test_pack_progress_and_summary_line(fifteen, tmp_path):
    """Not a terminal: no progress, one summary line."""
    root, _ = fifteen
    out = tmp_path / "p.pdf"
    result = subprocess.run(
        [sys.executable, "build.py", "--root", str(root), "pack", "--topics", "review", "-o", str(out)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        env={"SOURCE_DATE_EPOCH": EPOCH, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert re.fullmatch(r"pack: wrote \S+: 1 topic \(review\), \d+ pages, [\d.]+ s\n", result.stdout)
