//! Grading: every question type, a group's result with its code, and the class
//! verdict by the lesson's rule (5 groups pass → 优秀, 4 → 良好, 3 → 合格).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::bank::{Bank, Question};
use super::code::ResultCode;
use super::draw::{InputKind, Quiz, QuizItem, Setup};
use super::QuizError;
use crate::dialogue::{check_text, grade, Band, Rubric, Transcript, Turn};
use crate::text::{compile, fold_char, normalize, GuardUse};

/// The lesson's rule, as shown on screen.
pub const RULE_ZH: &str =
    "抽查 5 组：5 组都合格为优秀，4 组合格为良好，3 组合格为合格，少于 3 组合格为不合格。";

/// The class verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// `excellent` / `good` / `pass` / `fail`.
    pub band: Band,
    /// 优秀 / 良好 / 合格 / 不合格.
    pub label: String,
    /// Groups that passed.
    pub passed: usize,
    /// The rule, in Chinese.
    pub rule: String,
}

/// The lesson's rule: 5 groups passing → 优秀, 4 → 良好, 3 → 合格, fewer → 不合格.
pub fn verdict(passed: usize) -> Verdict {
    let band = match passed {
        5.. => Band::Excellent,
        4 => Band::Good,
        3 => Band::Pass,
        _ => Band::Fail,
    };
    Verdict {
        band,
        label: band.label().to_string(),
        passed,
        rule: RULE_ZH.to_string(),
    }
}

/// The result of one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    /// Question number.
    pub number: usize,
    /// Whether an answer was given.
    pub answered: bool,
    /// Whether it is right.
    pub correct: bool,
    /// Feedback lines, in Chinese.
    pub feedback: Vec<String>,
    /// The key as people read it.
    pub expected: String,
}

/// A group's graded quiz.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuizResult {
    /// Position in the draw.
    pub position: u8,
    /// Per question.
    pub items: Vec<ItemResult>,
    /// Right answers.
    pub score: usize,
    /// Questions.
    pub max: usize,
    /// Needed to pass.
    pub pass_mark: u8,
    /// Whether the group passed.
    pub passed: bool,
    /// The result code for the teacher (10 characters, no dashes).
    pub code: String,
}

/// Grades a group's answers (one JSON value per item: an option index, a list
/// of indices for ordering, text otherwise; `null` for none).
pub fn grade_quiz(
    bank: &Bank,
    setup: &Setup,
    quiz: &Quiz,
    answers: &[Value],
) -> Result<QuizResult, QuizError> {
    let mut items = Vec::with_capacity(quiz.items.len());
    for (i, it) in quiz.items.iter().enumerate() {
        let answer = answers.get(i).unwrap_or(&Value::Null);
        items.push(grade_item(bank, it, answer)?);
    }
    let score = items.iter().filter(|r| r.correct).count();
    let passed = score >= usize::from(quiz.pass_mark);
    let code = ResultCode {
        position: quiz.position,
        correct: items.iter().map(|r| r.correct).collect(),
    }
    .encode(setup);
    Ok(QuizResult {
        position: quiz.position,
        max: items.len(),
        items,
        score,
        pass_mark: quiz.pass_mark,
        passed,
        code,
    })
}

fn unanswered(it: &QuizItem) -> ItemResult {
    ItemResult {
        number: it.number,
        answered: false,
        correct: false,
        feedback: vec!["没有作答。".into()],
        expected: it.key.text.clone(),
    }
}

/// Grades one answer.
pub fn grade_item(bank: &Bank, it: &QuizItem, answer: &Value) -> Result<ItemResult, QuizError> {
    let blank = match answer {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if blank {
        return Ok(unanswered(it));
    }
    let mut r = ItemResult {
        number: it.number,
        answered: true,
        correct: false,
        feedback: Vec::new(),
        expected: it.key.text.clone(),
    };
    match it.input {
        InputKind::Choice => {
            let picked = answer.as_u64().map(|v| v as usize);
            r.correct = picked.is_some() && picked == it.key.choice;
            if let (false, Some(p)) = (r.correct, picked) {
                if let Some(o) = it.options.get(p) {
                    r.feedback.push(format!("选了「{o}」。"));
                }
            }
        }
        InputKind::Order => {
            let given: Vec<usize> = answer
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_u64)
                        .map(|v| v as usize)
                        .collect()
                })
                .unwrap_or_default();
            let key = it.key.order.clone().unwrap_or_default();
            let right = given.iter().zip(&key).filter(|(a, b)| a == b).count();
            r.correct = given == key;
            if !r.correct {
                r.feedback
                    .push(format!("{} 项中有 {right} 项的位置正确。", key.len()));
            }
        }
        InputKind::Number => {
            let text = match answer {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => String::new(),
            };
            match parse_number(&text) {
                None => r.feedback.push(format!("「{text}」不是一个数。")),
                Some(x) => {
                    let key = it.key.number.unwrap_or(f64::NAN);
                    let tol = 0.5 * 10f64.powi(-i32::from(it.key.decimals)) - 1e-9;
                    let tol = tol.max(1e-9);
                    r.correct = (x - key).abs() <= tol
                        || (it.unit == "%"
                            && (0.0..=1.0).contains(&x)
                            && (x * 100.0 - key).abs() <= tol);
                }
            }
        }
        InputKind::Text => {
            let text = answer.as_str().unwrap_or_default();
            match bank.questions.get(it.index) {
                Some(Question::Essay(e)) => grade_essay(e, text, &mut r)?,
                Some(Question::DialogueStep(d)) => grade_step(d, text, &mut r)?,
                _ => {
                    return Err(QuizError::new(
                        "bank_mismatch",
                        "题库与测验不一致：找不到这道题的评分标准。",
                    ))
                }
            }
        }
    }
    if r.correct && r.feedback.is_empty() {
        r.feedback.push("回答正确。".into());
    }
    Ok(r)
}

