"""Benchmark (not a test): how good are `build.py ingest`'s clauses and topic suggestions?

Leave-one-council-out on the tagged councils in source_policies/: for each council, a
throwaway project holds the taxonomy and the *other* councils (with their tags); the
council's original text is ingested there (so nothing it was tagged with is seen), and the
result is compared with its hand-made source file.

- Splitting agreement: the share of hand clauses whose text (normalised as the verbatim
  check normalises it) is matched by exactly one ingested clause.
- Topics: each hand clause is compared with the ingested clause that has its text (or, when
  the cut differs, the ingested clause overlapping it most); precision, recall and F1 over
  (clause, topic) pairs, micro-averaged, and per key topic.
- Topics on the hand cut: the same suggestions made for the hand clauses themselves,
  which measures the tagging alone.
- Review flag: precision of the suggested topics the file marks REVIEW, and of the others.
- Confidence: precision of the suggestions marked "sure" (target: at least 0.9), and how many there are.
- Ranking: top-1 and top-3 recall (the share of hand tags that are the clause's first-ranked topic,
  or among its first three), and the tags a reviewer must change per 100 clauses (suggested topics
  to remove plus hand topics to add).
- Formats: each council's policy is also made into a Word document, a web page and a PDF (two
  columns for Wiltshire) by tests/fixtures/make_documents.py, ingested the same way, and its
  splitting agreement (and the share of clauses under the same headings) reported per format.

Targets: splitting agreement >= 0.9, micro-F1 >= 0.75, precision of "sure" >= 0.9.

    .venv/bin/python benchmarks/ingest_bench.py [--council oxford] [--show-misses] [--formats text,docx,html,pdf]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyhandbook.ingest import ingest  # noqa: E402
from policyhandbook.levels import suggest_levels  # noqa: E402
from policyhandbook.load import load  # noqa: E402
from policyhandbook.model import KEY_TOPICS  # noqa: E402
from policyhandbook.provenance import locate  # noqa: E402
from policyhandbook.suggest import Suggester, examples_from  # noqa: E402
from policyhandbook.text import normalise  # noqa: E402

SOURCES = ROOT / "source_policies"


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0


def leave_out(council, handbook, work: Path, document: Path | None = None):
    """Ingest ``council``'s original (or a document of it) in a project holding only the other councils."""
    sources = work / "source_policies"
    (sources / "originals").mkdir(parents=True)
    shutil.copy(SOURCES / "taxonomy.yaml", sources / "taxonomy.yaml")
    for other in handbook.councils:
        if other.id != council.id:
            shutil.copy(SOURCES / f"{other.id}.yaml", sources / f"{other.id}.yaml")
            (sources / other.original).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(SOURCES / other.original, sources / other.original)
    out = work / "out"
    out.mkdir()
    started = time.perf_counter()
    report = ingest(document or SOURCES / council.original, council.id, council.name, sources, out, root=work)
    return report, time.perf_counter() - started, load(sources)


def format_agreement(council, handbook, work: Path, fmt: str) -> tuple[int, int, int]:
    """(hand clauses, matched by exactly one ingested clause, of those under the same heading) for one format."""
    from tests.fixtures import make_documents

    work.mkdir(parents=True)
    options = {"columns": 2} if fmt == "pdf" and council.id == "wiltshire" else {}
    document = make_documents.make(council.id, fmt, work / f"policy.{fmt}", **options)
    report, _, _ = leave_out(council, handbook, work / "project", document)
    texts = Counter(normalise(d.text) for d in report.drafts)
    by_text = {normalise(d.text): d for d in report.drafts}
    matched = [c for c in council.clauses if texts[normalise(c.text)] == 1]
    same_heading = sum(1 for c in matched if by_text[normalise(c.text)].heading == c.heading)
    return len(council.clauses), len(matched), same_heading


def spans(original: str, texts: list[str]) -> list[tuple[int, int]]:
    result = []
    for text in texts:
        start = locate(original, text)
        result.append((start, start + len(normalise(text))))
    return result


