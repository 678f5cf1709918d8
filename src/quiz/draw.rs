//! The seeded draw: five groups from the class, and for each drawn group a quiz
//! with the same mix of question types and difficulties.
//!
//! Everything follows from the [`Setup`] (seed, settings, bank fingerprint) and
//! the group's position in the draw (0–4): the same setup gives the same draw,
//! the same questions and the same key on every device.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::bank::{difficulty_label, type_label, Bank, Question};
use super::generate::{computed, shuffle, shuffled, Input};
use super::{QuizError, GROUPS_DRAWN};
use crate::rng::Rng;

/// Most questions in one quiz (result codes carry one bit per question).
pub const MAX_COUNT: u8 = 20;
/// Most groups a class may have.
pub const MAX_GROUPS: usize = 60;
/// Most characters in a group name.
pub const MAX_NAME_CHARS: usize = 20;
/// Seeds are 30-bit numbers, shown as six code characters.
pub const SEED_BITS: u32 = 30;

/// What the teacher chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Topic ids to draw from (empty: every topic).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Questions per quiz (1–20).
    pub count: u8,
    /// Correct answers a group needs to pass (1–count).
    pub pass_mark: u8,
}

/// Everything that fixes a spot check: the seed, the settings, the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setup {
    /// The seed (30 bits).
    pub seed: u32,
    /// Chosen topics as a bit mask over the bank's topics.
    pub topics: u8,
    /// Questions per quiz.
    pub count: u8,
    /// Correct answers needed to pass.
    pub pass_mark: u8,
    /// The bank's fingerprint ([`Bank::fingerprint`]).
    pub bank: u16,
}

impl Setup {
    /// Checks the settings against the bank and fixes the setup.
    pub fn new(bank: &Bank, seed: u32, settings: Settings) -> Result<Setup, QuizError> {
        if settings.count == 0 || settings.count > MAX_COUNT {
            return Err(QuizError::at(
                "bad_settings",
                "count",
                format!("每组题数应在 1 到 {MAX_COUNT} 之间"),
            ));
        }
        if settings.pass_mark == 0 || settings.pass_mark > settings.count {
            return Err(QuizError::at(
                "bad_settings",
                "pass_mark",
                format!("合格线应在 1 到 {}（每组题数）之间", settings.count),
            ));
        }
        let mut mask = 0u8;
        for (i, t) in settings.topics.iter().enumerate() {
            let k = bank.topic_index(t).ok_or_else(|| {
                QuizError::at(
                    "bad_settings",
                    format!("topics[{i}]"),
                    format!("题库里没有主题「{t}」"),
                )
            })?;
            mask |= 1u8 << k;
        }
        if settings.topics.is_empty() {
            mask = all_topics(bank);
        }
        let setup = Setup {
            seed: seed & ((1 << SEED_BITS) - 1),
            topics: mask,
            count: settings.count,
            pass_mark: settings.pass_mark,
            bank: bank.fingerprint(),
        };
        plan(bank, &setup)?;
        Ok(setup)
    }

    /// The chosen topic ids.
    pub fn topic_ids(&self, bank: &Bank) -> Vec<String> {
        bank.topics
            .iter()
            .enumerate()
            .filter(|(i, _)| self.topics & (1u8 << i) != 0)
            .map(|(_, t)| t.id.clone())
            .collect()
    }
}

fn all_topics(bank: &Bank) -> u8 {
    (0..bank.topics.len().min(8)).fold(0u8, |m, i| m | (1u8 << i))
}

/// Checks a class list and draws five groups: indices into `groups`, in draw order.
pub fn draw_groups(groups: &[String], seed: u32) -> Result<Vec<usize>, QuizError> {
    check_groups(groups)?;
    let mut rng = Rng::new(mix(u64::from(seed), 0xD7A3));
    let mut order: Vec<usize> = (0..groups.len()).collect();
    for i in 0..GROUPS_DRAWN.min(order.len()) {
        let j = rng.range(i as i64, order.len() as i64 - 1) as usize;
        order.swap(i, j);
    }
    order.truncate(GROUPS_DRAWN);
    Ok(order)
}

