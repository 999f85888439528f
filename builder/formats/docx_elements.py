"""Paragraph and run elements made directly, as python-docx would write them.

python-docx adds a paragraph's style and a run through generic code that looks a style up
by name among all the document's styles and searches a schema-ordered list of up to 35
tags for each child it inserts. The Word writer adds hundreds of paragraphs and table
cells to a document, so it makes these few elements itself, with exactly the markup
python-docx writes (``tests/writers/test_render_speed.py`` compares the two):

* ``<w:p><w:pPr><w:pStyle w:val="…"/></w:pPr><w:r><w:t>…</w:t></w:r></w:p>``, the run
  only for non-empty text;
* ``xml:space="preserve"`` on ``w:t`` when the text has leading or trailing whitespace
  (as ``str.strip`` sees it, so U+3000 counts).

Text must not hold tabs or line breaks (python-docx turns those into ``w:tab``/``w:br``);
the Word writer refuses them before calling these functions.

Elements are made with python-docx's ``OxmlElement``, so they are python-docx's element
classes and its API keeps working on them (``get_or_add_pPr`` and so on).
"""

from __future__ import annotations

from typing import Final, cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R

__all__ = ["set_paragraph_style", "styled_paragraph", "text_run"]

_VAL: Final = qn("w:val")
_SPACE: Final = qn("xml:space")
_PPR: Final = qn("w:pPr")


def text_run(text: str) -> CT_R:
    """``<w:r><w:t>text</w:t></w:r>``: what ``Paragraph.add_run(text)`` appends."""
    run = cast(CT_R, OxmlElement("w:r"))
    t = OxmlElement("w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_SPACE, "preserve")
    run.append(t)
    return run


def set_paragraph_style(p: CT_P, style_id: str) -> None:
    """Give ``p`` the paragraph style ``style_id`` (``w:pPr/w:pStyle``), as python-docx's
    ``Paragraph.style`` setter does; a new ``w:pPr`` goes first, where the schema has it."""
    ppr = p.find(_PPR)
    if ppr is not None:  # not made here: let python-docx place w:pStyle among its children
        p.style = style_id
        return
    ppr = OxmlElement("w:pPr")
    p_style = OxmlElement("w:pStyle")
    p_style.set(_VAL, style_id)
    ppr.append(p_style)
    p.insert(0, ppr)


def styled_paragraph(style_id: str, text: str) -> CT_P:
    """A paragraph of style ``style_id`` holding ``text`` in one run (no run if empty)."""
    p = cast(CT_P, OxmlElement("w:p"))
    set_paragraph_style(p, style_id)
    if text:
        p.append(text_run(text))
    return p
