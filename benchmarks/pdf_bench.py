"""Benchmark (not a test): how long the PDFs take to build.

Prints the time for every PDF of the handbook (as `build.py site` makes them, in parallel
across the cores), and for one members' pack made with `build.py pack` (a fresh Python
process, as a user would run it); each with an empty cache (cold) and again with the cache
of the first run (warm: nothing changed, so nothing is rendered).

Targets on the project's 2-core machine: all PDFs under 30 s, one members' pack under 5 s.

    .venv/bin/python benchmarks/pdf_bench.py [--council oxford] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyhandbook import pdf  # noqa: E402
from policyhandbook.load import load  # noqa: E402


def project(target: Path) -> Path:
    """A throwaway project folder: the real sources and templates, an empty cache."""
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "source_policies", target / "source_policies")
    shutil.copytree(ROOT / "templates", target / "templates")
    os.symlink(ROOT / "policyhandbook", target / "policyhandbook")
    shutil.copy(ROOT / "build.py", target / "build.py")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")  # the handbook's address, which every PDF prints
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--council", default="oxford", help="the council of the members' pack to time (default: oxford)")
    parser.add_argument("--workers", type=int, default=None, help="processes for all PDFs (default: one per core)")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(pdf.build_epoch(ROOT)))
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        root = project(Path(tmp) / "project")
        handbook = load(root / "source_policies")
        n = len(pdf.specs(handbook))
        print(f"{len(handbook.councils)} councils, {len(handbook.clauses)} clauses, {len(handbook.topics)} topics; {n} PDFs; {cores} cores")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine slows the wall-clock figures)")
        for run in ("cold", "warm"):
            out = Path(tmp) / f"pdf-{run}"
            started, cpu = time.perf_counter(), _cpu()
            report = pdf.build_pdfs(handbook, root, root / "templates", out, workers=args.workers)
            took, cpu = time.perf_counter() - started, _cpu() - cpu
            pages = sum(_pages(p) for p in out.rglob("*.pdf")) if run == "cold" else None
            extra = f", {pages} pages" if pages else ""
            print(f"all PDFs, {run} cache: {took:6.2f} s wall, {cpu:6.2f} s CPU ({report.built} rendered, {report.cached} from the cache{extra})")
        for run in ("cold", "warm"):
            if run == "cold":
                shutil.rmtree(root / pdf.CACHE_DIR, ignore_errors=True)
            output = Path(tmp) / f"pack-{run}.pdf"
            command = [sys.executable, str(root / "build.py"), "--root", str(root), "pack", "--council", args.council, "-o", str(output)]
            started, cpu = time.perf_counter(), _cpu()
            subprocess.run(command, check=True, capture_output=True)
            took, cpu = time.perf_counter() - started, _cpu() - cpu
            print(
                f"one members' pack ({args.council}), {run} cache: {took:6.2f} s wall, {cpu:6.2f} s CPU ({_pages(output)} pages; `build.py pack`, Python start-up included)"
            )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _pages(path: Path) -> int:
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
