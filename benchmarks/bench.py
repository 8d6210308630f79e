"""Scale benchmark: how the build grows from the real five councils to 100 and 400.

Prints one table. For each corpus size it measures, in three fresh processes (keeping each stage's
best time, as timeit does), the time to parse the sources only (the floor), to check them, to render
handbook/ and to write it; the time from saving one council's file (one clause retagged) to
regenerated Markdown, as during `make serve` (save s); and peak memory. Then it runs `mkdocs build`
(with the search index), counts and sizes the pages, finds the largest, and measures what a reader
downloads from the search bundle before the first results of a query (in real Chromium). At N = 5 it
Then, for the sizes in --pdf-sizes, every PDF of the site (benchmarks/pdf_scale.py, a fresh process each):
cold, warm and after editing one council, with pages, CPU seconds, pages per CPU-second, peak memory,
and WeasyPrint's own floor. Synthetic corpora are written to a temporary folder.

usage: python benchmarks/bench.py [--sizes 5,100,400] [--clauses 60] [--no-mkdocs-above 400] [--pdf-sizes 5,100,400]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from policyhandbook.load import council_files, load
from policyhandbook.read import read_yaml_file
from policyhandbook.render import render
from policyhandbook.write import write_tree
root = Path(sys.argv[2]); templates = Path(sys.argv[1]) / "templates"
sources = root / "source_policies"
t0 = time.perf_counter()
for path in council_files(sources):
    read_yaml_file(path, path.name)
t1 = time.perf_counter()
handbook = load(sources)
t2 = time.perf_counter()
similarity = handbook.similarity
t2s = time.perf_counter()
files = render(handbook, templates, sources)
t3 = time.perf_counter()
write_tree(files, root / "handbook")
t4 = time.perf_counter()
# As in `make serve`: a warm rebuilder, then one council's file saved with one clause retagged.
import re
from policyhandbook.incremental import Rebuilder
from policyhandbook.pipeline import Paths
builder = Rebuilder(Paths.at(root))
builder.build()
path = council_files(sources)[len(council_files(sources)) // 2]
text = path.read_text(encoding="utf-8")
first = re.search(r"^    topics: \[(.*)\]$", text, re.M)
new = "sanctions" if first.group(1) != "sanctions" else "disclaimer"
path.write_text(text[: first.start(1)] + new + text[first.end(1):], encoding="utf-8")
t5 = time.perf_counter()
builder.build()
t6 = time.perf_counter()
pages = {k: v for k, v in files.items() if k.endswith(".md")}
largest = max(pages, key=lambda k: len(pages[k]))
print(json.dumps({
    "parse": t1 - t0, "check": t2 - t1, "similar": t2s - t2, "render": t3 - t2s, "pairs": len(similarity.pairs()), "write": t4 - t3, "save": t6 - t5, "save_files": builder.last_rendered,
    "clauses": len(handbook.clauses), "pages": len(pages),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


REPEAT = 3  # fresh processes per corpus size
TIMES = ("parse", "check", "similar", "render", "write", "save")


def corpus(size: int, clauses: int, workdir: Path) -> Path:
    """A project folder for ``size`` councils: the real sources at 5, synthetic ones otherwise."""
    root = workdir / f"n{size}"
    if size == 5:
        shutil.copytree(ROOT / "source_policies", root / "source_policies")
    else:
        from benchmarks.make_corpus import make_corpus

        make_corpus(root, size, clauses)
    for name in ("templates", "hooks", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    os.symlink(ROOT / "policyhandbook", root / "policyhandbook")
    return root


def measure(size: int, clauses: int, workdir: Path, mkdocs: bool) -> dict:
    root = corpus(size, clauses, workdir)
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", STAGES, str(ROOT), str(root)], capture_output=True, text=True, check=True).stdout)
        for _ in range(REPEAT)
    ]
    # Each time is the best of the runs, as timeit reports: other work on the machine only ever adds time.
    row = {key: min(run[key] for run in runs) if key in TIMES else runs[0][key] for key in runs[0]}
    row["peak_mb"] = max(run["peak_mb"] for run in runs)
    if mkdocs:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "site")], cwd=root, env=env, capture_output=True, text=True)
        row["mkdocs"] = time.perf_counter() - start if result.returncode == 0 else float("nan")
        site = root / "site"
        html = [p for p in site.rglob("*.html")]
        row["html_mb"] = sum(p.stat().st_size for p in html) / 1e6
        biggest = max(html, key=lambda p: p.stat().st_size)
        row["largest"] = f"{biggest.relative_to(site).parent.as_posix()} ({biggest.stat().st_size / 1e6:.2f} MB)"
        row["search_mb"] = search_download(site)
    return row


def search_download(site: Path, query: str = "safeguarding") -> float:
    """MB a reader's browser downloads from the search bundle (index chunks, Pagefind's script, its
    WebAssembly and interface) between opening the search page and seeing the first results."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve

    if not Path(CHROMIUM).exists():
        return float("nan")
    loaded: list[int] = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("response", lambda response: loaded.append(len(response.body())) if "/pagefind/" in response.url and response.ok else None)
        page.goto(f"{base}/search/?q={query}")
        page.wait_for_selector(".search-hit", timeout=60_000)
        browser.close()
    return sum(loaded) / 1e6


