"""Read a YAML file into plain values that remember their line and column.

The file is only *composed* (parsed into a node graph), never constructed by
PyYAML, so no tag can build an object. Aliases are refused rather than expanded,
which also disposes of alias bombs in the time it takes to parse the text.

The file must be a regular file no larger than MAX_BYTES, checked on the open file
before a byte is read (a FIFO would block for ever, /dev/zero would fill memory);
nesting is limited to MAX_DEPTH (PyYAML composes recursively). Text values may hold
tabs and line breaks but no other control character (a NUL written "\\0" would
print as a box, an escape sequence would reach the terminal) and no lone surrogate.

Scalars stay the characters written: YAML 1.1 would read `14:30` as 870, `0710`
as 456, `NO` as false and `2017-05-01` as a date, but a text field must print
what the editor typed. Each scalar keeps the type YAML would have given it
(`tag`), and the loader converts it only where the schema asks for a number,
a true/false or a date.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import reads
from ..errors import IssueError, Problem

MAX_BYTES = 1024 * 1024  # an issue is a few tens of KiB; this is a guard, not a budget
MAX_DEPTH = 40  # an issue nests about 10 deep (page, block, field, list, bilingual text)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # used for scalars only: nothing cached
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass(frozen=True)
class Node:
    """A value from the file: dict[str, Node], list[Node], a scalar's text or None, and where.

    A scalar's value is the text as written; `tag` says what YAML 1.1 would make of it:
    "str", "int", "float", "bool" or "timestamp".
    """

    value: Any
    line: int  # 1-based
    column: int  # 1-based
    key_line: int | None = None  # for mapping values: where the key stands
    key_column: int | None = None
    tag: str = "str"

    @property
    def kind(self) -> str:
        if isinstance(self.value, dict):
            return "mapping"
        if isinstance(self.value, list):
            return "list"
        if self.value is None:
            return "nothing"
        return self.tag

    def typed(self) -> Any:
        """The scalar as YAML 1.1 reads it (a number, true/false, a date), for fields that
        are numbers, true/false or dates; ValueError if it is not valid as such."""
        if not isinstance(self.value, str) or self.tag == "str":
            return self.value
        node = yaml.ScalarNode(f"tag:yaml.org,2002:{self.tag}", self.value)
        try:
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except yaml.YAMLError as e:
            raise ValueError(str(e)) from None


def read(path: Path) -> Node:
    """Parse one YAML file, raising IssueError with file:line:column on any problem."""
    raw = _read_bytes(path)
    if b"\0" in raw:
        raise IssueError([Problem(path, "is not a text file (it contains NUL bytes)")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise IssueError([Problem(path, f"is not UTF-8 text (byte 0x{raw[e.start]:02x}); "
                                        "save it as UTF-8", line, column)]) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _TooDeep as e:
        raise IssueError([Problem(path, f"is nested more than {MAX_DEPTH} levels deep; an issue "
                                        "needs about 10", e.mark.line + 1,
                                  e.mark.column + 1)]) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = "YAML syntax: " + " ".join(str(x) for x in (e.context, e.problem) if x)
        opened = e.context_mark
        if opened is not None and mark is not None and opened.line != mark.line:
            message += (f" (the structure opened at line {opened.line + 1}, column "
                        f"{opened.column + 1} is not closed)")
        raise IssueError([Problem(path, message, mark.line + 1 if mark else None,
                                  mark.column + 1 if mark else None)]) from None
    except yaml.YAMLError as e:  # e.g. a control character the reader refuses
        raise IssueError([Problem(path, "YAML syntax: " + " ".join(str(e).split()))]) from None
    if root is None:
        raise IssueError([Problem(path, "is empty")])
    problems: list[Problem] = []
    node = _convert(root, path, problems, set())
    if problems:
        raise IssueError(problems)
    return node


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_BYTES (checked before reading)."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the check below refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise IssueError([Problem(path, "file not found")]) from None
    except IsADirectoryError:
        raise IssueError([Problem(path, "is a folder, not a YAML file")]) from None
    except OSError as e:
        raise IssueError([Problem(path, f"cannot be read: {e.strerror}")]) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IssueError([Problem(path, "is a folder, not a YAML file")])
        if not stat.S_ISREG(info.st_mode):
            raise IssueError([Problem(path, "is not a regular file (a device, pipe or socket); "
                                            "an issue file must be a plain text file")])
        if info.st_size > MAX_BYTES:
            raise IssueError([Problem(path, f"is {info.st_size:,} bytes; an issue file may be at "
                                            f"most {MAX_BYTES:,} bytes")])
        try:
            raw = f.read(MAX_BYTES + 1)  # the file may have grown since fstat
        except OSError as e:
            raise IssueError([Problem(path, f"cannot be read: {e.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise IssueError([Problem(path, f"is over {MAX_BYTES:,} bytes; an issue file may be at "
                                        f"most {MAX_BYTES:,} bytes")])
    reads.note(path, raw)
    return raw


class _TooDeep(Exception):
    def __init__(self, mark):
        super().__init__()
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """Composes (never constructs), refusing nesting deeper than MAX_DEPTH."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _convert(node: yaml.Node, path: Path, problems: list[Problem], seen: set[int]) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if id(node) in seen:
        problems.append(Problem(path, "YAML aliases (*name) are not supported: write the value "
                                      "out in full", line, column))
        return Node(None, line, column)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag not in _PLAIN_TAGS:
            problems.append(Problem(path, f"YAML tag {_short_tag(node.tag)} is not allowed: "
                                          "only plain text, numbers, dates and true/false",
                                    line, column))
            return Node(None, line, column)
        bad = _CONTROL.search(node.value)
        if bad:
            problems.append(Problem(path, _control_message(bad[0]), line, column))
            return Node(None, line, column)
        if node.tag == _NULL:
            return Node(None, line, column)
        return Node(node.value, line, column, tag=node.tag.rsplit(":", 1)[-1])
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            problems.append(Problem(path, f"YAML tag {_short_tag(node.tag)} is not allowed",
                                    line, column))
        return Node([_convert(item, path, problems, seen) for item in node.value], line, column)
    if node.tag != _MAP:
        problems.append(Problem(path, f"YAML tag {_short_tag(node.tag)} is not allowed",
                                line, column))
    result: dict[str, Node] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            problems.append(Problem(path, "a key must be a plain word", key_line,
                                    key_node.start_mark.column + 1))
            continue
        key = str(key_node.value)
        bad = _CONTROL.search(key)
        if bad:
            problems.append(Problem(path, _control_message(bad[0]), key_line,
                                    key_node.start_mark.column + 1))
            continue
        if key == "<<":
            problems.append(Problem(path, "YAML merge keys (<<) are not supported", key_line,
                                    key_node.start_mark.column + 1))
            continue
        if key in result:
            problems.append(Problem(path, f"'{key}' is given twice in this mapping", key_line,
                                    key_node.start_mark.column + 1,
                                    hint=f"the first one is on line {result[key].key_line}"))
            continue
        value = _convert(value_node, path, problems, seen)
        result[key] = Node(value.value, value.line, value.column, key_line,
                           key_node.start_mark.column + 1, value.tag)
    return Node(result, line, column)


def _control_message(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return (f"contains \\u{code:04x}, half of a UTF-16 surrogate pair and not a character; "
                "write the character itself (or its \\U00XXXXXX escape)")
    name = "NUL" if code == 0 else "ESC (a terminal escape sequence)" if code == 0x1b else \
        f"U+{code:04X}"
    return (f"contains the control character {name}; text may hold tabs and line breaks but "
            "no other control characters")


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
