"""Every writer of documents dispatches on the kind of a block with a ``match`` whose
default is ``assert_never``: a kind of block a writer has no case for is an error there
(mypy, and an AssertionError at run time), never a part of the document left out."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from builder.model.document import Document, Paragraph
from builder.writers.docx import render_docx
from builder.writers.html import render_html
from builder.writers.pdf import render_pdf
from builder.writers.text import render_text


@dataclasses.dataclass(frozen=True)
class Seal:
    """A kind of block no writer knows yet (an official seal, say)."""

    text: str = "印"


WRITERS: dict[str, Callable[[Document], object]] = {
    "txt": render_text,
    "docx": render_docx,
    "pdf": render_pdf,
    "html": render_html,
}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_new_kind_of_block_is_an_error_in_every_writer(fmt: str) -> None:
    document = Document("x", "題名", "", (Paragraph("本文である。"), Seal()))  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="Seal"):
        WRITERS[fmt](document)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_the_known_kinds_still_write(fmt: str) -> None:
    assert WRITERS[fmt](Document("x", "題名", "", (Paragraph("本文である。"),)))
