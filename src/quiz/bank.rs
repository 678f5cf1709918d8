//! The question bank: data with a schema (`data/schema/quiz-bank.schema.json`).
//!
//! A bank has topics and questions. Every question has an `id`, a `topic`, a
//! `difficulty` (1 基础, 2 提高, 3 挑战) and a `type`:
//! `computed` (a template: the rules engine makes the question and its answer),
//! `choice`, `cause` (classify a 中/差评 as product / buyer / service), `order`
//! (put steps in order), `dialogue_step` (write one agent turn; the dialogue
//! grader checks it) and `essay` (a keyword rubric, e.g. the lesson's homework).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::QuizError;
use crate::dialogue::{scenario, CauseGroup, StepId, Turn};
use crate::text::compile;

const BUILT_IN: &str = include_str!("../../data/quiz/bank.json");

/// Most topics a bank may have (codes carry the chosen topics as 8 bits).
pub const MAX_TOPICS: usize = 8;
/// Most characters in one text field of a bank.
pub const MAX_FIELD_CHARS: usize = 2000;
/// Most questions in a bank.
pub const MAX_QUESTIONS: usize = 500;

/// A topic the teacher can choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable id (`rules`, `causes`, …).
    pub id: String,
    /// Name shown to teachers.
    pub name: String,
}

/// What a computed question asks; the answer always comes from the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComputedKind {
    /// The seller's credit after a history of trades.
    Credit,
    /// Which rule zeroed one review.
    Reason,
    /// The level (hearts, diamonds, …) for a credit.
    Level,
    /// 好评率 as a percentage with two decimals.
    PositiveRate,
    /// A shop-rating (DSR) mean to one decimal.
    Dsr,
}

/// A question template answered by the rules engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Computed {
    /// Stable id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// What is asked.
    pub kind: ComputedKind,
}

/// Multiple choice with one right option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// The question.
    pub prompt: String,
    /// 2–6 options.
    pub options: Vec<String>,
    /// Index of the right option (from 0).
    pub answer: usize,
    /// Why, shown with the key.
    #[serde(default)]
    pub explain: String,
}

/// Classify a 中评/差评 by the lesson's three causes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cause {
    /// Stable id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// The review text (what the buyer wrote, and any facts the agent found).
    pub review: String,
    /// The cause group.
    pub answer: CauseGroup,
    /// Why, shown with the key.
    #[serde(default)]
    pub explain: String,
}

/// Put items in order (shown shuffled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    /// Stable id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// The question.
    pub prompt: String,
    /// The items in the right order (2–8).
    pub items: Vec<String>,
    /// Why, shown with the key.
    #[serde(default)]
    pub explain: String,
}

/// Write the next agent turn of a dialogue; graded by the dialogue grader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialogueStep {
    /// Stable id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// A scenario id of the dialogue bank (`loose-thread-01`, …).
    pub scenario: String,
    /// The step the student's turn must accomplish.
    pub step: StepId,
    /// The task, in Chinese.
    pub prompt: String,
    /// The dialogue so far (ends with a buyer turn).
    pub context: Vec<Turn>,
    /// The step's criteria the turn must meet (empty: all of the step's).
    #[serde(default)]
    pub criteria: Vec<String>,
    /// A model answer for the key.
    pub example: String,
}

/// One point of an essay rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EssayPoint {
    /// What the point is, shown in feedback and in the key.
    pub label: String,
    /// Keywords, any of which earns the point (found inside running text).
    pub phrases: Vec<String>,
    /// A hint when the point is missing.
    #[serde(default)]
    pub hint: String,
}

/// A short written answer graded by a keyword rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Essay {
    /// Stable id.
    pub id: String,
    /// Topic id.
    pub topic: String,
    /// 1–3.
    pub difficulty: u8,
    /// The question.
    pub prompt: String,
    /// The rubric's points.
    pub points: Vec<EssayPoint>,
    /// Points needed to pass.
    pub pass: usize,
    /// A model answer for the key.
    pub example: String,
}

