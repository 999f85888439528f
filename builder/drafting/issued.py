"""Issued documents are frozen: ``issued.yaml``, the record of what has been issued, and
the checks that no change to the sources alters an issued document.

``issued.yaml`` (at the project root, written by ``notices issue``) holds, for each notice
of which an amendment was issued, the sha256 of the text rendering of its original
consolidated text, and for each issued amendment the sha256 of the text rendering (the
``.txt`` that ``notices build`` writes) of every document of its package: consolidated
text, 改め文, cover notice, distribution letter, 新旧対照表. Text renderings, not the
.pdf/.docx bytes, so that a layout change in a writer does not count as a change of an
issued document.

An amendment is drafted against the version in force when it is issued (its 発射台): a
new amendment dated before an issued one changes that one's documents (its consolidated
text lists the amendments in force; its cover notice cites the latest earlier one), or
makes it fail to apply. :func:`issued_problems` recomputes every recorded document and
reports each package that differs, blaming a new (unrecorded) amendment that comes
before it when removing that amendment gives back the issued text, else the file that
was edited; :func:`inapplicable_problems` turns an amendment that no longer applies
because of a new one into an error at the new one. Both messages name both files.

The text is rendered by a function the caller gives (``builder.writers.text.render_text``):
the writers sit above this package in the tree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.core.errors import NoticeError, Problem
from builder.documents.compose import (
    comparison,
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.drafting.pieces import refusal
from builder.engine.amend import History, Version
from builder.model.document import Document
from builder.model.notice import Amendment, FormRef, Notice, SourcePos
from builder.sources.workspace import Workspace
from builder.sources.yamlsafe import Key, Located, load_yaml

__all__ = [
    "DOCUMENT_KINDS",
    "ISSUED_FILE",
    "Issued",
    "IssuedAmendment",
    "IssuedNotice",
    "Render",
    "inapplicable_problems",
    "issue",
    "issued_problems",
    "load_issued",
    "package_digests",
    "reissue",
]

ISSUED_FILE = "issued.yaml"
"""The record of issued documents, at the project root."""

Render = Callable[[Document], str]
"""The text rendering of a document (``builder.writers.text.render_text``)."""

DOCUMENT_KINDS = ("consolidated", "kaibun", "cover-notice", "distribution-letter", "comparison")
"""The documents of an amendment's package, as issued.yaml names them (the build's names)."""

KIND_NAMES = {
    "consolidated": "consolidated text",
    "kaibun": "改め文",
    "cover-notice": "cover notice",
    "distribution-letter": "distribution letter",
    "comparison": "新旧対照表",
}

SHOWN_FIRST = ("cover-notice", "distribution-letter", "comparison", "kaibun", "consolidated")
"""Which changed document a message quotes: the one a reader of the package sees first."""

HEADER = """\
# Documents already issued, as `notices issue` recorded them. For each notice: the sha256
# of the text of its original (原文) consolidated text; for each issued amendment: the
# sha256 of the text rendering (the .txt of `notices build`) of every document of its
# package. `notices check` and `notices build` refuse any change to the sources that would
# alter one of them. Written by `notices issue <amendment number>`, in date order.
"""

# --------------------------------------------------------------------------- the record


@dataclass(frozen=True)
class Digests:
    """The sha256 of the text of each document of one version as issued, by kind."""

    sha256: Mapping[str, str]


@dataclass(frozen=True)
class Reissue:
    """A deliberate re-record of one issued document's digest (``notices issue
    --reissue``): which document, why, and the digest it replaced."""

    document: str
    reason: str
    was: str


@dataclass(frozen=True)
class IssuedAmendment:
    """One issued amendment: its number, date and file, its documents' digests, and the
    re-records of any of them (``reissued``, oldest first)."""

    number: str
    date: dt.date
    file: str
    documents: Digests
    pos: SourcePos
    reissued: tuple[Reissue, ...] = ()


@dataclass(frozen=True)
class IssuedNotice:
    """A notice of which amendments were issued: its original text and those amendments."""

    notice: str
    file: str
    original: Digests
    amendments: tuple[IssuedAmendment, ...]
    pos: SourcePos


@dataclass(frozen=True)
class Issued:
    """Everything issued.yaml records (nothing when the project has no issued.yaml)."""

    notices: tuple[IssuedNotice, ...] = ()

    def of_notice(self, notice_id: str) -> IssuedNotice | None:
        """The record of ``notice_id``, or None."""
        return next((n for n in self.notices if n.notice == notice_id), None)

    def amendment(self, number: str) -> IssuedAmendment | None:
        """The record of the amendment ``number``, or None when it is not issued."""
        for notice in self.notices:
            for amendment in notice.amendments:
                if amendment.number == number:
                    return amendment
        return None


class _Reader:
    """Reads issued.yaml's plain data, collecting every problem at its position."""

    def __init__(self, located: Located) -> None:
        self.located = located
        self.problems: list[Problem] = []

    def fail(self, key: Key, message: str) -> None:
        self.problems.append(Problem(message, self.located.pos(key)))

    def mapping(
        self, key: Key, value: Any, required: Sequence[str], optional: Sequence[str]
    ) -> bool:
        if not isinstance(value, dict):
            self.fail(key, f"expected a mapping of {', '.join(required)}, not {_shown(value)}")
            return False
        ok = True  # an unknown key is reported, and the rest is read on
        for name in value:
            if name not in (*required, *optional):
                self.fail((*key, name), f"unknown key '{name}'; {_REWRITE}")
        for name in required:
            if name not in value:
                self.fail(key, f"missing required key '{name}'; {_REWRITE}")
                ok = False
        return ok

    def text(self, key: Key, value: Any) -> str | None:
        if isinstance(value, str) and value:
            return value
        self.fail(key, f"expected text, not {_shown(value)}; {_REWRITE}")
        return None

    def date(self, key: Key, value: Any) -> dt.date | None:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(key, f"expected an ISO date (2025-03-27), not {_shown(value)}; {_REWRITE}")
        return None

    def digests(
        self, key: Key, value: Any, kinds: Sequence[str], optional: Sequence[str]
    ) -> Digests:
        found: dict[str, str] = {}
        required = [k for k in kinds if k not in optional]
        if not self.mapping(key, value, required, optional):
            return Digests(found)
        for kind, digest in value.items():
            if not (
                isinstance(digest, str)
                and len(digest) == 64
                and all(c in "0123456789abcdef" for c in digest)
            ):
                self.fail((*key, kind), f"'{kind}' must be a sha256 (64 hex digits); {_REWRITE}")
                continue
            found[kind] = digest
        return Digests(found)


