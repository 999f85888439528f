"""A notice that cites another kept notice gives its title and date as that notice has
them (医政発0731第1号 and the 事務連絡 both cite 医政発0328第3号)."""

from __future__ import annotations

import dataclasses

from builder.drafting.citations import CITATION, citation_problems
from builder.sources.workspace import Workspace


def test_the_real_citations_are_found_and_agree(workspace: Workspace) -> None:
    project = workspace.project
    cited = [
        match["number"]
        for notice in project.notices
        for text in notice.preamble
        for match in CITATION.finditer(text)
    ]
    assert cited.count("医政発0328第3号") == 2
    assert citation_problems(project) == []


def test_a_citation_that_disagrees_is_reported(workspace: Workspace) -> None:
    project = workspace.project
    cited = project.notice("医政発0328第3号")
    assert cited is not None
    renamed = dataclasses.replace(cited, title="2025年に向けた地域医療構想の進め方")
    notices = tuple(renamed if n is cited else n for n in project.notices)
    problems = citation_problems(dataclasses.replace(project, notices=notices))
    assert len(problems) == 2
    message = str(problems[0])
    assert (
        "前文の第1段落 cites 医政発0328第3号 as 「2025年に向けた地域医療構想の進め方について」"
        in message
    )
    assert (
        "notices/isei-0328-3.yaml gives 「2025年に向けた地域医療構想の進め方」（令和6年3月28日）"
        in message
    )
    assert message.startswith("notices/")
