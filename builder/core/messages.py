"""The one form of every message the project prints: Japanese, then English."""

from __future__ import annotations


def bilingual(japanese: str, english: str) -> str:
    """A message in Japanese, then in English (as the project's messages are written)."""
    return f"{japanese} / {english}"
