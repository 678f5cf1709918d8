//! Step ⑤: the case record (中差评记录).

use serde::{Deserialize, Serialize};

use super::scenario::CauseGroup;

/// What the agent writes down after the conversation. Missing fields are empty strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CaseRecord {
    /// When (时间).
    pub time: String,
    /// Customer ID (客户ID).
    pub customer: String,
    /// Product bought (购买产品).
    pub product: String,
    /// Model (型号).
    pub model: String,
    /// Cause group: `product`, `buyer` or `service`.
    pub cause: String,
    /// The cause in the agent's words.
    pub detail: String,
    /// How it was handled (沟通过程).
    pub process: String,
    /// Special circumstances (特别情况).
    pub notes: String,
}

/// The fields of a record with their Chinese names, in the order of the lesson.
pub const FIELDS: [(&str, &str); 8] = [
    ("time", "时间"),
    ("customer", "客户ID"),
    ("product", "购买产品"),
    ("model", "型号"),
    ("cause", "原因分类"),
    ("detail", "原因详情"),
    ("process", "沟通过程"),
    ("notes", "特别情况"),
];

impl CaseRecord {
    fn value(&self, field: &str) -> &str {
        match field {
            "time" => &self.time,
            "customer" => &self.customer,
            "product" => &self.product,
            "model" => &self.model,
            "cause" => &self.cause,
            "detail" => &self.detail,
            "process" => &self.process,
            "notes" => &self.notes,
            _ => "",
        }
    }

    /// The fields left empty, as `(json name, Chinese name)`.
    pub fn missing(&self) -> Vec<(&'static str, &'static str)> {
        FIELDS
            .iter()
            .copied()
            .filter(|(f, _)| self.value(f).trim().is_empty())
            .collect()
    }

    /// The cause group, when it is one of the three.
    pub fn cause_group(&self) -> Option<CauseGroup> {
        CauseGroup::parse(&self.cause)
    }
}