/// Reads a number as students type it: full-width digits, a trailing % or 分.
pub fn parse_number(text: &str) -> Option<f64> {
    let folded: String = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    let trimmed = folded
        .trim_end_matches(['%', '分', '颗', '个'])
        .trim_start_matches('+')
        .replace(',', "");
    trimmed.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn text_error(e: crate::dialogue::DialogueError) -> QuizError {
    QuizError::new("bad_answer", e.to_string())
}

fn grade_essay(e: &super::bank::Essay, text: &str, r: &mut ItemResult) -> Result<(), QuizError> {
    check_text(text, None).map_err(text_error)?;
    let norm = normalize(text);
    let guards = Rubric::built_in().compiled_guards();
    let using = GuardUse {
        negation: true,
        conditional: false,
    };
    let mut met = 0;
    for p in &e.points {
        let hit = guards.find(&norm, &compile(&p.phrases), using);
        if hit.is_some() {
            met += 1;
            r.feedback.push(format!("✓ {}", p.label));
        } else if p.hint.is_empty() {
            r.feedback.push(format!("✗ 没有答到：{}", p.label));
        } else {
            r.feedback
                .push(format!("✗ 没有答到：{}（{}）", p.label, p.hint));
        }
    }
    r.correct = met >= e.pass;
    r.feedback.insert(
        0,
        format!(
            "答到 {met} / {} 个得分点，{} 个及以上为正确。",
            e.points.len(),
            e.pass
        ),
    );
    Ok(())
}

fn grade_step(
    d: &super::bank::DialogueStep,
    text: &str,
    r: &mut ItemResult,
) -> Result<(), QuizError> {
    check_text(text, None).map_err(text_error)?;
    let mut turns = d.context.clone();
    let mine = turns.len();
    turns.push(Turn::agent(text));
    let transcript = Transcript {
        scenario: d.scenario.clone(),
        turns,
        record: None,
        rubric: None,
    };
    let result = grade(&transcript, None).map_err(|e| QuizError::new("internal", e.to_string()))?;
    let step = result
        .steps
        .iter()
        .find(|s| s.id == d.step)
        .ok_or_else(|| QuizError::new("internal", "评分结果里缺少这一步"))?;
    let wanted = |id: &str| d.criteria.is_empty() || d.criteria.iter().any(|c| c == id);
    let mut ok = true;
    for c in step.criteria.iter().filter(|c| wanted(&c.id)) {
        // The student's own turn must meet it (not the context's).
        let met = c.met && c.turn.is_none_or(|t| t == mine);
        ok &= met;
        r.feedback
            .push(format!("{} {}", if met { "✓" } else { "✗" }, c.feedback));
    }
    for v in result.violations.iter().filter(|v| v.turn == mine) {
        ok = false;
        r.feedback
            .push(format!("✗ {}：「{}」{}", v.title, v.evidence, v.message));
    }
    r.correct = ok;
    Ok(())
}

/// One group's line in the class report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupOutcome {
    /// Position in the draw (0–4).
    pub position: u8,
    /// The group's name.
    pub name: String,
    /// The result code as entered (empty: not yet).
    pub code: String,
    /// Right or wrong per question (empty: not yet).
    pub correct: Vec<bool>,
    /// Right answers.
    pub score: usize,
    /// Questions.
    pub max: usize,
    /// Whether the group passed.
    pub passed: bool,
}

impl GroupOutcome {
    /// A group's outcome from its result code, checked against the setup.
    pub fn from_code(
        setup: &Setup,
        name: &str,
        position: u8,
        code: &str,
    ) -> Result<GroupOutcome, QuizError> {
        let r = ResultCode::decode(code, setup)?;
        if r.position != position {
            return Err(QuizError::new(
                "wrong_group",
                format!(
                    "这是抽查第 {} 组的结果码，不是第 {} 组的。请核对小组。",
                    r.position + 1,
                    position + 1
                ),
            ));
        }
        let score = r.correct.iter().filter(|&&c| c).count();
        Ok(GroupOutcome {
            position,
            name: name.to_string(),
            code: super::code::clean(code, "结果码")?,
            max: r.correct.len(),
            passed: score >= usize::from(setup.pass_mark),
            correct: r.correct,
            score,
        })
    }
}

/// The whole class: the five drawn groups and the verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassReport {
    /// The seed, as shown (six characters).
    pub seed: String,
    /// Correct answers needed per group.
    pub pass_mark: u8,
    /// Questions per group.
    pub count: u8,
    /// The drawn groups in draw order (those without a code have `code` empty).
    pub groups: Vec<GroupOutcome>,
    /// Whether every drawn group has handed in a code.
    pub complete: bool,
    /// The verdict over the groups that passed.
    pub verdict: Verdict,
}

impl ClassReport {
    /// Builds the report from the drawn groups.
    pub fn new(setup: &Setup, groups: Vec<GroupOutcome>) -> ClassReport {
        let passed = groups.iter().filter(|g| g.passed).count();
        ClassReport {
            seed: super::code::seed_text(setup.seed),
            pass_mark: setup.pass_mark,
            count: setup.count,
            complete: groups.len() == super::GROUPS_DRAWN
                && groups.iter().all(|g| !g.code.is_empty()),
            groups,
            verdict: verdict(passed),
        }
    }
}
