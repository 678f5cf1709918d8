//! Rule sets as data: `data/rules/*.json`, read into [`RuleSet`].

use serde::{Deserialize, Serialize};

use super::event::Dimension;
use super::CreditError;

/// One platform's review rules (schema: `data/schema/rule-set.schema.json`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Stable id, the log's `rules` field (`taobao`, `tmall`).
    pub id: String,
    /// Name shown to students.
    pub name: String,
    /// Mutual review window after trade success, in days (closed interval).
    pub review_window_days: i64,
    /// Orders priced at or below this (yuan) do not score.
    pub low_price_max: f64,
    /// Section 3 rule 2: days between two orders' `created` for the same-item rule.
    pub same_item_days: i64,
    /// Section 3 rule 3: the most one counterpart adds in a natural month.
    pub monthly_cap: u32,
    /// Whether sellers review buyers by hand.
    pub seller_reviews: bool,
    /// Whether a lone good review earns a default good review back.
    pub default_good: bool,
    /// Whether the buyer's review creates the seller's good review at once.
    pub auto_good: bool,
    /// Whether neutral and bad reviews may be revised or deleted.
    pub revisions: bool,
    /// Days after a review during which it may be revised.
    pub revise_days: i64,
    /// Days after trade success during which a follow-up (追评) may be added.
    pub follow_up_days: i64,
    /// Days after a review or follow-up during which it may be replied to.
    pub reply_days: i64,
    /// Shop rating (DSR) rules.
    pub dsr: DsrRules,
    /// The level table file (always `levels.json`, read separately).
    #[serde(rename = "levels")]
    pub levels_file: String,
    /// The level table, loaded from [`Self::levels_file`].
    #[serde(skip_deserializing)]
    pub level_table: Vec<LevelBand>,
    /// Display names of the level tiers.
    #[serde(skip_deserializing)]
    pub tier_names: TierNames,
}

/// Shop rating rules.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DsrRules {
    /// The rolling window of the mean, in calendar months.
    pub months: u32,
    /// Ratings counted per buyer, seller and natural month of trade success.
    pub per_month_cap: u32,
    /// The dimensions rated, in display order.
    pub dimensions: Vec<DimensionInfo>,
}

/// A DSR dimension and its label on this platform.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DimensionInfo {
    /// Which dimension.
    pub id: Dimension,
    /// Its label, as the platform shows it.
    pub label: String,
}

/// A level's tier: the picture the platform draws.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Below the first level.
    None,
    /// Hearts (心), levels 1–5.
    Heart,
    /// Diamonds (钻), levels 6–10.
    Diamond,
    /// Crowns (皇冠), levels 11–15.
    Crown,
    /// Gold crowns (金冠), levels 16–20.
    GoldCrown,
}

/// One row of the level table.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LevelBand {
    /// The lowest credit of this level.
    pub min_credit: i64,
    /// The picture.
    pub tier: Tier,
    /// How many of the picture (1–5).
    pub count: u8,
}

/// Display names of the tiers.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TierNames {
    /// 心
    pub heart: String,
    /// 钻
    pub diamond: String,
    /// 皇冠
    pub crown: String,
    /// 金冠
    pub gold_crown: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelFile {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    #[serde(rename = "note")]
    _note: Option<String>,
    tiers: TierNames,
    levels: Vec<LevelBand>,
}

/// A level as the report shows it.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Level {
    /// 0 (none) to 20.
    pub index: u8,
    /// The picture.
    pub tier: Tier,
    /// How many of the picture (0 for none).
    pub count: u8,
}

const LEVELS_JSON: &str = include_str!("../../data/rules/levels.json");
const BUILTIN: [(&str, &str); 2] = [
    ("taobao", include_str!("../../data/rules/taobao.json")),
    ("tmall", include_str!("../../data/rules/tmall.json")),
];

#[derive(Deserialize)]
struct WithSchema {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    #[serde(flatten)]
    rules: serde_json::Value,
}

/// The longest span of days a rule set may give (100 years).
const MAX_DAYS: i64 = 36_500;

/// The longest DSR window in months (100 years).
const MAX_DSR_MONTHS: u32 = 1_200;

fn out_of_range(field: &str, min: i64, max: i64, unit: &str) -> CreditError {
    CreditError::new(
        "bad_data",
        None,
        Some(field),
        format!("规则集的这一项须在 {min}～{max}{unit} 之间。"),
    )
}

