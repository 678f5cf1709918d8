//! JavaScript surface of the dialogue trainer: grading, the simulated buyer, the
//! public-reply exercise, the case log, and a timing helper for the browser.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_error, to_js};
use crate::dialogue::{
    grade, grade_reply, scenario, scenarios, BottomLine, BuyerSim, CaseLog, CaseRecord, Contact,
    DialogueError, Order, Persona, ReplyInput, Review, Rubric, Transcript,
};

fn dialogue_error(e: DialogueError) -> JsValue {
    js_error(e.code(), &e.to_string(), None, e.field())
}

/// A JavaScript value as JSON text: strings are taken as JSON, anything else is
/// stringified. Everything then goes through one JSON parser (smaller wasm).
fn json_text(value: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        crate::dialogue::check_input(&text).map_err(dialogue_error)?;
        return Ok(text);
    }
    let text: Option<String> = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string());
    let text = text.ok_or_else(|| {
        dialogue_error(DialogueError::InvalidJson {
            detail: "无法读取传入的数据".into(),
        })
    })?;
    crate::dialogue::check_input(&text).map_err(dialogue_error)?;
    Ok(text)
}

fn parse<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    let text = json_text(&value)?;
    serde_json::from_str(&text).map_err(|e| {
        dialogue_error(DialogueError::InvalidJson {
            detail: crate::dialogue::json_detail(&e),
        })
    })
}

fn transcript_of(value: JsValue) -> Result<(Transcript, Option<Rubric>), JsValue> {
    let t: Transcript = parse(value)?;
    let rubric = match &t.rubric {
        Some(v) if !v.is_null() => Some(Rubric::from_value(v.clone()).map_err(dialogue_error)?),
        _ => None,
    };
    Ok((t, rubric))
}

/// `gradeDialogue(transcript) -> result`: the spec's contract. `transcript` is an
/// object or JSON text; errors throw `{code, message, field?}`.
#[wasm_bindgen(js_name = gradeDialogue)]
pub fn grade_dialogue(transcript: JsValue) -> Result<JsValue, JsValue> {
    let (t, rubric) = transcript_of(transcript)?;
    to_js(&grade(&t, rubric.as_ref()).map_err(dialogue_error)?)
}

/// Grades the same transcript `times` times and returns the elapsed milliseconds
/// (for measuring speed in the browser).
#[wasm_bindgen(js_name = benchGradeDialogue)]
pub fn bench_grade_dialogue(transcript: JsValue, times: u32) -> Result<f64, JsValue> {
    let (t, rubric) = transcript_of(transcript)?;
    let start = js_sys::Date::now();
    for _ in 0..times.max(1) {
        grade(&t, rubric.as_ref()).map_err(dialogue_error)?;
    }
    Ok(js_sys::Date::now() - start)
}

/// The built-in rubric of the lesson, as data (a teacher's starting point).
#[wasm_bindgen(js_name = dialogueRubric)]
pub fn dialogue_rubric() -> Result<JsValue, JsValue> {
    to_js(Rubric::built_in())
}

/// Checks a teacher's rubric; throws `{code: "invalid_rubric", field, message}`.
#[wasm_bindgen(js_name = checkRubric)]
pub fn check_rubric(rubric: JsValue) -> Result<JsValue, JsValue> {
    let r = Rubric::from_json(&json_text(&rubric)?).map_err(dialogue_error)?;
    to_js(&r)
}

#[derive(Serialize)]
struct ScenarioSummary<'a> {
    id: &'a str,
    title: &'a str,
    rating: crate::dialogue::Rating,
    persona: Persona,
    product: &'a str,
}

/// The scenario bank: `[{id, title, rating, persona, product}]`.
#[wasm_bindgen(js_name = dialogueScenarios)]
pub fn dialogue_scenarios() -> Result<JsValue, JsValue> {
    let list: Vec<ScenarioSummary> = scenarios()
        .iter()
        .map(|s| ScenarioSummary {
            id: &s.id,
            title: &s.title,
            rating: s.review.rating,
            persona: s.persona,
            product: &s.order.product,
        })
        .collect();
    to_js(&list)
}

#[derive(Serialize)]
struct ScenarioView<'a> {
    id: &'a str,
    title: &'a str,
    review: &'a Review,
    order: &'a Order,
    persona: Persona,
    bottom_line: &'a BottomLine,
    contact: &'a Contact,
}

/// What the student may see before talking: the review, the order, the persona,
/// the bottom line and the contact context (not the true cause).
#[wasm_bindgen(js_name = dialogueScenario)]
pub fn dialogue_scenario(id: &str) -> Result<JsValue, JsValue> {
    let s = scenario(id).map_err(dialogue_error)?;
    to_js(&ScenarioView {
        id: &s.id,
        title: &s.title,
        review: &s.review,
        order: &s.order,
        persona: s.persona,
        bottom_line: &s.bottom_line,
        contact: &s.contact,
    })
}

/// A simulated buyer for one scenario and seed.
#[wasm_bindgen]
pub struct Buyer {
    sim: BuyerSim,
}

#[wasm_bindgen]
impl Buyer {
    /// A buyer for `scenario` with a seed (same seed and messages, same answers).
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: &str, seed: u32) -> Result<Buyer, JsValue> {
        Ok(Buyer {
            sim: BuyerSim::new(scenario, u64::from(seed)).map_err(dialogue_error)?,
        })
    }

    /// The buyer's first line.
    pub fn opening(&self) -> String {
        self.sim.opening().to_string()
    }

    /// The buyer's answer: `{text, mood, mood_label, revealed_cause, accepted, finished, events}`.
    pub fn respond(&mut self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&self.sim.respond(text).map_err(dialogue_error)?)
    }

    /// The outcome so far: `{finished, accepted, revised, mood, true_cause, reasons}`.
    pub fn outcome(&self) -> Result<JsValue, JsValue> {
        to_js(&self.sim.outcome())
    }

    /// The transcript so far (buyer's opening is turn 0), ready for `gradeDialogue`.
    pub fn transcript(&self) -> Result<JsValue, JsValue> {
        to_js(&self.sim.transcript())
    }
}

/// Grades a public reply: `{scenario?, reply}` → `{criteria, violations, private_data, total, max, band}`.
#[wasm_bindgen(js_name = gradeReply)]
pub fn grade_reply_js(input: JsValue) -> Result<JsValue, JsValue> {
    let input: ReplyInput = parse(input)?;
    to_js(&grade_reply(&input).map_err(dialogue_error)?)
}

/// Adds a record to a saved case log (object or JSON text, `null` for a new log)
/// and returns the new log as JSON text.
#[wasm_bindgen(js_name = caseLogAdd)]
pub fn case_log_add(
    log: JsValue,
    record: JsValue,
    scenario: Option<String>,
    revised: bool,
) -> Result<String, JsValue> {
    let mut log = if log.is_null() || log.is_undefined() {
        CaseLog::new()
    } else {
        CaseLog::from_json(&json_text(&log)?).map_err(dialogue_error)?
    };
    let record: CaseRecord = parse(record)?;
    log.add(record, scenario, revised).map_err(dialogue_error)?;
    Ok(log.to_json())
}

/// The analysis of a case log: most frequent product and cause, cases per day, revised reviews.
#[wasm_bindgen(js_name = caseLogAnalyse)]
pub fn case_log_analyse(log: JsValue) -> Result<JsValue, JsValue> {
    let log = CaseLog::from_json(&json_text(&log)?).map_err(dialogue_error)?;
    to_js(&log.analyse())
}
