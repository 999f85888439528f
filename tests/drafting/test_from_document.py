"""amend-from an edited consolidated document (issue 17, items 1, 2 and 5): the version in
force rendered as .txt or .docx, edited as a drafter would (text in an editor; runs with
python-docx; after a LibreOffice round trip; with Word's tracked changes), read back and
diffed into an amendment whose 改め文 is the one a drafter writes by hand (the golden
改め文 of the three real amendments; one test per change kind), checked by applying it;
and the refusals (another notice or version, a deleted 「記」, the history block, a form).
Edits of a 別紙: ``test_amend_from_bessi.py``.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from builder.cli.main import main
from builder.core.errors import NoticeError
from builder.documents.compose import consolidated, kaibun_document
from builder.drafting.from_document import amendment_from_document
from builder.drafting.pieces import Piece, text_pieces
from builder.drafting.read_docx_notice import docx_pieces
from builder.engine.amend import History, Version
from builder.engine.textform import INDENT, row_line
from builder.model.notice import Notice, Project
from builder.sources.workspace import Workspace
from builder.writers.docx import render_docx
from builder.writers.text import render_text
from tests.conftest import GOLDEN, ROOT

NOTICE = "医政発0731第1号"
GENERIC = "医政発0328第3号"
NEW_NUMBER, NEW_DATE = "医政発0901第1号", dt.date(2024, 9, 1)


@pytest.fixture(scope="module")
def real() -> Workspace:
    return Workspace(ROOT)


def _project(real: Workspace, history: History) -> Project:
    """The real project without the amendments of the notice that ``history`` leaves out."""
    dropped = set(real.history(history.notice).amendments) - set(history.amendments)
    return dataclasses.replace(
        real.project, amendments=tuple(a for a in real.project.amendments if a not in dropped)
    )


def rendered(real: Workspace, version: Version, fmt: str) -> bytes:
    document = consolidated(version, "consolidated", real.forms)
    if fmt == "txt":
        return render_text(document).encode("utf-8")
    return render_docx(document)


def pieces_of(data: bytes, fmt: str, shown: str) -> list[Piece]:
    if fmt == "txt":
        return text_pieces(data.decode("utf-8"), shown)
    return docx_pieces(data, shown).pieces


def draft(
    real: Workspace,
    history: History,
    edited: bytes,
    fmt: str,
    number: str = NEW_NUMBER,
    date: dt.date = NEW_DATE,
) -> tuple[str, str]:
    """The YAML and the 改め文 amend-from makes of the edited document."""
    base = history.as_of(date)
    reference = pieces_of(rendered(real, base, "txt"), "txt", "(built)")
    text, version, _ = amendment_from_document(
        _project(real, history),
        history,
        pieces_of(edited, fmt, f"edited.{fmt}"),
        reference,
        f"edited.{fmt}",
        number,
        date,
    )
    return text, render_text(kaibun_document(version, "kaibun"))


# --------------------------------------------------------------------------- editing


def edit_txt_row(text: str, label: str, old: str, new: str) -> str:
    """The text form of 別添1 with the row ``label`` reading ``new`` (as typed in an
    editor: the two column pairs are not realigned)."""
    pattern = re.compile(rf"(^|\u3000){re.escape(label)}( *\u3000){re.escape(old)}", re.M)
    assert pattern.search(text), label
    return pattern.sub(lambda m: f"{m.group(1)}{label}{m.group(2)}{new}", text, count=1)


def set_paragraph(paragraph: object, text: str) -> None:
    """Type ``text`` over a paragraph as python-docx edits runs: the first run takes the
    text, the others are emptied."""
    runs = paragraph.runs  # type: ignore[attr-defined]
    if not runs:
        paragraph.add_run(text)  # type: ignore[attr-defined]
        return
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def edit_docx_row(data: bytes, label: str, new: str) -> bytes:
    """別添1's cell beside ``label`` typed over with ``new`` (its extra lines removed)."""
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            for index in (0, 2):
                if index + 1 < len(cells) and cells[index].text.strip() == label:
                    cell = cells[index + 1]
                    set_paragraph(cell.paragraphs[0], new)
                    for extra in cell.paragraphs[1:]:
                        extra._element.getparent().remove(extra._element)
                    return _saved(document)
    raise AssertionError(f"no row {label}")


