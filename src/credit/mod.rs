//! # The credit and shop-rating rules engine
//!
//! After a trade succeeds, buyer and seller review each other within 15 days:
//! 好评 +1, 中评 0, 差评 −1 to the other's credit, limited by the low-price,
//! 14-day same-item and monthly-cap rules; a lone good review earns a default
//! good review back; a 中/差评 may be revised once within 30 days. Buyers also
//! rate the shop (DSR) 1–5 per dimension; the shop's rating is the 6-month mean,
//! counting 3 ratings per buyer and month. Every change of credit carries the rule
//! that caused it. The contract is `shared/spec/credit-rules.md`.
//!
//! ```
//! let log = r#"{"as_of": "2026-03-20T12:00", "events": [
//!   {"kind": "order", "id": "o1", "buyer": "b1", "seller": "s1", "item": "razor",
//!    "price": 59.0, "created": "2026-03-01T10:00", "at": "2026-03-04T12:00"},
//!   {"kind": "review", "order": "o1", "from": "buyer", "rating": "good", "at": "2026-03-05T09:00"}
//! ]}"#;
//! let report = review_lab::credit::replay_str(log)?;
//! assert_eq!(report.sellers["s1"].credit, 1);
//! // The seller never reviewed back: at the window's close the buyer got a default good review.
//! assert_eq!(report.buyers["b1"].credit, 1);
//! assert_eq!(report.changes[1].reason.code(), "default_good");
//! # Ok::<(), review_lab::credit::CreditError>(())
//! ```

mod actions;
mod ahead;
mod batch;
pub mod codes;
pub mod engine;
pub mod event;
pub mod generate;
mod history;
pub(crate) mod pairs;
pub mod parse;
pub mod report;
pub mod rules;
pub mod symbols;
pub mod wire;

use serde::Serialize;
use serde_json::Value;

pub use batch::{Capacity, OwnedReplay, Replay, TooManyEvents};
pub use codes::{CreditError, Reason, RejectCode};
pub use engine::{Applied, Engine};
pub use event::{Event, EventBody, Rating, Role};
pub use history::Standing;
pub use report::{ChangeEntry, RejectedEntry, Report, ReportOptions};
pub use rules::RuleSet;

use crate::time::Time;

/// Replays a parsed JSON log: the contract's `replay(log) -> report`.
pub fn replay_value(log: &Value) -> Result<Report, CreditError> {
    let rules_id = match log.get("rules") {
        Some(Value::String(id)) => id.as_str(),
        _ => "taobao",
    };
    let mut engine = Engine::new(RuleSet::builtin(rules_id)?);
    let parsed = parse::parse_log(log, engine.symbols_mut())?;
    Ok(replay_events(engine, &parsed.events, parsed.as_of))
}

/// Replays a log given as JSON text.
pub fn replay_str(log: &str) -> Result<Report, CreditError> {
    let value: Value = serde_json::from_str(log).map_err(|e| {
        CreditError::new("invalid_json", None, None, format!("不是有效的 JSON：{e}"))
    })?;
    replay_value(&value)
}

/// JSON in, JSON out.
pub fn replay_json(log: &str) -> Result<String, CreditError> {
    to_json(&replay_str(log)?)
}

/// Replays typed events into `engine`; `as_of` defaults to the last event's time
/// (the contract's words taken literally: the last event in log order, even when
/// an earlier event is later in time).
pub fn replay_events(mut engine: Engine, events: &[Event], as_of: Option<Time>) -> Report {
    let as_of = as_of.or(events.last().map(|e| e.at));
    engine.replay_log(events, as_of);
    engine.report(as_of)
}

/// Serialises any report value as JSON text.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, CreditError> {
    serde_json::to_string(value)
        .map_err(|e| CreditError::new("internal", None, None, format!("无法输出 JSON：{e}")))
}
