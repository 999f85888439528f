"""One writer per output format (text, html, csv, docx, pdf, xlsx) and the registry that
the build uses (registry).
"""
