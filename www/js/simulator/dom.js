// Time and number helpers for the review simulator, and the shared DOM helpers
// (../dom.js: text always goes in as text nodes, never parsed as HTML).

export { h, s, fill } from '../dom.js';

// --- Time: platform-local wall-clock strings, computed as if they were UTC. ---

const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** 'YYYY-MM-DDTHH:MM(:SS)' → milliseconds (as UTC), or NaN. */
export function parseTime(text) {
  const m = TIME_RE.exec(String(text ?? ''));
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
}

/** milliseconds → 'YYYY-MM-DDTHH:MM' (the log's format). */
export function formatTime(ms) {
  return new Date(ms).toISOString().slice(0, 16);
}

/** 'YYYY-MM-DDTHH:MM…' → '2026-03-05 09:00' for people. */
export function showTime(text) {
  return String(text ?? '').slice(0, 16).replace('T', ' ');
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** One calendar month later, the day clamped to the month's end. */
export function addMonth(ms) {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last), d.getUTCHours(), d.getUTCMinutes());
}

// --- Numbers as the pages show them. ---

/** 0.9975 → '99.75%'; null → '—'. */
export function showRate(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(2)}%`;
}

/** A DSR mean to one decimal; null → '—'. */
export function showMean(mean) {
  return mean === null || mean === undefined ? '—' : mean.toFixed(1);
}

/** +1 / 0 / −1 with a real minus sign. */
export function showDelta(delta) {
  if (delta > 0) return `+${delta}`;
  if (delta < 0) return `−${-delta}`;
  return '0';
}

/** 1234567 → '1,234,567'. */
export function showInt(n) {
  return Number(n).toLocaleString('en-US');
}
