"""The handbook's model: frozen records and the indexes the pages need."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

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

    def citation(self, clause: Clause) -> str:
        """How a quotation from this council is cited, e.g. in Word exports."""
        return f"{self.name}, {self.title}, {section_label(clause.section)}"


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
