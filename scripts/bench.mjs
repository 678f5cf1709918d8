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
//    then the simulator page's own run (its worker replays the days while a
//    worker of its own makes them), timed from the click: three times,
//    each in a fresh Web Worker as a student's first click starts it; three
//    times in a fresh worker warmed first, as while the pointer rests on the
//    start button; and three times in one worker, as the page runs again in
//    the worker it kept; with each run's phases (making and feeding the days,
//    the replay's finish, the chart).
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
  // The target counts events as the issue does: the log's, and the default
  // good reviews the replay fires (every order gets its two reviews).
  const counted = native.issue_events;
  console.log(`${pad('native replay only')}${(native.issue_events_per_second / 1e6).toFixed(2)} M events/s (target ≥ 20; the log's ${native.events} events and ${native.defaults_fired} defaults fired; ${pages}; best run of all processes)`);
  console.log(`${pad('  log events only')}${(native.events_per_second / 1e6).toFixed(2)} M events/s`);
  if (native.replay_median_process_s) {
    const medianEps = native.events / native.replay_median_process_s;
    const medianCounted = counted / native.replay_median_process_s;
    console.log(`${pad('native replay only, median process')}${(medianCounted / 1e6).toFixed(2)} M events/s (${(medianEps / 1e6).toFixed(2)} over log events only; the median of the processes' best runs)`);
  }
  if (native.replay_small_pages_s) {
    const smallEps = native.events / native.replay_small_pages_s;
    const smallCounted = counted / native.replay_small_pages_s;
    console.log(`${pad('native replay only, 4 KiB pages')}${(smallCounted / 1e6).toFixed(2)} M events/s (${(smallEps / 1e6).toFixed(2)} over log events only)`);
  }
  console.log(`${pad('native fed each day as it is made')}${(native.fed_s * 1000).toFixed(0)} ms (whole feed kept; the simulator's big-shop run)`);
  console.log(`${pad('native event by event, day by day')}${(native.stream_s * 1000).toFixed(0)} ms (the interactive simulator's path)`);
  if (native.replay_peak_mib) {
    console.log(`${pad('native peak memory, replay')}${native.replay_peak_mib.toFixed(0)} MiB (a process that makes the log and only replays it, glibc as it comes)`);
  }
  console.log(`${pad('native peak memory, all')}${native.peak_mib.toFixed(0)} MiB (the bench's own process: log, two engines, report)`);

  // What a student waits for: the simulator page's own big-shop run, in a
  // fresh Web Worker as the page starts it the first time (fresh wasm memory).
  // `wait`: from the start message to the finished chart, loading the module
  // included; `ms`: the worker's own time from after the module loads.
  // `runs` runs in one worker, one after another (the page keeps a finished
  // worker for the next run). `warm`: the worker first makes the run's memory
  // ready, as the page has it do while the pointer rests on the start button;
  // the click comes when that is done.
  const inWorker = (runs, warm = false) =>
    sim.evaluate(
      ([s, n, warm]) =>
        new Promise((resolve, reject) => {
          const w = new Worker('/js/simulator/bigshop.worker.js', { type: 'module' });
          const done = [];
          let t0 = 0;
          let warmMs = null;
          const stop = (f) => (v) => { w.terminate(); f(v); };
          const start = () => {
            t0 = performance.now();
            w.postMessage({ type: 'start', seed: s, rules: 'taobao' });
          };
          w.onmessage = ({ data }) => {
            if (data.type === 'warmed') {
              if (data.error) return stop(reject)(new Error(data.error));
              warmMs = data.ms;
              start();
            } else if (data.type === 'done') {
              done.push({ wait: performance.now() - t0, ms: data.ms, phases: data.phases, credit: data.summary?.credit, warmMs });
              if (done.length < n) start();
              else stop(resolve)(done);
            } else if (data.type === 'error') stop(reject)(new Error(data.message));
          };
          w.onerror = (e) => stop(reject)(new Error(e.message));
          if (warm) w.postMessage({ type: 'warm' });
          else start();
        }),
      [seed, runs, warm],
    );
  const sim = await browser.newPage();
  await sim.goto(`${site.url}/simulator.html`);
  const pageRuns = [];
  const warmRuns = [];
  for (let i = 0; i < 3; i++) {
    pageRuns.push(...(await inWorker(1)));
    warmRuns.push(...(await inWorker(1, true)));
  }
  const keptRuns = await inWorker(3);
  await sim.close();
  const sameCredit = (runs) => (runs.every((r) => r.credit === native.shop_credit) ? 'yes' : 'NO');
  const waits = (runs) => runs.map((r) => r.wait.toFixed(0)).join(' / ');
  console.log(`${pad("the simulator page's run (3 workers)")}${waits(pageRuns)} ms  (each a fresh Web Worker, from the click: load the module; the days made in a worker of its own while it replays them; the chart; same credit: ${sameCredit(pageRuns)})`);
  console.log(`${pad('  of which the run itself')}${list(pageRuns)} ms  (the worker's time after the module loads)`);
  console.log(`${pad('  warmed on hover (3 workers)')}${waits(warmRuns)} ms  (each a fresh worker that first loaded the module and made the memory ready, in ${warmRuns.map((r) => r.warmMs.toFixed(0)).join(' / ')} ms, while the pointer rested on the button; same credit: ${sameCredit(warmRuns)})`);
  console.log(`${pad('  3 runs in one kept worker')}${waits(keptRuns)} ms  (the page keeps a finished worker for the next run; same credit: ${sameCredit(keptRuns)})`);
  const phases = (r) => Object.entries(r.phases ?? {}).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  console.log(`${pad('  phases, fresh workers (ms)')}${pageRuns.map(phases).join(' | ')}`);
  console.log(`${pad('  phases, warmed workers (ms)')}${warmRuns.map(phases).join(' | ')}`);
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
