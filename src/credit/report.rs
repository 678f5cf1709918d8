//! The report: what a user's credit page shows at a moment `as_of`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::codes::{Reason, RejectCode};
use super::engine::{Change, Engine, Rejection, SlotState};
use super::event::{Rating, Role};
use super::rules::Level;
use crate::time::Time;

/// Counts of shown reviews by rating.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    /// 好评 (default reviews included).
    pub good: u64,
    /// 中评.
    pub neutral: u64,
    /// 差评.
    pub bad: u64,
}

impl Tally {
    fn add(&mut self, rating: Rating) {
        match rating {
            Rating::Good => self.good += 1,
            Rating::Neutral => self.neutral += 1,
            Rating::Bad => self.bad += 1,
        }
    }

    /// All shown reviews.
    pub fn all(&self) -> u64 {
        self.good + self.neutral + self.bad
    }
}

/// The credit page's table: 最近1周 / 最近1个月 / 最近6个月 / 6个月前 / 总计.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// (as_of − 7 days, as_of]
    pub week: Tally,
    /// (as_of − 1 month, as_of]
    pub month: Tally,
    /// (as_of − 6 months, as_of]
    pub half_year: Tally,
    /// ≤ as_of − 6 months
    pub older: Tally,
    /// Every shown review.
    pub total: Tally,
}

/// One dimension of the shop rating.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct DsrStat {
    /// Arithmetic mean of the counted scores (`null` with none).
    pub mean: Option<f64>,
    /// How many scores were counted.
    pub count: u64,
}

/// Sum and count of counted shop-rating scores, by [`super::event::Dimension::index`].
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct DsrSums([(u64, u64); 4]);

impl DsrSums {
    /// Counts a rating's given scores (0: not given).
    pub(super) fn add(&mut self, scores: &[u8; 4]) {
        for (sum, &score) in self.0.iter_mut().zip(scores) {
            if score > 0 {
                sum.0 += u64::from(score);
                sum.1 += 1;
            }
        }
    }

    /// Takes back what [`DsrSums::add`] counted for the same scores.
    pub(super) fn remove(&mut self, scores: &[u8; 4]) {
        for (sum, &score) in self.0.iter_mut().zip(scores) {
            if score > 0 {
                sum.0 -= u64::from(score);
                sum.1 -= 1;
            }
        }
    }
}

/// A user's credit in one role.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AccountReport {
    /// Sum of points received in this role.
    pub credit: i64,
    /// The level drawn for that credit.
    pub level: Level,
    /// Tallies of shown reviews received.
    pub counts: Counts,
    /// 好评率: good ÷ all over `counts.total` (`null` with no reviews).
    pub positive_rate: Option<f64>,
    /// The shop rating, for sellers: one entry per dimension of the rule set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dsr: Option<BTreeMap<String, DsrStat>>,
}

/// One entry of the change feed.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct ChangeEntry {
    /// When.
    pub at: Time,
    /// The order id.
    pub order: String,
    /// Whose credit changed.
    pub user: String,
    /// Which credit: `seller` or `buyer`.
    pub role: Role,
    /// Points added (negative: taken).
    pub delta: i32,
    /// The credit after.
    pub credit_after: i64,
    /// The rule that caused it.
    pub reason: Reason,
    /// The event's log index; `null` for defaults and automatic reviews.
    pub event: Option<usize>,
    /// For a revision, the section-3 rule that scored the new good review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Reason>,
    /// What happened and why, in Chinese.
    pub message: String,
}

/// One rejected event.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RejectedEntry {
    /// The event's log index.
    pub event: usize,
    /// Stable code.
    pub code: RejectCode,
    /// Which rule refused it, in Chinese.
    pub message: String,
}

/// The report of the contract, section 5 and 9.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// The rule set's id.
    pub rules: String,
    /// The moment described (`null` for an empty world).
    pub as_of: Option<Time>,
    /// Seller credit and shop rating, by user id.
    pub sellers: BTreeMap<String, AccountReport>,
    /// Buyer credit, by user id.
    pub buyers: BTreeMap<String, AccountReport>,
    /// The change feed, in processing order (the newest ones when shortened).
    pub changes: Vec<ChangeEntry>,
    /// How many changes happened in all.
    pub changes_total: usize,
    /// Rejected events.
    pub rejected: Vec<RejectedEntry>,
}

/// How much of the feed a report carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// At most this many of the newest changes (`None`: all kept).
    pub max_changes: Option<usize>,
    /// At most this many of the newest rejections (`None`: all).
    pub max_rejected: Option<usize>,
}

