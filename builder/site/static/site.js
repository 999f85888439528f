/* The site's only script; the pages work without it.
   1. The version selector of a notice's text: go to the page of the chosen version.
      Each option's value is a relative URL, so this works from file:// and any folder.
      Without this script the form stays hidden; the 改正の経緯 table links every version.
   2. The search box in the header: on first use it loads the prebuilt index
      (search-index.js, which sets window.NOTICES_SEARCH_INDEX) with a <script> element,
      so it works from file:// with no server, and lists the notices, amendments,
      prefectures and areas whose text holds every word typed. Results are written with
      textContent only. Without this script the box stays hidden. */
(function () {
  "use strict";

  var forms = document.querySelectorAll("form[data-version-form]");
  Array.prototype.forEach.call(forms, function (form) {
    var select = form.querySelector("select");
    if (!select) {
      return;
    }
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (select.value) {
        window.location.href = select.value;
      }
    });
  });

  var MAX_RESULTS = 30;
  var search = document.querySelector("form[data-search]");
  if (!search) {
    return;
  }
  var input = search.querySelector("input");
  var panel = search.querySelector("[data-search-panel]");
  var status = search.querySelector(".search-status");
  var list = search.querySelector(".search-results");
  var indexUrl = new URL(search.getAttribute("data-search"), window.location.href);
  var root = new URL(".", indexUrl);
  var loading = null;

  // The same normalisation as builder/site/search.py: NFKC, lower case, no white space.
  function normalise(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.NOTICES_SEARCH_INDEX) {
          resolve(window.NOTICES_SEARCH_INDEX);
          return;
        }
        var script = document.createElement("script");
        script.src = indexUrl.href;
        script.onload = function () {
          resolve(window.NOTICES_SEARCH_INDEX || []);
        };
        script.onerror = function () {
          loading = null;
          reject(new Error("search index not loaded"));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function find(entries, query) {
    var words = query.normalize("NFKC").split(/\s+/).map(normalise).filter(Boolean);
    if (!words.length) {
      return [];
    }
    var inTitle = [];
    var elsewhere = [];
    entries.forEach(function (entry) {
      var all = words.every(function (word) {
        return entry.text.indexOf(word) !== -1;
      });
      if (!all) {
        return;
      }
      var title = normalise(entry.title);
      var titled = words.every(function (word) {
        return title.indexOf(word) !== -1;
      });
      (titled ? inTitle : elsewhere).push(entry);
    });
    return inTitle.concat(elsewhere);
  }

  function show(found, query) {
    list.textContent = "";
    if (!normalise(query)) {
      panel.hidden = true;
      status.textContent = "";
      return;
    }
    panel.hidden = false;
    status.textContent = found.length
      ? "「" + query.trim() + "」：" + found.length + "件" +
        (found.length > MAX_RESULTS ? "（うち" + MAX_RESULTS + "件を表示）" : "")
      : "「" + query.trim() + "」に当たるものはありません";
    found.slice(0, MAX_RESULTS).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = new URL(entry.url, root).href;
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = entry.kind;
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = entry.title;
      link.appendChild(kind);
      link.appendChild(title);
      item.appendChild(link);
      if (entry.detail) {
        var detail = document.createElement("span");
        detail.className = "search-detail";
        detail.textContent = entry.detail;
        item.appendChild(detail);
      }
      list.appendChild(item);
    });
  }

  function update() {
    var query = input.value;
    return load().then(
      function (entries) {
        if (input.value === query) {
          show(find(entries, query), query);
        }
      },
      function () {
        panel.hidden = false;
        status.textContent = "検索の索引を読み込めませんでした（search-index.js）";
      }
    );
  }

  search.hidden = false;
  input.addEventListener("focus", function () {
    load().catch(function () {});
  });
  input.addEventListener("input", update);
  search.addEventListener("submit", function (event) {
    event.preventDefault();
    update().then(function () {
      var first = list.querySelector("a");
      if (first) {
        first.focus();
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && search.contains(document.activeElement)) {
      panel.hidden = true;
      input.focus();
    }
  });
})();
