"""Broken and hostile sources: exact errors, exit 1, no traceback, and nothing the user had is lost."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

BAD = Path(__file__).parent / "bad_inputs"
FILES = sorted(BAD.glob("*.yaml"))


def expected(path: Path) -> list[str]:
    lines = re.findall(rb"^# expect: (.*?)\r?$", path.read_bytes(), re.MULTILINE)
    return [line.decode("utf-8") for line in lines]


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_the_corpus_is_big_enough():
    assert len(FILES) >= 30


@pytest.mark.parametrize("bad", FILES, ids=lambda p: p.stem)
def test_bad_input(project, cli, bad):
    want = expected(bad)
    assert want, f"{bad.name} has no '# expect:' line"
    assert cli(project, "build").code == 0
    before = snapshot(project / "handbook")
    shutil.copy(bad, project / "source_policies" / "alpha.yaml")
    result = cli(project, "build")
    assert "Traceback" not in result.err
    if want == ["ok"]:
        assert result.code == 0, result.err
        return
    assert result.code == 1
    assert result.lines[:-1] == want
    assert re.fullmatch(r"build\.py: \d+ errors? in \d+ files?; nothing was written\.", result.lines[-1])
    assert snapshot(project / "handbook") == before


def test_ten_megabyte_file(project, cli):
    path = project / "source_policies" / "alpha.yaml"
    with path.open("a", encoding="utf-8") as out:
        out.write("# padding\n" * (10 * 1024 * 1024 // 10))
    result = cli(project, "check")
    assert result.code == 1
    assert result.lines[0].startswith("source_policies/alpha.yaml:1: file is too large (10,")
    assert result.lines[0].endswith("bytes, the limit is 2,000,000); a council's policy file should be far smaller, so check that this is the right file")


def test_failed_site_build_leaves_site_untouched(project, cli):
    assert cli(project, "site").code == 0
    before = snapshot(project / "site")
    shutil.copy(BAD / "11-unknown-topic.yaml", project / "source_policies" / "alpha.yaml")
    assert cli(project, "site").code == 1
    assert snapshot(project / "site") == before


def _fails_with(project, cli, want: list[str]) -> None:
    """The build reports exactly ``want``, exits 1 without a traceback and leaves handbook/ as it was."""
    before = snapshot(project / "handbook") if (project / "handbook").is_dir() else {}
    result = cli(project, "build")
    assert "Traceback" not in result.err
    assert result.code == 1
    assert result.lines[:-1] == want
    assert result.lines[-1].endswith("; nothing was written.")
    assert (snapshot(project / "handbook") if (project / "handbook").is_dir() else {}) == before


def test_files_linked_from_outside_the_project_are_refused(project, cli, tmp_path):
    """An original that is a link to a file outside source_policies/ (even one the clauses quote) is
    not published; nor is a council file that is such a link."""
    assert cli(project, "build").code == 0
    sources = project / "source_policies"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (sources / "originals" / "alpha.txt").rename(outside / "alpha.txt")
    (sources / "originals" / "alpha.txt").symlink_to(outside / "alpha.txt")
    (sources / "beta.yaml").rename(outside / "beta.yaml")
    (sources / "beta.yaml").symlink_to(outside / "beta.yaml")
    _fails_with(
        project,
        cli,
        [
            "source_policies/alpha.yaml:11: original text 'originals/alpha.txt' is a link to a file outside source_policies/, which the handbook "
            "must not publish; copy the council's original text into source_policies/originals/ and point 'original' at it",
            f"source_policies/beta.yaml:1: this file is a link to {outside / 'beta.yaml'}, outside source_policies/; copy the file into source_policies/ instead",
        ],
    )


def test_ids_that_would_replace_the_sites_own_pages_are_refused(project, cli):
    sources = project / "source_policies"
    text = (sources / "alpha.yaml").read_text(encoding="utf-8")
    (sources / "alpha.yaml").unlink()
    (sources / "index.yaml").write_text(text.replace("id: alpha", "id: index"), encoding="utf-8")
    taxonomy = sources / "taxonomy.yaml"
    topic = "      - id: index\n        title: Index\n        description: A topic whose page would be the list of topics.\n"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("      - id: scope\n", topic + "      - id: scope\n"), encoding="utf-8")
    _fails_with(
        project,
        cli,
        [
            "source_policies/index.yaml:1: the id 'index' is reserved: /councils/index/ would replace the site's own list page; choose another id",
            "source_policies/taxonomy.yaml:5: the id 'index' is reserved: /topics/index/ would replace the site's own list page; choose another id",
        ],
    )


def test_a_file_name_that_cannot_be_an_id_gets_a_name_that_can(project, cli):
    sources = project / "source_policies"
    (sources / "alpha.yaml").rename(sources / "Alpha Town.yaml")
    _fails_with(
        project,
        cli,
        [
            "source_policies/Alpha Town.yaml:1: the file name 'Alpha Town.yaml' cannot be a council id (lower-case letters, digits and single hyphens); rename the file to 'alpha.yaml'"
        ],
    )
    (sources / "Alpha Town.yaml").write_text((sources / "Alpha Town.yaml").read_text(encoding="utf-8").replace("id: alpha\n", "id: Alpha\n"), encoding="utf-8")
    result = cli(project, "check")
    assert result.lines[:-1] == [
        "source_policies/Alpha Town.yaml:1: 'Alpha' is not a valid id; use lower-case letters, digits and single hyphens (e.g. 'oxford-3-1')",
        "source_policies/Alpha Town.yaml:1: the file name 'Alpha Town.yaml' cannot be a council id (lower-case letters, digits and single hyphens); "
        "rename the file to 'alpha-town.yaml' and set 'id: alpha-town'",
        *(
            f"source_policies/Alpha Town.yaml:{line}: clause '{clause}': clause id '{clause}' must start with the council id, as 'alpha-town-...'"
            for line, clause in ((14, "alpha-1-1"), (22, "alpha-1-2"), (31, "alpha-2-1"))
        ),
    ]


def test_a_broken_taxonomy_is_reported_without_its_consequences(project, cli):
    """One syntax error in the taxonomy is one message, not one more for every clause's topics."""
    taxonomy = project / "source_policies" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("title: Basics", "title: [Basics"), encoding="utf-8")
    _fails_with(
        project,
        cli,
        [
            "source_policies/taxonomy.yaml:4: cannot parse the file: a list opened with '[' is not closed with ']' (YAML: did not find expected ',' or ']'); "
            "check the indentation and quoting on this line and the one before"
        ],
    )


