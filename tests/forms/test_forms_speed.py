"""The per-process caches of the form writers (builder.forms.stamp, builder.forms.pdf_stamp)
change no byte: a copy stamped from a warm template equals a render with every cache
cleared and a direct render, for prefills in interleaved order (no value of one copy
leaks into another), with XML-special characters, Japanese, values that cannot be
stamped (rendered directly), computed cells and check boxes (PDF); and stamping is
really used for the prefills of a build."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable, Mapping

import pytest

from builder.formats.reproducible import normalize_ooxml
from builder.forms import docx as docx_writer
from builder.forms import pdf as pdf_writer
from builder.forms import render_form_docx, render_form_pdf, render_form_xlsx, stamp
from builder.forms import xlsx as xlsx_writer
from builder.forms.prefill import check_prefill
from builder.model.form import Form, computed_values
from tests.forms.test_forms_common import KUIKI, SURVEY, form

Writer = Callable[[Form, Mapping[str, str] | None], bytes]


def _direct_xlsx(item: Form, prefill: Mapping[str, str]) -> bytes:
    return xlsx_writer._render(item, check_prefill(item, prefill))


def _direct_docx(item: Form, prefill: Mapping[str, str]) -> bytes:
    return docx_writer._render(item, check_prefill(item, prefill))


def _direct_pdf(item: Form, prefill: Mapping[str, str]) -> bytes:
    return pdf_writer._render_direct(item, prefill)


WRITERS: dict[str, tuple[Writer, Callable[[Form, Mapping[str, str]], bytes]]] = {
    "xlsx": (render_form_xlsx, _direct_xlsx),
    "docx": (render_form_docx, _direct_docx),
    "pdf": (render_form_pdf, _direct_pdf),
}

HYOGO = {"prefecture": "兵庫県", "areas": "東播磨"}
SAPPORO = {"prefecture": "北海道", "areas": "札幌"}
SPECIAL = {"prefecture": "A&B <C> \"D\" 'E' &amp;", "areas": "京都・乙訓（&lt;仮&gt;）>"}
LONGER = {"prefecture": "鹿児島県", "areas": "熊毛地域　種子島・屋久島　髙﨑〜～"}
AREA_PREFILLS = [HYOGO, SAPPORO, SPECIAL, HYOGO, LONGER, SAPPORO, HYOGO]
"""The prefills of a build (都道府県, 構想区域), interleaved and repeated."""

ODD_PREFILLS = [
    {"prefecture": " 兵庫県", "areas": "東播磨"},  # leading space: xml:space in .xlsx
    HYOGO,
    {"prefecture": "=1+1", "areas": "@SUM(A1)"},  # formula-like: quote prefix in .xlsx
    {"prefecture": "", "areas": "東播磨"},  # empty: no string at all
    SAPPORO,
    {"prefecture": "𠮷野家県", "areas": "𩸽"},  # outside the BMP and JIS X 0208
    {"prefecture": "兵庫県", "areas": "東播磨", "schedule_1_year": "2025年度"},
    {"prefecture": "北海道", "areas": "札幌&<>", "schedule_1_year": "2026年度以降"},
    {"prefecture": "兵庫県", "adopted_on": "令和7年3月27日", "grand_design": "一行目\n二行目"},
    {"prefecture": "北海道", "adopted_on": "2024-04-01", "grand_design": "一行目だけ"},
    HYOGO,
]
"""Prefills of other kinds and values, some of which are rendered directly."""

COUNT_PREFILLS = [
    {"prefecture": "兵庫県", "beds_acute_a": "120", "beds_acute_c": "100"},
    {"prefecture": "北海道", "beds_acute_a": "5", "beds_acute_c": "5000"},
    {"prefecture": "兵庫県", "beds_acute_a": "120", "beds_acute_c": "100"},
    {"prefecture": "沖縄県", "beds_acute_a": "７", "beds_acute_c": "0"},
]
"""Counts whose difference (a computed cell) is shown and differs between copies."""

SURVEY_PREFILLS = [
    {"prefecture": "兵庫県", "suishin_area": "東播磨", "suishin_reasons": "①、③"},
    {"prefecture": "群馬県", "suishin_area": "藤岡", "suishin_reasons": "④"},
    {"prefecture": "兵庫県", "suishin_area": "東播磨", "suishin_reasons": "③、①"},
    {"prefecture": "北海道", "suishin_area": "札幌"},
    {"prefecture": "兵庫県", "suishin_area": "東播磨"},
]
"""Several-of choices (check boxes) chosen differently between copies."""


@pytest.fixture(autouse=True)
def _cold() -> None:
    stamp.clear_caches()


def _check(fmt: str, form_id: str, prefills: list[dict[str, str]]) -> list[bytes]:
    """Render ``prefills`` in order with warm caches; each equals a cold and a direct
    render. Returns the warm renders."""
    writer, direct = WRITERS[fmt]
    item = form(form_id)
    warm = [writer(item, prefill) for prefill in prefills]
    for prefill, data in zip(prefills, warm, strict=True):
        stamp.clear_caches()
        assert writer(item, prefill) == data, (fmt, prefill)
        assert direct(item, prefill) == data, (fmt, prefill)
    checked = [check_prefill(item, prefill) for prefill in prefills]
    for i, j in itertools.combinations(range(len(prefills)), 2):
        assert (warm[i] == warm[j]) == (checked[i] == checked[j]), (fmt, i, j)
    return warm


@pytest.mark.parametrize("fmt", WRITERS)
def test_area_prefills_are_stamped_and_equal_cold_renders(fmt: str) -> None:
    item = form(KUIKI)
    for prefill in AREA_PREFILLS:
        WRITERS[fmt][0](item, prefill)
    assert stamp.stats["template"] == 1
    assert stamp.stats["stamped"] == len(AREA_PREFILLS) - 1, "stamping not used"
    assert stamp.stats["direct"] == 0
    _check(fmt, KUIKI, AREA_PREFILLS)


@pytest.mark.parametrize("fmt", WRITERS)
def test_other_prefills_equal_cold_and_direct_renders(fmt: str) -> None:
    _check(fmt, KUIKI, ODD_PREFILLS)


@pytest.mark.parametrize("fmt", WRITERS)
def test_blank_equals_direct_render(fmt: str) -> None:
    _check(fmt, KUIKI, [{}, HYOGO, {}])


@pytest.mark.parametrize("fmt", WRITERS)
def test_computed_cells_follow_each_copy(fmt: str) -> None:
    _check(fmt, KUIKI, COUNT_PREFILLS)


@pytest.mark.parametrize("fmt", WRITERS)
def test_check_boxes_follow_each_copy(fmt: str) -> None:
    _check(fmt, SURVEY, SURVEY_PREFILLS)


def test_pdf_restamps_only_widgets_and_their_appearances() -> None:
    item = form(KUIKI)
    render_form_pdf(item, COUNT_PREFILLS[0])
    (template,) = [t for t in stamp.TEMPLATES.values() if isinstance(t, pdf_writer._Template)]
    values = check_prefill(item, {**COUNT_PREFILLS[0], "prefecture": "北海道"})
    computed = computed_values(item, values)
    changed = [o.get_object() for o in template.fields.restamp(values, computed)]
    widgets = [o for o in changed if o.get("/Subtype") == "/Widget"]
    # Only 都道府県 differs: its widget and its appearance stream.
    assert [w["/T"] for w in widgets] == ["prefecture"]
    assert len(changed) == 2
    assert changed[1] == widgets[0]["/AP"]["/N"].get_object()


# --------------------------------------------------------------------------- zip stamp


def _package(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("docProps/core.xml", "<cp:coreProperties xmlns:cp='urn:x'/>")
        archive.writestr("word/document.xml", "<w:t>pad</w:t>" * 50 + f"<w:t>{text}</w:t>")
        archive.writestr("word/styles.xml", "<styles/>" * 30)
    return normalize_ooxml(buffer.getvalue(), title="t")


@pytest.mark.parametrize("value", ["", "a", "兵庫県", "A&B<C>" * 40, "𠮷"])
def test_zip_stamp_equals_normalized_package(value: str) -> None:
    tokens = [stamp.token(0), stamp.token(1)]
    template = _package(f"x{tokens[1]}y{tokens[0]}z")
    stamped = stamp.ZipStamp.create(template, [stamp.utf8_text(t) for t in tokens])
    assert stamped is not None
    expected = _package(f"x{stamp.xml_escape('2nd')}y{stamp.xml_escape(value)}z")
    assert stamped.stamp([stamp.utf8_text(value), stamp.utf8_text("2nd")]) == expected
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        assert archive.testzip() is None


def test_zip_stamp_refuses_repeated_or_missing_tokens() -> None:
    token = stamp.token(0)
    assert stamp.ZipStamp.create(_package(f"{token}{token}"), [token.encode()]) is None
    assert stamp.ZipStamp.create(_package("no token"), [token.encode()]) is None


def test_xml_escape_and_safe() -> None:
    assert stamp.xml_escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;\"d'"
    assert stamp.ascii_text("兵&") == b"&#20853;&amp;"
    assert stamp.xml_safe("兵庫　県 𠮷")
    assert not stamp.xml_safe("a\tb")
    assert not stamp.xml_safe("a\rb")
    assert not stamp.xml_safe("\ufffe")


def test_templates_of_every_format_share_one_bounded_cache() -> None:
    stamp.clear_caches()
    item = form(KUIKI)
    for render in (render_form_pdf, render_form_docx, render_form_xlsx):
        render(item, {"prefecture": "兵庫県", "areas": "東播磨"})
    kinds = sorted({key[0] for key in stamp.TEMPLATES._entries})
    assert kinds == ["docx", "pdf", "xlsx"]
    cache: stamp.BoundedCache[int, str] = stamp.BoundedCache(3)
    for number in range(5):
        cache.put(number, str(number))
        cache.get(0)  # 0 stays: it is used again each time
    assert sorted(cache._entries) == [0, 3, 4]
    assert len(cache) == 3
