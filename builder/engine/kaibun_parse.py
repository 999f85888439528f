"""Reading 改め文 back into changes: the other half of the round-trip check.

It reads exactly the sentences ``builder.engine.kaibun`` writes (and the same forms written by
hand): 「…中「Ａ」を「Ｂ」に改め、「Ｃ」を削る。」, 「…を次のように改める。」 with its
indented block, 「…の項の次に次のように加える。」 and 「…の項を削る。」, the items of a
level deleted or added with their renumbering (「記の1中(2)を削り、(3)を(2)とする。」,
「記の1中(4)を(5)とし、(3)の次に次のように加える。」, 「記の1の(3)の次に次のように
加える。」, 「記の1に次のように加える。」) and a 見出し rewritten (「記の3の(1)の見出しを
「…」に改める。」). Quotes may nest 「」 inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.engine.address import (
    ContactAddress,
    HeadingAddress,
    ItemAddress,
    PreambleAddress,
    RowAddress,
    TitleAddress,
    format_address,
    parse_address,
)
from builder.engine.textform import INDENT, label_level, parse_item_lines, parse_row_block
from builder.model.area_table import AreaRow
from builder.model.notice import (
    AddItems,
    AddParagraphs,
    AddRow,
    Change,
    DeleteItem,
    DeleteParagraph,
    DeleteRow,
    Item,
    Rewrite,
    Row,
    TableRow,
    TextChange,
)


class KaibunSyntaxError(ValueError):
    """A sentence this parser does not understand."""


@dataclass(frozen=True)
class _Quote:
    text: str


Token = _Quote | str


def split_quotes(text: str) -> list[Token]:
    """Literal text and 「quoted」 text (nesting kept inside a quote)."""
    tokens: list[Token] = []
    depth, start, literal_start = 0, 0, 0
    for index, char in enumerate(text):
        if char == "「":
            if depth == 0:
                if index > literal_start:
                    tokens.append(text[literal_start:index])
                start = index + 1
            depth += 1
        elif char == "」":
            if depth == 0:
                raise KaibunSyntaxError(f"unbalanced 」 in 「{text}」")
            depth -= 1
            if depth == 0:
                tokens.append(_Quote(text[start:index]))
                literal_start = index + 1
    if depth:
        raise KaibunSyntaxError(f"unbalanced 「 in 「{text}」")
    if literal_start < len(text):
        tokens.append(text[literal_start:])
    return tokens


_VERB_KIND = {
    "改める": "replace",
    "改め": "replace",
    "加える": "insert",
    "加え": "insert",
    "削る": "delete",
    "削り": "delete",
}
_WORD_RE = re.compile(r"及び|、|の下に|を|に|改める|改め|加える|加え|削る|削り")


def _words(tokens: list[Token]) -> list[Token]:
    """Split literal text into the grammar's words; anything else is an error."""
    words: list[Token] = []
    for token in tokens:
        if isinstance(token, _Quote):
            words.append(token)
            continue
        position = 0
        while position < len(token):
            match = _WORD_RE.match(token, position)
            if match is None:
                raise KaibunSyntaxError(f"cannot read 「{token[position:]}」 in a 改め文")
            words.append(match.group(0))
            position = match.end()
    return words


