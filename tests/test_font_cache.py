"""The cache of the PDF form fields' font subset: a cached subset is exactly the one made
anew, a damaged or foreign file in the cache is never used, and a cache that cannot be
written costs only time."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import pytest

from builder.forms import pdf_font

CHARACTERS = sorted("都道府県構想区域名兵庫東播磨ABC123")


def _cached(folder: Path) -> list[Path]:
    return sorted(folder.glob("subset-*.ttf.z"))


def test_a_cached_subset_is_the_one_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf_font.CACHE_ENV, str(tmp_path))
    made, flate = pdf_font._subset_bytes(CHARACTERS)
    [path] = _cached(tmp_path)
    assert path.read_bytes() == flate == zlib.compress(made, 9)
    assert path.name.endswith(f"-{hashlib.sha256(made).hexdigest()}.ttf.z")
    assert pdf_font._subset_bytes(CHARACTERS) == (made, flate)
    assert pdf_font._make_subset(CHARACTERS) == made  # the cache changes nothing
    other, _ = pdf_font._subset_bytes([*CHARACTERS, "鬱"])
    assert other != made and len(_cached(tmp_path)) == 2


def test_a_damaged_cached_subset_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf_font.CACHE_ENV, str(tmp_path))
    made, flate = pdf_font._subset_bytes(CHARACTERS)
    [path] = _cached(tmp_path)
    for damage in (flate[:-10] + b"x" * 10, zlib.compress(made[:-1] + b"x", 9)):
        path.write_bytes(damage)  # not deflate data; deflate of other bytes
        assert pdf_font._subset_bytes(CHARACTERS) == (made, flate)
        assert path.read_bytes() == flate  # written again


def test_an_unwritable_cache_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(pdf_font.CACHE_ENV, str(blocker / "cache"))
    made, flate = pdf_font._subset_bytes(CHARACTERS)
    assert made == pdf_font._make_subset(CHARACTERS) and zlib.decompress(flate) == made
