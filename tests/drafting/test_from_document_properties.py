"""Property test of amend-from an edited document: random valid changes to the real notice
(``tests.engine.test_properties.amendment_changes``: text changes, rewrites, items and
paragraphs added and deleted, rows added, deleted and changed) make an edited version;
its consolidated .txt (and .docx) read back gives an amendment whose application is that
version exactly (amend-from checks it and refuses otherwise), every quote found once in
its unit (the engine refuses otherwise) and made of whole words (the engine's word
boundaries), and whose 改め文 the published-改め文 reader
(``amend-from --kaibun``) reads back into the same version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from builder.documents.compose import consolidated
from builder.drafting.from_document import amendment_from_document
from builder.drafting.from_kaibun import amendment_from_kaibun
from builder.drafting.pieces import text_pieces
from builder.drafting.read_docx_notice import docx_pieces
from builder.engine.address import RowAddress
from builder.engine.amend import History, QuotedChanges, Version, apply, resolve
from builder.engine.area_profile import row_tokens
from builder.engine.kaibun import kaibun_text
from builder.engine.units import segments
from builder.japanese.words import word_boundaries
from builder.model.notice import Amendment, Change, Item
from builder.sources.workspace import Workspace
from builder.writers.docx import render_docx
from builder.writers.text import render_text
from tests.conftest import ROOT
from tests.engine.test_properties import amendment_changes

WORKSPACE = Workspace(ROOT)
NOTICE = WORKSPACE.find_notice("医政発0731第1号")
HISTORY = History(NOTICE, ())
BASE = HISTORY.versions[0]
PROJECT = dataclasses.replace(
    WORKSPACE.project,
    amendments=tuple(a for a in WORKSPACE.project.amendments if a.notice != NOTICE.id),
)
NUMBER, DATE = "医政発0901第1号", dt.date(2024, 9, 1)
REFERENCE_TXT = text_pieces(
    render_text(consolidated(BASE, "consolidated", WORKSPACE.forms)), "(built)"
)


def edited_version(changes: list[Change]) -> Version:
    """The original with ``changes`` applied, under the original's history block (as
    the drafter's edited copy of the original's consolidated document reads)."""
    amendment = Amendment("医政発0801第1号", dt.date(2024, 8, 1), NOTICE.id, tuple(changes))
    notice = apply(NOTICE, resolve(NOTICE, amendment))
    return Version(notice, BASE.date, BASE.amendments)


def whole_words(texts: tuple[str, ...], quote: str, atoms: tuple[str, ...] = ()) -> bool:
    """Whether ``quote`` starts and ends on word boundaries (the analyser's, with its glue
    rules: ``builder.japanese.words``; ``atoms`` are words too, as an area table's row
    text gives its area names) of the one text of ``texts`` it is found in."""
    for text in texts:
        start = text.find(quote)
        if start >= 0:
            bounds = word_boundaries(text, atoms)
            return start in bounds and start + len(quote) in bounds
    return False


def readable(items: tuple[Item, ...]) -> bool:
    """Whether the text form tells each item's 見出し from its first paragraph: a first
    line followed by more text is a 見出し unless it ends with 「。」 (its documented
    limit: a 見出し ending in 「。」 reads back as a paragraph)."""
    for item in items:
        more = len(item.paragraphs) > 1 or bool(item.items)
        if item.title is not None and (
            item.title.endswith("。") or not (item.paragraphs or item.items)
        ):
            return False
        if item.title is None and more and not item.paragraphs[0].endswith("。"):
            return False
        if not readable(item.items):
            return False
    return True


def check(edited: Version, fmt: str) -> None:
    assume(readable(edited.notice.ki))
    document = consolidated(edited, "consolidated", WORKSPACE.forms)
    if fmt == "txt":
        pieces = text_pieces(render_text(document), "edited.txt")
    else:
        pieces = docx_pieces(render_docx(document), "edited.docx").pieces
    _, version, _ = amendment_from_document(
        PROJECT, HISTORY, pieces, REFERENCE_TXT, f"edited.{fmt}", NUMBER, DATE
    )
    assert version.notice == edited.notice
    for unit in version.changes:
        if isinstance(unit.body, QuotedChanges):
            texts = segments(NOTICE, unit.address)
            atoms = tuple(word for text in texts for word in row_tokens(text))
            area_row = isinstance(unit.address, RowAddress) and unit.address.attachment == "別添1"
            for change in unit.body.changes:
                assert whole_words(texts, change.old, atoms if area_row else ()), (
                    unit.address,
                    change,
                )
    published = kaibun_text(version.changes)
    _, read = amendment_from_kaibun(HISTORY, published, "kaibun.txt", NUMBER, DATE)
    assert read.notice == edited.notice


PROPERTIES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTIES
@given(st.data())
def test_random_edits_of_the_text_come_back_exactly(data: st.DataObject) -> None:
    changes = data.draw(amendment_changes(NOTICE))
    edited = edited_version(changes)
    if edited.notice != NOTICE:
        check(edited, "txt")


@settings(PROPERTIES, max_examples=10)
@given(st.data())
def test_random_edits_of_the_docx_come_back_exactly(data: st.DataObject) -> None:
    changes = data.draw(amendment_changes(NOTICE))
    edited = edited_version(changes)
    if edited.notice != NOTICE:
        check(edited, "docx")
