"""What each document of a notice's package contains: the consolidated notice (溶け込み版)
as of a version, and for each amendment its cover notice (to 各都道府県知事, 改め文 under
記) and its distribution letter (to the 別記 organisations).

The letters' wording comes from Jinja2 templates (``builder/templates/*.j2``, or a
``templates/`` folder in the project root that overrides them), so a drafter can change
it without touching Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2

from builder.core.errors import NoticeError
from builder.engine.amend import History, Version
from builder.engine.compare import AFTER, BEFORE, NOTE
from builder.engine.comparison_layout import layout
from builder.engine.kaibun import sentences
from builder.engine.tabular import printed_table
from builder.japanese import format_wareki
from builder.model.document import (
    AddresseeLine,
    AmendmentSentence,
    AttachmentStart,
    Block,
    Centered,
    ComparisonBlock,
    ComparisonRowView,
    ContactBlock,
    Document,
    FormBlock,
    HeaderLines,
    Items,
    MemberList,
    Paragraph,
    SenderLines,
    TableBlock,
    Title,
)
from builder.model.form import Form
from builder.model.notice import (
    FormRef,
    Notice,
    Project,
    SourcePos,
    TableAttachment,
    TextAttachment,
)

SEAL_OMITTED = "（公印省略）"
AMENDED = "一部改正"


@cache
def _environment(project_templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(project_templates))
    loaders.append(jinja2.PackageLoader("builder.documents", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text: each writer escapes for its own format
        keep_trailing_newline=False,
    )


TEMPLATE_FOLDER = "templates"
"""A project's own templates (overriding builder/templates) live in this folder."""


def _template_pos(template: str, templates: Path | None, line: int, column: int = 1) -> SourcePos:
    """Where a template problem is: the project's copy if it has one, else the bundled one."""
    if templates is not None and (templates / template).is_file():
        return SourcePos(f"{TEMPLATE_FOLDER}/{template}", line, column)
    return SourcePos(f"builder/templates/{template}", line, column)


def wording(template: str, block: str, templates: Path | None, **values: object) -> str:
    """The text of ``block`` in ``template``, filled with ``values``; ``NoticeError`` at the
    template's file and line when it cannot be read, parsed or filled."""
    try:
        loaded = _environment(templates).get_template(template)
        rendered = "".join(loaded.blocks[block](loaded.new_context(dict(values))))
    except jinja2.TemplateSyntaxError as exc:
        where = _template_pos(template, templates, exc.lineno or 1)
        raise NoticeError.at(
            where, f"template {template}: {exc.message}; fix the template"
        ) from None
    except jinja2.TemplateError as exc:
        where = _template_pos(template, templates, 1)
        raise NoticeError.at(
            where, f"template {template}: {exc}; fix the template's wording"
        ) from None
    except UnicodeDecodeError as exc:
        where = _template_pos(template, templates, 1, exc.start + 1)
        raise NoticeError.at(
            where, "file is not valid UTF-8; save it as UTF-8 (not Shift_JIS)"
        ) from None
    except KeyError:
        where = _template_pos(template, templates, 1)
        raise NoticeError.at(
            where, f"template {template} has no block 「{block}」; restore it"
        ) from None
    return rendered.strip()


def _addressees(notice: Notice) -> list[Block]:
    return [
        AddresseeLine(f"{a.name}\u3000{a.honorific}" if a.honorific else a.name)
        for a in notice.addressees
    ]


def _sender(sender: str, seal_omitted: bool) -> SenderLines:
    return SenderLines((sender, SEAL_OMITTED) if seal_omitted else (sender,))


def header_lines(version: Version) -> HeaderLines:
    """The top-right block: number and date, then one 一部改正 pair per amendment in force."""
    notice = version.notice
    lines = [("", notice.number or "事務連絡"), ("", format_wareki(notice.date))]
    for amendment in version.amendments:
        lines += [(AMENDED, amendment.number), ("", format_wareki(amendment.date))]
    return HeaderLines(tuple(lines))


