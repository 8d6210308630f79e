"""Faults: a build killed midway, or between its two renames, leaves the previous handbook usable."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import pytest

from .conftest import ROOT


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def killed_build(root, patch: str, command: str = "build") -> int:
    """Run `build.py build` (or another command) in a child process that kills itself (SIGKILL) at the patched point."""
    script = "\n".join(
        [
            "import os, signal, sys",
            f"sys.path.insert(0, {str(ROOT)!r})",
            "from pathlib import Path",
            "import policyhandbook.write as write",
            "def die(*args, **kwargs):",
            "    os.kill(os.getpid(), signal.SIGKILL)",
            patch,
            "from policyhandbook.cli import main",
            f"sys.exit(main(['--root', {str(root)!r}, {command!r}]))",
        ]
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True)
    assert "Error" not in result.stderr, result.stderr
    return result.returncode


@pytest.mark.parametrize(
    "where, patch",
    [
        (
            "while writing files",
            "count = [0]\noriginal = Path.write_bytes\ndef slow(self, data):\n    count[0] += 1\n    if count[0] == 5: die()\n    return original(self, data)\nPath.write_bytes = slow",
        ),
        (
            "between the two renames",
            "original = write.os.rename\ncalls = [0]\ndef rename(a, b):\n    calls[0] += 1\n    original(a, b)\n    if calls[0] == 1: die()\nwrite.os.rename = rename",
        ),
    ],
)
def test_killed_build_loses_nothing(project, cli, where, patch):
    assert cli(project, "build").code == 0
    before = snapshot(project / "handbook")
    path = project / "source_policies" / "alpha.yaml"
    path.write_text(path.read_text().replace("summary: Applies to all councillors.", "summary: Applies to every councillor."))
    assert killed_build(project, patch) == -9
    if where == "while writing files":
        assert snapshot(project / "handbook") == before
    # The next build recovers and cleans up whatever the killed one left behind.
    assert cli(project, "build").code == 0
    assert "every councillor" in (project / "handbook" / "topics" / "scope.md").read_text()
    assert not list(project.glob(".handbook.*"))


# Two builds at once: each build runs in a long-lived worker process (so a round costs a build, not
# an interpreter start), through the real command line, with the rendering done beforehand (the
# race is in writing). Before the build lock, 49% of rounds lost pages or failed; the issue measured
# 4% with the real corpus. 150 rounds miss a 4% race with probability 0.96^150 < 0.3%.
ROUNDS = 150
WORKER = """
import pickle, sys
sys.path.insert(0, {root!r})
import policyhandbook.cli as cli
variants = pickle.loads(open({trees!r}, 'rb').read())
for line in sys.stdin:
    cli.render_handbook = lambda paths, v=variants[int(line)]: v
    print('RC=%d' % cli.main(['--root', {project!r}, 'build']), flush=True)
