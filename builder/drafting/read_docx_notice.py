"""A .docx of a consolidated notice, as edited in Word or LibreOffice, read into pieces
(:mod:`builder.drafting.pieces`) in the shape of the notice's text form.

**How a paragraph is mapped to its unit.** Nothing the writer could hide in the file
(bookmarks, custom XML, paragraph ids) is relied on: Word and LibreOffice drop or renumber
much of it when they save, and a paragraph the drafter adds has none. The file is read in
document order instead, and aligned structurally with the version in force, the way the
text form is (``builder.drafting.read_edited``):

* the body's first table is the history block (番号, 日付, one 一部改正 pair per amendment;
  a notice never amended has two right-aligned paragraphs instead);
* paragraphs in the 「Notice Title」 style are the 件名 (one, or two when the writer split a
  long title), paragraphs up to the centred 「記」 are the 前文;
* under 記 a paragraph that starts with an item label (「1.」「(1)」「①」「・」) starts an item
  at that label's level, any other paragraph is a further paragraph of the item before it:
  the labels give the nesting, as in the text form, so an item typed anywhere with any
  style is an item, and a renumbered label is read as written;
* the paragraph equal to the contact heading (【担当者】) starts the contact block;
* a paragraph 「（別添1）」 starts an attachment; the table after it is its rows (a cell's
  paragraphs are its lines), the paragraph after the table its note.

Style names are used only for the title (their names survive a save by Word and
LibreOffice; only the title cannot be told from the 前文 by its text). Tracked changes
count as accepted: text inside ``w:ins`` is read, text inside ``w:del`` (``w:delText``)
and ``w:moveFrom`` is not, and a paragraph whose mark is deleted runs on into the next.
A paragraph or table inside a content control (``w:sdt``) is read in its place. A
position is the file and the paragraph's number in the body (a table counts as one).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

from builder.core.errors import NoticeError
from builder.core.positions import SourcePos
from builder.drafting.pieces import INDENT, PAGE, Grid, Line, Piece, refusal

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE_STYLE = "Notice Title"
LABEL_STYLE = "Notice Attachment Label"
HEADER_STYLE = "Notice Right"
INDENTED_STYLES = ("Notice Body", "Notice Item Text")
"""Paragraphs written one 字下げ in (in the text form): the 前文 and further paragraphs."""


@dataclass(frozen=True)
class DocxNotice:
    """The pieces of an edited .docx, the notice number and title of its properties, and
    its custom properties (``notice`` and ``version``, as ``notices build`` writes them;
    empty when an application dropped them)."""

    pieces: list[Piece]
    subject: str
    title: str
    properties: dict[str, str] = field(default_factory=dict)


def _skipped(element: object) -> bool:
    """Whether ``element`` lies inside deleted or moved-away text."""
    parent = getattr(element, "getparent", lambda: None)()
    while parent is not None:
        if parent.tag in (f"{W}del", f"{W}moveFrom"):
            return True
        parent = parent.getparent()
    return False


def paragraph_text(paragraph: object) -> str:
    """The text of a ``w:p`` with its tracked changes accepted; a tab (typed after a
    label, say) reads as a full-width space, a line break within the paragraph as
    nothing (the text form has neither)."""
    texts: list[str] = []
    for element in paragraph.iter(f"{W}t", f"{W}tab"):  # type: ignore[attr-defined]
        if _skipped(element):
            continue
        texts.append(INDENT if element.tag == f"{W}tab" else (element.text or ""))
    return "".join(texts)


def _mark_deleted(paragraph: object) -> bool:
    """Whether the paragraph's mark is a tracked deletion (it runs on into the next)."""
    found = paragraph.find(f"{W}pPr/{W}rPr/{W}del")  # type: ignore[attr-defined]
    return found is not None


def _cells(table: object) -> tuple[tuple[tuple[str, ...], ...], ...]:
    rows = []
    for row in table.iterfind(f"{W}tr"):  # type: ignore[attr-defined]
        if _skipped(row) or row.find(f"{W}trPr/{W}del") is not None:
            continue  # a row deleted with tracked changes
        cells = []
        for cell in row.iterfind(f"{W}tc"):
            lines = [paragraph_text(p) for p in cell.iterfind(f"{W}p")]
            cells.append(tuple(line for line in lines if line.strip(" " + INDENT)))
        rows.append(tuple(cells))
    return tuple(rows)


def blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of ``parent`` in order, also those Word wraps in a
    content control (``w:sdt``) or a custom XML element."""
    for element in parent.iterchildren():
        if element.tag in (f"{W}p", f"{W}tbl"):
            yield element
        elif element.tag == f"{W}sdt":
            content = element.find(f"{W}sdtContent")
            if content is not None:
                yield from blocks(content)
        elif element.tag == f"{W}customXml":
            yield from blocks(element)


def docx_pieces(data: bytes, shown: str) -> DocxNotice:
    """The pieces of the .docx ``data`` (named ``shown`` in messages), in document order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise NoticeError(
            refusal(
                f"{shown}: Word文書（.docx）として読めません（{exc}）",
                f"{shown}: not a Word document (.docx) ({exc}); save it as .docx",
            )
        ) from None
    styles = {style.style_id: style.name for style in document.styles}
    pieces: list[Piece] = []
    pending = ""  # text of paragraphs whose mark was deleted
    title: Line | None = None
    in_header = True
    for number, element in enumerate(blocks(document.element.body), start=1):
        pos = SourcePos(shown, number, 1)
        if element.tag == f"{W}tbl":
            if in_header and not pieces:
                for row in _cells(element):
                    label, text = ("".join(row[0]), "".join(row[1])) if len(row) > 1 else ("", "")
                    pieces.append(Line(f"{label}{INDENT}{text}" if label else text, pos))
                pieces.append(Line("", pos))
            else:
                pieces.append(Grid(_cells(element), pos))
            in_header = False
            continue
        if element.tag != f"{W}p":
            continue
        text = pending + paragraph_text(element)
        if _mark_deleted(element):
            pending = text
            continue
        pending = ""
        style_id = element.find(f"{W}pPr/{W}pStyle")
        style = styles.get(style_id.get(f"{W}val"), "") if style_id is not None else ""
        if in_header:
            if style == HEADER_STYLE and text.strip():
                pieces.append(Line(text, pos))
                continue
            in_header = False
            pieces.append(Line("", pos))
        if style == TITLE_STYLE:
            if title is not None and pieces and pieces[-1] is title:
                title = Line(title.text + text.strip(" " + INDENT), title.pos)
                pieces[-1] = title
            else:
                title = Line(text.strip(" " + INDENT), pos)
                pieces.append(title)
            continue
        if style == LABEL_STYLE:
            pieces.append(Line(PAGE + text, pos))
        elif style.startswith(INDENTED_STYLES):
            pieces.append(Line(INDENT + text.lstrip(" " + INDENT), pos))
        else:
            pieces.append(Line(text, pos))
    properties = document.core_properties
    return DocxNotice(
        pieces, properties.subject or "", properties.title or "", _custom_properties(document)
    )


_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def _custom_properties(document: Any) -> dict[str, str]:
    """The custom properties (name → text) of the package, from ``docProps/custom.xml``."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/custom.xml":
            root = ET.fromstring(part.blob)
            return {
                prop.get("name", ""): "".join(prop.itertext())
                for prop in root.findall(f"{_CUSTOM}property")
            }
    return {}
