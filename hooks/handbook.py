"""MkDocs hook: regenerate handbook/ from the sources before each build, set the navigation,
and make `mkdocs serve` watch the sources and templates."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import PluginError  # noqa: E402

from policyhandbook.pipeline import Paths, build_handbook, navigation  # noqa: E402
from policyhandbook.problems import SourceError  # noqa: E402


def on_config(config):
    paths = Paths.at(ROOT)
    try:
        handbook = build_handbook(paths)
    except SourceError as err:
        raise PluginError(f"{err}\n{err.summary()}") from None
    config["nav"] = navigation(handbook)
    return config


def on_serve(server, config, builder):
    paths = Paths.at(ROOT)
    for path in (paths.sources, paths.templates):
        server.watch(str(path))
    return server
