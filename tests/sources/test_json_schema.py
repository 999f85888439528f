"""The editor schemas (schemas/*.schema.json): up to date with the pydantic models, a
description and example on every field, and every valid source (the real tree, the valid
corpus trees) valid against them, while a typo such as ``replce:`` is not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from builder.sources.json_schema import FOLDERS, SCHEMA_FILES, json_schema, schema_text
from builder.sources.yamlsafe import load_yaml
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(name))


def sources(root: Path) -> list[tuple[str, Path]]:
    found = []
    for name, folder in FOLDERS.items():
        for path in sorted((root / folder).glob("*.y*ml")):
            found.append((name, path))
    return found


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_the_committed_schemas_are_up_to_date(name: str) -> None:
    committed = (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(name), (
        f"schemas/{name}.schema.json is stale: run notices schema"
    )


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    models = [("(top)", schema), *schema.get("$defs", {}).items()]
    found = []
    for model_name, model in models:
        for branch in model.get("oneOf", [model]):
            for field, prop in branch.get("properties", {}).items():
                found.append((f"{model_name}.{field}", prop))
    return found


@pytest.mark.parametrize("name", sorted(SCHEMA_FILES))
def test_every_field_is_described(name: str) -> None:
    missing = [key for key, prop in _properties(json_schema(name)) if "description" not in prop]
    assert not missing
    if name != "form":  # the form's fields are described in the README's Forms section
        without = [key for key, prop in _properties(json_schema(name)) if "examples" not in prop]
        assert not without


def test_every_real_and_valid_source_is_valid() -> None:
    trees = [ROOT, *sorted(p for p in CORPUS.iterdir() if p.name.startswith("valid-"))]
    checked = 0
    for tree in trees:
        for name, path in sources(tree):
            value = load_yaml(path).data
            errors = [e.message for e in validator(name).iter_errors(value)]
            assert not errors, (str(path), errors[:3])
            checked += 1
    assert checked > 10


def test_a_typo_is_caught_by_the_editor() -> None:
    amendment = {
        "number": "医政発0501第1号",
        "date": "2024-05-01",
        "notice": "医政発0401第1号",
        "provenance": "x",
        "changes": [{"at": "記の2", "replce": "a", "with": "b"}],
    }
    assert list(validator("amendment").iter_errors(amendment))
    amendment["changes"] = [{"at": "記の2", "replace": "a", "with": "b"}]
    assert not list(validator("amendment").iter_errors(amendment))
    amendment["changes"] = [{"at": "第3条", "replace": "a", "with": "b"}]
    assert list(validator("amendment").iter_errors(amendment))


def test_every_source_points_its_editor_at_its_schema() -> None:
    from builder.sources.json_schema import schema_comment

    for name, path in sources(ROOT):
        depth = len(path.relative_to(ROOT).parts) - 1
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == schema_comment(name, depth), path


def test_notices_schema_writes_the_committed_files(tmp_path: Path) -> None:
    from builder.cli.main import main

    assert main(["--root", str(ROOT), "schema", "--out", str(tmp_path)]) == 0
    for name in SCHEMA_FILES:
        written = (tmp_path / f"{name}.schema.json").read_text(encoding="utf-8")
        assert written == (ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


def test_the_pre_commit_hook_runs_check() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["id"] == "notices-check" and hooks[0]["entry"] == "notices check"
    assert hooks[0]["pass_filenames"] is False
