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
