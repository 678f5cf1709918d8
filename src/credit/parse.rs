//! Reading a log from JSON into typed [`Event`]s.
//!
//! A log that is not of the contract's shape is an error for the whole call,
//! naming the event index and the field. Checks that the rules make (a window
//! closed, a duplicate id, a score out of range, …) are not parse errors: they
//! reject one event and the replay goes on.
//!
//! Decisions where the contract is silent:
//! - Ids (order, buyer, seller, item) are non-empty strings of at most 200
//!   characters; `text` fields, when present, must be strings.
//! - `dsr` and `follow_up` are the buyer's: a `from` other than `buyer` is a shape
//!   error for the whole log.
//! - A DSR field whose value is null counts as not given; a number equal to an
//!   integer (5.0) is that integer; anything else given for a dimension is judged
//!   by the rules (`dsr_out_of_range`), and any other field name than `kind`,
//!   `order`, `at`, `from`, `text` is a dimension (`dsr_unknown_dimension` when no
//!   platform has it).

use serde_json::{Map, Value};

use super::codes::CreditError;
use super::event::{
    Dimension, DsrScores, DsrValue, Event, EventBody, OrderEvent, Rating, ReplyTarget, Revision,
    Role,
};
use super::symbols::Symbols;
use crate::time::Time;

/// A parsed log: the rule set's id, `as_of`, and the events.
#[derive(Clone, Debug, PartialEq)]
pub struct Log {
    /// The rule set's id (`taobao` when the log names none).
    pub rules: String,
    /// The moment the report describes, if the log gives one.
    pub as_of: Option<Time>,
    /// The events, in log order.
    pub events: Vec<Event>,
}

/// Fields of an event that are not DSR dimensions.
const DSR_OTHER_FIELDS: [&str; 5] = ["kind", "order", "at", "from", "text"];

/// Parses a whole log, interning its names into `syms`.
pub fn parse_log(value: &Value, syms: &mut Symbols) -> Result<Log, CreditError> {
    let top = value.as_object().ok_or_else(|| {
        CreditError::new(
            "not_an_object",
            None,
            None,
            "日志必须是一个 JSON 对象。".into(),
        )
    })?;
    let rules = match top.get("rules") {
        None | Some(Value::Null) => "taobao".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(bad_field(None, "rules", "必须是字符串 taobao 或 tmall")),
    };
    let as_of = match top.get("as_of") {
        None | Some(Value::Null) => None,
        Some(v) => Some(time_value(v, None, "as_of")?),
    };
    let list = match top.get("events") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err(bad_field(None, "events", "必须是数组")),
        None => return Err(missing(None, "events")),
    };
    let events = list
        .iter()
        .enumerate()
        .map(|(i, v)| parse_event(v, i, syms))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Log {
        rules,
        as_of,
        events,
    })
}

