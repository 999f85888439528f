"""The font of fillable PDF fields: IPAex明朝 cut down to what users type, as PDF objects.

Form fields need a font in the AcroForm's default resources (``/DR``) that viewers use
for the appearance of values: ours (pre-filled values), and, in viewers that lay out
typed text with the field's own font (poppler: Evince, Okular), what a user types.
reportlab's acroForm cannot do this with Japanese (its fields take only the standard
14 fonts), so the font is built here and added with pypdf.

Coverage (:data:`GlyphSet`):

* ``"jis"`` (default): every character of Windows-31J (cp932: JIS X 0208 levels 1 and 2,
  NEC and IBM extensions such as ①, ㈱, 髙, 﨑) and of JIS X 0208 as EUC-JP has it (〜 as
  well as ～), ASCII and half-width katakana: what a Japanese user can type on Windows,
  about 7,500 glyphs, 1.9 MB compressed instead of 5.6 MB for the whole font (7.8 MB
  uncompressed). JIS X 0213 additions outside cp932 are not covered.
* ``"used"``: only ASCII and the characters the form itself puts into fields (prefilled
  values and option texts): a few kB; text typed later shows only in viewers that
  substitute their own font for it (Chromium's PDFium does, for all Japanese text).

The subset is made with fontTools (hinting dropped, layout tables dropped), glyph ids
compacted and put in the order of the characters' code points (then the ToUnicode map and
the font's ``cmap`` are mostly runs, and the glyphs compress better: about 50 kB less
than in the font's own order); code = CID = glyph id (``/Identity-H``, ``/CIDToGIDMap
/Identity``, as pypdf expects when it fills fields), and the ToUnicode map is one-to-one:
the two code points IPAex draws with one glyph (〜 U+301C / ～ U+FF5E, ‐ U+2010 / - U+002D)
get a copy of the glyph each, so that both can be typed, extracted and told apart. The subset's name
carries a tag made from its character set, so the same set gives the same bytes.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from fontTools import version as fonttools_version  # type: ignore[import-untyped]
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from builder.core.diskcache import inflate, load, store, trusted_folder
from builder.formats.fonts import BUNDLED_MINCHO_PATH, BUNDLED_MINCHO_SHA256
from builder.formats.fonts import verify_bundled_mincho as _verify_bundled_mincho
from builder.forms.stamp import BoundedCache, new_cache

__all__ = ["GLYPH_SETS", "FieldFont", "GlyphSet", "field_font", "jis_characters"]

GlyphSet = Literal["jis", "used"]
GLYPH_SETS: Final[tuple[GlyphSet, ...]] = ("jis", "used")
_DROPPED_TABLES: Final = ("BASE", "GDEF", "GPOS", "GSUB", "vhea", "vmtx", "gasp")
_DEFAULT_WIDTH: Final = 1000
_CMAP_CHUNK: Final = 100
"""Entries per bfchar block (the CMap format allows at most 100)."""


@dataclass(frozen=True)
class FieldFont:
    """A subset of IPAex明朝: the TrueType bytes and what is needed to write with it."""

    name: str
    data: bytes
    glyphs: dict[str, int]
    """Character → glyph id (= CID = the two-byte code in a content stream)."""
    widths: tuple[float, ...]
    """Advance width of each glyph id, in thousandths of the font size, to four decimals
    (unrounded, as reportlab lays text out and writes ``/Widths``: the page text set in
    this font (:mod:`builder.forms.pdf_page_font`) keeps its positions)."""
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]
    flate: bytes = field(default=b"", repr=False, compare=False)
    """``data`` deflated at level 9, as the ``/FontFile2`` stream holds it (from the cache:
    deflating 2.7 MB takes 0.15 s); empty: deflate when needed."""

    def encode(self, text: str) -> str:
        """``text`` as the hex string of a ``Tj`` operand (unknown characters: glyph 0)."""
        return "".join(f"{self.glyphs.get(c, 0):04X}" for c in text)

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` in points at ``size``."""
        return sum(self.widths[self.glyphs.get(c, 0)] for c in text) * size / 1000

    def add_to(self, writer: PdfWriter) -> IndirectObject:
        """The font as a Type0 font dictionary in ``writer``; its indirect reference.

        The compressed font program and ToUnicode map are made once per font and process
        (:func:`_streams`); each writer gets its own stream objects holding them."""
        font_file_data, to_unicode_data = _streams(self)
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject(f"/{self.name}"),
                NameObject("/Flags"): NumberObject(6),  # serif, symbolic (not Latin)
                NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in self.bbox),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(self.ascent),
                NameObject("/Descent"): NumberObject(self.descent),
                NameObject("/CapHeight"): NumberObject(self.ascent),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): writer._add_object(_copy(font_file_data)),
            }
        )
        cid_font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType2"),
                NameObject("/BaseFont"): NameObject(f"/{self.name}"),
                NameObject("/CIDSystemInfo"): DictionaryObject(
                    {
                        NameObject("/Registry"): TextStringObject("Adobe"),
                        NameObject("/Ordering"): TextStringObject("Identity"),
                        NameObject("/Supplement"): NumberObject(0),
                    }
                ),
                NameObject("/FontDescriptor"): writer._add_object(descriptor),
                NameObject("/DW"): NumberObject(_DEFAULT_WIDTH),
                NameObject("/W"): _widths_array(self.widths),
                NameObject("/CIDToGIDMap"): NameObject("/Identity"),
            }
        )
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): NameObject(f"/{self.name}"),
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
                NameObject("/ToUnicode"): writer._add_object(_copy(to_unicode_data)),
            }
        )
        return writer._add_object(font)


