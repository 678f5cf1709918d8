//! The rubric: steps, criteria, violations and bands, as data.
//!
//! The built-in rubric of the lesson is `data/dialogue/rubric.json`; a teacher's
//! rubric with the same schema replaces it. [`Rubric::from_json`] checks both
//! the shape (unknown or missing fields) and the meaning (five steps in order,
//! bands that make sense) and names the faulty field.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::error::DialogueError;
use super::scenario::Persona;
use crate::text::{compile, Guards, Pattern};

const BUILT_IN: &str = include_str!("../../data/dialogue/rubric.json");

/// The five steps of the lesson, in the order they are graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepId {
    /// ① 真诚地表达歉意.
    Apologize,
    /// ② 与客户一起分析原因.
    Diagnose,
    /// ③ 与客户共同商定解决.
    Resolve,
    /// ④ 以温馨的道别收尾.
    Farewell,
    /// ⑤ 及时记录.
    Record,
}

impl StepId {
    /// The five ids in order.
    pub const ALL: [StepId; 5] = [
        StepId::Apologize,
        StepId::Diagnose,
        StepId::Resolve,
        StepId::Farewell,
        StepId::Record,
    ];

    /// The JSON name.
    pub fn name(self) -> &'static str {
        match self {
            StepId::Apologize => "apologize",
            StepId::Diagnose => "diagnose",
            StepId::Resolve => "resolve",
            StepId::Farewell => "farewell",
            StepId::Record => "record",
        }
    }
}

/// How a criterion is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// One of `phrases` in an agent turn (within `when`).
    Phrase,
    /// The agent proposes a remedy, asks what the buyer wants, or declines politely.
    Remedy,
    /// No cash offer above the shop's bottom line (and, with `needs_remedy`, a remedy exists).
    Amount,
    /// The scenario's true-cause keywords appear after the agent asked about the cause.
    CauseRevealed,
    /// The case record has every field filled in.
    RecordComplete,
    /// The record's cause group agrees with the scenario's true cause.
    RecordCause,
}

/// Where in the dialogue a phrase counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum When {
    /// Anywhere.
    #[default]
    Any,
    /// Before the first remedy is proposed.
    BeforeRemedy,
    /// After the first remedy is proposed.
    AfterRemedy,
    /// Before the buyer has agreed to a remedy (used by violations).
    BeforeAgreement,
    /// After the buyer has agreed to a remedy.
    AfterAgreement,
}

/// Feedback shown to the student, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    /// Shown when the criterion is met.
    pub met: String,
    /// Shown when it is not.
    pub missed: String,
}

fn yes() -> bool {
    true
}

/// One criterion of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable id within the rubric.
    pub id: String,
    /// Points when met.
    pub points: u32,
    /// Whether the step fails without it.
    #[serde(default = "yes")]
    pub required: bool,
    /// How it is checked.
    pub check: Check,
    /// Phrases to look for (for `phrase`), several phrasings each; `*` is a short gap.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Where the phrase counts.
    #[serde(default)]
    pub when: When,
    /// Drop hits in a sentence with a conditional marker (如果您非要…).
    #[serde(default)]
    pub guard_conditional: bool,
    /// Whether this criterion's first hit (ignoring `when`) marks where its step
    /// happens, for the order check.
    #[serde(default)]
    pub marks_step: bool,
    /// For `amount`: also require that some remedy was proposed.
    #[serde(default)]
    pub needs_remedy: bool,
    /// Only for these personas (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personas: Option<Vec<Persona>>,
    /// Not for these personas.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except_personas: Vec<Persona>,
    /// Feedback in Chinese.
    pub feedback: Feedback,
}

impl Criterion {
    /// Whether the criterion applies to a buyer with this persona.
    pub fn applies_to(&self, persona: Persona) -> bool {
        self.personas.as_ref().is_none_or(|p| p.contains(&persona))
            && !self.except_personas.contains(&persona)
    }
}

/// One step of the rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Which step.
    pub id: StepId,
    /// Its title in Chinese.
    pub title: String,
    /// Its criteria.
    pub criteria: Vec<Criterion>,
}

/// A fault that costs points wherever it appears in an agent turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViolationRule {
    /// Stable code, e.g. `blame`.
    pub code: String,
    /// Chinese name.
    pub title: String,
    /// Points lost per turn where it appears.
    pub cost: u32,
    /// Phrases that show it.
    pub phrases: Vec<String>,
    /// Where it counts (`any` or `before-agreement`).
    #[serde(default)]
    pub when: When,
    /// Explanation in Chinese.
    pub message: String,
}

/// Percentages of the maximum needed for each band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// 优秀 from this percentage.
    pub excellent: u32,
    /// 良好 from this percentage.
    pub good: u32,
    /// 合格 from this percentage.
    pub pass: u32,
}