/// Parses one event; `index` is its place in the log, for messages.
pub fn parse_event(value: &Value, index: usize, syms: &mut Symbols) -> Result<Event, CreditError> {
    let at_index = Some(index);
    let obj = value.as_object().ok_or_else(|| {
        CreditError::new(
            "not_an_object",
            at_index,
            None,
            "事件必须是一个 JSON 对象。".into(),
        )
    })?;
    let f = Fields { obj, index };
    let kind = f.str("kind")?;
    let at = f.time("at")?;
    let body = match kind {
        "order" => EventBody::Order(OrderEvent {
            id: syms.intern(f.id("id")?),
            buyer: syms.intern(f.id("buyer")?),
            seller: syms.intern(f.id("seller")?),
            item: syms.intern(f.id("item")?),
            price: f.number("price")?,
            created: f.time("created")?,
        }),
        "review" => {
            f.optional_text("text")?;
            EventBody::Review {
                order: syms.intern(f.id("order")?),
                from: f.role("from")?,
                rating: match f.str("rating")? {
                    "good" => Rating::Good,
                    "neutral" => Rating::Neutral,
                    "bad" => Rating::Bad,
                    _ => return Err(f.bad("rating", "必须是 good、neutral 或 bad")),
                },
            }
        }
        "dsr" => {
            f.buyer_only()?;
            EventBody::Dsr {
                order: syms.intern(f.id("order")?),
                scores: dsr_scores(obj, syms),
            }
        }
        "revise" => EventBody::Revise {
            order: syms.intern(f.id("order")?),
            from: f.role("from")?,
            to: match f.str("to")? {
                "good" => Revision::Good,
                "deleted" => Revision::Deleted,
                _ => return Err(f.bad("to", "必须是 good（改为好评）或 deleted（删除）")),
            },
        },
        "follow_up" => {
            f.buyer_only()?;
            f.optional_text("text")?;
            EventBody::FollowUp {
                order: syms.intern(f.id("order")?),
            }
        }
        "reply" => {
            f.optional_text("text")?;
            EventBody::Reply {
                order: syms.intern(f.id("order")?),
                from: f.role("from")?,
                to: match f.str("to")? {
                    "review" => ReplyTarget::Review,
                    "follow_up" => ReplyTarget::FollowUp,
                    _ => return Err(f.bad("to", "必须是 review（评价）或 follow_up（追评）")),
                },
            }
        }
        other => {
            return Err(CreditError::new(
                "unknown_kind",
                at_index,
                Some("kind"),
                format!(
                "未知的事件类型“{other}”，可用的是 order、review、dsr、revise、follow_up、reply。"
            ),
            ))
        }
    };
    Ok(Event { at, body })
}

fn dsr_scores(obj: &Map<String, Value>, syms: &mut Symbols) -> DsrScores {
    let mut scores = DsrScores::default();
    for (key, value) in obj {
        if DSR_OTHER_FIELDS.contains(&key.as_str()) {
            continue;
        }
        let Some(dim) = Dimension::from_code(key) else {
            if scores.unknown.is_none() {
                scores.unknown = Some(syms.intern(key));
            }
            continue;
        };
        let score = match value {
            Value::Null => DsrValue::Absent,
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.fract() == 0.0 && (1.0..=5.0).contains(&x) => DsrValue::Score(x as u8),
                _ => DsrValue::Invalid,
            },
            _ => DsrValue::Invalid,
        };
        if let Some(slot) = scores.values.get_mut(dim.index()) {
            *slot = score;
        }
    }
    scores
}

struct Fields<'a> {
    obj: &'a Map<String, Value>,
    index: usize,
}

impl Fields<'_> {
    fn get(&self, field: &str) -> Result<&Value, CreditError> {
        match self.obj.get(field) {
            None | Some(Value::Null) => Err(missing(Some(self.index), field)),
            Some(v) => Ok(v),
        }
    }

    fn bad(&self, field: &str, what: &str) -> CreditError {
        bad_field(Some(self.index), field, what)
    }

    fn str(&self, field: &str) -> Result<&str, CreditError> {
        self.get(field)?
            .as_str()
            .ok_or_else(|| self.bad(field, "必须是字符串"))
    }

    fn id(&self, field: &str) -> Result<&str, CreditError> {
        let s = self.str(field)?;
        if s.trim().is_empty() {
            return Err(self.bad(field, "不能为空"));
        }
        if s.chars().count() > 200 {
            return Err(self.bad(field, "不能超过 200 个字符"));
        }
        Ok(s)
    }

    fn number(&self, field: &str) -> Result<f64, CreditError> {
        self.get(field)?
            .as_f64()
            .ok_or_else(|| self.bad(field, "必须是数字（单位：元）"))
    }

    fn time(&self, field: &str) -> Result<Time, CreditError> {
        time_value(self.get(field)?, Some(self.index), field)
    }

    fn role(&self, field: &str) -> Result<Role, CreditError> {
        match self.str(field)? {
            "buyer" => Ok(Role::Buyer),
            "seller" => Ok(Role::Seller),
            _ => Err(self.bad(field, "必须是 buyer 或 seller")),
        }
    }

    fn optional_text(&self, field: &str) -> Result<(), CreditError> {
        match self.obj.get(field) {
            None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
            Some(_) => Err(self.bad(field, "必须是字符串")),
        }
    }

    fn buyer_only(&self) -> Result<(), CreditError> {
        match self.obj.get("from") {
            None | Some(Value::Null) => Ok(()),
            Some(Value::String(s)) if s == "buyer" => Ok(()),
            Some(_) => Err(self.bad("from", "店铺评分和追评只能由买家做出，from 只能是 buyer")),
        }
    }
}

