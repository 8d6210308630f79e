"""A draft's blocks as Markdown and as a Word document an officer can finish.

Blocks (draft.py's ``outline``; draft.js builds the same list in the browser):

- ``("title", text)``, ``("intro", text)``, ``("heading", text)``: the document's title, its fixed
  introduction and a section heading;
- ``("quote", text)``: a clause's exact text; each line a paragraph, lines starting '- ' list items;
- ``("citation", citation, url)``: the quoted clause's council, document and section, linked to the
  clause in the online handbook (``url`` is '' when the handbook's address is not set);
- ``("note", text)``: the drafter's note (on the clause above, or, at a section's end, on the section);
- ``("own", text)``: the drafter's own wording, in the body style (lines starting '- ' are list items);
- ``("source", council, document, status and date, url)``: a row of the table of sources.

The Word styles are in ``WORD``; data/draft.js hands the same values to draft.js, so that the browser's
export (made with the docx library) has the same styles and structure as python-docx's.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from typing import Any

INTRO = (
    "Quotations are word for word from the Council Social Media Policy Handbook: each is indented, with a line "
    "beside it, and followed by its source, linked to the clause in the handbook. Everything else (the headings, "
    "the notes and the text in the ordinary body style) is the drafter\u2019s own."
)
SOURCES_HEADING = "Sources"
SOURCE_COLUMNS = ("Council", "Document", "Status and date", "In the handbook")
NOTE_LABEL = "Note: "
DASH = "\u2014 "

Block = tuple[str, ...]

TWIPS_PER_MM = 56.6929
# Every measure in twips (1/20 pt), font sizes in half-points, border widths in eighths of a point.
WORD: dict[str, Any] = {
    "page": {"width": 11906, "height": 16838, "margin": 1417, "header": 709, "footer": 709},
    "styles": [
        {"id": "Normal", "name": "Normal", "font": "Arial", "size": 22, "color": "1A1A1A", "after": 120, "line": 276},
        {"id": "Title", "name": "Title", "based": "Normal", "next": "Normal", "size": 44, "bold": True, "color": "1F2A44", "after": 240, "keep_next": True},
        {
            "id": "Heading1",
            "name": "heading 1",
            "based": "Normal",
            "next": "Normal",
            "size": 30,
            "bold": True,
            "color": "1F2A44",
            "before": 360,
            "after": 120,
            "keep_next": True,
            "outline": 0,
        },
        # Quotations: upright (not italic), indented, with a rule on the left.
        {
            "id": "Quote",
            "name": "Quote",
            "based": "Normal",
            "next": "Normal",
            "italic": False,
            "color": "262626",
            "left": 567,
            "right": 567,
            "after": 80,
            "border": {"size": 18, "color": "7F93C0", "space": 10},
        },
        {"id": "QuoteList", "name": "Quote List", "based": "Quote", "next": "Quote", "left": 927, "hanging": 360, "numbering": "quote-bullets"},
        {
            "id": "Citation",
            "name": "Citation",
            "based": "Normal",
            "next": "Normal",
            "size": 20,
            "color": "404040",
            "left": 567,
            "after": 240,
            "keep_lines": True,
        },
        {"id": "ListBullet", "name": "List Bullet", "based": "Normal", "next": "Normal", "left": 360, "hanging": 360, "numbering": "bullets"},
        {"id": "TableText", "name": "Table Text", "based": "Normal", "next": "Normal", "size": 20, "after": 40, "line": 240},
        {"id": "Header", "name": "header", "based": "Normal", "size": 18, "color": "595959", "after": 0, "align": "right"},
        {"id": "Footer", "name": "footer", "based": "Normal", "size": 18, "color": "595959", "after": 0, "align": "center"},
    ],
    "character_styles": [{"id": "Hyperlink", "name": "Hyperlink", "color": "1F4E9A", "underline": True}],
    # Bullet lists: the clauses' own lists (inside quotations) and the drafter's.
    "numbering": [{"id": "quote-bullets", "text": "\u2022", "left": 927, "hanging": 360}, {"id": "bullets", "text": "\u2022", "left": 360, "hanging": 360}],
    "table": {"widths": [2268, 2552, 1418, 2833], "border": {"size": 4, "color": "A6A6A6"}},
    "language": "en-GB",
    "page_label": ["Page ", " of "],
}


def lines(text: str) -> list[str]:
    """The non-blank lines of a clause or note, each one paragraph."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def shown_url(url: str) -> str:
    """A web address as printed: without 'https://'."""
    return re.sub(r"^https?://", "", url)


