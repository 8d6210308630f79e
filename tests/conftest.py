"""Shared fixtures: a tiny project built from tests/fixtures/mini, and a CLI runner."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from policyhandbook.cli import main
from policyhandbook.write import make_readable

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def make_project(target: Path, sources: Path = MINI / "source_policies") -> Path:
    """A project folder holding ``sources`` and the real templates, config and code."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(sources, target / "source_policies")
    for name in ("templates", "hooks", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    os.symlink(ROOT / "policyhandbook", target / "policyhandbook")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run build.py in-process from inside a project folder, so paths print as the user sees them."""

    def run(root: Path, *args: str) -> Result:
        monkeypatch.chdir(root)
        code = main(["--root", str(root), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


# --- the built site, served locally, and one shared browser ----------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real handbook built into a temporary site folder (once per test session)."""
    import subprocess
    import sys

    site = tmp_path_factory.mktemp("site") / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "build.py", "build"], cwd=ROOT, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # The PDFs the pages link to, as `build.py site` adds them (unchanged ones come from .cache/pdf/).
    from policyhandbook import pdf
    from policyhandbook.load import load

    pdf.build_pdfs(load(ROOT / "source_policies"), ROOT, ROOT / "templates", site / pdf.PDF_DIR)
    from policyhandbook import offline
    from policyhandbook.pipeline import Paths

    offline.build(Paths.at(ROOT), site, env)  # site/handbook-offline.zip, as `build.py site` adds it
    make_readable(site)
    return site


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) for the duration; yields its base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("LinkChecker", "unlimited")  # lifts linkchecker's politeness delay for this local server
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """The built site served on 127.0.0.1."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed; run .ci/run or `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def site_pages(site: Path) -> list[str]:
    """Every HTML page of a built site, as URL paths ('/', '/topics/disclaimer/', ...)."""
    paths = []
    for page in sorted(site.rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix()
        paths.append("/" if rel == "." else f"/{rel}/")
    return paths
