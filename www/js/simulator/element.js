// <rl-simulator>: the review simulator as a self-contained custom element.
//
//   <script type="module" src="…/js/simulator/element.js"></script>
//   <rl-simulator></rl-simulator>
//
// It loads the engine, its stylesheet and the preset scenarios by URLs resolved
// relative to this module, so a course author can embed it in any page. All
// class names start with `rls-`; student text is only ever set as textContent.
import { loadEngine } from '../engine.js';
import {
  DAY,
  MINUTE,
  addMonth,
  fill,
  formatTime,
  h,
  parseTime,
  showDelta,
  showInt,
  showMean,
  showRate,
  showTime,
} from './dom.js';
import { TIER_NAMES, levelIcons, levelText, lineChart } from './draw.js';
import { ruleAnchor, rulesFor, rulesSection } from './rules.js';
import { moduleWorker } from './spawn.js';

const STYLE_URL = new URL('../../css/simulator.css', import.meta.url);
const DATA_URL = new URL('../../data/simulator/', import.meta.url);
const WORKER_URL = new URL('./bigshop.worker.js', import.meta.url);
const STORE_KEY = 'review-lab:simulator:v1';
const FIRST_TIME = '2026-03-01T09:00';
const DEFAULT_SELLER = '我的小店';
const BIG_SHOP_ID = 'shop0';
const RULE_NAMES = { taobao: '淘宝', tmall: '天猫' };
const RATING_NAMES = { good: '好评', neutral: '中评', bad: '差评' };
const WINDOWS = [
  ['week', '最近1周'],
  ['month', '最近1个月'],
  ['half_year', '最近6个月'],
  ['older', '6个月前'],
  ['total', '总计'],
];
const DSR_COLORS = ['#0b57a4', '#c2410c', '#176639', '#7c3aed'];
const MAX_FEED = 200;
const MAX_BUYERS = 30;

// A finished big-shop worker is kept this long for the next run: its wasm memory
// (about 400 MiB) is then already in place, where a fresh worker's first
// touch of that much new memory took 0.2-0.35 s (Chromium). Idle past this, it is ended
// and the memory returned. One is kept per page, whichever simulator ran last:
// a worker keeps nothing from one run to the next but its memory.
const IDLE_WORKER_MS = 120_000;
// While the pointer rests on (or the keyboard focuses) the start button, or
// the student sets the run's seed or size, a fresh worker loads the module and
// makes the run's memory ready, so that the click finds it in place. Unused,
// it is ended after this.
const WARM_WORKER_MS = 60_000;
const LOW_DEVICE_MEMORY_GIB = 4;
// The kept worker; `warmFor`: the orders a day it was readied for, when no run
// has used it yet (null once one has: it then holds that run's memory).
const idle = { worker: null, timer: 0, owner: null, warmFor: null };

/** A new big-shop worker, or null where this page may not start one. */
function newWorker() {
  try {
    return moduleWorker(WORKER_URL);
  } catch {
    return null;
  }
}

/** The kept worker of the last finished run on this page, if any (no longer kept). */
function takeIdleWorker() {
  const { worker } = idle;
  clearTimeout(idle.timer);
  Object.assign(idle, { worker: null, owner: null, warmFor: null });
  return worker;
}

/**
 * Keeps `worker` (of the simulator `owner`) for the next run, in place of any
 * kept before, for `ms`; `warmFor` as in `idle`. Kept again, it starts a fresh wait.
 */
function keepIdleWorker(worker, owner, { ms = IDLE_WORKER_MS, warmFor = null } = {}) {
  const before = takeIdleWorker();
  if (before !== worker) before?.terminate();
  Object.assign(idle, { worker, owner, warmFor });
  idle.timer = setTimeout(() => takeIdleWorker()?.terminate(), ms);
}

/**
 * Readies a worker for a run of `ordersPerDay` (undefined: the lesson's size),
 * unless one is kept already; a worker readied for a smaller run is readied
 * again for this one.
 */
function warmIdleWorker(owner, ordersPerDay) {
  // A device that says it has little memory (Chromium's navigator.deviceMemory,
  // in GiB) is not asked to hold the run's memory on a mere sign of a run.
  if (navigator.deviceMemory < LOW_DEVICE_MEMORY_GIB) return;
  const size = ordersPerDay ?? Infinity;
  if (idle.worker && (idle.warmFor === null || idle.warmFor >= size)) return;
  let worker = idle.worker;
  if (!worker) {
    worker = newWorker();
    if (!worker) return; // the click will say why
    // A worker that cannot load or warm is not kept: the run then starts its own.
    const drop = () => {
      if (idle.worker === worker) takeIdleWorker();
      worker.terminate();
    };
    worker.onerror = drop;
    worker.onmessage = ({ data }) => {
      if (data?.type === 'warmed' && data.error) drop();
    };
  }
  keepIdleWorker(worker, owner, { ms: WARM_WORKER_MS, warmFor: size });
  worker.postMessage({ type: 'warm', ordersPerDay });
}

let nextId = 0;

function ensureStyles() {
  const href = STYLE_URL.href;
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** Checks a saved or imported session; returns {rules, as_of, events, seller} or throws a Chinese message. */
export function checkSession(data, engine) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error('文件内容不是一个评价记录对象。');
  }
  if (!Array.isArray(data.events)) {
    throw new Error('文件里没有事件列表（events），不是评价模拟器导出的记录。');
  }
  const rules = data.rules ?? 'taobao';
  if (!(rules in RULE_NAMES)) throw new Error(`规则集「${String(rules)}」不认识，只能是 taobao（淘宝）或 tmall（天猫）。`);
  if (data.as_of !== undefined && data.as_of !== null && Number.isNaN(parseTime(data.as_of))) {
    throw new Error('时钟时间（as_of）的格式应为 YYYY-MM-DDTHH:MM。');
  }
  if (data.events.length > 20_000) throw new Error('事件太多（超过 20000 个），模拟器无法导入。');
  try {
    engine.replay({ rules, as_of: data.as_of ?? undefined, events: data.events });
  } catch (err) {
    throw new Error(`记录中有无法识别的内容：${err.message}`);
  }
  const seller = typeof data.seller === 'string' ? data.seller : null;
  return { rules, as_of: data.as_of ?? null, events: data.events, seller };
}

class RlSimulator extends HTMLElement {
  connectedCallback() {
    if (this.started) return;
    this.started = true;
    this.uid = `rls${nextId++}`;
    ensureStyles();
    this.classList.add('rls');
    this.rules = 'taobao';
    this.events = [];
    this.asOf = null;
    this.feed = [];
    this.samples = [];
    this.seller = null;
    this.preset = null;
    this.view = 'sim';
    this.big = null;
    this.statusEl = h('p', { class: 'rls-status', role: 'status', 'data-state': 'loading' }, '正在加载评价引擎…');
    this.append(this.statusEl);
    this.start();
  }