/// One question of the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Question {
    /// Made and answered by the rules engine.
    Computed(Computed),
    /// Multiple choice.
    Choice(Choice),
    /// Cause of a 中/差评.
    Cause(Cause),
    /// Ordering.
    Order(Order),
    /// One step of the dialogue.
    DialogueStep(DialogueStep),
    /// Short written answer.
    Essay(Essay),
}

impl Question {
    /// The question's id.
    pub fn id(&self) -> &str {
        self.meta().0
    }

    /// The topic id.
    pub fn topic(&self) -> &str {
        self.meta().1
    }

    /// 1–3.
    pub fn difficulty(&self) -> u8 {
        self.meta().2
    }

    fn meta(&self) -> (&str, &str, u8) {
        match self {
            Question::Computed(q) => (&q.id, &q.topic, q.difficulty),
            Question::Choice(q) => (&q.id, &q.topic, q.difficulty),
            Question::Cause(q) => (&q.id, &q.topic, q.difficulty),
            Question::Order(q) => (&q.id, &q.topic, q.difficulty),
            Question::DialogueStep(q) => (&q.id, &q.topic, q.difficulty),
            Question::Essay(q) => (&q.id, &q.topic, q.difficulty),
        }
    }

    /// The type's JSON name (`computed`, `choice`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Question::Computed(_) => "computed",
            Question::Choice(_) => "choice",
            Question::Cause(_) => "cause",
            Question::Order(_) => "order",
            Question::DialogueStep(_) => "dialogue_step",
            Question::Essay(_) => "essay",
        }
    }

    /// The type in Chinese.
    pub fn type_label(&self) -> &'static str {
        type_label(self.type_name())
    }
}

/// A type's Chinese name, from its JSON name.
pub fn type_label(type_name: &str) -> &'static str {
    match type_name {
        "computed" => "规则计算",
        "choice" => "选择题",
        "cause" => "原因分类",
        "order" => "排序题",
        "dialogue_step" => "对话一步",
        "essay" => "简答题",
        _ => "题目",
    }
}

/// A difficulty's Chinese name.
pub fn difficulty_label(d: u8) -> &'static str {
    match d {
        1 => "基础",
        2 => "提高",
        _ => "挑战",
    }
}

/// A whole bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bank {
    /// JSON Schema reference (kept, not checked).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Stable id.
    pub id: String,
    /// Title shown to teachers.
    pub title: String,
    /// Topics, in display order (at most 8).
    pub topics: Vec<Topic>,
    /// The questions.
    pub questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    id: String,
    title: String,
    topics: Vec<Value>,
    questions: Vec<Value>,
}

/// A serde message in Chinese, naming the field serde names.
fn serde_zh(place: &str, e: &serde_json::Error) -> QuizError {
    let text = e.to_string();
    let quoted = text.split('`').nth(1).unwrap_or("").to_string();
    if text.starts_with("missing field") {
        let field = join(place, &quoted);
        QuizError::at("invalid_bank", field, "缺少这个字段")
    } else if text.starts_with("unknown field") {
        let field = join(place, &quoted);
        QuizError::at("invalid_bank", field, "没有这个字段，请检查拼写")
    } else if text.starts_with("unknown variant") {
        let field = if place.is_empty() { "(根)" } else { place };
        QuizError::at(
            "invalid_bank",
            field,
            format!("取值「{quoted}」不在允许的范围内"),
        )
    } else if text.starts_with("invalid type") {
        let field = if place.is_empty() { "(根)" } else { place };
        QuizError::at(
            "invalid_bank",
            field,
            format!(
                "类型不对（{}）",
                text.split(" at line").next().unwrap_or("")
            ),
        )
    } else {
        let field = if place.is_empty() { "(根)" } else { place };
        QuizError::at("invalid_bank", field, text)
    }
}

fn join(place: &str, field: &str) -> String {
    if place.is_empty() {
        field.to_string()
    } else {
        format!("{place}.{field}")
    }
}

