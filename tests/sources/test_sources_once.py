"""Each source file is read once: the forms a build writes are the ones the project
loader read (a .yml form included), not a second parse by another loader."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import builder.sources.forms
from builder.sources.workspace import Workspace
from tests.conftest import ROOT


def test_every_form_file_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    original = builder.sources.forms.form_from_located

    def counting(located: Any) -> Any:
        parsed.append(located.path)
        return original(located)

    monkeypatch.setattr(builder.sources.forms, "form_from_located", counting)
    workspace = Workspace(ROOT)
    forms = workspace.forms
    assert sorted(forms) == ["kuiki-taio-hoshin", "suishin-kuiki-chosa"]
    assert sorted(parsed) == ["forms/kuiki-taio-hoshin.yaml", "forms/suishin-kuiki-chosa.yaml"]


def test_a_form_saved_as_yml_is_built(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("notices", "amendments", "forms"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "forms" / "suishin-kuiki-chosa.yaml").rename(root / "forms" / "suishin-kuiki-chosa.yml")
    assert "suishin-kuiki-chosa" in Workspace(root).forms