def attachment_blocks(notice: Notice, forms: Mapping[str, Form] | None = None) -> list[Block]:
    """Each attachment on a new page with its label; a form attachment shows the blank
    form in print layout when ``forms`` has it."""
    blocks: list[Block] = []
    for attachment in notice.attachments:
        blocks.append(AttachmentStart(attachment.id, f"（{attachment.id}）", attachment.title))
        match attachment:
            case FormRef():
                fields = (forms or {}).get(attachment.form)
                blocks.append(FormBlock(attachment, attachment.title, fields))
            case TextAttachment():
                blocks += [Paragraph(p) for p in attachment.paragraphs]
                if attachment.items:
                    blocks.append(Items(attachment.items))
            case _:  # a table of any profile; a new kind of attachment fails mypy here
                blocks.append(_table_block(attachment))
    return blocks


def consolidated(version: Version, name: str, forms: Mapping[str, Form] | None = None) -> Document:
    """The notice as in force in ``version``, with its history block (and the blank form
    of a form attachment when ``forms`` has it)."""
    notice = version.notice
    blocks: list[Block] = [header_lines(version), *_addressees(notice)]
    blocks.append(_sender(notice.sender, notice.seal_omitted))
    blocks.append(Title(notice.title))
    blocks += [Paragraph(p) for p in notice.preamble]
    if notice.ki:
        blocks += [Centered("記"), Items(notice.ki)]
    if notice.contact is not None:
        blocks.append(ContactBlock(notice.contact))
    blocks += attachment_blocks(notice, forms)
    return Document(
        name,
        notice.title,
        notice.number or "事務連絡",
        tuple(blocks),
        properties=(("notice", notice.id), ("version", version.date.isoformat())),
    )


def _citation_values(history: History, version: Version) -> dict[str, object]:
    """How the documents of ``version``'s amendment cite the notice it amends: its title
    as in force when the amendment is issued (a 件名 changed by an earlier amendment is
    cited as changed; one changed by this amendment is cited as it was), its date and
    number, and its latest earlier amendment."""
    base = history.notice
    in_force = history.before(version)
    earlier = in_force.amendment
    latest = None
    if earlier is not None:
        latest = {"date": format_wareki(earlier.date), "number": earlier.number}
    return {
        "base_title": in_force.notice.title,
        "base_date": format_wareki(base.date),
        "base_number": base.number or "",
        "latest": latest,
        "effective": _effective(version),
    }


def _effective(version: Version) -> str | None:
    """The 適用日 of the amendment that made ``version`` in 和暦, when it is not its issue
    date (「令和7年4月1日」), else None."""
    amendment = version.amendment
    if amendment is None or amendment.effective is None:
        return None
    return format_wareki(amendment.effective)


def cover_notice(history: History, version: Version, templates: Path | None, name: str) -> Document:
    """The cover notice of the amendment that made ``version``: to the base notice's
    addressees, citing the base with its latest earlier amendment, 改め文 under 記."""
    amendment = version.amendment
    if amendment is None:
        raise NoticeError("the original version has no cover notice")
    base = history.notice
    values = _citation_values(history, version)
    title = wording("cover_notice.j2", "title", templates, **values)
    blocks: list[Block] = [
        HeaderLines((("", amendment.number), ("", format_wareki(amendment.date)))),
        *_addressees(base),
        _sender(base.sender, base.seal_omitted),
        Title(title),
        Paragraph(wording("cover_notice.j2", "paragraph", templates, **values)),
        Centered("記"),
    ]
    blocks += [AmendmentSentence(s.text, s.block) for s in sentences(version.changes)]
    return Document(name, title, amendment.number, tuple(blocks))


