// The spot check (www/quiz.html, <rl-quiz>) in headless Chromium, played through
// as a class would: the teacher enters 8 groups and draws 5 from a shown seed;
// each drawn group opens its own link on its own page, answers and gets a result
// code; the teacher enters the codes (a typo and a code from another class are
// refused) and sees the class verdict by the lesson's rule; then CSV, projector
// and print views. Bad input keeps what the teacher typed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCREENSHOT_DIR, guardPage, screenshot, useSite } from './helpers.mjs';

const SEED = 'K7Q2MX';
const GROUPS = ['第1组', '第2组', '第3组', '第4组', '第5组', '第6组', '第7组', '<b>第8组</b>'];
// How many questions each drawn group answers right (count 6, pass mark 4):
// four groups pass, one does not → 良好.
const RIGHT = [6, 5, 4, 6, 2];

async function teacherPage({ browser, site }, viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const guard = guardPage(page);
  await page.goto(`${site.url}quiz.html`);
  await page.locator('rl-quiz[data-mode="teacher"] #rlq-draw').waitFor({ timeout: 15_000 });
  return { page, guard, context };
}

async function setUp(page, groups, { count = 6, pass = 4, seed = SEED } = {}) {
  await page.fill('#rlq-groups', groups.join('\n'));
  await page.fill('#rlq-count', String(count));
  await page.fill('#rlq-pass', String(pass));
  await page.fill('#rlq-seed', seed);
  await page.click('#rlq-draw');
}

async function drawnNames(page) {
  return (await page.locator('#rlq-run tbody .rlq-name').allTextContents()).map((s) => s.trim());
}

/** Answers the first `right` questions with the key, the rest not at all. */
async function answer(page, right) {
  const items = await page.evaluate(() => document.querySelector('rl-quiz').quiz.items);
  for (const [i, it] of items.entries()) {
    if (i >= right) break;
    const q = page.locator(`#rlq-q${i}`);
    if (it.input === 'choice') await q.locator(`input[value="${it.key.choice}"]`).check();
    else if (it.input === 'order') {
      for (const [rank, shown] of it.key.order.entries()) {
        await q.locator(`select[data-item="${shown}"]`).selectOption(String(rank + 1));
      }
    } else if (it.input === 'number') await q.locator('input').fill(`${it.key.number}`);
    else await q.locator('textarea').fill(it.key.text);
  }
  return items;
}

