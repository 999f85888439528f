"""An edited consolidated notice (its text form, or a .docx read into the same pieces)
read back into a ``Notice``, aligned with the version it was built from.

The text form is the one ``builder.writers.text`` writes and ``builder.engine.textform``
reads back for the 改め文 round trip; this module finds the blocks in it and hands each to
that parser. Blank lines and indentation are not relied on (an editor may drop them);
the blocks are found by what the version in force says they are:

* the history block: the lines before the first blank line (the first table of a
  .docx), compared with the history block of every version of the notice — another
  notice, another version, or an edited history block is refused;
* the addressees and the sender (as many lines as the version in force has; not units an
  amendment changes, so they must be unchanged), then the 件名 (one line);
* the 前文 up to the line 「記」 (refused when 「記」 is missing and the notice has one),
  the items up to the line that is the contact heading (【担当者】), the contact block;
* each attachment from its label line 「（別添1）」 (a new page): a table's title, its rows
  (the text form's two column pairs of 別添1, or a generic table's label line and
  【column】 lines, or a .docx table) and its note; a 別紙 (text attachment): its title,
  paragraphs and items, one line each, in the places the version in force has them (the
  engine quotes changes inside them, 「別紙中「Ａ」を「Ｂ」に改める」, but has no change that
  adds, deletes or renumbers a 別紙's paragraph or item, so a page with other lines or
  labels is refused). A form's page must be as built: its content is changed in
  ``forms/``. Attachments are neither added, removed nor renamed by an amendment.

Every unit read keeps the place it was read from, so that a difference found later can
be named as file:line.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from builder.core.errors import NoticeError
from builder.core.positions import SourcePos
from builder.documents.compose import SEAL_OMITTED, header_lines
from builder.documents.form_title import shares_title
from builder.drafting.notice_diff import item_shape
from builder.drafting.pieces import INDENT, PAGE, Grid, Line, Piece, normal, refusal
from builder.engine.address import citation_label
from builder.engine.amend import History, Version
from builder.engine.textform import (
    label_level,
    parse_item_lines,
    parse_row_line,
    parse_table_row_lines,
    starts_with_label,
)
from builder.engine.units import UnitError, item_segments
from builder.japanese.wareki import format_wareki
from builder.model.notice import (
    Attachment,
    Contact,
    FormRef,
    Item,
    Notice,
    Row,
    Table,
    TableAttachment,
    TableRow,
    TextAttachment,
)

_FIELD_SPLIT = re.compile(r" *\u3000")


@dataclass
class Edited:
    """The notice read from an edited document and where each unit was read (by its
    citation in the edited text: 「件名」「記の1の(2)」「別添1 北海道の項」)."""

    notice: Notice
    positions: dict[str, SourcePos] = field(default_factory=dict)

    def where(self, unit: str, fallback: SourcePos | None = None) -> SourcePos | None:
        """Where ``unit`` (or the closest enclosing unit that was read) is."""
        while unit:
            if unit in self.positions:
                return self.positions[unit]
            unit = unit.rsplit("の", 1)[0] if "の" in unit else ""
        return fallback


def _error(pos: SourcePos | None, japanese: str, english: str) -> NoticeError:
    return NoticeError.at(pos, refusal(japanese, english))


def _pages(pieces: Sequence[Piece]) -> list[list[Piece]]:
    """The body, then one list per attachment (each from its label line)."""
    pages: list[list[Piece]] = [[]]
    for piece in pieces:
        if isinstance(piece, Line) and piece.text.startswith(PAGE):
            pages.append([])
        pages[-1].append(piece)
    return pages


def _blank(piece: Piece) -> bool:
    return isinstance(piece, Line) and not piece.bare


# --------------------------------------------------------------------------- identity


def version_header(version: Version) -> list[str]:
    """The history block of ``version`` as compared: each line without spaces."""
    return [normal(label + text) for label, text in header_lines(version).lines]


def check_identity(header: list[Line], history: History, base: Version, shown: str) -> None:
    """Refuse the file unless its history block is that of ``base``: name the notice or
    the version it is of, or the line of the block that was edited."""
    found = [normal(line.text) for line in header]
    if found == version_header(base):
        return
    pos = header[0].pos if header else SourcePos(shown, 1, 1)
    if not found or found[0] != normal(history.notice.number or "事務連絡"):
        named = found[0] if found else "(none)"
        raise _error(
            pos,
            f"このファイルは{history.notice.id}ではなく「{named}」の通知です。"
            f"{history.notice.id}の consolidated ファイルを編集してください",
            f"this file is of the notice 「{named}」, not {history.notice.id}; edit the "
            f"consolidated file of {history.notice.id} (or pass --notice {named})",
        )
    for version in history.versions:
        if found == version_header(version):
            label = f"{version.label}（{format_wareki(version.date)}から）"
            wanted = f"{base.label}（{format_wareki(base.date)}から）"
            raise _error(
                pos,
                f"このファイルは{label}の版です。改正の基になる版は{wanted}です。"
                f"notices build でその版の consolidated ファイルを作り、編集し直してください",
                f"this file is the version {label}; the amendment is drafted against the "
                f"version in force on its date, {wanted}: edit that version's consolidated "
                "file (notices build writes it)",
            )
    expected = version_header(base)
    line = next(
        (ln for ln, want in zip(header, expected, strict=False) if normal(ln.text) != want),
        header[min(len(header), len(expected)) - 1] if header else None,
    )
    raise _error(
        line.pos if line else pos,
        "改正経過（右上の番号・日付・一部改正の欄）が編集されています。改正経過は改正で変えられません。"
        "元に戻してください",
        "the history block (number, date and the 一部改正 lines at the top right) was "
        "edited; an amendment does not change it: restore it as built",
    )


# --------------------------------------------------------------------------- the body


class _Body:
    """The body's lines after the history block, read front to back."""

    def __init__(self, lines: list[Line], shown: str) -> None:
        self.lines = [line for line in lines if line.bare]
        self.index = 0
        self.shown = shown

    def pos(self) -> SourcePos:
        if self.index < len(self.lines):
            return self.lines[self.index].pos
        return self.lines[-1].pos if self.lines else SourcePos(self.shown, 1, 1)

    def take(self, what: str) -> Line:
        if self.index >= len(self.lines):
            raise _error(
                self.pos(),
                f"{what}がありません。元の位置に戻してください",
                f"the {what} is missing; restore it where it was",
            )
        line = self.lines[self.index]
        self.index += 1
        return line

    def until(self, stop: set[str]) -> list[Line]:
        found = []
        while self.index < len(self.lines) and self.lines[self.index].bare not in stop:
            found.append(self.lines[self.index])
            self.index += 1
        return found


