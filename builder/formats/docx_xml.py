"""Raw WordprocessingML that python-docx has no API for, in one place.

python-docx covers paragraphs, runs, tables and styles, but not what a Japanese
document needs: East Asian fonts (``w:rFonts/@w:eastAsia``), the language tag
``<w:lang w:eastAsia="ja-JP"/>``, character-based indents (``w:ind`` with
``@w:leftChars``/``@w:firstLineChars``/``@w:hangingChars``), a repeated table header row
(``w:tblHeader``), table borders and cell margins, the document grid and a few document
settings. Each function here sets one such property on an element python-docx made.

Elements of WordprocessingML must appear in the order the schema gives, or Word and
the OOXML validator reject the file; :func:`set_child` inserts a child at its place
using the ordered tag lists below (from ECMA-376 Part 1, transitional schema).

Lengths: twips (1/20 pt) for positions, half-points for font sizes, eighths of a point
for border widths, and hundredths of a character for the ``*Chars`` indents.
Character-based indents are written twice: ``*Chars`` (what Word uses, relative to the
font) and the same length in twips for the character width :data:`CHAR_TWIPS`
(what LibreOffice 7.4 reads, as it ignores ``*Chars``), or the ``char_twips`` given
for a paragraph of another size.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final, cast

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement

__all__ = [
    "CHAR_TWIPS",
    "FONT_SIZE_HALF_POINTS",
    "MINCHO",
    "configure_settings",
    "field_runs",
    "mark_cant_split",
    "mark_header_row",
    "prune_styles",
    "set_cell_width",
    "set_child",
    "set_doc_defaults",
    "set_indent",
    "set_justification",
    "set_outline_level",
    "set_page",
    "set_page_break_before",
    "set_page_number_footer",
    "set_run_properties",
    "set_spacing",
    "set_table_properties",
    "set_widow_control",
]

A4_WIDTH: Final = 11906  # 210 mm in twips
A4_HEIGHT: Final = 16838  # 297 mm

MINCHO: Final = "ＭＳ 明朝"
"""The font of official documents; LibreOffice maps it to IPAex明朝 (builder.verify.clients)."""

FONT_SIZE_HALF_POINTS: Final = 21
"""10.5 pt: the forms' text and the notices' tables (a notice's body is 12 pt, set by
``builder.writers.docx``)."""

CHAR_TWIPS: Final = 210
"""Width of one full-width character at 10.5 pt, in twips."""

# Child order of the elements this module edits (ECMA-376 Part 1, wml.xsd).
RPR_ORDER: Final = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
PPR_ORDER: Final = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
TBLPR_ORDER: Final = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
TRPR_ORDER: Final = (
    "w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
    "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden",
    "w:ins", "w:del", "w:trPrChange",
)  # fmt: skip
TCPR_ORDER: Final = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
    "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange",
)  # fmt: skip
SECTPR_ORDER: Final = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type",
    "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType",
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_BORDER_ORDER: Final = ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV")
_MARGIN_ORDER: Final = ("w:top", "w:left", "w:bottom", "w:right")


@cache
def _clark(tag: str) -> str:
    """``qn`` of a prefixed tag or attribute name, cached (this module makes thousands)."""
    return str(qn(tag))


@cache
def _declared(tag: str) -> tuple[str, dict[str, str]]:
    """The Clark name of ``tag`` and the namespace declaration ``OxmlElement`` gives it."""
    prefixed = NamespacePrefixedTag(tag)
    return str(prefixed.clark_name), dict(prefixed.nsmap)


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    """A new element, exactly as ``OxmlElement(tag)`` makes it (python-docx's class for
    the tag, one namespace declaration), with ``attributes`` set in the given order."""
    clark, declared = _declared(tag)
    element = cast(BaseOxmlElement, oxml_parser.makeelement(clark, nsmap=declared))
    for name, value in attributes.items():
        element.set(_clark(f"w:{name}"), value)
    return element


@cache
def _successors(tag: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """Clark names of the tags after ``tag`` in ``order``."""
    return tuple(_clark(successor) for successor in order[order.index(tag) + 1 :])


def set_child(
    parent: BaseOxmlElement, tag: str, order: Sequence[str], **attributes: str
) -> BaseOxmlElement:
    """The child ``tag`` of ``parent`` (created at its schema position from ``order`` if
    missing) with ``attributes`` (local names in the w: namespace) set on it.

    A new child goes before the first successor in ``order`` that ``parent`` has (as
    python-docx's ``insert_element_before``), else last; the children are scanned once."""
    child = parent.find(_clark(tag))
    if child is None:
        child = _element(tag)
        successors = _successors(tag, tuple(order))
        first: dict[str, BaseOxmlElement] = {}
        wanted = frozenset(successors)
        for existing in parent:
            if existing.tag in wanted:
                first.setdefault(existing.tag, existing)
        successor = next((first[name] for name in successors if name in first), None)
        if successor is not None:
            successor.addprevious(child)
        else:
            parent.append(child)
    for name, value in attributes.items():
        child.set(_clark(f"w:{name}"), value)
    return cast(BaseOxmlElement, child)


def _remove_children(parent: BaseOxmlElement, *tags: str) -> None:
    for tag in tags:
        for child in parent.findall(_clark(tag)):
            parent.remove(child)


# --------------------------------------------------------------------------- runs


def set_run_properties(
    rpr: BaseOxmlElement, font: str = MINCHO, half_points: int = FONT_SIZE_HALF_POINTS
) -> None:
    """``font`` for every script (no theme fonts), the size, and the Japanese language tag."""
    fonts = set_child(rpr, "w:rFonts", RPR_ORDER)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]  # drops w:asciiTheme, w:eastAsiaTheme, ...
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(_clark(f"w:{script}"), font)
    set_child(rpr, "w:sz", RPR_ORDER, val=str(half_points))
    set_child(rpr, "w:szCs", RPR_ORDER, val=str(half_points))
    set_child(rpr, "w:lang", RPR_ORDER, val="en-US", eastAsia="ja-JP", bidi="ar-SA")