def pdf_stage(root: Path, *args: str) -> dict:
    """Every PDF of a corpus, cold, warm and after one edit (benchmarks/pdf_scale.py, in a fresh process)."""
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "pdf_scale.py"), *args, str(root)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


PDF_HEADER = (
    f"{'councils':>8} {'PDFs':>5} {'pages':>6} {'cold s':>7} {'cold CPU s':>10} {'pages/CPU s':>11} "
    f"{'edit s':>6} {'edit PDFs':>9} {'edit pages':>10} {'warm s':>6} {'peak MB':>7} {'load':>5}"
)


def pdf_line(size: int, row: dict) -> str:
    cold, edit, warm = row["cold"], row["edit"], row["warm"]
    return (
        f"{size:>8} {cold['pdfs']:>5} {cold['pages']:>6} {cold['wall']:>7.1f} {cold['cpu']:>10.1f} {cold['pages_rendered'] / cold['cpu']:>11.2f} "
        f"{edit['wall']:>6.1f} {edit['rendered']:>9} {edit['pages_rendered']:>10} {warm['wall']:>6.1f} {row['peak_mb']:>7.0f} {row['load']:>5.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,100,400")
    parser.add_argument("--clauses", type=int, default=60)
    parser.add_argument("--no-mkdocs-above", type=int, default=400, help="skip mkdocs build for larger corpora")
    parser.add_argument("--pdf-sizes", default="5,100,400", help="sizes to build every PDF at ('' for none): 400 councils take about 25 minutes")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    header = f"{'councils':>8} {'clauses':>7} {'parse s':>7} {'check s':>7} {'similar s':>9} {'pairs':>6} {'render s':>8} {'write s':>7} {'chk+rnd/parse':>13} {'save s':>6} {'peak MB':>7} {'pages':>5} {'mkdocs s':>8} {'HTML MB':>7} {'search MB':>9}  largest page"
    print(header)
    rows = {}
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        for size in sizes:
            row = measure(size, args.clauses, Path(tmp), mkdocs=size <= args.no_mkdocs_above)
            rows[size] = row
            ratio = (row["check"] + row["render"]) / row["parse"] if row["parse"] else float("nan")
            print(
                f"{size:>8} {row['clauses']:>7} {row['parse']:>7.2f} {row['check']:>7.2f} {row['similar']:>9.2f} {row['pairs']:>6} {row['render']:>8.2f} {row['write']:>7.2f} {ratio:>13.1f} {row['save']:>6.2f} "
                f"{row['peak_mb']:>7.0f} {row['pages']:>5} {row.get('mkdocs', float('nan')):>8.1f} {row.get('html_mb', float('nan')):>7.1f} "
                f"{row.get('search_mb', float('nan')):>9.2f}  {row.get('largest', '-')}",
                flush=True,
            )
        pdf_sizes = [int(size) for size in args.pdf_sizes.split(",") if size]
        if pdf_sizes:
            floor = json.loads(
                subprocess.run([sys.executable, str(ROOT / "benchmarks" / "pdf_scale.py"), "--floor"], capture_output=True, text=True, check=True).stdout
            )
            print(
                f"\nPDFs (every PDF of the site; edit: one council's clause changed; warm: nothing changed). WeasyPrint floor: {floor['pages_per_cpu_s']:.2f} pages per CPU-second"
            )
            print(PDF_HEADER, flush=True)
            pdf_rows = {}
            for size in pdf_sizes:
                root = Path(tmp) / f"n{size}"
                if not root.exists():
                    corpus(size, args.clauses, Path(tmp))
                pdf_rows[size] = pdf_stage(root)
                print(pdf_line(size, pdf_rows[size]), flush=True)
            if len(pdf_rows) > 1:
                low, high = min(pdf_rows), max(pdf_rows)
                growth = pdf_rows[high]["cold"]["pages"] / pdf_rows[low]["cold"]["pages"]
                print(f"PDF pages {low} -> {high} councils: {growth:.1f}x for {high / low:.0f}x the councils")
    if 100 in rows and 400 in rows:
        growth = (rows[400]["render"]) / rows[100]["render"]
        print(f"render growth 100 -> 400 councils: {growth:.1f}x (linear would be 4.0x)")
        growth = rows[400]["similar"] / rows[100]["similar"]
        print(f"similar wording growth 100 -> 400 councils: {growth:.1f}x (linear would be 4.0x)")


if __name__ == "__main__":
    main()
