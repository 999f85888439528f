"""YAML sources → model: schema validation, semantic checks and cross-references, with
every problem reported as ``file:line:col: message``.

Layout of a source tree::

    notices/*.yaml          one notice per file
    notices/lists/*.yaml    distribution lists (別記)
    amendments/*.yaml       one 一部改正 per file
    forms/*.yaml            one form per file
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from builder.core.errors import NoticeError, Problem
from builder.core.filenames import UnsafeNameError, safe_component
from builder.engine.address import (
    AddressError,
    ContactAddress,
    HeadingAddress,
    ItemAddress,
    PreambleAddress,
    RowAddress,
    TitleAddress,
    parse_address,
)
from builder.engine.textform import label_level, starts_with_label
from builder.engine.units import UnitError, table_row_problems
from builder.japanese import (
    DateError,
    DigitWidthError,
    DocumentNumberError,
    check_digit_width,
    check_number_matches_date,
    parse_date,
    parse_document_number,
)
from builder.model.notice import (
    AddItems,
    AddParagraphs,
    Addressee,
    AddRow,
    Amendment,
    AreaChange,
    Attachment,
    Change,
    ChangeBody,
    Contact,
    Decision,
    DeleteItem,
    DeleteParagraph,
    DeleteRow,
    DistributionList,
    FormRef,
    FormSource,
    Item,
    Letter,
    Notice,
    Project,
    Rewrite,
    Row,
    SourcePos,
    Table,
    TableRow,
    TextAttachment,
    TextChange,
)
from builder.sources import schema as s
from builder.sources.area_table import area_row, read_area_table
from builder.sources.yamlsafe import Key, Located, load_yaml

M = TypeVar("M", bound=BaseModel)

_TYPE_NAMES = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "tuple_type": "a list",
    "model_attributes_type": "a mapping",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"「{value}」"


def _real_key(located: Located, loc: tuple[Any, ...]) -> Key:
    """Pydantic's error location without its union/tag steps, as a key into positions."""
    key: Key = ()
    for part in loc:
        name = "with" if part == "with_" else part
        if (*key, name) in located.positions:
            key = (*key, name)
    return key


def _problem(located: Located, error: Any) -> Problem:
    loc = tuple(error["loc"])
    key = _real_key(located, loc)
    kind = error["type"]
    field = str(loc[-1]) if loc else ""
    field = "with" if field == "with_" else field
    if kind == "missing":
        message = f"missing required key '{field}'"
    elif kind == "extra_forbidden":
        message = f"unknown key '{field}'; check its spelling against the README's source format"
        key = _real_key(located, loc)
    elif kind in _TYPE_NAMES:
        message = f"'{field}' must be {_TYPE_NAMES[kind]}, not {_describe(error.get('input'))}"
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    elif kind == "too_short":
        message = f"'{field}' must not be empty"
    else:
        message = f"'{field}': {error['msg']}"
    return Problem(message, located.pos(key))


def validate(located: Located, model: type[M]) -> M:
    """``located.data`` as ``model``; ``NoticeError`` with one problem per schema error."""
    if not isinstance(located.data, dict):
        raise NoticeError.at(located.pos(()), "expected a YAML mapping at the top of the file")
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        problems = sorted(
            {str(p): p for p in (_problem(located, e) for e in exc.errors())}.values(),
            key=lambda p: (p.pos.line, p.pos.column) if p.pos else (0, 0),
        )
        raise NoticeError(problems) from None


class _Reader:
    """Converts one validated file to model objects, collecting problems with positions."""

    def __init__(self, located: Located, layout: bool = True) -> None:
        self.located = located
        self.problems: list[Problem] = []
        self.layout = layout  # check what only the PDF writer needs (a row fits a page)

    def pos(self, *key: str | int) -> SourcePos:
        return self.located.pos(key)

    def fail(self, key: Key, message: str) -> None:
        self.problems.append(Problem(message, self.located.pos(key)))

    def date(self, key: Key, text: str) -> dt.date:
        try:
            return parse_date(text)
        except DateError as exc:
            self.fail(key, str(exc))
            return dt.date(1900, 1, 1)

    def number(self, key: Key, text: str, date: dt.date) -> str:
        try:
            number = parse_document_number(text)
            if date.year > 1900:
                check_number_matches_date(number, date)
            return str(number)
        except DocumentNumberError as exc:
            self.fail(key, str(exc))
            return text

    def check_texts(self, key: Key = ()) -> None:
        """Every text value follows the digit rule and has no stray whitespace or newline."""
        for where, message in text_problems(self.located.data, key, UNCHECKED_KEYS):
            self.fail(where, message)

    def raise_if_failed(self) -> None:
        if self.problems:
            raise NoticeError(self.problems)


