//! Technique ⑥ 善用评价解释: a public reply to a review, graded for thanks or
//! apology, an objective explanation, an invitation to contact the shop, no
//! blame or rude words, and no private data (phone numbers, addresses, order
//! numbers, names, account names). The rubric is `data/dialogue/reply-rubric.json`.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::error::{check_input, check_text, DialogueError};
use super::rubric::{Band, Bands, Feedback, GuardSpec};
use super::scenario::scenario;
use crate::text::{compile, normalize, GuardUse, Guards, Normalized, Pattern};

const BUILT_IN: &str = include_str!("../../data/dialogue/reply-rubric.json");

/// One criterion of the reply rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyCriterion {
    /// Stable id; `no_private_data` is checked by the private-data detector.
    pub id: String,
    /// Points when met.
    pub points: u32,
    /// Phrases to look for.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Feedback in Chinese.
    pub feedback: Feedback,
}

/// A fault in a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyViolationRule {
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub title: String,
    /// Points lost.
    pub cost: u32,
    /// Phrases that show it.
    pub phrases: Vec<String>,
    /// Explanation in Chinese.
    pub message: String,
}

/// How private data is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivateDataSpec {
    /// Points lost when private data appears.
    pub cost: u32,
    /// Surnames that, before a title, make a name (王先生).
    pub surnames: Vec<String>,
    /// Titles (先生, 女士…).
    pub titles: Vec<String>,
    /// Address patterns (`路*号`, 小区…).
    pub address: Vec<String>,
    /// Explanation in Chinese.
    pub message: String,
}

/// The reply rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyRubric {
    /// JSON Schema reference (ignored).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Stable id.
    pub id: String,
    /// Title in Chinese.
    pub title: String,
    /// Band thresholds (percent).
    pub bands: Bands,
    /// Negation guards.
    pub guards: GuardSpec,
    /// Criteria.
    pub criteria: Vec<ReplyCriterion>,
    /// Violations.
    pub violations: Vec<ReplyViolationRule>,
    /// Private-data detector.
    pub private_data: PrivateDataSpec,
}

impl ReplyRubric {
    /// The built-in reply rubric.
    pub fn built_in() -> Option<&'static ReplyRubric> {
        static R: OnceLock<Option<ReplyRubric>> = OnceLock::new();
        R.get_or_init(|| serde_json::from_str(BUILT_IN).ok())
            .as_ref()
    }

    /// Why the built-in reply rubric would not load (for tests).
    pub fn built_in_error() -> Option<String> {
        serde_json::from_str::<ReplyRubric>(BUILT_IN)
            .err()
            .map(|e| e.to_string())
    }
}

/// A request to grade a public reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyInput {
    /// The scenario whose review is answered (its buyer's account name counts as private).
    #[serde(default)]
    pub scenario: Option<String>,
    /// The reply text.
    pub reply: String,
}

/// Private data found in a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateHit {
    /// `phone`, `order_number`, `address`, `name` or `account`.
    pub kind: String,
    /// The words as written.
    pub evidence: String,
}

/// The result of one reply criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyCriterionResult {
    /// Criterion id.
    pub id: String,
    /// Whether it was met.
    pub met: bool,
    /// Points earned.
    pub points: u32,
    /// Points available.
    pub max: u32,
    /// The words that met it (or broke it, for `no_private_data`).
    pub evidence: Option<String>,
    /// Feedback in Chinese.
    pub feedback: String,
}

/// A violation in a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyViolation {
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub title: String,
    /// The words that triggered it.
    pub evidence: String,
    /// Points lost.
    pub cost: u32,
    /// Explanation.
    pub message: String,
}

/// The grade of a public reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyResult {
    /// Criteria results.
    pub criteria: Vec<ReplyCriterionResult>,
    /// Violations.
    pub violations: Vec<ReplyViolation>,
    /// Private data found.
    pub private_data: Vec<PrivateHit>,
    /// Points after violations.
    pub total: u32,
    /// Points available.
    pub max: u32,
    /// Band.
    pub band: Band,
    /// Band in Chinese.
    pub band_label: String,
}

fn digit_runs(n: &Normalized) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in n.chars.iter().enumerate() {
        match (c.is_ascii_digit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, n.chars.len()));
    }
    out
}

