"""Incremental rebuilds for `mkdocs serve`: when one council's file is saved, check only the files
that changed and render only the pages they affect.

A full render is the reference: ``affected`` must name every file whose content can differ, and
the tests compare incremental results with full renders after many kinds of edit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .data import COMPARE_SIMILAR
from .load import Cache, load
from .model import Council, Handbook
from .pipeline import Paths
from .render import SIMILAR_SHOWN, compact, render
from .write import write_tree

# Pages that summarise every council (and the open data): rendered again on every change.
GLOBAL_FILES = (
    "index.md",
    "matrix.md",
    "topics/index.md",
    "councils/index.md",
    "about.md",
    "accessibility.md",
    "data.md",
    "draft.md",
    "search.md",
    "data/clauses.json",
    "data/clauses.csv",
    "data/matrix.json",
    "data/matrix.csv",
    "data/similar.json",
    "data/search.js",
    "data/draft.js",
    "similar.md",
    "compare.md",
)


def affected(old: Handbook, new: Handbook) -> set[str] | None:
    """The files of handbook/ that may differ between the two handbooks, or None for all of them."""
    if old.groups != new.groups or [c.id for c in old.councils] != [c.id for c in new.councils]:
        return None  # the taxonomy, or the list of councils (and so the navigation), changed
    if compact(old) != compact(new):
        return None
    files = set(GLOBAL_FILES)
    topics: set[str] = set()
    changed: list[str] = []
    for council in new.councils:
        before = old.council_by_id[council.id]
        if before == council:
            continue
        changed.append(council.id)
        files |= {f"councils/{council.id}.md", f"originals/{council.id}.txt", f"data/clauses/{council.id}.js"}
        if _details(before) != _details(council):
            topics |= {topic.id for topic in new.topics}  # names, titles and dates appear on every topic page
            for topic in new.topics:  # and its short name on the pages of councils silent where it speaks
                if old.by_topic[topic.id][council.id] or new.by_topic[topic.id][council.id]:
                    files |= {f"councils/{c.id}.md" for c in old.silent(topic.id) + new.silent(topic.id)}
        topics |= {t.id for t in new.topics if old.by_topic[t.id][council.id] != new.by_topic[t.id][council.id]}
    files |= _similar_pages(old, new, changed)
    for topic_id in topics:
        files |= {f"topics/{topic_id}.md", f"data/topics/{topic_id}.json"}
        if [c.id for c in old.addressing(topic_id)] != [c.id for c in new.addressing(topic_id)]:
            # Who addresses the topic changed: every council silent on it lists it among its gaps, with who addresses it.
            files |= {f"councils/{c.id}.md" for c in old.silent(topic_id) + new.silent(topic_id)}
    return files


def _similar_pages(old: Handbook, new: Handbook, changed: list[str]) -> set[str]:
    """The pages naming a changed clause under "Similar wording in" (in either handbook): the other
    clause's council page, its topic pages and its council's compare data. A clause counts as changed
    when its wording or section changed, it was added or removed, or its council's short name changed."""
    limit = None if not compact(new) else max(SIMILAR_SHOWN, COMPARE_SIMILAR)
    files: set[str] = set()
    for council_id in changed:
        before, after = old.council_by_id[council_id], new.council_by_id[council_id]
        shown_before = {c.id: (c.text, c.section) for c in before.clauses}
        shown_after = {c.id: (c.text, c.section) for c in after.clauses}
        renamed = before.short_name != after.short_name
        ids = {cid for cid in shown_before.keys() | shown_after.keys() if renamed or shown_before.get(cid) != shown_after.get(cid)}
        for hb in (old, new):
            sim = hb.similarity
            for clause_id in ids:
                if clause_id not in hb.clause_by_id:
                    continue
                for other, _ in sim.similar_to(clause_id):
                    if limit is not None and clause_id not in {c for c, _ in sim.similar_to(other, limit=limit)}:
                        continue
                    shown = hb.clause_by_id[other]
                    files |= {f"councils/{shown.council}.md", f"data/clauses/{shown.council}.js"}
                    files |= {f"topics/{t}.md" for t in shown.topics}
    return files


def _details(council: Council) -> Council:
    """A council without its clauses: the details shown wherever it is named."""
    return replace(council, clauses=())


def _templates_version(templates: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in templates.rglob("*") if p.is_file()):
        digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Rebuilder:
    """Keeps the last build in memory, so the next one redoes only what a change affects."""

    paths: Paths
    cache: Cache = field(default_factory=dict)
    handbook: Handbook | None = None
    files: dict[str, str | bytes] = field(default_factory=dict)
    templates: str = ""
    last_rendered: int = 0  # how many files the last build rendered (for the log and the tests)
    serving: bool = False  # in `mkdocs serve`: a build with problems keeps the last good pages
    problems: list[str] = field(default_factory=list)  # the problems of the last build, when it failed while serving

    def build(self) -> Handbook:
        """Check the sources and bring handbook/ up to date; raises SourceError as a full build does."""
        handbook = load(self.paths.sources, cache=self.cache)
        templates = _templates_version(self.paths.templates)
        only = None
        if self.handbook is not None and templates == self.templates and self.paths.handbook.is_dir():
            only = affected(self.handbook, handbook)
        rendered = render(handbook, self.paths.templates, self.paths.sources, only=only)
        if only is None:
            files = rendered
            write_tree(files, self.paths.handbook)
        else:
            assert set(rendered) <= set(self.files), "the same councils and topics give the same files"
            files = {path: rendered.get(path, content) for path, content in self.files.items()}
            changed = {path for path, content in rendered.items() if self.files.get(path) != content}
            write_tree(files, self.paths.handbook, changed=changed)
        self.handbook, self.files, self.templates, self.last_rendered = handbook, files, templates, len(rendered)
        return handbook


_rebuilders: dict[Path, Rebuilder] = {}


def rebuilder(paths: Paths) -> Rebuilder:
    """The rebuilder for a project, kept for the life of the process (MkDocs loads its hooks afresh on each rebuild)."""
    if paths.root not in _rebuilders:
        _rebuilders[paths.root] = Rebuilder(paths)
    return _rebuilders[paths.root]
