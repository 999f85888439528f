"""A pypdf document written once and again with a few objects changed, without writing
the rest again (the 2 MB field font, the page) — as :meth:`pypdf.PdfWriter.write` would.

:class:`PdfStamp` keeps the bytes of every object of a writer as ``write`` lays them out
(``N 0 obj`` … ``endobj``); :meth:`PdfStamp.write` serialises only the objects given as
changed, then the cross-reference table and the trailer with pypdf's own code at the
new offsets. :meth:`PdfStamp.create` checks once that the assembly equals what pypdf
wrote for the same writer, and declines otherwise (the caller then renders directly).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from pypdf import PdfWriter
from pypdf.generic import IndirectObject

__all__ = ["PdfStamp", "write_pdf"]


def write_pdf(writer: PdfWriter) -> bytes:
    """``writer`` written as bytes (:meth:`pypdf.PdfWriter.write`)."""
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class PdfStamp:
    """The written objects of ``writer`` (not encrypted, not incremental)."""

    def __init__(self, writer: PdfWriter, header: bytes) -> None:
        self.writer = writer
        self.header = header
        self.chunks: list[bytes | None] = [
            None if obj is None else self._serialise(idnum, obj)
            for idnum, obj in enumerate(writer._objects, start=1)
        ]

    @classmethod
    def create(cls, writer: PdfWriter, written: bytes) -> PdfStamp | None:
        """The stamp of ``writer``, whose :func:`write_pdf` gave ``written``; None if the
        assembly does not give the same bytes."""
        if writer._encryption is not None or writer.incremental:
            return None
        first = written.find(b"\n1 0 obj\n")
        if first < 0:
            return None
        stamp = cls(writer, written[: first + 1])
        return stamp if stamp.write(()) == written else None

    def write(self, changed: Iterable[IndirectObject]) -> bytes:
        """The document with the objects ``changed`` written again (the others as before)."""
        chunks = list(self.chunks)
        for reference in changed:
            chunks[reference.idnum - 1] = self._serialise(reference.idnum, reference.get_object())
        pieces = [self.header]
        positions: list[int] = []
        free: list[int] = []
        offset = len(self.header)
        for idnum, chunk in enumerate(chunks, start=1):
            if chunk is None:
                positions.append(-1)
                free.append(idnum)
                continue
            positions.append(offset)
            pieces.append(chunk)
            offset += len(chunk)
        free.append(0)
        tail = _Offset(offset)
        xref = self.writer._write_xref_table(tail, positions, free)
        self.writer._write_trailer(tail, xref)
        pieces.append(tail.getvalue())
        return b"".join(pieces)

    @staticmethod
    def _serialise(idnum: int, obj: object) -> bytes:
        stream = io.BytesIO()
        stream.write(f"{idnum} 0 obj\n".encode())
        obj.write_to_stream(stream)  # type: ignore[attr-defined]
        stream.write(b"\nendobj\n")
        return stream.getvalue()


class _Offset(io.BytesIO):
    """A buffer whose :meth:`tell` counts from ``start`` (the bytes written before it)."""

    def __init__(self, start: int) -> None:
        super().__init__()
        self.start = start

    def tell(self) -> int:
        return self.start + super().tell()
