"""The PDF packs: real WeasyPrint output checked with poppler's own tools (pdfinfo, pdftotext,
pdffonts, pdftohtml). Mostly on the fixture corpus (fast), plus one real members' pack."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

from policyhandbook import pdf
from policyhandbook.load import load
from policyhandbook.model import KEY_TOPICS
from policyhandbook.text import normalise

from .conftest import MINI, ROOT, make_project

MINI_SOURCES = MINI / "source_policies"

EPOCH = "1795000000"  # 18 November 2026, 11:06:40 UTC
A4 = {(595.276, 841.89), (841.89, 595.276)}


@pytest.fixture(autouse=True)
def _poppler():
    for tool in ("pdfinfo", "pdftotext", "pdffonts", "pdftohtml"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed; run .ci/run or `apt-get install -y poppler-utils`")


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """The fixture corpus's project with every site PDF built into out/ (SOURCE_DATE_EPOCH fixed)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        root = make_project(tmp_path_factory.mktemp("pdf") / "project")
        handbook = load(root / "source_policies")
        report = pdf.build_pdfs(handbook, root, root / "templates", root / "out")
    return root, handbook, report


@pytest.fixture(scope="module")
def oxford_pack(tmp_path_factory):
    """The real Oxford members' pack, as the site builds it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        handbook = load(ROOT / "source_policies")
        spec = next(s for s in pdf.specs(handbook) if s.path == pdf.members_pack_path("oxford"))
        out = tmp_path_factory.mktemp("oxford") / "pack.pdf"
        pdf.build_pack(handbook, ROOT, ROOT / "templates", spec, out, use_cache=False)
    return handbook, spec, out


# --- reading PDFs with poppler ---------------------------------------------------------------


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    fields = info(path)
    sizes = []
    for key, value in fields.items():
        if re.fullmatch(r"Page +\d+ size", key):
            w, h = re.match(r"\s*([\d.]+) x ([\d.]+)", value).groups()
            sizes.append((float(w), float(h)))
    return sizes


def pages_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def squash(text: str) -> str:
    """White space collapsed; no space beside hyphens and after slashes (a line may break there); no bullets."""
    text = text.replace("\u2022", " ")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r" ?- ?", "-", text)
    return text.replace("/ ", "/").strip()


def body_text(path: Path, running: list[str]) -> str:
    """The text in drawing order (pdftotext -raw), without the running headers and footers
    (which fall inside a clause that continues on the next page), squashed."""
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for line in out.splitlines():
        line = re.sub(r"Page \d+ of \d+", "", line)
        line = re.sub(r"Built \d+ \w+ \d{4} · sources version \w+", "", line)
        if line.strip() in running:
            continue
        lines.append(line)
    return squash("\n".join(lines))


def quoted(needle: str, text: str, most: int = 4) -> bool:
    """Is ``needle`` in ``text``, whole or in up to ``most`` pieces of whole words, in order?

    A long clause may continue on the next page, where the running header and the repeated
    column headings come first; each piece must still be word for word the clause's text."""
    pos, pieces = 0, 0
    while needle:
        low, high = 0, len(needle)
        while low < high:  # the longest start of the rest found from pos on
            mid = (low + high + 1) // 2
            if text.find(needle[:mid], pos) >= 0:
                low = mid
            else:
                high = mid - 1
        cut = low if low == len(needle) else needle.rfind(" ", 0, low)
        if cut <= 0:
            return False
        pos = text.find(needle[:cut], pos) + cut
        needle = needle[cut:].lstrip(" ")
        pieces += 1
    return pieces <= most


def xml(path: Path) -> ET.Element:
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(path)], capture_output=True, text=True, check=True).stdout
    return ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))


def bookmarks(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, page) of every PDF bookmark, in order."""

    def walk(node: ET.Element, level: int) -> list:
        result = []
        for child in node:
            if child.tag == "item":
                result.append((level, "".join(child.itertext()).strip(), int(child.get("page"))))
            elif child.tag == "outline":
                result += walk(child, level + 1)
        return result

    root = xml(path)
    outline = root.find("outline")
    return walk(outline, 1) if outline is not None else []


def contents_links(path: Path) -> dict[str, int]:
    """On the contents page(s): each link's text -> the page it leads to."""
    links: dict[str, int] = {}
    for page in xml(path).findall("page"):
        if int(page.get("number")) == 1:
            continue
        found = False
        for text in page.findall("text"):
            a = text.find(".//a")
            if a is not None and re.search(r"#\d+$", a.get("href", "")):
                label = "".join(text.itertext()).strip()
                if not label.isdigit():
                    links[label] = int(a.get("href").rsplit("#", 1)[1])
                found = True
        if not found and links:
            break
    return links


