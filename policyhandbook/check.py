"""Check stage: validate the located YAML values and turn them into model records.

Every validator appends to one list of problems, so a run reports everything
that is wrong at once. Messages say what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .levels import CLAUSE_LEVELS
from .model import KEY_TOPICS, Clause, Council, Group, Topic
from .problems import Problem
from .provenance import divergence, locate
from .read import Located, display_path, read_text
from .text import normalise

EXAMPLE = "source_policies/example/example-council.yaml"
TAXONOMY = "source_policies/taxonomy.yaml"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(?:undated|\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)$")

NATIONS = ("England", "Wales", "Scotland", "Northern Ireland")
AUDIENCES = ("members", "staff", "both")
STATUSES = ("draft", "adopted", "not stated")

COUNCIL_REQUIRED = (
    "id",
    "name",
    "kind",
    "nation",
    "title",
    "audience",
    "status",
    "date",
    "source",
    "original",
    "attribution",
    "retrieved",
    "checked",
    "clauses",
)
COUNCIL_OPTIONAL = ("short_name", "url", "reviewed", "notes")
NOT_RECORDED = "not recorded"
DAY_RE = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
CLAUSE_REQUIRED = ("id", "section", "topics", "level", "text")
CLAUSE_OPTIONAL = ("heading", "levels", "summary")
MISSING_HINTS = {
    "retrieved": f"give the date the text was copied from the council's document (YYYY-MM-DD), or '{NOT_RECORDED}'",
    "checked": f"give the date someone last checked the document is still in force (YYYY-MM-DD), or '{NOT_RECORDED}'",
    "level": "add the level at which the clause speaks on its topics: " + ", ".join(CLAUSE_LEVELS),
}
CHOICES = {"nation": NATIONS, "audience": AUDIENCES, "status": STATUSES}
# Fields shown in page titles, navigation, headings and table cells: one line each.
COUNCIL_ONE_LINE = ("name", "short_name", "kind", "title", "source", "original", "attribution")
CLAUSE_ONE_LINE = ("section", "heading")
# Far more than any policy (the longest so far has 103 clauses); a council page and PDF of this many
# still build in reasonable time and memory (see policyhandbook/limits.py).
MAX_CLAUSES = 2_000
# Ids whose page would replace one of the site's own: /councils/index/ lists the councils, /topics/index/ the topics.
RESERVED_IDS = {"index": "the site's own list page"}


def suggest(word: str, choices: Iterable[str]) -> str:
    """' Did you mean 'x'?' for the nearest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


