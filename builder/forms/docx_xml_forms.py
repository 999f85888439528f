"""Raw WordprocessingML for fillable forms: content controls, bookmarks, protection.

python-docx has no API for any of these; each function builds or sets one element,
in the schema's child order (ECMA-376 Part 1, transitional), next to the helpers of
:mod:`builder.formats.docx_xml`.

Content controls (``w:sdt``) used, and why:

* **rich text** (``w:richText``) for text, numbers and multi-line text, never the
  plain-text control (``w:text``): LibreOffice 7.4 corrupts plain-text controls on save;
* **drop-down list** (``w:dropDownList``) for one-of choices;
* **date** (``w:date``, 和暦 display ``ggge年M月d日``, stored as ``w:fullDate``);
* **check box** (``w14:checkbox``, Word 2010; □ unchecked, ■ checked, both in JIS X 0208
  and in IPAex fonts) for each option of a several-of choice.

Each control carries its field id twice: ``w:tag`` (what Word keeps) and a bookmark
around it named after the id (what LibreOffice keeps, as it drops ``w:tag`` and
``w:alias``); ``w:alias`` holds the Japanese label Word shows on the control. A control
showing its placeholder has ``w:showingPlcHdr`` (its content is not a value). A fixed
(prefilled) control is locked: ``w:lock w:val="sdtContentLocked"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, Literal, cast
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from builder.formats.docx_xml import set_child

__all__ = [
    "CHECKED",
    "SETTINGS_ORDER",
    "UNCHECKED",
    "W14",
    "bookmark_end",
    "bookmark_name",
    "bookmark_start",
    "content_control",
    "custom_properties_xml",
    "protect_forms",
]

W14: Final = "http://schemas.microsoft.com/office/word/2010/wordml"
CHECKED: Final = "\u25a0"
"""■: a chosen option."""
UNCHECKED: Final = "\u25a1"
"""□: an option not chosen."""
CHECK_FONT: Final = "ＭＳ ゴシック"

# Child order of w:settings (ECMA-376 Part 1, wml.xsd, CT_Settings).
SETTINGS_ORDER: Final = (
    "w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation",
    "w:removeDateAndTime", "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape",
    "w:printPostScriptOverText", "w:printFractionalCharacterWidth", "w:printFormsData",
    "w:embedTrueTypeFonts", "w:embedSystemFonts", "w:saveSubsetFonts", "w:saveFormsData",
    "w:mirrorMargins", "w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter", "w:gutterAtTop", "w:hideSpellingErrors",
    "w:hideGrammaticalErrors", "w:activeWritingStyle", "w:proofState", "w:formsDesign",
    "w:attachedTemplate", "w:linkStyles", "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod", "w:documentType", "w:mailMerge", "w:revisionView",
    "w:trackRevisions", "w:doNotTrackMoves", "w:doNotTrackFormatting",
    "w:documentProtection", "w:autoFormatOverride", "w:styleLockTheme",
    "w:styleLockQFSet", "w:defaultTabStop", "w:autoHyphenation",
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps",
    "w:showEnvelope", "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle",
    "w:evenAndOddHeaders", "w:bookFoldRevPrinting", "w:bookFold",
    "w:bookFoldPrintingSheets", "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData",
    "w:noPunctuationKerning", "w:characterSpacingControl", "w:printTwoOnOne",
    "w:strictFirstAndLastChars", "w:noLineBreaksAfter", "w:noLineBreaksBefore",
    "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
    "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly", "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace", "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr",
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip

ControlKind = Literal["richText", "date", "dropDownList", "checkbox"]


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    element = cast(BaseOxmlElement, OxmlElement(tag))
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _w14(tag: str, **attributes: str) -> BaseOxmlElement:
    element = cast(BaseOxmlElement, OxmlElement(f"w14:{tag}"))
    for name, value in attributes.items():
        element.set(f"{{{W14}}}{name}", value)
    return element


def protect_forms(settings: BaseOxmlElement) -> None:
    """Forms-only protection without a password: only content controls can be edited
    (Word: 校閲 → 編集の制限 → 保護の中止 lifts it)."""
    set_child(settings, "w:documentProtection", SETTINGS_ORDER, edit="forms", enforcement="1")


def bookmark_name(control_id: str) -> str:
    """The bookmark of a control: its id with 「.」 as 「__」 (bookmark names allow only
    letters, digits and underscores; ids never contain 「__」, so this is reversible)."""
    return control_id.replace(".", "__")


def bookmark_start(number: int, control_id: str) -> BaseOxmlElement:
    return _element("w:bookmarkStart", id=str(number), name=bookmark_name(control_id))


def bookmark_end(number: int) -> BaseOxmlElement:
    return _element("w:bookmarkEnd", id=str(number))


def content_control(
    *,
    kind: ControlKind,
    tag: str,
    alias: str,
    number: int,
    content: Sequence[BaseOxmlElement],
    placeholder: bool,
    locked: bool,
    options: Sequence[str] = (),
    date: dt.date | None = None,
    checked: bool = False,
    run_properties: BaseOxmlElement | None = None,
) -> BaseOxmlElement:
    """An inline ``w:sdt`` of ``kind`` around ``content`` (runs).

    ``options`` are the items of a drop-down list (shown and stored as the same text);
    ``date`` the stored date of a date control; ``checked`` the state of a check box.
    """
    sdt = _element("w:sdt")
    properties = _element("w:sdtPr")
    if run_properties is not None:
        properties.append(run_properties)
    properties.append(_element("w:alias", val=alias))
    properties.append(_element("w:tag", val=tag))
    properties.append(_element("w:id", val=str(number)))
    if locked:
        properties.append(_element("w:lock", val="sdtContentLocked"))
    if placeholder:
        properties.append(_element("w:showingPlcHdr"))
    match kind:
        case "richText":
            properties.append(_element("w:richText"))
        case "dropDownList":
            listing = _element("w:dropDownList")
            for option in options:
                listing.append(_element("w:listItem", displayText=option, value=option))
            properties.append(listing)
        case "date":
            attributes = {"fullDate": f"{date.isoformat()}T00:00:00Z"} if date else {}
            picker = _element("w:date", **attributes)
            picker.append(_element("w:dateFormat", val="ggge年M月d日"))
            picker.append(_element("w:lid", val="ja-JP"))
            picker.append(_element("w:storeMappedDataAs", val="dateTime"))
            picker.append(_element("w:calendar", val="japan"))
            properties.append(picker)
        case "checkbox":
            box = _w14("checkbox")
            box.append(_w14("checked", val="1" if checked else "0"))
            box.append(_w14("checkedState", val=f"{ord(CHECKED):04X}", font=CHECK_FONT))
            box.append(_w14("uncheckedState", val=f"{ord(UNCHECKED):04X}", font=CHECK_FONT))
            properties.append(box)
    sdt.append(properties)
    body = _element("w:sdtContent")
    for element in content:
        body.append(element)
    sdt.append(body)
    return sdt


def custom_properties_xml(properties: Sequence[tuple[str, str]]) -> bytes:
    """``docProps/custom.xml`` with text properties (name, value), in order."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">',
    ]
    for pid, (name, value) in enumerate(properties, start=2):
        lines.append(
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" '
            f'name="{escape(name)}"><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        )
    lines.append("</Properties>")
    return "".join(lines).encode("utf-8")
