//! Computed questions: a seeded history of trades, replayed by the rules engine;
//! the answer is read from the engine's report, never written by hand.
//!
//! The same `(kind, difficulty, seed)` always gives the same history, question
//! and answer. Higher difficulties add the rules that trip students up: orders
//! of ¥1 or less, the 14-day same-item rule, default good reviews, revised and
//! deleted reviews, the 6-point monthly cap, the 3-ratings-a-month DSR cap.

use serde_json::{json, Value};

use super::bank::ComputedKind;
use super::QuizError;
use crate::credit::rules::{Level, Tier};
use crate::credit::{replay_value, Report, RuleSet};
use crate::rng::Rng;

/// The shop every history is about.
pub const SHOP: &str = "青禾小店";
const BUYERS: [&str; 10] = [
    "小林", "阿杰", "王芳", "陈晨", "李娜", "周洋", "赵磊", "孙悦", "吴桐", "郑好",
];
const ITEMS: [&str; 10] = [
    "保温杯",
    "帆布包",
    "蓝牙耳机",
    "数据线",
    "雨伞",
    "台灯",
    "毛巾",
    "拖鞋",
    "水杯",
    "围巾",
];

/// How a student answers a generated question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Pick one option.
    Choice,
    /// Type a number.
    Number,
}

/// A generated question with its key.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The question.
    pub prompt: String,
    /// The history, one numbered line per trade.
    pub lines: Vec<String>,
    /// How to answer.
    pub input: Input,
    /// Options, for [`Input::Choice`].
    pub options: Vec<String>,
    /// The right option, for [`Input::Choice`].
    pub choice: Option<usize>,
    /// The right number, for [`Input::Number`] (already rounded to `decimals`).
    pub number: Option<f64>,
    /// Decimals the number is given to.
    pub decimals: u8,
    /// Unit shown after the input (`分`, `%`).
    pub unit: String,
    /// The key as people read it.
    pub key_text: String,
    /// How the engine got there (the rules that applied).
    pub explain: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum R {
    Good,
    Neutral,
    Bad,
}

impl R {
    fn code(self) -> &'static str {
        match self {
            R::Good => "good",
            R::Neutral => "neutral",
            R::Bad => "bad",
        }
    }
    fn zh(self) -> &'static str {
        match self {
            R::Good => "好评",
            R::Neutral => "中评",
            R::Bad => "差评",
        }
    }
}

/// One trade of a history and what happened after it.
#[derive(Clone)]
struct Trade {
    buyer: usize,
    item: usize,
    /// Price in fen (cents).
    fen: i64,
    created: i64,
    success: i64,
    review: Option<(R, i64)>,
    /// The seller reviewed the buyer first (good) and the buyer never reviewed.
    seller_first: bool,
    /// A revision of the buyer's review: (day, to good?).
    revise: Option<(i64, bool)>,
    /// A description score (DSR) given on the review day.
    dsr: Option<u8>,
}

impl Trade {
    fn new(buyer: usize, item: usize, fen: i64, created: i64, success: i64) -> Trade {
        Trade {
            buyer,
            item,
            fen,
            created,
            success,
            review: None,
            seller_first: false,
            revise: None,
            dsr: None,
        }
    }
}

/// Day `d` from 1 March 2026 (day 1) as a log time and as Chinese.
fn day(d: i64, hour: u8) -> String {
    let (m, dd) = month_day(d);
    format!("2026-{m:02}-{dd:02}T{hour:02}:00")
}

fn month_day(d: i64) -> (i64, i64) {
    match d {
        ..=31 => (3, d.max(1)),
        32..=61 => (4, d - 31),
        62..=92 => (5, d - 61),
        _ => (6, (d - 92).min(30)),
    }
}

fn zh_day(d: i64) -> String {
    let (m, dd) = month_day(d);
    format!("{m}月{dd}日")
}

fn yuan(fen: i64) -> String {
    format!("¥{}.{:02}", fen / 100, fen % 100)
}