/// The accounts' reports as a map by user id, built from a list sorted first
/// (`BTreeMap`'s own `collect` sorts the entries themselves, and a report is
/// some 200 bytes: sorting a big shop's 530,000 buyers moved them about for
/// most of the report's time). The names are sorted with the reports' places,
/// and the map is built from entries already in order.
fn by_name(entries: Vec<(String, AccountReport)>) -> BTreeMap<String, AccountReport> {
    let mut names = Vec::with_capacity(entries.len());
    let mut reports = Vec::with_capacity(entries.len());
    for (place, (name, report)) in entries.into_iter().enumerate() {
        names.push((name, place));
        reports.push(Some(report));
    }
    // User ids are unique: an unstable sort gives the one order there is.
    names.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    names
        .into_iter()
        .filter_map(|(name, place)| Some((name, reports.get_mut(place)?.take()?)))
        .collect()
}

impl Engine {
    /// The report at `as_of` (the clock when `None`), with the whole feed.
    pub fn report(&self, as_of: Option<Time>) -> Report {
        self.report_with(as_of, ReportOptions::default())
    }

    /// The report at `as_of` with the feed cut as `options` say.
    pub fn report_with(&self, as_of: Option<Time>, options: ReportOptions) -> Report {
        let as_of = as_of.or(self.clock());
        let mut accounts: Vec<AccountReport> = self
            .accounts
            .iter()
            .map(|a| AccountReport {
                credit: a.credit,
                level: self.rules.level(a.credit),
                counts: Counts::default(),
                positive_rate: None,
                dsr: None,
            })
            .collect();
        if let Some(t) = as_of {
            self.tally(t, &mut accounts, |a| Some(a as usize));
            self.shop_ratings(t, &mut accounts, |a| Some(a as usize));
        }
        // Collected, then built at once: a big shop's 600,000 buyers inserted one
        // by one took most of the report's time comparing names.
        let (mut sellers, mut buyers) = (Vec::new(), Vec::new());
        for (a, mut r) in self.accounts.iter().zip(accounts) {
            let total = r.counts.total;
            r.positive_rate = (total.all() > 0).then(|| total.good as f64 / total.all() as f64);
            let name = self.syms.name(a.user).into_owned();
            match a.role {
                Role::Seller => sellers.push((name, r)),
                Role::Buyer => buyers.push((name, r)),
            };
        }
        let (sellers, buyers) = (by_name(sellers), by_name(buyers));
        let kept = self.kept_change_count();
        let skip = options.max_changes.map_or(0, |m| kept.saturating_sub(m));
        let changes = self
            .changes_since(self.changes_total - kept + skip)
            .map(|c| self.change_entry(&c))
            .collect();
        let rskip = options
            .max_rejected
            .map_or(0, |m| self.rejected.len().saturating_sub(m));
        let rejected = self
            .rejected
            .iter()
            .skip(rskip)
            .map(|r| self.rejected_entry(r))
            .collect();
        Report {
            rules: self.rules.id.clone(),
            as_of,
            sellers,
            buyers,
            changes,
            changes_total: self.changes_total,
            rejected,
        }
    }

    /// One user's credit page in one role (`None` for a user never seen in it):
    /// cheaper than a whole report, so a page can sample it for charts.
    pub fn account_report(
        &self,
        user: &str,
        role: Role,
        as_of: Option<Time>,
    ) -> Option<AccountReport> {
        let index = self.account_index(user, role)?;
        let credit = self.accounts.get(index as usize)?.credit;
        let mut one = [AccountReport {
            credit,
            level: self.rules.level(credit),
            counts: Counts::default(),
            positive_rate: None,
            dsr: None,
        }];
        if let Some(t) = as_of.or(self.clock()) {
            let pick = |a: u32| (a == index).then_some(0);
            self.tally(t, &mut one, pick);
            self.shop_ratings(t, &mut one, pick);
        }
        let [mut r] = one;
        let total = r.counts.total;
        r.positive_rate = (total.all() > 0).then(|| total.good as f64 / total.all() as f64);
        if role == Role::Seller && r.dsr.is_none() {
            r.dsr = Some(BTreeMap::new());
        }
        Some(r)
    }

    /// Adds shown reviews to the counts of the accounts `slot` maps into `accounts`.
    fn tally(
        &self,
        as_of: Time,
        accounts: &mut [AccountReport],
        place: impl Fn(u32) -> Option<usize>,
    ) {
        let week = as_of.plus_days(-7);
        let month = as_of.minus_months(1).unwrap_or(week);
        let half = as_of.minus_months(6).unwrap_or(month);
        for o in &self.orders {
            for from in [Role::Buyer, Role::Seller] {
                let Some(slot) = o.reviews.get(from.index()) else {
                    continue;
                };
                let (SlotState::Given, Some(rating)) = (slot.state, slot.rating) else {
                    continue;
                };
                let receiver = o
                    .accounts
                    .get(from.other().index())
                    .copied()
                    .unwrap_or(u32::MAX);
                let Some(r) = place(receiver).and_then(|i| accounts.get_mut(i)) else {
                    continue;
                };
                let at = slot.at(o);
                let c = &mut r.counts;
                c.total.add(rating);
                if at > week {
                    c.week.add(rating);
                }
                if at > month {
                    c.month.add(rating);
                }
                if at > half {
                    c.half_year.add(rating);
                } else {
                    c.older.add(rating);
                }
            }
        }
    }

