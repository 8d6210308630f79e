"""Write stage: the only code that touches the output folders.

A folder is replaced as a whole: the new content is written to a temporary
sibling folder, then swapped in with renames, so a failure (or a killed
process) leaves the previous folder as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection
from pathlib import Path

from .lock import build_lock


class WriteError(Exception):
    """The output could not be written; the message says what to do."""


def _same(files: dict[str, str | bytes], target: Path) -> bool:
    if not target.is_dir():
        return False
    existing = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    if existing != set(files):
        return False
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        if (target / name).read_bytes() != data:
            return False
    return True


def remove_stale(target: Path) -> None:
    """Recover from an interrupted run: restore a folder a killed swap had moved aside, then
    remove any temporary folders left behind."""
    if not target.exists():
        moved = sorted(target.parent.glob(f".{target.name}.old-*"))
        if moved:
            os.rename(moved[-1], target)
    for leftover in target.parent.glob(f".{target.name}.*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def _writable(target: Path) -> None:
    parent = target.parent
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise WriteError(f"cannot write to {target.name}/: permission denied; make {parent.as_posix()}/ and {target.name}/ writable and run again")


def write_tree(files: dict[str, str | bytes], target: Path, changed: Collection[str] | None = None) -> bool:
    """Make ``target`` hold exactly ``files``. Returns False when it already did (nothing written).

    ``changed`` is for a caller that knows ``target`` already holds ``files`` but for those paths:
    the other files are then linked into the new folder rather than written again.
    """
    target = Path(target)
    with build_lock(target.parent):  # another build's clean-up would remove this one's staging folder
        return _write_tree(files, target, changed)


def _write_tree(files: dict[str, str | bytes], target: Path, changed: Collection[str] | None) -> bool:
    try:
        remove_stale(target)
    except OSError as err:
        raise WriteError(f"cannot tidy up after an interrupted build next to {target.name}/: {err.strerror or err}; check the folder's permissions") from err
    unchanged = _same(files, target) if changed is None else not changed and target.is_dir()
    if unchanged:
        return False
    staging = target.parent / f".{target.name}.new-{os.getpid()}"
    try:
        _writable(target)
        staging.mkdir(mode=0o755)
        for name, content in sorted(files.items()):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if changed is not None and name not in changed and _link(target / name, path):
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
            path.write_bytes(data)
        make_readable(staging)
        swap(staging, target)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"cannot write {target.name}/: {err.strerror or err}; check the folder's permissions and free disk space") from err
    return True


def _link(existing: Path, new: Path) -> bool:
    """Hard-link an unchanged file into the new folder (files are never changed in place)."""
    try:
        os.link(existing, new)
    except OSError:
        return False
    return True


def make_readable(folder: Path) -> None:
    """Make a folder and everything in it world-readable, whatever the umask (web servers and
    linkchecker may read it as another user)."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def swap(new: Path, target: Path) -> None:
    """Put folder ``new`` in place of ``target`` (which may not exist)."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
