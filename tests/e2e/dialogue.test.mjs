// The negative-review dialogue practice (www/dialogue.html: <rl-dialogue>,
// <rl-reply-exercise>, <rl-case-log>) in headless Chromium, played as a student
// would: pick a scenario, talk the buyer round in five steps, write the record,
// read the report. Every number the page shows is checked against the wasm
// grader's own answer for the same transcript, computed in the page. Then exam
// mode, HTML typed as text, the public-reply exercise, the case log across a
// reload, the keyboard alone, and the layout at a projector's and a phone's size.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, VIEWPORTS, guardPage, openCoursePage, screenshot, useSite } from './helpers.mjs';

const scenarios = JSON.parse(readFileSync(join(REPO_ROOT, 'data/dialogue/scenarios.json'), 'utf8')).scenarios;
const rubric = JSON.parse(readFileSync(join(REPO_ROOT, 'data/dialogue/rubric.json'), 'utf8'));
const scenarioById = (id) => scenarios.find((s) => s.id === id);

/** The key <rl-dialogue> and <rl-case-log> keep the records under (www/js/dialogue/dialogue.js). */
const LOG_KEY = 'review-lab.dialogue.caselog';
const STEP_IDS = ['apologize', 'diagnose', 'resolve', 'farewell', 'record'];
const RATING = { neutral: '中评', negative: '差评' };

// A good conversation for 评价说质量一般其实是物流: the review blames quality, the
// real cause (nine days in the post) only comes out when the agent asks.
const GOOD = {
  scenario: 'slow-logistics-02',
  lines: [
    '您好，我是店铺客服小林。看到您给的中评了，非常抱歉给您带来了不好的体验，我非常理解您的心情。',
    '请问具体是哪方面让您不满意呢？是餐具本身还是物流、包装？',
    '让您等了这么久，真的很抱歉。我们给您退5元作为补偿，下次购物给您包邮，您看可以吗？',
    '感谢您的理解和支持，祝您生活愉快！如果方便的话，能麻烦您修改一下评价吗？',
  ],
  record: {
    customer: 'kitchen_su',
    product: '陶瓷餐具套装',
    model: '碗碟十件套 / 白色',
    cause: 'service',
    detail: '评价写的是质量一般，实际是快递在路上走了九天。',
    process: '致歉，询问原因，退5元并承诺下次包邮，买家同意修改评价。',
    notes: '评价内容与真实原因不一致，要跟进这条线路的物流时效。',
  },
};

// The same polite buyer as on the home page's first example: 衬衫线头多.
const THREADS = {
  scenario: 'loose-thread-01',
  lines: [
    '亲，非常抱歉给您带来不好的体验，我非常理解您的感受。',
    '请问衬衫具体是哪里不满意呢？可以说说吗？',
    '真的很抱歉。我们给您退5元作为补偿，再送您一张优惠券，您看可以吗？',
    '感谢您的理解和支持，祝您生活愉快！方便的话能麻烦您修改一下评价吗？',
  ],
};

