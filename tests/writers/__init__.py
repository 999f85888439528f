"""Tests of The text, Word, PDF and Excel writers of documents, fonts and line breaking."""
