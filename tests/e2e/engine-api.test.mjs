// The engine's JavaScript surface against values JSON cannot hold: a cycle, nesting
// deeper than the browser's stack, a getter that throws, a BigInt. Each is refused
// with a stable code, and the module and the object called stay usable: a walk of
// such a value used to overflow a stack or throw through the wasm module, which
// left a CreditSim (or the whole module) unusable.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { guardPage, useSite } from './helpers.mjs';

describe('engine API, hostile values', () => {
  const web = useSite();

  for (const build of ['/pkg/review_lab.js', '/pkg/credit/review_lab.js']) {
    test(`replay and CreditSim refuse them and go on (${build})`, async () => {
      const page = await web.browser.newPage();
      const guard = guardPage(page);
      await page.goto(web.site.url, { waitUntil: 'load' });
      const result = await page.evaluate(async (url) => {
        const engine = await import(url);
        await engine.default();
        const order = { kind: 'order', id: 'o1', buyer: 'b1', seller: 's1', item: 'i1', price: 59,
          created: '2026-03-01T10:00', at: '2026-03-04T12:00' };
        const review = { kind: 'review', order: 'o1', from: 'buyer', rating: 'good', at: '2026-03-05T09:00' };
        const deep = (n) => { let v = []; for (let i = 0; i < n; i++) v = [v]; return v; };
        const cyclicLog = { events: [] };
        cyclicLog.events.push(cyclicLog);
        const cyclicOrder = { ...order };
        cyclicOrder.self = cyclicOrder;
        const throwing = { ...order };
        Object.defineProperty(throwing, 'price', { enumerable: true, get() { throw new Error('no price'); } });
        const hostile = {
          'cyclic log': cyclicLog,
          'log nested 50000 deep': { events: [], x: deep(50_000) },
          'log nested 200 deep': { events: [], x: deep(200) },
          'cyclic order': cyclicOrder,
          'throwing getter': throwing,
          'BigInt price': { ...order, price: 59n },
        };
        const codeOf = (f) => { try { f(); return 'accepted'; } catch (e) { return e.code ?? `uncoded: ${e}`; } };
        const out = { replay: {}, apply: {} };
        const sim = new engine.CreditSim('taobao');
        for (const [name, value] of Object.entries(hostile)) {
          out.replay[name] = codeOf(() => engine.replay(value));
          out.apply[name] = codeOf(() => sim.apply(value));
        }
        // Still whole: the sim plays on, and the module replays a good log.
        sim.apply(order);
        sim.apply(review);
        out.simCredit = sim.report().sellers.s1.credit;
        out.simEvents = sim.eventCount();
        out.replayCredit = engine.replay({ events: [order, review] }).sellers.s1.credit;
        return out;
      }, build);
      for (const [name, code] of Object.entries(result.replay)) {
        assert.equal(code, 'invalid_value', `replay(${name})`);
      }
      for (const [name, code] of Object.entries(result.apply)) {
        assert.equal(code, 'invalid_value', `sim.apply(${name})`);
      }
      assert.equal(result.simCredit, 1);
      assert.equal(result.simEvents, 2, 'the refused values were not counted as events');
      assert.equal(result.replayCredit, 1);
      guard.assertClean();
      await page.close();
    });
  }
});

