// The home page in headless Chromium: it loads without a single error, the engine
// reports the crate's version, and the layout holds from a phone to a projector.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VIEWPORTS, cargoVersion, guardPage, screenshot, useSite } from './helpers.mjs';

describe('home page', () => {
  const web = useSite();

  for (const viewport of VIEWPORTS) {
    test(`loads cleanly and shows the engine version at ${viewport.name}`, async () => {
      const page = await web.browser.newPage({ viewport, locale: 'zh-CN' });
      const guard = guardPage(page);
      await page.goto(web.site.url, { waitUntil: 'load' });

      const status = page.locator('#engine-status');
      await status.and(page.locator('[data-state="ready"]')).waitFor({ timeout: 15_000 });
      assert.equal(await status.textContent(), `引擎已就绪 v${cargoVersion()}`);

      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      assert.equal((await page.locator('h1').textContent()).trim(), '评价实训');
      assert.match(await page.locator('.eyebrow').textContent(), /项目四 售后交易纠纷的处理 · 任务四 管理评价/);
      for (const landmark of ['header', 'nav', 'main', 'footer']) {
        assert.equal(await page.locator(landmark).count(), 1, `one <${landmark}>`);
      }

      // Nothing wider than the screen: no sideways scrolling on a 360px phone.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the ${viewport.width}px viewport`);

      await page.evaluate(() => document.fonts.ready);
      await screenshot(page, `home-${viewport.name}`);
      guard.assertClean();
      await page.close();
    });
  }

  test('shows the three course sections; unfinished ones are marked and not linked', async () => {
    const page = await web.browser.newPage();
    const guard = guardPage(page);
    await page.goto(web.site.url);

    const cards = page.locator('#modules .card');
    const titles = (await cards.locator('h3').allTextContents()).map((t) => t.trim());
    assert.deepEqual(titles, ['信用规则计算器 / 评价模拟器', '中差评五步沟通训练', '小组抽查测验']);
    for (const card of await cards.all()) {
      const soon = (await card.locator('.badge--soon').count()) > 0;
      const links = await card.locator('a').count();
      assert.ok(soon !== links > 0, 'a card is either linked or marked 建设中, never both');
      if (soon) assert.equal((await card.locator('.badge--soon').textContent()).trim(), '建设中');
    }

    // Every same-site link on the page leads somewhere that exists.
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin !== new URL(web.site.url).origin) continue;
      if (url.hash && url.pathname === '/') {
        assert.equal(await page.locator(url.hash).count(), 1, `anchor ${url.hash} exists`);
        continue;
      }
      const res = await page.request.get(href);
      assert.equal(res.status(), 200, `link ${href}`);
    }
    guard.assertClean();
    await page.close();
  });

  test('keyboard users can skip to the main content', async () => {
    const page = await web.browser.newPage();
    await page.goto(web.site.url);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), '跳到主要内容');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.close();
  });

  test('says so in Chinese when the engine cannot load', async () => {
    const page = await web.browser.newPage();
    const guard = guardPage(page);
    await page.route('**/pkg/**/review_lab_bg.wasm', (route) => route.abort());
    await page.goto(web.site.url);
    const status = page.locator('#engine-status[data-state="error"]');
    await status.waitFor({ timeout: 15_000 });
    assert.match(await status.textContent(), /评价引擎加载失败/);
    // The failure is reported, not swallowed: the guard saw it.
    assert.ok(guard.problems.some((p) => p.includes('评价引擎加载失败')), guard.problems.join('\n'));
    await page.close();
  });
});
