"""The pipeline: read and check the sources, build the model, render, write."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import pdf
from .load import load
from .model import Handbook
from .render import compact, render
from .write import WriteError, make_readable, swap, write_tree


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


def build_site(paths: Paths, handbook: Handbook | None = None) -> pdf.Report:
    """Run `mkdocs build --strict` into a temporary folder, add the PDFs (site/pdf/), then swap it in place of site/."""
    staging = Path(tempfile.mkdtemp(prefix=".site.new-", dir=paths.root))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(paths.mkdocs_yml), "-d", str(staging)],
        cwd=paths.root,
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        if result.returncode != 0:
            raise WriteError("mkdocs build failed; site/ was left as it was:\n" + (result.stderr or result.stdout).strip())
        try:
            report = pdf.build_pdfs(handbook or load(paths.sources), paths.root, paths.templates, staging / pdf.PDF_DIR)
        except OSError as err:
            raise WriteError(
                f"cannot write the PDFs: {err.strerror or err}; site/ was left as it was; check the folder's permissions and free disk space"
            ) from err
        make_readable(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap(staging, paths.site)
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
