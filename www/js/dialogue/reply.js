// <rl-reply-exercise>: technique ⑥ — write a public reply to a review and get it graded.

import { el, errorText, highlight, RATING } from './dom.js';

export class RlReplyExercise extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.engine = null;
    this.select = el('select', { id: 'reply-scenario', disabled: true });
    this.review = el('p', { class: 'dlg-review-text' }, '引擎加载后显示评价。');
    this.input = el('textarea', { id: 'reply-input', rows: '4', maxlength: '2000', placeholder: '在这里写给所有顾客看的公开回复' });
    this.button = el('button', { class: 'button', type: 'button', disabled: true }, '评分');
    this.out = el('div', { 'aria-live': 'polite' });
    this.select.addEventListener('change', () => this.showReview());
    this.button.addEventListener('click', () => this.grade());
    this.append(
      el(
        'div',
        { class: 'dlg-panel' },
        el('label', { class: 'dlg-field', for: 'reply-scenario' }, '回复哪一条评价', this.select),
        this.review,
        el('label', { class: 'dlg-field', for: 'reply-input' }, '你的公开回复', this.input),
        el('div', { class: 'dlg-actions' }, this.button),
        this.out,
      ),
    );
  }

  setEngine(engine) {
    this.engine = engine;
    for (const s of engine.dialogueScenarios()) {
      this.select.append(el('option', { value: s.id }, `${s.title}（${RATING[s.rating]}）`));
    }
    this.select.disabled = false;
    this.button.disabled = false;
    this.showReview();
  }

  showReview() {
    try {
      const s = this.engine.dialogueScenario(this.select.value);
      this.review.textContent = `${RATING[s.review.rating]}　${s.order.customer}：${s.review.text}`;
    } catch (err) {
      this.review.textContent = errorText(err);
    }
  }

  grade() {
    const reply = this.input.value;
    let r;
    try {
      r = this.engine.gradeReply({ scenario: this.select.value, reply });
    } catch (err) {
      this.out.replaceChildren(el('p', { class: 'dlg-error', role: 'alert' }, errorText(err)));
      return;
    }
    const list = el('ul', { class: 'dlg-criteria' });
    for (const c of r.criteria) {
      list.append(el('li', { 'data-met': String(c.met) }, c.feedback, c.met && c.evidence ? `　依据：“${c.evidence}”` : ''));
    }
    for (const v of r.violations) {
      list.append(el('li', { 'data-met': 'false' }, `${v.title}（−${v.cost}）：“${v.evidence}”　${v.message}`));
    }
    const marks = [
      ...r.criteria.filter((c) => c.met && c.evidence).map((c) => ({ text: c.evidence })),
      ...r.violations.flatMap((v) => v.evidence.split('、').map((t) => ({ text: t, bad: true }))),
    ];
    this.out.replaceChildren(
      el(
        'div',
        { class: 'dlg-report-head' },
        el('span', { class: 'dlg-score' }, `${r.total} / ${r.max}`),
        el('span', { class: 'dlg-band', 'data-band': r.band }, r.band_label),
      ),
      list,
      el('div', { class: 'dlg-msg', 'data-from': 'agent' }, highlight(reply, marks)),
    );
  }
}