/// Checks a class list: at least five groups, names present, short and distinct.
pub fn check_groups(groups: &[String]) -> Result<(), QuizError> {
    for (i, g) in groups.iter().enumerate() {
        let name = g.trim();
        if name.is_empty() {
            return Err(QuizError::at(
                "empty_group_name",
                format!("groups[{i}]"),
                format!("第 {} 个小组没有名称", i + 1),
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(QuizError::at(
                "group_name_too_long",
                format!("groups[{i}]"),
                format!("小组名称「{name}」太长（最多 {MAX_NAME_CHARS} 个字）"),
            ));
        }
        if let Some(j) = groups.iter().take(i).position(|o| o.trim() == name) {
            return Err(QuizError::at(
                "duplicate_group",
                format!("groups[{i}]"),
                format!(
                    "小组名称「{name}」与第 {} 个小组重复，请改成不同的名称",
                    j + 1
                ),
            ));
        }
    }
    if groups.len() < GROUPS_DRAWN {
        return Err(QuizError::at(
            "too_few_groups",
            "groups",
            format!(
                "抽查要从班级中抽 {GROUPS_DRAWN} 组，现在只有 {} 组，请至少输入 {GROUPS_DRAWN} 个小组",
                groups.len()
            ),
        ));
    }
    if groups.len() > MAX_GROUPS {
        return Err(QuizError::at(
            "too_many_groups",
            "groups",
            format!("最多 {MAX_GROUPS} 个小组"),
        ));
    }
    Ok(())
}

/// Mixes a seed with a salt (SplitMix64's finaliser).
pub fn mix(a: u64, b: u64) -> u64 {
    Rng::new(a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

/// One slot of the plan: a question type and difficulty that every group's quiz has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// Type name (`choice`, …).
    pub kind: String,
    /// 1–3.
    pub difficulty: u8,
}

/// The plan: which type and difficulty each question number has, and for each
/// slot the bank questions it is drawn from (by index).
struct Plan {
    slots: Vec<(Slot, usize)>,
    pools: BTreeMap<(u8, String), Vec<usize>>,
}

const TYPE_ORDER: [&str; 6] = [
    "computed",
    "cause",
    "choice",
    "order",
    "dialogue_step",
    "essay",
];

fn type_rank(t: &str) -> usize {
    TYPE_ORDER
        .iter()
        .position(|x| *x == t)
        .unwrap_or(TYPE_ORDER.len())
}

fn plan(bank: &Bank, setup: &Setup) -> Result<Plan, QuizError> {
    let mut pools: BTreeMap<(u8, String), Vec<usize>> = BTreeMap::new();
    for (i, q) in bank.questions.iter().enumerate() {
        let Some(t) = bank.topic_index(q.topic()) else {
            continue;
        };
        if t < 8 && setup.topics & (1u8 << t) != 0 {
            pools
                .entry((q.difficulty(), q.type_name().to_string()))
                .or_default()
                .push(i);
        }
    }
    if pools.is_empty() {
        return Err(QuizError::new(
            "empty_bank",
            "所选主题下没有题目，请多选几个主题或在题库中添加题目。",
        ));
    }
    // Capacity of each (difficulty, type) in one quiz: computed templates make
    // fresh questions; other questions are used once per quiz.
    let mut keys: Vec<(u8, String)> = pools.keys().cloned().collect();
    shuffle(&mut Rng::new(mix(u64::from(setup.seed), 0x91A7)), &mut keys);
    let cap = |k: &(u8, String)| -> usize {
        if k.1 == "computed" {
            usize::MAX
        } else {
            pools.get(k).map(Vec::len).unwrap_or(0)
        }
    };
    let mut used: BTreeMap<(u8, String), usize> = BTreeMap::new();
    let mut slots: Vec<(u8, String, usize)> = Vec::new();
    let want = usize::from(setup.count);
    while slots.len() < want {
        let before = slots.len();
        for k in &keys {
            if slots.len() >= want {
                break;
            }
            let u = used.entry(k.clone()).or_insert(0);
            if *u < cap(k) {
                slots.push((k.0, k.1.clone(), *u));
                *u += 1;
            }
        }
        if slots.len() == before {
            let have: usize = keys
                .iter()
                .map(&cap)
                .fold(0usize, |a, b| a.saturating_add(b));
            return Err(QuizError::at(
                "not_enough_questions",
                "count",
                format!("所选主题下只有 {have} 道题，不够每组 {want} 题；请减少题数、多选主题或添加题目。"),
            ));
        }
    }
    // Same order for every group: by type, then difficulty.
    slots.sort_by_key(|a| (type_rank(&a.1), a.0, a.2));
    Ok(Plan {
        slots: slots
            .into_iter()
            .map(|(d, t, j)| {
                (
                    Slot {
                        kind: t,
                        difficulty: d,
                    },
                    j,
                )
            })
            .collect(),
        pools,
    })
}

/// The plan's slots: the same type and difficulty at each number for every group.
pub fn slots(bank: &Bank, setup: &Setup) -> Result<Vec<Slot>, QuizError> {
    Ok(plan(bank, setup)?
        .slots
        .into_iter()
        .map(|(s, _)| s)
        .collect())
}

/// How a student answers an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Pick one option (answer: its index).
    Choice,
    /// Put the options in order (answer: the option indices in order).
    Order,
    /// A number (answer: text).
    Number,
    /// One sentence or more (answer: text).
    Text,
}

/// The answer key of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    /// The right option.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<usize>,
    /// The option indices in the right order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<usize>>,
    /// The right number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    /// Decimals of the number.
    pub decimals: u8,
    /// The key as people read it (a model answer for written items).
    pub text: String,
    /// Why.
    pub explain: String,
}

/// One question of a group's quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizItem {
    /// 1, 2, …
    pub number: usize,
    /// The bank question's id.
    pub question: String,
    /// Its index in the bank.
    pub index: usize,
    /// Type name.
    pub kind: String,
    /// Type in Chinese.
    pub kind_label: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// 基础 / 提高 / 挑战.
    pub difficulty_label: String,
    /// The question.
    pub prompt: String,
    /// Material to read: a history, a review, the dialogue so far.
    pub lines: Vec<String>,
    /// How to answer.
    pub input: InputKind,
    /// Options (choice) or the items to order, as shown.
    pub options: Vec<String>,
    /// Unit after a number input.
    pub unit: String,
    /// The key.
    pub key: Key,
}