_REWRITE = "issued.yaml is written by `notices issue`; restore it from git rather than edit it"


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"「{value}」"


def _read(located: Located) -> Issued:
    reader = _Reader(located)
    data = located.data
    notices: list[IssuedNotice] = []
    seen_notices: dict[str, SourcePos] = {}
    seen_amendments: dict[str, SourcePos] = {}
    if reader.mapping((), data, ["notices"], []):
        entries = data["notices"]
        if not isinstance(entries, list):
            reader.fail(("notices",), f"expected a list of notices, not {_shown(entries)}")
            entries = []
        for index, entry in enumerate(entries):
            key: Key = ("notices", index)
            if not reader.mapping(key, entry, ["notice", "file", "sha256"], ["amendments"]):
                continue
            notice_id = reader.text((*key, "notice"), entry["notice"])
            file = reader.text((*key, "file"), entry["file"])
            original = reader.digests((*key, "sha256"), entry["sha256"], ["consolidated"], [])
            amendments = _read_amendments(reader, key, entry.get("amendments", []), seen_amendments)
            if notice_id is None or file is None:
                continue
            pos = located.pos((*key, "notice"))
            if notice_id in seen_notices:
                reader.fail(
                    (*key, "notice"),
                    f"{notice_id} is recorded twice (also at {seen_notices[notice_id]}); "
                    + _REWRITE,
                )
                continue
            seen_notices[notice_id] = pos
            notices.append(IssuedNotice(notice_id, file, original, amendments, pos))
    if reader.problems:
        raise NoticeError(reader.problems)
    return Issued(tuple(notices))


