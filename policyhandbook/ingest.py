"""Ingest: turn a policy's document or text into a tagged source file, marked as unreviewed.

``build.py ingest DOCUMENT --council ID --name "Full Council Name"`` reads the policy from
a Word, PDF or HTML document (``extract.py``: its text, and the heading levels its styles
give) or from plain text, cuts it into clauses at the policy's own structure, suggests
topics for every clause (with the tagged clauses each leans on), and writes
``source_policies/<id>.yaml`` (with ``reviewed: false``) and the text in
``source_policies/originals/<id>.txt``, with the document kept beside it.

Cutting follows the document:

- numbered headings ("4. Purpose of the Policy") and numbered paragraphs ("4.1 ...",
  also when a list marker swallowed the number: "- 4.1 ...") give the sections;
- unnumbered headings are short lines without closing punctuation that stand
  before text; a heading directly followed by another opens a level ("Best
  practice" > "Set the tone"); Markdown bold lines ("**Style and etiquette**") are
  sub-headings;
- a bullet or lettered list stays with the sentence that leads into it, unless its
  items are provisions of their own (an item of several sentences, or items of the
  form "Label: text"), when each item becomes a clause;
- extraction debris is cleaned, never the wording: lines wrapped by the extraction
  and sentences split by a page break are joined, Word field codes
  ("[footnoteRef:1]", "[bookmark: _GoBack]") and empty bullets are dropped, Word
  bullets become "- ", and footnotes ("[1: text]") become clauses of their own;
- front matter before the first heading (the council's name, the title, a date
  line) and lines that stand alone at the end ("ENDS") are not clauses; the review
  report lists them.

Every clause is checked with the same verbatim test as ``build.py check`` before
anything is written, and the written file is checked again as a whole.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import similar
from .check import ID_RE, check_council
from .extract import Extracted, ExtractError, extract, sniff
from .levels import suggest_levels
from .load import load
from .model import section_label
from .problems import Problem, SourceError
from .provenance import locate
from .read import display_path, read_text, read_yaml_file
from .suggest import Suggester, Suggestion, examples_from
from .text import normalise

# --- errors -------------------------------------------------------------------


class IngestError(Exception):
    """Bad input: carries every problem, each as ``file:line: message``."""

    def __init__(self, problems: list[Problem] | list[str]):
        self.problems = [str(p) for p in problems]
        super().__init__("\n".join(self.problems))


# --- lines ----------------------------------------------------------------------

_FIELD_CODE = re.compile(r"[ \t]*(?:\[footnoteRef:\d+\]|\[bookmark:[^\]]*\])[ \t]*")
_FOOTNOTE = re.compile(r"[ \t]*\[(\d+):\s+([^\]]*)\][ \t]*")
# Footnote bodies at the end of a line (where Word's extraction puts them).
_END_FOOTNOTES = re.compile(r"(?:[ \t]*\[\d+:\s+[^\]]*\])+[ \t]*$")
_BULLET = re.compile(r"^[-\u00b7*\u2022\u25aa\u25cf][ \t\u00a0]*")
_BULLET_STRICT = re.compile(r"^[-\u00b7*\u2022\u25aa\u25cf](?:[ \t\u00a0]+|$)")
_NUM_PARA = re.compile(r"^(\d{1,3}(?:\.\d{1,3})+)\.?[ \t\u00a0]+(\S.*)$")
_NUM_HEAD = re.compile(r"^(\d{1,3})[.)]?[ \t\u00a0]+(\S.*)$")
_ENUM = re.compile(r"^(?:\(?[a-zA-Z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)|\(\d{1,2}\)|\d{1,2}[.)])[ \t\u00a0]+\S")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*[:.]?$")
_BOLD = re.compile(r"\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_APPENDIX = re.compile(r"^(?:appendix|annex|schedule|appendices)\b", re.IGNORECASE)
_CLOSERS = "\"'\u201d\u2019)]"
_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|eg|ie|no|cf|approx|mr|mrs|ms|dr|st|vs)|\b[A-Z])$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[A-Z\u201c\"'\u2018(])")
_LABEL_ITEM = re.compile(r"^[A-Z\u2018\u201c'\"][^:.;]{1,80}:\s+\S")


def _terminal(text: str) -> bool:
    """Does the text end a sentence (or a list entry)?"""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return stripped.endswith((".", "!", "?", ";"))


def _sentences(text: str) -> int:
    count = 1
    for match in _SENTENCE_END.finditer(text):
        if not _ABBREVIATIONS.search(text[: match.start()]):
            count += 1
    return count


def _heading_like(text: str) -> bool:
    """A short line without closing punctuation that could be a heading."""
    text = text.strip()
    if not text or len(text) > 100 or len(text.split()) > 14:
        return False
    if text.rstrip(_CLOSERS).endswith((".", ";", ":", ",")):
        return False
    first = text.lstrip("\u201c\"'\u2018(")[:1]
    return first.isupper() or first.isdigit()


def _clean(text: str) -> str:
    """Plain text: no Markdown bold or italic markers left by the extraction."""
    return _ITALIC.sub(r"\1", _BOLD.sub("", text)).strip()


@dataclass
class Line:
    no: int  # 1-based line number in the raw text
    text: str  # field codes and footnote bodies removed, leading white space removed
    indent: int
    blank_before: bool
    footnotes: list[tuple[str, str]]


def _field_code_gap(match: re.Match[str]) -> str:
    """A field code between two words leaves one space; at either end of the line, nothing."""
    return " " if match.start() > 0 and match.end() < len(match.string) else ""


def _lines(raw: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for no, original in enumerate(raw.split("\n"), start=1):
        indent = len(original) - len(original.lstrip(" \t\u00a0\ufeff"))
        # A field code goes; the words on either side of it stay apart.
        text = _FIELD_CODE.sub(_field_code_gap, original)
        footnotes: list[tuple[str, str]] = []
        ending = _END_FOOTNOTES.search(text)
        if ending and text[: ending.start()].strip():
            footnotes = [(m.group(1), m.group(2).strip()) for m in _FOOTNOTE.finditer(ending.group())]
            text = text[: ending.start()]
        elif ending:  # a footnote alone on its line is text in its own right
            text = " ".join(m.group(2).strip() for m in _FOOTNOTE.finditer(ending.group()))
        text = text.strip(" \t\u00a0\ufeff")
        if not text:
            blank = True
            continue
        # Word's extraction puts a blank line after a paragraph that carries a footnote:
        # that blank line says nothing about the document's layout.
        after_footnote = bool(lines) and bool(lines[-1].footnotes) and lines[-1].no == no - 2
        lines.append(Line(no, text, indent, blank and not after_footnote, footnotes))
        blank = False
    return lines


# --- blocks: headings, paragraphs, list items ------------------------------------


@dataclass
class Block:
    kind: str  # "numhead", "boldhead", "para", "item", "short", "skip"
    lines: list[str]
    no: int
    blank_before: bool
    number: str = ""  # "4" for a numbered heading, "4.1" for a numbered paragraph
    marker: bool = False  # an item that had a bullet (rather than a letter or number)
    indent: int = 0
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)  # how each line after the first was attached: " " or "\n"
    level: int | None = None  # a heading's level, from the document's styles

    @property
    def text(self) -> str:
        out = self.lines[0]
        for join, line in zip(self.joins, self.lines[1:], strict=True):
            out = out.rstrip() + join + line if join == " " else out + join + line
        return out

    @property
    def last(self) -> str:
        return self.lines[-1]


def _blocks(lines: list[Line], styled: dict[int, int] | None = None) -> list[Block]:
    blocks: list[Block] = []
    last_head = 0  # the last numbered heading's number
    styled = styled or {}
    for line in lines:
        text = line.text
        cur = blocks[-1] if blocks else None

        def new(kind: str, body: str, line: Line = line, **kw) -> None:
            blocks.append(Block(kind, [body], line.no, line.blank_before, indent=line.indent, footnotes=list(line.footnotes), **kw))

        if line.no in styled:  # a heading by the document's own styles (Word, HTML, PDF type sizes)
            numbered = _NUM_HEAD.match(text) or _NUM_PARA.match(text)
            if numbered and numbered.group(2).strip():
                if _NUM_HEAD.match(text):
                    last_head = int(numbered.group(1))
                new("numhead", _clean(numbered.group(2)).strip(), number=numbered.group(1), level=styled[line.no])
            else:
                new("stylehead", _clean(text).strip(), level=styled[line.no])
            continue

        bold = _BOLD_LINE.match(_BULLET.sub("", text, count=1) if _BULLET_STRICT.match(text) else text)
        if bold and _heading_like(bold.group(1)):
            new("boldhead", bold.group(1).strip())
            continue
        unbulleted = _BULLET_STRICT.sub("", text, count=1) if _BULLET_STRICT.match(text) else text
        num_para = _NUM_PARA.match(unbulleted)
        if num_para:
            new("para", num_para.group(2), number=num_para.group(1))
            continue
        num_head = _NUM_HEAD.match(unbulleted)
        if num_head and _heading_like(num_head.group(2)) and int(num_head.group(1)) in (last_head + 1, last_head + 2) and not _heading_like_item(cur):
            last_head = int(num_head.group(1))
            new("numhead", num_head.group(2).strip(), number=num_head.group(1))
            continue
        if _BULLET_STRICT.match(text):
            body = unbulleted.strip()
            if not body:  # an empty bullet
                new("skip", text)
                continue
            new("item", body, marker=True)
            continue
        if _ENUM.match(text):
            new("item", text)
            continue
        # Plain text: does it carry on the block before it? (Not after a footnote: its text
        # comes between the two in the original.)
        if cur is not None and cur.kind in ("para", "item", "short") and not cur.footnotes:
            if not line.blank_before:
                if cur.last.rstrip().endswith(":") and cur.kind != "short":
                    cur.lines.append(text)
                    cur.joins.append("\n")
                    cur.footnotes += line.footnotes
                    continue
                wrapped = not _terminal(cur.last) and (text[:1].islower() or line.indent > 0 or (cur.kind == "para" and len(cur.last) >= 60))
                if wrapped:
                    cur.lines[-1] = cur.last.rstrip() + " " + text
                    cur.footnotes += line.footnotes
                    if cur.kind == "short" and not _heading_like(cur.text):
                        cur.kind = "para"
                    continue
            else:
                broken = not _terminal(cur.last) and not cur.last.rstrip().endswith(":") and cur.kind != "short"
                if broken and (text[:1].islower() or (text[:1] == "(" and not _ENUM.match(text))):
                    cur.lines[-1] = cur.last.rstrip() + " " + text  # a page break inside a sentence
                    cur.footnotes += line.footnotes
                    continue
                if cur.kind == "item" and cur.marker and line.indent > 0:
                    new("item", text)  # a list entry whose bullet the extraction lost
                    continue
        new("short" if _heading_like(text) else "para", text)
    return blocks


def _heading_like_item(cur: Block | None) -> bool:
    """Inside a numbered list ("1. signed ...;"), '2. completed ...' is an item, not a heading."""
    return cur is not None and cur.kind == "item" and not cur.marker and re.match(r"^\d", cur.lines[0]) is not None


# --- units: resolve short lines into headings, list labels or list entries ---------


@dataclass
class Heading:
    title: str
    number: str
    kind: str  # "numhead", "appendix", "boldhead", "plain"
    blank_before: bool
    no: int
    level: int | None = None  # from the document's styles; None when guessed from the text


def _is_content(block: Block) -> bool:
    return block.kind in ("para", "item")


def _substantial(block: Block) -> bool:
    return block.kind == "item" or (block.kind == "para" and (bool(block.number) or len(block.text.split()) >= 8))


def _resolve(blocks: list[Block]) -> tuple[list[Block | Heading], list[tuple[int, str, str]]]:
    """Headings, paragraphs and list entries in order; and the lines left out, with the reason."""
    skipped: list[tuple[int, str, str]] = []
    # Front matter: everything before the first heading that stands directly before substantial text.
    start = 0
    for i, block in enumerate(blocks):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind in ("numhead", "boldhead", "short", "stylehead") and following is not None and _substantial(following):
            start = i
            break
        if block.kind == "para" and block.number:
            start = i
            break
    else:
        start = next((i for i, b in enumerate(blocks) if _is_content(b)), len(blocks))
    for block in blocks[:start]:
        skipped.append((block.no, block.text, "front matter (title, council name, date line)"))
    body = blocks[start:]

    units: list[Block | Heading] = []
    i = 0
    while i < len(body):
        block = body[i]
        if block.kind == "skip":
            skipped.append((block.no, block.text, "empty bullet"))
            i += 1
            continue
        if block.kind == "numhead":
            units.append(Heading(block.text, block.number, "numhead", block.blank_before, block.no, block.level))
            i += 1
            continue
        if block.kind == "stylehead":
            kind = "appendix" if _APPENDIX.match(block.text) else "plain"
            units.append(Heading(block.text, "", kind, block.blank_before, block.no, block.level))
            i += 1
            continue
        if block.kind == "boldhead":
            units.append(Heading(block.text, "", "boldhead", block.blank_before, block.no))
            i += 1
            continue
        if block.kind != "short":
            units.append(block)
            i += 1
            continue
        # A run of short lines. A long run (a list broken by sub-headings) also takes in the
        # longer lines written directly under one of its lines.
        j = i
        while j < len(body) and (
            body[j].kind == "short"
            or (j - i >= 4 and body[j].kind == "para" and not body[j].number and not body[j].blank_before and body[j - 1].kind == "short")
        ):
            j += 1
        run = body[i:j]
        after = body[j] if j < len(body) else None
        previous = units[-1] if units else None
        in_list = isinstance(previous, Block) and (previous.kind == "item" or previous.last.rstrip().endswith(":"))
        if len(run) <= 3:
            for k, short in enumerate(run):
                nxt = run[k + 1] if k + 1 < len(run) else after
                label = (
                    in_list
                    and k == 0
                    and nxt is not None
                    and nxt.kind == "item"
                    and (not short.blank_before or not nxt.blank_before)
                    and not _APPENDIX.match(short.text)
                )
                if label:  # "LGIU" heading a group of links inside a list
                    units.append(Block("label", [short.text], short.no, short.blank_before))
                elif nxt is None:  # "ENDS", "DRAFT": nothing under it
                    skipped.append((short.no, short.text, "a line standing alone at the end (no text under it)"))
                else:
                    kind = "appendix" if _APPENDIX.match(short.text) else "plain"
                    units.append(Heading(short.text, "", kind, short.blank_before, short.no))
        else:
            # A long run of short lines is a list broken by sub-headings: a line standing alone
            # before a group of lines is a heading, the group is its list; they alternate.
            groups: list[list[Block]] = []
            for short in run:
                if short.blank_before or not groups:
                    groups.append([short])
                else:
                    groups[-1].append(short)
            expect_content = False
            for k, group in enumerate(groups):
                has_next = k + 1 < len(groups) or (after is not None and _is_content(after))
                if len(group) == 1 and not expect_content and has_next:
                    units.append(Heading(group[0].text, "", "plain", group[0].blank_before, group[0].no))
                    expect_content = True
                    continue
                for short in group:
                    units.append(Block("item", [short.text], short.no, short.blank_before))
                expect_content = False
        i = j
    return units, skipped


# --- clauses ------------------------------------------------------------------------


@dataclass
class Draft:
    """A clause as cut from the text, before its id and topics."""

    section: str
    heading: str
    text: str
    line: int  # where it starts in the raw text
    suggestions: list[Suggestion] = field(default_factory=list)
    id: str = ""
    level: str = ""  # suggested when the file is written
    shares: tuple[str, str, float] | None = None  # a tagged clause sharing its wording: (id, its citation, score)
    shares_levels: dict[str, str] = field(default_factory=dict)  # that clause's levels on the topics they share

    @property
    def topics(self) -> list[str]:
        return [s.topic for s in self.suggestions if s.chosen]


def _item_text(block: Block) -> str:
    text = _clean(block.text)
    return "- " + text


def _para_text(block: Block) -> str:
    return "\n".join(_clean(line) for line in block.text.split("\n"))


def _split_list(items: list[Block], heading: str = "", diverse=None) -> bool:
    """Are the list's entries provisions of their own (so each becomes a clause)?"""
    entries = [b for b in items if b.kind == "item"]
    if len(entries) < 2:
        return False
    if not any(b.marker for b in entries):  # a numbered or lettered list is one provision in steps
        return False
    if any(_sentences(_clean(b.text)) >= 2 for b in entries):
        return True
    labelled = sum(1 for b in entries if _LABEL_ITEM.match(_clean(b.text)))
    if labelled * 2 >= len(entries):
        return True
    return diverse is not None and diverse([_clean(b.text) for b in entries], heading)


