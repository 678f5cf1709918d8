//! The case log: practised cases kept together, and the analysis seed 002 asks
//! for — which product and which cause come up most, cases per day, how many
//! reviews were revised.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::{check_input, DialogueError};
use super::record::CaseRecord;
use super::scenario::CauseGroup;

/// One practised case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// The record of step ⑤.
    pub record: CaseRecord,
    /// The scenario practised, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Whether the buyer revised the review.
    #[serde(default)]
    pub revised: bool,
}

/// Practised cases, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseLog {
    /// The entries.
    pub entries: Vec<LogEntry>,
}

/// A count of cases under one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    /// The key (product name, cause group or day).
    pub key: String,
    /// A Chinese label for the key.
    pub label: String,
    /// Number of cases.
    pub count: usize,
}

/// What the log shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Number of cases.
    pub cases: usize,
    /// Cases per product, most first.
    pub by_product: Vec<Count>,
    /// Cases per cause group, most first.
    pub by_cause: Vec<Count>,
    /// Cases per day (`YYYY-MM-DD`), in date order.
    pub per_day: Vec<Count>,
    /// The product with most cases.
    pub top_product: Option<String>,
    /// The cause group with most cases.
    pub top_cause: Option<CauseGroup>,
    /// Average cases per day with any case.
    pub average_per_day: f64,
    /// Reviews revised.
    pub revised: usize,
    /// Share of reviews revised, in percent.
    pub revised_percent: f64,
    /// A summary in Chinese.
    pub summary: String,
}

fn day_of(time: &str) -> Option<String> {
    let day: String = time.trim().chars().take(10).collect();
    let b = day.as_bytes();
    let ok = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    ok.then_some(day)
}

/// `x` with one decimal, by integer arithmetic (float formatting is large in wasm).
fn tenths(x: f64) -> String {
    let t = (x * 10.0).round() as i64;
    format!("{}.{}", t / 10, (t % 10).abs())
}

fn ranked(map: BTreeMap<String, (String, usize)>) -> Vec<Count> {
    let mut v: Vec<Count> = map
        .into_iter()
        .map(|(key, (label, count))| Count { key, label, count })
        .collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    v
}

impl CaseLog {
    /// An empty log.
    pub fn new() -> CaseLog {
        CaseLog::default()
    }

    /// Read a log saved as JSON, checking every entry.
    pub fn from_json(json: &str) -> Result<CaseLog, DialogueError> {
        check_input(json)?;
        let log: CaseLog = serde_json::from_str(json).map_err(|e| DialogueError::InvalidJson {
            detail: super::error::json_detail(&e),
        })?;
        for (i, e) in log.entries.iter().enumerate() {
            Self::check(&e.record).map_err(|err| match err {
                DialogueError::InvalidRecord { field, reason } => DialogueError::InvalidRecord {
                    field: format!("entries[{i}].record.{field}"),
                    reason,
                },
                other => other,
            })?;
        }
        Ok(log)
    }

    fn check(r: &CaseRecord) -> Result<(), DialogueError> {
        if day_of(&r.time).is_none() {
            return Err(DialogueError::InvalidRecord {
                field: "time".into(),
                reason: "应以日期开头，例如 2026-03-05 10:20".into(),
            });
        }
        if r.cause_group().is_none() {
            return Err(DialogueError::InvalidRecord {
                field: "cause".into(),
                reason: "应为 product、buyer 或 service".into(),
            });
        }
        if r.product.trim().is_empty() {
            return Err(DialogueError::InvalidRecord {
                field: "product".into(),
                reason: "不能为空".into(),
            });
        }
        Ok(())
    }

    /// Add a case. The record needs a date, a product and a valid cause group.
    pub fn add(
        &mut self,
        record: CaseRecord,
        scenario: Option<String>,
        revised: bool,
    ) -> Result<(), DialogueError> {
        Self::check(&record)?;
        self.entries.push(LogEntry {
            record,
            scenario,
            revised,
        });
        Ok(())
    }

    /// The analysis of the whole log.
    pub fn analyse(&self) -> Analysis {
        let mut products: BTreeMap<String, (String, usize)> = BTreeMap::new();
        let mut causes: BTreeMap<String, (String, usize)> = BTreeMap::new();
        let mut days: BTreeMap<String, usize> = BTreeMap::new();
        let mut revised = 0;
        for e in &self.entries {
            let p = e.record.product.trim().to_string();
            products.entry(p.clone()).or_insert((p, 0)).1 += 1;
            if let Some(g) = e.record.cause_group() {
                let key = serde_json::to_value(g)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                causes.entry(key).or_insert((g.label().to_string(), 0)).1 += 1;
            }
            if let Some(d) = day_of(&e.record.time) {
                *days.entry(d).or_insert(0) += 1;
            }
            if e.revised {
                revised += 1;
            }
        }
        let by_product = ranked(products);
        let by_cause = ranked(causes);
        let per_day: Vec<Count> = days
            .into_iter()
            .map(|(key, count)| Count {
                label: key.clone(),
                key,
                count,
            })
            .collect();
        let cases = self.entries.len();
        let top_product = by_product.first().map(|c| c.key.clone());
        let top_cause = by_cause.first().and_then(|c| CauseGroup::parse(&c.key));
        let average_per_day = if per_day.is_empty() {
            0.0
        } else {
            cases as f64 / per_day.len() as f64
        };
        let revised_percent = if cases == 0 {
            0.0
        } else {
            revised as f64 * 100.0 / cases as f64
        };
        let summary = if cases == 0 {
            "还没有记录。".to_string()
        } else {
            format!(
                "共 {cases} 单，问题最多的商品是「{}」，最常见的原因是「{}」；平均每天 {} 单；{revised} 单改了评价（{}%）。",
                top_product.as_deref().unwrap_or("—"),
                top_cause.map_or("—", |g| g.label()),
                tenths(average_per_day),
                tenths(revised_percent).trim_end_matches(".0")
            )
        };
        Analysis {
            cases,
            by_product,
            by_cause,
            per_day,
            top_product,
            top_cause,
            average_per_day,
            revised,
            revised_percent,
            summary,
        }
    }

    /// The log as JSON, for saving in the browser.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"entries\":[]}".to_string())
    }
}
