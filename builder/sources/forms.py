"""Form files → :class:`~builder.model.form.Form`, every problem as ``file:line:col: message``.

:func:`load_form` reads one ``forms/<id>.yaml``; :func:`form_from_located` does the same
for a file already loaded with :func:`builder.sources.yamlsafe.load_yaml` (what the project
loader has in hand). Schema errors come from :mod:`builder.sources.form_schema` through
:func:`builder.sources.project.validate`; then the semantic checks:

* ids are lower-case ASCII words joined by single underscores (``high_acute``), at most
  36 characters once composed (``beds_high_acute_c_minus_a``), never shaped like a
  spreadsheet cell reference (``ab12``, ``r1c1``), and unique in the form: they become
  Excel defined names, Word tags and bookmarks, and PDF field names;
* options only on choices, unique values without 「、」 or commas (the separators of a
  several-of value and of an Excel list), and an Excel list of at most 255 characters;
* computed columns take ``formula: <column> - <column>`` over count columns of their table;
* a ``{field}`` in a column heading names one of the table's ``heading_fields``;
* ``when`` names a choice field and one of its options; at most one field per ``role``;
* every printed text follows the digit rule (ASCII digits) and has no stray spaces or
  line breaks.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

from builder.core.errors import NoticeError, Problem
from builder.model.form import (
    CHOICES_SEPARATOR,
    Column,
    Condition,
    Decision,
    Field,
    Form,
    Grid,
    Header,
    Item,
    Option,
    Repeat,
    Section,
    TableRow,
    body_fields,
)
from builder.sources.form_schema import ColumnS, FieldS, FormFileS, GridS, RepeatS
from builder.sources.project import source_files, text_problems, validate
from builder.sources.yamlsafe import Key, Located, load_yaml

__all__ = ["MAX_ID_LENGTH", "form_from_located", "load_form", "load_forms"]

MAX_ID_LENGTH: Final = 36
"""Longest field id: a Word bookmark name holds 40 characters, and an option control
appends ``__<n>``."""

_ID_RE: Final = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_CELL_REFERENCE_RE: Final = re.compile(r"[a-z]{1,3}[0-9]+|r[0-9]*c?[0-9]*|c[0-9]*")
_VERSION_RE: Final = re.compile(r"[0-9A-Za-z][0-9A-Za-z.-]{0,31}")
_FORMULA_RE: Final = re.compile(r"([a-z][a-z0-9_]*) - ([a-z][a-z0-9_]*)")
_NOT_CHECKED: Final = frozenset({"provenance", "transcription"})
_EXCEL_LIST_LIMIT: Final = 255


def load_form(path: Path, display: str | None = None) -> Form:
    """The form in ``path``; ``NoticeError`` lists every problem found."""
    return form_from_located(load_yaml(path, display))


def load_forms(folder: Path) -> dict[str, Form]:
    """Every form file in ``folder`` (``*.yaml`` and ``*.yml``, the files the project
    loader reads: :func:`builder.sources.project.source_files`) that defines its form (a
    ``form:`` key), by id; a file with only id/title/provenance names a form still to
    be designed."""
    forms: dict[str, Form] = {}
    problems: list[Problem] = []
    paths, refused = source_files(folder.parent, folder.name)
    problems.extend(refused)
    for path in paths:
        try:
            located = load_yaml(path, path.name)
            if not (isinstance(located.data, dict) and "form" in located.data):
                continue
            form = form_from_located(located)
        except NoticeError as exc:
            problems.extend(exc.problems)
            continue
        forms[form.id] = form
    if problems:
        raise NoticeError(problems)
    return forms


def form_from_located(located: Located) -> Form:
    """A loaded form file as a :class:`Form`, checked."""
    data = validate(located, FormFileS)
    checker = _Checker(located)
    checker.texts(())
    body = data.form
    if not _VERSION_RE.fullmatch(body.version):
        checker.fail(
            ("form", "version"),
            f"version 「{body.version}」: write letters, digits, '.' and '-' (e.g. 2024-07-31)",
        )
    header_key: Key = ("form", "header")
    header = Header(
        title=body.header.title,
        fields=tuple(
            checker.field((*header_key, "fields", i), f) for i, f in enumerate(body.header.fields)
        ),
        inferred=body.header.inferred,
        provenance=body.header.provenance,
    )
    sections = []
    for s_index, section in enumerate(body.sections):
        section_key: Key = ("form", "sections", s_index)
        items = []
        for i_index, item in enumerate(section.items):
            item_key: Key = (*section_key, "items", i_index)
            items.append(
                Item(
                    label=item.label,
                    title=item.title,
                    body=checker.body(item_key, item.field, item.table, item.rows),
                    inferred=item.inferred,
                    provenance=item.provenance,
                )
            )
        sections.append(
            Section(
                heading=section.heading,
                items=tuple(items),
                note=section.note,
                inferred=section.inferred,
                provenance=section.provenance,
            )
        )
    transcription = body.transcription
    form = Form(
        id=data.id,
        title=data.title,
        version=body.version,
        header=header,
        sections=tuple(sections),
        provenance=body.provenance,
        seed=transcription.seed if transcription else "",
        decisions=tuple(Decision(d.seed, d.used, d.why) for d in transcription.decisions)
        if transcription
        else (),
        source=located.path,
    )
    checker.form(form)
    checker.raise_if_failed()
    return form


class _Checker:
    """Semantic checks of one form file, collecting problems with their positions."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self.problems: list[Problem] = []
        self.id_keys: dict[str, Key] = {}
        self.when_keys: dict[str, Key] = {}

    def fail(self, key: Key, message: str) -> None:
        self.problems.append(Problem(message, self.located.pos(key)))

    def raise_if_failed(self) -> None:
        if self.problems:
            raise NoticeError(self.problems)

    # ------------------------------------------------------------------ texts

    def texts(self, key: Key) -> None:
        """Every printed text: ASCII digits, no leading/trailing space, no line break."""
        for where, message in text_problems(self.located.data, key, _NOT_CHECKED):
            self.fail(where, message)

    # ------------------------------------------------------------------ ids

    def word(self, key: Key, word: str) -> None:
        """A part of an id: lower-case ASCII words joined by single underscores."""
        if not _ID_RE.fullmatch(word):
            self.fail(
                key,
                f"id 「{word}」: use lower-case ASCII letters and digits, words joined by "
                "single underscores, starting with a letter (e.g. high_acute)",
            )

    def field_id(self, key: Key, field_id: str) -> None:
        """A complete field id: shape, length and uniqueness in the form."""
        if len(field_id) > MAX_ID_LENGTH:
            self.fail(key, f"field id 「{field_id}」 is over {MAX_ID_LENGTH} characters")
        if _CELL_REFERENCE_RE.fullmatch(field_id):
            self.fail(
                key,
                f"field id 「{field_id}」 looks like a spreadsheet cell reference; "
                "Excel cannot use it as a name",
            )
        if field_id in self.id_keys:
            first = self.located.pos(self.id_keys[field_id])
            self.fail(key, f"field id 「{field_id}」 is already used at {first}")
        else:
            self.id_keys[field_id] = key

    # ------------------------------------------------------------------ fields

    def options(self, key: Key, kind: str, options: list[Any]) -> tuple[Option, ...]:
        if kind not in ("choice", "choices"):
            if options:
                self.fail((*key, "options"), f"options belong to choice fields, not {kind}")
            return ()
        if len(options) < 2:
            self.fail((*key, "options"), "a choice needs at least two options")
        values = [o.value for o in options]
        for index, value in enumerate(values):
            option_key = (*key, "options", index, "value")
            if not value:
                self.fail(option_key, "an option value must not be empty")
            if CHOICES_SEPARATOR in value or "," in value or '"' in value:
                self.fail(option_key, f'option value 「{value}」 must not contain 、 , or "')
            if values.index(value) != index:
                self.fail(option_key, f"option value 「{value}」 appears twice")
        if kind == "choice" and len(",".join(values)) > _EXCEL_LIST_LIMIT:
            self.fail(
                (*key, "options"),
                f"the option values are over {_EXCEL_LIST_LIMIT} characters together "
                "(an Excel dropdown list holds no more); shorten the values",
            )
        return tuple(Option(o.value, o.text) for o in options)

    def lines(self, key: Key, kind: str, lines: int) -> None:
        if lines != 1 and kind != "multiline":
            self.fail((*key, "lines"), f"lines is for multiline fields, not {kind}")

    def maximum(self, key: Key, kind: str, maximum: int | None) -> int | None:
        if maximum is not None and kind != "count":
            self.fail((*key, "max"), f"max is for count fields, not {kind}")
        return maximum

    def field(self, key: Key, spec: FieldS, *, heading: bool = False) -> Field:
        self.word((*key, "id"), spec.id)
        self.field_id((*key, "id"), spec.id)
        if spec.kind == "computed":
            self.fail(
                (*key, "kind"),
                "a computed cell is a table column with a formula, not a field on its own",
            )
        if heading and spec.kind not in ("text", "date", "count"):
            self.fail((*key, "kind"), "a field inside a heading is text, date or count (one line)")
        if spec.role is not None and spec.kind != "text":
            self.fail((*key, "role"), "a field with a role holds text")
        self.lines(key, spec.kind, spec.lines)
        options = self.options(key, spec.kind, spec.options)
        when = None
        if spec.when is not None:
            when = Condition(spec.when.field, spec.when.includes)
            self.when_keys[spec.id] = (*key, "when")
        return Field(
            id=spec.id,
            label=spec.label,
            kind=spec.kind,
            options=options,
            lines=spec.lines,
            note=spec.note,
            role=spec.role,
            when=when,
            required=spec.required,
            maximum=self.maximum(key, spec.kind, spec.max),
            inferred=spec.inferred,
            provenance=spec.provenance,
        )

    def body(
        self, key: Key, field: FieldS | None, table: GridS | None, rows: RepeatS | None
    ) -> Field | Grid | Repeat | None:
        if field is not None:
            return self.field((*key, "field"), field)
        if table is not None:
            return self.grid((*key, "table"), table)
        if rows is not None:
            return self.repeat((*key, "rows"), rows)
        return None

    # ------------------------------------------------------------------ tables

    def columns(self, key: Key, specs: list[ColumnS], placeholders: set[str]) -> list[Column]:
        columns = []
        ids = [c.id for c in specs]
        for index, spec in enumerate(specs):
            column_key = (*key, "columns", index)
            self.word((*column_key, "id"), spec.id)
            if ids.index(spec.id) != index:
                self.fail((*column_key, "id"), f"column id 「{spec.id}」 appears twice")
            self.lines(column_key, spec.kind, spec.lines)
            options = self.options(column_key, spec.kind, spec.options)
            formula = self.formula(column_key, spec, specs)
            column = Column(
                id=spec.id,
                label=spec.label,
                kind=spec.kind,
                options=options,
                lines=spec.lines,
                width=spec.width,
                formula=formula,
                required=spec.required,
                maximum=self.maximum(column_key, spec.kind, spec.max),
            )
            for name in column.heading_parts()[1::2]:
                if name not in placeholders:
                    self.fail(
                        (*column_key, "label"),
                        f"「{{{name}}}」 in the heading is not one of the table's heading_fields",
                    )
            columns.append(column)
        return columns

    def formula(self, key: Key, spec: ColumnS, specs: list[ColumnS]) -> tuple[str, str] | None:
        if spec.kind != "computed":
            if spec.formula is not None:
                self.fail((*key, "formula"), "a formula belongs to a computed column")
            return None
        if spec.formula is None:
            self.fail((*key, "kind"), "a computed column needs formula: <column> - <column>")
            return None
        match = _FORMULA_RE.fullmatch(spec.formula)
        if match is None:
            self.fail(
                (*key, "formula"),
                f"formula 「{spec.formula}」: write <column id> - <column id>, e.g. c - a",
            )
            return None
        kinds = {c.id: c.kind for c in specs}
        for name in match.groups():
            if kinds.get(name) != "count":
                self.fail(
                    (*key, "formula"), f"formula: 「{name}」 is not a count column of this table"
                )
        return (match.group(1), match.group(2))

    def grid(self, key: Key, spec: GridS) -> Grid:
        self.word((*key, "id"), spec.id)
        heading_fields = tuple(
            self.field((*key, "heading_fields", i), f, heading=True)
            for i, f in enumerate(spec.heading_fields)
        )
        placeholders = {f.id for f in heading_fields}
        columns = self.columns(key, spec.columns, placeholders)
        used = [name for c in columns for name in c.heading_parts()[1::2]]
        for index, heading_field in enumerate(heading_fields):
            if used.count(heading_field.id) != 1:
                self.fail(
                    (*key, "heading_fields", index),
                    f"heading field 「{heading_field.id}」 must appear exactly once in a "
                    "column heading as {" + heading_field.id + "}",
                )
        row_ids = [r.id for r in spec.rows]
        for index, row in enumerate(spec.rows):
            self.word((*key, "rows", index, "id"), row.id)
            if row_ids.index(row.id) != index:
                self.fail((*key, "rows", index, "id"), f"row id 「{row.id}」 appears twice")
        grid = Grid(
            id=spec.id,
            rows=tuple(TableRow(r.id, r.label) for r in spec.rows),
            columns=tuple(columns),
            corner=spec.corner,
            note=spec.note,
            heading_fields=heading_fields,
        )
        for cell in body_fields(grid):
            if cell not in heading_fields:
                self.field_id(key, cell.id)
        return grid

    def repeat(self, key: Key, spec: RepeatS) -> Repeat:
        self.word((*key, "id"), spec.id)
        repeat = Repeat(spec.id, spec.count, tuple(self.columns(key, spec.columns, set())))
        for cell in body_fields(repeat):
            self.field_id(key, cell.id)
        return repeat

    # ------------------------------------------------------------------ whole form

    def form(self, form: Form) -> None:
        """Checks that need every field: ``when`` references and roles."""
        fields = {f.id: f for f in form.fields()}
        for field_id, key in self.when_keys.items():
            when = fields[field_id].when
            assert when is not None
            target = fields.get(when.field)
            if target is None or target.kind not in ("choice", "choices"):
                self.fail(key, f"when: 「{when.field}」 is not a choice field of this form")
            elif target.option(when.includes) is None:
                values = "、".join(o.value for o in target.options)
                self.fail(
                    key, f"when: 「{when.includes}」 is not an option of {when.field} ({values})"
                )
        for role in ("prefecture", "areas"):
            holders = [f.id for f in fields.values() if f.role == role]
            if len(holders) > 1:
                self.fail(
                    self.id_keys[holders[1]], f"role {role} is already given to 「{holders[0]}」"
                )


def _lookup(data: Any, key: Key) -> Any:
    for part in key:
        data = data[part]
    return data
