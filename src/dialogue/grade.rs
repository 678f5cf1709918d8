//! The grader: a transcript in, five steps, violations and a band out.

use serde::{Deserialize, Serialize};

use super::amount::cash_offers;
use super::error::DialogueError;
use super::record::CaseRecord;
use super::rubric::{
    Band, Check, CompiledMarkers, CompiledRubric, Criterion, Rubric, StepId, When,
};
use super::scenario::{scenario, Scenario};
use super::transcript::{Speaker, Transcript};
use crate::text::{compile, normalize, GuardUse, Guards, Normalized, Pattern};

/// The result of one criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionResult {
    /// Criterion id.
    pub id: String,
    /// Whether it was met.
    pub met: bool,
    /// Points earned.
    pub points: u32,
    /// Points available.
    pub max: u32,
    /// The turn (from 0, over the whole transcript) holding the evidence.
    pub turn: Option<usize>,
    /// The words that met it, as the student wrote them.
    pub evidence: Option<String>,
    /// Feedback in Chinese.
    pub feedback: String,
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepResult {
    /// Step id.
    pub id: StepId,
    /// Step title in Chinese.
    pub title: String,
    /// Whether every required criterion was met.
    pub passed: bool,
    /// Points earned.
    pub score: u32,
    /// Points available.
    pub max: u32,
    /// Criteria results.
    pub criteria: Vec<CriterionResult>,
}

/// One violation found in an agent turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Stable code, e.g. `blame`.
    pub code: String,
    /// Chinese name.
    pub title: String,
    /// The turn, from 0.
    pub turn: usize,
    /// The words that triggered it.
    pub evidence: String,
    /// Points lost.
    pub cost: u32,
    /// Explanation in Chinese.
    pub message: String,
}

/// The grader's answer (the spec's JSON contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeResult {
    /// Scenario id.
    pub scenario: String,
    /// The five steps, always in order.
    pub steps: Vec<StepResult>,
    /// Violations, in turn order.
    pub violations: Vec<Violation>,
    /// Whether the steps happened in the lesson's order.
    pub order_ok: bool,
    /// Points after violations.
    pub total: u32,
    /// Points available.
    pub max: u32,
    /// `excellent` / `good` / `pass` / `fail`.
    pub band: Band,
    /// The band in Chinese (优秀 / 良好 / 合格 / 不合格).
    pub band_label: String,
}

/// A place in the transcript: turn, then normalised character.
type Pos = (usize, usize);

struct Prepared<'a> {
    transcript: &'a Transcript,
    norm: Vec<Normalized>,
    guards: &'a Guards,
    markers: &'a CompiledMarkers,
    scenario: &'a Scenario,
    /// First remedy proposed, asked for, or demand declined.
    anchor: Option<Pos>,
    /// First buyer turn agreeing after the anchor.
    agreed: Option<usize>,
}

const PLAIN: GuardUse = GuardUse {
    negation: true,
    conditional: false,
};

impl<'a> Prepared<'a> {
    fn new(
        transcript: &'a Transcript,
        compiled: &'a CompiledRubric,
        scenario: &'a Scenario,
    ) -> Self {
        let norm: Vec<Normalized> = transcript
            .turns
            .iter()
            .map(|t| normalize(&t.text))
            .collect();
        let mut p = Prepared {
            transcript,
            norm,
            guards: &compiled.guards,
            markers: &compiled.markers,
            scenario,
            anchor: None,
            agreed: None,
        };
        p.anchor = p.first_anchor();
        p.agreed = p.first_agreement();
        p
    }

    fn agent_turns(&self) -> impl Iterator<Item = (usize, &Normalized)> {
        self.transcript
            .turns
            .iter()
            .zip(self.norm.iter())
            .enumerate()
            .filter(|(_, (t, _))| t.from == Speaker::Agent)
            .map(|(i, (_, n))| (i, n))
    }

    fn words(&self, turn: usize, start: usize, end: usize) -> String {
        match (self.transcript.turns.get(turn), self.norm.get(turn)) {
            (Some(t), Some(n)) => n.original(&t.text, start, end).to_string(),
            _ => String::new(),
        }
    }