/// A group's quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    /// The group's position in the draw (0–4).
    pub position: u8,
    /// Correct answers needed to pass.
    pub pass_mark: u8,
    /// The items.
    pub items: Vec<QuizItem>,
}

const CAUSE_OPTIONS: [(&str, &str); 3] = [
    ("product", "商品的问题"),
    ("buyer", "买家主观感受问题"),
    ("service", "服务售后相关问题"),
];

/// The quiz of the group at `position` (0–4) in the draw.
pub fn make_quiz(bank: &Bank, setup: &Setup, position: u8) -> Result<Quiz, QuizError> {
    if usize::from(position) >= GROUPS_DRAWN {
        return Err(QuizError::at(
            "bad_position",
            "position",
            "抽查顺序应为 1 到 5",
        ));
    }
    if setup.bank != bank.fingerprint() {
        return Err(QuizError::new(
            "bank_mismatch",
            "这份测验用的是另一份题库（可能是教师自定义的题库）。请先导入教师导出的题库文件，或在教师的设备上作答。",
        ));
    }
    let plan = plan(bank, setup)?;
    let per_key = |kind: &str, d: u8| {
        plan.slots
            .iter()
            .filter(|(s, _)| s.kind == kind && s.difficulty == d)
            .count()
    };
    let mut items = Vec::with_capacity(plan.slots.len());
    for (n, (slot, j)) in plan.slots.iter().enumerate() {
        let key = (slot.difficulty, slot.kind.clone());
        let mut pool = plan.pools.get(&key).cloned().unwrap_or_default();
        // Shuffle the pool with the seed (the same for every group), then deal:
        // group p takes the questions after those of groups 0..p.
        let salt = crate::dialogue::fnv1a(&format!("{}:{}", key.0, key.1));
        shuffle(&mut Rng::new(mix(u64::from(setup.seed), salt)), &mut pool);
        let s = per_key(&slot.kind, slot.difficulty).max(1);
        let at = (usize::from(position) * s + j) % pool.len().max(1);
        let index = *pool
            .get(at)
            .ok_or_else(|| QuizError::new("internal", "题目分配出错"))?;
        let q = bank
            .questions
            .get(index)
            .ok_or_else(|| QuizError::new("internal", "题目分配出错"))?;
        let item_seed = mix(
            mix(u64::from(setup.seed), u64::from(position) + 1),
            n as u64 + 1,
        );
        items.push(item(q, index, n + 1, item_seed)?);
    }
    Ok(Quiz {
        position,
        pass_mark: setup.pass_mark,
        items,
    })
}

