// <rl-quiz>: the teacher's spot check (效果测评) as a self-contained custom element.
//
//   <script type="module" src="…/js/quiz/element.js"></script>
//   <rl-quiz></rl-quiz>
//
// Teacher mode: enter the class's groups, choose topics, question count and pass
// mark, draw five groups from a shown seed, hand each group its link or code,
// enter the result codes the groups bring back, see the class verdict by the
// lesson's rule; export CSV, print the quizzes and the key, project with a timer.
// Group mode (the page opened with #g=<code>): answer the group's quiz and get a
// short result code for the teacher. No server: the seed fixes everything.
//
// The engine, the stylesheet and nothing else load by URLs relative to this
// module, so course authors can embed the element in any page. Every piece of
// student or teacher text is set with textContent. A group's submission fires
// `rl-quiz-result` (detail: position, score, max, passed, code) for host pages.
import { h, fill, download, errorText } from './dom.js';

const ENGINE_URL = new URL('../../pkg/review_lab.js', import.meta.url);
const STYLE_URL = new URL('../../css/quiz.css', import.meta.url);
const STORE_KEY = 'review-lab:quiz:v1';
const ANSWERS_KEY = 'review-lab:quiz:answers:';
const LETTERS = 'ABCDEF';
const DEFAULTS = { count: 6, pass: 4, minutes: 10 };

let enginePromise = null;
function loadEngine() {
  enginePromise ??= import(ENGINE_URL.href).then(async (m) => {
    await m.default();
    return m;
  });
  return enginePromise;
}

function ensureStyles() {
  const href = STYLE_URL.href;
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

function readStore(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text) : fallback;
  } catch {
    return fallback;
  }
}

function writeStore(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode or full: the page still works, it just does not remember */
  }
}

function groupParams() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  return { code: params.get('g'), name: params.get('n') };
}

function linkFor(code, name) {
  const base = location.href.split('#')[0];
  return `${base}#g=${encodeURIComponent(code)}&n=${encodeURIComponent(name)}`;
}

