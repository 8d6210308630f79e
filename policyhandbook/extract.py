"""Extract a policy's text from the document a council publishes: Word (.docx), PDF or a web page.

``extract(path, shown)`` returns the document's text in the form ``build.py ingest`` cuts (the
same conventions as the plain-text originals: a blank line between paragraphs, headings on
lines of their own, list entries as ``- `` lines, numbered paragraphs as ``6.4 text``, a
footnote's body as ``[1: text]`` at the end of the paragraph that calls it), the heading levels
the document's styles give (line number -> level), and warnings about what was left out.

- **Word**: read from the package's XML (``zipfile`` and ``lxml``, with entities and network
  access off). Headings come from the paragraph styles (``Heading 1``..., or an outline level);
  the numbers a reader sees ("6.4", "(b)") are rebuilt from the numbering definitions; footnotes
  and endnotes become ``[n: text]``; tables are read row by row, each cell's paragraphs in turn;
  tracked changes are read as accepted (deleted text left out, inserted text kept) and comments
  left out, each with a warning; field codes and a table of contents are left out.
- **PDF**: ``pdftotext -bbox-layout`` (poppler) gives the words of each page with their
  positions, in reading order (two-column pages column by column). Running headers and footers
  (a line at the top or bottom of most pages) and page numbers are dropped; lines are joined
  into paragraphs by their spacing; a word broken at a line end by the typesetter's hyphen is
  joined, a real hyphen kept; a sentence split by a page break is joined; larger type gives
  heading levels.
- **HTML**: the standard library's ``html.parser``. The main content only (``<main>``, else the
  ``role="main"`` element, else the one ``<article>``, else the body), without navigation,
  headers, footers, asides, cookie banners, forms and scripts; ``<h1>``-``<h6>`` give heading
  levels, lists their markers (an ordered list its numbers), tables their cells in order.

Nothing is reworded: the text is what a reader of the document sees, in reading order.
Extraction is deterministic: the same document gives byte-identical text.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

MAX_DOCUMENT_BYTES = 50_000_000


class ExtractError(Exception):
    """The document cannot be read; carries every problem as ``file: message; what to do``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Extracted:
    text: str
    kind: str  # "Word", "PDF", "HTML", "text"
    suffix: str  # the kept document's suffix: ".docx", ".pdf", ".html" ("" for text)
    headings: dict[int, int] = field(default_factory=dict)  # line number -> heading level (1 = top)
    warnings: list[str] = field(default_factory=list)


# --- the paragraphs of a document, and their text ----------------------------------------


@dataclass
class Para:
    kind: str  # "heading", "para", "item"
    text: str
    level: int = 0  # a heading's level (1 = top); an item's depth (0 = top)
    marker: str = ""  # an item's marker: "-", "1.", "(b)"; a numbered paragraph's or heading's number
    notes: list[tuple[str, str]] = field(default_factory=list)  # footnotes called in it: (mark, text)


_SPACES = re.compile(r"[ \t\u00a0]+")


def _tidy(text: str) -> str:
    """One paragraph's text: runs of spaces kept as the reader sees them (one), lines trimmed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def serialise(paras: list[Para]) -> tuple[str, dict[int, int]]:
    """The text ingest reads, and the line of each heading with its level."""
    out: list[str] = []
    headings: dict[int, int] = {}
    previous = ""
    for para in paras:
        text = _tidy(para.text)
        if not text:
            continue
        if para.kind == "item":
            if previous not in ("item", "para") and out:
                out.append("")  # a list follows its lead-in directly, as the reader sees it
            marker = "-" if para.marker in ("", "-") else para.marker
            lines = text.split("\n")
            out.append("  " * para.level + f"{marker} {lines[0]}")
            out += ["  " * para.level + "  " + line for line in lines[1:]]
        else:
            if out:
                out.append("")
            if para.marker:
                text = f"{para.marker} {text}"
            if para.kind == "heading":
                text = " ".join(text.split("\n"))
                headings[len(out) + 1] = max(1, para.level)
            out += text.split("\n")
        if para.notes:
            out[-1] += "".join(f" [{mark}: {' '.join(body.split())}]" for mark, body in para.notes if body.strip())
        previous = para.kind
    return "\n".join(out) + "\n", headings


# --- what kind of file is it? ------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, head: bytes) -> str:
    """'docx', 'pdf', 'html', 'text', or a description of an unsupported kind ('other:...')."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "other:a rich text (.rtf) file; open it in Word and save it as a Word document (.docx), or as a web page or PDF"
    for signature, what in (
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
    ):
        if head.startswith(signature):
            return f"other:a {what}, not a document with text; if it is a scan of the policy, ask the council for the Word or PDF document it was made from, or type the text into a plain text file"
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta")) or suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".doc",):
        return "ole"
    if suffix in (".odt", ".pages", ".xls", ".xlsx", ".ppt", ".pptx", ".epub"):
        return f"other:a {suffix} file, which ingest cannot read; save it as a Word document (.docx), a PDF or a web page (.html) and ingest that"
    return "text"


