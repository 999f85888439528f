"""JSON Schemas of the source files, for editors (VS Code's YAML extension and others):
generated from the pydantic models of :mod:`builder.sources.schema` and
:mod:`builder.sources.form_schema`, with a description in Japanese and English and an
example for every field, one ``oneOf`` branch per change kind, and a pattern for ``at:``.

The schemas help while typing; ``notices check`` stays the judge (dates, 文書番号, what an
address names, the character rule). ``schemas/`` holds the committed files
(``notices schema`` writes them; a test fails when they are stale).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from builder.sources import form_schema as fs
from builder.sources import schema as s

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "notice": s.NoticeS,
    "amendment": s.AmendmentS,
    "form": fs.FormFileS,
    "list": s.DistributionListS,
}
"""Each schema file (``schemas/<name>.schema.json``) and the model it comes from."""

FOLDERS = {
    "notice": "notices",
    "amendment": "amendments",
    "form": "forms",
    "list": "notices/lists",
}
"""Where the files each schema describes live."""

D = tuple[str, str, Any]
"""(Japanese, English, example) of one field."""

DESCRIPTIONS: dict[str, D] = {
    # notices
    "NoticeS.id": (
        "通知の識別子（文書番号がある通知は文書番号）",
        "the notice's id (its 文書番号 when it has one)",
        "医政発0731第1号",
    ),
    "NoticeS.kind": ("文書の種類", "kind of document", "通知"),
    "NoticeS.number": (
        "文書番号（事務連絡にはない）",
        "document number (a 事務連絡 has none)",
        "医政発0731第1号",
    ),
    "NoticeS.date": ("発出日（ISO又は和暦）", "date of issue (ISO or 和暦)", "2024-07-31"),
    "NoticeS.addressees": ("宛先", "addressees", [{"name": "各都道府県知事", "honorific": "殿"}]),
    "NoticeS.sender": ("発出者", "sender", "厚生労働省医政局長"),
    "NoticeS.seal_omitted": ("（公印省略）を付けるか", "print （公印省略）", True),
    "NoticeS.title": (
        "件名",
        "title (件名)",
        "地域医療構想における推進区域及びモデル推進区域の設定等について",
    ),
    "NoticeS.provenance": (
        "出典と推定の別",
        "where the text comes from; say what is inferred",
        "Transcribed from seed 000.",
    ),
    "NoticeS.transcription": (
        "転記の判断（シードとの差異と理由）",
        "transcription decisions (seed vs used, why)",
        {"seed": "000_b2e5b0848a7c4551.txt", "decisions": []},
    ),
    "NoticeS.preamble": (
        "前文の段落（一段落一行、字下げなし）",
        "paragraphs before 記, one per entry, no indent",
        ["地域医療構想については、…"],
    ),
    "NoticeS.ki": (
        "記の項目（1. → (1) → ① → ・）",
        "items under 記 (1. → (1) → ① → ・)",
        [{"label": "1.", "title": "推進区域について"}],
    ),
    "NoticeS.contact": (
        "担当者・照会先",
        "contact block (担当者 / 照会先)",
        {"heading": "担当者", "lines": ["厚生労働省医政局地域医療計画課"]},
    ),
    "NoticeS.attachments": (
        "別添・別紙",
        "attachments (別添, 別紙)",
        [
            {
                "id": "別添2",
                "kind": "form",
                "title": "区域対応方針（様式例）",
                "form": "kuiki-taio-hoshin",
            }
        ],
    ),
    "AddresseeS.name": ("宛先名", "addressee", "各都道府県知事"),
    "AddresseeS.honorific": ("敬称（殿・御中）", "honorific (殿 or 御中)", "殿"),
    "ItemS.label": ("項目番号（1. (1) ① ・）", "item label (1. (1) ① ・)", "(1)"),
    "ItemS.title": ("見出し", "heading (見出し)", "推進区域の設定について"),
    "ItemS.text": ("本文（一段落）", "text (one paragraph)", "推進区域については、…"),
    "ItemS.paragraphs": ("本文（複数段落）", "paragraphs (several)", ["…。", "…。"]),
    "ItemS.items": ("下位の項目", "sub-items", [{"label": "①", "text": "…"}]),
    "ContactS.heading": ("見出し（担当者・照会先）", "heading (担当者, 照会先)", "担当者"),
    "ContactS.lines": (
        "各行",
        "its lines",
        ["厚生労働省医政局地域医療計画課", "03-5253-1111（内線2663）"],
    ),
    "ContactS.brackets": ("括弧の種類", "brackets around the heading", "【】"),
    "AreaTableS.id": ("別添の番号", "attachment id", "別添1"),
    "AreaTableS.kind": ("都道府県・区域の表", "a table of 都道府県 and areas", "area_table"),
    "AreaTableS.title": ("表題", "title", ""),
    "AreaTableS.columns": (
        "列見出し（二つ）",
        "the two column headings",
        ["都道府県", "推進区域、モデル推進区域"],
    ),
    "AreaTableS.note": ("注記", "note under the table", "※（●）は推進区域かつモデル推進区域"),
    "AreaTableS.provenance": ("出典", "where the rows come from", "seed 000"),
    "AreaTableS.rows": (
        "行（都道府県コード順）",
        "rows, in 都道府県コード order",
        [{"prefecture": "北海道", "pending": True}],
    ),
    "AreaRowS.prefecture": ("都道府県名", "prefecture", "秋田県"),
    "AreaRowS.areas": (
        "区域（モデル推進区域は model: true）",
        "areas (model: true for a モデル推進区域)",
        ["能代・山本", {"name": "大館・鹿角", "model": True}],
    ),
    "AreaRowS.pending": ("「調整中」", "「調整中」 (no areas yet)", True),
    "AreaS.name": ("区域名", "area name", "大館・鹿角"),
    "AreaS.model": ("モデル推進区域か", "a モデル推進区域", True),
    "TableS.id": ("別添の番号", "attachment id", "別添3"),
    "TableS.kind": ("一般の表", "a generic table", "table"),
    "TableS.title": ("表題", "title", "2025年に向けた国、都道府県及び医療機関における計画的な取組"),
    "TableS.header": (
        "見出し行（最初の列は行の名前の列）",
        "header rows (the first column is the row labels')",
        [["", "2023年度（令和5年度）", "2024年度（令和6年度）"]],
    ),
    "TableS.note": ("注記", "note under the table", ""),
    "TableS.provenance": ("出典", "where the table comes from", "seed 004"),
    "TableS.rows": (
        "行（名前で引用される）",
        "rows, cited by their label",
        [{"label": "国", "cells": [["●…"], "●…"]}],
    ),
    "TableRowS.label": ("行の名前（「国の項」）", "row label (cited 「国の項」)", "国"),
    "TableRowS.cells": (
        "各列のセル（一行又は行のリスト、空は []）",
        "one cell per further column: a line or a list of lines ([] empty)",
        [["●…", "・…"], []],
    ),
    "FormRefS.id": ("別添の番号", "attachment id", "別添2"),
    "FormRefS.kind": ("様式", "a form kept in forms/", "form"),
    "FormRefS.title": ("表題", "title", "区域対応方針（様式例）"),
    "FormRefS.form": ("forms/ の様式の id", "id of the form in forms/", "kuiki-taio-hoshin"),
    "TextAttachmentS.id": ("別添・別紙の名前", "attachment id", "別紙"),
    "TextAttachmentS.kind": ("文章の別紙", "a text attachment", "text"),
    "TextAttachmentS.title": ("表題", "title", "勉強会実施概要"),
    "TextAttachmentS.paragraphs": ("段落", "paragraphs", ["…"]),
    "TextAttachmentS.items": ("項目", "items", [{"label": "1.", "text": "…"}]),
    "TranscriptionS.seed": (
        "元資料のファイル",
        "seed file transcribed",
        "000_b2e5b0848a7c4551.txt",
    ),
    "TranscriptionS.decisions": (
        "判断の一覧",
        "the decisions",
        [{"seed": "隱岐", "used": "隠岐", "why": "…"}],
    ),
    "DecisionS.seed": ("元資料の表記", "what the seed shows", "隱岐"),
    "DecisionS.used": ("採用した表記", "what the source uses", "隠岐"),
    "DecisionS.why": ("理由", "why", "旧字体は抽出の誤り"),
    # amendments
    "AmendmentS.number": ("改正通知の文書番号", "the amendment's 文書番号", "医政発0327第2号"),
    "AmendmentS.date": ("発出日", "date of issue", "2025-03-27"),
    "AmendmentS.effective": (
        "適用日（省略時は発出日）",
        "適用日, the date it applies from (default: its date)",
        "2025-04-01",
    ),
    "AmendmentS.notice": ("改正する通知", "the notice it amends", "医政発0731第1号"),
    "AmendmentS.letter": (
        "別記団体への送付文",
        "the distribution letter",
        {"number": "医政発0327第3号", "list": "別記"},
    ),
    "AmendmentS.provenance": ("出典", "where it comes from", "Transcribed from seed 000."),
    "AmendmentS.transcription": (
        "転記の判断",
        "transcription decisions",
        {"seed": "000_b2e5b0848a7c4551.txt", "decisions": []},
    ),
    "AmendmentS.changes": (
        "改正の内容（一項目一変更）",
        "the changes, one per entry",
        [{"at": "別添1 兵庫県の項", "replace": "調整中", "with": "東播磨"}],
    ),
    "LetterS.number": ("送付文の文書番号", "the letter's own number", "医政発0327第3号"),
    "LetterS.list": ("送付先の一覧（別記）", "distribution list id", "別記"),
    "ChangeS.at": (
        "改正する箇所",
        "where: 件名, 前文, 記の1の(2), 記の3の(1)の見出し, 記の2の第1段落, 担当者, "
        "別添1, 別添1 兵庫県の項",
        "記の1の(2)",
    ),
    "ChangeS.replace": ("改める字句", "the words to replace", "区域対応方針"),
    "ChangeS.with_": ("改めた後の字句", "the new words", "対応方針"),
    "ChangeS.insert": ("加える字句", "the words to add", "速やかに"),
    "ChangeS.after": (
        "その下に加える字句、又は新しい項目を置く項目番号",
        "insert: the words after which; add_items: the label after which",
        "(3)",
    ),
    "ChangeS.delete": ("削る字句", "the words to delete", "なお書き"),
    "ChangeS.rewrite": (
        "全部を改めた後の内容",
        "the unit's new content",
        {"label": "2.", "title": "…", "paragraphs": ["…"]},
    ),
    "ChangeS.add_row_after": ("この行の次に行を加える", "add rows after this row", "兵庫県"),
    "ChangeS.add_row_before": ("この行の前に行を加える", "add rows before this row", "国"),
    "ChangeS.rows": ("加える行", "the rows to add", [{"prefecture": "奈良県", "areas": ["中和"]}]),
    "ChangeS.delete_row": ("行を削る", "delete the addressed row", True),
    "ChangeS.add_area": ("区域を加える", "area to add", "中空知"),
    "ChangeS.model": ("モデル推進区域として加える", "the added area is a モデル推進区域", True),
    "ChangeS.remove_area": ("区域を削る", "area to remove", "北部"),
    "ChangeS.set_model": ("モデル推進区域にする", "mark as モデル推進区域", "東部"),
    "ChangeS.clear_model": ("モデル推進区域でなくする", "unmark a モデル推進区域", "津軽"),
    "ChangeS.rename_area": ("名前を改める区域", "area to rename", "青森"),
    "ChangeS.to": ("新しい区域名", "the new name", "青森地域"),
    "ChangeS.add_items": (
        "加える項目（番号は加えた後のもの）",
        "items to add, with their final labels",
        [{"label": "(4)", "text": "…"}],
    ),
    "ChangeS.first": ("最初に加える", "add first in the level", True),
    "ChangeS.delete_item": (
        "項目を削る（後の項目は繰り上がる）",
        "delete the item (the ones after it move up)",
        True,
    ),
    "ChangeS.add_paragraphs": (
        "この段落の次に加える段落",
        "paragraphs to add after the addressed one",
        ["…。"],
    ),
    "ChangeS.delete_paragraph": ("段落を削る", "delete the addressed paragraph", True),
    # lists
    "DistributionListS.id": ("一覧の名前", "list id", "別記"),
    "DistributionListS.title": ("表題", "title", "別記"),
    "DistributionListS.addressee": (
        "送付文の宛先",
        "how the letter addresses them",
        "別記団体の長",
    ),
    "DistributionListS.members": ("団体", "the organisations", ["公益社団法人日本医師会"]),
}


def _form_descriptions() -> dict[str, D]:
    """The form file's fields: one line each (the form format is described in the README's
    Forms section)."""
    simple = {
        "FormFileS": {
            "id": "様式の id / form id",
            "title": "表題 / title",
            "provenance": "出典 / provenance",
            "form": "様式の内容 / the form",
        },
        "FormBodyS": {
            "version": "版 / version",
            "provenance": "出典 / provenance",
            "header": "冒頭 / header",
            "sections": "各節 / sections",
            "transcription": "転記の判断 / transcription decisions",
        },
        "HeaderS": {
            "title": "表題 / title",
            "fields": "欄 / fields",
            "inferred": "推定 / inferred",
            "provenance": "出典 / provenance",
        },
        "SectionS": {
            "heading": "見出し / heading",
            "note": "注記 / note",
            "items": "項目 / items",
            "inferred": "推定 / inferred",
            "provenance": "出典 / provenance",
        },
        "ItemS": {
            "label": "番号 / label",
            "title": "見出し / title",
            "field": "欄 / field",
            "table": "表 / table",
            "rows": "行 / rows",
            "inferred": "推定 / inferred",
            "provenance": "出典 / provenance",
        },
        "FieldS": {
            "id": "欄の id / field id",
            "label": "欄名 / label",
            "kind": "種類 / kind",
            "options": "選択肢 / options",
            "lines": "行数 / lines",
            "note": "注記 / note",
            "role": "役割 / role",
            "when": "表示条件 / shown when",
            "required": "必須 / required",
            "max": "最大値・字数 / maximum",
            "inferred": "推定 / inferred",
            "provenance": "出典 / provenance",
        },
        "OptionS": {"value": "値 / value", "text": "表示 / text"},
        "WhenS": {"field": "欄の id / field id", "includes": "含む値 / value included"},
        "GridS": {
            "id": "表の id / grid id",
            "corner": "左上の見出し / corner heading",
            "rows": "行 / rows",
            "columns": "列 / columns",
            "note": "注記 / note",
            "heading_fields": "見出しの欄 / heading fields",
        },
        "RowS": {"id": "行の id / row id", "label": "行名 / label"},
        "ColumnS": {
            "id": "列の id / column id",
            "label": "列名 / label",
            "kind": "種類 / kind",
            "options": "選択肢 / options",
            "lines": "行数 / lines",
            "width": "幅 / width",
            "formula": "計算式 / formula",
            "required": "必須 / required",
            "max": "最大値 / maximum",
        },
        "RepeatS": {
            "id": "繰り返し表の id / id",
            "count": "行数 / rows",
            "columns": "列 / columns",
        },
        "TranscriptionS": {"seed": "元資料 / seed", "decisions": "判断 / decisions"},
        "DecisionS": {
            "seed": "元資料の表記 / seed",
            "used": "採用した表記 / used",
            "why": "理由 / why",
        },
    }
    found: dict[str, D] = {}
    for model, fields in simple.items():
        for field, text in fields.items():
            ja, en = text.split(" / ")
            found[f"{model}.{field}"] = (ja, en, None)
    return found


AT_PATTERN = (
    r"^(件名|前文|本文|担当者|照会先|問合せ先|問い合わせ先|記"
    r"|記(の(\d+|\(\d+\)|[①-⑳]|[ア-ン]|\([ア-ン]\)))+(の見出し|の第\d+段落)?"
    r"|(別添|別紙|別記|様式)\d*([ \u3000].+?(の項)?)?)$"
)
"""What ``at:`` may look like (``builder.engine.address`` is the judge; full-width digits
are accepted by it and left to ``check`` here)."""


def _describe(schema: dict[str, Any], descriptions: dict[str, D]) -> None:
    """Add ``description`` and ``examples`` to every property of every model in ``$defs``
    and at the top level, from ``descriptions``."""
    models: dict[str, dict[str, Any]] = dict(schema.get("$defs", {}))
    models[schema["title"]] = schema
    for name, model in models.items():
        for field, prop in model.get("properties", {}).items():
            key = f"{name}.{'with_' if field == 'with' else field}"
            ja, en, example = descriptions.get(key, ("", "", None))
            if ja:
                prop["description"] = f"{ja} / {en}"
                if example is not None:
                    prop["examples"] = [example]


def _change_branches(change: dict[str, Any]) -> list[dict[str, Any]]:
    """One ``oneOf`` branch per change kind: ``at``, the kind's key, its companions."""
    properties = change["properties"]
    branches = []
    for operation in s.CHANGE_OPERATIONS:
        required, optional = s.COMPANIONS[operation]
        names = ["at", operation, *sorted(required | optional)]
        shown = ["with" if n == "with_" else n for n in names]
        branch = {
            "title": operation,
            "type": "object",
            "properties": {n: properties[n] for n in shown},
            "required": ["at", operation, *sorted("with" if n == "with_" else n for n in required)],
            "additionalProperties": False,
        }
        branches.append(branch)
    return branches


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind of source file (``SCHEMA_FILES``)."""
    model = SCHEMA_FILES[name]
    schema = copy.deepcopy(model.model_json_schema(by_alias=True))
    _describe(schema, {**DESCRIPTIONS, **_form_descriptions()} if name == "form" else DESCRIPTIONS)
    defs = schema.get("$defs", {})
    if "ChangeS" in defs:
        change = defs["ChangeS"]
        change["properties"]["at"]["pattern"] = AT_PATTERN
        defs["ChangeS"] = {
            "title": "ChangeS",
            "description": (
                "改正の一項目（種類ごとに一つのキー） / one change: exactly one kind's key"
            ),
            "oneOf": _change_branches(change),
        }
    if name == "form" and "form" in schema.get("required", []):
        schema["required"].remove("form")  # a form still to be designed names itself only
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://example.invalid/notices/{name}.schema.json"
    return schema


def schema_text(name: str) -> str:
    """The committed form of a schema file: indented JSON, keys in order, final newline."""
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def schema_comment(name: str, depth: int) -> str:
    """The first line of a source file that points editors at its schema
    (``# yaml-language-server: $schema=../schemas/amendment.schema.json``)."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json"
