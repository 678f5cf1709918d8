// What each page costs a student's phone: every response a page loads in headless
// Chromium (HTML, CSS, JS, wasm, JSON, fonts, images), raw and gzip -9.
//
//   npm run size                          (after bash scripts/build.sh)
//   node scripts/size-report.mjs --json out/size-report.json
//
// Figures are measured, never written in: serve www/, open each www/*.html,
// record the bodies of all responses until the network is idle, gzip each one.
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { gzipSync, constants } from 'node:zlib';
import { WWW_ROOT, launchBrowser, startSite } from '../tests/e2e/helpers.mjs';

const TYPE_BY_EXT = {
  '.html': 'html',
  '.css': 'css',
  '.js': 'js',
  '.mjs': 'js',
  '.wasm': 'wasm',
  '.json': 'json',
  '.woff': 'font',
  '.woff2': 'font',
  '.ttf': 'font',
  '.otf': 'font',
  '.svg': 'image',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.webp': 'image',
  '.ico': 'image',
};
const TYPE_ORDER = ['html', 'css', 'js', 'wasm', 'json', 'font', 'image', 'other'];

function typeOf(url, contentType) {
  const byExt = TYPE_BY_EXT[extname(new URL(url).pathname).toLowerCase()];
  if (byExt) return byExt;
  if (contentType.includes('html')) return 'html';
  if (contentType.includes('css')) return 'css';
  if (contentType.includes('javascript')) return 'js';
  if (contentType.includes('wasm')) return 'wasm';
  if (contentType.includes('json')) return 'json';
  if (contentType.startsWith('font/')) return 'font';
  if (contentType.startsWith('image/')) return 'image';
  return 'other';
}

const gzipSize = (buf) => gzipSync(buf, { level: constants.Z_BEST_COMPRESSION }).length;
const kb = (n) => (n / 1024).toFixed(1);

async function measurePage(browser, siteUrl, file) {
  const page = await browser.newPage();
  const pending = [];
  page.on('response', (res) => {
    const url = res.url();
    if (url.startsWith('data:')) return;
    pending.push(
      res
        .body()
        .then((body) => ({
          type: typeOf(url, res.headers()['content-type'] ?? ''),
          file: url.startsWith(siteUrl) ? url.slice(siteUrl.length) || '/' : url,
          status: res.status(),
          raw: body.length,
          gzip: gzipSize(body),
        }))
        .catch(() => null), // redirects and aborted requests have no body
    );
  });
  await page.goto(siteUrl + file, { waitUntil: 'networkidle' });
  const rows = (await Promise.all(pending)).filter(Boolean);
  await page.close();
  rows.sort(
    (a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || a.file.localeCompare(b.file),
  );
  return rows;
}

function printPage(file, rows) {
  const line = (type, name, raw, gz) =>
    console.log(
      `  ${type.padEnd(6)} ${name.padEnd(34)} ${String(raw).padStart(9)} ${String(gz).padStart(9)}`,
    );
  console.log(`\n${file}`);
  line('type', 'file', 'bytes', 'gzip -9');
  for (const r of rows) line(r.type, r.file + (r.status === 200 ? '' : ` (HTTP ${r.status})`), r.raw, r.gzip);
  const byType = new Map();
  for (const r of rows) {
    const t = byType.get(r.type) ?? { raw: 0, gzip: 0, count: 0 };
    t.raw += r.raw;
    t.gzip += r.gzip;
    t.count += 1;
    byType.set(r.type, t);
  }
  console.log('  ' + '-'.repeat(60));
  for (const type of TYPE_ORDER) {
    const t = byType.get(type);
    if (t) line(type, `total (${t.count} file${t.count === 1 ? '' : 's'})`, t.raw, t.gzip);
  }
  const raw = rows.reduce((s, r) => s + r.raw, 0);
  const gzip = rows.reduce((s, r) => s + r.gzip, 0);
  line('all', `page total (${rows.length} responses)`, raw, gzip);
  return { file, raw, gzip, byType: Object.fromEntries(byType), responses: rows };
}

const args = process.argv.slice(2);
const jsonOut = args[0] === '--json' ? args[1] : null;

const pages = readdirSync(WWW_ROOT)
  .filter((f) => f.endsWith('.html'))
  .sort();
const site = await startSite();
const browser = await launchBrowser();
const report = [];
try {
  console.log('Size report: every response each page loads, raw bytes and gzip -9 bytes');
  for (const file of pages) report.push(printPage(file, await measurePage(browser, site.url, file)));
} finally {
  await browser.close();
  await site.close();
}

console.log('\nPer page (gzip -9):');
for (const p of report) {
  const parts = TYPE_ORDER.filter((t) => p.byType[t]).map((t) => `${t} ${kb(p.byType[t].gzip)} KB`);
  console.log(`  ${p.file.padEnd(20)} ${kb(p.gzip).padStart(7)} KB  (${parts.join(', ')}; raw ${kb(p.raw)} KB)`);
}

if (jsonOut) {
  await mkdir(dirname(jsonOut), { recursive: true });
  await writeFile(jsonOut, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${jsonOut}`);
}
