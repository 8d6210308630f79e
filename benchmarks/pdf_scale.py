"""Benchmark (not a test): every PDF of the site at 5, 100 and 400 councils (`make bench` runs it).

For each size, in a fresh process, on a project folder made by bench.py (the real sources at 5,
synthetic ones otherwise): all PDFs with an empty cache (cold), again with nothing changed (warm), and
again after one council's clause is edited (a council that several packs have as a peer), as
`build.py site` makes them (one worker process per core). It reports PDFs, pages, wall-clock and CPU
seconds, pages per CPU-second, and peak memory (the build process and its workers together, sampled).
It also measures the floor: WeasyPrint laying out pages of plain text (real clauses, 11 pt, with a
page-number footer, tagged PDF/UA-1) in one process, in pages per CPU-second.

    .venv/bin/python benchmarks/pdf_scale.py PROJECT_DIR      # one size; prints one JSON line
    .venv/bin/python benchmarks/pdf_scale.py --floor          # the floor only
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (from /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


class PeakMemory:
    """Samples the memory of this process and its workers every 0.2 s."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(os.getpid()))
            self._stop.wait(0.2)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _edit_one_council(root: Path, handbook) -> str:
    """Add a word to the first clause of the council most packs have as a peer (its file and its original)."""
    from policyhandbook import pdf

    having: dict[str, int] = {}
    for group in pdf.peer_groups(handbook).values():
        for pid, _ in group:
            having[pid] = having.get(pid, 0) + 1
    council = handbook.council_by_id[max(sorted(having), key=lambda c: having[c])]
    clause = council.clauses[0]
    first = clause.text.split("\n")[0]
    source = root / "source_policies" / f"{council.id}.yaml"
    text = source.read_text(encoding="utf-8")
    at = text.index(f"- id: {clause.id}\n")
    source.write_text(text[:at] + text[at:].replace(f"      {first}\n", f"      {first} EDITED\n", 1), encoding="utf-8")
    original = root / "source_policies" / council.original
    text = original.read_text(encoding="utf-8")
    at = text.index(first)  # (the real councils' originals do not number their paragraphs as the files do)
    original.write_text(text[:at] + text[at:].replace(first, f"{first} EDITED", 1), encoding="utf-8")
    return council.id


def measure(root: Path) -> dict:
    from policyhandbook import pdf
    from policyhandbook.load import load

    os.environ.setdefault("SOURCE_DATE_EPOCH", str(pdf.build_epoch(ROOT)))
    shutil.rmtree(root / pdf.CACHE_DIR, ignore_errors=True)
    handbook = load(root / "source_policies")
    row: dict = {"councils": len(handbook.councils), "cores": os.cpu_count()}
    with PeakMemory() as memory:
        for run in ("cold", "warm", "edit"):
            if run == "edit":
                row["edited"] = _edit_one_council(root, handbook)
                handbook = load(root / "source_policies")
            started, cpu = time.perf_counter(), _cpu()
            report = pdf.build_pdfs(handbook, root, root / "templates", root / f"pdf-{run}", progress=sys.stderr)
            rendered = sum(report.pages[name] for name in report.rendered)
            row[run] = {
                "wall": time.perf_counter() - started,
                "cpu": _cpu() - cpu,
                "pdfs": report.built + report.cached,
                "rendered": report.built,
                "pages": report.total_pages,
                "pages_rendered": rendered,
            }
            shutil.rmtree(root / f"pdf-{run}", ignore_errors=True)
    row["peak_mb"] = memory.peak / 1e6
    row["load"] = os.getloadavg()[0]
    return row


def floor(pages_wanted: int = 60) -> dict:
    """WeasyPrint's own cost per page: plain paragraphs of real clause text, 11 pt, one process."""
    from weasyprint import HTML

    from policyhandbook.load import load
    from policyhandbook.pdf import PDF_OPTIONS

    texts = [c.text.replace("\n", " ") for c in load(ROOT / "source_policies").clauses]
    css = (
        "@page { size: A4; margin: 22mm 18mm; @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); font: 9pt 'Liberation Sans' } }"
        " html { font: 11pt/1.4 'Liberation Serif' } p { margin: 0 0 2.5mm }"
    )
    body = "".join(f"<p>{t}</p>" for t in texts * max(1, pages_wanted // 40))
    html = f"<html lang='en-GB'><head><title>Floor</title><style>{css}</style></head><body>{body}</body></html>"
    HTML(string="<p>warm up</p>").write_pdf()
    cpu = time.process_time()
    document = HTML(string=html).render()
    document.write_pdf(**PDF_OPTIONS)
    cpu = time.process_time() - cpu
    return {"pages": len(document.pages), "cpu": cpu, "pages_per_cpu_s": len(document.pages) / cpu}


def main() -> None:
    if sys.argv[1:] == ["--floor"]:
        print(json.dumps(floor()))
    else:
        print(json.dumps(measure(Path(sys.argv[1]))))


if __name__ == "__main__":
    main()
