"""Checks against the real built site with real tools: axe-core in Chromium, the Nu HTML Checker,
linkchecker, recorded network requests, and the browser's own print to PDF."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from policyhandbook.load import load
from policyhandbook.text import normalise

from .conftest import ROOT, site_pages

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# The Nu checker's complaints about Material's own templates, each with the reason it is accepted.
VNU_KNOWN = {
    # Material's drawer and search toggles are checkboxes with autocomplete="off", which stops
    # Firefox restoring their state on reload; the theme's template, not our markup.
    "Attribute \u201cautocomplete\u201d is only allowed when the input type is \u201ccolor\u201d, \u201cdate\u201d, "
    "\u201cdatetime-local\u201d, \u201cemail\u201d, \u201chidden\u201d, \u201cmonth\u201d, \u201cnumber\u201d, "
    "\u201cpassword\u201d, \u201crange\u201d, \u201csearch\u201d, \u201ctel\u201d, \u201ctext\u201d, "
    "\u201ctime\u201d, \u201curl\u201d, or \u201cweek\u201d.": "Material's drawer and search toggles",
    # Material's navigation labels carry tabindex="" (the theme's template sets it only on some levels).
    "Bad value \u201c\u201d for attribute \u201ctabindex\u201d on element \u201clabel\u201d: "
    "The empty string is not a valid integer.": "Material's navigation section labels",
}


def _need(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing; run `npm ci` (make test does it)")


@pytest.fixture(scope="module")
def pages(built_site):
    return site_pages(built_site)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_axe_finds_no_wcag_violations_on_any_page(browser, site_url, pages, scheme, viewport):
    _need(AXE)
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    failures = []
    for path in pages:
        page.goto(site_url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS)
        for violation in result["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            failures.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    context.close()
    assert not failures, "\n".join(failures)


def test_no_request_leaves_the_site(browser, site_url, pages):
    context = browser.new_context()
    page = context.new_page()
    hosts: set[str] = set()
    outside = []
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc or urlparse(request.url).scheme))
    for path in pages:
        page.goto(site_url + path, wait_until="networkidle")
    context.close()
    local = urlparse(site_url).netloc
    outside = sorted(h for h in hosts if h not in (local, "data", "blob"))
    assert not outside, f"requests to other hosts: {outside}"


def test_html_is_valid(built_site):
    _need(VNU)
    if not shutil.which("java"):
        pytest.fail("java is not installed; run .ci/run")
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", "--errors-only", str(built_site)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [m for m in messages if m.get("type") == "error" and m["message"] not in VNU_KNOWN]
    report = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in errors]
    assert not report, "\n".join(report[:30])


def test_links_resolve(site_url, tmp_path):
    """linkchecker crawls the served site: every link and asset must load."""
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nthreads=8\n")
    linkchecker = ROOT / ".venv" / "bin" / "linkchecker"
    command = [str(linkchecker) if linkchecker.exists() else "linkchecker", "--config", str(config), "--no-status", site_url + "/"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name == "href" and tag == "a" and value:
                self.links.append(value)


def test_every_anchor_resolves(built_site):
    """Every '#fragment' link, within a page or to another page, names an element that exists.

    linkchecker's AnchorCheck plugin does the same but downloads and parses the target page again
    for each of the site's ~1,200 distinct anchor links (over five minutes here), so each page is
    parsed once instead.
    """
    parsed = {}
    for page in built_site.rglob("*.html"):
        parser = _Anchors()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page] = parser
    broken = []
    checked = 0
    for page, parser in parsed.items():
        for link in parser.links:
            url = urlparse(link)
            if url.scheme or url.netloc or not url.fragment:
                continue
            target = (page.parent / url.path).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if target not in parsed:
                continue  # not an HTML page (a file); linkchecker checks that it exists
            checked += 1
            if url.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(built_site)}: {link}")
    assert checked > 1000
    assert not broken, "\n".join(broken[:30])


def test_topic_page_council_toggles_work_by_keyboard(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/topics/disclaimer/")
    boxes = page.locator(".council-picker input[type=checkbox]")
    assert boxes.count() == 5
    # Tab from the top of the page until the first council toggle has focus.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "council":
            break
    else:
        pytest.fail("the council toggles cannot be reached with the Tab key")
    first = page.evaluate("document.activeElement.value")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "no visible focus on the council toggle"
    page.keyboard.press("Space")
    assert page.locator(f"#council-{first}").is_hidden()
    assert "councils=" in page.url and first not in page.url.split("councils=")[1]
    page.keyboard.press("Space")
    assert page.locator(f"#council-{first}").is_visible()
    page.close()


def test_shared_address_restores_the_choice(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/topics/meetings/?councils=oxford,wiltshire")
    visible = page.eval_on_selector_all(".compare-col", "cols => cols.filter(c => !c.hidden).map(c => c.dataset.council)")
    assert visible == ["oxford", "wiltshire"]
    page.close()


def test_matrix_gap_filter(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/matrix/")
    rows = page.locator("tr.matrix-row")
    total = rows.count()
    page.get_by_label("Only topics where at least one council is silent").check()
    shown = page.locator("tr.matrix-row:not([hidden])")
    assert 0 < shown.count() < total
    for i in range(shown.count()):
        assert "Silent" in shown.nth(i).inner_text()
    assert "gaps=1" in page.url
    page.close()


def test_every_page_has_language_and_skip_link(built_site, pages):
    for path in pages:
        html = (built_site / path.strip("/") / "index.html").read_text()
        assert '<html lang="en-GB"' in html, path
        assert 'class="md-skip"' in html, path


def test_print_shows_every_clause_of_the_councils_chosen_on_a_topic_page(browser, site_url, tmp_path):
    """Chromium's own print to PDF of a topic page with councils chosen: every clause of the chosen
    councils, none of the others, and a line saying which were chosen."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is not installed; run .ci/run")
    handbook = load(ROOT / "source_policies")
    topic = "disclaimer"
    page = browser.new_page()
    page.goto(site_url + f"/topics/{topic}/?councils=oxford,brackley")
    page.emulate_media(media="print")
    pdf = tmp_path / "print.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    page.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = normalise(re.sub(r"-\s*\n\s*", "-", text))
    assert "Showing the councils chosen on the page: Brackley, Oxford" in flat
    missing, extra = [], []
    for council in handbook.councils:
        for clause in handbook.by_topic[topic][council.id]:
            words = normalise(clause.text).replace("- ", "").split(" ")
            probe = " ".join(words[-6:])
            if council.id in ("oxford", "brackley") and probe not in flat:
                missing.append(f"{clause.id}: {probe!r}")
            if council.id not in ("oxford", "brackley") and probe in flat:
                extra.append(clause.id)
    assert not missing, missing
    assert not extra, extra