# --- Markdown ----------------------------------------------------------------------------------

# Markdown's inline markup (links, emphasis, code, HTML, entities, tables, strikethrough) and the
# marks that make a line a heading, quotation, list item or heading underline.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_MD_LINE_START = re.compile(r"^([#+=-])")
_MD_NUMBERED = re.compile(r"^([0-9]+)([.)])")


def md_text(line: str) -> str:
    """One line of text as Markdown that shows exactly that text: no link, emphasis or HTML made
    from a clause or a note (draft.js's mdText does the same)."""
    return _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", _MD_INLINE.sub(r"\\\1", line)))


def md_url(url: str) -> str:
    """A web address safe inside Markdown's (...)."""
    return "".join(c if c not in " ()<>\\" else f"%{ord(c):02X}" for c in url)


def md_link(text: str, url: str) -> str:
    return f"[{md_text(text)}]({md_url(url)})" if url else md_text(text)


def _md_lines(text: str, prefix: str = "") -> str:
    """Lines as Markdown paragraphs, with runs of '- ' lines as one list."""
    out: list[str] = []
    for line in lines(text):
        item = line.startswith("- ")
        if out and not (item and out[-1].startswith(prefix + "- ")):
            out.append(prefix.rstrip())
        out.append(f"{prefix}- {md_text(line[2:].strip())}" if item else prefix + md_text(line))
    return "\n".join(out)


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for block in blocks:
        kind, text = block[0], block[1]
        if kind == "title":
            out.append(f"# {md_text(text)}")
        elif kind == "heading":
            out.append(f"## {md_text(text)}")
        elif kind == "quote":
            out.append(_md_lines(text, "> "))
        elif kind == "citation":
            out.append(DASH + md_link(text, block[2]))
        elif kind == "note":
            parts = [md_text(part) for part in lines(text)]
            out.append("\n\n".join([f"**{NOTE_LABEL.strip()}** {parts[0]}", *parts[1:]]))
        elif kind == "own":
            out.append(_md_lines(text))
        elif kind == "source":
            row = "| " + " | ".join([md_text(text), md_text(block[2]), md_text(block[3]), md_link(shown_url(block[4]), block[4])]) + " |"
            if out and out[-1].startswith("| "):
                out[-1] += "\n" + row
            else:
                out.append("| " + " | ".join(SOURCE_COLUMNS) + " |\n|" + " --- |" * len(SOURCE_COLUMNS) + "\n" + row)
        else:  # intro
            out.append(md_text(text))
    return "\n\n".join(out) + "\n"


# --- Word --------------------------------------------------------------------------------------


def _timestamp() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(tz=dt.UTC).replace(tzinfo=None, microsecond=0)


def to_docx(blocks: list[Block]) -> bytes:
    """A Word document: Title, Heading 1 per section, clauses in the Quote style (their lists as Word
    lists), linked citations, notes, the drafter's wording in the body style, a table of sources, a
    header with the title and "Page X of Y" footers."""
    from .draft_word import WordDocument

    word = WordDocument(WORD)
    title = next((block[1] for block in blocks if block[0] == "title"), "")
    word.header_footer(title)
    rows: list[Block] = []
    for block in blocks:
        kind, text = block[0], block[1]
        if kind != "source" and rows:
            word.sources(SOURCE_COLUMNS, [(r[1], r[2], r[3], r[4]) for r in rows])
            rows = []
        if kind == "title":
            word.paragraph(text, "Title")
        elif kind == "heading":
            word.paragraph(text, "Heading1")
        elif kind == "quote":
            for line in lines(text):
                if line.startswith("- "):
                    word.paragraph(line[2:].strip(), "QuoteList")
                else:
                    word.paragraph(line, "Quote")
        elif kind == "citation":
            word.citation(DASH, text, block[2])
        elif kind == "note":
            for i, line in enumerate(lines(text)):
                word.paragraph(line, "Normal", label=NOTE_LABEL if i == 0 else "")
        elif kind == "own":
            for line in lines(text):
                if line.startswith("- "):
                    word.paragraph(line[2:].strip(), "ListBullet")
                else:
                    word.paragraph(line, "Normal")
        elif kind == "source":
            rows.append(block)
        else:
            word.paragraph(text, "Normal")
    if rows:
        word.sources(SOURCE_COLUMNS, [(r[1], r[2], r[3], r[4]) for r in rows])
    when = _timestamp()
    return _fixed_zip_times(word.save(title, when), when)


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