def _read_amendments(
    reader: _Reader, notice_key: Key, entries: Any, seen: dict[str, SourcePos]
) -> tuple[IssuedAmendment, ...]:
    key: Key = (*notice_key, "amendments")
    if not isinstance(entries, list):
        reader.fail(key, f"expected a list of amendments, not {_shown(entries)}")
        return ()
    found: list[IssuedAmendment] = []
    for index, entry in enumerate(entries):
        entry_key: Key = (*key, index)
        if not reader.mapping(entry_key, entry, ["number", "date", "file", "sha256"], ["reissued"]):
            continue
        number = reader.text((*entry_key, "number"), entry["number"])
        date = reader.date((*entry_key, "date"), entry["date"])
        file = reader.text((*entry_key, "file"), entry["file"])
        documents = reader.digests(
            (*entry_key, "sha256"), entry["sha256"], DOCUMENT_KINDS, ["distribution-letter"]
        )
        reissued = _read_reissued(reader, (*entry_key, "reissued"), entry.get("reissued", []))
        if number is None or date is None or file is None:
            continue
        pos = reader.located.pos((*entry_key, "number"))
        if number in seen:
            reader.fail(
                (*entry_key, "number"),
                f"{number} is recorded twice (also at {seen[number]}); {_REWRITE}",
            )
            continue
        seen[number] = pos
        found.append(IssuedAmendment(number, date, file, documents, pos, reissued))
    return tuple(found)


def _read_reissued(reader: _Reader, key: Key, entries: Any) -> tuple[Reissue, ...]:
    """The ``reissued`` list of an amendment: each a mapping of document, reason, was."""
    if not isinstance(entries, list):
        reader.fail(key, f"expected a list of re-records, not {_shown(entries)}")
        return ()
    found: list[Reissue] = []
    for index, entry in enumerate(entries):
        entry_key: Key = (*key, index)
        if not reader.mapping(entry_key, entry, ["document", "reason", "was"], []):
            continue
        document = reader.text((*entry_key, "document"), entry["document"])
        reason = reader.text((*entry_key, "reason"), entry["reason"])
        was = reader.text((*entry_key, "was"), entry["was"])
        if document is not None and document not in DOCUMENT_KINDS:
            reader.fail(
                (*entry_key, "document"),
                f"unknown document 「{document}」 (one of {', '.join(DOCUMENT_KINDS)}); {_REWRITE}",
            )
            continue
        if document is not None and reason is not None and was is not None:
            found.append(Reissue(document, reason, was))
    return tuple(found)


def load_issued(root: Path) -> Issued:
    """The record of ``root``/issued.yaml (empty when there is none); ``NoticeError`` with
    ``issued.yaml:line:col`` for each problem in it."""
    for entry in root.iterdir() if root.is_dir() else ():
        lower = entry.name.lower()
        if lower in ("issued.yaml", "issued.yml") and entry.name != ISSUED_FILE:
            raise NoticeError.at(
                SourcePos(entry.name, 1, 1),
                f"the record of issued documents is read only as {ISSUED_FILE}; rename it",
            )
    path = root / ISSUED_FILE
    if not path.exists() and not path.is_symlink():
        return Issued()
    located = load_yaml(path, ISSUED_FILE)
    return _read(located)


def dump_issued(issued: Issued) -> str:
    """issued.yaml's text for ``issued`` (read back by :func:`load_issued` as the same)."""
    data = {
        "notices": [
            {
                "notice": notice.notice,
                "file": notice.file,
                "sha256": dict(notice.original.sha256),
                "amendments": [
                    {
                        "number": amendment.number,
                        "date": amendment.date.isoformat(),
                        "file": amendment.file,
                        "sha256": {
                            kind: amendment.documents.sha256[kind]
                            for kind in DOCUMENT_KINDS
                            if kind in amendment.documents.sha256
                        },
                    }
                    | _dumped_reissued(amendment)
                    for amendment in notice.amendments
                ],
            }
            for notice in issued.notices
        ]
    }
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, indent=2
    )
    return HEADER + body


def _dumped_reissued(amendment: IssuedAmendment) -> dict[str, Any]:
    """The ``reissued`` key of an amendment's entry, when it has re-records."""
    if not amendment.reissued:
        return {}
    return {
        "reissued": [
            {"document": r.document, "reason": r.reason, "was": r.was} for r in amendment.reissued
        ]
    }


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, with a list indented under its key (easier to read)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


# --------------------------------------------------------------------------- the documents


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def package_texts(
    workspace: Workspace, history: History, version: Version, render: Render
) -> dict[str, str | None]:
    """The text rendering of every document of ``version``'s package, by kind (the
    original has only its consolidated text); None for a document that cannot be made
    (``notices check`` reports why)."""
    templates = workspace.templates
    makers: dict[str, Callable[[], Document]] = {
        "consolidated": lambda: consolidated(version, "consolidated", workspace.forms)
    }
    amendment = version.amendment
    if amendment is not None:
        makers["kaibun"] = lambda: kaibun_document(version, "kaibun")
        makers["cover-notice"] = lambda: cover_notice(history, version, templates, "cover-notice")
        if amendment.letter is not None:
            makers["distribution-letter"] = lambda: distribution_letter(
                workspace.project, history, version, templates, "distribution-letter"
            )
        makers["comparison"] = lambda: comparison(history.before(version), version, "comparison")
    texts: dict[str, str | None] = {}
    for kind, make in makers.items():
        try:
            texts[kind] = render(make())
        except NoticeError:
            texts[kind] = None
    return texts