  disconnectedCallback() {
    this.worker?.terminate();
    this.worker = null;
    if (idle.owner === this) takeIdleWorker()?.terminate();
  }

  async start() {
    try {
      // The rules-only build: the simulator needs neither the dialogue grader nor quizzes.
      this.engine = await loadEngine('credit');
    } catch (err) {
      this.statusEl.dataset.state = 'error';
      this.statusEl.textContent = '评价引擎加载失败，请刷新页面重试；如果仍然失败，请改用最新版的 Chrome、Edge 或 Firefox 浏览器。';
      console.error('评价引擎加载失败：', err);
      return;
    }
    this.ruleSets = { taobao: this.engine.ruleSet('taobao'), tmall: this.engine.ruleSet('tmall') };
    this.ruleText = rulesFor(this.ruleSets.taobao, this.ruleSets.tmall);
    this.build();
    this.statusEl.dataset.state = 'ready';
    this.statusEl.textContent = `引擎已就绪 v${this.engine.version()}`;
    this.restore();
    this.loadPresets();
  }

  // --- The page's skeleton -------------------------------------------------

  build() {
    const id = (name) => `${this.uid}-${name}`;
    this.ids = id;

    // Start: presets, empty shop, rules, keep/export/import.
    this.presetSelect = h('select', { id: id('preset'), 'data-control': 'preset' }, h('option', { value: '' }, '正在读取案例…'));
    this.presetInfo = h('div', { class: 'rls-preset-info', 'data-part': 'preset-info' });
    this.ruleRadios = Object.entries(RULE_NAMES).map(([value, label]) =>
      h('label', { class: 'rls-radio' },
        h('input', { type: 'radio', name: id('rules'), value, 'data-control': `rules-${value}`, onchange: () => this.switchRules(value) }),
        label),
    );
    this.importInput = h('input', { type: 'file', id: id('import'), accept: '.json,application/json', class: 'rls-file', 'data-control': 'import', onchange: (e) => this.importFile(e) });
    this.sessionMsg = h('p', { class: 'rls-msg', role: 'status', 'data-part': 'session-msg' });
    const start = h('section', { class: 'rls-panel rls-start', 'aria-labelledby': id('start-t') },
      h('h2', { id: id('start-t') }, '开始'),
      h('div', { class: 'rls-row' },
        h('label', { for: id('preset') }, '案例'),
        this.presetSelect,
        h('button', { type: 'button', class: 'rls-btn', 'data-action': 'load-preset', onclick: () => this.loadPreset(this.presetSelect.value) }, '载入案例'),
        h('button', { type: 'button', class: 'rls-btn rls-btn--secondary', 'data-action': 'empty', onclick: () => this.emptyShop() }, '空白店铺'),
      ),
      h('fieldset', { class: 'rls-row rls-ruleset' }, h('legend', {}, '平台规则'), this.ruleRadios),
      this.presetInfo,
      h('div', { class: 'rls-row' },
        h('button', { type: 'button', class: 'rls-btn rls-btn--secondary', 'data-action': 'export', onclick: () => this.exportFile() }, '导出记录（JSON）'),
        h('label', { for: id('import'), class: 'rls-btn rls-btn--secondary rls-file-label' }, '导入记录…'),
        this.importInput,
      ),
      this.sessionMsg,
    );

    // The shop: credit, level, positive rate, tallies, DSR.
    this.viewSwitch = h('div', { class: 'rls-row rls-view-switch', hidden: true, 'data-part': 'view-switch' },
      h('span', {}, '查看：'),
      h('button', { type: 'button', class: 'rls-btn rls-btn--small', 'data-action': 'view-sim', 'aria-pressed': 'true', onclick: () => this.setView('sim') }, '我的模拟'),
      h('button', { type: 'button', class: 'rls-btn rls-btn--small', 'data-action': 'view-big', 'aria-pressed': 'false', onclick: () => this.setView('big') }, '大店半年'),
    );
    this.sellerSelect = h('select', { id: id('seller'), 'data-control': 'seller', onchange: () => { this.seller = this.sellerSelect.value; this.save(); this.render(); } });
    this.shopBody = h('div', { class: 'rls-shop-body', 'data-part': 'shop' });
    this.clockEl = h('p', { class: 'rls-clock', 'data-part': 'clock' });
    const shop = h('section', { class: 'rls-panel rls-shop', id: id('shop'), tabindex: '-1', 'aria-labelledby': id('shop-t') },
      h('h2', { id: id('shop-t') }, '店铺信用'),
      this.viewSwitch,
      this.clockEl,
      h('div', { class: 'rls-row rls-seller-row' }, h('label', { for: id('seller') }, '查看卖家'), this.sellerSelect),
      this.shopBody,
    );

    // Actions.
    this.actionMsg = h('p', { class: 'rls-msg', role: 'status', 'aria-live': 'polite', 'data-part': 'action-msg' });
    this.actions = h('section', { class: 'rls-panel rls-actions', 'aria-labelledby': id('act-t') },
      h('h2', { id: id('act-t') }, '操作'),
      this.actionMsg,
      this.buildOrderForm(id),
      this.buildOrderActions(id),
      this.buildClock(id),
    );

    this.feedEl = h('ol', { class: 'rls-feed', 'data-part': 'feed', reversed: true });
    this.feedNote = h('p', { class: 'rls-muted' });
    const feed = h('section', { class: 'rls-panel rls-feed-panel', 'aria-labelledby': id('feed-t') },
      h('h2', { id: id('feed-t') }, '变化记录'),
      this.feedNote,
      this.feedEl,
    );

    this.buyersEl = h('div', { 'data-part': 'buyers' });
    const buyers = h('section', { class: 'rls-panel rls-buyers', 'aria-labelledby': id('buyers-t') },
      h('h2', { id: id('buyers-t') }, '买家信用'), this.buyersEl);

    this.chartsEl = h('div', { class: 'rls-charts', 'data-part': 'charts' });
    const charts = h('section', { class: 'rls-panel rls-charts-panel', 'aria-labelledby': id('charts-t') },
      h('h2', { id: id('charts-t') }, '走势'), this.chartsEl);

    this.compareEl = h('div', { 'data-part': 'compare' });
    this.comparePanel = h('section', { class: 'rls-panel rls-compare', 'aria-labelledby': id('cmp-t') },
      h('h2', { id: id('cmp-t') }, '同一段记录：淘宝与天猫规则对比'),
      h('p', { class: 'rls-muted' }, '把当前的全部操作分别按淘宝规则和天猫规则重算一遍。天猫没有默认好评、卖家不能手动评价买家、不能修改评价，买家评价后卖家自动给买家好评；店铺评分只有三项（带「卖家发货速度」的评分在天猫规则下会被拒绝）。'),
      this.compareEl);

    const big = this.buildBigShop(id);

    const rules = rulesSection(id('rules-t'), this.ruleText);

    this.layout = h('div', { class: 'rls-layout' },
      h('div', { class: 'rls-col' }, start, shop, charts, buyers),
      h('div', { class: 'rls-col' }, this.actions, feed),
      // On narrow screens the columns dissolve and CSS orders the panels:
      // start, shop, actions, feed, charts, buyers.
    );
    this.append(this.layout, this.comparePanel, big, rules);
  }

