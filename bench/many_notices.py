"""Scale benchmark: does ``notices build`` grow linearly with the number of notices?

    python bench/many_notices.py [--sizes 10,100] [--rounds 3] [--large-rounds 1]
                                 [--noops 3] [--keep DIR] [--profile N]
                                 [--generate-only DIR] [--noop-only SRC OUT]

What it builds. N synthetic 通知 (seeded, reproducible; notice i is the same whatever N),
each with a realistic body and a generic table, and 10 一部改正 of each:

* the notice: a bureau's 文書番号 whose MMDD is its date, 各都道府県知事 殿, a title, 前文
  paragraphs (one cites an earlier notice: from the fifth on, the same bureau's notice
  four before it, title and date as ``notices check`` wants them), 記 with 1./(1)/①
  items (見出し, paragraphs, some items without sub-items), a 担当者 block, and 別添
  (``kind: table``):
  a title, one header row (区分 and three fiscal years), four rows (国, 都道府県 …) whose
  cells hold ●/・ lines, a note;
* the amendments: on successive dates 5 to 10 weeks apart, about a third with an
  ``effective:`` date (the first of the next month, before the next amendment), numbered
  in the notice's bureau with the MMDD of their date (serials unique per bureau and day).
  Each has 2 to 4 changes, and the 10 of a notice use every change kind of the README's
  table that applies to a notice without an area table: quoted replace / insert / delete
  in an item (and in 前文 and 担当者), rewrite of an item, the 見出し quoted and rewritten,
  add_items after an item (renumbering the rest), after the last item, first, and into a
  level with no items yet, delete_item of the last and of a middle item, a paragraph of an
  item (記の1の第2段落) quoted, added after and deleted, add_row_after, add_row_before,
  delete_row, rewrite of a row, quoted changes in a row's cells, and quoted changes to the
  table's title and note.

Every change is generated against a model of the version in force (plain dicts, the
engine's rules: a quote occurs once in its unit, counted as ``builder.engine.textedit``
counts it, and is widened by whole words until it does; one change per top item, 前文,
担当者 and table part in one amendment, so no change cites a label another renumbers).
A draw of a notice whose amendments cannot use every kind is drawn again (same seed, next
attempt). ``notices check`` passes on the result: the pytest
(``tests/integration/test_many_notices.py``) checks it for N=3, and every build here
checks it first. No distribution letter (no ``letter:``), so no 別記 list.
``--generate-only DIR`` writes the tree of the first size into DIR and stops;
``--noop-only SRC OUT`` times only the no-op rebuild of an existing build (``--noops``
times, after one run that makes sure it is up to date), e.g. to compare two versions of
the builder on the same build without its cold build.

What it times, per N (default 10 and 100): ``notices build --root SRC --out DIR --jobs 2``
(``python -m builder``, run from this repository's root, so it is this copy's builder) in a
fresh process into a fresh folder (cold; the disk cache of the form font is left as it
is, as in ``bench/benchmark.py``), then the same command again ``--noops`` times (default
3) with nothing changed (the no-op rebuild: wall seconds, and the CPU seconds of that
process, which other load on a shared machine disturbs less). The median of ``--rounds`` (default 3) for the smallest N;
``--large-rounds`` (default 1) for the others (the build of 100 notices takes minutes).
Wall-clock seconds; beside them the CPU seconds of the build and its workers, which other
load on a shared machine disturbs less. ``--profile N`` adds one cold build of N notices
under cProfile on one job (so that the workers' work is in the profile).

Targets (issue): the per-notice cold build time at the largest N within 1.3x that at the
smallest N, and the no-op rebuild at most 0.2 s at every N. Prints PASS/FAIL per target
and exits 0 either way (a benchmark, not a test); a build that fails exits 2.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20250401
AMENDMENTS = 10
SIZES = (10, 100)
JOBS = 2
RATIO_TARGET = 1.3
NOOP_TARGET = 0.2
TABLE_ID = "別添"

Item = dict[str, Any]
"""An item of 記 as in the YAML: label, title, paragraphs, items."""

# --------------------------------------------------------------------------- vocabulary

BUREAUS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("医政発", "医政局", "厚生労働省医政局長", ("地域医療計画課", "医事課", "看護課"), "isei"),
    (
        "健発",
        "健康・生活衛生局",
        "厚生労働省健康・生活衛生局長",
        ("健康課", "感染症対策課", "難病対策課"),
        "ken",
    ),
    ("老発", "老健局", "厚生労働省老健局長", ("高齢者支援課", "認知症施策・地域介護推進課"), "ro"),
    ("保発", "保険局", "厚生労働省保険局長", ("医療課", "保険課", "高齢者医療課"), "ho"),
)
"""(局略号, 局, sender, divisions, file-name slug)."""

SUBJECTS = (
    "都道府県",
    "市町村",
    "医療機関",
    "関係団体",
    "保健所",
    "地域医療構想調整会議",
    "各医療機関の管理者",
    "地域の医師会",
)
TOPICS = (
    "在宅医療の提供体制",
    "医療従事者の確保",
    "病床機能の分化及び連携",
    "外来医療の機能分化",
    "救急医療の体制",
    "新興感染症への対応",
    "介護サービスとの連携",
    "データの利活用",
    "住民への情報提供",
    "研修の実施状況",
    "人材の育成",
    "相談体制",
    "関係者間の情報共有",
    "地域の医療需要の見込み",
    "医療機関の役割分担",
    "かかりつけ医機能",
    "医療計画の進捗",
    "オンライン診療の活用",
    "へき地医療の確保",
    "周産期医療の体制",
    "小児医療の体制",
    "災害時の医療提供",
    "医師の働き方改革",
    "病床の稼働状況",
)
ACTIONS = ("推進", "検討", "把握", "支援", "整備", "周知", "確認", "評価", "協議", "実施")
FUNDS = ("地域医療介護総合確保基金", "医療提供体制推進事業費補助金", "地方財政措置")
SENTENCES = (
    "{S}においては、{T}について、{T2}を踏まえて{A}すること。",
    "{S}は、{T}に関し、必要に応じて{S2}と連携しつつ{A}するよう努めること。",
    "{T}については、{S}が中心となって{A}し、その結果を{S2}に報告すること。",
    "{S}においては、{T}の現状を十分に把握した上で、{T2}の{A}に取り組むこと。",
    "なお、{T}に係る費用については、{F}の活用が可能であること。",
    "{T}の{A}に当たっては、{S}の意見を適切に聴くこと。",
    "{S}は、{T}について、定期的に{A}を行い、{T2}に反映させること。",
    "{T}に関する取組は、{S}及び{S2}が協力して{A}するものであること。",
)
LEAF_TEXTS = (
    "{T}に関すること",
    "{T}の{A}に関する事項",
    "{S}との{A}の状況",
    "{T}の{A}の方法",
    "{T}及び{T2}に関すること",
)
TOP_TITLES = (
    "基本的な考え方",
    "{T}について",
    "{S}の役割について",
    "{T}の{A}について",
    "留意事項",
)
SUB_TITLES = ("{T}", "{T}の{A}", "{S}における取組", "{T}に係る{A}")

SYNONYMS = {
    "推進": "促進",
    "促進": "推進",
    "検討": "検証",
    "検証": "検討",
    "把握": "分析",
    "分析": "把握",
    "支援": "援助",
    "援助": "支援",
    "整備": "構築",
    "構築": "整備",
    "周知": "広報",
    "広報": "周知",
    "十分に": "適切に",
    "適切に": "十分に",
    "必要に応じて": "適宜",
    "適宜": "必要に応じて",
    "連携": "協力",
    "協力": "連携",
    "目安": "予定",
    "予定": "目安",
    "考え方": "方針",
    "方針": "考え方",
    "留意事項": "注意事項",
    "注意事項": "留意事項",
    "役割": "責務",
    "責務": "役割",
    "取組": "対応",
    "対応": "取組",
}
"""Words a quoted replace toggles (each maps back, so a notice never runs out)."""
INSERTS = {
    "市町村": "及び関係団体",
    "医療機関": "等",
    "把握": "・分析",
    "確保": "・定着",
    "検討": "・調整",
    "体制": "の強化",
    "報告": "・公表",
}
"""An anchor word and what an insert adds after it."""
ROW_LABELS = (
    "国",
    "都道府県",
    "市町村",
    "医療機関",
    "関係団体",
    "保険者",
    "大学等",
    "医師会",
    "看護協会",
    "薬剤師会",
    "歯科医師会",
    "介護事業者",
    "保健所",
    "住民",
    "事業者",
    "研究機関",
    "学校",
    "消防機関",
    "福祉施設",
    "訪問看護事業所",
)
YEARS = ("令和6年度", "令和7年度", "令和8年度")

KINDS = (
    "replace",
    "insert",
    "delete",
    "rewrite",
    "heading_replace",
    "heading_rewrite",
    "add_after_middle",
    "add_after_last",
    "add_first",
    "add_empty",
    "delete_last",
    "delete_middle",
    "paragraph_replace",
    "paragraph_add",
    "paragraph_delete",
    "row_after",
    "row_before",
    "row_delete",
    "row_rewrite",
    "row_replace",
    "table_title",
    "table_note",
)
"""Every change kind each notice's 10 amendments use at least once."""
EXTRA_KINDS = (*KINDS, "preamble_replace", "contact_replace")
"""Kinds drawn for the other changes."""

