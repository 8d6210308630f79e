"""Shared fixtures: a tiny project built from tests/fixtures/mini, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policyhandbook.cli import main

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


def make_project(target: Path, sources: Path = MINI / "source_policies") -> Path:
    """A project folder holding ``sources`` and the real templates, config and code."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(sources, target / "source_policies")
    for name in ("templates", "hooks", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    os.symlink(ROOT / "policyhandbook", target / "policyhandbook")
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run build.py in-process from inside a project folder, so paths print as the user sees them."""

    def run(root: Path, *args: str) -> Result:
        monkeypatch.chdir(root)
        code = main(["--root", str(root), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