/// Negators and conditional markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuardSpec {
    /// Words that cancel a phrase just after them (不用, 没有…).
    pub negators: Vec<String>,
    /// Words that make a sentence conditional or grudging (如果您非要…).
    pub conditionals: Vec<String>,
    /// Characters allowed between a negator and the phrase.
    pub window: usize,
}

/// Phrases that mark events in the dialogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Markers {
    /// The agent proposes a remedy or asks what the buyer wants.
    pub remedy: Vec<String>,
    /// The agent politely declines a demand.
    pub decline: Vec<String>,
    /// Words near an amount that make it a cash offer (补偿, 退您…).
    pub cash: Vec<String>,
    /// Words that, in the same clause, show an amount is not an offer (运费, 原价…).
    pub not_cash: Vec<String>,
    /// The buyer agrees.
    pub accept: Vec<String>,
    /// The buyer refuses (overrides `accept` in the same turn).
    pub refuse: Vec<String>,
}

/// A whole rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// JSON Schema reference (ignored).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Stable id.
    pub id: String,
    /// Title in Chinese.
    pub title: String,
    /// Band thresholds.
    pub bands: Bands,
    /// Negation and conditional guards.
    pub guards: GuardSpec,
    /// Event markers.
    pub markers: Markers,
    /// The five steps, in order.
    pub steps: Vec<Step>,
    /// Violations.
    pub violations: Vec<ViolationRule>,
}

/// 优秀 / 良好 / 合格 / 不合格.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// 优秀.
    Excellent,
    /// 良好.
    Good,
    /// 合格.
    Pass,
    /// 不合格.
    Fail,
}

impl Band {
    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Band::Excellent => "优秀",
            Band::Good => "良好",
            Band::Pass => "合格",
            Band::Fail => "不合格",
        }
    }
}

/// A serde error as an `invalid_rubric` error naming the field when serde says which.
fn bad_serde(e: &serde_json::Error) -> DialogueError {
    let text = e.to_string();
    let quoted = text.split('`').nth(1).unwrap_or("").to_string();
    let at = format!("（第 {} 行第 {} 列）", e.line(), e.column());
    if text.starts_with("missing field") {
        bad(quoted, format!("缺少这个字段{at}"))
    } else if text.starts_with("unknown field") {
        bad(quoted, format!("没有这个字段，请检查拼写{at}"))
    } else if text.starts_with("unknown variant") {
        bad("(值)", format!("取值「{quoted}」不在允许的范围内{at}"))
    } else {
        bad("(根)", text)
    }
}

fn bad(field: impl Into<String>, reason: impl Into<String>) -> DialogueError {
    DialogueError::InvalidRubric {
        field: field.into(),
        reason: reason.into(),
    }
}

