"""An amendment read from published 改め文: the sentences under 記 of a cover notice (as
text), each read by the parser the round-trip check uses (``engine.kaibun_parse``), then
applied to the version in force and written back, so that what is drafted is exactly what
was published — or refused, naming the line it could not read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from builder.core.errors import NoticeError, Problem
from builder.core.positions import SourcePos
from builder.drafting.change_yaml import change_yaml
from builder.engine.amend import History, Version, apply, resolve
from builder.engine.kaibun import kaibun_text
from builder.engine.kaibun_parse import KaibunSyntaxError, parse_kaibun
from builder.engine.textform import INDENT
from builder.engine.units import UnitError
from builder.model.notice import Amendment, Change

END_MARKS = ("以上", "（以上）")
"""A line that ends the 記 of a cover notice."""


def kaibun_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) of the 改め文 in ``text``: the lines after the line 「記」 (or
    every line, when there is none) up to 「以上」, blank lines left out."""
    lines = text.replace("\r\n", "\n").replace("\f", "\n").split("\n")
    start = next((i + 1 for i, line in enumerate(lines) if line.strip(" " + INDENT) == "記"), 0)
    found: list[tuple[int, str]] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip(" " + INDENT)
        if stripped in END_MARKS:
            break
        if stripped:
            found.append((number, line.rstrip(" ")))
    return found


def read_kaibun(text: str, shown: str) -> list[Change]:
    """The changes of the 改め文 in ``text``; ``NoticeError`` at the line of the first
    sentence that cannot be read (``shown`` names the file)."""
    entries: list[tuple[int, list[str]]] = []
    for number, line in kaibun_lines(text):
        if line.startswith(INDENT) and entries:
            entries[-1][1].append(line)
        else:
            entries.append((number, [line.lstrip(" " + INDENT)]))
    if not entries:
        raise NoticeError(f"{shown}: no 改め文 found (the sentences under the line 「記」)")
    changes: list[Change] = []
    for number, lines in entries:
        try:
            changes += parse_kaibun("\n".join(lines) + "\n")
        except (KaibunSyntaxError, UnitError, ValueError) as exc:
            raise NoticeError(
                [Problem(f"{exc}; the sentence reads 「{lines[0]}」", SourcePos(shown, number, 1))]
            ) from None
    return changes


def amendment_from_kaibun(
    history: History, text: str, shown: str, number: str, date: dt.date
) -> tuple[str, Version]:
    """The YAML of the amendment whose 改め文 is the one in ``text``, drafted against the
    version in force on ``date``, and the version it yields. Refused unless writing the
    改め文 of the result gives back the same sentences."""
    from builder.sources.project import read_amendment
    from builder.sources.yamlsafe import parse_yaml

    changes = read_kaibun(text, shown)
    document: dict[str, Any] = {
        "number": number,
        "date": date.isoformat(),
        "notice": history.notice.id,
        "provenance": f"Read by `notices amend-from --kaibun` from the 改め文 of {shown}.",
        "changes": [change_yaml(change) for change in changes],
    }
    written = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    amendment: Amendment = read_amendment(parse_yaml(written, "(generated)"))
    current = history.as_of(date)
    resolved = resolve(current.notice, amendment)
    amended = apply(current.notice, resolved)
    published = [line for _, line in kaibun_lines(text)]
    ours = kaibun_text(resolved).rstrip("\n").split("\n")
    if [line.strip(" " + INDENT) for line in ours] != [
        line.strip(" " + INDENT) for line in published
    ]:
        first = next(
            (
                i
                for i, (a, b) in enumerate(zip(ours, published, strict=False))
                if a.strip() != b.strip()
            ),
            min(len(ours), len(published)),
        )
        raise NoticeError(
            f"{shown}: the amendment read from the 改め文 writes them differently from sentence "
            f"line {first + 1} on (「{published[first] if first < len(published) else ''}」 → "
            f"「{ours[first] if first < len(ours) else ''}」); nothing was written"
        )
    version = Version(amended, date, (*current.amendments, amendment), resolved)
    return written, version
