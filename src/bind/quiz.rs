//! JavaScript surface of the spot-check quizzes. Banks, setups, quizzes and
//! reports cross as plain objects; errors throw `{code, message, field?}` with a
//! Chinese message. Nothing here decides anything: it calls `crate::quiz`.

use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::{from_js, js_error, to_js};
use crate::quiz::code::{parse_seed, pretty, seed_text};
use crate::quiz::csv::class_csv;
use crate::quiz::draw::{draw_groups, make_quiz, slots};
use crate::quiz::grade::grade_quiz;
use crate::quiz::{
    verdict, Bank, ClassReport, GroupCode, GroupOutcome, Quiz, QuizError, Settings, Setup,
};

fn quiz_error(e: QuizError) -> JsValue {
    js_error(e.code, &e.message, None, e.field.as_deref())
}

fn read<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let v = from_js(value)?;
    serde_json::from_value(v).map_err(|e| {
        js_error(
            "invalid_value",
            &format!("{what}的格式不对：{e}"),
            None,
            None,
        )
    })
}

fn bank_of(value: JsValue) -> Result<Bank, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Bank::built_in().map_err(quiz_error);
    }
    if let Some(text) = value.as_string() {
        return Bank::from_json(&text).map_err(quiz_error);
    }
    Bank::from_value(from_js(value)?).map_err(quiz_error)
}

/// `quizBank()`: the lesson's built-in bank.
#[wasm_bindgen(js_name = quizBank)]
pub fn quiz_bank() -> Result<JsValue, JsValue> {
    to_js(&Bank::built_in().map_err(quiz_error)?)
}

/// `quizCheckBank(bank)`: checks a bank (object or JSON text) and returns
/// `{bank, fingerprint}`; throws `{code: "invalid_bank" | "empty_bank" | "invalid_json", field, message}`.
#[wasm_bindgen(js_name = quizCheckBank)]
pub fn quiz_check_bank(bank: JsValue) -> Result<JsValue, JsValue> {
    if bank.is_null() || bank.is_undefined() {
        return Err(quiz_error(QuizError::new("empty_bank", "题库文件是空的。")));
    }
    let b = bank_of(bank)?;
    to_js(&serde_json::json!({ "bank": b, "fingerprint": b.fingerprint() }))
}

/// `quizSeedText(n)`: a seed (any number; 30 bits are kept) as six code characters.
#[wasm_bindgen(js_name = quizSeedText)]
pub fn quiz_seed_text(n: f64) -> String {
    seed_text((n.abs() as u64 & 0x3FFF_FFFF) as u32)
}

/// `quizSetup(bank, seedText, settings)`: checks the settings and fixes the
/// setup: `{setup, seed, slots}` (slots: the type and difficulty of each number).
#[wasm_bindgen(js_name = quizSetup)]
pub fn quiz_setup(bank: JsValue, seed: &str, settings: JsValue) -> Result<JsValue, JsValue> {
    let b = bank_of(bank)?;
    let seed = parse_seed(seed).map_err(quiz_error)?;
    let settings: Settings = read(settings, "设置")?;
    let setup = Setup::new(&b, seed, settings).map_err(quiz_error)?;
    let plan = slots(&b, &setup).map_err(quiz_error)?;
    to_js(&serde_json::json!({
        "setup": setup,
        "seed": seed_text(setup.seed),
        "topics": setup.topic_ids(&b),
        "slots": plan,
    }))
}

/// `quizDraw(groups, seedText)`: five group indices in draw order; throws
/// `too_few_groups`, `duplicate_group`, `empty_group_name`, … with the field.
#[wasm_bindgen(js_name = quizDraw)]
pub fn quiz_draw(groups: JsValue, seed: &str) -> Result<JsValue, JsValue> {
    let groups: Vec<String> = read(groups, "小组名单")?;
    let seed = parse_seed(seed).map_err(quiz_error)?;
    to_js(&draw_groups(&groups, seed).map_err(quiz_error)?)
}

