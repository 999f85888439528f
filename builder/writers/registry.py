"""The writers ``notices build`` uses, one function per output format, each importing its
library (python-docx, reportlab, openpyxl, pypdf, fontTools) only when it is first called.

A build that finds every file up to date (see :mod:`builder.build.build_record`) never calls
them, so it never pays for those imports; a full build pays once per process. The
functions' names are part of every output's content key, so renaming one rebuilds what
it writes.
"""

from __future__ import annotations

from builder.engine.tabular import printed_table, records
from builder.model.document import Document
from builder.model.form import Form
from builder.model.notice import Notice, TableAttachment
from builder.writers.csv import records_csv
from builder.writers.text import render_text

__all__ = [
    "document_docx",
    "document_pdf",
    "document_txt",
    "form_docx",
    "form_pdf",
    "form_xlsx",
    "table_csv",
    "table_pdf",
    "table_xlsx",
]


def document_txt(document: Document) -> bytes:
    """The reviewable text rendering (also the golden files)."""
    return render_text(document).encode("utf-8")


def document_docx(document: Document) -> bytes:
    """The document in Word."""
    from builder.writers.docx import render_docx

    return render_docx(document)


def document_pdf(document: Document) -> bytes:
    """The document in PDF (fonts embedded)."""
    from builder.writers.pdf import render_pdf

    return render_pdf(document)


def table_csv(table: TableAttachment) -> bytes:
    """A table attachment's records as CSV with a BOM, so that Excel opens the Japanese
    correctly: one record per area of an area table, one per row of a generic table."""
    return ("\ufeff" + records_csv(records(table))).encode("utf-8")


def table_xlsx(table: TableAttachment, title: str, subject: str, as_of_label: str) -> bytes:
    """A table attachment as .xlsx: the print sheet as printed, the data sheet its records."""
    from builder.writers.xlsx import render_table_xlsx

    return render_table_xlsx(
        printed_table(table),
        records(table),
        title=title,
        subject=subject,
        as_of_label=as_of_label,
    )


def table_pdf(table: TableAttachment, notice: Notice, as_of_label: str) -> bytes:
    """A table attachment on its own as PDF."""
    from builder.documents.compose import table_document

    return document_pdf(table_document(table, notice, as_of_label))


def form_xlsx(form: Form, prefill: dict[str, str]) -> bytes:
    """A fillable form in Excel, ``prefill`` shown and locked."""
    from builder.forms.xlsx import render_form_xlsx

    return render_form_xlsx(form, prefill)


def form_docx(form: Form, prefill: dict[str, str]) -> bytes:
    """A fillable form in Word, ``prefill`` shown and locked."""
    from builder.forms.docx import render_form_docx

    return render_form_docx(form, prefill)


def form_pdf(form: Form, prefill: dict[str, str]) -> bytes:
    """A fillable form in PDF (AcroForm), ``prefill`` shown and read-only."""
    from builder.forms.pdf import render_form_pdf

    return render_form_pdf(form, prefill)
