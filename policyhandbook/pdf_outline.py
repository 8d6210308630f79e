"""What a PDF says, in order: a spec -> its sections -> print HTML (templates/pdf/).

``outline`` turns a spec into the document's sections (the same list drives the contents page and
the PDF bookmarks, so they always agree); ``document_html`` renders them with the print CSS inlined.
Both read only ``sources_of(handbook, spec)``: the councils the PDF includes, so its HTML changes only
when what it prints changes.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import jinja2

from . import __version__
from .dates import long_date
from .levels import CLAUSE_LEVELS
from .model import KEY_TOPICS, Council, Handbook, Topic
from .pdf_specs import PEERS, Spec, sources_of, version, versions, whole_handbook
from .render import compact, environment, sections

# Side by side on paper: at most this many councils' columns on one (landscape) page.
MAX_COLUMNS = 5
# The cover lists each source's version when a PDF quotes at most this many councils (else the sources section does).
COVER_VERSIONS = 6


# Sections: one list drives the body, the contents page and the bookmarks ------------------------------


@dataclass
class Section:
    kind: str  # "intro" | "matrix" | "part" | "comparison" | "policy" | "about-council" | "pack-intro" | "gaps" | "sources" | "volume-intro" | "overview-intro"
    anchor: str
    title: str
    level: int  # 1 or 2: listed in the contents and bookmarks; 0: no heading of its own (its children are listed)
    running: str  # the running header for its pages
    data: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # (level, title, anchor) contents entries inside a section

    @property
    def tag(self) -> str:
        return f"h{min(self.level, 6)}"


@dataclass
class Document:
    spec: Spec
    hb: Handbook  # what the PDF is made from: sources_of(handbook, spec)
    title: str  # the document title (PDF metadata and cover)
    running: str  # short title for the running header
    subtitle: str
    councils: list[Council]
    topics: list[Topic]
    topics_note: str
    sections: list[Section]
    peers: list[tuple[Council, str]] = field(default_factory=list)  # a pack's peers, with why
    everyone: bool = True  # whether it compares its council with every other council of the handbook

    @property
    def contents(self) -> list[tuple[int, str, str]]:
        """(level, title, anchor) of every contents entry, in order: also the bookmarks."""
        entries = []
        for section in self.sections:
            if 1 <= section.level <= 2:
                entries.append((section.level, section.title, section.anchor))
            entries += [(level, title, anchor) for level, title, anchor in section.children]
        return entries

    @property
    def large_print(self) -> bool:
        return self.spec.large_print

    @cached_property
    def versions(self) -> list[tuple[Council, str]]:
        """(council, version) of each council it quotes, in the order of the cover (a pack's own council first)."""
        first = {c.id: i for i, c in enumerate(self.councils)}
        return sorted(versions(self.hb), key=lambda item: first.get(item[0].id, len(first)))

    @cached_property
    def currency(self) -> list[list[Council]]:
        """The councils it quotes, grouped by when their texts were retrieved and last checked (the cover
        says each pair of dates once), in the cover's order."""
        groups: dict[tuple[str, str], list[Council]] = {}
        for council, _ in self.versions:
            groups.setdefault((council.retrieved, council.checked), []).append(council)
        return list(groups.values())


def _policy_section(council: Council, level: int, title: str, anchor: str, toc_headings: bool, prefix: str = "") -> Section:
    """A council's whole policy; its top-level headings are contents entries when ``toc_headings``."""
    items = []
    children = []
    for item in sections(council):
        headings = []
        for heading in item["headings"]:
            depth = heading["level"] - 2  # 0 for the policy's top-level headings
            h_level = level + 1 + depth
            h_anchor = f"{council.id}-{heading['anchor']}"
            listed = toc_headings and depth == 0 and level + 1 <= 2
            if listed:
                children.append((level + 1, heading["title"], h_anchor))
            headings.append({"tag": f"h{min(h_level, 6)}", "title": heading["title"], "anchor": h_anchor, "listed": listed, "level": level + 1})
        items.append({"headings": headings, "clause": item["clause"]})
    running = f"{council.short_name}: the policy"
    return Section("policy", anchor, title, level, running, {"council": council, "entries": items, "prefix": prefix}, children)


def _comparison(hb: Handbook, topic: Topic, level: int, focus: str | None, anchor: str, large_print: bool) -> Section:
    """One topic, every council of ``hb`` side by side (the focus council first); a large handbook's
    councils listed compactly; in large print, one council after another."""
    row = hb.by_topic[topic.id]
    councils = list(hb.councils)
    if focus:
        councils.sort(key=lambda c: c.id != focus)
    addressing = [c for c in councils if row[c.id]]
    silent = [c for c in councils if not row[c.id]]
    layout = "compact" if compact(hb) else "single" if large_print else "side"
    size = 1 if layout == "single" else MAX_COLUMNS
    chunks = [addressing[i : i + size] for i in range(0, len(addressing), size)] if layout != "compact" else []
    chunks = [list(zip(chunk, column_widths([row[c.id] for c in chunk]), strict=True)) for chunk in chunks]
    data = {
        "topic": topic,
        "row": row,
        "councils": councils,
        "addressing": addressing,
        "silent": silent,
        "chunks": chunks,
        "layout": layout,
        "wide": layout == "side" and len(addressing) > 2,
        "focus": hb.council_by_id[focus] if focus else None,
    }
    if layout == "compact":
        counts = Counter(hb.cells[topic.id][c.id].level for c in addressing)
        data["level_counts"] = [(level, counts[level]) for level in CLAUSE_LEVELS if counts[level]]
    return Section("comparison", anchor, topic.title, level, f"Compared: {topic.title}", data)


# The narrowest a column may be, by the number of columns (a share of the text width).
MIN_COLUMN = {1: 1.0, 2: 0.3, 3: 0.22, 4: 0.17, 5: 0.15}


def column_widths(columns: list[tuple]) -> list[float]:
    """Each column's width (per cent), in proportion to how much it holds, none narrower than MIN_COLUMN.

    On paper, equal columns leave the shorter ones empty for pages while the longest runs on;
    columns sized to their text end at about the same place, with fewer, fuller pages."""
    weights = [sum(len(clause.text) + 150 for clause in clauses) for clauses in columns]  # 150: label and citation
    floor = MIN_COLUMN.get(len(weights), 1 / len(weights))
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        budget = 1 - floor * len(fixed)
        total = sum(weights[i] for i in free)
        shares = {i: budget * weights[i] / total for i in free}
        narrow = [i for i, share in shares.items() if share < floor]
        if not narrow:
            break
        fixed.update((i, floor) for i in narrow)
    widths = {**fixed, **shares}
    return [round(widths[i] * 100, 1) for i in range(len(weights))]


def _gaps(hb: Handbook, council: Council, in_pack: set[str]) -> Section:
    """Where the council is silent and at least two of its peers (one, if it has one) are not: each topic
    with what the peers say (the clause that decides each one's level), or where the pack compares it."""
    peers = [c for c in hb.councils if c.id != council.id]
    gaps = hb.gaps(council.id, min(2, len(peers))) if peers else []
    entries = []
    children = []
    for topic in gaps:
        cells = [hb.cell(topic.id, c.id) for c in peers if hb.by_topic[topic.id][c.id]]
        entry = {"topic": topic, "addressing": [hb.council_by_id[cell.council] for cell in cells], "in_pack": topic.id in in_pack, "cells": cells}
        if not entry["in_pack"]:
            entry["anchor"] = f"gap-{topic.id}"
            children.append((2, topic.title, entry["anchor"]))
        entries.append(entry)
    title = f"Where {council.short_name} is silent"
    return Section("gaps", "gaps", title, 1, title, {"council": council, "gaps": entries, "peers": peers}, children)


def outline(handbook: Handbook, spec: Spec) -> Document:
    """The document a spec describes, made from ``sources_of(handbook, spec)`` only."""
    hb = sources_of(handbook, spec)
    topics = [hb.topic_by_id[t] for t in spec.topics]
    lp = spec.large_print
    if spec.kind == "handbook":
        secs = [
            Section("intro", "about", "About this handbook", 1, "About this handbook"),
            Section("matrix", "matrix", "Coverage matrix", 1, "Coverage matrix"),
            Section("part", "topics", "Topics compared", 1, "Topics compared", {"intro": "topics"}),
        ]
        for group in hb.groups:
            for topic in group.topics:
                secs.append(_comparison(hb, topic, 2, None, f"topic-{topic.id}", lp))
        secs.append(Section("part", "councils", "The councils’ policies", 1, "The councils’ policies", {"intro": "councils"}))
        for council in hb.councils:
            secs.append(_policy_section(council, 2, council.name, f"council-{council.id}", False))
        secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "full"}))
        return Document(
            spec,
            hb,
            "Council Social Media Policy Handbook",
            "Council Social Media Policy Handbook",
            f"The social media policies of {len(hb.councils)} UK councils, quoted clause by clause and compared topic by topic",
            list(hb.councils),
            list(hb.topics),
            f"All {len(hb.topics)} topics of the taxonomy",
            secs,
        )
    if spec.kind == "overview":
        volumes = [v for v in whole_handbook(handbook) if v.kind == "volume"]
        volume_of = {cid: v for v in volumes for cid in v.councils}
        secs = [
            Section("overview-intro", "about", "About this handbook", 1, "About this handbook", {"volumes": volumes}),
            Section("matrix", "matrix", "Coverage matrix", 1, "Coverage matrix", {"volumes": volumes, "volume_of": volume_of}),
            Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "method"}),
        ]
        return Document(
            spec,
            hb,
            "Council Social Media Policy Handbook: about it, and the coverage matrix",
            "The handbook: overview",
            f"How the handbook of {len(hb.councils)} UK councils’ social media policies is organised, and the level at which each council addresses each topic",
            list(hb.councils),
            list(hb.topics),
            f"All {len(hb.topics)} topics of the taxonomy",
            secs,
        )
    if spec.kind == "volume":
        secs = [Section("volume-intro", "about", "About this volume", 1, "About this volume")]
        for council in hb.councils:
            secs.append(_policy_section(council, 1, council.name, f"council-{council.id}", False, prefix=council.id))
        secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "full"}))
        return Document(
            spec,
            hb,
            f"Council Social Media Policy Handbook: {spec.title}",
            spec.title,
            f"The social media policies of {len(hb.councils)} {spec.about}, quoted in full, clause by clause",
            list(hb.councils),
            list(hb.topics),
            f"All {len(hb.topics)} topics of the taxonomy",
            secs,
        )
    if spec.kind == "council":
        council = hb.council_by_id[spec.council]
        secs = [
            Section("about-council", "about", "About this policy", 1, "About this policy", {"council": council}),
            _policy_section(council, 1, "The policy", "policy", True),
            Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "method"}),
        ]
        own = hb.topics_of(council.id)
        return Document(
            spec,
            hb,
            f"{council.name}: {council.title}",
            council.name,
            f"{council.title}, quoted in full, clause by clause, with each clause’s topics",
            [council],
            own,
            f"The {len(own)} topics its clauses address",
            secs,
            everyone=len(hb.councils) == len(handbook.councils),
        )
    if spec.kind == "topic":
        topic = topics[0]
        # The topic's title is on the cover: its two parts are the contents' entries.
        secs = [_comparison(hb, topic, 0, None, f"topic-{topic.id}", lp)]
        if secs[0].data["layout"] == "compact":
            secs[0].children = [(1, "At a glance", "glance"), (1, "Council by council", "side")]
        else:
            secs[0].children = [(1, "At a glance", "glance"), (1, "Side by side", "side")]
        secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "compact"}))
        return Document(
            spec,
            hb,
            f"{topic.title}: what the councils say",
            f"Topic: {topic.title}",
            f"What {len(hb.councils)} UK councils’ social media policies say about {topic.title[:1].lower() + topic.title[1:]}, "
            + ("every council’s clauses listed" if compact(hb) else "every clause quoted side by side"),
            list(hb.councils),
            [topic],
            f"{topic.group_title}: {topic.title}",
            secs,
        )
    # A pack: one council's policy (optional), comparisons on the chosen topics, and that council's gaps.
    council = hb.council_by_id[spec.council] if spec.council else None
    key = spec.topics == KEY_TOPICS
    secs = [Section("pack-intro", "about", "About this pack", 1, "About this pack", {"council": council, "key": key})]
    if council:
        secs.append(_policy_section(council, 1, f"{council.name}’s policy", "policy", True))
    part_title = "The key topics compared" if key else "The topics compared"
    secs.append(Section("part", "topics", part_title, 1, part_title, {"intro": "pack-topics", "council": council}))
    for topic in topics:
        secs.append(_comparison(hb, topic, 2, council.id if council else None, f"topic-{topic.id}", lp))
    if council:
        secs.append(_gaps(hb, council, set(spec.topics)))
    secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "compact"}))
    councils = [council] + [c for c in hb.councils if c is not council] if council else list(hb.councils)
    names = ", ".join(t.title for t in topics)
    n = len(hb.councils)
    if council and key:
        title, running = f"Members’ pack: {council.name}", f"Members’ pack: {council.short_name}"
        subtitle = f"{council.name}’s social media policy, the five key topics compared across {n} councils, and where its policy is silent"
    elif council:
        title, running = f"Policy pack: {council.name}", f"Policy pack: {council.short_name}"
        subtitle = f"{council.name}’s social media policy, {names} compared across {n} councils, and where its policy is silent"
    else:
        title, running = f"Topic pack: {names}", "Topic pack"
        subtitle = f"{names}: what {n} UK councils’ social media policies say, " + (
            "every council’s clauses listed" if compact(hb) else "every clause quoted side by side"
        )
    if lp:
        title, running = f"{title} (large print)", f"{running} (large print)"
    return Document(
        spec,
        hb,
        title,
        running,
        subtitle,
        councils,
        topics,
        "The five key topics" if key else f"{len(topics)} topic{'s' if len(topics) != 1 else ''}",
        secs,
        [(hb.council_by_id[pid], why) for pid, why in spec.peers],
        everyone=len(hb.councils) == len(handbook.councils),
    )


