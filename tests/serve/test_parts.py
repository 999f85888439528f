"""The parts of ``notices serve`` without a server: what is added to a served page, which
file a URL names, the generations told to the pages, the lines shown for a problem."""

from __future__ import annotations

import threading
from pathlib import Path

from builder.core.errors import NoticeError, Problem
from builder.core.positions import SourcePos
from builder.serve.files import HOME, Target, is_folder, regular_file, target
from builder.serve.inject import SCRIPT_PATH, inject, page_of_problems
from builder.serve.problems import problem_lines
from builder.serve.rebuild import changed_pages
from builder.serve.state import HISTORY, Broadcaster, Status

PAGE = '<!DOCTYPE html><html lang="ja"><body><main>本文</main></body>\n</html>\n'.encode()


def test_the_live_parts_go_before_the_end_of_the_body() -> None:
    served = inject(PAGE, Status(generation=7), "site/index.html").decode()
    body, end = served.split("</body>")
    assert end == "\n</html>\n" and body.startswith(
        '<!DOCTYPE html><html lang="ja"><body><main>本文'
    )
    assert f'<script src="{SCRIPT_PATH}" data-generation="7" data-page="site/index.html">' in body
    assert 'id="notices-live-problems"' not in body
    assert 'id="notices-live-building" class="notices-live-bar" role="status" hidden' in body


def test_problems_are_listed_escaped_over_the_page() -> None:
    status = Status(problems=("amendments/a.yaml:3:5: <b>「東播磨」</b> が見つかりません",))
    served = inject(PAGE, status, "site/x.html").decode()
    assert 'role="alert"' in served and "<main>本文</main>" in served
    assert (
        "<li>amendments/a.yaml:3:5: &lt;b&gt;「東播磨」&lt;/b&gt; が見つかりません</li>" in served
    )
    assert "<b>" not in served
    alone = page_of_problems(status, "site/none.html").decode()
    assert "amendments/a.yaml:3:5" in alone and SCRIPT_PATH in alone


def test_a_page_without_a_body_gets_the_parts_at_its_end() -> None:
    assert inject(b"<p>x", Status(), "site/a.html").startswith(b"<p>x<style>")


def test_drafts_are_named_once_the_files_are_built() -> None:
    status = Status(drafts=("amendments/d.yaml: 医政発0701第1号",))
    assert "医政発0701第1号" in inject(PAGE, status, "p").decode()
    assert (
        "医政発0701第1号"
        not in inject(PAGE, Status(drafts=status.drafts, building=True), "p").decode()
    )


def test_urls_name_files_of_the_folder_only() -> None:
    assert target("/") == Target(redirect=HOME)
    assert target("/site/") == Target(page="site/index.html")
    assert target("/site/%E5%8C%BB/a.html") == Target(page="site/医/a.html")
    for bad in ("/site/../x", "/site/%2e%2e/x", "/./x", "/a//b", "/a\\b", "/a%00b", "x", "/%ff"):
        assert target(bad) is None, bad


def test_symlinks_and_special_files_are_not_served(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("a", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "site" / "link.txt").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "linked").symlink_to(tmp_path / "site")
    assert regular_file(tmp_path, "site/a.html") == tmp_path / "site" / "a.html"
    assert regular_file(tmp_path, "site/link.txt") is None
    assert regular_file(tmp_path, "linked/a.html") is None
    assert regular_file(tmp_path, "site") is None and is_folder(tmp_path, "site")
    assert regular_file(tmp_path, "site/none.html") is None
    assert not is_folder(tmp_path, "linked")


def test_pages_learn_every_generation_or_reload_when_they_missed_some() -> None:
    broadcaster = Broadcaster()
    first = broadcaster.publish(reload=frozenset({"site/a.html"}), building=True)
    second = broadcaster.publish(reload=frozenset(), building=False)
    assert broadcaster.since(0, 0) == [first, second]
    assert broadcaster.since(second.generation, 0.01) == []
    for _ in range(HISTORY + 1):
        broadcaster.publish(reload=frozenset())
    behind = broadcaster.since(0, 0)
    assert behind is not None and len(behind) == 1 and behind[0].reload is None
    assert behind[0].event()["reload"] is None


def test_a_waiting_page_wakes_on_publish_and_on_close() -> None:
    broadcaster = Broadcaster()
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(broadcaster.since(0, 10)))
    waiter.start()
    broadcaster.publish(problems=("x",))
    waiter.join(5)
    assert got and isinstance(got[0], list) and got[0][0].problems == ("x",)
    closer = threading.Thread(target=lambda: got.append(broadcaster.since(1, 10)))
    closer.start()
    broadcaster.close()
    closer.join(5)
    assert got[1] is None


def test_only_changed_html_pages_reload() -> None:
    served = {"site/a.html": b"a", "site/b.html": b"b", "site/s.css": b"old"}
    new = {"site/a.html": b"a", "site/b.html": b"B", "site/c.html": b"c", "site/s.css": b"new"}
    assert changed_pages(new, served.get) == {"site/b.html", "site/c.html"}


def test_problem_lines_are_the_command_lines_ones() -> None:
    pos = SourcePos("amendments/a.yaml", 3, 5)
    lines = problem_lines(NoticeError([Problem("bad", pos), Problem("no position")]))
    assert lines == ("amendments/a.yaml:3:5: bad", "error: no position")
    assert problem_lines(ValueError("boom"))[0].startswith("internal error: ValueError: boom")
