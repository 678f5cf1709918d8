// The review simulator (www/simulator.html, <rl-simulator>) in headless Chromium.
// Every preset is loaded and what the page shows is checked against the engine's
// own replay() of the same log, computed in the page; then the clock, the rule
// switch, actions, persistence, import/export, the keyboard and the big shop.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from '../../scripts/serve.mjs';
import { REPO_ROOT, VIEWPORTS, guardPage, openCoursePage, screenshot, useSite } from './helpers.mjs';

const index = JSON.parse(readFileSync(join(REPO_ROOT, 'data/simulator/index.json'), 'utf8'));
const presets = index.presets.map(({ id }) =>
  JSON.parse(readFileSync(join(REPO_ROOT, `data/simulator/presets/${id}.json`), 'utf8')),
);
const WINDOWS = ['week', 'month', 'half_year', 'older', 'total'];
const RATINGS = ['good', 'neutral', 'bad'];

// Formatting as the page documents it (www/js/simulator/dom.js).
const rate = (r) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);
const mean = (m) => (m === null || m === undefined ? '—' : m.toFixed(1));
const int = (n) => Number(n).toLocaleString('en-US');

// Each file's match with its schema is checked with every other data file in tests/data/.
test('preset files are listed once in index.json, in order, with their titles', () => {
  assert.equal(new Set(index.presets.map((p) => p.id)).size, index.presets.length);
  for (const [i, p] of presets.entries()) {
    assert.equal(p.id, index.presets[i].id, 'id is the file name');
    assert.equal(p.title, index.presets[i].title, 'index.json has the file\'s title');
  }
});

