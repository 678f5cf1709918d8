// The engine's speed, natively and in the browser, on the lesson's big shop
// (a seeded half-year at 8,000–10,000 parcels a day). Prints figures; it is a
// benchmark, not a test: nothing here fails on time.
//
//   node scripts/bench.mjs            (after bash scripts/build.sh)
//
// 1. cargo bench --bench replay: native replay speed (with 4 KiB pages, and
//    with transparent huge pages where the kernel offers them, in three
//    processes: best run and median process), streamed generate+replay,
//    peak memory.
// 2. Headless Chromium: the wasm module generates the same half-year and replays
//    it (benchBigShop), each way in a fresh page, three runs each, every run
//    printed: the whole log generated, then replayed in one call (replay_log,
//    as the native bench), with both times, events/s and the wasm linear memory
//    at the end, and the wasm-over-native ratio; then each day fed to the same
//    replay as it is made (Engine::begin_replay), which never holds the log;
//    then the simulator page's own run, three times, each in a fresh Web
//    Worker as a student's first click starts it, and three times in one
//    worker, as the page runs again in the worker it kept; with each run's
//    phases (making and feeding the days, the replay's finish, the chart).
// 3. Headless Chromium: grading the longest labelled transcript, µs per grade
//    (native figure: cargo bench --bench grade).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, launchBrowser, startSite } from '../tests/e2e/helpers.mjs';

const seed = Number(process.env.SEED ?? 2026);
mkdirSync(join(REPO_ROOT, 'out'), { recursive: true });
const nativeJson = join(REPO_ROOT, 'out', 'bench-native.json');

console.log('== native (cargo bench --bench replay) ==');
execFileSync('cargo', ['bench', '--bench', 'replay', '--', '--seed', String(seed), '--json', nativeJson], {
  cwd: REPO_ROOT,
  stdio: ['ignore', 'inherit', 'inherit'],
});
const native = JSON.parse(readFileSync(nativeJson, 'utf8'));

