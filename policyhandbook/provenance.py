"""Provenance: is each clause verbatim from its original, and how much of the original is quoted?"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Council
from .text import normalise

# A heading line in an original: an optional number ("4.", "12") before the heading's words.
_NUMBERED = re.compile(r"^\s*(?:[-\u00b7*]\s+)?(?:\*\*)?(\d+(?:\.\d+)*\.?\s+)?(.*?)(?:\*\*)?\s*$")


def locate(original: str, text: str) -> int:
    """Index of the normalised clause text in the normalised original, or -1."""
    needle = normalise(text)
    return original.find(needle) if needle else -1


def divergence(original: str, text: str) -> tuple[str, str]:
    """Where a clause stops matching its original: (the words that match, the words that follow)."""
    needle = normalise(text)
    low, high = 0, len(needle)
    while low < high:  # the longest prefix of the clause found in the original
        mid = (low + high + 1) // 2
        if original.find(needle[:mid]) >= 0:
            low = mid
        else:
            high = mid - 1
    matched = needle[:low].split(" ")
    rest = needle[low:].split(" ")
    return " ".join(matched[-6:]), " ".join(rest[:6])


@dataclass(frozen=True)
class Coverage:
    council: str
    words: int
    covered: int
    uncovered: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return self.covered / self.words if self.words else 1.0


def coverage(council: Council, original_text: str) -> Coverage:
    """Share of the original's words that the council's clauses, headings and numbers account for."""
    original = normalise(original_text)
    covered = bytearray(len(original))

    def mark(start: int, end: int) -> None:
        covered[start:end] = b"\x01" * (end - start)

    headings = {part for clause in council.clauses for part in clause.heading_path} | {council.title}
    wanted = {normalise(heading) for heading in headings}
    for line in original_text.splitlines():
        match = _NUMBERED.match(line)
        if match and match.group(2) and normalise(match.group(2)) in wanted:
            whole = normalise(line)
            start = original.find(whole)
            while start >= 0:
                mark(start, start + len(whole))
                start = original.find(whole, start + 1)
    for clause in council.clauses:
        needle = normalise(clause.text)
        start = original.find(needle)
        if start < 0:
            continue
        mark(start, start + len(needle))
        # The paragraph number written before the text ("6.4 ") is in `section`.
        before = re.search(r"(\(?[0-9a-z]{1,3}(?:\.\d+)*[.)]? )$", original[max(0, start - 12) : start])
        if before:
            mark(start - len(before.group(1)), start)
    total = 0
    done = 0
    uncovered = []
    for match in re.finditer(r"\S+", original):
        total += 1
        if all(covered[match.start() : match.end()]):
            done += 1
        else:
            uncovered.append(match.group())
    return Coverage(council.id, total, done, tuple(uncovered))
