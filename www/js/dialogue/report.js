// The final report: score and band, each step with its evidence, violations,
// the buyer's outcome, and the transcript with the evidence highlighted.

import { el, highlight, CAUSE } from './dom.js';

function turnLabel(turn) {
  return turn === null || turn === undefined ? '' : `（第 ${turn} 条）`;
}

/** Builds the report element for a grade result. */
export function renderReport({ result, transcript, outcome, timing }) {
  const root = el('div', { class: 'dlg-panel', 'aria-live': 'polite' });
  root.append(
    el('h3', { tabindex: '-1' }, '评分报告'),
    el(
      'div',
      { class: 'dlg-report-head' },
      el('span', { class: 'dlg-score' }, `${result.total} / ${result.max}`),
      el('span', { class: 'dlg-band', 'data-band': result.band }, result.band_label),
      el('span', {}, result.order_ok ? '五个步骤的顺序正确' : '步骤顺序有问题：请先致歉、再分析原因、然后商定解决，最后道别'),
    ),
  );

  for (const step of result.steps) {
    const list = el('ul', { class: 'dlg-criteria' });
    for (const c of step.criteria) {
      const evidence = c.evidence ? `　依据${turnLabel(c.turn)}：“${c.evidence}”` : '';
      list.append(el('li', { 'data-met': String(c.met) }, `${c.feedback}${evidence}`));
    }
    root.append(
      el('h4', {}, `${step.title}　${step.score}/${step.max}　${step.passed ? '通过' : '未通过'}`),
      list,
    );
  }

  if (result.violations.length) {
    const list = el('ul', { class: 'dlg-criteria' });
    for (const v of result.violations) {
      list.append(
        el('li', { 'data-met': 'false' }, `${v.title}（−${v.cost}）第 ${v.turn} 条：“${v.evidence}”　${v.message}`),
      );
    }
    root.append(el('h4', {}, '扣分项'), list);
  }

  if (outcome) {
    const reasons = el('ul', {});
    for (const r of outcome.reasons) reasons.append(el('li', {}, r));
    root.append(
      el('h4', {}, `结果：${outcome.revised ? '买家同意修改评价' : '买家没有修改评价'}（买家情绪：${outcome.mood_label}）`),
      reasons,
      el('p', {}, `本单真正的原因：${outcome.true_cause}`),
    );
  }

  const marks = new Map();
  for (const step of result.steps) {
    for (const c of step.criteria) {
      if (c.met && c.evidence && c.turn !== null && c.turn !== undefined) {
        if (!marks.has(c.turn)) marks.set(c.turn, []);
        marks.get(c.turn).push({ text: c.evidence, title: step.title });
      }
    }
  }
  for (const v of result.violations) {
    if (!marks.has(v.turn)) marks.set(v.turn, []);
    marks.get(v.turn).push({ text: v.evidence, bad: true, title: v.title });
  }
  const chat = el('div', { class: 'dlg-chat dlg-replay' });
  transcript.turns.forEach((t, i) => {
    chat.append(
      el(
        'div',
        { class: 'dlg-msg', 'data-from': t.from },
        el('small', {}, `${i} · ${t.from === 'agent' ? '客服（你）' : '买家'}`),
        highlight(t.text, marks.get(i) ?? []),
      ),
    );
  });
  root.append(el('h4', {}, '对话回放（黄色为得分依据，红框为扣分处）'), chat);

  if (transcript.record) {
    const r = transcript.record;
    const facts = [
      ['时间', r.time], ['客户ID', r.customer], ['产品', r.product], ['型号', r.model],
      ['原因分类', CAUSE[r.cause] ?? r.cause], ['原因详情', r.detail], ['沟通过程', r.process], ['特别情况', r.notes],
    ];
    root.append(
      el('h4', {}, '你的记录'),
      el('dl', { class: 'dlg-facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v || '（空）')])),
    );
  }
  if (timing) root.append(el('p', { class: 'section-lead' }, timing));
  return root;
}
