"""Render stage: a pure function from the model to ``{relative path: content}``.

Pages are Markdown with raw HTML blocks for the quoted clauses. Every value
from the sources is HTML-escaped (Jinja autoescape) and, where it lands in
Markdown, has Markdown's special characters escaped too, so policy text always
shows as literal text.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache, partial
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import __version__
from .config import site_url
from .data import clauses_csv, clauses_json, council_data, draft_data, matrix_csv, matrix_json, search_script, similar_json
from .dates import build_date, shown, stale
from .levels import LEVELS, MEANINGS, SHORT, TITLES, excerpt
from .limits import too_large
from .lock import die_with_parent
from .model import KEY_TOPICS, Clause, Council, Handbook, section_label
from .similar import how_much, passage_text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>&:])")


def md(value: object) -> Markup:
    """Text safe to place in Markdown: HTML-escaped, Markdown specials backslash-escaped."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(value)).replace("<", "&lt;").replace(">", "&gt;").replace("\\&", "&amp;"))


def clause_html(text: str) -> Markup:
    """A clause's plain text as HTML: one paragraph per line, runs of '- ' lines as a list."""
    out: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for line in text.split("\n"):
        if not line.strip():
            flush()
        elif line.startswith("- "):
            items.append(str(escape(line[2:].strip())))
        else:
            flush()
            out.append(f"<p>{escape(line.strip())}</p>")
    flush()
    return Markup("".join(out))


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "section"


