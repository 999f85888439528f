// Browser test of `notices serve`, run by tests/serve/test_serve_browser.py.
//
//   node serve-test.mjs <base URL of the server> <amendment file> <screenshot folder>
//
// Drives Debian's chromium (/usr/bin/chromium, or $CHROMIUM) with playwright-core. Opens
// the amendment page of the amendment in progress (医政発0602第1号, 別添1 兵庫県の項
// 「東播磨」 → 「西播磨」), then edits the file as a drafter would: a new quote (the page
// must show the new 改め文 within 2 s, reloaded by the server's event), broken YAML (the
// page must show the file:line:col message), the file fixed (the page comes back).
// Screenshots of each step. Prints a JSON report; exit 1 on failure.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const [base, amendmentFile, shotDir] = process.argv.slice(2);
if (!base || !amendmentFile || !shotDir) {
  console.error("usage: node serve-test.mjs <base URL> <amendment file> <screenshot folder>");
  process.exit(2);
}

const EXECUTABLE = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const PAGE = "site/医政発0731第1号/2025-06-02/amendment.html";
const RELOAD_LIMIT_MS = 2000;
const PROBLEM = /amendments\/2025-06-02_isei-0602-1\.yaml:\d+:\d+: YAML syntax/;

const failures = [];
const report = { checks: [], seconds: {}, screenshots: [], failures, errors: [] };

function check(ok, what, detail = "") {
  report.checks.push({ ok, what, detail });
  if (!ok) failures.push(`${what}${detail ? ": " + detail : ""}`);
}

function sentence(quote) {
  return `兵庫県の項中「東播磨」を「${quote}」に改める。`;
}

// What the page shows now: the 改め文 section's text and the problems panel's, or null
// while the page is being reloaded.
async function shown(page) {
  try {
    return await page.evaluate(() => {
      const kaibun = document.getElementById("kaibun");
      const problems = document.getElementById("notices-live-problems");
      return {
        kaibun: kaibun ? kaibun.closest("section").innerText : "",
        problems: problems && !problems.hidden ? problems.innerText : "",
      };
    });
  } catch (error) {
    return null; // navigating: the old document is gone, the new one not there yet
  }
}

async function until(page, test, limitMs) {
  const start = Date.now();
  let last = null;
  while (Date.now() - start < limitMs) {
    last = await shown(page);
    if (last && test(last)) return { ms: Date.now() - start, last };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ms: null, last };
}

async function shot(page, name) {
  const file = path.join(shotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  report.screenshots.push(file);
}

function write(text) {
  fs.writeFileSync(amendmentFile, text, "utf8");
}

fs.mkdirSync(shotDir, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "notices-chromium-"));
const original = fs.readFileSync(amendmentFile, "utf8");
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE, headless: true, args: ARGS,
  });
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on("pageerror", (error) => report.errors.push(String(error)));
  const url = new URL(PAGE.split("/").map(encodeURIComponent).join("/"), base).href;
  await page.goto(url);
  let seen = await until(page, (s) => s.kaibun.includes(sentence("西播磨")), 5000);
  check(seen.ms !== null, "the amendment page shows its 改め文", JSON.stringify(seen.last));
  await shot(page, "serve-1-opened");

  // A new quote: the page reloads by itself with the new 改め文.
  const edited = original.replace("with: 西播磨", "with: 北播磨");
  check(edited !== original, "the amendment has the quote to edit");
  write(edited);
  seen = await until(page, (s) => s.kaibun.includes(sentence("北播磨")), RELOAD_LIMIT_MS);
  report.seconds.edit_to_new_kaibun = seen.ms === null ? null : seen.ms / 1000;
  check(seen.ms !== null && seen.ms <= RELOAD_LIMIT_MS,
    `edit → the new 改め文 within ${RELOAD_LIMIT_MS / 1000} s`,
    JSON.stringify(seen.last));
  await shot(page, "serve-2-edited");

  // Broken YAML: the page shows the problem with its file:line:col.
  write(edited.replace("with: 北播磨", "with: [北播磨"));
  seen = await until(page, (s) => PROBLEM.test(s.problems), 10000);
  report.seconds.broken_to_message = seen.ms === null ? null : seen.ms / 1000;
  check(seen.ms !== null, "broken YAML → the page shows file:line:col", JSON.stringify(seen.last));
  await shot(page, "serve-3-broken");
  // The last good page stays readable under the list.
  await page.click("#notices-live-hide");
  seen = await until(page, (s) => !s.problems && s.kaibun.includes(sentence("北播磨")), 2000);
  check(seen.ms !== null, "hiding the problems shows the last good page", JSON.stringify(seen.last));
  await shot(page, "serve-3-last-good");

  // Fixed: the page comes back (no problems, the 改め文 of the fixed file).
  write(edited);
  seen = await until(page, (s) => !s.problems && s.kaibun.includes(sentence("北播磨")), 10000);
  report.seconds.fixed_to_page = seen.ms === null ? null : seen.ms / 1000;
  check(seen.ms !== null, "fixed → the page comes back", JSON.stringify(seen.last));
  await shot(page, "serve-4-fixed");
  check(report.errors.length === 0, "no script errors", report.errors.join("; "));
} catch (error) {
  failures.push(`exception: ${error && error.stack ? error.stack : error}`);
} finally {
  if (context) await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  write(original);
}

console.log(JSON.stringify(report, null, 1));
process.exit(failures.length ? 1 : 0);