describe('spot-check quiz', () => {
  const web = useSite();

  test('bad input: clear Chinese messages with codes, and nothing the teacher typed is lost', async () => {
    const { page, guard, context } = await teacherPage(web);
    const error = page.locator('#rlq-run').locator('..').locator('.rlq-error').first();

    await setUp(page, GROUPS.slice(0, 4));
    await error.waitFor();
    assert.equal(await error.getAttribute('data-code'), 'too_few_groups');
    assert.match(await error.textContent(), /至少输入 5 个小组/);
    assert.equal(await page.inputValue('#rlq-groups'), GROUPS.slice(0, 4).join('\n'));

    await setUp(page, ['一组', '二组', '三组', '二组', '五组']);
    assert.equal(await error.getAttribute('data-code'), 'duplicate_group');
    assert.match(await error.textContent(), /「二组」与第 2 个小组重复/);
    assert.equal(await page.inputValue('#rlq-groups'), ['一组', '二组', '三组', '二组', '五组'].join('\n'));

    await setUp(page, GROUPS, { count: 6, pass: 9 });
    assert.equal(await error.getAttribute('data-code'), 'bad_settings');
    assert.match(await error.textContent(), /pass_mark/);

    await setUp(page, GROUPS, { seed: 'K0Q2MX' });
    assert.equal(await error.getAttribute('data-code'), 'bad_character');

    // A malformed bank: the error names the field; the groups stay.
    await page.click('#rlq-bank summary');
    const bad = { id: 'x', title: '坏题库', topics: [{ id: 'a', name: 'A' }],
      questions: [{ type: 'choice', id: 'q1', topic: 'a', difficulty: 1, prompt: '?', options: ['甲', '乙'] }] };
    await page.fill('#rlq-bank-text', JSON.stringify(bad));
    await page.click('#rlq-bank-import');
    const bankError = page.locator('#rlq-bank-error');
    await bankError.waitFor();
    assert.match(await bankError.textContent(), /questions\[0\]\.answer.*缺少这个字段/);
    assert.equal(await bankError.getAttribute('data-code'), 'invalid_bank');
    await page.fill('#rlq-bank-text', '{"id": "x", ');
    await page.click('#rlq-bank-import');
    assert.equal(await bankError.getAttribute('data-code'), 'invalid_json');
    await page.fill('#rlq-bank-text', JSON.stringify({ ...bad, questions: [] }));
    await page.click('#rlq-bank-import');
    assert.equal(await bankError.getAttribute('data-code'), 'empty_bank');
    assert.equal(await page.inputValue('#rlq-groups'), GROUPS.join('\n'));
    guard.assertClean();
    await context.close();
  });

  test('a whole spot check: 8 groups, 5 drawn, each answers on its own page, the teacher sees 良好', async () => {
    const { page, guard, context } = await teacherPage(web);
    await setUp(page, GROUPS);
    await page.locator('#rlq-run tbody tr').nth(4).waitFor();
    const names = await drawnNames(page);
    assert.equal(names.length, 5);
    assert.equal(new Set(names).size, 5);
    for (const n of names) assert.ok(GROUPS.includes(n), n);
    assert.equal(await page.locator('#rlq-run .rlq-seed').textContent(), SEED);
    // The rule is on screen.
    assert.match(await page.locator('#rlq-rule').textContent(), /5 组都合格为优秀，4 组合格为良好，3 组合格为合格/);
    // Names are text, never markup.
    assert.equal(await page.locator('rl-quiz b').count(), 0);

    // The same seed draws the same groups again.
    await page.click('#rlq-draw');
    assert.deepEqual(await drawnNames(page), names);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'quiz-teacher-1280x720');

    // Each group on its own device.
    const links = await page.locator('#rlq-run .rlq-link').evaluateAll((as) => as.map((a) => a.href));
    const codes = [];
    const prompts = [];
    for (const [p, link] of links.entries()) {
      const viewport = p === 0 ? { width: 360, height: 740 } : { width: 1280, height: 720 };
      const gctx = await web.browser.newContext({ viewport, locale: 'zh-CN' });
      const gpage = await gctx.newPage();
      const gguard = guardPage(gpage);
      await gpage.goto(link);
      await gpage.locator('rl-quiz[data-mode="group"] #rlq-submit').waitFor({ timeout: 15_000 });
      assert.equal(await gpage.locator('#rlq-group-title').textContent(), `抽查第 ${p + 1} 组：${names[p]}`);
      const items = await answer(gpage, RIGHT[p]);
      assert.equal(items.length, 6);
      prompts.push(JSON.stringify(items.map((i) => [i.prompt, i.lines, i.options])));
      if (p === 0) {
        await gpage.evaluate(() => document.fonts.ready);
        await screenshot(gpage, 'quiz-group-answering-360x740');
      }
      const event = gpage.evaluate(() => new Promise((resolve) => {
        document.addEventListener('rl-quiz-result', (e) => resolve(e.detail), { once: true });
      }));
      await gpage.click('#rlq-submit');
      assert.equal((await event).score, RIGHT[p], 'the host page hears the result');
      const code = gpage.locator('#rlq-result-code');
      await code.waitFor();
      assert.match(await gpage.locator('.rlq-score').textContent(), new RegExp(`答对 ${RIGHT[p]} / 6 题`));
      codes.push((await code.textContent()).trim());
      assert.match(codes[p], /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      if (p === 0 || p === 4) {
        await gpage.evaluate(() => document.fonts.ready);
        await screenshot(gpage, `quiz-group-result-${p === 0 ? '360x740' : 'fail-1280x720'}`);
      }
      // No horizontal scrolling on a phone.
      const overflow = await gpage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `group page ${overflow}px too wide`);
      gguard.assertClean();
      await gctx.close();
    }
    // Same mix, different questions.
    assert.equal(new Set(prompts).size, 5, 'every group got its own questions');

    // The teacher enters the codes. A changed character and a foreign code are refused first.
    const row = (p) => page.locator(`#rlq-run tbody tr[data-position="${p}"]`);
    const typo = codes[0].replace(/^./, (c) => (c === 'Z' ? 'Y' : 'Z'));
    await row(0).locator('input').fill(typo);
    await row(0).locator('.rlq-accept').click();
    const rowError = row(0).locator('.rlq-row-error');
    await rowError.waitFor();
    assert.equal(await rowError.getAttribute('data-code'), 'bad_checksum');
    assert.match(await rowError.textContent(), /校验不通过/);
    const foreign = await page.evaluate(async () => {
      const e = await import('/pkg/review_lab.js');
      const { setup } = e.quizSetup(null, 'ABCDEF', { topics: [], count: 6, pass_mark: 4 });
      return e.quizGrade(null, setup, e.quizMake(null, setup, 0), []).pretty;
    });
    await row(0).locator('input').fill(foreign);
    await row(0).locator('.rlq-accept').click();
    assert.equal(await rowError.getAttribute('data-code'), 'foreign_code');
    assert.match(await rowError.textContent(), /不属于本次抽查/);
    // Group 2's code typed in group 1's row.
    await row(0).locator('input').fill(codes[1]);
    await row(0).locator('.rlq-accept').click();
    assert.equal(await rowError.getAttribute('data-code'), 'wrong_group');

    for (const [p, code] of codes.entries()) {
      await row(p).locator('input').fill(code.toLowerCase());
      await row(p).locator('input').press('Enter');
      await row(p).locator('.rlq-outcome').waitFor();
      const want = RIGHT[p] >= 4 ? '合格' : '不合格';
      assert.match(await row(p).locator('.rlq-outcome').textContent(), new RegExp(`^${want} ${RIGHT[p]} / 6`));
    }
    const verdict = page.locator('#rlq-verdict');
    assert.equal(await verdict.locator('.rlq-verdict-label').textContent(), '良好');
    assert.match(await verdict.textContent(), /已收到 5 \/ 5 组结果，合格 4 组/);
    await page.locator('#rlq-verdict').scrollIntoViewIfNeeded();
    await screenshot(page, 'quiz-teacher-verdict-1280x720');

    // CSV for Excel and WPS.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#rlq-csv')]);
    assert.equal(dl.suggestedFilename(), `抽查结果-${SEED}.csv`);
    const bytes = await readFile(await dl.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const csv = bytes.toString('utf8').slice(1);
    assert.ok(csv.endsWith('\r\n') && !csv.replaceAll('\r\n', '').includes('\n'), 'CRLF only');
    assert.match(csv, /^"抽查种子","K7Q2MX"\r\n/);
    assert.ok(csv.includes('"班级评定","良好","合格组数","4"'));
    assert.ok(csv.includes(`"1","${names[0]}","${codes[0]}","6","6","合格"`), csv);
    assert.ok(csv.includes(`"5","${names[4]}","${codes[4]}","2","6","不合格","✓","✓","✗"`), csv);

    // The results survive a reload.
    await page.reload();
    await page.locator('#rlq-verdict .rlq-verdict-label').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('#rlq-verdict .rlq-verdict-label').textContent(), '良好');

    // Projector: large type, high contrast, a timer.
    await page.click('#rlq-projector-btn');
    const projector = page.locator('.rlq-projector');
    await projector.waitFor();
    assert.equal(await page.locator('#rlq-clock').textContent(), '10:00');
    const size = await projector.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(size >= 24, `projector type is ${size}px`);
    assert.match(await projector.textContent(), /班级评定：良好/);
    await page.click('#rlq-timer-start');
    await page.waitForFunction(() => document.querySelector('#rlq-clock').textContent !== '10:00', null, { timeout: 5000 });
    await page.click('#rlq-timer-start');
    await page.evaluate(() => document.fonts.ready);
    // The projector covers the screen: what the class sees is the viewport.
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'quiz-projector-1280x720.png') });
    await page.click('#rlq-projector-close');
    assert.equal(await projector.isHidden(), true);

    // Print: the five quizzes and the key, nothing else.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.rlq-print').isVisible(), true);
    assert.equal(await page.locator('.site-header').isVisible(), false);
    assert.equal(await page.locator('#rlq-run').isVisible(), false);
    assert.equal(await page.locator('.rlq-print .rlq-sheet').count(), 6);
    assert.match(await page.locator('.rlq-key').textContent(), new RegExp(`答案（种子 ${SEED}）`));
    await screenshot(page, 'quiz-print');
    await page.emulateMedia({ media: 'screen' });

    guard.assertClean();
    await context.close();
  });

  test("a teacher's own question: added, exported, imported again, drawn", async () => {
    const { page, guard, context } = await teacherPage(web);
    await page.click('#rlq-bank summary');
    const before = (await page.locator('#rlq-bank > p').first().textContent()).match(/共 (\d+) 题/)[1];
    // A question with one option is refused with the field named; what was typed stays.
    await page.fill('#rlq-new-prompt', '=HYPERLINK("x") 买家说“东西不错”，客服应该怎么回复？');
    await page.fill('#rlq-new-options', '感谢您的支持，期待再次为您服务！');
    await page.click('#rlq-new-add');
    const addError = page.locator('#rlq-bank .rlq-error').last();
    await addError.waitFor();
    assert.match(await addError.textContent(), /options.*2 到 6 个/);
    assert.equal(await page.inputValue('#rlq-new-options'), '感谢您的支持，期待再次为您服务！');
    await page.fill('#rlq-new-options', '感谢您的支持，期待再次为您服务！\n不客气。\n哦。');
    await page.selectOption('#rlq-new-topic', 'reply');
    await page.click('#rlq-new-add');
    await page.locator('#rlq-bank-ok').waitFor();
    assert.match(await page.locator('#rlq-bank > p').first().textContent(), new RegExp(`（教师自定义）：共 ${Number(before) + 1} 题`));

    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#rlq-bank-export')]);
    const exported = JSON.parse(await readFile(await dl.path(), 'utf8'));
    const mine = exported.questions.find((q) => q.id.startsWith('teacher-'));
    assert.equal(mine.options[mine.answer], '感谢您的支持，期待再次为您服务！');

    // Back to the built-in bank, then the exported file imported again.
    await page.getByRole('button', { name: '恢复内置题库' }).click();
    assert.match(await page.locator('#rlq-bank > p').first().textContent(), /（课程内置）/);
    await page.setInputFiles('#rlq-bank-file', await dl.path());
    await page.locator('#rlq-bank-ok').waitFor();
    assert.match(await page.locator('#rlq-bank-ok').textContent(), new RegExp(`共 ${Number(before) + 1} 题`));
    // A draw of one question from that topic reaches the teacher's question for some group.
    await page.uncheck('input[name="topic"][value="rules"]');
    for (const t of ['causes', 'steps', 'homework']) await page.uncheck(`input[name="topic"][value="${t}"]`);
    await setUp(page, GROUPS, { count: 7, pass: 4 });
    await page.locator('#rlq-run tbody tr').nth(4).waitFor();
    assert.match(await page.locator('.rlq-print').textContent(), /客服应该怎么回复/);
    guard.assertClean();
    await context.close();
  });

  test('the teacher page fits a phone', async () => {
    const { page, guard, context } = await teacherPage(web, { width: 360, height: 740 });
    await setUp(page, GROUPS);
    await page.locator('#rlq-run tbody tr').nth(4).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `teacher page ${overflow}px too wide`);
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'quiz-teacher-360x740');
    guard.assertClean();
    await context.close();
  });

  test('a group code with a typo is refused on the group page', async () => {
    const gctx = await web.browser.newContext({ locale: 'zh-CN' });
    const page = await gctx.newPage();
    const guard = guardPage(page);
    await page.goto(`${web.site.url}quiz.html#g=ABCDEFGHJKLMNPQ`);
    const err = page.locator('rl-quiz .rlq-error');
    await err.waitFor({ timeout: 15_000 });
    assert.equal(await err.getAttribute('data-code'), 'bad_checksum');
    guard.assertClean();
    await gctx.close();
  });
});