class _Reader:
    """Recursive descent over words: clauses := run (、 run)*; run := phrase (、 phrase)* VERB."""

    def __init__(self, words: list[Token]) -> None:
        self.words = words
        self.at = 0

    def peek(self, offset: int = 0) -> Token | None:
        index = self.at + offset
        return self.words[index] if index < len(self.words) else None

    def take(self, expected: str | None = None) -> Token:
        word = self.peek()
        if word is None or (expected is not None and word != expected):
            raise KaibunSyntaxError(f"expected 「{expected or 'more'}」 in a 改め文, got {word!r}")
        self.at += 1
        return word

    def quote(self) -> str:
        word = self.take()
        if not isinstance(word, _Quote):
            raise KaibunSyntaxError(f"expected a quote 「…」, got 「{word}」")
        return word.text

    def olds(self) -> list[str]:
        found = [self.quote()]
        while self.peek() in ("及び", "、") and isinstance(self.peek(1), _Quote):
            self.take()
            found.append(self.quote())
        return found

    def phrase(self) -> tuple[str, list[TextChange]]:
        olds = self.olds()
        word = self.take()
        if word == "の下に":
            new = self.quote()
            self.take("を")
            return "insert", [TextChange("insert", old, new) for old in olds]
        if word != "を":
            raise KaibunSyntaxError(f"expected 「を」 or 「の下に」, got {word!r}")
        if isinstance(self.peek(), _Quote) and self.peek(1) == "に":
            new = self.quote()
            self.take("に")
            return "replace", [TextChange("replace", old, new) for old in olds]
        return "delete", [TextChange("delete", old) for old in olds]

    def clauses(self) -> list[TextChange]:
        changes: list[TextChange] = []
        run: list[TextChange] = []
        kinds: set[str] = set()
        while True:
            kind, found = self.phrase()
            kinds.add(kind)
            run.extend(found)
            word = self.take()
            if word == "、":
                continue
            if not isinstance(word, str) or word not in _VERB_KIND:
                raise KaibunSyntaxError(f"expected a verb, got {word!r}")
            if kinds != {_VERB_KIND[word]}:
                raise KaibunSyntaxError(f"「{word}」 does not fit the clauses before it")
            changes.extend(run)
            run, kinds = [], set()
            if word in ("改める", "加える", "削る"):
                if self.peek() is not None:
                    raise KaibunSyntaxError("text after the final verb")
                return changes
            self.take("、")


def parse_clauses(tokens: list[Token]) -> list[TextChange]:
    """The changes of 「Ａ」を「Ｂ」に、「Ｃ」の下に「Ｄ」を加え、「Ｅ」及び「Ｆ」を削る."""
    return _Reader(_words(tokens)).clauses()


def _split_location(sentence: str) -> tuple[str, str]:
    """「別添1 兵庫県の項中「…」…」 → (「別添1 兵庫県の項」, 「「…」…」)."""
    index = sentence.find("中「")
    if index <= 0:
        raise KaibunSyntaxError(f"no 「…中「」 in 「{sentence}」")
    return sentence[:index], sentence[index + 1 :]


def _rewrite_value(at: str, block: list[str]) -> Rewrite:
    address = parse_address(at)
    if isinstance(address, ItemAddress):
        return Rewrite(parse_item_lines(block))
    if isinstance(address, RowAddress):
        rows = parse_row_block(block)
        if len(rows) != 1:
            raise KaibunSyntaxError(f"{at}: the new text must be one row")
        return Rewrite(rows[0])
    if isinstance(address, TitleAddress):
        return Rewrite(block[0])
    if isinstance(address, PreambleAddress | ContactAddress):
        return Rewrite(tuple(block))
    raise KaibunSyntaxError(f"{at} cannot be rewritten")


_LABEL = r"(?:\d+|\(\d+\)|[①-⑳])"
_LEVEL_AT = rf"記(?:の{_LABEL})*"
_MOVES = rf"{_LABEL}を{_LABEL}(?:とし、{_LABEL}を{_LABEL})*"
_DELETE_RENUMBERED = re.compile(rf"^({_LEVEL_AT})中({_LABEL})を削り、{_MOVES}とする$")
_ADD_RENUMBERED = re.compile(
    rf"^({_LEVEL_AT})中{_MOVES}とし、({_LABEL})の(次|前)に次のように加える$"
)
_ADD_AFTER = re.compile(rf"^({_LEVEL_AT}の{_LABEL})の次に次のように加える$")
_ADD_INTO = re.compile(rf"^({_LEVEL_AT})に次のように加える$")
_PARAGRAPH_ADD = re.compile(rf"^({_LEVEL_AT}の第\d+段落)の次に次のように加える$")
_PARAGRAPH_DELETE = re.compile(rf"^({_LEVEL_AT}の第\d+段落)を削る$")
_HEADING_REWRITE = re.compile(r"^(記.+の見出し)を「(.*)」に改める$")


def parse_items_block(lines: list[str]) -> tuple[Item, ...]:
    """The items of an indented block (each starts at the level of the first line)."""
    groups: list[list[str]] = []
    level: int | None = None
    for line in lines:
        stripped = line.strip(" " + INDENT)
        if not stripped:
            continue
        match = re.match(r"^(\d+\.|\(\d+\)|[①-⑳]|・)", stripped)
        here = label_level(match.group(1)) if match else None
        if level is None:
            if here is None:
                raise KaibunSyntaxError(f"「{stripped}」: the new items must start with a label")
            level = here
        if here == level or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    if not groups:
        raise KaibunSyntaxError("the items to add are missing: indent them under the sentence")
    return tuple(parse_item_lines(group) for group in groups)


