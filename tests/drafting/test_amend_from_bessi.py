"""amend-from an edited 別紙 (a text attachment; issue 17): words edited inside its title,
its paragraphs and its items' lines become quoted changes at the attachment
(「別紙中「Ａ」を「Ｂ」に改める」), the 改め文 a drafter writes by hand, from the .txt and
the .docx; and what no amendment can say is refused with the reason: a paragraph or item
added, deleted or renumbered in a 別紙, an attachment added or removed.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from builder.core.errors import NoticeError
from builder.documents.compose import consolidated
from builder.drafting.from_document import amendment_from_document
from builder.drafting.from_kaibun import amendment_from_kaibun
from builder.drafting.named_notice import notice_named
from builder.drafting.pieces import text_pieces
from builder.drafting.read_docx_notice import docx_pieces
from builder.engine.amend import History
from builder.model.notice import TextAttachment
from builder.sources.workspace import Workspace
from builder.writers.text import render_text
from tests.conftest import ROOT
from tests.drafting.test_from_document import (
    NEW_DATE,
    _saved,
    draft,
    hand_written,
    original,
    refusal_of,
    rendered,
    set_paragraph,
    txt_of,
)
from tests.engine.test_compare import WITH_BESSHI

JIMU = "地域医療計画課事務連絡2024-06-11"
NUMBER = "医政発0901第1号"

Edit = Callable[[str], str]


@pytest.fixture(scope="module")
def real() -> Workspace:
    return Workspace(ROOT)


def in_bessi(old: str, new: str) -> Edit:
    """An edit of the 別紙's page only (the 別添 before it repeats much of its text)."""

    def edit(text: str) -> str:
        page = text.index("\f（別紙）")
        assert text[page:].count(old) == 1, old
        return text[:page] + text[page:].replace(old, new)

    return edit


