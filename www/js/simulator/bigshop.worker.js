// The lesson's big shop (8,000–10,000 parcels a day for half a year), played in a
// Web Worker so the page stays responsive; the days are made in a worker of its
// own meanwhile (below). Cancel = the page terminates the worker (and with it
// the one making the days).
// A worker takes runs one after another: the page keeps a finished worker for a
// while, and the next run reuses its wasm memory (the module loads once).
//
//   → {type: 'warm', ordersPerDay?}   (before a run: makes its memory ready; none after)
//   ← {type: 'warmed', mib, ms} or {type: 'warmed', error}
//   → {type: 'start', seed, rules, ordersPerDay?}
//   ← {type: 'progress', progress: {day, days, events, orders, done}, ms}
//   ← {type: 'done', summary, changes, samples: [{t, credit, rate, dsr}], ms, phases, progress}
//     (phases: ms spent making and feeding the days, finishing the replay on the
//     last day's step, reading the chart, and the rest)
//   ← {type: 'error', message}
// The rules-only build: the big shop needs nothing else.
import init, { BigShopRun, warmBigShop } from '../../pkg/credit/review_lab.js';
import { moduleWorker } from './spawn.js';

const START = Date.UTC(2026, 0, 1); // the generator's first day (GenConfig::big_shop)

function sampleOf(summary, day) {
  const dsr = {};
  for (const [dim, v] of Object.entries(summary?.dsr ?? {})) dsr[dim] = v.mean;
  return {
    t: START + day * 86_400_000,
    credit: summary?.credit ?? 0,
    rate: summary?.positive_rate ?? null,
    dsr,
  };
}

// Loaded once: a 'start' that comes while a 'warm' waits for the module must
// not load a second instance (the warmed memory would be another's).
let loading = null;
const load = () => (loading ??= init());
// Once a run has started, its memory is in place: no more warming.
let ran = false;

async function warm(ordersPerDay) {
  const t0 = performance.now();
  try {
    await load();
    if (ran) return;
    // Again when the page asks for a bigger run (the run uses both).
    const mib = warmBigShop(ordersPerDay ?? undefined);
    self.postMessage({ type: 'warmed', mib, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ type: 'warmed', error: err?.message ?? String(err) });
  }
}

// The days are made in a worker of this worker's own (bigshop.days.worker.js)
// while this one replays them, where the browser has workers in workers;
// otherwise (or when that worker fails before its first day) here, a day at a
// time between replays.
let daysWorker;
function makeDays() {
  if (daysWorker === undefined) {
    try {
      daysWorker = moduleWorker(new URL('./bigshop.days.worker.js', import.meta.url));
    } catch {
      daysWorker = null; // no Worker here, or a policy forbids one
    }
  }
  return daysWorker;
}

/** Thrown when the days worker failed before its first day: the run can still make its own. */
class NoDays extends Error {}

/** The run, from its days as they come from `days` (a worker): resolves with its last progress and the last day's time. */
function feedFrom(days, run, start, t0) {
  return new Promise((resolve, reject) => {
    let fed = 0;
    const fail = (message) => {
      if (fed > 0) return reject(new Error(message));
      // This worker makes the days from now on.
      days.terminate();
      daysWorker = null;
      reject(new NoDays(message));
    };
    days.onmessage = ({ data }) => {
      try {
        if (data.type === 'error') return fail(data.message);
        if (data.type !== 'day') return;
        fed += 1;
        const t = performance.now();
        const progress = run.feedDay(data.bytes);
        const lastStep = performance.now() - t;
        days.postMessage({ type: 'fed', day: progress.day });
        self.postMessage({ type: 'progress', progress, ms: performance.now() - t0 });
        if (progress.done) resolve({ progress, lastStep });
      } catch (err) {
        reject(err);
      }
    };
    days.onerror = (e) => {
      e.preventDefault();
      fail(e.message || '生成大店日子的后台线程出错。');
    };
    days.postMessage({ type: 'start', ...start });
  });
}

/** The run, making each day here before replaying it. */
function stepHere(run, t0) {
  let progress;
  let lastStep = 0;
  do {
    const t = performance.now();
    progress = run.step(1);
    lastStep = performance.now() - t;
    self.postMessage({ type: 'progress', progress, ms: performance.now() - t0 });
  } while (!progress.done);
  return { progress, lastStep };
}

self.onmessage = async ({ data }) => {
  if (data?.type === 'warm') {
    makeDays()?.postMessage({ type: 'load' });
    return warm(data.ordersPerDay);
  }
  if (data?.type !== 'start') return;
  ran = true;
  try {
    await load();
    const t0 = performance.now();
    const start = { seed: data.seed, rules: data.rules, ordersPerDay: data.ordersPerDay };
    const run = new BigShopRun(start.seed, start.rules, start.ordersPerDay ?? undefined);
    // Progress every day. Each day goes into one whole-log replay, which scores
    // the half-year at the end; the chart (a sample a day) is then read from
    // the change feed at once, instead of from the whole shop every few days.
    const days = makeDays();
    const { progress, lastStep } = days
      ? await feedFrom(days, run, start, t0).catch((err) => {
          if (err instanceof NoDays) return stepHere(run, t0);
          throw err;
        })
      : stepHere(run, t0);
    const t1 = performance.now();
    const samples = run.history(1).map((s) => sampleOf(s, s.day));
    const t2 = performance.now();
    const summary = run.summary();
    const changes = run.recentChanges(200);
    const ms = performance.now() - t0;
    const phases = { days: t1 - t0 - lastStep, finish: lastStep, chart: t2 - t1, rest: ms - (t2 - t0) };
    run.free();
    self.postMessage({ type: 'done', summary, changes, samples, ms, phases, progress });
  } catch (err) {
    self.postMessage({ type: 'error', message: err?.message ?? String(err) });
  }
};
