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
from .model import Council, Handbook
from .problems import Problem, SourceError
from .read import display_path, read_yaml_file

TAXONOMY_FILE = "taxonomy.yaml"
PARALLEL_FROM = 40  # council files; below this, starting worker processes costs more than it saves


def council_files(source_dir: Path) -> list[Path]:
    return sorted(p for p in source_dir.glob("*.yaml") if p.name != TAXONOMY_FILE)


def load(source_dir: Path, strict: bool = False) -> Handbook:
    """Read, check and model every source; with ``strict``, unreviewed council files are problems."""
    source_dir = Path(source_dir)
    problems: list[Problem] = []
    taxonomy_path = source_dir / TAXONOMY_FILE
    shown = display_path(taxonomy_path, source_dir.parent)
    groups = ()
    if not taxonomy_path.is_file():
        problems.append(Problem(shown, 1, "the taxonomy file is missing; create it (topics grouped under 'groups:')"))
    else:
        node, found = read_yaml_file(taxonomy_path, shown)
        problems += found
        if node is not None:
            groups, found = check_taxonomy(node, shown)
            problems += found
    topic_ids = {topic.id for group in groups for topic in group.topics}

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
    jobs = [(path, topic_ids, source_dir, strict) for path in files]
    if len(files) >= PARALLEL_FROM:
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            results = list(pool.map(_read_and_check, jobs, chunksize=16))
    else:
        results = [_read_and_check(job) for job in jobs]
    for council, found in results:
        problems += found
        if council is not None:
            councils.append(council)
    problems += check_unique_clause_ids(councils)
    if problems:
        raise SourceError(problems)
    return Handbook(groups=tuple(groups), councils=tuple(councils), version=sources_version(source_dir, councils))


def _read_and_check(job: tuple[Path, set[str], Path, bool]) -> tuple[Council | None, list[Problem]]:
    """Read and check one council file (runs in a worker process for large corpora)."""
    path, topic_ids, source_dir, strict = job
    shown = display_path(path, source_dir.parent)
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
