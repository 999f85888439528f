// Browser test of the publication site, run by tests/site/test_site_browser.py.
//
//   node site-test.mjs <out folder> <http base URL of the out folder> <screenshot folder>
//
// Drives Debian's chromium (/usr/bin/chromium, or $CHROMIUM) with playwright-core in a
// fresh profile. For the site loaded from file:// and from the HTTP server it checks:
// the notice list, the version selector (兵庫県 reads 「調整中」 as of 2024-07-31 and
// 「東播磨」 as of 2025-03-27), that a few downloads arrive with the sha256 listed (folded
// under their table), the search box (「東播磨」 finds the area and leads to the page of
// 兵庫県, which shows 調整中 → 東播磨 with both dates; 「医政発0327第2号」, also typed with
// full-width digits, finds the amendment), a 様式例 saved as
// 「区域対応方針_兵庫県_東播磨.xlsx」, no script errors, and axe-core (no violation of any
// impact) on every page from file://, on a sample over HTTP, with the search results open
// and at phone width.
// It saves screenshots at 1280 and 390 px wide. Prints a JSON report; exit 1 on failure.

import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const [outDir, httpBase, shotDir] = process.argv.slice(2);
if (!outDir || !httpBase || !shotDir) {
  console.error("usage: node site-test.mjs <out folder> <http base URL> <screenshot folder>");
  process.exit(2);
}

const EXECUTABLE = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const NOTICE = "医政発0731第1号";
const HYOGO = "prefectures/兵庫県.html";
const AMENDMENT = "医政発0327第2号";
const FORM_NAME = "区域対応方針_兵庫県_東播磨.xlsx";
const JIMU = "地域医療計画課事務連絡2024-06-11";

const failures = [];
const report = { checks: [], axe: {}, screenshots: [], seconds: {}, notes: [], failures };

async function timed(name, work) {
  const start = Date.now();
  try {
    return await work();
  } finally {
    report.seconds[name] = (Date.now() - start) / 1000;
  }
}

function check(ok, what, detail = "") {
  report.checks.push({ ok, what, detail });
  if (!ok) failures.push(`${what}${detail ? ": " + detail : ""}`);
}

function siteUrl(base, page) {
  // page is relative to the site folder, unencoded; base ends with "/".
  const encoded = page.split("/").map(encodeURIComponent).join("/");
  return new URL(`site/${encoded}`, base).href;
}

function sitePages() {
  const root = path.join(outDir, "site");
  const pages = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".html")) pages.push(path.relative(root, full).split(path.sep).join("/"));
    }
  };
  walk(root);
  return pages.sort();
}

async function hyogo(page) {
  const cell = page.locator("table.area-table th[scope=row]", { hasText: "兵庫県" });
  const areas = cell.locator("xpath=following-sibling::td[1]");
  return (await areas.innerText()).trim();
}

async function chooseVersion(page, date) {
  const select = page.locator("#version-select");
  const value = await select.evaluate(
    (element, wanted) => [...element.options].find((o) => o.value.includes(wanted))?.value,
    `${date}/index.html`,
  );
  if (!value) throw new Error(`no option for ${date}`);
  await select.selectOption(value);
  await Promise.all([page.waitForURL(`**/${date}/index.html`), page.click(".version-form button")]);
}

async function axe(page, label) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const run = await axe.run(document, { resultTypes: ["violations"] });
    return run.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  report.axe[label] = result;
  check(result.length === 0, `axe ${label}`, result.map((v) => `${v.id} (${v.impact}) ${v.targets.join(", ")}`).join("; "));
}

async function listedHash(page, link) {
  // The sha256 folded under the link's table (details.hashes), found by the file's path.
  const file = decodeURI(await link.getAttribute("href")).replace(/^(\.\.\/)+/, "");
  const details = link.locator("xpath=ancestor::div[contains(@class,'table-scroll')]/following-sibling::details[1]");
  const hidden = !(await details.evaluate((d) => d.open));
  if (hidden) await details.locator("summary").click();
  const row = details.locator("tr", { has: page.locator("td.file", { hasText: file }) });
  const listed = (await row.locator("code.hash").innerText()).trim();
  if (hidden) await details.locator("summary").click();
  return { listed, hidden };
}

