"""MkDocs hook: regenerate handbook/ from the sources before each build, set the navigation,
and make `mkdocs serve` watch the sources and templates. During `mkdocs serve`, a saved file
regenerates only the pages it affects (policyhandbook/incremental.py)."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from markupsafe import Markup, escape  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from pathspec.gitignore import GitIgnoreSpec  # noqa: E402

from policyhandbook import search  # noqa: E402
from policyhandbook.dates import build_date, long_date  # noqa: E402
from policyhandbook.incremental import rebuilder  # noqa: E402
from policyhandbook.load import load  # noqa: E402
from policyhandbook.pipeline import Paths, navigation, not_in_nav  # noqa: E402
from policyhandbook.problems import SourceError  # noqa: E402
from policyhandbook.render import render  # noqa: E402
from policyhandbook.write import write_tree  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handbook")


def on_startup(command, dirty):
    """`mkdocs serve` keeps serving the last good pages while a saved source has problems."""
    rebuilder(Paths.at(ROOT)).serving = command == "serve"


def on_config(config):
    if config["use_directory_urls"] is False:
        return offline_config(config)
    builder = rebuilder(Paths.at(ROOT))
    start = time.perf_counter()
    try:
        handbook = builder.build()
        builder.problems = []
        log.info("handbook/: %d of %d files regenerated in %.2f s", builder.last_rendered, len(builder.files), time.perf_counter() - start)
    except SourceError as err:
        if not (builder.serving and builder.handbook is not None):
            raise PluginError(f"{err}\n{err.summary()}") from None
        # A preview whose build failed would hold every request until the file is fixed: serve the
        # last good pages instead, each saying what is wrong. (Printed, not logged: a logged error
        # would fail the build in strict mode.)
        builder.problems = [str(problem) for problem in err.problems]
        n = len(builder.problems)
        summary = f"handbook/: not regenerated ({n} problem{'s' if n != 1 else ''}); the preview shows the last good pages until they are fixed"
        print("\n".join([*builder.problems, summary]), file=sys.stderr, flush=True)
        handbook = builder.handbook
    config["nav"] = navigation(handbook)
    config["copyright"] = f"{config['copyright']} Built {long_date(build_date(ROOT))}."
    left_out = not_in_nav(handbook)
    if left_out:
        config["not_in_nav"] = GitIgnoreSpec.from_lines(left_out)
    return config


def offline_config(config):
    """The copy of the site read from a folder (`build.py site` makes it with use_directory_urls off):
    pages are linked as .html files, so the handbook is rendered for that into the given docs_dir."""
    paths = Paths.at(ROOT)
    try:
        handbook = load(paths.sources)
    except SourceError as err:
        raise PluginError(f"{err}\n{err.summary()}") from None
    write_tree(render(handbook, paths.templates, paths.sources, files=True), Path(config["docs_dir"]))
    config["nav"] = navigation(handbook)
    config["copyright"] = f"{config['copyright']} Built {long_date(build_date(ROOT))}."
    left_out = not_in_nav(handbook)
    if left_out:
        config["not_in_nav"] = GitIgnoreSpec.from_lines(left_out)
    return config


def text(value):
    """A value from the sources as the theme's templates must print it. MkDocs renders them with
    autoescape off, so council names, document and topic titles, which reach the navigation, the
    page title, the header and the meta description, would otherwise be read as HTML; as Markup,
    they print escaped, and the theme's own ``| e`` leaves them as they are."""
    return value if value is None or isinstance(value, Markup) else Markup(escape(value))


def on_nav(nav, config, files):
    """Every title in the navigation (sections, pages, links) is text."""
    items = list(nav.items)
    while items:
        item = items.pop()
        item.title = text(item.title)
        items += getattr(item, "children", None) or []
    return nav


def on_page_context(context, page, config, nav):
    """The page's own title and description (its front matter) are text."""
    for key in ("title", "description"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = text(page.meta[key])
    return context


def on_page_content(html, page, config, files):
    """While the sources have problems (during `mkdocs serve`), every page says so, above its content."""
    problems = rebuilder(Paths.at(ROOT)).problems
    if not problems:
        return html
    shown = "".join(f"<li><code>{escape(problem)}</code></li>" for problem in problems[:20])
    more = f"<p>And {len(problems) - 20} more: see the terminal running <code>make serve</code>.</p>" if len(problems) > 20 else ""
    return (
        '<div class="admonition failure" role="alert"><p class="admonition-title">The sources have problems: '
        "this preview shows the last pages that built</p>"
        f"<ul>{shown}</ul>{more}<p>Fix them and save: the preview rebuilds by itself.</p></div>\n" + html
    )


def on_serve(server, config, builder):
    paths = Paths.at(ROOT)
    for path in (paths.sources, paths.templates):
        server.watch(str(path))
    return server


def on_post_build(config):
    """Index the built site for search (Pagefind, from the pinned Python package's binary). The copy
    read from a folder searches data/search.js instead: browsers do not let it load an index."""
    if config["use_directory_urls"] is False:
        return
    start = time.perf_counter()
    try:
        search.index(Path(config["site_dir"]))
    except search.SearchError as err:
        raise PluginError(str(err)) from None
    log.info("search index built in %.2f s", time.perf_counter() - start)