def _quotation(text: str) -> bool:
    """One quoted sentence ("The views I express here are mine ..."), as a lead-in ending in ':' introduces."""
    text = text.strip()
    return text[:1] in "\u201c\"'\u2018" and text.rstrip(".").endswith(("\u201d", '"', "'", "\u2019")) and _sentences(text) == 1


def _clauses(units: list[Block | Heading], diverse=None) -> list[Draft]:
    drafts: list[Draft] = []
    stack: list[Heading] = []
    numbered = any(isinstance(u, Heading) and u.kind == "numhead" for u in units)
    base_counts: dict[str, int] = {}
    para_section = ""  # the numbered paragraph the text is in ("4.1"), until the next heading or number
    para_count = 0
    after_heading = False

    def base() -> str:
        parts: list[str] = []
        for h in stack:
            if h.kind == "numhead":
                parts = [h.number]
            else:
                parts.append(h.title)
        return " > ".join(parts) if parts else "Opening"

    def heading_path() -> str:
        return " > ".join(h.title for h in stack)

    def place(heading: Heading) -> None:
        # Headings whose level the document's styles give sit under the styled headings above
        # their level; the others are placed by the layout of the text.
        styled = 0
        while styled < len(stack) and stack[styled].level is not None and (heading.level is None or stack[styled].level < heading.level):
            styled += 1
        if heading.level is not None:
            del stack[styled:]
            stack.append(heading)
            return
        if heading.kind in ("numhead", "appendix"):
            stack.clear()
            stack.append(heading)
            return
        if after_heading and stack:
            stack.append(heading)  # a heading directly under another opens a level
            return
        for k in range(len(stack) - 1, styled - 1, -1):
            if stack[k].kind in ("plain", "boldhead") and stack[k].blank_before == heading.blank_before:
                del stack[k:]
                stack.append(heading)
                return
        keep = max(styled, 1 if numbered and stack and stack[0].kind in ("numhead", "appendix") else 0)
        del stack[keep:]
        stack.append(heading)

    def next_section() -> str:
        nonlocal para_count
        if para_section:
            para_count += 1
            return para_section if para_count == 1 else f"{para_section}, para {para_count}"
        key = base()
        base_counts[key] = base_counts.get(key, 0) + 1
        return f"{key}, para {base_counts[key]}"

    def emit(section: str, text: str, line: int, footnotes: list[tuple[str, str]]) -> None:
        drafts.append(Draft(section, heading_path(), text, line))
        for number, body in footnotes:
            if body:
                drafts.append(Draft(f"{section}, footnote {number}", heading_path(), _clean(body), line))

    i = 0
    while i < len(units):
        unit = units[i]
        if isinstance(unit, Heading):
            place(unit)
            para_section, para_count = "", 0
            after_heading = True
            i += 1
            continue
        after_heading = False
        if unit.kind == "para" and unit.number:
            para_section, para_count = unit.number, 0
        # Gather a lead-in paragraph (or none) and the list that follows it.
        lead: list[Block] = []
        if unit.kind == "para":
            lead.append(unit)
            i += 1
            # "Note:" on its own, "If you wish ...:" before a lead-in, or "... along these lines:" before the
            # one sentence it introduces (a quotation), stays with what follows.
            while (
                i < len(units)
                and isinstance(units[i], Block)
                and units[i].kind == "para"
                and not units[i].number
                and lead[-1].text.rstrip().endswith(":")
                and not lead[-1].footnotes
                and (
                    len(lead[-1].text.split()) <= 3
                    or (i + 1 < len(units) and isinstance(units[i + 1], Block) and units[i + 1].kind == "item")
                    or (_quotation(units[i].text) and not (i + 1 < len(units) and isinstance(units[i + 1], Block) and units[i + 1].kind == "item"))
                )
            ):
                lead.append(units[i])
                i += 1
        items: list[Block] = []
        while i < len(units) and isinstance(units[i], Block) and units[i].kind in ("item", "label"):
            items.append(units[i])
            i += 1
        if not lead and not items:  # a label with nothing after it
            items.append(unit)
            i += 1
        if lead and items and any(b.footnotes for b in lead):
            # The footnote's text comes between the lead-in and its list in the original.
            emit(next_section(), "\n".join(_para_text(b) for b in lead), lead[0].no, [f for b in lead for f in b.footnotes])
            lead = []
        footnotes = [f for b in lead + items for f in b.footnotes]
        lead_text = "\n".join(_para_text(b) for b in lead)
        noted = any(b.footnotes for b in (lead + items)[:-1])  # a footnote inside the group splits it
        if items and (noted or _split_list(items, heading_path(), diverse)):
            if lead:
                section = next_section()
                emit(section, lead_text, lead[0].no, [f for b in lead for f in b.footnotes])
                prefix = section
            else:
                key = base()
                prefix = key
            number = 0
            label = ""
            for item in items:
                if item.kind == "label" and item.footnotes:
                    emit(f"{prefix}, {_clean(item.text)}", _clean(item.text), item.no, item.footnotes)
                    continue
                if item.kind == "label":
                    label = _clean(item.text)
                    continue
                number += 1
                text = (label + "\n" if label else "") + _item_text(item)
                label = ""
                emit(f"{prefix}, item {number}", text, item.no, item.footnotes)
        else:
            lines = [lead_text] if lead else []
            lines += [_clean(b.text) if b.kind == "label" else _item_text(b) for b in items]
            first = (lead or items)[0]
            emit(next_section(), "\n".join(lines), first.no, footnotes)
    _tidy_sections(drafts)
    return drafts