def distribution_letter(
    project: Project, history: History, version: Version, templates: Path | None, name: str
) -> Document:
    """The letter that sends the cover notice to the organisations of the 別記 list."""
    amendment = version.amendment
    if amendment is None or amendment.letter is None:
        raise NoticeError("this version has no distribution letter")
    members = project.distribution_list(amendment.letter.distribution_list)
    if members is None:
        raise NoticeError.at(
            amendment.where("letter"),
            f"distribution list 「{amendment.letter.distribution_list}」 does not exist",
        )
    base = history.notice
    values = {
        **_citation_values(history, version),
        "prefecture_addressee": "、".join(a.name for a in base.addressees),
    }
    title = wording("distribution_letter.j2", "title", templates, **values)
    blocks: list[Block] = [
        HeaderLines((("", amendment.letter.number), ("", format_wareki(amendment.date)))),
        AddresseeLine(f"{members.addressee}\u3000殿"),
        _sender(base.sender, base.seal_omitted),
        Title(title),
        Paragraph(wording("distribution_letter.j2", "paragraph", templates, **values)),
        MemberList(f"（{members.title}）", members.members),
    ]
    return Document(name, title, amendment.letter.number, tuple(blocks))


def kaibun_document(version: Version, name: str) -> Document:
    """Only the 改め文 of one amendment (for review and golden files)."""
    amendment = version.amendment
    if amendment is None:
        raise NoticeError("the original version has no 改め文")
    blocks = tuple(AmendmentSentence(s.text, s.block) for s in sentences(version.changes))
    return Document(name, f"{amendment.number} 改め文", amendment.number, blocks)


def citation(notice: Notice) -> str:
    """How a 新旧対照表 heading cites ``notice``: its 件名 in 「」, then its date, number and
    sender in （）, as the cover notice cites it (``cover_notice.j2``: 「…」（令和6年7月31日
    付け医政発0731第1号）) with the sender and kind that the MHLW heading adds
    (「（令和6年7月31日付け医政発0731第1号厚生労働省医政局長通知）」); a 事務連絡 has no
    number."""
    return (
        f"「{notice.title}」（{format_wareki(notice.date)}付け{notice.number or ''}"
        f"{notice.sender}{notice.kind}）"
    )


ABRIDGED = "（抄）"
"""After the citation in a 新旧対照表's heading when the table leaves units out."""
HEADING_MARK = "○"


def comparison(
    before: Version, after: Version, name: str, *, after_on_left: bool = True
) -> Document:
    """The 新旧対照表 between two versions in MHLW form (``builder.engine.comparison_layout``):
    the heading 「○「件名」（…付け…通知）（抄）」 citing the notice as in force before the
    change (「（抄）」 when units are left out), the note 「（傍線部分は改正部分）」, then
    改正後 on the left and 改正前 on the right (MHLW practice; ``after_on_left=False`` swaps
    them), each column under its own unit labels, changed runs underlined."""
    found = layout(before.notice, after.notice)
    views = tuple(
        ComparisonRowView(
            *((part.after, part.before) if after_on_left else (part.before, part.after))
        )
        for part in found.parts
    )
    headings = (AFTER, BEFORE) if after_on_left else (BEFORE, AFTER)
    heading = HEADING_MARK + citation(before.notice) + (ABRIDGED if found.abridged else "")
    notice = after.notice
    title = f"「{notice.title}」新旧対照表"
    number = (
        after.amendment.number if after.amendment and before is not after else (notice.number or "")
    )
    block = ComparisonBlock(heading, NOTE, headings[0], headings[1], views)
    return Document(name, title, number, (block,))


def _table_block(table: TableAttachment) -> TableBlock:
    """A table attachment as it is printed (``builder.engine.tabular.printed_table``)."""
    printed = printed_table(table)
    return TableBlock(printed.table, folded=printed.folded)


def table_document(table: TableAttachment, notice: Notice, as_of_label: str) -> Document:
    """A table attachment on its own, as of a version (for its PDF), printed as in the
    consolidated notice."""
    title = f"{notice.title}　{table.id}（{as_of_label}）"
    blocks: tuple[Block, ...] = (
        AttachmentStart(table.id, f"（{table.id}）", table.title),
        Centered(as_of_label),
        _table_block(table),
    )
    return Document(table.id, title, notice.number or notice.id, blocks)
