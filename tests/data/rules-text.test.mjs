// The simulator's rules panel explains the rule sets in data/rules/ with their own
// numbers: the built-in ones as the lesson states them, and an edited one as it
// stands (a course that changes a number in the data sees the new number).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rulesFor } from '../../www/js/simulator/rules.js';

const read = (name) => JSON.parse(readFileSync(new URL(`../../data/rules/${name}`, import.meta.url), 'utf8'));

/** A rule set as the engine's ruleSet() hands it over: the level table loaded in. */
function ruleSet(name) {
  const rules = read(name);
  rules.level_table = read('levels.json').levels;
  return rules;
}

test('the built-in rule sets are explained with their numbers', () => {
  const text = rulesFor(ruleSet('taobao.json'), ruleSet('tmall.json'));
  assert.equal(text.monthly_cap.title, '每月最多加 6 分');
  assert.equal(text.same_item_14d.title, '14 天同款只计一次');
  assert.equal(text.low_price.title, '1 元及以下不计分');
  assert.equal(text.revised.title, '30 天内改评一次');
  assert.match(text.window.text, /交易成功后 15 天内（含第 15 天）/);
  assert.match(text.follow_up.text, /180 天内/);
  assert.match(text.dsr.text, /宝贝与描述相符、卖家服务态度、卖家发货速度、物流公司服务（天猫为描述相符、服务态度、物流服务）/);
  assert.match(text.dsr.text, /最近 6 个月.*只计前 3 次/);
  assert.equal(text.levels.text,
    '4–250 分是红心，251–10000 分是蓝钻，10001–500000 分是皇冠，500001 分以上是金冠，每种 1–5 个，共 20 级。不到 4 分没有等级。');
});

test('an edited rule set is explained as it stands', () => {
  const edited = {
    ...ruleSet('taobao.json'),
    review_window_days: 20,
    low_price_max: 0.5,
    same_item_days: 7,
    monthly_cap: 4,
    revise_days: 45,
    follow_up_days: 90,
    reply_days: 10,
    dsr: { ...ruleSet('taobao.json').dsr, months: 3, per_month_cap: 2 },
  };
  const text = rulesFor(edited, ruleSet('tmall.json'));
  assert.equal(text.monthly_cap.title, '每月最多加 4 分');
  assert.equal(text.same_item_14d.title, '7 天同款只计一次');
  assert.equal(text.low_price.title, '0.5 元及以下不计分');
  assert.equal(text.revised.title, '45 天内改评一次');
  assert.match(text.scored.text, /交易成功后 20 天内/);
  assert.match(text.default_good.text, /另一方 20 天内/);
  assert.match(text.follow_up.text, /之日起 90 天内/);
  assert.match(text.reply.text, /在 10 天内/);
  assert.match(text.dsr.text, /最近 3 个月.*只计前 2 次/);
  for (const [id, r] of Object.entries(text)) {
    assert.doesNotMatch(`${r.title}${r.text}`, /\b(15|14|6|30|180) (天|分|个月)/, `${id} still quotes a built-in number`);
  }
});
