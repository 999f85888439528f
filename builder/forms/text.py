"""The words of a form in print order, as plain lines (the reference reading order).

:func:`form_print_lines` gives what the blank form says, line by line, in the order
every writer lays it out: the title; each header label; each section heading followed
by its ※ note; each item's caption; a several-of field's options (「□①…」); a table's
headings then each row head, cells separated by 「｜」; the notes under fields and
tables. A field inside a heading shows as 「　　」. With ``values`` the fields show them.
The plain-text writer of a notice can print these lines for its 別添2.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from builder.japanese import format_wareki
from builder.model.form import (
    CHOICES_SEPARATOR,
    PLACEHOLDER,
    Field,
    Form,
    Grid,
    Item,
    Repeat,
    computed_values,
    visit_body,
)

__all__ = ["CHECKED_BOX", "EMPTY_BOX", "form_print_lines"]

EMPTY_BOX = "□"
CHECKED_BOX = "■"
SEPARATOR = "｜"


def form_print_lines(form: Form, values: Mapping[str, str] | None = None) -> list[str]:
    """The form as lines in reading order (see the module docstring)."""
    shown = dict(values or {})
    shown.update(computed_values(form, shown))
    lines = [form.header.title]
    for field in form.header.fields:
        lines.append(f"{field.label}{SEPARATOR}{_value(field, shown)}".rstrip(SEPARATOR))
        if field.note:
            lines.append(field.note)
    for section in form.sections:
        lines.append(section.heading + section.note)
        for item in section.items:
            lines += _item_lines(item, shown)
    return lines


def _value(field: Field, values: Mapping[str, str]) -> str:
    value = values.get(field.id, "")
    if field.kind == "date" and value:
        return format_wareki(dt.date.fromisoformat(value))
    return value


def _item_lines(item: Item, values: Mapping[str, str]) -> list[str]:
    lines = [item.caption] if item.caption else []
    return lines + visit_body(item.body, _BodyLines(values), [])


class _BodyLines:
    """The lines of an item's body, with ``values`` filled in."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values

    def body_field(self, body: Field) -> list[str]:
        lines: list[str] = []
        values = self.values
        if body.kind == "choices":
            chosen = values.get(body.id, "").split(CHOICES_SEPARATOR)
            for option in body.options:
                box = CHECKED_BOX if option.value in chosen else EMPTY_BOX
                lines.append(box + option.caption)
        elif values.get(body.id):
            lines += _value(body, values).split("\n")
        if body.note:
            lines.append(body.note)
        return lines

    def grid(self, body: Grid) -> list[str]:
        values = self.values
        headings = []
        for column in body.columns:
            parts = column.heading_parts()
            text = "".join(
                part
                if index % 2 == 0
                else (_value(body.heading_field(part), values) or PLACEHOLDER)
                for index, part in enumerate(parts)
            )
            headings.append(text)
        lines = [SEPARATOR.join([body.corner, *headings])]
        for row in body.rows:
            cells = [_value(body.cell(row, column), values) for column in body.columns]
            lines.append(SEPARATOR.join([row.label, *cells]))
        if body.note:
            lines.append(body.note)
        return lines

    def repeat(self, body: Repeat) -> list[str]:
        lines = [SEPARATOR.join(column.plain_label for column in body.columns)]
        for number in range(1, body.count + 1):
            cells = [_value(body.cell(number, column), self.values) for column in body.columns]
            lines.append(SEPARATOR.join(cells))
        return lines