def _tidy_sections(drafts: list[Draft]) -> None:
    """'Best practice > Set the tone, para 1' -> 'Best practice > Set the tone' when it is the only one."""
    counts: dict[str, int] = {}
    for draft in drafts:
        head = draft.section.split(", para ")[0]
        if ", para " in draft.section and ", item" not in draft.section and ", footnote" not in draft.section:
            counts[head] = counts.get(head, 0) + 1
    for draft in drafts:
        parts = draft.section.split(", para 1", 1)
        if len(parts) == 2 and (parts[1] == "" or parts[1].startswith(",")) and counts.get(parts[0]) == 1:
            draft.section = parts[0] + parts[1]


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "clause"


def _assign_ids(council: str, drafts: list[Draft]) -> None:
    seen: set[str] = set()
    for draft in drafts:
        section = re.sub(r", (para|item|footnote) ", r" \1 ", draft.section)
        candidate = f"{council}-{_slug(section)}"
        unique, n = candidate, 2
        while unique in seen:
            unique, n = f"{candidate}-{n}", n + 1
        seen.add(unique)
        draft.id = unique


def split(raw: str, diverse=None, headings: dict[int, int] | None = None) -> tuple[list[Draft], list[tuple[int, str, str]]]:
    """Cut a policy's text into clauses; also return the lines left out, with the reason.

    ``headings`` (line number -> level) names the lines that the document's styles make headings
    (from a Word, PDF or HTML document); without it, headings are recognised from the text.
    """
    units, skipped = _resolve(_blocks(_lines(raw), headings))
    return _clauses(units, diverse), skipped


