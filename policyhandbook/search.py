"""Search stage: index the handbook's search records with Pagefind, whose index is split into small
chunks, so a reader's browser downloads only the parts a query needs, however large the handbook grows.

The records (every clause, with its citation and its council, topics and audience to filter by, and
the topic and council pages) are the site's data/search.js, which the search page also reads directly
when the site is opened from a folder. Each record becomes a small page for Pagefind's indexer, with
the address of the clause on its council page as metadata; nothing from the site's own pages (navigation,
editorial notes) is indexed. The binary comes from the pinned `pagefind_bin` package.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from html import escape
from pathlib import Path

import pagefind_bin

from .data import SEARCH_GLOBAL

BUNDLE = "pagefind"  # the folder of the site that holds the index
RECORDS = "data/search.js"


class SearchError(Exception):
    """The search index could not be built; the message says what to do."""


def read_records(site: Path) -> list[dict]:
    script = (site / RECORDS).read_text(encoding="utf-8")
    if not script.startswith(SEARCH_GLOBAL):
        raise ValueError(f"{RECORDS} does not hold the handbook's search records")
    return json.loads(script[len(SEARCH_GLOBAL) :].rstrip().rstrip(";"))


def record_page(record: dict) -> str:
    """One record as a page for the indexer: its text is the content; its address, title and the
    rest are metadata, with the text again, since Pagefind's own excerpt adds a full stop after every
    block; its council, topics and audience are filter words. Every value is escaped."""
    fields = {**record["meta"], "url": record["url"], "text": record["content"]}  # text: the excerpt is cut from it, word for word
    meta = "".join(f'<span data-pagefind-meta="{escape(key)}">{escape(value)}</span>' for key, value in fields.items())
    text = "".join(f"<p>{escape(line)}</p>" for line in record["content"].split("\n"))
    marks = " ".join(filter_word(key, value) for key, values in record["filters"].items() for value in values)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>r</title></head><body><div hidden>{meta}</div>'
        f"<main data-pagefind-body>{text}<p>{marks}</p></main></body></html>"
    )


def filter_word(key: str, value: str) -> str:
    """A word that stands for one filter value ("council: Oxford"), added to the record's indexed text:
    the search page adds the words of the chosen filters to the query, and drops them from excerpts.
    (Pagefind's own filters are written in a different order on every run, so a build would not be
    reproducible with them.)"""
    return f"zz{key[0]}{value.encode('utf-8').hex()}"


def index(site: Path) -> None:
    """Write the search index into ``site``/pagefind/."""
    try:
        records = read_records(site)
    except (OSError, ValueError) as err:
        raise SearchError(f"the search records could not be read ({err}); run `make site` again") from None
    with tempfile.TemporaryDirectory(prefix="handbook-search-") as tmp:
        pages = Path(tmp)
        for n, record in enumerate(records):
            (pages / f"{n}.html").write_text(record_page(record), encoding="utf-8")
        command = [str(pagefind_bin.get_executable()), "--site", str(pages), "--output-path", str(Path(site).resolve() / BUNDLE), "--quiet"]
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise SearchError(f"the search index could not be built (pagefind exited with {result.returncode}): {detail}; run `make site` again, or report this")
