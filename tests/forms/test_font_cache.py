"""The cache of the PDF form fields' font subset: a cached subset is exactly the one made
anew, a damaged or foreign file in the cache is never used, and a cache that cannot be
written costs only time; the same for the subset's metrics kept beside it."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import pytest

from builder.core.diskcache import CACHE_ENV
from builder.forms import pdf_font

CHARACTERS = sorted("都道府県構想区域名兵庫東播磨ABC123")


def _cached(folder: Path) -> list[Path]:
    return sorted(folder.glob("subset-*.ttf.z"))


def test_a_cached_subset_is_the_one_made_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    made, flate = pdf_font._subset_bytes(CHARACTERS)
    [path] = _cached(tmp_path)
    assert path.read_bytes() == flate == zlib.compress(made, 9)
    assert path.name.endswith(f"-{hashlib.sha256(made).hexdigest()}-{len(made)}.ttf.z")
    assert pdf_font._subset_bytes(CHARACTERS) == (made, flate)
    assert pdf_font._make_subset(CHARACTERS) == made  # the cache changes nothing
    other, _ = pdf_font._subset_bytes([*CHARACTERS, "鬱"])
    assert other != made and len(_cached(tmp_path)) == 2


def test_a_damaged_cached_subset_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
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
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    made, flate = pdf_font._subset_bytes(CHARACTERS)
    assert made == pdf_font._make_subset(CHARACTERS) and zlib.decompress(flate) == made


def test_cached_metrics_are_the_fonts_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The glyph map and widths kept beside the subset are what fontTools reads from it,
    and the next read takes them from there."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    made, _ = pdf_font._subset_bytes(CHARACTERS)
    read = pdf_font._read_metrics(made)
    assert pdf_font._metrics(made) == read
    [path] = sorted(tmp_path.glob("metrics-*.json"))
    assert path.name.startswith(f"metrics-1-{hashlib.sha256(made).hexdigest()}-")
    assert path.name.endswith(f"-{hashlib.sha256(path.read_bytes()).hexdigest()}.json")
    assert pdf_font._Metrics.from_json(path.read_bytes()) == read
    assert set(read.glyphs) == set(CHARACTERS)
    assert sorted(read.glyphs.values()) == list(range(1, len(read.widths)))


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b'{"characters": "AB", "ids": [1], "widths": [0, 500], "ascent": 1, "descent": 0,'
        b' "bbox": [0, 0, 1, 1]}',  # one id for two characters
        b'{"characters": "A", "ids": [9], "widths": [0, 500], "ascent": 1, "descent": 0,'
        b' "bbox": [0, 0, 1, 1]}',  # an id beyond the glyphs
        b'{"characters": "A", "ids": [1], "widths": [0, 500]}',  # fields missing
    ],
)
def test_damaged_cached_metrics_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    made, _ = pdf_font._subset_bytes(CHARACTERS)
    read = pdf_font._metrics(made)
    [path] = sorted(tmp_path.glob("metrics-*.json"))
    damaged = path.with_name(
        path.name.replace(path.name[-69:-5], hashlib.sha256(damage).hexdigest())
    )
    path.rename(damaged)
    damaged.write_bytes(damage)  # named by its own sha256: only its content is damaged
    assert pdf_font._metrics(made) == read
    assert pdf_font._Metrics.from_json(path.read_bytes()) == read  # written again
