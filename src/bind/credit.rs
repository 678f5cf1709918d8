//! JavaScript surface of the credit rules engine.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{from_js, js_error, to_js};
use crate::credit::engine::Applied;
use crate::credit::generate::{log_json, GenConfig, Generator};
use crate::credit::parse::parse_event;
use crate::credit::{
    replay_value, ChangeEntry, CreditError, Engine, RejectedEntry, ReportOptions, Role, RuleSet,
};
use crate::time::Time;

pub(super) fn credit_error(e: CreditError) -> JsValue {
    js_error(e.code, &e.message, e.event, e.field.as_deref())
}

fn parse_time(text: &str, field: &str) -> Result<Time, JsValue> {
    Time::parse(text).ok_or_else(|| {
        js_error(
            "bad_time",
            "时间格式应为 YYYY-MM-DDTHH:MM（例如 2026-03-05T09:00）。",
            None,
            Some(field),
        )
    })
}

/// `replay(log) -> report`: the contract's whole-log call. `log` is an object or JSON text.
#[wasm_bindgen]
pub fn replay(log: JsValue) -> Result<JsValue, JsValue> {
    let value = from_js(log)?;
    to_js(&replay_value(&value).map_err(credit_error)?)
}

/// A built-in rule set (`taobao`, `tmall`) as data: labels, windows, level table.
#[wasm_bindgen(js_name = ruleSet)]
pub fn rule_set(id: &str) -> Result<JsValue, JsValue> {
    to_js(&RuleSet::builtin(id).map_err(credit_error)?)
}

/// The level drawn for a credit score under the Taobao table.
#[wasm_bindgen(js_name = levelOf)]
pub fn level_of(credit: f64) -> Result<JsValue, JsValue> {
    let rules = RuleSet::builtin("taobao").map_err(credit_error)?;
    to_js(&rules.level(credit as i64))
}

/// What one action did, for the simulator's feed.
#[derive(Serialize)]
struct Step {
    changes: Vec<ChangeEntry>,
    rejected: Option<RejectedEntry>,
    clock: Option<Time>,
}

pub(super) fn account_summary(
    engine: &Engine,
    user: &str,
    role: &str,
    as_of: Option<String>,
) -> Result<JsValue, JsValue> {
    let role = match role {
        "seller" => Role::Seller,
        "buyer" => Role::Buyer,
        _ => {
            return Err(js_error(
                "bad_field",
                "role 必须是 seller 或 buyer。",
                None,
                Some("role"),
            ))
        }
    };
    let as_of = as_of.map(|t| parse_time(&t, "as_of")).transpose()?;
    to_js(&engine.account_report(user, role, as_of))
}

/// A shop world that takes one action at a time: the simulator's state.
#[wasm_bindgen]
pub struct CreditSim {
    engine: Engine,
}

#[wasm_bindgen]
impl CreditSim {
    /// An empty world under the rule set `rules` (`taobao` or `tmall`).
    #[wasm_bindgen(constructor)]
    pub fn new(rules: &str) -> Result<CreditSim, JsValue> {
        Ok(CreditSim {
            engine: Engine::new(RuleSet::builtin(rules).map_err(credit_error)?),
        })
    }

    /// Applies one event (an object of the log's shape). Returns
    /// `{changes, rejected, clock}`; a malformed event throws and changes nothing.
    pub fn apply(&mut self, event: JsValue) -> Result<JsValue, JsValue> {
        let value = from_js(event)?;
        let index = self.engine.events_seen();
        let parsed = parse_event(&value, index, self.engine.symbols_mut()).map_err(credit_error)?;
        let applied = self.engine.apply(&parsed);
        self.step(applied)
    }

    /// Moves the clock forward to `to` (`YYYY-MM-DDTHH:MM`), firing the default
    /// reviews that fall due. Returns `{changes, rejected: null, clock}`.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, to: &str) -> Result<JsValue, JsValue> {
        let t = parse_time(to, "to")?;
        match self.engine.advance_to(t) {
            Ok(applied) => self.step(applied),
            Err(code) => {
                let message = code.rule_zh(&self.engine.rules);
                Err(js_error(code.code(), &message, None, Some("to")))
            }
        }
    }

    /// The report now (or at `as_of`), with at most `max_changes` of the newest changes.
    pub fn report(
        &self,
        as_of: Option<String>,
        max_changes: Option<usize>,
    ) -> Result<JsValue, JsValue> {
        let as_of = as_of.map(|t| parse_time(&t, "as_of")).transpose()?;
        let options = ReportOptions {
            max_changes,
            max_rejected: max_changes,
        };
        to_js(&self.engine.report_with(as_of, options))
    }

    /// One user's credit page (`role`: `seller` or `buyer`) now or at `as_of`;
    /// `null` for a user never seen in that role. Cheap enough to sample for charts.
    pub fn summary(
        &self,
        user: &str,
        role: &str,
        as_of: Option<String>,
    ) -> Result<JsValue, JsValue> {
        account_summary(&self.engine, user, role, as_of)
    }

    /// The clock, or `null` before anything happened.
    pub fn clock(&self) -> Option<String> {
        self.engine.clock().map(|t| t.to_string())
    }

    /// How many events were applied (accepted or rejected).
    #[wasm_bindgen(js_name = eventCount)]
    pub fn event_count(&self) -> usize {
        self.engine.events_seen()
    }

    fn step(&self, applied: Applied) -> Result<JsValue, JsValue> {
        let changes = self
            .engine
            .changes_since(applied.first_change)
            .map(|c| self.engine.change_entry(&c))
            .collect();
        let rejected = applied.rejected.map(|r| self.engine.rejected_entry(&r));
        to_js(&Step {
            changes,
            rejected,
            clock: self.engine.clock(),
        })
    }
}

