"""The one rule on a form attachment's title (別添2): printed once.

The attachment's title (「区域対応方針（様式例）」) stands in the form's title style, and
the form's own title (「区域対応方針」) is not printed again when the attachment's title
starts with it. The PDF and Word writers print it so; the text rendering keeps both lines
(its words are the issued text), so whatever compares a print layout with the text —
``notices verify``, ``amend-from`` reading an edited .docx — drops the second line.
"""

from __future__ import annotations


def shares_title(attachment_title: str, form_title: str) -> bool:
    """Whether a form attachment titled ``attachment_title`` prints the form (titled
    ``form_title``) under its own title only: the attachment's title starts with the
    form's (「区域対応方針（様式例）」 and 「区域対応方針」)."""
    return bool(form_title) and attachment_title.startswith(form_title)
