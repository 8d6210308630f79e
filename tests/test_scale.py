"""Large handbooks: topic pages list every clause compactly and compare the councils a reader picks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from benchmarks.make_corpus import make_corpus
from policyhandbook.pipeline import Paths, render_handbook
from policyhandbook.render import COMPACT_FROM

from .conftest import ROOT, serve


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("large") / "project"
    make_corpus(root, COMPACT_FROM + 2, 12)
    for name in ("templates", "hooks", "overrides"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(root / name)], check=True)
    subprocess.run(["cp", str(ROOT / "mkdocs.yml"), str(root)], check=True)
    os.symlink(ROOT / "policyhandbook", root / "policyhandbook")
    return root


def test_every_clause_is_anchored_on_its_topic_pages_and_in_the_topic_data(large):
    handbook, files = render_handbook(Paths.at(large))
    for topic in handbook.topics:
        page = files[f"topics/{topic.id}.md"]
        data = json.loads(files[f"data/topics/{topic.id}.json"])
        in_data = {c["id"]: c["text"] for council in data["councils"] for c in council["clauses"]}
        for council in handbook.councils:
            for clause in handbook.by_topic[topic.id][council.id]:
                assert f'<li id="{clause.id}">' in page
                assert in_data[clause.id] == clause.text
        assert 'class="compare-col' not in page  # no static columns: the reader picks
        assert len(page.encode()) < 1_000_000


def test_reader_picks_councils_and_the_address_keeps_them(large, browser):
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(large), "build"], capture_output=True).returncode == 0
    site = large / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=large, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr

    with serve(site) as url:
        page = browser.new_page()
        page.goto(url + "/topics/disclaimer/")
        page.wait_for_selector(".compare-col")
        first = page.eval_on_selector_all(".compare-col", "cols => cols.map(c => c.dataset.council)")
        assert len(first) == 3
        names = page.eval_on_selector_all("#compare-councils option", "options => options.map(o => o.value)")
        page.get_by_label("Add a council").fill(names[4])
        page.keyboard.press("Enter")
        shown = page.eval_on_selector_all(".compare-col", "cols => cols.map(c => c.dataset.council)")
        assert len(shown) == 4
        page.goto(page.url)
        page.wait_for_selector(".compare-col")
        assert page.eval_on_selector_all(".compare-col", "cols => cols.map(c => c.dataset.council)") == shown
        quote = page.locator(".compare-col blockquote").first.inner_text()
        assert quote.strip()
        # The picked councils' clauses can go into the draft like any other.
        columns = page.locator(".compare-col")
        assert page.locator(".compare-col button.draft-toggle").count() == page.locator(".compare-col article.clause").count() > 0
        button = columns.first.locator("button.draft-toggle").first
        button.click()
        expect(button).to_contain_text("Remove from draft")
        assert page.locator(".md-header .draft-link__count").inner_text() == "1"
        page.goto(page.url.split("/topics/")[0] + "/matrix/")
        rows = page.locator("tr.matrix-row")
        silent = [int(rows.nth(i).get_attribute("data-silent")) for i in range(rows.count())]
        assert silent == sorted(silent, reverse=True)  # gaps first
        page.get_by_label("Nation").select_option("England")
        visible = page.locator("tr.matrix-row:not([hidden])")
        assert 0 < visible.count() < rows.count()
        assert {visible.nth(i).get_attribute("data-nation") for i in range(visible.count())} == {"England"}
        page.close()


def test_a_large_handbook_keeps_its_councils_out_of_the_sidebar(large):
    """Every page carries the sidebar: hundreds of council links would bloat and bury it. The built
    site (strict: no warning for the pages left out) still has every council's page, linked from the
    councils page."""
    from policyhandbook.pipeline import navigation

    handbook, _ = render_handbook(Paths.at(large))
    councils = next(item["Councils"] for item in navigation(handbook) if "Councils" in item)
    assert councils == [{"All councils": "councils/index.md"}]
    site = large / "site-nav"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(large), "build"], check=True, capture_output=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=large, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    index = (site / "councils" / "index.html").read_text(encoding="utf-8")
    sidebar = (site / "topics" / "disclaimer" / "index.html").read_text(encoding="utf-8").split('class="md-sidebar md-sidebar--primary"')[1].split("</nav>")[0]
    for council in handbook.councils:
        assert (site / "councils" / council.id / "index.html").is_file()
        assert f'href="{council.id}/"' in index
        assert f"councils/{council.id}/" not in sidebar


def test_large_pages_do_not_scroll_sideways_on_a_phone(large, browser):
    """Wide tables scroll inside their own region: the page itself stays 390 px wide."""
    site = large / "site-phone"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(large), "build"], check=True, capture_output=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)], cwd=large, env=env, check=True, capture_output=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    with serve(site) as url:
        for path in ("/matrix/", "/topics/disclaimer/", "/councils/"):
            page.goto(url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_the_shared_wording_page_of_a_large_handbook_stays_small(large, monkeypatch):
    """It shows the most widely shared passages (FAMILIES_SHOWN), says how many there are, and points to
    similar.json, which holds every clause of the others."""
    from policyhandbook import render

    monkeypatch.setattr(render, "FAMILIES_SHOWN", 3)
    handbook, files = render_handbook(Paths.at(large))
    families = handbook.similarity.families
    assert len(families) > 3
    page = files["similar.md"]
    assert page.count('<section class="family"') == 3
    assert f"{len(families)} passages appear in two or more councils’ policies, the most widely shared first; the 3 most widely shared are below" in page
    data = json.loads(files["data/similar.json"])
    in_data = {p[k] for p in data["pairs"] for k in ("a", "b")} | {c for group in data["wordings"] for c in group}
    assert all(set(family.clauses) <= in_data for family in families[3:])  # the passages not shown are in the data
