"""Reading a draft's selection file (the /draft/ page's *Download selection*) for `build.py draft`.

Two formats are accepted. Today's (the page's first version, and the simplest to write by hand)::

    title: Draft social media protocol      # optional
    clauses:
      - wiltshire-3                          # filed under the clause's first topic
      - id: oxford-4-2                       # or under another of its topics
        topic: disclaimer
    notes:                                   # optional, one per topic
      disclaimer: Use Oxford's wording, but name our monitoring officer.

and the richer one, with the drafter's own sections, wording and notes::

    title: Our social media protocol
    audience: members                        # who the protocol is for: members, staff or both
    sections:
      - topics: [disclaimer]                 # headed by the topic's title ...
        note: A note on the section.
        content:
          - oxford-4-2                       # a clause
          - clause: wiltshire-3              # a clause with a note
            note: Say who the monitoring officer is.
          - text: Our own wording, between the quotations.
      - heading: Our own section             # ... or by the drafter's own heading
        content: []

draft.js reads both the same way (``readSelection``), with the same messages.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .model import Handbook
from .problems import Problem, SourceError
from .read import Located, display_path, read_yaml_file

DEFAULT_TITLE = "Draft social media protocol"
AUDIENCES = ("members", "staff", "both")
FIELDS = ("title", "audience", "sections", "clauses", "notes")
SECTION_FIELDS = ("heading", "topics", "note", "content")
EMPTY_FILE = "file is empty (or holds only comments); save a selection from the /draft/ page, or list clause ids under 'clauses:'"
NOT_TEXT = "this is not a selection file: it is not text (a Word document or a PDF, perhaps); choose the .yaml file that Download selection saved"
# read.py's wording for council files, said for selection files.
_SAID_FOR_SELECTIONS = {"file is empty": EMPTY_FILE, "file contains NUL bytes": NOT_TEXT}


@dataclass(frozen=True)
class Entry:
    """One thing in a section: a quoted clause (``kind`` 'clause', ``value`` its id, with the drafter's
    note) or the drafter's own wording (``kind`` 'text', ``value`` the wording)."""

    kind: str
    value: str
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Section:
    heading: str  # the drafter's heading; '' for the title of its first topic
    topics: tuple[str, ...] = ()
    note: str = ""
    entries: tuple[Entry, ...] = ()


@dataclass(frozen=True)
class Selection:
    title: str = DEFAULT_TITLE
    sections: tuple[Section, ...] = ()
    audience: str = "members"

    @property
    def clauses(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries if entry.kind == "clause"]


def nearest(word: str, choices: list[str]) -> str:
    """The most similar choice; of equally similar ones, the first (in handbook order)."""
    best, best_score = "", -1.0
    matcher = difflib.SequenceMatcher(b=word)
    for choice in choices:
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score > best_score:
            best, best_score = choice, score
    return best


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")


def typed(text: str) -> str:
    """Text the drafter typed or pasted, without the control characters a Word document cannot hold:
    Word's line breaks (U+000B) and page breaks (U+000C) become line breaks (draft.js's typed)."""
    return _CONTROL.sub("", text.replace("\v", "\n").replace("\f", "\n"))


