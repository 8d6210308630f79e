"""PDF packs: the model -> print HTML (templates/pdf/) -> tagged A4 PDF (WeasyPrint).

One PDF is described by a ``Spec`` (what it holds); ``outline`` turns a spec
into the document's sections (the same list drives the contents page and the
PDF bookmarks, so they always agree); Jinja renders the sections to HTML with
the print CSS inlined; WeasyPrint renders that HTML to a PDF/UA-1 file.

Every PDF's HTML is a pure function of the sources, the templates and the
build date, so a PDF is only rendered again when its HTML (or WeasyPrint)
changes: finished PDFs are cached under ``.cache/pdf/`` by a hash of their
inputs. The PDFs that need rendering are rendered in parallel, one process
per core.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from . import __version__
from .limits import CLAUSE_UNITS, MAX_PDF_UNITS, members_pack_path, too_large
from .lock import die_with_parent
from .model import KEY_TOPICS, Council, Handbook, Topic
from .render import environment, sections

PDF_DIR = "pdf"
CACHE_DIR = Path(".cache") / "pdf"
# Bump when the rendering code changes in a way the HTML does not show.
FORMAT = "1"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_identifier": False}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
# Side by side on paper: at most this many councils' columns on one (landscape) page.
MAX_COLUMNS = 5


class PackError(Exception):
    """A pack was asked for with ids that do not exist; the message lists the valid ones."""


# What one PDF holds -----------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    path: str  # under pdf/: "handbook.pdf", "councils/<id>.pdf", "topics/<id>.pdf", "packs/<id>-members-pack.pdf"
    kind: str  # "handbook" | "council" | "topic" | "pack"
    council: str | None = None
    topics: tuple[str, ...] = ()


def specs(handbook: Handbook) -> list[Spec]:
    """Every PDF the site offers, in the order the home page lists them."""
    result = [Spec("handbook.pdf", "handbook")]
    result += [Spec(members_pack_path(c.id), "pack", c.id, KEY_TOPICS) for c in handbook.councils]
    result += [Spec(f"councils/{c.id}.pdf", "council", c.id) for c in handbook.councils]
    result += [Spec(f"topics/{t.id}.pdf", "topic", None, (t.id,)) for t in handbook.topics]
    return result


def pack_spec(handbook: Handbook, council: str | None, topics: str | None) -> Spec:
    """The spec of a custom pack (``build.py pack``); raises PackError naming every unknown id."""
    problems = []
    if council is not None and council not in handbook.council_by_id:
        problems.append(_unknown("council", council, [c.id for c in handbook.councils]))
    if topics is None:
        chosen = list(KEY_TOPICS)
    else:
        chosen = []
        for tid in (part.strip() for part in topics.split(",")):
            if not tid:
                continue
            if tid not in handbook.topic_by_id:
                problems.append(_unknown("topic", tid, [t.id for t in handbook.topics]))
            elif tid not in chosen:
                chosen.append(tid)
        if not chosen and not problems:
            problems.append("no topics given; list topic ids separated by commas, e.g. --topics disclaimer,meetings")
    if problems:
        raise PackError("\n".join(problems))
    units = sum((len(cl.text) + CLAUSE_UNITS) * ((cl.council == council) + len(set(cl.topics) & set(chosen))) for cl in handbook.clauses)
    if units > MAX_PDF_UNITS:
        raise PackError(
            f"this pack would be too large to print ({units:,} units of text, the limit is {MAX_PDF_UNITS:,}); choose fewer topics, or leave out --council"
        )
    return Spec("pack.pdf", "pack", council, tuple(chosen))


def _unknown(kind: str, value: str, valid: list[str]) -> str:
    near = difflib.get_close_matches(value, valid, n=1, cutoff=0.6)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    return f"unknown {kind} '{value}'.{hint} Valid {kind}s: {', '.join(valid)}"


# The build date ---------------------------------------------------------------------------


def build_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the project's last commit, else 0."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=10)
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return int(result.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return 0


def long_date(moment: datetime) -> str:
    """22 November 2026 (no locale involved)."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


# Sections: one list drives the body, the contents page and the bookmarks -------------------


@dataclass
class Section:
    kind: str  # "intro" | "matrix" | "part" | "comparison" | "policy" | "about-council" | "pack-intro" | "gaps" | "sources"
    anchor: str
    title: str
    level: int  # 1 or 2: listed in the contents and bookmarks; 0: no heading of its own (its children are listed)
    running: str  # the running header for its pages
    data: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # (level 2 entries inside a section: policy headings)

    @property
    def tag(self) -> str:
        return f"h{min(self.level, 6)}"


@dataclass
class Document:
    spec: Spec
    title: str  # the document title (PDF metadata and cover)
    running: str  # short title for the running header
    subtitle: str
    councils: list[Council]
    topics: list[Topic]
    topics_note: str
    sections: list[Section]

    @property
    def contents(self) -> list[tuple[int, str, str]]:
        """(level, title, anchor) of every contents entry, in order: also the bookmarks."""
        entries = []
        for section in self.sections:
            if 1 <= section.level <= 2:
                entries.append((section.level, section.title, section.anchor))
            entries += [(level, title, anchor) for level, title, anchor in section.children]
        return entries