impl Rubric {
    /// The built-in rubric of the lesson.
    pub fn built_in() -> &'static Rubric {
        static R: OnceLock<Rubric> = OnceLock::new();
        R.get_or_init(|| Rubric::from_json(BUILT_IN).unwrap_or_else(|_| Rubric::empty()))
    }

    fn empty() -> Rubric {
        Rubric {
            schema: None,
            id: String::new(),
            title: String::new(),
            bands: Bands {
                excellent: 90,
                good: 75,
                pass: 60,
            },
            guards: GuardSpec {
                negators: Vec::new(),
                conditionals: Vec::new(),
                window: 0,
            },
            markers: Markers {
                remedy: Vec::new(),
                decline: Vec::new(),
                cash: Vec::new(),
                not_cash: Vec::new(),
                accept: Vec::new(),
                refuse: Vec::new(),
            },
            steps: Vec::new(),
            violations: Vec::new(),
        }
    }

    /// Why the built-in rubric would not load (for tests).
    pub fn built_in_error() -> Option<DialogueError> {
        Rubric::from_json(BUILT_IN).err()
    }

    /// Parse and check a rubric.
    pub fn from_json(json: &str) -> Result<Rubric, DialogueError> {
        let rubric: Rubric = serde_json::from_str(json).map_err(|e| bad_serde(&e))?;
        rubric.validate()?;
        Ok(rubric)
    }

    /// Parse and check a rubric given as a JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Rubric, DialogueError> {
        // Through text: one deserializer for every input keeps the wasm small.
        Rubric::from_json(&value.to_string())
    }

    /// Check the meaning of a parsed rubric; the error names the field.
    pub fn validate(&self) -> Result<(), DialogueError> {
        if self.id.trim().is_empty() {
            return Err(bad("id", "不能为空"));
        }
        let b = &self.bands;
        if b.excellent > 100 || b.good > b.excellent || b.pass > b.good {
            return Err(bad(
                "bands",
                "应满足 100 ≥ excellent ≥ good ≥ pass（百分比）",
            ));
        }
        if self.guards.window > 20 {
            return Err(bad("guards.window", "不能大于 20"));
        }
        if self.steps.len() != StepId::ALL.len() {
            return Err(bad(
                "steps",
                format!("需要正好 5 个步骤，现在有 {} 个", self.steps.len()),
            ));
        }
        for (i, (step, want)) in self.steps.iter().zip(StepId::ALL).enumerate() {
            if step.id != want {
                return Err(bad(
                    format!("steps[{i}].id"),
                    format!("第 {} 个步骤应为 {}", i + 1, want.name()),
                ));
            }
            if step.criteria.is_empty() {
                return Err(bad(format!("steps[{i}].criteria"), "至少需要一条评分项"));
            }
            for (j, c) in step.criteria.iter().enumerate() {
                let at = format!("steps[{i}].criteria[{j}]");
                if c.id.trim().is_empty() {
                    return Err(bad(format!("{at}.id"), "不能为空"));
                }
                if c.points > 100 {
                    return Err(bad(format!("{at}.points"), "不能大于 100"));
                }
                if c.check == Check::Phrase && compile(&c.phrases).is_empty() {
                    return Err(bad(
                        format!("{at}.phrases"),
                        "按关键词评分时至少需要一个关键词",
                    ));
                }
            }
        }
        for (i, v) in self.violations.iter().enumerate() {
            if v.code.trim().is_empty() {
                return Err(bad(format!("violations[{i}].code"), "不能为空"));
            }
            if compile(&v.phrases).is_empty() {
                return Err(bad(
                    format!("violations[{i}].phrases"),
                    "至少需要一个关键词",
                ));
            }
        }
        if self.max_for(Persona::Polite) == 0 {
            return Err(bad("steps", "总分不能为 0"));
        }
        Ok(())
    }

    /// The highest score for a buyer with this persona.
    pub fn max_for(&self, persona: Persona) -> u32 {
        self.steps
            .iter()
            .flat_map(|s| s.criteria.iter())
            .filter(|c| c.applies_to(persona))
            .map(|c| c.points)
            .sum()
    }

    /// The band for a score.
    pub fn band(&self, total: u32, max: u32) -> Band {
        if max == 0 {
            return Band::Fail;
        }
        let pct = u64::from(total) * 100;
        let at = |p: u32| pct >= u64::from(p) * u64::from(max);
        if at(self.bands.excellent) {
            Band::Excellent
        } else if at(self.bands.good) {
            Band::Good
        } else if at(self.bands.pass) {
            Band::Pass
        } else {
            Band::Fail
        }
    }

    /// The compiled guards.
    pub fn compiled_guards(&self) -> Guards {
        Guards {
            negators: compile(&self.guards.negators),
            conditionals: compile(&self.guards.conditionals),
            window: self.guards.window,
        }
    }
}

/// A rubric with every phrase list compiled, ready for grading.
#[derive(Debug, Clone)]
pub struct CompiledRubric {
    /// Negation and conditional guards.
    pub guards: Guards,
    /// Event markers.
    pub markers: CompiledMarkers,
    /// Phrases of each criterion, by step then criterion.
    pub criteria: Vec<Vec<Vec<Pattern>>>,
    /// Phrases of each violation.
    pub violations: Vec<Vec<Pattern>>,
}

impl Rubric {
    /// Compile every phrase list.
    pub fn compile(&self) -> CompiledRubric {
        CompiledRubric {
            guards: self.compiled_guards(),
            markers: self.markers.compile(),
            criteria: self
                .steps
                .iter()
                .map(|s| s.criteria.iter().map(|c| compile(&c.phrases)).collect())
                .collect(),
            violations: self
                .violations
                .iter()
                .map(|v| compile(&v.phrases))
                .collect(),
        }
    }

    /// The built-in rubric, compiled once.
    pub fn built_in_compiled() -> &'static CompiledRubric {
        static C: OnceLock<CompiledRubric> = OnceLock::new();
        C.get_or_init(|| Rubric::built_in().compile())
    }
}

/// Compiled marker phrases.
#[derive(Debug, Clone)]
pub struct CompiledMarkers {
    /// See [`Markers::remedy`].
    pub remedy: Vec<Pattern>,
    /// See [`Markers::decline`].
    pub decline: Vec<Pattern>,
    /// See [`Markers::cash`].
    pub cash: Vec<Pattern>,
    /// See [`Markers::not_cash`].
    pub not_cash: Vec<Pattern>,
    /// See [`Markers::accept`].
    pub accept: Vec<Pattern>,
    /// See [`Markers::refuse`].
    pub refuse: Vec<Pattern>,
}

impl Markers {
    /// Compile every marker list.
    pub fn compile(&self) -> CompiledMarkers {
        CompiledMarkers {
            remedy: compile(&self.remedy),
            decline: compile(&self.decline),
            cash: compile(&self.cash),
            not_cash: compile(&self.not_cash),
            accept: compile(&self.accept),
            refuse: compile(&self.refuse),
        }
    }
}
