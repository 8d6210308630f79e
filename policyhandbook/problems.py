"""Problems found in the sources, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class SourceError(Exception):
    """Raised when the sources have problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        files = len({p.path for p in self.problems})
        n = len(self.problems)
        return f"build.py: {n} error{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}; nothing was written."
