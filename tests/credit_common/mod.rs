//! Shared by the credit tests: case files, subset matching.
#![allow(dead_code, clippy::panic, clippy::unwrap_used)]

use serde_json::{Map, Value};

/// Every worked-example file, by name.
pub const CASE_FILES: &[(&str, &str)] = &[
    ("points", include_str!("../cases/credit/points.json")),
    ("windows", include_str!("../cases/credit/windows.json")),
    ("defaults", include_str!("../cases/credit/defaults.json")),
    ("same_item", include_str!("../cases/credit/same_item.json")),
    (
        "monthly_cap",
        include_str!("../cases/credit/monthly_cap.json"),
    ),
    ("revise", include_str!("../cases/credit/revise.json")),
    (
        "follow_up_reply",
        include_str!("../cases/credit/follow_up_reply.json"),
    ),
    ("dsr", include_str!("../cases/credit/dsr.json")),
    ("tmall", include_str!("../cases/credit/tmall.json")),
    (
        "rejections",
        include_str!("../cases/credit/rejections.json"),
    ),
    ("tallies", include_str!("../cases/credit/tallies.json")),
];

/// Fills the fields an order event leaves out from the file's `order_defaults`
/// (`created` defaults to the order's `at`), so cases stay short.
pub fn expand(log: &Value, defaults: &Value) -> Value {
    let mut log = log.clone();
    if let Some(events) = log.get_mut("events").and_then(Value::as_array_mut) {
        for e in events {
            let Some(obj) = e.as_object_mut() else {
                continue;
            };
            if obj.get("kind").and_then(Value::as_str) != Some("order") {
                continue;
            }
            if let Some(d) = defaults.as_object() {
                for (k, v) in d {
                    obj.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            if !obj.contains_key("created") {
                if let Some(at) = obj.get("at").cloned() {
                    obj.insert("created".into(), at);
                }
            }
        }
    }
    log
}

/// Whether `actual` contains `expected`: objects by their keys, arrays element by
/// element with equal length, numbers within 1e-9. Returns the first difference.
pub fn contains(actual: &Value, expected: &Value, path: &str) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).ok_or_else(|| format!("{path}.{k}: missing"))?;
                contains(av, ev, &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!(
                    "{path}: {} items, expected {}: {}",
                    a.len(),
                    e.len(),
                    brief(actual)
                ));
            }
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                contains(av, ev, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (
                a.as_f64().unwrap_or(f64::NAN),
                e.as_f64().unwrap_or(f64::NAN),
            );
            if (a - e).abs() <= 1e-9 {
                Ok(())
            } else {
                Err(format!("{path}: {a}, expected {e}"))
            }
        }
        _ if actual == expected => Ok(()),
        _ => Err(format!(
            "{path}: {}, expected {}",
            brief(actual),
            brief(expected)
        )),
    }
}

fn brief(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 600 {
        s.chars().take(600).collect::<String>() + "…"
    } else {
        s
    }
}

/// One worked example.
pub struct Case {
    /// File and case name.
    pub name: String,
    /// The log, expanded.
    pub log: Value,
    /// What the report must contain.
    pub expect: Value,
}

/// Every case of every file.
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for (file, text) in CASE_FILES {
        let doc: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let defaults = doc
            .get("order_defaults")
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        let list = doc
            .get("cases")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        assert!(!list.is_empty(), "{file} has no cases");
        for c in list {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("?");
            out.push(Case {
                name: format!("{file}: {name}"),
                log: expand(c.get("log").unwrap_or(&Value::Null), &defaults),
                expect: c.get("expect").cloned().unwrap_or(Value::Null),
            });
        }
    }
    out
}

/// The report of `log` played one event at a time ([`Engine::apply_all`]), as
/// the simulator plays, where [`review_lab::credit::replay_value`] replays it whole.
fn played_one_by_one(log: &Value) -> Option<Value> {
    use review_lab::credit::{parse, Engine, RuleSet};
    let rules = log.get("rules").and_then(Value::as_str).unwrap_or("taobao");
    let mut engine = Engine::new(RuleSet::builtin(rules).ok()?);
    let parsed = parse::parse_log(log, engine.symbols_mut()).ok()?;
    let as_of = parsed.as_of.or(parsed.events.last().map(|e| e.at));
    engine.set_horizon(as_of);
    engine.apply_all(&parsed.events);
    if let Some(t) = as_of {
        engine.close_through(t);
    }
    serde_json::to_value(engine.report(as_of)).ok()
}

/// Replays every case (whole, and one event at a time) and checks it; returns how many passed, failing on the first difference.
pub fn run_all_cases() -> usize {
    let mut failures = Vec::new();
    let all = cases();
    for case in &all {
        let report = review_lab::credit::replay_value(&case.log)
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null));
        let outcome = match (&report, case.expect.get("error")) {
            (Err(e), Some(code)) if code == e.code => Ok(()),
            (Err(e), _) => Err(format!("error {}: {}", e.code, e.message)),
            (Ok(_), Some(code)) => Err(format!("expected error {code}")),
            (Ok(r), None) => contains(r, &case.expect, "report").and_then(|()| {
                if played_one_by_one(&case.log).as_ref() == Some(r) {
                    Ok(())
                } else {
                    Err("event-by-event play gives another report".to_string())
                }
            }),
        };
        if let Err(why) = outcome {
            failures.push(format!("{} — {why}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    all.len()
}