fn time_value(value: &Value, event: Option<usize>, field: &str) -> Result<Time, CreditError> {
    value.as_str().and_then(Time::parse).ok_or_else(|| {
        CreditError::new(
            "bad_time",
            event,
            Some(field),
            "时间格式应为 YYYY-MM-DDTHH:MM 或 YYYY-MM-DDTHH:MM:SS（例如 2026-03-05T09:00），且日期真实存在。"
                .into(),
        )
    })
}

fn missing(event: Option<usize>, field: &str) -> CreditError {
    CreditError::new("missing_field", event, Some(field), "缺少这个字段。".into())
}

fn bad_field(event: Option<usize>, field: &str, what: &str) -> CreditError {
    CreditError::new("bad_field", event, Some(field), format!("{what}。"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(v: Value) -> Result<Log, CreditError> {
        parse_log(&v, &mut Symbols::default())
    }

    #[test]
    fn errors_name_the_event_and_field() {
        let e = parse(json!({"events": [
            {"kind": "order", "id": "o1", "buyer": "b", "seller": "s", "item": "i",
             "price": 5, "created": "2026-03-01T10:00", "at": "2026-03-01T10:00"},
            {"kind": "review", "order": "o1", "from": "buyer", "at": "2026-03-02T10:00"}
        ]}))
        .unwrap_err();
        assert_eq!(
            (e.code, e.event, e.field.as_deref()),
            ("missing_field", Some(1), Some("rating"))
        );
        assert!(e.message.contains("第 1 个事件"), "{}", e.message);

        let e = parse(json!({"events": [{"kind": "gift", "at": "2026-03-01T10:00"}]})).unwrap_err();
        assert_eq!(e.code, "unknown_kind");
        let e = parse(json!({"events": [{"kind": "dsr", "order": "o", "at": "2026-02-30T10:00"}]}))
            .unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), ("bad_time", Some("at")));
        assert_eq!(parse(json!([1])).unwrap_err().code, "not_an_object");
        assert_eq!(parse(json!({})).unwrap_err().code, "missing_field");
        assert_eq!(
            parse(json!({"events": [], "rules": 3})).unwrap_err().code,
            "bad_field"
        );
    }

    #[test]
    fn dsr_fields_keep_what_the_rules_must_judge() {
        let mut syms = Symbols::default();
        let log = parse_log(
            &json!({"events": [{"kind": "dsr", "order": "o", "at": "2026-03-01T10:00",
            "description": 5, "service": 4.5, "shipping": "5", "speed": 3}]}),
            &mut syms,
        )
        .unwrap();
        let Some(EventBody::Dsr { scores, .. }) = log.events.first().map(|e| &e.body) else {
            panic!("not a dsr");
        };
        assert_eq!(scores.values[0], DsrValue::Score(5));
        assert_eq!(scores.values[1], DsrValue::Invalid);
        assert_eq!(scores.values[2], DsrValue::Invalid);
        assert_eq!(scores.values[3], DsrValue::Absent);
        assert_eq!(
            scores.unknown.map(|s| syms.name(s)).as_deref(),
            Some("speed")
        );
    }
}
