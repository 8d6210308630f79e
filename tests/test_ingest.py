"""`build.py ingest`: raw policy text in, an unreviewed source file out, that passes `check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policyhandbook.cli import parser
from policyhandbook.ingest import split
from policyhandbook.load import load
from policyhandbook.pipeline import Paths, render_handbook
from policyhandbook.provenance import coverage, locate
from policyhandbook.suggest import Suggester, examples_from
from policyhandbook.text import normalise

from .conftest import ROOT

SOURCES = ROOT / "source_policies"
HAND = load(SOURCES)
STRICT = "is marked 'reviewed: false'; review its topics, then set 'reviewed: true' (check --strict refuses unreviewed files)"


def sources_project(tmp_path: Path) -> Path:
    """A project holding a copy of the real sources (enough for `check` and `ingest`)."""
    root = tmp_path / "project"
    shutil.copytree(SOURCES, root / "source_policies")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- each real original ingests into a file that passes the check ---------------------------------


@pytest.mark.parametrize("council", HAND.councils, ids=lambda c: c.id)
def test_each_original_ingests_into_a_file_that_passes_check(council, tmp_path, cli):
    root = sources_project(tmp_path)
    raw = tmp_path / "received" / "policy.txt"
    raw.parent.mkdir()
    shutil.copy(SOURCES / council.original, raw)
    new = f"{council.id}-new"

    result = cli(root, "ingest", str(raw), "--council", new, "--name", council.name)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    written = root / "source_policies" / f"{new}.yaml"
    assert written.is_file()
    assert (root / "source_policies" / "originals" / f"{new}.txt").read_bytes() == raw.read_bytes()
    assert "reviewed: false" in written.read_text(encoding="utf-8")
    assert f"ingest: wrote source_policies/{new}.yaml (reviewed: false)" in result.out
    assert "need attention" in result.out
    assert not list((root / "source_policies").glob(".ingest-*")), "the staging folder was left behind"

    # The whole project, with the new council in it, passes the check...
    checked = cli(root, "check", "--coverage")
    assert checked.code == 0, checked.err
    # ... except the unreviewed mark, which --strict refuses (and only that).
    strict = cli(root, "check", "--strict")
    assert strict.code == 1
    line = next(n for n, text in enumerate(written.read_text(encoding="utf-8").splitlines(), start=1) if text == "reviewed: false")
    assert strict.lines[:-1] == [f"source_policies/{new}.yaml:{line}: council '{new}' {STRICT}"]

    handbook = load(root / "source_policies")
    ingested = handbook.council_by_id[new]
    assert not ingested.reviewed
    original = (root / "source_policies" / ingested.original).read_text(encoding="utf-8")
    assert all(locate(normalise(original), clause.text) >= 0 for clause in ingested.clauses)
    assert coverage(ingested, original).ratio >= 0.95
    assert all(clause.topics for clause in ingested.clauses)
    # Cut at the policy's own structure: nearly every hand-made clause is one of the ingested ones.
    ours = {normalise(clause.text) for clause in ingested.clauses}
    matched = sum(1 for clause in council.clauses if normalise(clause.text) in ours)
    assert matched >= 0.9 * len(council.clauses)
    # Every clause's topics carry their confidence as a comment.
    topic_lines = [text for text in written.read_text(encoding="utf-8").splitlines() if text.startswith("    topics: [")]
    assert len(topic_lines) == len(ingested.clauses)
    assert all("  # suggested: " in text for text in topic_lines)


def test_same_input_gives_the_same_file(tmp_path, cli):
    first, second = sources_project(tmp_path / "a"), sources_project(tmp_path / "b")
    raw = SOURCES / "originals" / "wiltshire.txt"
    for root in (first, second):
        assert cli(root, "ingest", str(raw), "--council", "wilts", "--name", "Wiltshire Council").code == 0
    assert (first / "source_policies" / "wilts.yaml").read_bytes() == (second / "source_policies" / "wilts.yaml").read_bytes()


def test_clauses_of_a_section_lean_on_each_other():
    topics = [t.id for t in HAND.topics]
    suggester = Suggester(examples_from(HAND.councils), topics, {t.id: f"{t.title} {t.description}" for t in HAND.topics})
    lead = ("Councillors must not publish a defamatory statement about another person.", "Legal risks")
    neighbour = ("Remember that copyright applies to images and text you share.", "Legal risks")
    apart = ("Remember that copyright applies to images and text you share.", "Sharing")
    alone = {s.topic: s.score for s in suggester.suggest(*neighbour)}
    together = {s.topic: s.score for s in suggester.suggest_all([lead, neighbour])[1]}
    separate = {s.topic: s.score for s in suggester.suggest_all([lead, apart])[1]}
    lead_alone = {s.topic: s.score for s in suggester.suggest(*lead)}
    # Under the same heading, a clause's scores move toward its section's; under another heading they do not.
    expected = (1 - Suggester.SECTION_WEIGHT) * alone["legal-risks"] + Suggester.SECTION_WEIGHT * lead_alone["legal-risks"]
    assert together["legal-risks"] == pytest.approx(expected, abs=0.01)
    assert separate == {s.topic: s.score for s in suggester.suggest(*apart)}
    # The same policy always gets the same suggestions.
    assert suggester.suggest_all([lead, neighbour]) == suggester.suggest_all([lead, neighbour])


def test_output_dir_leaves_the_sources_alone(tmp_path, cli):
    root = sources_project(tmp_path)
    before = snapshot(root / "source_policies")
    out = tmp_path / "out"
    out.mkdir()
    result = cli(root, "ingest", str(SOURCES / "originals" / "oxford.txt"), "--council", "oxford-2", "--name", "Oxford City Council", "-o", str(out))
    assert result.code == 0, result.err
    assert snapshot(root / "source_policies") == before
    assert sorted(snapshot(out)) == ["originals/oxford-2.txt", "oxford-2.yaml"]


def test_text_already_in_originals_is_not_copied_again(tmp_path, cli):
    root = sources_project(tmp_path)
    target = root / "source_policies" / "originals" / "somerset.txt"
    shutil.copy(SOURCES / "originals" / "bridgend.txt", target)
    result = cli(root, "ingest", "source_policies/originals/somerset.txt", "--council", "somerset", "--name", "Somerset Council")
    assert result.code == 0, result.err
    assert target.read_bytes() == (SOURCES / "originals" / "bridgend.txt").read_bytes()
    assert cli(root, "check").code == 0


def test_unreviewed_council_shows_its_notice_on_the_site(project, cli):
    result = cli(project, "ingest", str(SOURCES / "originals" / "oxford.txt"), "--council", "gamma", "--name", "Gamma City Council", "--nation", "England")
    assert result.code == 0, result.err
    _, files = render_handbook(Paths.at(project))
    page = files["councils/gamma.md"]
    assert "Tags not yet reviewed" in page
    assert "Not yet reviewed" in files["matrix.md"]


# --- bad input: a clear error, exit 1, nothing written ----------------------------------------------


def bad(root: Path, cli, raw: Path, *args: str, council: str = "delta"):
    before = snapshot(root)
    result = cli(root, "ingest", str(raw), "--council", council, "--name", "Delta District Council", *args)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.lines[-1] == "build.py ingest: nothing was written."
    assert snapshot(root) == before, "something was written"
    return result.lines[:-1]


def test_empty_file(project, cli):
    (project / "raw.txt").write_bytes(b"")
    assert bad(project, cli, project / "raw.txt") == [
        "raw.txt:1: file is empty; paste the policy's text into it (copied out of the Word or PDF document, saved as UTF-8 text)"
    ]


def test_blank_file(project, cli):
    (project / "raw.txt").write_text("\n  \n\t\n- \n", encoding="utf-8")
    assert bad(project, cli, project / "raw.txt")[0].startswith("raw.txt:1: file is empty;")


def test_binary_file(project, cli):
    (project / "raw.bin").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00")
    assert bad(project, cli, project / "raw.bin") == ["raw.bin:1: file contains NUL bytes, so it is not a text file; save it as UTF-8 text"]


def test_not_utf8(project, cli):
    (project / "raw.txt").write_bytes("Introduction\n\nCouncillors\u2019 use of social media.\n".encode("cp1252"))
    (line,) = bad(project, cli, project / "raw.txt")
    assert line.startswith("raw.txt:3: file is not valid UTF-8 (byte 0x92 cannot be decoded)")


def test_missing_file(project, cli):
    (line,) = bad(project, cli, project / "nowhere.txt")
    assert line.startswith("nowhere.txt:1: cannot read the file")


def test_existing_council(project, cli):
    shutil.copy(SOURCES / "originals" / "oxford.txt", project / "raw.txt")
    assert bad(project, cli, project / "raw.txt", council="alpha") == [
        "build.py ingest: council 'alpha' already exists (source_policies/alpha.yaml); choose another --council id or remove the existing file"
    ]


def test_existing_original(project, cli):
    shutil.copy(SOURCES / "originals" / "oxford.txt", project / "raw.txt")
    shutil.copy(SOURCES / "originals" / "oxford.txt", project / "source_policies" / "originals" / "delta.txt")
    assert bad(project, cli, project / "raw.txt") == [
        "build.py ingest: an original text for 'delta' already exists (source_policies/originals/delta.txt); choose another --council id or remove the existing file"
    ]


def test_invalid_id_and_empty_file_are_reported_together(project, cli):
    (project / "raw.txt").write_bytes(b"")
    lines = bad(project, cli, project / "raw.txt", council="North Somerset")
    assert lines[0] == "build.py ingest: 'North Somerset' is not a valid council id; use lower-case letters, digits and single hyphens, e.g. 'north-somerset'"
    assert lines[1].startswith("raw.txt:1: file is empty;")


def test_invalid_date(project, cli):
    shutil.copy(SOURCES / "originals" / "oxford.txt", project / "raw.txt")
    result = cli(project, "ingest", "raw.txt", "--council", "delta", "--name", "Delta", "--date", "May 2024")
    assert result.code == 1
    assert result.lines == ["build.py ingest: --date must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated', not 'May 2024'"]


def test_ingest_has_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["ingest", "--help"])
    assert exit_.value.code == 0
    assert "--council ID" in capsys.readouterr().out


# --- check --strict ------------------------------------------------------------------------------


def test_check_strict_refuses_unreviewed_files(project, cli):
    assert cli(project, "check").code == 0
    result = cli(project, "check", "--strict")
    assert result.code == 1
    assert result.lines == [f"source_policies/beta.yaml:12: council 'beta' {STRICT}", "build.py: 1 error in 1 file; nothing was written."]


def test_check_strict_reports_with_every_other_problem(project, cli):
    alpha = project / "source_policies" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("topics: [sanctions]", "topics: [sanctionz]"), encoding="utf-8")
    result = cli(project, "check", "--strict")
    assert result.code == 1
    assert any("unknown topic 'sanctionz'" in line for line in result.lines)
    assert f"source_policies/beta.yaml:12: council 'beta' {STRICT}" in result.lines


def test_check_strict_passes_reviewed_sources(tmp_path, cli):
    assert cli(sources_project(tmp_path), "check", "--strict").code == 0


# --- the cutting rules, on the extraction quirks of real policies ------------------------------------

QUIRKS = """\
A Council
Social media policy

