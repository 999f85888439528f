"""Low-level parts of the file formats shared by notices and forms: fonts, reproducible
zips and PDFs, WordprocessingML helpers, PDF page layout and line breaking.
"""
