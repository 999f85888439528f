"""Render once, stamp many: per-process caches of the form writers.

``notices build`` writes each form once per 推進区域 with only 都道府県 and 構想区域
different. The writers keep, per process, what does not depend on the prefilled values
and put only the values in per copy:

* .xlsx / .docx (:func:`render_zip_stamped`): the blank package is rendered once per
  form; a prefilled one once per form and set of prefilled field ids, with a unique
  token (:func:`token`) as each value; a copy is that package with the tokens of its
  one XML part replaced by the XML-escaped values, the part deflated again and the
  zip's sizes, CRC and offsets patched
  (:class:`ZipStamp`). Only values whose serialisation is known exactly are stamped
  (the writer's ``stampable`` predicate: non-empty one-line text, XML characters, …);
  any other prefill is rendered directly. Each template is checked once: stamping the
  values it was made for must give the bytes of the direct render, else that template
  is never used.
* .pdf: see :mod:`builder.forms.pdf` (the document is built once per form, prefilled
  field ids and field font, and only the value-dependent objects are written per copy).

Every cache is a :class:`BoundedCache` (least recently used entries dropped beyond its
limit) made by :func:`new_cache`, and the templates of every format share one,
:data:`TEMPLATES`, keyed by the format first. :func:`clear_caches` forgets them all
(tests compare a warm render with a cold one).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

from builder.model.form import Field, Form

__all__ = [
    "TEMPLATES",
    "BoundedCache",
    "ZipStamp",
    "ascii_text",
    "clear_caches",
    "new_cache",
    "render_zip_stamped",
    "stats",
    "token",
    "utf8_text",
    "xml_escape",
    "xml_safe",
]

DEFLATE_LEVEL: Final = 6
"""As :func:`builder.formats.reproducible.normalize_ooxml` deflates (checked per template)."""

_LOCAL_HEADER: Final = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER: Final = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD: Final = struct.Struct("<4s4H2LH")

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A per-process cache of at most ``limit`` entries; the least recently used entry
    is dropped to make room (a build with many forms or glyph sets cannot grow it
    without bound)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The entry of ``key`` (now the most recently used), or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key``, dropping the least recently used beyond the
        limit; returns ``value``."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)
        return value

    def values(self) -> list[V]:
        """The entries, least recently used first."""
        return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()


_CACHES: list[BoundedCache[Any, Any]] = []
stats: dict[str, int] = {"direct": 0, "template": 0, "stamped": 0}
"""Counts of renders by path in this process (for tests and profiling)."""


def new_cache(limit: int) -> BoundedCache[Any, Any]:
    """A :class:`BoundedCache` of ``limit`` entries, emptied by :func:`clear_caches`."""
    cache: BoundedCache[Any, Any] = BoundedCache(limit)
    _CACHES.append(cache)
    return cache


TEMPLATES: Final[BoundedCache[tuple[Any, ...], Any]] = new_cache(64)
"""The templates of every form format (key: the format, then what the template was made
for): a real build makes about a dozen (2 forms × 3 formats × the sets of prefilled
fields)."""


def clear_caches() -> None:
    """Forget every cached template and font stream of this process (the font subsets of
    :func:`builder.forms.pdf_font.field_font` stay: they do not depend on a form)."""
    for cache in _CACHES:
        cache.clear()
    for name in stats:
        stats[name] = 0


def token(index: int) -> str:
    """The stand-in of the ``index``-th value: private-use characters around a number,
    no XML-special character, no surrounding whitespace, not a formula."""
    return f"\ue000STAMP{index}\ue001"


def xml_escape(text: str) -> str:
    """``text`` as lxml writes it as element content (``&``, ``<``, ``>`` escaped;
    quotes as they are); only for :func:`xml_safe` text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def utf8_text(text: str) -> bytes:
    """Element content in a part lxml writes in UTF-8 (python-docx)."""
    return xml_escape(text).encode("utf-8")


def ascii_text(text: str) -> bytes:
    """Element content in a part lxml writes in ASCII (openpyxl's worksheets): every
    other character as a decimal character reference, ``&#20853;``."""
    return xml_escape(text).encode("ascii", "xmlcharrefreplace")


def xml_safe(text: str) -> bool:
    """Every character is an XML 1.0 character that lxml writes as itself (no control
    character, not even tab, line feed or carriage return)."""
    return all(
        0x20 <= (code := ord(c)) <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000
        for c in text
    )


@dataclass(frozen=True)
class _Entry:
    local: int
    """Offset of the local header."""
    name_end: int
    """Offset of the compressed data (after the name; no extra field)."""
    data_end: int
    central: int
    """Offset of the central directory record."""