class _Reader:
    def __init__(self, handbook: Handbook, shown: str) -> None:
        self.handbook = handbook
        self.shown = shown
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.ids = list(handbook.clause_by_id)
        self.topic_ids = [t.id for t in handbook.topics]

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, message))

    def text(self, node: Located, what: str) -> str | None:
        if isinstance(node.value, bool) or not isinstance(node.value, (str, int, float)):
            self.problem(node.line, f"{what} must be text")
            return None
        return typed(str(node.value))

    def unknown_fields(self, fields: dict[str, Located], allowed: tuple[str, ...], where: str, has: str) -> None:
        for key, value in fields.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                self.problem(value.line, f"unknown field '{key}'{where}.{hint} {has}: {', '.join(allowed)}.")

    def clause(self, cid: str, line: int) -> bool:
        """Whether a clause id can be quoted here (known, and not already in the selection)."""
        if cid not in self.handbook.clause_by_id:
            self.problem(line, f"unknown clause id '{cid}'. Did you mean '{nearest(cid, self.ids)}'?")
            return False
        if cid in self.seen:
            self.problem(line, f"clause '{cid}' is listed twice (first on line {self.seen[cid]}); keep only one")
            return False
        self.seen[cid] = line
        return True

    # --- the whole file ---------------------------------------------------------------------

    def selection(self, node: Located) -> Selection:
        title, audience = DEFAULT_TITLE, "members"
        if isinstance(node.value, list):
            return Selection(title, self.by_topic(node, {}), audience)
        if not isinstance(node.value, dict):
            self.problem(node.line, "expected a list of clause ids under 'clauses:' (see `build.py draft --help`)")
            return Selection()
        fields: dict[str, Located] = node.value
        self.unknown_fields(fields, FIELDS, "", "Allowed fields")
        if "title" in fields:
            title = (self.text(fields["title"], "field 'title'") or "").strip() or DEFAULT_TITLE
        if "audience" in fields:
            value = fields["audience"].value
            if value not in AUDIENCES:
                self.problem(fields["audience"].line, f"field 'audience' must be 'members', 'staff' or 'both', not '{value}'")
            else:
                audience = value
        if "sections" in fields:
            if "clauses" in fields or "notes" in fields:
                other = "clauses" if "clauses" in fields else "notes"
                self.problem(fields[other].line, f"field '{other}' cannot be used with 'sections'; put the clauses and notes in the sections")
            return Selection(title, self.sections(fields["sections"]), audience)
        notes = self.notes(fields["notes"]) if "notes" in fields else {}
        if "clauses" not in fields:
            if not self.problems:
                self.problem(node.line, "missing field 'clauses'; list the clause ids under 'clauses:'")
            return Selection(title, (), audience)
        clauses = fields["clauses"]
        if not isinstance(clauses.value, list):
            self.problem(clauses.line, "field 'clauses' must be a list of clause ids, one per line starting with '- '")
            return Selection(title, (), audience)
        if not clauses.value and not notes:
            self.problem(clauses.line, "the selection lists no clauses; add clause ids under 'clauses:'")
        return Selection(title, self.by_topic(clauses, notes), audience)

    # --- today's format: clauses filed under their topics ---------------------------------------

    def by_topic(self, clauses: Located, notes: dict[str, str]) -> tuple[Section, ...]:
        """The clauses under their topics, in taxonomy order (the drafter's order within a topic)."""
        filed: list[tuple[str, Entry]] = []
        for item in clauses.value:
            topic = None
            if isinstance(item.value, dict):
                entry: dict[str, Located] = item.value
                for key, value in entry.items():
                    if key not in ("id", "topic"):
                        self.problem(value.line, f"unknown field '{key}' in a clause entry; a clause entry has 'id' and optionally 'topic'")
                if "id" not in entry:
                    self.problem(item.line, "a clause entry needs an 'id'")
                    continue
                cid = self.text(entry["id"], "a clause id")
                if "topic" in entry:
                    topic = self.text(entry["topic"], "field 'topic'")
                line = entry["id"].line
            else:
                cid, line = self.text(item, "a clause id"), item.line
            if cid is None:
                continue
            cid = cid.strip()
            if not self.clause(cid, line):
                continue
            clause = self.handbook.clause_by_id[cid]
            if topic is None:
                topic = clause.topics[0]
            elif topic not in clause.topics:
                choices = ", ".join(f"'{t}'" for t in clause.topics)
                self.problem(line, f"clause '{cid}' is not tagged with topic '{topic}'; file it under one of its topics: {choices}")
                continue
            filed.append((topic, Entry("clause", cid, line=line)))
        sections = []
        for topic in self.handbook.topics:
            entries = tuple(entry for tid, entry in filed if tid == topic.id)
            if entries or topic.id in notes:
                sections.append(Section("", (topic.id,), notes.get(topic.id, ""), entries))
        return tuple(sections)

    def notes(self, node: Located) -> dict[str, str]:
        if not isinstance(node.value, dict):
            self.problem(node.line, "field 'notes' must hold one note per topic id, as 'disclaimer: your note'")
            return {}
        notes = {}
        for tid, value in node.value.items():
            if tid not in self.handbook.topic_by_id:
                self.problem(value.line, f"unknown topic '{tid}' in notes. Did you mean '{nearest(tid, self.topic_ids)}'?")
                continue
            if value.value is None:
                continue
            text = self.text(value, f"the note on '{tid}'")
            if text and text.strip():
                notes[tid] = text.strip()
        return notes

    # --- the richer format: the drafter's own sections ------------------------------------------

    def sections(self, node: Located) -> tuple[Section, ...]:
        if not isinstance(node.value, list):
            self.problem(node.line, "field 'sections' must be a list of sections, each starting with '- '")
            return ()
        if not node.value:
            self.problem(node.line, "the selection has no sections; add sections under 'sections:', or list clause ids under 'clauses:'")
        return tuple(section for item in node.value if (section := self.section(item)) is not None)

    def section(self, node: Located) -> Section | None:
        if not isinstance(node.value, dict):
            self.problem(node.line, "a section must have fields such as 'heading:' and 'content:'")
            return None
        fields: dict[str, Located] = node.value
        self.unknown_fields(fields, SECTION_FIELDS, " in a section", "A section has")
        heading = (self.text(fields["heading"], "a section's 'heading'") or "").strip() if "heading" in fields else ""
        before = len(self.problems)
        topics = self.topics(fields["topics"]) if "topics" in fields else ()
        if not heading and not topics and len(self.problems) == before:
            self.problem(node.line, "a section needs a 'heading' (or 'topics', to be headed by its first topic's title)")
        note = (self.text(fields["note"], "a section's 'note'") or "").strip() if "note" in fields and fields["note"].value is not None else ""
        entries: list[Entry] = []
        if "content" in fields and fields["content"].value is not None:
            content = fields["content"]
            if not isinstance(content.value, list):
                self.problem(content.line, "field 'content' must be a list: clause ids, 'clause:' entries and 'text:' entries, each starting with '- '")
            else:
                entries = [entry for item in content.value if (entry := self.entry(item)) is not None]
        return Section(heading, topics, note, tuple(entries))

    def topics(self, node: Located) -> tuple[str, ...]:
        items = node.value if isinstance(node.value, list) else [node]
        out: list[str] = []
        for item in items:
            tid = self.text(item, "a topic id")
            if tid is None:
                continue
            tid = tid.strip()
            if tid not in self.handbook.topic_by_id:
                self.problem(item.line, f"unknown topic '{tid}'. Did you mean '{nearest(tid, self.topic_ids)}'?")
            elif tid not in out:
                out.append(tid)
        return tuple(out)

    def entry(self, node: Located) -> Entry | None:
        if not isinstance(node.value, dict):
            cid = self.text(node, "a clause id")
            if cid is None:
                return None
            cid = cid.strip()
            return Entry("clause", cid, line=node.line) if self.clause(cid, node.line) else None
        fields: dict[str, Located] = node.value
        kinds = [key for key in ("clause", "text") if key in fields]
        if len(kinds) != 1 or any(key not in ("clause", "text", "note") for key in fields) or ("text" in fields and "note" in fields):
            self.problem(node.line, "an entry is a clause id, 'clause: <id>' (with an optional 'note:'), or 'text: <your wording>'")
            return None
        if kinds == ["text"]:
            text = self.text(fields["text"], "field 'text'")
            if text is None:
                return None
            if not text.strip():
                self.problem(fields["text"].line, "field 'text' is empty; write your wording, or remove the entry")
                return None
            return Entry("text", text.strip(), line=fields["text"].line)
        cid = self.text(fields["clause"], "a clause id")
        note = ""
        if "note" in fields and fields["note"].value is not None:
            note = (self.text(fields["note"], "a clause's 'note'") or "").strip()
        if cid is None:
            return None
        cid = cid.strip()
        line = fields["clause"].line
        return Entry("clause", cid, note, line) if self.clause(cid, line) else None


def read_selection(path: Path, handbook: Handbook) -> Selection:
    """Read and check a selection file (either format); raises SourceError listing every problem."""
    shown = display_path(Path(path))
    node, problems = read_yaml_file(Path(path), shown)
    problems = [next((Problem(p.path, p.line, said) for start, said in _SAID_FOR_SELECTIONS.items() if p.message.startswith(start)), p) for p in problems]
    if node is None:
        raise SourceError(problems)
    reader = _Reader(handbook, shown)
    reader.problems = problems
    selection = reader.selection(node)
    if reader.problems:
        raise SourceError(reader.problems)
    return selection