fn name(list: &[&'static str], i: usize) -> &'static str {
    list.get(i % list.len().max(1)).copied().unwrap_or("")
}

const CIRCLED: [&str; 12] = ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩", "⑪", "⑫"];

/// The log and the lines students read; `target` is the trade whose review
/// event index is returned too.
struct Built {
    log: Value,
    lines: Vec<String>,
    review_event: Vec<Option<usize>>,
    as_of_day: i64,
}

fn build(trades: &[Trade], with_dsr_only: bool) -> Built {
    // (day, hour, seq, event, trade index, is buyer review)
    let mut events: Vec<(i64, u8, usize, Value, usize, bool)> = Vec::new();
    let mut seq = 0;
    let mut push = |events: &mut Vec<_>, d: i64, h: u8, v: Value, t: usize, r: bool| {
        seq += 1;
        events.push((d, h, seq, v, t, r));
    };
    let mut lines = Vec::new();
    let mut last = 0;
    for (i, t) in trades.iter().enumerate() {
        let id = format!("o{}", i + 1);
        let buyer = name(&BUYERS, t.buyer);
        let item = name(&ITEMS, t.item);
        push(
            &mut events,
            t.success,
            10,
            json!({"kind": "order", "id": id, "buyer": buyer, "seller": SHOP, "item": item,
                   "price": t.fen as f64 / 100.0, "created": day(t.created, 9), "at": day(t.success, 10)}),
            i,
            false,
        );
        let mut line = format!(
            "{} {}下单、{}交易成功：{} 买 {} {}",
            CIRCLED.get(i).copied().unwrap_or("·"),
            zh_day(t.created),
            zh_day(t.success),
            buyer,
            item,
            yuan(t.fen)
        );
        last = last.max(t.success);
        if let Some((r, d)) = t.review {
            push(
                &mut events,
                d,
                12,
                json!({"kind": "review", "order": id, "from": "buyer", "rating": r.code(), "at": day(d, 12)}),
                i,
                true,
            );
            if !with_dsr_only {
                line.push_str(&format!("；{} 买家给出{}", zh_day(d), r.zh()));
            }
            last = last.max(d);
        }
        if let Some(score) = t.dsr {
            let d = t.review.map(|(_, d)| d).unwrap_or(t.success + 1);
            push(
                &mut events,
                d,
                12,
                json!({"kind": "dsr", "order": id, "at": day(d, 12), "description": score}),
                i,
                false,
            );
            line.push_str(&format!(
                "；{} 给「宝贝与描述相符」打 {score} 分",
                zh_day(d)
            ));
            last = last.max(d);
        }
        if t.seller_first {
            let d = t.success + 1;
            push(
                &mut events,
                d,
                13,
                json!({"kind": "review", "order": id, "from": "seller", "rating": "good", "at": day(d, 13)}),
                i,
                false,
            );
            line.push_str(&format!(
                "；{} 卖家先给买家好评，买家 15 天内一直没有评价",
                zh_day(d)
            ));
            last = last.max(t.success + 15);
        }
        if let Some((d, good)) = t.revise {
            push(
                &mut events,
                d,
                15,
                json!({"kind": "revise", "order": id, "from": "buyer", "to": if good { "good" } else { "deleted" }, "at": day(d, 15)}),
                i,
                false,
            );
            line.push_str(&format!(
                "；{} 买家{}",
                zh_day(d),
                if good {
                    "把评价改成了好评"
                } else {
                    "删除了这条评价"
                }
            ));
            last = last.max(d);
        }
        line.push('。');
        lines.push(line);
    }
    events.sort_by_key(|e| (e.0, e.1, e.2));
    let mut review_event = vec![None; trades.len()];
    for (index, e) in events.iter().enumerate() {
        if e.5 {
            if let Some(slot) = review_event.get_mut(e.4) {
                *slot = Some(index);
            }
        }
    }
    let as_of_day = last + 16;
    let log = json!({
        "rules": "taobao",
        "as_of": day(as_of_day, 23),
        "events": events.into_iter().map(|e| e.3).collect::<Vec<_>>(),
    });
    Built {
        log,
        lines,
        review_event,
        as_of_day,
    }
}

fn replay(built: &Built) -> Result<Report, QuizError> {
    replay_value(&built.log)
        .map_err(|e| QuizError::new("internal", format!("规则引擎无法计算这道题：{e}")))
}

/// The rule set every computed question is asked under (its logs say `taobao`).
fn taobao() -> Result<RuleSet, QuizError> {
    RuleSet::builtin("taobao").map_err(|e| QuizError::new("internal", e.to_string()))
}

fn engine_gap() -> QuizError {
    QuizError::new("internal", "规则引擎的报告里缺少这道题需要的结果。")
}

fn rating(rng: &mut Rng, good: f64, neutral: f64) -> R {
    let u = rng.unit();
    if u < good {
        R::Good
    } else if u < good + neutral {
        R::Neutral
    } else {
        R::Bad
    }
}

fn price(rng: &mut Rng) -> i64 {
    rng.range(19, 399) * 100
        + [0, 50, 90]
            .get(rng.range(0, 2) as usize)
            .copied()
            .unwrap_or(0)
}

/// Fisher–Yates with the seeded generator: the same seed, the same order.
pub(crate) fn shuffle<T>(rng: &mut Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = rng.range(0, i as i64) as usize;
        v.swap(i, j);
    }
}

/// `0..n` in a seeded order (distinct buyers or items for a history).
pub(crate) fn shuffled(rng: &mut Rng, n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    shuffle(rng, &mut v);
    v
}

/// `count` plain trades with distinct buyers and items, a few days apart.
fn plain(rng: &mut Rng, count: usize, good: f64, neutral: f64) -> Vec<Trade> {
    let buyers = shuffled(rng, BUYERS.len());
    let items = shuffled(rng, ITEMS.len());
    let mut d = rng.range(1, 3);
    (0..count)
        .map(|i| {
            let created = d;
            let success = d + rng.range(1, 3);
            let mut t = Trade::new(
                buyers.get(i).copied().unwrap_or(i),
                items.get(i).copied().unwrap_or(i),
                price(rng),
                created,
                success,
            );
            t.review = Some((rating(rng, good, neutral), success + rng.range(1, 4)));
            d += rng.range(2, 4);
            t
        })
        .collect()
}

/// A trade by the same buyer for the same item, created 3–10 days after `of`.
fn repeat_of(rng: &mut Rng, of: &Trade) -> Trade {
    let created = of.created + rng.range(3, 10);
    let success = created + rng.range(1, 2);
    let mut t = Trade::new(of.buyer, of.item, of.fen, created, success);
    t.review = Some((R::Good, success + rng.range(1, 3)));
    t
}

/// Makes the first trade's review good and adds a repeat of it (same buyer and
/// item, within 14 days): the same-item rule's trap.
fn repeat_first_as_good(rng: &mut Rng, trades: &mut Vec<Trade>) {
    if let Some(first) = trades.first_mut() {
        if let Some((_, d)) = first.review {
            first.review = Some((R::Good, d));
        }
    }
    if let Some(first) = trades.first().cloned() {
        trades.push(repeat_of(rng, &first));
    }
}

fn sort_trades(trades: &mut [Trade]) {
    trades.sort_by_key(|t| (t.success, t.created));
}

fn generate_credit(rng: &mut Rng, difficulty: u8) -> Result<Generated, QuizError> {
    let mut trades = plain(rng, if difficulty == 1 { 4 } else { 3 }, 0.6, 0.2);
    if difficulty >= 2 {
        // A ¥1-or-less order and a same-item repeat within 14 days.
        let mut cheap = plain(rng, 1, 1.0, 0.0);
        if let Some(c) = cheap.first_mut() {
            c.fen = rng.range(10, 100);
            c.buyer = 8;
            c.item = 8;
        }
        trades.extend(cheap);
        repeat_first_as_good(rng, &mut trades);
    }
    if difficulty >= 3 {
        // A bad review revised to good, and a seller-first review that earns a default.
        let last = trades.iter().map(|t| t.success).max().unwrap_or(1);
        let mut bad = Trade::new(9, 9, price(rng), last + 1, last + 2);
        bad.review = Some((R::Bad, last + 3));
        bad.revise = Some((last + 3 + rng.range(2, 20), true));
        trades.push(bad);
        let mut quiet = Trade::new(7, 7, price(rng), last + 2, last + 4);
        quiet.seller_first = true;
        trades.push(quiet);
    }
    sort_trades(&mut trades);
    let built = build(&trades, false);
    let report = replay(&built)?;
    let credit = report
        .sellers
        .get(SHOP)
        .map(|a| a.credit)
        .ok_or_else(engine_gap)?;
    let rules = taobao()?;
    let reasons: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.user == SHOP)
        .map(|c| {
            format!(
                "{}（{:+}）",
                c.reason.rule_zh(&rules).trim_end_matches('。'),
                c.delta
            )
        })
        .collect();
    Ok(Generated {
        prompt: format!(
            "按淘宝规则，截至 {}，「{SHOP}」作为卖家的信用积分是多少分？（开始时为 0 分）",
            zh_day(built.as_of_day)
        ),
        lines: built.lines,
        input: Input::Number,
        options: Vec::new(),
        choice: None,
        number: Some(credit as f64),
        decimals: 0,
        unit: "分".into(),
        key_text: format!("{credit} 分"),
        explain: reasons.join("；"),
    })
}