_TOKEN_RE = re.compile(
    r"[\u4e00-\u9fff\u3005\u3006\u30f6]+|[\u3041-\u309f]+|[\u30a1-\u30fa\u30fc]+|[A-Za-z0-9]+|.",
    re.DOTALL,
)
"""Word-like runs, as the engine's ``tokens``: quotes are widened by whole runs."""


# --------------------------------------------------------------------------- labels


def label(depth: int, number: int) -> str:
    """The label of item ``number`` of a level at ``depth`` (0: 1., 1: (1), 2: ①)."""
    if depth == 0:
        return f"{number}."
    if depth == 1:
        return f"({number})"
    assert 1 <= number <= 20, number
    return chr(0x2460 + number - 1)


def cited(item_label: str) -> str:
    """As an address cites it: 「1.」 → 「1」."""
    return item_label.removesuffix(".")


def address(path: Sequence[str]) -> str:
    """記の1の(2) for the citation labels ``path`` (記 for the empty path)."""
    return "記" + "".join(f"の{part}" for part in path)


def count(segments: Sequence[str], quote: str) -> int:
    """Occurrences of ``quote`` across ``segments`` (overlapping ones too), as the engine
    counts them."""
    total = 0
    for text in segments:
        start = text.find(quote)
        while start != -1:
            total += 1
            start = text.find(quote, start + 1)
    return total


def segments(item: Item) -> list[str]:
    """An item's text as the engine quotes it: title, paragraphs, then sub-items'."""
    own = ([item["title"]] if item.get("title") is not None else []) + list(item["paragraphs"])
    for child in item["items"]:
        own.extend(segments(child))
    return own


def unique_quote(
    all_segments: Sequence[str], index: int, start: int, end: int, left_only: bool = False
) -> tuple[str, int] | None:
    """The shortest quote of whole runs around ``start:end`` of segment ``index`` that
    occurs once in ``all_segments``, and the offset of ``start`` in it; ``left_only``
    keeps its end at ``end`` (the anchor of an insert). None if none is short enough."""
    text = all_segments[index]
    bounds = [0]
    for token in _TOKEN_RE.findall(text):
        bounds.append(bounds[-1] + len(token))
    lo = max(b for b in bounds if b <= start)
    hi = end if left_only else min(b for b in bounds if b >= end)
    grow_left = True
    while True:
        quote = text[lo:hi]
        if "「" in quote or "」" in quote or len(quote) > 40:
            return None
        if count(all_segments, quote) == 1:
            return quote, start - lo
        can_left = lo > 0
        can_right = not left_only and hi < len(text)
        if not (can_left or can_right):
            return None
        if (grow_left and can_left) or not can_right:
            lo = max(b for b in bounds if b < lo)
        else:
            hi = min(b for b in bounds if b > hi)
        grow_left = not grow_left