def evaluate(council, handbook, work: Path, show: bool) -> dict:
    report, seconds, others = leave_out(council, handbook, work)
    drafts = report.drafts
    original = normalise((SOURCES / council.original).read_text(encoding="utf-8"))
    ingested = Counter(normalise(d.text) for d in drafts)
    by_text = {normalise(d.text): d for d in drafts}
    hand_spans = spans(original, [c.text for c in council.clauses])
    draft_spans = spans(original, [d.text for d in drafts])

    matched = 0
    end_to_end, per_topic = Tally(), {t: Tally() for t in KEY_TOPICS}
    for clause, (start, end) in zip(council.clauses, hand_spans, strict=True):
        key = normalise(clause.text)
        if ingested[key] == 1:
            matched += 1
            draft = by_text[key]
        else:
            overlaps = [(min(end, d_end) - max(start, d_start), i) for i, (d_start, d_end) in enumerate(draft_spans)]
            draft = drafts[max(overlaps)[1]]
            if show:
                print(f"  {council.id}: hand clause {clause.section!r} not matched; nearest ingested: {draft.section!r}")
        predicted, gold = set(draft.topics), set(clause.topics)
        end_to_end.add(predicted, gold)
        for topic in KEY_TOPICS:
            per_topic[topic].add(predicted & {topic}, gold & {topic})

    # The tagging alone, on the hand-made cut, by a suggester that never saw this council.
    topics = [t.id for t in others.topics]
    suggester = Suggester(examples_from(others.councils), topics, {t.id: f"{t.title} {t.description}" for t in others.topics})
    hand_cut = Tally()
    hand_suggestions = suggester.suggest_all([(clause.text, clause.heading) for clause in council.clauses])
    for clause, suggestions in zip(council.clauses, hand_suggestions, strict=True):
        hand_cut.add({s.topic for s in suggestions if s.chosen}, set(clause.topics))

    # Ranking and the reviewer's work, on the ingested clauses matched to hand clauses.
    top1 = top3 = tags = changes = sure_right = sure_total = 0
    for clause in council.clauses:
        key = normalise(clause.text)
        if ingested[key] != 1:
            continue
        draft = by_text[key]
        ranked = [s.topic for s in draft.suggestions]
        gold = set(clause.topics)
        tags += len(gold)
        top1 += sum(1 for t in gold if t in ranked[:1])
        top3 += sum(1 for t in gold if t in ranked[:3])
        changes += len(set(draft.topics) ^ gold)
        for s in draft.suggestions:
            if s.chosen and s.confidence == "sure":
                sure_total += 1
                sure_right += s.topic in gold

    # Is the REVIEW mark where the mistakes are?
    flagged, unflagged = Tally(), Tally()
    gold_by_text = {normalise(c.text): set(c.topics) for c in council.clauses}
    for draft in drafts:
        gold = gold_by_text.get(normalise(draft.text))
        if gold is None:
            continue
        for s in draft.suggestions:
            if s.chosen:
                (flagged if s.score < Suggester.REVIEW_BELOW else unflagged).add({s.topic}, {s.topic} & gold)
    return {
        "council": council.id,
        "hand": len(council.clauses),
        "ingested": len(drafts),
        "matched": matched,
        "end_to_end": end_to_end,
        "per_topic": per_topic,
        "hand_cut": hand_cut,
        "flagged": flagged,
        "unflagged": unflagged,
        "attention": len(report.attention),
        "seconds": seconds,
        "tags": tags,
        "top1": top1,
        "top3": top3,
        "changes": changes,
        "sure_right": sure_right,
        "sure_total": sure_total,
        "chosen": sum(len(d.topics) for d in drafts),
    }