fn bad(field: impl Into<String>, message: impl Into<String>) -> QuizError {
    QuizError::at("invalid_bank", field, message)
}

impl Bank {
    /// The lesson's built-in bank.
    pub fn built_in() -> Result<Bank, QuizError> {
        Bank::from_json(BUILT_IN)
    }

    /// Reads and checks a bank given as JSON text. Errors name the field
    /// (`questions[3].answer`) and say in Chinese what is wrong.
    pub fn from_json(text: &str) -> Result<Bank, QuizError> {
        if text.trim().is_empty() {
            return Err(QuizError::new("empty_bank", "题库文件是空的。"));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| {
            QuizError::new(
                "invalid_json",
                format!(
                    "题库不是有效的 JSON（第 {} 行第 {} 列附近）。请检查括号、引号和逗号。",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        Bank::from_value(value)
    }

    /// Reads and checks a bank given as a JSON value.
    pub fn from_value(value: Value) -> Result<Bank, QuizError> {
        if !value.is_object() {
            return Err(bad("(根)", "题库应是一个 JSON 对象（{ … }）"));
        }
        let raw: RawBank = serde_json::from_value(value).map_err(|e| serde_zh("", &e))?;
        let mut topics = Vec::with_capacity(raw.topics.len());
        for (i, t) in raw.topics.into_iter().enumerate() {
            let place = format!("topics[{i}]");
            topics.push(serde_json::from_value(t).map_err(|e| serde_zh(&place, &e))?);
        }
        let mut questions = Vec::with_capacity(raw.questions.len());
        for (i, q) in raw.questions.into_iter().enumerate() {
            let place = format!("questions[{i}]");
            if q.get("type").is_none() {
                return Err(bad(
                    format!("{place}.type"),
                    "缺少这个字段（题型：computed、choice、cause、order、dialogue_step 或 essay）",
                ));
            }
            questions.push(serde_json::from_value(q).map_err(|e| serde_zh(&place, &e))?);
        }
        let bank = Bank {
            schema: raw.schema,
            id: raw.id,
            title: raw.title,
            topics,
            questions,
        };
        bank.validate()?;
        Ok(bank)
    }

    /// Checks the meaning of a parsed bank.
    pub fn validate(&self) -> Result<(), QuizError> {
        if self.id.trim().is_empty() {
            return Err(bad("id", "不能为空"));
        }
        if self.topics.is_empty() {
            return Err(bad("topics", "至少需要一个主题"));
        }
        if self.topics.len() > MAX_TOPICS {
            return Err(bad(
                "topics",
                format!("最多 {MAX_TOPICS} 个主题，现在有 {} 个", self.topics.len()),
            ));
        }
        for (i, t) in self.topics.iter().enumerate() {
            if t.id.trim().is_empty() {
                return Err(bad(format!("topics[{i}].id"), "不能为空"));
            }
            if self.topics.iter().take(i).any(|o| o.id == t.id) {
                return Err(bad(
                    format!("topics[{i}].id"),
                    format!("主题「{}」重复了", t.id),
                ));
            }
        }
        if self.questions.is_empty() {
            return Err(QuizError::at(
                "empty_bank",
                "questions",
                "题库里没有题目，请至少添加一道题。",
            ));
        }
        if self.questions.len() > MAX_QUESTIONS {
            return Err(bad("questions", format!("最多 {MAX_QUESTIONS} 道题")));
        }
        for (i, q) in self.questions.iter().enumerate() {
            self.check_question(i, q)?;
        }
        Ok(())
    }

    fn check_question(&self, i: usize, q: &Question) -> Result<(), QuizError> {
        let at = |f: &str| format!("questions[{i}].{f}");
        if q.id().trim().is_empty() {
            return Err(bad(at("id"), "不能为空"));
        }
        if let Some(j) = self.questions.iter().take(i).position(|o| o.id() == q.id()) {
            return Err(bad(
                at("id"),
                format!("题目编号「{}」与 questions[{j}] 重复", q.id()),
            ));
        }
        if !self.topics.iter().any(|t| t.id == q.topic()) {
            return Err(bad(
                at("topic"),
                format!("主题「{}」不在 topics 中", q.topic()),
            ));
        }
        if !(1..=3).contains(&q.difficulty()) {
            return Err(bad(
                at("difficulty"),
                "难度应为 1（基础）、2（提高）或 3（挑战）",
            ));
        }
        let text = |f: &str, s: &str| -> Result<(), QuizError> {
            if s.trim().is_empty() {
                Err(bad(at(f), "不能为空"))
            } else if s.chars().count() > MAX_FIELD_CHARS {
                Err(bad(at(f), format!("太长了（最多 {MAX_FIELD_CHARS} 个字）")))
            } else {
                Ok(())
            }
        };
        match q {
            Question::Computed(_) => {}
            Question::Choice(c) => {
                text("prompt", &c.prompt)?;
                if !(2..=6).contains(&c.options.len()) {
                    return Err(bad(at("options"), "选项应有 2 到 6 个"));
                }
                for (j, o) in c.options.iter().enumerate() {
                    text(&format!("options[{j}]"), o)?;
                }
                if c.answer >= c.options.len() {
                    return Err(bad(
                        at("answer"),
                        format!("答案是选项的序号（从 0 开始），应小于 {}", c.options.len()),
                    ));
                }
            }
            Question::Cause(c) => text("review", &c.review)?,
            Question::Order(o) => {
                text("prompt", &o.prompt)?;
                if !(2..=8).contains(&o.items.len()) {
                    return Err(bad(at("items"), "排序题应有 2 到 8 项"));
                }
                for (j, s) in o.items.iter().enumerate() {
                    text(&format!("items[{j}]"), s)?;
                    if o.items.iter().take(j).any(|p| p == s) {
                        return Err(bad(at(&format!("items[{j}]")), "与前面的一项相同"));
                    }
                }
            }
            Question::DialogueStep(d) => {
                text("prompt", &d.prompt)?;
                text("example", &d.example)?;
                if scenario(&d.scenario).is_err() {
                    return Err(bad(
                        at("scenario"),
                        format!("对话案例「{}」不存在", d.scenario),
                    ));
                }
                if d.step == StepId::Record {
                    return Err(bad(
                        at("step"),
                        "记录（record）不是一句对话，请选 apologize、diagnose、resolve 或 farewell",
                    ));
                }
                for (j, t) in d.context.iter().enumerate() {
                    text(&format!("context[{j}].text"), &t.text)?;
                }
            }
            Question::Essay(e) => {
                text("prompt", &e.prompt)?;
                text("example", &e.example)?;
                if e.points.is_empty() {
                    return Err(bad(at("points"), "至少需要一个得分点"));
                }
                for (j, p) in e.points.iter().enumerate() {
                    text(&format!("points[{j}].label"), &p.label)?;
                    if compile(&p.phrases).is_empty() {
                        return Err(bad(
                            at(&format!("points[{j}].phrases")),
                            "至少需要一个关键词",
                        ));
                    }
                }
                if e.pass == 0 || e.pass > e.points.len() {
                    return Err(bad(
                        at("pass"),
                        format!("及格所需得分点应在 1 到 {} 之间", e.points.len()),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The bank as JSON text (for export).
    pub fn to_json(&self) -> Result<String, QuizError> {
        serde_json::to_string_pretty(self)
            .map_err(|e| QuizError::new("internal", format!("无法导出题库：{e}")))
    }

    /// A 9-bit fingerprint of the bank's content: group codes carry it, so a
    /// group's device can tell whether it holds the teacher's bank.
    pub fn fingerprint(&self) -> u16 {
        let text = serde_json::to_string(&(&self.topics, &self.questions)).unwrap_or_default();
        (crate::dialogue::fnv1a(&text) & 0x1FF) as u16
    }

    /// The index of a topic by id.
    pub fn topic_index(&self, id: &str) -> Option<usize> {
        self.topics.iter().position(|t| t.id == id)
    }
}