UNCHECKED_KEYS = frozenset({"provenance", "why", "transcription"})
"""Free notes about a source, not printed text: the text rules do not apply to them."""


def text_problems(data: Any, key: Key, skip: frozenset[str]) -> Iterator[tuple[Key, str]]:
    """(key, message) for every printed text under ``key`` that breaks the digit rule or
    has leading/trailing whitespace or a line break (mapping keys in ``skip`` are not
    printed text)."""
    value = _lookup(data, key)
    if isinstance(value, dict):
        for name in value:
            if name not in skip:
                yield from text_problems(data, (*key, name), skip)
    elif isinstance(value, list):
        for index in range(len(value)):
            yield from text_problems(data, (*key, index), skip)
    elif isinstance(value, str):
        try:
            check_digit_width(value)
        except DigitWidthError as exc:
            yield key, str(exc)
        if value != value.strip(" \u3000\t\n") or "\n" in value:
            yield (
                key,
                (
                    "text has leading/trailing spaces or a line break; indentation and line "
                    "breaks are rendering: write each paragraph on one line"
                ),
            )


def _lookup(data: Any, key: Key) -> Any:
    for part in key:
        data = data[part]
    return data


def _decisions(transcription: s.TranscriptionS | None) -> tuple[Decision, ...]:
    if transcription is None:
        return ()
    return tuple(Decision(d.seed, d.used, d.why) for d in transcription.decisions)


def _item(reader: _Reader, key: Key, item: s.ItemS) -> Item:
    try:
        label_level(item.label)
    except UnitError as exc:
        reader.fail((*key, "label"), str(exc))
    paragraphs = (item.text,) if item.text is not None else tuple(item.paragraphs)
    for index, paragraph in enumerate(paragraphs):
        label = starts_with_label(paragraph)
        if label:
            where = (*key, "text") if item.text is not None else (*key, "paragraphs", index)
            reader.fail(
                where,
                f"paragraph starts with 「{label}」, which reads as an item label; make it an "
                f"item ({{label: {label}, text: …}}) or reword its start",
            )
    children = tuple(_item(reader, (*key, "items", i), c) for i, c in enumerate(item.items))
    for index, child in enumerate(item.items):
        if _valid(child, item) and label_level(child.label) <= label_level(item.label):
            reader.fail(
                (*key, "items", index, "label"),
                f"「{child.label}」 cannot nest under 「{item.label}」",
            )
    return Item(item.label, item.title, paragraphs, children)


