"""The cache folder holds data, not code, and is used only when nobody else can write it.

* a pickle planted where Jinja2's bytecode cache would look for a compiled template is
  never unpickled (no template is cached on disk at all);
* a self-consistent forgery of the field font's subset or metrics (right names, right
  hashes, wrong content) is not used from a folder that others can write or that
  belongs to someone else: the folder is refused with one warning line;
* a zlib bomb in place of a cached subset costs bounded memory: it is a damaged entry,
  decompressed no further than the size its name states, and made anew.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import jinja2
import pytest

from builder.core import diskcache
from builder.forms import pdf_font
from tests.conftest import ROOT

CHARACTERS = sorted("都道府県構想区域名兵庫東播磨ABC123")


class _Planted:
    """Unpickling this creates the file ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _plant_pickles(cache: Path, environment: jinja2.Environment, marker: Path) -> None:
    """A Jinja2 bytecode file whose checksum is a pickle that creates ``marker``, under
    the name Jinja2's caches give each template of ``environment``."""
    assert environment.loader is not None
    folder = cache / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    for name in environment.list_templates():
        _, filename, _ = environment.loader.get_source(environment, name)
        key = jinja2.BytecodeCache().get_cache_key(name, filename)
        payload = jinja2.bccache.bc_magic + pickle.dumps(_Planted(marker))
        (folder / f"{key}.jinja2").write_bytes(payload)
        (folder / f"__jinja2_{key}.cache").write_bytes(payload)  # FileSystemBytecodeCache


def test_a_planted_pickle_is_never_unpickled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builder import site
    from builder.documents import compose as documents

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv(diskcache.CACHE_ENV, str(cache))
    marker = tmp_path / "code-ran"
    documents._environment.cache_clear()
    site._environment.cache_clear()
    try:
        for environment in (documents._environment(None), site._environment()):
            _plant_pickles(cache, environment, marker)
        documents._environment.cache_clear()
        site._environment.cache_clear()
        for environment in (documents._environment(None), site._environment()):
            for name in environment.list_templates():
                environment.get_template(name)
    finally:
        documents._environment.cache_clear()
        site._environment.cache_clear()
    assert not marker.exists()
    written = {p.name for p in (cache / "templates").iterdir()}
    planted = {p.name for p in (cache / "templates").iterdir() if p.read_bytes()[:1] == b"j"}
    assert written == planted  # nothing new was cached there


def test_the_cache_folder_holds_only_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a build caches: the deflated subset (checked against the sha256 and size in
    its name) and its metrics as JSON (checked against the sha256 in its name)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(diskcache.CACHE_ENV, str(cache))
    made, _ = pdf_font._subset_bytes(CHARACTERS)
    pdf_font._metrics(made)
    names = sorted(p.name for p in cache.rglob("*"))
    assert len(names) == 2, names
    subset, metrics = sorted(names, key=lambda n: n.startswith("metrics"))
    assert subset.endswith(f"-{hashlib.sha256(made).hexdigest()}-{len(made)}.ttf.z")
    text = (cache / metrics).read_bytes()
    assert metrics.endswith(f"-{hashlib.sha256(text).hexdigest()}.json")


def _forge(cache: Path) -> tuple[bytes, bytes]:
    """Replace the cached subset and metrics by self-consistent forgeries (content changed,
    names made to match); the genuine subset and metrics JSON."""
    [subset] = cache.glob("subset-*.ttf.z")
    genuine = zlib.decompress(subset.read_bytes())
    forged = bytearray(genuine)
    forged[len(forged) // 2] ^= 0xFF  # same length: only the sha256 in the name changes
    old_sha, new_sha = hashlib.sha256(genuine).hexdigest(), hashlib.sha256(forged).hexdigest()
    subset.unlink()
    forged_name = subset.name.replace(old_sha, new_sha)
    (cache / forged_name).write_bytes(zlib.compress(bytes(forged), 9))
    # the metrics of the genuine subset, with every width 0 (text would overprint)
    [metrics] = cache.glob("metrics-*.json")
    text = metrics.read_bytes()
    raw = pdf_font._Metrics.from_json(text)
    zero = pdf_font._Metrics(raw.glyphs, tuple(0.0 for _ in raw.widths), 1, 0, (0, 0, 1, 1))
    zero_text = zero.to_json()
    metrics.unlink()
    name = metrics.name.replace(
        hashlib.sha256(text).hexdigest(), hashlib.sha256(zero_text).hexdigest()
    )
    (cache / name).write_bytes(zero_text)
    return genuine, text


@pytest.mark.parametrize("how", ["group-writable", "world-writable", "someone else's"])
def test_a_forgery_in_a_folder_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv(diskcache.CACHE_ENV, str(cache))
    made, _ = pdf_font._subset_bytes(CHARACTERS)
    metrics = pdf_font._metrics(made)
    _forge(cache)
    if how == "someone else's":
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to someone else")
        os.chown(cache, 12345, 12345)
    else:
        cache.chmod(0o770 if how == "group-writable" else 0o707)
    capsys.readouterr()
    assert pdf_font._subset_bytes(CHARACTERS)[0] == made
    assert pdf_font._metrics(made) == metrics
    warning = capsys.readouterr().err
    assert warning.count("\n") == 1 and str(cache) in warning and "not used" in warning


def test_a_file_others_can_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv(diskcache.CACHE_ENV, str(cache))
    made, _ = pdf_font._subset_bytes(CHARACTERS)
    metrics = pdf_font._metrics(made)
    _forge(cache)
    for path in cache.iterdir():
        path.chmod(0o666)
    assert pdf_font._subset_bytes(CHARACTERS)[0] == made
    assert pdf_font._metrics(made) == metrics


def test_a_symlinked_cache_file_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(diskcache.CACHE_ENV, str(cache))
    made, _ = pdf_font._subset_bytes(CHARACTERS)
    pdf_font._metrics(made)
    _forge(cache)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in list(cache.glob("subset-*")):
        path.rename(elsewhere / path.name)
        path.symlink_to(elsewhere / path.name)
    assert pdf_font._subset_bytes(CHARACTERS)[0] == made


_BOMB = textwrap.dedent(
    """
    import resource, sys, zlib
    from pathlib import Path
    from builder.forms import pdf_font

    characters = sorted("都道府県構想区域名兵庫東播磨ABC123")
    made, _ = pdf_font._subset_bytes(characters)
    [path] = Path(sys.argv[1]).glob("subset-*.ttf.z")
    bomb = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    with path.open("wb") as stream:
        for _ in range(1024):  # 1 GiB of zeros in about 1 MB
            stream.write(bomb.compress(zeros))
        stream.write(bomb.flush())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    again, _ = pdf_font._subset_bytes(characters)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert again == made
    print((after - before) // 1024, path.stat().st_size)
    """
)


def test_a_zlib_bomb_costs_bounded_memory(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = subprocess.run(
        [sys.executable, "-c", _BOMB, str(cache)],
        cwd=ROOT,
        env={**os.environ, diskcache.CACHE_ENV: str(cache)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    grown_mb, size = (int(v) for v in result.stdout.split())
    assert grown_mb < 100, f"reading a {size}-byte bomb grew the process by {grown_mb} MB"