def pdf_objects(path: Path) -> bytes:
    """The file with every compressed stream inflated, to find catalog entries."""
    data = path.read_bytes()
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        with contextlib.suppress(zlib.error):  # not every stream is compressed
            chunks.append(zlib.decompressobj().decompress(data[match.end() : data.find(b"endstream", match.end())]))
    return b"\n".join(chunks)


def running_strings(handbook, spec) -> list[str]:
    doc = pdf.outline(handbook, spec)
    return [
        doc.running,
        "Contents",
        *(s.running for s in doc.sections),
        *(f"{s.data['topic'].title}: at a glance" for s in doc.sections if s.kind == "comparison"),
        *(f"{s.data['topic'].title}: side by side" for s in doc.sections if s.kind == "comparison"),
    ]


def clauses_of(handbook, spec):
    doc = pdf.outline(handbook, spec)
    wanted = []
    for section in doc.sections:
        if section.kind == "policy":
            wanted += [item["clause"] for item in section.data["entries"]]
        elif section.kind == "comparison":
            wanted += [clause for clauses in section.data["row"].values() for clause in clauses]
    return wanted


# --- the site's PDFs --------------------------------------------------------------------------


def test_site_builds_every_pdf(mini):
    root, handbook, report = mini
    built = sorted(p.relative_to(root / "out").as_posix() for p in (root / "out").rglob("*.pdf"))
    assert built == sorted(
        ["handbook.pdf"]
        + [f"councils/{c.id}.pdf" for c in handbook.councils]
        + [f"topics/{t.id}.pdf" for t in handbook.topics]
        + [f"packs/{c.id}-members-pack.pdf" for c in handbook.councils]
    )
    assert report.built == len(built) and report.cached == 0


def test_every_pdf_is_a4_tagged_titled_english_with_fonts_embedded(mini):
    root, handbook, _ = mini
    for spec in pdf.specs(handbook):
        path = root / "out" / spec.path
        fields = info(path)
        assert fields["Tagged"].strip() == "yes", spec.path
        assert fields["Title"].strip() == pdf.outline(handbook, spec).title, spec.path
        assert set(page_sizes(path)) <= A4, spec.path
        assert len(page_sizes(path)) == int(fields["Pages"])
        objects = pdf_objects(path)
        assert b"/Lang (en-GB)" in objects, spec.path
        assert b"/Marked true" in objects and b"/StructTreeRoot" in objects, spec.path
        meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
        assert 'pdfuaid:part="1"' in meta, spec.path
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert fonts, spec.path
        for row in fonts:
            assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row), row
            emb = row.split()[-5]
            assert emb == "yes", f"{spec.path}: font not embedded: {row}"
            assert row.split("+", 1)[1].startswith(("Liberation", "DejaVu")), row


def test_cover_says_what_which_when_and_which_sources(mini):
    root, handbook, _ = mini
    cover = pages_text(root / "out" / "packs" / "alpha-members-pack.pdf")[0]
    flat = " ".join(cover.split())
    assert "Members’ pack: Alpha Town Council" in flat
    assert "Alpha Town Council; Beta Borough Council" in flat
    for tid in KEY_TOPICS:
        assert handbook.topic_by_id[tid].title in flat
    assert "Built 18 November 2026" in flat
    assert f"Sources version {handbook.version}" in flat
    assert "Page " not in cover  # no running header or footer on the cover


def test_page_x_of_y_footers_and_running_headers(mini):
    root, handbook, _ = mini
    for spec in pdf.specs(handbook):
        pages = pages_text(root / "out" / spec.path)
        n = len(pages)
        running = pdf.outline(handbook, spec).running
        for number, text in enumerate(pages[1:], start=2):
            assert f"Page {number} of {n}" in text, f"{spec.path} page {number}"
            assert running in text, f"{spec.path} page {number}: no running header '{running}'"
            assert f"sources version {handbook.version}" in text