def _check_unique_labels(reader: _Reader, key: Key, items: list[s.ItemS]) -> None:
    """Sibling items must be addressable: no two share a label (except the bullet ・)."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.label != "・" and item.label in seen:
            reader.fail(
                (*key, index, "label"),
                f"two items at one level are labelled 「{item.label}」; number them in order",
            )
        seen.add(item.label)
        _check_unique_labels(reader, (*key, index, "items"), item.items)


def _valid(child: s.ItemS, parent: s.ItemS) -> bool:
    try:
        label_level(child.label)
        label_level(parent.label)
    except UnitError:
        return False
    return True


def table_row(row: s.TableRowS) -> TableRow:
    """A generic table row from its YAML (a cell is one line or a list of lines)."""
    cells = tuple((cell,) if isinstance(cell, str) else tuple(cell) for cell in row.cells)
    return TableRow(row.label, cells)


def any_row(row: s.AreaRowS | s.TableRowS) -> Row:
    """An area row or a generic row, as written."""
    return area_row(row) if isinstance(row, s.AreaRowS) else table_row(row)


def _table(reader: _Reader, key: Key, data: s.TableS) -> Table:
    header = tuple(tuple(cells) for cells in data.header)
    found = Table(data.id, data.title, header, tuple(table_row(r) for r in data.rows), data.note)
    widths = {len(cells) for cells in header}
    if len(widths) > 1:
        reader.fail((*key, "header"), "every header row needs the same number of columns")
    elif len(found.columns) < 2:
        reader.fail((*key, "header"), "a table needs the label column and at least one more column")
    labels = [row.label for row in found.rows]
    for index, row in enumerate(found.rows):
        where = (*key, "rows", index)
        if labels.index(row.label) != index:
            reader.fail((*where, "label"), f"{found.id} has the row 「{row.label}」 twice")
        if len(widths) == 1:
            for problem in table_row_problems(found, row):
                reader.fail(where, f"{found.id}: {problem}")
    return found


def _attachment(
    reader: _Reader,
    key: Key,
    attachment: s.AreaTableS | s.TableS | s.FormRefS | s.TextAttachmentS,
) -> Attachment:
    if isinstance(attachment, s.AreaTableS):
        return read_area_table(
            attachment, lambda where, message: reader.fail((*key, *where), message), reader.layout
        )
    if isinstance(attachment, s.TableS):
        return _table(reader, key, attachment)
    if isinstance(attachment, s.FormRefS):
        return FormRef(
            attachment.id, attachment.title, attachment.form, reader.located.pos((*key, "form"))
        )
    items = tuple(_item(reader, (*key, "items", i), it) for i, it in enumerate(attachment.items))
    return TextAttachment(attachment.id, attachment.title, tuple(attachment.paragraphs), items)


def read_notice(located: Located, layout: bool = True) -> Notice:
    """One notice file as a ``Notice``; ``layout=False`` skips the checks only the PDF
    writer needs (:func:`load_project`)."""
    data = validate(located, s.NoticeS)
    reader = _Reader(located, layout)
    reader.check_texts()
    date = reader.date(("date",), data.date)
    number = None
    try:
        safe_component(data.id)
    except UnsafeNameError as exc:
        reader.fail(("id",), f"{exc}; the id names the notice's output folder")
    if data.number is not None:
        before = len(reader.problems)
        number = reader.number(("number",), data.number, date)
        if len(reader.problems) == before and data.id != number:
            reader.fail(("id",), f"the id of a numbered notice is its number 「{number}」")
    elif data.kind == "通知":
        reader.fail(("number",), "a 通知 needs its 文書番号 (number); a 事務連絡 has none")
    ki = tuple(_item(reader, ("ki", i), item) for i, item in enumerate(data.ki))
    _check_unique_labels(reader, ("ki",), data.ki)
    attachments = tuple(
        _attachment(reader, ("attachments", i), a) for i, a in enumerate(data.attachments)
    )
    ids = [a.id for a in attachments]
    for index, attachment_id in enumerate(ids):
        if ids.index(attachment_id) != index:
            reader.fail(
                ("attachments", index, "id"), f"attachment id 「{attachment_id}」 is used twice"
            )
    contact = None
    if data.contact is not None:
        contact = Contact(data.contact.heading, tuple(data.contact.lines), data.contact.brackets)
    reader.raise_if_failed()
    return Notice(
        id=data.id,
        kind=data.kind,
        number=number,
        date=date,
        addressees=tuple(Addressee(a.name, a.honorific) for a in data.addressees),
        sender=data.sender,
        seal_omitted=data.seal_omitted,
        title=data.title,
        preamble=tuple(data.preamble),
        ki=ki,
        contact=contact,
        attachments=attachments,
        provenance=data.provenance,
        decisions=_decisions(data.transcription),
        source=located.path,
        pos=located.pos(()),
        field_positions=_field_positions(located),
    )


def _field_positions(located: Located) -> tuple[tuple[str, SourcePos], ...]:
    return tuple(
        (k[0], p) for k, p in located.positions.items() if len(k) == 1 and isinstance(k[0], str)
    )


def _rewrite_value(reader: _Reader, key: Key, at: str, value: Any) -> Rewrite | None:
    """The new content of a rewrite, typed by what the address names."""
    try:
        address = parse_address(at)
    except AddressError:
        return None  # reported when the change is resolved
    sub = Located(
        reader.located.path,
        value,
        {k[len(key) :]: p for k, p in reader.located.positions.items() if k[: len(key)] == key},
    )
    wanted: type[BaseModel] | None = None
    if isinstance(address, ItemAddress):
        wanted = s.ItemS
    elif isinstance(address, RowAddress):
        wanted = s.TableRowS if isinstance(value, dict) and "label" in value else s.AreaRowS
    if wanted is not None:
        try:
            model = validate(sub, wanted)
        except NoticeError as exc:
            reader.problems.extend(exc.problems)
            return None
        if isinstance(model, s.ItemS):
            return Rewrite(_item(reader, key, model))
        assert isinstance(model, s.AreaRowS | s.TableRowS)
        return Rewrite(any_row(model))
    if isinstance(address, TitleAddress | HeadingAddress) and isinstance(value, str):
        return Rewrite(value)
    if isinstance(address, PreambleAddress | ContactAddress) and (
        isinstance(value, list) and value and all(isinstance(v, str) for v in value)
    ):
        return Rewrite(tuple(value))
    reader.fail(
        key,
        f"rewrite of {at} needs "
        + ("text" if isinstance(address, TitleAddress | HeadingAddress) else "a list of lines"),
    )
    return None


def _rows(reader: _Reader, key: Key, rows: list[s.AreaRowS | s.TableRowS]) -> tuple[Row, ...]:
    area_rows = tuple(area_row(r) for r in rows if isinstance(r, s.AreaRowS))
    table_rows = tuple(table_row(r) for r in rows if isinstance(r, s.TableRowS))
    if area_rows and table_rows:
        reader.fail(
            (*key, "rows"),
            "rows of one table are all {prefecture, areas} (a table of areas) or all "
            "{label, cells}, not both",
        )
    return area_rows or table_rows


def _change_body(reader: _Reader, key: Key, change: s.ChangeS) -> ChangeBody | None:
    if change.replace is not None:
        assert change.with_ is not None
        return TextChange("replace", change.replace, change.with_)
    if change.insert is not None:
        assert change.after is not None
        return TextChange("insert", change.after, change.insert)
    if change.delete is not None:
        return TextChange("delete", change.delete)
    if change.rewrite is not None:
        return _rewrite_value(reader, (*key, "rewrite"), change.at, change.rewrite)
    if change.add_row_after is not None:
        assert change.rows is not None
        return AddRow(change.add_row_after, _rows(reader, key, change.rows))
    if change.add_row_before is not None:
        assert change.rows is not None
        return AddRow(None, _rows(reader, key, change.rows), before=change.add_row_before)
    if change.delete_row is not None:
        return DeleteRow()
    if change.add_items is not None:
        items = tuple(
            _item(reader, (*key, "add_items", index), item)
            for index, item in enumerate(change.add_items)
        )
        return AddItems(items, change.after, bool(change.first))
    if change.delete_item is not None:
        return DeleteItem()
    if change.add_paragraphs is not None:
        return AddParagraphs(tuple(change.add_paragraphs))
    if change.delete_paragraph is not None:
        return DeleteParagraph()
    if change.add_area is not None:
        return AreaChange("add", change.add_area, bool(change.model), change.after)
    if change.remove_area is not None:
        return AreaChange("remove", change.remove_area)
    if change.set_model is not None:
        return AreaChange("set_model", change.set_model)
    if change.clear_model is not None:
        return AreaChange("clear_model", change.clear_model)
    assert change.rename_area is not None
    return AreaChange("rename", change.rename_area, new_name=change.to)


def read_amendment(located: Located) -> Amendment:
    """One amendment file as an ``Amendment``."""
    data = validate(located, s.AmendmentS)
    reader = _Reader(located)
    reader.check_texts()
    date = reader.date(("date",), data.date)
    effective = reader.date(("effective",), data.effective) if data.effective else None
    number = reader.number(("number",), data.number, date)
    letter = None
    if data.letter is not None:
        letter_number = reader.number(("letter", "number"), data.letter.number, date)
        if letter_number == number:
            reader.fail(
                ("letter", "number"),
                "the distribution letter needs its own number, not the amendment's",
            )
        letter = Letter(letter_number, data.letter.list)
    changes = []
    for index, change in enumerate(data.changes):
        key = ("changes", index)
        try:
            parse_address(change.at)
        except AddressError as exc:
            reader.fail((*key, "at"), str(exc))
            continue
        body = _change_body(reader, key, change)
        if body is not None:
            changes.append(Change(change.at, body, located.pos(key)))
    reader.raise_if_failed()
    return Amendment(
        number=number,
        date=date,
        notice=data.notice,
        changes=tuple(changes),
        letter=letter,
        provenance=data.provenance,
        decisions=_decisions(data.transcription),
        source=located.path,
        pos=located.pos(()),
        field_positions=_field_positions(located),
        effective=effective if effective != date else None,
    )


def read_distribution_list(located: Located) -> DistributionList:
    """One distribution list file."""
    data = validate(located, s.DistributionListS)
    reader = _Reader(located)
    reader.check_texts()
    reader.raise_if_failed()
    return DistributionList(
        data.id, data.title, data.addressee, tuple(data.members), located.pos(("id",))
    )


def read_form(located: Located) -> FormSource:
    """One form file (its identity; the form writers read the rest)."""
    data = validate(located, s.FormS)
    form = None
    if data.form is not None:  # without it, the file names a form still to be designed
        from builder.sources.forms import form_from_located  # imports this module: load late

        form = form_from_located(located)  # every field, with file:line:col on errors
    return FormSource(data.id, data.title, data.provenance, located.path, form)


T = TypeVar("T")


SOURCE_SUFFIXES = (".yaml", ".yml")
"""A source file's name ends in one of these, in lower case."""

