"""The open dataset: every clause as JSON (the schema in BRIEF.md) and CSV."""

from __future__ import annotations

import csv
import io
import json

from .model import Handbook


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
