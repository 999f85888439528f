"""`notices ingest` safely: every file gets a line and a record or a refusal whatever
happens to the others; what a file holds never reaches the terminal raw; nothing but a
regular file is read; a killed ingest leaves no parse behind; the summary and the
records are never written through a symlink; active content, pages drawn over,
prefilled values changed and values too long for a cell are caught.

Every FIFO, socket and symlink is made inside tmp_path; no test reads a system path."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

import builder.forms.returns.ingest as ingest_module
from builder.cli.main import main
from builder.forms.returns.guard import MAX_FILE_BYTES
from builder.forms.returns.ingest import Return, printable, read_return, read_returns
from builder.forms.returns.summary import render_summary_xlsx
from tests.conftest import ROOT
from tests.forms.test_forms_common import (
    FILLERS,
    GUNMA,
    HYOGO,
    KUIKI,
    SURVEY,
    WRITERS,
    form,
    forms,
    full_filling,
)

_FRESH = "Ask the prefecture to fill in a fresh copy of the form"


def _filled(
    path: Path, form_id: str, values: dict[str, str], prefill: dict[str, str] | None = None
) -> Path:
    suffix = path.suffix.lstrip(".")
    path.write_bytes(WRITERS[suffix](form(form_id), prefill or {}))
    typed = {k: v for k, v in values.items() if k not in (prefill or {}) and v}
    FILLERS[suffix](path, form(form_id), typed)
    return path


def _ingest(tmp_path: Path, *args: str) -> int:
    return main(["--root", str(ROOT), "ingest", *args])


# --------------------------------------------------------------------------- case 4


def test_control_characters_are_a_problem_and_left_out_of_the_summary(tmp_path: Path) -> None:
    """Before: the return was ok and the summary raised openpyxl's IllegalCharacterError."""
    values = {**GUNMA, "model_area": "藤岡\x01構想\x0b区域"}
    result = read_return(_filled(tmp_path / "survey.pdf", SURVEY, values), forms())
    assert result.status == "problems"
    assert result.problems == (
        "検討されているモデル推進区域（仮称） (model_area): holds control characters "
        "(U+0001, U+000B), which no one types; the summary shows the value without them, "
        "the record keeps it as read",
    )
    assert result.values["model_area"] == "藤岡\x01構想\x0b区域"  # the record keeps it
    summary = tmp_path / "summary.xlsx"
    summary.write_bytes(render_summary_xlsx([result]))
    sheet = openpyxl.load_workbook(summary).worksheets[1]
    heads = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, heads.index("検討されているモデル推進区域（仮称）") + 1).value == (
        "藤岡構想区域"
    )


def test_escape_sequences_never_reach_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = {**GUNMA, "model_area": "\x1b]0;owned\x07藤岡"}
    path = _filled(tmp_path / "x\x1b[2Jy\u202e.pdf", SURVEY, values)
    records = tmp_path / "records"
    assert _ingest(tmp_path, str(path), "--records", str(records)) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    (record,) = records.iterdir()
    shown = f"{tmp_path}/x\\x1b[2Jy\\u202e.pdf"
    assert out.splitlines()[:2] == [
        f"problems  {shown}: suishin-kuiki-chosa 2024-05 pdf 群馬県 藤岡構想区域 → {record}",
        "          - 検討されているモデル推進区域（仮称） (model_area): holds control characters "
        "(U+0007, U+001B), which no one types; the summary shows the value without them, "
        "the record keeps it as read",
    ]
    assert record.name == "群馬県_suishin-kuiki-chosa_x_[2Jy_.pdf.json"
    assert printable("a\x1bb\nc\x9b\u2066") == "a\\x1bb\\x0ac\\x9b\\u2066"