NESTED_FOLDERS = {"notices": ("lists",)}
"""Subfolders of a source folder that are source folders themselves."""


def source_files(root: Path, folder: str) -> tuple[list[Path], list[Problem]]:
    """The source files of ``root/folder`` (``*.yaml`` then ``*.yml``, each sorted), and a
    problem for every file there that looks like a source but would not be read: a name
    ending in ``.YAML``/``.Yml``…, or a ``*.yaml`` in a subfolder. Every input is either
    used or refused; a FIFO, device or socket named ``*.yaml`` is refused when read
    (:func:`builder.sources.yamlsafe.read_source`)."""
    directory = root / folder
    if not directory.is_dir():
        return [], []
    found: dict[str, list[Path]] = {suffix: [] for suffix in SOURCE_SUFFIXES}
    problems: list[Problem] = []
    nested = NESTED_FOLDERS.get(folder, ())
    for path in sorted(directory.iterdir()):
        name = path.name
        shown = path.relative_to(root).as_posix()
        lowered = name.lower()
        suffix = next((x for x in SOURCE_SUFFIXES if lowered.endswith(x)), None)
        if suffix is not None and name.endswith(suffix):
            found[suffix].append(path)
        elif suffix is not None:
            stem = name[: -len(suffix)]
            problems.append(
                Problem(
                    f"file name ends in 「{name[-len(suffix) :]}」, which is not read: sources "
                    f"end in {' or '.join(SOURCE_SUFFIXES)} in lower case; rename it "
                    f"{stem}{suffix}",
                    SourcePos(shown, 1, 1),
                )
            )
        elif path.is_dir() and not path.is_symlink() and name not in nested:
            inner = sorted(
                p
                for p in path.rglob("*")
                if p.name.lower().endswith(SOURCE_SUFFIXES) and not p.is_dir()
            )
            if inner:
                problems.append(
                    Problem(
                        f"sources in subfolders of {folder}/ are not read; move it into {folder}/",
                        SourcePos(inner[0].relative_to(root).as_posix(), 1, 1),
                    )
                )
    return found[".yaml"] + found[".yml"], problems


