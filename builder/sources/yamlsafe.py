"""Safe YAML loading that keeps the file, line and column of every value.

Only plain mappings, sequences and scalars are built (no object construction). Anchors
and aliases are refused outright, which also rules out alias-expansion bombs, and files
are size-limited before parsing. Duplicate keys are errors, not silent overwrites.

Every string of a source, key or value, follows one character rule
(:mod:`builder.sources.textcheck`): a character written raw is refused at its own line and
column before the YAML is parsed, one written as a YAML escape (``"\\0"``,
``"\\u200B"``) at the position of its value. Only regular files are read
(:func:`read_source`): a FIFO, device or socket, or a symlink to one, is refused
without being opened for long.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from builder.core.errors import NoticeError, Problem
from builder.core.safe_files import describe
from builder.model.notice import SourcePos
from builder.sources.textcheck import first_problem, raw_problems

MAX_SOURCE_BYTES = 1_000_000
"""Sources are small hand-written files; anything larger is refused before parsing."""

Key = tuple[str | int, ...]


@dataclass
class Located:
    """A loaded document: plain Python data plus the position of every value by key path."""

    path: str
    data: Any
    positions: dict[Key, SourcePos] = field(default_factory=dict)

    def pos(self, key: Key) -> SourcePos:
        """The position of the value at ``key``, or of its nearest known parent."""
        probe = tuple(key)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), SourcePos(self.path, 1, 1))


MAX_DEPTH = 50
"""Nesting deeper than this is refused (sources nest a handful of levels)."""


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases and nesting deeper than ``MAX_DEPTH``."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.MarkedYAMLError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return self._compose_checked(parent, index)
        finally:
            self.depth -= 1

    def _compose_checked(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None,
                None,
                "aliases (*name) are not allowed in notice sources; write the value out",
                event.start_mark,
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise yaml.MarkedYAMLError(
                None,
                None,
                f"anchors (&{anchor}) are not allowed in notice sources; write values out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


_NOT_PLAIN: Any = object()
"""What :func:`_compose_with_libyaml` returns for text it leaves to the Python loader."""

_LIBYAML_DIFFERS = re.compile("[\t\ufeff?!]")
"""Characters on which libyaml and PyYAML's loader disagree (a differential test of
damaged sources found them, ``tests/sources/test_yaml_libyaml.py``): tabs, ``?`` in flow
collections and ``!`` alone, which the two read differently, and U+FEFF inside the text,
which moves libyaml's columns."""

_LibyamlLoader: Any = getattr(yaml, "CSafeLoader", None)
"""PyYAML's binding to libyaml (None where PyYAML was built without it)."""


def _compose_with_libyaml(text: str) -> Any:
    """The node tree of ``text`` composed by libyaml, about 7 times faster than PyYAML's
    Python loader (0.01 s instead of 0.06 s for the sources), with the same nodes,
    tags, lines and columns. Only for plain text: anything :class:`_NoAliasLoader`
    refuses (an anchor, an alias, nesting deeper than :data:`MAX_DEPTH`), any error of
    libyaml's, an empty value and the characters of :data:`_LIBYAML_DIFFERS` give
    :data:`_NOT_PLAIN`: the Python loader then reads the text, and says what is wrong
    in its own words, the ones users see either way."""
    if _LibyamlLoader is None or _LIBYAML_DIFFERS.search(text):
        return _NOT_PLAIN
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LibyamlLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                return _NOT_PLAIN
            if isinstance(event, yaml.ScalarEvent) and not event.value and event.implicit[0]:
                return _NOT_PLAIN  # an empty value: libyaml puts it a column further
            if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
                if depth + 1 > MAX_DEPTH:
                    return _NOT_PLAIN
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.compose(text, Loader=_LibyamlLoader)
    except yaml.YAMLError:
        return _NOT_PLAIN