  buildOrderForm(id) {
    this.orderSeller = h('input', { id: id('o-seller'), value: DEFAULT_SELLER, autocomplete: 'off', maxlength: 40, 'data-control': 'order-seller' });
    this.orderBuyer = h('input', { id: id('o-buyer'), value: '小王', autocomplete: 'off', maxlength: 40, 'data-control': 'order-buyer' });
    this.orderItem = h('input', { id: id('o-item'), value: '保温杯', autocomplete: 'off', maxlength: 40, 'data-control': 'order-item' });
    this.orderPrice = h('input', { id: id('o-price'), type: 'number', min: 0, step: '0.01', value: '59', inputmode: 'decimal', 'data-control': 'order-price' });
    const form = h('form', { class: 'rls-form', 'data-form': 'order', onsubmit: (e) => { e.preventDefault(); this.addOrder(); } },
      h('fieldset', {},
        h('legend', {}, '新订单（交易成功）'),
        h('div', { class: 'rls-fields' },
          h('label', { for: id('o-seller') }, '卖家（店铺）'), this.orderSeller,
          h('label', { for: id('o-buyer') }, '买家'), this.orderBuyer,
          h('label', { for: id('o-item') }, '商品'), this.orderItem,
          h('label', { for: id('o-price') }, '价格（元）'), this.orderPrice,
        ),
        h('button', { type: 'submit', class: 'rls-btn', 'data-action': 'add-order' }, '成交一笔订单'),
      ),
    );
    return form;
  }

  buildOrderActions(id) {
    const sel = (name, options, extra = {}) =>
      h('select', { id: id(name), 'data-control': name, ...extra }, options.map(([v, l]) => h('option', { value: v }, l)));
    this.orderSelect = h('select', { id: id('order'), 'data-control': 'order' });
    this.buyerRating = sel('buyer-rating', Object.entries(RATING_NAMES));
    this.buyerText = h('input', { id: id('buyer-text'), maxlength: 200, autocomplete: 'off', placeholder: '选填', 'data-control': 'buyer-text' });
    this.sellerRating = sel('seller-rating', Object.entries(RATING_NAMES));
    this.dsrFields = h('div', { class: 'rls-fields rls-dsr-fields' });
    this.reviseFrom = sel('revise-from', [['buyer', '买家'], ['seller', '卖家']]);
    this.reviseTo = sel('revise-to', [['good', '改成好评'], ['deleted', '删除评价']]);
    this.followText = h('input', { id: id('follow-text'), maxlength: 200, autocomplete: 'off', placeholder: '选填', 'data-control': 'follow-text' });
    this.replyFrom = sel('reply-from', [['seller', '卖家'], ['buyer', '买家']]);
    this.replyTo = sel('reply-to', [['review', '评价'], ['follow_up', '追评']]);
    this.replyText = h('input', { id: id('reply-text'), maxlength: 200, autocomplete: 'off', placeholder: '选填', 'data-control': 'reply-text' });
    const btn = (action, label, fn) => h('button', { type: 'button', class: 'rls-btn rls-btn--small', 'data-action': action, onclick: fn }, label);
    const group = (title, ...kids) => h('div', { class: 'rls-group', role: 'group', 'aria-label': title }, h('h3', {}, title), ...kids);
    return h('fieldset', { class: 'rls-order-actions' },
      h('legend', {}, '对一笔订单操作'),
      h('div', { class: 'rls-fields' }, h('label', { for: id('order') }, '订单'), this.orderSelect),
      group('买家评价卖家',
        h('div', { class: 'rls-fields' },
          h('label', { for: id('buyer-rating') }, '评价'), this.buyerRating,
          h('label', { for: id('buyer-text') }, '评价内容'), this.buyerText),
        btn('buyer-review', '提交买家评价', () => this.review('buyer'))),
      group('卖家评价买家',
        h('div', { class: 'rls-fields' }, h('label', { for: id('seller-rating') }, '评价'), this.sellerRating),
        btn('seller-review', '提交卖家评价', () => this.review('seller'))),
      group('买家给店铺评分（DSR）', this.dsrFields, btn('dsr', '提交店铺评分', () => this.rateShop())),
      group('修改或删除中/差评',
        h('div', { class: 'rls-fields' },
          h('label', { for: id('revise-from') }, '谁的评价'), this.reviseFrom,
          h('label', { for: id('revise-to') }, '改为'), this.reviseTo),
        btn('revise', '修改评价', () => this.revise())),
      group('买家追评',
        h('div', { class: 'rls-fields' }, h('label', { for: id('follow-text') }, '追评内容'), this.followText),
        btn('follow-up', '提交追评', () => this.followUp())),
      group('解释（回复）',
        h('div', { class: 'rls-fields' },
          h('label', { for: id('reply-from') }, '谁来解释'), this.replyFrom,
          h('label', { for: id('reply-to') }, '解释的对象'), this.replyTo,
          h('label', { for: id('reply-text') }, '解释内容'), this.replyText),
        btn('reply', '提交解释', () => this.reply())),
    );
  }

  buildClock(id) {
    this.dateInput = h('input', { type: 'date', id: id('date'), 'data-control': 'date' });
    const btn = (action, label, fn) => h('button', { type: 'button', class: 'rls-btn rls-btn--small', 'data-action': action, onclick: fn }, label);
    const windowDays = this.ruleSets.taobao.review_window_days;
    return h('fieldset', { class: 'rls-clock-controls' },
      h('legend', {}, '拨动时钟'),
      h('p', { class: 'rls-muted' }, '时间往前走，评价期结束时会出现默认好评，半年前的评分会退出统计。'),
      h('div', { class: 'rls-row' },
        btn('day', '+1 天', () => this.advanceBy((t) => t + DAY)),
        // The review window's length, from the rule set (both platforms share it).
        btn('15days', `+${windowDays} 天`, () => this.advanceBy((t) => t + windowDays * DAY)),
        btn('month', '+1 个月', () => this.advanceBy(addMonth)),
      ),
      h('div', { class: 'rls-row' },
        h('label', { for: id('date') }, '拨到这一天结束'), this.dateInput,
        btn('to-date', '拨到该日', () => this.advanceToDate())),
    );
  }

