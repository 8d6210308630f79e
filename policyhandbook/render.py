"""Render stage: a pure function from the model to ``{relative path: content}``.

Pages are Markdown with raw HTML blocks for the quoted clauses. Every value
from the sources is HTML-escaped (Jinja autoescape) and, where it lands in
Markdown, has Markdown's special characters escaped too, so policy text always
shows as literal text.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import __version__
from . import draft as drafting
from .data import clauses_csv, clauses_json
from .model import KEY_TOPICS, Council, Handbook, section_label

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


def relative_url(from_page: str, to: str) -> str:
    """Relative link from a page to a page ('councils/x.md#a') or a file ('data/clauses.json')."""
    target, _, anchor = to.partition("#")
    if target.endswith(".md"):
        target_dir = page_dir(target)
        path = posixpath.relpath(target_dir or ".", page_dir(from_page) or ".")
        url = "./" if path == "." else path + "/"
    elif target:
        url = posixpath.relpath(target, page_dir(from_page) or ".")
    else:
        url = ""
    return url + ("#" + anchor if anchor else "")


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
    return env


# From this many councils, topic pages list each council's clauses compactly and compare only the
# councils a reader picks (loaded from data/topics/<id>.json), so pages stay small at 400 councils.
COMPACT_FROM = 13


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


def render(handbook: Handbook, templates: Path, originals: Path) -> dict[str, str | bytes]:
    """Every file of handbook/: pages, open data, originals and assets."""
    env = environment(Path(templates))
    files: dict[str, str | bytes] = {}
    compact = len(handbook.councils) >= COMPACT_FROM

    def page(path: str, template: str, **context: object) -> None:
        def url(to: str) -> str:
            return relative_url(path, to)

        text = env.get_template(template).render(hb=handbook, page=path, url=url, compact=compact, key_topics=KEY_TOPICS, tool_version=__version__, **context)
        files[path] = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"

    page("index.md", "home.md.j2")
    page("matrix.md", "matrix.md.j2")
    page("topics/index.md", "topics-index.md.j2")
    page("councils/index.md", "councils-index.md.j2")
    for topic in handbook.topics:
        page(f"topics/{topic.id}.md", "topic.md.j2", topic=topic)
    for council in handbook.councils:
        page(f"councils/{council.id}.md", "council.md.j2", council=council, sections=sections(council))
    page("about.md", "about.md.j2")
    page("accessibility.md", "accessibility.md.j2")
    page("data.md", "data.md.j2")
    page("draft.md", "draft.md.j2", doc=drafting.DOCUMENT_TEXT)

    if compact:
        for topic in handbook.topics:
            files[f"data/topics/{topic.id}.json"] = topic_data(handbook, topic.id)
    files["data/clauses.json"] = clauses_json(handbook)
    files["data/clauses.csv"] = clauses_csv(handbook)
    for council in handbook.councils:
        files[f"originals/{council.id}.txt"] = (Path(originals) / council.original).read_bytes()
    assets = Path(templates) / "assets"
    for asset in sorted(assets.rglob("*")):
        if asset.is_file():
            files["assets/" + asset.relative_to(assets).as_posix()] = asset.read_bytes()
    return files


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
