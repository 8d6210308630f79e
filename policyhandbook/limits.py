"""How much one PDF may hold: the pages and the PDF build both need to know which PDFs are made."""

from __future__ import annotations

from .model import KEY_TOPICS, Handbook

# WeasyPrint lays a document out in memory as a whole: a PDF of one
# million "units" (each quoted clause's characters, plus 150 for its label, citation and box) took
# 75 s and 0.9 GB (a council of 4,000 short clauses: 64 s, 760 MB; the whole five-council handbook
# is 270,000 units, 16 s). A PDF over the limit is not made, and the pages say so instead of
# linking to it; with one worker per core, the PDFs then stay within a few GB of memory.
MAX_PDF_UNITS = 1_500_000
CLAUSE_UNITS = 150


def pdf_units(handbook: Handbook) -> dict[str, int]:
    """Every PDF's size in units (see MAX_PDF_UNITS), from the model alone, in time linear in the clauses."""
    own = {c.id: sum(len(cl.text) + CLAUSE_UNITS for cl in c.clauses) for c in handbook.councils}
    topic = {t.id: 0 for t in handbook.topics}
    for clause in handbook.clauses:
        for tid in clause.topics:
            topic[tid] += len(clause.text) + CLAUSE_UNITS
    key = sum(topic[tid] for tid in KEY_TOPICS if tid in topic)
    sizes = {"handbook.pdf": sum(own.values()) + sum(topic.values())}
    sizes |= {members_pack_path(cid): units + key for cid, units in own.items()}
    sizes |= {f"councils/{cid}.pdf": units for cid, units in own.items()}
    sizes |= {f"topics/{tid}.pdf": units for tid, units in topic.items()}
    return sizes


def too_large(handbook: Handbook) -> dict[str, int]:
    """The PDFs that are not made because they would hold more than MAX_PDF_UNITS: path -> units."""
    return {path: units for path, units in pdf_units(handbook).items() if units > MAX_PDF_UNITS}


def members_pack_path(council_id: str) -> str:
    return f"packs/{council_id}-members-pack.pdf"