    fn first_anchor(&self) -> Option<Pos> {
        self.agent_turns().find_map(|(i, n)| {
            let r = self.guards.find(n, &self.markers.remedy, PLAIN);
            let d = self.guards.find(n, &self.markers.decline, PLAIN);
            let start = match (r, d) {
                (Some(a), Some(b)) => a.start.min(b.start),
                (Some(a), None) | (None, Some(a)) => a.start,
                (None, None) => return None,
            };
            Some((i, start))
        })
    }

    fn anchor_words(&self) -> Option<(usize, String)> {
        let (turn, _) = self.anchor?;
        let n = self.norm.get(turn)?;
        let hit = [&self.markers.remedy, &self.markers.decline]
            .into_iter()
            .filter_map(|m| self.guards.find(n, m, PLAIN))
            .min_by_key(|h| h.start)?;
        Some((turn, self.words(turn, hit.start, hit.end)))
    }

    fn first_agreement(&self) -> Option<usize> {
        let (from, _) = self.anchor?;
        self.transcript
            .turns
            .iter()
            .zip(self.norm.iter())
            .enumerate()
            .skip(from + 1)
            .filter(|(_, (t, _))| t.from == Speaker::Buyer)
            .find(|(_, (_, n))| {
                self.guards.find(n, &self.markers.accept, PLAIN).is_some()
                    && self.guards.find(n, &self.markers.refuse, PLAIN).is_none()
            })
            .map(|(i, _)| i)
    }

    /// Earliest hit of `phrases` in agent turns that fits `when`.
    fn phrase_hit(
        &self,
        c: &Criterion,
        patterns: &[Pattern],
        ignore_when: bool,
    ) -> Option<(Pos, String)> {
        let using = GuardUse {
            negation: true,
            conditional: c.guard_conditional,
        };
        let when = if ignore_when { When::Any } else { c.when };
        for (i, n) in self.agent_turns() {
            let from = match (when, self.anchor) {
                (When::AfterRemedy, None) => return None,
                (When::AfterRemedy, Some((at, s))) if at == i => s + 1,
                (When::AfterRemedy, Some((at, _))) if i < at => continue,
                (When::BeforeAgreement, _) if self.agreed.is_some_and(|a| i > a) => return None,
                (When::AfterAgreement, _) => match self.agreed {
                    None => return None,
                    Some(a) if i < a => continue,
                    Some(_) => 0,
                },
                _ => 0,
            };
            if let Some(hit) = self.guards.find_from(n, patterns, using, from) {
                if when == When::BeforeRemedy {
                    if let Some(anchor) = self.anchor {
                        if (i, hit.start) >= anchor {
                            return None;
                        }
                    }
                }
                return Some(((i, hit.start), self.words(i, hit.start, hit.end)));
            }
        }
        None
    }
}

fn result(
    c: &Criterion,
    met: bool,
    at: Option<(usize, String)>,
    note: Option<String>,
) -> CriterionResult {
    let base = if met {
        &c.feedback.met
    } else {
        &c.feedback.missed
    };
    let feedback = match note {
        Some(n) => format!("{base}{n}"),
        None => base.clone(),
    };
    let (turn, evidence) = match at {
        Some((t, e)) => (Some(t), Some(e)),
        None => (None, None),
    };
    CriterionResult {
        id: c.id.clone(),
        met,
        points: if met { c.points } else { 0 },
        max: c.points,
        turn,
        evidence,
        feedback,
    }
}

fn grade_record(
    c: &Criterion,
    record: Option<&CaseRecord>,
    scenario: &Scenario,
) -> CriterionResult {
    let Some(r) = record else {
        return result(c, false, None, Some("（没有填写记录）".to_string()));
    };
    match c.check {
        Check::RecordComplete => {
            let missing = r.missing();
            if missing.is_empty() {
                result(c, true, None, None)
            } else {
                let names: Vec<&str> = missing.iter().map(|(_, zh)| *zh).collect();
                result(
                    c,
                    false,
                    None,
                    Some(format!("（缺少：{}）", names.join("、"))),
                )
            }
        }
        _ => match r.cause_group() {
            Some(g) if g == scenario.truth.group => {
                result(c, true, None, Some(format!("（{}）", g.label())))
            }
            Some(g) => result(
                c,
                false,
                None,
                Some(format!(
                    "（记录为「{}」，对话中查明的是「{}」）",
                    g.label(),
                    scenario.truth.group.label()
                )),
            ),
            None => result(
                c,
                false,
                None,
                Some("（原因分类应为 product / buyer / service 之一）".to_string()),
            ),
        },
    }
}

