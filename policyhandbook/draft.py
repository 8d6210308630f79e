"""The drafting workbench on the command line: `build.py draft SELECTION.yaml -o draft.docx`.

A selection file (the /draft/ page's *Download selection*; the formats are in draft_read.py) lists the
drafter's sections: clauses quoted from the handbook, the drafter's own wording between them, and notes.
The document has the same structure as the one the /draft/ page exports in the browser
(templates/assets/draft.js builds the very same list of blocks, and draft_export.py's counterpart
there sets them in the same Word styles): a title, an introduction, a heading per section, each
clause as a quotation followed by its citation (linked to the clause in the online handbook) and the
drafter's note, the drafter's own wording in the body style, and a table of sources.

This module also says what a protocol usually covers (``coverage``) and when a clause was written
for another audience (``audience_warning``); the /draft/ page gets both through data/draft.js.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .draft_export import INTRO, NOTE_LABEL, SOURCE_COLUMNS, SOURCES_HEADING, Block, to_docx, to_markdown
from .draft_read import AUDIENCES, DEFAULT_TITLE, Entry, Section, Selection, nearest, read_selection, typed
from .model import KEY_TOPICS, Council, Handbook

__all__ = [
    "AUDIENCES",
    "DEFAULT_TITLE",
    "DOCUMENT_TEXT",
    "INTRO",
    "Entry",
    "Section",
    "Selection",
    "audience_terms",
    "audience_warning",
    "build_draft",
    "clause_url",
    "coverage",
    "nearest",
    "outline",
    "read_selection",
    "to_docx",
    "to_markdown",
    "typed",
]

# The document's fixed wording, passed to the /draft/ page so the browser's export says the same.
DOCUMENT_TEXT = {
    "title": DEFAULT_TITLE,
    "intro": INTRO,
    "note": NOTE_LABEL,
    "sources": SOURCES_HEADING,
    "columns": list(SOURCE_COLUMNS),
}


def clause_url(site_url: str, council_id: str, clause_id: str) -> str:
    """The clause's place in the online handbook ('' when the handbook's address is not set)."""
    return f"{site_url}councils/{council_id}/#{clause_id}" if site_url else ""


def council_url(site_url: str, council_id: str) -> str:
    return f"{site_url}councils/{council_id}/" if site_url else ""


def status_and_date(council: Council) -> str:
    status = "status not stated" if council.status == "not stated" else council.status
    return f"{status}; {council.date}"


def section_heading(handbook: Handbook, section: Section) -> str:
    if section.heading:
        return section.heading
    return handbook.topic_by_id[section.topics[0]].title if section.topics else "Untitled section"


def outline(handbook: Handbook, selection: Selection, site_url: str = "") -> list[Block]:
    """The document as a list of blocks, in order; draft.js builds the very same list."""
    blocks: list[Block] = [("title", selection.title), ("intro", INTRO)]
    used: set[str] = set()
    for section in selection.sections:
        blocks.append(("heading", section_heading(handbook, section)))
        for entry in section.entries:
            if entry.kind == "text":
                blocks.append(("own", entry.value))
                continue
            clause = handbook.clause_by_id[entry.value]
            council = handbook.council_by_id[clause.council]
            used.add(council.id)
            blocks.append(("quote", clause.text))
            blocks.append(("citation", council.citation(clause), clause_url(site_url, council.id, clause.id)))
            if entry.note:
                blocks.append(("note", entry.note))
        if section.note:
            blocks.append(("note", section.note))
    if used:
        blocks.append(("heading", SOURCES_HEADING))
        for council in handbook.councils:
            if council.id in used:
                blocks.append(("source", council.name, council.title, status_and_date(council), council_url(site_url, council.id)))
    return blocks


# --- what a protocol usually covers --------------------------------------------------------------


def coverage(handbook: Handbook) -> list[dict]:
    """The topics a protocol usually covers: the five key topics, then the other topics that most
    councils address (more than half of those whose tags are reviewed), most widely addressed first.
    Each with how many councils address it and how many of those require something on it."""
    councils = [c for c in handbook.councils if c.reviewed] or list(handbook.councils)
    ids = {c.id for c in councils}

    def row(topic_id: str, key: bool) -> dict:
        addressing = [c for c in handbook.addressing(topic_id) if c.id in ids]
        requires = sum(1 for c in addressing if handbook.cell(topic_id, c.id).level == "requires")
        return {"topic": topic_id, "key": key, "councils": len(addressing), "of": len(councils), "requires": requires}

    rows = [row(t, True) for t in KEY_TOPICS if t in handbook.topic_by_id]
    others = [row(t.id, False) for t in handbook.topics if t.id not in KEY_TOPICS]
    rows += sorted((r for r in others if r["councils"] * 2 > len(councils)), key=lambda r: -r["councils"])
    return rows


# --- clauses written for another audience --------------------------------------------------------

# Words that show a clause was written for staff (to warn when it is put in a members' protocol) or
# for councillors (to warn in a staff policy). draft.js receives each clause's terms in data/draft.js.
AUDIENCE_TERMS = {
    "staff": (
        r"summary dismissal",
        r"gross misconduct",
        r"disciplinary (?:procedure|policy|action|offence|process|matter|proceedings)s?",
        r"dismissal",
        r"line managers?",
        r"managers?",
        r"employees?",
        r"employment",
        r"staff members?",
        r"members of staff",
        r"staff",
        r"volunteers?",
    ),
    "members": (
        r"councillors?",
        r"elected members?",
        r"code of conduct",
        r"monitoring officer",
        r"standards committee",
        r"political groups?",
        r"group leaders?",
        r"constituents?",
        r"wards?",
        r"members?(?! of (?:the public|staff))",
    ),
}
_TERMS = {audience: re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE) for audience, terms in AUDIENCE_TERMS.items()}
TERMS_SHOWN = 3


def audience_terms(text: str, audience: str) -> list[str]:
    """Up to three words or phrases of a clause that show it was written for ``audience`` (staff or
    members), lower case, in the order they first appear, each once."""
    if audience not in _TERMS:
        return []
    found: list[str] = []
    for match in _TERMS[audience].finditer(text):
        term = " ".join(match.group(0).lower().split())
        if term not in found and not any(term in other for other in found):
            found.append(term)
        if len(found) == TERMS_SHOWN:
            break
    return found


def audience_warning(council_audience: str, protocol_audience: str, terms: list[str]) -> str:
    """Why a clause may not suit the protocol's audience, in words ('' when it suits it)."""
    if protocol_audience == "both" or council_audience in ("both", protocol_audience):
        return ""
    source = "From a staff policy" if council_audience == "staff" else "From a members\u2019 policy"
    if not terms:
        reader = "councillors" if protocol_audience == "members" else "staff"
        return f"{source}: check that it suits {reader}."
    listed = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " and " + terms[-1]
    return f"{source}: mentions {listed}."


# --- the command ---------------------------------------------------------------------------------


def warnings(handbook: Handbook, selection: Selection, shown: str) -> list[str]:
    """file:line: lines for the clauses written for another audience than the protocol's."""
    out = []
    for entry in selection.clauses:
        clause = handbook.clause_by_id[entry.value]
        council = handbook.council_by_id[clause.council]
        warning = audience_warning(council.audience, selection.audience, audience_terms(clause.text, "staff" if council.audience == "staff" else "members"))
        if warning:
            reader = "councillors" if selection.audience == "members" else "staff"
            out.append(f"{shown}:{entry.line}: clause '{clause.id}': {warning[:-1]}; check that it suits {reader} (or set 'audience: both')")
    return out


def build_draft(handbook: Handbook, selection_path: Path, output: Path, site_url: str = "") -> tuple[Selection, list[Block]]:
    """Read the selection, render it by the output's suffix (.docx or .md) and write it atomically."""
    selection = read_selection(selection_path, handbook)
    blocks = outline(handbook, selection, site_url)
    data = to_markdown(blocks).encode("utf-8") if output.suffix.lower() == ".md" else to_docx(blocks)
    output = Path(output)
    temporary = output.with_name(f".{output.name}.new-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return selection, blocks
