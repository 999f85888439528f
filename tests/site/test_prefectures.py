"""The site for prefectures (issue 18 item 6): a page per prefecture of an area table (its
row as of each version, the amendments that touched it with both dates, its 様式例 in
three formats saved as 「様式名_都道府県_区域」), the prebuilt search index, captions in
和暦 with the form's name, the sha256 folded away and no empty heading. The browser side
(search from file://, downloads) is tests/site/test_site_browser.py."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest

from builder.build.write import build
from builder.documents.paths import form_file_name, form_name
from builder.engine.address import AttachmentAddress, RowAddress, TitleAddress
from builder.engine.amend import QuotedChanges, UnitChange
from builder.engine.area_profile import PENDING, prefecture_rows, rows_touched
from builder.model.area_table import AreaRow
from builder.model.notice import AddRow, DeleteRow
from builder.site import site_outputs
from builder.site.pages import Site, plan, version_wareki
from builder.site.prefectures import prefecture_pages
from builder.site.search import GLOBAL, normalise, search_entries
from builder.sources.workspace import Workspace
from tests.conftest import amendment_yaml
from tests.site.test_site import NOTICE, Page, index_entries, page, words

HYOGO = "prefectures/兵庫県.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (the build writes the site)."""
    out = tmp_path_factory.mktemp("prefectures") / "out"
    build(Workspace(Path(__file__).resolve().parents[2]), out)
    return out


def real_site(workspace: Workspace, out: Path) -> Site:
    entries = [e for e in index_entries(out) if e["kind"] != "site"]
    return plan(workspace, entries)


def search_data(out: Path) -> list[dict[str, str]]:
    script = (out / "site" / "search-index.js").read_text(encoding="utf-8")
    match = re.fullmatch(rf"/\*[^*]*\*/\nwindow\.{GLOBAL} = (.*);\n", script, re.S)
    assert match, script[:200]
    data: list[dict[str, str]] = json.loads(match.group(1))
    return data


def find(data: list[dict[str, str]], query: str) -> list[tuple[str, str]]:
    """What static/site.js finds: entries whose text holds every normalised word."""
    query_words = [normalise(word) for word in query.split()]
    return [(e["kind"], e["title"]) for e in data if all(w in e["text"] for w in query_words)]


# --------------------------------------------------------------------------- the profile


def test_prefecture_rows_and_the_rows_each_amendment_touched(workspace: Workspace) -> None:
    history = workspace.history(workspace.find_notice(NOTICE))
    first, *_, last = history.versions
    rows = {row.prefecture: row for row in prefecture_rows(first.notice)}
    assert len(rows) == 47
    assert (rows["兵庫県"].text, rows["兵庫県"].pending, rows["兵庫県"].areas) == (
        PENDING,
        True,
        (),
    )
    akita = {row.prefecture: row for row in prefecture_rows(last.notice)}["秋田県"]
    assert akita.areas == ("能代・山本", "大館・鹿角")
    assert akita.model_areas == akita.areas
    assert [sorted(rows_touched("別添1", v.changes)) for v in history.versions] == [
        [],
        ["北海道"],
        ["鳥取県"],
        ["兵庫県"],
    ]
    assert rows_touched("別添2", last.changes) == frozenset()
    generic = workspace.find_notice("医政発0328第3号")
    assert prefecture_rows(generic) == ()


def test_rows_touched_by_added_deleted_and_rewritten_rows() -> None:
    added = UnitChange(
        AttachmentAddress("別添1"),
        (0,),
        AddRow("岩手県", (AreaRow("宮城県"), AreaRow("秋田県"))),
    )
    deleted = UnitChange(RowAddress("別添1", "北海道"), (1,), DeleteRow())
    elsewhere = UnitChange(RowAddress("別添3", "青森県"), (2,), DeleteRow())
    title = UnitChange(TitleAddress(), (3,), QuotedChanges(()))
    table_note = UnitChange(AttachmentAddress("別添1"), (4,), QuotedChanges(()))
    changes = (added, deleted, elsewhere, title, table_note)
    assert rows_touched("別添1", changes) == {"宮城県", "秋田県", "北海道"}
    assert rows_touched("別添3", changes) == {"青森県"}


# --------------------------------------------------------------------------- pages


