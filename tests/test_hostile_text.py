"""Valid but hostile policy text renders as literal text: no markup, no script, in a real browser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT, make_project

HOSTILE = [
    "<script>document.title='pwned'; alert(1)</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "| column | other |",
    "|---|---|",
    "{{ config.site_name }} and {% raw %}",
    "<!-- a comment that must show -->",
    "`code` and ```fenced```",
    "# not a heading",
    "---",
    "*not emphasis* and _not either_ and [not a link](http://example.com)",
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("hostile") / "project")
    sources = root / "source_policies"
    original = sources / "originals" / "alpha.txt"
    original.write_text(original.read_text() + "\n3. Odd text\n\n" + "\n".join(HOSTILE) + "\n")
    council = sources / "alpha.yaml"
    lines = "\n".join("      " + line for line in HOSTILE)
    clause = f'  - id: alpha-3\n    section: "3"\n    heading: Odd text\n    topics: [scope]\n    level: mentions\n    text: |\n{lines}\n'
    council.write_text(council.read_text().replace("retrieved:", clause + "retrieved:"))
    build = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build"], cwd=root, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    site = root / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return site


def test_hostile_text_shows_literally_and_runs_nothing(hostile_site, browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in ("councils/alpha/index.html", "topics/scope/index.html"):
        page.goto((hostile_site / path).as_uri())
        clause = page.locator("#alpha-3 blockquote")
        text = clause.inner_text()
        for line in HOSTILE:
            assert line in text, (path, line)
        assert clause.locator("script, img, table, h1, code, em, a, hr").count() == 0
        assert page.title() != "pwned"
    assert dialogs == []
    page.close()
