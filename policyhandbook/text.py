"""Text normalisation for the verbatim and completeness checks.

Only extraction artefacts are removed: Word field codes, Markdown bold markers
left by the extraction, list markers at the start of a line, and differences in
white space (including page breaks that split a sentence over a blank line).
Wording, spelling and punctuation are never touched.
"""

from __future__ import annotations

import re

# Word field codes left in the extracted text.
_FIELD_CODES = re.compile(r"\[footnoteRef:\d+\]|\[bookmark:[^\]]*\]")
# A footnote's body, "[1: text]": keep the text, drop the brackets.
_FOOTNOTE_BODY = re.compile(r"\[\d+:\s([^\]]*)\]")
# Bold and italic markers the extraction added ("**Heading**", "*Twitter*").
_BOLD = re.compile(r"\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
# A list marker (hyphen, Word bullet, asterisk, bullet) at the start of a line,
# possibly repeated ("- · item").
_LIST_MARKER = re.compile(r"^[ \t\u00a0]*(?:[-\u00b7*\u2022][ \t\u00a0]+)+", re.MULTILINE)
# A lone list marker with nothing after it (an empty bullet).
_EMPTY_MARKER = re.compile(r"^[ \t\u00a0]*[-\u00b7*\u2022][ \t\u00a0]*$", re.MULTILINE)


def normalise(text: str) -> str:
    """Return ``text`` with extraction artefacts removed and white space collapsed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "[" in text:
        text = _FIELD_CODES.sub(" ", text)
        text = _FOOTNOTE_BODY.sub(r" \1 ", text)
    if "*" in text:
        text = _BOLD.sub("", text)
        text = _ITALIC.sub(r"\1", text)
    text = _EMPTY_MARKER.sub("", text)
    text = _LIST_MARKER.sub("", text)
    return " ".join(text.split())
