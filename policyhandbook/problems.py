"""Problems found in the sources, reported as ``path:line: message``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Characters a terminal shows as nothing, or as a plain space: control and format characters
# (zero-width spaces, joiners, direction marks, soft hyphens), separators other than the space,
# private-use and unassigned code points.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}


def visible(text: str) -> str:
    """``text`` with every invisible character written as an escape ('ti\\u200btle'), so a message
    shows what is really in the file."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for char in text:
        if char != " " and unicodedata.category(char) in _INVISIBLE:
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {visible(self.message)}"


class SourceError(Exception):
    """Raised when the sources have problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        files = len({p.path for p in self.problems})
        n = len(self.problems)
        return f"build.py: {n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; nothing was written."