class _Fields:
    """Typed access to a YAML mapping that records a problem for every bad field."""

    def __init__(self, node: Located, shown: str, problems: list[Problem], what: str):
        self.node = node
        self.map: dict[str, Located] = node.value
        self.shown = shown
        self.problems = problems
        self.what = what  # e.g. "" or "clause 'oxford-3': "

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.shown, line, self.what + message))

    def known(self, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        for key, value in self.map.items():
            if key not in required and key not in optional:
                hint = suggest(key, required + optional) or f" Allowed fields: {', '.join(required + optional)}."
                self.problem(value.line, f"unknown field '{key}'.{hint}")
        for key in required:
            if key not in self.map:
                how = MISSING_HINTS.get(key, "add it")
                self.problem(self.node.line, f"missing required field '{key}'; {how} (see {EXAMPLE})")

    def text(self, key: str, default: str | None = None) -> str | None:
        item = self.map.get(key)
        if item is None:
            return default
        value = item.value
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(item.line, f"field '{key}' must be text, not {_kind(value)}")
            return None
        value = str(value)
        if not value.strip():
            self.problem(item.line, f"field '{key}' is empty; fill it in or remove the field")
            return None
        return value

    def choice(self, key: str) -> str | None:
        value = self.text(key)
        choices = CHOICES[key]
        if value is not None and value not in choices:
            allowed = ", ".join(f"'{c}'" for c in choices)
            self.problem(self.map[key].line, f"field '{key}' must be one of {allowed}, not '{value}'.{suggest(value, choices)}".rstrip("."))
            return None
        return value

    def ident(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not ID_RE.match(value):
            self.problem(
                self.map[key].line,
                f"'{value}' is not a valid id; use lower-case letters, digits and single hyphens (e.g. 'oxford-3-1')",
            )
            return None
        return value

    def one_line(self, keys: tuple[str, ...]) -> None:
        """A value shown in titles, tables and headings must not run over several lines."""
        for key in keys:
            item = self.map.get(key)
            if item is not None and isinstance(item.value, str) and "\n" in item.value.strip():
                self.problem(item.line, f"field '{key}' runs over several lines; write it on one line (only a clause's text and summary may have several)")

    def line(self, key: str) -> int:
        item = self.map.get(key)
        return item.line if item is not None else self.node.line


def _kind(value: object) -> str:
    """What a value that should be text is instead, as the message says it."""
    if isinstance(value, bool):
        return "true or false (YAML reads an unquoted yes, no, on, off, true or false that way); put the value in quotes"
    if isinstance(value, (int, float)):
        return f"the number {value}; put the value in quotes"
    return "a list" if isinstance(value, list) else "a set of fields" if isinstance(value, dict) else "empty"


def _is_map(node: Located | None) -> bool:
    return node is not None and isinstance(node.value, dict)


# --- taxonomy -----------------------------------------------------------------


def check_taxonomy(node: Located, shown: str) -> tuple[tuple[Group, ...], list[Problem]]:
    problems: list[Problem] = []
    if not _is_map(node) or "groups" not in node.value or not isinstance(node.value["groups"].value, list):
        return (), [Problem(shown, node.line, "expected 'groups:' holding a list of groups, each with 'id', 'title' and 'topics'")]
    groups: list[Group] = []
    seen: dict[str, int] = {}
    for group_node in node.value["groups"].value:
        if not _is_map(group_node):
            problems.append(Problem(shown, group_node.line, "each group must have 'id', 'title' and 'topics'"))
            continue
        g = _Fields(group_node, shown, problems, "")
        g.known(("id", "title", "topics"), ())
        g.one_line(("title",))
        gid, gtitle = g.ident("id"), g.text("title")
        topic_nodes = g.map.get("topics")
        if topic_nodes is None or not isinstance(topic_nodes.value, list) or not topic_nodes.value:
            if topic_nodes is not None:
                problems.append(Problem(shown, topic_nodes.line, f"group '{gid}' must list at least one topic"))
            continue
        topics: list[Topic] = []
        for topic_node in topic_nodes.value:
            if not _is_map(topic_node):
                problems.append(Problem(shown, topic_node.line, "each topic must have 'id', 'title' and 'description'"))
                continue
            t = _Fields(topic_node, shown, problems, "")
            t.known(("id", "title", "description"), ())
            t.one_line(("title", "description"))
            tid, title, description = t.ident("id"), t.text("title"), t.text("description")
            tid = _not_reserved(t, tid, "topics")
            if tid is not None and tid in seen:
                problems.append(Problem(shown, t.line("id"), f"topic id '{tid}' is used twice (first on line {seen[tid]}); give each topic its own id"))
                continue
            if tid is not None:
                seen[tid] = t.line("id")
            if tid and title and description and gid and gtitle:
                topics.append(Topic(tid, title, description, gid, gtitle))
        if gid and gtitle:
            groups.append(Group(gid, gtitle, tuple(topics)))
    for key in KEY_TOPICS:
        if key not in seen:
            problems.append(Problem(shown, node.line, f"the key topic '{key}' is missing; the taxonomy must contain {', '.join(KEY_TOPICS)}"))
    return tuple(groups), problems


# --- councils -----------------------------------------------------------------


def check_council(node: Located, shown: str, stem: str, topic_ids: set[str], source_dir: Path, strict: bool = False) -> tuple[Council | None, list[Problem]]:
    """Check one council file; return its record (None when it has problems) and every problem.
    With ``strict``, a file marked 'reviewed: false' is a problem too."""
    problems: list[Problem] = []
    if not _is_map(node):
        return None, [Problem(shown, node.line, f"expected the council's fields (id:, name:, ..., clauses:) at the top level; see {EXAMPLE}")]
    f = _Fields(node, shown, problems, "")
    f.known(COUNCIL_REQUIRED, COUNCIL_OPTIONAL)
    f.one_line(COUNCIL_ONE_LINE)
    cid = _not_reserved(f, f.ident("id"), "councils")
    stem, bad_file_name = _file_id(stem, cid)
    if bad_file_name:
        f.problem(f.line("id"), bad_file_name)
    elif cid is not None and cid != stem:
        f.problem(f.line("id"), f"council id '{cid}' does not match the file name '{stem}.yaml'; rename the file or change the id")
    values = {key: f.text(key) for key in ("name", "kind", "title", "source", "original", "attribution")}
    choices = {key: f.choice(key) for key in CHOICES}
    short_name = f.text("short_name", default=values["name"])
    date = f.text("date")
    if date is not None and not DATE_RE.match(date):
        f.problem(f.line("date"), f"field 'date' must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated', not '{date}'")
        date = None
    provenance = _provenance(f)
    reviewed = True
    if "reviewed" in f.map:
        reviewed = f.map["reviewed"].value
        if not isinstance(reviewed, bool):
            f.problem(f.line("reviewed"), f"field 'reviewed' must be true or false, not '{reviewed}'")
        elif not reviewed and strict:
            f.problem(
                f.line("reviewed"),
                f"council '{stem}' is marked 'reviewed: false'; review its topics, then set 'reviewed: true' (check --strict refuses unreviewed files)",
            )

    original_text: str | None = None
    if values["original"] is not None and not _inside(f, values["original"], source_dir):
        values["original"] = None
    if values["original"] is not None:
        original_path = source_dir / values["original"]
        if not original_path.is_file():
            f.problem(
                f.line("original"),
                f"original text '{values['original']}' not found in {display_path(source_dir, source_dir.parent)}/; put the council's original text there or correct 'original'",
            )
        else:
            original_text, read_problems = read_text(original_path, display_path(original_path, source_dir.parent))
            problems.extend(read_problems)
    original = normalise(original_text) if original_text is not None else None

    # Clause ids are checked against the file name, so a mistyped council id is reported once.
    original_shown = display_path(source_dir / values["original"], source_dir.parent) if values["original"] else ""
    clauses = _check_clauses(f, stem, topic_ids, original, original_shown)
    complete = isinstance(f.map.get("clauses", Located(None, 0)).value, list) and len(clauses) == len(f.map["clauses"].value)
    notes = _check_notes(f, topic_ids, {t for clause in clauses for t in clause.topics} if complete else None)
    if cid is None:
        return None, problems
    council = Council(
        id=cid,
        name=values["name"] or "",
        short_name=short_name or "",
        kind=values["kind"] or "",
        nation=choices["nation"] or "",
        title=values["title"] or "",
        audience=choices["audience"] or "",
        status=choices["status"] or "",
        date=date or "",
        source=values["source"] or "",
        original=values["original"] or "",
        attribution=values["attribution"] or "",
        reviewed=bool(reviewed),
        clauses=tuple(clauses),
        path=shown,
        notes=notes,
        url=provenance["url"] or "",
        retrieved=provenance["retrieved"] or "",
        checked=provenance["checked"] or "",
    )
    return council, problems


def _inside(f: _Fields, value: str, source_dir: Path) -> bool:
    """Whether a path from a source file stays inside source_policies/, links followed; if not, says so."""
    shown = display_path(source_dir, source_dir.parent)
    if Path(value).is_absolute() or value.startswith("~"):
        f.problem(
            f.line("original"),
            f"original text '{value}' must be a path inside {shown}/, written relative to it, such as 'originals/<council-id>.txt'; copy the file there",
        )
        return False
    base = source_dir.resolve()
    try:
        target = (source_dir / value).resolve()
    except (OSError, RuntimeError):  # a loop of links
        target = None
    if target is None or not target.is_relative_to(base):
        how = "is a link to a file" if target is not None and (source_dir / value).is_symlink() else "leads"
        f.problem(
            f.line("original"),
            f"original text '{value}' {how} outside {shown}/, which the handbook must not publish; copy the council's original text into {shown}/originals/ and point 'original' at it",
        )
        return False
    return True


def _not_reserved(f: _Fields, ident: str | None, folder: str) -> str | None:
    """An id whose page would replace one of the site's own pages is refused."""
    if ident in RESERVED_IDS:
        f.problem(f.line("id"), f"the id '{ident}' is reserved: /{folder}/{ident}/ would replace {RESERVED_IDS[ident]}; choose another id")
        return None
    return ident


def _file_id(stem: str, cid: str | None) -> tuple[str, str | None]:
    """The council id a file name stands for, and a problem when the name cannot be an id
    (capitals, spaces): then the hint names a file name that can."""
    if ID_RE.match(stem):
        return stem, None
    wanted = cid or re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "council"
    return wanted, (
        f"the file name '{stem}.yaml' cannot be a council id (lower-case letters, digits and single hyphens); rename the file to '{wanted}.yaml'"
        + ("" if cid else f" and set 'id: {wanted}'")
    )


def _check_clauses(f: _Fields, cid: str, topic_ids: set[str], original: str | None, original_name: str) -> list[Clause]:
    node = f.map.get("clauses")
    if node is None:
        return []
    if not isinstance(node.value, list) or not node.value:
        f.problem(node.line, "field 'clauses' must be a list of clauses, each starting with '- id:'")
        return []
    if len(node.value) > MAX_CLAUSES:
        f.problem(
            node.line,
            f"{len(node.value):,} clauses, but a council's policy may have at most {MAX_CLAUSES:,} (the longest so far has about a hundred); check that this file holds one council's policy",
        )
        return []
    clauses: list[Clause] = []
    for item in node.value:
        if not _is_map(item):
            f.problem(item.line, "each clause must be a set of fields starting with '- id:'; see " + EXAMPLE)
            continue
        probe = item.value.get("id")
        label = f"clause '{probe.value}': " if probe is not None and isinstance(probe.value, str) else "clause: "
        c = _Fields(item, f.shown, f.problems, label)
        c.known(CLAUSE_REQUIRED, CLAUSE_OPTIONAL)
        c.one_line(CLAUSE_ONE_LINE)
        clause_id = c.ident("id")
        if clause_id is not None and not clause_id.startswith(cid + "-"):
            c.problem(c.line("id"), f"clause id '{clause_id}' must start with the council id, as '{cid}-...'")
            clause_id = None
        section = c.text("section")
        heading = c.text("heading", default="")
        summary = c.text("summary", default="")
        text = _clause_text(c)
        topics = _clause_topics(c, topic_ids)
        level, levels = _clause_levels(c, topics)
        if text is not None and original is not None and locate(original, text) < 0:
            c.problem(c.line("text"), _not_found(original, text, original_name))
        if clause_id and section and text is not None and topics and level:
            clauses.append(Clause(clause_id, cid, section, heading or "", text, topics, summary or "", item.line, level, levels))
    return clauses


def _not_found(original: str, text: str, original_name: str) -> str:
    """Why a clause's text is not in the original: where it parts from it, or that only its Unicode form differs."""
    if not text.isascii() and locate(_nfc(original), unicodedata.normalize("NFC", text)) >= 0:
        forms = "decomposed (NFD), the original's composed (NFC)" if unicodedata.is_normalized("NFC", original) else "in another form than the original's"
        return (
            f"text not found in the original ({original_name}), though it reads the same: its accented letters are encoded {forms}; "
            "copy the wording from the original again, or save this file in Unicode NFC form"
        )
    matched, rest = divergence(original, text)
    where = f"after '{matched.strip()}', the clause has '{rest}'" if matched else f"it starts '{rest}'"
    return f"text not found in the original ({original_name}): {where}; copy the wording exactly from the original"


@lru_cache(maxsize=4)
def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _clause_text(c: _Fields) -> str | None:
    item = c.map.get("text")
    if item is None:
        return None
    if not isinstance(item.value, str) or not item.value.strip():
        if isinstance(item.value, (list, dict)):
            c.problem(item.line, "text must be the clause's wording, written after 'text: |'")
        elif isinstance(item.value, (bool, int, float)):
            c.problem(
                item.line, f"text is {_kind(item.value).split(';')[0]}, not the clause's wording; write the wording after 'text: |', on the lines below it"
            )
        else:
            c.problem(item.line, "text is empty; add the clause's wording or delete the clause")
        return None
    lines = [line.rstrip() for line in item.value.strip("\n").split("\n")]
    return "\n".join(lines).strip()


def _clause_topics(c: _Fields, topic_ids: set[str]) -> tuple[str, ...]:
    item = c.map.get("topics")
    if item is None:
        return ()
    raw = item.value
    if isinstance(raw, str):
        raw = [Located(raw, item.line)]
    if not isinstance(raw, list):
        c.problem(item.line, "topics must be a list of topic ids, e.g. [disclaimer, meetings]")
        return ()
    if not raw:
        c.problem(item.line, f"no topics; add at least one topic id from {TAXONOMY}")
        return ()
    topics: list[str] = []
    for entry in raw:
        if not isinstance(entry.value, str):
            c.problem(entry.line, f"topic '{entry.value}' must be a topic id from {TAXONOMY}")
            continue
        if entry.value not in topic_ids:
            hint = suggest(entry.value, topic_ids) or f" See {TAXONOMY} for the topics."
            c.problem(entry.line, f"unknown topic '{entry.value}'.{hint}")
            continue
        if entry.value in topics:
            c.problem(entry.line, f"topic '{entry.value}' is listed twice")
            continue
        topics.append(entry.value)
    return tuple(topics) if len(topics) == len(raw) else ()


def _level(c: _Fields, value: object, line: int, what: str) -> str | None:
    """One level value: one of requires, recommends, permits, mentions."""
    allowed = ", ".join(CLAUSE_LEVELS)
    if not isinstance(value, str):
        c.problem(line, f"{what} must be one of {allowed}")
        return None
    if value == "silent":
        c.problem(line, f"{what} cannot be 'silent': a clause always says something on its topics; use 'mentions' when it directs no one, or remove the topic")
        return None
    if value not in CLAUSE_LEVELS:
        hint = suggest(value, CLAUSE_LEVELS) or f" Levels: {allowed}."
        c.problem(line, f"unknown level '{value}'.{hint}")
        return None
    return value


def _provenance(f: _Fields) -> dict[str, str | None]:
    """Where and when the text was obtained, and when it was last checked to be in force."""
    out: dict[str, str | None] = {}
    for key in ("retrieved", "checked"):
        value = f.text(key)
        if value is not None and value != NOT_RECORDED and not DAY_RE.match(value):
            f.problem(f.line(key), f"field '{key}' must be a date as YYYY-MM-DD or '{NOT_RECORDED}', not '{value}'")
            value = None
        out[key] = value
    if out["retrieved"] and out["checked"] and NOT_RECORDED not in (out["retrieved"], out["checked"]) and out["checked"] < out["retrieved"]:
        f.problem(
            f.line("checked"), f"field 'checked' ({out['checked']}) is before 'retrieved' ({out['retrieved']}); the text cannot be checked before it was copied"
        )
    url = f.text("url")
    if url is not None and not URL_RE.match(url):
        f.problem(f.line("url"), f"field 'url' must be the web address of the council's published document, starting http:// or https://, not '{url}'")
        url = None
    out["url"] = url
    return out


def _clause_levels(c: _Fields, topics: tuple[str, ...]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The clause's level and its per-topic exceptions (``levels: {topic: level}``)."""
    item = c.map.get("level")
    level = _level(c, item.value, item.line, "level") if item is not None else None
    extra = c.map.get("levels")
    if extra is None:
        return level, ()
    if not isinstance(extra.value, dict) or not extra.value:
        c.problem(
            extra.line, "levels must map topic ids to levels, e.g. {sanctions: requires}, for the topics where the clause speaks at another level than 'level'"
        )
        return None, ()
    levels: list[tuple[str, str]] = []
    ok = True
    for topic, value in extra.value.items():
        one = _level(c, value.value, value.line, f"the level for '{topic}'")
        if one is None:
            ok = False
        elif topics and topic not in topics:
            hint = suggest(topic, topics)
            c.problem(value.line, f"level for topic '{topic}', which the clause is not tagged with.{hint} Add it to 'topics' or remove it from 'levels'")
            ok = False
        else:
            levels.append((topic, one))
    return (level if ok else None), tuple(levels)


def _check_notes(f: _Fields, topic_ids: set[str], addressed: set[str] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The council's editorial notes per topic (``notes: {topic: [note, ...]}``); ``addressed`` is the set
    of topics its clauses carry, or None when the clauses have problems (then silence is not judged)."""
    item = f.map.get("notes")
    if item is None:
        return ()
    if not isinstance(item.value, dict):
        f.problem(item.line, "notes must map topic ids to lists of short editorial notes, e.g. {disclaimer: [Gives model wording.]}")
        return ()
    out: list[tuple[str, tuple[str, ...]]] = []
    for topic, value in item.value.items():
        if topic not in topic_ids:
            hint = suggest(topic, topic_ids) or f" See {TAXONOMY} for the topics."
            f.problem(value.line, f"note on unknown topic '{topic}'.{hint}")
            continue
        if addressed is not None and topic not in addressed:
            f.problem(
                value.line,
                f"note on topic '{topic}', on which the council is silent (no clause is tagged with it); notes explain what a council says, so tag the clause or remove the note",
            )
            continue
        entries = value.value if isinstance(value.value, list) else [value]
        texts = []
        for entry in entries:
            if isinstance(entry.value, str) and entry.value.strip():
                texts.append(" ".join(entry.value.split()))
            else:
                f.problem(entry.line, f"each note on '{topic}' must be a line of text")
        if texts:
            out.append((topic, tuple(texts)))
    return tuple(out)


def check_unique_clause_ids(councils: list[Council]) -> list[Problem]:
    first: dict[str, tuple[str, int]] = {}
    problems = []
    for council in councils:
        for clause in council.clauses:
            if clause.id in first:
                path, line = first[clause.id]
                problems.append(Problem(council.path, clause.line, f"duplicate clause id '{clause.id}' (also at {path}:{line}); give each clause its own id"))
            else:
                first[clause.id] = (council.path, clause.line)
    return problems
