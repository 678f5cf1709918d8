// The dialogue page's evidence highlighting, labels and error text, and the
// shared element builder (../dom.js: student and buyer text only ever goes in as
// text nodes, never parsed as HTML).

import { h as el } from '../dom.js';

export { el };

/**
 * The text with each evidence string marked once: `marks` is a list of
 * `{text, bad}`; returns a DocumentFragment of text nodes and <mark> elements.
 */
export function highlight(text, marks) {
  const ranges = [];
  for (const m of marks) {
    if (!m.text) continue;
    let from = 0;
    let at = text.indexOf(m.text, from);
    while (at >= 0 && ranges.some((r) => at < r.end && at + m.text.length > r.start)) {
      from = at + 1;
      at = text.indexOf(m.text, from);
    }
    if (at >= 0) ranges.push({ start: at, end: at + m.text.length, bad: m.bad, title: m.title });
  }
  ranges.sort((a, b) => a.start - b.start);
  const frag = document.createDocumentFragment();
  let pos = 0;
  for (const r of ranges) {
    if (r.start > pos) frag.append(document.createTextNode(text.slice(pos, r.start)));
    frag.append(el('mark', { class: r.bad ? 'dlg-bad' : null, title: r.title ?? null }, text.slice(r.start, r.end)));
    pos = r.end;
  }
  if (pos < text.length) frag.append(document.createTextNode(text.slice(pos)));
  return frag;
}

/** A readable message for an error thrown by the engine (`{code, message}`). */
export function errorText(err) {
  if (err && typeof err === 'object' && 'message' in err) {
    return err.code ? `${err.message}（${err.code}）` : String(err.message);
  }
  return String(err);
}

export const PERSONA = {
  polite: '礼貌型',
  angry: '愤怒型',
  'bargain-hunter': '砍价型',
  malicious: '恶意型',
};

export const RATING = { neutral: '中评', negative: '差评' };

export const CHANNEL = { wangwang: '旺旺', phone: '电话', sms: '短信' };

export const CAUSE = { product: '商品问题', buyer: '买家主观感受', service: '服务售后问题' };

export const STEPS = [
  ['apologize', '① 真诚致歉'],
  ['diagnose', '② 分析原因'],
  ['resolve', '③ 商定解决'],
  ['farewell', '④ 温馨道别'],
  ['record', '⑤ 及时记录'],
];
