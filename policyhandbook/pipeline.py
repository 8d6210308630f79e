"""The pipeline: read and check the sources, build the model, render, write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import offline, pdf
from .load import load
from .lock import build_lock, child_environment, die_with_parent
from .model import Handbook
from .render import compact, render
from .write import WriteError, make_readable, remove_stale, swap, write_tree


@dataclass(frozen=True)
class Paths:
    root: Path
    sources: Path
    templates: Path
    handbook: Path
    site: Path
    mkdocs_yml: Path

    @classmethod
    def at(cls, root: Path) -> Paths:
        root = Path(root).resolve()
        return cls(root, root / "source_policies", root / "templates", root / "handbook", root / "site", root / "mkdocs.yml")


def render_handbook(paths: Paths) -> tuple[Handbook, dict[str, str | bytes]]:
    handbook = load(paths.sources)
    return handbook, render(handbook, paths.templates, paths.sources)


def build_handbook(paths: Paths) -> Handbook:
    """Check the sources and (re)write handbook/; leaves it untouched when nothing changed."""
    handbook, files = render_handbook(paths)
    write_tree(files, paths.handbook)
    return handbook


def pages(files: dict[str, str | bytes]) -> int:
    return sum(1 for name in files if name.endswith(".md"))


def mkdocs_command(paths: Paths, staging: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(paths.mkdocs_yml), "-d", str(staging)]


def mkdocs_failure(output: str) -> str:
    """What to say when mkdocs fails: its own messages, or, for a crash, only the error at the end of
    its traceback (a full disk, a folder that cannot be written) with what to do about it."""
    output = output.strip()
    if "Traceback (most recent call last)" not in output:
        return "mkdocs build failed; site/ was left as it was:\n" + output
    last = [line for line in output.splitlines() if line.strip() and not line.startswith((" ", "\t"))][-1]
    hint = (
        "free some disk space and run again"
        if "No space left" in last or "Errno 28" in last
        else "check the folder's permissions and free disk space, then run again"
    )
    return f"mkdocs build failed: {last.strip()}; site/ was left as it was; {hint} (run with --debug for the full output)"


def recover_site(paths: Paths) -> None:
    """Undo what a killed `build.py site` left: put back the site/ it had moved aside, and remove its
    staging folders (each as big as the site)."""
    with build_lock(paths.root):
        try:
            remove_stale(paths.site)
        except OSError as err:
            raise WriteError(f"cannot tidy up after an interrupted site build: {err.strerror or err}; check the folder's permissions") from err


def build_site(paths: Paths, handbook: Handbook | None = None, debug: bool = False) -> pdf.Report:
    """Run `mkdocs build --strict` into a temporary folder, add the PDFs (site/pdf/), then swap it in place of site/.
    Holds the project's build lock throughout, so a second build waits instead of swapping folders under this one."""
    with build_lock(paths.root):
        return _build_site(paths, handbook, debug)


def _build_site(paths: Paths, handbook: Handbook | None, debug: bool) -> pdf.Report:
    recover_site(paths)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".site.new-", dir=paths.root))
    except OSError as err:
        raise WriteError(
            f"cannot write next to site/: {err.strerror or err}; site/ was left as it was; check the folder's permissions and free disk space"
        ) from err
    env = child_environment(paths.root, dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    try:
        result = subprocess.run(mkdocs_command(paths, staging), cwd=paths.root, env=env, capture_output=True, text=True, preexec_fn=die_with_parent)
        if result.returncode != 0:
            output = result.stderr or result.stdout
            raise WriteError("mkdocs build failed; site/ was left as it was:\n" + output.strip() if debug else mkdocs_failure(output))
        try:
            report = pdf.build_pdfs(handbook or load(paths.sources), paths.root, paths.templates, staging / pdf.PDF_DIR)
        except OSError as err:
            raise WriteError(
                f"cannot write the PDFs: {err.strerror or err}; site/ was left as it was; check the folder's permissions and free disk space"
            ) from err
        offline.build(paths, staging, env, debug)
        make_readable(staging)
        try:
            swap(staging, paths.site)
        except OSError as err:
            raise WriteError(
                f"cannot replace site/: {err.strerror or err}; site/ was left as it was; check that site/ and the folder holding it "
                "can be written (not read-only, not marked immutable: see lsattr -d site) and run again"
            ) from err
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot build the site: {err.strerror or err}; site/ was left as it was; check the folder's permissions and free disk space") from err
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def not_in_nav(handbook: Handbook) -> list[str]:
    """Pages deliberately left out of the navigation (MkDocs' `not_in_nav` patterns)."""
    return ["/councils/*.md", "!/councils/index.md"] if compact(handbook) else []


def navigation(handbook: Handbook) -> list:
    """The site's navigation, in taxonomy and source order. A large handbook lists its councils on
    the councils page, the matrix and search rather than in a sidebar of hundreds of links (which every
    page would carry)."""
    councils = [] if compact(handbook) else [{c.short_name: f"councils/{c.id}.md"} for c in handbook.councils]
    return [
        {"Home": "index.md"},
        {"Coverage matrix": "matrix.md"},
        {"Topics": [{"All topics": "topics/index.md"}] + [{group.title: [{t.title: f"topics/{t.id}.md"} for t in group.topics]} for group in handbook.groups]},
        {"Councils": [{"All councils": "councils/index.md"}, *councils]},
        {"Shared wording": "similar.md"},
        {"Compare wording": "compare.md"},
        {"Search": "search.md"},
        {"Your draft": "draft.md"},
        {"Open data": "data.md"},
        {"About and method": "about.md"},
        {"Accessibility statement": "accessibility.md"},
    ]
