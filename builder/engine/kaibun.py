"""改め文 from resolved changes, following 法制執務 conventions (domain.md §3).

One sentence per unit, in document order. Inside a unit the changes run front to back;
consecutive changes of one kind share the verb (「Ａ」を「Ｂ」に、「Ｃ」を「Ｄ」に改める),
consecutive replacements by the same text share it with 及び (「Ａ」及び「Ｃ」を「Ｂ」に改める),
and kinds change with the continuative form (改め、…削る). Rewrites and added rows are
followed by their new text, one level indented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from builder.engine.address import HeadingAddress, ItemAddress, RowAddress, format_address
from builder.engine.amend import QuotedChanges, UnitChange
from builder.engine.levels import LevelChange
from builder.engine.paragraphs import ParagraphChange
from builder.engine.textform import INDENT, item_lines, row_block
from builder.model.area_table import AreaRow
from builder.model.notice import AddRow, DeleteRow, Item, Rewrite, Row, TableRow, TextChange

VERBS = {"replace": ("改める", "改め"), "insert": ("加える", "加え"), "delete": ("削る", "削り")}
"""Final and continuative form of each kind's verb."""


@dataclass(frozen=True)
class Sentence:
    """One 改め文 sentence and the new text that follows it (rewrites, added rows)."""

    text: str
    block: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The sentence, then its block indented by one character."""
        return [self.text, *(INDENT + line for line in self.block)]


def quote(text: str) -> str:
    """「text」."""
    return f"「{text}」"


def enumerate_ja(parts: Sequence[str]) -> str:
    """「Ａ」, 「Ａ」及び「Ｂ」, 「Ａ」、「Ｂ」及び「Ｃ」."""
    if len(parts) == 1:
        return parts[0]
    return "、".join(parts[:-1]) + "及び" + parts[-1]


def _phrases(kind: str, changes: Sequence[TextChange]) -> list[str]:
    """The object phrases of consecutive changes of one kind, 及び-joined where they share
    the new text."""
    if kind == "delete":
        return [enumerate_ja([quote(c.old) for c in changes]) + "を"]
    phrases = []
    for new, same in groupby(changes, key=lambda c: c.new):
        olds = enumerate_ja([quote(c.old) for c in same])
        if kind == "replace":
            phrases.append(f"{olds}を{quote(new)}に")
        else:
            phrases.append(f"{olds}の下に{quote(new)}を")
    return phrases


def clauses(changes: Sequence[TextChange]) -> str:
    """The clauses of one unit's quoted changes, verbs shared and chained."""
    runs = [(kind, list(run)) for kind, run in groupby(changes, key=lambda c: c.kind)]
    parts = []
    for index, (kind, run) in enumerate(runs):
        final, continuative = VERBS[kind]
        verb = final if index == len(runs) - 1 else continuative
        parts.append("、".join(_phrases(kind, run)) + verb)
    return "、".join(parts)


def block_of(
    unit: Item | AreaRow | TableRow | tuple[str, ...] | str, columns: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The new text of a rewritten unit as lines (``columns``: the headings of a generic
    table, for its rows)."""
    if isinstance(unit, Item):
        return tuple(item_lines(unit))
    if isinstance(unit, AreaRow | TableRow):
        return tuple(row_block(unit, columns))
    if isinstance(unit, str):
        return (unit,)
    return unit


def sentence(unit: UnitChange) -> Sentence:
    """The 改め文 sentence of one unit change."""
    where = format_address(unit.address)
    body = unit.body
    if isinstance(body, QuotedChanges):
        return Sentence(f"{where}中{clauses(body.changes)}。")
    if isinstance(body, Rewrite):
        if isinstance(unit.address, HeadingAddress) and isinstance(body.unit, str):
            return heading_sentence(unit.address, body.unit)
        return Sentence(f"{where}を次のように改める。", block_of(body.unit, unit.columns))
    if isinstance(body, AddRow):
        row = format_address(RowAddress(where, body.anchor))
        side = "次" if body.after is not None else "前"
        added: tuple[Row, ...] = body.rows
        block = tuple(line for r in added for line in row_block(r, unit.columns))
        return Sentence(f"{row}の{side}に次のように加える。", block)
    if isinstance(body, DeleteRow):
        return Sentence(f"{where}を削る。")
    if isinstance(body, LevelChange):
        return level_sentence(body)
    if isinstance(body, ParagraphChange):
        cited = format_address(body.address)
        if body.deletes:
            return Sentence(f"{cited}を削る。")
        return Sentence(f"{cited}の次に次のように加える。", body.added)
    raise AssertionError(body)


def renumbering(pairs: Sequence[tuple[str, str]]) -> str:
    """「(4)を(5)とし、(3)を(4)と」: each move, joined by し、 (the caller ends it with
    する or し、)."""
    return "とし、".join(f"{old}を{new}" for old, new in pairs) + "と"


def level_sentence(change: LevelChange) -> Sentence:
    """Items deleted from or added to a level, with the renumbering that follows:
    「記の1の(2)の④を削る。」, 「記の1中(2)を削り、(3)を(2)とする。」,
    「記の1中(4)を(5)とし、(3)の次に次のように加える。」 (README, 改め文 of items)."""
    parent = ItemAddress(change.parent)
    where = format_address(parent)
    if change.deleted is not None:
        if not change.renumbered:
            return Sentence(
                f"{format_address(ItemAddress((*change.parent, change.deleted)))}を削る。"
            )
        return Sentence(f"{where}中{change.deleted}を削り、{renumbering(change.renumbered)}する。")
    block = tuple(line for item in change.items for line in item_lines(item))
    moved = f"{where}中{renumbering(change.renumbered)}し、" if change.renumbered else ""
    if change.after is not None:
        anchor = (
            change.after if moved else format_address(ItemAddress((*change.parent, change.after)))
        )
        return Sentence(f"{moved}{anchor}の次に次のように加える。", block)
    if change.renumbered:
        # the first item, renumbered just before: the new ones go in front of it
        return Sentence(f"{moved}{change.renumbered[-1][1]}の前に次のように加える。", block)
    return Sentence(f"{where}に次のように加える。", block)


def heading_sentence(address: HeadingAddress, title: str) -> Sentence:
    """A 見出し rewritten: 「記の3の(1)の見出しを「支援」に改める。」."""
    return Sentence(f"{format_address(address)}を{quote(title)}に改める。")


def sentences(units: Sequence[UnitChange]) -> list[Sentence]:
    """All sentences of one amendment, in document order."""
    return [sentence(unit) for unit in sorted(units, key=lambda u: u.order)]


def kaibun_text(units: Sequence[UnitChange]) -> str:
    """The 改め文 of one amendment as plain text, one sentence (and its block) per line."""
    return "\n".join(line for s in sentences(units) for line in s.lines()) + "\n"