1. Introduction

1.1 This policy applies to councillors. It covers what they post, including on sites that are
not run by the council.

- 1.2 Examples of social media include Facebook and
\x20X (formerly Twitter).

2. Conduct

2.1 Councillors must:
\u00b7 be respectful;
\u00b7 not disclose confidential information.
\u00b7\x20
- **Using a disclaimer**
Say that your views are your own.[footnoteRef:1] [1:  For example "Views my own".]
[bookmark: _GoBack]Do not use the council's logo.

2.2 Accounts protected by good passwords for

password quality are less likely to be hacked.

ENDS
"""


def test_cutting_follows_the_structure_and_cleans_only_debris():
    drafts, skipped = split(QUIRKS)
    got = [(d.section, d.heading, d.text) for d in drafts]
    assert got == [
        ("1.1", "Introduction", "This policy applies to councillors. It covers what they post, including on sites that are not run by the council."),
        ("1.2", "Introduction", "Examples of social media include Facebook and X (formerly Twitter)."),
        ("2.1", "Conduct", "Councillors must:\n- be respectful;\n- not disclose confidential information."),
        ("2 > Using a disclaimer, para 1", "Conduct > Using a disclaimer", "Say that your views are your own."),
        ("2 > Using a disclaimer, para 1, footnote 1", "Conduct > Using a disclaimer", 'For example "Views my own".'),
        ("2 > Using a disclaimer, para 2", "Conduct > Using a disclaimer", "Do not use the council's logo."),
        ("2.2", "Conduct > Using a disclaimer", "Accounts protected by good passwords for password quality are less likely to be hacked."),
    ]
    original = normalise(QUIRKS)
    assert all(locate(original, d.text) >= 0 for d in drafts)
    assert [(no, why.split(" ")[0]) for no, _, why in skipped] == [(1, "front"), (2, "front"), (17, "empty"), (26, "a")]


def test_a_list_of_separate_provisions_is_split_and_its_lead_in_kept():
    drafts, _ = split(
        "Responsibilities\n"
        "Councillors are personally responsible for what they post. This includes:\n"
        "\u00b7 Defamation: a false statement that harms a reputation;\n"
        "\u00b7 Copyright: do not post material without permission;\n"
        "\u00b7 Harassment: a campaign that causes alarm or distress.\n"
    )
    assert [d.section for d in drafts] == ["Responsibilities", "Responsibilities, item 1", "Responsibilities, item 2", "Responsibilities, item 3"]
    assert drafts[0].text == "Councillors are personally responsible for what they post. This includes:"
    assert drafts[1].text == "- Defamation: a false statement that harms a reputation;"


def test_shared_wording_with_a_tagged_clause_is_named_and_sets_the_level(tmp_path, cli):
    """A clause whose wording a tagged council already has: the report names that clause, and the
    level suggested is the one a person set on it."""
    root = sources_project(tmp_path)
    raw = tmp_path / "policy.txt"
    raw.write_text((SOURCES / "originals" / "wiltshire.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = cli(root, "ingest", str(raw), "--council", "wilts", "--name", "Wilts Council", "-o", str(out))
    assert result.code == 0, result.err
    assert "wilts-introduction-para-1 shares wording with Wiltshire, \u2018Introduction\u2019, para 1 (most of this clause)" in result.out
    hand = HAND.clause_by_id["wiltshire-responsibilities-3"]
    written = (out / "wilts.yaml").read_text(encoding="utf-8")
    block = written[written.index('section: "Responsibilities of councillors, para 3"') :]
    level_line = next(line for line in block.splitlines() if line.strip().startswith("level:"))
    assert level_line.split("#")[0].split(":")[1].strip() == hand.level_on("security-privacy")
    assert "which shares most of this wording" in level_line
