"""The cache folder (builder.diskcache): compiled templates are reused, never stale or
damaged ones, and a cache that cannot be written costs only time."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from builder import diskcache


def _environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=diskcache.template_bytecode_cache(),
    )


def _compiles(environment: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    compiled: list[str] = []
    original = environment.compile

    def counting(source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(str(name))
        return original(source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(environment, "compile", counting)
    return compiled


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(diskcache.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "a.txt.j2").write_text("{{ x }}は令和{{ y }}年", encoding="utf-8")
    return folder


def test_a_compiled_template_is_reused(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _environment(templates)
    compiled = _compiles(first, monkeypatch)
    assert first.get_template("a.txt.j2").render(x="施行", y=7) == "施行は令和7年"
    assert compiled == ["a.txt.j2"]
    assert len(list((templates.parent / "cache" / "templates").glob("*.jinja2"))) == 1
    second = _environment(templates)
    compiled = _compiles(second, monkeypatch)
    assert second.get_template("a.txt.j2").render(x="施行", y=7) == "施行は令和7年"
    assert compiled == []


def test_an_edited_template_is_compiled_again(
    templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _environment(templates).get_template("a.txt.j2").render(x="", y=1)
    (templates / "a.txt.j2").write_text("{{ x }}を改める。", encoding="utf-8")
    environment = _environment(templates)
    compiled = _compiles(environment, monkeypatch)
    assert environment.get_template("a.txt.j2").render(x="別添1") == "別添1を改める。"
    assert compiled == ["a.txt.j2"]


def test_a_damaged_cached_template_is_compiled_again(
    templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _environment(templates).get_template("a.txt.j2").render(x="", y=1)
    [cached] = (templates.parent / "cache" / "templates").glob("*.jinja2")
    cached.write_bytes(cached.read_bytes()[:40] + b"\x00garbage")
    environment = _environment(templates)
    compiled = _compiles(environment, monkeypatch)
    assert environment.get_template("a.txt.j2").render(x="施行", y=7) == "施行は令和7年"
    assert compiled == ["a.txt.j2"]


def test_an_unwritable_cache_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(diskcache.CACHE_ENV, str(blocker / "cache"))
    (tmp_path / "t.j2").write_text("{{ x }}", encoding="utf-8")
    environment = _environment(tmp_path)
    assert environment.get_template("t.j2").render(x="通知") == "通知"
    diskcache.store(blocker / "cache" / "x", b"data")  # no exception
    assert not (blocker / "cache").exists()