# --------------------------------------------------------------------------- text


class Writer:
    """Realistic-looking sentences from the vocabulary, drawn from one seeded random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str) -> str:
        rng = self.rng
        subjects = rng.sample(SUBJECTS, 2)
        topics = rng.sample(TOPICS, 2)
        return template.format(
            S=subjects[0],
            S2=subjects[1],
            T=topics[0],
            T2=topics[1],
            A=rng.choice(ACTIONS),
            F=rng.choice(FUNDS),
        )

    def sentence(self) -> str:
        return self.fill(self.rng.choice(SENTENCES))

    def paragraph(self) -> str:
        return "".join(self.sentence() for _ in range(self.rng.choice((1, 1, 2, 2, 3))))

    def leaf(self) -> str:
        return self.fill(self.rng.choice(LEAF_TEXTS))

    def title(self, depth: int) -> str:
        return self.fill(self.rng.choice(TOP_TITLES if depth == 0 else SUB_TITLES))

    def item(self, depth: int, number: int, children: int = 0) -> Item:
        """A new item: ① items are one line; others a 見出し, paragraphs and
        ``children`` sub-items."""
        if depth >= 2:
            return {
                "label": label(depth, number),
                "title": None,
                "paragraphs": [self.leaf()],
                "items": [],
            }
        paragraphs = [self.paragraph() for _ in range(self.rng.choice((1, 1, 2)))]
        return {
            "label": label(depth, number),
            "title": self.title(depth),
            "paragraphs": paragraphs,
            "items": [self.item(depth + 1, n + 1) for n in range(children)],
        }

    def row_cells(self) -> list[list[str]]:
        cells: list[list[str]] = []
        for _ in YEARS:
            lines = [f"●{self.fill(self.rng.choice(('{T}の{A}', '{T}に係る{A}', '{S}との{A}')))}"]
            if self.rng.random() < 0.4:
                lines.append(f"・{self.fill('{T}の{A}')}")
            cells.append(lines if self.rng.random() < 0.9 else [])
        return cells


# --------------------------------------------------------------------------- the model


@dataclass
class Model:
    """The version in force of one synthetic notice, as YAML-shaped data."""

    title: str
    preamble: list[str]
    ki: list[Item]
    contact: list[str]
    table_title: str
    table_note: str
    rows: list[dict[str, Any]]
    used_labels: set[str] = field(default_factory=set)

    def level(self, path: Sequence[str]) -> list[Item]:
        """The items of the level under the item at ``path`` (記 for ())."""
        items = self.ki
        for part in path:
            items = next(it for it in items if cited(it["label"]) == part)["items"]
        return items

    def walk(self) -> list[tuple[tuple[str, ...], Item]]:
        """Every item with its path, in document order."""
        found: list[tuple[tuple[str, ...], Item]] = []

        def visit(items: list[Item], prefix: tuple[str, ...]) -> None:
            for it in items:
                path = (*prefix, cited(it["label"]))
                found.append((path, it))
                visit(it["items"], path)

        visit(self.ki, ())
        return found

    def table_segments(self) -> list[str]:
        return [self.table_title, "区分", *YEARS, self.table_note]


def relabel(items: list[Item], depth: int) -> None:
    """Number a level's items 1, 2, … again (after an add or a delete)."""
    for number, it in enumerate(items, start=1):
        it["label"] = label(depth, number)


def dump_item(item: Item) -> dict[str, Any]:
    """An item as YAML: a one-line item without 見出し or sub-items is ``text``."""
    if item.get("title") is None and not item["items"] and len(item["paragraphs"]) == 1:
        return {"label": item["label"], "text": item["paragraphs"][0]}
    out: dict[str, Any] = {"label": item["label"]}
    if item.get("title") is not None:
        out["title"] = item["title"]
    if item["paragraphs"]:
        out["paragraphs"] = list(item["paragraphs"])
    if item["items"]:
        out["items"] = [dump_item(child) for child in item["items"]]
    return out


# --------------------------------------------------------------------------- changes

Change = dict[str, Any]