def level_agreement(councils) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """How often the wording rules suggest the level a person set, on the hand-cut clauses and their
    hand tags (the rules learn nothing from the councils, so no council needs leaving out)."""
    agree = total = 0
    per_level: dict[str, tuple[int, int]] = {}
    for council in councils:
        previous = ""
        for clause in council.clauses:
            lead = previous if clause.text.startswith("- ") and previous.rstrip().endswith(":") else ""
            level, levels, _ = suggest_levels(clause.text, clause.heading, clause.topics, lead)
            for topic in clause.topics:
                hand, got = clause.level_on(topic), levels.get(topic, level)
                right, n = per_level.get(hand, (0, 0))
                per_level[hand] = (right + (got == hand), n + 1)
                agree, total = agree + (got == hand), total + 1
            if not clause.text.startswith("- "):
                previous = clause.text
    return agree, total, per_level


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--council", action="append", help="only these councils (default: every tagged council)")
    parser.add_argument("--show-misses", action="store_true", help="list the hand clauses the ingest did not cut the same way")
    parser.add_argument("--formats", default="text,docx,html,pdf", help="formats to measure splitting agreement on (default: text,docx,html,pdf)")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    handbook = load(SOURCES)
    councils = [c for c in handbook.councils if c.reviewed and (not args.council or c.id in args.council)]
    rows = []
    per_format: dict[str, list[tuple[str, int, int, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        for council in councils:
            rows.append(evaluate(council, handbook, Path(tmp) / council.id, args.show_misses))
            for fmt in formats:
                if fmt != "text":
                    per_format.setdefault(fmt, []).append((council.id, *format_agreement(council, handbook, Path(tmp) / f"{council.id}-{fmt}", fmt)))

    total = {"hand": 0, "ingested": 0, "matched": 0, "attention": 0, "seconds": 0.0}
    end_to_end, hand_cut, flagged, unflagged = Tally(), Tally(), Tally(), Tally()
    per_topic = {t: Tally() for t in KEY_TOPICS}
    print(
        "| council left out | hand clauses | ingested clauses | splitting agreement | topic P | topic R | topic F1 | F1 on hand cut | flagged for review | seconds |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for row in rows:
        e = row["end_to_end"]
        print(
            f"| {row['council']} | {row['hand']} | {row['ingested']} | {row['matched'] / row['hand']:.3f} | {e.p:.3f} | {e.r:.3f} | {e.f1:.3f} "
            f"| {row['hand_cut'].f1:.3f} | {row['attention']} | {row['seconds']:.1f} |"
        )
        for key in total:
            total[key] += row[key]
        for tally, part in ((end_to_end, e), (hand_cut, row["hand_cut"]), (flagged, row["flagged"]), (unflagged, row["unflagged"])):
            tally.tp, tally.fp, tally.fn = tally.tp + part.tp, tally.fp + part.fp, tally.fn + part.fn
        for topic in KEY_TOPICS:
            t, part = per_topic[topic], row["per_topic"][topic]
            t.tp, t.fp, t.fn = t.tp + part.tp, t.fp + part.fp, t.fn + part.fn
    print(
        f"| **all (micro)** | {total['hand']} | {total['ingested']} | **{total['matched'] / total['hand']:.3f}** | {end_to_end.p:.3f} | {end_to_end.r:.3f} "
        f"| **{end_to_end.f1:.3f}** | {hand_cut.f1:.3f} | {total['attention']} | {total['seconds']:.1f} |"
    )
    print()
    print("| key topic | hand-tagged clauses | suggested | correct | precision | recall | F1 |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for topic, t in per_topic.items():
        print(f"| {topic} | {t.tp + t.fn} | {t.tp + t.fp} | {t.tp} | {t.p:.3f} | {t.r:.3f} | {t.f1:.3f} |")
    print()
    print(
        f"Review flag: {flagged.tp + flagged.fp} suggested topics marked REVIEW, {flagged.p:.0%} of them right; "
        f"{unflagged.tp + unflagged.fp} not marked, {unflagged.p:.0%} of them right."
    )
    tags = sum(r["tags"] for r in rows)
    clauses = sum(r["matched"] for r in rows)
    sure_total, sure_right = sum(r["sure_total"] for r in rows), sum(r["sure_right"] for r in rows)
    chosen = sum(r["chosen"] for r in rows)
    print()
    print("| measure (leave one council out, plain-text originals) | value |")
    print("|---|--:|")
    print(f"| top-1 recall (hand tags that are the clause's first-ranked topic) | {sum(r['top1'] for r in rows) / tags:.3f} |")
    print(f"| top-3 recall (hand tags among the first three) | {sum(r['top3'] for r in rows) / tags:.3f} |")
    print(f"| suggestions marked sure | {sure_total} of {chosen} ({sure_total / max(chosen, 1):.0%}) |")
    print(f"| precision of sure (target >= 0.9) | **{sure_right / max(sure_total, 1):.3f}** ({sure_right} of {sure_total}) |")
    print(f"| tags a reviewer must change per 100 clauses (remove + add) | {100 * sum(r['changes'] for r in rows) / max(clauses, 1):.0f} |")
    if per_format:
        print()
        print("| format | " + " | ".join(c for c, *_ in next(iter(per_format.values()))) + " | all |")
        print("|---|" + "--:|" * (len(next(iter(per_format.values()))) + 1))
        text_row = [(r["council"], r["hand"], r["matched"]) for r in rows]
        print(
            "| text (splitting agreement) | "
            + " | ".join(f"{m / h:.3f}" for _, h, m in text_row)
            + f" | {sum(m for *_, m in text_row) / sum(h for _, h, _ in text_row):.3f} |"
        )
        for fmt, results in per_format.items():
            cells = " | ".join(f"{m / h:.3f}" for _, h, m, _ in results)
            total_h, total_m, total_s = (sum(r[i] for r in results) for i in (1, 2, 3))
            print(f"| {fmt} (splitting agreement) | {cells} | **{total_m / total_h:.3f}** |")
            print(f"| {fmt} (same heading as the hand cut) | " + " | ".join(f"{s / h:.3f}" for _, h, _, s in results) + f" | {total_s / total_h:.3f} |")
    agree, n, per_level = level_agreement(councils)
    print()
    print(f"Levels suggested from the wording (on the hand cut and hand tags): {agree} of {n} tags agree with the reading, {agree / n:.3f}.")
    print("| level set by reading | tags | suggested the same |")
    print("|---|--:|--:|")
    for level in ("requires", "recommends", "permits", "mentions"):
        right, total_level = per_level.get(level, (0, 0))
        print(f"| {level} | {total_level} | {right} ({right / max(total_level, 1):.0%}) |")
    precision = sure_right / max(sure_total, 1)
    print(
        f"Targets: splitting agreement >= 0.9 ({'met' if total['matched'] / total['hand'] >= 0.9 else 'NOT met'}), micro-F1 >= 0.75 ({'met' if end_to_end.f1 >= 0.75 else 'NOT met'}), "
        f"precision of sure >= 0.9 ({'met' if precision >= 0.9 else 'NOT met'})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
