"""The handbook read from a folder (file://), as a council officer would after downloading
site/handbook-offline.zip: pages link to pages, and search, the comparison view and the draft work."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from policyhandbook import offline

from .test_levels import HANDBOOK


@pytest.fixture(scope="module")
def folder(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / offline.ZIP_NAME) as archive:
        archive.extractall(target)
    return target / offline.FOLDER


def test_the_zip_holds_every_page_and_pdf(built_site, folder):
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")}
    for page in pages:
        leaf = page[: -len("/index.html")] + ".html"  # matrix/index.html -> matrix.html; topics/index.html stays
        assert (folder / page).is_file() or (folder / leaf).is_file(), page
    assert sorted(p.name for p in (folder / "pdf").rglob("*.pdf")) == sorted(p.name for p in (built_site / "pdf").rglob("*.pdf"))
    assert not (folder / "pagefind").exists()


def test_the_zip_is_reproducible(built_site, tmp_path):
    again = tmp_path / "again.zip"
    with zipfile.ZipFile(built_site / offline.ZIP_NAME) as archive:
        archive.extractall(tmp_path / "x")
    offline.write_zip(tmp_path / "x" / offline.FOLDER, again, 1_700_000_000)
    first = tmp_path / "first.zip"
    offline.write_zip(tmp_path / "x" / offline.FOLDER, first, 1_700_000_000)
    assert first.read_bytes() == again.read_bytes()


def test_links_between_pages_open_pages_not_folders(browser, folder):
    page = browser.new_page()
    page.goto((folder / "index.html").as_uri())
    page.locator("nav").get_by_role("link", name="Coverage matrix").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/matrix.html")
    cell = HANDBOOK.cell("disclaimer", "oxford")
    page.locator(f'a[href$="topics/disclaimer.html#{cell.deciding.id}"]').first.click()
    page.wait_for_load_state()
    assert page.locator(f"#{cell.deciding.id}").is_visible()
    page.close()


def test_search_compare_and_draft_work_from_the_folder(browser, folder):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((folder / "search.html").as_uri() + "?q=privacy+settings")
    page.wait_for_selector(".search-hit")
    first = page.locator(".search-hit-title a").first
    assert ".html?highlight=" in first.get_attribute("href")
    first.click()
    page.wait_for_load_state()
    assert page.locator(".clause-text mark").count() > 0
    page.goto((folder / "compare.html").as_uri() + "?a=wiltshire-introduction-1&b=chiltern-south-bucks-1-1")
    page.wait_for_selector(".compare-side del")
    page.goto((folder / "topics" / "disclaimer.html").as_uri())
    page.locator("article.clause").first.get_by_role("button", name="Add to draft").click()
    page.goto((folder / "draft.html").as_uri())
    page.wait_for_timeout(500)
    assert page.locator("#draft-app").inner_text().strip(), "the draft page shows the draft"
    assert not errors, errors
    page.close()
