"""Changes as the YAML a drafter writes (the inverse of ``builder.sources.project``'s
reading of ``changes:``), for amendments the tool drafts: from an edited table, from
published 改め文."""

from __future__ import annotations

from typing import Any, assert_never

from builder.model.notice import (
    AddItems,
    AddParagraphs,
    AddRow,
    AreaChange,
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


def item_yaml(item: Item) -> dict[str, Any]:
    """An item as written in a source (label, title, text or paragraphs, items)."""
    found: dict[str, Any] = {"label": item.label}
    if item.title is not None:
        found["title"] = item.title
    if len(item.paragraphs) == 1:
        found["text"] = item.paragraphs[0]
    elif item.paragraphs:
        found["paragraphs"] = list(item.paragraphs)
    if item.items:
        found["items"] = [item_yaml(child) for child in item.items]
    return found


def row_yaml(row: Row) -> dict[str, Any]:
    """A row as written in a source: an area row or a generic row."""
    if isinstance(row, TableRow):
        cells: list[Any] = [cell[0] if len(cell) == 1 else list(cell) for cell in row.cells]
        return {"label": row.label, "cells": cells}
    if row.pending:
        return {"prefecture": row.prefecture, "pending": True}
    areas: list[Any] = [
        a.name if not a.model else {"name": a.name, "model": True} for a in row.areas
    ]
    return {"prefecture": row.prefecture, "areas": areas}


def change_yaml(change: Change) -> dict[str, Any]:
    """One change as the mapping of its ``changes:`` entry."""
    found: dict[str, Any] = {"at": change.at}
    body = change.body
    match body:
        case TextChange(kind="replace"):
            found.update({"replace": body.old, "with": body.new})
        case TextChange(kind="insert"):
            found.update({"after": body.old, "insert": body.new})
        case TextChange():
            found["delete"] = body.old
        case Rewrite(unit=unit):
            if isinstance(unit, Item):
                found["rewrite"] = item_yaml(unit)
            elif isinstance(unit, str):
                found["rewrite"] = unit
            elif isinstance(unit, tuple):
                found["rewrite"] = list(unit)
            else:
                found["rewrite"] = row_yaml(unit)
        case AddRow():
            rows: tuple[Row, ...] = body.rows
            if body.after is not None:
                found["add_row_after"] = body.after
            else:
                found["add_row_before"] = body.anchor
            found["rows"] = [row_yaml(row) for row in rows]
        case DeleteRow():
            found["delete_row"] = True
        case AddItems():
            if body.after is not None:
                found["after"] = body.after
            if body.first:
                found["first"] = True
            found["add_items"] = [item_yaml(item) for item in body.items]
        case DeleteItem():
            found["delete_item"] = True
        case AddParagraphs():
            found["add_paragraphs"] = list(body.paragraphs)
        case DeleteParagraph():
            found["delete_paragraph"] = True
        case AreaChange():
            raise ValueError("area changes are written as the quoted changes they make")
        case _:
            assert_never(body)
    return found
