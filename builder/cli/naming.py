"""Naming an amendment or a notice on the command line, and completing the names.

An amendment is named by its 文書番号 (full-width digits allowed, or a prefix that
only it has), its file (``amendments/2025-03-27_isei-0327-2.yaml``, as a path from the
project or from here), its file's stem (``2025-03-27_isei-0327-2``), or its issue date
(ISO or 和暦) when no other amendment has that date. A name that fits several is refused
with the candidates, one that fits none with the amendments there are.

Completion (``_NOTICES_COMPLETE=bash_source notices``) offers the 文書番号 of the
notices and amendments under ``--root``, read from the top-level ``id:``/``number:``
lines of the files alone: a completion must answer at once, even when a source is broken.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem

from builder.cli.output import bilingual
from builder.core.errors import NoticeError

if TYPE_CHECKING:
    from builder.model.notice import Amendment, Notice
    from builder.sources.workspace import Workspace


def find_notice(workspace: Workspace, name: str) -> Notice:
    """The notice ``name`` designates: its id (文書番号; full-width digits allowed, or a
    prefix only it has). A prefix of several, or no notice, is refused with the notices
    there are."""
    from builder.japanese import best_match, normalize_query

    ids = [n.id for n in workspace.project.notices]
    found = best_match(name, ids)
    notice = workspace.project.notice(found) if found else None
    if notice is not None:
        return notice
    listed = "、".join(ids) or "なし"
    wanted = normalize_query(name)
    several = [i for i in ids if wanted and normalize_query(i).startswith(wanted)]
    if len(several) > 1:
        shown = "、".join(several)
        raise NoticeError(
            bilingual(
                f"「{name}」は複数の通知に当てはまります: {shown}。"
                "文書番号を最後まで書いてください",
                f"「{name}」 matches {len(several)} notices: {shown}; give the whole number",
            )
        )
    raise NoticeError(
        bilingual(
            f"通知「{name}」はありません。ここにある通知: {listed}",
            f"no notice 「{name}」; notices here: {listed}",
        )
    )


def find_amendment(workspace: Workspace, name: str) -> Amendment:
    """The amendment ``name`` designates (number, file, stem or unique date)."""
    amendments = sorted(workspace.project.amendments, key=lambda a: (a.date, a.number))
    by_file = _by_file(workspace.root, amendments, name)
    if by_file is not None:
        return by_file
    from builder.japanese import DateError, best_match, normalize_query, parse_date

    numbers = [a.number for a in amendments]
    found = best_match(name, numbers)
    if found is not None:
        return next(a for a in amendments if a.number == found)
    listed = "、".join(f"{a.number}（{a.date.isoformat()}）" for a in amendments) or "なし"
    try:
        day = parse_date(name)
    except DateError:
        day = None
    if day is not None:
        dated = [a for a in amendments if a.date == day]
        if len(dated) == 1:
            return dated[0]
        if dated:
            raise NoticeError(_ambiguous(name, dated, "その日付の改正が複数あります", "dated"))
        raise NoticeError(
            bilingual(
                f"{day.isoformat()}付けの改正はありません。ここにある改正: {listed}",
                f"no amendment dated {day.isoformat()}; amendments here: {listed}",
            )
        )
    wanted = normalize_query(name)
    prefixed = [a for a in amendments if wanted and normalize_query(a.number).startswith(wanted)]
    if len(prefixed) > 1:
        raise NoticeError(_ambiguous(name, prefixed, "複数の改正に当てはまります", "matches"))
    raise NoticeError(
        bilingual(
            f"改正「{name}」はありません。番号、ファイル、その名前（拡張子なし）か日付で"
            f"指定してください。ここにある改正: {listed}",
            f"no amendment 「{name}」; name one by its number, file, file stem or date; "
            f"amendments here: {listed}",
        )
    )


def _ambiguous(name: str, amendments: list[Amendment], japanese: str, english: str) -> str:
    listed = "、".join(f"{a.number}（{a.source}）" for a in amendments)
    return bilingual(
        f"「{name}」は{japanese}: {listed}。番号かファイルで指定してください",
        f"「{name}」 {english} {len(amendments)} amendments: {listed}; name one by its "
        "number or file",
    )


def _by_file(root: Path, amendments: list[Amendment], name: str) -> Amendment | None:
    """The amendment whose file ``name`` is (a path from the project root or from the
    current folder, or the file's stem)."""
    if not name.strip():
        return None
    given = Path(name)
    candidates = {given, root / given}
    resolved = set()
    for candidate in candidates:
        try:
            resolved.add(candidate.resolve())
        except OSError:
            continue
    for amendment in amendments:
        source = Path(amendment.source)
        if not amendment.source:
            continue
        if source.stem == name or (root / source).resolve() in resolved:
            return amendment
    return None


_TOP_LEVEL = {"id": re.compile(r"^id:\s*(\S+)"), "number": re.compile(r"^number:\s*(\S+)")}


def _names(folder: Path, key: str) -> list[str]:
    """The value of the top-level ``key`` of each YAML file in ``folder`` (quoted or not;
    files that do not say it are left out)."""
    pattern = _TOP_LEVEL[key]
    names = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            match = pattern.match(line)
            if match:
                names.append(match.group(1).strip("'\""))
                break
    return names


def _root(ctx: click.Context) -> Path:
    root = ctx.find_root().params.get("root")
    return root if isinstance(root, Path) else Path(".")


def _complete(names: list[str], incomplete: str) -> list[CompletionItem]:
    from builder.japanese import normalize_query

    wanted = normalize_query(incomplete)
    return [CompletionItem(n) for n in names if normalize_query(n).startswith(wanted)]


def complete_amendment(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The 文書番号 of the amendments under ``--root`` that start as typed."""
    return _complete(_names(_root(ctx) / "amendments", "number"), incomplete)


def complete_notice(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The ids (文書番号) of the notices under ``--root`` that start as typed."""
    return _complete(_names(_root(ctx) / "notices", "id"), incomplete)