_STREAMS: Final[BoundedCache[int, tuple[FieldFont, EncodedStreamObject, EncodedStreamObject]]] = (
    new_cache(16)
)
"""id of a font → (the font, its compressed font file, its compressed ToUnicode map)."""


def _streams(font: FieldFont) -> tuple[EncodedStreamObject, EncodedStreamObject]:
    """The ``/FontFile2`` and ``/ToUnicode`` streams of ``font`` (flate level 9), made once;
    never added to a writer themselves (see :func:`_copy`)."""
    cached = _STREAMS.get(id(font))
    if cached is None or cached[0] is not font:
        # What StreamObject.flate_encode(level=9) makes, with the deflated bytes reused.
        font_file = EncodedStreamObject()
        font_file[NameObject("/Length1")] = NumberObject(len(font.data))
        font_file[NameObject("/Filter")] = NameObject("/FlateDecode")
        font_file._data = font.flate or zlib.compress(font.data, 9)
        to_unicode = StreamObject()
        to_unicode.set_data(_to_unicode_cmap(font.glyphs))
        cached = (font, font_file, to_unicode.flate_encode(level=9))
        _STREAMS.put(id(font), cached)
    return cached[1], cached[2]


def _copy(stream: EncodedStreamObject) -> EncodedStreamObject:
    """A new stream object with the entries and (shared, immutable) data of ``stream``."""
    clone = EncodedStreamObject()
    clone.update(stream)
    clone._data = stream._data
    return clone


def jis_characters() -> frozenset[str]:
    """Windows-31J (cp932) ∪ JIS X 0208 (EUC-JP) ∪ ASCII ∪ half-width katakana, without
    the user-defined area (外字)."""
    return _jis_characters()


@functools.cache
def _jis_characters() -> frozenset[str]:
    found = {chr(c) for c in range(0x20, 0x7F)}
    found |= {bytes([b]).decode("cp932") for b in range(0xA1, 0xE0)}
    leads = [*range(0x81, 0xA0), *range(0xE0, 0xFD)]
    found |= _decoded("cp932", ((a, b) for a in leads for b in range(0x40, 0xFD)))
    found |= _decoded("euc_jp", ((a, b) for a in range(0xA1, 0xFF) for b in range(0xA1, 0xFF)))
    return frozenset(c for c in found if not 0xE000 <= ord(c) <= 0xF8FF)


