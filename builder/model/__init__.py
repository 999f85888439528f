"""The document model, pure data without I/O: a notice and its amendments (notice), a
fillable form (form), and a document as blocks to write (document).
"""