async function download(page, link, downloaded) {
  // the navigation that turns into a download is reported as an aborted request
  downloaded.add(await link.evaluate((a) => a.href));
  const [started] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const saved = await started.path();
  const sha256 = crypto.createHash("sha256").update(fs.readFileSync(saved)).digest("hex");
  return { sha256, name: started.suggestedFilename() };
}

async function downloadsMatch(page, label, downloaded) {
  // Two downloads per base: a Word and an Excel file; their bytes must match the sha256
  // listed (folded away) under their table.
  for (const suffix of ["consolidated.docx", "別添1.xlsx"]) {
    const link = page.locator(`table.downloads a[href$="2025-03-27/${encodeURI(suffix)}"]`).first();
    const { listed, hidden } = await listedHash(page, link);
    check(hidden, `${label}: the sha256 of ${suffix} is folded away`);
    const { sha256 } = await download(page, link, downloaded);
    check(sha256 === listed, `${label}: download ${suffix} matches its sha256`, `${sha256} vs ${listed}`);
  }
}

async function search(page, query) {
  // Types into the header's search box; the results (links) once the count is shown.
  const input = page.locator("#site-search-input");
  await input.fill("");
  await input.fill(query);
  await page.locator("#site-search-status", { hasText: "件" }).or(page.locator("#site-search-status", { hasText: "ありません" })).waitFor();
  return page.locator("#site-search-results a");
}

async function prefecturePage(page, base, label, downloaded) {
  // From the index, the search for 東播磨 leads to the page of 兵庫県.
  await page.goto(siteUrl(base, "index.html"));
  const found = await search(page, "東播磨");
  const texts = await found.allInnerTexts();
  check(texts.some((t) => t.includes("区域") && t.includes("東播磨")), `${label}: search 東播磨 finds the area`, JSON.stringify(texts));
  check(texts.some((t) => t.includes("都道府県") && t.includes("兵庫県")), `${label}: search 東播磨 finds 兵庫県`, JSON.stringify(texts));
  check(texts.some((t) => t.includes(AMENDMENT)), `${label}: search 東播磨 finds the amendment that set it`, JSON.stringify(texts));
  const area = found.filter({ hasText: "東播磨" }).first();
  await Promise.all([page.waitForURL("**/prefectures/*.html"), area.click()]);
  check(decodeURI(page.url()).endsWith(HYOGO), `${label}: the area's result opens the page of 兵庫県`, page.url());

  // 調整中 → 東播磨, with the date each took effect.
  const change = page.locator("table.row-changes tr.row-change");
  const changes = await change.allInnerTexts();
  const line = (changes[0] || "").replace(/\s+/g, " ");
  const order = ["令和7年3月27日", AMENDMENT, "調整中", "令和6年7月31日から", "→", "東播磨", "令和7年3月27日から"];
  const positions = order.map((word) => line.indexOf(word));
  check(
    changes.length === 1 && positions.every((at, i) => at >= 0 && (i === 0 || at > positions[i - 1])),
    `${label}: 兵庫県 shows 調整中 → 東播磨 with both dates`,
    JSON.stringify(changes),
  );
  const states = (await page.locator("table.row-states tbody tr").allInnerTexts()).map((t) => t.replace(/\s+/g, " "));
  check(
    states.length === 4 && states[0].includes("令和6年7月31日") && states[0].includes("調整中") && states[3].includes("東播磨"),
    `${label}: 兵庫県 as of each version`,
    JSON.stringify(states),
  );

  // Its 様式例 in three formats, saved under 「様式名_都道府県_区域」.
  const links = page.locator("table.forms a[download]");
  const formats = await links.allInnerTexts();
  check(
    formats.length === 3 && ["Excel", "Word", "PDF"].every((f) => formats.some((t) => t.startsWith(f))),
    `${label}: 兵庫県's 様式例 in three formats`,
    JSON.stringify(formats),
  );
  const excel = links.filter({ hasText: "Excel" }).first();
  const { listed } = await listedHash(page, excel);
  check((await excel.getAttribute("download")) === FORM_NAME, `${label}: the 様式例's link names ${FORM_NAME}`);
  const { sha256, name } = await download(page, excel, downloaded);
  if (label === "file" && name !== FORM_NAME) {
    // Chromium ignores the download attribute of a file:// link: the file keeps the name
    // it was built under until the build itself writes forms under that name.
    report.notes.push(`file: the 様式例 is saved as ${name} (the download attribute is ignored from file://)`);
  } else {
    check(name === FORM_NAME, `${label}: the 様式例 is saved as ${FORM_NAME}`, name);
  }
  check(sha256 === listed, `${label}: the 様式例 matches its sha256`, `${sha256} vs ${listed}`);

  // From a page two folders down, the number finds the amendment (half- and full-width).
  await page.goto(siteUrl(base, `${NOTICE}/2024-07-31/index.html`));
  for (const query of [AMENDMENT, "医政発０３２７第２号"]) {
    const results = await search(page, query);
    const titles = await results.allInnerTexts();
    check(titles.length >= 1 && titles[0].includes("改正") && titles[0].includes(AMENDMENT), `${label}: search ${query} finds the amendment`, JSON.stringify(titles));
  }
  const first = (await search(page, AMENDMENT)).first();
  await Promise.all([page.waitForURL("**/amendment.html"), first.click()]);
  check(page.url().endsWith("2025-03-27/amendment.html"), `${label}: the amendment's result opens its page`, page.url());
  const none = await search(page, "存在しない語句");
  check((await none.count()) === 0, `${label}: a search with no match lists nothing`);
}