# --------------------------------------------------------------------------- paragraphs


def set_indent(
    ppr: BaseOxmlElement,
    *,
    left: int = 0,
    first_line: int = 0,
    hanging: int = 0,
    char_twips: int = CHAR_TWIPS,
) -> None:
    """Character-based indents, in hundredths of a character (100 = one 字下げ), written
    in twips too for a character ``char_twips`` wide (the paragraph's font size: 240 for
    12 pt).

    ``first_line`` and ``hanging`` exclude each other (the schema allows one).
    """
    if first_line and hanging:
        raise ValueError("an indent has a first-line indent or a hanging indent, not both")
    ind = set_child(ppr, "w:ind", PPR_ORDER)
    for attribute in list(ind.attrib):
        del ind.attrib[attribute]
    ind.set(_clark("w:left"), str(left * char_twips // 100))
    ind.set(_clark("w:leftChars"), str(left))
    if first_line:
        ind.set(_clark("w:firstLine"), str(first_line * char_twips // 100))
        ind.set(_clark("w:firstLineChars"), str(first_line))
    if hanging:
        ind.set(_clark("w:hanging"), str(hanging * char_twips // 100))
        ind.set(_clark("w:hangingChars"), str(hanging))


def set_spacing(
    ppr: BaseOxmlElement,
    *,
    before: int | None = None,
    after: int | None = None,
    single: bool = False,
) -> None:
    """Space before/after the paragraph in twips (only those given are set); ``single``
    sets single line spacing (``w:line`` 240, auto)."""
    attributes: dict[str, str] = {}
    if before is not None:
        attributes["before"] = str(before)
    if after is not None:
        attributes["after"] = str(after)
    if single:
        attributes |= {"line": "240", "lineRule": "auto"}
    set_child(ppr, "w:spacing", PPR_ORDER, **attributes)


def set_justification(ppr: BaseOxmlElement, value: str) -> None:
    """``w:jc``: ``both`` (両端揃え), ``left``, ``center`` or ``right``."""
    set_child(ppr, "w:jc", PPR_ORDER, val=value)


def set_page_break_before(ppr: BaseOxmlElement) -> None:
    """The paragraph starts a new page (``w:pageBreakBefore``)."""
    set_child(ppr, "w:pageBreakBefore", PPR_ORDER)


def set_outline_level(ppr: BaseOxmlElement, level: int) -> None:
    """``w:outlineLvl``: the paragraph is a heading of ``level`` (0 = top) in Word's
    navigation pane and outline view, without being one of Word's Heading styles."""
    set_child(ppr, "w:outlineLvl", PPR_ORDER, val=str(level))


def set_widow_control(ppr: BaseOxmlElement, on: bool) -> None:
    """Widow/orphan control; Japanese documents switch it off (lines fill the page)."""
    set_child(ppr, "w:widowControl", PPR_ORDER, val="1" if on else "0")


# --------------------------------------------------------------------------- styles


def set_doc_defaults(
    styles: BaseOxmlElement, font: str = MINCHO, half_points: int = FONT_SIZE_HALF_POINTS
) -> None:
    """Document defaults: ``font`` at ``half_points`` (10.5 pt unless given) in Japanese,
    no space after, single spacing.

    Replaces python-docx's template defaults (theme fonts, 11 pt, 10 pt after, 1.15 lines).
    """
    _remove_children(styles, "w:docDefaults")
    defaults = _element("w:docDefaults")
    rpr_default = _element("w:rPrDefault")
    rpr = _element("w:rPr")
    set_run_properties(rpr, font, half_points)
    rpr_default.append(rpr)
    ppr_default = _element("w:pPrDefault")
    ppr = _element("w:pPr")
    set_spacing(ppr, before=0, after=0, single=True)
    ppr_default.append(ppr)
    defaults.append(rpr_default)
    defaults.append(ppr_default)
    styles.insert(0, defaults)


def prune_styles(styles: BaseOxmlElement, keep: set[str]) -> None:
    """Remove every style whose id is not in ``keep`` (the template's unused styles, which
    carry theme fonts)."""
    for style in styles.findall(_clark("w:style")):
        if style.get(_clark("w:styleId")) not in keep:
            styles.remove(style)


# --------------------------------------------------------------------------- tables


def set_table_properties(
    tbl: BaseOxmlElement,
    *,
    width: int,
    align: str,
    borders: bool,
    cell_margin: int,
) -> None:
    """A fixed-layout table ``width`` twips wide, aligned ``left``/``center``/``right``,
    with single 0.5 pt borders on every edge (or none), and ``cell_margin`` twips of
    padding left and right in every cell."""
    tbl_pr = cast(BaseOxmlElement, tbl.find(_clark("w:tblPr")))
    set_child(tbl_pr, "w:tblW", TBLPR_ORDER, w=str(width), type="dxa")
    set_child(tbl_pr, "w:jc", TBLPR_ORDER, val=align)
    _remove_children(tbl_pr, "w:tblBorders")
    edges = set_child(tbl_pr, "w:tblBorders", TBLPR_ORDER)
    for edge in _BORDER_ORDER:
        if borders:
            edges.append(_element(edge, val="single", sz="4", space="0", color="000000"))
        else:
            edges.append(_element(edge, val="nil"))
    set_child(tbl_pr, "w:tblLayout", TBLPR_ORDER, type="fixed")
    _remove_children(tbl_pr, "w:tblCellMar")
    margins = set_child(tbl_pr, "w:tblCellMar", TBLPR_ORDER)
    for edge in _MARGIN_ORDER:
        value = cell_margin if edge in ("w:left", "w:right") else 0
        margins.append(_element(edge, w=str(value), type="dxa"))


def set_cell_width(tc: BaseOxmlElement, width: int) -> None:
    """The cell's preferred width in twips (``w:tcW``), matching the table grid."""
    tc_pr = set_child(tc, "w:tcPr", ("w:tcPr", "w:p", "w:tbl"))
    set_child(tc_pr, "w:tcW", TCPR_ORDER, w=str(width), type="dxa")


def mark_header_row(tr: BaseOxmlElement) -> None:
    """The row is a header row, repeated at the top of each page the table runs onto."""
    tr_pr = set_child(tr, "w:trPr", ("w:tblPrEx", "w:trPr", "w:tc"))
    set_child(tr_pr, "w:tblHeader", TRPR_ORDER)


def mark_cant_split(tr: BaseOxmlElement) -> None:
    """The row is never split across two pages."""
    tr_pr = set_child(tr, "w:trPr", ("w:tblPrEx", "w:trPr", "w:tc"))
    set_child(tr_pr, "w:cantSplit", TRPR_ORDER)


# --------------------------------------------------------------------------- sections


def set_page(
    sect_pr: BaseOxmlElement,
    *,
    width: int,
    height: int,
    top: int,
    bottom: int,
    left: int,
    right: int,
    line_pitch: int,
    footer: int = 992,
) -> None:
    """Page size and margins (twips), portrait, the footer ``footer`` twips above the
    bottom edge, and a line grid of ``line_pitch`` twips (``w:docGrid w:type="lines"``:
    行数のみを指定, as in a Japanese Word document)."""
    _remove_children(sect_pr, "w:pgSz", "w:pgMar", "w:docGrid")
    set_child(sect_pr, "w:pgSz", SECTPR_ORDER, w=str(width), h=str(height))
    set_child(
        sect_pr,
        "w:pgMar",
        SECTPR_ORDER,
        top=str(top),
        right=str(right),
        bottom=str(bottom),
        left=str(left),
        header="851",
        footer=str(footer),
        gutter="0",
    )
    set_child(sect_pr, "w:docGrid", SECTPR_ORDER, type="lines", linePitch=str(line_pitch))


# --------------------------------------------------------------------------- settings


def configure_settings(settings: BaseOxmlElement) -> None:
    """Document settings for a Japanese notice made by a program.

    * ``w:themeFontLang`` eastAsia ja-JP (theme fonts resolve to Japanese ones if a
      drafter applies a built-in style);
    * ``w:defaultTabStop`` 4 characters (840 twips), Japanese Word's default;
    * ``w:zoom`` 100 %;
    * no ``w:rsids`` (editing-session ids of python-docx's template) and no
      ``w:savePreviewPicture`` (the template's stale thumbnail is dropped).
    """
    _remove_children(settings, "w:rsids", "w:savePreviewPicture")
    zoom = settings.find(_clark("w:zoom"))
    if zoom is not None:
        for attribute in list(zoom.attrib):
            del zoom.attrib[attribute]
        zoom.set(_clark("w:percent"), "100")
    tab_stop = settings.find(_clark("w:defaultTabStop"))
    if tab_stop is not None:
        tab_stop.set(_clark("w:val"), str(4 * CHAR_TWIPS))
    lang = settings.find(_clark("w:themeFontLang"))
    if lang is not None:
        lang.set(_clark("w:val"), "en-US")
        lang.set(_clark("w:eastAsia"), "ja-JP")


STYLES_WITH_EFFECTS: Final = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
)


def drop_template_extras(word: WordDocument) -> None:
    """Drop two parts of python-docx's template that would mislead: a second copy of the
    template's styles for Word 2010 (stylesWithEffects, with theme fonts) and the
    thumbnail of its empty page."""
    part = word.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.drop_rel(r_id)
    package_rels = part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package_rels[r_id]


def reset_normal(
    word: WordDocument, keep_styles: set[str], half_points: int = FONT_SIZE_HALF_POINTS
) -> BaseOxmlElement:
    """Prune the template's styles to ``keep_styles``, reset the document defaults and
    make Normal 明朝 of ``half_points`` (10.5 pt unless given) with no spacing and no
    widow control; returns Normal's pPr."""
    styles = word.styles.element
    prune_styles(styles, keep_styles)
    set_doc_defaults(styles, MINCHO, half_points)
    normal = word.styles["Normal"].element
    set_run_properties(normal.get_or_add_rPr(), MINCHO, half_points)
    normal_ppr = cast(BaseOxmlElement, normal.get_or_add_pPr())
    set_widow_control(normal_ppr, on=False)
    set_spacing(normal_ppr, before=0, after=0, single=True)
    return normal_ppr


def set_a4_pages(
    word: WordDocument,
    *,
    top: int,
    bottom: int,
    side: int,
    line_pitch: int,
    footer: int = 992,
) -> None:
    """Every section A4 portrait with the given margins (twips), footer distance and line
    grid."""
    for section in word.sections:
        set_page(
            section._sectPr,
            width=A4_WIDTH,
            height=A4_HEIGHT,
            top=top,
            bottom=bottom,
            left=side,
            right=side,
            line_pitch=line_pitch,
            footer=footer,
        )


# --------------------------------------------------------------------------- fields


def field_runs(instruction: str, shown: str) -> list[BaseOxmlElement]:
    """A complex field (``w:fldChar`` begin, ``w:instrText``, separate, its last result
    ``shown``, end) as five runs: what Word writes for Insert → Field. Word and
    LibreOffice compute the result when they lay the page out (PAGE: its number)."""
    runs: list[BaseOxmlElement] = []
    for kind, text in (
        ("begin", None),
        ("instrText", f" {instruction} "),
        ("separate", None),
        ("t", shown),
        ("end", None),
    ):
        run = _element("w:r")
        if text is None:
            run.append(_element("w:fldChar", fldCharType=kind))
        else:
            child = _element(f"w:{kind}")
            child.text = text
            child.set(_clark("xml:space"), "preserve")
            run.append(child)
        runs.append(run)
    return runs


def _text_run(text: str) -> BaseOxmlElement:
    run = _element("w:r")
    t = _element("w:t")
    t.text = text
    t.set(_clark("xml:space"), "preserve")
    run.append(t)
    return run


def set_page_number_footer(word: WordDocument, style_id: str, before: str, after: str) -> None:
    """Give every section a footer of one paragraph of style ``style_id``: ``before``,
    a PAGE field, ``after`` (「- 」 PAGE 「 -」 gives 「- 1 -」 on page 1)."""
    for section in word.sections:
        footer = section.footer
        footer.is_linked_to_previous = False  # makes the section's own footer part
        element = footer._element
        for p in element.findall(_clark("w:p")):
            element.remove(p)
        p = _element("w:p")
        ppr = _element("w:pPr")
        ppr.append(_element("w:pStyle", val=style_id))
        p.append(ppr)
        if before:
            p.append(_text_run(before))
        p.extend(field_runs("PAGE", "1"))
        if after:
            p.append(_text_run(after))
        element.append(p)
