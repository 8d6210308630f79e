"""Read stage: turn YAML source files into plain values that remember their line numbers.

Nothing here judges the content; ``check`` does that. Reading only fails for
files that cannot be decoded or parsed, and then it says where.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 2_000_000  # no real policy comes near this; protects the build from runaway files


@dataclass(frozen=True)
class Located:
    """A value from a YAML file with the (1-based) line it starts on."""

    value: Any  # str | int | float | bool | None | dict[str, Located] | list[Located]
    line: int


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as the user should see it: relative to the working directory when possible."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is None:
            continue
        # The path as written (a link keeps its own name), else with every link followed.
        for mine, theirs in ((Path(os.path.abspath(path)), Path(base).resolve()), (path.resolve(), Path(base).resolve())):
            try:
                return mine.relative_to(theirs).as_posix()
            except ValueError:
                continue
    return path.as_posix()


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file; a byte-order mark and Windows line endings are accepted."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(shown, 1, f"cannot read the file ({err.strerror}); check that it exists and is readable")]
    if len(data) > MAX_BYTES:
        return None, [
            Problem(
                shown,
                1,
                f"file is too large ({len(data):,} bytes, the limit is {MAX_BYTES:,}); "
                "a council's policy file should be far smaller, so check that this is the right file",
            )
        ]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(shown, line, "file contains NUL bytes, so it is not a text file; save it as UTF-8 text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [
            Problem(
                shown,
                line,
                f"file is not valid UTF-8 (byte 0x{data[err.start]:02x} cannot be decoded); save the file with UTF-8 encoding",
            )
        ]
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"), []


_CONSTRUCTOR = yaml.SafeLoader("")
_RESOLVER = yaml.resolver.Resolver()
# Booleans, numbers and null are typed; everything else (dates included) stays a string.
_SCALARS = {
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}
# libyaml's parser when PyYAML was built with it (it nearly always is), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 20

# PyYAML's wording, said the way a policy officer can act on.
_PLAIN = (
    ("found character '\\t' that cannot start any token", "a tab is used for indentation; indent with spaces only"),
    ("found character that cannot start any token", "a character here cannot start a value; check for stray symbols"),
    ("did not find expected '-' indicator", "this line's indentation does not match the lines before it"),
    ("expected <block end>, but found", "this line's indentation does not match the lines before it"),
    ("did not find expected key", "this line's indentation does not match the lines before it"),
    ("mapping values are not allowed", "a ': ' appears where a new field cannot start; put such text in quotes or under 'text: |'"),
    ("expected ',' or ']'", "a list opened with '[' is not closed with ']'"),
    ("did not find expected ',' or ']'", "a list opened with '[' is not closed with ']'"),
    ("expected ',' or '}'", "a set of fields opened with '{' is not closed with '}'"),
    ("found unexpected end of stream", "a quotation mark is not closed"),
    ("could not find expected ':'", "a line is missing the ':' after its field name"),
)


def _plain(problem: str) -> str:
    for raw, plain in _PLAIN:
        if raw in problem:
            return f"{plain} (YAML: {problem})"
    return problem


# Characters that cannot be shown, printed or saved in a Word document (XML refuses them), and that
# YAML refuses when they are typed in a file: C0 and C1 control characters (but tab and line feed),
# delete, lone surrogates and the two non-characters U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CONTROL_NAMES = {
    0x00: "a NUL",
    0x08: "a backspace",
    0x0B: "a vertical tab",
    0x0C: "a form feed",
    0x0D: "a carriage return",
    0x1B: "an escape character",
    0x7F: "a delete character",
    0x85: "a next-line character",
}


def control_name(char: str) -> str:
    """'a form feed (U+000C)'."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code, "a control character" if code < 0xD800 else "an invalid character")
    return f"{name} (U+{code:04X})"


def _control_characters(text: str, shown: str) -> list[Problem]:
    """One problem per line holding a control character typed into the file (YAML refuses them)."""
    problems: dict[int, Problem] = {}
    line, counted = 1, 0
    for match in _CONTROL.finditer(text):
        line += text.count("\n", counted, match.start())  # counted once, however many matches
        counted = match.start()
        if line not in problems:
            hint = " (a page break copied from a PDF leaves one)" if match.group() == "\f" else ""
            problems[line] = Problem(shown, line, f"the line holds {control_name(match.group())}, which a source file cannot contain{hint}; delete it")
    return list(problems.values())


