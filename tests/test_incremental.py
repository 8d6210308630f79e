"""Incremental rebuilds (`mkdocs serve`): after an edit, regenerating only the affected pages gives
exactly what a full build gives, and really does regenerate fewer files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.make_corpus import make_corpus
from policyhandbook.incremental import Rebuilder
from policyhandbook.pipeline import Paths, render_handbook
from policyhandbook.render import COMPACT_FROM

from .conftest import ROOT, make_project


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def encoded(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {name: content.encode() if isinstance(content, str) else content for name, content in files.items()}


def edit(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


def first_council(root: Path) -> Path:
    return sorted(p for p in (root / "source_policies").glob("*.yaml") if p.name != "taxonomy.yaml")[0]


def summary(data: dict) -> None:
    data["clauses"][0]["summary"] = "A new editorial summary."


def retag(data: dict, clause: dict, topics: list[str]) -> None:
    """Give a clause new topics, dropping its levels and the council's notes on topics that no longer apply."""
    clause["topics"] = topics
    levels = {t: level for t, level in (clause.get("levels") or {}).items() if t in topics}
    if levels:
        clause["levels"] = levels
    else:
        clause.pop("levels", None)
    drop_stale_notes(data)


def drop_stale_notes(data: dict) -> None:
    """Notes are only allowed on topics the council addresses."""
    addressed = {t for c in data["clauses"] for t in c["topics"]}
    if "notes" in data:
        data["notes"] = {t: notes for t, notes in data["notes"].items() if t in addressed}


def drop_topics(data: dict) -> None:
    """Every clause keeps only its first topic: the council falls silent on several topics."""
    for clause in data["clauses"]:
        retag(data, clause, clause["topics"][:1])


def change_level(data: dict) -> None:
    """A reviewer reads the first clause as a duty on its last topic."""
    clause = data["clauses"][0]
    clause["levels"] = {**(clause.get("levels") or {}), clause["topics"][-1]: "requires" if clause["level"] != "requires" else "permits"}


def add_note(data: dict) -> None:
    data["notes"] = {**(data.get("notes") or {}), data["clauses"][0]["topics"][0]: ["A new editorial note."]}


def add_topic(data: dict) -> None:
    for clause in data["clauses"]:
        clause["topics"] = list(dict.fromkeys(clause["topics"] + ["disclaimer", "sanctions"]))


def short_name(data: dict) -> None:
    data["short_name"] = "Renamed"


def unreviewed(data: dict) -> None:
    data["reviewed"] = False


def delete_clause(data: dict) -> None:
    del data["clauses"][-1]
    drop_stale_notes(data)


LOCAL_EDITS = [summary, drop_topics, add_topic, change_level, add_note, short_name, unreviewed, delete_clause]


@pytest.fixture(params=["five", "large"])
def corpus(request, tmp_path_factory) -> Path:
    """The real five councils (side-by-side pages) and a large synthetic handbook (compact pages)."""
    if request.param == "five":
        return make_project(tmp_path_factory.mktemp("five") / "project", ROOT / "source_policies")
    root = tmp_path_factory.mktemp("large") / "project"
    make_corpus(root, COMPACT_FROM + 2, 10)
    return make_project(tmp_path_factory.mktemp("large-project") / "project", root / "source_policies")


def assert_same_as_full_build(root: Path) -> None:
    _, files = render_handbook(Paths.at(root))
    assert tree(root / "handbook") == encoded(files)


@pytest.mark.parametrize("change", LOCAL_EDITS, ids=lambda f: f.__name__)
def test_an_edit_to_one_council_regenerates_only_what_it_affects(corpus, change):
    builder = Rebuilder(Paths.at(corpus))
    builder.build()
    total = len(builder.files)
    edit(first_council(corpus), change)
    builder.build()
    assert_same_as_full_build(corpus)
    assert 0 < builder.last_rendered < total


def retitle_topic(root: Path) -> None:
    edit(root / "source_policies" / "taxonomy.yaml", lambda data: data["groups"][0]["topics"][0].update(title="A retitled topic"))


def change_template(root: Path) -> None:
    council = root / "templates" / "council.md.j2"
    council.write_text(council.read_text(encoding="utf-8").replace("## The policy", "## The policy, in full"), encoding="utf-8")


@pytest.mark.parametrize("change", [retitle_topic, change_template], ids=["taxonomy", "template"])
def test_a_taxonomy_or_template_change_regenerates_everything(corpus, change):
    builder = Rebuilder(Paths.at(corpus))
    builder.build()
    change(corpus)
    builder.build()
    assert builder.last_rendered == len(builder.files)
    assert_same_as_full_build(corpus)


