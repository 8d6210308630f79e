"""PDF packs: the model -> print HTML (templates/pdf/) -> tagged A4 PDF (WeasyPrint).

The stages, one module each:

- ``pdf_specs``: which PDFs exist (``Spec``), each members' pack's peers, the volumes of a large
  handbook, and the part of the handbook each PDF is made from (``sources_of``) with its versions;
- ``pdf_outline``: a spec's sections (the same list drives the contents page and the PDF
  bookmarks) and its HTML, with the print CSS inlined;
- ``pdf_render``: WeasyPrint, the cache (``.cache/pdf/``, by a hash of the HTML and the engine),
  the worker processes and the progress line.

This module puts them together for ``build.py site`` (``build_pdfs``) and ``build.py pack``
(``build_pack``), and re-exports what callers use.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import TextIO

from .config import site_address
from .dates import build_epoch, long_date
from .limits import too_large
from .model import Handbook
from .pdf_outline import (
    MAX_COLUMNS,
    MIN_COLUMN,
    Context,
    Document,
    Section,
    column_widths,
    document_html,
    input_key,
    outline,
    print_environment,
)
from .pdf_render import CACHE_DIR, FORMAT, PDF_OPTIONS, Report, cache_key, html_to_pdf, prune_cache, render_all
from .pdf_specs import PEERS, PackError, Spec, members_pack_path, pack_spec, peer_groups, sources_of, specs, version, versions, whole_handbook

PDF_DIR = "pdf"

__all__ = [
    "CACHE_DIR",
    "FORMAT",
    "MAX_COLUMNS",
    "MIN_COLUMN",
    "PDF_DIR",
    "PDF_OPTIONS",
    "PEERS",
    "Context",
    "Document",
    "PackError",
    "Report",
    "Section",
    "Spec",
    "build_epoch",
    "build_pack",
    "build_pdfs",
    "cache_key",
    "column_widths",
    "document_html",
    "fill_page_counts",
    "html_to_pdf",
    "input_key",
    "long_date",
    "members_pack_path",
    "outline",
    "pack_spec",
    "peer_groups",
    "print_environment",
    "prune_cache",
    "site_address",
    "sources_of",
    "specs",
    "version",
    "versions",
    "whole_handbook",
]


def context(root: Path, templates: Path) -> Context:
    """What every PDF of one build shares: the templates, the build date, the handbook's address."""
    return Context.make(Path(templates), build_epoch(Path(root)), site_address(Path(root)))


def build_pdfs(
    handbook: Handbook, root: Path, templates: Path, target: Path, workers: int | None = None, use_cache: bool = True, progress: TextIO | None = sys.stderr
) -> Report:
    """Every PDF of the site into ``target`` (site/pdf/ inside the staging folder). When ``target``'s
    parent is the built site, its home page then gives each PDF's number of pages."""
    ctx = context(root, templates)
    left_out = too_large(handbook)
    documents = [
        (spec.path, partial(document_html, handbook, spec, ctx), partial(input_key, handbook, spec, ctx))
        for spec in specs(handbook)
        if spec.path not in left_out
    ]
    cache = Path(root) / CACHE_DIR if use_cache else None
    report = render_all(documents, Path(target), cache, workers, progress)
    report.left_out = sorted(left_out)
    if cache is not None:
        prune_cache(cache)
    home = Path(target).parent / "index.html"
    if home.is_file():
        fill_page_counts(home, report.pages)
    return report


def build_pack(
    handbook: Handbook, root: Path, templates: Path, spec: Spec, output: Path, use_cache: bool = True, progress: TextIO | None = sys.stderr
) -> Report:
    """One custom pack, written to ``output`` only once it is complete."""
    ctx = context(root, templates)
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=output.parent if output.parent.is_dir() else None) as tmp:
        documents = [("pack.pdf", partial(document_html, handbook, spec, ctx), partial(input_key, handbook, spec, ctx))]
        report = render_all(documents, Path(tmp), Path(root) / CACHE_DIR if use_cache else None, workers=1, progress=progress)
        os.replace(Path(tmp) / "pack.pdf", output)
    return report


_PAGES = re.compile(r'<span class="pdf-pages" data-pdf="([^"]+)"></span>')


def fill_page_counts(page: Path, pages: dict[str, int]) -> None:
    """Write each listed PDF's number of pages into a built page (``<span class="pdf-pages" data-pdf="path">``)."""
    html = page.read_text(encoding="utf-8")

    def count(match: re.Match[str]) -> str:
        n = pages.get(match.group(1))
        return match.group(0) if n is None else match.group(0).replace("></span>", f">, {n} page{'s' if n != 1 else ''}</span>")

    filled = _PAGES.sub(count, html)
    if filled != html:
        page.write_text(filled, encoding="utf-8")