/// Options of a "which rule" question, in this order.
const REASON_OPTIONS: [(&str, &str); 4] = [
    ("low_price", "订单金额不超过 1 元，评价不计分"),
    (
        "same_item_14d",
        "同一买家 14 天内就同款商品多次好评，只计 1 分",
    ),
    ("monthly_cap", "同一买家每个自然月最多给卖家加 6 分"),
    ("neutral", "中评不加分也不减分"),
];

fn generate_reason(rng: &mut Rng, difficulty: u8) -> Result<Generated, QuizError> {
    let target_rule = if difficulty >= 3 {
        2
    } else {
        rng.range(0, 1) as usize
    };
    let (mut trades, target_key) = match target_rule {
        0 => {
            let mut t = plain(rng, 3, 0.8, 0.1);
            let k = rng.range(0, 2) as usize;
            if let Some(x) = t.get_mut(k) {
                x.fen = rng.range(10, 100);
                if let Some((_, d)) = x.review {
                    x.review = Some((R::Good, d));
                }
            }
            (t, k)
        }
        1 => {
            let mut t = plain(rng, 2, 0.7, 0.1);
            if let Some(first) = t.first_mut() {
                if let Some((_, d)) = first.review {
                    first.review = Some((R::Good, d));
                }
            }
            let first = t.first().cloned().ok_or_else(engine_gap)?;
            let rep = repeat_of(rng, &first);
            let key = (rep.buyer, rep.created);
            t.push(rep);
            sort_trades(&mut t);
            let k = t
                .iter()
                .position(|x| (x.buyer, x.created) == key)
                .unwrap_or(0);
            (t, k)
        }
        _ => {
            // Seven good reviews from one buyer on seven items in March.
            let buyer = rng.range(0, 9) as usize;
            let items = shuffled(rng, ITEMS.len());
            let mut t: Vec<Trade> = (0..7)
                .map(|i| {
                    let created = 2 + 3 * i as i64 + rng.range(0, 1);
                    let mut x = Trade::new(
                        buyer,
                        items.get(i).copied().unwrap_or(i),
                        price(rng),
                        created,
                        created + 1,
                    );
                    x.review = Some((R::Good, created + 2));
                    x
                })
                .collect();
            sort_trades(&mut t);
            (t, 6)
        }
    };
    sort_trades(&mut trades);
    let built = build(&trades, false);
    let report = replay(&built)?;
    let event = built
        .review_event
        .get(target_key)
        .copied()
        .flatten()
        .ok_or_else(engine_gap)?;
    let change = report
        .changes
        .iter()
        .find(|c| c.event == Some(event) && c.user == SHOP)
        .ok_or_else(engine_gap)?;
    let code = change.reason.code();
    let choice = REASON_OPTIONS
        .iter()
        .position(|(c, _)| *c == code)
        .ok_or_else(|| {
            QuizError::new(
                "internal",
                format!("规则引擎给出的原因「{code}」不在选项中。"),
            )
        })?;
    Ok(Generated {
        prompt: format!(
            "按淘宝规则，第 {} 条记录中买家的评价给「{SHOP}」加了 {} 分。依据的是哪条规则？",
            CIRCLED.get(target_key).copied().unwrap_or("?"),
            change.delta
        ),
        lines: built.lines,
        input: Input::Choice,
        options: REASON_OPTIONS
            .iter()
            .map(|(_, t)| (*t).to_string())
            .collect(),
        choice: Some(choice),
        number: None,
        decimals: 0,
        unit: String::new(),
        key_text: REASON_OPTIONS
            .get(choice)
            .map(|(_, t)| (*t).to_string())
            .unwrap_or_default(),
        explain: change.message.clone(),
    })
}