# HTML ------------------------------------------------------------------------------------------------


def print_environment(templates: Path) -> jinja2.Environment:
    """The pages' Jinja environment (autoescape, the same filters, so clause text renders identically)."""
    return environment(Path(templates))


@dataclass(frozen=True)
class Context:
    """What every document of one build shares: templates, date and the handbook's address."""

    templates: Path
    epoch: int
    site: str  # the handbook's web address, ending in "/"
    env: jinja2.Environment
    css: str
    fingerprint: str  # of everything but the sources that decides a PDF's HTML: the code, the print templates, date, address

    @classmethod
    def make(cls, templates: Path, epoch: int, site: str) -> Context:
        css = (Path(templates) / "pdf" / "print.css").read_text(encoding="utf-8")
        digest = hashlib.sha256(f"{epoch}\0{site}\0".encode())
        code = Path(__file__).resolve().parent
        for path in sorted(code.glob("*.py")) + sorted((Path(templates) / "pdf").rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return cls(Path(templates), epoch, site, print_environment(templates), css, digest.hexdigest())


def input_key(handbook: Handbook, spec: Spec, context: Context) -> str:
    """A fingerprint of everything a PDF's HTML is made from, found without making it: the spec, the part of
    the handbook it includes (``sources_of``: each council's record, the taxonomy), how many councils the
    handbook has, and the context's fingerprint. The same key always gives the same HTML."""
    sub = sources_of(handbook, spec)
    digest = hashlib.sha256(f"{context.fingerprint}\0{spec!r}\0{len(handbook.councils)}\0{sub.version}".encode())
    for council in sub.councils:
        digest.update(f"\0{council.id}:{version(council)}".encode())
    return digest.hexdigest()


def document_html(handbook: Handbook, spec: Spec, context: Context) -> str:
    moment = datetime.fromtimestamp(context.epoch, UTC)
    doc = outline(handbook, spec)
    return context.env.get_template("pdf/document.html.j2").render(
        hb=doc.hb,
        doc=doc,
        css=context.css,
        built=long_date(moment),
        built_day=moment.date(),
        built_iso=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        key_topics=KEY_TOPICS,
        tool_version=__version__,
        site=context.site,
        site_short=re.sub(r"^https?://", "", context.site).rstrip("/"),
        cover_versions=COVER_VERSIONS,
        compact=compact(doc.hb),
        default_peers=PEERS,
    )
