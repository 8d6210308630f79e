"""Write a synthetic corpus of N councils x M clauses in the real source format.

Clause texts, headings and topic mixes are drawn from the real, hand-tagged clauses, so lengths and
topic combinations are realistic; clauses come in numbered sections of six under one heading (the real
policies have 6 to 20 headings for 37 to 103 clauses); each council gets its own original text made of its clauses, so the
verbatim check does real work. Writes into the folder given (never into source_policies/).

usage: python benchmarks/make_corpus.py OUTDIR --councils 400 --clauses 60 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyhandbook.load import load  # noqa: E402
from policyhandbook.model import Clause  # noqa: E402

KINDS = [
    "parish council",
    "town council",
    "community council",
    "district council",
    "county council",
    "unitary council",
    "metropolitan borough council",
    "London borough council",
]
NATIONS = ["England", "England", "England", "Wales", "Scotland"]
AUDIENCES = ["members", "staff", "both"]
STATUSES = ["draft", "adopted", "not stated"]
PLACES = ["Ash", "Beck", "Brook", "Combe", "Dale", "Field", "Ford", "Ham", "Holt", "Hurst", "Lea", "Mere", "Stow", "Thorpe", "Wick", "Worth"]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _heading(clause: Clause) -> str:
    return clause.heading_path[0] if clause.heading_path else "Policy"


def make_corpus(out: Path, councils: int, clauses: int, seed: int = 1) -> Path:
    """Create OUT/source_policies with the taxonomy and ``councils`` synthetic council files."""
    rng = random.Random(seed)
    real = load(ROOT / "source_policies")
    pool = list(real.clauses)
    sources = out / "source_policies"
    (sources / "originals").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "source_policies" / "taxonomy.yaml", sources / "taxonomy.yaml")
    for n in range(councils):
        cid = f"council-{n:04d}"
        name = f"{rng.choice(PLACES)}{rng.choice(PLACES).lower()} {rng.choice(KINDS).title()} {n}"
        picked = [rng.choice(pool) for _ in range(clauses)]
        original = [name, "", "Social media policy", ""]
        lines = [
            f"# Synthetic council {n} for benchmarks",
            f"id: {cid}",
            f"name: {_quote(name)}",
            f"short_name: {_quote(name.split(' ')[0] + ' ' + str(n))}",
            f"kind: {rng.choice(KINDS)}",
            f"nation: {rng.choice(NATIONS)}",
            "title: Social media policy",
            f"audience: {rng.choice(AUDIENCES)}",
            f"status: {rng.choice(STATUSES)}",
            f'date: "{rng.randint(2012, 2025)}"',
            "source: Synthetic text for benchmarks.",
            f"original: originals/{cid}.txt",
            "attribution: Synthetic.",
            "retrieved: not recorded",
            "checked: not recorded",
            "clauses:",
        ]
        for i, clause in enumerate(picked, start=1):
            section = f"{(i - 1) // 6 + 1}.{(i - 1) % 6 + 1}"
            original += [f"{section} {clause.text}", ""]
            lines += [
                f"  - id: {cid}-{section.replace('.', '-')}",
                f'    section: "{section}"',
                f"    heading: {_quote(_heading(picked[(i - 1) // 6 * 6]))}",  # one heading per numbered section, as in the real policies
                f"    topics: [{', '.join(clause.topics)}]",
                f"    level: {clause.level}",
                ("    levels: {" + ", ".join(f"{t}: {lv}" for t, lv in clause.levels) + "}") if clause.levels else "",
                f"    summary: {_quote(clause.summary)}" if clause.summary else "",
                "    text: |",
                *("      " + line for line in clause.text.split("\n")),
            ]
        (sources / f"{cid}.yaml").write_text("\n".join(line for line in lines if line != "") + "\n", encoding="utf-8")
        (sources / "originals" / f"{cid}.txt").write_text("\n".join(original) + "\n", encoding="utf-8")
    return sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--councils", type=int, default=100)
    parser.add_argument("--clauses", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if (args.out / "source_policies").exists():
        parser.error(f"{args.out}/source_policies already exists; choose an empty folder")
    make_corpus(args.out, args.councils, args.clauses, args.seed)
    print(f"wrote {args.councils} councils x {args.clauses} clauses to {args.out}/source_policies")


if __name__ == "__main__":
    main()
