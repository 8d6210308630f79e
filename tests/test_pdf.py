"""The PDF packs: real WeasyPrint output checked with poppler's own tools (pdfinfo, pdftotext,
pdffonts, pdftohtml). Mostly on the fixture corpus (fast), plus one real members' pack."""

from __future__ import annotations

import contextlib
import html
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
SITE = "handbook.example.org"  # mkdocs.yml's site_url, as the PDFs print it


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
        line = re.sub(r"Built \d+ \w+ \d{4} · sources version \w+ · " + re.escape(SITE), "", line)
        if line.strip() in running or line.strip() == SITE:
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
        *(f"{s.running}: {title}" for s in doc.sections if s.kind == "gaps" for _, title, _ in s.children),
        *(f"{s.data['topic'].title}: {part}" for s in doc.sections if s.kind == "comparison" for part in ("at a glance", "side by side", "one by one")),
    ]


def clauses_of(handbook, spec):
    """Every clause a PDF quotes in full: its policies, its comparisons and, in a pack, what the peers
    say where its council is silent."""
    doc = pdf.outline(handbook, spec)
    wanted = []
    for section in doc.sections:
        if section.kind == "policy":
            wanted += [item["clause"] for item in section.data["entries"]]
        elif section.kind == "comparison" and section.data["layout"] != "compact":
            wanted += [clause for clauses in section.data["row"].values() for clause in clauses]
        elif section.kind == "gaps":
            wanted += [cell.deciding for gap in section.data["gaps"] if not gap["in_pack"] for cell in gap["cells"]]
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
        + [f"packs/{c.id}-members-pack-large-print.pdf" for c in handbook.councils]
    )
    assert report.built == len(built) and report.cached == 0
    assert sorted(report.pages) == built and report.total_pages == sum(len(page_sizes(root / "out" / name)) for name in built)


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
    spec = next(s for s in pdf.specs(handbook) if s.path == pdf.members_pack_path("alpha"))
    doc = pdf.outline(handbook, spec)
    cover = pages_text(root / "out" / spec.path)[0]
    flat = " ".join(cover.split())
    assert "Members’ pack: Alpha Town Council" in flat
    assert "Alpha Town Council; Beta Borough Council" in flat
    assert "Compared with" in flat and "Beta Borough Council: no closer match" in flat  # its peer, and why
    for tid in KEY_TOPICS:
        assert handbook.topic_by_id[tid].title in flat
    assert "Built 18 November 2026" in flat
    # The versions of what it quotes from each source, and of the whole.
    versions = {c.id: v for c, v in doc.versions}
    assert versions == {c.id: pdf.version(c) for c in handbook.councils}
    assert f"Sources version {doc.hb.version}" in flat and doc.hb.version != handbook.version
    assert f"Alpha {versions['alpha']}; Beta Borough Council {versions['beta']}" in flat  # short names
    assert f"Online {SITE}/" in flat
    assert "Page " not in cover  # no running header or footer on the cover