def _saved(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def tracked_row(data: bytes, label: str, new: str) -> bytes:
    """The cell beside ``label`` changed with Word's tracked changes: its old runs inside
    ``w:del`` (as ``w:delText``), the new text inside ``w:ins``."""
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            for index in (0, 2):
                if index + 1 < len(cells) and cells[index].text.strip() == label:
                    paragraph = cells[index + 1].paragraphs[0]._element
                    runs = paragraph.findall(qn("w:r"))
                    deleted = paragraph.makeelement(
                        qn("w:del"), {qn("w:id"): "1", qn("w:author"): "drafter"}
                    )
                    for run in runs:
                        for t in run.findall(qn("w:t")):
                            t.tag = qn("w:delText")
                        paragraph.remove(run)
                        deleted.append(run)
                    inserted = paragraph.makeelement(
                        qn("w:ins"), {qn("w:id"): "2", qn("w:author"): "drafter"}
                    )
                    run = copy.deepcopy(runs[0])
                    for t in run.findall(qn("w:delText")):
                        t.tag = qn("w:t")
                        t.text = new
                    inserted.append(run)
                    paragraph.append(deleted)
                    paragraph.append(inserted)
                    return _saved(document)
    raise AssertionError(f"no row {label}")


def libreoffice_round_trip(data: bytes, folder: Path) -> bytes:
    """``data`` opened and saved by LibreOffice (soffice --headless --convert-to docx)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = folder / "in" / "edited.docx"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(data)
    out = folder / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out / "edited.docx").read_bytes()


# --------------------------------------------------------------------------- the three real amendments


def _real_case(real: Workspace, index: int) -> tuple[History, Version, Version, str]:
    notice = real.find_notice(NOTICE)
    full = real.history(notice)
    amendment = full.amendments[index]
    history = History(notice, full.amendments[:index])
    after = full.version_of(amendment.number)
    golden = (GOLDEN / f"kaibun-{amendment.date.isoformat()}.txt").read_text(encoding="utf-8")
    return history, history.versions[-1], after, golden


def _areas(row: object) -> str:
    """An area row's printed areas (what the text form shows beside its label)."""
    return row_line(row).partition(INDENT)[2]  # type: ignore[arg-type]


def _changed_rows(before: Notice, after: Notice) -> list[tuple[str, str, str]]:
    old, new = before.attachment("別添1"), after.attachment("別添1")
    return [
        (a.label, _areas(a), _areas(b))
        for a, b in zip(old.rows, new.rows, strict=True)  # type: ignore[union-attr]
        if a != b
    ]


@pytest.mark.parametrize("index", [0, 1, 2])
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_the_real_amendments_come_back_from_an_edited_document(
    real: Workspace, index: int, fmt: str
) -> None:
    history, before, after, golden = _real_case(real, index)
    amendment = after.amendment
    assert amendment is not None
    data = rendered(real, before, fmt)
    for label, old, new in _changed_rows(before.notice, after.notice):
        if fmt == "txt":
            data = edit_txt_row(data.decode("utf-8"), label, old, new).encode("utf-8")
        else:
            data = edit_docx_row(data, label, new)
    _, kaibun = draft(real, history, data, fmt, amendment.number, amendment.date)
    assert kaibun == golden


def test_a_docx_saved_by_libreoffice_reads_the_same(real: Workspace, tmp_path: Path) -> None:
    history, before, after, golden = _real_case(real, 2)
    amendment = after.amendment
    assert amendment is not None
    data = edit_docx_row(rendered(real, before, "docx"), "兵庫県", "東播磨")
    saved = libreoffice_round_trip(data, tmp_path)
    assert saved != data
    _, kaibun = draft(real, history, saved, "docx", amendment.number, amendment.date)
    assert kaibun == golden


def test_tracked_changes_count_as_accepted(real: Workspace) -> None:
    history, before, after, golden = _real_case(real, 0)
    amendment = after.amendment
    assert amendment is not None
    data = tracked_row(rendered(real, before, "docx"), "北海道", "中空知（●）")
    assert b"w:delText" in _document_xml(data) and b"<w:ins " in _document_xml(data)
    _, kaibun = draft(real, history, data, "docx", amendment.number, amendment.date)
    assert kaibun == golden


def _document_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


# --------------------------------------------------------------------------- one test per change kind


def hand_written(real: Workspace, history: History, changes: str) -> str:
    """The 改め文 of an amendment whose ``changes:`` a drafter wrote by hand."""
    from builder.engine.amend import resolve
    from builder.engine.kaibun import kaibun_text
    from builder.sources.project import read_amendment
    from builder.sources.yamlsafe import parse_yaml

    text = (
        f"number: {NEW_NUMBER}\ndate: {NEW_DATE.isoformat()}\nnotice: {history.notice.id}\n"
        f"provenance: by hand\nchanges:\n{changes}"
    )
    amendment = read_amendment(parse_yaml(text, "(hand)"))
    return kaibun_text(resolve(history.as_of(NEW_DATE).notice, amendment))


def original(real: Workspace, notice_id: str = NOTICE) -> History:
    return History(real.find_notice(notice_id), ())


def txt_of(real: Workspace, history: History) -> str:
    return rendered(real, history.as_of(NEW_DATE), "txt").decode("utf-8")


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


KINDS: dict[str, tuple[Callable[[str], str], str]] = {
    "件名": (
        lambda t: replaced(t, "モデル推進区域の設定等について\n", "モデル推進区域の設定について\n"),
        "  - {at: 件名, replace: 設定等, with: 設定}\n",
    ),
    "前文": (
        lambda t: replaced(t, "下記のとおり整理したので", "下記のとおり整理したため"),
        "  - {at: 前文, replace: したので, with: したため}\n",
    ),
    "item text": (
        lambda t: replaced(t, "随時、調査を実施した上で", "四半期ごとに、調査を実施した上で"),
        "  - {at: 記の2, replace: 随時, with: 四半期ごとに}\n",
    ),
    "見出し": (
        lambda t: replaced(t, "(1)　技術的支援\n", "(1)　技術的援助\n"),
        "  - {at: 記の3の(1)の見出し, replace: 支援, with: 援助}\n",
    ),
    "paragraph text": (
        lambda t: replaced(t, "一定の進捗が認められる", "相当の進捗が認められる"),
        "  - {at: 記の1の(1), replace: 一定, with: 相当}\n",
    ),
    "item added (renumbering)": (
        lambda t: replaced(
            replaced(
                t, "　(3)　モデル推進区域の設定について", "　(4)　モデル推進区域の設定について"
            ),
            "　(2)　推進区域の設定について",
            "　(2)　試行区域について\n　　試行区域は別に定める。\n　(3)　推進区域の設定について",
        ),
        "  - at: 記の1\n    after: (1)\n    add_items:\n"
        "      - {label: (2), title: 試行区域について, text: 試行区域は別に定める。}\n",
    ),
    "item added last": (
        lambda t: replaced(
            t,
            "\n\n                                                【担当者】",
            "\n4.　その他\n　その他の事項は別に通知する。\n\n"
            "                                                【担当者】",
        ),
        "  - {at: 記, after: '3', add_items: [{label: '4.', text: その他の事項は別に通知する。, title: その他}]}\n",
    ),
    "item added first": (
        lambda t: re.sub(
            r"\n1\.　(.*)\n",
            lambda m: "\n1.　趣旨\n　本通知の趣旨を示す。\n2.　" + m.group(1) + "\n",
            t.replace("\n2.　推進区域における取組", "\n3.　推進区域における取組").replace(
                "\n3.　モデル推進区域における", "\n4.　モデル推進区域における"
            ),
            count=1,
        ),
        "  - {at: 記, first: true, add_items: [{label: '1.', title: 趣旨, text: 本通知の趣旨を示す。}]}\n",
    ),
    "item deleted (renumbering)": (
        lambda t: replaced(
            replaced(
                replaced(
                    t,
                    "　　②データの特性だけでは説明できない機能別病床数の必要量との差異が特に生じていること\n",
                    "",
                ),
                "　　③令和5年9月末",
                "　　②令和5年9月末",
            ),
            "　　④その他医療提供体制上の課題",
            "　　③その他医療提供体制上の課題",
        ),
        "  - {at: 記の1の(2)の②, delete_item: true}\n",
    ),
    "last item deleted": (
        lambda t: replaced(
            t,
            "　　④その他医療提供体制上の課題があって重点的な支援の必要性があると考えられること\n",
            "",
        ),
        "  - {at: 記の1の(2)の④, delete_item: true}\n",
    ),
    "paragraph added": (
        lambda t: replaced(
            t,
            "　医療機関においては、都道府県が2024年度中に",
            "　区域対応方針は公表する。\n　医療機関においては、都道府県が2024年度中に",
        ),
        "  - {at: 記の2の第1段落, add_paragraphs: [区域対応方針は公表する。]}\n",
    ),
    "paragraph deleted": (
        lambda t: re.sub(r"\n　また、厚生労働省においては、推進区域における[^\n]*", "", t),
        "  - {at: 記の2の第3段落, delete_paragraph: true}\n",
    ),
    "担当者": (
        lambda t: replaced(t, "（内線2663）", "（内線2664）"),
        "  - {at: 担当者, replace: '2663', with: '2664'}\n",
    ),
    "row deleted": (
        lambda t: re.sub(r"青森県  　青森", "", t),
        "  - {at: 別添1 青森県の項, delete_row: true}\n",
    ),
    "row text": (
        lambda t: edit_txt_row(
            t, "群馬県", "伊勢崎（●）、藤岡（●）", "伊勢崎（●）、藤岡（●）、前橋"
        ),
        "  - {at: 別添1 群馬県の項, add_area: 前橋, after: 藤岡}\n",
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_change_kind_gives_the_hand_written_kaibun(real: Workspace, kind: str) -> None:
    edit, changes = KINDS[kind]
    history = original(real)
    _, kaibun = draft(real, history, edit(txt_of(real, history)).encode("utf-8"), "txt")
    assert kaibun == hand_written(real, history, changes)


TABLE_KINDS: dict[str, tuple[Callable[[str], str], str]] = {
    "cell text": (
        lambda t: replaced(t, "●区域対応方針の推進\n", "●区域対応方針の推進及び評価\n"),
        "  - {at: 別添3 都道府県の項, after: 区域対応方針の推進, insert: 及び評価}\n",
    ),
    "row added": (
        lambda t: replaced(
            t,
            "\n医療機関\n",
            "\n市町村\n　【2023年度（令和5年度）】●調整会議への参加\n"
            "　【2024年度（令和6年度）】●区域対応方針の策定への協力\n"
            "　　・住民への説明\n　【2025年度（令和7年度）】\n医療機関\n",
        ),
        "  - at: 別添3\n    add_row_after: 都道府県\n    rows:\n"
        "      - label: 市町村\n        cells: [●調整会議への参加, [●区域対応方針の策定への協力, ・住民への説明], []]\n",
    ),
    "row added first": (
        lambda t: replaced(
            t,
            "］\n国\n",
            "］\n全体\n　【2023年度（令和5年度）】●周知\n　【2024年度（令和6年度）】\n"
            "　【2025年度（令和7年度）】●評価\n国\n",
        ),
        "  - at: 別添3\n    add_row_before: 国\n    rows:\n"
        "      - {label: 全体, cells: [●周知, [], ●評価]}\n",
    ),
    "row deleted": (
        lambda t: re.sub(r"\n医療機関\n(　[^\n]*\n)*", "\n", t),
        "  - {at: 別添3 医療機関の項, delete_row: true}\n",
    ),
}


@pytest.mark.parametrize("kind", list(TABLE_KINDS))
def test_each_table_change_gives_the_hand_written_kaibun(real: Workspace, kind: str) -> None:
    edit, changes = TABLE_KINDS[kind]
    history = original(real, GENERIC)
    _, kaibun = draft(real, history, edit(txt_of(real, history)).encode("utf-8"), "txt")
    assert kaibun == hand_written(real, history, changes)


def test_several_changes_at_once_each_cited_once(real: Workspace) -> None:
    """A 見出し, the text of the item that holds it, a ・ item added (its item
    rewritten) and an item added elsewhere: one sentence per part, no part cited twice."""
    history = original(real)
    text = txt_of(real, history)
    text = replaced(text, "(1)　技術的支援\n", "(1)　技術的援助\n")
    text = replaced(text, "次の(1)及び(2)の支援を想定", "次の(1)及び(2)の援助を想定")
    text = replaced(
        text, "　　・関係者の協議の場の設定\n", "　　・関係者の協議の場の設定\n　　・研修会の開催\n"
    )
    text = replaced(
        text,
        "\n\n                                                【担当者】",
        "\n4.　その他\n　その他の事項は別に通知する。\n\n                                                【担当者】",
    )
    yaml_text, kaibun = draft(real, history, text.encode("utf-8"), "txt")
    assert kaibun.splitlines()[0] == "記の3の第1段落中「支援を想定」を「援助を想定」に改める。"
    assert "記の3の(1)を次のように改める。" in kaibun
    assert "　　・研修会の開催" in kaibun
    assert "記の3の次に次のように加える。" in kaibun
    assert yaml_text.count("at: 記の3の(1)\n") == 1


def _docx_paragraph(document: object, startswith: str) -> object:
    found = [p for p in document.paragraphs if p.text.startswith(startswith)]  # type: ignore[attr-defined]
    assert len(found) == 1, startswith
    return found[0]


def test_a_docx_edited_in_its_paragraphs(real: Workspace) -> None:
    """件名 and 担当者 typed over, an item inserted before (2) with the labels after it
    renumbered by hand, as a drafter does in Word (python-docx editing runs)."""
    history = original(real)
    document = docx.Document(io.BytesIO(rendered(real, history.as_of(NEW_DATE), "docx")))
    title = _docx_paragraph(document, "地域医療構想における推進区域")
    set_paragraph(title, title.text.replace("設定等", "設定"))  # type: ignore[attr-defined]
    contact = _docx_paragraph(document, "03-5253-1111")
    set_paragraph(contact, "03-5253-1111（内線2664）")
    set_paragraph(
        _docx_paragraph(document, "(3)　モデル推進区域"), "(4)　モデル推進区域の設定について"
    )
    second = _docx_paragraph(document, "(2)　推進区域の設定について")
    set_paragraph(second, "(3)　推進区域の設定について")
    added = second.insert_paragraph_before("(2)　試行区域について")  # type: ignore[attr-defined]
    second.insert_paragraph_before("試行区域は別に定める。", style="Notice Item Text 2")  # type: ignore[attr-defined]
    assert added.style.name == "Normal"  # its label, not its style, makes it an item
    _, kaibun = draft(real, history, _saved(document), "docx")
    assert kaibun == hand_written(
        real,
        history,
        "  - {at: 件名, replace: 設定等, with: 設定}\n"
        + KINDS["item added (renumbering)"][1]
        + "  - {at: 担当者, replace: '2663', with: '2664'}\n",
    )


# --------------------------------------------------------------------------- refusals


def refusal_of(real: Workspace, history: History, data: bytes, fmt: str = "txt") -> str:
    with pytest.raises(NoticeError) as caught:
        draft(real, history, data, fmt)
    return str(caught.value)


def test_a_file_of_another_notice_is_refused(real: Workspace) -> None:
    other = txt_of(real, original(real, GENERIC)).encode("utf-8")
    message = refusal_of(real, original(real), other)
    assert "edited.txt:1:" in message and GENERIC in message and "not 医政発0731第1号" in message


def test_a_file_of_another_version_is_refused(real: Workspace) -> None:
    history = real.history(real.find_notice(NOTICE))
    data = rendered(real, history.versions[1], "txt")
    message = refusal_of(real, history, data)
    assert "edited.txt:1:" in message
    assert "令和6年10月10日一部改正" in message and "原文" in message


def test_an_edited_history_block_is_refused(real: Workspace) -> None:
    history = original(real)
    text = replaced(txt_of(real, history), "令和6年7月31日\n", "令和6年7月30日\n")
    message = refusal_of(real, history, text.encode("utf-8"))
    assert "edited.txt:2:" in message and "history block" in message


def test_a_deleted_ki_is_refused(real: Workspace) -> None:
    history = original(real)
    text = re.sub(r"\n +記\n", "\n", txt_of(real, history))
    message = refusal_of(real, history, text.encode("utf-8"))
    assert "「記」" in message and "keep it" in message


def test_a_form_edited_in_the_notice_is_refused(real: Workspace) -> None:
    history = original(real)
    text = replaced(txt_of(real, history), "【4.工程表】", "【4.工程】")
    message = refusal_of(real, history, text.encode("utf-8"))
    assert "別添2" in message and "forms/" in message
    line = int(message.split("edited.txt:")[1].split(":")[0])
    assert text.split("\n")[line - 1].startswith("【4.工程】※")


def test_a_docx_table_merged_away_is_refused(real: Workspace) -> None:
    history = original(real)
    document = docx.Document(io.BytesIO(rendered(real, history.as_of(NEW_DATE), "docx")))
    area = next(t for t in document.tables if t.rows[0].cells[0].text == "都道府県")
    area._element.getparent().remove(area._element)
    message = refusal_of(real, history, _saved(document), "docx")
    assert "別添1" in message and "table" in message


def test_labels_left_unrenumbered_are_named_at_their_line(real: Workspace) -> None:
    history = original(real)
    text = replaced(
        txt_of(real, history),
        "　(2)　推進区域の設定について",
        "　(2)　試行区域について\n　　試行区域は別に定める。\n　(2)　推進区域の設定について",
    )
    with pytest.raises(NoticeError) as caught:
        draft(real, history, text.encode("utf-8"), "txt")
    message = str(caught.value)
    line = int(message.split("edited.txt:")[1].split(":")[0])
    assert text.split("\n")[line - 1] == "　(2)　推進区域の設定について"
    assert "記の1の(2)" in message and "renumbered" in message


def test_an_unchanged_document_is_refused(real: Workspace) -> None:
    history = original(real)
    message = refusal_of(real, history, txt_of(real, history).encode("utf-8"))
    assert "nothing to amend" in message


# --------------------------------------------------------------------------- the command


def test_the_command_prints_and_writes_the_amendment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real: Workspace
) -> None:
    for folder in ("notices", "forms"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "amendments").mkdir()
    history = original(real)
    edited = tmp_path / "edited.txt"
    edited.write_text(KINDS["item added (renumbering)"][0](txt_of(real, history)), encoding="utf-8")
    args = ["--root", str(tmp_path), "amend-from", str(edited), "--number", NEW_NUMBER]
    args += ["--date", NEW_DATE.isoformat()]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("記の1中(3)を(4)とし、(2)を(3)とし、(1)の次に次のように加える。\n")
    assert "（傍線部分は改正部分）" in out and "add_items:" in out  # the 新旧対照表, the YAML
    assert not list((tmp_path / "amendments").iterdir())
    assert main(args) == 0
    written = list((tmp_path / "amendments").iterdir())
    assert len(written) == 1 and "add_items" in written[0].read_text(encoding="utf-8")
    assert main(["--root", str(tmp_path), "check"]) == 0


def test_the_command_refuses_a_docx_of_another_notice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real: Workspace
) -> None:
    edited = tmp_path / "edited.docx"
    edited.write_bytes(rendered(real, original(real, GENERIC).as_of(NEW_DATE), "docx"))
    code = main(
        [
            "--root",
            str(ROOT),
            "amend-from",
            str(edited),
            "--notice",
            NOTICE,
            "--number",
            "医政発1201第1号",
            "--date",
            "2025-12-01",
            "--dry-run",
        ]
    )
    assert code != 0
    assert f"the file is of {GENERIC}" in capsys.readouterr().err


def test_the_docx_names_its_notice_and_version_in_its_custom_properties(real: Workspace) -> None:
    history = real.history(real.find_notice(NOTICE))
    for version in history.versions:
        read = docx_pieces(rendered(real, version, "docx"), "x.docx")
        assert read.properties == {"notice": NOTICE, "version": version.date.isoformat()}


def test_the_custom_properties_survive_libreoffice(tmp_path: Path, real: Workspace) -> None:
    history = real.history(real.find_notice(NOTICE))
    saved = libreoffice_round_trip(rendered(real, history.versions[2], "docx"), tmp_path)
    read = docx_pieces(saved, "saved.docx")
    assert read.properties == {"notice": NOTICE, "version": history.versions[2].date.isoformat()}


def test_the_command_refuses_a_docx_of_another_version_by_its_properties(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real: Workspace
) -> None:
    history = real.history(real.find_notice(NOTICE))
    edited = tmp_path / "edited.docx"
    edited.write_bytes(rendered(real, history.versions[2], "docx"))
    args = ["--root", str(ROOT), "amend-from", str(edited), "--number", "医政発1201第1号"]
    code = main([*args, "--date", "2025-12-01", "--dry-run"])
    assert code != 0
    err = capsys.readouterr().err
    assert f"the file is the version of {history.versions[2].date.isoformat()}" in err
    assert history.versions[-1].date.isoformat() in err


def fill_cell(cell: object, texts: list[str]) -> None:
    """A table cell typed over: one paragraph per line (one empty paragraph when none)."""
    paragraphs = cell.paragraphs  # type: ignore[attr-defined]
    set_paragraph(paragraphs[0], texts[0] if texts else "")
    for extra in paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for text in texts[1:]:
        cell.add_paragraph(text, style=paragraphs[0].style)  # type: ignore[attr-defined]


def _generic_docx_edited(real: Workspace, history: History) -> bytes:
    """別添3 of the 0328 notice edited in Word: a cell line typed over, a row copied and
    filled in as 市町村 (a line per paragraph), the row 医療機関 deleted."""
    document = docx.Document(io.BytesIO(rendered(real, history.as_of(NEW_DATE), "docx")))
    table = next(t for t in document.tables if t.rows[1].cells[0].text == "国")
    rows = {row.cells[0].text: row for row in table.rows}
    cell = rows["都道府県"].cells[3]
    set_paragraph(cell.paragraphs[0], "●区域対応方針の推進及び評価")
    copied = copy.deepcopy(rows["都道府県"]._tr)
    rows["都道府県"]._tr.addnext(copied)
    new = next(row for row in table.rows if row._tr is copied)
    contents = [
        ["市町村"],
        ["●調整会議への参加"],
        ["●区域対応方針の策定への協力", "・住民への説明"],
        [],
    ]
    for cell, texts in zip(new.cells, contents, strict=True):
        fill_cell(cell, texts)
    rows["医療機関"]._tr.getparent().remove(rows["医療機関"]._tr)
    return _saved(document)


GENERIC_BY_HAND = (
    TABLE_KINDS["cell text"][1] + TABLE_KINDS["row added"][1] + TABLE_KINDS["row deleted"][1]
)


def test_a_generic_table_edited_in_word(real: Workspace) -> None:
    history = original(real, GENERIC)
    _, kaibun = draft(real, history, _generic_docx_edited(real, history), "docx")
    assert kaibun == hand_written(real, history, GENERIC_BY_HAND)


def test_a_generic_table_edited_in_word_then_saved_by_libreoffice(
    real: Workspace, tmp_path: Path
) -> None:
    history = original(real, GENERIC)
    saved = libreoffice_round_trip(_generic_docx_edited(real, history), tmp_path)
    _, kaibun = draft(real, history, saved, "docx")
    assert kaibun == hand_written(real, history, GENERIC_BY_HAND)


def test_a_form_edited_in_the_docx_is_refused_at_its_paragraph(real: Workspace) -> None:
    history = original(real)
    data = rendered(real, history.as_of(NEW_DATE), "docx")
    document = docx.Document(io.BytesIO(data))
    heading = _docx_paragraph(document, "【4.工程表】")
    set_paragraph(heading, "【4.工程】※年度ごとの取組内容を記載")
    message = refusal_of(real, history, _saved(document), "docx")
    assert "forms/" in message
    number = int(message.split("edited.docx:")[1].split(":")[0])
    body = list(document.element.body.iterchildren())
    assert body[number - 1] is heading._element  # type: ignore[attr-defined]


JIMU = "地域医療計画課事務連絡2024-06-11"


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_a_jimu_renraku_with_its_contact_and_attachments(real: Workspace, fmt: str) -> None:
    """The 事務連絡: no 記, its contact block is （照会先）, its 別添 and 別紙 pages are
    kept as built."""
    history = original(real, JIMU)
    data = rendered(real, history.as_of(NEW_DATE), fmt)
    if fmt == "txt":
        text = replaced(data.decode("utf-8"), "適宜確認させていただく", "随時確認させていただく")
        edited = text.replace("担当：倉賀野、佐藤、千田", "担当：倉賀野、佐藤", 1).encode("utf-8")
    else:
        document = docx.Document(io.BytesIO(data))
        paragraph = _docx_paragraph(document, "なお、開催状況については")
        set_paragraph(paragraph, paragraph.text.replace("適宜", "随時"))  # type: ignore[attr-defined]
        contact = next(p for p in document.paragraphs if p.text == "担当：倉賀野、佐藤、千田")
        set_paragraph(contact, "担当：倉賀野、佐藤")
        edited = _saved(document)
    _, kaibun = draft(real, history, edited, fmt)
    assert kaibun == hand_written(
        real,
        history,
        "  - {at: 前文, replace: 適宜, with: 随時}\n  - {at: 照会先, delete: 、千田}\n",
    )


def test_labels_typed_full_width_are_labels(real: Workspace) -> None:
    """「（２）」 and 「（３）」 as a Japanese input method types them are the labels (2), (3)."""
    edit, changes = KINDS["item added (renumbering)"]
    history = original(real)
    text = edit(txt_of(real, history))
    text = replaced(text, "　(2)　試行区域について", "　（２）　試行区域について")
    text = replaced(text, "　(3)　推進区域の設定について", "　（３）推進区域の設定について")
    _, kaibun = draft(real, history, text.encode("utf-8"), "txt")
    assert kaibun == hand_written(real, history, changes)


def test_a_docx_of_another_version_is_refused_by_its_history_block(real: Workspace) -> None:
    history = real.history(real.find_notice(NOTICE))
    data = rendered(real, history.versions[2], "docx")
    message = refusal_of(real, history, data, "docx")
    assert "edited.docx:1:" in message and "令和7年1月20日一部改正" in message


def test_paragraphs_in_a_content_control_are_read_in_place(real: Workspace) -> None:
    """Word may wrap paragraphs in a content control (w:sdt); they are read where they are."""
    changes = KINDS["paragraph text"][1]
    history = original(real)
    document = docx.Document(io.BytesIO(rendered(real, history.as_of(NEW_DATE), "docx")))
    paragraph = _docx_paragraph(document, "地域医療構想については、構想区域単位で")
    set_paragraph(paragraph, paragraph.text.replace("一定の進捗", "相当の進捗"))  # type: ignore[attr-defined]
    element = paragraph._element  # type: ignore[attr-defined]
    sdt = element.makeelement(qn("w:sdt"), {})
    content = element.makeelement(qn("w:sdtContent"), {})
    element.addprevious(sdt)
    sdt.append(content)
    content.append(element)
    _, kaibun = draft(real, history, _saved(document), "docx")
    assert kaibun == hand_written(real, history, changes)