describe('engine API, warmBigShop', () => {
  const web = useSite();

  test('makes ready the memory a big-shop run of that size takes; the run then barely grows it', async () => {
    const page = await web.browser.newPage();
    const guard = guardPage(page);
    await page.goto(web.site.url, { waitUntil: 'load' });
    const result = await page.evaluate(async () => {
      /** MiB of wasm memory: `memory` after `before`, and after a 500-a-day run. */
      const measure = async (warm) => {
        // A module instance of its own each time (a fresh URL), as a fresh worker has.
        const engine = await import(`/pkg/credit/review_lab.js?${warm}`);
        const wasm = await engine.default();
        const mib = () => wasm.memory.buffer.byteLength / 2 ** 20;
        const start = mib();
        const ready = warm ? engine.warmBigShop(500) : 0;
        const warmed = mib();
        const run = new engine.BigShopRun(3, 'taobao', 500);
        let p;
        do p = run.step(30); while (!p.done);
        const credit = run.summary().credit;
        run.free();
        return { start, ready, warmed, after: mib(), credit };
      };
      return { cold: await measure(false), warm: await measure(true) };
    });
    const { cold, warm } = result;
    // 181 days × 450 orders × 256 bytes.
    assert.ok(Math.abs(warm.ready - (181 * 450 * 256) / 2 ** 20) < 0.01, `ready ${warm.ready} MiB`);
    assert.ok(warm.warmed - warm.start >= warm.ready, `memory grew by what was made ready (${JSON.stringify(warm)})`);
    const coldGrowth = cold.after - cold.start;
    assert.ok(coldGrowth > 15, `a cold run grows the memory (${coldGrowth} MiB)`);
    assert.ok(warm.after - warm.warmed < coldGrowth / 4, `after warming, the run grows it little (${JSON.stringify(result)})`);
    assert.equal(warm.credit, cold.credit, 'the same shop either way');
    guard.assertClean();
    await page.close();
  });
});

describe('engine API, the big shop made in one worker and replayed in another', () => {
  const web = useSite();

  test('BigShopDays + feedDay give what step gives; bad bytes and mixed use are refused and change nothing', async () => {
    const page = await web.browser.newPage();
    const guard = guardPage(page);
    await page.goto(web.site.url, { waitUntil: 'load' });
    const result = await page.evaluate(async () => {
      const engine = await import('/pkg/credit/review_lab.js');
      await engine.default();
      const codeOf = (f) => { try { f(); return 'accepted'; } catch (e) { return e.code ?? `uncoded: ${e}`; } };
      const finished = (run) => ({
        summary: run.summary(),
        history: run.history(7),
        changes: run.recentChanges(50),
      });
      const stepped = new engine.BigShopRun(4, 'tmall', 300);
      let p;
      do p = stepped.step(10); while (!p.done);
      const byStep = { ...finished(stepped), progress: p };

      const days = new engine.BigShopDays(4, 'tmall', 300);
      const run = new engine.BigShopRun(4, 'tmall', 300);
      const out = { refused: {} };
      let first = days.next();
      out.bytes = first.length;
      // Bad bytes before and after a good day: refused, the run unchanged.
      out.refused.cut = codeOf(() => run.feedDay(first.subarray(0, first.length - 3)));
      try { run.feedDay(first.subarray(0, 5)); } catch (e) { out.cutMessage = e.message; }
      const wrongKind = first.slice();
      wrongKind[8] = 99;
      out.refused.kind = codeOf(() => run.feedDay(wrongKind));
      const farName = first.slice();
      farName.set([0xfe, 0xff, 0xff, 0xff], 9);
      out.refused.name = codeOf(() => run.feedDay(farName));
      p = run.feedDay(first);
      out.afterFirst = p;
      out.refused.step = codeOf(() => run.step(1));
      let bytes;
      while ((bytes = days.next())) p = run.feedDay(bytes);
      out.refused.more = codeOf(() => run.feedDay(first));
      out.byDays = { ...finished(run), progress: p };
      // A run that made its own days takes none from elsewhere.
      const own = new engine.BigShopRun(4, 'tmall', 300);
      own.step(1);
      out.refused.mixed = codeOf(() => own.feedDay(first));
      out.afterAll = days.next() === undefined;
      for (const r of [stepped, run, own, days]) r.free();
      return { byStep, ...out };
    });
    assert.deepEqual(result.refused, {
      cut: 'bad_day', kind: 'bad_day', name: 'bad_day', step: 'run_mixed', more: 'run_finished', mixed: 'run_mixed',
    });
    assert.ok(result.bytes > 1000, `a day of bytes (${result.bytes})`);
    assert.equal(result.cutMessage, '送入的一天无法读取（第 0 字节起：记录不完整）。');
    assert.equal(result.afterFirst.day, 1, 'the refused bytes counted no day');
    assert.equal(result.afterAll, true);
    assert.ok(result.byStep.summary.credit > 1000, `a real shop (${result.byStep.summary.credit})`);
    assert.deepEqual(result.byDays, result.byStep, 'the same shop, chart and feed either way');
    guard.assertClean();
    await page.close();
  });
});