def test_a_long_kanji_file_name_gets_a_shortened_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: ENAMETOOLONG (75 kanji are 225 bytes) stopped ingest at that file."""
    long = _filled(tmp_path / ("区域対応方針" * 12 + "東播磨.xlsx"), SURVEY, GUNMA)
    after = _filled(tmp_path / "after.xlsx", SURVEY, GUNMA)
    assert len(long.name) == 80 and len(long.name.encode()) == 230
    records = tmp_path / "records"
    assert _ingest(tmp_path, str(long), str(after), "--records", str(records)) == 0
    whole = f"群馬県_suishin-kuiki-chosa_{long.name}"
    tag = hashlib.sha256(whole.encode()).hexdigest()[:12]
    kept = whole.encode()[: 200 - 13].decode("utf-8", "ignore")
    expected = f"{kept}~{tag}.json"
    assert len(expected.encode()) <= 255
    assert sorted(p.name for p in records.iterdir()) == sorted(
        [expected, "群馬県_suishin-kuiki-chosa_after.xlsx.json"]
    )
    out = capsys.readouterr().out
    assert (
        f"ok        {long}: suishin-kuiki-chosa 2024-05 xlsx 群馬県 藤岡構想区域 → {records / expected}"
        in out
    )
    assert "2 files: 2 ok, 0 with problems, 0 refused" in out


def test_a_record_that_cannot_be_written_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _filled(tmp_path / "first.xlsx", SURVEY, GUNMA)
    second = _filled(tmp_path / "second.xlsx", SURVEY, GUNMA)
    real = ingest_module.write_record

    def failing(result: Return, folder: Path, record_format: str = "json") -> Path:
        if result.path == first:
            raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG))
        return real(result, folder, record_format)

    monkeypatch.setattr(ingest_module, "write_record", failing)
    records = tmp_path / "records"
    assert _ingest(tmp_path, str(first), str(second), "--records", str(records)) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"ok        {first}: suishin-kuiki-chosa 2024-05 xlsx 群馬県 藤岡構想区域 → "
        "no record (File name too long)",
        f"ok        {second}: suishin-kuiki-chosa 2024-05 xlsx 群馬県 藤岡構想区域 → "
        f"{records / '群馬県_suishin-kuiki-chosa_second.xlsx.json'}",
        "2ファイル: 問題なし2、問題あり0、受け付けず0、記録できず1 / "
        "2 files: 2 ok, 0 with problems, 0 refused, 1 not recorded",
    ]
    assert " / ingest: some files were refused or have problems" in out.err


def test_a_file_that_breaks_the_reader_is_refused_and_the_others_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _filled(tmp_path / "good.xlsx", SURVEY, GUNMA)
    bad = _filled(tmp_path / "bad.xlsx", SURVEY, GUNMA)
    real = ingest_module.read_return

    def breaking(path: Path, known: object) -> Return:
        if path == bad:
            raise TypeError("a library broke")
        return real(path, known)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "read_return", breaking)
    results = read_returns([bad, good], forms())
    assert [r.status for r in results] == ["refused", "ok"]
    assert results[0].problems == ("bad.xlsx: could not be read (TypeError: a library broke)",)


# --------------------------------------------------------------------------- case 5


def _within(seconds: float, paths: list[Path]) -> list[Return]:
    """read_returns in a thread that must finish in time (before the fix it blocked on a
    FIFO for ever)."""
    found: list[Return] = []
    worker = threading.Thread(
        target=lambda: found.extend(read_returns(paths, forms())), daemon=True
    )
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "ingest blocked on a file that is not a regular file"
    return found


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.xlsx"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    yield path
    server.close()


def test_what_is_not_a_regular_file_is_refused_unread(tmp_path: Path, unix_socket: Path) -> None:
    fifo = tmp_path / "x.docx"
    os.mkfifo(fifo)
    fifo_link = tmp_path / "z.pdf"
    fifo_link.symlink_to(fifo)
    real = _filled(tmp_path / "real.xlsx", SURVEY, GUNMA)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    results = _within(30, [fifo, fifo_link, unix_socket, link, tmp_path, real])
    assert [r.problems[:1] for r in results] == [
        ("x.docx: is a FIFO (named pipe), not a regular file; refused unread",),
        (f"z.pdf: is a symlink (to {fifo}), not a regular file; refused unread",),
        ("s.xlsx: is a socket, not a regular file; refused unread",),
        (f"link.xlsx: is a symlink (to {real}), not a regular file; refused unread",),
        (f"{tmp_path.name}: is a folder, not a regular file; refused unread",),
        (),
    ]
    assert results[-1].status == "ok"


def test_an_oversized_file_is_refused_before_it_is_hashed(tmp_path: Path) -> None:
    """Before: the whole file was hashed first (a sha256 in the refusal)."""
    path = tmp_path / "huge.pdf"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES + 1)
    (result,) = _within(30, [path])
    assert result.sha256 == ""
    assert result.problems == (
        f"huge.pdf: {MAX_FILE_BYTES + 1:,} bytes; a return is at most {MAX_FILE_BYTES:,} "
        "bytes (ask the sender for the form as filled, without embedded attachments)",
    )


def test_the_record_gives_the_size_as_read(tmp_path: Path) -> None:
    path = _filled(tmp_path / "survey.xlsx", SURVEY, GUNMA)
    size = path.stat().st_size
    result = read_return(path, forms())
    path.unlink()  # the record does not look at the file again
    assert result.record()["source"]["bytes"] == size == result.size


# --------------------------------------------------------------------------- case 6

_DRIVER = """
import os, sys, time
from pathlib import Path
import builder.forms.returns.ingest as ingest