def _fixed(body: _Body, expected: list[str], what_ja: str, what_en: str) -> None:
    """Lines that an amendment does not change: they must read as built."""
    for want in expected:
        line = body.take(what_ja)
        if normal(line.text) != normal(want):
            raise _error(
                line.pos,
                f"{what_ja}は改正で変えられません（「{want}」が「{line.bare}」になっています）。"
                "元に戻してください",
                f"the {what_en} is not a unit an amendment changes (「{want}」 reads "
                f"「{line.bare}」); restore it",
            )


def _item_groups(lines: list[Line]) -> list[list[Line]]:
    """The lines of 記 grouped by top-level item (the first line's label gives the
    top level)."""
    groups: list[list[Line]] = []
    top: int | None = None
    for line in lines:
        label = starts_with_label(line.bare)
        if label is not None:
            level = _level(label, line)
            if top is None or level <= top:
                top = level if top is None else top
                groups.append([])
        if not groups:
            raise _error(
                line.pos,
                f"「{line.bare}」は項目の番号（1.）の前にあります。項目の番号を付けてください",
                f"「{line.bare}」 comes before the first item label (1.); number it",
            )
        groups[-1].append(line)
    return groups


def _level(label: str, line: Line) -> int:
    try:
        return label_level(label)
    except UnitError as exc:
        raise _error(line.pos, f"項目の番号が読めません（{exc}）", str(exc)) from None


