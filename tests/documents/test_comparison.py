"""The 新旧対照表 document (builder/documents/compose.py ``comparison``): its heading cites
the notice as the cover notice does (「件名」（date付けnumber）), with the sender and kind
MHLW adds and 「（抄）」 when units are left out; one block, no arrow line."""

from __future__ import annotations

import dataclasses
import datetime as dt

from builder.documents.compose import citation, comparison
from builder.engine.amend import Version
from builder.model.document import ComparisonBlock
from builder.sources.project import read_notice
from builder.sources.workspace import Workspace
from builder.sources.yamlsafe import parse_yaml
from tests.conftest import MINI_NOTICE


def test_a_notice_is_cited_by_date_number_sender_and_kind() -> None:
    notice = read_notice(parse_yaml(MINI_NOTICE, "notices/mini.yaml"))
    assert citation(notice) == (
        "「試験用の通知について」（令和6年4月1日付け医政発0401第1号厚生労働省医政局長通知）"
    )


def test_a_jimu_renraku_has_no_number(workspace: Workspace) -> None:
    notice = workspace.find_notice("地域医療計画課事務連絡2024-06-11")
    assert citation(notice) == (
        f"「{notice.title}」（令和6年6月11日付け厚生労働省医政局地域医療計画課事務連絡）"
    )


def _block(before: Version, after: Version, **options: bool) -> ComparisonBlock:
    document = comparison(before, after, "c", **options)
    (block,) = document.blocks  # the heading and note are the block's, no other line
    assert isinstance(block, ComparisonBlock)
    return block


def test_the_heading_cites_the_title_in_force_before_the_change() -> None:
    """A 件名 changed by the amendment is cited as it was (as the cover notice cites it),
    and with every unit shown there is no 「（抄）」."""
    notice = read_notice(parse_yaml(MINI_NOTICE, "notices/mini.yaml"))
    old = dataclasses.replace(notice, preamble=(), ki=(), contact=None, attachments=())
    new = dataclasses.replace(old, title="検証用の通知について")
    block = _block(Version(old, old.date, ()), Version(new, dt.date(2024, 5, 1), ()))
    assert block.heading == "○" + citation(old)
    assert block.note == "（傍線部分は改正部分）"
    assert (block.left_heading, block.right_heading) == ("改正後", "改正前")


def test_abridged_and_swapped(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    before, after = history.versions[2], history.versions[3]
    block = _block(before, after, after_on_left=False)
    assert block.heading.endswith("厚生労働省医政局長通知）（抄）")
    assert (block.left_heading, block.right_heading) == ("改正前", "改正後")
    normal = _block(before, after)
    assert [(r.right, r.left) for r in block.rows] == [(r.left, r.right) for r in normal.rows]