async function exercise(context, base, label, pages) {
  const page = await context.newPage();
  const errors = [];
  const downloaded = new Set();
  let inAxe = false; // axe-core's own stylesheet requests fail on file:// and are not ours
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error" && !inAxe) errors.push(message.text());
  });
  page.on("requestfailed", (request) => {
    if (!inAxe && !downloaded.has(request.url())) errors.push(`request failed: ${request.url()}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.setViewportSize(DESKTOP);

  await page.goto(siteUrl(base, "index.html"));
  const titles = await page.locator(".notice-list h2").allInnerTexts();
  check(titles.length === 3, `${label}: index lists three notices`, JSON.stringify(titles));
  const index = await page.locator("main").innerText();
  check(index.includes(NOTICE) && index.includes("令和6年7月31日"), `${label}: index shows number and date`);
  check(index.includes("事務連絡") && index.includes("令和6年6月11日"), `${label}: index shows the 事務連絡`);

  const current = page.locator(".notice-list > li", { hasText: NOTICE }).locator("a", { hasText: "現行の本文" });
  await Promise.all([page.waitForURL("**/index.html"), current.click()]);
  check(page.url().endsWith("2025-03-27/index.html"), `${label}: current text link`, page.url());
  check((await hyogo(page)) === "東播磨", `${label}: 兵庫県 as of 2025-03-27 (start)`, await hyogo(page));
  await chooseVersion(page, "2024-07-31");
  check((await hyogo(page)) === "調整中", `${label}: 兵庫県 as of 2024-07-31`, await hyogo(page));
  check(
    (await page.locator(".doc-header").innerText()).includes(NOTICE) &&
      !(await page.locator(".doc-header").innerText()).includes("一部改正"),
    `${label}: 2024-07-31 header has no 一部改正 line`,
  );
  await chooseVersion(page, "2025-03-27");
  check((await hyogo(page)) === "東播磨", `${label}: 兵庫県 as of 2025-03-27`, await hyogo(page));

  await page.goto(siteUrl(base, `${NOTICE}/2025-03-27/amendment.html`));
  const changed = await page.locator("table.comparison ins").allInnerTexts();
  const removed = await page.locator("table.comparison del").allInnerTexts();
  check(changed.includes("東播磨") && removed.includes("調整中"), `${label}: 新旧対照表 marks`, JSON.stringify([changed, removed]));

  await page.goto(siteUrl(base, "downloads.html"));
  await downloadsMatch(page, label, downloaded);
  await prefecturePage(page, base, label, downloaded);

  await timed(`${label} axe`, async () => {
    for (const name of pages) {
      await page.goto(siteUrl(base, name));
      const empty = await page.evaluate(() =>
        [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter((h) => !h.textContent.trim()).length,
      );
      if (empty) check(false, `${label}: ${name} has no empty heading`, `${empty} empty`);
      inAxe = true;
      await axe(page, `${label} ${name}`);
      inAxe = false;
    }
  });
  check(errors.length === 0, `${label}: no script or loading errors`, errors.join("; "));
  await page.close();
}

async function screenshots(context, base) {
  fs.mkdirSync(shotDir, { recursive: true });
  const page = await context.newPage();
  const shots = [
    ["index", "index.html"],
    ["version", `${NOTICE}/2025-03-27/index.html`],
    ["amendment", `${NOTICE}/2025-03-27/amendment.html`],
    ["downloads", "downloads.html"],
    ["notice", `${NOTICE}/index.html`],
    ["jimu-renraku", `${JIMU}/2024-06-11/index.html`],
    ["prefecture", HYOGO],
    ["prefectures", "prefectures/index.html"],
  ];
  for (const [viewport, size] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await page.setViewportSize(size);
    for (const [name, target] of shots) {
      await page.goto(siteUrl(base, target));
      const file = path.join(shotDir, `${viewport}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      report.screenshots.push(file);
    }
    // the search box with its results open, checked by axe as it is
    await page.goto(siteUrl(base, "index.html"));
    await search(page, "東播磨");
    const searched = path.join(shotDir, `${viewport}-search.png`);
    await page.screenshot({ path: searched });
    report.screenshots.push(searched);
    await axe(page, `${viewport} search results open`);
    if (viewport === "phone") {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(wide <= 0, "phone: the search results do not widen the page", String(wide));
    }
    // the table region at the top of 別添1
    await page.goto(siteUrl(base, `${NOTICE}/2025-03-27/index.html`));
    const table = page.locator("section.attachment").first();
    const file = path.join(shotDir, `${viewport}-table.png`);
    await table.screenshot({ path: file });
    report.screenshots.push(file);
    if (viewport === "phone") {
      await axe(page, `phone ${NOTICE}/2025-03-27/index.html`);
      await page.goto(siteUrl(base, "downloads.html"));
      await axe(page, "phone downloads.html");
      await page.goto(siteUrl(base, HYOGO));
      await axe(page, `phone ${HYOGO}`);
      const widths = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
      }));
      check(widths.page <= widths.viewport, "phone: the page itself does not scroll sideways", JSON.stringify(widths));
    }
  }
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize(DESKTOP);
  await page.goto(siteUrl(base, `${NOTICE}/2025-03-27/index.html`));
  const printed = await page.pdf({ path: path.join(shotDir, "print-version.pdf"), format: "A4" });
  check(printed.length > 1000, "print stylesheet renders a PDF");
  const hidden = await page.locator(".site-header").isHidden();
  check(hidden, "print: the site header is hidden");
  report.screenshots.push(path.join(shotDir, "print-version.pdf"));
  await page.close();
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "notices-chromium-"));
let context;
try {
  context = await timed("launch", () => chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: ARGS,
    acceptDownloads: true,
  }));
  const pages = sitePages();
  const fileBase = pathToFileURL(path.resolve(outDir) + path.sep).href;
  const http = httpBase.endsWith("/") ? httpBase : httpBase + "/";
  await timed("file", () => exercise(context, fileBase, "file", pages));
  // The same bytes over HTTP: axe on a sample of the pages only.
  const sample = ["index.html", `${NOTICE}/2025-03-27/index.html`, `${NOTICE}/2025-03-27/amendment.html`];
  await timed("http", () => exercise(context, http, "http", sample));
  await timed("screenshots", () => screenshots(context, fileBase));
} catch (error) {
  failures.push(`exception: ${error && error.stack ? error.stack : error}`);
} finally {
  if (context) await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

console.log(JSON.stringify(report, null, 1));
process.exit(failures.length ? 1 : 0);
