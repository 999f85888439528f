"""Citations of one kept notice by another must agree with it, to the character: a 前文
or an item that cites 「title」（令和6年3月28日付け医政発0328第3号…） must give that
notice's title and date as its source file has them.

Only citations of notices kept in this project are checked; a citation of another
notice (a 事務連絡 without a number, a notice not transcribed) is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.core.errors import Problem
from builder.engine.units import item_segments
from builder.japanese import format_wareki
from builder.model.notice import Notice, Project

CITATION = re.compile(
    r"「(?P<title>[^「」]+)」（(?P<date>(?:令和|平成|昭和)(?:元|\d+)年\d+月\d+日)付け"
    r"(?P<number>[^\s（）「」、。]+?第\d+号)"
)
"""「title」（<和暦>付け<文書番号>…: how a notice cites another (as in the seeds)."""


def _texts(notice: Notice) -> Iterator[tuple[str, str]]:
    """(where, text) of the text a notice can cite from: 前文 and the items of 記."""
    for index, paragraph in enumerate(notice.preamble):
        yield f"前文の第{index + 1}段落", paragraph
    for item in notice.ki:
        label = item.label.removesuffix(".")
        for text in item_segments(item):
            yield f"記の{label}", text


def citation_problems(project: Project) -> list[Problem]:
    """Each citation of a kept notice whose title or date differs from that notice."""
    problems: list[Problem] = []
    for notice in project.notices:
        for where, text in _texts(notice):
            for match in CITATION.finditer(text):
                cited = project.notice(match["number"])
                if cited is None or cited.id == notice.id:
                    continue
                wanted = (cited.title, format_wareki(cited.date))
                if (match["title"], match["date"]) == wanted:
                    continue
                problems.append(
                    Problem(
                        f"{where} cites {match['number']} as 「{match['title']}」"
                        f"（{match['date']}付け）, but {cited.source} gives 「{wanted[0]}」"
                        f"（{wanted[1]}）; make the citation and the notice agree",
                        notice.where("preamble" if where.startswith("前文") else "ki"),
                    )
                )
    return problems