/// A level as people say it: 3 颗心, 2 个皇冠.
pub fn level_text(rules: &RuleSet, level: Level) -> String {
    let n = &rules.tier_names;
    match level.tier {
        Tier::None => "还没有等级（不足 4 分）".into(),
        Tier::Heart => format!("{} 颗{}", level.count, n.heart),
        Tier::Diamond => format!("{} 颗{}", level.count, n.diamond),
        Tier::Crown => format!("{} 个{}", level.count, n.crown),
        Tier::GoldCrown => format!("{} 个{}", level.count, n.gold_crown),
    }
}

fn generate_level(rng: &mut Rng, difficulty: u8) -> Result<Generated, QuizError> {
    let rules = taobao()?;
    let bands = &rules.level_table;
    // Difficulty 1: hearts; 2: diamonds; 3: crowns and up, right at a boundary.
    let (lo, hi) = match difficulty {
        1 => (0usize, 4usize),
        2 => (5, 9),
        _ => (10, 17),
    };
    let band = rng.range(lo as i64, hi as i64) as usize;
    let min = bands
        .get(band)
        .map(|b| b.min_credit)
        .ok_or_else(engine_gap)?;
    let next = bands
        .get(band + 1)
        .map(|b| b.min_credit - 1)
        .unwrap_or(min + 1000);
    let credit = if difficulty >= 3 {
        if rng.chance(0.5) {
            min
        } else {
            next
        }
    } else {
        rng.range(min, next)
    };
    let right = rules.level(credit);
    // Options: the right level and three neighbours, shuffled.
    let idx = usize::from(right.index);
    let mut indices: Vec<usize> = vec![idx];
    for d in [1i64, -1, 2, -2, 3, 4] {
        let j = idx as i64 + d;
        if j >= 1 && (j as usize) <= bands.len() && indices.len() < 4 {
            indices.push(j as usize);
        }
    }
    let order = shuffled(rng, indices.len());
    let options: Vec<String> = order
        .iter()
        .filter_map(|&k| indices.get(k))
        .filter_map(|&j| bands.get(j - 1))
        .map(|b| level_text(&rules, rules.level(b.min_credit)))
        .collect();
    let key_text = level_text(&rules, right);
    let choice = options
        .iter()
        .position(|o| *o == key_text)
        .ok_or_else(engine_gap)?;
    Ok(Generated {
        prompt: format!(
            "按淘宝的信用等级表，一位卖家的信用积分是 {credit} 分，店铺显示的等级是哪一个？"
        ),
        lines: Vec::new(),
        input: Input::Choice,
        options,
        choice: Some(choice),
        number: None,
        decimals: 0,
        unit: String::new(),
        key_text,
        explain: format!("等级表：第 {} 级从 {} 分起。", right.index, min),
    })
}