def _decoded(encoding: str, pairs: Iterable[tuple[int, int]]) -> set[str]:
    result = set()
    for pair in pairs:
        try:
            text = bytes(pair).decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(text) == 1:
            result.add(text)
    return result


def field_font(glyph_set: GlyphSet, extra: Iterable[str] = ()) -> FieldFont:
    """The field font for ``glyph_set`` plus the characters of ``extra`` (texts the form
    writes into fields or prints on its page). Cached per process, and on disk
    (:func:`_subset_bytes`, :func:`_metrics`): making the ``jis`` subset anew takes 1 s."""
    base = jis_characters() if glyph_set == "jis" else frozenset(chr(c) for c in range(0x20, 0x7F))
    wanted = frozenset(c for text in extra for c in text if c >= " ") - base
    return _build(glyph_set, wanted)


@functools.cache
def _build(glyph_set: GlyphSet, wanted: frozenset[str]) -> FieldFont:
    base = jis_characters() if glyph_set == "jis" else frozenset(chr(c) for c in range(0x20, 0x7F))
    characters = sorted(base | wanted)
    data, flate = _subset_bytes(characters)
    metrics = _metrics(data)
    tag = "".join(
        chr(ord("A") + b % 26)
        for b in hashlib.sha256("".join(characters).encode("utf-8")).digest()[:6]
    )
    return FieldFont(
        name=f"{tag}+IPAexMincho",
        data=data,
        flate=flate,
        glyphs=metrics.glyphs,
        widths=metrics.widths,
        ascent=metrics.ascent,
        descent=metrics.descent,
        bbox=metrics.bbox,
    )


@dataclass(frozen=True)
class _Metrics:
    """What a :class:`FieldFont` takes from the subset's own tables."""

    glyphs: dict[str, int]
    widths: tuple[float, ...]
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "characters": "".join(self.glyphs),
                "ids": list(self.glyphs.values()),
                "widths": list(self.widths),
                "ascent": self.ascent,
                "descent": self.descent,
                "bbox": list(self.bbox),
            }
        ).encode("ascii")

    @classmethod
    def from_json(cls, text: bytes) -> _Metrics:
        """``ValueError`` (or ``KeyError``/``TypeError``) unless ``text`` is well-formed."""
        raw = json.loads(text)
        widths = tuple(float(w) for w in raw["widths"])
        ids = [int(i) for i in raw["ids"]]
        characters = str(raw["characters"])
        bbox = tuple(int(v) for v in raw["bbox"])
        if (
            len(ids) != len(characters)
            or len(bbox) != 4
            or not all(0 < i < len(widths) for i in ids)
        ):
            raise ValueError("inconsistent font metrics")
        return cls(
            dict(zip(characters, ids, strict=True)),
            widths,
            int(raw["ascent"]),
            int(raw["descent"]),
            (bbox[0], bbox[1], bbox[2], bbox[3]),
        )


METRICS_RECIPE: Final = "1"
"""Change when :class:`_Metrics` or how :func:`_read_metrics` reads it changes."""


_METRICS_LIMIT: Final = 4 << 20
"""The largest metrics file read from the cache (the ``jis`` set's is about 150 kB)."""


def _metrics(data: bytes) -> _Metrics:
    """The metrics of the subset ``data``: read with fontTools (about 0.15 s with its
    import), or from the cache folder (:mod:`builder.core.diskcache`), where they are kept as
    JSON named by the recipe, the subset's sha256 and the JSON's own sha256, which is
    checked when read. A damaged cached file is read again from the font and written
    anew."""
    folder = trusted_folder()
    prefix = f"metrics-{METRICS_RECIPE}-{hashlib.sha256(data).hexdigest()}-"
    if folder is not None:
        for path in folder.glob(f"{prefix}*.json"):
            text = load(path, _METRICS_LIMIT)
            if text is None or path.name != f"{prefix}{hashlib.sha256(text).hexdigest()}.json":
                continue
            try:
                return _Metrics.from_json(text)
            except (ValueError, KeyError, TypeError):
                continue
    metrics = _read_metrics(data)
    if folder is not None:
        text = metrics.to_json()
        store(folder / f"{prefix}{hashlib.sha256(text).hexdigest()}.json", text)
    return metrics