"""


def test_two_builds_at_once_lose_nothing(project, tmp_path):
    import pickle

    from policyhandbook.pipeline import Paths, render_handbook

    alpha = project / "source_policies" / "alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    variants = []
    for n in range(2):  # two versions of the sources, built in turn, so that every round writes
        alpha.write_text(text.replace("Applies to all councillors.", f"Version {n}."), encoding="utf-8")
        variants.append(render_handbook(Paths.at(project)))
    trees = tmp_path / "trees.pickle"
    trees.write_bytes(pickle.dumps(variants))
    expected = [{name: data.encode() if isinstance(data, str) else data for name, data in files.items()} for _, files in variants]
    script = WORKER.format(root=str(ROOT), trees=str(trees), project=str(project))
    logs = [(tmp_path / f"worker-{n}.log").open("w") for n in range(2)]
    workers = [
        subprocess.Popen([sys.executable, "-c", script], cwd=project, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True) for log in logs
    ]

    def code(worker) -> int | None:
        for line in worker.stdout:
            if line.startswith("RC="):
                return int(line[3:])
        return None

    failures = []
    try:
        for n in range(ROUNDS):
            for worker in workers:  # both start at once
                worker.stdin.write(f"{n % 2}\n")
                worker.stdin.flush()
            codes = [code(worker) for worker in workers]
            handbook = project / "handbook"
            written = {p.relative_to(handbook).as_posix(): p.read_bytes() for p in handbook.rglob("*") if p.is_file()} if handbook.is_dir() else {}
            left = sorted(p.name for p in project.glob(".handbook.*"))
            if codes != [0, 0] or written != expected[n % 2] or left:
                failures.append(
                    f"round {n}: exit codes {codes}, {len(written)} of {len(expected[n % 2])} files right: {sum(written.get(k) == v for k, v in expected[n % 2].items())}, left behind {left}"
                )
    finally:
        for worker in workers:
            worker.stdin.close()
            worker.wait(timeout=30)
            worker.stdout.close()
        for log in logs:
            log.close()
    assert not failures, f"{len(failures)} of {ROUNDS} rounds went wrong:\n" + "\n".join(failures[:10])
    waited = [line for n in range(2) for line in (tmp_path / f"worker-{n}.log").read_text().splitlines()]
    assert waited and all(re.fullmatch(r"build\.py: another build is running \(pid \d+\); waiting for it to finish", line) for line in waited), waited[:5]


# A site build stopped at the wrong moment -------------------------------------------------------

NO_PDFS = "import policyhandbook.pdf as pdf\npdf.build_pdfs = lambda *args, **kwargs: pdf.Report()"


def _old_site(project):
    site = project / "site"
    (site / "topics").mkdir(parents=True)
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    (site / "topics" / "index.html").write_text("its topics", encoding="utf-8")
    return snapshot(site)


def test_a_site_build_killed_between_its_two_renames_loses_nothing(project, cli):
    """Killed after moving site/ aside and before putting the new one in place, a build left no site/;
    now the next command puts the previous one back and removes what the killed build left."""
    assert cli(project, "build").code == 0
    before = _old_site(project)
    patch = NO_PDFS + "\noriginal = write.os.rename\ndef rename(a, b):\n    original(a, b)\n    if Path(a).name == 'site': die()\nwrite.os.rename = rename"
    assert killed_build(project, patch, "site") == -9
    assert not (project / "site").exists() and list(project.glob(".site.old-*")) and list(project.glob(".site.new-*"))
    assert cli(project, "build").code == 0
    assert snapshot(project / "site") == before
    assert not list(project.glob(".site.*"))


def test_a_site_build_killed_while_rendering_pdfs_leaves_no_worker_running(project, cli, tmp_path):
    """Its PDF workers die with it (they ran on, holding memory and the build lock), and the next
    build removes its staging folder (as big as the site) without waiting for anything."""
    import os
    import signal
    import time

    assert cli(project, "build").code == 0
    (project / "handbook" / "about.md").unlink()  # the killed build has something to write
    marks = tmp_path / "workers"
    marks.mkdir()
    script = "\n".join(
        [
            "import os, sys, time",
            f"sys.path.insert(0, {str(ROOT)!r})",
            "import policyhandbook.pdf_render as pdf",
            "def slow(html):",
            f"    open(os.path.join({str(marks)!r}, str(os.getpid())), 'w').close()",
            "    time.sleep(120)",
            "pdf.html_to_pdf = slow",
            "from policyhandbook.cli import main",
            f"sys.exit(main(['--root', {str(project)!r}, 'site']))",
        ]
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(list(marks.iterdir())) < 2 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
        workers = [int(p.name) for p in marks.iterdir()]
        assert len(workers) == 2, "the PDF workers did not start"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()

    def running(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 5
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if running(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"PDF workers {left} still running after their build was killed"
    assert list(project.glob(".site.new-*"))
    result = cli(project, "build")
    assert result.code == 0 and "waiting" not in result.err
    assert not list(project.glob(".site.*"))


def test_a_site_that_cannot_be_replaced_is_a_clear_error(project, cli, monkeypatch):
    """An immutable (chattr +i) or read-only site/ was an internal error (PermissionError)."""
    import policyhandbook.pipeline as pipeline

    assert cli(project, "build").code == 0
    before = _old_site(project)
    monkeypatch.setattr(pipeline.pdf, "build_pdfs", lambda *args, **kwargs: pipeline.pdf.Report())
    immutable = subprocess.run(["chattr", "+i", str(project / "site")], capture_output=True).returncode == 0
    if not immutable:  # chattr needs root and a file system that supports it: refuse the rename instead
        import policyhandbook.write as write

        rename = write.os.rename

        def refuse(a, b):
            if str(a).endswith("/site"):
                raise PermissionError(1, "Operation not permitted")
            rename(a, b)

        monkeypatch.setattr(write.os, "rename", refuse)
    try:
        result = cli(project, "site")
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(project / "site")], check=True)
    assert result.code == 1
    assert result.lines == [
        "build.py: cannot replace site/: Operation not permitted; site/ was left as it was; check that site/ and the folder holding it "
        "can be written (not read-only, not marked immutable: see lsattr -d site) and run again"
    ]
    assert snapshot(project / "site") == before
    assert not list(project.glob(".site.*"))


def test_a_full_disk_during_mkdocs_is_one_line(project, cli, monkeypatch):
    """mkdocs crashing on a full disk printed its 31-line traceback; now one line says what to do."""
    import policyhandbook.pipeline as pipeline

    assert cli(project, "build").code == 0
    before = _old_site(project)
    # A child that fails as mkdocs does when the disk fills up: a traceback ending in ENOSPC.
    full = "def copy():\n    with open('/dev/full', 'wb') as out:\n        out.write(bytes(1 << 20))\ncopy()"
    monkeypatch.setattr(pipeline, "mkdocs_command", lambda paths, staging: [sys.executable, "-c", full])
    result = cli(project, "site")
    assert result.code == 1
    assert result.lines == [
        "build.py: mkdocs build failed: OSError: [Errno 28] No space left on device; site/ was left as it was; "
        "free some disk space and run again (run with --debug for the full output)"
    ]
    assert snapshot(project / "site") == before
    assert not list(project.glob(".site.*"))
    assert "Traceback" in cli(project, "--debug", "site").err
