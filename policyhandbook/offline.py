"""The handbook to read from a folder: the whole site, with its PDFs, as one ZIP (site/handbook-offline.zip).

Browsers open a folder's pages as files, so this copy is built with MkDocs' use_directory_urls off
(pages are linked as .html files), and everything the pages need is a file they load as a script:
search reads data/search.js, the comparison view data/clauses/<council>.js. The ZIP is reproducible:
its entries are sorted and dated with the build date.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import build_epoch
from .lock import die_with_parent
from .write import WriteError

if TYPE_CHECKING:
    from .pipeline import Paths

ZIP_NAME = "handbook-offline.zip"
FOLDER = "council-social-media-handbook"  # the folder the ZIP unpacks to


def build(paths: Paths, staging: Path, env: dict[str, str], debug: bool = False) -> Path:
    """Build the folder copy of the site and write it, with the PDFs from ``staging``, as staging/ZIP_NAME."""
    work = Path(tempfile.mkdtemp(prefix=f".{paths.site.name}.offline-", dir=paths.root))  # tidied up after a killed build, as site/ staging is
    config = paths.root / f".{paths.site.name}.offline-{os.getpid()}.yml"
    (work / "docs").mkdir()
    try:
        config.write_text(
            f"INHERIT: {json.dumps(paths.mkdocs_yml.name)}\ndocs_dir: {json.dumps(str(work / 'docs'))}\nuse_directory_urls: false\n", encoding="utf-8"
        )
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(work / "site")]
        result = subprocess.run(command, cwd=paths.root, env=env, capture_output=True, text=True, preexec_fn=die_with_parent)
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip()
            raise WriteError("mkdocs build of the offline copy failed; site/ was left as it was" + (":\n" + output if debug or output else ""))
        if (staging / "pdf").is_dir():
            shutil.copytree(staging / "pdf", work / "site" / "pdf")
        target = staging / ZIP_NAME
        write_zip(work / "site", target, build_epoch(paths.root))
        return target
    finally:
        config.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def write_zip(folder: Path, target: Path, epoch: int) -> None:
    """Every file of ``folder`` under FOLDER/, sorted, each dated with the build date (ZIP dates start in 1980)."""
    moment = datetime.fromtimestamp(max(epoch, 315532800), UTC)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
