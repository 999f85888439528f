// Browser test of the publication site, run by tests/site/test_site_browser.py.
//
//   node site-test.mjs <out folder> <http base URL of the out folder> <screenshot folder>
//
// Drives Debian's chromium (/usr/bin/chromium, or $CHROMIUM) with playwright-core in a
// fresh profile. For the site loaded from file:// and from the HTTP server it checks:
// the notice list, the version selector (兵庫県 reads 「調整中」 as of 2024-07-31 and
// 「東播磨」 as of 2025-03-27), that a few downloads arrive with the listed sha256, no
// script errors, and axe-core (no "serious" or "critical" violation) on every page from
// file://, on a sample over HTTP and at phone width.
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
const JIMU = "地域医療計画課事務連絡2024-06-11";

const failures = [];
const report = { checks: [], axe: {}, screenshots: [], seconds: {}, failures };

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
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(bad.length === 0, `axe ${label}`, bad.map((v) => `${v.id} (${v.impact}) ${v.targets.join(", ")}`).join("; "));
}

async function downloadsMatch(page, label, downloaded) {
  // Two downloads per base: a Word and an Excel file; their bytes must match the sha256
  // listed beside them.
  for (const suffix of ["consolidated.docx", "別添1.xlsx"]) {
    const row = page.locator("table.downloads tr", { has: page.locator(`a[href$="2025-03-27/${encodeURI(suffix)}"]`) }).first();
    const listed = (await row.locator("code.hash").innerText()).trim();
    // the navigation that turns into a download is reported as an aborted request
    downloaded.add(await row.locator("a").first().evaluate((a) => a.href));
    const [download] = await Promise.all([page.waitForEvent("download"), row.locator("a").first().click()]);
    const saved = await download.path();
    const actual = crypto.createHash("sha256").update(fs.readFileSync(saved)).digest("hex");
    check(actual === listed, `${label}: download ${suffix} matches its sha256`, `${actual} vs ${listed}`);
  }
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

  await timed(`${label} axe`, async () => {
    for (const name of pages) {
      await page.goto(siteUrl(base, name));
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
  ];
  for (const [viewport, size] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await page.setViewportSize(size);
    for (const [name, target] of shots) {
      await page.goto(siteUrl(base, target));
      const file = path.join(shotDir, `${viewport}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      report.screenshots.push(file);
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
