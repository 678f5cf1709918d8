// <rl-dialogue>: pick a scenario, chat with the simulated buyer, see the shop's
// view of the review and the current step, get live hints (off in exam mode),
// then write the case record and read the report.

import { el, errorText, PERSONA, RATING, CHANNEL, STEPS } from './dom.js';
import { renderReport } from './report.js';
import { savedRubric } from './rubric.js';

const LOG_KEY = 'review-lab.dialogue.caselog';

function stars(n) {
  return '★'.repeat(n) + '☆'.repeat(Math.max(0, 5 - n));
}

export class RlDialogue extends HTMLElement {
  constructor() {
    super();
    this.engine = null;
    this.buyer = null;
    this.scenario = null;
    this.finished = false;
  }

  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.setAttribute('aria-labelledby', 'practice-title');
    this.scenarioSelect = el('select', { id: 'dlg-scenario', disabled: true });
    this.seedInput = el('input', { type: 'number', id: 'dlg-seed', min: '0', max: '999999', value: '1', inputmode: 'numeric' });
    this.examBox = el('input', { type: 'checkbox', id: 'dlg-exam' });
    this.startButton = el('button', { class: 'button', type: 'button', disabled: true }, '开始对话');
    this.startButton.addEventListener('click', () => this.start());
    this.examBox.addEventListener('change', () => {
      this.refreshHints();
      this.renderLiveSteps();
    });

    this.setup = el(
      'div',
      { class: 'dlg-setup' },
      el('label', { for: 'dlg-scenario' }, '情景', this.scenarioSelect),
      el('label', { for: 'dlg-seed' }, '随机种子（同一种子、同样的话，买家回答相同）', this.seedInput),
      el('label', { class: 'dlg-check', for: 'dlg-exam' }, this.examBox, '考试模式（不显示提示）'),
      this.startButton,
    );

    this.reviewPanel = el('section', { class: 'dlg-panel', 'aria-labelledby': 'dlg-review-title' });
    this.stepsList = el('ol', { class: 'dlg-steps', 'aria-label': '五个步骤的进度' });
    this.moodMeter = el('meter', { min: '0', max: '100', low: '35', high: '65', optimum: '100', value: '50' });
    this.moodText = el('span', {}, '—');
    const stepsPanel = el(
      'section',
      { class: 'dlg-panel', 'aria-labelledby': 'dlg-steps-title' },
      el('h3', { id: 'dlg-steps-title' }, '当前步骤'),
      this.stepsList,
      el('p', { class: 'dlg-mood' }, '买家情绪', this.moodMeter, this.moodText),
    );