fn find_private(
    text: &str,
    n: &Normalized,
    spec: &PrivateDataSpec,
    account: Option<&str>,
) -> Vec<PrivateHit> {
    let mut hits = Vec::new();
    let mut push = |kind: &str, s: usize, e: usize| {
        hits.push(PrivateHit {
            kind: kind.to_string(),
            evidence: n.original(text, s, e).to_string(),
        })
    };
    for (s, e) in digit_runs(n) {
        let len = e - s;
        let second = n.chars.get(s + 1).copied().unwrap_or('0');
        if len == 11 && n.chars.get(s) == Some(&'1') && ('3'..='9').contains(&second) {
            push("phone", s, e);
        } else if len >= 12 {
            push("order_number", s, e);
        }
    }
    let address: Vec<Pattern> = compile(&spec.address);
    if let Some((s, e)) = address
        .iter()
        .flat_map(|p| p.occurrences(n))
        .min_by_key(|(s, _)| *s)
    {
        push("address", s, e);
    }
    let titles: Vec<Pattern> = compile(&spec.titles);
    let surnames: Vec<char> = spec
        .surnames
        .iter()
        .filter_map(|s| s.chars().next())
        .collect();
    for t in &titles {
        for (s, e) in t.occurrences(n) {
            let before = s.checked_sub(1).and_then(|p| n.chars.get(p));
            if before.is_some_and(|c| surnames.contains(c)) {
                push("name", s - 1, e);
            }
        }
    }
    if let Some(acc) = account.and_then(Pattern::new) {
        if let Some((s, e)) = acc.occurrences(n).into_iter().next() {
            push("account", s, e);
        }
    }
    hits
}

/// Grade a public reply with the built-in reply rubric.
pub fn grade_reply(input: &ReplyInput) -> Result<ReplyResult, DialogueError> {
    check_text(&input.reply, None)?;
    let account = match &input.scenario {
        Some(id) => Some(scenario(id)?.order.customer.as_str()),
        None => None,
    };
    let rubric = ReplyRubric::built_in().ok_or_else(|| DialogueError::InvalidRubric {
        field: "reply-rubric".into(),
        reason: "内置的回复评分标准无法读取".into(),
    })?;
    let guards = Guards {
        negators: compile(&rubric.guards.negators),
        conditionals: compile(&rubric.guards.conditionals),
        window: rubric.guards.window,
    };
    let using = GuardUse {
        negation: true,
        conditional: true,
    };
    let n = normalize(&input.reply);
    let private = find_private(&input.reply, &n, &rubric.private_data, account);

    let mut criteria = Vec::new();
    for c in &rubric.criteria {
        let (met, evidence) = if c.id == "no_private_data" {
            (
                private.is_empty(),
                private.first().map(|p| p.evidence.clone()),
            )
        } else {
            let hit = guards.find(&n, &compile(&c.phrases), using);
            (
                hit.is_some(),
                hit.map(|h| n.original(&input.reply, h.start, h.end).to_string()),
            )
        };
        criteria.push(ReplyCriterionResult {
            id: c.id.clone(),
            met,
            points: if met { c.points } else { 0 },
            max: c.points,
            evidence,
            feedback: if met {
                c.feedback.met.clone()
            } else {
                c.feedback.missed.clone()
            },
        });
    }
    let mut violations = Vec::new();
    for v in &rubric.violations {
        let plain = GuardUse {
            negation: true,
            conditional: false,
        };
        if let Some(h) = guards.find(&n, &compile(&v.phrases), plain) {
            violations.push(ReplyViolation {
                code: v.code.clone(),
                title: v.title.clone(),
                evidence: n.original(&input.reply, h.start, h.end).to_string(),
                cost: v.cost,
                message: v.message.clone(),
            });
        }
    }
    if !private.is_empty() {
        violations.push(ReplyViolation {
            code: "private_data".into(),
            title: "泄露隐私".into(),
            evidence: private
                .iter()
                .map(|p| p.evidence.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            cost: rubric.private_data.cost,
            message: rubric.private_data.message.clone(),
        });
    }
    let max: u32 = criteria.iter().map(|c| c.max).sum();
    let earned: u32 = criteria.iter().map(|c| c.points).sum();
    let lost: u32 = violations.iter().map(|v| v.cost).sum();
    let total = earned.saturating_sub(lost);
    let band = band(&rubric.bands, total, max);
    Ok(ReplyResult {
        criteria,
        violations,
        private_data: private,
        total,
        max,
        band,
        band_label: band.label().to_string(),
    })
}

fn band(b: &Bands, total: u32, max: u32) -> Band {
    let pct = u64::from(total) * 100;
    let at = |p: u32| max > 0 && pct >= u64::from(p) * u64::from(max);
    if at(b.excellent) {
        Band::Excellent
    } else if at(b.good) {
        Band::Good
    } else if at(b.pass) {
        Band::Pass
    } else {
        Band::Fail
    }
}

/// Grade a public reply given as JSON (`{"scenario": "…", "reply": "…"}`), answer in JSON.
///
/// ```
/// let out = review_lab::dialogue::grade_reply_json(
///     r#"{"reply":"感谢您的反馈！色差是拍摄光线造成的，如有问题欢迎联系在线客服。"}"#,
/// )?;
/// assert!(out.contains("\"band\":\"excellent\""));
/// # Ok::<(), review_lab::dialogue::DialogueError>(())
/// ```
pub fn grade_reply_json(json: &str) -> Result<String, DialogueError> {
    check_input(json)?;
    let input: ReplyInput = serde_json::from_str(json).map_err(|e| DialogueError::InvalidJson {
        detail: super::error::json_detail(&e),
    })?;
    let r = grade_reply(&input)?;
    serde_json::to_string(&r).map_err(|e| DialogueError::InvalidJson {
        detail: super::error::json_detail(&e),
    })
}
