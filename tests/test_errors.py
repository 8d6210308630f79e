"""Bad input: every problem reported at once as path:line: message, exit 1, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

SUMMARY_1 = "build.py: 1 error in 1 file; nothing was written."

# (name, file, text to replace, replacement, expected messages)
CASES = [
    (
        "unparseable",
        "alpha.yaml",
        "heading: Scope\n    topics: [scope]",
        "heading: Scope\n    topics: [scope",
        [
            "source_policies/alpha.yaml:18: cannot parse the file: a list opened with '[' is not closed with ']' (YAML: did not find expected ',' or ']'); check the indentation and quoting on this line and the one before"
        ],
    ),
    (
        "unknown topic, near",
        "alpha.yaml",
        "topics: [sanctions]",
        "topics: [sanctionz]",
        ["source_policies/alpha.yaml:34: clause 'alpha-2-1': unknown topic 'sanctionz'. Did you mean 'sanctions'?"],
    ),
    (
        "unknown topic, far",
        "alpha.yaml",
        "topics: [sanctions]",
        "topics: [weather]",
        ["source_policies/alpha.yaml:34: clause 'alpha-2-1': unknown topic 'weather'. See source_policies/taxonomy.yaml for the topics."],
    ),
    (
        "duplicate clause id",
        "alpha.yaml",
        "id: alpha-2-1",
        "id: alpha-1-1",
        ["source_policies/alpha.yaml:31: duplicate clause id 'alpha-1-1' (also at source_policies/alpha.yaml:14); give each clause its own id"],
    ),
    (
        "empty clause text",
        "alpha.yaml",
        "text: |\n      Breaches may be referred to the Monitoring Officer.",
        'text: "  "',
        ["source_policies/alpha.yaml:36: clause 'alpha-2-1': text is empty; add the clause's wording or delete the clause"],
    ),
    (
        "missing metadata field",
        "alpha.yaml",
        "title: Social media policy\n",
        "",
        ["source_policies/alpha.yaml:1: missing required field 'title'; add it (see source_policies/example/example-council.yaml)"],
    ),
    (
        "invalid metadata value",
        "alpha.yaml",
        "audience: members",
        "audience: councillors",
        ["source_policies/alpha.yaml:7: field 'audience' must be one of 'members', 'staff', 'both', not 'councillors'"],
    ),
    (
        "invalid date",
        "alpha.yaml",
        'date: "2024-05"',
        'date: "May 2024"',
        ["source_policies/alpha.yaml:9: field 'date' must be YYYY, YYYY-MM, YYYY-MM-DD or 'undated', not 'May 2024'"],
    ),
    (
        "council id disagrees with file name",
        "alpha.yaml",
        "id: alpha\n",
        "id: alfa\n",
        ["source_policies/alpha.yaml:1: council id 'alfa' does not match the file name 'alpha.yaml'; rename the file or change the id"],
    ),
    (
        "clause not in the original",
        "alpha.yaml",
        "This policy applies to all councillors.",
        "This policy applies to every councillor.",
        [
            "source_policies/alpha.yaml:20: clause 'alpha-1-1': text not found in the original (source_policies/originals/alpha.txt): "
            "after 'This policy applies to', the clause has 'every councillor.'; copy the wording exactly from the original"
        ],
    ),
    (
        "unknown field",
        "alpha.yaml",
        "kind: town council",
        "kind: town council\ntitel: x",
        ["source_policies/alpha.yaml:5: unknown field 'titel'. Did you mean 'title'?"],
    ),
    (
        "no topics",
        "alpha.yaml",
        "topics: [sanctions]",
        "topics: []",
        ["source_policies/alpha.yaml:34: clause 'alpha-2-1': no topics; add at least one topic id from source_policies/taxonomy.yaml"],
    ),
    (
        "yaml alias",
        "alpha.yaml",
        "topics: [sanctions]",
        "topics: &t [sanctions]\n    summary: *t",
        ["source_policies/alpha.yaml:34: YAML anchors and aliases (&name, *name) are not allowed; write each value out in full"],
    ),
    (
        "original missing",
        "alpha.yaml",
        "original: originals/alpha.txt",
        "original: originals/alpha-v2.txt",
        [
            "source_policies/alpha.yaml:11: original text 'originals/alpha-v2.txt' not found in source_policies/; "
            "put the council's original text there or correct 'original'"
        ],
    ),
    (
        "key topic removed from the taxonomy",
        "taxonomy.yaml",
        "id: meetings",
        "id: meeting",
        [
            "source_policies/alpha.yaml:25: clause 'alpha-1-2': unknown topic 'meetings'. Did you mean 'meeting'?",
            "source_policies/taxonomy.yaml:1: the key topic 'meetings' is missing; the taxonomy must contain disclaimer, safeguarding, pre-election, meetings, sanctions",
        ],
    ),
]


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "source_policies" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(("name", "file", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_reports_exact_message(project, cli, name, file, old, new, expected):
    _edit(project, file, old, new)
    result = cli(project, "check")
    assert result.code == 1
    assert result.lines == expected + [result.lines[-1]]
    assert result.lines[-1].startswith("build.py: ") and result.lines[-1].endswith("; nothing was written.")
    assert "Traceback" not in result.err


def test_not_utf8(project, cli):
    path = project / "source_policies" / "alpha.yaml"
    path.write_bytes(path.read_bytes().replace(b"Breaches may", b"Br\xe9aches may", 1))
    result = cli(project, "check")
    assert result.code == 1
    assert result.lines == [
        "source_policies/alpha.yaml:37: file is not valid UTF-8 (byte 0xe9 cannot be decoded); save the file with UTF-8 encoding",
        SUMMARY_1,
    ]


def test_every_problem_in_every_file_at_once(project, cli):
    _edit(project, "alpha.yaml", "topics: [sanctions]", "topics: [sanctionz]")
    _edit(project, "alpha.yaml", "audience: members", "audience: councillors")
    _edit(project, "beta.yaml", "id: beta-purpose-2", "id: beta-purpose-1")
    result = cli(project, "check")
    assert result.code == 1
    assert result.lines == [
        "source_policies/alpha.yaml:7: field 'audience' must be one of 'members', 'staff', 'both', not 'councillors'",
        "source_policies/alpha.yaml:34: clause 'alpha-2-1': unknown topic 'sanctionz'. Did you mean 'sanctions'?",
        "source_policies/beta.yaml:21: duplicate clause id 'beta-purpose-1' (also at source_policies/beta.yaml:14); give each clause its own id",
        "build.py: 3 errors in 2 files; nothing was written.",
    ]


def test_failed_build_leaves_previous_handbook_untouched(project, cli):
    assert cli(project, "build").code == 0
    before = {p: p.read_bytes() for p in (project / "handbook").rglob("*") if p.is_file()}
    _edit(project, "alpha.yaml", "This policy applies", "The policy applies")
    result = cli(project, "build")
    assert result.code == 1
    after = {p: p.read_bytes() for p in (project / "handbook").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".handbook.*"))


def test_debug_shows_traceback_only_for_internal_errors(project, cli, monkeypatch):
    import policyhandbook.cli as cli_module

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_module, "render_handbook", boom)
    result = cli(project, "build")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "internal error: RuntimeError: boom; run again with --debug" in result.err
    result = cli(project, "--debug", "build")
    assert "Traceback" in result.err


def test_read_only_output_folder(project, cli):
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    (project / "handbook").mkdir()
    project.chmod(0o555)
    try:
        result = cli(project, "build")
    finally:
        project.chmod(0o755)
    assert result.code == 1
    assert "cannot write to handbook/: permission denied" in result.err