def _shaped(new: Item, old: Item | None) -> Item:
    """``new`` read as ``old`` (the item of that label in force) was written where the
    text form cannot tell a 見出し from a first paragraph (the parser takes a first line
    ending in 「。」 with more after it as a paragraph, any other as a 見出し): a first line
    equal to the old 見出し stays a 見出し, one equal to the old first paragraph stays a
    paragraph."""
    children = tuple(
        _shaped(child, _by_label(old.items, child.label) if old else None) for child in new.items
    )
    new = dataclasses.replace(new, items=children)
    if old is None:
        return new
    more = len(new.paragraphs) > 1 or bool(new.items)
    if old.title is not None and new.title is None and new.paragraphs[:1] == (old.title,) and more:
        return Item(new.label, new.paragraphs[0], new.paragraphs[1:], new.items)
    if old.title is None and new.title is not None and old.paragraphs[:1] == (new.title,):
        return Item(new.label, None, (new.title, *new.paragraphs), new.items)
    return new


def _by_label(items: tuple[Item, ...], label: str) -> Item | None:
    return next((item for item in items if item.label == label), None)


_TYPED_LABEL = re.compile(r"^(?:[（(]([0-9０-９]+)[）)]|([0-9０-９]+)[.．](?![0-9０-９]))")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def typed_label(line: Line) -> Line:
    """``line`` with an item label typed in full-width characters (「（２）」「３．」, as a
    Japanese input method gives them) written as the text form writes it (「(2)」「3.」)."""
    text = line.bare
    match = _TYPED_LABEL.match(text)
    if match is None or match.group(0).isascii():
        return line
    if match.group(1) is not None:
        label = f"({match.group(1).translate(_DIGITS)})"
    else:
        label = f"{match.group(2).translate(_DIGITS)}."
    return Line(label + text[match.end() :], line.pos)


def _items(
    lines: list[Line], old: tuple[Item, ...], positions: dict[str, SourcePos]
) -> tuple[Item, ...]:
    lines = [typed_label(line) for line in lines]
    items = []
    for group in _item_groups(lines):
        try:
            item = parse_item_lines([line.bare for line in group])
        except UnitError as exc:
            raise _error(group[0].pos, f"項目が読めません（{exc}）", f"{exc}") from None
        items.append(_shaped(item, _by_label(old, item.label)))
        stack: list[tuple[int, str, int]] = []  # level, label, index in its level
        count: dict[tuple[int, ...], int] = {}
        for line in group:
            label = starts_with_label(line.bare)
            if label is None:
                continue
            level = _level(label, line)
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = (len(items) - 1, *(index for _, _, index in stack[1:]))
            index = len(items) - 1 if not stack else count.get(parent, 0)
            if stack:
                count[parent] = index + 1
            stack.append((level, citation_label(label), index))
            positions.setdefault("記" + "".join(f"の{c}" for _, c, _ in stack), line.pos)
            positions[item_key(tuple(i for _, _, i in stack))] = line.pos
    return tuple(items)


def item_key(indexes: tuple[int, ...]) -> str:
    """The key of an item's position by its place (indexes from 記 down), which labels
    typed twice cannot make ambiguous."""
    return "記#" + "/".join(map(str, indexes))


# --------------------------------------------------------------------------- attachments


def _attachment_label(attachment: Attachment) -> str:
    return f"（{attachment.id}）"


def _flat(piece: Piece) -> str:
    """A piece's text as compared on a page that must be unchanged: without spaces, 字下げ
    and the 「｜」 between a text-form table's cells, a grid's cells one after another (so
    that a page of a .docx compares with the same page of the text form)."""
    if isinstance(piece, Grid):
        return normal("".join("".join(cell) for row in piece.rows for cell in row))
    return normal(piece.text).replace("｜", "")