marker = Path(sys.argv[1])

def slow(path):
    marker.write_text(str(os.getpid()))
    time.sleep(120)

ingest.open_form_file = slow
from builder.cli.main import main
sys.exit(main(["--root", sys.argv[2], "ingest", sys.argv[3], "--records", sys.argv[4]]))
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie is dead, waiting to be reaped


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc needed")
@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_killing_ingest_leaves_no_parse_behind(tmp_path: Path, signal_number: int) -> None:
    """Before: the parse child slept on, orphaned, after its parent was killed."""
    driver = tmp_path / "driver.py"
    driver.write_text(_DRIVER, encoding="utf-8")
    marker = tmp_path / "child.pid"
    survey = _filled(tmp_path / "survey.xlsx", SURVEY, GUNMA)
    parent = subprocess.Popen(
        [sys.executable, str(driver), str(marker), str(ROOT), str(survey), str(tmp_path / "r")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    child = 0
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            assert parent.poll() is None, "ingest ended before parsing"
            time.sleep(0.05)
        child = int(marker.read_text())
        status = Path(f"/proc/{child}/status").read_text(encoding="ascii")
        assert f"\nPPid:\t{parent.pid}\n" in status
        parent.send_signal(signal_number)
        parent.wait(30)
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the parse child outlived notices ingest"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child and _alive(child):
            os.kill(child, signal.SIGKILL)


def test_the_parse_child_ignores_interrupts_and_terminations(tmp_path: Path) -> None:
    """Only the parent reports a signal: the child of run_bounded ignores SIGINT,
    SIGTERM and SIGHUP (a Ctrl-C reaches the whole process group)."""
    from builder.forms.returns.guard import run_bounded

    assert run_bounded(_signal_dispositions, tmp_path / "x.pdf") == [
        signal.SIG_IGN,
        signal.SIG_IGN,
        signal.SIG_IGN,
    ]


def _signal_dispositions(path: Path) -> list[object]:
    return [signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)]


# --------------------------------------------------------------------------- case 7


def test_a_planted_temporary_symlink_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the summary was written to the fixed name .s.xlsx.tmp, through the link."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    planted = out / ".s.xlsx.tmp"
    planted.symlink_to(victim)
    survey = _filled(tmp_path / "survey.xlsx", SURVEY, GUNMA)
    summary = out / "s.xlsx"
    argv = [str(survey), "--records", str(tmp_path / "records"), "--summary", str(summary)]
    assert _ingest(tmp_path, *argv) == 0
    assert victim.read_text(encoding="utf-8") == "precious"
    assert planted.is_symlink() and stat.S_ISREG(summary.lstat().st_mode)
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"1ファイル: 問題なし1、問題あり0、受け付けず0。集計 {summary} / "
        f"1 files: 1 ok, 0 with problems, 0 refused; summary {summary}"
    )


def test_a_summary_that_is_a_symlink_is_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.xlsx"
    victim.write_bytes(b"precious")
    summary = tmp_path / "s.xlsx"
    summary.symlink_to(victim)
    survey = _filled(tmp_path / "survey.xlsx", SURVEY, GUNMA)
    records = tmp_path / "records"
    assert _ingest(tmp_path, str(survey), "--records", str(records), "--summary", str(summary)) == 1
    out = capsys.readouterr()
    assert out.err == (
        f"error: --summary {summary}: 通常のファイルではありません（a symlink (to {victim})）。"
        "新しいファイルか通常のファイルを指定してください / "
        f"--summary {summary}: is a symlink (to {victim}); give a new or regular file\n"
    )
    assert out.out == "" and not records.exists() and victim.read_bytes() == b"precious"


def test_the_records_folder_must_be_a_folder_of_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = _filled(tmp_path / "survey.xlsx", SURVEY, GUNMA)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "link"
    link.symlink_to(elsewhere)
    assert _ingest(tmp_path, str(survey), "--records", str(link)) == 1
    assert capsys.readouterr().err == (
        f"error: --records {link}: {link} is a symlink (to {elsewhere}); give a folder\n"
    )
    (elsewhere / "notes.txt").write_text("mine", encoding="utf-8")
    assert _ingest(tmp_path, str(survey), "--records", str(elsewhere)) == 1
    assert capsys.readouterr().err == (
        f"error: --records {elsewhere}: {elsewhere} holds files but not previous records; "
        "choose an empty or new folder\n"
    )
    assert list(elsewhere.iterdir()) == [elsewhere / "notes.txt"]
    records = tmp_path / "records"
    records.mkdir()
    (records / "old.json").write_text("{}", encoding="utf-8")
    (records / ".ingest-abc123").write_text("", encoding="utf-8")
    assert _ingest(tmp_path, str(survey), "--records", str(records)) == 0


