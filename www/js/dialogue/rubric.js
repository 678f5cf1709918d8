// <rl-teacher-rubric>: a teacher pastes a rubric (same schema as the built-in
// one) to replace the lesson's rubric for grading on this page. The built-in
// rubric can be copied as a starting point. Kept in this browser only.

import { el, errorText } from './dom.js';

export const RUBRIC_KEY = 'review-lab.dialogue.rubric';

/** The teacher's rubric saved in this browser, or null for the built-in one. */
export function savedRubric() {
  try {
    const text = localStorage.getItem(RUBRIC_KEY);
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

export class RlTeacherRubric extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.engine = null;
    this.area = el('textarea', { id: 'rubric-json', rows: '8', spellcheck: 'false', placeholder: '粘贴评分标准 JSON（与内置标准相同的格式）' });
    this.status = el('p', { role: 'status' });
    const load = el('button', { class: 'button button--secondary', type: 'button' }, '填入内置标准');
    const use = el('button', { class: 'button', type: 'button' }, '使用这个标准');
    const reset = el('button', { class: 'button button--secondary', type: 'button' }, '恢复内置标准');
    load.addEventListener('click', () => {
      this.area.value = JSON.stringify(this.engine.dialogueRubric(), null, 2);
    });
    use.addEventListener('click', () => this.use());
    reset.addEventListener('click', () => {
      localStorage.removeItem(RUBRIC_KEY);
      this.show();
    });
    this.append(
      el(
        'details',
        { class: 'dlg-panel' },
        el('summary', {}, '教师：自定义评分标准'),
        el('p', { class: 'section-lead' }, '可以增加关键词、调整分值和等级线。五个步骤的顺序不能变。保存在本机浏览器，只影响本页的评分。'),
        el('label', { class: 'visually-hidden', for: 'rubric-json' }, '评分标准 JSON'),
        this.area,
        el('div', { class: 'dlg-actions' }, load, use, reset),
        this.status,
      ),
    );
  }

  setEngine(engine) {
    this.engine = engine;
    this.show();
  }

  show() {
    const r = savedRubric();
    this.status.className = '';
    this.status.textContent = r ? `正在使用自定义标准：${r.title ?? r.id}` : '正在使用课程内置标准。';
  }

  use() {
    try {
      const checked = this.engine.checkRubric(this.area.value);
      localStorage.setItem(RUBRIC_KEY, JSON.stringify(checked));
      this.show();
    } catch (err) {
      this.status.className = 'dlg-error';
      this.status.textContent = errorText(err);
    }
  }
}
