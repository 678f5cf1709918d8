//! Field-by-field comparison of the model's report with the engine's, and a
//! shrinker that cuts a disagreeing log down to a few events.

use serde_json::Value;

/// Where a map's keys must match exactly (the engine may add fields elsewhere).
fn exact_keys(path: &str) -> bool {
    path == "$.sellers" || path == "$.buyers" || path.ends_with(".dsr")
}

/// The first place where `actual` (the engine) differs from `expected` (the
/// model): objects by the model's keys, arrays element by element, numbers
/// within 1e-9 when either is a float.
pub fn first_difference(expected: &Value, actual: &Value, path: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            if exact_keys(path) {
                let extra: Vec<&String> = a.keys().filter(|k| !e.contains_key(*k)).collect();
                if !extra.is_empty() {
                    return Some(format!("{path}: the engine has extra keys {extra:?}"));
                }
            }
            for (key, value) in e {
                let inner = format!("{path}.{key}");
                match a.get(key) {
                    Some(other) => {
                        if let Some(d) = first_difference(value, other, &inner) {
                            return Some(d);
                        }
                    }
                    None => {
                        return Some(format!("{inner}: missing in the engine, model has {value}"))
                    }
                }
            }
            None
        }
        (Value::Array(e), Value::Array(a)) => {
            for (k, (x, y)) in e.iter().zip(a).enumerate() {
                if let Some(d) = first_difference(x, y, &format!("{path}[{k}]")) {
                    return Some(d);
                }
            }
            if e.len() != a.len() {
                let k = e.len().min(a.len());
                return Some(format!(
                    "{path}: model has {} entries, engine {}; first unmatched: model {}, engine {}",
                    e.len(),
                    a.len(),
                    e.get(k).map_or("-".to_string(), Value::to_string),
                    a.get(k).map_or("-".to_string(), Value::to_string),
                ));
            }
            None
        }
        (Value::Number(e), Value::Number(a)) => {
            let same = match (e.as_i64(), a.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => match (e.as_f64(), a.as_f64()) {
                    (Some(x), Some(y)) => (x - y).abs() <= 1e-9,
                    _ => false,
                },
            };
            (!same).then(|| format!("{path}: model {e}, engine {a}"))
        }
        _ => (expected != actual).then(|| format!("{path}: model {expected}, engine {actual}")),
    }
}

/// Greedily removes events (and then the `as_of`) while `fails` still holds.
pub fn shrink(log: &Value, fails: impl Fn(&Value) -> bool) -> Value {
    let mut best = log.clone();
    loop {
        let mut progressed = false;
        let n = best["events"].as_array().map_or(0, Vec::len);
        for k in (0..n).rev() {
            let mut candidate = best.clone();
            let events = candidate["events"].as_array_mut().unwrap();
            if k >= events.len() {
                continue;
            }
            events.remove(k);
            if events.is_empty() && candidate.get("as_of").is_none() {
                continue;
            }
            if fails(&candidate) {
                best = candidate;
                progressed = true;
            }
        }
        if !progressed {
            return best;
        }
    }
}
