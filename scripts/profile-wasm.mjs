// Where the browser spends the big shop's half-year: V8's sampling profiler over
// the simulator's big-shop run (BigShopRun, as the page's worker plays it), in
// headless Chromium, printed as self time per wasm function. A tool for work on
// the browser's speed, not a test and not part of the build.
//
//   node scripts/profile-wasm.mjs            (RUNS=3 SEED=2026 TOP=25 DAYS=here)
//
// DAYS=here: the run makes its days itself (BigShopRun.step), as where workers
// have no workers. DAYS=elsewhere: the page's way, the days made by another
// worker (BigShopDays) and replayed from bytes (BigShopRun.feedDay); here they
// are all made before the clock starts, so the profile is the replaying
// worker's alone, the run's critical path.
//
// It builds its own copy of the rules-only engine into out/profile/ with the
// function names kept and without wasm-opt, so that the passes the Rust code
// keeps apart (#[inline(never)]) show apart: the figures are those of a less
// optimized module than the site's, and the profiler slows it further, so read
// them as shares. Every run but the last warms up; the last is profiled, with
// the memory the earlier runs left in place (a kept worker's case). RUNS=1
// profiles a first run, fresh memory and all.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from './serve.mjs';
import { REPO_ROOT, launchBrowser } from '../tests/e2e/helpers.mjs';

const runs = Math.max(1, Number(process.env.RUNS ?? 3));
const seed = Number(process.env.SEED ?? 2026);
const top = Number(process.env.TOP ?? 25);
const elsewhere = process.env.DAYS === 'elsewhere';
const root = join(REPO_ROOT, 'out', 'profile');
const wasm = join(REPO_ROOT, 'target', 'wasm32-unknown-unknown', 'release', 'review_lab.wasm');

const run = (cmd, args) => execFileSync(cmd, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--lib']);
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
run('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', join(root, 'pkg'), wasm]);
writeFileSync(join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><title>profile</title>\n');

const site = await startServer({ root, port: 0 });
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(site.url);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  for (let i = 0; i < runs; i++) {
    const last = i === runs - 1;
    if (elsewhere) {
      await page.evaluate(async (s) => {
        const mod = await import('/pkg/review_lab.js');
        await mod.default();
        const made = new mod.BigShopDays(s, 'taobao');
        window.days = [];
        for (let d = made.next(); d; d = made.next()) window.days.push(d);
        made.free();
      }, seed);
    }
    if (last) await cdp.send('Profiler.start');
    const r = await page.evaluate(async ([s, elsewhere]) => {
      const mod = await import('/pkg/review_lab.js');
      await mod.default();
      const days = window.days ?? [];
      const t0 = performance.now();
      const big = new mod.BigShopRun(s, 'taobao');
      let progress;
      let finish = 0;
      let day = 0;
      do {
        const t = performance.now();
        progress = elsewhere ? big.feedDay(days[day++]) : big.step(1);
        finish = performance.now() - t;
      } while (!progress.done);
      const t1 = performance.now();
      big.history(1);
      const chart = performance.now() - t1;
      const ms = performance.now() - t0;
      big.free();
      return { ms, finish, chart, events: progress.events };
    }, [seed, elsewhere]);
    const what = last ? 'profiled' : 'warm-up';
    console.log(`run ${i + 1} (${what}): ${r.ms.toFixed(0)} ms, of which the finish ${r.finish.toFixed(0)} ms and the chart ${r.chart.toFixed(0)} ms; ${r.events} events`);
  }
  const { profile } = await cdp.send('Profiler.stop');
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, k) => {
    const name = (nodes.get(id)?.callFrame.functionName || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[k] ?? 0));
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nself time in the profiled run (sampled every 0.2 ms; ${(total / 1000).toFixed(0)} ms in all):`);
  for (const [name, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
} finally {
  await browser.close();
  await site.close();
}
