"""The handbook's model: frozen records and the indexes the pages need."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from . import similar
from .levels import strongest

_SECTION = re.compile(r"^(?P<head>.*?)(?P<tail>, (?:para|item|footnote)\b.*)?$")


def section_label(section: str) -> str:
    """'6.4' -> 'section 6.4'; 'Responsibilities, para 2' -> '‘Responsibilities’, para 2'."""
    if section[:1].isdigit():
        return f"section {section}"
    match = _SECTION.match(section)
    assert match is not None
    return f"\u2018{match.group('head')}\u2019{match.group('tail') or ''}"


KEY_TOPICS = ("disclaimer", "safeguarding", "pre-election", "meetings", "sanctions")


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str
    group: str
    group_title: str


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Clause:
    id: str
    council: str
    section: str
    heading: str
    text: str
    topics: tuple[str, ...]
    summary: str = ""
    line: int = 0
    level: str = "mentions"  # the level it speaks at on its topics ...
    levels: tuple[tuple[str, str], ...] = ()  # ... except these (topic id, level)

    def level_on(self, topic_id: str) -> str:
        """The level at which the clause speaks on one of its topics."""
        for topic, level in self.levels:
            if topic == topic_id:
                return level
        return self.level

    @property
    def heading_path(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.heading.split(" > ")) if self.heading else ()


@dataclass(frozen=True)
class Council:
    id: str
    name: str
    short_name: str
    kind: str
    nation: str
    title: str
    audience: str
    status: str
    date: str
    source: str
    original: str
    attribution: str
    reviewed: bool
    clauses: tuple[Clause, ...]
    path: str = ""
    notes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # editorial notes per topic (topic id, notes)
    url: str = ""  # the council's published document, if known
    retrieved: str = ""  # YYYY-MM-DD the text was copied, or "not recorded"
    checked: str = ""  # YYYY-MM-DD someone last checked it is in force, or "not recorded"

    def notes_on(self, topic_id: str) -> tuple[str, ...]:
        for topic, notes in self.notes:
            if topic == topic_id:
                return notes
        return ()

    def citation(self, clause: Clause) -> str:
        """How a quotation from this council is cited, e.g. in Word exports."""
        return f"{self.name}, {self.title}, {section_label(clause.section)}"


@dataclass(frozen=True)
class Cell:
    """What one council says on one topic: its level, the clauses, the one that decides the level, notes."""

    council: str
    topic: str
    level: str  # one of levels.LEVELS
    clauses: tuple[Clause, ...]
    deciding: Clause | None
    notes: tuple[str, ...]
    reviewed: bool


@dataclass(frozen=True)
class Handbook:
    groups: tuple[Group, ...]
    councils: tuple[Council, ...]
    version: str  # a short hash of every source file: changes whenever a source does

    @cached_property
    def topics(self) -> tuple[Topic, ...]:
        return tuple(topic for group in self.groups for topic in group.topics)

    @cached_property
    def topic_by_id(self) -> dict[str, Topic]:
        return {topic.id: topic for topic in self.topics}

    @cached_property
    def council_by_id(self) -> dict[str, Council]:
        return {council.id: council for council in self.councils}

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(clause for council in self.councils for clause in council.clauses)

    @cached_property
    def clause_by_id(self) -> dict[str, Clause]:
        return {clause.id: clause for clause in self.clauses}

    @cached_property
    def by_topic(self) -> dict[str, dict[str, tuple[Clause, ...]]]:
        """topic id -> council id -> that council's clauses on the topic (every council present)."""
        index: dict[str, dict[str, list[Clause]]] = {topic.id: {council.id: [] for council in self.councils} for topic in self.topics}
        for clause in self.clauses:
            for topic in clause.topics:
                index[topic][clause.council].append(clause)
        return {t: {c: tuple(cl) for c, cl in row.items()} for t, row in index.items()}

    @cached_property
    def similarity(self) -> similar.Similarity:
        """Wording shared between clauses of different councils."""
        return similar.find((c.id, c.council, c.text) for c in self.clauses)

    def cell(self, topic_id: str, council_id: str) -> Cell:
        return self.cells[topic_id][council_id]

    @cached_property
    def cells(self) -> dict[str, dict[str, Cell]]:
        """topic id -> council id -> the cell: the strongest level of the clauses on the topic, decided
        by the first clause (in document order) that speaks at that level."""
        out: dict[str, dict[str, Cell]] = {}
        for topic_id, row in self.by_topic.items():
            out[topic_id] = {}
            for council in self.councils:
                clauses = row[council.id]
                level = strongest([c.level_on(topic_id) for c in clauses])
                deciding = next((c for c in clauses if c.level_on(topic_id) == level), None)
                out[topic_id][council.id] = Cell(council.id, topic_id, level, clauses, deciding, council.notes_on(topic_id), council.reviewed)
        return out

    @cached_property
    def levels_differ(self) -> dict[str, bool]:
        """topic id -> whether the councils' reviewed cells are not all at one level."""
        return {t: len({cell.level for cell in row.values() if cell.reviewed or cell.clauses}) > 1 for t, row in self.cells.items()}

    @cached_property
    def note_numbers(self) -> dict[tuple[str, str], tuple[int, ...]]:
        """(topic id, council id) -> the numbers of its notes, numbered across the handbook in matrix order."""
        numbers: dict[tuple[str, str], tuple[int, ...]] = {}
        n = 0
        for topic in self.topics:
            for council in self.councils:
                notes = council.notes_on(topic.id)
                if notes:
                    numbers[topic.id, council.id] = tuple(range(n + 1, n + len(notes) + 1))
                    n += len(notes)
        return numbers

    def addressing(self, topic_id: str) -> list[Council]:
        return list(self._addressing[topic_id])

    @cached_property
    def _addressing(self) -> dict[str, tuple[Council, ...]]:
        return {t: tuple(c for c in self.councils if row[c.id]) for t, row in self.by_topic.items()}

    def topics_of(self, council_id: str) -> list[Topic]:
        return [t for t in self.topics if self.by_topic[t.id][council_id]]

    def silent(self, topic_id: str) -> list[Council]:
        return [c for c in self.councils if not self.by_topic[topic_id][c.id]]

    @cached_property
    def addressing_count(self) -> dict[str, int]:
        """topic id -> how many councils address it."""
        return {t: len(councils) for t, councils in self._addressing.items()}

    def gaps(self, council_id: str, min_others: int = 2) -> list[Topic]:
        """Topics this council is silent on that at least ``min_others`` other councils address."""
        return [t for t in self.topics if not self.by_topic[t.id][council_id] and self.addressing_count[t.id] >= min_others]

    @cached_property
    def councils_by_gaps(self) -> tuple[Council, ...]:
        """Councils silent on the most topics first (then in their usual order)."""
        return tuple(sorted(self.councils, key=lambda c: -self.silent_count(c.id)))

    def silent_count(self, council_id: str) -> int:
        return sum(1 for t in self.topics if not self.by_topic[t.id][council_id])
