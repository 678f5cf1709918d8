// Drawings for the review simulator: the credit level as the platform draws it
// (red hearts, blue diamonds, crowns, gold crowns) and small SVG line charts.
import { h, s, showTime } from './dom.js';

export const TIER_NAMES = {
  none: '暂无等级',
  heart: '红心',
  diamond: '蓝钻',
  crown: '皇冠',
  gold_crown: '金冠',
};

const UNITS = { heart: '颗', diamond: '颗', crown: '顶', gold_crown: '顶' };

function icon(tier) {
  const attrs = { viewBox: '0 0 24 24', class: `rls-icon rls-icon--${tier}`, 'aria-hidden': 'true', focusable: 'false' };
  switch (tier) {
    case 'heart':
      return s('svg', attrs,
        s('path', { d: 'M12 21s-7.6-4.7-9.6-9.3C.9 8.2 3.2 4.4 7 4.4c2.1 0 3.6 1.2 5 3 1.4-1.8 2.9-3 5-3 3.8 0 6.1 3.8 4.6 7.3C19.6 16.3 12 21 12 21z', fill: '#e4393c' }),
        s('path', { d: 'M6.2 7.6c.8-.9 2-1.2 3-.8', stroke: '#ffb3b3', 'stroke-width': '1.4', fill: 'none', 'stroke-linecap': 'round' }));
    case 'diamond':
      return s('svg', attrs,
        s('path', { d: 'M6 3h12l4 6-10 12L2 9z', fill: '#1e6fd9' }),
        s('path', { d: 'M2 9h20M9 3l3 6 3-6M12 9v12M6 3l3 6M18 3l-3 6', stroke: '#9cc6ff', 'stroke-width': '1', fill: 'none' }));
    case 'crown':
      return s('svg', attrs,
        s('path', { d: 'M3 18 4.6 7.5l4.6 4.6L12 5l2.8 7.1 4.6-4.6L21 18z', fill: '#e7b416', stroke: '#a67c00', 'stroke-width': '1' }),
        s('rect', { x: '3', y: '18.5', width: '18', height: '2.5', rx: '1', fill: '#a67c00' }));
    case 'gold_crown':
      return s('svg', attrs,
        s('path', { d: 'M3 18 4.6 7.5l4.6 4.6L12 5l2.8 7.1 4.6-4.6L21 18z', fill: '#f59e0b', stroke: '#9a3412', 'stroke-width': '1.2' }),
        s('circle', { cx: '12', cy: '14', r: '1.8', fill: '#dc2626' }),
        s('circle', { cx: '7.5', cy: '15', r: '1.2', fill: '#dc2626' }),
        s('circle', { cx: '16.5', cy: '15', r: '1.2', fill: '#dc2626' }),
        s('rect', { x: '3', y: '18.5', width: '18', height: '2.5', rx: '1', fill: '#9a3412' }));
    default:
      return null;
  }
}

/** How a level reads aloud: '3颗红心（第3级）'. */
export function levelText(level) {
  if (!level || level.tier === 'none') return '暂无等级（信用不足4分）';
  return `${level.count}${UNITS[level.tier]}${TIER_NAMES[level.tier]}（第${level.index}级）`;
}

/** The level as N icons; data-tier/data-count/data-index for tests. */
export function levelIcons(level) {
  const tier = level?.tier ?? 'none';
  const count = level?.count ?? 0;
  const el = h('span', {
    class: 'rls-level',
    role: 'img',
    'aria-label': levelText(level),
    'data-tier': tier,
    'data-count': count,
    'data-index': level?.index ?? 0,
  });
  if (tier === 'none') el.append(h('span', { class: 'rls-level-none', 'aria-hidden': 'true' }, '暂无等级'));
  for (let i = 0; i < count; i++) el.append(icon(tier));
  return el;
}

/**
 * A y-axis label that fits the chart's margin: from 100,000 on in 万 (a big
 * shop's 1,407,908 is 140.8万; written in full it was cut off at the left).
 */
function tick(v, format) {
  return Math.abs(v) >= 100_000 ? `${(v / 10_000).toFixed(1)}万` : format(v);
}

/**
 * A line chart. `series`: [{label, color, points: [[t, v|null], …]}]; `format`
 * formats the y labels. Gaps (null) break the line.
 */
export function lineChart({ title, series, format = String, yMin, yMax }) {
  const W = 320;
  const H = 150;
  const L = 44;
  const R = 8;
  const T = 10;
  const B = 24;
  const all = series.flatMap((se) => se.points.filter((p) => p[1] !== null && p[1] !== undefined));
  const figure = h('figure', { class: 'rls-chart' });
  figure.append(h('figcaption', {}, title));
  if (all.length === 0) {
    figure.append(h('p', { class: 'rls-muted' }, '还没有数据：先下单、评价或拨动时钟。'));
    return figure;
  }
  const ts = all.map((p) => p[0]);
  const vs = all.map((p) => p[1]);
  let t0 = Math.min(...ts);
  let t1 = Math.max(...ts);
  if (t1 === t0) t1 = t0 + 1;
  let v0 = yMin ?? Math.min(...vs);
  let v1 = yMax ?? Math.max(...vs);
  if (yMin === undefined) v0 = Math.min(v0, Math.min(...vs));
  if (yMax === undefined) v1 = Math.max(v1, Math.max(...vs));
  if (v1 === v0) {
    v1 += 1;
    v0 -= yMin === undefined ? 1 : 0;
  }
  const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v) => T + (1 - (v - v0) / (v1 - v0)) * (H - T - B);
  const last = series.map((se) => {
    const p = [...se.points].reverse().find((q) => q[1] !== null && q[1] !== undefined);
    return `${se.label} ${p ? format(p[1]) : '—'}`;
  });
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'rls-chart-svg',
    role: 'img',
    'aria-label': `${title}：从 ${showTime(new Date(t0).toISOString()).slice(0, 10)} 到 ${showTime(new Date(t1).toISOString()).slice(0, 10)}，最新 ${last.join('，')}`,
  });
  svg.append(
    s('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'rls-axis' }),
    s('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'rls-axis' }),
    s('line', { x1: L, y1: y((v0 + v1) / 2), x2: W - R, y2: y((v0 + v1) / 2), class: 'rls-grid' }),
    s('text', { x: L - 4, y: T + 4, 'text-anchor': 'end', class: 'rls-tick' }, tick(v1, format)),
    s('text', { x: L - 4, y: H - B, 'text-anchor': 'end', class: 'rls-tick' }, tick(v0, format)),
    s('text', { x: L, y: H - 6, class: 'rls-tick' }, new Date(t0).toISOString().slice(5, 10)),
    s('text', { x: W - R, y: H - 6, 'text-anchor': 'end', class: 'rls-tick' }, new Date(t1).toISOString().slice(5, 10)),
  );
  for (const se of series) {
    let d = '';
    let pen = false;
    for (const [t, v] of se.points) {
      if (v === null || v === undefined) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)} ${y(v).toFixed(1)}`;
      pen = true;
    }
    if (d) svg.append(s('path', { d, fill: 'none', stroke: se.color, 'stroke-width': '2', 'stroke-linejoin': 'round' }));
  }
  figure.append(svg);
  if (series.length > 1 || series[0].label) {
    figure.append(
      h('ul', { class: 'rls-legend' },
        series.map((se, i) =>
          h('li', {}, h('span', { class: 'rls-swatch', style: `background:${se.color}`, 'aria-hidden': 'true' }), last[i]),
        ),
      ),
    );
  }
  return figure;
}