def _policy_section(council: Council, level: int, title: str, anchor: str, toc_headings: bool) -> Section:
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
    return Section("policy", anchor, title, level, running, {"council": council, "entries": items}, children)


def _comparison(handbook: Handbook, topic: Topic, level: int, focus: str | None, anchor: str) -> Section:
    """One topic, every council side by side (the focus council first)."""
    row = handbook.by_topic[topic.id]
    councils = list(handbook.councils)
    if focus:
        councils.sort(key=lambda c: c.id != focus)
    addressing = [c for c in councils if row[c.id]]
    silent = [c for c in councils if not row[c.id]]
    chunks = [addressing[i : i + MAX_COLUMNS] for i in range(0, len(addressing), MAX_COLUMNS)]
    chunks = [list(zip(chunk, column_widths([row[c.id] for c in chunk]), strict=True)) for chunk in chunks]
    wide = len(addressing) > 2
    data = {
        "topic": topic,
        "row": row,
        "councils": councils,
        "addressing": addressing,
        "silent": silent,
        "chunks": chunks,
        "wide": wide,
        "focus": handbook.council_by_id[focus] if focus else None,
    }
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


def outline(handbook: Handbook, spec: Spec) -> Document:
    hb = handbook
    topics = [hb.topic_by_id[t] for t in spec.topics]
    if spec.kind == "handbook":
        secs = [
            Section("intro", "about", "About this handbook", 1, "About this handbook"),
            Section("matrix", "matrix", "Coverage matrix", 1, "Coverage matrix"),
            Section("part", "topics", "Topics compared", 1, "Topics compared", {"intro": "topics"}),
        ]
        for group in hb.groups:
            for topic in group.topics:
                secs.append(_comparison(hb, topic, 2, None, f"topic-{topic.id}"))
        secs.append(Section("part", "councils", "The councils’ policies", 1, "The councils’ policies", {"intro": "councils"}))
        for council in hb.councils:
            secs.append(_policy_section(council, 2, council.name, f"council-{council.id}", False))
        secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "full"}))
        return Document(
            spec,
            "Council Social Media Policy Handbook",
            "Council Social Media Policy Handbook",
            f"The social media policies of {len(hb.councils)} UK councils, quoted clause by clause and compared topic by topic",
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
            f"{council.name}: {council.title}",
            council.name,
            f"{council.title}, quoted in full, clause by clause, with each clause’s topics",
            [council],
            own,
            f"The {len(own)} topics its clauses address",
            secs,
        )
    if spec.kind == "topic":
        topic = topics[0]
        # The topic's title is on the cover: its two parts are the contents' entries.
        secs = [_comparison(hb, topic, 0, None, f"topic-{topic.id}")]
        secs[0].children = [(1, "At a glance", "glance"), (1, "Side by side", "side")]
        secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "compact"}))
        return Document(
            spec,
            f"{topic.title}: what the councils say",
            f"Topic: {topic.title}",
            f"What {len(hb.councils)} UK councils’ social media policies say about {topic.title[:1].lower() + topic.title[1:]}, every clause quoted side by side",
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
        secs.append(_comparison(hb, topic, 2, council.id if council else None, f"topic-{topic.id}"))
    if council:
        gaps = hb.gaps(council.id)
        title = f"Where {council.short_name} is silent"
        secs.append(Section("gaps", "gaps", title, 1, title, {"council": council, "gaps": gaps, "in_pack": set(spec.topics)}))
    secs.append(Section("sources", "sources", "Sources and method", 1, "Sources and method", {"style": "compact"}))
    councils = [council] + [c for c in hb.councils if c is not council] if council else list(hb.councils)
    names = ", ".join(t.title for t in topics)
    if council and key:
        title, running = f"Members’ pack: {council.name}", f"Members’ pack: {council.short_name}"
        subtitle = f"{council.name}’s social media policy, the five key topics compared across {len(hb.councils)} councils, and where its policy is silent"
    elif council:
        title, running = f"Policy pack: {council.name}", f"Policy pack: {council.short_name}"
        subtitle = f"{council.name}’s social media policy, {names} compared across {len(hb.councils)} councils, and where its policy is silent"
    else:
        title, running = f"Topic pack: {names}", "Topic pack"
        subtitle = f"{names}: what {len(hb.councils)} UK councils’ social media policies say, every clause quoted side by side"
    return Document(
        spec,
        title,
        running,
        subtitle,
        councils,
        topics,
        "The five key topics" if key else f"{len(topics)} topic{'s' if len(topics) != 1 else ''}",
        secs,
    )


# HTML ---------------------------------------------------------------------------------------


def print_environment(templates: Path) -> jinja2.Environment:
    """The pages' Jinja environment (autoescape, the same filters, so clause text renders identically)."""
    return environment(Path(templates))


def document_html(handbook: Handbook, spec: Spec, templates: Path, epoch: int, env: jinja2.Environment | None = None) -> str:
    env = env or print_environment(templates)
    moment = datetime.fromtimestamp(epoch, UTC)
    css = (Path(templates) / "pdf" / "print.css").read_text(encoding="utf-8")
    doc = outline(handbook, spec)
    return env.get_template("pdf/document.html.j2").render(
        hb=handbook,
        doc=doc,
        css=css,
        built=long_date(moment),
        built_iso=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        key_topics=KEY_TOPICS,
        tool_version=__version__,
    )


# PDF ----------------------------------------------------------------------------------------


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"the PDFs load nothing from outside the document (asked for {url})")