/// `quizMake(bank, setup, position)`: the quiz (with its key) of the group at
/// `position` (0–4) in the draw.
#[wasm_bindgen(js_name = quizMake)]
pub fn quiz_make(bank: JsValue, setup: JsValue, position: u8) -> Result<JsValue, JsValue> {
    let b = bank_of(bank)?;
    let setup: Setup = read(setup, "抽查设置")?;
    to_js(&make_quiz(&b, &setup, position).map_err(quiz_error)?)
}

/// `quizGroupCode(setup, position)`: `{code, pretty}` for a group's link.
#[wasm_bindgen(js_name = quizGroupCode)]
pub fn quiz_group_code(setup: JsValue, position: u8) -> Result<JsValue, JsValue> {
    let setup: Setup = read(setup, "抽查设置")?;
    let code = GroupCode { setup, position }.encode();
    to_js(&serde_json::json!({ "pretty": pretty(&code), "code": code }))
}

/// `quizReadGroupCode(code)`: `{setup, position, seed}`; throws on a typo.
#[wasm_bindgen(js_name = quizReadGroupCode)]
pub fn quiz_read_group_code(code: &str) -> Result<JsValue, JsValue> {
    let g = GroupCode::decode(code).map_err(quiz_error)?;
    to_js(&serde_json::json!({
        "seed": seed_text(g.setup.seed),
        "setup": g.setup,
        "position": g.position,
    }))
}

/// `quizGrade(bank, setup, quiz, answers)`: grades a group's answers and
/// returns the result with its code (`code`, and `pretty` with dashes).
#[wasm_bindgen(js_name = quizGrade)]
pub fn quiz_grade(
    bank: JsValue,
    setup: JsValue,
    quiz: JsValue,
    answers: JsValue,
) -> Result<JsValue, JsValue> {
    let b = bank_of(bank)?;
    let setup: Setup = read(setup, "抽查设置")?;
    let quiz: Quiz = read(quiz, "测验")?;
    let answers: Vec<Value> = read(answers, "答案")?;
    let result = grade_quiz(&b, &setup, &quiz, &answers).map_err(quiz_error)?;
    let mut v = serde_json::to_value(&result)
        .map_err(|e| js_error("internal", &format!("无法输出结果：{e}"), None, None))?;
    if let Value::Object(m) = &mut v {
        m.insert("pretty".into(), Value::String(pretty(&result.code)));
    }
    to_js(&v)
}

/// `quizReadResult(setup, name, position, code)`: a group's outcome from the
/// code it handed in; throws `bad_checksum` (a typo), `foreign_code` (another
/// class or seed), `wrong_group`, ….
#[wasm_bindgen(js_name = quizReadResult)]
pub fn quiz_read_result(
    setup: JsValue,
    name: &str,
    position: u8,
    code: &str,
) -> Result<JsValue, JsValue> {
    let setup: Setup = read(setup, "抽查设置")?;
    to_js(&GroupOutcome::from_code(&setup, name, position, code).map_err(quiz_error)?)
}

/// `quizClassReport(setup, outcomes)`: the drawn groups and the class verdict.
#[wasm_bindgen(js_name = quizClassReport)]
pub fn quiz_class_report(setup: JsValue, outcomes: JsValue) -> Result<JsValue, JsValue> {
    let setup: Setup = read(setup, "抽查设置")?;
    let outcomes: Vec<GroupOutcome> = read(outcomes, "小组结果")?;
    to_js(&ClassReport::new(&setup, outcomes))
}

/// `quizCsv(report)`: the class report as CSV text (BOM, CRLF, quoted, formula-safe).
#[wasm_bindgen(js_name = quizCsv)]
pub fn quiz_csv(report: JsValue) -> Result<String, JsValue> {
    let report: ClassReport = read(report, "班级结果")?;
    Ok(class_csv(&report))
}

/// `quizVerdict(passed)`: the lesson's verdict for a number of groups that passed.
#[wasm_bindgen(js_name = quizVerdict)]
pub fn quiz_verdict(passed: u32) -> Result<JsValue, JsValue> {
    to_js(&verdict(passed as usize))
}
