"""The command line: `python build.py check|build|site ...`."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from .load import load
from .pipeline import Paths, build_site, pages, render_handbook
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
    handbook = load(paths.sources)
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
    state = "written" if changed else "already up to date"
    print(f"build: handbook/ {state}: {_summary(handbook, pages(files), started)}")
    return 0


def cmd_site(args: argparse.Namespace, paths: Paths) -> int:
    started = time.perf_counter()
    handbook, files = render_handbook(paths)
    write_tree(files, paths.handbook)
    build_site(paths)
    print(f"site: handbook/ and site/ written: {_summary(handbook, pages(files), started)}")
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
