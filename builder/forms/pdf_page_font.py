"""A form page's printed 明朝 text set in the field font, so the PDF carries IPAex明朝 once.

reportlab embeds its own subsets of the fonts a page draws with (simple TrueType fonts of
up to 256 characters each); the fillable form also carries the field font of
:mod:`builder.forms.pdf_font`, a subset of the same IPAex明朝 with every character a user
can type. Embedding both holds the same glyphs twice (about 60 kB of a 2 MB form), so
:func:`set_page_text_in_field_font` rewrites the page's content streams: every string
shown in one of reportlab's IPAex明朝 subsets is re-encoded as the field font's two-byte
codes and shown in the field font (``/FJ``); reportlab's subsets are then unreferenced
and :func:`drop_unreachable` leaves them out of the file.

Nothing moves on the page: the field font's widths are the same unrounded advances
reportlab laid the text out with (``/W`` holds them to four decimals as reportlab's
``/Widths`` does), there is no word spacing (``Tw`` would act on single-byte spaces only,
so a page using it is refused), and the characters are those of reportlab's own
``/ToUnicode`` maps, so text extraction gives the same text. IPAexゴシック text (headings)
is left as reportlab wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final, cast

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from builder.forms.pdf_font import FieldFont

__all__ = ["drop_unreachable", "set_page_text_in_field_font"]

MINCHO_BASE_FONT_SUFFIX: Final = "+IPAexMincho"
"""reportlab names its subsets of the bundled IPAex明朝 ``<tag>+IPAexMincho``."""

_BFCHAR: Final = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,8})>")
_STRING_OPERATORS: Final = frozenset({b"Tj", b"TJ"})
_REFUSED_OPERATORS: Final = frozenset({b"Tw", b"'", b'"'})
"""Word spacing, and the quote operators that set it: not used by reportlab's platypus
for CJK text, and not carried over to two-byte codes, so a page with them is refused."""


def set_page_text_in_field_font(
    writer: PdfWriter, font: FieldFont, resource: NameObject, reference: IndirectObject
) -> bool:
    """Rewrite every page of ``writer`` so that text shown in reportlab's IPAex明朝 subsets
    is shown in ``font`` (the font dictionary ``reference``, named ``resource`` in the
    pages' ``/Font`` resources), and leave the subsets out of the file. True if any page
    drew in such a subset.

    ``RuntimeError`` if a character of the page is not in ``font`` or the page uses an
    operator this rewrite does not carry over (``Tw``, ``'``, ``"``): a bug of the
    caller's, never a silent change of the page.
    """
    pages = []
    tables: dict[int, dict[NameObject, dict[int, bytes]]] = {}  # per /Font dictionary
    for page in writer.pages:
        fonts = page.get("/Resources", DictionaryObject()).get_object().get("/Font")
        if fonts is None:
            continue
        fonts = fonts.get_object()
        if id(fonts) not in tables:
            tables[id(fonts)] = {
                name: _code_table(entry.get_object(), font)
                for name, entry in fonts.items()
                if _is_mincho_subset(entry.get_object())
            }
        codes = tables[id(fonts)]
        if codes:  # pages may share one /Font dictionary: rewrite all before changing it
            pages.append((page, fonts, codes))
    for page, _, codes in pages:
        contents = page.get_contents()
        if contents is not None:
            _rewrite(contents, codes, resource)
            page.replace_contents(contents)
            page.compress_content_streams(level=9)
    for _, fonts, codes in pages:
        for name in codes:
            fonts.pop(name, None)
        fonts[resource] = reference
    if pages:
        drop_unreachable(writer)
    return bool(pages)


def _is_mincho_subset(font: Any) -> bool:
    return (
        isinstance(font, DictionaryObject)
        and font.get("/Subtype") == "/TrueType"
        and str(font.get("/BaseFont", "")).endswith(MINCHO_BASE_FONT_SUFFIX)
    )


def _code_table(subset: DictionaryObject, font: FieldFont) -> dict[int, bytes]:
    """Each one-byte code of a reportlab subset → the field font's two-byte code for the
    same character (from the subset's ``/ToUnicode``)."""
    table: dict[int, bytes] = {}
    to_unicode = cast(StreamObject, subset["/ToUnicode"].get_object())
    for code, unicode_hex in _BFCHAR.findall(to_unicode.get_data()):
        character = bytes.fromhex(unicode_hex.decode("ascii")).decode("utf-16-be")
        glyph = font.glyphs.get(character)
        if glyph is not None:
            table[int(code, 16)] = glyph.to_bytes(2, "big")
    return table


def _rewrite(
    contents: ContentStream, codes: dict[NameObject, dict[int, bytes]], to: NameObject
) -> None:
    """Re-encode in place the strings shown in the fonts of ``codes``; their ``Tf`` → ``to``."""
    current: dict[int, bytes] | None = None
    saved: list[dict[int, bytes] | None] = []
    for operands, operator in contents.operations:
        if operator == b"q":
            saved.append(current)
        elif operator == b"Q":
            current = saved.pop() if saved else None
        elif operator == b"Tf":
            current = codes.get(operands[0])
            if current is not None:
                operands[0] = to
        elif operator in _REFUSED_OPERATORS:
            raise RuntimeError(
                f"form page uses {operator.decode()}; cannot set it in the field font"
            )
        elif current is not None and operator in _STRING_OPERATORS:
            operands[0] = _reencoded(operands[0], current)


def _reencoded(operand: Any, codes: dict[int, bytes]) -> Any:
    if isinstance(operand, ArrayObject):  # TJ: strings and position adjustments
        strings = (ByteStringObject, TextStringObject)
        return ArrayObject(
            _reencoded(item, codes) if isinstance(item, strings) else item for item in operand
        )
    raw = operand.get_original_bytes() if isinstance(operand, TextStringObject) else bytes(operand)
    try:
        return ByteStringObject(b"".join(codes[code] for code in raw))
    except KeyError as exc:
        raise RuntimeError(
            f"form page shows code {exc.args[0]:#04x}, whose character the field font lacks"
        ) from None


def drop_unreachable(writer: PdfWriter) -> None:
    """Leave out of ``writer`` every object not reachable from its trailer (written as
    free entries), such as the subsets :func:`set_page_text_in_field_font` replaced."""
    reachable: set[int] = set()
    pending: list[Any] = [writer.root_object.indirect_reference]
    if writer._info is not None:
        pending.append(writer._info.indirect_reference)
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in reachable:
                continue
            reachable.add(item.idnum)
            item = item.get_object()
        pending.extend(_children(item))
    for index in range(len(writer._objects)):
        if index + 1 not in reachable:
            writer._objects[index] = None


def _children(item: Any) -> Iterator[Any]:
    if isinstance(item, DictionaryObject):  # stream objects too
        yield from item.values()
    elif isinstance(item, ArrayObject):
        yield from item
