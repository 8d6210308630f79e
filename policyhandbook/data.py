"""The open dataset: every clause as JSON (the schema in BRIEF.md) and CSV."""

from __future__ import annotations

import csv
import io
import json

from .draft import DOCUMENT_TEXT, audience_terms, coverage
from .draft_export import WORD
from .levels import LEVELS
from .model import Council, Handbook, section_label


def dataset(handbook: Handbook) -> dict:
    return {
        "councils": [
            {
                "id": c.id,
                "name": c.name,
                "title": c.title,
                "audience": c.audience,
                "status": c.status,
                "date": c.date,
                "source": c.source,
                "url": c.url,
                "retrieved": c.retrieved,
                "checked": c.checked,
            }
            for c in handbook.councils
        ],
        "topics": [{"id": t.id, "title": t.title, "group": t.group_title, "description": t.description} for t in handbook.topics],
        "clauses": [
            {
                "id": cl.id,
                "council": cl.council,
                "section": cl.section,
                "heading": cl.heading,
                "text": cl.text,
                "topics": list(cl.topics),
                "levels": {topic: cl.level_on(topic) for topic in cl.topics},
            }
            for cl in handbook.clauses
        ],
    }


def clauses_json(handbook: Handbook) -> str:
    return json.dumps(dataset(handbook), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ["id", "council", "council_name", "document", "section", "heading", "topics", "text"]
# A spreadsheet reads a cell starting with one of these as a formula (OWASP's "CSV injection"):
# such a cell gets an apostrophe in front, which spreadsheets take as "this is text". The full-width
# forms count too (some spreadsheets read them as the ASCII ones). The JSON keeps the exact text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def clauses_csv(handbook: Handbook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for clause in handbook.clauses:
        council = handbook.council_by_id[clause.council]
        row = [clause.id, clause.council, council.name, council.title, clause.section, clause.heading, " ".join(clause.topics), clause.text]
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def matrix(handbook: Handbook) -> dict:
    """One cell per council x topic: its level, its clauses (the deciding one first) and our notes."""
    cells = []
    for topic in handbook.topics:
        for council in handbook.councils:
            cell = handbook.cell(topic.id, council.id)
            ids = [c.id for c in cell.clauses]
            if cell.deciding is not None:
                ids.remove(cell.deciding.id)
                ids.insert(0, cell.deciding.id)
            cells.append(
                {
                    "council": council.id,
                    "topic": topic.id,
                    "level": cell.level,
                    "clauses": ids,
                    "notes": list(cell.notes),
                    "reviewed": council.reviewed,
                }
            )
    return {"levels": list(LEVELS), "cells": cells}


def matrix_json(handbook: Handbook) -> str:
    return json.dumps(matrix(handbook), ensure_ascii=False, indent=1) + "\n"


MATRIX_CSV_COLUMNS = ["council", "topic", "level", "clauses", "deciding_clause", "notes", "reviewed"]


def matrix_csv(handbook: Handbook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(MATRIX_CSV_COLUMNS)
    for cell in matrix(handbook)["cells"]:
        deciding = cell["clauses"][0] if cell["level"] != "silent" else ""
        row = [
            cell["council"],
            cell["topic"],
            cell["level"],
            " ".join(cell["clauses"]),
            deciding,
            " | ".join(cell["notes"]),
            "yes" if cell["reviewed"] else "no",
        ]
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def similar_json(handbook: Handbook) -> str:
    """Pairs of clauses of different councils that share wording, and the groups with the same wording."""
    sim = handbook.similarity
    data = {
        "pairs": [{"a": p.a, "b": p.b, "score": p.score, "shared": [list(span) for span in p.shared]} for p in sim.pairs()],
        "wordings": [list(group) for group in sim.members if len({handbook.clause_by_id[c].council for c in group}) > 1],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


COMPARE_SIMILAR = 10  # similar clauses offered first on the compare page


def council_data(handbook: Handbook, council: Council) -> str:
    """One council's clauses for the compare page, each with the clauses most like it, as a script."""
    sim = handbook.similarity
    clauses = [
        {
            "id": c.id,
            "label": section_label(c.section),
            "heading": c.heading,
            "text": c.text,
            "citation": council.citation(c),
            "similar": [[other, score, _name(handbook, other)] for other, score in sim.similar_to(c.id, limit=COMPARE_SIMILAR)],
        }
        for c in council.clauses
    ]
    head = {"id": council.id, "name": council.name, "short_name": council.short_name, "title": council.title}
    data = json.dumps({"council": head, "clauses": clauses}, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    # A script, not JSON, so the compare page can load it from a copy opened from a folder (file://).
    return f"(window.HANDBOOK_COMPARE = window.HANDBOOK_COMPARE || {{}})[{json.dumps(council.id)}] = {data};\n"


def _name(handbook: Handbook, clause_id: str) -> str:
    clause = handbook.clause_by_id[clause_id]
    return f"{handbook.council_by_id[clause.council].short_name}, {section_label(clause.section)}"


AUDIENCE_WORDS = {"members": "Councillors", "staff": "Staff", "both": "Councillors and staff"}
SEARCH_GLOBAL = "window.HANDBOOK_SEARCH = "


def search_records(handbook: Handbook, files: bool = False) -> list[dict]:
    """What search finds: every clause (its exact text, its citation, where it is, and its council,
    topics and audience to filter by), and the topic and council pages by their titles. Editorial
    text and navigation are not records, so they never come up as hits."""
    records: list[dict] = []
    for council in handbook.councils:
        audience = AUDIENCE_WORDS[council.audience]
        for clause in council.clauses:
            topics = [handbook.topic_by_id[t].title for t in clause.topics]
            records.append(
                {
                    "url": f"councils/{council.id}{'.html' if files else '/'}#{clause.id}",
                    "content": clause.text,
                    "meta": {
                        "title": council.citation(clause),
                        "kind": "clause",
                        "clause": clause.id,
                        "topic": clause.topics[0],
                        "name": f"{council.short_name}, {section_label(clause.section)}",
                        "topics": "; ".join(topics),
                    },
                    "filters": {"council": [council.short_name], "topic": topics, "audience": [audience]},
                }
            )
    for topic in handbook.topics:
        records.append(
            {
                "url": f"topics/{topic.id}{'.html' if files else '/'}",
                "content": topic.title,
                "meta": {"title": f"Topic: {topic.title}", "kind": "topic"},
                "filters": {},
            }
        )
    for council in handbook.councils:
        records.append(
            {
                "url": f"councils/{council.id}/",
                "content": f"{council.name}. {council.title}",
                "meta": {"title": f"{council.name}: {council.title}", "kind": "council"},
                "filters": {},
            }
        )
    return records


def search_script(handbook: Handbook, files: bool = False) -> str:
    """The search records as a script, so search also works from a copy opened from a folder (file://),
    where browsers refuse to fetch files; the Pagefind index is built from the same records."""
    data = json.dumps(search_records(handbook, files), ensure_ascii=False, separators=(",", ":"))
    return SEARCH_GLOBAL + data.replace("</", "<\\/") + ";\n"


def draft_clauses(handbook: Handbook) -> list[dict]:
    """Every clause as the /draft/ page shows and cites it; a clause from a policy written for staff or for
    councillors carries the words that show it (``terms``), for the page's audience warnings."""
    out = []
    for clause in handbook.clauses:
        council = handbook.council_by_id[clause.council]
        entry = {
            "id": clause.id,
            "council": clause.council,
            "label": section_label(clause.section),
            "citation": council.citation(clause),
            "text": clause.text,
            "topics": list(clause.topics),
        }
        terms = audience_terms(clause.text, council.audience) if council.audience in ("staff", "members") else []
        if terms:
            entry["terms"] = terms
        out.append(entry)
    return out


def draft_data(handbook: Handbook, site_url: str) -> str:
    """What the /draft/ page needs, as a script defining ``window.HandbookDraftData``: loaded with a
    <script> tag (not fetched), it works from a copy of the site opened from file:// too."""
    data = {
        "version": handbook.version,
        "siteUrl": site_url,
        "text": DOCUMENT_TEXT,
        "word": WORD,
        "councils": [
            {"id": c.id, "name": c.name, "short_name": c.short_name, "title": c.title, "audience": c.audience, "status": c.status, "date": c.date}
            for c in handbook.councils
        ],
        "topics": [{"id": t.id, "title": t.title} for t in handbook.topics],
        "coverage": coverage(handbook),
        "clauses": draft_clauses(handbook),
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        "/* Generated by build.py from source_policies/ (policyhandbook/data.py): the clauses, councils, topics and\n"
        "   Word styles the /draft/ page needs. A script rather than JSON, so that it loads from file:// too. */\n"
        f"window.HandbookDraftData = {body};\n"
    )