def test_records_and_summary_get_the_same_mode(tmp_path: Path) -> None:
    """Before: records 0600, the summary 0644 less the umask."""
    survey = _filled(tmp_path / "survey.xlsx", SURVEY, GUNMA)
    records, summary = tmp_path / "records", tmp_path / "s.xlsx"
    old = os.umask(0o022)
    try:
        assert (
            _ingest(tmp_path, str(survey), "--records", str(records), "--summary", str(summary))
            == 0
        )
    finally:
        os.umask(old)
    (record,) = records.iterdir()
    assert stat.S_IMODE(record.stat().st_mode) == stat.S_IMODE(summary.stat().st_mode) == 0o644


# --------------------------------------------------------------------------- case 12


def _rewrite_pdf(path: Path, change: object) -> Path:
    writer = PdfWriter(clone_from=PdfReader(path))
    change(writer)  # type: ignore[operator]
    writer.write(path)
    return path


def _open_action_launch(writer: PdfWriter) -> None:
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


def _document_javascript(writer: PdfWriter) -> None:
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), action])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def _field_blur_script(writer: PdfWriter) -> None:
    for reference in writer._root_object["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field.get("/T") == "model_area":
            field[NameObject("/AA")] = DictionaryObject(
                {
                    NameObject("/Bl"): DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/JavaScript"),
                            NameObject("/JS"): TextStringObject("this.submitForm('http://x');"),
                        }
                    )
                }
            )
            return
    raise AssertionError("field not found")


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            _open_action_launch,
            "action /Launch /F calc.exe; an /OpenAction (run when the file is opened)",
        ),
        (
            _document_javascript,
            "action /JavaScript /JS app.alert('hello');; document-level JavaScript "
            "(/Names /JavaScript)",
        ),
        (
            _field_blur_script,
            "action /JavaScript /JS this.submitForm('http://x');; field model_area /AA /Bl",
        ),
    ],
)
def test_a_pdf_with_active_content_is_refused(tmp_path: Path, change: object, shown: str) -> None:
    path = _rewrite_pdf(_filled(tmp_path / "survey.pdf", SURVEY, GUNMA), change)
    result = read_return(path, forms())
    assert result.status == "refused"
    assert result.problems == (
        "survey.pdf: active content that the blank suishin-kuiki-chosa (version 2024-05) "
        f"does not have: {shown}. A return needs no scripts or actions, so it was refused. "
        f"{_FRESH}",
    )


def test_the_forms_own_scripts_are_not_active_content(tmp_path: Path) -> None:
    values = {**full_filling(form(KUIKI)), **HYOGO[KUIKI]}
    path = _filled(tmp_path / "kuiki.pdf", KUIKI, values, HYOGO[KUIKI])
    assert read_return(path, forms()).status == "ok"


def _draw_over(writer: PdfWriter) -> None:
    page = writer.pages[0]
    data = page.get_contents().get_data()  # type: ignore[union-attr]
    stream = StreamObject()
    stream.set_data(data + b"\n1 1 1 rg 50 700 300 40 re f")  # a white box over a label
    page[NameObject("/Contents")] = writer._add_object(stream)


def _free_text(writer: PdfWriter) -> None:
    page = writer.pages[0]
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FreeText"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 700, 350, 740)]),
            NameObject("/Contents"): TextStringObject("別の区域"),
            NameObject("/DA"): TextStringObject("0 g"),
        }
    )
    page[NameObject("/Annots")].append(writer._add_object(note))  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (_draw_over, "page 1: its content differs from the form's"),
        (_free_text, "page 1: annotations added (/FreeText)"),
    ],
)
def test_a_pdf_page_drawn_over_is_refused(tmp_path: Path, change: object, shown: str) -> None:
    path = _rewrite_pdf(_filled(tmp_path / "survey.pdf", SURVEY, GUNMA), change)
    assert read_return(path, forms()).problems == (
        f"survey.pdf: drawn over: {shown}. The printed form of suishin-kuiki-chosa "
        f"(version 2024-05) must stay as written. {_FRESH}",
    )