def html_to_pdf(html: str) -> bytes:
    """Render one document. Runs in a worker process."""
    from weasyprint import HTML

    return HTML(string=html, base_url="about:blank", url_fetcher=_no_fetch).write_pdf(**PDF_OPTIONS)


def _engine() -> str:
    """What else, besides the HTML, decides the bytes of a PDF (without importing WeasyPrint)."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}; pydyf {version('pydyf')}; format {FORMAT}; {sorted(PDF_OPTIONS.items())}"


def cache_key(html: str, engine: str) -> str:
    return hashlib.sha256(engine.encode() + b"\0" + html.encode("utf-8")).hexdigest()


@dataclass
class Report:
    built: int = 0
    cached: int = 0
    seconds: float = 0.0
    rendered: list[str] = field(default_factory=list)  # the PDFs rendered (not taken from the cache)
    left_out: list[str] = field(default_factory=list)  # the PDFs too large to make (see MAX_PDF_UNITS)

    def __str__(self) -> str:
        made = f"{self.built + self.cached} PDFs ({self.built} rendered, {self.cached} unchanged), {self.seconds:.1f} s"
        if not self.left_out:
            return made
        return f"{made}; {len(self.left_out)} left out as too large to print: {', '.join(self.left_out)}"


def render_many(jobs: dict[str, str], target: Path, cache: Path | None, workers: int | None = None) -> Report:
    """Write each ``{relative path: html}`` job as a PDF under ``target``, reusing cached PDFs."""
    started = time.perf_counter()
    report = Report()
    engine = _engine()
    keys = {name: cache_key(html, engine) for name, html in jobs.items()}
    todo = []
    for name in sorted(jobs):
        out = target / name
        out.parent.mkdir(parents=True, exist_ok=True)
        hit = cache / f"{keys[name]}.pdf" if cache else None
        if hit is not None and hit.is_file():
            shutil.copyfile(hit, out)
            os.utime(hit)  # recently used: kept by prune_cache
            report.cached += 1
        else:
            todo.append(name)
    todo.sort(key=lambda name: -len(jobs[name]))  # biggest first: it bounds the total time
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo)))

    def done(name: str, data: bytes) -> None:
        (target / name).write_bytes(data)
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, cache / f"{keys[name]}.pdf")
        report.built += 1
        report.rendered.append(name)

    if todo:
        import weasyprint  # noqa: F401  (once, here: the worker processes forked from this one share it)

    if workers == 1:
        for name in todo:
            done(name, html_to_pdf(jobs[name]))
    elif todo:
        with ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent) as pool:
            futures = {name: pool.submit(html_to_pdf, jobs[name]) for name in todo}
            try:
                for name in todo:
                    done(name, futures[name].result())
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    report.seconds = time.perf_counter() - started
    return report


def prune_cache(cache: Path, keep_days: float = 30) -> None:
    """Forget cached PDFs not used for ``keep_days`` days."""
    if not cache.is_dir():
        return
    limit = time.time() - keep_days * 86400
    for path in cache.glob("*"):
        if path.suffix == ".part" or path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def build_pdfs(handbook: Handbook, root: Path, templates: Path, target: Path, workers: int | None = None, use_cache: bool = True) -> Report:
    """Every PDF of the site into ``target`` (site/pdf/ inside the staging folder)."""
    epoch = build_epoch(root)
    env = print_environment(templates)
    left_out = too_large(handbook)
    jobs = {spec.path: document_html(handbook, spec, templates, epoch, env) for spec in specs(handbook) if spec.path not in left_out}
    cache = Path(root) / CACHE_DIR if use_cache else None
    report = render_many(jobs, Path(target), cache, workers)
    report.left_out = sorted(left_out)
    if cache is not None:
        prune_cache(cache)
    return report


def build_pack(handbook: Handbook, root: Path, templates: Path, spec: Spec, output: Path, use_cache: bool = True) -> Report:
    """One custom pack, written to ``output`` only once it is complete."""
    html = document_html(handbook, spec, templates, build_epoch(root))
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=output.parent if output.parent.is_dir() else None) as tmp:
        report = render_many({"pack.pdf": html}, Path(tmp), Path(root) / CACHE_DIR if use_cache else None, workers=1)
        os.replace(Path(tmp) / "pack.pdf", output)
    return report
