"""`notices verify`: the real-client checks (qpdf, pdffonts, pdftotext, LibreOffice, the
OOXML validator) and their report.
"""
