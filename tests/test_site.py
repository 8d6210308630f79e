"""End to end: build.py build, then mkdocs build --strict, on the fixture corpus and the real sources."""

from __future__ import annotations

import os
import subprocess
import sys

from .conftest import ROOT


def mkdocs_build(root, site):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def test_fixture_corpus_builds_strict(project, cli, tmp_path):
    assert cli(project, "build").code == 0
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "topics" / "pre-election" / "index.html").read_text()
    assert "&lt;b&gt;or&lt;/b&gt;" in page
    assert 'lang="en-GB"' in page
    assert (tmp_path / "site" / "data" / "clauses.json").is_file()


def test_real_sources_build_strict(tmp_path):
    result = subprocess.run([sys.executable, "build.py", "build"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("build: handbook/ ")
    assert " councils, " in result.stdout and " pages, " in result.stdout
    result = mkdocs_build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for path in ("index.html", "matrix/index.html", "topics/disclaimer/index.html", "councils/oxford/index.html", "data/clauses.csv"):
        assert (site / path).is_file(), path
    html = "".join(p.read_text() for p in site.rglob("*.html"))
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_help_on_every_command():
    for args in ([], ["check"], ["build"], ["site"]):
        result = subprocess.run([sys.executable, "build.py", *args, "--help"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0
        assert "usage: build.py" in result.stdout


def test_two_site_builds_are_byte_identical(tmp_path):
    """Same sources, same bytes: handbook/ is already compared in test_pages; here, the whole site."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
    trees = []
    for name in ("one", "two"):
        site = tmp_path / name
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        trees.append({p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()})
    assert sorted(trees[0]) == sorted(trees[1])
    differ = [name for name in trees[0] if trees[0][name] != trees[1][name]]
    assert not differ, differ