function formatClock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export class RlQuiz extends HTMLElement {
  constructor() {
    super();
    this.engine = null;
    this.bank = null; // a teacher's own bank (object), or null for the built-in one
    this.state = null;
    this.quiz = null; // group mode: the group's quiz (with its key)
    this.timer = { left: DEFAULTS.minutes * 60, running: false, handle: 0 };
    this.bankOpen = false; // the bank panel stays open across re-renders
    this.onHash = () => this.render();
  }

  async connectedCallback() {
    ensureStyles();
    this.classList.add('rlq');
    fill(this, h('p', { class: 'status', role: 'status', 'data-state': 'loading', text: '正在加载评价引擎…' }));
    try {
      this.engine = await loadEngine();
    } catch (err) {
      console.error('评价引擎加载失败：', err);
      fill(this, h('p', { class: 'status', role: 'status', 'data-state': 'error',
        text: '评价引擎加载失败，请刷新页面重试；如果仍然失败，请改用最新版的 Chrome、Edge 或 Firefox 浏览器。' }));
      return;
    }
    const saved = readStore(STORE_KEY, {});
    this.bank = saved.bank ?? null;
    if (this.bank) {
      try {
        this.bank = this.engine.quizCheckBank(this.bank).bank;
      } catch {
        this.bank = null;
      }
    }
    this.state = {
      groupsText: saved.groupsText ?? '',
      topics: saved.topics ?? null,
      count: saved.count ?? DEFAULTS.count,
      pass: saved.pass ?? DEFAULTS.pass,
      seed: saved.seed ?? this.newSeed(),
      run: saved.run ?? null,
    };
    window.addEventListener('hashchange', this.onHash);
    this.render();
  }

  disconnectedCallback() {
    window.removeEventListener('hashchange', this.onHash);
    clearInterval(this.timer.handle);
  }

  newSeed() {
    const n = crypto.getRandomValues(new Uint32Array(1))[0];
    return this.engine.quizSeedText(n);
  }

  save() {
    const { groupsText, topics, count, pass, seed, run } = this.state;
    writeStore(STORE_KEY, { groupsText, topics, count, pass, seed, run, bank: this.bank });
  }

  bankObject() {
    return this.bank ?? this.engine.quizBank();
  }

  render() {
    const { code, name } = groupParams();
    if (code) this.renderGroup(code, name ?? '');
    else this.renderTeacher();
  }

  // --- Teacher mode -------------------------------------------------------

  renderTeacher() {
    this.removeAttribute('data-mode');
    this.dataset.mode = 'teacher';
    const bank = this.bankObject();
    const st = this.state;
    const chosen = new Set(st.topics ?? bank.topics.map((t) => t.id));

    this.errorBox = h('p', { class: 'rlq-error', role: 'alert', hidden: true });
    this.groupsInput = h('textarea', {
      id: 'rlq-groups', rows: 8, class: 'rlq-groups',
      placeholder: '每行一个小组，例如：\n第1组\n第2组\n……', value: st.groupsText,
      oninput: () => { st.groupsText = this.groupsInput.value; this.save(); },
    });
    const topicBoxes = bank.topics.map((t) => h('label', { class: 'rlq-check' },
      h('input', { type: 'checkbox', name: 'topic', value: t.id, checked: chosen.has(t.id),
        onchange: () => {
          st.topics = topicBoxes.map((l) => l.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
          this.save();
        } }),
      ` ${t.name}`));
    const countInput = h('input', { id: 'rlq-count', type: 'number', min: 1, max: 20, value: st.count,
      oninput: () => { st.count = Number(countInput.value); this.save(); } });
    const passInput = h('input', { id: 'rlq-pass', type: 'number', min: 1, max: 20, value: st.pass,
      oninput: () => { st.pass = Number(passInput.value); this.save(); } });
    const seedInput = h('input', { id: 'rlq-seed', class: 'rlq-code-input', value: st.seed, maxlength: 8,
      autocomplete: 'off', spellcheck: 'false',
      oninput: () => { st.seed = seedInput.value; this.save(); } });

    const setupSection = h('section', { class: 'rlq-panel rlq-screen', 'aria-labelledby': 'rlq-setup-title' },
      h('h2', { id: 'rlq-setup-title', text: '1. 抽查设置' }),
      h('div', { class: 'rlq-setup-grid' },
        h('div', {},
          h('label', { for: 'rlq-groups', class: 'rlq-label', text: '班级小组名单（每行一个，至少 5 组）' }),
          this.groupsInput),
        h('div', {},
          h('fieldset', { class: 'rlq-topics' }, h('legend', { class: 'rlq-label', text: '抽查主题' }), topicBoxes),
          h('div', { class: 'rlq-row' },
            h('label', { class: 'rlq-label' }, '每组题数 ', countInput),
            h('label', { class: 'rlq-label' }, '合格线（答对题数） ', passInput)),
          h('div', { class: 'rlq-row' },
            h('label', { class: 'rlq-label' }, '抽查种子 ', seedInput),
            h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-new-seed', text: '换一个种子',
              onclick: () => { st.seed = this.newSeed(); seedInput.value = st.seed; this.save(); } })),
          h('p', { class: 'rlq-hint', text: '同一个种子、同样的名单和设置，抽到的小组、每组的题目和答案都相同；记下种子即可复现本次抽查。' }))),
      this.errorBox,
      h('button', { type: 'button', class: 'button', id: 'rlq-draw', text: '抽取 5 组并生成测验', onclick: () => this.draw() }));

    this.runSection = h('section', { class: 'rlq-panel rlq-screen', id: 'rlq-run', 'aria-labelledby': 'rlq-run-title' });
    this.printArea = h('div', { class: 'rlq-print', 'aria-hidden': 'true' });
    this.projector = h('div', { class: 'rlq-projector', hidden: true });

    fill(this,
      h('p', { class: 'rlq-rule rlq-screen', id: 'rlq-rule' },
        h('strong', { text: '评定规则：' }), this.engine.quizVerdict(0).rule),
      setupSection,
      this.runSection,
      this.bankSection(),
      this.studentEntry(),
      this.printArea,
      this.projector);
    this.renderRun();
  }

  showError(box, err) {
    box.hidden = false;
    box.dataset.code = err?.code ?? 'error';
    box.textContent = errorText(err);
  }

  draw() {
    const st = this.state;
    this.errorBox.hidden = true;
    const groups = st.groupsText.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
    try {
      const bank = this.bankObject();
      const topics = st.topics ?? bank.topics.map((t) => t.id);
      if (topics.length === 0) throw { code: 'no_topics', message: '请至少选择一个抽查主题。' };
      const made = this.engine.quizSetup(this.bank, st.seed, { topics, count: st.count, pass_mark: st.pass });
      const picks = this.engine.quizDraw(groups, made.seed);
      const names = picks.map((i) => groups[i]);
      const old = st.run;
      const same = old && JSON.stringify([old.setup, old.names]) === JSON.stringify([made.setup, names]);
      // The same draw again keeps the codes already entered; a new one asks first.
      if (!same && old?.outcomes.some(Boolean)
        && !window.confirm('重新抽取会清除本次已录入的结果码（可先导出 CSV 保存），确定重新抽取吗？')) return;
      st.seed = made.seed;
      st.run = {
        seed: made.seed,
        setup: made.setup,
        slots: made.slots,
        names,
        outcomes: same ? old.outcomes : picks.map(() => null),
      };
      this.save();
      this.renderTeacher();
      this.querySelector('#rlq-run')?.scrollIntoView({ block: 'start' });
    } catch (err) {
      // Nothing is lost: the names and settings stay as typed.
      this.showError(this.errorBox, err);
    }
  }

  renderRun() {
    const run = this.state.run;
    const sec = this.runSection;
    if (!run) {
      fill(sec, h('h2', { id: 'rlq-run-title', text: '2. 抽查与评定' }),
        h('p', { class: 'rlq-hint', text: '输入小组名单并点“抽取 5 组”后，这里列出抽到的小组、各组的测验链接和结果。' }));
      this.printArea.replaceChildren();
      return;
    }
    const mix = new Map();
    for (const s of run.slots) {
      const key = `${typeLabel(s.kind)}·${difficultyLabel(s.difficulty)}`;
      mix.set(key, (mix.get(key) ?? 0) + 1);
    }
    const rows = run.names.map((name, p) => this.groupRow(run, name, p));
    const report = this.classReport();
    this.verdictBox = h('div', { class: 'rlq-verdict', id: 'rlq-verdict', 'data-band': report.verdict.band, role: 'status' });
    this.fillVerdict(report);
    fill(sec,
      h('h2', { id: 'rlq-run-title', text: '2. 抽查与评定' }),
      h('p', { class: 'rlq-seedline' }, '种子 ', h('code', { class: 'rlq-seed', text: run.seed }),
        ` · 每组 ${run.setup.count} 题，答对 ${run.setup.pass_mark} 题及以上为合格`),
      h('p', { class: 'rlq-hint', text: `每组题型与难度相同：${[...mix].map(([k, n]) => `${k} ${n} 题`).join('，')}。题目各不相同。` }),
      h('div', { class: 'rlq-table-wrap' },
        h('table', { class: 'rlq-table' },
          h('caption', { class: 'visually-hidden', text: '抽到的 5 个小组' }),
          h('thead', {}, h('tr', {}, ['顺序', '小组', '测验链接与测验码', '结果码', '结果'].map((t) => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, rows))),
      this.verdictBox,
      h('div', { class: 'rlq-actions' },
        h('button', { type: 'button', class: 'button', id: 'rlq-csv', text: '导出 CSV', onclick: () => this.exportCsv() }),
        h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-print-btn', text: '打印试卷和答案', onclick: () => window.print() }),
        h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-projector-btn', text: '投影模式', onclick: () => this.openProjector() })));
    this.renderPrint();
  }

  groupRow(run, name, p) {
    const code = this.engine.quizGroupCode(run.setup, p);
    const outcome = run.outcomes[p];
    const input = h('input', { class: 'rlq-code-input', 'aria-label': `${name} 的结果码`, placeholder: 'XXXXX-XXXXX',
      autocomplete: 'off', spellcheck: 'false', value: outcome?.code ?? '' });
    const err = h('p', { class: 'rlq-error rlq-row-error', role: 'alert', hidden: true });
    const submit = () => {
      err.hidden = true;
      try {
        run.outcomes[p] = this.engine.quizReadResult(run.setup, name, p, input.value);
        this.save();
        this.renderRun();
      } catch (e) {
        this.showError(err, e);
      }
    };
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') submit(); });
    const result = outcome
      ? h('div', { class: 'rlq-outcome', 'data-passed': String(outcome.passed) },
        h('strong', { text: outcome.passed ? '合格' : '不合格' }),
        ` ${outcome.score} / ${outcome.max}`,
        h('span', { class: 'rlq-marks', 'aria-label': '各题对错' },
          outcome.correct.map((c, i) => h('span', { class: c ? 'rlq-mark rlq-mark--ok' : 'rlq-mark rlq-mark--no',
            title: `第 ${i + 1} 题${c ? '答对' : '答错'}`, text: `${i + 1}${c ? '✓' : '✗'}` }))))
      : h('span', { class: 'rlq-hint', text: '等待结果码' });
    return h('tr', { 'data-position': p },
      h('td', { text: String(p + 1) }),
      h('th', { scope: 'row', class: 'rlq-name', text: name }),
      h('td', {}, h('a', { href: linkFor(code.code, name), class: 'rlq-link', target: '_blank', rel: 'noopener', text: '打开测验' }),
        ' ', h('code', { class: 'rlq-group-code', text: code.pretty })),
      h('td', {}, h('div', { class: 'rlq-code-entry' }, input,
        h('button', { type: 'button', class: 'button button--secondary rlq-accept', text: '确认', onclick: submit })), err),
      h('td', {}, result));
  }

  classReport() {
    const run = this.state.run;
    const outcomes = run.outcomes.map((o, p) => o ?? {
      position: p, name: run.names[p], code: '', correct: [], score: 0, max: run.setup.count, passed: false,
    });
    return this.engine.quizClassReport(run.setup, outcomes);
  }

  fillVerdict(report) {
    const done = report.groups.filter((g) => g.code !== '').length;
    let label = report.verdict.label;
    if (done === 0) label = '等待各组结果';
    else if (!report.complete) label = `${label}（暂定，还差 ${5 - done} 组）`;
    this.verdictBox.dataset.band = done === 0 ? 'pending' : report.verdict.band;
    fill(this.verdictBox,
      h('p', { class: 'rlq-verdict-line' }, '班级评定：', h('strong', { class: 'rlq-verdict-label', text: label })),
      h('p', { text: `已收到 ${done} / 5 组结果，合格 ${report.verdict.passed} 组。` }),
      h('p', { class: 'rlq-hint', text: report.verdict.rule }));
  }

  exportCsv() {
    const csv = this.engine.quizCsv(this.classReport());
    download(`抽查结果-${this.state.run.seed}.csv`, csv, 'text/csv;charset=utf-8');
  }

  quizzes() {
    const run = this.state.run;
    return run.names.map((_, p) => this.engine.quizMake(this.bank, run.setup, p));
  }

  renderPrint() {
    const run = this.state.run;
    let quizzes;
    try {
      quizzes = this.quizzes();
    } catch (err) {
      fill(this.printArea, h('p', { text: errorText(err) }));
      return;
    }
    const sheets = quizzes.map((q, p) => h('article', { class: 'rlq-sheet' },
      h('h2', { text: `抽查第 ${p + 1} 组：${run.names[p]}` }),
      h('p', { class: 'rlq-hint', text: `种子 ${run.seed} · 测验码 ${this.engine.quizGroupCode(run.setup, p).pretty} · 共 ${q.items.length} 题，答对 ${q.pass_mark} 题及以上为合格` }),
      h('ol', { class: 'rlq-print-items' }, q.items.map((it) => h('li', {},
        h('p', { class: 'rlq-q-meta', text: `${it.kind_label} · ${it.difficulty_label}` }),
        h('p', { class: 'rlq-q-prompt', text: it.prompt }),
        it.lines.length ? h('ul', { class: 'rlq-lines' }, it.lines.map((l) => h('li', { text: l }))) : null,
        it.input === 'choice' ? h('ol', { class: 'rlq-print-options', type: 'A' }, it.options.map((o) => h('li', { text: o }))) : null,
        it.input === 'order' ? h('ul', { class: 'rlq-print-options' }, it.options.map((o) => h('li', { text: `（  ）${o}` }))) : null,
        it.input === 'number' ? h('p', { text: `答：________ ${it.unit}` }) : null,
        it.input === 'text' ? h('div', { class: 'rlq-print-blank' }) : null)))));
    const key = h('article', { class: 'rlq-sheet rlq-key' },
      h('h2', { text: `答案（种子 ${run.seed}）` }),
      quizzes.map((q, p) => h('section', {},
        h('h3', { text: `第 ${p + 1} 组：${run.names[p]}` }),
        h('ol', {}, q.items.map((it) => h('li', {},
          h('strong', { text: keyText(it) }),
          it.key.explain ? h('span', { class: 'rlq-hint', text: ` —— ${it.key.explain}` }) : null))))));
    fill(this.printArea, sheets, key);
  }

  openProjector() {
    const run = this.state.run;
    const report = this.classReport();
    const clock = h('p', { class: 'rlq-clock', id: 'rlq-clock', role: 'timer', 'aria-live': 'off', text: formatClock(this.timer.left) });
    const minutes = h('input', { type: 'number', min: 1, max: 90, value: Math.ceil(this.timer.left / 60), 'aria-label': '计时分钟数' });
    const tick = () => {
      this.timer.left -= 1;
      clock.textContent = formatClock(this.timer.left);
      if (this.timer.left <= 0) {
        clearInterval(this.timer.handle);
        this.timer.running = false;
        clock.dataset.done = 'true';
        startBtn.textContent = '开始';
      }
    };
    const startBtn = h('button', { type: 'button', class: 'button', id: 'rlq-timer-start', text: this.timer.running ? '暂停' : '开始',
      onclick: () => {
        if (this.timer.running) {
          clearInterval(this.timer.handle);
          this.timer.running = false;
          startBtn.textContent = '继续';
        } else {
          this.timer.running = true;
          this.timer.handle = setInterval(tick, 1000);
          startBtn.textContent = '暂停';
        }
      } });
    const reset = () => {
      clearInterval(this.timer.handle);
      this.timer.running = false;
      this.timer.left = Math.max(1, Number(minutes.value) || DEFAULTS.minutes) * 60;
      clock.textContent = formatClock(this.timer.left);
      delete clock.dataset.done;
      startBtn.textContent = '开始';
    };
    fill(this.projector,
      h('div', { class: 'rlq-projector-head' },
        h('h2', { text: '效果测评 · 小组抽查' }),
        h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-projector-close', text: '退出投影', onclick: () => this.closeProjector() })),
      h('p', { class: 'rlq-projector-seed' }, '种子 ', h('code', { text: run.seed }), ` · 每组 ${run.setup.count} 题 · 答对 ${run.setup.pass_mark} 题合格`),
      h('div', { class: 'rlq-projector-body' },
        h('ol', { class: 'rlq-projector-groups' }, report.groups.map((g, p) => h('li', { 'data-passed': g.code ? String(g.passed) : 'pending' },
          h('span', { class: 'rlq-pg-name', text: run.names[p] }),
          h('span', { class: 'rlq-pg-code', text: this.engine.quizGroupCode(run.setup, p).pretty }),
          h('span', { class: 'rlq-pg-result', text: g.code ? `${g.passed ? '合格' : '不合格'} ${g.score}/${g.max}` : '作答中' })))),
        h('div', { class: 'rlq-timer' }, clock,
          h('div', { class: 'rlq-row' }, startBtn,
            h('button', { type: 'button', class: 'button button--secondary', text: '重置', onclick: reset }),
            h('label', {}, minutes, ' 分钟')),
          h('p', { class: 'rlq-projector-verdict' }, '班级评定：', h('strong', { text: report.complete ? report.verdict.label : '等待结果' })))),
      h('p', { class: 'rlq-projector-rule', text: report.verdict.rule }));
    this.projector.hidden = false;
    this.classList.add('rlq--projecting');
    this.projector.querySelector('#rlq-projector-close').focus();
  }

  closeProjector() {
    this.projector.hidden = true;
    this.classList.remove('rlq--projecting');
    this.querySelector('#rlq-projector-btn')?.focus();
  }

  bankSection() {
    const bank = this.bankObject();
    const err = h('p', { class: 'rlq-error', role: 'alert', hidden: true, id: 'rlq-bank-error' });
    const ok = h('p', { class: 'rlq-ok', role: 'status', hidden: true, id: 'rlq-bank-ok' });
    const counts = new Map();
    for (const q of bank.questions) counts.set(q.type, (counts.get(q.type) ?? 0) + 1);
    const importText = h('textarea', { id: 'rlq-bank-text', rows: 4, placeholder: '把题库 JSON 粘贴到这里，或选择文件导入' });
    const useBank = (value) => {
      err.hidden = true;
      ok.hidden = true;
      try {
        const checked = this.engine.quizCheckBank(value);
        this.bank = checked.bank;
        this.state.run = null;
        this.state.topics = null;
        this.save();
        this.renderTeacher();
        const note = this.querySelector('#rlq-bank-ok');
        note.hidden = false;
        note.textContent = `已导入题库「${checked.bank.title}」，共 ${checked.bank.questions.length} 题。`;
      } catch (e) {
        this.showError(err, e);
      }
    };
    const file = h('input', { type: 'file', accept: '.json,application/json', id: 'rlq-bank-file',
      onchange: async () => { const f = file.files?.[0]; if (f) useBank(await f.text()); file.value = ''; } });

    // A teacher's own multiple-choice question.
    const topic = h('select', { id: 'rlq-new-topic' }, bank.topics.map((t) => h('option', { value: t.id, text: t.name })));
    const level = h('select', { id: 'rlq-new-difficulty' }, [1, 2, 3].map((d) => h('option', { value: d, text: difficultyLabel(d) })));
    const prompt = h('input', { id: 'rlq-new-prompt', class: 'rlq-wide' });
    const options = h('textarea', { id: 'rlq-new-options', rows: 4, placeholder: '每行一个选项，正确的选项放在第一行（出题时会打乱顺序）' });
    const addErr = h('p', { class: 'rlq-error', role: 'alert', hidden: true });
    const add = () => {
      addErr.hidden = true;
      const opts = options.value.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
      const next = structuredClone(bank);
      next.questions.push({ type: 'choice', id: `teacher-${Date.now().toString(36)}`, topic: topic.value,
        difficulty: Number(level.value), prompt: prompt.value.trim(), options: opts, answer: 0 });
      try {
        this.engine.quizCheckBank(next);
      } catch (e) {
        this.showError(addErr, e);
        return;
      }
      useBank(next);
    };
    return h('details', { class: 'rlq-panel rlq-screen', id: 'rlq-bank', open: this.bankOpen,
      ontoggle: (e) => { this.bankOpen = e.currentTarget.open; } },
      h('summary', {}, h('h2', { class: 'rlq-summary-title', text: '题库：导出、导入、添加题目' })),
      h('p', { text: `当前题库「${bank.title}」${this.bank ? '（教师自定义）' : '（课程内置）'}：共 ${bank.questions.length} 题，${[...counts].map(([t, n]) => `${typeLabel(t)} ${n}`).join('，')}。规则计算题由规则引擎按种子生成，答案取自引擎的计算结果。` }),
      h('div', { class: 'rlq-actions' },
        h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-bank-export', text: '导出题库 JSON',
          onclick: () => download(`题库-${bank.id}.json`, JSON.stringify(bank, null, 2), 'application/json') }),
        h('label', { class: 'button button--secondary' }, '从文件导入', h('span', { class: 'visually-hidden', text: '（选择 JSON 文件）' }), file),
        this.bank ? h('button', { type: 'button', class: 'button button--secondary', text: '恢复内置题库',
          onclick: () => { this.bank = null; this.state.run = null; this.state.topics = null; this.save(); this.renderTeacher(); } }) : null),
      h('label', { for: 'rlq-bank-text', class: 'rlq-label', text: '粘贴题库 JSON' }), importText,
      h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-bank-import', text: '检查并导入', onclick: () => useBank(importText.value) }),
      err, ok,
      h('h3', { text: '添加一道选择题' }),
      h('div', { class: 'rlq-row' },
        h('label', { class: 'rlq-label' }, '主题 ', topic),
        h('label', { class: 'rlq-label' }, '难度 ', level)),
      h('label', { class: 'rlq-label', for: 'rlq-new-prompt', text: '题目' }), prompt,
      h('label', { class: 'rlq-label', for: 'rlq-new-options', text: '选项' }), options,
      addErr,
      h('button', { type: 'button', class: 'button button--secondary', id: 'rlq-new-add', text: '添加到题库', onclick: add }),
      h('p', { class: 'rlq-hint', text: '自定义题库保存在本机浏览器中。小组在自己的设备上作答时，需要先导入同一份题库文件。' }));
  }

  studentEntry() {
    const input = h('input', { id: 'rlq-join-code', class: 'rlq-code-input', placeholder: 'XXXXX-XXXXX-XXXXX', autocomplete: 'off', spellcheck: 'false' });
    const err = h('p', { class: 'rlq-error', role: 'alert', hidden: true });
    const go = () => {
      err.hidden = true;
      try {
        this.engine.quizReadGroupCode(input.value);
        location.hash = `g=${encodeURIComponent(input.value.replace(/[\s-]/g, '').toUpperCase())}`;
      } catch (e) {
        this.showError(err, e);
      }
    };
    return h('section', { class: 'rlq-panel rlq-screen', 'aria-labelledby': 'rlq-join-title' },
      h('h2', { id: 'rlq-join-title', text: '小组入口' }),
      h('p', { class: 'rlq-hint', text: '在自己的设备上作答：打开老师给的链接，或在这里输入测验码。' }),
      h('div', { class: 'rlq-code-entry' }, input, h('button', { type: 'button', class: 'button', text: '开始答题', onclick: go })),
      err);
  }

  // --- Group mode -----------------------------------------------------------

  renderGroup(code, name) {
    this.dataset.mode = 'group';
    let read;
    try {
      read = this.engine.quizReadGroupCode(code);
    } catch (err) {
      fill(this, h('section', { class: 'rlq-panel' },
        h('h2', { text: '测验码有误' }),
        h('p', { class: 'rlq-error', role: 'alert', 'data-code': err.code, text: errorText(err) }),
        h('p', {}, h('a', { href: location.href.split('#')[0], text: '返回抽查页面' }))));
      return;
    }
    let quiz;
    let bank = this.bank;
    try {
      try {
        quiz = this.engine.quizMake(bank, read.setup, read.position);
      } catch (err) {
        // A device holding a teacher's bank may open a quiz of the built-in one.
        if (err?.code !== 'bank_mismatch' || !bank) throw err;
        bank = null;
        quiz = this.engine.quizMake(bank, read.setup, read.position);
      }
    } catch (err) {
      const file = h('input', { type: 'file', accept: '.json,application/json',
        onchange: async () => {
          const f = file.files?.[0];
          if (!f) return;
          try {
            this.bank = this.engine.quizCheckBank(await f.text()).bank;
            this.save();
            this.render();
          } catch (e) {
            this.showError(box, e);
          }
        } });
      const box = h('p', { class: 'rlq-error', role: 'alert', 'data-code': err.code, text: errorText(err) });
      fill(this, h('section', { class: 'rlq-panel' }, h('h2', { text: '无法打开测验' }), box,
        err.code === 'bank_mismatch' ? h('label', { class: 'button button--secondary' }, '导入老师的题库文件', file) : null));
      return;
    }
    this.quiz = quiz;
    const store = ANSWERS_KEY + code;
    const saved = readStore(store, {});
    const title = name ? `抽查第 ${read.position + 1} 组：${name}` : `抽查第 ${read.position + 1} 组`;
    const form = h('form', { class: 'rlq-quiz', novalidate: true });
    const resultBox = h('section', { class: 'rlq-result', id: 'rlq-result', hidden: true, 'aria-live': 'polite' });
    const items = quiz.items.map((it, i) => this.itemView(it, i, saved[i], () => writeStore(store, this.collect(form, quiz))));
    fill(form,
      h('ol', { class: 'rlq-items' }, items),
      h('button', { type: 'submit', class: 'button rlq-submit', id: 'rlq-submit', text: '交卷并生成结果码' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const answers = this.collect(form, quiz);
      writeStore(store, answers);
      try {
        const result = this.engine.quizGrade(bank, read.setup, quiz, quiz.items.map((_, k) => answers[k] ?? null));
        this.showResult(resultBox, result, quiz, form);
      } catch (err) {
        fill(resultBox, h('p', { class: 'rlq-error', role: 'alert', text: errorText(err) }));
        resultBox.hidden = false;
      }
    });
    fill(this,
      h('section', { class: 'rlq-panel rlq-group-head' },
        h('h2', { id: 'rlq-group-title', text: title }),
        h('p', { text: `共 ${quiz.items.length} 题，答对 ${quiz.pass_mark} 题及以上为合格。交卷后把结果码报给老师。` }),
        h('p', { class: 'rlq-hint' }, '种子 ', h('code', { text: read.seed }))),
      form,
      resultBox);
  }

  itemView(it, i, saved, onChange) {
    const id = `rlq-q${i}`;
    let answer;
    if (it.input === 'choice') {
      answer = h('fieldset', { class: 'rlq-options' }, h('legend', { class: 'visually-hidden', text: `第 ${it.number} 题的选项` }),
        it.options.map((o, k) => h('label', { class: 'rlq-option' },
          h('input', { type: 'radio', name: id, value: k, checked: saved === k, onchange: onChange }),
          h('span', { class: 'rlq-letter', text: LETTERS[k] }), h('span', { text: o }))));
    } else if (it.input === 'order') {
      const ranks = Array.isArray(saved) ? saved : [];
      answer = h('div', { class: 'rlq-order' },
        h('p', { class: 'rlq-hint', text: '给每一项选一个顺序号（1 表示最先做）。' }),
        it.options.map((o, k) => {
          const rank = ranks.indexOf(k);
          return h('label', { class: 'rlq-order-item' },
            h('select', { 'data-item': k, 'aria-label': `「${o}」的顺序`, onchange: onChange },
              h('option', { value: '', text: '—' }),
              it.options.map((_, r) => h('option', { value: r + 1, text: String(r + 1), selected: rank === r }))),
            h('span', { text: o }));
        }));
    } else if (it.input === 'number') {
      answer = h('label', { class: 'rlq-number' }, '答：',
        h('input', { type: 'text', inputmode: 'decimal', name: id, value: saved ?? '', 'aria-label': `第 ${it.number} 题的答案`, oninput: onChange }),
        ` ${it.unit}`);
    } else {
      answer = h('textarea', { name: id, rows: it.kind === 'essay' ? 5 : 3, 'aria-label': `第 ${it.number} 题的答案`,
        maxlength: 2000, value: saved ?? '', oninput: onChange });
    }
    return h('li', { class: 'rlq-q', id, 'data-kind': it.kind, 'data-input': it.input },
      h('p', { class: 'rlq-q-meta', text: `第 ${it.number} 题 · ${it.kind_label} · ${it.difficulty_label}` }),
      h('p', { class: 'rlq-q-prompt', text: it.prompt }),
      it.lines.length ? h('ul', { class: 'rlq-lines' }, it.lines.map((l) => h('li', { text: l }))) : null,
      answer,
      h('div', { class: 'rlq-feedback', hidden: true }));
  }

  collect(form, quiz) {
    return quiz.items.map((it, i) => {
      const li = form.querySelector(`#rlq-q${i}`);
      if (it.input === 'choice') {
        const c = li.querySelector('input:checked');
        return c ? Number(c.value) : null;
      }
      if (it.input === 'order') {
        const order = [];
        let any = false;
        for (const sel of li.querySelectorAll('select')) {
          if (sel.value === '') continue;
          any = true;
          const r = Number(sel.value) - 1;
          if (order[r] === undefined) order[r] = Number(sel.dataset.item);
          else order.push(-1); // two items share a number: wrong
        }
        if (!any) return null;
        return Array.from({ length: Math.max(order.length, it.options.length) }, (_, r) => order[r] ?? -1);
      }
      const field = li.querySelector('input, textarea');
      return field.value.trim() === '' ? null : field.value;
    });
  }

  showResult(box, result, quiz, form) {
    result.items.forEach((r, i) => {
      const fb = form.querySelector(`#rlq-q${i} .rlq-feedback`);
      fb.hidden = false;
      fb.dataset.correct = String(r.correct);
      fill(fb, h('strong', { text: r.correct ? '✓ 正确' : r.answered ? '✗ 不正确' : '✗ 未作答' }),
        r.answered ? h('ul', {}, r.feedback.map((f) => h('li', { text: f }))) : null);
    });
    fill(box,
      h('h2', { text: result.passed ? '本组合格' : '本组未达到合格线' }),
      h('p', { class: 'rlq-score', text: `答对 ${result.score} / ${result.max} 题（合格线 ${result.pass_mark} 题）` }),
      h('p', {}, '请把结果码报给老师：'),
      h('p', { class: 'rlq-result-code', id: 'rlq-result-code', text: result.pretty }),
      h('p', { class: 'rlq-hint', text: '修改答案后可以重新交卷，结果码会随之变化；以最后报给老师的结果码为准。' }));
    box.hidden = false;
    box.dataset.passed = String(result.passed);
    // Host pages (a course author's page, an LMS wrapper) can listen for the result.
    this.dispatchEvent(new CustomEvent('rl-quiz-result', {
      bubbles: true,
      detail: { position: result.position, score: result.score, max: result.max, passed: result.passed, code: result.code },
    }));
    box.scrollIntoView({ block: 'start' });
  }
}

function typeLabel(t) {
  return { computed: '规则计算', choice: '选择题', cause: '原因分类', order: '排序题', dialogue_step: '对话一步', essay: '简答题' }[t] ?? t;
}

function difficultyLabel(d) {
  return { 1: '基础', 2: '提高', 3: '挑战' }[d] ?? String(d);
}

function keyText(it) {
  if (it.input === 'choice' && it.key.choice !== undefined) return `${LETTERS[it.key.choice]}. ${it.key.text}`;
  if (it.input === 'order') return it.key.text;
  return it.key.text;
}

if (!customElements.get('rl-quiz')) customElements.define('rl-quiz', RlQuiz);
