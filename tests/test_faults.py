"""Faults: a build killed midway, or between its two renames, leaves the previous handbook usable."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from .conftest import ROOT


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def killed_build(root, patch: str) -> int:
    """Run `build.py build` in a child process that kills itself (SIGKILL) at the patched point."""
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
            f"sys.exit(main(['--root', {str(root)!r}, 'build']))",
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