def test_covers_and_sources_say_when_each_text_was_retrieved_and_last_checked(tmp_path, monkeypatch):
    """Current as of: each council's retrieved and checked dates on the cover (a council not checked in force
    for over a year, or never, flagged in words), its published address in its own PDF, and both again
    under Sources and method."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # 18 November 2026
    root = make_project(tmp_path / "project")
    sources = root / "source_policies"
    alpha, beta = sources / "alpha.yaml", sources / "beta.yaml"
    alpha.write_text(
        alpha.read_text().replace(
            "retrieved: not recorded\nchecked: not recorded",
            'retrieved: "2026-10-02"\nchecked: "2026-11-01"\nurl: https://alpha.example.gov.uk/social-media-policy',
        )
    )
    beta.write_text(beta.read_text().replace("checked: not recorded", 'checked: "2025-06-30"'))
    handbook = load(sources)
    by_path = {s.path: s for s in pdf.specs(handbook)}
    pack, council = tmp_path / "pack.pdf", tmp_path / "alpha.pdf"
    pdf.build_pack(handbook, root, root / "templates", by_path[pdf.members_pack_path("alpha")], pack, use_cache=False)
    pdf.build_pack(handbook, root, root / "templates", by_path["councils/alpha.pdf"], council, use_cache=False)
    cover = squash(pages_text(pack)[0])
    assert "Current as of" in cover
    assert "Alpha: text retrieved: 2 October 2026; last checked in force: 1 November 2026." in cover
    assert "not checked since" not in cover.split("Beta")[0]  # checked within the year: no flag
    assert "Beta Borough Council: text retrieved: not recorded; last checked in force: 30 June 2025 (not checked since 30 June 2025)." in cover
    text = squash(" ".join(pages_text(council)))
    assert squash("Current as of Text retrieved: 2 October 2026; last checked in force: 1 November 2026") in text
    assert squash("Published at alpha.example.gov.uk/social-media-policy") in text
    # A council nobody has recorded checking is flagged too.
    topic = tmp_path / "topic.pdf"
    pdf.build_pack(handbook, root, root / "templates", by_path["topics/pre-election.pdf"], topic, use_cache=False)
    assert squash("Beta Borough Council: text retrieved: not recorded; last checked in force: 30 June 2025 (not checked since 30 June 2025).") in squash(
        pages_text(topic)[0]
    )
    beta.write_text(beta.read_text().replace('checked: "2025-06-30"', "checked: not recorded"))
    pdf.build_pack(load(sources), root, root / "templates", by_path["topics/pre-election.pdf"], topic, use_cache=False)
    assert "last checked in force: not recorded (no check recorded)" in squash(pages_text(topic)[0])


def test_page_x_of_y_footers_running_headers_and_the_address_on_every_page(mini):
    root, handbook, _ = mini
    for spec in pdf.specs(handbook):
        pages = pages_text(root / "out" / spec.path)
        n = len(pages)
        doc = pdf.outline(handbook, spec)
        assert f"Online {SITE}/" in " ".join(pages[0].split()), spec.path
        for number, text in enumerate(pages[1:], start=2):
            assert f"Page {number} of {n}" in text, f"{spec.path} page {number}"
            assert doc.running in text, f"{spec.path} page {number}: no running header '{doc.running}'"
            assert SITE in text, f"{spec.path} page {number}: no web address"
            if not spec.large_print:  # large print keeps its footer short: the address and the page
                assert f"sources version {doc.hb.version}" in text


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
    # What the others say where Oxford is silent: each one's deciding clause, with its citation and address.
    doc = pdf.outline(handbook, spec)
    gap_section = next(s for s in doc.sections if s.kind == "gaps")
    tail = "".join(subprocess.run(["pdftotext", "-raw", "-f", str(number), str(path), "-"], capture_output=True, text=True).stdout.split())
    quoted_gaps = [g for g in gap_section.data["gaps"] if not g["in_pack"]]
    assert quoted_gaps
    for gap in quoted_gaps:
        assert f"{SITE}/topics/{gap['topic'].id}/" in tail
        assert {cell.council for cell in gap["cells"]} == {c.id for c in handbook.addressing(gap["topic"].id)}
        for cell in gap["cells"]:
            assert cell.deciding is handbook.cell(gap["topic"].id, cell.council).deciding
            assert f"{SITE}/councils/{cell.council}/#{cell.deciding.id}" in tail


def test_five_council_packs_compare_every_council_as_before(oxford_pack):
    """With five councils a members' pack's peers are the other four: its policy and comparisons are
    what they were before peer groups (every council, the pack's own first, then in the handbook's order)."""
    handbook, spec, path = oxford_pack
    assert sorted(spec.peer_ids) == sorted(c.id for c in handbook.councils if c.id != "oxford")
    doc = pdf.outline(handbook, spec)
    assert doc.everyone
    policy = next(s for s in doc.sections if s.kind == "policy")
    assert [item["clause"] for item in policy.data["entries"]] == list(handbook.council_by_id["oxford"].clauses)
    comparisons = [s for s in doc.sections if s.kind == "comparison"]
    assert [s.data["topic"].id for s in comparisons] == list(KEY_TOPICS)
    order = ["oxford"] + [c.id for c in handbook.councils if c.id != "oxford"]
    for section in comparisons:
        assert [c.id for c in section.data["councils"]] == order
        assert section.data["row"] == handbook.by_topic[section.data["topic"].id]
        assert section.data["layout"] == "side"
    named = pdf.pack_spec(handbook, "oxford", None, "chiltern-south-bucks,wiltshire,brackley,bridgend")
    assert [s.data["row"] for s in pdf.outline(handbook, named).sections if s.kind == "comparison"] == [s.data["row"] for s in comparisons]
    text = " ".join(pages_text(path)[2].split())  # About this pack
    assert "every council’s clauses side by side" in text


def line_sizes(path: Path) -> list[tuple[int, bool, str, float]]:
    """(page, landscape, text, font size in pt) of every line, from `pdftotext -bbox-layout`: a word's box
    is as tall as its font's ascent and descent, 1.11 to 1.12 times the size for Liberation Sans and Serif."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    lines = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", out, re.S), start=1):
        width, height = (float(v) for v in re.match(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        for line in re.findall(r"<line .*?</line>", page, re.S):
            words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', line)
            size = min((float(y_max) - float(y_min)) / 1.11 for y_min, y_max, _ in words)
            lines.append((number, width > height, html.unescape(" ".join(word for _, _, word in words)), size))
    return lines


def test_type_is_large_enough_to_read_on_paper(oxford_pack, mini):
    """Quoted clauses (the body text) at least 11 pt on portrait pages and 10 pt on landscape ones;
    nothing at all (citations, labels, headers, footers) under 9 pt; large print 16 pt and more."""
    handbook, spec, path = oxford_pack
    lines = line_sizes(path)
    assert {wide for _, wide, _, _ in lines} == {True, False}
    small = [(page, text, round(size, 1)) for page, _, text, size in lines if size < 9 - 0.2]
    assert not small
    quoted_text = "\n".join(squash(normalise(clause.text)) for clause in clauses_of(handbook, spec))
    body = [(page, wide, text, size) for page, wide, text, size in lines if len(text.split()) >= 6 and squash(text) in quoted_text]
    assert len(body) > 200
    for page, wide, text, size in body:
        assert size >= (10 if wide else 11) - 0.2, f"page {page}: {size:.1f} pt: {text}"
    root, _, _ = mini
    large = line_sizes(root / "out" / pdf.members_pack_path("alpha", large_print=True))
    assert not any(wide for _, wide, _, _ in large)  # one column, portrait
    assert min(size for _, _, _, size in large) >= 16 - 0.2


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
    assert again.built == 0 and again.cached == first.built and again.pages == first.pages
    for path in (tmp_path / "a").rglob("*.pdf"):
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
    # The matrix is in the handbook only.
    blocks = root / "templates" / "pdf" / "_blocks.html.j2"
    blocks.write_text(
        blocks.read_text().replace("The level at which each council’s policy addresses each topic", "The level at which each council addresses each topic")
    )
    changed = pdf.build_pdfs(load(root / "source_policies"), root, root / "templates", tmp_path / "c")
    assert changed.rendered == ["handbook.pdf"] and changed.cached == first.built - 1
    # Editing one council renders again only the PDFs that quote what changed: its own PDF, its packs,
    # the packs that have it as a peer (Alpha's), the topic whose clause changed, and the whole handbook.
    old, new = "concerns about children to the MASH team.", "concerns about children to the MASH safeguarding team."
    for name in ("beta.yaml", "originals/beta.txt"):
        source = root / "source_policies" / name
        source.write_text(source.read_text().replace(old, new))
    handbook = load(root / "source_policies")
    edited = pdf.build_pdfs(handbook, root, root / "templates", tmp_path / "d")
    assert edited.rendered == sorted(
        ["handbook.pdf", "councils/beta.pdf", "topics/safeguarding.pdf"]
        + [pdf.members_pack_path(c, large) for c in ("alpha", "beta") for large in (False, True)]
    )
    for name in edited.rendered:  # never a stale PDF: the new wording, not the old
        text = squash(" ".join(pages_text(tmp_path / "d" / name)))
        assert squash(new) in text and squash(old) not in text, name
    fresh = tmp_path / "fresh.pdf"  # and what the cache gave is what rendering afresh gives
    spec = next(s for s in pdf.specs(handbook) if s.path == pdf.members_pack_path("alpha"))
    pdf.build_pack(handbook, root, root / "templates", spec, fresh, use_cache=False)
    assert fresh.read_bytes() == (tmp_path / "d" / spec.path).read_bytes()
    assert (tmp_path / "d" / "councils" / "alpha.pdf").read_bytes() == (tmp_path / "a" / "councils" / "alpha.pdf").read_bytes()


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


def test_pack_with_named_peers_and_in_large_print(project, cli):
    result = cli(project, "pack", "--council", "alpha", "--peers", "beta", "--large-print", "-o", "named.pdf")
    assert result.code == 0, result.err
    assert result.out.startswith(
        "pack: wrote named.pdf: Alpha Town Council, 5 topics (disclaimer, safeguarding, pre-election, meetings, sanctions), compared with beta, large print, "
    )
    cover = squash(pages_text(project / "named.pdf")[0])
    assert "Members’ pack: Alpha Town Council (large print)" in cover
    assert "The councils named when this pack was built: Beta Borough Council" in cover


def test_pack_unknown_or_wrong_peers_are_clear_errors_and_write_nothing(project, cli):
    result = cli(project, "pack", "--council", "alpha", "--peers", "bta,gamma,alpha", "-o", "pack.pdf")
    assert result.code == 1
    assert result.lines == [
        "build.py pack: unknown peer council 'bta'. Did you mean 'beta'? Valid councils: alpha, beta",
        "build.py pack: unknown peer council 'gamma'. Valid councils: alpha, beta",
        "build.py pack: 'alpha' is the pack's own council; --peers names the councils to compare it with",
    ]
    result = cli(project, "pack", "--peers", "beta", "-o", "pack.pdf")
    assert result.code == 1
    assert result.lines == ["build.py pack: --peers needs --council: the peers are the councils a council's pack compares it with"]
    assert not (project / "pack.pdf").exists() and "Traceback" not in result.err


def test_without_the_handbook_address_no_pdf_is_written(project, cli):
    config = project / "mkdocs.yml"
    lines = config.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("site_url:"))
    config.write_text(config.read_text().replace(lines[number - 1], 'site_url: ""'))
    result = cli(project, "pack", "--council", "alpha", "-o", "pack.pdf")
    assert result.code == 1
    assert result.lines[0] == (
        f"mkdocs.yml:{number}: site_url is empty: set it to the handbook's web address, e.g. site_url: https://handbook.example.org/ (every PDF prints it)"
    )
    assert not (project / "pack.pdf").exists() and "Traceback" not in result.err


def test_progress_is_one_line_on_a_terminal_and_silent_otherwise():
    import io

    from policyhandbook.pdf_render import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        meter = Progress(stream, total=4, cached=1, pages=10, weight=300)
        meter.started -= 30  # as if rendering began 30 s ago
        meter.update(pages=12, weight=100)
        meter.close()
    assert pipe.getvalue() == ""
    shown = terminal.getvalue().split("\r\033[K")
    assert shown[1].startswith("PDFs: 2 of 4 done, 22 pages, 0:30 elapsed, about 1:00 left")
    assert shown[-1] == ""  # the line is cleared at the end, for the command's summary line


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
    assert re.search(r"; 13 PDFs, \d+ pages \(13 rendered, 0 unchanged\), [\d.]+ s$", result.out.strip()), result.out
    site = project / "site"
    assert (site / "pdf" / "handbook.pdf").is_file()
    assert (site / "pdf" / "packs" / "beta-members-pack.pdf").is_file()
    page = (site / "topics" / "disclaimer" / "index.html").read_text()
    assert 'href="../../pdf/topics/disclaimer.pdf"' in page
    home = (site / "index.html").read_text()  # the home page gives each PDF's number of pages
    pages = len(page_sizes(site / "pdf" / "packs" / "beta-members-pack-large-print.pdf"))
    assert f'<span class="pdf-pages" data-pdf="packs/beta-members-pack-large-print.pdf">, {pages} pages</span>' in home
    assert '"></span>' not in home.split('class="pdf-packs-table"')[1].split("</table>")[0]
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

    jobs: dict[str, object] = {}
    monkeypatch.setattr(pdf, "render_all", lambda documents, *args, **kwargs: (jobs.update({d[0]: d for d in documents}), pdf.Report(built=len(documents)))[1])
    report = pdf.build_pdfs(big, ROOT, ROOT / "templates", Path("unused"))
    assert "handbook.pdf" not in jobs and "councils/alpha.pdf" in jobs
    assert str(report).endswith("; 1 left out as too large to print: handbook.pdf")

    home = Renderer(big, ROOT / "templates", MINI_SOURCES).make("index.md")
    assert "pdf/handbook.pdf" not in home and "The whole handbook (too long to print as one PDF)" in home
    assert "pdf/councils/alpha.pdf" in home
    with pytest.raises(pdf.PackError, match=r"this pack would be too large to print \(1,52\d,\d{3} units of text, the limit is 1,500,000\)"):
        pdf.pack_spec(big, "alpha", "scope")


def test_the_page_references_shortcut_gives_pydyfs_own_answer(monkeypatch):
    """pdf_render caches pydyf's list of page references (rebuilt on every read, quadratic in pages when
    WeasyPrint tags a PDF); the answer, and the PDF's bytes, are what pydyf gives without it."""
    import pydyf
    from weasyprint import HTML

    from policyhandbook import pdf_render

    document = pydyf.PDF()
    for _ in range(3):
        before = document.page_references
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert document.page_references == pdf_render.UNCACHED_PAGE_REFERENCES.fget(document) != before
    html = (
        "<html lang='en-GB'><head><title>T</title></head><body>"
        + "".join(f"<h1 style='break-before: page'>Part {n}</h1><p>Text.</p>" for n in range(12))
        + "</body></html>"
    )
    rendered = HTML(string=html).render()
    fast = rendered.write_pdf(**pdf.PDF_OPTIONS)
    monkeypatch.setattr(pydyf.PDF, "page_references", pdf_render.UNCACHED_PAGE_REFERENCES)
    assert rendered.write_pdf(**pdf.PDF_OPTIONS) == fast
