"""Print HTML -> tagged A4 PDF (WeasyPrint), cached, in parallel, with progress on a terminal.

A PDF's bytes are a pure function of its HTML and the engine, so each finished PDF is kept in
``.cache/pdf/`` under a hash of both (with its page count beside it) and copied from there while
neither changes. The HTML of every PDF is made first, in this process (it is cheap: a hundredth of
the rendering); the PDFs that are not in the cache are then rendered by forked worker processes,
which make their HTML again from the shared model rather than receive it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pydyf

from .lock import die_with_parent

CACHE_DIR = Path(".cache") / "pdf"
# Bump when the rendering code changes in a way the HTML does not show.
FORMAT = "2"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": False}


def _cached_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """The references of a PDF's pages ('12 0 R'), made again only when a page has been added.

    pydyf 0.13's ``PDF.page_references`` builds this tuple afresh each time it is read, and WeasyPrint's
    tagging (PDF/UA) reads it once per tagged element to find one page: quadratic in pages. A 500-page
    topic PDF spent 9 of its 32 seconds there. Pages are only ever appended to ``Kids``, so its length
    tells when the tuple is stale; the result is the same tuple (a test compares them)."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references"] = cached
    return cached[1]


UNCACHED_PAGE_REFERENCES = pydyf.PDF.page_references
pydyf.PDF.page_references = property(_cached_page_references)  # type: ignore[assignment]


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    raise ValueError(f"the PDFs load nothing from outside the document (asked for {url})")


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """Render one document: its bytes and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="about:blank", url_fetcher=_no_fetch).render()
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def _engine() -> str:
    """What else, besides the HTML, decides the bytes of a PDF (without importing WeasyPrint)."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}; pydyf {version('pydyf')}; format {FORMAT}; {sorted(PDF_OPTIONS.items())}"


def cache_key(html: str, engine: str) -> str:
    return hashlib.sha256(engine.encode() + b"\0" + html.encode("utf-8")).hexdigest()


@dataclass
class Report:
    built: int = 0
    cached: int = 0
    seconds: float = 0.0
    rendered: list[str] = field(default_factory=list)  # the PDFs rendered (not taken from the cache)
    pages: dict[str, int] = field(default_factory=dict)  # every PDF's number of pages
    left_out: list[str] = field(default_factory=list)  # the PDFs too large to make (see limits.MAX_PDF_UNITS)

    @property
    def total_pages(self) -> int:
        return sum(self.pages.values())

    def __str__(self) -> str:
        made = f"{self.built + self.cached} PDFs, {self.total_pages} pages ({self.built} rendered, {self.cached} unchanged), {self.seconds:.1f} s"
        if not self.left_out:
            return made
        return f"{made}; {len(self.left_out)} left out as too large to print: {', '.join(self.left_out)}"


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """One line on a terminal, rewritten as PDFs finish: done / total, pages, elapsed, about how long is left
    (from how much HTML is still to render, at the rate so far). Writes nothing to anything else."""

    def __init__(self, stream: TextIO | None, total: int, cached: int, pages: int, weight: int) -> None:
        self.stream = stream if stream is not None and stream.isatty() else None
        self.total, self.done, self.pages = total, cached, pages
        self.weight, self.weight_done = weight, 0
        self.started = time.perf_counter()

    def line(self, now: float) -> str:
        elapsed = now - self.started
        text = f"PDFs: {self.done} of {self.total} done, {self.pages} pages, {_clock(elapsed)} elapsed"
        if self.weight_done and self.weight > self.weight_done:
            text += f", about {_clock(elapsed * (self.weight - self.weight_done) / self.weight_done)} left"
        return text

    def update(self, pages: int, weight: int) -> None:
        self.done += 1
        self.pages += pages
        self.weight_done += weight
        if self.stream:
            self.stream.write("\r\033[K" + self.line(time.perf_counter()))
            self.stream.flush()

    def close(self) -> None:
        if self.stream:
            self.stream.write("\r\033[K")
            self.stream.flush()


@dataclass
class _Job:
    name: str
    make: Callable[[], str]  # the document's HTML
    key: str = ""
    weight: int = 0  # the length of its HTML: how long it takes, roughly
    inputs: str | None = None  # its input key, remembered with the key of its HTML


_pending: list[_Job] = []  # the jobs a forked worker inherits
_out: list[tuple[Path, Path | None]] = []  # (target, cache) for the workers


