// Shared helpers for the browser tests (node --test tests/e2e/) and the size report.
//
//   const site = await startSite();          // www/ on a free 127.0.0.1 port
//   const browser = await launchBrowser();   // headless Debian Chromium
//   const page = await browser.newPage();
//   const guard = guardPage(page);           // collects console errors, page errors, failed requests
//   await page.goto(site.url);
//   guard.assertClean();
//
// In a test file, `const web = useSite();` inside a describe block does the first two
// for its tests (web.site, web.browser) and closes both afterwards.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer, WWW_ROOT } from '../../scripts/serve.mjs';

export { WWW_ROOT };

/** The repository's top folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where screenshots go (out/ is gitignored). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'out', 'screenshots');

/** Debian's Chromium, installed by `bash scripts/setup.sh --browser`; CHROMIUM overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Flags for Chromium on these machines: root needs --no-sandbox, and the
 * background-networking flags keep it from calling out to a closed network.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The crate version from Cargo.toml, which the pages show once the engine loads. */
export function cargoVersion() {
  const toml = readFileSync(join(REPO_ROOT, 'Cargo.toml'), 'utf8');
  // The [package] table runs until the next line that opens a table.
  const pkg = toml.split(/^\[/m).find((table) => table.startsWith('package]'));
  const match = pkg?.match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) throw new Error('no [package] version in Cargo.toml');
  return match[1];
}

/**
 * Serves www/ on a free port on 127.0.0.1. Resolves to { url, port, close() }.
 * Fails at once when the engine has not been built into www/pkg.
 */
export async function startSite() {
  if (!existsSync(join(WWW_ROOT, 'pkg', 'review_lab.js'))) {
    throw new Error('www/pkg is missing: run `bash scripts/build.sh` first');
  }
  return startServer({ root: WWW_ROOT, port: 0 });
}

/** Launches headless Chromium with the flags above. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: run \`bash scripts/setup.sh --browser\``);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Watches a page for anything that should fail a test: console errors, uncaught
 * exceptions, requests that failed and responses with an HTTP error status.
 * Call `assertClean()` at the end of the test; `problems` lists what was seen.
 */
export function guardPage(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? 'unknown'})`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return {
    problems,
    assertClean() {
      if (problems.length > 0) {
        throw new Error(`the page reported ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
      }
    },
  };
}

/** Saves a full-page screenshot as out/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The viewports every page is checked at: a projector and a small phone. */
export const VIEWPORTS = [
  { name: '1280x720', width: 1280, height: 720 },
  { name: '360x740', width: 360, height: 740 },
];

/**
 * For the describe block it is called in: serves www/ and launches Chromium
 * before its tests, closes both after them. Returns `{ site, browser }`, filled
 * in once the tests start.
 */
export function useSite() {
  const web = { site: undefined, browser: undefined };
  before(async () => {
    web.site = await startSite();
    web.browser = await launchBrowser();
  });
  after(async () => {
    await web.browser?.close();
    await web.site?.close();
  });
  return web;
}

/**
 * A course author's page in another folder of the site that holds only `element`
 * and the module `script` (relative to the page): nothing of the site's own head.
 * Opens it on a small phone; resolves to { context, page, guard }.
 */
export async function openCoursePage({ site, browser }, { file, heading, element, script }) {
  const context = await browser.newContext({ viewport: VIEWPORTS[1], locale: 'zh-CN' });
  const page = await context.newPage();
  const guard = guardPage(page);
  await page.route(`**/course/unit4/${file}`, (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>课程页</title>'
        + `<h1>${heading}</h1><${element}></${element}>`
        + `<script type="module" src="${script}"></script></html>`,
    }),
  );
  await page.goto(`${site.url}course/unit4/${file}`);
  return { context, page, guard };
}