def _read_metrics(data: bytes) -> _Metrics:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(io.BytesIO(data), lazy=True)
    order = font.getGlyphOrder()
    glyph_ids = {name: index for index, name in enumerate(order)}
    glyphs = {chr(code): glyph_ids[name] for code, name in font.getBestCmap().items()}
    scale = 1000 / font["head"].unitsPerEm
    head = font["head"]
    hhea = font["hhea"]
    return _Metrics(
        glyphs=glyphs,
        widths=tuple(round(font["hmtx"][name][0] * scale, 4) for name in order),
        ascent=round(hhea.ascent * scale),
        descent=round(hhea.descent * scale),
        bbox=(
            round(head.xMin * scale),
            round(head.yMin * scale),
            round(head.xMax * scale),
            round(head.yMax * scale),
        ),
    )


SUBSET_RECIPE: Final = "3"
"""Change when :func:`_make_subset` changes what it makes: old cached subsets are then
no longer found."""


_SUBSET_LIMIT: Final = 32 << 20
"""The largest subset read from the cache, deflated or not (the whole font: 7.8 MB)."""

_SUBSET_NAME: Final = re.compile(r"-([0-9a-f]{64})-([0-9]{1,9})\.ttf\.z")
"""The end of a cached subset's name: the sha256 and size of the subset."""


def _subset_bytes(characters: list[str]) -> tuple[bytes, bytes]:
    """The TrueType subset of IPAex明朝 for ``characters``, and the same deflated at level
    9 (as the PDF holds it). That is about 1 s of fontTools and zlib work per process, so
    the deflated bytes are kept in a cache folder shared by processes and builds
    (:mod:`builder.core.diskcache`), under a name made from everything they depend on (the font's
    sha256, the characters, the recipe, fontTools' version) plus the sha256 and size of
    the subset, which are checked when they are read (inflating no more than that size).
    A missing, unwritable or damaged cache only costs the time."""
    key = hashlib.sha256(
        "\0".join(
            [BUNDLED_MINCHO_SHA256, SUBSET_RECIPE, fonttools_version, "".join(characters)]
        ).encode("utf-8", "surrogatepass")
    ).hexdigest()[:32]
    folder = trusted_folder()
    if folder is not None:
        for path in folder.glob(f"subset-{key}-*.ttf.z"):
            named = _SUBSET_NAME.fullmatch(path.name, len(f"subset-{key}"))
            if named is None or int(named[2]) > _SUBSET_LIMIT:
                continue
            flate = load(path, _SUBSET_LIMIT)
            data = None if flate is None else inflate(flate, int(named[2]), named[1])
            if flate is not None and data is not None:
                return data, flate
    data = _make_subset(characters)
    flate = zlib.compress(data, 9)
    if folder is not None:
        name = f"subset-{key}-{hashlib.sha256(data).hexdigest()}-{len(data)}.ttf.z"
        store(folder / name, flate)
    return data, flate


def _make_subset(characters: list[str]) -> bytes:
    # Imported here: importing fontTools.subset takes 0.15 s, and a cached subset
    # needs none of it.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    _verify_bundled_mincho()
    font = TTFont(BUNDLED_MINCHO_PATH, recalcBBoxes=False, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.recalc_bounds = False
    options.recalc_max_context = False
    options.drop_tables += list(_DROPPED_TABLES)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters if ord(c) <= 0xFFFF])
    subsetter.subset(font)
    _split_shared_glyphs(font)
    _order_by_code_point(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _split_shared_glyphs(font: Any) -> None:
    """Give every code point its own glyph: a code point that shares its glyph with a
    lower one is pointed at a copy (so glyph id → character is one-to-one)."""
    seen: set[str] = set()
    order = list(font.getGlyphOrder())
    glyf = font["glyf"]
    hmtx = font["hmtx"]
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        for code in sorted(table.cmap):
            name = table.cmap[code]
            copy_name = f"{name}.u{code:04X}"
            if name in seen and name != copy_name:
                if copy_name not in glyf.glyphs:
                    glyf.glyphs[copy_name] = copy.deepcopy(glyf[name])
                    hmtx.metrics[copy_name] = hmtx.metrics[name]
                    order.append(copy_name)
                table.cmap[code] = copy_name
            else:
                seen.add(name)
        seen.clear()
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)


