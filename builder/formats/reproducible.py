"""Byte-reproducible output: normalised .docx/.xlsx zips and invariant reportlab PDFs.

python-docx and openpyxl stamp the current time into every zip entry, and openpyxl
always rewrites ``dcterms:modified``. :func:`normalize_ooxml` rewrites a saved
package so that the same content gives the same bytes on every run:

* members keep their order and their content (except ``docProps/core.xml``);
* every entry is dated 1980-01-01 00:00:00 (the zip epoch), marked as made on
  Unix (create_system 3) with mode 0o100644 (a regular file, rw-r--r--) in its
  external attributes, no extra field and no comment, deflated at level 6
  (zipfile replaces external attributes of 0 by 0o600, so 0 cannot be used);
* ``docProps/core.xml`` gets fixed ``dcterms:created``/``dcterms:modified``, a
  fixed ``dc:creator``/``cp:lastModifiedBy`` (:data:`GENERATOR`: the program made
  the file, not the ministry), and the given ``dc:title``/``dc:subject``. Other
  core properties (keywords, description, ...) are kept as written.

Deflate output can differ between zlib builds: compare hashes produced on one
machine with pinned libraries, or compare the unzipped XML.

PDFs: reportlab's ``invariant=1`` fixes the creation date, the document ID and
the font subset prefixes, so the same document built in two processes is
byte-identical. :func:`pdf_canvas_kwargs` returns those keyword arguments with
explicit metadata (reportlab's defaults are "untitled"/"anonymous") and an
embedded initial font (reportlab's default, Helvetica, is referenced on every
page and never embedded)::

    SimpleDocTemplate(buffer, pagesize=A4, **pdf_canvas_kwargs(title, subject))

A bare ``reportlab.pdfgen.canvas.Canvas`` takes the same keyword arguments but
silently ignores ``title``/``subject``/``author``/``creator``; call
:func:`set_canvas_metadata` on it as well.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any, Final
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "CORE_PROPERTIES_PATH",
    "CUSTOM_PROPERTIES_PATH",
    "DEFAULT_CREATED",
    "GENERATOR",
    "normalize_ooxml",
    "pdf_canvas_kwargs",
    "set_canvas_metadata",
]

GENERATOR: Final = "notices builder"
DEFAULT_CREATED: Final = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
CORE_PROPERTIES_PATH: Final = "docProps/core.xml"
CUSTOM_PROPERTIES_PATH: Final = "docProps/custom.xml"
_CUSTOM_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_REL: Final = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
_CUSTOM_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_FMTID: Final = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
"""The format id every custom property carries (ECMA-376 Part 1, 22.3.2.2)."""

_ZIP_EPOCH: Final = (1980, 1, 1, 0, 0, 0)
_CREATE_SYSTEM_UNIX: Final = 3
_EXTERNAL_ATTR: Final = 0o100644 << 16
_DEFLATE_LEVEL: Final = 6

_NS: Final = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
for _prefix, _uri in _NS.items():
    # Keep the conventional prefixes when the XML is serialised again.
    ET.register_namespace(_prefix, _uri)


def normalize_ooxml(
    data: bytes,
    *,
    title: str,
    subject: str = "",
    created: datetime.datetime | None = None,
    custom: tuple[tuple[str, str], ...] = (),
) -> bytes:
    """Return the .docx/.xlsx package ``data`` rewritten to be byte-reproducible.

    ``created`` (timezone-aware; default 2000-01-01T00:00:00Z) becomes both
    ``dcterms:created`` and ``dcterms:modified``. ``custom`` (name, text) pairs become
    the package's custom properties (``docProps/custom.xml``, shown by Word under File >
    Info > Properties > Advanced > Custom, and kept by Word and LibreOffice on save).
    Raises ``ValueError`` if ``created`` is naive or the package has no ``docProps/core.xml``, and
    ``zipfile.BadZipFile`` if ``data`` is not a zip.
    """
    timestamp = _w3cdtf(created if created is not None else DEFAULT_CREATED)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        names = [info.filename for info in source.infolist()]
        if CORE_PROPERTIES_PATH not in names:
            raise ValueError(
                f"not an OOXML package with core properties: no {CORE_PROPERTIES_PATH}"
            )
        contents = {name: source.read(name) for name in names}
        if custom:
            if CUSTOM_PROPERTIES_PATH not in contents:
                names.append(CUSTOM_PROPERTIES_PATH)
                contents["_rels/.rels"] = _with_custom_relationship(contents["_rels/.rels"])
                contents["[Content_Types].xml"] = _with_custom_type(contents["[Content_Types].xml"])
            contents[CUSTOM_PROPERTIES_PATH] = _custom_properties_xml(custom)
        for name in names:
            content = contents[name]
            if name == CORE_PROPERTIES_PATH:
                content = _rewrite_core_properties(content, title, subject, timestamp)
            entry = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            entry.create_system = _CREATE_SYSTEM_UNIX
            entry.external_attr = _EXTERNAL_ATTR
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content, compresslevel=_DEFLATE_LEVEL)
    return output.getvalue()


def _custom_properties_xml(custom: tuple[tuple[str, str], ...]) -> bytes:
    """``docProps/custom.xml`` with default namespaces, as Office writes it (LibreOffice
    refuses a package whose parts use other prefixes for them)."""
    properties = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(text)}</vt:lpwstr></property>"
        for pid, (name, text) in enumerate(custom, start=2)  # pids start at 2
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{properties}</Properties>'
    ).encode()


def _with_custom_relationship(rels: bytes) -> bytes:
    """``_rels/.rels`` with the relationship to the custom properties added, the rest of
    the part left as it was written."""
    text = rels.decode("utf-8")
    ids = set(re.findall(r'Id="([^"]+)"', text))
    number = 1 + len(ids)
    while f"rId{number}" in ids:
        number += 1
    added = (
        f'<Relationship Id="rId{number}" Type="{_CUSTOM_REL}" Target="{CUSTOM_PROPERTIES_PATH}"/>'
    )
    return text.replace("</Relationships>", added + "</Relationships>").encode("utf-8")


def _with_custom_type(types: bytes) -> bytes:
    """``[Content_Types].xml`` with the custom properties' content type added."""
    added = f'<Override PartName="/{CUSTOM_PROPERTIES_PATH}" ContentType="{_CUSTOM_CONTENT_TYPE}"/>'
    return types.decode("utf-8").replace("</Types>", added + "</Types>").encode("utf-8")