class Amender:
    """Draws the changes of one amendment against the model; each change claims the
    parts it touches (a top item of 記, or all of 記; 前文; 担当者; the table's rows; the
    table's own text) so that no two changes of one amendment touch one part."""

    def __init__(self, model: Model, writer: Writer) -> None:
        self.model = model
        self.writer = writer
        self.rng = writer.rng
        self.claimed: set[str] = set()

    # ----- parts

    def _free_top(self, path: Sequence[str]) -> bool:
        return "記" not in self.claimed and f"記の{path[0]}" not in self.claimed

    def _claim_top(self, path: Sequence[str]) -> None:
        self.claimed.add(f"記の{path[0]}" if path else "記")

    def _ki_free(self) -> bool:
        return "記" not in self.claimed and not any(c.startswith("記の") for c in self.claimed)

    def _items(
        self, where: Callable[[tuple[str, ...], Item], bool]
    ) -> list[tuple[tuple[str, ...], Item]]:
        return [(p, it) for p, it in self.model.walk() if self._free_top(p) and where(p, it)]

    # ----- quoted changes in 記

    def _synonym_spots(self, texts: Sequence[str], first: int = 0) -> list[tuple[int, int, str]]:
        """Where a word of SYNONYMS occurs, outside 「」 (a cited title stays as cited)."""
        spots = []
        for index in range(first, len(texts)):
            text = texts[index]
            for word in SYNONYMS:
                for match in re.finditer(re.escape(word), text):
                    before = text[: match.start()]
                    if before.count("「") == before.count("」"):
                        spots.append((index, match.start(), word))
        return spots

    def _replace_in(
        self, texts: list[str], spots: list[tuple[int, int, str]]
    ) -> tuple[str, str] | None:
        self.rng.shuffle(spots)
        for index, start, word in spots:
            found = unique_quote(texts, index, start, start + len(word))
            if found is None:
                continue
            quote, offset = found
            new = quote[:offset] + SYNONYMS[word] + quote[offset + len(word) :]
            texts[index] = texts[index].replace(quote, new, 1)
            return quote, new
        return None

    def replace(self) -> Change | None:
        candidates = self._items(lambda p, it: bool(it["paragraphs"]))
        self.rng.shuffle(candidates)
        for path, it in candidates:
            texts = segments(it)
            first = 1 if it.get("title") is not None else 0
            own = first + len(it["paragraphs"])
            spots = [s for s in self._synonym_spots(texts, first) if s[0] < own]
            done = self._replace_in(texts, spots)
            if done is None:
                continue
            it["paragraphs"] = texts[first:own]
            self._claim_top(path)
            return {"at": address(path), "replace": done[0], "with": done[1]}
        return None

    def insert(self) -> Change | None:
        candidates = self._items(lambda p, it: bool(it["paragraphs"]))
        self.rng.shuffle(candidates)
        for path, it in candidates:
            texts = segments(it)
            first = 1 if it.get("title") is not None else 0
            spots = [
                (first + i, m.end(), word)
                for i, text in enumerate(it["paragraphs"])
                for word in INSERTS
                for m in re.finditer(re.escape(word), text)
                if not text[m.end() :].startswith(INSERTS[word][:2])
            ]
            self.rng.shuffle(spots)
            for index, end, word in spots:
                found = unique_quote(texts, index, end - len(word), end, left_only=True)
                if found is None:
                    continue
                quote, _ = found
                paragraph = it["paragraphs"][index - first]
                at = paragraph.index(quote) + len(quote)
                it["paragraphs"][index - first] = paragraph[:at] + INSERTS[word] + paragraph[at:]
                self._claim_top(path)
                return {"at": address(path), "after": quote, "insert": INSERTS[word]}
        return None

    def delete(self) -> Change | None:
        """A whole sentence of a paragraph of two or more sentences."""
        candidates = self._items(lambda p, it: any(t.count("。") > 1 for t in it["paragraphs"]))
        self.rng.shuffle(candidates)
        for path, it in candidates:
            texts = segments(it)
            for i, paragraph in enumerate(it["paragraphs"]):
                sentences = [s + "。" for s in paragraph.split("。") if s]
                if len(sentences) < 2 or "".join(sentences) != paragraph:
                    continue
                for sentence in self.rng.sample(sentences, len(sentences)):
                    if "「" in sentence or "」" in sentence or count(texts, sentence) != 1:
                        continue
                    it["paragraphs"][i] = paragraph.replace(sentence, "", 1)
                    self._claim_top(path)
                    return {"at": address(path), "delete": sentence}
        return None

    def rewrite(self) -> Change | None:
        candidates = self._items(lambda p, it: len(p) >= 2)
        if not candidates:
            return None
        path, it = self.rng.choice(candidates)
        depth = len(path) - 1
        new = self.writer.item(depth, 1, children=self.rng.choice((0, 0, 2)) if depth == 1 else 0)
        new["label"] = it["label"]
        it.clear()
        it.update(new)
        self._claim_top(path)
        return {"at": address(path), "rewrite": dump_item(new)}

    def heading_replace(self) -> Change | None:
        candidates = self._items(lambda p, it: it.get("title") is not None)
        self.rng.shuffle(candidates)
        for path, it in candidates:
            texts = [it["title"]]
            done = self._replace_in(texts, self._synonym_spots(texts))
            if done is None:
                continue
            it["title"] = texts[0]
            self._claim_top(path)
            return {"at": address(path) + "の見出し", "replace": done[0], "with": done[1]}
        return None

    def heading_rewrite(self) -> Change | None:
        candidates = self._items(lambda p, it: it.get("title") is not None)
        if not candidates:
            return None
        path, it = self.rng.choice(candidates)
        title = self.writer.title(len(path) - 1)
        if title == it["title"]:
            return None
        it["title"] = title
        self._claim_top(path)
        return {"at": address(path) + "の見出し", "rewrite": title}

    # ----- paragraphs of an item

    def _paragraphed(self, least: int) -> list[tuple[tuple[str, ...], Item]]:
        """Items of 1. and (1) levels with at least ``least`` paragraphs (a ① item is one
        line)."""
        return self._items(lambda p, it: len(p) <= 2 and len(it["paragraphs"]) >= least)

    def paragraph_replace(self) -> Change | None:
        candidates = self._paragraphed(1)
        self.rng.shuffle(candidates)
        for path, it in candidates:
            number = self.rng.randrange(len(it["paragraphs"]))
            texts = [it["paragraphs"][number]]
            done = self._replace_in(texts, self._synonym_spots(texts))
            if done is None:
                continue
            it["paragraphs"][number] = texts[0]
            self._claim_top(path)
            at = f"{address(path)}の第{number + 1}段落"
            return {"at": at, "replace": done[0], "with": done[1]}
        return None

    def paragraph_add(self) -> Change | None:
        candidates = self._paragraphed(1)
        if not candidates:
            return None
        path, it = self.rng.choice(candidates)
        number = self.rng.randrange(len(it["paragraphs"]))
        new = self.writer.paragraph()
        it["paragraphs"].insert(number + 1, new)
        self._claim_top(path)
        return {"at": f"{address(path)}の第{number + 1}段落", "add_paragraphs": [new]}

    def paragraph_delete(self) -> Change | None:
        candidates = self._paragraphed(2)
        if not candidates:
            return None
        path, it = self.rng.choice(candidates)
        number = self.rng.randrange(len(it["paragraphs"]))
        del it["paragraphs"][number]
        self._claim_top(path)
        return {"at": f"{address(path)}の第{number + 1}段落", "delete_paragraph": True}

    # ----- items added and deleted

    def _levels(self, least: int, most: int = 19) -> list[tuple[str, ...]]:
        """Paths of the items whose level (sub-items) holds ``least``..``most`` items, and
        () for 記 itself, among the free parts; ① levels only below (1) items."""
        found: list[tuple[str, ...]] = []
        if self._ki_free() and least <= len(self.model.ki) <= min(most, 9):
            found.append(())
        for path, it in self.model.walk():
            if len(path) <= 2 and least <= len(it["items"]) <= most and self._free_top(path):
                found.append(path)
        return found

    def _add(self, parent: tuple[str, ...], after: int | None) -> Change:
        """Add one item to the level under ``parent`` after its item ``after`` (0-based;
        None: first)."""
        level = self.model.level(parent)
        depth = len(parent)
        position = 0 if after is None or not level else after + 1
        new = self.writer.item(depth, position + 1)
        change: Change = {"at": address(parent)}
        if level and after is None:
            change["first"] = True
        elif level:
            assert after is not None
            change["after"] = cited(level[after]["label"])
        change["add_items"] = [dump_item(new)]
        level.insert(position, new)
        relabel(level, depth)
        self._claim_top(parent)
        return change

    def add_after_middle(self) -> Change | None:
        levels = self._levels(2)
        if not levels:
            return None
        parent = self.rng.choice(levels)
        return self._add(parent, self.rng.randrange(len(self.model.level(parent)) - 1))

    def add_after_last(self) -> Change | None:
        levels = self._levels(1)
        if not levels:
            return None
        parent = self.rng.choice(levels)
        return self._add(parent, len(self.model.level(parent)) - 1)

    def add_first(self) -> Change | None:
        levels = self._levels(1)
        if not levels:
            return None
        return self._add(self.rng.choice(levels), None)

    def add_empty(self) -> Change | None:
        levels = [
            path
            for path, it in self.model.walk()
            if len(path) <= 2 and not it["items"] and self._free_top(path)
        ]
        if not levels:
            return None
        return self._add(self.rng.choice(levels), 0)

    def _delete(self, last: bool) -> Change | None:
        levels = self._levels(2 if last else 3, 20)
        if not levels:
            return None
        parent = self.rng.choice(levels)
        level = self.model.level(parent)
        index = len(level) - 1 if last else self.rng.randrange(len(level) - 1)
        path = (*parent, cited(level[index]["label"]))
        del level[index]
        relabel(level, len(parent))
        self._claim_top(parent)
        return {"at": address(path), "delete_item": True}

    def delete_last(self) -> Change | None:
        return self._delete(last=True)

    def delete_middle(self) -> Change | None:
        return self._delete(last=False)

    # ----- the table

    def _new_row(self) -> dict[str, Any] | None:
        free = [name for name in ROW_LABELS if name not in self.model.used_labels]
        if not free:
            return None
        name = self.rng.choice(free)
        self.model.used_labels.add(name)
        return {"label": name, "cells": self.writer.row_cells()}

    def _rows_free(self) -> bool:
        if "rows" in self.claimed:
            return False
        self.claimed.add("rows")
        return True

    def _add_row(self, after: bool) -> Change | None:
        if "rows" in self.claimed or len(self.model.rows) >= 8:
            return None
        row = self._new_row()
        if row is None:
            return None
        self._rows_free()
        index = self.rng.randrange(len(self.model.rows))
        anchor = self.model.rows[index]["label"]
        self.model.rows.insert(index + 1 if after else index, row)
        key = "add_row_after" if after else "add_row_before"
        return {"at": TABLE_ID, key: anchor, "rows": [copy.deepcopy(row)]}

    def row_after(self) -> Change | None:
        return self._add_row(after=True)

    def row_before(self) -> Change | None:
        return self._add_row(after=False)

    def row_delete(self) -> Change | None:
        if "rows" in self.claimed or len(self.model.rows) < 3:
            return None
        self._rows_free()
        row = self.model.rows.pop(self.rng.randrange(len(self.model.rows)))
        return {"at": f"{TABLE_ID} {row['label']}の項", "delete_row": True}

    def row_rewrite(self) -> Change | None:
        if "rows" in self.claimed:
            return None
        self._rows_free()
        row = self.rng.choice(self.model.rows)
        row["cells"] = self.writer.row_cells()
        return {"at": f"{TABLE_ID} {row['label']}の項", "rewrite": copy.deepcopy(row)}

    def row_replace(self) -> Change | None:
        if "rows" in self.claimed:
            return None
        for row in self.rng.sample(self.model.rows, len(self.model.rows)):
            lines = [line for cell in row["cells"] for line in cell]
            done = self._replace_in(lines, self._synonym_spots(lines))
            if done is None:
                continue
            rest = iter(lines)
            row["cells"] = [[next(rest) for _ in cell] for cell in row["cells"]]
            self._rows_free()
            return {"at": f"{TABLE_ID} {row['label']}の項", "replace": done[0], "with": done[1]}
        return None

    def _table_text(self, part: str) -> Change | None:
        if "table" in self.claimed:
            return None
        texts = self.model.table_segments()
        index = 0 if part == "title" else len(texts) - 1
        done = self._replace_in(texts, [s for s in self._synonym_spots(texts) if s[0] == index])
        if done is None:
            return None
        self.model.table_title, self.model.table_note = texts[0], texts[-1]
        self.claimed.add("table")
        return {"at": TABLE_ID, "replace": done[0], "with": done[1]}

    def table_title(self) -> Change | None:
        return self._table_text("title")

    def table_note(self) -> Change | None:
        return self._table_text("note")

    # ----- 前文 and 担当者

    def preamble_replace(self) -> Change | None:
        if "前文" in self.claimed:
            return None
        texts = self.model.preamble
        done = self._replace_in(texts, self._synonym_spots(texts))
        if done is None:
            return None
        self.claimed.add("前文")
        return {"at": "前文", "replace": done[0], "with": done[1]}

    def contact_replace(self) -> Change | None:
        if "担当者" in self.claimed:
            return None
        lines = self.model.contact
        index = next(i for i, line in enumerate(lines) if "内線" in line)
        old = re.search(r"内線[0-9]+", lines[index])
        assert old is not None
        new = f"内線{self.rng.randrange(2000, 8999)}"
        if new == old.group(0):
            return None
        lines[index] = lines[index].replace(old.group(0), new)
        self.claimed.add("担当者")
        return {"at": "担当者", "replace": old.group(0), "with": new}


