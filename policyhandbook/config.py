"""Settings read from the project's mkdocs.yml, in one place.

The handbook's web address is set once, as MkDocs' ``site_url``; the Word drafts (and anything else
that must link back to the online handbook, such as printed packs) read it through ``site_url``.
"""

from __future__ import annotations

from pathlib import Path

import yaml


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