fn round_to(x: f64, decimals: u8) -> f64 {
    let f = 10f64.powi(i32::from(decimals));
    ((x * f) + 1e-9).round() / f
}

fn generate_rate(rng: &mut Rng, difficulty: u8) -> Result<Generated, QuizError> {
    let mut trades = plain(rng, if difficulty == 1 { 7 } else { 6 }, 0.6, 0.25);
    if difficulty >= 2 {
        if let Some(t) = trades.get_mut(1) {
            t.fen = rng.range(10, 100);
        }
        repeat_first_as_good(rng, &mut trades);
    }
    if difficulty >= 3 {
        let last = trades.iter().map(|t| t.success).max().unwrap_or(1);
        let mut revised = Trade::new(8, 8, price(rng), last + 1, last + 2);
        revised.review = Some((R::Bad, last + 3));
        revised.revise = Some((last + 3 + rng.range(1, 20), true));
        trades.push(revised);
        let mut deleted = Trade::new(9, 9, price(rng), last + 2, last + 3);
        deleted.review = Some((R::Neutral, last + 4));
        deleted.revise = Some((last + 4 + rng.range(1, 20), false));
        trades.push(deleted);
    }
    sort_trades(&mut trades);
    let built = build(&trades, false);
    let report = replay(&built)?;
    let seller = report.sellers.get(SHOP).ok_or_else(engine_gap)?;
    let rate = seller.positive_rate.ok_or_else(engine_gap)?;
    let total = seller.counts.total;
    let pct = round_to(rate * 100.0, 2);
    Ok(Generated {
        prompt: format!(
            "按淘宝规则，截至 {}，「{SHOP}」的好评率是多少？（百分数，保留两位小数）",
            zh_day(built.as_of_day)
        ),
        lines: built.lines,
        input: Input::Number,
        options: Vec::new(),
        choice: None,
        number: Some(pct),
        decimals: 2,
        unit: "%".into(),
        key_text: format!("{pct:.2}%"),
        explain: format!(
            "好评率 = 好评 ÷（好评 + 中评 + 差评）= {} ÷ {} ；不计分的评价也照常显示、计入好评率，删除的评价不再计入。",
            total.good,
            total.all()
        ),
    })
}