KINDS: dict[str, tuple[Edit, str]] = {
    "replace in a paragraph": (
        in_bessi("○開催方法：WEB等", "○開催方法：対面又はWEB"),
        "  - {at: 別紙, replace: WEB等, with: 対面又はWEB}\n",
    ),
    "insert in a paragraph": (
        in_bessi(
            "開催準備が整った都道府県から順次開催。", "開催準備が整った都道府県から順次、開催。"
        ),
        "  - {at: 別紙, after: 順次, insert: 、}\n",
    ),
    "insert with no anchor found once before it": (
        in_bessi("○開催時期", "○開催の時期"),
        "  - {at: 別紙, replace: 開催時期, with: 開催の時期}\n",
    ),
    "delete in a paragraph": (
        in_bessi("の取組、基金、税制優遇措置、制度活用", "の取組、基金、制度活用"),
        "  - {at: 別紙, delete: 税制優遇措置、}\n",
    ),
    "replace in the title": (
        in_bessi("医療機関向け勉強会実施概要", "医療機関向け勉強会開催概要"),
        "  - {at: 別紙, replace: 実施概要, with: 開催概要}\n",
    ),
    "changes in two paragraphs": (
        lambda t: in_bessi("【目的】", "【趣旨】")(in_bessi("から順次開催", "から随時開催")(t)),
        "  - {at: 別紙, replace: 目的, with: 趣旨}\n  - {at: 別紙, replace: 順次, with: 随時}\n",
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_edit_of_a_bessi_gives_the_hand_written_kaibun(real: Workspace, kind: str) -> None:
    edit, changes = KINDS[kind]
    history = original(real, JIMU)
    _, kaibun = draft(real, history, edit(txt_of(real, history)).encode("utf-8"), "txt")
    assert kaibun == hand_written(real, history, changes)
    _, read = amendment_from_kaibun(history, kaibun, "kaibun.txt", NUMBER, NEW_DATE)
    base = history.as_of(NEW_DATE).notice
    assert read.notice != base and read.notice.attachments[0] == base.attachments[0]
    assert txt_of(real, History(read.notice, ())) == edit(txt_of(real, history))


def test_a_bessi_edited_in_word(real: Workspace) -> None:
    """The same edits typed over the paragraphs of the .docx (runs as python-docx edits
    them; the 別添 page, which repeats the 別紙's words, left alone)."""
    history = original(real, JIMU)
    document = docx.Document(io.BytesIO(rendered(real, history.as_of(NEW_DATE), "docx")))
    page = next(i for i, p in enumerate(document.paragraphs) if p.text == "（別紙）")
    for paragraph in document.paragraphs[page:]:
        for old, new in (("WEB等", "対面又はWEB"), ("【目的】", "【趣旨】")):
            if old in paragraph.text:
                set_paragraph(paragraph, paragraph.text.replace(old, new))
    _, kaibun = draft(real, history, _saved(document), "docx")
    assert kaibun == hand_written(
        real,
        history,
        "  - {at: 別紙, replace: 目的, with: 趣旨}\n  - {at: 別紙, replace: WEB等, with: 対面又はWEB}\n",
    )


def test_an_item_of_a_bessi_edited(make_project: Callable[..., Path]) -> None:
    """A 別紙 with items: words in an item's 見出し, its paragraph and a sub-item's line,
    quoted at the 別紙 as the engine cites them."""
    workspace = Workspace(make_project(notice=WITH_BESSHI))
    history = History(workspace.find_notice("医政発0401第1号"), ())
    base = history.as_of(NEW_DATE)
    text = render_text(consolidated(base, "consolidated", workspace.forms))
    for old, new in (
        ("実施体制", "開催体制"),
        ("共催は地方銀行とする。", "共催は地方銀行等とする。"),
        ("開催方法はWEB等とする。", "開催方法は対面とする。"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    project = dataclasses.replace(workspace.project, amendments=())
    yaml_text, version, _ = amendment_from_document(
        project,
        history,
        text_pieces(text, "edited.txt"),
        text_pieces(render_text(consolidated(base, "c", workspace.forms)), "(built)"),
        "edited.txt",
        NUMBER,
        NEW_DATE,
    )
    assert "at: 別紙" in yaml_text and "rewrite" not in yaml_text
    bessi, was = version.notice.attachment("別紙"), base.notice.attachment("別紙")
    assert isinstance(bessi, TextAttachment) and isinstance(was, TextAttachment)
    assert (bessi.title, bessi.paragraphs) == (was.title, was.paragraphs)
    first, second = bessi.items
    assert first.title == "開催体制" and second.paragraphs == ("開催方法は対面とする。",)
    assert first.items[0].paragraphs == ("共催は地方銀行等とする。",)


# --------------------------------------------------------------------------- refusals


def _line_of(message: str, shown: str = "edited.txt") -> int:
    return int(message.split(f"{shown}:")[1].split(":")[0])


def test_a_paragraph_added_to_a_bessi_is_refused_at_it(real: Workspace) -> None:
    history = original(real, JIMU)
    text = in_bessi("　○開催時期\n", "　○開催時期\n　○開催場所\n")(txt_of(real, history))
    message = refusal_of(real, history, text.encode("utf-8"))
    assert "別紙の段落・項目の行の数が版と違います" in message
    assert "No amendment adds, deletes" in message and "edit only the words" in message
    assert text.split("\n")[_line_of(message) - 1] == "　○開催場所"


def test_a_paragraph_deleted_from_a_bessi_is_refused(real: Workspace) -> None:
    history = original(real, JIMU)
    text = in_bessi("　○開催時期\n", "")(txt_of(real, history))
    message = refusal_of(real, history, text.encode("utf-8"))
    assert "別紙の段落・項目の行の数が版と違います" in message and "edited.txt:" in message


def test_an_item_renumbered_in_a_bessi_is_refused(make_project: Callable[..., Path]) -> None:
    workspace = Workspace(make_project(notice=WITH_BESSHI))
    history = History(workspace.find_notice("医政発0401第1号"), ())
    base = history.as_of(NEW_DATE)
    built = render_text(consolidated(base, "c", workspace.forms))
    text = built.replace("2.　開催方法は", "3.　開催方法は")
    with pytest.raises(NoticeError) as caught:
        amendment_from_document(
            dataclasses.replace(workspace.project, amendments=()),
            history,
            text_pieces(text, "edited.txt"),
            text_pieces(built, "(built)"),
            "edited.txt",
            NUMBER,
            NEW_DATE,
        )
    message = str(caught.value)
    assert "項目の番号・見出し・段落の数が版と違います" in message and "renumbers" in message


def test_an_attachment_removed_or_added_is_refused_as_no_change_kind(real: Workspace) -> None:
    history = original(real, JIMU)
    text = txt_of(real, history)
    removed = text[: text.index("\f（別紙）")]
    message = refusal_of(real, history, removed.encode("utf-8"))
    assert "別紙がありません" in message and "no amendment removes an attachment" in message
    added = text + "\f（別紙2）\n\n　新しい添付\n"
    message = refusal_of(real, history, added.encode("utf-8"))
    assert "添付の追加・削除・改名" in message and "no amendment adds or removes" in message


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_the_notice_of_a_jimu_renraku_is_found_from_its_file(real: Workspace, fmt: str) -> None:
    """A 事務連絡 has no 文書番号: its .txt's history block reads 「事務連絡」 and its date,
    its .docx names it in a custom property."""
    history = original(real, JIMU)
    data = rendered(real, history.as_of(NEW_DATE), fmt)
    if fmt == "txt":
        named = notice_named(text_pieces(data.decode("utf-8"), "x.txt"), real.project.notices)
    else:
        read = docx_pieces(data, "x.docx")
        named = notice_named(read.pieces, real.project.notices, read.properties)
    assert named == JIMU
    other = txt_of(real, original(real, "医政発0731第1号"))
    assert notice_named(text_pieces(other, "y.txt"), real.project.notices) == "医政発0731第1号"
    undated = text_pieces("事務連絡\n令和6年6月12日\n", "z.txt")
    assert notice_named(undated, real.project.notices) == "事務連絡"


@pytest.mark.parametrize("suffix", ["txt", "docx"])
def test_the_command_line_finds_the_jimu_renraku_without_notice(
    real: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """``notices amend-from`` without ``--notice`` on an edited 事務連絡: the .txt names
    it by its history block's 「事務連絡」 and date, the .docx by its custom property."""
    from builder.cli.main import main

    history = original(real, JIMU)
    edited = tmp_path / f"edited.{suffix}"
    if suffix == "txt":
        text = in_bessi("○開催方法：WEB等", "○開催方法：対面又はWEB")(txt_of(real, history))
        edited.write_text(text, encoding="utf-8")
    else:
        document = docx.Document(io.BytesIO(rendered(real, history.as_of(NEW_DATE), "docx")))
        page = next(i for i, p in enumerate(document.paragraphs) if p.text == "（別紙）")
        paragraph = next(p for p in document.paragraphs[page:] if "WEB等" in p.text)
        set_paragraph(paragraph, paragraph.text.replace("WEB等", "対面又はWEB"))
        edited.write_bytes(_saved(document))
    command = ["--root", str(ROOT), "amend-from", str(edited), "--number", NUMBER]
    status = main([*command, "--date", NEW_DATE.isoformat(), "--dry-run"])
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "別紙中「WEB等」を「対面又はWEB」に改める。" in out.out
