// The big shop's days, made in a worker of their own (started by
// bigshop.worker.js) and handed over one at a time as bytes: the run replays
// one day while this worker makes the next ones.
//
//   → {type: 'load'}                              (load the module ahead)
//   → {type: 'start', seed, rules, ordersPerDay?}
//   ← {type: 'day', bytes}   (Uint8Array, transferred; one a day, in order)
//   → {type: 'fed', day}     (the run has replayed this many days)
//   ← {type: 'error', message}
// It runs at most AHEAD days ahead of the run, so that a slow run does not
// pile up the whole half-year's bytes.
import init, { BigShopDays } from '../../pkg/credit/review_lab.js';

const AHEAD = 8;
let loading = null;
const load = () => (loading ??= init());
let fed = 0;
let wake = null;

self.onmessage = async ({ data }) => {
  if (data?.type === 'fed') {
    fed = data.day;
    wake?.();
    return;
  }
  try {
    if (data?.type === 'load') return void (await load());
    if (data?.type !== 'start') return;
    await load();
    const days = new BigShopDays(data.seed, data.rules, data.ordersPerDay ?? undefined);
    fed = 0;
    for (let sent = 0; ; sent++) {
      while (sent - fed >= AHEAD) await new Promise((resolve) => (wake = resolve));
      const bytes = days.next();
      if (!bytes) break;
      self.postMessage({ type: 'day', bytes }, [bytes.buffer]);
    }
    days.free();
  } catch (err) {
    self.postMessage({ type: 'error', message: err?.message ?? String(err) });
  }
};