def _pos(path: str, node: yaml.Node) -> SourcePos:
    return SourcePos(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _scalar(path: str, node: yaml.ScalarNode) -> Any:
    if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
        return node.value
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() in ("yes", "true", "on", "y")
    if node.tag == "tag:yaml.org,2002:int":
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.value
    if node.tag == "tag:yaml.org,2002:float":
        return node.value
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay text: builder.japanese parses and explains them
    raise NoticeError.at(_pos(path, node), f"unsupported YAML tag {node.tag}; use plain values")


def _check_text(path: str, node: yaml.ScalarNode, problems: list[Problem]) -> None:
    """The character rule on one scalar's value (escapes included), at its position."""
    found = first_problem(node.value)
    if found is not None:
        problems.append(Problem(found[1], _pos(path, node)))


def _build(
    path: str,
    node: yaml.Node,
    key: Key,
    positions: dict[Key, SourcePos],
    problems: list[Problem],
) -> Any:
    positions[key] = _pos(path, node)
    if isinstance(node, yaml.ScalarNode):
        _check_text(path, node, problems)
        return _scalar(path, node)
    if isinstance(node, yaml.SequenceNode | yaml.MappingNode) and node.tag not in (
        "tag:yaml.org,2002:seq",
        "tag:yaml.org,2002:map",
    ):
        raise NoticeError.at(_pos(path, node), f"unsupported YAML tag {node.tag}; use plain values")
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(path, child, (*key, i), positions, problems)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise NoticeError.at(_pos(path, key_node), "mapping keys must be plain text")
            _check_text(path, key_node, problems)
            name = str(key_node.value)
            if name in result:
                raise NoticeError.at(
                    _pos(path, key_node),
                    f"duplicate key {name!r}; each key may appear once in a mapping",
                )
            result[name] = _build(path, value_node, (*key, name), positions, problems)
        return result
    raise NoticeError.at(_pos(path, node), "unsupported YAML node")


def decode_source(path: Path, raw: bytes) -> str:
    """Decode a source file: UTF-8 only, BOM and CRLF tolerated, size-limited."""
    shown = str(path)
    if len(raw) > MAX_SOURCE_BYTES:
        raise NoticeError.at(
            SourcePos(shown, 1, 1),
            f"file is {len(raw):,} bytes, over the {MAX_SOURCE_BYTES:,}-byte limit for a source;"
            " split it or check that it is the right file",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise NoticeError.at(
            SourcePos(shown, line, column),
            "file is not valid UTF-8; save it as UTF-8 (not Shift_JIS)",
        ) from None
    return text.replace("\r\n", "\n")


def _not_regular(path: Path, mode: int) -> str:
    """What a path is, for a message, when it is not a regular file (``mode`` from stat)."""
    what = describe(path)
    if what is not None and what.startswith("a symlink"):
        kinds = (
            (stat.S_ISFIFO, "a FIFO (named pipe)"),
            (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"),
            (stat.S_ISSOCK, "a socket"),
            (stat.S_ISDIR, "a folder"),
        )
        target = next((name for test, name in kinds if test(mode)), "not a regular file")
        return f"{what}, which is {target}"
    return what or "not a regular file"


def read_source(path: Path, shown: str) -> bytes:
    """The bytes of the source file ``path`` (named ``shown`` in messages). Only a regular
    file is read, or a symlink to one (the project may link a shared file in); a FIFO,
    device or socket, or a symlink to one, is refused: it is opened with ``O_NONBLOCK``
    (a FIFO without a writer does not block) and checked with ``fstat`` before a byte is
    read. ``NoticeError`` at ``shown:1:1`` otherwise."""
    where = SourcePos(shown, 1, 1)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
            raise NoticeError.at(
                where, f"is {_not_regular(path, info.st_mode)}; a source must be a regular file"
            )
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        handle = os.open(path, flags)
    except OSError as exc:
        raise NoticeError.at(where, f"cannot read file: {exc.strerror}") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                raise NoticeError.at(where, "cannot read file: Is a directory")
            raise NoticeError.at(
                where, f"is {_not_regular(path, info.st_mode)}; a source must be a regular file"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        with os.fdopen(handle, "rb") as stream:
            handle = -1
            return stream.read()
    except OSError as exc:
        raise NoticeError.at(where, f"cannot read file: {exc.strerror}") from None
    finally:
        if handle >= 0:
            os.close(handle)


def load_yaml(path: Path, display: str | None = None) -> Located:
    """Load one YAML source file with positions; errors are ``NoticeError`` with file:line:col."""
    shown = display or str(path)
    text = decode_source(Path(shown), read_source(path, shown))
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> Located:
    """Parse YAML text (already decoded) into a ``Located`` document."""
    if "\t" in text:
        line_no = text[: text.index("\t")].count("\n") + 1
        column = text.index("\t") - (text.rfind("\n", 0, text.index("\t")) + 1) + 1
        line = text.split("\n")[line_no - 1]
        if not line.lstrip(" ").startswith("#") and line[: column - 1].strip(" ") == "":
            raise NoticeError.at(
                SourcePos(shown, line_no, column),
                "tab used for indentation; YAML indents with spaces only",
            )
    refused = [
        Problem(message, SourcePos(shown, line, column))
        for line, column, message in raw_problems(text)
    ]
    if refused:
        raise NoticeError(refused)
    try:
        node = _compose_with_libyaml(text)
        if node is _NOT_PLAIN:
            loader = _NoAliasLoader(text)
            try:
                node = loader.get_single_node()
            finally:
                loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = SourcePos(shown, mark.line + 1, mark.column + 1) if mark else SourcePos(shown, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise NoticeError.at(where, f"YAML syntax: {problem}") from None
    except yaml.reader.ReaderError as exc:
        at = exc.position
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        where = SourcePos(shown, text[:at].count("\n") + 1, at - (text.rfind("\n", 0, at) + 1) + 1)
        message = f"character U+{code:04X} is not allowed in YAML; remove it"
        raise NoticeError.at(where, message) from None
    except yaml.YAMLError as exc:
        message = str(exc).splitlines()[0]
        raise NoticeError.at(SourcePos(shown, 1, 1), f"YAML syntax: {message}") from None
    positions: dict[Key, SourcePos] = {}
    if node is None:
        raise NoticeError.at(SourcePos(shown, 1, 1), "file is empty; expected a YAML mapping")
    problems: list[Problem] = []
    data = _build(shown, node, (), positions, problems)
    if problems:
        raise NoticeError(problems)
    return Located(shown, data, positions)
