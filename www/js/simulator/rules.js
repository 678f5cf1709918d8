// The lesson's rules, one section per change reason (anchors #rule-<reason>), with
// the numbers of the rule sets in force, and which section explains each rejection code.
import { h } from './dom.js';

/** A price limit in yuan as people write it: 1, 0.5, 1.25. */
function yuan(amount) {
  return String(Number(amount.toFixed(2)));
}

/** "4–250 分是红心（1–5 颗）…": the level table's tiers with their credit ranges. */
function levelsText(table) {
  const names = { heart: '红心', diamond: '蓝钻', crown: '皇冠', gold_crown: '金冠' };
  const tiers = [];
  for (const band of table) {
    const last = tiers.at(-1);
    if (last?.tier === band.tier) last.count = band.count;
    else tiers.push({ tier: band.tier, min: band.min_credit, count: band.count });
  }
  const same = tiers.every((t) => t.count === tiers[0].count);
  const parts = tiers.map((t, i) => {
    const next = tiers[i + 1];
    const range = next ? `${t.min}–${next.min - 1} 分` : `${t.min} 分以上`;
    return `${range}是${names[t.tier] ?? t.tier}${same ? '' : `（1–${t.count} 个）`}`;
  });
  if (same && tiers.length) parts.push(`每种 1–${tiers[0].count} 个`);
  const first = table[0]?.min_credit ?? 0;
  return `${parts.join('，')}，共 ${table.length} 级。不到 ${first} 分没有等级。`;
}

/**
 * The lesson's rules, one section per change reason (and a few more), with the
 * numbers of the rule sets in force (`taobao`, `tmall`: the engine's `ruleSet()`),
 * so that an edited rule set is explained as it stands.
 */
export function rulesFor(taobao, tmall) {
  const t = taobao;
  const days = t.review_window_days;
  const dims = (rs) => rs.dsr.dimensions.map((d) => d.label).join('、');
  return {
    scored: { title: '好评加分、差评减分', text: `买卖双方在交易成功后 ${days} 天内互相评价。好评加 1 分，中评不加不减，差评减 1 分。买家给卖家的评价计入卖家信用，卖家给买家的评价计入买家信用。` },
    neutral: { title: '中评不计分', text: '中评不加分也不减分，但它照样显示、算进评价统计，会拉低好评率。好评率 = 好评数 ÷（好评 + 中评 + 差评）。' },
    low_price: { title: `${yuan(t.low_price_max)} 元及以下不计分`, text: `成交价格不超过 ${yuan(t.low_price_max)} 元的订单，评价照常显示，但不计入信用积分，防止用几毛钱的订单刷信用。` },
    same_item_14d: { title: `${t.same_item_days} 天同款只计一次`, text: `同一买家与同一卖家之间，任意 ${t.same_item_days} 天内就同一款商品的多笔交易，多个好评只加 1 分，多个差评只减 1 分。` },
    monthly_cap: { title: `每月最多加 ${t.monthly_cap} 分`, text: `每个自然月（按下单时间），相同买家与卖家之间的交易，双方增加的信用积分都不超过 ${t.monthly_cap} 分；差评扣分不受这个限制。` },
    default_good: { title: '默认好评', text: `一方给了好评，另一方 ${days} 天内没有评价，评价期结束时系统替他给出好评，给好评的一方加 1 分。先评的是中评或差评、或双方都没评价，就没有默认好评。` },
    auto_good: { title: '天猫：卖家自动好评', text: '天猫规则下卖家不能手动评价买家：买家的评价一被接受，系统同时替卖家给买家一个好评。天猫没有默认好评，也不能修改评价。' },
    revised: { title: `${t.revise_days} 天内改评一次`, text: `评价人给出中评或差评后 ${t.revise_days} 天内，可以修改一次：改成好评或删除。好评不能修改。改成好评时，原分数收回再按好评计分，所以差评改好评信用变化 +2。` },
    deleted: { title: '删除中差评', text: '删除也是那唯一一次修改：原来的分数收回，这条评价从统计和好评率里去掉，删除后不能再评价这笔订单。' },
    window: { title: '评价期与订单', text: `评价要在交易成功后 ${days} 天内（含第 ${days} 天）做出，每笔订单每一方只能评价一次；时间只能往前走，不存在的订单不能评价。` },
    follow_up: { title: '追评', text: `交易成功之日起 ${t.follow_up_days} 天内，买家做出评价后可以追加一次评论；追评不能修改，不影响信用积分和店铺评分。` },
    reply: { title: '解释', text: `收到评价或追评的一方可以在 ${t.reply_days} 天内做一次解释，每条评价、每条追评各一次。解释不计分，但后来的买家都看得到。` },
    dsr: { title: '店铺评分（DSR）', text: `买家给卖家打 1–5 分：${dims(t)}（天猫为${dims(tmall)}）。每项是最近 ${t.dsr.months} 个月有效评分的算术平均值；同一买家同一卖家每个自然月只计前 ${t.dsr.per_month_cap} 次；评分不能修改。` },
    levels: { title: '信用等级', text: levelsText(t.level_table) },
  };
}

const CODE_ANCHORS = {
  window_closed: 'window',
  already_reviewed: 'window',
  unknown_order: 'window',
  time_out_of_order: 'window',
  after_as_of: 'window',
  duplicate_id: 'window',
  self_trade: 'window',
  bad_price: 'window',
  created_after_completion: 'window',
  not_allowed_by_rules: 'auto_good',
  already_rated: 'dsr',
  dsr_unknown_dimension: 'dsr',
  dsr_empty: 'dsr',
  dsr_out_of_range: 'dsr',
  nothing_to_revise: 'revised',
  already_revised: 'revised',
  not_revisable: 'revised',
  revise_window_closed: 'revised',
  follow_up_needs_review: 'follow_up',
  already_followed_up: 'follow_up',
  follow_up_window_closed: 'follow_up',
  reply_not_allowed: 'reply',
  already_replied: 'reply',
  reply_window_closed: 'reply',
};

/** The section of `rules` ([`rulesFor`]) that explains a change reason or a rejection code. */
export function ruleAnchor(code, rules) {
  if (Object.hasOwn(rules, code)) return code;
  return CODE_ANCHORS[code] ?? 'window';
}

/** The rules section: one <section id="rule-…"> per rule of `rules` ([`rulesFor`]). */
export function rulesSection(titleId, rules) {
  return h('section', { class: 'rls-panel rls-rules', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, '规则说明'),
    h('p', { class: 'rls-muted' }, '变化记录里每一条都链接到这里。规则来自课程「客户评价管理的基本内容和规则解读」。'),
    h('div', { class: 'rls-rule-list' },
      Object.entries(rules).map(([id, r]) =>
        h('section', { id: `rule-${id}`, class: 'rls-rule', tabindex: '-1' }, h('h3', {}, r.title), h('p', {}, r.text)))),
  );
}