describe('review simulator', () => {
  const web = useSite();

  async function open(viewport = VIEWPORTS[0]) {
    const context = await web.browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
    const page = await context.newPage();
    const guard = guardPage(page);
    await page.goto(`${web.site.url}simulator.html`);
    await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-control="preset"] option[value="default-good"]').waitFor({ state: 'attached' });
    return { page, guard, context };
  }

  /** Chooses a preset, loads it and waits until the page shows it. */
  async function loadPreset(page, id) {
    await page.selectOption('[data-control="preset"]', id);
    await page.click('[data-action="load-preset"]');
    const title = presets.find((p) => p.id === id).title;
    await page.locator('[data-part="preset-title"]', { hasText: title }).waitFor();
    await page.locator('[data-part="session-msg"]', { hasText: title }).waitFor();
  }

  /** The engine's report of `log`, computed in the page by the same wasm module. */
  function replayIn(page, log) {
    return page.evaluate(async (l) => {
      const engine = await import('/pkg/review_lab.js');
      await engine.default();
      return engine.replay(l);
    }, log);
  }

  /** Reads what the shop panel, the buyers table and the feed show. */
  function readShop(page) {
    return page.evaluate(() => {
      const el = document.querySelector('rl-simulator');
      const q = (sel) => el.querySelector(sel)?.textContent.trim() ?? null;
      const counts = {};
      for (const td of el.querySelectorAll('[data-part="counts"] td[data-count]')) counts[td.dataset.count] = td.textContent;
      const dsr = {};
      for (const li of el.querySelectorAll('[data-part="dsr"] li')) dsr[li.dataset.dsr] = li.querySelector('strong').textContent;
      const buyers = {};
      for (const tr of el.querySelectorAll('[data-part="buyers-table"] tr[data-buyer]')) {
        buyers[tr.dataset.buyer] = tr.querySelector('[data-field="buyer-credit"]').textContent;
      }
      const level = el.querySelector('[data-part="shop"] .rls-level');
      return {
        seller: q('[data-field="seller"]'),
        credit: q('[data-field="credit"]'),
        rate: q('[data-field="positive-rate"]'),
        tier: level?.dataset.tier,
        count: Number(level?.dataset.count),
        icons: level?.querySelectorAll('svg').length,
        counts,
        dsr,
        buyers,
        clock: el.querySelector('[data-field="clock"]')?.getAttribute('datetime'),
        feedItems: el.querySelectorAll('[data-part="feed"] li').length,
        feedNote: q('.rls-feed-panel > p'),
        rules: el.querySelector('input[type="radio"]:checked')?.value,
      };
    });
  }

  function assertMatches(shown, report, seller, what) {
    const s = report.sellers[seller];
    assert.ok(s, `${what}: the engine knows seller ${seller}`);
    assert.equal(shown.seller, seller, `${what}: seller`);
    assert.equal(shown.credit, int(s.credit), `${what}: credit`);
    assert.equal(shown.rate, rate(s.positive_rate), `${what}: 好评率`);
    assert.equal(shown.tier, s.level.tier, `${what}: tier`);
    assert.equal(shown.count, s.level.count, `${what}: level count`);
    assert.equal(shown.icons, s.level.count, `${what}: one icon per level count`);
    for (const w of WINDOWS) {
      for (const r of RATINGS) assert.equal(shown.counts[`${w}-${r}`], int(s.counts[w][r]), `${what}: ${w} ${r}`);
    }
    assert.deepEqual(
      Object.keys(shown.dsr).sort(),
      Object.keys(s.dsr).sort(),
      `${what}: the rule set's DSR dimensions`,
    );
    for (const [dim, v] of Object.entries(s.dsr)) assert.equal(shown.dsr[dim], mean(v.mean), `${what}: DSR ${dim}`);
    const buyerIds = Object.keys(shown.buyers);
    assert.ok(buyerIds.length > 0 || Object.keys(report.buyers).length === 0, `${what}: buyers listed`);
    for (const id of buyerIds) assert.equal(shown.buyers[id], int(report.buyers[id].credit), `${what}: buyer ${id}`);
    const entries = report.changes_total + report.rejected.length;
    assert.match(shown.feedNote, new RegExp(`^共 ${int(entries)} 条`), `${what}: one feed entry per change and rejection`);
  }

  for (const preset of presets) {
    test(`preset ${preset.id}: the page shows what replay() computes, before and after the clock moves, under both rule sets`, async () => {
      const { page, guard, context } = await open();
      await loadPreset(page, preset.id);

      let shown = await readShop(page);
      const expected = await replayIn(page, preset.log);
      assertMatches(shown, expected, preset.seller, `${preset.id} as loaded`);
      assert.equal(shown.clock, expected.as_of, 'the clock is the log as_of');
      // Feed entries link to an existing rule section.
      for (const href of await page.$$eval('[data-part="feed"] a.rls-rule-link', (as) => as.map((a) => a.getAttribute('href')))) {
        assert.equal(await page.locator(href).count(), 1, `rule anchor ${href}`);
      }
      await page.evaluate(() => document.fonts.ready);
      await screenshot(page, `simulator-preset-${preset.id}-1280x720`);

      // Fifteen days later: defaults fire, windows close; still what replay() says.
      await page.click('[data-action="15days"]');
      shown = await readShop(page);
      const later = await replayIn(page, { ...preset.log, as_of: shown.clock });
      assertMatches(shown, later, preset.seller, `${preset.id} +15 days`);

      // The same history under Tmall's rules.
      await page.check('[data-control="rules-tmall"]');
      await page.locator('[data-part="dsr"] li').nth(2).waitFor();
      shown = await readShop(page);
      assert.equal(shown.rules, 'tmall');
      const tmall = await replayIn(page, { ...preset.log, rules: 'tmall', as_of: shown.clock });
      assertMatches(shown, tmall, preset.seller, `${preset.id} under tmall`);
      const cmp = await page.$$eval('[data-part="compare-table"] tr[data-row="credit"] td', (tds) => tds.map((t) => t.textContent));
      assert.deepEqual(cmp, [int(later.sellers[preset.seller].credit), int(tmall.sellers[preset.seller].credit)], 'side-by-side credit');

      guard.assertClean();
      await context.close();
    });
  }

  test('hearts to diamonds: the level icons change from five hearts to one diamond', async () => {
    const { page, guard, context } = await open();
    await loadPreset(page, 'hearts-to-diamonds');
    let shown = await readShop(page);
    assert.equal(shown.tier, 'heart');
    assert.equal(shown.icons, 5);
    await page.fill('[data-control="date"]', '2026-03-26');
    await page.click('[data-action="to-date"]');
    shown = await readShop(page);
    assert.equal(shown.credit, '252');
    assert.equal(shown.tier, 'diamond');
    assert.equal(shown.icons, 1);
    assert.equal(await page.locator('[data-part="shop"] .rls-level').getAttribute('aria-label'), '1颗蓝钻（第6级）');
    guard.assertClean();
    await context.close();
  });

  test('a student plays a shop by hand; rejected actions explain why and change nothing; text stays text', async () => {
    const { page, guard, context } = await open();
    page.on('dialog', () => assert.fail('no dialog may open'));
    await page.click('[data-action="empty"]');
    const evil = '<img src=x onerror="alert(1)">小红';
    await page.fill('[data-control="order-buyer"]', evil);
    await page.fill('[data-control="order-item"]', '台灯<b>');
    await page.fill('[data-control="order-price"]', '88');
    await page.click('[data-action="add-order"]');
    await page.selectOption('[data-control="buyer-rating"]', 'bad');
    await page.fill('[data-control="buyer-text"]', '<script>alert(2)</script>灯不亮');
    await page.click('[data-action="buyer-review"]');
    let shown = await readShop(page);
    assert.equal(shown.credit, '-1');
    assert.equal(shown.counts['total-bad'], '1');
    // Student text is shown literally, never parsed.
    assert.equal(await page.locator('rl-simulator img').count(), 0);
    assert.equal(await page.locator('rl-simulator b').count(), 0);
    assert.ok((await page.locator('[data-control="order"] option').first().textContent()).includes(evil));
    assert.equal(await page.locator('rl-simulator script').count(), 0);

    // Rate the shop, reply to the review, revise the bad review to good.
    await page.selectOption('[data-control="dsr-description"]', '3');
    await page.click('[data-action="dsr"]');
    await page.click('[data-action="reply"]');
    await page.selectOption('[data-control="revise-to"]', 'good');
    await page.click('[data-action="revise"]');
    shown = await readShop(page);
    assert.equal(shown.credit, '1');
    assert.equal(shown.dsr.description, '3.0');
    assert.match(await page.locator('[data-part="action-msg"]').textContent(), /\+2|修改/);

    // A second revision is rejected: message, a feed entry with its rule link, nothing changes.
    await page.click('[data-action="revise"]');
    assert.match(await page.locator('[data-part="action-msg"]').textContent(), /没有被接受/);
    const rejected = page.locator('[data-part="feed"] li[data-code="already_revised"]');
    assert.equal(await rejected.count(), 1);
    assert.equal(await rejected.locator('a').getAttribute('href'), '#rule-revised');
    assert.equal((await readShop(page)).credit, '1');

    // Seller reviews the buyer good; a month later the windows are closed.
    await page.click('[data-action="seller-review"]');
    await page.click('[data-action="month"]');
    await page.click('[data-action="seller-review"]');
    assert.ok(await page.locator('[data-part="feed"] li[data-code="window_closed"]').count() === 1);

    // Whatever was done equals the engine's replay of the saved log.
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('review-lab:simulator:v1')));
    const report = await replayIn(page, saved);
    assertMatches(await readShop(page), report, '我的小店', 'by hand');

    // An empty price is refused before it reaches the engine.
    await page.fill('[data-control="order-price"]', '');
    await page.click('[data-action="add-order"]');
    assert.match(await page.locator('[data-part="action-msg"]').textContent(), /价格/);

    // Reload: the session survives.
    const before = await readShop(page);
    await page.reload();
    await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor();
    await page.locator('[data-field="credit"]').waitFor();
    const afterReload = await readShop(page);
    assert.deepEqual({ ...afterReload, feedItems: 0 }, { ...before, feedItems: 0 });
    await screenshot(page, 'simulator-by-hand-1280x720');
    guard.assertClean();
    await context.close();
  });

  test('export and import: a bad file gets a Chinese message and changes nothing; a good one restores', async () => {
    const { page, guard, context } = await open();
    await loadPreset(page, 'revise');
    const shownBefore = await readShop(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action="export"]')]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.events.length, presets.find((p) => p.id === 'revise').log.events.length);

    const dir = join(REPO_ROOT, 'out', 'e2e');
    await mkdir(dir, { recursive: true });
    const bad = [
      ['not-json.json', '{ 这不是 JSON', /不是有效的 JSON/],
      ['no-events.json', '{"rules":"taobao"}', /没有事件列表/],
      ['bad-rules.json', '{"rules":"jd","events":[]}', /规则集/],
      ['bad-event.json', '{"events":[{"kind":"order","id":"o1"}]}', /第 0 个事件/],
    ];
    for (const [name, text, why] of bad) {
      const file = join(dir, name);
      await writeFile(file, text);
      await page.setInputFiles('[data-control="import"]', file);
      const msg = page.locator('[data-part="session-msg"][data-state="error"]');
      await msg.waitFor();
      assert.match(await msg.textContent(), /^导入失败：/);
      assert.match(await msg.textContent(), why);
      assert.match(await msg.textContent(), /没有任何改变/);
      assert.deepEqual(await readShop(page), shownBefore, `${name} changed nothing`);
    }

    await page.click('[data-action="empty"]');
    assert.equal(await page.locator('[data-field="credit"]').count(), 0);
    const good = join(dir, 'exported.json');
    await writeFile(good, JSON.stringify(exported));
    await page.setInputFiles('[data-control="import"]', good);
    await page.locator('[data-part="session-msg"][data-state="ok"]').waitFor();
    assert.deepEqual(await readShop(page), shownBefore);
    guard.assertClean();
    await context.close();
  });

  test('keyboard alone: every control is reachable, visibly focused, and works', async () => {
    const { page, guard, context } = await open();
    // Tab through the whole page and note each control the simulator has.
    const seen = new Set();
    const noOutline = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a?.closest('rl-simulator')) return null;
        const style = getComputedStyle(a.matches('.rls-file') ? a.previousElementSibling : a);
        return { key: a.dataset.action ?? a.dataset.control ?? a.getAttribute('href'), outline: style.outlineStyle, width: style.outlineWidth };
      });
      if (!info) continue;
      seen.add(info.key);
      if (info.outline === 'none' || info.width === '0px') noOutline.push(info.key);
    }
    const controls = await page.$$eval('rl-simulator button:not([disabled]), rl-simulator select:not([disabled]), rl-simulator input', (els) =>
      els.filter((e) => !e.closest('[hidden]')).map((e) => e.dataset.action ?? e.dataset.control));
    const radios = new Set(['rules-taobao', 'rules-tmall']); // one tab stop for the group
    for (const c of controls) if (!radios.has(c)) assert.ok(seen.has(c), `Tab reaches ${c}`);
    assert.ok(seen.has('rules-taobao') || seen.has('rules-tmall'), 'Tab reaches the rule switch');
    assert.deepEqual(noOutline, [], 'focused controls show an outline');

    // Drive it: choose a preset, load it, switch rules and move the clock with keys only.
    await page.focus('[data-control="preset"]');
    await page.keyboard.press('End'); // hearts-to-diamonds, the last one
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'load-preset');
    await page.keyboard.press('Enter');
    await page.locator('[data-part="preset-title"]', { hasText: '五颗心' }).waitFor();
    await page.focus('[data-control="rules-taobao"]');
    await page.keyboard.press('ArrowRight');
    assert.equal((await readShop(page)).rules, 'tmall');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await readShop(page)).rules, 'taobao');
    const clock = (await readShop(page)).clock;
    await page.focus('[data-action="day"]');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    assert.notEqual((await readShop(page)).clock, clock);
    // A rule link in the feed takes focus's reading position to the rule.
    await page.focus('[data-part="feed"] a.rls-rule-link');
    await page.keyboard.press('Enter');
    assert.match(await page.evaluate(() => location.hash), /^#rule-/);
    guard.assertClean();
    await context.close();
  });

  for (const viewport of VIEWPORTS) {
    test(`layout at ${viewport.name}: nothing wider than the screen, Chinese fonts, screenshots`, async () => {
      const { page, guard, context } = await open(viewport);
      await loadPreset(page, 'dsr-cap');
      await page.click('[data-action="15days"]');
      await page.evaluate(() => document.fonts.ready);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than ${viewport.width}px`);
      // Panels do not overlap each other.
      const boxes = await page.$$eval('rl-simulator .rls-panel', (ps) => ps.map((p) => {
        const r = p.getBoundingClientRect();
        return { x: r.x, y: r.y + scrollY, w: r.width, h: r.height, name: p.className };
      }));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          const overlap = a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;
          assert.ok(!overlap, `${a.name} overlaps ${b.name}`);
        }
      }
      await screenshot(page, `simulator-${viewport.name}`);
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      // One readable picture per view (the full-page shot is very tall).
      for (const panel of ['start', 'shop', 'actions', 'feed-panel', 'charts-panel', 'buyers', 'compare', 'big', 'rules']) {
        await page.locator(`rl-simulator section.rls-${panel}`).screenshot({
          path: join(REPO_ROOT, 'out', 'screenshots', `simulator-view-${panel}-${viewport.name}.png`),
        });
      }
      guard.assertClean();
      await context.close();
    });
  }

  test('a course author can embed <rl-simulator> in a page elsewhere, without the site stylesheet', async () => {
    // Engine, styles and presets must come from URLs resolved relative to the module.
    const { context, page, guard } = await openCoursePage(web, {
      file: 'lesson.html',
      heading: '第四单元',
      element: 'rl-simulator',
      script: '../../js/simulator/element.js',
    });
    await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-control="preset"] option[value="low-price"]').waitFor({ state: 'attached' });
    assert.equal(await page.locator('link[href$="css/simulator.css"]').count(), 1, 'the element adds its stylesheet');
    await loadPreset(page, 'low-price');
    const preset = presets.find((p) => p.id === 'low-price');
    assertMatches(await readShop(page), await replayIn(page, preset.log), preset.seller, 'embedded');
    assert.equal(await page.locator('rl-simulator .rls-panel').first().evaluate((el) => getComputedStyle(el).borderTopStyle), 'solid');
    await screenshot(page, 'simulator-embedded-360x740');
    guard.assertClean();
    await context.close();
  });

  test('big shop: cancel stops the worker and keeps the page as it was', async () => {
    const { page, guard, context } = await open();
    await page.click('[data-action="big-start"]');
    await page.waitForFunction(() => document.querySelector('[data-part="big-progress"]').value >= 2, null, { timeout: 60_000 });
    await page.click('[data-action="big-cancel"]');
    assert.match(await page.locator('[data-part="big-status"]').textContent(), /已取消/);
    const value = await page.locator('[data-part="big-progress"]').evaluate((p) => p.value);
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('[data-part="big-progress"]').evaluate((p) => p.value), value, 'no progress after cancel');
    assert.equal(await page.locator('[data-action="big-start"]').isEnabled(), true);
    assert.equal(await page.locator('[data-part="view-switch"]').isHidden(), true, 'no big-shop result');
    guard.assertClean();
    await context.close();
  });

  test('big shop: signs of a coming run ready a worker; the next run reuses the finished one; both show what a fresh worker shows', async () => {
    /**
     * Runs the demo-sized big shop for `seed` and returns the shop as shown.
     * `quiet`: seed and click set by script, with no focus, pointer or change
     * event, as none of the signs that ready a worker.
     */
    async function run(page, seed, { quiet = false } = {}) {
      if (quiet) {
        await page.evaluate((seed) => {
          document.querySelector('[data-control="seed"]').value = String(seed);
          document.querySelector('[data-action="big-start"]').click();
        }, seed);
      } else {
        await page.fill('[data-control="seed"]', String(seed));
        await page.click('[data-action="big-start"]');
      }
      await page.locator('[data-part="big-status"]', { hasText: `种子 ${seed}）` }).waitFor({ timeout: 120_000 });
      return readShop(page);
    }
    const countWorkers = () => {
      const Base = window.Worker;
      Object.assign(window, { __workersMade: 0, __warmed: 0, __ended: 0 });
      window.Worker = class extends Base {
        constructor(...args) {
          super(...args);
          window.__workersMade += 1;
          this.addEventListener('message', ({ data }) => {
            if (data?.type === 'warmed' && !data.error) window.__warmed += 1;
          });
        }

        terminate() {
          window.__ended += 1;
          super.terminate();
        }
      };
    };
    const counts = (page) => page.evaluate(() => [window.__workersMade, window.__warmed, window.__ended]);
    const warmed = (page, n) => page.waitForFunction((n) => window.__warmed === n, n, { timeout: 30_000 });
    const { page, guard, context } = await open();
    await page.addInitScript(countWorkers);
    await page.reload();
    await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    assert.deepEqual(await counts(page), [0, 0, 0], 'no worker before any sign of a run');
    await page.selectOption('[data-control="scale"]', '500');
    await warmed(page, 1);
    // A bigger size readies the same worker again; a smaller one, or the
    // pointer on the button, asks nothing more of it.
    await page.selectOption('[data-control="scale"]', '');
    await warmed(page, 2);
    await page.selectOption('[data-control="scale"]', '500');
    await page.hover('[data-action="big-start"]');
    await page.waitForTimeout(300);
    assert.deepEqual(await counts(page), [1, 2, 0], 'one worker, readied twice');
    await run(page, 7);
    await page.click('[data-control="rules-tmall"]');
    const second = await run(page, 8);
    assert.deepEqual(await counts(page), [1, 2, 0], 'the readied worker ran both runs');
    assert.equal(second.seller, 'shop0');

    const fresh = await open();
    await fresh.page.evaluate(() => {
      document.querySelector('[data-control="scale"]').value = '500';
    });
    await fresh.page.click('[data-control="rules-tmall"]');
    const alone = await run(fresh.page, 8, { quiet: true });
    assert.deepEqual(second, alone, 'the readied and kept worker gives what a fresh one gives');
    // A cancelled run ends its worker, and the focus given back to the start
    // button readies none: the next run starts a new one. (The full size, so
    // that the run is still going when cancelled.)
    await page.selectOption('[data-control="scale"]', '');
    await page.click('[data-action="big-start"]');
    await page.waitForFunction(() => document.querySelector('[data-part="big-progress"]').value >= 1, null, { timeout: 60_000 });
    await page.click('[data-action="big-cancel"]');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'big-start');
    await page.waitForTimeout(500);
    assert.deepEqual(await counts(page), [1, 2, 1], 'no worker readied by the focus after cancel');
    await page.selectOption('[data-control="scale"]', '500');
    await run(page, 9);
    assert.deepEqual(await counts(page), [2, 3, 1], 'a new worker after cancel');
    // The kept worker goes with the simulator that kept it.
    await page.evaluate(() => document.querySelector('rl-simulator').remove());
    assert.equal((await counts(page))[2], 2, 'the kept worker ended with its element');
    guard.assertClean();
    fresh.guard.assertClean();
    await fresh.context.close();
    await context.close();
  });

  test('a course page on another site embeds <rl-simulator> and runs the big shop, as on our own page', async () => {
    // The course page comes from a server of its own (another origin): the
    // simulator's module, the engine, the data and both workers' scripts all
    // come from the site. A worker's script must be of the page's origin, so
    // both workers are made from blob: scripts that import the site's.
    const dir = mkdtempSync(join(tmpdir(), 'course-'));
    writeFileSync(join(dir, 'lesson.html'), '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>课程页</title>'
      + '<link rel="icon" href="data:,"><h1>第四单元</h1><rl-simulator></rl-simulator>'
      + `<script type="module" src="${web.site.url}js/simulator/element.js"></script></html>`);
    const course = await startServer({ root: dir, port: 0 });
    const context = await web.browser.newContext({ viewport: VIEWPORTS[1], locale: 'zh-CN' });
    const page = await context.newPage();
    const guard = guardPage(page);
    const workers = [];
    page.on('worker', (w) => workers.push(w.url()));
    try {
      await page.goto(`${course.url}lesson.html`);
      assert.notEqual(new URL(course.url).origin, new URL(web.site.url).origin);
      await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor({ timeout: 20_000 });
      await page.selectOption('[data-control="scale"]', '500');
      await page.fill('[data-control="seed"]', '21');
      await page.click('[data-action="big-start"]');
      await page.locator('[data-part="big-status"]', { hasText: '种子 21）' }).waitFor({ timeout: 120_000 });
      const elsewhere = await readShop(page);
      assert.equal(workers.length, 2, `the run's worker and the one making its days (${workers})`);
      assert.ok(workers.every((u) => u.startsWith(`blob:${new URL(course.url).origin}/`)), String(workers));

      const home = await open();
      await home.page.selectOption('[data-control="scale"]', '500');
      await home.page.fill('[data-control="seed"]', '21');
      await home.page.click('[data-action="big-start"]');
      await home.page.locator('[data-part="big-status"]', { hasText: '种子 21）' }).waitFor({ timeout: 120_000 });
      assert.equal(elsewhere.seller, 'shop0');
      assert.deepEqual(elsewhere, await readShop(home.page));
      guard.assertClean();
      home.guard.assertClean();
      await home.context.close();
    } finally {
      await context.close();
      await course.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('big shop: where the page may not start a worker, hover does nothing and the click says why', async () => {
    const { page, guard, context } = await open();
    await page.addInitScript(() => {
      // As on a course page of another origin: the browser refuses the worker.
      window.Worker = class {
        constructor() {
          throw new DOMException('The script cannot be used from this origin.', 'SecurityError');
        }
      };
    });
    await page.reload();
    await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    await page.selectOption('[data-control="scale"]', '500');
    await page.hover('[data-action="big-start"]');
    await page.click('[data-action="big-start"]');
    const status = page.locator('[data-part="big-status"]');
    assert.equal(await status.getAttribute('data-state'), 'error');
    assert.match(await status.textContent(), /不能启动后台计算/);
    assert.equal(await page.locator('[data-action="big-start"]').isEnabled(), true);
    assert.equal(await page.locator('[data-action="big-cancel"]').isEnabled(), false);
    guard.assertClean();
    await context.close();
  });

  test('big shop: a device that reports little memory readies no worker ahead of the click', async () => {
    const { page, guard, context } = await open();
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'deviceMemory', { get: () => 2 });
      const Base = window.Worker;
      window.__workersMade = 0;
      window.Worker = class extends Base {
        constructor(...args) {
          super(...args);
          window.__workersMade += 1;
        }
      };
    });
    await page.reload();
    await page.locator('rl-simulator .rls-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    await page.selectOption('[data-control="scale"]', '500');
    await page.focus('[data-control="seed"]');
    await page.hover('[data-action="big-start"]');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__workersMade), 0, 'no worker before the click');
    await page.click('[data-action="big-start"]');
    await page.locator('[data-part="big-status"]', { hasText: '完成' }).waitFor({ timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.__workersMade), 1, 'the click starts its own');
    guard.assertClean();
    await context.close();
  });

  test('big shop worker: days made in a worker of its own, or in the worker itself where workers have no workers or theirs fails, give the same shop', async () => {
    const page = await web.browser.newPage();
    const guard = guardPage(page);
    await page.goto(`${web.site.url}simulator.html`);
    const result = await page.evaluate(async () => {
      const url = new URL('/js/simulator/bigshop.worker.js', location.href).href;
      // What the big-shop worker finds as Worker: its own, none, or one whose
      // workers fail at once (as when the script cannot load).
      const workers = {
        nested: '',
        none: 'self.Worker = undefined;',
        failing: `self.Worker = class {
          constructor() { setTimeout(() => this.onerror?.({ message: 'cannot load', preventDefault() {} }), 0); }
          postMessage() {}
          terminate() {}
        };`,
      };
      /** A run of the big-shop worker with `workers[kind]`. */
      const run = (kind) =>
        new Promise((resolve, reject) => {
          const src = `${workers[kind]} await import(${JSON.stringify(url)}); postMessage({ type: 'ready' });`;
          const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
          let days = 0;
          w.onmessage = ({ data }) => {
            if (data.type === 'ready') w.postMessage({ type: 'start', seed: 12, rules: 'taobao', ordersPerDay: 400 });
            else if (data.type === 'progress') days += 1;
            else if (data.type === 'done') {
              w.terminate();
              resolve({ summary: data.summary, samples: data.samples, changes: data.changes, days, last: data.progress });
            } else if (data.type === 'error') reject(new Error(data.message));
          };
          w.onerror = (e) => reject(new Error(e.message));
        });
      return { nested: await run('nested'), none: await run('none'), failing: await run('failing') };
    });
    assert.equal(result.nested.days, 181, 'progress every day');
    assert.equal(result.nested.last.done, true);
    assert.ok(result.nested.summary.credit > 1000, `a real shop (${result.nested.summary.credit})`);
    assert.deepEqual(result.none, result.nested);
    assert.deepEqual(result.failing, result.nested);
    guard.assertClean();
    await page.close();
  });

  test('big shop at full size: progress, a responsive page meanwhile, the same views at the end', { timeout: 15 * 60_000 }, async () => {
    const { page, guard, context } = await open();
    await page.click('[data-action="empty"]');
    const t0 = Date.now();
    await page.click('[data-action="big-start"]');
    await page.waitForFunction(() => document.querySelector('[data-part="big-progress"]').value >= 1, null, { timeout: 60_000 });
    // While the worker runs, another control is handled at once.
    const clockBefore = (await readShop(page)).clock;
    const clickStart = Date.now();
    await page.click('[data-action="day"]', { timeout: 2_000 });
    const clockAfter = (await readShop(page)).clock;
    const clickMs = Date.now() - clickStart;
    assert.notEqual(clockAfter, clockBefore, 'the clock moved while the big shop runs');
    const progress = await page.locator('[data-part="big-progress"]').evaluate((p) => [p.value, p.max]);
    assert.ok(progress[0] < progress[1], `still running (${progress})`);
    assert.match(await page.locator('[data-part="big-status"]').textContent(), /第 \d+ \/ 181 天/);
    await screenshot(page, 'simulator-bigshop-running-1280x720');

    await page.locator('[data-part="big-status"]', { hasText: '完成' }).waitFor({ timeout: 14 * 60_000 });
    const wall = Date.now() - t0;
    const status = await page.locator('[data-part="big-status"]').textContent();
    const shown = await readShop(page);
    assert.equal(shown.seller, 'shop0');
    const credit = Number(shown.credit.replaceAll(',', ''));
    assert.ok(credit > 100_000, `credit ${credit}`);
    assert.ok(['crown', 'gold_crown'].includes(shown.tier), shown.tier);
    assert.match(shown.rate, /^\d+\.\d\d%$/);
    assert.match(shown.counts['total-good'], /^[\d,]+$/);
    assert.equal(Object.keys(shown.dsr).length, 4);
    assert.ok(shown.feedItems > 0, 'the feed shows the newest changes');
    assert.equal(await page.locator('[data-part="charts"] path').count() >= 3, true, 'charts drawn');
    // The student's own shop is one click away.
    await page.click('[data-action="view-sim"]');
    assert.notEqual((await readShop(page)).seller, 'shop0');
    await page.click('[data-action="view-big"]');
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'simulator-bigshop-done-1280x720');
    const line = `big shop (full size) in headless Chromium: ${(wall / 1000).toFixed(1)} s wall; page says: ${status}; a click during the run took ${clickMs} ms`;
    console.log(line);
    await mkdir(join(REPO_ROOT, 'out'), { recursive: true });
    await writeFile(join(REPO_ROOT, 'out', 'bigshop-timing.txt'), `${line}\n`);
    guard.assertClean();
    await context.close();
  });
});
