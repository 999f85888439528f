"""Where each paragraph of a text attachment goes on the page: the layout rules of a
事務連絡's 別紙 and 別添, written once for every writer that lays pages out.

A text attachment (``kind: text``) is a list of paragraphs; what a printed one shows as
a date flush right, an addressee, a marked item with a hanging indent or 「（以上）」 at
the right is read from the paragraphs' own words, by these rules (the seed of each is
003, the 事務連絡 of 令和6年6月11日 with its 別添 and 別紙):

* **A letter** (the 別添, a letter to other addressees): an attachment whose first
  paragraph is a 和暦 date alone (「令和6年6月6日」). The date is flush right; the
  paragraphs after it that end in 「御中」 or 「殿」 are its addressees (left, no 字下げ);
  the next paragraph is the sender (flush right) and the one after it the title
  (centred). The rest is the letter's body.
* **A contact block**: a paragraph that is a bracketed 照会先/担当者/問い合わせ先
  heading (「（照会先）」, 「【担当者】」) and every paragraph after it form a block flush
  right, lines left-aligned among themselves, kept on the page of the paragraph before
  it (as a notice's own 【担当者】).
* **A closing mark**: 「（以上）」 or 「以上」 alone is flush right.
* **A heading**: a paragraph in 【】 whole (「【目的】」) is never the last line of a page.
* **A marked item**: a paragraph that opens with ○, ●, ◎, ・, a circled number ①–⑳ or
  ※ is an item with a hanging indent: its first line starts where a paragraph's 字下げ
  would (one em in), its continuation lines one em further (in the seed the first lines
  of ○ and ① items hold 37 characters and their continuation lines 36, on a 38-character
  line). A ※ note directly under an item (or under another such note) is one level
  deeper: its first line two ems in, continuation lines three. A paragraph wholly in
  （） right after an item continues it on a line of its own, where the item's
  continuation lines start (「①医療提供体制を取り巻く状況…　：厚生労働省」 then
  「（医療提供体制を取り巻く状況、地域医療構想の必要性）」 under its text). An item
  followed by a plain paragraph (the text under 「○内容案」) or by such a continuation
  is kept on that paragraph's page.
* Anything else is a body paragraph with its one-character 字下げ.
* **Blank lines**: one after each part of a letter's head (after the date, the
  addressees, the sender and the title) and one before a contact block.

The words are never changed: a writer places each paragraph as :func:`place` says and
prints its text as it is. The PDF, Word and HTML writers follow it (the HTML as CSS
classes named by :func:`css_classes`).

One rule concerns a form attachment (別添2): its title is printed once. The attachment's
title (「区域対応方針（様式例）」) stands in the form's title style, and the form's own
title (「区域対応方針」) is not printed again when the attachment's title starts with it
(:func:`builder.documents.form_title.shares_title`). The text rendering keeps both lines
(its words are the issued text), so ``notices verify`` drops the second when it compares
a PDF with it, and ``amend-from`` when it reads an edited .docx.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["ITEM_MARKS", "LETTER_HEAD", "Placed", "Role", "css_classes", "place"]

Role = Literal[
    "date",
    "addressee",
    "sender",
    "title",
    "body",
    "heading",
    "item",
    "continuation",
    "closing",
    "contact",
]

ITEM_MARKS: Final = "○●◎・" + "".join(chr(c) for c in range(0x2460, 0x2474))
"""Marks that open an item of a text attachment (※ opens a note, see the module)."""
NOTE_MARK: Final = "※"

_DATE: Final = re.compile(r"(明治|大正|昭和|平成|令和)(元|[0-9]+)年[0-9]+月[0-9]+日")
_CONTACT: Final = re.compile(r"[（【](照会先|担当者|担当|問い合わせ先|問合せ先|連絡先)[）】]")
_CLOSING: Final = frozenset({"（以上）", "以上"})
_HONORIFICS: Final = ("御中", "殿")
LETTER_HEAD: Final[tuple[Role, ...]] = ("date", "addressee", "sender", "title")
"""The roles of a letter's head, each part followed by a blank line."""


@dataclass(frozen=True)
class Placed:
    """One paragraph of a text attachment with its place on the page.

    ``level``: of an item, 0 for an item and 1 for a ※ note under one (first line
    ``level + 1`` ems in, continuation lines ``level + 2``); of a continuation, its
    item's (all its lines ``level + 2`` ems in). ``keep_with_next``: never the last line
    of a page (a heading; an item whose text follows in a plain paragraph or a
    continuation). ``blank_before``: a blank line stands before it (the first paragraph
    after a part of a letter's head, the first of a contact block).
    """

    text: str
    role: Role
    level: int = 0
    keep_with_next: bool = False
    blank_before: bool = False


def _is_item(text: str) -> bool:
    return bool(text) and (text[0] in ITEM_MARKS or text[0] == NOTE_MARK)


def _letter_head(paragraphs: Sequence[str]) -> list[Role]:
    """The roles of a letter's opening paragraphs (date, addressees, sender, title), or
    none when the attachment does not open with a date."""
    if not paragraphs or not _DATE.fullmatch(paragraphs[0]):
        return []
    roles: list[Role] = ["date"]
    index = 1
    while index < len(paragraphs) and paragraphs[index].endswith(_HONORIFICS):
        roles.append("addressee")
        index += 1
    if len(roles) == 1:
        return roles
    for role in ("sender", "title"):
        if index < len(paragraphs):
            roles.append(role)
            index += 1
    return roles


def place(paragraphs: Sequence[str]) -> list[Placed]:
    """Each of a text attachment's ``paragraphs`` with its role (see the module)."""
    roles: list[Role] = _letter_head(paragraphs)
    contact = False
    for text in paragraphs[len(roles) :]:
        if contact or _CONTACT.fullmatch(text):
            contact = True
            roles.append("contact")
        elif text in _CLOSING:
            roles.append("closing")
        elif text.startswith("【") and text.endswith("】"):
            roles.append("heading")
        elif _is_item(text):
            roles.append("item")
        elif text[:1] == "（" and text.endswith("）") and roles and roles[-1] == "item":
            roles.append("continuation")
        else:
            roles.append("body")
    out: list[Placed] = []
    for index, (text, role) in enumerate(zip(paragraphs, roles, strict=True)):
        following = roles[index + 1] if index + 1 < len(roles) else None
        level = 0
        if role == "item" and text[0] == NOTE_MARK and out and out[-1].role == "item":
            previous = out[-1]
            level = previous.level if previous.text[0] == NOTE_MARK else previous.level + 1
        elif role == "continuation":
            level = out[-1].level
        keep = role == "heading" or (role == "item" and following in ("body", "continuation"))
        before = roles[index - 1] if index else None
        blank = role != before and (before in LETTER_HEAD or role == "contact")
        out.append(Placed(text, role, level, keep, blank))
    return out


def css_classes(placed: Placed) -> str:
    """The HTML classes of a placed paragraph (the site's CSS lays them out): its role
    (``att-item``), its level (``att-level-1``) for an item or a continuation,
    ``att-keep`` when kept with the next and ``att-gap`` after a blank line; a body
    paragraph or a heading also ``para`` (the notice's 字下げ)."""
    classes = [f"att-{placed.role}"]
    if placed.role in ("body", "heading"):
        classes.insert(0, "para")
    if placed.role in ("item", "continuation"):
        classes.append(f"att-level-{placed.level}")
    if placed.keep_with_next:
        classes.append("att-keep")
    if placed.blank_before:
        classes.append("att-gap")
    return " ".join(classes)