def _store(job: _Job, data: bytes, pages: int, target: Path, cache: Path | None) -> None:
    (target / job.name).write_bytes(data)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        for suffix, content in ((".pages", f"{pages}\n".encode()), (".pdf", data)):  # the page count first: a .pdf is a complete entry
            fd, tmp = tempfile.mkstemp(dir=cache, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(tmp, cache / f"{job.key}{suffix}")
        _remember(cache, job.inputs, job.key)


def _render(index: int) -> tuple[int, int]:
    """Render one pending job and write it (runs in a worker process): (index, pages)."""
    job = _pending[index]
    target, cache = _out[0]
    data, pages = html_to_pdf(job.make())
    _store(job, data, pages, target, cache)
    return index, pages


def _cached(cache: Path | None, key: str) -> int | None:
    """The page count of a cached PDF, or None when it is not (completely) in the cache."""
    if cache is None or not (cache / f"{key}.pdf").is_file():
        return None
    try:
        return int((cache / f"{key}.pages").read_text().strip())
    except (OSError, ValueError):
        return None


def _known(cache: Path | None, inputs: str | None) -> str | None:
    """The HTML key a PDF's input key gave last time, if the PDF is still in the cache."""
    if cache is None or inputs is None:
        return None
    try:
        key = (cache / f"{inputs}.key").read_text().strip()
    except OSError:
        return None
    return key if _cached(cache, key) is not None else None


def _remember(cache: Path | None, inputs: str | None, key: str) -> None:
    if cache is None or inputs is None:
        return
    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache, suffix=".part")
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    os.replace(tmp, cache / f"{inputs}.key")


def render_all(
    documents: list[tuple[str, Callable[[], str], Callable[[], str] | None]],
    target: Path,
    cache: Path | None,
    workers: int | None = None,
    progress: TextIO | None = sys.stderr,
) -> Report:
    """Write each ``(relative path, make its HTML, make its input key)`` as a PDF under ``target``, reusing
    cached PDFs. A PDF whose input key (see pdf_outline.input_key) is in the cache is copied without making
    its HTML; otherwise its HTML is made and hashed, and only a PDF whose HTML is new is rendered."""
    started = time.perf_counter()
    report = Report()
    engine = _engine()
    todo: list[_Job] = []
    for name, make, make_inputs in documents:
        out = Path(target) / name
        out.parent.mkdir(parents=True, exist_ok=True)
        inputs = hashlib.sha256(f"{engine}\0{make_inputs()}".encode()).hexdigest() if make_inputs is not None and cache is not None else None
        key = known = _known(cache, inputs)
        weight = 0
        if key is None:
            html = make()
            key, weight = cache_key(html, engine), len(html)
        job = _Job(name, make, key, weight, inputs)
        pages = _cached(cache, job.key)
        if pages is not None:
            assert cache is not None
            shutil.copyfile(cache / f"{job.key}.pdf", out)
            for path in (cache / f"{job.key}.pdf", cache / f"{job.key}.pages"):
                os.utime(path)  # recently used: kept by prune_cache
            if known is None:
                _remember(cache, inputs, job.key)
            elif inputs is not None:
                os.utime(cache / f"{inputs}.key")
            report.cached += 1
            report.pages[name] = pages
        else:
            todo.append(job)
    todo.sort(key=lambda job: -job.weight)  # biggest first: it bounds the total time
    meter = Progress(progress, len(documents), report.cached, report.total_pages, sum(job.weight for job in todo))
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))
    _pending[:] = todo
    _out[:] = [(Path(target), cache)]

    def finished(index: int, pages: int) -> None:
        job = todo[index]
        report.built += 1
        report.rendered.append(job.name)
        report.pages[job.name] = pages
        meter.update(pages, job.weight)

    try:
        if todo:
            import weasyprint  # noqa: F401  (once, here: the worker processes forked from this one share it)
        if workers == 1:
            for index in range(len(todo)):
                finished(*_render(index))
        elif todo:
            gc.collect()
            gc.freeze()  # the workers' garbage collector then leaves the shared model's pages uncopied
            try:
                with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
                    running = {pool.submit(_render, index) for index in range(len(todo))}
                    try:
                        while running:
                            done, running = wait(running, return_when=FIRST_COMPLETED)
                            for future in done:
                                finished(*future.result())
                    except BaseException:
                        pool.shutdown(wait=False, cancel_futures=True)
                        raise
            finally:
                gc.unfreeze()
    finally:
        meter.close()
        _pending.clear()
        _out.clear()
    report.rendered.sort()
    report.seconds = time.perf_counter() - started
    return report


def prune_cache(cache: Path, keep_days: float = 30) -> None:
    """Forget cached PDFs not used for ``keep_days`` days."""
    if not cache.is_dir():
        return
    limit = time.time() - keep_days * 86400
    for path in cache.glob("*"):
        if path.suffix == ".part" or path.stat().st_mtime < limit:  # (an input key's .key file is touched when written)
            path.unlink(missing_ok=True)