def test_the_page_of_hyogo(built: Path) -> None:
    parsed = page(built, HYOGO)
    assert parsed.texts("h1") == ["兵庫県"]
    changes = [
        words(t) for n, a, t in parsed.closed if n == "tr" and a.get("class") == "row-change"
    ]
    assert changes == [
        "令和7年3月27日医政発0327第2号調整中（令和6年7月31日から）→東播磨（令和7年3月27日から）"
    ]
    states = next(words(t) for t in parsed.texts("tbody") if "時点" in t)
    assert states == (
        "令和6年7月31日時点原文（医政発0731第1号）調整中"
        "令和6年10月10日時点一部改正（医政発1010第2号）調整中"
        "令和7年1月20日時点一部改正（医政発0120第2号）調整中"
        "令和7年3月27日時点一部改正（医政発0327第2号）：この項を改正東播磨"
    )
    links = {a["href"]: a for a in parsed.attributes("a")}
    assert (
        "../%E5%8C%BB%E6%94%BF%E7%99%BA0731%E7%AC%AC1%E5%8F%B7/2025-03-27/amendment.html" in links
    )
    saved = sorted(a["download"] for a in links.values() if "download" in a)
    assert saved == [f"区域対応方針_兵庫県_東播磨.{ext}" for ext in ("docx", "pdf", "xlsx")]
    for target in (a["href"] for a in links.values() if "download" in a):
        assert (built / "site" / "prefectures" / unquote(target)).resolve().is_file(), target
    assert "SHA-256" in "".join(parsed.texts("summary"))


def test_a_prefecture_with_several_areas_and_one_still_pending_at_first(built: Path) -> None:
    tokyo = page(built, "prefectures/東京都.html")
    rows = [t for n, a, t in tokyo.closed if n == "tr" and a.get("class") == "row-change"]
    assert rows == []  # never amended
    assert "東京都の項を改めた改正はありません" in words(tokyo.text)
    areas = [t for n, a, t in tokyo.closed if n == "th" and a.get("scope") == "row"]
    assert "区中央部" in areas and "北多摩南部" in areas
    hokkaido = page(built, "prefectures/北海道.html")
    assert "調整中（令和6年7月31日から）→中空知（●）（令和6年10月10日から）" in words(hokkaido.text)


def test_the_prefecture_index_and_nav(built: Path) -> None:
    parsed = page(built, "prefectures/index.html")
    rows = [words(t) for n, a, t in parsed.closed if n == "tr"][1:]
    assert len(rows) == 47
    assert rows[0] == "北海道中空知（●）1回（最終令和6年10月10日）"
    assert "兵庫県東播磨1回（最終令和7年3月27日）" in rows
    assert "（医政発0731第1号の別添1による）" in words(parsed.text)
    tokyo = next(row for row in rows if row.startswith("東京都"))
    assert tokyo.endswith("なし") and "区中央部" in tokyo
    for path in ("index.html", HYOGO, f"{NOTICE}/2025-03-27/index.html"):
        nav = next(t for n, a, t in page(built, path).closed if n == "nav")
        assert "都道府県別" in nav, path


def test_no_prefecture_pages_without_an_area_table(workspace: Workspace, built: Path) -> None:
    site = real_site(workspace, built)
    without = Site(tuple(n for n in site.notices if n.number != NOTICE), site.downloads)
    assert prefecture_pages(without) == ()
    assert len(prefecture_pages(site)) == 47


def test_every_page_has_no_empty_heading_and_forms_captions_in_wareki(built: Path) -> None:
    for html in (built / "site").rglob("*.html"):
        parsed = Page(html.read_text(encoding="utf-8"))
        for level in ("h1", "h2", "h3"):
            assert all(text.strip() for text in parsed.texts(level)), (html, level)
    downloads = page(built, "downloads.html")
    captions = downloads.texts("caption")
    assert not [c for c in captions if re.search(r"\d{4}-\d{2}", c)], captions
    assert (
        "区域対応方針（様式例）：地域医療構想における推進区域及びモデル推進区域の設定等について"
        "の令和7年3月27日時点の区域ごとに記入済み" in captions
    )
    blank = [words(t) for n, a, t in downloads.closed if n == "tr" and "令和6年5月" in t]
    assert blank and blank[0].startswith(
        "推進区域（仮称）及びモデル推進区域（仮称）について令和6年5月"
    )
    saved = {a["download"] for a in downloads.attributes("a") if "download" in a}
    assert "区域対応方針.xlsx" in saved and "区域対応方針_北海道_中空知.pdf" in saved
    assert len(saved) == 222 + 6


def test_version_and_notice_pages_point_at_the_forms_instead_of_listing_them(
    built: Path,
) -> None:
    for path in (f"{NOTICE}/2025-03-27/index.html", f"{NOTICE}/index.html"):
        parsed = page(built, path)
        assert not [a for a in parsed.attributes("a") if "/forms/" in a.get("href", "")], path
        assert parsed.texts("p", "forms-note") == [
            "区域ごとに記入済みの様式例（222ファイル）は、ダウンロードと都道府県別のページにあります。"
        ], path