/// Grade a transcript with a rubric (`None`: the built-in rubric of the lesson).
///
/// ```
/// use review_lab::dialogue::{grade, Transcript, Turn};
/// let t = Transcript {
///     scenario: "loose-thread-01".into(),
///     turns: vec![Turn::agent("非常抱歉给您带来不便，请问是哪里不满意呢？")],
///     record: None,
///     rubric: None,
/// };
/// let r = grade(&t, None)?;
/// assert_eq!(r.steps.len(), 5);
/// assert!(r.steps[0].passed);
/// # Ok::<(), review_lab::dialogue::DialogueError>(())
/// ```
pub fn grade(
    transcript: &Transcript,
    rubric: Option<&Rubric>,
) -> Result<GradeResult, DialogueError> {
    transcript.check()?;
    let scenario = scenario(&transcript.scenario)?;
    let owned;
    let rubric = match (rubric, &transcript.rubric) {
        (Some(r), _) => r,
        (None, Some(v)) if !v.is_null() => {
            owned = Rubric::from_value(v.clone())?;
            &owned
        }
        _ => Rubric::built_in(),
    };
    if rubric.steps.is_empty() {
        return Err(DialogueError::InvalidRubric {
            field: "steps".into(),
            reason: "内置评分标准无法读取".into(),
        });
    }
    let owned_compiled;
    let compiled = if std::ptr::eq(rubric, Rubric::built_in()) {
        Rubric::built_in_compiled()
    } else {
        owned_compiled = rubric.compile();
        &owned_compiled
    };
    let p = Prepared::new(transcript, compiled, scenario);
    let persona = scenario.persona;

    let mut steps = Vec::with_capacity(5);
    let mut order_marks: Vec<usize> = Vec::new();
    let no_patterns: Vec<Vec<Pattern>> = Vec::new();
    for (si, step) in rubric.steps.iter().enumerate() {
        let step_patterns = compiled.criteria.get(si).unwrap_or(&no_patterns);
        let mut criteria = Vec::new();
        let mut first_phrase: Option<Pos> = None;
        let mut mark: Option<usize> = None;
        for (ci, c) in step.criteria.iter().enumerate() {
            if !c.applies_to(persona) {
                continue;
            }
            let patterns: &[Pattern] = step_patterns.get(ci).map_or(&[], Vec::as_slice);
            let r = match c.check {
                Check::Phrase => {
                    let hit = p.phrase_hit(c, patterns, false);
                    if let Some((pos, _)) = &hit {
                        first_phrase = Some(first_phrase.map_or(*pos, |f| f.min(*pos)));
                    }
                    if c.marks_step {
                        if let Some(((t, _), _)) = p.phrase_hit(c, patterns, true) {
                            mark = Some(mark.map_or(t, |m: usize| m.min(t)));
                        }
                    }
                    let met = hit.is_some();
                    result(c, met, hit.map(|((t, _), w)| (t, w)), None)
                }
                Check::Remedy => {
                    if c.marks_step {
                        mark = p.anchor.map(|(t, _)| t);
                    }
                    let at = p.anchor_words();
                    result(c, at.is_some(), at, None)
                }
                Check::Amount => {
                    let limit = scenario.bottom_line.max_yuan;
                    let mut worst: Option<(u32, usize, String)> = None;
                    for (i, n) in p.agent_turns() {
                        for o in cash_offers(n, &p.markers.cash, &p.markers.not_cash, p.guards) {
                            if worst.as_ref().is_none_or(|w| o.yuan > w.0) {
                                worst = Some((o.yuan, i, p.words(i, o.start, o.end)));
                            }
                        }
                    }
                    match worst {
                        Some((y, i, w)) if y > limit => result(
                            c,
                            false,
                            Some((i, w)),
                            Some(format!("（¥{y} 超出了本单底线 ¥{limit}）")),
                        ),
                        Some((_, i, w)) => {
                            result(c, !c.needs_remedy || p.anchor.is_some(), Some((i, w)), None)
                        }
                        None => {
                            let met = !c.needs_remedy || p.anchor.is_some();
                            result(c, met, if met { p.anchor_words() } else { None }, None)
                        }
                    }
                }
                Check::CauseRevealed => {
                    let keys = compile(&p.scenario.truth.keywords);
                    let found = first_phrase.and_then(|(ft, fs)| {
                        p.norm.iter().enumerate().skip(ft).find_map(|(i, n)| {
                            // the buyer's words after the question, or the agent's in a later turn
                            let speaker = p.transcript.turns.get(i).map(|t| t.from);
                            if i == ft && speaker == Some(Speaker::Agent) {
                                return None;
                            }
                            let from = if i == ft { fs } else { 0 };
                            p.guards
                                .find_from(n, &keys, PLAIN, from)
                                .map(|h| (i, p.words(i, h.start, h.end)))
                        })
                    });
                    let note = if found.is_none() {
                        Some(format!("（本单真正的原因：{}）", p.scenario.truth.detail))
                    } else {
                        None
                    };
                    result(c, found.is_some(), found, note)
                }
                Check::RecordComplete | Check::RecordCause => {
                    grade_record(c, transcript.record.as_ref(), scenario)
                }
            };
            criteria.push((c.required, r));
        }
        if let Some(m) = mark {
            order_marks.push(m);
        }
        let passed = !criteria.is_empty() && criteria.iter().all(|(req, r)| !req || r.met);
        let criteria: Vec<CriterionResult> = criteria.into_iter().map(|(_, r)| r).collect();
        steps.push(StepResult {
            id: step.id,
            title: step.title.clone(),
            passed,
            score: criteria.iter().map(|c| c.points).sum(),
            max: criteria.iter().map(|c| c.max).sum(),
            criteria,
        });
    }

    let mut violations = Vec::new();
    for (ri, rule) in rubric.violations.iter().enumerate() {
        let patterns: &[Pattern] = compiled.violations.get(ri).map_or(&[], Vec::as_slice);
        for (i, n) in p.agent_turns() {
            if rule.when == When::BeforeAgreement && p.agreed.is_some_and(|a| i > a) {
                break;
            }
            if let Some(h) = p.guards.find(n, patterns, PLAIN) {
                violations.push(Violation {
                    code: rule.code.clone(),
                    title: rule.title.clone(),
                    turn: i,
                    evidence: p.words(i, h.start, h.end),
                    cost: rule.cost,
                    message: rule.message.clone(),
                });
            }
        }
    }
    violations.sort_by_key(|v| v.turn);

    let order_ok = order_marks
        .windows(2)
        .all(|w| matches!(w, [a, b] if a <= b));
    let max: u32 = steps.iter().map(|s| s.max).sum();
    let earned: u32 = steps.iter().map(|s| s.score).sum();
    let lost: u32 = violations.iter().map(|v| v.cost).sum();
    let total = earned.saturating_sub(lost);
    let band = rubric.band(total, max);
    Ok(GradeResult {
        scenario: scenario.id.clone(),
        steps,
        violations,
        order_ok,
        total,
        max,
        band,
        band_label: band.label().to_string(),
    })
}

/// Grade a transcript given as JSON (the spec's contract) and answer in JSON.
pub fn grade_json(input: &str) -> Result<String, DialogueError> {
    super::error::check_input(input)?;
    let t: Transcript = serde_json::from_str(input).map_err(|e| DialogueError::InvalidJson {
        detail: super::error::json_detail(&e),
    })?;
    let r = grade(&t, None)?;
    serde_json::to_string(&r).map_err(|e| DialogueError::InvalidJson {
        detail: super::error::json_detail(&e),
    })
}
