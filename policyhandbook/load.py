"""Load the sources: read every file, check everything, then build the model.

Nothing is returned unless every file is valid; otherwise ``SourceError``
carries every problem found in every file.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .check import check_council, check_taxonomy, check_unique_clause_ids
from .lock import die_with_parent
from .model import Council, Handbook
from .problems import Problem, SourceError
from .read import display_path, read_yaml_file

TAXONOMY_FILE = "taxonomy.yaml"
PARALLEL_FROM = 40  # council files; below this, starting worker processes costs more than it saves


def council_files(source_dir: Path) -> list[Path]:
    return sorted(p for p in source_dir.glob("*.yaml") if p.name != TAXONOMY_FILE)


# A cache of checked council files for a long-running process (`mkdocs serve`): file path ->
# (its bytes, the topic ids and strictness it was checked with, its original's bytes, the council).
Cache = dict[Path, tuple[bytes, frozenset[str], bool, bytes, Council]]


def load(source_dir: Path, strict: bool = False, cache: Cache | None = None) -> Handbook:
    """Read, check and model every source; with ``strict``, unreviewed council files are problems.

    With a ``cache``, a council file is checked again only when it, its original text or the
    taxonomy has changed since it last passed; the cache is updated in place.
    """
    source_dir = Path(source_dir)
    problems: list[Problem] = []
    taxonomy_path = source_dir / TAXONOMY_FILE
    shown = display_path(taxonomy_path, source_dir.parent)
    groups = ()
    if not taxonomy_path.is_file():
        problems.append(Problem(shown, 1, "the taxonomy file is missing; create it (topics grouped under 'groups:')"))
    elif (outside := _outside(taxonomy_path, source_dir)) is not None:
        problems.append(outside)
    else:
        node, found = read_yaml_file(taxonomy_path, shown)
        problems += found
        if node is not None:
            groups, found = check_taxonomy(node, shown)
            problems += found
    topic_ids: set[str] = {topic.id for group in groups for topic in group.topics}
    if not topic_ids:
        # The taxonomy could not be read: its problem is the cause, so the councils' topics are
        # not each reported as unknown too.
        topic_ids = AnyTopic()

    councils: list[Council] = []
    files = council_files(source_dir)
    if not files:
        problems.append(
            Problem(
                display_path(source_dir, source_dir.parent),
                1,
                "no council files (*.yaml) found; add one, starting from source_policies/example/example-council.yaml",
            )
        )
    cached = {path: council for path in files if (council := _cached(cache, path, topic_ids, strict, source_dir)) is not None}
    jobs = [(path, topic_ids, source_dir, strict) for path in files if path not in cached]
    # Read before checking: a file saved again during the check is then checked again next time.
    snapshot = {job[0]: _bytes(job[0]) for job in jobs} if cache is not None else {}
    if len(jobs) >= PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1, initializer=die_with_parent) as pool:
            checked = dict(zip([job[0] for job in jobs], pool.map(_read_and_check, jobs, chunksize=16), strict=True))
    else:
        checked = {job[0]: _read_and_check(job) for job in jobs}
    results = [(cached[path], []) if path in cached else checked[path] for path in files]
    if cache is not None:
        _remember(cache, checked, snapshot, topic_ids, strict, source_dir)
    for council, found in results:
        problems += found
        if council is not None:
            councils.append(council)
    problems += check_unique_clause_ids(councils)
    if problems:
        raise SourceError(problems)
    return Handbook(groups=tuple(groups), councils=tuple(councils), version=sources_version(source_dir, councils))


class AnyTopic(set):
    """Stands for the topics of a taxonomy that could not be read: every topic id is taken as known."""

    def __contains__(self, item: object) -> bool:
        return True


def _outside(path: Path, source_dir: Path) -> Problem | None:
    """A source file that is a link to a file outside source_policies/ is refused."""
    target = path.resolve()
    if target.is_relative_to(source_dir.resolve()):
        return None
    shown = display_path(source_dir, source_dir.parent)
    return Problem(display_path(path, source_dir.parent), 1, f"this file is a link to {target}, outside {shown}/; copy the file into {shown}/ instead")


def _cached(cache: Cache | None, path: Path, topic_ids: set[str], strict: bool, source_dir: Path) -> Council | None:
    """The council checked before, if neither its file, its original, the topics nor strictness changed."""
    entry = cache.get(path) if cache is not None else None
    if entry is None:
        return None
    data, topics, was_strict, original, council = entry
    same = data == _bytes(path) and original == _bytes(source_dir / council.original)
    return council if same and topics == topic_ids and was_strict == strict else None


def _remember(
    cache: Cache,
    checked: dict[Path, tuple[Council | None, list[Problem]]],
    snapshot: dict[Path, bytes | None],
    topic_ids: set[str],
    strict: bool,
    source_dir: Path,
) -> None:
    """Keep the councils that passed; files with problems are checked again next time."""
    for path, (council, problems) in checked.items():
        cache.pop(path, None)
        data = snapshot.get(path)
        original = _bytes(source_dir / council.original) if council is not None else None
        if council is not None and not problems and data is not None and original is not None:
            cache[path] = (data, frozenset(topic_ids), strict, original, council)


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _read_and_check(job: tuple[Path, set[str], Path, bool]) -> tuple[Council | None, list[Problem]]:
    """Read and check one council file (runs in a worker process for large corpora)."""
    path, topic_ids, source_dir, strict = job
    shown = display_path(path, source_dir.parent)
    outside = _outside(path, source_dir)
    if outside is not None:
        return None, [outside]
    node, problems = read_yaml_file(path, shown)
    if node is None:
        return None, problems
    council, found = check_council(node, shown, path.stem, topic_ids, source_dir, strict)
    return council, problems + found


def sources_version(source_dir: Path, councils: list[Council]) -> str:
    """A short hash of every source file's bytes: the same sources always give the same version."""
    digest = hashlib.sha256()
    paths = [source_dir / TAXONOMY_FILE] + council_files(source_dir) + sorted({source_dir / c.original for c in councils})
    for path in paths:
        digest.update(path.relative_to(source_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