def package_digests(
    workspace: Workspace, history: History, version: Version, render: Render
) -> dict[str, str]:
    """The sha256 of the text of every document of ``version``'s package, by kind."""
    texts = package_texts(workspace, history, version, render)
    missing = [kind for kind, text in texts.items() if text is None]
    if missing:
        raise NoticeError(f"cannot make the {_names(missing)}; run notices check")
    return {kind: _digest(text) for kind, text in texts.items() if text is not None}


def _changed(recorded: Digests, texts: Mapping[str, str | None]) -> list[str]:
    """The kinds whose text differs from the issued one (a document made now but not
    issued, or issued but no longer made, counts; one that cannot be made does not)."""
    changed = []
    for kind in DOCUMENT_KINDS:
        issued = recorded.sha256.get(kind)
        if kind not in texts:
            if issued is not None:
                changed.append(kind)  # issued, and no longer made
            continue
        text = texts[kind]
        if text is not None and (issued is None or _digest(text) != issued):
            changed.append(kind)
    return changed


# --------------------------------------------------------------------------- issuing


def _order(amendment: Amendment) -> tuple[dt.date, dt.date, str]:
    return amendment.order  # the order History applies them in (by 適用日, then issue)


def issue(workspace: Workspace, issued: Issued, amendment: Amendment, render: Render) -> Issued:
    """``issued`` with ``amendment``'s package recorded (and its notice's original text,
    when it is the notice's first issued amendment); ``NoticeError`` if it is issued
    already, or an amendment of its notice that comes before it is not."""
    notice = workspace.project.notice(amendment.notice)
    assert notice is not None  # the sources were checked
    recorded = issued.amendment(amendment.number)
    if recorded is not None:
        raise NoticeError.at(
            recorded.pos,
            f"{amendment.number} is already issued; nothing was written (an issued package "
            "cannot be issued again; make a change by a new amendment)",
        )
    history = workspace.history(notice)
    for other in history.amendments:
        if other.number == amendment.number:
            continue
        if _order(other) < _order(amendment) and issued.amendment(other.number) is None:
            raise NoticeError.at(
                other.where("date"),
                f"{other.number} ({other.date.isoformat()}) comes before {amendment.number} "
                f"and is not issued yet; issue amendments in date order: first "
                f"notices issue {other.number}",
            )
        later = issued.amendment(other.number)
        if _order(other) > _order(amendment) and later is not None:
            raise NoticeError.at(
                amendment.where("date"),
                f"{amendment.number} ({amendment.date.isoformat()}) comes before "
                f"{other.number}, which is already issued ({later.pos}); date it after "
                f"{later.date.isoformat()}",
            )
    version = history.version_of(amendment.number)
    entry = IssuedAmendment(
        amendment.number,
        amendment.date,
        amendment.source,
        Digests(package_digests(workspace, history, version, render)),
        SourcePos(ISSUED_FILE, 1, 1),
    )
    found = issued.of_notice(notice.id)
    if found is None:
        original = Digests(package_digests(workspace, history, history.versions[0], render))
        found = IssuedNotice(notice.id, notice.source, original, (), SourcePos(ISSUED_FILE, 1, 1))
        notices = (*issued.notices, found)
    else:
        notices = issued.notices
    updated = IssuedNotice(
        found.notice, found.file, found.original, (*found.amendments, entry), found.pos
    )
    return Issued(tuple(updated if n is found else n for n in notices))


