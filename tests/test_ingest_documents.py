"""`build.py ingest` from the documents councils publish: Word, PDF and web pages.

The documents are made at test time (tests/fixtures/make_documents.py) from the hand-cut sources:
each is laid out as a council publishes it (Word numbering and footnotes; PDF running headers, page
numbers, hyphenation and two columns; a web page with navigation, a cookie banner and a footer), and
must ingest to the same clauses, headings and numbers as the hand-cut source, verbatim.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from policyhandbook.extract import extract
from policyhandbook.load import load
from policyhandbook.text import normalise

from .conftest import ROOT
from .fixtures import make_documents
from .fixtures.make_documents import Block

SOURCES = ROOT / "source_policies"
HAND = load(SOURCES)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def project_without(tmp_path: Path, council: str) -> Path:
    """The real sources less one council: ingesting it there is adding a council nobody has tagged."""
    root = tmp_path / "project"
    shutil.copytree(SOURCES, root / "source_policies")
    (root / "source_policies" / f"{council}.yaml").unlink()
    (root / "source_policies" / "originals" / f"{council}.txt").unlink()
    return root


def number(section: str) -> str:
    match = re.match(r"^\d+(?:\.\d+)*", section)
    return match.group() if match else ""


# One or two councils per format, each with what that format does to a policy.
CASES = [
    ("brackley", "docx", {}),  # Word numbering "1." / "1.1", nested bullets, an appendix
    ("oxford", "docx", {}),  # two Word footnotes, sub-headings in Heading 2
    ("wiltshire", "pdf", {"columns": 2}),  # two columns, running header, page numbers, hyphenation
    ("bridgend", "pdf", {}),  # numbered headings, a numbered list, a title page
    ("oxford", "html", {}),  # footnotes as links, labels inside a list
    ("chiltern-south-bucks", "html", {}),  # 103 clauses, numbered paragraphs, lettered list
]


@pytest.mark.parametrize(("council_id", "fmt", "options"), CASES, ids=[f"{c}-{f}" for c, f, _ in CASES])
def test_a_published_document_ingests_to_the_hand_cut_clauses(tmp_path, cli, council_id, fmt, options):
    hand = HAND.council_by_id[council_id]
    root = project_without(tmp_path, council_id)
    document = make_documents.make(council_id, fmt, tmp_path / f"policy.{fmt}", **options)

    result = cli(root, "ingest", str(document), "--council", council_id, "--name", hand.name)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    originals = root / "source_policies" / "originals"
    kept = originals / f"{council_id}.{fmt}"
    assert kept.read_bytes() == document.read_bytes(), "the document is kept beside its text"
    text = (originals / f"{council_id}.txt").read_text(encoding="utf-8")
    # Extracting the kept document again gives the same text: the verbatim check rests on it.
    assert extract(kept, kept.name).text == text
    assert "warning:" not in result.out

    assert cli(root, "check", "--coverage").code == 0
    ingested = load(root / "source_policies").council_by_id[council_id]
    # The same clauses as the hand cut, in the same order, word for word ...
    assert [normalise(c.text) for c in ingested.clauses] == [normalise(c.text) for c in hand.clauses]
    # ... under the same headings, with the same section numbers.
    assert [c.heading for c in ingested.clauses] == [c.heading for c in hand.clauses]
    assert [number(c.section) for c in ingested.clauses] == [number(c.section) for c in hand.clauses]
    for mine, theirs in zip(ingested.clauses, hand.clauses, strict=True):
        if re.fullmatch(r"\d+(?:\.\d+)*", theirs.section):
            assert mine.section == theirs.section
    written = (root / "source_policies" / f"{council_id}.yaml").read_text(encoding="utf-8")
    assert f"kept as originals/{council_id}.{fmt}" in written


def test_pdf_furniture_and_hyphenation_are_cleaned(tmp_path):
    document = make_documents.make("wiltshire", "pdf", tmp_path / "policy.pdf", columns=2)
    text = extract(document, "policy.pdf").text
    assert "Page 1 of" not in text and "Page 2 of" not in text
    assert "Wiltshire Council \u2013 Social media guidance" not in text  # the running header
    assert "\u2010" not in text, "a word broken by the typesetter's hyphen is joined"
    assert "pre-election" not in text and "preelection" in text  # as the policy spells it
    assert "e-mail customeradvisors@wiltshire.gov.uk" in text  # a real hyphen stays


def test_html_keeps_the_main_content_only(tmp_path):
    document = make_documents.make("oxford", "html", tmp_path / "policy.html")
    text = extract(document, "policy.html").text
    for furniture in ("Skip to main content", "cookies", "Bins and recycling", "Open Government Licence", "Related pages", "Search this site", "Home"):
        assert furniture not in text
    assert "[1: Local Government Group - Connected Councillors" in text


def test_word_numbering_footnotes_and_tables(tmp_path):
    blocks = [
        Block("title", "Social media policy"),
        Block("heading", "Introduction", 1, "1"),
        Block("para", "This policy applies to councillors.", number="1.1"),
        Block("para", "It covers what they post.", number="1.2", notes=[("post.", "Including messages.")]),
        Block("heading", "Conduct", 1, "2"),
        Block("para", "Councillors must:", number="2.1"),
        Block("item", "be respectful;", style="(letter)", label="a", list_id=1),
        Block("item", "not disclose confidential information.", style="(letter)", label="b", list_id=1),
        Block("item", "Use a disclaimer.", list_id=2),
    ]
    document = tmp_path / "policy.docx"
    make_documents.write_docx(blocks, document, table=[["Platform", "Who runs it"], ["Facebook", "Communications team"]])
    extracted = extract(document, "policy.docx")
    assert extracted.text == (
        "Social media policy\n\n1. Introduction\n\n1.1 This policy applies to councillors.\n\n"
        "1.2 It covers what they post.[footnoteRef:1] [1: Including messages.]\n\n2. Conduct\n\n2.1 Councillors must:\n"
        "(a) be respectful;\n(b) not disclose confidential information.\n- Use a disclaimer.\n\n"
        "Platform\n\nWho runs it\n\nFacebook\n\nCommunications team\n"
    )
    assert extracted.headings == {3: 1, 9: 1}
    assert extracted.warnings == []


def test_tracked_changes_and_comments_are_ignored_with_a_warning(tmp_path, cli):
    root = project_without(tmp_path, "wiltshire")
    make_documents.make("wiltshire", "docx", root / "policy.docx", tracked=True)
    result = cli(root, "ingest", "policy.docx", "--council", "wiltshire", "--name", "Wiltshire Council")
    assert result.code == 0, result.err
    assert "  warning: policy.docx: the document has tracked changes (0 insertions, 1 deletions); they were read as accepted" in result.out
    assert "  warning: policy.docx: the document has 1 comment; they were left out (they are not part of the policy)" in result.out
    text = (root / "source_policies" / "originals" / "wiltshire.txt").read_text(encoding="utf-8")
    assert "This sentence was deleted." not in text
    assert "Check this with legal." not in text


def test_kept_documents_in_the_sources_still_give_their_text():
    """Any document kept in source_policies/originals/ must extract to the text beside it."""
    for kept in sorted((SOURCES / "originals").glob("*")):
        if kept.suffix in (".docx", ".pdf", ".html"):
            assert extract(kept, kept.name).text == kept.with_suffix(".txt").read_text(encoding="utf-8"), kept.name


def test_evidence_and_confidence_in_the_file_and_report(tmp_path, cli):
    root = project_without(tmp_path, "oxford")
    document = make_documents.make("oxford", "html", tmp_path / "policy.html")
    result = cli(root, "ingest", str(document), "--council", "oxford", "--name", "Oxford City Council")
    assert result.code == 0, result.err
    lines = (root / "source_policies" / "oxford.yaml").read_text(encoding="utf-8").splitlines()
    topics = [n for n, line in enumerate(lines) if line.startswith("    topics: [")]
    assert topics and all(lines[n - 1].startswith("    # evidence: ") for n in topics)
    # The evidence names tagged clauses of the other councils (never the council's own, which is not there).
    evidence = " ".join(lines[n - 1] for n in topics)
    assert re.search(r"like (bridgend|brackley|wiltshire|chiltern-south-bucks) '", evidence)
    assert "like oxford" not in evidence
    assert "suggestions and their evidence" in result.out
    assert re.search(r"confidence: \d+ sure \(measured right at least 9 times in 10\), \d+ likely, \d+ REVIEW", result.out)


# --- bad documents: a clear `file: message; what to do`, exit 1, nothing written -------------------------


def bad(root: Path, cli, document: Path, council: str = "delta") -> list[str]:
    before = snapshot(root)
    result = cli(root, "ingest", str(document), "--council", council, "--name", "Delta District Council")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.lines[-1] == "build.py ingest: nothing was written."
    assert snapshot(root) == before, "something was written"
    return result.lines[:-1]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _pdf(encrypted: bool = False) -> bytes:
    """A one-page PDF, optionally with a standard security handler whose password is not empty."""
    stream = b"BT /F1 12 Tf 72 720 Td (Social media policy) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypted:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -44 >>")
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    if encrypted:
        trailer += b" /Encrypt 6 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">]"
    return out + b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_empty_document(project, cli):
    (project / "policy.docx").write_bytes(b"")
    assert bad(project, cli, project / "policy.docx") == ["policy.docx: file is empty; save the council's policy document into it again, or give another file"]


def test_damaged_word_document(project, cli):
    (project / "policy.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 32)
    (line,) = bad(project, cli, project / "policy.docx")
    assert line.startswith("policy.docx: the file starts like a Word document (.docx) but is damaged (")
    assert line.endswith("); save it again from Word as a Word document (.docx) and ingest that")


def test_unreadable_pdf(project, cli):
    (project / "policy.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"\x00" * 32)
    assert bad(project, cli, project / "policy.pdf") == [
        "policy.pdf: the PDF cannot be read (it may be damaged or incomplete); download it again, or save it again from the program that made it"
    ]


def test_password_protected_word_document(project, cli):
    (project / "policy.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)
    assert bad(project, cli, project / "policy.docx") == [
        "policy.docx: the Word document is password-protected (encrypted), so its text cannot be read; open it in Word, remove the password "
        "(File > Info > Protect Document), save it and ingest it again"
    ]


def test_old_word_document(project, cli):
    (project / "policy.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert bad(project, cli, project / "policy.doc") == [
        "policy.doc: this is an old Word 97-2003 (.doc) file, which ingest cannot read; open it in Word or LibreOffice, save it as a Word document (.docx) and ingest that"
    ]


def test_password_protected_pdf(project, cli):
    (project / "policy.pdf").write_bytes(_pdf(encrypted=True))
    assert bad(project, cli, project / "policy.pdf") == [
        "policy.pdf: the PDF is password-protected (encrypted), so its text cannot be read; ask the council for an unprotected copy, "
        "or open it with the password and save or print it to a new PDF"
    ]


def test_renamed_zip_is_not_a_word_document(project, cli):
    (project / "policy.docx").write_bytes(_zip({"minutes.txt": b"Minutes of the meeting", "agenda.txt": b"Agenda"}))
    assert bad(project, cli, project / "policy.docx") == [
        "policy.docx: this is a zip archive (minutes.txt, agenda.txt), not a Word document; find the policy's .docx file (unzip it first if it is inside) and ingest that"
    ]


def test_spreadsheet_renamed_docx(project, cli):
    (project / "policy.docx").write_bytes(
        _zip({"[Content_Types].xml": b"<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>", "xl/workbook.xml": b"<x/>"})
    )
    assert bad(project, cli, project / "policy.docx") == [
        "policy.docx: this is an Excel workbook (.xlsx), not a Word document; save the policy as a Word document (.docx), a PDF or a web page and ingest that"
    ]


def test_pdf_of_images_only(project, cli, tmp_path):
    from PIL import Image
    from weasyprint import HTML

    picture = tmp_path / "scan.png"
    Image.new("RGB", (200, 280), "white").save(picture)
    HTML(string=f'<html lang="en"><body><img src="{picture.as_uri()}" style="width: 100%"></body></html>').write_pdf(project / "scan.pdf")
    (line,) = bad(project, cli, project / "scan.pdf")
    assert line.startswith("scan.pdf: the PDF has no text layer (it looks like a scan, pictures of pages); ask the council for the Word document")
    assert "OCR" in line


def test_web_page_without_main_content(project, cli):
    page = (
        "<!DOCTYPE html><html><head><title>Policies</title></head><body>"
        "<div class='cookie-banner'><p>We use cookies to make this website work and to understand how you use it; accept or reject them.</p></div>"
        "<header><a href='/'>Delta District Council</a></header><nav><ul><li><a href='/bins'>Bins</a></li><li><a href='/tax'>Council tax</a></li></ul></nav>"
        "<footer><p>Accessibility statement. Privacy notice. Contact us. All content is available under the Open Government Licence.</p></footer>"
        "</body></html>"
    )
    (project / "policy.html").write_text(page, encoding="utf-8")
    (line,) = bad(project, cli, project / "policy.html")
    assert line.startswith(
        "policy.html: no recognisable main content in the web page (0 words outside navigation, headers and footers); save the page that holds the policy"
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "policy.odt",
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            "policy.odt: this is an OpenDocument (LibreOffice) file, not a Word document;",
        ),
        ("policy.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "policy.png: this is a PNG image, not a document with text; if it is a scan of the policy,"),
        (
            "policy.rtf",
            b"{\\rtf1\\ansi Social media policy}",
            "policy.rtf: this is a rich text (.rtf) file; open it in Word and save it as a Word document (.docx)",
        ),
    ],
)
def test_unsupported_formats(project, cli, name, data, message):
    (project / name).write_bytes(data)
    (line,) = bad(project, cli, project / name)
    assert line.startswith(message)


def test_every_problem_is_reported_at_once(project, cli):
    (project / "policy.pdf").write_bytes(_pdf(encrypted=True))
    lines = bad(project, cli, project / "policy.pdf", council="Delta Council")
    assert lines[0].startswith("build.py ingest: 'Delta Council' is not a valid council id")
    assert lines[1].startswith("policy.pdf: the PDF is password-protected")


def test_existing_kept_document_is_not_overwritten(project, cli, tmp_path):
    document = make_documents.make("bridgend", "html", tmp_path / "policy.html")
    (project / "source_policies" / "originals" / "delta.html").write_text("<p>an older page</p>", encoding="utf-8")
    assert bad(project, cli, document) == [
        "build.py ingest: a document for 'delta' already exists (source_policies/originals/delta.html); choose another --council id or remove the existing file"
    ]
