"""The writers' per-process caches and fast paths give exactly what the slow paths give.

* the Word template is prepared once and reopened from its saved bytes
  (``builder.writers.docx._template``): documents rendered through it, in any order, equal
  documents rendered on a template prepared afresh;
* paragraphs, runs and cell styles made directly (``builder.formats.docx_elements``) are
  the markup python-docx's API writes;
* ``docx_xml.set_child`` puts a new child where python-docx's ``insert_element_before``
  puts it, also among children out of schema order;
* the site's ``element`` escapes as ``Markup.format`` does, and the cached ``href`` equals
  the uncached one;
* the Word writer's measuring font is the one ``register_fonts`` registers.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree
from markupsafe import Markup

from builder.documents.compose import comparison, consolidated, cover_notice, distribution_letter
from builder.formats import docx_xml
from builder.formats.docx_elements import set_paragraph_style, styled_paragraph
from builder.formats.fonts import (
    BUNDLED_GOTHIC_PATH,
    BUNDLED_MINCHO_PATH,
    register_bundled_mincho,
    register_fonts,
)
from builder.model.document import Document
from builder.site.pages import href
from builder.sources.workspace import Workspace
from builder.writers import docx as docx_writer
from builder.writers.html import element

TEXTS = ("", "本文", "\u3000字下げ", "末尾\u3000", " 前後 ", "a & <b>", "「引用」（括弧）")


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info.filename, package.read(info.filename)) for info in package.infolist()]


@pytest.fixture(scope="module")
def documents(workspace: Workspace) -> list[Document]:
    """Every kind of document the Word writer gets in a build, the form included."""
    history = workspace.history(workspace.find_notice("医政発0731第1号"))
    first, second = history.versions[0], history.versions[1]
    return [
        consolidated(second, "consolidated", workspace.forms),
        cover_notice(history, second, None, "cover-notice"),
        distribution_letter(workspace.project, history, second, None, "distribution-letter"),
        comparison(first, second, "comparison"),
        consolidated(first, "consolidated"),
    ]


# --------------------------------------------------------------------------- template


def test_reopened_template_has_the_parts_of_a_fresh_one() -> None:
    fresh = io.BytesIO()
    docx_writer._prepare_template().save(fresh)
    assert _members(docx_writer._template().package) == _members(fresh.getvalue())
    reopened = io.BytesIO()
    docx_writer._new_document().save(reopened)
    assert _members(reopened.getvalue()) == _members(fresh.getvalue())


def test_style_ids_are_those_of_the_template() -> None:
    word = docx_writer._new_document()
    expected = {name: word.styles[name].style_id for name in docx_writer.STYLE_NAMES}
    assert dict(docx_writer._template().style_ids) == expected


def test_cached_template_renders_as_a_fresh_one_in_any_order(
    documents: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    docx_writer._template.cache_clear()
    cached = [docx_writer.render_docx(document) for document in documents]
    interleaved = [docx_writer.render_docx(document) for document in reversed(documents)]
    assert interleaved[::-1] == cached
    with monkeypatch.context() as patch:
        patch.setattr(docx_writer, "_new_document", docx_writer._prepare_template)
        fresh = [docx_writer.render_docx(document) for document in documents]
    assert fresh == cached
    docx_writer._template.cache_clear()
    assert [docx_writer.render_docx(document) for document in documents] == cached


# --------------------------------------------------------------------------- elements


def _xml(node: BaseOxmlElement) -> bytes:
    return bytes(etree.tostring(node))


@pytest.mark.parametrize("text", TEXTS)
def test_styled_paragraph_is_what_python_docx_writes(text: str) -> None:
    word = docx.Document()
    style = word.styles.add_style("Notice Body", WD_STYLE_TYPE.PARAGRAPH)
    paragraph = word.add_paragraph(style="Notice Body")
    if text:
        paragraph.add_run(text)
    made = styled_paragraph(style.style_id, text)
    paragraph._p.addnext(made)  # in the same tree, so both inherit the same namespaces
    assert _xml(made) == _xml(paragraph._p)


@pytest.mark.parametrize("text", TEXTS)
def test_cell_style_is_what_python_docx_writes(text: str) -> None:
    word = docx.Document()
    style = word.styles.add_style("Notice Table", WD_STYLE_TYPE.PARAGRAPH)
    expected = word.add_table(rows=1, cols=1).rows[0].cells[0].paragraphs[0]
    expected.style = style
    actual = word.add_table(rows=1, cols=1).rows[0].cells[0].paragraphs[0]
    set_paragraph_style(actual._p, style.style_id)
    for paragraph in (expected, actual):
        if text:
            paragraph.add_run(text)
    assert _xml(actual._p) == _xml(expected._p)
    # A paragraph that already has properties keeps them, the style first.
    set_paragraph_style(actual._p, "Other")
    expected.style = word.styles.add_style("Other", WD_STYLE_TYPE.PARAGRAPH)
    assert _xml(actual._p) == _xml(expected._p)


@pytest.mark.parametrize(
    "present",
    [
        (),
        ("w:jc",),
        ("w:pStyle", "w:jc"),
        ("w:keepNext", "w:ind", "w:rPr"),
        ("w:rPr", "w:ind", "w:keepNext"),  # out of schema order
        ("w:jc", "w:spacing"),  # out of schema order
    ],
)
@pytest.mark.parametrize("tag", ["w:spacing", "w:pageBreakBefore", "w:rPr", "w:pStyle"])
def test_set_child_inserts_where_python_docx_does(present: tuple[str, ...], tag: str) -> None:
    def parent() -> BaseOxmlElement:
        ppr: BaseOxmlElement = OxmlElement("w:pPr")
        for child in present:
            ppr.append(OxmlElement(child))
        return ppr

    actual = parent()
    docx_xml.set_child(actual, tag, docx_xml.PPR_ORDER, val="1")
    expected = parent()
    if expected.find(qn(tag)) is None:
        order = docx_xml.PPR_ORDER
        expected.insert_element_before(OxmlElement(tag), *order[order.index(tag) + 1 :])
    expected.find(qn(tag)).set(qn("w:val"), "1")
    assert _xml(actual) == _xml(expected)


# --------------------------------------------------------------------------- site


@pytest.mark.parametrize("content", ["", "a < b & c", Markup("<b>x</b>"), "「'\"」"])
def test_element_escapes_as_markup_format(content: Markup | str) -> None:
    attributes: dict[str, str | None] = {"class": 'a"b', "id": None, "title": "<&>"}

    def reference(name: str) -> Markup:
        rendered = "".join(
            Markup(' {}="{}"').format(key, value)
            for key, value in attributes.items()
            if value is not None
        )
        if name == "br":
            return Markup("<{}{}>").format(Markup(name), Markup(rendered))
        return Markup("<{}{}>{}</{}>").format(Markup(name), Markup(rendered), content, Markup(name))

    for name in ("p", "br"):
        assert element(name, content, attributes) == reference(name)
        assert isinstance(element(name, content, attributes), Markup)


def test_cached_href_equals_uncached() -> None:
    pairs = [
        ("site/index.html", "site/a/b.html"),
        ("site/a/b.html", "医政発0731第1号/2025-03-27/consolidated.pdf"),
        ("site/a/b.html", "site/a/b.html"),
        ("index.html", "forms/x y/z#.pdf"),
    ]
    href.cache_clear()
    for page, target in pairs * 2:
        assert href(page, target) == href.__wrapped__(page, target)


# --------------------------------------------------------------------------- fonts


def test_measuring_font_is_the_registered_bundled_mincho() -> None:
    assert (
        register_bundled_mincho() == register_fonts(BUNDLED_MINCHO_PATH, BUNDLED_GOTHIC_PATH).mincho
    )