def test_a_new_council_regenerates_everything(corpus):
    builder = Rebuilder(Paths.at(corpus))
    builder.build()
    source = first_council(corpus)
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for clause in data["clauses"]:
        clause["id"] = clause["id"].replace(data["id"], "zz-new-council", 1)
    data["id"] = "zz-new-council"
    (source.parent / "zz-new-council.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
    builder.build()
    assert "councils/zz-new-council.md" in builder.files
    assert_same_as_full_build(corpus)


def test_an_unchanged_rebuild_checks_no_file_again(corpus, monkeypatch):
    builder = Rebuilder(Paths.at(corpus))
    builder.build()
    checked: list[object] = []
    from policyhandbook import load

    real = load._read_and_check
    monkeypatch.setattr(load, "_read_and_check", lambda job: checked.append(job) or real(job))
    builder.build()
    assert checked == []
    edit(first_council(corpus), summary)
    builder.build()
    assert [job[0].name for job in checked] == [first_council(corpus).name]


def test_a_bad_save_leaves_handbook_as_it_was_and_the_fix_rebuilds(corpus):
    from policyhandbook.problems import SourceError

    builder = Rebuilder(Paths.at(corpus))
    builder.build()
    before = tree(corpus / "handbook")
    edit(first_council(corpus), lambda data: data["clauses"][0].update(topics=["purpse"]))
    with pytest.raises(SourceError, match="unknown topic 'purpse'"):
        builder.build()
    assert tree(corpus / "handbook") == before
    edit(first_council(corpus), lambda data: data["clauses"][0].update(topics=["disclaimer"]))
    builder.build()
    assert_same_as_full_build(corpus)


@pytest.fixture(scope="module")
def large_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("prop") / "corpus"
    make_corpus(root, COMPACT_FROM + 1, 6)
    return make_project(tmp_path_factory.mktemp("prop-project") / "project", root / "source_policies")


TOPICS = ["disclaimer", "safeguarding", "pre-election", "meetings", "sanctions", "purpose"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 5), st.lists(st.sampled_from(TOPICS), min_size=1, max_size=3, unique=True)), min_size=1, max_size=4
    )
)
def test_random_retagging_gives_the_full_build(large_project, edits):
    """Any sequence of retaggings, applied one save at a time, leaves handbook/ as a full build makes it."""
    builder = Rebuilder(Paths.at(large_project))
    builder.build()
    councils = sorted(p for p in (large_project / "source_policies").glob("*.yaml") if p.name != "taxonomy.yaml")
    for council, clause, topics in edits:
        edit(councils[council], lambda data, clause=clause, topics=topics: retag(data, data["clauses"][clause], topics))
        builder.build()
        assert_same_as_full_build(large_project)


def test_make_serve_regenerates_only_the_affected_pages_of_a_saved_file(tmp_path):
    """The real `mkdocs serve`: a saved summary shows on the served topic page, and the log says how few files were redone."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = make_project(tmp_path / "project")
    shutil.copytree(ROOT / "handbook", root / "handbook")  # MkDocs needs docs_dir to exist before the hook runs
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        source = first_council(root)
        council = yaml.safe_load(source.read_text(encoding="utf-8"))
        topic = council["clauses"][0]["topics"][0]
        url = f"http://127.0.0.1:{port}/topics/{topic}/"

        def served() -> str:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return response.read().decode()
            except OSError:
                return ""

        deadline = time.monotonic() + 60
        while "Serving on" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert served(), log.read_text()
        edit(source, lambda data: data["clauses"][0].update(summary="A summary saved during serve."))
        while "A summary saved during serve." not in served() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "A summary saved during serve." in served(), log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
    counts = [line.split("handbook/: ")[1] for line in log.read_text().splitlines() if "handbook/: " in line]
    first, *later = counts
    total = int(first.split(" of ")[1].split()[0])
    assert first.startswith(f"{total} of {total} files regenerated")
    assert later and all(int(line.split(" of ")[0]) < total for line in later), counts


def test_make_serve_serves_the_last_good_pages_with_the_problem_while_a_bad_save_is_in_place(tmp_path):
    """A bad save made the preview hold every request until it was fixed; now the last good pages
    are served, each saying what is wrong, and the fix shows as soon as it is saved."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = make_project(tmp_path / "project")
    (root / "handbook").mkdir()  # MkDocs needs docs_dir to exist before the hook runs
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "serve.log"
    url = f"http://127.0.0.1:{port}/topics/sanctions/"

    def served() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError as err:  # a held request times out
            return f"no page: {err}"

    def wait_for(text: str, deadline: float) -> str:
        page = served()
        while text not in page and time.monotonic() < deadline:
            time.sleep(0.2)
            page = served()
        return page

    source = root / "source_policies" / "alpha.yaml"
    good = source.read_text(encoding="utf-8")
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        assert "Breaches may be referred" in wait_for("Breaches may be referred", deadline), log.read_text()
        source.write_text(good.replace("topics: [sanctions]", "topics: [sanctionz]"), encoding="utf-8")
        page = wait_for("The sources have problems", deadline)
        assert "The sources have problems" in page, log.read_text()
        assert "source_policies/alpha.yaml:34: clause &#39;alpha-2-1&#39;: unknown topic &#39;sanctionz&#39;. Did you mean &#39;sanctions&#39;?" in page
        assert "Breaches may be referred" in page  # the last good page
        source.write_text(good.replace("heading: Breaches", "heading: Breaches and referrals"), encoding="utf-8")
        page = wait_for("Breaches and referrals", deadline)
        assert "Breaches and referrals" in page and "The sources have problems" not in page, log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "handbook/: not regenerated (1 problem); the preview shows the last good pages until they are fixed" in text
    assert "Traceback" not in text