def test_decomposed_accents_are_named_as_such(project, cli):
    """A clause in NFD against an NFC original looks identical; the message says what differs."""
    sources = project / "source_policies"
    original = sources / "originals" / "alpha.txt"
    original.write_text(original.read_text(encoding="utf-8").replace("all councillors", "all councillors and the caf\u00e9"), encoding="utf-8")
    council = sources / "alpha.yaml"
    council.write_text(council.read_text(encoding="utf-8").replace("to all councillors.", "to all councillors and the cafe\u0301."), encoding="utf-8")
    _fails_with(
        project,
        cli,
        [
            "source_policies/alpha.yaml:20: clause 'alpha-1-1': text not found in the original (source_policies/originals/alpha.txt), though it reads the same: "
            "its accented letters are encoded decomposed (NFD), the original's composed (NFC); copy the wording from the original again, "
            "or save this file in Unicode NFC form"
        ],
    )


def test_thirty_thousand_clauses_are_refused(project, cli):
    """A file under the size limit with 24,000 clauses (30,000 in the report that found it) passed check, then `site` never finished (a PDF
    worker grew to 9.7 GB); now the check refuses it, quickly."""
    import time

    sources = project / "source_policies"
    (sources / "originals" / "alpha.txt").write_text("\n".join(f"P{n}" for n in range(24_000)) + "\n", encoding="utf-8")
    head = (sources / "alpha.yaml").read_text(encoding="utf-8").split("clauses:")[0]
    body = "".join(f"- {{id: alpha-{n}, section: {n}, topics: scope, level: mentions, text: P{n}}}\n" for n in range(24_000))
    (sources / "alpha.yaml").write_text(head + "retrieved: not recorded\nchecked: not recorded\nclauses:\n" + body, encoding="utf-8")
    assert (sources / "alpha.yaml").stat().st_size < 2_000_000
    started = time.perf_counter()
    _fails_with(
        project,
        cli,
        [
            "source_policies/alpha.yaml:15: 24,000 clauses, but a council's policy may have at most 2,000 (the longest so far has about a hundred); "
            "check that this file holds one council's policy"
        ],
    )
    assert time.perf_counter() - started < 20