impl RuleSet {
    /// The ids of the built-in rule sets.
    pub fn builtin_ids() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(id, _)| *id)
    }

    /// A built-in rule set by id (`taobao`, `tmall`).
    pub fn builtin(id: &str) -> Result<RuleSet, CreditError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(name, _)| *name == id)
            .ok_or_else(|| CreditError::unknown_rules(id))?;
        Self::from_json(text, LEVELS_JSON)
    }

    /// Reads a rule set and its level table from JSON text.
    pub fn from_json(rules: &str, levels: &str) -> Result<RuleSet, CreditError> {
        let bad = |what: &str, e: serde_json::Error| CreditError::bad_data(what, &e.to_string());
        let outer: WithSchema = serde_json::from_str(rules).map_err(|e| bad("rule set", e))?;
        let mut set: RuleSet =
            serde_json::from_value(outer.rules).map_err(|e| bad("rule set", e))?;
        let table: LevelFile = serde_json::from_str(levels).map_err(|e| bad("levels", e))?;
        let ascending = table.levels.windows(2).all(|w| match w {
            [a, b] => a.min_credit < b.min_credit,
            _ => true,
        });
        if !ascending || table.levels.len() > usize::from(u8::MAX) {
            return Err(CreditError::bad_data("levels", "min_credit must increase"));
        }
        set.check_ranges()?;
        set.level_table = table.levels;
        set.tier_names = table.tiers;
        Ok(set)
    }

    /// The ranges `data/schema/rule-set.schema.json` states, which are also
    /// what the engine can hold: a review's and a follow-up's moment are kept
    /// as 32-bit seconds after the trade (136 years), the monthly counts in
    /// 16 bits, and the DSR window must stay inside the calendar.
    fn check_ranges(&self) -> Result<(), CreditError> {
        let days = [
            ("review_window_days", self.review_window_days, 1),
            ("same_item_days", self.same_item_days, 0),
            ("revise_days", self.revise_days, 0),
            ("follow_up_days", self.follow_up_days, 0),
            ("reply_days", self.reply_days, 0),
        ];
        for (field, value, min) in days {
            if !(min..=MAX_DAYS).contains(&value) {
                return Err(out_of_range(field, min, MAX_DAYS, "天"));
            }
        }
        let counts = [
            ("monthly_cap", self.monthly_cap, 0, u32::from(u16::MAX)),
            ("dsr.months", self.dsr.months, 1, MAX_DSR_MONTHS),
            ("dsr.per_month_cap", self.dsr.per_month_cap, 1, u32::MAX),
        ];
        for (field, value, min, max) in counts {
            if !(min..=max).contains(&value) {
                return Err(out_of_range(field, i64::from(min), i64::from(max), ""));
            }
        }
        if !(self.low_price_max.is_finite() && self.low_price_max >= 0.0) {
            return Err(CreditError::new(
                "bad_data",
                None,
                Some("low_price_max"),
                "规则集的低价上限须为不小于 0 的数（元）。".into(),
            ));
        }
        Ok(())
    }

    /// The level for a credit score.
    pub fn level(&self, credit: i64) -> Level {
        let reached = self
            .level_table
            .partition_point(|band| band.min_credit <= credit);
        match reached.checked_sub(1).and_then(|i| self.level_table.get(i)) {
            Some(band) => Level {
                index: u8::try_from(reached).unwrap_or(u8::MAX),
                tier: band.tier,
                count: band.count,
            },
            None => Level {
                index: 0,
                tier: Tier::None,
                count: 0,
            },
        }
    }

    /// Whether this rule set rates `dimension`.
    pub fn rates(&self, dimension: Dimension) -> bool {
        self.dsr.dimensions.iter().any(|d| d.id == dimension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_table_edges() {
        let rules = RuleSet::builtin("taobao").unwrap();
        let cases = [
            (-5, 0, Tier::None, 0),
            (3, 0, Tier::None, 0),
            (4, 1, Tier::Heart, 1),
            (10, 1, Tier::Heart, 1),
            (11, 2, Tier::Heart, 2),
            (250, 5, Tier::Heart, 5),
            (251, 6, Tier::Diamond, 1),
            (10000, 10, Tier::Diamond, 5),
            (10001, 11, Tier::Crown, 1),
            (500000, 15, Tier::Crown, 5),
            (500001, 16, Tier::GoldCrown, 1),
            (10000000, 19, Tier::GoldCrown, 4),
            (10000001, 20, Tier::GoldCrown, 5),
        ];
        for (credit, index, tier, count) in cases {
            assert_eq!(
                rules.level(credit),
                Level { index, tier, count },
                "credit {credit}"
            );
        }
    }

    #[test]
    fn a_rule_set_out_of_the_engines_ranges_is_refused_naming_the_field() {
        let text = BUILTIN.first().map(|(_, t)| *t).unwrap_or_default();
        let edit = |field: &str, value: serde_json::Value| {
            let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
            match field.split_once('.') {
                Some((outer, inner)) => v[outer][inner] = value,
                None => v[field] = value,
            }
            RuleSet::from_json(&v.to_string(), LEVELS_JSON)
        };
        for (field, bad, good) in [
            ("review_window_days", 0, 36_500),
            ("review_window_days", 36_501, 1),
            ("same_item_days", -1, 0),
            ("revise_days", 3_000_000, 45),
            ("follow_up_days", -5, 90),
            ("reply_days", 36_501, 10),
            ("monthly_cap", 65_536, 65_535),
            ("dsr.months", 0, 1_200),
            ("dsr.months", 1_201, 3),
            ("dsr.per_month_cap", 0, 1),
        ] {
            let e = edit(field, serde_json::json!(bad)).unwrap_err();
            assert_eq!(
                (e.code(), e.field.as_deref()),
                ("bad_data", Some(field)),
                "{field} = {bad}"
            );
            assert!(e.message.contains("之间"), "{}", e.message);
            assert!(
                edit(field, serde_json::json!(good)).is_ok(),
                "{field} = {good}"
            );
        }
    }

    #[test]
    fn builtin_sets_load_and_unknown_is_an_error() {
        for id in RuleSet::builtin_ids() {
            assert_eq!(RuleSet::builtin(id).unwrap().id, id);
        }
        assert_eq!(RuleSet::builtin("jd").unwrap_err().code(), "unknown_rules");
        assert!(!RuleSet::builtin("tmall")
            .unwrap()
            .rates(Dimension::Shipping));
    }
}