def _control_in_value(value: Any, line: int, shown: str) -> Problem | None:
    """A control character written as an escape in a quoted value ("\\0", "\\v")."""
    match = _CONTROL.search(value) if isinstance(value, str) else None
    if match is None:
        return None
    return Problem(
        shown,
        line,
        f"a value on this line holds {control_name(match.group())}, from an escape in quotes; it cannot be shown, printed or saved in Word, so remove the escape",
    )


def _scalar(event: yaml.ScalarEvent) -> Any:
    if event.tag not in (None, "!"):
        return event.value  # an explicit !!str (other tags are refused before this)
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
    construct = _SCALARS.get(tag)
    return event.value if construct is None else construct(yaml.ScalarNode(tag, event.value))


class _Container:
    """A mapping or list being built from parser events."""

    def __init__(self, kind: type, line: int):
        self.value: dict[str, Located] | list[Located] = kind()
        self.line = line
        self.key: tuple[str, int] | None = None  # a mapping's key waiting for its value
        self.expect_key = True


def _refusal(event: yaml.Event, shown: str) -> Problem | None:
    line = event.start_mark.line + 1
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        return Problem(shown, line, "YAML anchors and aliases (&name, *name) are not allowed; write each value out in full")
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in ("!", "tag:yaml.org,2002:str") and not isinstance(event, yaml.DocumentStartEvent):
        return Problem(shown, line, f"YAML tags such as '{tag}' are not allowed; remove the tag")
    return None


def parse_yaml(text: str, shown: str) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document into ``Located`` values in one pass over the parser's events,
    refusing anchors, aliases, tags, deep nesting, duplicate fields and extra documents."""
    problems = _control_characters(text, shown)
    if problems:
        return None, problems
    stack: list[_Container] = []
    documents: list[Located] = []

    def add(value: Located) -> None:
        if not stack:
            documents.append(value)
            return
        top = stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.expect_key:
            if not isinstance(value.value, (str, int, float, bool)) or value.value is None:
                problems.append(Problem(shown, value.line, "a field name must be plain text"))
                top.key = ("", value.line)
            else:
                top.key = (str(value.value), value.line)
            top.expect_key = False
        else:
            assert top.key is not None
            key, key_line = top.key
            top.expect_key = True
            if not key:
                return
            if key in top.value:
                first = top.value[key].line
                problems.append(Problem(shown, key_line, f"field '{key}' appears twice (first on line {first}); keep only one"))
                return
            # A field's line is where its key is written.
            top.value[key] = Located(value.value, key_line)

    try:
        for event in yaml.parse(text, Loader=_LOADER):
            refusal = _refusal(event, shown)
            if refusal is not None:
                return None, [refusal]
            line = event.start_mark.line + 1
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    return None, [
                        Problem(
                            shown,
                            line,
                            f"the structure is nested more than {MAX_DEPTH} levels deep; see source_policies/example/example-council.yaml for the expected shape",
                        )
                    ]
                stack.append(_Container(dict if isinstance(event, yaml.MappingStartEvent) else list, line))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                add(Located(done.value, done.line))
            elif isinstance(event, yaml.ScalarEvent):
                value = _scalar(event)
                control = _control_in_value(value, line, shown)
                if control is not None:
                    problems.append(control)
                add(Located(value, line))
            elif isinstance(event, yaml.DocumentStartEvent) and documents:
                return None, [Problem(shown, line, "expected exactly one YAML document; remove any extra '---' separators")]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = _plain(err.problem or err.context or "invalid YAML")
        lines = text.split("\n")
        if 0 < line <= len(lines) and "\t" in lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())]:
            what = "a tab is used for indentation; indent with spaces only"
        return None, [Problem(shown, line, f"cannot parse the file: {what}; check the indentation and quoting on this line and the one before")]
    except yaml.YAMLError as err:
        return None, [Problem(shown, 1, f"cannot parse the file: {err}; check that it is YAML")]
    if not documents:
        return None, [Problem(shown, 1, "file is empty (or holds only comments); start from source_policies/example/example-council.yaml")]
    return documents[0], problems


def read_yaml_file(path: Path, shown: str) -> tuple[Located | None, list[Problem]]:
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    return parse_yaml(text, shown)
