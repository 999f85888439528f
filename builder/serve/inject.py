"""What ``notices serve`` adds to an HTML page as it serves it (the files in the preview
folder are never changed): the script that reloads the page when its sources changed,
the list of problems when the sources do not build (over the last good page, which stays
readable underneath), a line while the files are being made, and the drafts left out.
All of it is escaped text; the script is served from :data:`SCRIPT_PATH`."""

from __future__ import annotations

import json

from markupsafe import escape

from builder.serve.state import Status

PREFIX = "/__notices__/"
"""URLs of the preview itself (never a file of the site)."""

SCRIPT_PATH = f"{PREFIX}live.js"
EVENTS_PATH = f"{PREFIX}events"

SCRIPT = """\
/* notices serve: reload this page when what it shows was rebuilt. */
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = Number(me.getAttribute("data-generation"));
  var page = me.getAttribute("data-page");
  var events = new EventSource("EVENTS_PATH");
  events.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (state.generation <= generation) {
      return;
    }
    if (state.hello || state.reload === null || state.reload.indexOf(page) >= 0) {
      events.close();
      window.location.reload();
      return;
    }
    generation = state.generation;
    var building = document.getElementById("notices-live-building");
    if (building) {
      building.hidden = !state.building;
    }
  });
  var hide = document.getElementById("notices-live-hide");
  if (hide) {
    hide.addEventListener("click", function () {
      document.getElementById("notices-live-problems").hidden = true;
    });
  }
})();
""".replace("EVENTS_PATH", EVENTS_PATH)

STYLE = """\
#notices-live-problems{position:fixed;inset:0;z-index:2147483647;overflow:auto;
background:#fff;color:#111;padding:1.5rem 2rem;font:16px/1.6 system-ui,sans-serif}
#notices-live-problems h2{color:#a00;margin:0 0 .5rem;font-size:1.4rem}
#notices-live-problems ol{padding-left:1.5rem}
#notices-live-problems li{font-family:ui-monospace,monospace;white-space:pre-wrap;
word-break:break-all;margin:.4rem 0}
#notices-live-hide{font:inherit;margin-top:1rem}
.notices-live-bar{position:fixed;left:0;right:0;bottom:0;z-index:2147483646;margin:0;
padding:.3rem 1rem;background:#fff8d6;color:#111;border-top:1px solid #b89500;
font:14px/1.5 system-ui,sans-serif}
"""


def _problems(status: Status) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in status.problems)
    return (
        '<section id="notices-live-problems" role="alert" '
        'aria-labelledby="notices-live-problems-heading">'
        '<h2 id="notices-live-problems-heading">'
        "ソースに誤りがあります / The sources have problems</h2>"
        "<p>ファイルを直して保存すると、このページは自動で更新されます。この一覧を閉じると、前回"
        "正しく作成できたページが見えます。 / Fix the file and save: this page reloads by "
        "itself. Hide this list to see the last page that built.</p>"
        f"<ol>{items}</ol>"
        '<button type="button" id="notices-live-hide">閉じて前回のページを見る / '
        "Hide and see the last good page</button>"
        "</section>"
    )


def _building(status: Status) -> str:
    hidden = "" if status.building and not status.problems else " hidden"
    return (
        f'<p id="notices-live-building" class="notices-live-bar" role="status"{hidden}>'
        "ページは保存した内容です。Word・PDF などのファイルを作成しています… / "
        "This page shows what you saved; the Word, PDF and other files are being made…</p>"
    )


def _drafts(status: Status) -> str:
    if not status.drafts or status.building:
        return ""
    names = "、".join(str(escape(draft)) for draft in status.drafts)
    return (
        '<p id="notices-live-drafts" class="notices-live-bar" role="status">'
        f"下書き（changes: []）は文書に含まれません / Drafts are left out until they have "
        f"changes: {names}</p>"
    )


def live_parts(status: Status, page: str) -> str:
    """The markup added at the end of the body of the served page ``page`` (its path
    under the preview folder), for ``status``."""
    script = (
        f'<script src="{SCRIPT_PATH}" data-generation="{status.generation}" '
        f'data-page="{escape(page)}"></script>'
    )
    problems = _problems(status) if status.problems else ""
    return f"<style>{STYLE}</style>{problems}{_building(status)}{_drafts(status)}{script}"


def inject(html: bytes, status: Status, page: str) -> bytes:
    """``html`` (UTF-8) with :func:`live_parts` inserted before its last ``</body>`` (at
    the end if it has none)."""
    parts = live_parts(status, page).encode("utf-8")
    at = html.rfind(b"</body>")
    if at < 0:
        return html + parts
    return html[:at] + parts + html[at:]


def page_of_problems(status: Status, page: str) -> bytes:
    """A page of its own for a URL that has no page yet (nothing built, or a page that
    does not exist), with the problems if any."""
    title = "ソースに誤りがあります" if status.problems else "ページがありません / Not found"
    body = (
        f"<h1>{escape(title)}</h1>"
        if status.problems
        else f"<h1>{escape(title)}</h1><p>{escape(page)}</p><p><a href='/site/index.html'>"
        "通知一覧 / The notices</a></p>"
    )
    html = (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{body}</body></html>"
    ).encode()
    return inject(html, status, page)


def event_data(status: Status, hello: bool = False) -> bytes:
    """One server-sent event telling a page of ``status``."""
    data = {**status.event(), "hello": hello}
    return f"event: state\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


__all__ = [
    "EVENTS_PATH",
    "PREFIX",
    "SCRIPT",
    "SCRIPT_PATH",
    "event_data",
    "inject",
    "live_parts",
    "page_of_problems",
]
