"""How the documents of an amendment cite the notice they amend: the title in force when
the amendment is issued (issue #15: after a 件名 change, later amendments still cited the
old title)."""

from __future__ import annotations

from builder.documents.compose import cover_notice, distribution_letter
from builder.sources.workspace import Workspace
from builder.writers.text import render_text
from tests.conftest import MINI_NOTICE, amendment_yaml
from tests.engine.test_engine import MakeProject

LETTER = "letter: {number: 医政発0501第2号, list: 別記}\n"
LIST = "id: 別記\ntitle: 別記\naddressee: 別記団体の長\nmembers: [公益社団法人試験会]\n"


def test_later_amendments_cite_the_title_in_force(make_project: MakeProject) -> None:
    first = amendment_yaml(
        "医政発0501第1号", "2024-05-01", "  - {at: 件名, replace: 試験用, with: 検証用}\n"
    )
    second = amendment_yaml(
        "医政発0601第1号", "2024-06-01", "  - {at: 記の2, replace: 区域対応方針, with: 方針}\n"
    ).replace("provenance:", LETTER.replace("0501第2号", "0601第2号") + "provenance:")
    root = make_project({"a.yaml": first, "b.yaml": second}, notice=MINI_NOTICE)
    (root / "notices" / "lists").mkdir()
    (root / "notices" / "lists" / "betsuki.yaml").write_text(LIST, encoding="utf-8")
    workspace = Workspace(root)
    history = workspace.history(workspace.find_notice("医政発0401第1号"))
    renaming, later = history.versions[1], history.versions[2]

    # the amendment that changes the 件名 cites the notice by the title it had
    text = render_text(cover_notice(history, renaming, None, "c"))
    assert "「試験用の通知について」の一部改正について" in text
    assert "標記について、「試験用の通知について」（令和6年4月1日付け" in text

    # a later amendment cites the title as changed, in the cover notice and the letter
    text = render_text(cover_notice(history, later, None, "c"))
    assert "「検証用の通知について」の一部改正について" in text
    assert (
        "標記について、「検証用の通知について」（令和6年4月1日付け医政発0401第1号（令和6年5月1日一部改正））"
        in text
    )
    assert "試験用の通知" not in text
    letter = render_text(distribution_letter(workspace.project, history, later, None, "d"))
    assert "「検証用の通知について」の一部改正について" in letter
    assert "試験用の通知" not in letter