def check_contents(path: Path, doc: pdf.Document) -> None:
    """The contents page lists every entry with its page number, each entry links to that page,
    the heading is on it, and the PDF's bookmarks are the same entries, nested the same way."""
    marks = bookmarks(path)
    links = contents_links(path)
    pages = pages_text(path)
    assert [(level, title) for level, title, _ in marks] == [(level, title) for level, title, _ in doc.contents], path
    contents = "\n".join(pages[1 : marks[0][2] - 1])  # from page 2 to the page before the first section
    for _level, title, page in marks:
        assert links.get(title) == page, f"{path}: contents entry '{title}' should link to page {page}"
        assert re.search(re.escape(title) + r"\s+" + str(page) + r"\b", contents), f"{path}: '{title} {page}' not on the contents page"
        assert title in " ".join(pages[page - 1].split()), f"{path}: '{title}' is not on page {page}"


def test_contents_page_numbers_link_to_their_pages_and_bookmarks_mirror_them(mini):
    root, handbook, _ = mini
    for spec in pdf.specs(handbook):
        check_contents(root / "out" / spec.path, pdf.outline(handbook, spec))


def test_every_clause_of_every_pdf_is_quoted_exactly_with_its_citation(mini):
    root, handbook, _ = mini
    for spec in pdf.specs(handbook):
        text = body_text(root / "out" / spec.path, running_strings(handbook, spec))
        wanted = clauses_of(handbook, spec)
        assert wanted, spec.path
        for clause in wanted:
            council = handbook.council_by_id[clause.council]
            assert quoted(squash(normalise(clause.text)), text), f"{spec.path}: clause {clause.id} not found verbatim"
            assert squash(council.citation(clause)) in text, f"{spec.path}: citation of {clause.id} missing"


def off_the_page(path: Path) -> list[str]:
    """Every run of text that is not at least 5 mm inside its page's edges."""
    found = []
    for page in xml(path).findall("page"):
        width, height = int(page.get("width")), int(page.get("height"))
        edge = 5 / 25.4 * 72 * width / (842 if width > height else 595)  # 5 mm in pdftohtml's units
        for text in page.findall("text"):
            left, top, w, h = (int(text.get(k)) for k in ("left", "top", "width", "height"))
            if left < edge or top < edge or left + w > width - edge or top + h > height - edge:
                found.append(f"page {page.get('number')}: {''.join(text.itertext())[:60]!r}")
    return found


def test_no_text_runs_off_the_page(mini, oxford_pack):
    root, handbook, _ = mini
    for spec in pdf.specs(handbook):
        assert not off_the_page(root / "out" / spec.path), spec.path
    assert not off_the_page(oxford_pack[2])


def test_policy_text_is_printed_literally_not_as_markup(mini):
    root, _, _ = mini
    text = " ".join(pages_text(root / "out" / "topics" / "pre-election.pdf"))
    assert "<b>or</b>" in text
    assert "{{ templates }}" in text


def test_comparisons_of_three_or_more_councils_are_landscape(oxford_pack):
    _, _, path = oxford_pack
    sizes = page_sizes(path)
    assert sizes[0] == (595.276, 841.89)  # the cover is portrait
    assert (841.89, 595.276) in sizes  # the comparisons are landscape


def test_real_members_pack_quotes_every_clause_and_lists_the_gaps(oxford_pack):
    handbook, spec, path = oxford_pack
    text = body_text(path, running_strings(handbook, spec))
    oxford = handbook.council_by_id["oxford"]
    wanted = clauses_of(handbook, spec)
    assert set(oxford.clauses) <= set(wanted)
    for tid in KEY_TOPICS:
        assert set(c for row in handbook.by_topic[tid].values() for c in row) <= set(wanted)
    for clause in wanted:
        council = handbook.council_by_id[clause.council]
        assert quoted(squash(normalise(clause.text)), text), f"clause {clause.id} not found verbatim"
        assert squash(council.citation(clause)) in text, f"citation of {clause.id} missing"
    check_contents(path, pdf.outline(handbook, spec))
    titles = [title for _, title, _ in bookmarks(path)]
    assert titles[:2] == ["About this pack", "Oxford City Council’s policy"]
    assert "The key topics compared" in titles and "Where Oxford is silent" in titles
    gaps = handbook.gaps("oxford")
    assert gaps
    number = dict((t, p) for _, t, p in bookmarks(path))["Where Oxford is silent"]
    gap_page = subprocess.run(["pdftotext", "-raw", "-f", str(number), "-l", str(number), str(path), "-"], capture_output=True, text=True).stdout
    for topic in gaps:
        assert topic.title in " ".join(gap_page.split())
        assert f"pdf/topics/{topic.id}.pdf" in squash(gap_page)  # not in this pack: where to find it