    /// Fills the shop ratings of the seller accounts `slot` maps into `accounts`.
    fn shop_ratings(
        &self,
        as_of: Time,
        accounts: &mut [AccountReport],
        slot: impl Fn(u32) -> Option<usize>,
    ) {
        let from = as_of.minus_months(self.rules.dsr.months).unwrap_or(as_of);
        let mut sums: Vec<DsrSums> = vec![DsrSums::default(); accounts.len()];
        let counted = self
            .dsr
            .iter()
            .filter(|d| d.within_cap && d.at > from && d.at <= as_of);
        for d in counted {
            let Some(acc) = slot(d.seller_account).and_then(|i| sums.get_mut(i)) else {
                continue;
            };
            acc.add(&d.scores);
        }
        for (index, a) in self.accounts.iter().enumerate() {
            let Some(i) = slot(index as u32).filter(|_| a.role == Role::Seller) else {
                continue;
            };
            let (Some(r), Some(sum)) = (accounts.get_mut(i), sums.get(i)) else {
                continue;
            };
            r.dsr = Some(self.dsr_stats(sum));
        }
    }

    /// The shop rating of the rule set's dimensions, from counted scores.
    pub(super) fn dsr_stats(&self, sums: &DsrSums) -> BTreeMap<String, DsrStat> {
        let dimensions = self.rules.dsr.dimensions.iter();
        dimensions
            .map(|d| {
                let (total, count) = sums.0.get(d.id.index()).copied().unwrap_or((0, 0));
                let mean = (count > 0).then(|| total as f64 / count as f64);
                (d.id.code().to_string(), DsrStat { mean, count })
            })
            .collect()
    }

    /// The feed entry for a change, names resolved and explained in Chinese.
    pub fn change_entry(&self, c: &Change) -> ChangeEntry {
        let user = self.syms.name(c.user).into_owned();
        let order = self.syms.name(c.order).into_owned();
        // Defaults and automatic reviews have no event: say so even when a rule zeroed them.
        let automatic = c.event.is_none();
        let what = match (c.reason, c.rating) {
            (Reason::AutoGood, _) => format!("订单 {order} 买家已评价，系统自动给买家好评"),
            (_, _) if automatic && self.rules.auto_good => {
                format!("订单 {order} 买家已评价，系统自动给买家好评")
            }
            (_, _) if automatic => format!("订单 {order} 评价期结束，系统默认好评"),
            (Reason::Revised, _) => format!("订单 {order} 的评价改为好评"),
            (Reason::Deleted, _) => format!("订单 {order} 的评价被删除"),
            (_, Some(rating)) => {
                format!("{}对订单 {order} 给出{}", c.role.other().zh(), rating.zh())
            }
            (_, None) => format!("订单 {order}"),
        };
        let why = match (c.reason, c.rule) {
            (Reason::Revised, Some(rule)) if rule != Reason::Scored => {
                format!(
                    "{}{}",
                    c.reason.rule_zh(&self.rules),
                    rule.rule_zh(&self.rules)
                )
            }
            _ => c.reason.rule_zh(&self.rules),
        };
        let whose = format!("{}「{user}」的{}信用", c.role.zh(), c.role.zh());
        let moved = match c.delta {
            0 => format!("不变（仍为 {}）", c.credit_after),
            d => format!("{d:+}（现为 {}）", c.credit_after),
        };
        let message = format!("{what}：{whose}{moved}。{why}");
        ChangeEntry {
            at: c.at,
            order,
            user,
            role: c.role,
            delta: c.delta,
            credit_after: c.credit_after,
            reason: c.reason,
            event: c.event.map(|e| e as usize),
            rule: c.rule,
            message,
        }
    }

    /// The rejection entry, explained in Chinese.
    pub fn rejected_entry(&self, r: &Rejection) -> RejectedEntry {
        let mut message = r.code.rule_zh(&self.rules);
        if let Some(deadline) = r.deadline {
            message.push_str(&format!("（期限截至 {deadline}）"));
        }
        RejectedEntry {
            event: r.event,
            code: r.code,
            message,
        }
    }
}