def _read_all(
    root: Path, folder: str, read: Callable[[Located], T], problems: list[Problem]
) -> list[T]:
    results: list[T] = []
    paths, refused = source_files(root, folder)
    problems.extend(refused)
    for path in paths:
        shown = path.relative_to(root).as_posix()
        try:
            results.append(read(load_yaml(path, shown)))
        except NoticeError as exc:
            problems.extend(exc.problems)
    return results


def load_project(root: Path, layout: bool = True) -> Project:
    """Every source under ``root``, checked and cross-referenced; ``NoticeError`` lists
    every problem found (not only the first). ``layout=False`` leaves out the checks that
    only the PDF writer needs (each 別添1 row fits on a page): for the engine's scale
    benchmark, whose synthetic table (10,000 areas in 47 rows) no PDF page could hold."""
    problems: list[Problem] = []
    if not (root / "notices").is_dir():
        raise NoticeError(
            f"{root}: no notices/ folder here; run from the project root or pass --root"
        )
    notices = _read_all(root, "notices", partial(read_notice, layout=layout), problems)
    lists = _read_all(root, "notices/lists", read_distribution_list, problems)
    amendments = _read_all(root, "amendments", read_amendment, problems)
    forms = _read_all(root, "forms", read_form, problems)
    if not problems:  # a file that failed to load would make every reference to it look wrong
        problems.extend(_cross_references(notices, amendments, lists, forms))
    if problems:
        raise NoticeError(problems)
    return Project(tuple(notices), tuple(amendments), tuple(lists), tuple(forms))