def test_members_pack_is_what_build_py_pack_makes(mini, tmp_path):
    root, _, _ = mini
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    out = tmp_path / "pack.pdf"
    result = subprocess.run(
        [sys.executable, "build.py", "--root", str(root), "pack", "--council", "alpha", "-o", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"pack: wrote {out}: Alpha Town Council, 5 topics")
    assert out.read_bytes() == (root / "out" / "packs" / "alpha-members-pack.pdf").read_bytes()


# --- reproducible, incremental ------------------------------------------------------------------


def test_same_sources_give_byte_identical_pdfs(mini, tmp_path):
    root, _, _ = mini
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / f"{run}.pdf"
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        shutil.rmtree(root / pdf.CACHE_DIR, ignore_errors=True)  # really render, twice, in two processes
        command = [sys.executable, "build.py", "--root", str(root), "pack", "--topics", "disclaimer,sanctions", "-o", str(out)]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    fields = info(tmp_path / "one.pdf")  # SOURCE_DATE_EPOCH is the creation date
    assert fields["CreationDate"].strip() == fields["ModDate"].strip() == "Wed Nov 18 11:06:40 2026 UTC"


def test_unchanged_pdfs_come_from_the_cache_and_only_changed_ones_are_rendered(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_project(tmp_path / "project")
    first = pdf.build_pdfs(load(root / "source_policies"), root, root / "templates", tmp_path / "a")
    again = pdf.build_pdfs(load(root / "source_policies"), root, root / "templates", tmp_path / "b")
    assert again.built == 0 and again.cached == first.built
    for path in (tmp_path / "a").rglob("*.pdf"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
    # The matrix is in the handbook only. (A change to any source changes the sources version
    # printed on every PDF's cover, and so renders them all again.)
    blocks = root / "templates" / "pdf" / "_blocks.html.j2"
    blocks.write_text(
        blocks.read_text().replace("The level at which each council’s policy addresses each topic", "The level at which each council addresses each topic")
    )
    changed = pdf.build_pdfs(load(root / "source_policies"), root, root / "templates", tmp_path / "c")
    assert changed.rendered == ["handbook.pdf"] and changed.cached == first.built - 1


def test_build_date_comes_from_source_date_epoch_then_git(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert pdf.build_epoch(tmp_path) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert pdf.build_epoch(tmp_path) == int(EPOCH)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pdf.build_epoch(tmp_path) == 0  # not a git repository
    from datetime import UTC, datetime

    assert pdf.long_date(datetime(2026, 11, 22, tzinfo=UTC)) == "22 November 2026"
    assert pdf.long_date(datetime(2026, 1, 2, tzinfo=UTC)) == "2 January 2026"


# --- the pack command -----------------------------------------------------------------------------


def test_pack_unknown_council_is_a_clear_error_and_writes_nothing(project, cli):
    result = cli(project, "pack", "--council", "alpah", "-o", "pack.pdf")
    assert result.code == 1
    assert result.lines == ["build.py pack: unknown council 'alpah'. Did you mean 'alpha'? Valid councils: alpha, beta"]
    assert not (project / "pack.pdf").exists()
    assert "Traceback" not in result.err


def test_pack_unknown_topics_are_all_reported(project, cli):
    result = cli(project, "pack", "--council", "beta", "--topics", "disclaimer,meetngs,weather", "-o", "pack.pdf")
    assert result.code == 1
    valid = "scope, disclaimer, safeguarding, pre-election, meetings, sanctions"
    assert result.lines == [
        f"build.py pack: unknown topic 'meetngs'. Did you mean 'meetings'? Valid topics: {valid}",
        f"build.py pack: unknown topic 'weather'. Valid topics: {valid}",
    ]
    assert not (project / "pack.pdf").exists()


def test_pack_output_must_be_a_pdf_in_an_existing_folder(project, cli):
    result = cli(project, "pack", "-o", "pack.docx")
    assert result.code == 1 and result.lines == ["build.py pack: cannot write 'pack.docx': the output must end in .pdf"]
    result = cli(project, "pack", "-o", "nowhere/pack.pdf")
    assert result.code == 1 and "the folder 'nowhere' does not exist" in result.err


def test_topic_only_pack(project, cli):
    result = cli(project, "pack", "--topics", "meetings,disclaimer,meetings", "-o", "topics.pdf")
    assert result.code == 0, result.err
    assert result.out.startswith("pack: wrote topics.pdf: 2 topics (meetings, disclaimer)")
    path = project / "topics.pdf"
    assert info(path)["Title"].strip() == "Topic pack: Meetings, Disclaimers"
    assert [t for _, t, _ in bookmarks(path)] == ["About this pack", "The topics compared", "Meetings", "Disclaimers", "Sources and method"]


def test_pack_help():
    result = subprocess.run([sys.executable, "build.py", "pack", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0
    assert "usage: build.py pack" in result.stdout and "--council" in result.stdout and "--topics" in result.stdout


# --- the website links to its PDFs ---------------------------------------------------------------


def test_pages_link_to_their_pdfs(project):
    from policyhandbook.pipeline import Paths, render_handbook

    handbook, files = render_handbook(Paths.at(project))
    assert 'href="../../pdf/topics/disclaimer.pdf"' in files["topics/disclaimer.md"]
    assert "Download this page as PDF" in files["topics/disclaimer.md"]
    assert 'href="../../pdf/councils/alpha.pdf"' in files["councils/alpha.md"]
    home = files["index.md"]
    assert "## Printed packs" in home
    for spec in pdf.specs(handbook):
        assert f'href="pdf/{spec.path}"' in home, spec.path


def test_site_command_puts_the_pdfs_in_the_site(project, cli, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = cli(project, "site")
    assert result.code == 0, result.err
    assert "PDFs (" in result.out
    site = project / "site"
    assert (site / "pdf" / "handbook.pdf").is_file()
    assert (site / "pdf" / "packs" / "beta-members-pack.pdf").is_file()
    page = (site / "topics" / "disclaimer" / "index.html").read_text()
    assert 'href="../../pdf/topics/disclaimer.pdf"' in page
    assert oct((site / "pdf" / "handbook.pdf").stat().st_mode & 0o777) == "0o644"
    assert not list(project.glob(".site.*"))
    # A PDF that cannot be made leaves the previous site as it was.
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    template = project / "templates" / "pdf" / "document.html.j2"
    template.write_text(template.read_text().replace("{% for section in doc.sections %}", "{% for section in doc.sections %"))
    result = cli(project, "site")
    assert result.code == 2 and "internal error: TemplateSyntaxError" in result.err and "Traceback" not in result.err
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(project.glob(".site.*"))


def test_a_pdf_too_large_to_print_is_left_out_and_not_linked(monkeypatch):
    """WeasyPrint lays out a whole PDF in memory (a 30,000-clause council grew a worker to 9.7 GB and
    never finished): a PDF over the limit is not made, the site build says so, and no page links it."""
    import dataclasses

    from policyhandbook.limits import MAX_PDF_UNITS, pdf_units
    from policyhandbook.render import Renderer

    small = load(MINI_SOURCES)
    alpha = small.council_by_id["alpha"]
    # 1,900 clauses of 250 characters: 760,000 units, so alpha's own PDF and pack fit, the whole handbook does not.
    clauses = tuple(dataclasses.replace(alpha.clauses[0], id=f"alpha-{n}", section=str(n), text="x" * 250, topics=("scope",)) for n in range(1900))
    big = dataclasses.replace(small, councils=(dataclasses.replace(alpha, clauses=clauses), *small.councils[1:]))
    units = pdf_units(big)
    assert units["councils/alpha.pdf"] < MAX_PDF_UNITS < units["handbook.pdf"]
    assert pdf.too_large(big) == {"handbook.pdf": units["handbook.pdf"]}
    assert pdf.too_large(small) == {}

    jobs: dict[str, str] = {}
    monkeypatch.setattr(pdf, "document_html", lambda handbook, spec, *args: spec.path)
    monkeypatch.setattr(pdf, "render_many", lambda todo, *args, **kwargs: (jobs.update(todo), pdf.Report(built=len(todo)))[1])
    report = pdf.build_pdfs(big, ROOT, ROOT / "templates", Path("unused"))
    assert "handbook.pdf" not in jobs and "councils/alpha.pdf" in jobs
    assert str(report).endswith("; 1 left out as too large to print: handbook.pdf")

    home = Renderer(big, ROOT / "templates", MINI_SOURCES).make("index.md")
    assert "pdf/handbook.pdf" not in home and "The whole handbook (too long to print as one PDF)" in home
    assert "pdf/councils/alpha.pdf" in home
    with pytest.raises(pdf.PackError, match=r"this pack would be too large to print \(1,52\d,\d{3} units of text, the limit is 1,500,000\)"):
        pdf.pack_spec(big, "alpha", "scope")
