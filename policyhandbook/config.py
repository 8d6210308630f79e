"""Settings read from the project's mkdocs.yml, in one place.

The handbook's web address is set once, as MkDocs' ``site_url``; the Word drafts (and anything else
that may link back to the online handbook) read it through ``site_url``; the PDFs, which must print it,
through ``site_address``, which reports a missing or malformed address as ``mkdocs.yml:line``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .problems import Problem, SourceError


class _Loader(yaml.SafeLoader):
    """A safe loader that reads MkDocs' own tags (``!ENV``, ``!relative``, ``!!python/name``) as plain values."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _untagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def site_url(root: Path) -> str:
    """The handbook's address from ``root/mkdocs.yml`` (``site_url``), ending in '/'; '' when it is not set
    (or the file is missing), in which case exports say where to find a clause without linking to it."""
    try:
        config = yaml.load((Path(root) / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError):
        return ""
    value = config.get("site_url") if isinstance(config, dict) else None
    if not isinstance(value, str) or not value.strip():
        return ""
    return value.strip().rstrip("/") + "/"


_SITE_URL = re.compile(r"""^site_url:[ \t]*(?:"([^"]*)"|'([^']*)'|([^#\s]*))""")


def site_address(root: Path) -> str:
    """The handbook's web address, from mkdocs.yml's ``site_url`` (the one place it is set), ending in '/'.

    Every PDF prints it; a missing or empty ``site_url`` is an error, reported as file:line."""
    path = Path(root) / "mkdocs.yml"
    shown = "mkdocs.yml"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise SourceError([Problem(shown, 1, f"cannot read it ({err.strerror or err}); the PDFs print the handbook's address, its site_url")]) from err
    for number, line in enumerate(lines, start=1):
        match = _SITE_URL.match(line)
        if match:
            url = next(g for g in match.groups() if g is not None).strip()
            if not re.match(r"https?://[^/\s]+", url):
                raise SourceError(
                    [
                        Problem(
                            shown,
                            number,
                            f"site_url is {'empty' if not url else repr(url)}: set it to the handbook's web address, "
                            "e.g. site_url: https://handbook.example.org/ (every PDF prints it)",
                        )
                    ]
                )
            return url if url.endswith("/") else url + "/"
    raise SourceError([Problem(shown, 1, "no site_url: add 'site_url: https://...' (the handbook's web address, which every PDF prints)")])