  buildBigShop(id) {
    this.bigSeed = h('input', { id: id('seed'), type: 'number', value: '2026', min: 0, step: 1, 'data-control': 'seed' });
    this.bigScale = h('select', { id: id('scale'), 'data-control': 'scale' },
      h('option', { value: '' }, '课程原样：每天 8000–10000 单，共 181 天'),
      h('option', { value: '500' }, '演示：每天约 500 单'));
    // Signs that a run is coming: a worker is readied for it (warmBigShop).
    const warm = () => this.warmBigShop();
    this.bigSeed.addEventListener('focus', warm);
    this.bigScale.addEventListener('change', warm);
    this.bigStart = h('button', { type: 'button', class: 'rls-btn', 'data-action': 'big-start', onclick: () => this.startBigShop(), onpointerenter: warm, onfocus: warm, onpointerdown: warm }, '开始计算');
    this.bigCancel = h('button', { type: 'button', class: 'rls-btn rls-btn--secondary', 'data-action': 'big-cancel', disabled: true, onclick: () => this.cancelBigShop() }, '取消');
    this.bigProgress = h('progress', { max: 181, value: 0, id: id('big-progress'), 'data-part': 'big-progress' });
    this.bigText = h('p', { class: 'rls-msg', role: 'status', 'data-part': 'big-status' }, '尚未开始。');
    this.bigLink = h('p', { hidden: true }, h('a', { href: `#${id('shop')}`, 'data-action': 'big-result' }, '查看大店的信用、走势和变化记录'));
    return h('section', { class: 'rls-panel rls-big', 'aria-labelledby': id('big-t') },
      h('h2', { id: id('big-t') }, '大店半年：每天八千到一万个包裹'),
      h('p', {}, '课程里的大店每天发出 8000–10000 个包裹，靠 5 人的售后团队把好评率保持在 99.75% 以上。这里用随机数模拟这样一家店半年的全部订单和评价（约 160 万笔订单、500 万个事件），在后台计算，页面照常可用；算完后在上面的「店铺信用」「走势」「变化记录」里查看结果。'),
      h('div', { class: 'rls-fields' },
        h('label', { for: id('seed') }, '随机种子'), this.bigSeed,
        h('label', { for: id('scale') }, '规模'), this.bigScale),
      h('div', { class: 'rls-row' }, this.bigStart, this.bigCancel),
      h('label', { for: id('big-progress'), class: 'rls-muted' }, '进度'),
      this.bigProgress,
      this.bigText,
      this.bigLink,
    );
  }

  // --- Presets ---------------------------------------------------------------

  async loadPresets() {
    try {
      const res = await fetch(new URL('index.json', DATA_URL));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.presetList = (await res.json()).presets;
      fill(this.presetSelect, this.presetList.map((p, i) => h('option', { value: p.id }, `${i + 1}. ${p.title}`)));
      if (this.preset) {
        this.presetSelect.value = this.preset.id;
        if (!this.preset.title) this.preset = await this.fetchPreset(this.preset.id);
        this.renderPresetInfo();
      }
    } catch (err) {
      fill(this.presetSelect, h('option', { value: '' }, '案例读取失败'));
      this.sessionMsg.textContent = '案例文件读取失败，可以从空白店铺开始练习。';
      console.warn('presets', err);
    }
  }