console.log('\n== browser (headless Chromium, wasm) ==');
const site = await startSite();
const browser = await launchBrowser();
try {
  // Each way in a fresh page: its first run also grows the wasm memory from
  // nothing and runs in the browser's baseline-compiled code until it tiers up.
  const ways = {};
  for (const streamed of [false, true]) {
    const page = await browser.newPage();
    await page.goto(`${site.url}/index.html`);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      runs.push(
        await page.evaluate(
          async ([s, st]) => {
            const mod = await import('/pkg/review_lab.js');
            const wasm = await mod.default();
            const r = mod.benchBigShop(s, st);
            return { ...r, memory_mib: wasm.memory.buffer.byteLength / 1048576 };
          },
          [seed, streamed],
        ),
      );
    }
    await page.close();
    ways[streamed ? 'fed' : 'whole'] = runs;
  }
  const pad = (label) => label.padEnd(38);
  const list = (runs) => runs.map((r) => r.ms.toFixed(0)).join(', ');
  const bestOf = (runs) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));
  const best = bestOf(ways.whole);
  const fed = bestOf(ways.fed);
  const nativeMs = (native.generate_s + native.replay_s) * 1000;
  console.log(`${pad('events')}${best.events}`);
  console.log(`${pad('orders')}${best.orders}`);
  console.log('whole log generated, then replayed in one call (target < 1000 ms):');
  console.log(`${pad('  generate + replay (best of 3)')}${best.ms.toFixed(0)} ms  (runs: ${list(ways.whole)} ms; the first in a fresh page)`);
  console.log(`${pad('    of which generate')}${best.generate_ms.toFixed(0)} ms`);
  console.log(`${pad('    of which replay')}${best.replay_ms.toFixed(0)} ms  (${(best.events_per_second / 1e6).toFixed(2)} M events/s)`);
  console.log(`${pad('  wasm linear memory at the end')}${best.memory_mib.toFixed(0)} MiB`);
  console.log('each day fed to the same replay as it is made (the log never held whole):');
  console.log(`${pad('  generate + replay (best of 3)')}${fed.ms.toFixed(0)} ms  (runs: ${list(ways.fed)} ms; the first in a fresh page)`);
  console.log(`${pad('    of which making the days')}${fed.generate_ms.toFixed(0)} ms`);
  console.log(`${pad('  wasm linear memory at the end')}${fed.memory_mib.toFixed(0)} MiB`);
  const same = [...ways.whole, ...ways.fed].every((r) => r.credit === native.shop_credit);
  console.log(`${pad('same shop credit as native, every run')}${same ? 'yes' : 'NO'} (${best.credit})`);
  console.log(`${pad('native generate + replay')}${nativeMs.toFixed(0)} ms`);
  console.log(`${pad('wasm / native time')}${(best.ms / nativeMs).toFixed(2)}×`);
  const pages = native.huge_pages ? '2 MiB transparent huge pages, freed memory kept' : '4 KiB pages';
  console.log(`${pad('native replay only')}${(native.events_per_second / 1e6).toFixed(2)} M events/s (target ≥ 20; ${pages}; best run of all processes)`);
  if (native.replay_median_process_s) {
    const medianEps = best.events / native.replay_median_process_s;
    console.log(`${pad('native replay only, median process')}${(medianEps / 1e6).toFixed(2)} M events/s (the median of the processes' best runs)`);
  }
  if (native.replay_small_pages_s) {
    const smallEps = best.events / native.replay_small_pages_s;
    console.log(`${pad('native replay only, 4 KiB pages')}${(smallEps / 1e6).toFixed(2)} M events/s`);
  }
  console.log(`${pad('native fed each day as it is made')}${(native.fed_s * 1000).toFixed(0)} ms (whole feed kept; the simulator's big-shop run)`);
  console.log(`${pad('native event by event, day by day')}${(native.stream_s * 1000).toFixed(0)} ms (the interactive simulator's path)`);
  console.log(`${pad('native peak memory')}${native.peak_mib.toFixed(0)} MiB`);

  // What a student waits for: the simulator page's own big-shop run, in a
  // fresh Web Worker as the page starts it the first time (fresh wasm memory),
  // timed by the worker from after the module loads to the finished chart.
  // `runs` runs in one worker, one after another (the page keeps a finished
  // worker for the next run); each run's time is the worker's own.
  const inWorker = (runs) =>
    sim.evaluate(
      ([s, n]) =>
        new Promise((resolve, reject) => {
          const w = new Worker('/js/simulator/bigshop.worker.js', { type: 'module' });
          const done = [];
          const stop = (f) => (v) => { w.terminate(); f(v); };
          const start = () => w.postMessage({ type: 'start', seed: s, rules: 'taobao' });
          w.onmessage = ({ data }) => {
            if (data.type === 'done') {
              done.push({ ms: data.ms, phases: data.phases, credit: data.summary?.credit });
              if (done.length < n) start();
              else stop(resolve)(done);
            } else if (data.type === 'error') stop(reject)(new Error(data.message));
          };
          w.onerror = (e) => stop(reject)(new Error(e.message));
          start();
        }),
      [seed, runs],
    );
  const sim = await browser.newPage();
  await sim.goto(`${site.url}/simulator.html`);
  const pageRuns = [];
  for (let i = 0; i < 3; i++) pageRuns.push(...(await inWorker(1)));
  const keptRuns = await inWorker(3);
  await sim.close();
  const sameCredit = (runs) => (runs.every((r) => r.credit === native.shop_credit) ? 'yes' : 'NO');
  console.log(`${pad("the simulator page's run (3 workers)")}${list(pageRuns)} ms  (each a fresh Web Worker: generate, feed, replay, the chart; same credit: ${sameCredit(pageRuns)})`);
  console.log(`${pad('  3 runs in one kept worker')}${list(keptRuns)} ms  (the page keeps a finished worker for the next run; same credit: ${sameCredit(keptRuns)})`);
  const phases = (r) => Object.entries(r.phases ?? {}).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  console.log(`${pad('  phases, fresh workers (ms)')}${pageRuns.map(phases).join(' | ')}`);
  console.log(`${pad('  phases, kept worker (ms)')}${keptRuns.map(phases).join(' | ')}`);

  const page = await browser.newPage();
  await page.goto(`${site.url}/index.html`);
  console.log('\n== dialogue grading in the browser (target < 1 ms per transcript) ==');
  const grading = await page.evaluate(async () => {
    const mod = await import('/pkg/review_lab.js');
    await mod.default();
    const cases = await (await fetch('/data/dialogue/labelled/good.json')).json();
    const longest = cases.reduce((a, b) => (b.transcript.turns.length > a.transcript.turns.length ? b : a));
    const runs = 2000;
    const ms = mod.benchGradeDialogue(longest.transcript, runs);
    return { id: longest.id, turns: longest.transcript.turns.length, runs, perGradeUs: (ms / runs) * 1000 };
  });
  console.log(
    `${pad('grade one transcript')}${grading.perGradeUs.toFixed(0)} µs  (${grading.id}, ${grading.turns} turns, mean of ${grading.runs})`,
  );
} finally {
  await browser.close();
  await site.close();
}