def _w3cdtf(moment: datetime.datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"created must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rewrite_core_properties(xml: bytes, title: str, subject: str, timestamp: str) -> bytes:
    root = ET.fromstring(xml)
    _set_text(root, "dc", "title", title)
    _set_text(root, "dc", "subject", subject)
    _set_text(root, "dc", "creator", GENERATOR)
    _set_text(root, "cp", "lastModifiedBy", GENERATOR)
    for term in ("created", "modified"):
        element = _set_text(root, "dcterms", term, timestamp)
        element.set(f"{{{_NS['xsi']}}}type", "dcterms:W3CDTF")
    # ElementTree escapes &, < and > in text when serialising.
    return bytes(ET.tostring(root, encoding="UTF-8", xml_declaration=True))


def _set_text(root: ET.Element, prefix: str, local: str, text: str) -> ET.Element:
    tag = f"{{{_NS[prefix]}}}{local}"
    element = root.find(tag)
    if element is None:
        element = ET.SubElement(root, tag)
    element.text = text
    return element


def pdf_canvas_kwargs(
    title: str,
    subject: str,
    author: str = "厚生労働省医政局",
    *,
    initial_font: str | None = None,
) -> dict[str, object]:
    """Keyword arguments for a reproducible reportlab ``SimpleDocTemplate`` or ``Canvas``.

    ``invariant=1``, explicit title, subject, author and creator
    (:data:`GENERATOR`), and ``initialFontName``: reportlab starts every page in
    this font and lists it in the page resources even if no text uses it. Its
    default, Helvetica, is never embedded, which fails ``pdffonts_embedded``; so
    ``initial_font`` defaults to the registered 明朝
    (``builder.formats.fonts.register_fonts().mincho``).

    A bare ``Canvas`` accepts all of these but silently ignores title, subject,
    author and creator: call :func:`set_canvas_metadata` on it as well.
    """
    if initial_font is None:
        # Imported here so that normalize_ooxml users do not pay for importing reportlab.
        from builder.formats.fonts import register_fonts

        initial_font = register_fonts().mincho
    return {
        "invariant": 1,
        "title": title,
        "subject": subject,
        "author": author,
        "creator": GENERATOR,
        "initialFontName": initial_font,
    }


def set_canvas_metadata(
    canvas: Any, title: str, subject: str, author: str = "厚生労働省医政局"
) -> None:
    """Set the document information of a reportlab ``Canvas`` (untyped, hence Any)."""
    canvas.setTitle(title)
    canvas.setSubject(subject)
    canvas.setAuthor(author)
    canvas.setCreator(GENERATOR)