def _level_change(body: str, block: list[str]) -> Change | None:
    """The change of a sentence that deletes or adds items, or None for other sentences."""
    match = _DELETE_RENUMBERED.match(body)
    if match:
        return Change(_join(match.group(1), match.group(2)), DeleteItem())
    match = _ADD_RENUMBERED.match(body)
    if match:
        items = parse_items_block(block)
        if match.group(3) == "次":
            return Change(match.group(1), AddItems(items, after=match.group(2)))
        return Change(match.group(1), AddItems(items, first=True))
    match = _ADD_AFTER.match(body)
    if match:
        address = parse_address(match.group(1))
        assert isinstance(address, ItemAddress)
        parent = format_address(ItemAddress(address.path[:-1]))
        return Change(parent, AddItems(parse_items_block(block), after=address.path[-1]))
    match = _ADD_INTO.match(body)
    if match:
        return Change(match.group(1), AddItems(parse_items_block(block)))
    match = _PARAGRAPH_ADD.match(body)
    if match:
        paragraphs = tuple(line.strip(" " + INDENT) for line in block if line.strip(" " + INDENT))
        return Change(match.group(1), AddParagraphs(paragraphs))
    match = _PARAGRAPH_DELETE.match(body)
    if match:
        return Change(match.group(1), DeleteParagraph())
    if body.endswith("を削る") and "「" not in body:
        address = parse_address(body[: -len("を削る")])
        if isinstance(address, ItemAddress) and address.path:
            return Change(format_address(address), DeleteItem())
    return None


def _join(level: str, label: str) -> str:
    return f"{level}の{label}"


def _rows(rows: list[Row]) -> tuple[AreaRow, ...] | tuple[TableRow, ...]:
    """The rows of one block, all of one kind."""
    area_rows = tuple(row for row in rows if isinstance(row, AreaRow))
    table_rows = tuple(row for row in rows if isinstance(row, TableRow))
    if area_rows and table_rows:
        raise KaibunSyntaxError("a block mixes rows of a table of areas with rows of cells")
    return area_rows or table_rows


def parse_kaibun(text: str) -> list[Change]:
    """The changes written in ``text`` (one sentence per line, blocks indented)."""
    entries: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith(INDENT):
            if not entries:
                raise KaibunSyntaxError(f"indented line 「{line}」 before any sentence")
            entries[-1][1].append(line[len(INDENT) :])
        else:
            entries.append((line.strip(), []))
    changes: list[Change] = []
    for sentence, block in entries:
        if not sentence.endswith("。"):
            raise KaibunSyntaxError(f"「{sentence}」 does not end with 。")
        body = sentence[:-1]
        level = _level_change(body, block)
        heading = _HEADING_REWRITE.match(body)
        if level is not None:
            changes.append(level)
        elif heading and isinstance(parse_address(heading.group(1)), HeadingAddress):
            changes.append(Change(heading.group(1), Rewrite(heading.group(2))))
        elif body.endswith("を次のように改める"):
            at = body[: -len("を次のように改める")]
            changes.append(Change(at, _rewrite_value(at, block)))
        elif body.endswith(("の項の次に次のように加える", "の項の前に次のように加える")):
            row_address = parse_address(body[: -len("の次に次のように加える")])
            if not isinstance(row_address, RowAddress):
                raise KaibunSyntaxError(f"「{sentence}」 does not name a row")
            rows = _rows(parse_row_block(block))
            if body.endswith("の項の次に次のように加える"):
                added = AddRow(row_address.row, rows)
            else:
                added = AddRow(None, rows, before=row_address.row)
            changes.append(Change(row_address.attachment, added))
        elif body.endswith("の項を削る"):
            at = body[: -len("を削る")]
            changes.append(Change(format_address(parse_address(at)), DeleteRow()))
        else:
            at, rest = _split_location(body)
            for change in parse_clauses(split_quotes(rest)):
                changes.append(Change(at, change))
    return changes