def _prefilled_kuiki(path: Path) -> Path:
    values = {**full_filling(form(KUIKI)), **HYOGO[KUIKI]}
    return _filled(path, KUIKI, values, HYOGO[KUIKI])


def _set_areas(writer: PdfWriter, *, unlock: bool) -> None:
    for reference in writer._root_object["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field.get("/T") == "areas":
            field[NameObject("/V")] = TextStringObject("中播磨")
            if unlock:
                field[NameObject("/Ff")] = NumberObject(0)
            return
    raise AssertionError("field not found")


def test_a_prefilled_pdf_value_changed_by_a_program_is_a_problem(tmp_path: Path) -> None:
    path = _rewrite_pdf(
        _prefilled_kuiki(tmp_path / "kuiki.pdf"), lambda w: _set_areas(w, unlock=False)
    )
    result = read_return(path, forms())
    assert (result.status, result.areas) == ("problems", ("中播磨",))
    assert result.problems == (
        "構想区域名 (areas): prefilled read-only, but it holds 「中播磨」 while the field "
        "shows something else; the value was changed after the copy was sent",
    )


def test_a_prefilled_pdf_field_unlocked_is_a_problem(tmp_path: Path) -> None:
    path = _rewrite_pdf(
        _prefilled_kuiki(tmp_path / "kuiki.pdf"), lambda w: _set_areas(w, unlock=True)
    )
    assert read_return(path, forms()).problems == (
        "構想区域名 (areas): read-only in the prefilled copy sent, but unlocked in this return "
        "and holding 「中播磨」; check it against the copy sent",
    )


def test_a_prefilled_xlsx_unprotected_and_changed_is_a_problem(tmp_path: Path) -> None:
    path = _prefilled_kuiki(tmp_path / "kuiki.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.active.protection.sheet = False
    ((sheet, coordinate),) = list(workbook.defined_names["areas"].destinations)
    workbook[sheet][coordinate.replace("$", "")].value = "中播磨"
    workbook.save(path)
    assert read_return(path, forms()).problems == (
        "the sheet's protection was removed, so the prefilled 都道府県名、構想区域名 "
        "(「兵庫県」、「中播磨」) may have been changed; check them against the copy sent",
    )


def test_a_prefilled_docx_control_unlocked_is_a_problem(tmp_path: Path) -> None:
    from tests.forms.test_ingest import _edit_docx

    _W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def unlock(root: object) -> None:
        for sdt in root.iter(f"{_W}sdt"):  # type: ignore[attr-defined]
            tag = sdt.find(f"{_W}sdtPr/{_W}tag")
            if tag is not None and tag.get(f"{_W}val") == "areas":
                lock = sdt.find(f"{_W}sdtPr/{_W}lock")
                lock.getparent().remove(lock)
                for text in sdt.iter(f"{_W}t"):
                    text.text = "中播磨"
                return
        raise AssertionError("control not found")

    path = _edit_docx(_prefilled_kuiki(tmp_path / "kuiki.docx"), unlock)
    assert read_return(path, forms()).problems == (
        "構想区域名 (areas): read-only in the prefilled copy sent, but unlocked in this return "
        "and holding 「中播磨」; check it against the copy sent",
    )


@pytest.mark.parametrize("suffix", ["xlsx", "docx", "pdf"])
def test_prefilled_copies_as_sent_have_no_problems(tmp_path: Path, suffix: str) -> None:
    result = read_return(_prefilled_kuiki(tmp_path / f"kuiki.{suffix}"), forms())
    assert (result.status, result.problems) == ("ok", ())


def test_a_value_longer_than_a_cell_is_a_problem_not_a_cut(tmp_path: Path) -> None:
    """Before: the return was ok and the summary cell held the whole value (which Excel
    cuts at 32,767 characters without saying so)."""
    values = {**GUNMA, "model_reason": "あ" * 40_000}
    result = read_return(_filled(tmp_path / "survey.docx", SURVEY, values), forms())
    assert result.problems == (
        "モデル推進区域（仮称）を選定する理由 (model_reason): 40,000 characters, more than a "
        "spreadsheet cell holds (32,767); the summary shows a note in its place (never a cut "
        "value), the record keeps it whole",
    )
    assert result.values["model_reason"] == "あ" * 40_000
    summary = tmp_path / "summary.xlsx"
    summary.write_bytes(render_summary_xlsx([result]))
    sheet = openpyxl.load_workbook(summary).worksheets[1]
    heads = [cell.value for cell in sheet[1]]
    column = heads.index("モデル推進区域（仮称）を選定する理由") + 1
    assert sheet.cell(2, column).value == "（40,000字：セルに入らないため記録を参照）"