# --------------------------------------------------------------------------- notices


@dataclass
class Synthetic:
    """One generated notice: its file name and data, and its amendments'."""

    name: str
    notice: dict[str, Any]
    amendments: list[tuple[str, dict[str, Any]]]
    kinds: set[str]


class Numbers:
    """文書番号 <局略号><MMDD>第<n>号: serials counted per 局略号 and day, so every number is
    unique and its MMDD is its date."""

    def __init__(self) -> None:
        self.serials: dict[tuple[str, str], int] = {}

    def next(self, prefix: str, date: dt.date) -> tuple[str, int]:
        key = (prefix, f"{date:%m%d}")
        self.serials[key] = self.serials.get(key, 0) + 1
        return f"{prefix}{date:%m%d}第{self.serials[key]}号", self.serials[key]


def first_of_next_month(date: dt.date) -> dt.date:
    return (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


class Unlucky(Exception):
    """A draw that cannot use every change kind in its amendments: drawn again."""


def wareki(date: dt.date) -> str:
    """令和N年M月D日 (every date here is in 令和, after its first year)."""
    assert date.year > 2019, date
    return f"令和{date.year - 2018}年{date.month}月{date.day}日"


def make_notice(
    index: int, numbers: Numbers, seed: int = SEED, cited: Synthetic | None = None
) -> Synthetic:
    """Notice ``index`` and its amendments (the same for every N: its own random, and
    another draw of it in the rare case that one does not use every change kind). Its
    前文 cites ``cited`` (a kept notice, so as ``notices check`` wants it: its title and
    date), or, without one, a notice not in the tree."""
    for attempt in range(20):
        saved = dict(numbers.serials)
        try:
            return _draw_notice(
                index, numbers, random.Random((seed * 1_000 + index) * 32 + attempt), seed, cited
            )
        except Unlucky:
            numbers.serials = saved
    raise AssertionError(f"notice {index}: 20 draws did not use every change kind")


def _draw_notice(
    index: int, numbers: Numbers, rng: random.Random, seed: int, cited: Synthetic | None
) -> Synthetic:
    writer = Writer(rng)
    prefix, bureau, sender, divisions, slug = BUREAUS[index % len(BUREAUS)]
    date = dt.date(2023, 4, 3) + dt.timedelta(days=4 * index)
    number, serial = numbers.next(prefix, date)
    topic, topic2 = rng.sample(TOPICS, 2)
    title = f"{topic}及び{topic2}の推進について"
    if cited is None:  # a notice of 2022, not in the tree (no serial here reaches 21)
        earlier = dt.date(2022, 3, 31) - dt.timedelta(days=index)
        citation = (
            f"「{topic}に関する取組について」（{wareki(earlier)}付け"
            f"{prefix}{earlier:%m%d}第{index + 21}号{sender}通知）"
        )
    else:
        source = cited.notice
        citation = (
            f"「{source['title']}」（{wareki(dt.date.fromisoformat(source['date']))}付け"
            f"{source['number']}{source['sender']}通知）"
        )
    preamble = [
        f"{topic}については、{citation}において、その基本的な考え方をお示ししているところである。",
        "今般、その具体的な取組について、下記のとおり整理したので、貴職におかれては、"
        "その内容について御了知の上、必要に応じて貴管内市町村、関係団体、関係機関等に周知いただく"
        "ようお願いする。",
        "なお、本通知は、地方自治法（昭和22年法律第67号）第245条の4第1項の規定に基づく"
        "技術的助言であることを申し添える。",
    ]
    tops = rng.choice((3, 4, 4))
    ki: list[Item] = []
    for n in range(1, tops + 1):
        leaf = n == tops  # the last top item has paragraphs only: a level with no items
        top = writer.item(0, n, children=0 if leaf else rng.choice((2, 3)))
        if not leaf:
            top["paragraphs"] = top["paragraphs"][: rng.choice((0, 1))]
            for child in top["items"]:
                if rng.random() < 0.6:
                    child["items"] = [writer.item(2, k + 1) for k in range(rng.choice((2, 3, 4)))]
        ki.append(top)
    ki[0]["title"] = "基本的な考え方"
    ki[-1]["title"] = "留意事項"
    division = rng.choice(divisions)
    contact = [
        f"厚生労働省{bureau}{division}",
        f"03-5253-1111（内線{rng.randrange(2000, 8999)}）",
        f"E-mail　{slug}-{index + 1:03d}@mhlw.go.jp",
    ]
    rows = [{"label": name, "cells": writer.row_cells()} for name in ROW_LABELS[:4]]
    model = Model(
        title=title,
        preamble=preamble,
        ki=ki,
        contact=contact,
        table_title=f"{topic}の推進に向けた国、都道府県及び医療機関の取組",
        table_note="※ 各年度の取組は目安であり、地域の実情を踏まえて適宜見直すこと。",
        rows=rows,
        used_labels=set(ROW_LABELS[:4]),
    )
    notice = {
        "id": number,
        "kind": "通知",
        "number": number,
        "date": date.isoformat(),
        "addressees": [{"name": "各都道府県知事", "honorific": "殿"}],
        "sender": sender,
        "seal_omitted": True,
        "title": title,
        "provenance": f"SYNTHETIC notice {index + 1} (bench/many_notices.py, seed {seed}).",
        "preamble": list(preamble),
        "ki": [dump_item(it) for it in ki],
        "contact": {"heading": "担当者", "lines": list(contact)},
        "attachments": [
            {
                "id": TABLE_ID,
                "kind": "table",
                "title": model.table_title,
                "header": [["区分", *YEARS]],
                "rows": copy.deepcopy(rows),
                "note": model.table_note,
            }
        ],
    }
    name = f"{slug}-{date:%m%d}-{serial}"
    amendments: list[tuple[str, dict[str, Any]]] = []
    required = list(KINDS)
    rng.shuffle(required)
    used: set[str] = set()
    day = date
    for k in range(AMENDMENTS):
        day = day + dt.timedelta(days=rng.randrange(35, 71))
        amender = Amender(model, writer)
        changes: list[Change] = []
        left = AMENDMENTS - k
        want = max(rng.choice((2, 3, 3, 4)), -(-len(required) // left))
        for kind in list(required):
            if len(changes) >= want:
                break
            change = getattr(amender, kind)()
            if change is not None:
                changes.append(change)
                required.remove(kind)
                used.add(kind)
        for _ in range(20):
            if len(changes) >= want:
                break
            kind = rng.choice(EXTRA_KINDS)
            change = getattr(amender, kind)()
            if change is not None:
                changes.append(change)
                used.add(kind)
        if not changes:
            raise Unlucky
        a_number, a_serial = numbers.next(prefix, day)
        file_name = f"{day:%Y-%m-%d}_{slug}-{day:%m%d}-{a_serial}"
        amendment: dict[str, Any] = {"number": a_number, "date": day.isoformat()}
        if rng.random() < 0.35:
            amendment["effective"] = first_of_next_month(day).isoformat()
            day = first_of_next_month(day)  # the next amendment is issued after it applies
        amendment |= {
            "notice": number,
            "provenance": (
                f"SYNTHETIC amendment {k + 1} of notice {index + 1} (bench/many_notices.py)."
            ),
            "changes": changes,
        }
        amendments.append((file_name, copy.deepcopy(amendment)))
    if required:
        raise Unlucky
    return Synthetic(name, notice, amendments, used)


def generate(count_: int, seed: int = SEED) -> list[Synthetic]:
    """Notices 0..count_-1 with their amendments."""
    numbers = Numbers()
    notices: list[Synthetic] = []
    for index in range(count_):
        cited = notices[index - len(BUREAUS)] if index >= len(BUREAUS) else None
        notices.append(make_notice(index, numbers, seed, cited))  # cites its bureau's last
    return notices


def write_tree(root: Path, notices: Sequence[Synthetic]) -> int:
    """Write the source tree (notices/, amendments/) under ``root``; the count of files."""
    (root / "notices").mkdir(parents=True)
    (root / "amendments").mkdir()

    def dump(path: Path, data: dict[str, Any]) -> None:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
        path.write_text(text, encoding="utf-8")

    files = 0
    for synthetic in notices:
        dump(root / "notices" / f"{synthetic.name}.yaml", synthetic.notice)
        files += 1
        for name, amendment in synthetic.amendments:
            dump(root / "amendments" / f"{name}.yaml", amendment)
            files += 1
    return files


# --------------------------------------------------------------------------- timing


class BuildFailed(Exception):
    """``notices build`` did not succeed."""


@dataclass
class Measured:
    """The timings of one N: cold builds (wall and CPU seconds) and no-op rebuilds (wall
    and CPU seconds), files written."""

    n: int
    sources: int
    files: int
    cold: list[float]
    noop: list[float]
    cpu: list[float] = field(default_factory=list)
    noop_cpu: list[float] = field(default_factory=list)

    @property
    def cold_s(self) -> float:
        return statistics.median(self.cold)

    @property
    def per_notice(self) -> float:
        return self.cold_s / self.n

    @property
    def cpu_per_notice(self) -> float:
        return statistics.median(self.cpu) / self.n

    @property
    def noop_s(self) -> float:
        return statistics.median(self.noop)

    @property
    def noop_cpu_s(self) -> float:
        return statistics.median(self.noop_cpu) if self.noop_cpu else float("nan")


def build_command(src: Path, out: Path, jobs: int = JOBS) -> list[str]:
    """``notices build`` of the builder of this repository (``python -m builder``, run
    from its root, as ``bench/benchmark.py`` runs it)."""
    return [
        sys.executable,
        "-m",
        "builder",
        "--root",
        str(src),
        "build",
        "--out",
        str(out),
        "--jobs",
        str(jobs),
    ]


def children_cpu() -> float:
    """CPU seconds (user + system) of the waited-for child processes so far: a build and
    its workers, which it waits for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(src: Path, out: Path) -> tuple[float, str]:
    """Wall seconds of one ``notices build`` in a new process, and what it printed."""
    start = time.perf_counter()
    result = subprocess.run(
        build_command(src, out), cwd=ROOT, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise BuildFailed(f"exit {result.returncode}: {result.stderr.strip()[-2_000:]}")
    return elapsed, (result.stdout + result.stderr).strip()


def count_files(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def timed_noops(
    src: Path, out: Path, times: int, measured: Measured, say: Callable[[str], None] = print
) -> None:
    """``times`` no-op rebuilds of the build in ``out``: wall and CPU seconds appended to
    ``measured``; a rebuild that was not a no-op is said."""
    for _ in range(times):
        cpu = children_cpu()
        seconds, printed = timed_build(src, out)
        if "up to date" not in printed:
            say(f"  the rebuild was not a no-op: {printed.splitlines()[-1]}")
        measured.noop.append(seconds)
        measured.noop_cpu.append(children_cpu() - cpu)


def measure(
    n: int, rounds: int, scratch: Path, noops: int = 3, say: Callable[[str], None] = print
) -> Measured:
    """Generate N notices into ``scratch``, then ``rounds`` × (cold build into a new
    folder, then the same command again: the no-op rebuild, ``noops`` times)."""
    src = scratch / f"src-{n}"
    started = time.perf_counter()
    sources = write_tree(src, generate(n))
    say(f"N={n}: generated {sources} source files in {time.perf_counter() - started:.1f} s")
    measured = Measured(n, sources, 0, [], [])
    for round_ in range(rounds):
        out = scratch / f"out-{n}-{round_}"
        cpu = children_cpu()
        seconds, printed = timed_build(src, out)
        measured.cpu.append(children_cpu() - cpu)
        measured.cold.append(seconds)
        measured.files = count_files(out)
        say(
            f"N={n} round {round_ + 1}: cold build {seconds:.2f} s, CPU {measured.cpu[-1]:.1f} s "
            f"({printed.splitlines()[-1]})"
        )
        timed_noops(src, out, noops, measured, say)
        say(
            f"N={n} round {round_ + 1}: no-op rebuilds "
            f"{', '.join(f'{s:.3f}' for s in measured.noop[-noops:])} s (CPU "
            f"{', '.join(f'{s:.3f}' for s in measured.noop_cpu[-noops:])} s)"
        )
        shutil.rmtree(out, ignore_errors=True)
        os.sync()  # writing back one run's files does not slow the next run down
    return measured


def report(runs: Sequence[Measured], say: Callable[[str], None] = print) -> None:
    """The table and the two verdicts (the CPU ratio beside, for reference)."""
    say("")
    say(
        f"{'N':>5}  {'sources':>7}  {'files':>7}  {'cold build':>10}  {'per notice':>10}  "
        f"{'CPU/notice':>10}  {'no-op rebuild':>13}  {'no-op CPU':>9}  rounds"
    )
    for run in runs:
        say(
            f"{run.n:>5}  {run.sources:>7,}  {run.files:>7,}  {run.cold_s:>8.1f} s  "
            f"{run.per_notice:>8.2f} s  {run.cpu_per_notice:>8.2f} s  {run.noop_s:>11.3f} s  "
            f"{run.noop_cpu_s:>7.3f} s  {len(run.cold):>6}"
        )
    say(
        f"(wall seconds, median of the rounds; {JOBS} jobs; CPU: user + system of the build "
        "and its workers; no-op: median of the rebuilds after each cold build, wall and "
        "CPU of that process)"
    )
    first, last = runs[0], runs[-1]
    if len(runs) > 1:
        ratio = last.per_notice / first.per_notice
        verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
        say(
            f"per-notice build time at N={last.n} / at N={first.n}: {last.per_notice:.2f} / "
            f"{first.per_notice:.2f} s = {ratio:.2f}x (target <= {RATIO_TARGET}x): {verdict}"
        )
        cpu_ratio = last.cpu_per_notice / first.cpu_per_notice
        say(
            f"  for reference, CPU per notice: {last.cpu_per_notice:.2f} / "
            f"{first.cpu_per_notice:.2f} s = {cpu_ratio:.2f}x (less sensitive to other load)"
        )
    worst = max(runs, key=lambda run: run.noop_s)
    verdict = "PASS" if worst.noop_s <= NOOP_TARGET else "FAIL"
    say(
        f"no-op rebuild: {', '.join(f'{run.noop_s:.3f} s at N={run.n}' for run in runs)} "
        f"(target <= {NOOP_TARGET} s at every N): {verdict}"
    )


def profile(n: int, scratch: Path, top: int = 25, say: Callable[[str], None] = print) -> None:
    """One cold build of N notices under cProfile, on one job (with more, the forked
    workers are not profiled and their time shows as waiting): the top functions by
    cumulative time."""
    import pstats

    src = scratch / f"src-{n}"
    if not src.exists():
        write_tree(src, generate(n))
    out, stats_file = scratch / f"profile-{n}", scratch / f"profile-{n}.pstats"
    command = build_command(src, out, jobs=1)  # in this process: all the work is profiled
    command[1:3] = ["-m", "cProfile", "-o", str(stats_file), "-m", "builder"]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    say(
        f"\ncProfile of one cold build, N={n} ({time.perf_counter() - start:.1f} s under the profiler):"
    )
    stream = io.StringIO()
    pstats.Stats(str(stats_file), stream=stream).sort_stats("cumulative").print_stats(top)
    say(stream.getvalue())
    shutil.rmtree(out, ignore_errors=True)


def noop_only(src: Path, out: Path, times: int, say: Callable[[str], None] = print) -> int:
    """``--noop-only``: one rebuild (which makes the build up to date if it was not), then
    ``times`` timed no-op rebuilds; prints each, the median and the minimum."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "builder")], check=True)
    try:
        timed_build(src, out)
        measured = Measured(0, 0, count_files(out), [], [])
        timed_noops(src, out, times, measured, say)
    except BuildFailed as exc:
        print(f"notices build failed: {exc}", file=sys.stderr)
        return 2
    load = os.getloadavg()
    say(
        f"no-op rebuild of {out} ({measured.files:,} files), {times} runs: wall median "
        f"{measured.noop_s:.3f} s, min {min(measured.noop):.3f} s; CPU median "
        f"{measured.noop_cpu_s:.3f} s, min {min(measured.noop_cpu):.3f} s "
        f"(load average {load[0]:.2f}; target <= {NOOP_TARGET} s)"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="numbers of notices (default 10,100)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds for the smallest N (default 3)"
    )
    parser.add_argument(
        "--large-rounds", type=int, default=1, help="rounds for the other sizes (default 1)"
    )
    parser.add_argument(
        "--noops", type=int, default=3, help="no-op rebuilds after each cold build (default 3)"
    )
    parser.add_argument(
        "--keep", type=Path, help="work in this new folder and keep the generated sources there"
    )
    parser.add_argument(
        "--noop-only",
        nargs=2,
        type=Path,
        metavar=("SRC", "OUT"),
        help="only time --noops no-op rebuilds of the existing build of SRC in OUT",
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="also profile one cold build of N notices"
    )
    parser.add_argument(
        "--generate-only",
        type=Path,
        metavar="DIR",
        help="write the sources of the first size into DIR and stop",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if args.noop_only:
        return noop_only(args.noop_only[0], args.noop_only[1], times=args.noops)
    if args.generate_only:
        print(
            f"wrote {write_tree(args.generate_only, generate(sizes[0]))} source files into {args.generate_only}"
        )
        return 0
    # The builder's modules from bytecode, as from the second run on wherever Python may
    # write it (PYTHONDONTWRITEBYTECODE=1 would make every run compile them anew).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "builder")], check=True)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="notices-many-"))
    scratch.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the start"
    )
    started = time.perf_counter()
    try:
        runs = [
            measure(n, args.rounds if i == 0 else args.large_rounds, scratch, args.noops)
            for i, n in enumerate(sizes)
        ]
        report(runs)
        if args.profile:
            profile(args.profile, scratch)
    except BuildFailed as exc:
        print(f"notices build failed: {exc}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    load = os.getloadavg()
    print(
        f"{time.perf_counter() - started:.0f} s in all; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