class ZipStamp:
    """A zip written by :func:`~builder.formats.reproducible.normalize_ooxml` (deflated,
    no extra fields, no data descriptors, no zip64) with one member whose content is
    ``parts`` joined by values: :meth:`stamp` writes the zip with given values."""

    def __init__(self, data: bytes, member: str, parts: Sequence[bytes], order: Sequence[int]):
        self.data = data
        self.parts = tuple(parts)
        self.order = tuple(order)
        """Index of the value between ``parts[i]`` and ``parts[i + 1]``."""
        end = data.rindex(b"PK\x05\x06")
        fields = _END_RECORD.unpack_from(data, end)
        self.end = end
        self.central_start = fields[6]
        self.entries: list[_Entry] = []
        position = self.central_start
        target: int | None = None
        for index in range(fields[4]):
            record = _CENTRAL_HEADER.unpack_from(data, position)
            name_length, extra_length, comment_length = record[12], record[13], record[14]
            local = record[18]
            name = data[position + 46 : position + 46 + name_length].decode("utf-8")
            head = _LOCAL_HEADER.unpack_from(data, local)
            if extra_length or comment_length or head[11] or record[5] & 0x08:
                raise ValueError("unexpected zip layout")
            start = local + _LOCAL_HEADER.size + head[10]
            self.entries.append(_Entry(local, start, start + record[10], position))
            if name == member:
                target = index
            position += 46 + name_length
        if target is None or position != end:
            raise ValueError(f"no member {member}")
        self.target = target

    @classmethod
    def create(cls, data: bytes, encoded: Sequence[bytes]) -> ZipStamp | None:
        """The stamp of ``data`` if every (encoded) token occurs exactly once, all in one
        member."""
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
        holders = [(name, body) for name, body in found if any(t in body for t in encoded)]
        if len(holders) != 1:
            return None
        member, content = holders[0]
        if any(content.count(t) != 1 for t in encoded):
            return None
        where = sorted((content.index(t), i) for i, t in enumerate(encoded))
        parts, start = [], 0
        for position, index in where:
            parts.append(content[start:position])
            start = position + len(encoded[index])
        parts.append(content[start:])
        try:
            return cls(data, member, parts, [index for _, index in where])
        except (ValueError, struct.error):
            return None

    def stamp(self, values: Sequence[bytes]) -> bytes:
        """The zip with ``values[i]`` (escaped and encoded) in place of the i-th token."""
        pieces = [self.parts[0]]
        for index, part in zip(self.order, self.parts[1:], strict=True):
            pieces += [values[index], part]
        content = b"".join(pieces)
        compressor = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        body = compressor.compress(content) + compressor.flush()
        crc = zlib.crc32(content)
        data = self.data
        entry = self.entries[self.target]
        delta = len(body) - (entry.data_end - entry.name_end)
        local = bytearray(data[entry.local : entry.name_end])
        struct.pack_into("<3L", local, 14, crc, len(body), len(content))
        out = [data[: entry.local], bytes(local), body, data[entry.data_end : self.central_start]]
        for index, item in enumerate(self.entries):
            record = bytearray(data[item.central : self._central_end(index)])
            if index == self.target:
                struct.pack_into("<3L", record, 16, crc, len(body), len(content))
            if index > self.target:
                struct.pack_into("<L", record, 42, item.local + delta)
            out.append(bytes(record))
        end = bytearray(data[self.end :])
        struct.pack_into("<L", end, 16, self.central_start + delta)
        out.append(bytes(end))
        return b"".join(out)

    def _central_end(self, index: int) -> int:
        return self.entries[index + 1].central if index + 1 < len(self.entries) else self.end


@dataclass(frozen=True)
class _ZipTemplate:
    field_ids: tuple[str, ...]
    stamp: ZipStamp | None
    """None: the form cannot be stamped for these fields (always rendered directly)."""


_BLANKS: Final[BoundedCache[tuple[str, Form, tuple[str, ...]], bytes]] = new_cache(16)
"""The blank package of each writer and form (the same bytes every time)."""


def render_zip_stamped(
    kind: str,
    form: Form,
    values: Mapping[str, str],
    render: Callable[[Form, dict[str, str]], bytes],
    stampable: Callable[[Field, str], bool],
    encode: Callable[[str], bytes],
) -> bytes:
    """``render(form, values)`` (checked values): the blank form rendered once, a prefill
    stamped from a cached template when every value is ``stampable`` for its field.

    ``encode`` gives a value as it stands in the XML part (:func:`utf8_text`,
    :func:`ascii_text`); ``kind`` names the writer."""
    field_ids = tuple(sorted(values))
    key = (kind, form, field_ids)
    if not values:
        blank = _BLANKS.get(key)
        if blank is None:
            stats["direct"] += 1
            blank = _BLANKS.put(key, render(form, {}))
        return blank
    if not all(stampable(form.field(k), v) for k, v in values.items()):
        stats["direct"] += 1
        return render(form, dict(values))
    found = TEMPLATES.get(key)
    template = found if isinstance(found, _ZipTemplate) else None
    if template is None:
        stats["template"] += 1
        direct = render(form, dict(values))
        tokens = {field_id: token(i) for i, field_id in enumerate(field_ids)}
        stamp = ZipStamp.create(render(form, tokens), [encode(t) for t in tokens.values()])
        if stamp is not None and stamp.stamp(_encoded(values, field_ids, encode)) != direct:
            stamp = None
        TEMPLATES.put(key, _ZipTemplate(field_ids, stamp))
        return direct
    if template.stamp is None:
        stats["direct"] += 1
        return render(form, dict(values))
    stats["stamped"] += 1
    return template.stamp.stamp(_encoded(values, field_ids, encode))


def _encoded(
    values: Mapping[str, str], field_ids: Sequence[str], encode: Callable[[str], bytes]
) -> list[bytes]:
    return [encode(values[field_id]) for field_id in field_ids]