  /** One preset file, fetched when first needed. */
  async fetchPreset(pid) {
    this.presetCache ??= new Map();
    if (!this.presetCache.has(pid)) {
      this.presetCache.set(pid, fetch(new URL(`presets/${encodeURIComponent(pid)}.json`, DATA_URL)).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json();
      }));
    }
    try {
      return await this.presetCache.get(pid);
    } catch (err) {
      this.presetCache.delete(pid);
      throw err;
    }
  }

  async loadPreset(pid) {
    if (!this.presetList?.some((x) => x.id === pid)) return;
    let p;
    try {
      p = await this.fetchPreset(pid);
    } catch (err) {
      this.sessionMsg.textContent = '这个案例读取失败，请检查网络后重试。';
      console.warn('preset', err);
      return;
    }
    this.preset = p;
    this.view = 'sim';
    this.rebuild(p.log.rules ?? 'taobao', p.log.events, p.log.as_of ?? null, p.seller);
    this.save();
    this.render();
    this.sessionMsg.textContent = `已载入案例：${p.title}`;
  }

  emptyShop() {
    this.preset = null;
    this.view = 'sim';
    this.rebuild(this.rules, [], null, null);
    this.save();
    this.render();
    this.sessionMsg.textContent = '已清空，现在是一家空白店铺。';
  }

  // --- The world: a CreditSim driven by the log -----------------------------

  /** Replays `events` into a fresh simulator, sampling the charts day by day. */
  rebuild(rules, events, asOf, seller) {
    this.sim?.free();
    this.rules = rules;
    this.sim = new this.engine.CreditSim(rules);
    this.events = [];
    this.feed = [];
    this.samples = [];
    this.seller = seller;
    for (const event of events) {
      const at = parseTime(event.at);
      if (!Number.isNaN(at)) this.stepDays(at, false);
      let result;
      try {
        result = this.sim.apply(event);
      } catch (err) {
        // checkSession() replays the log first, so this does not happen for saved or imported logs.
        console.warn('skipped event', err);
        continue;
      }
      this.events.push(event);
      this.record(result, this.events.length - 1);
      this.sample();
    }
    if (asOf) this.advance(parseTime(asOf));
    this.asOf = this.sim.clock();
  }

  /** Advances day by day while a whole day fits before `limit` (inclusive when `inclusive`). */
  stepDays(limit, inclusive) {
    let clock = parseTime(this.sim.clock());
    if (Number.isNaN(clock)) return;
    while (inclusive ? clock + DAY <= limit : clock + DAY < limit) {
      clock += DAY;
      this.record(this.sim.advanceTo(formatTime(clock)), null);
      this.sample();
    }
  }

  advance(target) {
    const clock = parseTime(this.sim.clock());
    if (!Number.isNaN(clock)) {
      if (target < clock) throw Object.assign(new Error('时钟只能往后拨，不能回到过去。'), { code: 'clock_backwards' });
      this.stepDays(target, false);
    }
    this.record(this.sim.advanceTo(formatTime(target)), null);
    this.sample();
    this.asOf = this.sim.clock();
  }

  record(result, eventIndex) {
    for (const c of result.changes) this.feed.push({ type: 'change', ...c });
    if (result.rejected) {
      this.feed.push({
        type: 'rejected',
        ...result.rejected,
        kind: this.events[eventIndex]?.kind,
        order: this.events[eventIndex]?.order ?? this.events[eventIndex]?.id,
        at: this.events[eventIndex]?.at,
      });
    }
  }

  sellerIds() {
    const ids = [];
    for (const e of this.events) if (e.kind === 'order' && typeof e.seller === 'string' && !ids.includes(e.seller)) ids.push(e.seller);
    return ids;
  }

  sample() {
    const t = parseTime(this.sim.clock());
    if (Number.isNaN(t)) return;
    const sellers = {};
    for (const id of this.sellerIds()) {
      const sum = this.sim.summary(id, 'seller');
      if (!sum) continue;
      const dsr = {};
      for (const [dim, v] of Object.entries(sum.dsr)) dsr[dim] = v.mean;
      sellers[id] = { credit: sum.credit, rate: sum.positive_rate, dsr };
    }
    const last = this.samples.at(-1);
    if (last && last.t === t) last.sellers = sellers;
    else this.samples.push({ t, sellers });
  }

  /** The time for the next action: one minute after the clock. */
  nextStamp() {
    const clock = parseTime(this.sim.clock());
    return Number.isNaN(clock) ? FIRST_TIME : formatTime(clock + MINUTE);
  }

  /** Applies one student action; a malformed one changes nothing. */
  act(event, done) {
    if (this.view !== 'sim') this.setView('sim');
    event.at = this.nextStamp();
    let result;
    try {
      result = this.sim.apply(event);
    } catch (err) {
      this.say(`没有执行：${err.message}`, 'error');
      return;
    }
    this.events.push(event);
    this.record(result, this.events.length - 1);
    this.sample();
    this.asOf = this.sim.clock();
    this.save();
    this.render();
    if (result.rejected) this.say(`没有被接受：${result.rejected.message}（什么也没有改变）`, 'error');
    else {
      const parts = result.changes.map((c) => c.message);
      this.say(parts.length ? parts.join(' ') : done, 'ok');
    }
  }

  say(text, state) {
    this.actionMsg.dataset.state = state;
    this.actionMsg.textContent = text;
  }

  addOrder() {
    const seller = this.orderSeller.value.trim();
    const buyer = this.orderBuyer.value.trim();
    const item = this.orderItem.value.trim();
    const price = Number(this.orderPrice.value);
    if (!seller || !buyer || !item) return this.say('请填写卖家、买家和商品。', 'error');
    if (this.orderPrice.value.trim() === '' || !Number.isFinite(price) || price < 0) {
      return this.say('价格要填一个不小于 0 的数，例如 59 或 0.5。', 'error');
    }
    const used = new Set(this.events.filter((e) => e.kind === 'order').map((e) => e.id));
    let n = used.size + 1;
    while (used.has(`o${n}`)) n++;
    const id = `o${n}`;
    const at = this.nextStamp();
    if (!this.seller) this.seller = seller;
    this.act({ kind: 'order', id, buyer, seller, item, price, created: at, at }, `订单 ${id} 已成交：${buyer} 买了 ${item}（${price} 元），评价期 ${this.ruleSets[this.rules].review_window_days} 天从现在开始。`);
    this.orderSelect.value = id;
  }

  currentOrder() {
    const id = this.orderSelect.value;
    if (!id) this.say('还没有订单：先成交一笔订单。', 'error');
    return id || null;
  }

  review(from) {
    const order = this.currentOrder();
    if (!order) return;
    const rating = (from === 'buyer' ? this.buyerRating : this.sellerRating).value;
    const event = { kind: 'review', order, from, rating };
    const text = from === 'buyer' ? this.buyerText.value.trim() : '';
    if (text) event.text = text;
    this.act(event, `已提交${RATING_NAMES[rating]}。`);
  }

  rateShop() {
    const order = this.currentOrder();
    if (!order) return;
    const event = { kind: 'dsr', order };
    for (const sel of this.dsrFields.querySelectorAll('select')) {
      if (sel.value) event[sel.dataset.dim] = Number(sel.value);
    }
    this.act(event, '店铺评分已提交：评分不计信用分，只影响店铺评分。');
  }

  revise() {
    const order = this.currentOrder();
    if (!order) return;
    this.act({ kind: 'revise', order, from: this.reviseFrom.value, to: this.reviseTo.value }, '评价已修改。');
  }

  followUp() {
    const order = this.currentOrder();
    if (!order) return;
    const event = { kind: 'follow_up', order };
    const text = this.followText.value.trim();
    if (text) event.text = text;
    this.act(event, '追评已提交：追评不影响信用积分。');
  }

  reply() {
    const order = this.currentOrder();
    if (!order) return;
    const event = { kind: 'reply', order, from: this.replyFrom.value, to: this.replyTo.value };
    const text = this.replyText.value.trim();
    if (text) event.text = text;
    this.act(event, '解释已提交：解释不影响信用积分，但之后的买家都能看到。');
  }

  advanceBy(next) {
    const clock = parseTime(this.sim.clock());
    this.moveClock(next(Number.isNaN(clock) ? parseTime(FIRST_TIME) : clock));
  }

  advanceToDate() {
    const v = this.dateInput.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return this.say('请先选一个日期。', 'error');
    this.moveClock(parseTime(`${v}T23:59`));
  }

  moveClock(target) {
    if (this.view !== 'sim') this.setView('sim');
    const before = this.feed.length;
    try {
      this.advance(target);
    } catch (err) {
      this.say(`时钟没有改变：${err.message}`, 'error');
      return;
    }
    this.save();
    this.render();
    const n = this.feed.length - before;
    this.say(`时钟拨到 ${showTime(this.sim.clock())}${n ? `，期间有 ${n} 条变化（见变化记录）。` : '，期间没有新的变化。'}`, 'ok');
  }

  switchRules(rules) {
    if (rules === this.rules) return;
    this.view = 'sim';
    this.rebuild(rules, this.events, this.asOf, this.seller);
    this.save();
    this.render();
    this.sessionMsg.textContent = `已改用${RULE_NAMES[rules]}规则，同一段记录重新计算。`;
  }

  // --- Keeping the work ----------------------------------------------------

  session() {
    return {
      format: 'review-lab-simulator',
      version: 1,
      rules: this.rules,
      as_of: this.asOf ?? undefined,
      seller: this.seller ?? undefined,
      preset: this.preset?.id,
      events: this.events,
    };
  }

  save() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(this.session()));
    } catch {
      this.sessionMsg.textContent = '浏览器不允许保存，刷新页面后记录会丢失；可以先导出记录。';
    }
  }

  restore() {
    let saved = null;
    try {
      saved = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null');
    } catch {
      saved = null;
    }
    if (saved) {
      try {
        const s = checkSession(saved, this.engine);
        this.rebuild(s.rules, s.events, s.as_of, s.seller);
        this.preset = saved.preset ? { id: saved.preset } : null;
        this.sessionMsg.textContent = s.events.length ? `已恢复上次的记录（${s.events.length} 个操作）。` : '';
        this.render();
        return;
      } catch (err) {
        console.warn('saved session ignored:', err.message);
      }
    }
    this.rebuild('taobao', [], null, null);
    this.render();
  }

  exportFile() {
    const text = `${JSON.stringify(this.session(), null, 1)}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = h('a', { href: url, download: `评价模拟-${(this.asOf ?? 'empty').slice(0, 10)}.json`, hidden: true });
    this.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.sessionMsg.textContent = `已导出 ${this.events.length} 个操作。`;
  }

  async importFile(e) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const fail = (why) => {
      this.sessionMsg.dataset.state = 'error';
      this.sessionMsg.textContent = `导入失败：${why} 当前的模拟没有任何改变。`;
    };
    if (file.size > 5_000_000) return fail('文件太大（超过 5 MB）。');
    let data;
    try {
      data = JSON.parse(await file.text());
    } catch {
      return fail('这个文件不是有效的 JSON 文件。');
    }
    let s;
    try {
      s = checkSession(data, this.engine);
    } catch (err) {
      return fail(err.message);
    }
    this.preset = null;
    this.view = 'sim';
    this.rebuild(s.rules, s.events, s.as_of, s.seller);
    this.save();
    this.render();
    this.sessionMsg.dataset.state = 'ok';
    this.sessionMsg.textContent = `已导入「${file.name}」：${s.events.length} 个操作，${RULE_NAMES[s.rules]}规则。`;
  }

  // --- The big shop --------------------------------------------------------

  startBigShop() {
    this.worker?.terminate();
    const seed = Math.max(0, Math.floor(Number(this.bigSeed.value) || 0));
    const ordersPerDay = this.bigOrdersPerDay();
    const rules = this.rules;
    this.worker = takeIdleWorker() ?? newWorker();
    if (!this.worker) {
      this.bigText.dataset.state = 'error';
      this.bigText.textContent = '这个页面不能启动后台计算，大店半年无法运行。请在评价实训网站上打开模拟器。';
      return;
    }
    this.bigStart.disabled = true;
    this.bigCancel.disabled = false;
    this.bigProgress.value = 0;
    this.bigText.dataset.state = 'running';
    this.bigText.textContent = '正在启动后台计算…';
    this.worker.onmessage = ({ data }) => {
      if (data.type === 'progress') {
        const p = data.progress;
        this.bigProgress.max = p.days;
        this.bigProgress.value = p.day;
        this.bigText.textContent = `第 ${p.day} / ${p.days} 天 · ${showInt(p.orders)} 笔订单 · ${showInt(p.events)} 个事件 · 已用 ${(data.ms / 1000).toFixed(1)} 秒`;
      } else if (data.type === 'done') {
        this.finishWorker({ keep: true });
        // The chart's samples (one a day) come with the result.
        const samples = (data.samples ?? []).map((s) => ({ t: s.t, sellers: { [BIG_SHOP_ID]: s } }));
        this.big = { rules, seed, summary: data.summary, changes: data.changes, samples, ms: data.ms, progress: data.progress };
        this.bigText.dataset.state = 'done';
        this.bigText.textContent = `完成：${showInt(data.progress.orders)} 笔订单、${showInt(data.progress.events)} 个事件，用时 ${(data.ms / 1000).toFixed(1)} 秒（${RULE_NAMES[rules]}规则，种子 ${seed}）。`;
        this.setView('big');
        this.bigLink.hidden = false;
      } else if (data.type === 'error') {
        this.finishWorker();
        this.bigText.dataset.state = 'error';
        this.bigText.textContent = `计算出错：${data.message}`;
        console.error('big shop:', data.message);
      }
    };
    this.worker.onerror = (ev) => {
      this.finishWorker();
      this.bigText.dataset.state = 'error';
      this.bigText.textContent = '后台计算无法启动，请刷新页面重试。';
      console.error('big shop worker:', ev.message);
    };
    this.worker.postMessage({ type: 'start', seed, rules, ordersPerDay });
  }

  /** Orders a day for the big shop, as the scale says (undefined: the lesson's). */
  bigOrdersPerDay() {
    return this.bigScale.value ? Number(this.bigScale.value) : undefined;
  }

  /** Makes a worker ready for the run the start button would begin (none while one runs). */
  warmBigShop() {
    if (!this.worker && !this.quietFocus) warmIdleWorker(this, this.bigOrdersPerDay());
  }

  /** Ends the running worker, or with `keep` (a run that finished) keeps it idle for the next. */
  finishWorker({ keep = false } = {}) {
    const worker = this.worker;
    this.worker = null;
    if (worker && keep) {
      worker.onmessage = null;
      worker.onerror = null;
      keepIdleWorker(worker, this);
    } else {
      worker?.terminate();
    }
    this.bigStart.disabled = false;
    this.bigCancel.disabled = true;
  }

  cancelBigShop() {
    if (!this.worker) return;
    this.finishWorker();
    this.bigText.dataset.state = 'cancelled';
    this.bigText.textContent = '已取消，没有保存任何结果。';
    // Focus given back is no sign of another run to come: no worker warmed for it.
    this.quietFocus = true;
    this.bigStart.focus();
    this.quietFocus = false;
  }

  setView(view) {
    this.view = view === 'big' && this.big ? 'big' : 'sim';
    this.render();
  }

  // --- Rendering -----------------------------------------------------------

  render() {
    const big = this.view === 'big';
    this.viewSwitch.hidden = !this.big;
    for (const b of this.viewSwitch.querySelectorAll('button')) {
      b.setAttribute('aria-pressed', String(b.dataset.action === `view-${this.view}`));
    }
    for (const r of this.ruleRadios) r.querySelector('input').checked = r.querySelector('input').value === this.rules;
    this.dataset.view = this.view;
    this.renderPresetInfo();
    this.renderSellerSelect(big);
    const rules = big ? this.big.rules : this.rules;
    const seller = big ? BIG_SHOP_ID : this.seller;
    const summary = big ? this.big.summary : seller ? this.sim.summary(seller, 'seller') : null;
    this.renderClock(big);
    this.renderShop(summary, rules, seller);
    this.renderCharts(big ? this.big.samples : this.samples, seller, rules);
    this.renderFeed(big ? this.big.changes.map((c) => ({ type: 'change', ...c })) : this.feed);
    this.renderBuyers(big);
    this.renderOrderOptions();
    this.renderDsrFields();
    this.comparePanel.hidden = big;
    if (!big) this.renderCompare();
  }

  renderPresetInfo() {
    const p = this.preset;
    if (!p?.title) {
      fill(this.presetInfo, h('p', { class: 'rls-muted' }, '选一个案例看某条规则怎样起作用，或者从空白店铺开始：下订单、评价、拨动时钟，看信用和评分怎样变化。'));
      return;
    }
    this.presetSelect.value = p.id;
    fill(this.presetInfo,
      h('h3', { 'data-part': 'preset-title' }, p.title),
      h('p', {}, p.rule, ' ', h('a', { href: `#rule-${p.anchor}` }, '看规则说明')),
      h('p', { class: 'rls-watch-title' }, '注意看：'),
      h('ul', { class: 'rls-watch' }, p.watch.map((w) => h('li', {}, w))),
    );
  }

  renderSellerSelect(big) {
    const ids = big ? [BIG_SHOP_ID] : this.sellerIds();
    if (!big && this.seller && !ids.includes(this.seller) && ids.length) this.seller = ids[0];
    if (!big && !this.seller && ids.length) this.seller = ids[0];
    fill(this.sellerSelect, ids.map((id) => h('option', { value: id }, id)));
    this.sellerSelect.value = big ? BIG_SHOP_ID : this.seller ?? '';
    this.sellerSelect.disabled = big || ids.length < 2;
  }

  renderClock(big) {
    if (big) {
      fill(this.clockEl, `大店半年（${RULE_NAMES[this.big.rules]}规则，种子 ${this.big.seed}），统计到 2026-06-30。`);
      return;
    }
    const clock = this.sim.clock();
    fill(this.clockEl,
      h('span', {}, `${RULE_NAMES[this.rules]}规则 · 现在时间 `),
      h('time', { 'data-field': 'clock', datetime: clock ?? '' }, clock ? showTime(clock) : `尚未开始（第一笔订单在 ${showTime(FIRST_TIME)}）`));
    if (clock) this.dateInput.min = clock.slice(0, 10);
  }

  renderShop(sum, rules, seller) {
    if (!sum) {
      fill(this.shopBody, h('p', { class: 'rls-muted', 'data-part': 'shop-empty' }, '还没有店铺：先成交一笔订单，或载入一个案例。'));
      return;
    }
    const dims = this.ruleSets[rules].dsr.dimensions;
    const table = h('table', { class: 'rls-table', 'data-part': 'counts' },
      h('caption', {}, '评价统计（条数）'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '评价'), WINDOWS.map(([, label]) => h('th', { scope: 'col' }, label)))),
      h('tbody', {}, Object.entries(RATING_NAMES).map(([r, label]) =>
        h('tr', {}, h('th', { scope: 'row' }, label),
          WINDOWS.map(([w]) => h('td', { 'data-count': `${w}-${r}` }, showInt(sum.counts[w][r])))))),
    );
    fill(this.shopBody,
      h('div', { class: 'rls-headline' },
        h('p', { class: 'rls-shop-name' }, h('span', { 'data-field': 'seller' }, seller)),
        h('div', { class: 'rls-big-number' },
          h('span', { class: 'rls-label' }, '卖家信用'),
          h('span', { class: 'rls-number-line' }, h('strong', { 'data-field': 'credit' }, showInt(sum.credit)), ' 分')),
        h('div', { class: 'rls-level-box' },
          levelIcons(sum.level),
          h('span', { class: 'rls-level-text', 'data-field': 'level-text' }, levelText(sum.level))),
        h('div', { class: 'rls-big-number' },
          h('span', { class: 'rls-label' }, '好评率'),
          h('strong', { 'data-field': 'positive-rate' }, showRate(sum.positive_rate))),
      ),
      h('div', { class: 'rls-scroll' }, table),
      h('h3', {}, '店铺评分（最近 6 个月）'),
      h('ul', { class: 'rls-dsr', 'data-part': 'dsr' }, dims.map((d) => {
        const v = sum.dsr[d.id] ?? { mean: null, count: 0 };
        return h('li', { 'data-dsr': d.id },
          h('span', { class: 'rls-dsr-label' }, d.label),
          h('strong', { 'data-field': `dsr-${d.id}` }, showMean(v.mean)),
          h('span', { class: 'rls-muted' }, ` ${showInt(v.count)} 次评分`),
          h('span', { class: 'rls-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${v.mean ? (v.mean / 5) * 100 : 0}%` })));
      })),
    );
  }

  renderCharts(samples, seller, rules) {
    const points = (pick) => samples.map((sm) => [sm.t, sm.sellers[seller] ? pick(sm.sellers[seller]) : null]);
    const dims = this.ruleSets[rules].dsr.dimensions;
    fill(this.chartsEl,
      lineChart({ title: '卖家信用（分）', series: [{ label: '', color: '#c0262d', points: points((x) => x.credit) }], format: (v) => showInt(Math.round(v)) }),
      lineChart({ title: '好评率', series: [{ label: '', color: '#176639', points: points((x) => x.rate) }], format: (v) => `${(v * 100).toFixed(1)}%`, yMax: 1 }),
      lineChart({
        title: '店铺评分',
        series: dims.map((d, i) => ({ label: d.label, color: DSR_COLORS[i], points: points((x) => x.dsr[d.id] ?? null) })),
        format: (v) => v.toFixed(1),
        yMax: 5,
      }),
    );
  }

  renderFeed(entries) {
    const shown = entries.slice(-MAX_FEED).reverse();
    this.feedNote.textContent = entries.length === 0
      ? '还没有变化。每次计分、不计分、默认好评、修改评价和被拒绝的操作都会记在这里，最新的在最上面。'
      : `共 ${showInt(entries.length)} 条${entries.length > MAX_FEED ? `，显示最近 ${MAX_FEED} 条` : ''}，最新的在最上面。`;
    fill(this.feedEl, shown.map((e) => {
      if (e.type === 'rejected') {
        const anchor = ruleAnchor(e.code, this.ruleText);
        return h('li', { class: 'rls-feed-item rls-feed-item--rejected', 'data-code': e.code },
          h('span', { class: 'rls-tag rls-tag--rejected' }, '未接受'),
          h('span', { class: 'rls-feed-meta' }, `${showTime(e.at)} · 订单 ${e.order ?? '—'}`),
          h('span', { class: 'rls-feed-msg' }, e.message, ' 什么也没有改变。'),
          h('a', { href: `#rule-${anchor}`, class: 'rls-rule-link' }, `规则：${this.ruleText[anchor].title}`));
      }
      const anchor = ruleAnchor(e.reason, this.ruleText);
      const cls = e.delta > 0 ? 'up' : e.delta < 0 ? 'down' : 'zero';
      return h('li', { class: `rls-feed-item rls-feed-item--${cls}`, 'data-reason': e.reason },
        h('span', { class: `rls-tag rls-tag--${cls}` }, showDelta(e.delta)),
        h('span', { class: 'rls-feed-meta' }, `${showTime(e.at)} · 订单 ${e.order} · ${e.role === 'seller' ? '卖家' : '买家'} ${e.user} → ${showInt(e.credit_after)} 分`),
        h('span', { class: 'rls-feed-msg' }, e.message),
        h('a', { href: `#rule-${anchor}`, class: 'rls-rule-link' }, `规则：${this.ruleText[anchor].title}`));
    }));
  }

  renderBuyers(big) {
    if (big) {
      fill(this.buyersEl, h('p', { class: 'rls-muted' }, '大店有几十万位买家，这里不逐一列出。'));
      return;
    }
    const report = this.sim.report(undefined, 0);
    const ids = Object.keys(report.buyers);
    if (ids.length === 0) {
      fill(this.buyersEl, h('p', { class: 'rls-muted' }, '还没有买家。'));
      return;
    }
    const shown = ids.slice(0, MAX_BUYERS);
    fill(this.buyersEl,
      h('p', { class: 'rls-muted' }, '卖家评价买家、或系统默认好评时，买家得到「买家信用」。', ids.length > MAX_BUYERS ? ` 共 ${ids.length} 位买家，列出前 ${MAX_BUYERS} 位。` : ''),
      h('div', { class: 'rls-scroll' },
        h('table', { class: 'rls-table', 'data-part': 'buyers-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '买家'), h('th', { scope: 'col' }, '买家信用'), h('th', { scope: 'col' }, '等级'), h('th', { scope: 'col' }, '好评率'))),
          h('tbody', {}, shown.map((id) => {
            const b = report.buyers[id];
            return h('tr', { 'data-buyer': id },
              h('th', { scope: 'row' }, id),
              h('td', { 'data-field': 'buyer-credit' }, showInt(b.credit)),
              h('td', {}, levelIcons(b.level)),
              h('td', {}, showRate(b.positive_rate)));
          })))),
    );
  }

  renderOrderOptions() {
    const keep = this.orderSelect.value;
    const orders = this.events.filter((e) => e.kind === 'order');
    fill(this.orderSelect, orders.length
      ? orders.slice().reverse().map((o) => h('option', { value: o.id }, `${o.id} · ${o.buyer} 买 ${o.item}（${o.price} 元）`))
      : h('option', { value: '' }, '（还没有订单）'));
    if (orders.some((o) => o.id === keep)) this.orderSelect.value = keep;
  }

  renderDsrFields() {
    if (this.dsrRules === this.rules) return;
    this.dsrRules = this.rules;
    const dims = this.ruleSets[this.rules].dsr.dimensions;
    fill(this.dsrFields, dims.map((d) => {
      const id = this.ids(`dsr-${d.id}`);
      return [
        h('label', { for: id }, d.label),
        h('select', { id, 'data-dim': d.id, 'data-control': `dsr-${d.id}` },
          [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, `${n} 分`)),
          h('option', { value: '' }, '不评')),
      ];
    }));
  }

  renderCompare() {
    const log = { as_of: this.asOf ?? undefined, events: this.events };
    let reports;
    try {
      reports = { taobao: this.engine.replay({ ...log, rules: 'taobao' }), tmall: this.engine.replay({ ...log, rules: 'tmall' }) };
    } catch (err) {
      fill(this.compareEl, h('p', {}, `无法对比：${err.message}`));
      return;
    }
    const seller = this.seller;
    if (!seller || this.events.length === 0) {
      fill(this.compareEl, h('p', { class: 'rls-muted' }, '先下单或载入案例，再来对比两套规则。'));
      return;
    }
    const sv = (r) => r.sellers[seller];
    const rows = [
      ['credit', '卖家信用', (r) => (sv(r) ? showInt(sv(r).credit) : '—')],
      ['level', '等级', (r) => (sv(r) ? levelText(sv(r).level).replace(/（.*）$/, '') : '—')],
      ['positive-rate', '好评率', (r) => (sv(r) ? showRate(sv(r).positive_rate) : '—')],
      ...Object.entries(RATING_NAMES).map(([k, l]) => [`total-${k}`, `${l}（总计）`, (r) => (sv(r) ? showInt(sv(r).counts.total[k]) : '—')]),
    ];
    const dims = [];
    for (const rs of Object.values(this.ruleSets)) for (const d of rs.dsr.dimensions) if (!dims.some((x) => x.id === d.id)) dims.push(d);
    for (const d of dims) {
      rows.push([`dsr-${d.id}`, `店铺评分：${d.label}`, (r, key) => {
        if (!this.ruleSets[key].dsr.dimensions.some((x) => x.id === d.id)) return '没有这一项';
        return sv(r) ? showMean(sv(r).dsr[d.id]?.mean ?? null) : '—';
      }]);
    }
    rows.push(['buyer-credit', '买家信用合计', (r) => showInt(Object.values(r.buyers).reduce((a, b) => a + b.credit, 0))]);
    rows.push(['rejected', '被拒绝的操作', (r) => showInt(r.rejected.length)]);
    const table = h('table', { class: 'rls-table rls-compare-table', 'data-part': 'compare-table' },
      h('caption', {}, `卖家 ${seller}，统计到 ${showTime(reports.taobao.as_of ?? this.asOf ?? '')}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '项目'), h('th', { scope: 'col' }, '淘宝'), h('th', { scope: 'col' }, '天猫'))),
      h('tbody', {}, rows.map(([key, label, f]) => {
        const a = f(reports.taobao, 'taobao');
        const b = f(reports.tmall, 'tmall');
        return h('tr', { 'data-row': key, class: a === b ? '' : 'rls-diff' },
          h('th', { scope: 'row' }, label, a === b ? '' : h('span', { class: 'rls-diff-mark' }, ' 不同')),
          h('td', { 'data-rules': 'taobao' }, a), h('td', { 'data-rules': 'tmall' }, b));
      })));
    const outcome = (r) => new Map(r.rejected.map((x) => [x.event, x]));
    const ra = outcome(reports.taobao);
    const rb = outcome(reports.tmall);
    const diffs = [];
    this.events.forEach((e, i) => {
      const a = ra.get(i);
      const b = rb.get(i);
      if ((a?.code ?? null) !== (b?.code ?? null)) diffs.push({ i, e, a, b });
    });
    const reasons = (r) => {
      const m = {};
      for (const c of r.changes) m[c.reason] = (m[c.reason] ?? 0) + 1;
      return m;
    };
    const ca = reasons(reports.taobao);
    const cb = reasons(reports.tmall);
    const keys = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].filter((k) => (ca[k] ?? 0) !== (cb[k] ?? 0));
    fill(this.compareEl,
      h('div', { class: 'rls-scroll' }, table),
      keys.length ? h('p', {}, '计分原因不同：', keys.map((k) => `${this.ruleText[ruleAnchor(k, this.ruleText)].title} 淘宝 ${ca[k] ?? 0} 次 / 天猫 ${cb[k] ?? 0} 次`).join('；'), '。') : null,
      diffs.length
        ? h('div', {}, h('h3', {}, '只在一套规则下被拒绝的操作'),
          h('ul', { class: 'rls-diff-list' }, diffs.slice(0, 20).map(({ i, e, a, b }) =>
            h('li', {}, `第 ${i + 1} 个操作（${showTime(e.at)}，订单 ${e.order ?? e.id}）：淘宝 ${a ? `拒绝——${a.message}` : '接受'}；天猫 ${b ? `拒绝——${b.message}` : '接受'}`))))
        : h('p', { class: 'rls-muted' }, '两套规则下被接受的操作相同。'),
    );
  }
}

if (!customElements.get('rl-simulator')) customElements.define('rl-simulator', RlSimulator);

export { RlSimulator, TIER_NAMES };