def reissue(
    workspace: Workspace,
    issued: Issued,
    amendment: Amendment,
    kind: str,
    reason: str,
    render: Render,
) -> Issued:
    """``issued`` with the digest of ``amendment``'s document ``kind`` re-recorded as the
    builder now makes it, and ``reason`` and the replaced digest kept beside it: for a
    deliberate change of how a document is printed (its sources unchanged). Refused
    (``NoticeError``) when the amendment is not issued, the reason is empty, the document
    reads as issued already, or any other document of the package (or the notice's
    original text) no longer reads as issued: then the sources were edited, which a
    re-record must not hide."""
    recorded = issued.amendment(amendment.number)
    if recorded is None:
        raise NoticeError.at(
            amendment.where("number"),
            refusal(
                f"{amendment.number} はまだ発出として記録されていないため、"
                "記録し直すものがありません。"
                f"notices issue {amendment.number} で記録してください",
                f"{amendment.number} is not issued, so there is nothing to re-record; issue it "
                f"with notices issue {amendment.number}",
            ),
        )
    if kind not in DOCUMENT_KINDS:
        raise NoticeError(
            refusal(
                f"文書「{kind}」はありません。"
                f"{', '.join(DOCUMENT_KINDS)} のいずれかを指定してください",
                f"unknown document 「{kind}」: use one of {', '.join(DOCUMENT_KINDS)}",
            )
        )
    if not reason.strip():
        raise NoticeError(
            refusal(
                "--reason が空です。発出済みの文書の表示が変わる理由を書いてください"
                "（issued.yaml に新しいダイジェストと並べて残ります）",
                "--reason is empty: say why the issued document now reads differently "
                "(it is kept in issued.yaml beside the new digest)",
            )
        )
    notice = workspace.project.notice(amendment.notice)
    record = issued.of_notice(amendment.notice)
    assert notice is not None and record is not None  # checked sources; an issued amendment
    state = _Notice(workspace, notice, record, render)
    history = workspace.history(notice)
    texts = state.texts(history, amendment)
    others = [KIND_NAMES[k] for k in _changed(recorded.documents, texts) if k != kind]
    original = _changed(record.original, state.texts(history, None))
    others += [f"the notice's original {KIND_NAMES[k]}" for k in original]
    if others:
        raise NoticeError.at(
            recorded.pos,
            refusal(
                f"{amendment.number}: {_and(others)} も発出時と異なるため、原稿（又はそれより前の"
                "改正）が変更されています。記録し直しは表示の仕方だけが変わった文書のためのもの"
                "です。その変更を元に戻してから記録し直してください",
                f"{amendment.number}: its {_and(others)} no longer read as issued too, so its "
                "sources (or an amendment before it) were changed; a re-record is only for a "
                "document the builder now prints differently: undo that change, then "
                f"re-record the {KIND_NAMES.get(kind, kind)}",
            ),
        )
    text = texts.get(kind)
    if text is None:
        raise NoticeError(
            refusal(
                f"{amendment.number} の文書 {kind} を作れません。notices check を実行してください",
                f"cannot make the {KIND_NAMES[kind]} of {amendment.number}; run notices check",
            )
        )
    was = recorded.documents.sha256.get(kind, "")
    digest = _digest(text)
    if digest == was:
        raise NoticeError.at(
            recorded.pos,
            refusal(
                f"{amendment.number} の {kind} は発出時のままです。記録し直すものはありません"
                "（何も書き込んでいません）",
                f"the {KIND_NAMES[kind]} of {amendment.number} reads as issued; nothing to "
                "re-record (nothing was written)",
            ),
        )
    updated = IssuedAmendment(
        recorded.number,
        recorded.date,
        recorded.file,
        Digests({**recorded.documents.sha256, kind: digest}),
        recorded.pos,
        (*recorded.reissued, Reissue(kind, reason.strip(), was)),
    )
    return Issued(
        tuple(
            IssuedNotice(
                n.notice,
                n.file,
                n.original,
                tuple(updated if a is recorded else a for a in n.amendments),
                n.pos,
            )
            for n in issued.notices
        )
    )


# --------------------------------------------------------------------------- checking


def _names(kinds: Iterable[str]) -> str:
    return _and([KIND_NAMES[k] for k in kinds])


def _display(line: str) -> str:
    return line.replace("\f", "").strip(" ")


CONTEXT = 10
"""Characters shown either side of a change in a quoted line."""


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """The changed part of two lines with :data:`CONTEXT` characters around it."""
    old, new = _display(old), _display(new)
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    start = max(prefix - CONTEXT, 0)

    def cut(text: str) -> str:
        end = min(len(text) - suffix + CONTEXT, len(text))
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return cut(old), cut(new)