def first_change(page: Sequence[Piece], reference: Sequence[Piece]) -> Piece | None:
    """The first piece of ``page`` where its text stops being ``reference``'s (the last
    piece when text is missing at the end), or None when the two read the same."""
    expected = "".join(_flat(piece) for piece in reference)
    done = ""
    for piece in page:
        done += _flat(piece)
        if not expected.startswith(done):
            return piece
    return None if done == expected else (page[-1] if page else None)


def _fields(line: Line) -> list[str]:
    return [field for field in _FIELD_SPLIT.split(line.bare) if field]


def _area_table(
    pieces: list[Piece], old: TableAttachment, positions: dict[str, SourcePos]
) -> TableAttachment:
    """An area table (別添1) read from its page: its rows from the two column pairs of
    the text form or the .docx table, its note after them."""
    rows: list[tuple[str, str, SourcePos]] = []
    note: list[str] = []
    grids = [piece for piece in pieces if isinstance(piece, Grid)]
    lines = [piece for piece in pieces if isinstance(piece, Line) and piece.bare]
    title_lines = lines[:1] if old.title else []
    if title_lines:
        lines = lines[1:]
    if grids:
        if len(grids) > 1:
            raise _error(
                grids[1].pos,
                f"{old.id}の表が二つあります。一つの表にしてください",
                f"{old.id} has two tables; keep the one table",
            )
        grid = grids[0]
        left: list[tuple[str, str, SourcePos]] = []
        right: list[tuple[str, str, SourcePos]] = []
        for index in range(1, len(grid.rows)):
            for side, column in ((left, 0), (right, 2)):
                label = grid.cell_text(index, column)
                if label:
                    side.append((label, grid.cell_text(index, column + 1), grid.pos))
        rows = left + right
        note = [line.bare for line in lines]
    else:
        if not lines:
            raise _error(None, f"{old.id}の表がありません", f"{old.id} has no table; restore it")
        left_lines: list[tuple[str, str, SourcePos]] = []
        right_lines: list[tuple[str, str, SourcePos]] = []
        for line in lines[1:]:
            fields = _fields(line)
            if len(fields) < 2:
                note.append(line.bare)
                continue
            if len(fields) % 2:
                raise _error(
                    line.pos,
                    f"「{line.bare}」を都道府県と区域の組に分けられません"
                    "（都道府県の後に全角スペース一つ）",
                    f"「{line.bare}」 is not 都道府県, a full-width space, the areas "
                    "(twice at most)",
                )
            if line.text.startswith((" ", INDENT)) and len(fields) == 2:
                right_lines.append((fields[0], fields[1], line.pos))  # its left pair is gone
                continue
            left_lines.append((fields[0], fields[1], line.pos))
            if len(fields) == 4:
                right_lines.append((fields[2], fields[3], line.pos))
        rows = left_lines + right_lines
    title = title_lines[0].bare if title_lines else old.title
    read: list[Row] = []
    for label, text, pos in rows:
        try:
            read.append(parse_row_line(f"{label}{INDENT}{text}"))
        except UnitError as exc:
            raise _error(pos, f"{label}の行が読めません（{exc}）", str(exc)) from None
        positions.setdefault(f"{old.id} {label}の項", pos)
    table: TableAttachment = dataclasses.replace(  # its rows are area rows, as read
        old,
        title=title,
        rows=tuple(read),  # type: ignore[arg-type]
        note="".join(note),
    )
    return table


def _header_cells(line: Line) -> tuple[str, ...]:
    return tuple(line.bare.removeprefix("［").removesuffix("］").split("｜"))