def page_dir(page: str) -> str:
    """The directory a page is served from: 'topics/x.md' -> 'topics/x', 'index.md' -> ''."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")].rstrip("/")
    return stem


def relative_url(from_page: str, to: str, files: bool = False) -> str:
    """Relative link from a page to a page ('councils/x.md#a') or a file ('data/clauses.json').
    With ``files`` (the copy for reading from a folder, built with MkDocs' use_directory_urls off),
    a page is its .html file: 'councils/x.html', not the folder 'councils/x/'."""
    target, _, anchor = to.partition("#")
    if not target:
        return "#" + anchor if anchor else ""
    url = _relative_file(from_page.rpartition("/")[0], target) if files else _relative_target(page_dir(from_page), target)
    return url + ("#" + anchor if anchor else "")


@lru_cache(maxsize=65536)
def _relative_file(from_dir: str, target: str) -> str:
    if target.endswith(".md"):
        target = target[: -len(".md")] + ".html"
    to_parts = [part for part in target.split("/") if part]
    from_parts = from_dir.split("/") if from_dir else []
    common = 0
    while common < min(len(from_parts), len(to_parts) - 1) and from_parts[common] == to_parts[common]:
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."


@lru_cache(maxsize=65536)
def _relative_target(from_dir: str, target: str) -> str:
    is_page = target.endswith(".md")
    to_parts = (page_dir(target) if is_page else target).split("/")
    from_parts = from_dir.split("/") if from_dir else []
    to_parts = [part for part in to_parts if part]
    common = 0
    while common < min(len(from_parts), len(to_parts)) and from_parts[common] == to_parts[common]:
        common += 1
    path = "/".join([".."] * (len(from_parts) - common) + to_parts[common:])
    if is_page:
        return path + "/" if path else "./"
    return path or "."


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md
    env.filters["clause_html"] = clause_html
    env.filters["slug"] = slug
    env.filters["section_label"] = section_label
    env.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]
    env.filters["plural"] = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
    env.filters["day"] = shown
    env.tests["stale"] = stale  # {{ dates | select("stale", built) }}: those not checked for over a year
    env.globals.update(stale=stale, levels=LEVELS, level_title=TITLES, level_meaning=MEANINGS, level_short=SHORT, deciding_words=deciding_words)
    from . import pdf_specs  # the home page lists the PDFs (imported here: pdf_specs uses this module)

    env.globals.update(pdf_volumes=pdf_specs.whole_handbook, members_pack_path=pdf_specs.members_pack_path, pdf_peers=pdf_specs.PEERS)
    return env


# From this many councils, topic pages list each council's clauses compactly and compare only the
# councils a reader picks (loaded from data/topics/<id>.json), so pages stay small at 400 councils.
COMPACT_FROM = 13


def compact(handbook: Handbook) -> bool:
    """Whether the handbook is large enough for the compact pages (and navigation)."""
    return len(handbook.councils) >= COMPACT_FROM


def topic_data(handbook: Handbook, topic_id: str) -> str:
    """The clauses on one topic, per council, for the reader-picked comparison of a large handbook."""
    councils = []
    for council in handbook.addressing(topic_id):
        clauses = [
            {"id": c.id, "section": c.section, "label": section_label(c.section), "heading": c.heading, "text": c.text, "citation": council.citation(c)}
            for c in handbook.by_topic[topic_id][council.id]
        ]
        councils.append(
            {
                "id": council.id,
                "name": council.name,
                "short_name": council.short_name,
                "title": council.title,
                "date": council.date,
                "status": council.status,
                "clauses": clauses,
            }
        )
    return json.dumps({"topic": topic_id, "councils": councils}, ensure_ascii=False, separators=(",", ":")) + "\n"


PARALLEL_FROM = 40  # councils; below this, starting worker processes costs more than it saves
SIMILAR_SHOWN = 3  # clauses named under each clause as similar, in a large handbook
FAMILY_SHOWN = 12  # clauses listed per family on the Shared wording page of a large handbook
FAMILIES_SHOWN = 150  # passages on the Shared wording page of a large handbook (the most widely shared; all are in similar.json)


class Renderer:
    """Makes each file of handbook/ from the model, one path at a time."""

    def __init__(self, handbook: Handbook, templates: Path, originals: Path, files: bool = False) -> None:
        self.handbook = handbook
        self.files = files  # links to pages' .html files, for the copy read from a folder
        self.built = build_date(Path(templates).parent)
        self.templates = Path(templates)
        self.originals = Path(originals)
        self.env = environment(self.templates)
        self.compact = compact(handbook)
        self.pdf_left_out = frozenset(too_large(handbook))  # PDFs too large to make: the pages do not link them
        self._tags: dict[tuple[str, str, str], str] = {}
        self.makers = self._makers()

    def paths(self) -> list[str]:
        """Every file of handbook/, in a fixed order."""
        return list(self.makers)

    def make(self, path: str) -> str | bytes:
        return self.makers[path]()

    def _makers(self) -> dict[str, Callable[[], str | bytes]]:
        hb = self.handbook
        makers: dict[str, Callable[[], str | bytes]] = {
            "index.md": partial(self.page, "index.md", "home.md.j2"),
            "matrix.md": partial(self.page, "matrix.md", "matrix.md.j2"),
            "topics/index.md": partial(self.page, "topics/index.md", "topics-index.md.j2"),
            "councils/index.md": partial(self.page, "councils/index.md", "councils-index.md.j2"),
        }
        for topic in hb.topics:
            path = f"topics/{topic.id}.md"
            makers[path] = partial(self.page, path, "topic.md.j2", topic=topic)
        for council in hb.councils:
            path = f"councils/{council.id}.md"
            makers[path] = partial(self.council_page, path, council)
        makers["about.md"] = partial(self.page, "about.md", "about.md.j2")
        makers["accessibility.md"] = partial(self.page, "accessibility.md", "accessibility.md.j2")
        makers["data.md"] = partial(self.page, "data.md", "data.md.j2")
        makers["draft.md"] = partial(self.page, "draft.md", "draft.md.j2")
        makers["search.md"] = partial(self.page, "search.md", "search.md.j2")
        makers["similar.md"] = self.similar_page
        makers["compare.md"] = partial(self.page, "compare.md", "compare.md.j2")
        if self.compact:
            for topic in hb.topics:
                makers[f"data/topics/{topic.id}.json"] = partial(topic_data, hb, topic.id)
        makers["data/clauses.json"] = partial(clauses_json, hb)
        makers["data/clauses.csv"] = partial(clauses_csv, hb)
        makers["data/matrix.json"] = partial(matrix_json, hb)
        makers["data/matrix.csv"] = partial(matrix_csv, hb)
        makers["data/similar.json"] = partial(similar_json, hb)
        makers["data/search.js"] = partial(search_script, hb, self.files)
        makers["data/draft.js"] = partial(draft_data, hb, site_url(self.templates.parent))
        for council in hb.councils:
            makers[f"data/clauses/{council.id}.js"] = partial(council_data, hb, council)
        for council in hb.councils:
            makers[f"originals/{council.id}.txt"] = (self.originals / council.original).read_bytes
        assets = self.templates / "assets"
        for asset in sorted(assets.rglob("*")):
            if asset.is_file():
                makers["assets/" + asset.relative_to(assets).as_posix()] = asset.read_bytes
        return makers

    def column_layout(self, topic_id: str) -> dict:
        """Column widths that follow the content (the square root of each council's text on the topic,
        so one long column does not starve the others), and whether one council so dominates the topic
        (over 60% of its text, with two or more others) that the councils read better one after another."""
        lengths = {c.id: sum(len(clause.text) for clause in self.handbook.by_topic[topic_id][c.id]) for c in self.handbook.councils}
        total = sum(lengths.values()) or 1
        weights = {cid: max(1, round((n**0.5) / 6)) for cid, n in lengths.items()}
        stacked = max(lengths.values()) > 0.6 * total and sum(1 for n in lengths.values() if n) >= 3
        return {"weights": weights, "stacked": stacked}

    def similar_page(self) -> str:
        total = len(self.handbook.similarity.families)
        return self.page("similar.md", "similar.md.j2", families=self.families(FAMILIES_SHOWN if self.compact else total), total=total)

    def families(self, most: int) -> list[dict]:
        """The Shared wording page's families (the ``most`` most widely shared): each passage once, where it appears."""
        hb = self.handbook
        out = []
        for family in hb.similarity.families[:most]:
            clause = hb.clause_by_id[family.passage_clause]
            shown = family.clauses if not self.compact else family.clauses[:FAMILY_SHOWN]
            out.append(
                {
                    "passage": passage_text(clause.text, family.passage),
                    "source": (clause, hb.council_by_id[clause.council]),
                    "councils": family.councils,
                    "clauses": [(hb.clause_by_id[c], hb.council_by_id[hb.clause_by_id[c].council]) for c in shown],
                    "more": len(family.clauses) - len(shown),
                }
            )
        return out

    def council_page(self, path: str, council: Council) -> str:
        return self.page(path, "council.md.j2", council=council, sections=sections(council))

    def page(self, path: str, template: str, **context: object) -> str:
        here = page_dir(path)
        tags = self._tags
        hb = self.handbook

        def url(to: str) -> str:
            return relative_url(path, to, self.files)

        def similar_block(clause: Clause) -> Markup:
            """'Similar wording in': the clauses of other councils sharing wording with a clause (a few, in
            a large handbook), each with its citation, how much is shared and a Compare link."""
            found = hb.similarity.similar_to(clause.id, limit=SIMILAR_SHOWN if self.compact else None)
            if not found:
                return Markup("")
            me = hb.council_by_id[clause.council]
            mine = escape(f"{me.short_name}, {section_label(clause.section)}")
            compare = escape(url("compare.md"))
            items = []
            for other_id, score in found:
                other = hb.clause_by_id[other_id]
                name = escape(f"{hb.council_by_id[other.council].short_name}, {section_label(other.section)}")
                href = escape(url(f"councils/{other.council}.md#{other_id}"))
                items.append(
                    f'<li><a href="{href}">{name}</a> ({escape(how_much(score))}) · <a href="{compare}?a={clause.id}&amp;b={other_id}">'
                    f'Compare wording<span class="visually-hidden"> of {mine} with {name}</span></a></li>'
                )
            if self.compact and len(found) >= SIMILAR_SHOWN:
                items.append(f'<li>and perhaps more: see <a href="{escape(url("similar.md"))}">Shared wording</a></li>')
            label = f"{clause.id}-similar"
            return Markup(
                f'<div class="similar"><p class="similar-label" id="{label}">Similar wording in:</p>\n<ul aria-labelledby="{label}">\n'
                + "\n".join(items)
                + "\n</ul></div>\n"
            )

        def topic_links(clause: Clause) -> Markup:
            """Links to a clause's topic pages, each with the clause's level on it (the same few links
            recur on every clause, so they are made once per folder)."""
            for tid in clause.topics:
                level = clause.level_on(tid)
                if (here, tid, level) not in tags:
                    title = escape(self.handbook.topic_by_id[tid].title)
                    tags[here, tid, level] = (
                        f'<a class="topic-tag" href="{escape(url("topics/" + tid + ".md"))}">{title}'
                        f' <span class="tag-level level-{level}">({TITLES[level].lower()})</span></a>'
                    )
            return Markup(" ".join(tags[here, tid, clause.level_on(tid)] for tid in clause.topics))

        text = self.env.get_template(template).render(
            hb=self.handbook,
            page=path,
            url=url,
            topic_links=topic_links,
            similar_block=similar_block,
            column_layout=self.column_layout,
            compact=self.compact,
            pdf_left_out=self.pdf_left_out,
            key_topics=KEY_TOPICS,
            built=self.built,
            tool_version=__version__,
            **context,
        )
        while "\n\n\n" in text:  # at most one blank line between blocks (str.replace is much faster than a regex on large pages)
            text = text.replace("\n\n\n", "\n\n")
        return text.strip("\n") + "\n"


def render(handbook: Handbook, templates: Path, originals: Path, only: Collection[str] | None = None, files: bool = False) -> dict[str, str | bytes]:
    """Every file of handbook/ (pages, open data, originals and assets), or only the paths in ``only``.

    Large handbooks are rendered on every core: the renderer is forked, so workers share the model.
    """
    renderer = Renderer(handbook, templates, originals, files)
    paths = renderer.paths() if only is None else [p for p in renderer.paths() if p in only]
    workers = min(os.cpu_count() or 1, 4)
    # Forking is safe only with no other thread running (a thread may hold a lock the child would inherit):
    # `mkdocs serve` rebuilds from its server's thread, so it renders in one process.
    if workers < 2 or len(handbook.councils) < PARALLEL_FROM or len(paths) < 2 * workers or threading.active_count() > 1:
        return {path: renderer.make(path) for path in paths}
    for name in renderer.env.list_templates(filter_func=lambda name: name.endswith(".md.j2")):
        renderer.env.get_template(name)  # compiled once, before the fork, not once per worker
    global _forked
    _forked = renderer
    gc.freeze()  # the workers' garbage collector then leaves the shared model's pages uncopied
    try:
        batches = [paths[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent) as pool:
            made = dict(item for batch in pool.map(_make_batch, batches) for item in batch)
    finally:
        gc.unfreeze()
        _forked = None
    return {path: made[path] for path in paths}


_forked: Renderer | None = None  # the renderer a forked worker inherits


def _make_batch(paths: list[str]) -> list[tuple[str, str | bytes]]:
    assert _forked is not None
    return [(path, _forked.make(path)) for path in paths]


def deciding_words(clause: Clause, topic_id: str) -> str:
    """The words of a clause that decide its level on a topic (a verbatim excerpt)."""
    return excerpt(clause.text, clause.level_on(topic_id), clause.heading)


def sections(council: Council) -> list[dict]:
    """The council's clauses in order, with the headings to print before each one."""
    result = []
    previous: tuple[str, ...] = ()
    used: set[str] = set()
    for clause in council.clauses:
        path = clause.heading_path
        new = []
        for depth, part in enumerate(path):
            if depth >= len(previous) or previous[depth] != part or new:
                anchor = "h-" + slug(" ".join(path[: depth + 1]))
                base, n = anchor, 2
                while anchor in used:
                    anchor, n = f"{base}-{n}", n + 1
                used.add(anchor)
                new.append({"level": min(depth + 2, 4), "title": part, "anchor": anchor})
        previous = path
        result.append({"headings": new, "clause": clause})
    return result
