"""Search stage: index the built site with Pagefind, whose index is split into small chunks, so
a reader's browser downloads only the parts a query needs, however large the handbook grows.

The binary comes from the pinned `pagefind_bin` package; nothing is downloaded at build time.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pagefind_bin

BUNDLE = "pagefind"  # the folder of the site that holds the index and Pagefind's interface
ROOT_SELECTOR = "article.md-content__inner"  # the page's own content: not the navigation, header or footer
# Left out: permalinks, download links, and the tables of counts and editorial summaries (the
# quotations themselves are on the same pages).
EXCLUDE = (".headerlink", ".pdf-download", ".glance-wrap", ".matrix-wrap", ".matrix-tools", ".compare-picker")
# The pages worth finding: not the search page itself, the draft or the error page.
PAGES = "{index.html,matrix/index.html,topics/**/*.html,councils/**/*.html,about/index.html,data/index.html,accessibility/index.html}"


class SearchError(Exception):
    """The search index could not be built; the message says what to do."""


def index(site: Path) -> None:
    """Write the search index and interface into ``site``/pagefind/."""
    command = [str(pagefind_bin.get_executable()), "--site", str(site), "--output-subdir", BUNDLE, "--root-selector", ROOT_SELECTOR, "--glob", PAGES, "--quiet"]
    for selector in EXCLUDE:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise SearchError(f"the search index could not be built (pagefind exited with {result.returncode}): {detail}; run `make site` again, or report this")