def _generic_table(pieces: list[Piece], old: Table, positions: dict[str, SourcePos]) -> Table:
    grids = [piece for piece in pieces if isinstance(piece, Grid)]
    lines = [piece for piece in pieces if isinstance(piece, Line) and piece.bare]
    title = old.title
    if old.title and lines:
        title, lines = lines[0].bare, lines[1:]
    rows: list[TableRow] = []
    note: list[str] = []
    if grids:
        grid = grids[0]
        count = len(old.header)
        header = tuple(tuple("".join(cell) for cell in row) for row in grid.rows[:count])
        for row in grid.rows[count:]:
            label = "".join(row[0]).strip(" " + INDENT) if row else ""
            if not label:
                continue
            rows.append(TableRow(label, tuple(tuple(cell) for cell in row[1:])))
            positions.setdefault(f"{old.id} {label}の項", grid.pos)
        note = [line.bare for line in lines]
    else:
        header_rows = [line for line in lines if line.bare.startswith("［")]
        header = tuple(_header_cells(line) for line in header_rows)
        rest = [line for line in lines if not line.bare.startswith("［")]
        groups: list[list[Line]] = []
        for line in rest:
            if not line.text.startswith((INDENT, " ")) or not groups:
                groups.append([])
            groups[-1].append(line)
        if groups and len(groups[-1]) == 1 and old.note:
            note = [groups.pop()[0].bare]
        for group in groups:
            try:
                read = parse_table_row_lines([line.text for line in group])
            except UnitError as exc:
                raise _error(group[0].pos, f"表の行が読めません（{exc}）", str(exc)) from None
            rows.append(read)
            positions.setdefault(f"{old.id} {read.label}の項", group[0].pos)
    return dataclasses.replace(
        old, title=title, header=header or old.header, rows=tuple(rows), note="".join(note)
    )


def _check_table_kept(rest: list[Piece], old: TableAttachment, label: Line) -> None:
    """Refuse a table attachment whose table is gone: no .docx table and not the text
    form's heading line and rows either (deleted, or merged into one paragraph)."""
    lines = [piece for piece in rest if isinstance(piece, Line)]
    if not any(isinstance(piece, Grid) for piece in rest) and len(lines) < 2:
        raise _error(
            label.pos,
            f"{old.id}の表がなくなっています（削除されたか、文章に変わっています）。"
            "表は残したまま、行を削除・追加してください",
            f"the table of {old.id} is gone (deleted, or turned into text); keep the table "
            "and delete or add its rows",
        )


def _attachment(
    page: list[Piece],
    reference: list[Piece] | None,
    old: Attachment,
    positions: dict[str, SourcePos],
) -> Attachment:
    label_line = page[0]
    assert isinstance(label_line, Line)
    positions.setdefault(old.id, label_line.pos)
    rest = [piece for piece in page[1:] if not _blank(piece)]
    if isinstance(old, TableAttachment):
        _check_table_kept(rest, old, label_line)
    if isinstance(old, Table):
        return _generic_table(rest, old, positions)
    if isinstance(old, TableAttachment):
        return _area_table(rest, old, positions)
    if isinstance(old, TextAttachment):
        return _text_attachment(page, reference, old)
    assert isinstance(old, FormRef)  # a new kind of attachment: read its page here
    changed = first_change(page, reference) if reference is not None else None
    if changed is not None and reference is not None:  # a .docx prints the title once
        once = first_change(page, _form_title_once(reference))
        place = {id(piece): index for index, piece in enumerate(page)}
        changed = None if once is None else max(changed, once, key=lambda p: place[id(p)])
    if changed is not None:
        raise _error(
            changed.pos,
            f"{old.id}は様式（forms/{old.form}）です。様式の内容は改め文では変えず、"
            "forms/ のファイルを編集してください",
            f"{old.id} is the form 「{old.form}」 kept in forms/; change its file there, "
            "not the notice",
        )
    return old


def _form_title_once(page: list[Piece]) -> list[Piece]:
    """A form attachment's page of the text form as Word and the PDF print it: without the
    form's own title when the attachment's title starts with it
    (:func:`builder.documents.form_title.shares_title`)."""
    lines = [(index, piece) for index, piece in enumerate(page) if isinstance(piece, Line)]
    filled = [(index, piece) for index, piece in lines[1:] if piece.bare]
    if len(filled) < 2 or not shares_title(filled[0][1].bare, filled[1][1].bare):
        return page
    return [piece for index, piece in enumerate(page) if index != filled[1][0]]