fn generate_dsr(rng: &mut Rng, difficulty: u8) -> Result<Generated, QuizError> {
    let n = match difficulty {
        1 => 4,
        2 => 6,
        _ => 4,
    };
    let mut trades = plain(rng, n, 1.0, 0.0);
    for t in trades.iter_mut() {
        t.review = None;
        t.dsr = Some(rng.range(1, 5) as u8);
    }
    if difficulty >= 3 {
        // One buyer rates four orders whose trades succeed in the same month.
        let buyer = trades.first().map(|t| t.buyer).unwrap_or(0);
        let start = trades.iter().map(|t| t.success).max().unwrap_or(1) + 1;
        for k in 0..4 {
            let created = (start + 2 * k).min(28);
            let mut t = Trade::new(buyer, 5 + k as usize, price(rng), created, created + 1);
            t.dsr = Some(rng.range(1, 5) as u8);
            trades.push(t);
        }
    }
    sort_trades(&mut trades);
    let built = build(&trades, true);
    let report = replay(&built)?;
    let stat = report
        .sellers
        .get(SHOP)
        .and_then(|s| s.dsr.as_ref())
        .and_then(|d| d.get("description"))
        .copied()
        .ok_or_else(engine_gap)?;
    let mean = round_to(stat.mean.ok_or_else(engine_gap)?, 1);
    Ok(Generated {
        prompt: format!(
            "按淘宝规则，截至 {}，「{SHOP}」的「宝贝与描述相符」店铺评分是多少？（保留一位小数）",
            zh_day(built.as_of_day)
        ),
        lines: built.lines,
        input: Input::Number,
        options: Vec::new(),
        choice: None,
        number: Some(mean),
        decimals: 1,
        unit: "分".into(),
        key_text: format!("{mean:.1} 分"),
        explain: format!(
            "近 6 个月评分的算术平均值，计入 {} 次评分；同一买家同一自然月的交易只计前 3 次。",
            stat.count
        ),
    })
}

/// Makes the question for `kind` at `difficulty` from `seed`.
pub fn computed(kind: ComputedKind, difficulty: u8, seed: u64) -> Result<Generated, QuizError> {
    let mut rng = Rng::new(seed);
    match kind {
        ComputedKind::Credit => generate_credit(&mut rng, difficulty),
        ComputedKind::Reason => generate_reason(&mut rng, difficulty),
        ComputedKind::Level => generate_level(&mut rng, difficulty),
        ComputedKind::PositiveRate => generate_rate(&mut rng, difficulty),
        ComputedKind::Dsr => generate_dsr(&mut rng, difficulty),
    }
}
