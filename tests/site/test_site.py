"""The publication site: the HTML writer carries the text writer's words in the same
order, the pages exist and link only relatively to files that exist, every text is
escaped (a hostile fixture project), 様式例 appears only with form entries, and the
output is reproducible."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from builder.build.write import build
from builder.documents.compose import (
    comparison,
    consolidated,
    cover_notice,
    distribution_letter,
    kaibun_document,
)
from builder.japanese import PREFECTURES
from builder.model.document import Document
from builder.site import site_outputs
from builder.site.pages import href
from builder.sources.workspace import Workspace
from builder.verify.report import strip_table_marks
from builder.writers.html import element, render_html
from builder.writers.text import render_text
from tests.conftest import MINI_NOTICE, ROOT, amendment_yaml

NOTICE = "医政発0731第1号"
JIMU = "地域医療計画課事務連絡2024-06-11"


# --------------------------------------------------------------------------- helpers


class Page(HTMLParser):
    """A parsed page: its text, its elements (tag, attributes) in order, and the text of
    each element with a given class or id, enough to assert on structure."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text_parts: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.stack: list[tuple[str, dict[str, str], list[str]]] = []
        self.closed: list[tuple[str, dict[str, str], str]] = []
        self.feed(html)
        self.close()

    VOID = frozenset({"meta", "link", "col", "br", "img", "input"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        self.elements.append((tag, attributes))
        if tag not in self.VOID:
            self.stack.append((tag, attributes, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        name, attributes, parts = self.stack.pop()
        text = "".join(parts)
        self.closed.append((name, attributes, text))
        if self.stack:
            self.stack[-1][2].append(text)

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if self.stack:
            self.stack[-1][2].append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def texts(self, tag: str, cls: str | None = None) -> list[str]:
        """The text of every ``tag`` (with class ``cls``), in closing order."""
        return [
            text
            for name, attributes, text in self.closed
            if name == tag and (cls is None or cls in attributes.get("class", "").split())
        ]

    def attributes(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.elements if name == tag]


def words(text: str) -> str:
    """``text`` without any white space (ASCII, U+3000, form feed)."""
    return re.sub(r"\s", "", text)


def write_site(workspace: Workspace, out: Path, entries: list[dict[str, object]]) -> list[str]:
    paths = []
    for path, data in site_outputs(workspace, entries):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        paths.append(path)
    return paths


def index_entries(out: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads((out / "index.json").read_text(encoding="utf-8"))
    return entries


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build with the site written next to it (as the build will)."""
    out = tmp_path_factory.mktemp("site") / "out"
    workspace = Workspace(ROOT)
    build(workspace, out)
    write_site(workspace, out, index_entries(out))
    return out


def page(out: Path, path: str) -> Page:
    return Page((out / "site" / path).read_text(encoding="utf-8"))


def every_document(workspace: Workspace) -> list[Document]:
    documents = []
    for notice in workspace.project.notices:
        history = workspace.history(notice)
        for version in history.versions:
            documents.append(consolidated(version, "consolidated"))
            if version.amendment is not None:
                documents += [
                    cover_notice(history, version, None, "cover-notice"),
                    comparison(history.before(version), version, "comparison"),
                    kaibun_document(version, "kaibun"),
                ]
                if version.amendment.letter is not None:
                    documents.append(
                        distribution_letter(
                            workspace.project, history, version, None, "distribution-letter"
                        )
                    )
    return documents


TEXT_ONLY_MARKS = re.compile("[■｜〖〗]")
"""What the text writer prints in place of table borders and underlines."""


# --------------------------------------------------------------------------- the writer


def test_html_has_the_words_of_the_text_writer_in_order(workspace: Workspace) -> None:
    documents = every_document(workspace)
    assert len(documents) == 18
    for document in documents:
        html = words(Page(str(render_html(document))).text)
        text = words(strip_table_marks(render_text(document)))
        if document.name == "comparison":
            text = TEXT_ONLY_MARKS.sub("", text)
        assert html == text, document.name


def test_items_are_nested_lists_with_their_labels(workspace: Workspace) -> None:
    version = workspace.history(workspace.find_notice(NOTICE)).versions[-1]
    parsed = Page(str(render_html(consolidated(version, "consolidated"))))
    labels = [label.strip("\u3000") for label in parsed.texts("span", "item-label")]
    assert labels[:6] == ["1.", "(1)", "(2)", "①", "②", "③"]
    assert {"1.", "2.", "3.", "(1)", "(2)", "(3)", "①", "④", "・"} <= set(labels)
    item_lines = parsed.texts("p", "item-line")
    assert "1.\u3000推進区域及びモデル推進区域について" in item_lines
    assert (
        "①データの特性だけでは説明できない合計病床数の必要量との差異が特に生じていること"
        in item_lines
    )
    # the 記 list, its (1)-(3) lists and the ・ list of 3.(1) are real lists
    lists = [tag for tag, attributes in parsed.elements if attributes.get("class") == "items"]
    assert lists.count("ol") >= 4
    assert lists.count("ul") == 2  # 3.(1) and 3.(2): only ・ items
    assert labels.count("・") == 12  # ten under 3.(1), two under 3.(2)
    bullets = [text for text in parsed.texts("ul", "items") if text.startswith("・都道府県")]
    assert len(bullets) == 1


def test_document_layout_blocks(workspace: Workspace) -> None:
    version = workspace.history(workspace.find_notice(NOTICE)).versions[-1]
    parsed = Page(str(render_html(consolidated(version, "consolidated"))))
    assert parsed.texts("span", "header-label").count("一部改正") == 3
    assert parsed.texts("p", "addressee") == ["各都道府県知事\u3000殿"]
    assert parsed.texts("div", "sender") == ["厚生労働省医政局長\n（公印省略）"]
    assert parsed.texts("h2", "doc-title") == [
        "地域医療構想における推進区域及びモデル推進区域の設定等について"
    ]
    assert parsed.texts("p", "centered")[0] == "記"
    assert len(parsed.texts("p", "para")) == 3
    assert parsed.texts("div", "contact")[0].startswith(
        "【担当者】\n厚生労働省医政局地域医療計画課\n"
    )
    assert parsed.texts("span", "attachment-label") == ["（別添1）", "（別添2）"]
    assert len(parsed.attributes("section")) == 2


def area_rows(parsed: Page) -> dict[str, str]:
    """Prefecture → its areas cell, read from the two column pairs."""
    cells = [
        (name, text)
        for name, attributes, text in parsed.closed
        if (name == "th" and attributes.get("scope") == "row")
        or (name == "td" and "areas" in attributes.get("class", ""))
    ]
    return {cells[i][1]: cells[i + 1][1] for i in range(0, len(cells), 2)}


def test_area_table_in_two_column_pairs(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice(NOTICE))
    first = Page(str(render_html(consolidated(history.versions[0], "consolidated"))))
    last = Page(str(render_html(consolidated(history.versions[-1], "consolidated"))))
    assert [a.get("scope") for a in last.attributes("th")][:4] == ["col"] * 4
    header = [text for name, a, text in last.closed if name == "th" and a.get("scope") == "col"]
    assert header == ["都道府県", "推進区域、モデル推進区域"] * 2
    rows = last.texts("tr")
    assert len(rows) == 1 + 24  # header, then ceil(47 / 2) rows
    assert rows[1] == "北海道中空知（●）滋賀県湖北（●）"
    assert rows[24] == "三重県松阪（●）"
    assert area_rows(last)["兵庫県"] == "東播磨"
    assert area_rows(first)["兵庫県"] == "調整中"
    assert area_rows(first)["北海道"] == "調整中"
    assert area_rows(last)["秋田県"] == "能代・山本（●）、大館・鹿角（●）"
    assert len(area_rows(last)) == 47
    assert last.texts("p", "table-note") == ["※（●）は推進区域かつモデル推進区域"]
    # every areas cell names its column header and its prefecture
    for attributes in last.attributes("td"):
        if "areas" in attributes.get("class", ""):
            assert len(attributes["headers"].split()) == 2


def test_comparison_table_marks_the_changed_runs(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice(NOTICE))
    version = history.versions[-1]
    parsed = Page(str(render_html(comparison(history.before(version), version, "comparison"))))
    assert parsed.texts("p", "comparison-note") == ["（傍線部分は改正部分）"]
    headings = [t for n, a, t in parsed.closed if n == "th" and a.get("scope") == "col"]
    assert headings[:2] == ["改正後", "改正前"]
    assert parsed.texts("th", "context") == []  # no row spanning both columns any more
    (heading,) = parsed.texts("p", "comparison-heading")
    assert heading.startswith("○「") and heading.endswith("（抄）")
    assert parsed.texts("ins") == ["東播磨"]
    assert parsed.texts("del") == ["調整中"]


def test_element_escapes_text_and_attributes() -> None:
    made = element("p", '<b>&"', {"title": '"><script>', "hidden": None})
    assert str(made) == '<p title="&#34;&gt;&lt;script&gt;">&lt;b&gt;&amp;&#34;</p>'


# --------------------------------------------------------------------------- the pages


def test_pages_of_the_real_project(site: Path) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in (site / "site").rglob("*"))
    expected = {
        "site/index.html",
        "site/downloads.html",
        "site/static/site.css",
        "site/static/site.js",
        "site/static/favicon.svg",
        f"site/{NOTICE}/index.html",
        f"site/{JIMU}/index.html",
        f"site/{JIMU}/2024-06-11/index.html",
        "site/医政発0328第3号/index.html",
        "site/医政発0328第3号/2024-03-28/index.html",
    }
    for date in ("2024-07-31", "2024-10-10", "2025-01-20", "2025-03-27"):
        expected.add(f"site/{NOTICE}/{date}/index.html")
    for date in ("2024-10-10", "2025-01-20", "2025-03-27"):
        expected.add(f"site/{NOTICE}/{date}/amendment.html")
    expected |= {"site/prefectures/index.html", "site/search-index.js"}
    expected |= {f"site/prefectures/{p.name}.html" for p in PREFECTURES}
    assert expected <= set(files)
    assert not [f for f in files if f.endswith(".html") and f not in expected]


def test_index_lists_the_notices(site: Path) -> None:
    parsed = page(site, "index.html")
    assert parsed.texts("h2") == [
        "2025年に向けた地域医療構想の進め方について",
        "地域医療構想における推進区域及びモデル推進区域の設定等について",
        "地域医療構想に係る医療機関向け勉強会の実施について",
    ]
    facts = [words(text) for text in parsed.texts("dl", "facts")]
    assert facts == [
        "文書番号医政発0328第3号日付令和6年3月28日",
        "文書番号医政発0731第1号日付令和6年7月31日最終改正令和7年3月27日（医政発0327第2号）",
        "文書番号事務連絡日付令和6年6月11日",
    ]


def test_version_pages_and_selector(site: Path) -> None:
    old = page(site, f"{NOTICE}/2024-07-31/index.html")
    new = page(site, f"{NOTICE}/2025-03-27/index.html")
    assert area_rows(old)["兵庫県"] == "調整中"
    assert area_rows(new)["兵庫県"] == "東播磨"
    options = new.attributes("option")
    assert [o["value"] for o in options] == [
        "../2024-07-31/index.html",
        "../2024-10-10/index.html",
        "../2025-01-20/index.html",
        "index.html",
    ]
    assert [o.get("selected") for o in options] == [None, None, None, ""]
    assert new.texts("option")[0] == "令和6年7月31日（原文）"
    assert new.texts("label") == ["検索", "時点"]  # the search box, the selector
    assert "その後の改正があります" in old.text
    assert "その後の改正があります" not in new.text
    # the history table links every version and marks this one
    history = [a for a in old.attributes("a") if a.get("aria-current") == "page"]
    assert [a["href"] for a in history] == ["index.html"]
    assert "一部改正" not in "".join(old.texts("div", "doc-header"))


def test_amendment_page(site: Path) -> None:
    parsed = page(site, f"{NOTICE}/2025-03-27/amendment.html")
    assert [t for t in parsed.texts("h2")][:4] == [
        "改め文",
        "新旧対照表",
        "改正通知（各都道府県知事宛て）",
        "送付文（別記団体の長宛て）",
    ]
    assert "別添1 兵庫県の項中「調整中」を「東播磨」に改める。" in parsed.texts("p", "para")
    assert parsed.texts("ins") == ["東播磨"]
    assert parsed.texts("del") == ["調整中"]
    assert "（傍線部分は改正部分）" in parsed.text
    assert "公益社団法人\u3000日本医師会" in parsed.texts("li")
    ids = [a["id"] for _, a in parsed.elements if "id" in a]
    assert len(ids) == len(set(ids))


def test_downloads_page_lists_every_file(site: Path) -> None:
    parsed = page(site, "downloads.html")
    links = {a["href"] for a in parsed.attributes("a")}
    folded = "".join(parsed.texts("details", "hashes"))
    for entry in index_entries(site):
        if entry["kind"] == "site":
            continue
        assert href("site/downloads.html", str(entry["file"])) in links
        assert str(entry["sha256"]) in parsed.texts("code", "hash")
        assert str(entry["sha256"]) in folded  # the sha256 column is folded away
    # no table shows a SHA-256 column: only the folded ones list them
    headers = [t for n, a, t in parsed.closed if n == "th" and a.get("scope") == "col"]
    assert headers.count("SHA-256") == len(parsed.texts("details", "hashes"))
    assert (
        "../%E5%8C%BB%E6%94%BF%E7%99%BA0731%E7%AC%AC1%E5%8F%B7/2025-03-27/%E5%88%A5%E6%B7%BB1.csv"
        in links
    )
    assert "1,980 バイト" in parsed.text
    assert "様式例" in parsed.texts("h2")  # the build writes every form, blank and per area


class LinkError(AssertionError):
    pass


def check_links(out: Path) -> int:
    """Every href/src of every page resolves to an existing file (and fragment); returns
    the number of links checked. Absolute and external URLs are errors."""
    checked = 0
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            parsed = Page(path.read_text(encoding="utf-8"))
            ids[path] = {a["id"] for _, a in parsed.elements if "id" in a}
        return ids[path]

    for html in sorted((out / "site").rglob("*.html")):
        parsed = Page(html.read_text(encoding="utf-8"))
        for tag, attributes in parsed.elements:
            key = {"a": "href", "link": "href", "script": "src", "img": "src"}.get(tag)
            if key is None or key not in attributes:
                continue
            url = attributes[key]
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("/"):
                raise LinkError(f"{html}: {url} is not a relative link")
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                raise LinkError(f"{html}: {url} → {target} does not exist")
            if not target.is_relative_to(out.resolve()):
                raise LinkError(f"{html}: {url} leaves the output folder")
            if parts.fragment and parts.fragment not in ids_of(target):
                raise LinkError(f"{html}: {url} names a missing fragment")
            checked += 1
    return checked


def test_every_link_resolves(site: Path) -> None:
    assert check_links(site) > 300


def test_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        '<a href="ok.html">ok</a><a href="missing%20file.pdf">x</a>', encoding="utf-8"
    )
    (tmp_path / "site" / "ok.html").write_text("<p>ok</p>", encoding="utf-8")
    with pytest.raises(LinkError, match="does not exist"):
        check_links(tmp_path)


def test_pages_are_japanese_responsive_and_printable(site: Path) -> None:
    css = (site / "site" / "static" / "site.css").read_text(encoding="utf-8")
    assert '"Hiragino Mincho ProN", "Yu Mincho", "Noto Serif CJK JP", "IPAexMincho", serif' in css
    assert "@media print" in css
    assert "@media (max-width: 40em)" in css
    assert "overflow-x: auto" in css
    for html in (site / "site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert text.startswith('<!DOCTYPE html>\n<html lang="ja">'), html
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        parsed = Page(text)
        assert len(parsed.texts("h1")) == 1, html
        assert len(parsed.texts("main")) == 1, html


def test_site_is_reproducible(workspace: Workspace, site: Path) -> None:
    entries = index_entries(site)
    first = list(site_outputs(workspace, entries))
    second = list(site_outputs(workspace, entries))
    assert first == second
    assert all(path.startswith("site/") for path, _ in first)
    on_disk = {path: (site / path).read_bytes() for path, _ in first}
    assert dict(first) == on_disk


# --------------------------------------------------------------------------- 様式例


def form_entry(prefecture: str, area: str, fmt: str) -> dict[str, object]:
    return {
        "file": f"{NOTICE}/2025-03-27/forms/{prefecture or 'blank'}/{area or 'blank'}.{fmt}",
        "notice": NOTICE,
        "version": "2025-03-27",
        "kind": "form",
        "format": fmt,
        "size": 1234,
        "sha256": "ab" * 32,
        "form": "kuiki-taio-hoshin",
        **({"prefecture": prefecture} if prefecture else {}),
        **({"area": area} if area else {}),
    }


def test_forms_section_lists_form_downloads_per_prefecture_and_area(
    workspace: Workspace, site: Path
) -> None:
    entries = [
        *(e for e in index_entries(site) if e["kind"] != "form"),
        form_entry("兵庫県", "東播磨", "xlsx"),
        form_entry("兵庫県", "東播磨", "docx"),
        form_entry("北海道", "中空知", "xlsx"),
        form_entry("", "", "pdf"),
    ]
    pages = dict(site_outputs(workspace, entries))
    parsed = Page(pages["site/downloads.html"].decode("utf-8"))
    assert "様式例" in parsed.texts("h2")
    rows = [words(text) for name, _, text in parsed.closed if name == "tr"]
    forms = [row for row in rows if "バイト）" in row]
    assert forms == [
        "（共通）—PDF（1,234バイト）",
        "北海道中空知Excel（1,234バイト）",
        "兵庫県東播磨Excel（1,234バイト）Word（1,234バイト）",
    ]
    links = {a["href"]: a for a in parsed.attributes("a")}
    link = links[href("site/downloads.html", f"{NOTICE}/2025-03-27/forms/兵庫県/東播磨.xlsx")]
    assert link["download"] == "区域対応方針_兵庫県_東播磨.xlsx"
    assert "区域対応方針（様式例）：" in "".join(parsed.texts("caption"))
    # the version page counts them and links the pages that list them
    version = Page(pages[f"site/{NOTICE}/2025-03-27/index.html"].decode("utf-8"))
    assert not [t for t in version.texts("td") if t.startswith("様式例")]
    note = version.texts("p", "forms-note")
    assert note == [
        "区域ごとに記入済みの様式例（4ファイル）は、ダウンロードと都道府県別のページにあります。"
    ]


def test_no_forms_section_without_form_entries(workspace: Workspace, site: Path) -> None:
    entries = [e for e in index_entries(site) if e["kind"] != "form"]
    pages = dict(site_outputs(workspace, entries))
    assert "様式例" not in Page(pages["site/downloads.html"].decode("utf-8")).texts("h2")


def test_real_form_downloads_per_area(site: Path) -> None:
    parsed = page(site, "downloads.html")
    rows = [words(text) for name, _, text in parsed.closed if name == "tr"]
    assert any(row.startswith("兵庫県東播磨Excel") for row in rows)
    assert (
        sum(1 for row in rows if "Word（" in row and "PDF（" in row) == 74 + 2
    )  # areas + 2 blank forms


# --------------------------------------------------------------------------- escaping

HOSTILE_TITLE = '試験<script>alert("x")</script>&amp;通知 & "引用" \'x\''

HOSTILE_AMENDMENTS = {
    "2024-05-01_a.yaml": amendment_yaml(
        "医政発0501第1号",
        "2024-05-01",
        '  - {at: 記の2, replace: 区域対応方針, with: "<b>方針</b>&"}\n'
        '  - {at: 別添1 兵庫県の項, replace: 調整中, with: "東播磨<i>"}\n'
        "  - at: 記の1\n"
        "    rewrite:\n"
        '      label: "1."\n'
        '      title: "基本的な考え方<img src=x onerror=alert(1)>"\n'
        "      paragraphs: [甲は乙とする。]\n",
    ),
}


@pytest.fixture
def hostile(make_project: Callable[..., Path], tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    notice = MINI_NOTICE.replace(
        "title: 試験用の通知について", f"title: '{HOSTILE_TITLE.replace(chr(39), chr(39) * 2)}'"
    )
    notice = notice.replace(
        "  - 試験のための前文である。",
        "  - '試験のための<a href=\"javascript:x\">前文</a>である。'",
    )
    root = make_project(HOSTILE_AMENDMENTS, notice)
    workspace = Workspace(root)
    out = tmp_path / "out"
    build(workspace, out)
    pages = dict(site_outputs(workspace, index_entries(out)))
    return out, pages


def test_every_text_is_escaped(hostile: tuple[Path, dict[str, bytes]]) -> None:
    _, pages = hostile
    html_pages = {
        path: data.decode("utf-8") for path, data in pages.items() if path.endswith(".html")
    }
    # index, downloads, notice, 2 versions, 1 amendment, the prefectures and 4 of them
    assert len(html_pages) == 6 + 1 + 4
    for path, text in html_pages.items():
        assert "<script>alert" not in text, path
        assert "<b>" not in text and "<i>" not in text and "<img" not in text, path
        assert 'href="javascript' not in text, path
        parsed = Page(text)
        scripts = parsed.attributes("script")
        assert len(scripts) == 1 and scripts[0]["src"].endswith("static/site.js"), path
        for _, attributes in parsed.elements:
            assert not [key for key in attributes if key.startswith("on")], path
    index = html_pages["site/index.html"]
    assert (
        "試験&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;amp;通知 &amp; &#34;引用&#34;"
        in index
    )
    assert Page(index).texts("h2") == [HOSTILE_TITLE]
    version = next(t for p, t in html_pages.items() if p.endswith("2024-05-01/index.html"))
    assert "&lt;b&gt;方針&lt;/b&gt;&amp;" in version
    assert "東播磨&lt;i&gt;" in version
    assert "基本的な考え方&lt;img src=x onerror=alert(1)&gt;" in version
    amendment = next(t for p, t in html_pages.items() if p.endswith("amendment.html"))
    assert Page(amendment).texts("ins").count("東播磨<i>") == 1
    hyogo = Page(html_pages["site/prefectures/兵庫県.html"])
    assert "東播磨<i>" in hyogo.texts("span", "row-text")
    assert "東播磨&lt;i&gt;" in html_pages["site/prefectures/兵庫県.html"]
    # the search index is JSON in a script: the hostile title stays a string
    script = pages["site/search-index.js"].decode("utf-8")
    prefix = "window.NOTICES_SEARCH_INDEX = "
    data = json.loads(script.split(prefix, 1)[1].rstrip().removesuffix(";"))
    assert HOSTILE_TITLE in [entry["title"] for entry in data]


def test_hostile_site_links_resolve(hostile: tuple[Path, dict[str, bytes]]) -> None:
    out, pages = hostile
    for path, data in pages.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
    assert check_links(out) > 50


# --------------------------------------------------------------------------- same-day amendments

SAME_DAY = {
    "2024-05-01_a.yaml": amendment_yaml(
        "医政発0501第1号", "2024-05-01", "  - {at: 記の2, replace: 区域対応方針, with: 対応方針}\n"
    ),
    "2024-05-01_b.yaml": amendment_yaml(
        "医政発0501第2号",
        "2024-05-01",
        "  - {at: 別添1 兵庫県の項, replace: 調整中, with: 東播磨}\n",
    ),
}


def test_two_amendments_of_one_day_get_their_own_pages_and_downloads(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    """Each amendment of a day has its own folder, its own site pages (its own 改め文) and
    links to its own downloads; index.json names every file once."""
    root = make_project(SAME_DAY)
    out = tmp_path / "out"
    build(Workspace(root), out, jobs=1)
    entries = index_entries(out)
    files = [str(entry["file"]) for entry in entries]
    assert len(files) == len(set(files))
    kaibun = {
        "医政発0501第1号": "記の2中「区域対応方針」を「対応方針」に改める。",
        "医政発0501第2号": "別添1 兵庫県の項中「調整中」を「東播磨」に改める。",
    }
    for number, sentence in kaibun.items():
        folder = f"医政発0401第1号/2024-05-01_{number}"
        assert (out / folder / "kaibun.txt").read_text(encoding="utf-8").count(sentence) == 1
        parsed = page(out, f"{folder}/amendment.html")
        assert sentence in parsed.texts("p", "para")
        other = next(s for n, s in kaibun.items() if n != number)
        assert other not in parsed.text
        links = {unquote(a["href"]) for a in parsed.attributes("a")}
        own = {link for link in links if "/2024-05-01" in link and not link.endswith(".html")}
        assert own, f"{folder}: no downloads"
        assert all(f"/2024-05-01_{number}/" in link for link in own), own
        assert page(out, f"{folder}/index.html").texts("h1")
    assert check_links(out) > 50