def _order_by_code_point(font: Any) -> None:
    """Renumber the glyphs in the order of the first code point drawn with each (after
    ``.notdef``; glyphs no code point draws, if any, keep their order at the end)."""
    for tag in list(font.keys()):
        font[tag]  # decompile every table while names still mean the old order
    order = font.getGlyphOrder()
    first: dict[str, int] = {}
    for code, name in sorted(font.getBestCmap().items()):
        first.setdefault(name, code)
    drawn = sorted((name for name in order if name in first), key=first.__getitem__)
    rest = [name for name in order if name not in first and name != ".notdef"]
    new_order = [".notdef", *drawn, *rest]
    font.setGlyphOrder(new_order)
    font["glyf"].setGlyphOrder(new_order)


def _widths_array(widths: tuple[float, ...]) -> ArrayObject:
    """``/W``: runs of consecutive glyph ids whose width is not the default."""
    array = ArrayObject()
    index = 0
    while index < len(widths):
        if widths[index] == _DEFAULT_WIDTH:
            index += 1
            continue
        end = index
        while end + 1 < len(widths) and widths[end + 1] != _DEFAULT_WIDTH:
            end += 1
        array.append(NumberObject(index))
        array.append(ArrayObject(_number(w) for w in widths[index : end + 1]))
        index = end + 1
    return array


def _number(value: float) -> NumberObject | FloatObject:
    return NumberObject(int(value)) if value.is_integer() else FloatObject(value)


def _runs(
    pairs: list[tuple[int, str]],
) -> tuple[list[tuple[int, str]], list[tuple[int, int, str]]]:
    """Split (glyph id, character) pairs sorted by glyph id into single mappings and
    ranges (first id, last id, first character) of consecutive ids drawing consecutive
    BMP characters; a range stays within one high byte of both the code and the
    character, as ``bfrange`` requires."""
    singles: list[tuple[int, str]] = []
    ranges: list[tuple[int, int, str]] = []
    index = 0
    while index < len(pairs):
        glyph, char = pairs[index]
        end = index
        while end + 1 < len(pairs):
            next_glyph, next_char = pairs[end + 1]
            step = end + 1 - index
            if (
                next_glyph != glyph + step
                or ord(next_char) != ord(char) + step
                or ord(next_char) > 0xFFFF
                or next_glyph >> 8 != glyph >> 8
                or ord(next_char) >> 8 != ord(char) >> 8
            ):
                break
            end += 1
        if end == index:
            singles.append((glyph, char))
        else:
            ranges.append((glyph, pairs[end][0], char))
        index = end + 1
    return singles, ranges


def _utf16(char: str) -> str:
    return char.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(glyphs: dict[str, int]) -> bytes:
    """A ToUnicode CMap mapping each glyph id to its character."""
    pairs = sorted((glyph, char) for char, glyph in glyphs.items() if glyph)
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    singles, ranges = _runs(pairs)
    for start in range(0, len(singles), _CMAP_CHUNK):
        chunk = singles[start : start + _CMAP_CHUNK]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{g:04X}> <{_utf16(c)}>" for g, c in chunk]
        lines.append("endbfchar")
    for start in range(0, len(ranges), _CMAP_CHUNK):
        block = ranges[start : start + _CMAP_CHUNK]
        lines.append(f"{len(block)} beginbfrange")
        lines += [f"<{g:04X}> <{last:04X}> <{_utf16(c)}>" for g, last, c in block]
        lines.append("endbfrange")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return ("\n".join(lines) + "\n").encode("ascii")