describe('dialogue practice page', () => {
  const web = useSite();

  /**
   * A fresh browser context (its own localStorage) on dialogue.html, the engine
   * loaded. Any alert/confirm/prompt is recorded in `dialogs` and dismissed.
   */
  async function open(viewport = VIEWPORTS[0], context = null) {
    context ??= await web.browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    const guard = guardPage(page);
    const dialogs = [];
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    await page.goto(`${web.site.url}dialogue.html`);
    await page.locator('#engine-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    await page.locator('#dlg-scenario:enabled').waitFor();
    return { page, guard, dialogs, context };
  }

  /** The engine's exports, called inside the page (the same module the page uses). */
  function engineCall(page, name, ...args) {
    return page.evaluate(
      async ({ name, args }) => {
        const { loadEngine } = await import('/js/engine.js');
        const engine = await loadEngine();
        return engine[name](...args);
      },
      { name, args },
    );
  }

  /** The conversation as the chat shows it: [{from, text}] without the speaker labels. */
  function chatTurns(page, selector = 'rl-dialogue .dlg-layout .dlg-chat .dlg-msg') {
    return page.$$eval(selector, (msgs) =>
      msgs.map((m) => ({
        from: m.dataset.from,
        text: [...m.childNodes]
          .filter((n) => n.nodeName !== 'SMALL')
          .map((n) => n.textContent)
          .join(''),
      })),
    );
  }

  const stepStates = (page) => page.$$eval('rl-dialogue .dlg-steps li', (ls) => ls.map((l) => l.dataset.state));

  async function pickScenario(page, id) {
    await page.locator('#dlg-scenario').selectOption(id);
    await page.getByRole('button', { name: '开始对话' }).click();
    await page.locator('rl-dialogue .dlg-msg[data-from="buyer"]').first().waitFor();
  }

  /** Clicks into the box, types like a student and clicks 发送; resolves to the buyer's answer. */
  async function say(page, text) {
    const before = await page.locator('rl-dialogue .dlg-layout .dlg-msg').count();
    await page.locator('#dlg-input').click();
    await page.keyboard.type(text);
    await page.getByRole('button', { name: '发送', exact: true }).click();
    await page.locator('rl-dialogue .dlg-layout .dlg-msg').nth(before + 1).waitFor();
    const turns = await chatTurns(page);
    assert.deepEqual(turns.at(-2), { from: 'agent', text }, 'the chat shows exactly what was typed');
    assert.equal(turns.at(-1).from, 'buyer');
    return turns.at(-1).text;
  }

  /** Fills the case-record form with the mouse and the keyboard. */
  async function fillRecord(page, record) {
    for (const [name, value] of Object.entries(record)) {
      const field = page.locator(`#dlg-r-${name}`);
      if (name === 'cause') {
        await field.selectOption(value);
      } else {
        await field.click();
        await field.press('Control+A');
        await page.keyboard.type(value);
      }
    }
  }

  /** Page wider than the viewport (sideways scrolling), in px; 0 or less is fine. */
  const overflow = (page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  /**
   * Siblings that overlap each other in the page's row-like containers (setup
   * controls, buttons, report heading, two-column layout, record form, facts).
   */
  function overlaps(page) {
    return page.evaluate(() => {
      const found = [];
      const containers = document.querySelectorAll(
        '.dlg-setup, .dlg-actions, .dlg-report-head, .dlg-layout, .dlg-record, .dlg-mood, .dlg-compose, .dlg-steps, .site-nav ul, .dlg-facts',
      );
      const name = (e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}「${e.textContent.trim().slice(0, 12)}」`;
      for (const c of containers) {
        const kids = [...c.children]
          .map((e) => ({ e, r: e.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && r.height > 0);
        for (let i = 0; i < kids.length; i++) {
          for (let j = i + 1; j < kids.length; j++) {
            const a = kids[i].r;
            const b = kids[j].r;
            const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (x > 1 && y > 1) found.push(`${name(kids[i].e)} overlaps ${name(kids[j].e)}`);
          }
        }
      }
      // Nothing in the main column sticks out of the page sideways.
      for (const e of document.querySelectorAll('main *')) {
        const r = e.getBoundingClientRect();
        if (r.width > 0 && r.right > document.documentElement.clientWidth + 1) {
          found.push(`${name(e)} sticks out to x=${Math.round(r.right)}`);
        }
      }
      return found.slice(0, 10);
    });
  }

  async function assertLayout(page, label) {
    assert.ok((await overflow(page)) <= 0, `${label}: the page scrolls sideways`);
    assert.deepEqual(await overlaps(page), [], `${label}: overlapping boxes`);
  }

  /** The report element (the panel headed 评分报告). */
  const reportOf = (page) => page.locator('rl-dialogue .dlg-panel', { has: page.locator('h3', { hasText: '评分报告' }) });

  /**
   * Checks the report against the grader's result for the same transcript: total
   * and band, the five steps in order with pass/fail, every criterion, the
   * violations and the highlighted evidence in the replayed transcript.
   */
  async function assertReport(page, expected, turns) {
    const report = reportOf(page);
    await report.waitFor();
    assert.equal((await report.locator('.dlg-score').textContent()).trim(), `${expected.total} / ${expected.max}`);
    const band = report.locator('.dlg-band');
    assert.equal(await band.getAttribute('data-band'), expected.band);
    assert.equal((await band.textContent()).trim(), expected.band_label);
    assert.match(
      await report.locator('.dlg-report-head').textContent(),
      expected.order_ok ? /五个步骤的顺序正确/ : /步骤顺序有问题/,
    );

    // Five steps, in the lesson's order, each with its score and 通过/未通过.
    assert.deepEqual(
      expected.steps.map((s) => s.id),
      STEP_IDS,
    );
    const headings = (await report.locator('h4').allTextContents()).map((t) => t.trim());
    const stepHeadings = headings.slice(0, 5);
    assert.deepEqual(
      stepHeadings,
      expected.steps.map((s) => `${s.title}　${s.score}/${s.max}　${s.passed ? '通过' : '未通过'}`),
    );
    assert.deepEqual(
      stepHeadings.map((h) => h[0]),
      ['①', '②', '③', '④', '⑤'],
      'steps are shown in order',
    );
    assert.deepEqual(
      stepHeadings.map((h) => h.split('　')[0]),
      rubric.steps.map((s) => s.title),
    );

    // Each step's criteria: met or not, in the grader's order, with its feedback.
    const lists = report.locator('h4 + ul.dlg-criteria');
    for (const [i, step] of expected.steps.entries()) {
      const items = lists.nth(i).locator('li');
      assert.deepEqual(
        await items.evaluateAll((ls) => ls.map((l) => l.dataset.met)),
        step.criteria.map((c) => String(c.met)),
        `criteria of ${step.id}`,
      );
      for (const [j, c] of step.criteria.entries()) {
        const text = await items.nth(j).textContent();
        assert.ok(text.startsWith(c.feedback), `${step.id}/${c.id}: ${text}`);
        if (c.evidence) assert.ok(text.includes(`“${c.evidence}”`), `${step.id}/${c.id} shows its evidence`);
      }
    }
    if (expected.violations.length) {
      assert.ok(headings.includes('扣分项'));
      const items = await report.locator('h4:text-is("扣分项") + ul li').allTextContents();
      assert.deepEqual(
        items.map((t) => t.split('：')[0]),
        expected.violations.map((v) => `${v.title}（−${v.cost}）第 ${v.turn} 条`),
      );
    } else {
      assert.ok(!headings.includes('扣分项'), 'no violations, no 扣分项');
    }

    // The replayed transcript: every turn, with each piece of evidence marked in
    // the turn it came from (yellow for points, red outline for violations).
    const replay = report.locator('.dlg-replay .dlg-msg');
    assert.equal(await replay.count(), turns.length);
    const shown = await chatTurns(page, 'rl-dialogue .dlg-replay .dlg-msg');
    assert.ok(
      await report.locator('.dlg-replay').evaluate((c) => c.scrollHeight <= c.clientHeight + 1),
      'the replay shows the whole conversation, no scrolling box',
    );
    assert.deepEqual(
      shown.map((t) => t.from),
      turns.map((t) => t.from),
    );
    shown.forEach((t, i) => assert.equal(t.text.replace(/^\d+ · (客服（你）|买家)/, ''), turns[i].text));
    let good = 0;
    for (const step of expected.steps) {
      for (const c of step.criteria) {
        if (!c.met || !c.evidence || c.turn === null || c.turn === undefined) continue;
        const marks = await replay.nth(c.turn).locator('mark:not(.dlg-bad)').allTextContents();
        assert.ok(marks.includes(c.evidence), `turn ${c.turn} marks “${c.evidence}” (${step.id}/${c.id}); marks: ${marks}`);
        good += 1;
      }
    }
    for (const v of expected.violations) {
      const marks = await replay.nth(v.turn).locator('mark.dlg-bad').allTextContents();
      assert.ok(marks.includes(v.evidence), `turn ${v.turn} marks the violation “${v.evidence}”`);
    }
    assert.equal(await report.locator('.dlg-chat mark.dlg-bad').count(), expected.violations.length);
    if (good > 0) {
      const colour = await report.locator('.dlg-chat mark:not(.dlg-bad)').first().evaluate((m) => getComputedStyle(m).backgroundColor);
      assert.equal(colour, 'rgb(253, 230, 138)', 'evidence is highlighted in yellow');
    }
    return good;
  }

  test('the home page links to the dialogue practice', async () => {
    const page = await web.browser.newPage();
    const guard = guardPage(page);
    await page.goto(web.site.url);
    const card = page.locator('#modules .card', { hasText: '中差评五步沟通训练' });
    assert.equal(await card.locator('.badge--soon').count(), 0);
    await card.locator('a.card-link').click();
    await page.waitForURL(/dialogue\.html$/);
    assert.equal((await page.locator('h1').textContent()).trim(), '中差评五步沟通训练');
    await page.locator('#engine-status[data-state="ready"]').waitFor({ timeout: 20_000 });
    guard.assertClean();
    await page.close();
  });

  for (const viewport of VIEWPORTS) {
    test(`a student talks a buyer round in five steps and reads the report at ${viewport.name}`, async () => {
      const { page, guard, dialogs, context } = await open(viewport);
      const scenario = scenarioById(GOOD.scenario);

      // The whole bank is offered, with rating and buyer type.
      assert.equal(await page.locator('#dlg-scenario option').count(), scenarios.length);
      assert.equal(await page.locator('#reply-scenario option').count(), scenarios.length);
      await assertLayout(page, 'before starting');
      // The sections are blocks, so the space between them applies.
      for (const tag of ['rl-dialogue', 'rl-reply-exercise', 'rl-case-log', 'rl-teacher-rubric']) {
        assert.equal(await page.$eval(tag, (e) => getComputedStyle(e).display), 'block', tag);
      }

      await pickScenario(page, GOOD.scenario);

      // The shop's view of the review: the words, the rating, the order, the bottom line.
      const review = page.locator('rl-dialogue .dlg-panel', { has: page.locator('#dlg-review-title') });
      assert.equal((await review.locator('.dlg-review-text').textContent()).trim(), scenario.review.text);
      assert.equal((await review.locator('.dlg-rating').textContent()).trim(), RATING[scenario.review.rating]);
      const facts = await review.locator('.dlg-facts').textContent();
      for (const part of [scenario.order.product, scenario.order.model, scenario.order.customer, '礼貌型', `现金补偿最多 ¥${scenario.bottom_line.max_yuan}`]) {
        assert.ok(facts.includes(part), `the facts show ${part}`);
      }
      assert.deepEqual(await chatTurns(page), [{ from: 'buyer', text: scenario.opening }]);
      assert.deepEqual(await stepStates(page), ['todo', 'todo', 'todo', 'todo', 'todo']);
      const hint = page.locator('rl-dialogue .dlg-hint');
      assert.ok(await hint.isVisible());
      assert.match(await hint.textContent(), /道歉/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'dlg-input', 'the input has the focus');
      await page.evaluate(() => document.fonts.ready);
      await screenshot(page, `dialogue-start-${viewport.name}`);

      // ① apology: the buyer calms down, the hint moves on to ②.
      await say(page, GOOD.lines[0]);
      assert.deepEqual(await stepStates(page), ['done', 'current', 'todo', 'todo', 'todo']);
      assert.ok((await page.$eval('rl-dialogue meter', (m) => m.value)) > 50, 'the buyer’s mood rises');
      assert.match(await hint.textContent(), /②/);

      // ② asking brings out the real cause, which is not what the review says.
      const reveal = await say(page, GOOD.lines[1]);
      assert.ok(reveal.includes('九天'), `the buyer tells the real cause: ${reveal}`);
      assert.deepEqual(await stepStates(page), ['done', 'done', 'current', 'todo', 'todo']);

      // ③ ¥5 and free shipping next time: within the ¥5 bottom line, accepted.
      const accepted = await say(page, GOOD.lines[2]);
      assert.match(accepted, /行|好/);
      assert.deepEqual(await stepStates(page), ['done', 'done', 'done', 'current', 'todo']);

      // ④ a warm farewell asking to revise the review: the buyer agrees and leaves.
      const bye = await say(page, GOOD.lines[3]);
      assert.match(bye, /改/);
      assert.deepEqual(await stepStates(page), ['done', 'done', 'done', 'done', 'current']);
      assert.ok(await page.locator('#dlg-input').isDisabled(), 'the buyer has gone: no more messages');
      assert.ok(await page.getByRole('button', { name: '发送', exact: true }).isDisabled());
      assert.match(await page.locator('rl-dialogue .dlg-chat').first().textContent(), /买家结束了对话/);
      assert.ok(
        await page.$eval('rl-dialogue .dlg-chat', (c) => c.scrollTop + c.clientHeight >= c.scrollHeight - 1),
        'the chat is scrolled down to the note that the buyer has left',
      );
      await page.locator('#dlg-record-title').waitFor();
      assert.equal(
        await page.evaluate(() => document.activeElement?.closest('form')?.className),
        'dlg-record',
        'the focus moves to the record form',
      );
      await assertLayout(page, 'chat finished');
      await screenshot(page, `dialogue-chat-${viewport.name}`);

      // ⑤ the case record: the time is filled in from the contact.
      assert.equal(await page.inputValue('#dlg-r-time'), scenario.contact.time);
      await fillRecord(page, GOOD.record);
      await page.locator('rl-dialogue form.dlg-record').screenshot({ path: join(REPO_ROOT, 'out', 'screenshots', `dialogue-record-${viewport.name}.png`) });
      await page.getByRole('button', { name: '提交记录，查看评分报告' }).click();

      // The report equals the grader's answer for the same transcript and record.
      const turns = await chatTurns(page);
      assert.deepEqual(
        turns.filter((t) => t.from === 'agent').map((t) => t.text),
        GOOD.lines,
      );
      const record = { time: scenario.contact.time, ...GOOD.record };
      const expected = await engineCall(page, 'gradeDialogue', { scenario: GOOD.scenario, turns, record, rubric: null });
      assert.ok(expected.steps.every((s) => s.passed), 'this model conversation passes every step');
      assert.equal(expected.violations.length, 0);
      assert.equal(expected.band, 'excellent');
      const marked = await assertReport(page, expected, turns);
      assert.ok(marked >= 6, `evidence is marked in the transcript (${marked})`);
      assert.deepEqual(await stepStates(page), ['done', 'done', 'done', 'done', 'done']);
      const report = reportOf(page);
      assert.match(await report.textContent(), /结果：买家同意修改评价/);
      assert.match(await report.textContent(), /本单真正的原因：买家真正不满的是快递路上走了九天/);
      assert.match(await report.textContent(), /评分用时：每次约 \d+ 微秒/);
      const recordShown = await report.locator('.dlg-facts').textContent();
      for (const v of [record.customer, record.product, record.detail, '服务售后问题']) assert.ok(recordShown.includes(v));

      // The record went into the case log below.
      const log = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), LOG_KEY));
      assert.equal(log.entries.length, 1);
      assert.equal(log.entries[0].scenario, GOOD.scenario);
      assert.equal(log.entries[0].revised, true);
      assert.match(await page.locator('rl-case-log').textContent(), /陶瓷餐具套装/);

      // Submitting again does not file the case twice.
      const submit = page.locator('rl-dialogue form.dlg-record button[type="submit"]');
      if (await submit.isEnabled()) await submit.click();
      await page.locator('#dlg-r-product').press('Enter');
      const again = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), LOG_KEY));
      assert.equal(again.entries.length, 1, 'one case, one record');
      // Nor does "结束对话" once the buyer has gone.
      assert.ok(await page.getByRole('button', { name: '结束对话，填写记录' }).isDisabled());

      await assertLayout(page, 'report');
      await page.evaluate(() => document.fonts.ready);
      await report.screenshot({ path: join(REPO_ROOT, 'out', 'screenshots', `dialogue-report-${viewport.name}.png`) });
      await screenshot(page, `dialogue-${viewport.name}`);
      assert.deepEqual(dialogs, []);
      guard.assertClean();
      await context.close();
    });
  }

  test('a poor conversation: the angry buyer leaves, the blame is marked red, failed steps say so', async () => {
    const { page, guard, dialogs, context } = await open();
    await pickScenario(page, 'broken-cup-01');
    const answer = await say(page, '这是快递的问题，跟我们没关系，你找快递去。');
    assert.match(answer, /投诉/);
    assert.ok(await page.locator('#dlg-input').isDisabled(), 'the angry buyer has left');
    assert.match(await page.locator('rl-dialogue .dlg-hint').textContent(), /注意：推卸责任/);
    assert.ok((await page.$eval('rl-dialogue meter', (m) => m.value)) < 50, 'the buyer’s mood drops');
    // The record form is already open; the button only leads back to it, keeping what was typed.
    await page.locator('#dlg-record-title').waitFor();
    await fillRecord(page, { customer: 'x', product: '玻璃杯', cause: 'buyer' });
    await page.getByRole('button', { name: '结束对话，填写记录' }).click();
    assert.equal(await page.inputValue('#dlg-r-product'), '玻璃杯');
    await page.getByRole('button', { name: '提交记录，查看评分报告' }).click();

    const turns = await chatTurns(page);
    const record = Object.fromEntries(
      await page.$$eval('form.dlg-record [name]', (fs) => fs.map((f) => [f.name, f.value])),
    );
    const expected = await engineCall(page, 'gradeDialogue', { scenario: 'broken-cup-01', turns, record, rubric: null });
    assert.ok(expected.violations.some((v) => v.code === 'blame'), JSON.stringify(expected.violations));
    assert.ok(expected.steps.some((s) => !s.passed));
    assert.equal(expected.band, 'fail');
    await assertReport(page, expected, turns);
    assert.ok((await reportOf(page).locator('h4').allTextContents()).some((h) => h.endsWith('未通过')));
    assert.match(await reportOf(page).textContent(), /买家没有修改评价/);
    assert.deepEqual(dialogs, []);
    guard.assertClean();
    await context.close();
  });

  test('exam mode hides the hints and the step progress; turning it off shows them again', async () => {
    const { page, guard, context } = await open();
    await page.locator('#dlg-exam').check();
    await pickScenario(page, THREADS.scenario);
    const hint = page.locator('rl-dialogue .dlg-hint');
    assert.ok(await hint.isHidden(), 'no hint at the start in exam mode');
    await say(page, '亲，你先把中评改了吧。');
    assert.ok(await hint.isHidden(), 'no warning in exam mode either');
    await say(page, THREADS.lines[0]);
    assert.ok(await hint.isHidden());
    // Ticking steps off live would give the grade away during an exam.
    const done = page.locator('rl-dialogue .dlg-steps li[data-state="done"]');
    assert.equal(await done.count(), 0, 'no step shown as passed in exam mode');
    await page.locator('#dlg-exam').uncheck();
    assert.ok(await hint.isVisible(), 'hints come back outside exam mode');
    assert.ok((await done.count()) > 0, 'progress shows again outside exam mode');
    assert.match(await hint.textContent(), /注意：过早要求改评|提示/);
    await page.locator('#dlg-exam').check();
    assert.ok(await hint.isHidden());
    guard.assertClean();
    await context.close();
  });

  test('HTML typed into the chat, the record or a reply is shown as text', async () => {
    const { page, guard, dialogs, context } = await open();
    const html = '<img src=x onerror=alert(1)>';
    await pickScenario(page, THREADS.scenario);
    await say(page, html);
    await say(page, `非常抱歉<b>给您</b>带来不便，${html}`);
    await page.getByRole('button', { name: '结束对话，填写记录' }).click();
    await fillRecord(page, { customer: html, product: '<script>alert(2)</script>衬衫', cause: 'product', notes: html });
    await page.getByRole('button', { name: '提交记录，查看评分报告' }).click();
    await reportOf(page).waitFor();
    await page.locator('#reply-input').fill(`谢谢您的反馈${html}`);
    await page.getByRole('button', { name: '评分', exact: true }).click();
    await page.locator('rl-reply-exercise .dlg-score').waitFor();
    await page.waitForTimeout(300); // time for an onerror handler to have fired

    assert.equal(await page.locator('main img, main b, main script').count(), 0, 'no element was created from the text');
    const agent = (await chatTurns(page)).filter((t) => t.from === 'agent').map((t) => t.text);
    assert.deepEqual(agent, [html, `非常抱歉<b>给您</b>带来不便，${html}`]);
    const replay = await reportOf(page).locator('.dlg-chat').textContent();
    assert.ok(replay.includes(html));
    assert.ok((await reportOf(page).locator('.dlg-facts').textContent()).includes('<script>alert(2)</script>衬衫'));
    assert.ok((await page.locator('rl-reply-exercise .dlg-msg').textContent()).includes(html));
    assert.ok((await page.locator('rl-case-log').textContent()).includes('<script>alert(2)</script>衬衫'));
    assert.deepEqual(dialogs, [], 'no alert ran');
    guard.assertClean();
    await context.close();
  });

  test('the public-reply exercise grades a reply and marks what counted', async () => {
    const { page, guard, context } = await open();
    const id = 'colour-diff-01';
    const scenario = scenarioById(id);
    await page.locator('#reply-scenario').selectOption(id);
    assert.equal(
      (await page.locator('rl-reply-exercise .dlg-review-text').textContent()).trim(),
      `${RATING[scenario.review.rating]}　${scenario.order.customer}：${scenario.review.text}`,
    );

    const good = '感谢您的反馈，给您带来不便非常抱歉。商品图片是在自然光下拍摄的，不同显示器会有一些色差，我们已经在详情页加上了说明。如有问题欢迎随时联系在线客服，我们一定帮您处理。';
    const bad = '这是您自己没看清楚，跟我们没关系。王女士，电话13800138000。';
    for (const reply of [good, bad]) {
      await page.locator('#reply-input').fill('');
      await page.locator('#reply-input').click();
      await page.keyboard.type(reply);
      await page.getByRole('button', { name: '评分', exact: true }).click();
      const expected = await engineCall(page, 'gradeReply', { scenario: id, reply });
      const out = page.locator('rl-reply-exercise');
      await out.locator('.dlg-score').waitFor();
      assert.equal((await out.locator('.dlg-score').textContent()).trim(), `${expected.total} / ${expected.max}`);
      assert.equal(await out.locator('.dlg-band').getAttribute('data-band'), expected.band);
      assert.equal((await out.locator('.dlg-band').textContent()).trim(), expected.band_label);
      const items = out.locator('.dlg-criteria li');
      assert.equal(await items.count(), expected.criteria.length + expected.violations.length);
      assert.deepEqual(
        await items.evaluateAll((ls) => ls.map((l) => l.dataset.met)),
        [...expected.criteria.map((c) => String(c.met)), ...expected.violations.map(() => 'false')],
      );
      const marks = await out.locator('.dlg-msg mark:not(.dlg-bad)').allTextContents();
      for (const c of expected.criteria.filter((c) => c.met && c.evidence)) {
        assert.ok(marks.includes(c.evidence), `“${c.evidence}” is marked`);
      }
      if (reply === good) {
        assert.ok(expected.criteria.every((c) => c.met), JSON.stringify(expected.criteria));
        assert.equal(expected.violations.length, 0);
        assert.equal(await out.locator('mark.dlg-bad').count(), 0);
      } else {
        assert.ok(expected.violations.length >= 1);
        assert.ok(expected.total < 60, `a blaming reply with private data fails (${expected.total})`);
        assert.ok((await out.locator('mark.dlg-bad').count()) >= 1, 'the blame is marked red');
      }
    }
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await assertLayout(page, `reply at ${viewport.name}`);
      await page.locator('#reply').screenshot({ path: join(REPO_ROOT, 'out', 'screenshots', `dialogue-reply-${viewport.name}.png`) });
    }
    guard.assertClean();
    await context.close();
  });

  test('the case log keeps a case across a reload and can be cleared', async () => {
    const first = await open();
    const { page, context } = first;
    assert.match(await page.locator('rl-case-log').textContent(), /还没有记录/);
    await pickScenario(page, THREADS.scenario);
    for (const line of THREADS.lines) await say(page, line);
    const scenario = scenarioById(THREADS.scenario);
    await page.locator('#dlg-record-title').waitFor();
    await fillRecord(page, {
      customer: scenario.order.customer,
      product: scenario.order.product,
      model: scenario.order.model,
      cause: 'product',
      detail: '袖口和领口线头多。',
      process: '致歉、问原因、退5元加优惠券，买家同意改评。',
      notes: '无',
    });
    await page.getByRole('button', { name: '提交记录，查看评分报告' }).click();
    await reportOf(page).waitFor();
    const saved = await page.evaluate((k) => localStorage.getItem(k), LOG_KEY);
    const analysis = await engineCall(page, 'caseLogAnalyse', saved);
    assert.equal(analysis.cases, 1);
    const log = page.locator('rl-case-log');
    const shown = await log.textContent();
    assert.ok(shown.includes(analysis.summary), 'the summary is the engine’s');
    first.guard.assertClean();
    await page.close();

    // A new page in the same browser profile: the case is still there.
    const second = await open(VIEWPORTS[0], context);
    const log2 = second.page.locator('rl-case-log');
    await log2.locator('table').first().waitFor();
    assert.equal(await log2.textContent(), shown);
    assert.equal(await second.page.evaluate((k) => localStorage.getItem(k), LOG_KEY), saved);
    assert.deepEqual(
      await log2.locator('caption').allTextContents(),
      ['按商品', '按原因', '按日期'],
    );
    assert.match(await log2.locator('table').nth(0).textContent(), new RegExp(`${scenario.order.product}\\s*1 单`));
    assert.match(await log2.locator('table').nth(1).textContent(), /商品问题\s*1 单/);
    assert.match(await log2.locator('table').nth(2).textContent(), /2026-03-\d\d\s*1 单/);
    await second.page.reload();
    await second.page.locator('#engine-status[data-state="ready"]').waitFor();
    await log2.locator('table').first().waitFor();
    assert.equal(await log2.textContent(), shown, 'and after a reload');
    for (const viewport of VIEWPORTS) {
      await second.page.setViewportSize(viewport);
      await assertLayout(second.page, `case log at ${viewport.name}`);
      await second.page.locator('#caselog').screenshot({ path: join(REPO_ROOT, 'out', 'screenshots', `dialogue-caselog-${viewport.name}.png`) });
    }

    // 清空记录 asks first: dismissing keeps the log, accepting empties it.
    await log2.getByRole('button', { name: '清空记录' }).click();
    assert.deepEqual(second.dialogs, ['confirm: 确定清空本机保存的全部记录吗？']);
    assert.equal(await log2.textContent(), shown);
    second.page.removeAllListeners('dialog');
    second.page.on('dialog', (d) => d.accept());
    await log2.getByRole('button', { name: '清空记录' }).click();
    await log2.getByText('还没有记录').waitFor();
    assert.equal(await second.page.evaluate((k) => localStorage.getItem(k), LOG_KEY), null);
    second.guard.assertClean();
    await context.close();
  });

  test('works with the keyboard alone', async () => {
    const { page, guard, context } = await open();
    const active = () =>
      page.evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return 'BODY';
        return a.id || a.textContent?.trim().slice(0, 40) || a.tagName;
      });

    // Tab from the top of the page to the scenario list, past the skip link and the nav.
    const path = [];
    for (let i = 0; i < 12 && (await active()) !== 'dlg-scenario'; i++) {
      await page.keyboard.press('Tab');
      path.push(await active());
    }
    assert.equal(path.at(-1), 'dlg-scenario', `Tab order: ${path.join(' → ')}`);
    assert.equal(path[0], '跳到主要内容');
    // Arrow keys choose the scenario; Tab on to 开始对话 and press Enter.
    for (let i = 0; i < scenarios.findIndex((s) => s.id === THREADS.scenario); i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue('#dlg-scenario'), THREADS.scenario);
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'dlg-seed');
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'dlg-exam');
    await page.keyboard.press('Tab');
    assert.equal(await active(), '开始对话');
    await page.keyboard.press('Enter');
    assert.equal(await active(), 'dlg-input', 'starting puts the cursor in the message box');

    // Ctrl+Enter sends; so does Tab to 发送 and Enter. The cursor comes back each time.
    const count = () => page.locator('rl-dialogue .dlg-layout .dlg-msg').count();
    for (const [i, line] of THREADS.lines.entries()) {
      const before = await count();
      await page.keyboard.type(line);
      if (i % 2 === 0) {
        await page.keyboard.press('Control+Enter');
      } else {
        await page.keyboard.press('Tab');
        assert.equal(await active(), '发送');
        await page.keyboard.press('Enter');
      }
      assert.equal(await count(), before + 2, `message ${i} sent`);
      if (i < THREADS.lines.length - 1) assert.equal(await active(), 'dlg-input');
    }
    assert.ok(await page.locator('#dlg-input').isDisabled());

    // The buyer has gone: the focus is in the record form; fill it with Tab and type.
    assert.equal(await active(), 'dlg-r-time');
    const scenario = scenarioById(THREADS.scenario);
    const values = {
      'dlg-r-customer': scenario.order.customer,
      'dlg-r-product': scenario.order.product,
      'dlg-r-model': scenario.order.model,
    };
    for (const [id, value] of Object.entries(values)) {
      await page.keyboard.press('Tab');
      assert.equal(await active(), id);
      await page.keyboard.type(value);
    }
    await page.keyboard.press('Tab');
    assert.equal(await active(), 'dlg-r-cause');
    await page.keyboard.press('ArrowDown'); // 商品问题
    assert.equal(await page.inputValue('#dlg-r-cause'), 'product');
    for (const [id, value] of [['dlg-r-detail', '线头多'], ['dlg-r-process', '致歉、问原因、退5元'], ['dlg-r-notes', '无']]) {
      await page.keyboard.press('Tab');
      assert.equal(await active(), id);
      await page.keyboard.type(value);
    }
    await page.keyboard.press('Tab');
    assert.equal(await active(), '提交记录，查看评分报告');
    // The focused button shows the focus ring.
    assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none');
    await page.keyboard.press('Enter');
    await reportOf(page).waitFor();
    assert.equal(await active(), '评分报告', 'the focus moves to the report');
    const turns = await chatTurns(page);
    const record = Object.fromEntries(await page.$$eval('form.dlg-record [name]', (fs) => fs.map((f) => [f.name, f.value])));
    const expected = await engineCall(page, 'gradeDialogue', { scenario: THREADS.scenario, turns, record, rubric: null });
    assert.ok(expected.steps.every((s) => s.passed));
    await assertReport(page, expected, turns);
    guard.assertClean();
    await context.close();
  });

  test('a course author can embed the trainer in a page elsewhere, without the site stylesheet', async () => {
    // Engine and styles must come from URLs resolved relative to the module, not to the page.
    const { context, page, guard } = await openCoursePage(web, {
      file: 'practice.html',
      heading: '第四单元：中差评处理',
      element: 'rl-dialogue',
      script: '../../js/dialogue/embed.js',
    });
    await page.locator('#dlg-scenario option').nth(scenarios.length - 1).waitFor({ state: 'attached' });
    assert.equal(await page.locator('#dlg-scenario option').count(), scenarios.length);
    // The element's styles arrived with it: its tokens resolve without site.css.
    const border = await page.locator('rl-dialogue').evaluate((el) => getComputedStyle(el).getPropertyValue('--color-border').trim());
    assert.equal(border, '#d5dce6');
    await pickScenario(page, GOOD.scenario);
    const answer = await say(page, GOOD.lines[0]);
    assert.ok(answer.length > 0, 'the simulated buyer answers inside the embedding page');
    await screenshot(page, 'dialogue-embedded-360x740');
    guard.assertClean();
    await context.close();
  });
});