def _fixed_shape(
    page: list[Piece], reference: list[Piece] | None, old: TextAttachment, what: tuple[str, str]
) -> NoticeError:
    """The refusal of a 別紙 page whose paragraphs or items are not those in force
    (``what``: what differs, in Japanese and English), at the first line that reads
    differently."""
    changed = first_change(page, reference) if reference is not None else None
    return _error(
        (changed or page[0]).pos,
        f"{old.id}の{what[0]}。文章の添付（{old.id}）の段落・項目を追加・削除・分割・併合し、"
        "番号を振り直す改正の種類はありません（改め文で書けるのは段落・項目の中の文言の変更"
        "だけです）。段落・項目は版のとおり一行ずつ残し、その中の文言だけを編集してください",
        f"{old.id}: {what[1]}. No amendment adds, deletes, splits, joins or renumbers the "
        "paragraphs and items of a text attachment (its changes quote the words inside "
        "them): keep each paragraph and item on its line as built and edit only the words "
        "in them",
    )


_LINES_CHANGED = (
    "段落・項目の行の数が版と違います",
    "its page has another number of paragraph and item lines than the version in force",
)
_LABELS_CHANGED = (
    "項目の番号・見出し・段落の数が版と違います",
    "its items' labels, 見出し or paragraph counts differ from the version in force",
)
_TABLE_ADDED = ("ページに表があります", "its page holds a table")


def _text_attachment(
    page: list[Piece], reference: list[Piece] | None, old: TextAttachment
) -> TextAttachment:
    """A 別紙 read from its page: its title (when it has one), each paragraph, then its
    items, one line each as built; a line that reads as in force without spaces keeps
    the text in force (a space moved by the layout is not an edit)."""
    rest = [piece for piece in page[1:] if not _blank(piece)]
    if any(isinstance(piece, Grid) for piece in rest):
        raise _fixed_shape(page, reference, old, _TABLE_ADDED)
    lines = [piece for piece in rest if isinstance(piece, Line)]
    own = ([old.title] if old.title else []) + list(old.paragraphs)
    in_force = own + [text for item in old.items for text in item_segments(item)]
    if len(lines) != len(in_force):
        raise _fixed_shape(page, reference, old, _LINES_CHANGED)
    texts = [
        was if normal(line.text) == normal(was) else line.bare
        for line, was in zip(lines[: len(own)], own, strict=True)
    ]
    items: tuple[Item, ...] = ()
    if old.items:
        try:
            items = _items(lines[len(own) :], old.items, {})
        except NoticeError:
            raise _fixed_shape(page, reference, old, _LABELS_CHANGED) from None
        if item_shape(items) != item_shape(old.items):
            raise _fixed_shape(page, reference, old, _LABELS_CHANGED)
    title = texts.pop(0) if old.title else old.title
    return dataclasses.replace(old, title=title, paragraphs=tuple(texts), items=items)


# --------------------------------------------------------------------------- the whole