def test_version_names_in_wareki() -> None:
    assert version_wareki("2025-03-27") == "令和7年3月27日"
    assert version_wareki("2024-05") == "令和6年5月"
    assert version_wareki("2025-03-27_医政発0327第2号") == "令和7年3月27日（医政発0327第2号）"
    assert version_wareki("draft") == "draft"


def test_form_file_names() -> None:
    assert form_name("区域対応方針（様式例）") == "区域対応方針"
    assert form_name("調査票") == "調査票"
    assert form_file_name("区域対応方針（様式例）", "兵庫県", "東播磨", "xlsx") == (
        "区域対応方針_兵庫県_東播磨.xlsx"
    )
    assert form_file_name("区域対応方針（様式例）", "", "", "pdf") == "区域対応方針.pdf"
    assert (
        form_file_name("A/B: 様式", "東京都", "区中央部", "docx")
        == "A＿B＿ 様式_東京都_区中央部.docx"
    )


# --------------------------------------------------------------------------- search


def test_the_search_index_finds_areas_amendments_and_prefectures(built: Path) -> None:
    data = search_data(built)
    assert {e["kind"] for e in data} == {"通知", "改正", "都道府県", "区域"}
    found = find(data, "東播磨")
    assert ("区域", "東播磨") in found and ("都道府県", "兵庫県") in found
    assert ("改正", "医政発0327第2号（令和7年3月27日一部改正）") in found
    for query in ("医政発0327第2号", "医政発０３２７第２号", "令和7年3月27日"):
        assert ("改正", "医政発0327第2号（令和7年3月27日一部改正）") in find(data, query), query
    assert find(data, "兵庫 東播磨") and not find(data, "兵庫 中空知")
    assert [t for k, t in find(data, "医政発0328第3号") if k == "通知"] == [
        "2025年に向けた地域医療構想の進め方について"
    ]
    for entry in data:
        assert (built / "site" / unquote(entry["url"])).is_file(), entry
    hyogo = next(e for e in data if e["title"] == "兵庫県")
    assert hyogo["url"] == "prefectures/%E5%85%B5%E5%BA%AB%E7%9C%8C.html"
    assert len((built / "site" / "search-index.js").read_bytes()) < 100_000


def test_search_entries_point_at_pages_that_exist(workspace: Workspace, built: Path) -> None:
    site = real_site(workspace, built)
    entries = search_entries(site, prefecture_pages(site))
    kinds = [entry.kind for entry in entries]
    # 3 notices, 3 amendments, 47 prefectures, 74 areas (no area was ever removed)
    assert [kinds.count(kind) for kind in ("通知", "改正", "都道府県", "区域")] == [3, 3, 47, 74]
    for entry in entries:
        assert (built / "site" / entry.path).is_file(), entry


def test_normalise_matches_the_script() -> None:
    assert normalise("医政発０３２７ 第２号") == "医政発0327第2号"
    assert normalise("ＡＢｃ\u3000x") == "abcx"
    script = (Path(__file__).resolve().parents[2] / "builder/site/static/site.js").read_text(
        encoding="utf-8"
    )
    assert 'normalize("NFKC").toLowerCase().replace(/\\s+/g, "")' in script


# --------------------------------------------------------------------------- a fixture project


def test_a_row_added_by_an_amendment(make_project: Callable[..., Path], tmp_path: Path) -> None:
    """A prefecture whose row an amendment adds: absent before, then its areas; the
    amendment is listed on its page."""
    root = make_project(
        {
            "2024-05-01_a.yaml": amendment_yaml(
                "医政発0501第1号",
                "2024-05-01",
                "  - at: 別添1\n    add_row_after: 岩手県\n    rows: [{prefecture: 宮城県, areas: [仙南]}]\n",
            )
        }
    )
    workspace = Workspace(root)
    out = tmp_path / "out"
    build(workspace, out, jobs=1)
    pages = dict(site_outputs(workspace, [e for e in index_entries(out) if e["kind"] != "site"]))
    miyagi = Page(pages["site/prefectures/宮城県.html"].decode("utf-8"))
    rows = [words(t) for n, a, t in miyagi.closed if n == "tr" and a.get("class") == "row-change"]
    assert rows == [
        "令和6年5月1日医政発0501第1号（表に記載なし）（令和6年4月1日から）→仙南（令和6年5月1日から）"
    ]
    iwate = Page(pages["site/prefectures/岩手県.html"].decode("utf-8"))
    assert "岩手県の項を改めた改正はありません" in words(iwate.text)
