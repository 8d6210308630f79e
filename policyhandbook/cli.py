"""The command line: `python build.py check|build|site|draft|pack|ingest ...`."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from .load import load
from .pipeline import Paths, build_site, pages, recover_site, render_handbook
from .problems import SourceError
from .provenance import coverage
from .write import WriteError, write_tree

ROOT = Path(__file__).resolve().parent.parent


def _summary(handbook, n_pages: int, started: float) -> str:
    return (
        f"{len(handbook.councils)} councils, {len(handbook.clauses)} clauses, {len(handbook.topics)} topics, "
        f"{n_pages} pages, {time.perf_counter() - started:.2f} s"
    )


def cmd_check(args: argparse.Namespace, paths: Paths) -> int:
    started = time.perf_counter()
    handbook = load(paths.sources, strict=args.strict)
    if args.coverage:
        for council in handbook.councils:
            result = coverage(council, (paths.sources / council.original).read_text(encoding="utf-8"))
            print(f"{council.path}: {result.ratio:.1%} of the original's {result.words} words quoted")
    print(f"check: ok: {_summary(handbook, 0, started).replace(', 0 pages', '')}")
    return 0


def cmd_build(args: argparse.Namespace, paths: Paths) -> int:
    started = time.perf_counter()
    handbook, files = render_handbook(paths)
    changed = write_tree(files, paths.handbook)
    recover_site(paths)  # a site/ a killed `site` had moved aside comes back
    state = "written" if changed else "already up to date"
    print(f"build: handbook/ {state}: {_summary(handbook, pages(files), started)}")
    return 0


def cmd_site(args: argparse.Namespace, paths: Paths) -> int:
    started = time.perf_counter()
    handbook, files = render_handbook(paths)
    write_tree(files, paths.handbook)
    report = build_site(paths, handbook, debug=args.debug)
    print(f"site: handbook/ and site/ written: {_summary(handbook, pages(files), started)}; {report}")
    return 0


def cmd_pack(args: argparse.Namespace, paths: Paths) -> int:
    from . import pdf

    started = time.perf_counter()
    handbook = load(paths.sources)
    try:
        spec = pdf.pack_spec(handbook, args.council, args.topics, args.peers, args.large_print)
    except pdf.PackError as err:
        for line in str(err).splitlines():
            print(f"build.py pack: {line}", file=sys.stderr)
        return 1
    output = args.output
    if output.suffix.lower() != ".pdf":
        print(f"build.py pack: cannot write '{output}': the output must end in .pdf", file=sys.stderr)
        return 1
    if not output.parent.is_dir():
        print(
            f"build.py pack: cannot write '{output}': the folder '{output.parent}' does not exist; create it or choose another place with -o", file=sys.stderr
        )
        return 1
    try:
        report = pdf.build_pack(handbook, paths.root, paths.templates, spec, output)
    except OSError as err:
        print(f"build.py pack: cannot write {output}: {err.strerror or err}; choose another place with -o", file=sys.stderr)
        return 1
    what = f"{handbook.council_by_id[spec.council].name}, " if spec.council else ""
    n = len(spec.topics)
    peers = f", compared with {', '.join(spec.peer_ids)}" if spec.peers else ""
    large = ", large print" if spec.large_print else ""
    print(
        f"pack: wrote {output}: {what}{n} topic{'s' if n != 1 else ''} ({', '.join(spec.topics)}){peers}{large}, "
        f"{report.total_pages} pages, {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_draft(args: argparse.Namespace, paths: Paths) -> int:
    from .config import site_url
    from .draft import build_draft, warnings
    from .read import display_path

    output = args.output or Path(args.selection.with_suffix(".docx").name)
    if output.suffix.lower() not in (".docx", ".md"):
        print(f"build.py: cannot write '{output}': the output must end in .docx (Word) or .md (Markdown)", file=sys.stderr)
        return 1
    handbook = load(paths.sources)
    try:
        selection, blocks = build_draft(handbook, args.selection, output, site_url(paths.root))
    except OSError as err:
        print(f"build.py: cannot write {output}: {err.strerror}; choose another place with -o", file=sys.stderr)
        return 1
    for line in warnings(handbook, selection, display_path(args.selection)):
        print(f"warning: {line}", file=sys.stderr)
    clauses = len(selection.clauses)
    sections = len(selection.sections)
    councils = sum(1 for block in blocks if block[0] == "source")
    print(
        f"draft: wrote {output}: {clauses} clause{'s' if clauses != 1 else ''} in {sections} section{'s' if sections != 1 else ''} "
        f"from {councils} council{'s' if councils != 1 else ''}"
    )
    return 0


def cmd_ingest(args: argparse.Namespace, paths: Paths) -> int:
    from .check import DATE_RE
    from .ingest import IngestError, ingest, report_lines

    started = time.perf_counter()
    if args.date is not None and not DATE_RE.match(args.date):
        print(f"build.py ingest: --date must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated', not '{args.date}'", file=sys.stderr)
        return 1
    given = {key: getattr(args, key) for key in ("title", "kind", "nation", "audience", "status", "date")}
    try:
        report = ingest(args.raw, args.council, args.name, paths.sources, args.output_dir, given, root=Path.cwd())
    except IngestError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print("build.py ingest: nothing was written.", file=sys.stderr)
        return 1
    for line in report_lines(report, Path.cwd()):
        print(line)
    topics = len({t for d in report.drafts for t in d.topics})
    print(f"ingest: {len(report.drafts)} clauses, {topics} topics, {len(report.attention)} to review first, {time.perf_counter() - started:.2f} s")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="build.py",
        description="Build the Council Social Media Policy Handbook from source_policies/.",
        epilog="Run 'python build.py COMMAND --help' for a command's options.",
    )
    main.add_argument("--debug", action="store_true", help="show a full traceback when something goes wrong")
    main.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: the folder holding build.py)")
    commands = main.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check",
        help="check every source file and report every problem",
        description="Check the taxonomy and every council file; report every problem as file:line: message. Writes nothing.",
    )
    check.add_argument("--coverage", action="store_true", help="also print how much of each original the clauses quote")
    check.add_argument(
        "--strict",
        action="store_true",
        help="also refuse council files marked 'reviewed: false' (topics suggested by 'build.py ingest' and not yet reviewed); use before publishing",
    )
    check.set_defaults(run=cmd_check)

    build = commands.add_parser(
        "build",
        help="check, then write handbook/",
        description="Check the sources, then render the handbook's Markdown pages and open data into handbook/. The previous handbook/ is kept if anything fails.",
    )
    build.set_defaults(run=cmd_build)

    site = commands.add_parser(
        "site",
        help="build handbook/ then the website into site/",
        description="Build handbook/, then run 'mkdocs build --strict' into a temporary folder and swap it into site/.",
    )
    site.set_defaults(run=cmd_site)

    draft = commands.add_parser(
        "draft",
        help="build a Word (or Markdown) draft from a selection file",
        description=(
            "Build the same document as the /draft/ page's Word export from a selection file, which the page's "
            "'Download selection' button saves: 'title:', 'audience:' (members, staff or both) and 'sections:', each with a "
            "'heading:' or 'topics:', a 'note:' and its 'content:' (clause ids, '- clause: ID' with 'note: ...', and "
            "'- text: ...' for your own wording). Older files list 'clauses:' (ids, or '- id: ...' with 'topic: ...') and "
            "'notes:' (topic id: text), filed under the taxonomy's topics. Clauses from a policy written for another "
            "audience than the protocol's are named in a warning; the document links every quotation to the handbook "
            "at mkdocs.yml's site_url."
        ),
    )
    draft.add_argument("selection", type=Path, metavar="SELECTION.yaml", help="the selection file")
    draft.add_argument("-o", "--output", type=Path, metavar="FILE", help="where to write: FILE.docx or FILE.md (default: SELECTION.docx here)")
    draft.set_defaults(run=cmd_draft)

    pack = commands.add_parser(
        "pack",
        help="build a printable PDF pack: one council's policy and the chosen topics compared with its peers",
        description=(
            "Build an A4 PDF pack: with --council, that council's policy in full, then the chosen topics "
            "compared across the council and its peers, then where its policy is silent and what its peers say there; "
            "without --council, the chosen topics compared across every council (a topic-only pack). The peers are, "
            "by default, the councils most like it (the same kind and nation first, then the same audience, the closest "
            "in length first, up to four), named on the cover with why. 'make site' builds every council's members' "
            "pack into site/pdf/packs/, in standard and large print."
        ),
        epilog="Example: python build.py pack --council oxford --peers wiltshire,bridgend --topics disclaimer,meetings,sanctions -o pack.pdf",
    )
    pack.add_argument("--council", metavar="ID", help="the council whose policy opens the pack, e.g. oxford (default: none, a topic-only pack)")
    pack.add_argument(
        "--topics",
        metavar="IDS",
        help="topic ids separated by commas (default: the five key topics: disclaimer,safeguarding,pre-election,meetings,sanctions)",
    )
    pack.add_argument(
        "--peers", metavar="IDS", help="the councils to compare it with, ids separated by commas (default: its four most comparable councils); needs --council"
    )
    pack.add_argument(
        "--large-print",
        action="store_true",
        help="large print: 16 pt and more, sans-serif, left-aligned, generous spacing, no italics, one column (RNIB clear print guidance)",
    )
    pack.add_argument("-o", "--output", type=Path, metavar="FILE.pdf", required=True, help="where to write the PDF")
    pack.set_defaults(run=cmd_pack)

    ingest = commands.add_parser(
        "ingest",
        help="turn a policy (Word, PDF, web page or plain text) into a new council source file, with suggested topics",
        description=(
            "Read a council's policy from the document it publishes (Word .docx, a text-based PDF, a saved web page) or "
            "from plain text, cut it into clauses at the policy's "
            "own structure (numbered sections and paragraphs, headings, lists kept with their lead-in), clean the "
            "extraction debris without changing a word, and suggest topics for every clause, each with a confidence, "
            "learned from the clauses already tagged in source_policies/, with the tagged clauses each leans on. "
            "Writes source_policies/ID.yaml marked 'reviewed: false' and the text to source_policies/originals/ID.txt "
            "(a document is kept beside it, as originals/ID.docx, .pdf or .html); never overwrites. "
            "Ends with a review report: the clauses, the topics suggested and those needing attention."
        ),
        epilog='Example: python build.py ingest policy.txt --council north-somerset --name "North Somerset Council"',
    )
    ingest.add_argument(
        "raw", type=Path, metavar="DOCUMENT", help="the policy: a Word document (.docx), a PDF with text, a saved web page (.html) or UTF-8 text"
    )
    ingest.add_argument("--council", required=True, metavar="ID", help="the new council's id: lower case, digits and hyphens, e.g. north-somerset")
    ingest.add_argument("--name", required=True, metavar="NAME", help='the council\'s full name, e.g. "North Somerset Council"')
    ingest.add_argument("-o", "--output-dir", type=Path, metavar="DIR", help="write ID.yaml and originals/ID.txt into DIR instead of source_policies/")
    ingest.add_argument("--title", help="the document's title (default: guessed from the text's title lines)")
    ingest.add_argument("--kind", help="the kind of council, e.g. 'district council' (default: guessed from the name)")
    ingest.add_argument("--nation", choices=("England", "Wales", "Scotland", "Northern Ireland"), help="default: guessed from the name")
    ingest.add_argument("--audience", choices=("members", "staff", "both"), help="who the policy is for (default: guessed from the text)")
    ingest.add_argument("--status", choices=("draft", "adopted", "not stated"), help="default: 'draft' when the text is marked DRAFT, else 'not stated'")
    ingest.add_argument("--date", help="YYYY, YYYY-MM, YYYY-MM-DD or 'undated' (default: a year on the title page, else 'undated')")
    ingest.set_defaults(run=cmd_ingest)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    paths = Paths.at(args.root)
    try:
        return args.run(args, paths)
    except SourceError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(err.summary(), file=sys.stderr)
        return 1
    except WriteError as err:
        print(f"build.py: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a bug: keep the user's files, say how to report it
        if args.debug:
            traceback.print_exc()
        else:
            print(f"build.py: internal error: {type(err).__name__}: {err}; run again with --debug for details and report it", file=sys.stderr)
        return 2