    this.chat = el('div', { class: 'dlg-chat', role: 'log', 'aria-live': 'polite', 'aria-label': '对话' });
    this.input = el('textarea', { id: 'dlg-input', rows: '3', maxlength: '2000', placeholder: '以客服身份输入回复，Ctrl+Enter 发送', disabled: true });
    this.sendButton = el('button', { class: 'button', type: 'button', disabled: true }, '发送');
    this.endButton = el('button', { class: 'button button--secondary', type: 'button', disabled: true }, '结束对话，填写记录');
    this.sendButton.addEventListener('click', () => this.send());
    this.endButton.addEventListener('click', () => this.showRecordForm());
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.send();
      }
    });
    this.hint = el('p', { class: 'dlg-hint dlg-hidden', role: 'note' });
    this.error = el('p', { class: 'dlg-error', role: 'alert' });
    const chatPanel = el(
      'section',
      { class: 'dlg-panel', 'aria-labelledby': 'dlg-chat-title' },
      el('h3', { id: 'dlg-chat-title' }, '与买家对话'),
      this.chat,
      el(
        'div',
        { class: 'dlg-compose' },
        el('label', { for: 'dlg-input', class: 'visually-hidden' }, '你的回复'),
        this.input,
        el('div', { class: 'dlg-actions' }, this.sendButton, this.endButton),
        this.error,
      ),
      this.hint,
    );
    this.recordPanel = el('section', { class: 'dlg-panel dlg-hidden', 'aria-labelledby': 'dlg-record-title' });
    this.reportPanel = el('div', {});

    this.append(
      el('h2', { id: 'practice-title' }, '对话练习'),
      this.setup,
      el('div', { class: 'dlg-layout' }, el('div', {}, this.reviewPanel, stepsPanel), el('div', {}, chatPanel, this.recordPanel)),
      this.reportPanel,
    );
    this.renderSteps(null);
  }

  /** Called by app.js once the wasm engine is loaded. */
  setEngine(engine) {
    this.engine = engine;
    const list = engine.dialogueScenarios();
    for (const s of list) {
      this.scenarioSelect.append(
        el('option', { value: s.id }, `${s.title}（${RATING[s.rating]} · ${PERSONA[s.persona]}）`),
      );
    }
    const wanted = new URLSearchParams(location.search).get('scenario');
    if (wanted && list.some((s) => s.id === wanted)) this.scenarioSelect.value = wanted;
    this.scenarioSelect.disabled = false;
    this.startButton.disabled = false;
  }

  start() {
    this.error.textContent = '';
    const id = this.scenarioSelect.value;
    const seed = Math.max(0, Math.min(999999, Number.parseInt(this.seedInput.value, 10) || 0));
    try {
      this.scenario = this.engine.dialogueScenario(id);
      this.buyer?.free?.();
      this.buyer = new this.engine.Buyer(id, seed);
    } catch (err) {
      this.error.textContent = errorText(err);
      return;
    }
    this.finished = false;
    this.recorded = false;
    this.reported = false;
    this.chat.replaceChildren();
    this.reportPanel.replaceChildren();
    this.recordPanel.classList.add('dlg-hidden');
    this.renderReview();
    this.addMessage('buyer', this.buyer.opening());
    this.setMood(null);
    this.input.disabled = false;
    this.sendButton.disabled = false;
    this.endButton.disabled = true;
    this.input.value = '';
    this.input.focus();
    this.lastGrade = null;
    this.renderSteps(null);
    this.refreshHints();
  }

  renderReview() {
    const s = this.scenario;
    const facts = [
      ['商品', s.order.product],
      ['型号', s.order.model],
      ['实付', `¥${s.order.price}`],
      ['买家', s.order.customer],
      ['类型', PERSONA[s.persona]],
      ['联系', `${CHANNEL[s.contact.channel] ?? s.contact.channel} · ${s.contact.time} · ${s.contact.buyer_online ? '买家在线' : '买家不在线'}`],
      ['底线', s.bottom_line.max_yuan > 0 ? `现金补偿最多 ¥${s.bottom_line.max_yuan}，可用优惠券、赠品、下次包邮等` : '不能给现金补偿'],
    ];
    this.reviewPanel.replaceChildren(
      el('h3', { id: 'dlg-review-title' }, '店铺后台看到的评价'),
      el('p', {}, el('span', { class: 'dlg-rating', 'data-rating': s.review.rating }, RATING[s.review.rating]), `　${s.review.date}`),
      el('p', { class: 'dlg-review-text' }, s.review.text),
      el(
        'p',
        { class: 'section-lead' },
        `描述相符 ${stars(s.review.dsr.description)}　服务态度 ${stars(s.review.dsr.service)}　物流服务 ${stars(s.review.dsr.logistics)}`,
      ),
      el('dl', { class: 'dlg-facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    );
  }

  addMessage(from, text) {
    const who = from === 'agent' ? '客服（你）' : '买家';
    this.chat.append(el('div', { class: 'dlg-msg', 'data-from': from }, el('small', {}, who), text));
    this.chat.scrollTop = this.chat.scrollHeight;
  }

  setMood(turn) {
    if (!turn) {
      this.moodMeter.value = 50;
      this.moodText.textContent = '—';
      return;
    }
    this.moodMeter.value = turn.mood;
    this.moodText.textContent = turn.mood_label;
  }

  send() {
    if (!this.buyer || this.finished) return;
    const text = this.input.value;
    this.error.textContent = '';
    let turn;
    try {
      turn = this.buyer.respond(text);
    } catch (err) {
      this.error.textContent = errorText(err);
      return;
    }
    this.input.value = '';
    this.addMessage('agent', text);
    this.addMessage('buyer', turn.text);
    this.setMood(turn);
    this.endButton.disabled = false;
    this.grade();
    if (turn.finished) {
      this.finished = true;
      this.input.disabled = true;
      this.sendButton.disabled = true;
      this.addNote('买家结束了对话。请填写记录。');
      this.showRecordForm();
    } else {
      this.input.focus();
    }
  }

  addNote(text) {
    this.chat.append(el('p', { class: 'section-lead' }, text));
    this.chat.scrollTop = this.chat.scrollHeight;
  }

  grade() {
    try {
      this.lastGrade = this.engine.gradeDialogue({ ...this.buyer.transcript(), rubric: savedRubric() });
    } catch (err) {
      this.error.textContent = errorText(err);
      return;
    }
    this.renderLiveSteps();
    this.refreshHints();
  }

  // During the dialogue the step list shows progress, except in exam mode, where
  // ticking steps off would give the grade away; the final report shows it all.
  renderLiveSteps() {
    if (this.reported) return;
    this.renderSteps(this.examBox.checked ? null : this.lastGrade);
  }

  renderSteps(result) {
    const passed = new Map((result?.steps ?? []).map((s) => [s.id, s.passed]));
    const current = STEPS.find(([id]) => !passed.get(id))?.[0];
    this.stepsList.replaceChildren(
      ...STEPS.map(([id, title]) =>
        el('li', { 'data-state': passed.get(id) ? 'done' : id === current && result ? 'current' : 'todo' }, title),
      ),
    );
  }

  refreshHints() {
    const exam = this.examBox.checked;
    const r = this.lastGrade;
    if (exam || !this.buyer) {
      this.hint.classList.add('dlg-hidden');
      return;
    }
    let text;
    if (!r) {
      text = '提示：先真诚地道歉，表达对买家感受的理解，不要急着谈补偿。';
    } else {
      const v = r.violations.at(-1);
      const step = r.steps.find((s) => s.id !== 'record' && !s.passed);
      const missed = step?.criteria.find((c) => !c.met);
      if (v) text = `注意：${v.title}（“${v.evidence}”）— ${v.message}`;
      else if (missed) text = `提示（${step.title}）：${missed.feedback}`;
      else text = '提示：沟通的四个步骤都完成了，可以结束对话并填写记录。';
    }
    this.hint.textContent = text;
    this.hint.classList.remove('dlg-hidden');
  }

  showRecordForm() {
    if (!this.buyer) return;
    // Already open (the buyer ended the dialogue, or the button was pressed
    // before): keep what the student has typed and just go there.
    if (!this.recordPanel.classList.contains('dlg-hidden')) {
      this.recordPanel.querySelector('input, select, textarea')?.focus({ preventScroll: true });
      this.recordPanel.scrollIntoView({ behavior: 'smooth', block: 'start' });
      return;
    }
    const s = this.scenario;
    const field = (name, label, input, wide) =>
      el('label', { class: `dlg-field${wide ? ' dlg-wide' : ''}`, for: `dlg-r-${name}` }, label, input);
    const text = (name, value = '') => el('input', { type: 'text', id: `dlg-r-${name}`, name, value, maxlength: '500' });
    const area = (name) => el('textarea', { id: `dlg-r-${name}`, name, rows: '2', maxlength: '2000' });
    const cause = el(
      'select',
      { id: 'dlg-r-cause', name: 'cause' },
      el('option', { value: '' }, '请选择'),
      el('option', { value: 'product' }, '商品问题（少件破损、色差、气味、线头、质量、正品疑虑）'),
      el('option', { value: 'buyer' }, '买家主观感受（尺码、买贵了、不想要了）'),
      el('option', { value: 'service' }, '服务售后问题（态度、回复慢、退换货、物流）'),
    );
    const submit = el('button', { class: 'button', type: 'submit' }, '提交记录，查看评分报告');
    const form = el(
      'form',
      { class: 'dlg-record' },
      field('time', '时间', text('time', s.contact.time)),
      field('customer', '客户ID', text('customer')),
      field('product', '购买产品', text('product')),
      field('model', '型号', text('model')),
      field('cause', '原因分类', cause, true),
      field('detail', '原因详情', area('detail'), true),
      field('process', '沟通过程', area('process'), true),
      field('notes', '特别情况', area('notes'), true),
      el('div', { class: 'dlg-actions dlg-wide' }, submit),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      // One case, one record: once it is in the case log, submitting again
      // (a second click, Enter in a field) does not file it twice.
      if (this.recorded) return;
      const data = Object.fromEntries(new FormData(form).entries());
      this.finish(data);
      if (this.recorded) {
        submit.disabled = true;
        submit.textContent = '记录已提交';
      }
    });
    this.recordPanel.replaceChildren(el('h3', { id: 'dlg-record-title' }, '⑤ 及时记录'), form);
    this.recordPanel.classList.remove('dlg-hidden');
    // Keyboard and screen-reader users land in the form, not on a disabled box.
    form.elements[0].focus({ preventScroll: true });
    this.recordPanel.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  finish(record) {
    this.finished = true;
    this.input.disabled = true;
    this.sendButton.disabled = true;
    this.endButton.disabled = true;
    const transcript = { ...this.buyer.transcript(), record, rubric: savedRubric() };
    let result;
    let timing = null;
    try {
      result = this.engine.gradeDialogue(transcript);
      const runs = 200;
      const ms = this.engine.benchGradeDialogue(transcript, runs);
      timing = `评分用时：每次约 ${((ms / runs) * 1000).toFixed(0)} 微秒（在本浏览器中连续评分 ${runs} 次的平均值）。`;
    } catch (err) {
      this.error.textContent = errorText(err);
      return;
    }
    const outcome = this.buyer.outcome();
    this.reportPanel.replaceChildren(renderReport({ result, transcript, outcome, timing }));
    this.reported = true;
    this.renderSteps(result);
    try {
      const saved = localStorage.getItem(LOG_KEY);
      const next = this.engine.caseLogAdd(saved ? saved : null, record, this.scenario.id, outcome.revised);
      localStorage.setItem(LOG_KEY, next);
      this.recorded = true;
      document.querySelector('rl-case-log')?.refresh();
    } catch (err) {
      this.reportPanel.append(el('p', { class: 'dlg-error' }, `记录没有存入“我的记录”：${errorText(err)}`));
    }
    this.reportPanel.querySelector('h3')?.focus({ preventScroll: true });
    this.reportPanel.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }
}

export { LOG_KEY };
