"""The README's Japanese tutorial (「はじめての一部改正」, 「様式の配布と回収」) cannot rot: every
command in it runs here, in order, in a copy of the sources, as a drafter would type it —
the edit it asks for is made by replacing the line it names with the YAML it shows, the
returned form is a prefilled form filled like a user in Excel — and what the tutorial
says each command prints or writes is checked."""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.build.start_methods import SOURCES, copy_project
from tests.forms.test_forms_common import KUIKI, fill_xlsx, form, full_filling

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NOTICES = Path(sys.executable).parent / "notices"


@dataclass(frozen=True)
class Step:
    """A command block (``sh``) or an edit (``yaml`` after a ``tutorial:edit`` marker)."""

    kind: str
    text: str
    target: str = ""
    replaces: str = ""


def tutorial_steps(readme: str) -> list[Step]:
    """The tutorial's steps, in order, from between its start and end markers."""
    start = readme.index("<!-- tutorial:start")
    body = readme[start : readme.index("<!-- tutorial:end -->", start)]
    steps: list[Step] = []
    pattern = re.compile(
        r'(?:<!-- tutorial:edit (\S+) replaces "([^"]+)" -->\n)?```(sh|yaml)\n(.*?)```', re.S
    )
    for match in pattern.finditer(body):
        target, replaces, language, text = match.groups()
        if language == "yaml":
            assert target, "a yaml block in the tutorial needs a tutorial:edit marker"
            steps.append(Step("edit", text, target, replaces))
        else:
            steps.extend(Step("command", line) for line in text.splitlines() if line.strip())
    return steps


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = line.replace(".venv/bin/notices", str(NOTICES))
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def _serve(line: str, cwd: Path) -> str:
    """Start the preview as written (its browser is `true`), wait until it serves, stop it
    with Ctrl-C; what it printed."""
    command = line.replace(".venv/bin/notices", str(NOTICES)).split()
    env = {**os.environ, "BROWSER": "true"}
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line_out = process.stdout.readline()
        if not line_out and process.poll() is not None:
            break
        seen += line_out
        if "http://127.0.0.1:" in line_out:
            break
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    return seen + rest


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("tutorial") / "通知", (*SOURCES, "schemas"))


def test_the_tutorial_has_its_steps() -> None:
    steps = tutorial_steps(README.read_text(encoding="utf-8"))
    commands = [s.text for s in steps if s.kind == "command"]
    assert sum(s.kind == "edit" for s in steps) == 1
    for verb in ("new-amendment", "check", "kaibun", "diff", "build", "serve", "forms", "ingest"):
        assert any(f"notices {verb}" in c for c in commands), verb


def test_the_setup_line_is_the_readme_build_command() -> None:
    """The first step installs the tool: it is the README's build command, which CI runs
    verbatim on a fresh machine (.ci/run), so this test runs only its build."""
    readme = README.read_text(encoding="utf-8")
    setup = tutorial_steps(readme)[0].text
    assert setup == (
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/notices build"
    )
    assert setup in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_step_of_the_tutorial(copy: Path) -> None:
    steps = tutorial_steps(README.read_text(encoding="utf-8"))
    outputs: dict[str, str] = {}
    for step in steps:
        if step.kind == "edit":
            path = copy / step.target
            text = path.read_text(encoding="utf-8")
            assert text.count(step.replaces + "\n") == 1, f"{step.target}: {step.replaces}"
            path.write_text(text.replace(step.replaces + "\n", step.text, 1), encoding="utf-8")
            continue
        line = step.text
        if line.startswith("python3 -m venv"):
            line = line.split("&&")[-1].strip()  # the install is CI's; run the build
        if "notices serve" in line:
            outputs[line] = _serve(line, copy)
            continue
        if "notices ingest" in line:
            _returned_forms(copy)
        result = _run(line, copy)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        outputs[line] = result.stdout + result.stderr

    kaibun = next(out for line, out in outputs.items() if "notices kaibun" in line)
    assert kaibun.splitlines()[0] == "別添1 沖縄県の項中「南部」の下に「、北部」を加える。"
    assert "OK" in next(out for line, out in outputs.items() if "notices check" in line)
    diff = next(out for line, out in outputs.items() if "notices diff" in line)
    assert "北部" in diff and "沖縄県" in diff
    package = copy / "out" / "医政発0731第1号" / "2025-06-01"
    for name in ("consolidated", "cover-notice", "comparison"):
        for suffix in ("docx", "pdf", "txt"):
            assert (package / f"{name}.{suffix}").is_file(), f"{name}.{suffix}"
    assert (package / "kaibun.txt").is_file() and (package / "別添1.xlsx").is_file()
    assert (copy / "out" / "site" / "index.html").is_file()
    serve = next(out for line, out in outputs.items() if "notices serve" in line)
    assert "http://127.0.0.1:" in serve
    assert list((copy / "out-forms" / "forms").glob("*/兵庫県/*.xlsx"))
    ingest = next(out for line, out in outputs.items() if "notices ingest" in line)
    assert re.search(r"\bok\b", ingest), ingest
    assert (copy / "集計.xlsx").is_file() and any((copy / "returns").iterdir())


def _returned_forms(copy: Path) -> None:
    """What a prefecture sends back: the prefilled 区域対応方針 of 兵庫県 東播磨, filled in
    Excel, saved into 受領/."""
    received = copy / "受領"
    received.mkdir(exist_ok=True)
    (prefilled,) = glob.glob(str(copy / "out-forms" / "forms" / KUIKI / "兵庫県" / "*.xlsx"))
    target = received / Path(prefilled).name
    shutil.copy2(prefilled, target)
    item = form(KUIKI)
    values = full_filling(item)
    typed = {k: v for k, v in values.items() if k not in ("prefecture", "areas") and v}
    fill_xlsx(target, item, typed)