fn item(q: &Question, index: usize, number: usize, seed: u64) -> Result<QuizItem, QuizError> {
    let mut it = QuizItem {
        number,
        question: q.id().to_string(),
        index,
        kind: q.type_name().to_string(),
        kind_label: type_label(q.type_name()).to_string(),
        topic: q.topic().to_string(),
        difficulty: q.difficulty(),
        difficulty_label: difficulty_label(q.difficulty()).to_string(),
        prompt: String::new(),
        lines: Vec::new(),
        input: InputKind::Text,
        options: Vec::new(),
        unit: String::new(),
        key: Key {
            choice: None,
            order: None,
            number: None,
            decimals: 0,
            text: String::new(),
            explain: String::new(),
        },
    };
    match q {
        Question::Computed(c) => {
            let g = computed(c.kind, c.difficulty, seed)?;
            it.prompt = g.prompt;
            it.lines = g.lines;
            it.input = match g.input {
                Input::Choice => InputKind::Choice,
                Input::Number => InputKind::Number,
            };
            it.options = g.options;
            it.unit = g.unit;
            it.key = Key {
                choice: g.choice,
                order: None,
                number: g.number,
                decimals: g.decimals,
                text: g.key_text,
                explain: g.explain,
            };
        }
        Question::Choice(c) => {
            // Options shuffled per group, so neighbours' answers do not match.
            let order = permutation(seed, c.options.len());
            it.prompt = c.prompt.clone();
            it.input = InputKind::Choice;
            it.options = order
                .iter()
                .filter_map(|&k| c.options.get(k).cloned())
                .collect();
            let choice = order.iter().position(|&k| k == c.answer);
            it.key.choice = choice;
            it.key.text = c.options.get(c.answer).cloned().unwrap_or_default();
            it.key.explain = c.explain.clone();
        }
        Question::Cause(c) => {
            it.prompt = "这条中差评的原因属于哪一类？".into();
            it.lines = vec![c.review.clone()];
            it.input = InputKind::Choice;
            it.options = CAUSE_OPTIONS
                .iter()
                .map(|(_, t)| (*t).to_string())
                .collect();
            let code = serde_json::to_value(c.answer)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let choice = CAUSE_OPTIONS.iter().position(|(k, _)| *k == code);
            it.key.choice = choice;
            it.key.text = choice
                .and_then(|k| CAUSE_OPTIONS.get(k))
                .map(|(_, t)| (*t).to_string())
                .unwrap_or_default();
            it.key.explain = c.explain.clone();
        }
        Question::Order(o) => {
            let mut shown = permutation(seed, o.items.len());
            // Never show the items already in order.
            if shown.iter().enumerate().all(|(i, &k)| i == k) {
                shown.rotate_left(1);
            }
            it.prompt = o.prompt.clone();
            it.input = InputKind::Order;
            it.options = shown
                .iter()
                .filter_map(|&k| o.items.get(k).cloned())
                .collect();
            // key.order[i] = the shown index of the i-th item in the right order.
            let key: Vec<usize> = (0..o.items.len())
                .filter_map(|right| shown.iter().position(|&k| k == right))
                .collect();
            it.key.order = Some(key);
            it.key.text = o
                .items
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {s}", i + 1))
                .collect::<Vec<_>>()
                .join("  ");
            it.key.explain = o.explain.clone();
        }
        Question::DialogueStep(d) => {
            it.prompt = d.prompt.clone();
            it.lines = d
                .context
                .iter()
                .map(|t| {
                    let who = match t.from {
                        crate::dialogue::Speaker::Agent => "客服",
                        crate::dialogue::Speaker::Buyer => "买家",
                    };
                    format!("{who}：{}", t.text)
                })
                .collect();
            it.input = InputKind::Text;
            it.key.text = d.example.clone();
            it.key.explain = "由对话评分器按课程的评分标准判定。".into();
        }
        Question::Essay(e) => {
            it.prompt = e.prompt.clone();
            it.input = InputKind::Text;
            it.key.text = e.example.clone();
            it.key.explain = format!(
                "得分点（答到 {} 点及以上为正确）：{}",
                e.pass,
                e.points
                    .iter()
                    .map(|p| p.label.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            );
        }
    }
    Ok(it)
}

/// A seeded permutation of `0..n`.
fn permutation(seed: u64, n: usize) -> Vec<usize> {
    shuffled(&mut Rng::new(mix(seed, 0x5EED)), n)
}
