"""The drafting workbench on the command line: `build.py draft SELECTION.yaml -o draft.docx`.

A selection file lists clause ids (the /draft/ page downloads one)::

    title: Draft social media protocol      # optional
    clauses:
      - wiltshire-3                          # filed under the clause's first topic
      - id: oxford-4-2                       # or under another of its topics
        topic: disclaimer
    notes:                                   # optional, one per topic
      disclaimer: Use Oxford's wording, but name our monitoring officer.

The document has the same structure as the one the /draft/ page exports in the
browser (templates/assets/draft.js builds it from the same blocks): a title, an
introduction, a heading per topic in taxonomy order with each clause as a
quotation followed by its citation and the drafter's note, and a list of sources.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .model import Handbook
from .problems import Problem, SourceError
from .read import Located, display_path, read_yaml_file

DEFAULT_TITLE = "Draft social media protocol"
INTRO = (
    "Clauses quoted word for word from the Council Social Media Policy Handbook, grouped by topic. "
    "Each quotation is followed by its source; notes are the drafter's own."
)
SOURCES_HEADING = "Sources"
NOTE_LABEL = "Note: "
FIELDS = ("title", "clauses", "notes")
# The document's fixed wording, passed to the /draft/ page so the browser's export says the same.
DOCUMENT_TEXT = {"title": DEFAULT_TITLE, "intro": INTRO, "note": NOTE_LABEL, "sources": SOURCES_HEADING}

# One block of the document: (kind, text). Kinds: title, intro, heading, quote (a clause's whole
# text, one line per paragraph), citation, note (the drafter's text, one line per paragraph), source.
Block = tuple[str, str]


@dataclass(frozen=True)
class Selection:
    title: str = DEFAULT_TITLE
    items: tuple[tuple[str, str], ...] = ()  # (clause id, topic id), in the drafter's order
    notes: dict[str, str] = field(default_factory=dict)


def nearest(word: str, choices: list[str]) -> str:
    """The most similar choice; of equally similar ones, the first (in handbook order)."""
    best, best_score = "", -1.0
    matcher = difflib.SequenceMatcher(b=word)
    for choice in choices:
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score > best_score:
            best, best_score = choice, score
    return best


def _text(node: Located, what: str, shown: str, problems: list[Problem]) -> str | None:
    if isinstance(node.value, bool) or not isinstance(node.value, (str, int, float)):
        problems.append(Problem(shown, node.line, f"{what} must be text"))
        return None
    return str(node.value)


def read_selection(path: Path, handbook: Handbook) -> Selection:
    """Read and check a selection file; raises SourceError listing every problem."""
    shown = display_path(Path(path))
    node, problems = read_yaml_file(Path(path), shown)
    if node is None:
        raise SourceError(problems)
    problems = list(problems)
    title, notes = DEFAULT_TITLE, {}
    clause_nodes: Located | None = None
    if isinstance(node.value, list):
        clause_nodes = node
    elif isinstance(node.value, dict):
        fields: dict[str, Located] = node.value
        for key, value in fields.items():
            if key not in FIELDS:
                close = difflib.get_close_matches(key, FIELDS, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                problems.append(Problem(shown, value.line, f"unknown field '{key}'.{hint} Allowed fields: {', '.join(FIELDS)}."))
        if "title" in fields:
            title = (_text(fields["title"], "field 'title'", shown, problems) or "").strip() or DEFAULT_TITLE
        clause_nodes = fields.get("clauses")
        if "notes" in fields:
            notes = _notes(fields["notes"], handbook, shown, problems)
    else:
        problems.append(Problem(shown, node.line, "expected a list of clause ids under 'clauses:' (see `build.py draft --help`)"))
    items: list[tuple[str, str]] = []
    if clause_nodes is None:
        if not problems:
            problems.append(Problem(shown, node.line, "missing field 'clauses'; list the clause ids under 'clauses:'"))
    elif not isinstance(clause_nodes.value, list):
        problems.append(Problem(shown, clause_nodes.line, "field 'clauses' must be a list of clause ids, one per line starting with '- '"))
    else:
        items = _items(clause_nodes.value, handbook, shown, problems)
        if not clause_nodes.value and not notes:
            problems.append(Problem(shown, clause_nodes.line, "the selection lists no clauses; add clause ids under 'clauses:'"))
    if problems:
        raise SourceError(problems)
    return Selection(title=title, items=tuple(items), notes=notes)


def _items(nodes: list[Located], handbook: Handbook, shown: str, problems: list[Problem]) -> list[tuple[str, str]]:
    ids = list(handbook.clause_by_id)
    seen: dict[str, int] = {}
    items = []
    for item in nodes:
        topic = None
        if isinstance(item.value, dict):
            entry: dict[str, Located] = item.value
            for key, value in entry.items():
                if key not in ("id", "topic"):
                    problems.append(Problem(shown, value.line, f"unknown field '{key}' in a clause entry; a clause entry has 'id' and optionally 'topic'"))
            if "id" not in entry:
                problems.append(Problem(shown, item.line, "a clause entry needs an 'id'"))
                continue
            cid = _text(entry["id"], "a clause id", shown, problems)
            if "topic" in entry:
                topic = _text(entry["topic"], "field 'topic'", shown, problems)
            line = entry["id"].line
        else:
            cid, line = _text(item, "a clause id", shown, problems), item.line
        if cid is None:
            continue
        cid = cid.strip()
        clause = handbook.clause_by_id.get(cid)
        if clause is None:
            problems.append(Problem(shown, line, f"unknown clause id '{cid}'. Did you mean '{nearest(cid, ids)}'?"))
            continue
        if cid in seen:
            problems.append(Problem(shown, line, f"clause '{cid}' is listed twice (first on line {seen[cid]}); keep only one"))
            continue
        seen[cid] = line
        if topic is None:
            topic = clause.topics[0]
        elif topic not in clause.topics:
            choices = ", ".join(f"'{t}'" for t in clause.topics)
            problems.append(Problem(shown, line, f"clause '{cid}' is not tagged with topic '{topic}'; file it under one of its topics: {choices}"))
            continue
        items.append((cid, topic))
    return items


def _notes(node: Located, handbook: Handbook, shown: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(node.value, dict):
        problems.append(Problem(shown, node.line, "field 'notes' must hold one note per topic id, as 'disclaimer: your note'"))
        return {}
    topics = [t.id for t in handbook.topics]
    notes = {}
    for tid, value in node.value.items():
        if tid not in handbook.topic_by_id:
            problems.append(Problem(shown, value.line, f"unknown topic '{tid}' in notes. Did you mean '{nearest(tid, topics)}'?"))
            continue
        if value.value is None:
            continue
        text = _text(value, f"the note on '{tid}'", shown, problems)
        if text and text.strip():
            notes[tid] = text.strip()
    return notes


# --- the document ---------------------------------------------------------------


def source_line(council) -> str:
    status = "status not stated" if council.status == "not stated" else council.status
    return f"{council.name}, {council.title} ({status}; {council.date})."


def outline(handbook: Handbook, selection: Selection) -> list[Block]:
    """The document as a list of blocks, in order; draft.js builds the very same list."""
    blocks: list[Block] = [("title", selection.title), ("intro", INTRO)]
    used: set[str] = set()
    for topic in handbook.topics:
        ids = [cid for cid, tid in selection.items if tid == topic.id]
        note = selection.notes.get(topic.id, "").strip()
        if not ids and not note:
            continue
        blocks.append(("heading", topic.title))
        for cid in ids:
            clause = handbook.clause_by_id[cid]
            council = handbook.council_by_id[clause.council]
            used.add(council.id)
            blocks.append(("quote", clause.text))
            blocks.append(("citation", "\u2014 " + council.citation(clause)))
        if note:
            blocks.append(("note", note))
    if used:
        blocks.append(("heading", SOURCES_HEADING))
        blocks += [("source", source_line(c)) for c in handbook.councils if c.id in used]
    return blocks


def lines(text: str) -> list[str]:
    """The non-blank lines of a clause or note, each one paragraph."""
    return [line.strip() for line in text.split("\n") if line.strip()]


# Markdown's inline markup (links, emphasis, code, HTML, entities, tables, strikethrough) and the
# marks that make a line a heading, quotation, list item or heading underline.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_MD_LINE_START = re.compile(r"^([#+=-])")
_MD_NUMBERED = re.compile(r"^([0-9]+)([.)])")


def md_text(line: str) -> str:
    """One line of text as Markdown that shows exactly that text: no link, emphasis or HTML made
    from a clause or a note (draft.js's mdText does the same)."""
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", _MD_INLINE.sub(r"\\\1", line)))


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for kind, text in blocks:
        if kind == "title":
            out.append(f"# {md_text(text)}")
        elif kind == "heading":
            out.append(f"## {md_text(text)}")
        elif kind == "quote":
            quoted: list[str] = []
            for line in lines(text):
                item = line.startswith("- ")
                if quoted and not (item and quoted[-1].startswith("> - ")):
                    quoted.append(">")
                quoted.append(f"> - {md_text(line[2:])}" if item else f"> {md_text(line)}")
            out.append("\n".join(quoted))
        elif kind == "note":
            parts = [md_text(part) for part in lines(text)]
            out.append("\n\n".join([f"**{NOTE_LABEL.strip()}** {parts[0]}", *parts[1:]]))
        elif kind == "source":
            previous = out[-1] if out else ""
            if previous.startswith("- "):
                out[-1] = previous + f"\n- {md_text(text)}"
            else:
                out.append(f"- {md_text(text)}")
        else:  # intro, citation
            out.append(md_text(text))
    return "\n\n".join(out) + "\n"


def _timestamp() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(tz=dt.UTC).replace(tzinfo=None, microsecond=0)


def to_docx(blocks: list[Block]) -> bytes:
    """A Word document: Title, Heading 1 per topic, clauses in the Quote style, citations, notes, sources."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(25)
    citation = doc.styles.add_style("Citation", WD_STYLE_TYPE.PARAGRAPH)
    citation.base_style = doc.styles["Normal"]
    citation.font.size = Pt(10)
    citation.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    citation.paragraph_format.right_indent = Mm(15)
    citation.paragraph_format.space_after = Pt(12)

    title = DEFAULT_TITLE
    for kind, text in blocks:
        if kind == "title":
            title = text
            doc.add_paragraph(text, style="Title")
        elif kind == "heading":
            doc.add_heading(text, level=1)
        elif kind == "quote":
            for line in lines(text):
                doc.add_paragraph(line, style="Quote")
        elif kind == "citation":
            doc.add_paragraph(text, style="Citation")
        elif kind == "note":
            for i, line in enumerate(lines(text)):
                paragraph = doc.add_paragraph()
                if i == 0:
                    paragraph.add_run(NOTE_LABEL).bold = True
                paragraph.add_run(line)
        elif kind == "source":
            doc.add_paragraph(text, style="List Bullet")
        else:
            doc.add_paragraph(text)

    when = _timestamp()
    props = doc.core_properties
    props.title, props.subject = title, "Clauses selected from the Council Social Media Policy Handbook"
    props.author = props.last_modified_by = "Council Social Media Policy Handbook"
    props.created = props.modified = when
    props.revision, props.comments, props.keywords = 1, "", ""
    props.language = "en-GB"
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), when)


def _fixed_zip_times(data: bytes, when: dt.datetime) -> bytes:
    """The same document gives the same bytes: every zip entry gets one timestamp."""
    stamp = max(when, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def build_draft(handbook: Handbook, selection_path: Path, output: Path) -> tuple[Selection, list[Block]]:
    """Read the selection, render it by the output's suffix (.docx or .md) and write it atomically."""
    selection = read_selection(selection_path, handbook)
    blocks = outline(handbook, selection)
    data = to_markdown(blocks).encode("utf-8") if output.suffix.lower() == ".md" else to_docx(blocks)
    output = Path(output)
    temporary = output.with_name(f".{output.name}.new-{os.getpid()}")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, output)
    finally:
        temporary.unlink(missing_ok=True)
    return selection, blocks