def _duplicates(
    items: list[T], key: Callable[[T], str], where: Callable[[T], SourcePos | None], what: str
) -> list[Problem]:
    seen: dict[str, T] = {}
    problems = []
    for item in items:
        name = key(item)
        if name in seen:
            first = where(seen[name])
            problems.append(
                Problem(
                    f"{what} 「{name}」 is already used in {first}; each must be unique",
                    where(item),
                )
            )
        else:
            seen[name] = item
    return problems


def _cross_references(
    notices: list[Notice],
    amendments: list[Amendment],
    lists: list[DistributionList],
    forms: list[FormSource],
) -> list[Problem]:
    problems = _duplicates(notices, lambda n: n.id, lambda n: n.pos, "notice id")
    numbers = (
        [(a.number, a.where("number")) for a in amendments]
        + [(a.letter.number, a.where("letter")) for a in amendments if a.letter]
        + [(n.number, n.where("number")) for n in notices if n.number]
    )
    seen: dict[str, SourcePos | None] = {}
    for number, pos in numbers:
        if number in seen:
            problems.append(
                Problem(
                    f"文書番号 「{number}」 is already used in {seen[number]}; "
                    "every document needs its own number",
                    pos,
                )
            )
        else:
            seen[number] = pos
    problems += _duplicates(lists, lambda d: d.id, lambda d: d.pos, "distribution list id")
    problems += _duplicates(forms, lambda f: f.id, lambda f: SourcePos(f.source, 1, 1), "form id")
    notice_ids = {n.id for n in notices}
    list_ids = {d.id for d in lists}
    form_ids = {f.id for f in forms}
    for amendment in amendments:
        if amendment.notice not in notice_ids:
            known = "、".join(sorted(notice_ids)) or "none"
            problems.append(
                Problem(
                    f"notice 「{amendment.notice}」 does not exist (notices: {known})",
                    amendment.where("notice"),
                )
            )
        if amendment.letter and amendment.letter.distribution_list not in list_ids:
            known = "、".join(sorted(list_ids)) or "none"
            problems.append(
                Problem(
                    f"distribution list 「{amendment.letter.distribution_list}」 does not exist "
                    f"(lists: {known})",
                    amendment.where("letter"),
                )
            )
    for notice in notices:
        for attachment in notice.attachments:
            if isinstance(attachment, FormRef) and attachment.form not in form_ids:
                known = "、".join(sorted(form_ids)) or "none"
                problems.append(
                    Problem(
                        f"{attachment.id} refers to form 「{attachment.form}」, which is not in "
                        f"forms/ (forms: {known})",
                        attachment.pos,
                    )
                )
    return problems
