"""The drafter's workflow: scaffolding a new amendment file, and writing the amendment
that turns 別添1 as in force into an edited copy of it (CSV, YAML or the .xlsx data
sheet), checked by applying it before anything is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from builder.core.errors import NoticeError
from builder.core.filenames import safe_component
from builder.engine.amend import History, Version, apply, resolve
from builder.engine.row_quotes import row_changes
from builder.engine.tabular import CSV_HEADER
from builder.engine.units import PENDING, row_text
from builder.japanese import (
    DocumentNumberError,
    check_number_matches_date,
    find_prefecture,
    format_wareki,
    parse_document_number,
)
from builder.model.notice import Amendment, Area, AreaRow, AreaTable, Project

TABLE_ID = "別添1"


def _checked_number(number: str, date: dt.date) -> str:
    try:
        parsed = parse_document_number(number)
        check_number_matches_date(parsed, date)
    except DocumentNumberError as exc:
        raise NoticeError(f"--number: {exc}") from None
    return str(parsed)


def check_new_amendment(project: Project, history: History, number: str, date: dt.date) -> str:
    """The canonical number, or ``NoticeError`` if it or the date clashes."""
    number = _checked_number(number, date)
    if date <= history.notice.date:
        raise NoticeError(
            f"{date.isoformat()} is not after {history.notice.id} "
            f"({history.notice.date.isoformat()})"
        )
    for amendment in project.amendments:
        used = {amendment.number} | ({amendment.letter.number} if amendment.letter else set())
        if number in used:
            raise NoticeError(
                f"{number} is already used by {amendment.source}; choose a new number"
            )
        if amendment.notice == history.notice.id and amendment.date == date:
            raise NoticeError(
                f"{history.notice.id} already has an amendment dated {date.isoformat()} "
                f"({amendment.number}, {amendment.source}); amend that one or choose another date"
            )
    return number


def citation(history: History, date: dt.date) -> str:
    """How the cover notice will cite the base: with its latest amendment before ``date``."""
    base = history.notice
    earlier = [a for a in history.amendments if a.date < date]
    inner = f"（{format_wareki(earlier[-1].date)}一部改正）" if earlier else ""
    return f"「{base.title}」（{format_wareki(base.date)}付け{base.number}{inner}）"


def scaffold(
    project: Project, history: History, number: str, date: dt.date, letter_number: str | None
) -> str:
    """The text of a new amendment file with commented examples of every change kind."""
    number = check_new_amendment(project, history, number, date)
    letter = ""
    if letter_number is not None:
        letter_number = _checked_number(letter_number, date)
        if letter_number == number:
            raise NoticeError("--letter-number must differ from --number")
        list_id = project.distribution_lists[0].id if project.distribution_lists else "別記"
        letter = f"letter:\n  number: {letter_number}\n  list: {list_id}\n"
    return f"""\
# 一部改正 {number} ({format_wareki(date)}) of {history.notice.id}.
# The cover notice will cite the base as:
#   {citation(history, date)}
# Write the changes below, then run `notices check` and `notices kaibun {number}`.
number: {number}
date: {date.isoformat()}
notice: {history.notice.id}
{letter}provenance: >-
  Drafted on {dt.date.today().isoformat()}; say where each change comes from.
