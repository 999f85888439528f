"""`notices verify`: the real-client checks (qpdf, pdffonts, pdftotext, LibreOffice, the
OOXML validator) and their report; and the layout checker (:mod:`builder.verify.layout`,
pdfplumber and the .docx XML) that the tests run on every document of a build.
"""