def extract(path: Path, shown: str) -> Extracted:
    """The document's text; raise ``ExtractError`` when it cannot be read."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as err:
        raise ExtractError([f"{shown}: cannot read the file ({err.strerror}); check that it exists and is readable"]) from err
    if size > MAX_DOCUMENT_BYTES:
        raise ExtractError(
            [f"{shown}: file is too large ({size:,} bytes, the limit is {MAX_DOCUMENT_BYTES:,}); check that this is the council's policy document"]
        )
    if size == 0:
        raise ExtractError([f"{shown}: file is empty; save the council's policy document into it again, or give another file"])
    kind = sniff(path, head)
    if kind == "pdf":
        return extract_pdf(path, shown)
    if kind == "docx":
        return extract_docx(path, shown)
    if kind == "html":
        return extract_html(path, shown)
    if kind == "ole":
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ExtractError(
                [
                    f"{shown}: the Word document is password-protected (encrypted), so its text cannot be read; open it in Word, remove the password (File > Info > Protect Document), save it and ingest it again"
                ]
            )
        raise ExtractError(
            [
                f"{shown}: this is an old Word 97-2003 (.doc) file, which ingest cannot read; open it in Word or LibreOffice, save it as a Word document (.docx) and ingest that"
            ]
        )
    if kind.startswith("other:"):
        raise ExtractError([f"{shown}: this is {kind[6:]}"])
    raise ValueError("plain text is read by ingest itself")


# --- Word -------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_ZIPPED_KINDS = (
    ("xl/", "an Excel workbook (.xlsx)"),
    ("ppt/", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument (LibreOffice) file"),
    ("META-INF/container.xml", "an e-book (.epub)"),
)


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    return etree.fromstring(data, parser)


def _val(element, tag: str, attr: str = "val") -> str | None:
    if element is None:
        return None
    child = element.find(W + tag)
    return None if child is None else child.get(W + attr)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    # Word's letter numbering: a..z, then aa..zz, then aaa...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter",):
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # restart after a paragraph of this level (1-based); None: after any higher level
    legal: bool = False


class _Numbering:
    """Word's numbering definitions, and the counters of the document being read."""

    def __init__(self, root) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        links: dict[str, str] = {}
        for abstract in root.iter(W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                restart = _val(lvl, "lvlRestart")
                levels[ilvl] = _Level(
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") if _val(lvl, "lvlText") is not None else "",
                    int(_val(lvl, "start") or 1),
                    int(restart) if restart is not None and restart.isdigit() else None,
                    lvl.find(W + "isLgl") is not None,
                )
            key = abstract.get(W + "abstractNumId", "")
            self.abstract[key] = levels
            link = _val(abstract, "numStyleLink") or _val(abstract, "styleLink")
            if link:
                links[key] = link
        for num in root.iter(W + "num"):
            overrides = {}
            for override in num.findall(W + "lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(W + "ilvl", "0"))] = int(start)
            self.nums[num.get(W + "numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """The number a reader sees before a paragraph, and its format; None when it has none."""
        if num_id not in self.nums or num_id == "0":
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id)
        if not levels:
            return None
        ilvl = ilvl if ilvl in levels else min(levels, key=lambda k: abs(k - ilvl))
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper, spec in levels.items():
            if deeper > ilvl and (spec.restart is None or spec.restart == 0 or spec.restart - 1 >= ilvl) and spec.restart != 0:
                counters.pop(deeper, None)
        if level.fmt == "bullet":
            return "-", "bullet"
        text = level.text

        def sub(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            spec = levels.get(k, _Level())
            value = counters.get(k, spec.start)
            fmt = "decimal" if (level.legal and k != ilvl) else spec.fmt
            return _format_number(value, fmt)

        shown = re.sub(r"%(\d)", sub, text).strip()
        return (shown, level.fmt) if shown else None


class _Styles:
    def __init__(self, root) -> None:
        self.styles: dict[str, tuple[str, str | None, int | None, tuple[str, int] | None]] = {}
        self.default_para = ""
        if root is None:
            return
        for style in root.iter(W + "style"):
            if style.get(W + "type") != "paragraph":
                continue
            sid = style.get(W + "styleId", "")
            name = (_val(style, "name") or sid).lower()
            ppr = style.find(W + "pPr")
            outline = _val(ppr, "outlineLvl")
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            num = None
            if numpr is not None and _val(numpr, "numId") is not None:
                num = (_val(numpr, "numId") or "", int(_val(numpr, "ilvl") or 0))
            self.styles[sid] = (name, _val(style, "basedOn"), int(outline) if outline is not None and outline.isdigit() else None, num)
            if style.get(W + "default") in ("1", "true"):
                self.default_para = sid

    def _chain(self, sid: str):
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            yield self.styles[sid]
            sid = self.styles[sid][1] or ""

    def name(self, sid: str) -> str:
        return self.styles[sid][0] if sid in self.styles else sid.lower()

    def heading_level(self, sid: str) -> int | None:
        for name, _, outline, _ in self._chain(sid):
            match = re.fullmatch(r"heading (\d)", name)
            if match:
                return int(match.group(1))
            if name in ("title",):
                return None
            if outline is not None and outline < 9:
                return outline + 1
        return None

    def numbering(self, sid: str) -> tuple[str, int] | None:
        for _, _, _, num in self._chain(sid):
            if num is not None:
                return num
        return None


@dataclass
class _Counts:
    insertions: int = 0
    deletions: int = 0
    comments: int = 0
    shapes: int = 0
    hidden: int = 0
    contents: int = 0


class _WordReader:
    def __init__(self, package: zipfile.ZipFile, main: str, shown: str) -> None:
        self.package, self.shown = package, shown
        folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
        rels = self._part(f"{folder}_rels/{main.rsplit('/', 1)[-1]}.rels")
        targets: dict[str, str] = {}
        if rels is not None:
            for rel in rels:
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                target = rel.get("Target", "")
                if rel.get("TargetMode") == "External":
                    continue
                targets[kind] = target.lstrip("/") if target.startswith("/") else folder + target
        self.document = self._part(main)
        self.styles = _Styles(self._part(targets.get("styles", "")))
        self.numbering = _Numbering(self._part(targets.get("numbering", "")))
        self.counts = _Counts()
        self.notes: dict[tuple[str, str], str] = {}
        self.note_marks: dict[tuple[str, str], str] = {}
        self.note_counter = {"footnote": 0, "endnote": 0}
        for kind in ("footnotes", "endnotes"):
            root = self._part(targets.get(kind, ""))
            if root is None:
                continue
            tag = kind[:-1]
            for note in root.iter(W + tag):
                if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                texts = [self._runs_text(p) for p in note.iter(W + "p")]
                self.notes[(tag, note.get(W + "id", ""))] = " ".join(t.strip() for t in texts if t.strip())
        self.comments_part = self._part(targets.get("comments", ""))

    def _part(self, name: str):
        if not name:
            return None
        try:
            data = self.package.read(name)
        except KeyError:
            return None
        return _xml(data)

    # Runs: the text a reader sees.
    def _runs_text(self, element, notes: list[tuple[str, str]] | None = None) -> str:
        out: list[str] = []
        self._walk(element, out, notes, in_field=[])
        return "".join(out)

    def _walk(self, element, out: list[str], notes, in_field: list[int]) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            local = tag[len(W) :] if tag.startswith(W) else tag.rsplit("}", 1)[-1]
            if local in ("del", "moveFrom"):
                self.counts.deletions += 1
                continue
            if local in ("ins", "moveTo"):
                self.counts.insertions += 1
                self._walk(child, out, notes, in_field)
                continue
            if local in ("commentRangeStart", "commentRangeEnd", "commentReference"):
                if local == "commentReference":
                    self.counts.comments += 1
                continue
            if local in ("pPr", "rPr", "sectPr", "bookmarkStart", "bookmarkEnd", "proofErr", "lastRenderedPageBreak", "instrText", "delText", "delInstrText"):
                continue
            if local in ("drawing", "pict", "object", "AlternateContent"):
                if any(True for _ in child.iter(W + "t")):
                    self.counts.shapes += 1
                continue
            if local == "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    in_field.append(1)  # the instructions follow
                elif kind == "separate" and in_field:
                    in_field[-1] = 0  # the field's result follows: it is what the reader sees
                elif kind == "end" and in_field:
                    in_field.pop()
                continue
            if in_field and in_field[-1]:
                continue
            if local == "r":
                rpr = child.find(W + "rPr")
                if rpr is not None and (rpr.find(W + "vanish") is not None or rpr.find(W + "specVanish") is not None):
                    if any((t.text or "").strip() for t in child.iter(W + "t")):
                        self.counts.hidden += 1
                    continue
                self._walk(child, out, notes, in_field)
                continue
            if local == "t":
                out.append(child.text or "")
            elif local in ("tab", "ptab"):
                out.append(" ")
            elif local in ("br", "cr"):
                if child.get(W + "type") not in ("page", "column"):
                    out.append("\n")
            elif local == "noBreakHyphen":
                out.append("-")
            elif local == "softHyphen":
                continue
            elif local == "sym":
                char = child.get(W + "char", "")
                if char and not child.get(W + "font", "").lower().startswith(("symbol", "wingdings")):
                    with contextlib.suppress(ValueError):
                        out.append(chr(int(char, 16)))
            elif local in ("footnoteReference", "endnoteReference"):
                tag_kind = local[: -len("Reference")]
                key = (tag_kind, child.get(W + "id", ""))
                if notes is not None and key in self.notes:
                    if key not in self.note_marks:
                        self.note_counter[tag_kind] += 1
                        n = self.note_counter[tag_kind]
                        self.note_marks[key] = str(n) if tag_kind == "footnote" else _roman(n)
                    mark = self.note_marks[key]
                    out.append(f"[footnoteRef:{mark}]" if mark.isdigit() else "")
                    notes.append((mark, self.notes[key]))
            elif local in ("footnoteRef", "endnoteRef", "separator", "continuationSeparator"):
                continue
            else:
                self._walk(child, out, notes, in_field)

    def paragraphs(self) -> list[Para]:
        body = self.document.find(W + "body") if self.document is not None else None
        paras: list[Para] = []
        if body is not None:
            self._block(body, paras)
        return paras

    def _block(self, element, paras: list[Para]) -> None:
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == W + "p":
                para = self._paragraph(child)
                if para is not None:
                    paras.append(para)
            elif tag == W + "tbl":
                for row in child.iter(W + "tr"):
                    for cell in row.findall(W + "tc"):
                        tcpr = cell.find(W + "tcPr")
                        merge = tcpr.find(W + "vMerge") if tcpr is not None else None
                        if merge is not None and merge.get(W + "val", "continue") == "continue":
                            continue
                        self._block(cell, paras)
            elif tag in (W + "sdt",):
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._block(content, paras)
            elif tag in (W + "ins", W + "moveTo", W + "customXml", W + "smartTag"):
                self._block(child, paras)

    def _paragraph(self, p) -> Para | None:
        ppr = p.find(W + "pPr")
        sid = _val(ppr, "pStyle") or self.styles.default_para
        name = self.styles.name(sid)
        if name.startswith("toc") or name == "table of figures":
            self.counts.contents += 1
            return None
        rpr = ppr.find(W + "rPr") if ppr is not None else None
        if rpr is not None and rpr.find(W + "del") is not None and not self._runs_text(p).strip():
            return None
        notes: list[tuple[str, str]] = []
        text = self._runs_text(p, notes)
        if not text.strip() and not notes:
            return None
        level = self.styles.heading_level(sid)
        outline = _val(ppr, "outlineLvl")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num: tuple[str, int] | None = None
        if numpr is not None and _val(numpr, "numId") is not None:
            style_num = self.styles.numbering(sid)
            ilvl = _val(numpr, "ilvl")
            num = (_val(numpr, "numId") or "", int(ilvl) if ilvl is not None else (style_num[1] if style_num else 0))
        else:
            num = self.styles.numbering(sid)
        label = self.numbering.label(*num) if num else None
        if level is not None:
            return Para("heading", " ".join(text.split()), level, label[0] if label and label[1] != "bullet" else "", notes)
        if label is None:
            return Para("para", text, notes=notes)
        marker, fmt = label
        depth = num[1] if num else 0
        if fmt != "bullet" and re.fullmatch(r"\d+(?:\.\d+)+\.?", marker):
            return Para("para", text, marker=marker, notes=notes)  # a numbered paragraph: "6.4 ..."
        return Para("item", text, depth, marker, notes)


def extract_docx(path: Path, shown: str) -> Extracted:
    what = "save it again from Word as a Word document (.docx) and ingest that"
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise ExtractError([f"{shown}: the file starts like a Word document (.docx) but is damaged ({err}); {what}"]) from err
    with package:
        names = package.namelist()
        main = ""
        try:
            types = _xml(package.read("[Content_Types].xml"))
            for override in types:
                if override.get("ContentType") in _WORD_TYPES:
                    main = override.get("PartName", "").lstrip("/")
        except KeyError:
            pass
        except Exception as err:  # lxml's XMLSyntaxError and friends
            raise ExtractError([f"{shown}: the Word document is damaged (its list of parts cannot be read: {err}); {what}"]) from err
        if not main or main not in names:
            kind = next((k for prefix, k in _ZIPPED_KINDS if any(n.startswith(prefix) for n in names)), "")
            if kind:
                raise ExtractError(
                    [f"{shown}: this is {kind}, not a Word document; save the policy as a Word document (.docx), a PDF or a web page and ingest that"]
                )
            listed = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            raise ExtractError(
                [
                    f"{shown}: this is a zip archive ({listed or 'empty'}), not a Word document; find the policy's .docx file (unzip it first if it is inside) and ingest that"
                ]
            )
        try:
            reader = _WordReader(package, main, shown)
            paras = reader.paragraphs()
        except zipfile.BadZipFile as err:
            raise ExtractError([f"{shown}: the Word document is damaged ({err}); {what}"]) from err
        except Exception as err:
            if type(err).__module__.startswith("lxml"):
                raise ExtractError([f"{shown}: the Word document is damaged (its XML cannot be read: {err}); {what}"]) from err
            raise
    if not any(p.text.strip() for p in paras):
        raise ExtractError([f"{shown}: the Word document has no text; check that it is the policy (text in pictures or text boxes cannot be read)"])
    text, headings = serialise(paras)
    warnings = []
    c = reader.counts
    if c.insertions or c.deletions:
        warnings.append(
            f"{shown}: the document has tracked changes ({c.insertions} insertions, {c.deletions} deletions); they were read as accepted "
            "(deleted text left out); check with the council that this is the adopted wording"
        )
    if c.comments or reader.comments_part is not None:
        n = c.comments or sum(1 for _ in reader.comments_part.iter(W + "comment"))
        warnings.append(f"{shown}: the document has {n} comment{'s' if n != 1 else ''}; they were left out (they are not part of the policy)")
    if c.shapes:
        warnings.append(
            f"{shown}: {c.shapes} text box{'es' if c.shapes != 1 else ''} or shape{'s' if c.shapes != 1 else ''} with text left out; if they hold policy text, add it to the original by hand"
        )
    if c.hidden:
        warnings.append(f"{shown}: {c.hidden} run{'s' if c.hidden != 1 else ''} of hidden text left out")
    if c.contents:
        warnings.append(f"{shown}: the table of contents ({c.contents} lines) was left out")
    return Extracted(text, "Word", ".docx", headings, warnings)


# --- PDF ----------------------------------------------------------------------------------------


@dataclass
class _Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class _PdfLine:
    words: list[_Word]
    page: int
    block: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        return self.y1 - self.y0


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-\u2013(]?\s*\d{1,4}\s*[-\u2013)]?(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*\|\s*page)?$", re.IGNORECASE)
_BULLETS = "\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u00b7\uf0b7\uf0a7\uf0d8\uf0fc\u2013\u27a2\u25ba\u2219o\u2212*-"
_SOFT_HYPHENS = ("\u2010", "\u00ad")


def _run(args: list[str], timeout: int = 60) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, capture_output=True, timeout=timeout, check=False)


def _pdf_words(path: Path, shown: str) -> tuple[list[list[_PdfLine]], list[tuple[float, float]]]:
    if shutil.which("pdftotext") is None:
        raise ExtractError(
            [f"{shown}: reading a PDF needs poppler's pdftotext, which is not installed; install it (apt-get install poppler-utils) and try again"]
        )
    info = _run(["pdfinfo", str(path)]) if shutil.which("pdfinfo") else None
    result = _run(["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(path), "-"])
    message = result.stderr.decode("utf-8", "replace") + (info.stderr.decode("utf-8", "replace") if info is not None else "")
    if "password" in message.lower() or (info is not None and re.search(rb"^Encrypted:\s+yes", info.stdout, re.MULTILINE) and result.returncode != 0):
        raise ExtractError(
            [
                f"{shown}: the PDF is password-protected (encrypted), so its text cannot be read; ask the council for an unprotected copy, or open it with the password and save or print it to a new PDF"
            ]
        )
    if result.returncode == 3 or "permission" in message.lower():
        raise ExtractError([f"{shown}: the PDF does not allow its text to be copied; ask the council for the Word document or an unrestricted PDF"])
    if result.returncode != 0:
        raise ExtractError(
            [f"{shown}: the PDF cannot be read (it may be damaged or incomplete); download it again, or save it again from the program that made it"]
        )
    root = _xml_html(result.stdout)
    pages: list[list[_PdfLine]] = []
    sizes: list[tuple[float, float]] = []
    ns = "{http://www.w3.org/1999/xhtml}"
    for page in root.iter(ns + "page"):
        sizes.append((float(page.get("width", "0")), float(page.get("height", "0"))))
        lines: list[_PdfLine] = []
        for b, block in enumerate(page.iter(ns + "block")):
            for line in block.iter(ns + "line"):
                words = [
                    _Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")))
                    for w in line.iter(ns + "word")
                    if (w.text or "").strip()
                ]
                if words:
                    lines.append(_PdfLine(words, len(pages), b))
        pages.append(lines)
    return pages, sizes


def _xml_html(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    return etree.fromstring(data, parser)


def _furniture(pages: list[list[_PdfLine]], sizes: list[tuple[float, float]]) -> set[tuple[int, int]]:
    """Running headers, footers and page numbers: (page, line index) to leave out."""
    drop: set[tuple[int, int]] = set()
    seen: dict[tuple[str, int], set[int]] = {}
    for p, lines in enumerate(pages):
        height = sizes[p][1] or 842.0
        for i, line in enumerate(lines):
            top, bottom = line.y1 < height * 0.12, line.y0 > height * 0.88
            if not (top or bottom):
                continue
            text = " ".join(line.text.split())
            if _PAGE_NUMBER.match(text):
                drop.add((p, i))
                continue
            key = (re.sub(r"\d+", "#", text.lower()), round(line.y0 / 6))
            seen.setdefault(key, set()).add(p)
    repeated = {key for key, on in seen.items() if len(pages) >= 2 and len(on) >= max(2, (len(pages) + 1) // 2)}
    for p, lines in enumerate(pages):
        for i, line in enumerate(lines):
            if (re.sub(r"\d+", "#", " ".join(line.text.split()).lower()), round(line.y0 / 6)) in repeated:
                drop.add((p, i))
    return drop


def _rows(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Lines top to bottom; pieces of one printed line (poppler splits justified lines at wide spaces) made one."""
    rows: list[_PdfLine] = []
    for line in sorted(lines, key=lambda ln: (ln.y0, ln.x0)):
        last = rows[-1] if rows else None
        if last is not None and min(last.y1, line.y1) - max(last.y0, line.y0) > 0.5 * min(last.height, line.height):
            words = sorted(last.words + line.words, key=lambda w: w.x0)
            rows[-1] = _PdfLine(words, last.page, last.block)
        else:
            rows.append(line)
    return rows


def _columns(lines: list[_PdfLine], width: float) -> list[_PdfLine]:
    """A page's lines in reading order: on a two-column page, the left column, then the right one,
    between the lines that span both (a heading or a table across the page)."""
    if len(lines) < 6 or not width:
        return _rows(lines)
    best, best_x = len(lines) + 1, 0.0
    for step in range(0, 41):
        x = width * (0.3 + 0.01 * step)
        crossing = sum(1 for line in lines if line.x0 < x < line.x1)
        if crossing < best:
            best, best_x = crossing, x
    left = [line for line in lines if line.x1 <= best_x]
    right = [line for line in lines if line.x0 >= best_x]
    if len(left) < 3 or len(right) < 3 or best > 0.2 * len(lines):
        return _rows(lines)
    ordered: list[_PdfLine] = []
    spanning = sorted((line for line in lines if line.x0 < best_x < line.x1), key=lambda line: line.y0)
    top = -1.0
    for stop in [*spanning, None]:
        bottom = stop.y0 if stop is not None else float("inf")
        for column in (left, right):
            ordered += _rows([line for line in column if top <= line.y0 < bottom])
        if stop is not None:
            ordered.append(stop)
            top = stop.y0 + 0.01
    return ordered


def _terminal(text: str) -> bool:
    return text.rstrip().rstrip("\"'\u201d\u2019)]").endswith((".", "!", "?", ";", ":"))


def extract_pdf(path: Path, shown: str) -> Extracted:
    pages, sizes = _pdf_words(path, shown)
    if not any(pages):
        raise ExtractError(
            [
                f"{shown}: the PDF has no text layer (it looks like a scan, pictures of pages); ask the council for the Word document or a PDF saved "
                "from it, or run it through OCR (for example ocrmypdf) and check the text against the scan before ingesting it"
            ]
        )
    drop = _furniture(pages, sizes)
    body = [(p, line) for p, lines in enumerate(pages) for line in _columns([line for i, line in enumerate(lines) if (p, i) not in drop], sizes[p][0])]
    if not body:
        raise ExtractError([f"{shown}: the PDF has only page headers and numbers, no text; check that it is the policy"])
    heights = sorted(round(line.height, 1) for _, line in body)
    counts: dict[float, int] = {}
    for h in heights:
        counts[h] = counts.get(h, 0) + 1
    normal = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    # Spacing between lines of one paragraph: the commonest gap between consecutive body-size lines.
    gaps: dict[float, int] = {}
    for (p1, a), (p2, b) in zip(body, body[1:], strict=False):
        if p1 == p2 and abs(a.height - normal) < 0.6 and abs(b.height - normal) < 0.6 and 0 <= b.y0 - a.y1 < normal * 1.5:
            gap = round(b.y0 - a.y1, 0)
            gaps[gap] = gaps.get(gap, 0) + 1
    line_gap = min(gaps.items(), key=lambda kv: (-kv[1], kv[0]))[0] if gaps else normal * 0.2
    larger = sorted({round(line.height) for _, line in body if line.height > normal * 1.15 and len(line.words) <= 14}, reverse=True)
    vocabulary = {w.text.strip(".,;:()\"'\u201c\u201d\u2018\u2019").lower() for _, line in body for w in line.words}

    paras: list[Para] = []
    cur: Para | None = None
    prev: tuple[int, _PdfLine] | None = None
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for p, line in body:
        left[p] = min(left.get(p, line.x0), line.x0)
        right[p] = max(right.get(p, line.x1), line.x1)
    for p, line in body:
        column_left = left[p]
        words = [w.text for w in line.words]
        first = words[0]
        is_heading = line.height > normal * 1.15 and len(words) <= 14
        marker = ""
        if first in _BULLETS or (len(first) == 1 and first in _BULLETS):
            marker, words = "-", words[1:]
        elif not is_heading and re.fullmatch(r"\(?[a-zA-Z]\)|\(?[ivx]{1,4}\)|\d{1,2}[.)]", first) and len(words) > 1:
            marker, words = first, words[1:]
        if not words:
            continue
        text = " ".join(words)
        new = True
        if cur is not None and prev is not None and not is_heading and not marker and cur.kind != "heading":
            pp, pl = prev
            same_flow = pp == p and 0 <= line.y0 - pl.y1 <= line_gap + normal * 0.35
            moved = pp != p or line.y0 < pl.y0 - 1  # a new page or column
            if same_flow:
                new = False
            elif moved:
                full = pl.x1 > right[pp] - normal * 1.5
                new = not (text[:1].islower() or (full and not _terminal(pl.text)))
        if new:
            if is_heading:
                level = larger.index(round(line.height)) + 1 if round(line.height) in larger else 1
                number = ""
                match = re.match(r"^(\d{1,3}(?:\.\d{1,3})*\.?)\s+(\S.*)$", text)
                if match:
                    number, text = match.group(1), match.group(2)
                if (
                    cur is not None
                    and cur.kind == "heading"
                    and prev is not None
                    and prev[0] == p
                    and abs(prev[1].height - line.height) < 0.5
                    and 0 <= line.y0 - prev[1].y1 <= normal * 0.6
                ):
                    cur.text += " " + text  # a heading set over two lines
                    prev = (p, line)
                    continue
                cur = Para("heading", text, level, number)
            elif marker:
                depth = 1 if line.x0 > column_left + normal * 2.5 and cur is not None and cur.kind == "item" else 0
                cur = Para("item", text, depth, marker)
            else:
                cur = Para("para", text)
            paras.append(cur)
        else:
            assert cur is not None
            cur.text = _join(cur.text, text, vocabulary)
        prev = (p, line)
    text, headings = serialise(paras)
    return Extracted(text, "PDF", ".pdf", headings, [])


def _join(before: str, after: str, vocabulary: set[str]) -> str:
    """Join a line to the one before it; a word broken at the line end by the typesetter is mended."""
    if before.endswith(_SOFT_HYPHENS) and after[:1].isalpha():
        return before[:-1] + after
    if before.endswith("-") and len(before) >= 2 and before[-2].isalpha() and after[:1].isalpha():
        head = before.rsplit(" ", 1)[-1][:-1].lstrip("(\"'\u201c\u2018").lower()
        tail = re.split(r"[\s.,;:)\"'\u201d\u2019]", after, maxsplit=1)[0].lower()
        if f"{head}-{tail}" in vocabulary:
            return before + after  # the hyphen is real: "two-" + "way"
        if head + tail in vocabulary:
            return before[:-1] + after  # the document spells it as one word elsewhere
        return before + after  # keep the hyphen the document prints
    if before.endswith("/") and not before.endswith(" /"):
        return before + after  # a line broken after a slash ("and/" + "or", a web address)
    return before + " " + after


# --- HTML -----------------------------------------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "address",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "pre",
    "td",
    "th",
    "tr",
    "caption",
    "center",
}
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "form",
    "button",
    "select",
    "textarea",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "dialog",
    "menu",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog", "menu", "menubar", "toolbar"}
_DROP_WORDS = re.compile(
    r"(?:^|[-_\s])(?:cookie|cookies|consent|gdpr|nav|navbar|navigation|menu|breadcrumbs?|skip|skiplink|share|sharing|social-links|sidebar|masthead|site-header|site-footer|footer|header|banner|feedback|related|newsletter|survey|print-link|back-to-top|visually-hidden|sr-only)(?:$|[-_\s])",
    re.IGNORECASE,
)


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)
    parent: _Node | None = None


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page (the standard library's parser; unclosed tags are closed as browsers do)."""

    _AUTOCLOSE = {
        "p": _BLOCKS | {"ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "li"},
        "li": {"li"},
        "td": {"td", "th", "tr"},
        "th": {"td", "th", "tr"},
        "tr": {"tr"},
        "dt": {"dt", "dd"},
        "dd": {"dt", "dd"},
        "option": {"option"},
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.cur = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        # A new block closes an open paragraph (and a new item an open item), as browsers do.
        node = self.cur
        while node is not self.root and node.tag in self._AUTOCLOSE and tag in self._AUTOCLOSE[node.tag]:
            if node.tag == "li" and tag != "li":
                break
            self.cur = node.parent or self.root
            node = self.cur
        element = _Node(tag, {k.lower(): v or "" for k, v in attrs}, parent=self.cur)
        self.cur.children.append(element)
        if tag not in _VOID:
            self.cur = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Node(tag.lower(), {k.lower(): v or "" for k, v in attrs}, parent=self.cur)
        self.cur.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        node: _Node | None = self.cur
        while node is not None and node is not self.root and node.tag != tag:
            node = node.parent
        if node is not None and node is not self.root:
            self.cur = node.parent or self.root

    def handle_data(self, data: str) -> None:
        self.cur.children.append(data)


def _hidden(node: _Node) -> bool:
    a = node.attrs
    if "hidden" in a or a.get("aria-hidden", "").lower() == "true":
        return True
    style = a.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _dropped(node: _Node, inside_main: bool) -> bool:
    if node.tag in _DROP or _hidden(node):
        return True
    if node.attrs.get("role", "").lower() in _DROP_ROLES:
        return True
    if node.tag in ("header", "footer") and not inside_main:
        return True
    names = " ".join((node.attrs.get("id", ""), node.attrs.get("class", "")))
    if names.strip() and _DROP_WORDS.search(names):
        return not (inside_main and node.tag in ("header",))
    return False


def _find(node: _Node, test) -> list[_Node]:
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if test(current):
            found.append(current)
        stack.extend(reversed([c for c in current.children if isinstance(c, _Node)]))
    return found


def _text_length(node: _Node) -> int:
    total = 0
    for child in node.children:
        if isinstance(child, str):
            total += len(child.split())
        elif not _dropped(child, True):
            total += _text_length(child)
    return total


def _main(root: _Node) -> _Node | None:
    for test in (
        lambda n: n.tag == "main",
        lambda n: n.attrs.get("role", "").lower() == "main",
        lambda n: n.attrs.get("id", "").lower() in ("main-content", "maincontent", "content", "main", "primary", "policy"),
    ):
        found = [n for n in _find(root, test) if not _hidden(n)]
        if found:
            return max(found, key=_text_length)
    articles = _find(root, lambda n: n.tag == "article")
    if len(articles) == 1:
        return articles[0]
    bodies = _find(root, lambda n: n.tag == "body")
    return bodies[0] if bodies else root


def _plain(node: _Node) -> str:
    out = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif not _dropped(child, True) and not (child.tag == "a" and child.attrs.get("href", "").startswith("#")):
            out.append(_plain(child))
    return "".join(out)


class _HtmlText:
    def __init__(self, root: _Node) -> None:
        # Inside <main> (or the like), a <header> or <footer> belongs to the content; directly in the body, to the site.
        self.in_main = root.tag not in ("body", "#root", "html")
        self.paras: list[Para] = []
        self.buffer: list[str] = []
        self.notes: list[tuple[str, str]] = []
        self.kind, self.level, self.marker = "para", 0, ""
        # Footnotes: a link in <sup> (or marked as a note reference) to an element of the page.
        ids = {n.attrs["id"]: n for n in _find(root, lambda n: bool(n.attrs.get("id")))}
        self.calls: dict[int, tuple[str, str]] = {}
        self.targets: set[int] = set()
        for sup in _find(root, lambda n: n.tag == "sup" or n.attrs.get("role") == "doc-noteref"):
            for link in _find(sup, lambda n: n.tag == "a" and n.attrs.get("href", "").startswith("#")):
                target = ids.get(link.attrs["href"][1:])
                mark = " ".join(_plain(link).split())
                if target is not None and mark:
                    self.calls[id(sup)] = (mark, " ".join(_plain(target).split()))
                    self.targets.add(id(target))

    def flush(self) -> None:
        text = "".join(self.buffer)
        text = "\n".join(" ".join(part.split()) for part in text.split("\n"))
        if text.strip():
            self.paras.append(Para(self.kind, text.strip("\n"), self.level, self.marker, self.notes))
        self.notes = []
        self.kind, self.level, self.marker = "para", 0, ""
        self.buffer = []

    def walk(self, node: _Node, depth: int = 0, pre: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(child if pre else re.sub(r"[ \t\r\n\f]+", " ", child))
                continue
            if _dropped(child, self.in_main) or id(child) in self.targets:
                continue
            tag = child.tag
            if id(child) in self.calls:
                mark, body = self.calls[id(child)]
                self.buffer.append(f"[footnoteRef:{mark}]" if mark.isdigit() else "")
                self.notes.append((mark, body))
            elif tag == "br":
                self.buffer.append("\n")
            elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                self.flush()
                self.walk(child, depth, pre)
                self.kind, self.level, self.marker = "heading", int(tag[1]), ""
                text = " ".join("".join(self.buffer).split())
                self.buffer = [text]
                match = re.match(r"^(\d{1,3}(?:\.\d{1,3})*\.?)\s+(\S.*)$", text)
                if match:
                    self.marker, self.buffer = match.group(1), [match.group(2)]
                self.flush()
            elif tag in ("ul", "ol"):
                self.flush()
                ordered = tag == "ol"
                kind = child.attrs.get("type", "1")
                try:
                    n = int(child.attrs.get("start", "1")) - 1
                except ValueError:
                    n = 0
                for item in child.children:
                    if not isinstance(item, _Node) or _dropped(item, self.in_main) or id(item) in self.targets:
                        continue
                    if item.tag != "li":
                        self.walk(_Node("div", {}, [item]), depth + 1, pre)
                        continue
                    n = int(item.attrs["value"]) if item.attrs.get("value", "").isdigit() else n + 1
                    marker = "-"
                    if ordered:
                        marker = {"a": _letters(n), "A": _letters(n).upper(), "i": _roman(n), "I": _roman(n).upper()}.get(kind, str(n)) + "."
                    self._item(item, depth, pre, marker)
            elif tag in _BLOCKS or tag in ("table", "thead", "tbody", "tfoot", "header", "footer", "li", "hr"):
                self.flush()
                self.walk(child, depth, pre or tag == "pre")
                self.flush()
            else:
                self.walk(child, depth, pre)

    def _item(self, item: _Node, depth: int, pre: bool, marker: str) -> None:
        self.kind, self.level, self.marker = "item", depth, marker
        for child in item.children:
            if isinstance(child, _Node) and child.tag in ("ul", "ol") and not _dropped(child, self.in_main):
                self.flush()
                self.walk(_Node("div", {}, [child]), depth + 1, pre)
                continue
            if isinstance(child, _Node) and child.tag in ("p", "div") and not _dropped(child, self.in_main):
                if "".join(self.buffer).strip():
                    self.buffer.append("\n")
                child = _Node("span", {}, child.children)
            self.walk(_Node("span", {}, [child]), depth, pre)
        self.flush()


def _decode_html(data: bytes, shown: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.IGNORECASE)
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        encoding = "windows-1252"  # as browsers read them
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as err:
        raise ExtractError(
            [
                f"{shown}: the web page cannot be decoded as {encoding} ({err.__class__.__name__}); save the page again from the browser (Save page as, 'Web page, HTML only')"
            ]
        ) from err


def extract_html(path: Path, shown: str) -> Extracted:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError([f"{shown}: file contains NUL bytes, so it is not a web page; give the saved page (.html) or the policy document"])
    source = _decode_html(data, shown)
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    main = _main(builder.root)
    what = "save the page that holds the policy itself (Save page as, 'Web page, HTML only'), or copy its text into a plain text file"
    if main is None:
        raise ExtractError([f"{shown}: no main content found in the web page; {what}"])
    reader = _HtmlText(main)
    reader.walk(main)
    reader.flush()
    words = sum(len(p.text.split()) for p in reader.paras if p.kind != "heading")
    if not reader.paras or words < 30 or not any(p.kind in ("para", "item") and len(p.text.split()) >= 8 for p in reader.paras):
        raise ExtractError([f"{shown}: no recognisable main content in the web page ({words} words outside navigation, headers and footers); {what}"])
    text, headings = serialise(reader.paras)
    return Extracted(text, "HTML", ".html", headings, [])