changes: []
# Replace [] with a list of changes, one of these per entry (addresses: 件名, 前文, 記の1,
# 記の1の(2), 記の1の(2)の①, 担当者, 別添1, 別添1 兵庫県の項):
#  - {{at: 記の2, replace: 区域対応方針, with: 対応方針}}      # 「…」を「…」に改める
#  - {{at: 記の2, after: 区域対応方針, insert: （案）}}        # 「…」の下に「…」を加える
#  - {{at: 記の2, delete: 「なお、…」}}                         # 「…」を削る
#  - at: 記の2                                                 # 記の2を次のように改める
#    rewrite: {{label: "2.", title: 新しい見出し, paragraphs: [新しい文。]}}
#  - {{at: 別添1, add_row_after: 兵庫県, rows: [{{prefecture: 奈良県, areas: [中和]}}]}}
#  - {{at: 別添1 兵庫県の項, delete_row: true}}
#  - {{at: 別添1 北海道の項, add_area: 中空知, model: true}}   # structured 別添1 changes:
#  - {{at: 別添1 岩手県の項, remove_area: 両磐}}               #   add_area, remove_area,
#  - {{at: 別添1 秋田県の項, set_model: 能代・山本}}           #   set_model, clear_model,
#  - {{at: 別添1 青森県の項, rename_area: 青森, to: 青森地域}} #   rename_area
"""


def new_amendment_path(root: Path, number: str, date: dt.date) -> Path:
    """Where a new amendment file goes: amendments/<date>_<number>.yaml."""
    return root / "amendments" / safe_component(f"{date.isoformat()}_{number}.yaml")


# --------------------------------------------------------------------------- edited tables


def _rows_from_records(
    records: list[tuple[str, str, str, str]], source: str
) -> tuple[AreaRow, ...]:
    rows: dict[str, list[Area] | None] = {}
    for line, (code, prefecture, area, flag) in enumerate(records, start=2):
        try:
            found = find_prefecture(prefecture)
        except ValueError as exc:
            raise NoticeError(f"{source}:{line}: {exc}") from None
        if code.strip() and code.strip() != str(found.code):
            raise NoticeError(f"{source}:{line}: code {code} is not {found.name} ({found.code})")
        if flag.strip() not in ("", "0", "1", "True", "False"):
            raise NoticeError(
                f"{source}:{line}: モデル推進区域 must be 1, 0 or empty, not 「{flag}」"
            )
        if area.strip() == PENDING:
            if rows.get(found.name):
                raise NoticeError(f"{source}:{line}: {found.name} has areas and 「{PENDING}」")
            rows[found.name] = None
            continue
        if not area.strip():
            raise NoticeError(f"{source}:{line}: empty 構想区域")
        current = rows.setdefault(found.name, [])
        if current is None:
            raise NoticeError(f"{source}:{line}: {found.name} has areas and 「{PENDING}」")
        current.append(Area(area.strip(), flag.strip() in ("1", "True")))
    return tuple(
        AreaRow(name, (), True) if areas is None else AreaRow(name, tuple(areas))
        for name, areas in rows.items()
    )


def read_edited_table(path: Path) -> tuple[AreaRow, ...]:
    """Rows of an edited 別添1: CSV (as `notices table --csv` writes), YAML (a list of rows
    as in the notice source) or .xlsx (its 「データ」 sheet)."""
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(text)))
        if not table or tuple(table[0]) != CSV_HEADER:
            raise NoticeError(f"{shown}:1: the header must be {','.join(CSV_HEADER)}")
        records = []
        for line, row in enumerate(table[1:], start=2):
            if len(row) != 4:
                raise NoticeError(f"{shown}:{line}: expected 4 columns, found {len(row)}")
            records.append((row[0], row[1].lstrip("'"), row[2].lstrip("'"), row[3]))
        return _rows_from_records(records, shown)
    if suffix in (".yaml", ".yml"):
        from builder.sources.project import area_row
        from builder.sources.schema import AreaRowS
        from builder.sources.yamlsafe import load_yaml

        located = load_yaml(path, shown)
        if not isinstance(located.data, list):
            raise NoticeError(f"{shown}:1: expected a list of rows ({{prefecture: …, areas: […]}})")
        rows = []
        for index, item in enumerate(located.data):
            try:
                rows.append(area_row(AreaRowS.model_validate(item)))
            except ValidationError as exc:
                raise NoticeError(f"{located.pos((index,))}: {exc}".splitlines()[0]) from None
        return tuple(rows)
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        if "データ" not in book.sheetnames:
            raise NoticeError(f"{shown}: no 「データ」 sheet (the flat data sheet of 別添1)")
        values: list[Any] = list(book["データ"].iter_rows(values_only=True))
        if not values or tuple(str(v) for v in values[0][:4]) != CSV_HEADER:
            raise NoticeError(
                f"{shown}: the 「データ」 sheet's header must be {','.join(CSV_HEADER)}"
            )
        records = [
            _four(["" if v is None else str(v) for v in row[:4]])
            for row in values[1:]
            if any(v is not None for v in row[:4])
        ]
        return _rows_from_records(records, f"{shown}[データ]")
    raise NoticeError(f"{shown}: use a .csv, .yaml or .xlsx file")


def _four(cells: list[str]) -> tuple[str, str, str, str]:
    cells = [*cells, "", "", "", ""][:4]
    return (cells[0], cells[1], cells[2], cells[3])


def changes_for(table: AreaTable, edited: tuple[AreaRow, ...]) -> list[dict[str, Any]]:
    """The amendment changes (as YAML-ready mappings) that turn ``table`` into ``edited``."""
    old = {row.prefecture: row for row in table.rows}
    new_labels = [row.prefecture for row in edited]
    changes: list[dict[str, Any]] = []
    for row in edited:
        before = old.get(row.prefecture)
        if before is None or before == row:
            continue
        for change in row_changes(row_text(before), row_text(row)):
            entry: dict[str, Any] = {"at": f"{table.id} {row.prefecture}の項"}
            if change.kind == "replace":
                entry.update({"replace": change.old, "with": change.new})
            elif change.kind == "insert":
                entry.update({"after": change.old, "insert": change.new})
            else:
                entry["delete"] = change.old
            changes.append(entry)
    for row in table.rows:
        if row.prefecture not in new_labels:
            changes.append({"at": f"{table.id} {row.prefecture}の項", "delete_row": True})
    previous: str | None = None
    added: list[AreaRow] = []
    for row in edited:
        if row.prefecture in old:
            if added and previous is not None:
                changes.append(_add_rows(table.id, previous, added))
            elif added:
                raise NoticeError(
                    f"a new row 「{added[0].prefecture}」 cannot come before every existing row"
                )
            added, previous = [], row.prefecture
        else:
            added.append(row)
    if added:
        if previous is None:
            raise NoticeError("the edited table has no row in common with the table in force")
        changes.append(_add_rows(table.id, previous, added))
    return changes


def _add_rows(table_id: str, after: str, rows: list[AreaRow]) -> dict[str, Any]:
    return {"at": table_id, "add_row_after": after, "rows": [_row_yaml(r) for r in rows]}


def _row_yaml(row: AreaRow) -> dict[str, Any]:
    if row.pending:
        return {"prefecture": row.prefecture, "pending": True}
    areas: list[Any] = [
        a.name if not a.model else {"name": a.name, "model": True} for a in row.areas
    ]
    return {"prefecture": row.prefecture, "areas": areas}


def amendment_from_table(
    project: Project,
    history: History,
    edited: tuple[AreaRow, ...],
    number: str,
    date: dt.date,
    letter_number: str | None,
) -> tuple[str, Version]:
    """The YAML of the amendment that makes 別添1 equal ``edited`` on ``date``, and the
    version it yields; refused if applying it would not give exactly the edited table."""
    from builder.sources.project import read_amendment

    number = check_new_amendment(project, history, number, date)
    current = history.as_of(date)
    table = current.notice.attachment(TABLE_ID)
    if not isinstance(table, AreaTable):
        raise NoticeError(f"{history.notice.id} has no {TABLE_ID} table")
    changes = changes_for(table, edited)
    if not changes:
        raise NoticeError(
            f"the edited table equals {TABLE_ID} as in force on {date.isoformat()}; "
            "nothing to amend"
        )
    document: dict[str, Any] = {
        "number": number,
        "date": date.isoformat(),
        "notice": history.notice.id,
    }
    if letter_number is not None:
        list_id = project.distribution_lists[0].id if project.distribution_lists else "別記"
        document["letter"] = {"number": _checked_number(letter_number, date), "list": list_id}
    document["provenance"] = (
        f"Generated by `notices amend-from` on {dt.date.today().isoformat()} "
        f"from an edited {TABLE_ID}."
    )
    document["changes"] = changes
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    from builder.sources.yamlsafe import parse_yaml

    amendment: Amendment = read_amendment(parse_yaml(text, "(generated)"))
    resolved = resolve(current.notice, amendment)
    amended = apply(current.notice, resolved)
    result = amended.attachment(TABLE_ID)
    assert isinstance(result, AreaTable)
    if result.rows != edited:
        raise NoticeError(
            "internal: the generated amendment does not reproduce the edited table; report it"
        )
    version = Version(amended, date, (*current.amendments, amendment), resolved)
    return text, version
