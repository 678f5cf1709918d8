// <rl-case-log>: the records saved in this browser and what they show (seed 002's
// analysis: which product and cause come up most, cases per day, reviews revised).

import { el, errorText } from './dom.js';
import { LOG_KEY } from './dialogue.js';

export class RlCaseLog extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.engine = null;
    this.body = el('div', { class: 'dlg-panel', 'aria-live': 'polite' }, '引擎加载后显示。');
    this.clear = el('button', { class: 'button button--secondary', type: 'button' }, '清空记录');
    this.clear.addEventListener('click', () => {
      if (confirm('确定清空本机保存的全部记录吗？')) {
        localStorage.removeItem(LOG_KEY);
        this.refresh();
      }
    });
    this.append(this.body, el('div', { class: 'dlg-actions' }, this.clear));
  }

  setEngine(engine) {
    this.engine = engine;
    this.refresh();
  }

  refresh() {
    if (!this.engine) return;
    let saved = null;
    try {
      saved = localStorage.getItem(LOG_KEY);
    } catch {
      saved = null;
    }
    let a;
    try {
      a = this.engine.caseLogAnalyse(saved ?? '{"entries":[]}');
    } catch (err) {
      this.body.replaceChildren(el('p', { class: 'dlg-error' }, `保存的记录无法读取：${errorText(err)}`));
      return;
    }
    if (a.cases === 0) {
      this.body.replaceChildren(el('p', {}, '还没有记录。完成一次对话练习并提交记录后，这里会显示统计。'));
      return;
    }
    const table = (caption, rows) =>
      el(
        'table',
        { class: 'dlg-table' },
        el('caption', {}, caption),
        el('tbody', {}, rows.map((c) => el('tr', {}, el('th', { scope: 'row' }, c.label), el('td', {}, `${c.count} 单`)))),
      );
    this.body.replaceChildren(
      el('p', {}, a.summary),
      table('按商品', a.by_product),
      table('按原因', a.by_cause),
      table('按日期', a.per_day),
    );
  }
}