/// A small generated log (the contract's JSON) for presets and quizzes.
#[wasm_bindgen(js_name = generateLog)]
pub fn generate_log(
    seed: f64,
    rules: &str,
    days: u32,
    orders_per_day: u32,
    buyers: u32,
) -> Result<JsValue, JsValue> {
    let set = RuleSet::builtin(rules).map_err(credit_error)?;
    let mut cfg = GenConfig::small(seed as u64);
    cfg.days = days.clamp(1, 400);
    cfg.orders_per_day = (0, orders_per_day.min(500));
    cfg.buyers = buyers.clamp(1, 100_000);
    let mut engine = Engine::new(set.clone());
    let generator = Generator::new(cfg, &set, engine.symbols_mut());
    let end = generator.end();
    let events = generator.all();
    to_js(&log_json(rules, Some(end), &events, engine.symbols()))
}

/// The browser benchmark: generates the big shop's half-year inside wasm and
/// replays it with the whole-log replay (the path behind `replay`), as
/// `cargo bench --bench replay` does natively; returns `{events, orders,
/// generate_ms, replay_ms, ms, events_per_second, credit, streamed}`.
///
/// With `streamed` false, the whole log is generated first and then replayed in
/// one `replay_log` call: `generate_ms` and `replay_ms` are the two parts, and
/// events/s is the replay's alone. With `streamed` true, each generated day is
/// fed to the same replay as it is made ([`Engine::begin_replay`]), so the log
/// is never held whole: `generate_ms` is then the time spent making days,
/// `replay_ms` the rest, and events/s counts the whole run. The simulator's
/// big-shop run ([`BigShopRun`]) is the fed way, keeping every change for its chart.
#[wasm_bindgen(js_name = benchBigShop)]
pub fn bench_big_shop(seed: f64, streamed: bool) -> Result<JsValue, JsValue> {
    let rules = RuleSet::builtin("taobao").map_err(credit_error)?;
    let start = js_sys::Date::now();
    let mut engine = Engine::new(rules.clone());
    engine.set_change_limit(Some(1_000));
    let mut generator = Generator::new(
        GenConfig::big_shop(seed as u64),
        &rules,
        engine.symbols_mut(),
    );
    let end = generator.end();
    let (events, generate_ms, replay_start) = if streamed {
        let capacity = generator.capacity();
        let Some(mut replay) = engine.begin_replay(Some(end), capacity) else {
            let message = "模拟器已有事件，无法整体回放。";
            return Err(js_error("engine_not_fresh", message, None, None));
        };
        let (mut day, mut events, mut making) = (Vec::new(), 0, 0.0);
        loop {
            let t = js_sys::Date::now();
            let more = generator.fill_day(&mut day);
            making += js_sys::Date::now() - t;
            if !more {
                break;
            }
            events += day.len();
            replay
                .feed(&day)
                .map_err(|_| js_error("too_many_events", "事件太多，无法整体回放。", None, None))?;
        }
        replay.finish();
        (events, making, start + making)
    } else {
        let events = generator.all();
        let generated = js_sys::Date::now();
        engine.replay_log(&events, Some(end));
        (events.len(), generated - start, generated)
    };
    let done = js_sys::Date::now();
    #[derive(Serialize)]
    struct Bench {
        events: usize,
        orders: usize,
        generate_ms: f64,
        replay_ms: f64,
        ms: f64,
        events_per_second: f64,
        credit: i64,
        streamed: bool,
    }
    let replay_ms = done - replay_start;
    let counted_ms = if streamed { done - start } else { replay_ms };
    to_js(&Bench {
        events,
        orders: engine.order_count(),
        generate_ms,
        replay_ms,
        ms: done - start,
        events_per_second: events as f64 / (counted_ms / 1000.0),
        credit: engine.credit("shop0", Role::Seller),
        streamed,
    })
}
