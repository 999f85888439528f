"""The cache folder (builder.core.diskcache): templates are compiled, never cached on disk (a
cached template would be code); files are read only from a folder nobody else can write,
never through a symlink, never larger than allowed; a cache that cannot be written costs
only time."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import jinja2
import pytest

from builder.core import diskcache


def _environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(templates))


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "a.txt.j2").write_text("{{ x }}は令和{{ y }}年", encoding="utf-8")
    return folder


def test_templates_are_not_cached_on_disk(templates: Path) -> None:
    assert _environment(templates).get_template("a.txt.j2").render(x="施行", y=7) == "施行は令和7年"
    (templates / "a.txt.j2").write_text("{{ x }}を改める。", encoding="utf-8")
    assert _environment(templates).get_template("a.txt.j2").render(x="別添1") == "別添1を改める。"
    assert not (templates.parent / "cache").exists()


def test_a_missing_folder_is_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path / "a" / "cache"))
    folder = diskcache.trusted_folder()
    assert folder == (tmp_path / "a" / "cache").resolve()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o700


def test_a_folder_under_one_others_can_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # not sticky: anyone could rename the cache folder and plant one
    (shared / "cache").mkdir(mode=0o700)
    monkeypatch.setenv(diskcache.CACHE_ENV, str(shared / "cache"))
    assert diskcache.trusted_folder() is None
    assert diskcache.trusted_folder() is None
    assert capsys.readouterr().err.count("not used") == 1  # one warning line
    shared.chmod(0o1777)  # sticky, as /tmp: only the owner may rename what is in it
    assert diskcache.trusted_folder() == (shared / "cache").resolve()


def test_a_symlinked_folder_is_judged_where_it_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path / "link"))
    assert diskcache.trusted_folder() == real.resolve()
    real.chmod(0o777)
    assert diskcache.trusted_folder() is None


def test_load_reads_only_small_private_regular_files(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"12345")
    path.chmod(0o600)
    assert diskcache.load(path, 5) == b"12345"
    assert diskcache.load(path, 4) is None
    path.chmod(0o620)
    assert diskcache.load(path, 5) is None
    path.chmod(0o600)
    (tmp_path / "link").symlink_to(path)
    assert diskcache.load(tmp_path / "link", 5) is None
    assert diskcache.load(tmp_path / "missing", 5) is None
    assert diskcache.load(tmp_path, 5) is None


def test_inflate_stops_at_the_stated_size() -> None:
    data = b"\x00" * 1000
    digest = hashlib.sha256(data).hexdigest()
    flate = zlib.compress(data)
    assert diskcache.inflate(flate, 1000, digest) == data
    assert diskcache.inflate(flate, 999, digest) is None  # more than stated
    assert diskcache.inflate(flate, 1001, digest) is None  # less than stated
    assert diskcache.inflate(flate[:-3], 1000, digest) is None  # truncated
    assert diskcache.inflate(flate + b"x", 1000, digest) is None  # trailing bytes
    assert diskcache.inflate(b"not zlib", 1000, digest) is None
    assert diskcache.inflate(zlib.compress(b"\x01" * 1000), 1000, digest) is None


def test_an_unwritable_cache_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(diskcache.CACHE_ENV, str(blocker / "cache"))
    assert diskcache.trusted_folder() is None
    (tmp_path / "t.j2").write_text("{{ x }}", encoding="utf-8")
    environment = _environment(tmp_path)
    assert environment.get_template("t.j2").render(x="通知") == "通知"
    diskcache.store(blocker / "cache" / "x", b"data")  # no exception
    assert not (blocker / "cache").exists()


def test_store_writes_a_private_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    diskcache.store(tmp_path / "c" / "x", b"data")
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["x"]
    assert (tmp_path / "c" / "x").stat().st_mode & 0o777 == 0o600


def test_the_folder_is_the_platforms_user_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without NOTICES_CACHE_DIR: platformdirs' user cache folder for "notices" (on Linux
    $XDG_CACHE_HOME/notices, as before); NOTICES_CACHE_DIR still wins."""
    import platformdirs

    monkeypatch.delenv(diskcache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = Path(platformdirs.user_cache_dir("notices", appauthor=False))
    assert diskcache.cache_folder() == expected
    if platformdirs.PlatformDirs is platformdirs.unix.Unix:
        assert expected == tmp_path / "xdg" / "notices"
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path / "mine"))
    assert diskcache.cache_folder() == tmp_path / "mine"


def test_no_absolute_platform_folder_means_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(diskcache.CACHE_ENV, raising=False)
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *args, **kwargs: "notices")
    assert diskcache.cache_folder() is None
    assert diskcache.trusted_folder() is None
