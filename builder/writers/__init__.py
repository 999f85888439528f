"""One writer per output format of a document (text, docx, pdf, xlsx) and the registry that
the build uses (registry).
"""