# --- the council's details: guessed from the text, or given on the command line ---------

_KINDS = (
    "county borough council",
    "metropolitan borough council",
    "london borough council",
    "borough council",
    "city council",
    "county council",
    "district council",
    "parish council",
    "town council",
    "community council",
)
_TITLE_WORDS = re.compile(r"\b(?:policy|policies|protocol|guidance|guidelines|code|procedure|strategy)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


@dataclass
class Details:
    """The council's fields; ``guessed`` names the ones the tool guessed."""

    title: str
    kind: str
    nation: str
    audience: str
    status: str
    date: str
    guessed: dict[str, str] = field(default_factory=dict)  # field -> how it was guessed


def guess_details(raw: str, name: str, skipped: list[tuple[int, str, str]], given: dict[str, str | None]) -> Details:
    front = [(no, text) for no, text, why in skipped if why.startswith("front matter")]
    guessed: dict[str, str] = {}

    title = " ".join((given.get("title") or "").split())
    if not title:
        candidates = [(no, text.split("\n")[0]) for no, text in front if _TITLE_WORDS.search(text.split("\n")[0])]
        if candidates:
            no, title = candidates[0]
            following = [text for n, text in front if n > no]
            if title.isupper() and following and following[0].isupper() and not _YEAR.search(following[0]) and following[0] not in ("DRAFT",):
                title = f"{title} {following[0]}"  # a title set over two lines in capitals
            title = " ".join(title.split()).rstrip(".").strip()
            guessed["title"] = f"from line {no} of the text"
        else:
            title = "Social media policy"
            guessed["title"] = "the text has no title line"

    kind = given.get("kind")
    if not kind:
        lowered = name.lower()
        kind = next((k for k in _KINDS if k in lowered), "council")
        guessed["kind"] = "from the name"

    nation = given.get("nation")
    if not nation:
        head = " ".join([name] + [text for _, text in front]).lower()
        if "cyngor" in head or "wales" in head:
            nation = "Wales"
        elif "scotland" in head or "scottish" in head or "comhairle" in head:
            nation = "Scotland"
        elif "northern ireland" in head:
            nation = "Northern Ireland"
        else:
            nation = "England"
        guessed["nation"] = "from the name and the title page"

    audience = given.get("audience")
    if not audience:
        lowered = raw.lower()
        members = len(re.findall(r"\b(?:councillors?|elected members?|members)\b", lowered))
        staff = len(re.findall(r"\b(?:staff|employees?|officers?)\b", lowered))
        audience = "members" if members > 2 * staff else "staff" if staff > 2 * members else "both"
        guessed["audience"] = f"the text mentions councillors or members {members} times, staff or officers {staff} times"

    status = given.get("status")
    if not status:
        marked = any(text.strip().upper() == "DRAFT" for _, text in front) or re.search(r"^\s*DRAFT\s*$", raw, re.MULTILINE)
        status = "draft" if marked else "not stated"
        guessed["status"] = "the text is marked DRAFT" if marked else "the text does not say"

    date = given.get("date")
    if not date:
        years = [m.group(1) for _, text in front for m in _YEAR.finditer(text)]
        date = years[0] if years else "undated"
        guessed["date"] = "from the title page" if years else "the title page gives no year"
    return Details(title, kind, nation, audience, status, date, guessed)


# --- the source file ---------------------------------------------------------------------


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _confidence(suggestions: list[Suggestion], review_below: float) -> tuple[str, bool]:
    """The comment after a clause's topics, and whether the clause needs attention."""
    chosen = [s for s in suggestions if s.chosen]
    attention = False
    parts = []
    for s in chosen:
        low = s.score < review_below
        attention |= low
        parts.append(f"{s.topic} {s.score:.2f}" + (" (REVIEW)" if low else " sure" if s.confidence == "sure" else ""))
    others = [s for s in suggestions if not s.chosen and s.score >= 0.25][:2]
    comment = "suggested: " + ", ".join(parts)
    if others:
        comment += "; also considered: " + ", ".join(f"{s.topic} {s.score:.2f}" for s in others)
    return comment, attention


def evidence_text(suggestion: Suggestion) -> str:
    """'disclaimer: like oxford 'Responsibilities, para 3', wiltshire '...'' (the tagged clauses it leans on)."""
    if not suggestion.evidence:
        return f"{suggestion.topic}: from the topic's definition only"
    return f"{suggestion.topic}: like " + ", ".join(str(e) for e in suggestion.evidence)


def render(
    council: str, name: str, details: Details, drafts: list[Draft], raw_name: str, review_below: float, extracted: Extracted | None = None
) -> tuple[str, dict[str, int], set[str]]:
    """The source file's text; the line each clause starts on; the ids of the clauses needing attention."""
    out: list[str] = []
    document = extracted is not None and extracted.suffix != ""

    def guessed(key: str) -> str:
        why = details.guessed.get(key)
        return f"  # guessed ({why}); check it" if why else ""

    out += [
        f"# {name} - {details.title}",
        (
            f"# Written by `build.py ingest` from {raw_name} ({extracted.kind} document, kept as originals/{council}{extracted.suffix};"
            f" its text is originals/{council}.txt):"
            if document and extracted is not None
            else f"# Written by `build.py ingest` from {raw_name}:"
        ),
        "# the clauses were cut from the text and their topics suggested by the tool. Nobody has reviewed them yet.",
        "# To review: check the fields marked 'guessed'; for each clause, check its topics",
        "# (the comment after them gives each suggested topic's confidence, from 0 to 1: 'sure'",
        "# marks the ones that were right at least 9 times in 10 when measured, 'REVIEW' the ones the tool",
        "# is unsure of; the '# evidence' line above names the tagged clauses each suggestion leans on,",
        "# and any wording they share) and its level (suggested from the wording: see the About and",
        "# method page), add a summary if you wish; then set 'reviewed: true'.",
        "# 'build.py check --strict' refuses the file until then.",
        "",
        f"id: {council}",
        f"name: {_q(name)}",
        f"kind: {_q(details.kind)}{guessed('kind')}",
        f"nation: {details.nation}{guessed('nation')}",
        f"title: {_q(details.title)}{guessed('title')}",
        f"audience: {details.audience}{guessed('audience')}",
        f"status: {_q(details.status)}{guessed('status')}",
        f"date: {_q(details.date)}{guessed('date')}",
        (
            f"source: {_q(f'{extracted.kind} document of the policy, as received ({raw_name}, kept as originals/{council}{extracted.suffix}); text extracted, cut into clauses and tagged by build.py ingest.')}"
            if document and extracted is not None
            else f"source: {_q(f'Plain text of the policy, as received ({raw_name}); cut into clauses and tagged by build.py ingest.')}"
        ),
        f"original: originals/{council}.txt",
        "attribution: >-",
        f"  Text \u00a9 {name}. Quoted verbatim and in full for comparison and",
        "  research; contains public sector information licensed under the Open",
        "  Government Licence v3.0.",
        "retrieved: not recorded  # the date you copied the text (YYYY-MM-DD); check it",
        "checked: not recorded  # the date you last checked the document is in force; check it",
        "reviewed: false",
        "",
        "clauses:",
    ]
    lines: dict[str, int] = {}
    attention: set[str] = set()
    previous = ""
    for draft in drafts:
        comment, flagged = _confidence(draft.suggestions, review_below)
        if flagged:
            attention.add(draft.id)
        lines[draft.id] = len(out) + 1
        out.append(f"  - id: {draft.id}")
        out.append(f"    section: {_q(draft.section)}")
        if draft.heading:
            out.append(f"    heading: {_q(draft.heading)}")
        chosen = [s for s in draft.suggestions if s.chosen]
        out.append("    # evidence: " + "; ".join(evidence_text(s) for s in chosen))
        out.append(f"    topics: [{', '.join(draft.topics)}]  # {comment}")
        lead = previous if draft.text.startswith("- ") and previous.rstrip().endswith(":") else ""
        level, levels, words = suggest_levels(draft.text, draft.heading, draft.topics, lead)
        why = f"from the words '{words}'" if words else "nothing in it directs anyone"
        if draft.shares_levels:  # the strongest evidence: a tagged clause with most of the same wording
            level = draft.shares_levels.get(draft.topics[0], level)
            levels = {t: lv for t, lv in draft.shares_levels.items() if t != draft.topics[0] and lv != level}
            why = f"as {draft.shares[1]}, which shares most of this wording"
        out.append(f"    level: {level}  # suggested: {why} (REVIEW)")
        if levels:
            out.append("    levels: {" + ", ".join(f"{t}: {lv}" for t, lv in levels.items()) + "}  # suggested: a stated consequence of a breach (REVIEW)")
        draft.level = level
        if not draft.text.startswith("- "):
            previous = draft.text
        out.append("    text: |")
        out += [f"      {line}" for line in draft.text.split("\n")]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n", lines, attention


# --- the command ------------------------------------------------------------------------


@dataclass
class Report:
    yaml_path: Path
    original_path: Path
    drafts: list[Draft]
    skipped: list[tuple[int, str, str]]
    details: Details
    lines: dict[str, int]
    attention: set[str]
    copied: bool  # False when the raw text already was the original
    kept_path: Path | None = None  # the source document, kept beside the extracted text
    kind: str = "text"  # "Word", "PDF", "HTML" or "text"
    warnings: list[str] = field(default_factory=list)


def ingest(
    raw_path: Path,
    council: str,
    name: str,
    sources: Path,
    output_dir: Path | None = None,
    given: dict[str, str | None] | None = None,
    root: Path | None = None,
) -> Report:
    """Cut, tag and write a new council's source file; raise ``IngestError`` (writing nothing) on bad input."""
    raw_path, sources = Path(raw_path), Path(sources)
    name = " ".join(name.split())
    out_dir = Path(output_dir) if output_dir is not None else sources
    root = root or sources.parent
    shown_raw = display_path(raw_path, root)
    problems: list[str] = []
    if not ID_RE.match(council):
        problems.append(f"build.py ingest: '{council}' is not a valid council id; use lower-case letters, digits and single hyphens, e.g. 'north-somerset'")
    if not name.strip():
        problems.append('build.py ingest: the council\'s name is empty; give it with --name "Full Council Name"')
    yaml_path = out_dir / f"{council}.yaml"
    original_path = out_dir / "originals" / f"{council}.txt"
    if not problems:
        for existing in dict.fromkeys([yaml_path, sources / f"{council}.yaml"]):
            if existing.exists():
                problems.append(
                    f"build.py ingest: council '{council}' already exists ({display_path(existing, root)}); "
                    "choose another --council id or remove the existing file"
                )
                break
        same_file = original_path.exists() and raw_path.exists() and original_path.resolve() == raw_path.resolve()
        if original_path.exists() and not same_file and not problems:
            problems.append(
                f"build.py ingest: an original text for '{council}' already exists ({display_path(original_path, root)}); "
                "choose another --council id or remove the existing file"
            )
    if raw_path.is_dir():
        problems.append(f"{shown_raw}: is a folder, not a document; give the policy's Word, PDF, web page or text file")
        raise IngestError(problems)
    extracted = _read_document(raw_path, shown_raw, problems)
    kept_path = out_dir / "originals" / f"{council}{extracted.suffix}" if extracted is not None and extracted.suffix else None
    if kept_path is not None and kept_path.exists() and not any("already exists" in p for p in problems):
        problems.append(
            f"build.py ingest: a document for '{council}' already exists ({display_path(kept_path, root)}); choose another --council id or remove the existing file"
        )
    if problems or extracted is None:
        raise IngestError(problems)
    raw = extracted.text

    try:
        handbook = load(sources)
    except SourceError as err:
        raise IngestError(
            [str(p) for p in err.problems] + ["build.py ingest: the existing sources have problems (above); the suggestions learn from them, so fix them first"]
        ) from err
    topic_ids = [t.id for t in handbook.topics]
    descriptions = {t.id: f"{t.title} {t.description}" for t in handbook.topics}
    suggester = Suggester(examples_from(handbook.councils), topic_ids, descriptions)

    drafts, skipped = split(raw, suggester.diverse, extracted.headings)
    if not drafts:
        raise IngestError([f"{shown_raw}:1: no clauses found: the text has headings but no paragraphs under them; check that it is the policy's whole text"])
    for draft, suggestions in zip(drafts, suggester.suggest_all([(d.text, d.heading) for d in drafts]), strict=True):
        draft.suggestions = suggestions
    _assign_ids(council, drafts)
    taken = {clause.id for clause in handbook.clauses}
    for draft in drafts:  # never reuse another council's clause id
        n = 2
        base = draft.id
        while draft.id in taken:
            draft.id, n = f"{base}-{n}", n + 1
    # Every clause must pass the same verbatim test as `build.py check`.
    original = normalise(raw)
    lost = [d for d in drafts if locate(original, d.text) < 0]
    if lost:
        raise IngestError([f"build.py ingest: internal error: clause at line {d.line} ('{d.text[:40]}...') is not verbatim; please report it" for d in lost])

    _shared_wording(drafts, council, handbook)
    details = guess_details(raw, name, skipped, given or {})
    text, lines, attention = render(council, name, details, drafts, raw_path.name, Suggester.REVIEW_BELOW, extracted)
    if kept_path is not None:
        copied = _write(raw_path, text, yaml_path, original_path, council, topic_ids, handbook, extracted=raw, kept=kept_path)
    else:
        copied = _write(raw_path, text, yaml_path, original_path, council, topic_ids, handbook)
    return Report(yaml_path, original_path, drafts, skipped, details, lines, attention, copied, kept_path, extracted.kind, extracted.warnings)


def _read_document(path: Path, shown: str, problems: list[str]) -> Extracted | None:
    """The policy's text: read from a plain text file, or extracted from a Word, PDF or HTML document."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        head = b""  # read_text reports it
    if (head and sniff(path, head) != "text") or (not head and path.suffix.lower() in (".docx", ".docm", ".dotx", ".pdf", ".html", ".htm", ".doc")):
        try:
            return extract(path, shown)
        except ExtractError as err:
            problems.extend(err.problems)
            return None
    raw, read_problems = read_text(path, shown)
    problems += [str(p) for p in read_problems]
    if raw is not None and not normalise(raw):
        problems.append(f"{shown}:1: file is empty; paste the policy's text into it (copied out of the Word or PDF document, saved as UTF-8 text)")
        return None
    return Extracted(raw, "text", "") if raw is not None else None


def _write(
    raw_path: Path,
    text: str,
    yaml_path: Path,
    original_path: Path,
    council: str,
    topic_ids: list[str],
    handbook,
    extracted: str | None = None,
    kept: Path | None = None,
) -> bool:
    """Check the new file in a private folder, then move it (and the original) into place; never overwrite.

    For a document, ``extracted`` is its text (written as the original) and ``kept`` where the document itself goes.
    """
    out_dir = yaml_path.parent
    if not out_dir.is_dir():
        raise IngestError([f"build.py ingest: cannot write to '{out_dir}': the folder does not exist; create it or choose another with -o"])
    copy = extracted is not None or not (original_path.exists() and original_path.resolve() == raw_path.resolve())
    try:
        staging = Path(tempfile.mkdtemp(prefix=".ingest-", dir=out_dir))
    except OSError as err:
        raise IngestError([f"build.py ingest: cannot write to '{out_dir}': {err.strerror}; choose another folder with -o"]) from err
    placed: list[Path] = []
    try:
        (staging / "originals").mkdir()
        staged_original = staging / "originals" / f"{council}.txt"
        if extracted is not None:
            staged_original.write_text(extracted, encoding="utf-8")
        else:
            staged_original.write_bytes(raw_path.read_bytes() if copy else original_path.read_bytes())
        staged_kept = staging / "originals" / kept.name if kept is not None else None
        if staged_kept is not None:
            staged_kept.write_bytes(raw_path.read_bytes())
        staged_yaml = staging / f"{council}.yaml"
        staged_yaml.write_text(text, encoding="utf-8")
        # The whole file, checked as `build.py check` will check it.
        node, problems = read_yaml_file(staged_yaml, f"{council}.yaml")
        if node is not None:
            _, found = check_council(node, f"{council}.yaml", council, set(topic_ids), staging)
            problems += found
        if problems:
            raise IngestError([f"build.py ingest: internal error: the written file does not pass the check: {p}; please report it" for p in problems])
        original_path.parent.mkdir(exist_ok=True)
        if staged_kept is not None and kept is not None:
            _place(staged_kept, kept)
            placed.append(kept)
        if copy:
            _place(staged_original, original_path)
            placed.append(original_path)
        _place(staged_yaml, yaml_path)
        placed.append(yaml_path)
    except OSError as err:
        for path in placed:
            path.unlink(missing_ok=True)
        raise IngestError([f"build.py ingest: cannot write {err.filename or out_dir}: {err.strerror}; nothing was written"]) from err
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        for path in sorted(staging.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        staging.rmdir()
    return copy


def _place(staged: Path, final: Path) -> None:
    """Move a finished file into place atomically, refusing to replace an existing one."""
    try:
        os.link(staged, final)  # fails if ``final`` exists, even when another process just made it
    except FileExistsError as err:
        raise IngestError([f"build.py ingest: {final} appeared while ingesting; nothing was overwritten"]) from err
    except OSError:
        if final.exists():
            raise IngestError([f"build.py ingest: {final} already exists; nothing was overwritten"]) from None
        os.replace(staged, final)


def _shared_wording(drafts: list[Draft], council: str, handbook) -> None:
    """Note, for each new clause, the tagged clause of another council that shares most wording with it
    (found as on the Shared wording page); where it shares most of the clause, its levels on the topics
    both carry become the suggestion."""
    tagged = [(c.id, c.council, c.text) for c in handbook.clauses if handbook.council_by_id[c.council].reviewed]
    found = similar.find(tagged + [(d.id, "\0" + council, d.text) for d in drafts])
    for draft in drafts:
        best = next(((other, score) for other, score in found.similar_to(draft.id) if other in handbook.clause_by_id), None)
        if best is None:
            continue
        clause = handbook.clause_by_id[best[0]]
        owner = handbook.council_by_id[clause.council]
        draft.shares = (clause.id, f"{owner.short_name}, {section_label(clause.section)}", best[1])
        if best[1] >= similar.MOST:
            draft.shares_levels = {t: clause.level_on(t) for t in draft.topics if t in clause.topics}


def report_lines(report: Report, root: Path) -> list[str]:
    """The review report: what was written, and what needs a person's attention."""
    shown = display_path(report.yaml_path, root)
    drafts = report.drafts
    topics = sorted({t for d in drafts for t in d.topics})
    suggestions = sum(len(d.topics) for d in drafts)
    wrote = f"ingest: wrote {shown} (reviewed: false)" + (f" and {display_path(report.original_path, root)}" if report.copied else "")
    if report.kept_path is not None:
        wrote += f" (the text of the {report.kind} document, which is kept as {display_path(report.kept_path, root)})"
    out = [wrote]
    for warning in report.warnings:
        out.append(f"  warning: {warning}")
    out.append(f"  {len(drafts)} clauses; {suggestions} topic suggestions on {len(topics)} topics; {len(report.attention)} clauses need attention")
    per_topic: dict[str, int] = {}
    for d in drafts:
        for t in d.topics:
            per_topic[t] = per_topic.get(t, 0) + 1
    out.append("  topics suggested: " + ", ".join(f"{t} {n}" for t, n in sorted(per_topic.items(), key=lambda kv: (-kv[1], kv[0]))))
    per_level: dict[str, int] = {}
    for d in drafts:
        per_level[d.level] = per_level.get(d.level, 0) + 1
    out.append(
        "  levels suggested (from the wording; review every one): "
        + ", ".join(f"{lv} {n}" for lv, n in sorted(per_level.items(), key=lambda kv: (-kv[1], kv[0])))
    )
    sharing = [d for d in drafts if d.shares is not None]
    if sharing:
        out.append(f"  shared wording (strong evidence for topics and levels; {len(sharing)} clauses):")
        for d in sharing:
            clause_id, name, score = d.shares
            out.append(f"    {shown}:{report.lines[d.id]}: {d.id} shares wording with {name} ({similar.how_much(score)})")
    chosen = [s for d in drafts for s in d.suggestions if s.chosen]
    sure = sum(1 for s in chosen if s.confidence == "sure")
    review = sum(1 for s in chosen if s.confidence == "review")
    shared = sum(1 for s in chosen if any(e.shared for e in s.evidence))
    out.append(
        f"  confidence: {sure} sure (measured right at least 9 times in 10), {len(chosen) - sure - review} likely, {review} REVIEW;"
        f" {shared} lean on wording shared with a tagged clause"
    )
    if report.attention:
        out.append("  needs attention (low confidence: check these topics first):")
        for d in drafts:
            if d.id in report.attention:
                low = ", ".join(f"{s.topic} {s.score:.2f}" for s in d.suggestions if s.chosen)
                out.append(f"    {shown}:{report.lines[d.id]}: {d.id} ({d.section}): {low}")
    out.append("  suggestions and their evidence (the tagged clauses each leans on: council, section, shared wording):")
    for d in drafts:
        parts = [f"{s.topic} {s.score:.2f} {s.confidence.upper() if s.confidence == 'review' else s.confidence}" for s in d.suggestions if s.chosen]
        out.append(f"    {shown}:{report.lines[d.id]}: {d.id}: " + ", ".join(parts))
        for s in d.suggestions:
            if s.chosen:
                out.append(f"      {evidence_text(s)}")
    if report.skipped:
        out.append("  left out of the clauses (check nothing of the policy is among them):")
        for no, text, why in report.skipped:
            out.append(f"    {display_path(report.original_path, root)}:{no}: {text[:60]!r}: {why}")
    if report.details.guessed:
        out.append("  guessed (check them): " + "; ".join(f"{k} '{getattr(report.details, k)}'" for k in report.details.guessed))
    out.append("  next: review the topics in the file, set 'reviewed: true', then run 'build.py check --strict'")
    return out
