"""The Word document of a draft, with python-docx, in the styles of draft_export.WORD.

draft.js makes the same document in the browser with the docx library from the same settings; the
tests compare the two files' styles, paragraphs, lists, links, table, header and footer.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips

# The order Word requires for a paragraph's and a run's properties.
_PPR_ORDER = ("w:keepNext", "w:keepLines", "w:numPr", "w:pBdr", "w:spacing", "w:ind", "w:jc", "w:outlineLvl")
_RPR_ORDER = ("w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:sz", "w:szCs", "w:u", "w:lang")


def _element(tag: str, **attrs: str) -> Any:
    node = OxmlElement(tag)
    for name, value in attrs.items():
        node.set(qn(f"w:{name}"), value)
    return node


def _ordered(parent: Any, children: list[Any], order: tuple[str, ...]) -> Any:
    for tag in order:
        for child in children:
            if child.tag == qn(tag):
                parent.append(child)
    return parent


def _run_properties(spec: dict) -> Any:
    children = []
    if "font" in spec:
        children.append(_element("w:rFonts", ascii=spec["font"], hAnsi=spec["font"], cs=spec["font"], eastAsia=spec["font"]))
    if "bold" in spec:
        children += [_element("w:b", val="1" if spec["bold"] else "0"), _element("w:bCs", val="1" if spec["bold"] else "0")]
    if "italic" in spec:
        children += [_element("w:i", val="1" if spec["italic"] else "0"), _element("w:iCs", val="1" if spec["italic"] else "0")]
    if "color" in spec:
        children.append(_element("w:color", val=spec["color"]))
    if "size" in spec:
        children += [_element("w:sz", val=str(spec["size"])), _element("w:szCs", val=str(spec["size"]))]
    if spec.get("underline"):
        children.append(_element("w:u", val="single"))
    if "lang" in spec:
        children.append(_element("w:lang", val=spec["lang"]))
    return _ordered(OxmlElement("w:rPr"), children, _RPR_ORDER)


class WordDocument:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.doc = Document()
        self.body = self.doc.element.body
        self.num_ids: dict[str, str] = {}
        self._page()
        self._numbering()
        self._styles()

    # --- set-up --------------------------------------------------------------------------------

    def _page(self) -> None:
        page = self.settings["page"]
        section = self.doc.sections[0]
        section.page_width, section.page_height = Twips(page["width"]), Twips(page["height"])
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Twips(page["margin"])
        section.header_distance, section.footer_distance = Twips(page["header"]), Twips(page["footer"])

    def _numbering(self) -> None:
        numbering = self.doc.part.numbering_part.element
        first_num = numbering.find(qn("w:num"))
        for i, spec in enumerate(self.settings["numbering"]):
            abstract_id, num_id = str(90 + i), str(90 + i)
            abstract = _element("w:abstractNum", abstractNumId=abstract_id)
            abstract.append(_element("w:multiLevelType", val="singleLevel"))
            level = _element("w:lvl", ilvl="0")
            for tag, value in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", spec["text"]), ("w:lvlJc", "left")):
                level.append(_element(tag, val=value))
            ppr = OxmlElement("w:pPr")
            ppr.append(_element("w:ind", left=str(spec["left"]), hanging=str(spec["hanging"])))
            level.append(ppr)
            abstract.append(level)
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            num = _element("w:num", numId=num_id)
            num.append(_element("w:abstractNumId", val=abstract_id))
            numbering.append(num)
            self.num_ids[spec["id"]] = num_id

    def _style(self, spec: dict, kind: WD_STYLE_TYPE) -> None:
        styles = self.doc.styles
        existing = [s for s in styles if s.style_id == spec["id"]]
        style = existing[0] if existing else styles.add_style(spec["name"], kind)
        element = style.element
        element.set(qn("w:styleId"), spec["id"])
        for tag in ("w:pPr", "w:rPr"):
            for child in element.findall(qn(tag)):
                element.remove(child)
        if "based" in spec:
            style.base_style = next(s for s in styles if s.style_id == spec["based"])
        if "next" in spec and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.next_paragraph_style = next(s for s in styles if s.style_id == spec["next"])
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            element.append(self._paragraph_properties(spec))
        rpr = _run_properties(dict(spec, lang=self.settings["language"]) if spec["id"] == "Normal" else spec)
        if len(rpr):
            element.append(rpr)

    def _paragraph_properties(self, spec: dict) -> Any:
        children = []
        if spec.get("keep_next"):
            children.append(_element("w:keepNext"))
        if spec.get("keep_lines"):
            children.append(_element("w:keepLines"))
        if "numbering" in spec:
            numpr = OxmlElement("w:numPr")
            numpr.append(_element("w:ilvl", val="0"))
            numpr.append(_element("w:numId", val=self.num_ids[spec["numbering"]]))
            children.append(numpr)
        if "border" in spec:
            border = spec["border"]
            pbdr = OxmlElement("w:pBdr")
            pbdr.append(_element("w:left", val="single", sz=str(border["size"]), space=str(border["space"]), color=border["color"]))
            children.append(pbdr)
        spacing = {name: str(spec[name]) for name in ("before", "after", "line") if name in spec}
        if "line" in spacing:
            spacing["lineRule"] = "auto"
        if spacing:
            children.append(_element("w:spacing", **spacing))
        indent = {name: str(spec[name]) for name in ("left", "right", "hanging") if name in spec}
        if indent:
            children.append(_element("w:ind", **indent))
        if "align" in spec:
            children.append(_element("w:jc", val=spec["align"]))
        if "outline" in spec:
            children.append(_element("w:outlineLvl", val=str(spec["outline"])))
        return _ordered(OxmlElement("w:pPr"), children, _PPR_ORDER)

    def _styles(self) -> None:
        for spec in self.settings["styles"]:
            self._style(spec, WD_STYLE_TYPE.PARAGRAPH)
        for spec in self.settings["character_styles"]:
            self._style(spec, WD_STYLE_TYPE.CHARACTER)

    # --- content -------------------------------------------------------------------------------

    def header_footer(self, title: str) -> None:
        section = self.doc.sections[0]
        header = section.header.paragraphs[0]
        header.text = title
        header.style = self._named("Header")
        footer = section.footer.paragraphs[0]
        footer.style = self._named("Footer")
        before, between = self.settings["page_label"]
        footer.add_run(before)
        self._field(footer, "PAGE")
        footer.add_run(between)
        self._field(footer, "NUMPAGES")

    def _named(self, style_id: str) -> Any:
        return next(s for s in self.doc.styles if s.style_id == style_id)

    @staticmethod
    def _field(paragraph: Any, instruction: str) -> None:
        """A field (PAGE, NUMPAGES) as Word writes it, one run per part; Word and LibreOffice fill it in."""
        code = OxmlElement("w:instrText")
        code.set(qn("xml:space"), "preserve")
        code.text = instruction
        for part in (_element("w:fldChar", fldCharType="begin"), code, _element("w:fldChar", fldCharType="separate"), _element("w:fldChar", fldCharType="end")):
            paragraph.add_run()._r.append(part)

    def paragraph(self, text: str, style_id: str, label: str = "") -> Any:
        paragraph = self.doc.add_paragraph(style=self._named(style_id))
        if label:
            paragraph.add_run(label).bold = True
        paragraph.add_run(text)
        return paragraph

    def _link(self, paragraph: Any, text: str, url: str) -> None:
        if not url:
            paragraph.add_run(text)
            return
        rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        link.set(qn("w:history"), "1")
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        rpr.append(_element("w:rStyle", val="Hyperlink"))
        run.append(rpr)
        node = OxmlElement("w:t")
        node.text = text
        node.set(qn("xml:space"), "preserve")
        run.append(node)
        link.append(run)
        paragraph._p.append(link)

    def citation(self, dash: str, text: str, url: str) -> None:
        paragraph = self.doc.add_paragraph(style=self._named("Citation"))
        paragraph.add_run(dash)
        self._link(paragraph, text, url)

    def sources(self, columns: tuple[str, ...], rows: list[tuple[str, str, str, str]]) -> None:
        from .draft_export import shown_url

        widths = self.settings["table"]["widths"]
        table = self.doc.add_table(rows=0, cols=len(columns))
        table.autofit = False
        tblpr = table._tbl.tblPr
        for child in list(tblpr):
            if child.tag in (qn("w:tblStyle"), qn("w:tblW"), qn("w:tblLook")):
                tblpr.remove(child)
        tblpr.append(_element("w:tblW", w=str(sum(widths)), type="dxa"))
        border = self.settings["table"]["border"]
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_element(f"w:{edge}", val="single", sz=str(border["size"]), space="0", color=border["color"]))
        tblpr.append(borders)
        tblpr.append(_element("w:tblLayout", type="fixed"))
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
            col.set(qn("w:w"), str(width))
        for index, values in enumerate([columns, *rows]):
            row = table.add_row()
            if index == 0:
                trpr = row._tr.get_or_add_trPr()
                trpr.append(_element("w:tblHeader"))
            for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Twips(widths[col])
                paragraph = cell.paragraphs[0]
                paragraph.style = self._named("TableText")
                if index == 0:
                    paragraph.add_run(value).bold = True
                elif col == len(columns) - 1:
                    self._link(paragraph, shown_url(value), value)
                else:
                    paragraph.add_run(value)

    def save(self, title: str, when: dt.datetime) -> bytes:
        props = self.doc.core_properties
        props.title, props.subject = title, "Clauses selected from the Council Social Media Policy Handbook"
        props.author = props.last_modified_by = "Council Social Media Policy Handbook"
        props.created = props.modified = when
        props.revision, props.comments, props.keywords = 1, "", ""
        props.language = self.settings["language"]
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