def _first_difference(kind: str, old: str, new: str) -> str:
    """「its cover notice: line 12 would read 「…」 instead of 「…」」."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    for index in range(max(len(old_lines), len(new_lines))):
        before = old_lines[index] if index < len(old_lines) else ""
        after = new_lines[index] if index < len(new_lines) else ""
        if before != after:
            shown_old, shown_new = _excerpts(before, after)
            return (
                f"its {KIND_NAMES[kind]}: line {index + 1} would read 「{shown_new}」 "
                f"instead of 「{shown_old}」"
            )
    return f"its {KIND_NAMES[kind]}"


@dataclass
class _Notice:
    """What the checks need of one notice with issued amendments."""

    workspace: Workspace
    notice: Notice
    record: IssuedNotice
    render: Render

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        return self.workspace.project.amendments_of(self.notice.id)

    def is_issued(self, amendment: Amendment) -> bool:
        return any(a.number == amendment.number for a in self.record.amendments)

    def recorded(self, amendment: Amendment) -> IssuedAmendment:
        return next(a for a in self.record.amendments if a.number == amendment.number)

    @property
    def issued(self) -> list[Amendment]:
        return [a for a in self.amendments if self.is_issued(a)]

    @property
    def new(self) -> list[Amendment]:
        return [a for a in self.amendments if not self.is_issued(a)]

    @property
    def latest(self) -> dt.date:
        return max(a.date for a in self.record.amendments)

    def history(self, amendments: Sequence[Amendment]) -> History:
        return History(self.notice, amendments)

    def texts(self, history: History, amendment: Amendment | None) -> dict[str, str | None]:
        version = history.versions[0] if amendment is None else history.version_of(amendment.number)
        return package_texts(self.workspace, history, version, self.render)


def _applies(history: History) -> bool:
    """Whether every amendment of ``history`` applies."""
    try:
        _ = history.versions
    except NoticeError:
        return False
    return True


def _later_date_advice(new: Amendment, latest: dt.date) -> str:
    return f"date {new.number} after {latest.isoformat()}"


def _before_phrase(new: Amendment, issued: Amendment) -> str:
    if new.date < issued.date:
        return f"{new.number} ({new.date.isoformat()}) is dated before {issued.number}"
    return (
        f"{new.number} ({new.date.isoformat()}) comes before {issued.number} "
        "(same day, lower number)"
    )


def inapplicable_problems(
    workspace: Workspace, notice: Notice, error: NoticeError, issued: Issued
) -> list[Problem]:
    """The problems of ``notice``'s history (``error``), with each one at an issued
    amendment that applies without the new (not issued) amendments reported instead at
    the new amendment that comes before it and makes it fail, naming both files."""
    record = issued.of_notice(notice.id)
    if record is None:
        return list(error.problems)
    state = _Notice(workspace, notice, record, lambda document: "")
    new = state.new
    if not new or not state.issued:
        return list(error.problems)
    if not _applies(state.history(state.issued)):
        return list(error.problems)  # the issued ones fail by themselves: an edit
    by_file = {a.source: a for a in state.issued}
    problems: list[Problem] = []
    for problem in error.problems:
        victim = by_file.get(problem.pos.path) if problem.pos is not None else None
        if victim is None:
            problems.append(problem)
            continue
        culprit = _breaking(state, victim, new)
        recorded = state.recorded(victim)
        problems.append(
            Problem(
                f"{_before_phrase(culprit, victim)}, which is already issued ({recorded.pos}), "
                f"and makes it fail to apply ({problem}); an issued amendment keeps the "
                f"version it was drafted against: {_later_date_advice(culprit, state.latest)}, "
                "and draft it against the version in force then",
                culprit.where("date"),
            )
        )
    return list(dict.fromkeys(problems))


def _breaking(state: _Notice, victim: Amendment, new: Sequence[Amendment]) -> Amendment:
    """The new amendment before ``victim`` that makes it fail to apply (the last of them
    when none does by itself)."""
    before = [a for a in new if _order(a) < _order(victim)]
    for candidate in reversed(before):
        try:
            _ = state.history([*state.issued, candidate]).versions
        except NoticeError as exc:
            if any(p.pos is not None and p.pos.path == victim.source for p in exc.problems):
                return candidate
    return before[-1] if before else new[0]


def issued_problems(
    workspace: Workspace, render: Render, issued: Issued | None = None
) -> list[Problem]:
    """Every issued document whose text the sources would now change, as one problem per
    cause: a new amendment dated before an issued one (at the new amendment's date), or an
    edit of the issued sources (at the edited file), each naming issued.yaml. ``issued``
    defaults to the project's issued.yaml (whose own problems are then returned).
    Notices whose history does not apply are left to ``notices check``'s own message."""
    if issued is None:
        try:
            issued = load_issued(workspace.root)
        except NoticeError as exc:
            return list(exc.problems)
    problems: list[Problem] = []
    for record in issued.notices:
        notice = workspace.project.notice(record.notice)
        if notice is None:
            problems.append(
                Problem(
                    f"{record.notice} is issued, but no notice has that id any more (it was "
                    f"{record.file}); restore the file: an issued notice stays",
                    record.pos,
                )
            )
            continue
        if not _applies(workspace.history(notice)):
            continue
        problems.extend(_notice_problems(_Notice(workspace, notice, record, render)))
    return problems


def _missing_problems(state: _Notice) -> list[Problem]:
    """Issued amendments whose file is gone, amends another notice, or changed its date."""
    problems = []
    by_number = {a.number: a for a in state.workspace.project.amendments}
    for recorded in state.record.amendments:
        found = by_number.get(recorded.number)
        if found is None:
            problems.append(
                Problem(
                    f"{recorded.number} is issued, but no amendment has that number any more "
                    f"(it was {recorded.file}); restore the file: an issued amendment stays, "
                    "and a change is made by a new amendment",
                    recorded.pos,
                )
            )
        elif found.notice != state.notice.id:
            problems.append(
                Problem(
                    f"{found.number} was issued as an amendment of {state.notice.id} "
                    f"({recorded.pos}); put that notice back",
                    found.where("notice"),
                )
            )
        elif found.date != recorded.date:
            problems.append(
                Problem(
                    f"{found.number} was issued dated {recorded.date.isoformat()} "
                    f"({recorded.pos}); put that date back",
                    found.where("date"),
                )
            )
    return problems


def _notice_problems(state: _Notice) -> list[Problem]:
    missing = _missing_problems(state)
    if missing:
        return missing
    current = state.workspace.history(state.notice)
    issued = state.issued
    changed: dict[str | None, list[str]] = {}  # None: the original
    original = _changed(state.record.original, state.texts(current, None))
    if original:
        changed[None] = original
    for amendment in issued:
        kinds = _changed(state.recorded(amendment).documents, state.texts(current, amendment))
        if kinds:
            changed[amendment.number] = kinds
    if not changed:
        return []
    baseline = state.history(issued) if state.new else current
    explained = (
        not original
        and _applies(baseline)
        and all(
            not _changed(state.recorded(a).documents, state.texts(baseline, a))
            for a in issued
            if a.number in changed
        )
    )
    if explained:
        return _backdated_problems(state, current, baseline, changed)
    return [_edited_problem(state, changed)]


def _affected(state: _Notice, new: Amendment, victims: Sequence[Amendment]) -> list[Amendment]:
    """The issued amendments among ``victims`` whose documents ``new`` alone changes."""
    history = state.history([*state.issued, new])
    if not _applies(history):
        return []
    return [
        a
        for a in victims
        if _order(new) < _order(a)
        and _changed(state.recorded(a).documents, state.texts(history, a))
    ]


def _backdated_problems(
    state: _Notice, current: History, baseline: History, changed: Mapping[str | None, list[str]]
) -> list[Problem]:
    """One problem per new amendment that changes issued documents by coming before them."""
    victims = [a for a in state.issued if a.number in changed]
    blamed: dict[str, tuple[Amendment, list[Amendment]]] = {}
    for new in state.new:
        affected = _affected(state, new, victims)
        if affected:
            blamed[new.number] = (new, affected)
    if not blamed:  # only together do they change something: blame the last of them
        before = [a for a in state.new if _order(a) < _order(victims[0])]
        new = (before or state.new)[-1]
        blamed[new.number] = (new, victims)
    problems = []
    for new, affected in blamed.values():
        first = affected[0]
        kinds = changed[first.number]
        shown = next(k for k in SHOWN_FIRST if k in kinds)
        old_text = state.texts(baseline, first).get(shown) or ""
        new_text = state.texts(current, first).get(shown) or ""
        also = []
        others = [KIND_NAMES[k] for k in DOCUMENT_KINDS if k in kinds and k != shown]
        if others:
            also.append(f"its {_and(others)}")
        later = [a.number for a in affected[1:]]
        if later:
            listed = _and(later)
            if len(later) > 3:
                listed = f"{', '.join(later[:3])} and {len(later) - 3} more"
            also.append(f"the documents of the issued {listed}")
        extra = f" (also {'; '.join(also)})" if also else ""
        recorded = state.recorded(first)
        problems.append(
            Problem(
                f"{_before_phrase(new, first)}, which is already issued ({recorded.pos}), and "
                f"changes {_first_difference(shown, old_text, new_text)}{extra}; an issued "
                f"document may not change: {_later_date_advice(new, state.latest)}, or, if it "
                f"really was issued before {first.number}, delete {first.number}"
                f"{' and the entries after it' if first != state.issued[-1] else ''} from "
                f"{ISSUED_FILE} and issue them again after {new.number} (notices issue, "
                "in date order)",
                new.where("date"),
            )
        )
    return problems


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _or(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


BUILDER_TOO = "or, if not, the builder now makes it differently"


def _edited_problem(state: _Notice, changed: Mapping[str | None, list[str]]) -> Problem:
    """The issued sources were edited: blame the list of a letter when only the letters
    that use it changed, else the first changed package's own file (the original: the
    notice's file)."""
    project = state.workspace.project
    first = next(iter(changed))
    later = [number for number in changed if number is not None and number != first]
    also = f" (and the documents of the issued {_and(later)})" if later else ""
    advice = (
        "an issued document may not change: undo that edit (git diff shows it) and make "
        f"the change by a new amendment dated after {state.latest.isoformat()}"
    )
    if first is None:
        forms = [
            source.source
            for ref in state.notice.attachments
            if isinstance(ref, FormRef)
            for source in project.forms
            if source.id == ref.form and source.source
        ]
        return Problem(
            f"{state.notice.id} is already issued ({state.record.pos}), but its original "
            f"{KIND_NAMES['consolidated']} would now read differently{also}: "
            f"{_or(['this file', *forms])} was edited since it was issued ({BUILDER_TOO}); "
            + advice,
            state.notice.pos,
        )
    letters = _list_problem(state, changed)
    if letters is not None:
        return letters
    amendment = next(a for a in state.issued if a.number == first)
    kinds = changed[first]
    recorded = state.recorded(amendment)
    sources = ["this file"]
    where = amendment.where("changes") if "kaibun" in kinds else amendment.pos
    if "distribution-letter" in kinds and amendment.letter is not None:
        if set(kinds) == {"distribution-letter"}:
            where = amendment.where("letter")
        listed = project.distribution_list(amendment.letter.distribution_list)
        if listed is not None and listed.pos is not None:
            sources.append(listed.pos.path)
    if set(kinds) & {"cover-notice", "distribution-letter"} and state.workspace.templates:
        sources.append("templates/")
    return Problem(
        f"{first} is already issued ({recorded.pos}), but its {_names(kinds)} would now read "
        f"differently{also}: {_or(sources)} was edited since it was issued ({BUILDER_TOO}); "
        + advice,
        where,
    )


def _list_problem(state: _Notice, changed: Mapping[str | None, list[str]]) -> Problem | None:
    """When only distribution letters changed, and every issued letter sent to one list
    did (two or more): that list was edited (blamed at its file, naming the letters)."""
    if any(kinds != ["distribution-letter"] for kinds in changed.values()):
        return None
    project = state.workspace.project
    lists = {
        a.letter.distribution_list
        for a in state.issued
        if a.number in changed and a.letter is not None
    }
    if len(lists) != 1:
        return None
    listed = project.distribution_list(lists.pop())
    if listed is None or listed.pos is None:
        return None
    sent = [
        a for a in state.issued if a.letter is not None and a.letter.distribution_list == listed.id
    ]
    if len(sent) < 2 or any(a.number not in changed for a in sent):
        return None  # one letter: its own amendment may as well have been edited
    where = f" ({state.recorded(sent[0]).pos} on)"
    return Problem(
        f"the distribution letters of the issued {_and([a.number for a in sent])}{where} "
        f"were sent to {listed.id} as it was then, and would now read differently: this "
        f"file was edited since ({BUILDER_TOO}); an issued letter may not change: undo that "
        f"edit (git diff shows it) and, to send later letters to other organisations, add a "
        f"new list to notices/lists/ and name it in the new amendment's letter",
        listed.pos,
    )


def issued_positions(issued: Issued) -> dict[str, SourcePos]:
    """Where each issued amendment is recorded, by number."""
    return {a.number: a.pos for n in issued.notices for a in n.amendments}