def read_edited(
    pieces: Sequence[Piece],
    reference: Sequence[Piece],
    history: History,
    base: Version,
    shown: str,
) -> Edited:
    """The notice the edited ``pieces`` hold, read against ``base`` (the version they
    were built from) and ``reference`` (``base`` in its text form, for the pages an
    amendment does not change: a form's, a 別紙's; a .docx page compares with it too);
    ``NoticeError`` at the first thing refused."""
    old = base.notice
    pages = _pages(pieces)
    reference_pages = _pages(reference)
    body_pieces = pages[0]
    grid = next((piece for piece in body_pieces if isinstance(piece, Grid)), None)
    if grid is not None:
        raise _error(
            grid.pos,
            "本文に表があります。本文の表は読めません",
            "a table in the body of the notice cannot be read; remove it",
        )
    lines = [piece for piece in body_pieces if isinstance(piece, Line)]
    start = next((i for i, line in enumerate(lines) if line.bare), 0)
    end = next((i for i in range(start, len(lines)) if not lines[i].bare), len(lines))
    check_identity(lines[start:end], history, base, shown)
    body = _Body(lines[end:], shown)
    positions: dict[str, SourcePos] = {}
    _fixed(
        body,
        [f"{a.name}{INDENT}{a.honorific}" if a.honorific else a.name for a in old.addressees],
        "宛先",
        "addressee",
    )
    _fixed(body, [old.sender, *([SEAL_OMITTED] if old.seal_omitted else [])], "発信者", "sender")
    title = body.take("件名")
    positions["件名"] = title.pos
    contact_label = old.contact.label if old.contact else None
    stops = {"記"} if old.ki else ({contact_label} if contact_label else set())
    preamble = body.until(stops)
    if preamble:
        positions["前文"] = preamble[0].pos
    items: tuple[Item, ...] = ()
    if old.ki:
        if body.index >= len(body.lines):
            raise _error(
                body.pos(),
                "「記」の行がありません。「記」は消さずに残してください（項目はその下に書きます）",
                "the line 「記」 is missing; keep it (the items go under it)",
            )
        positions["記"] = body.take("記").pos
        item_lines = body.until({contact_label} if contact_label else set())
        items = _items(item_lines, old.ki, positions)
    contact = old.contact
    if old.contact is not None:
        heading = body.take(old.contact.label)
        positions["担当者"] = heading.pos
        texts = [line.bare for line in body.until(set())]
        contact = Contact(old.contact.heading, tuple(texts), old.contact.brackets)
    elif body.index < len(body.lines):
        extra = body.lines[body.index]
        raise _error(
            extra.pos,
            f"「{extra.bare}」をどの部分としても読めません",
            f"「{extra.bare}」 cannot be read as a part of the notice",
        )
    attachments = _attachments(pages[1:], reference_pages[1:], old, positions, shown)
    notice = dataclasses.replace(
        old,
        title=title.bare,
        preamble=tuple(line.bare for line in preamble),
        ki=items,
        contact=contact,
        attachments=attachments,
    )
    return Edited(notice, positions)


def _attachments(
    pages: list[list[Piece]],
    reference: list[list[Piece]],
    old: Notice,
    positions: dict[str, SourcePos],
    shown: str,
) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    labels = [_attachment_label(a) for a in old.attachments]
    for index, page in enumerate(pages):
        first = page[0]
        assert isinstance(first, Line)
        if index >= len(old.attachments) or first.bare != labels[index]:
            raise _error(
                first.pos,
                f"添付「{first.bare}」は{old.id}の添付（{'、'.join(labels) or 'なし'}）と"
                "順に対応しません。添付の追加・削除・改名を表す改正の種類はありません"
                "（改め文で書けるのは添付の中の変更だけです）。添付はラベル行のとおりその順に残し、"
                "その中を編集してください",
                f"the attachment 「{first.bare}」 does not match {old.id}'s attachments in "
                f"order ({'、'.join(labels) or 'none'}); no amendment adds or removes an "
                "attachment or renames one (its changes are made inside an attachment): "
                "keep the attachments under their label lines, in order, and edit inside them",
            )
        ref = reference[index] if index < len(reference) else None
        found.append(_attachment(page, ref, old.attachments[index], positions))
    if len(found) < len(old.attachments):
        missing = old.attachments[len(found)]
        raise _error(
            SourcePos(shown, 1, 1),
            f"{missing.id}がありません（ラベル行「{_attachment_label(missing)}」）。"
            "添付を削る改正の種類はありません。元に戻してください",
            f"{missing.id} is missing (its label line 「{_attachment_label(missing)}」); "
            "no amendment removes an attachment: restore it",
        )
    return tuple(found)
