//! An account's standing over time: its credit, 好评率 and shop rating at chosen
//! moments, read from the change feed in one pass (the simulator's big-shop
//! chart). The feed holds every change of credit with its moment, and each
//! change says which review it gave, revised or deleted; the shop ratings are
//! kept in the order they were accepted. So the standing at any moment needs no
//! replay: only the changes and ratings up to it.

use std::collections::{BTreeMap, HashMap};

use super::engine::Engine;
use super::event::{Rating, Role};
use super::report::{DsrStat, DsrSums};
use crate::time::Time;

/// What one change did to the standing of the account it credits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fact {
    pub at: Time,
    pub delta: i64,
    pub kind: FactKind,
    /// The order's index and the reviewer, which name the review.
    pub review: (u32, Role),
}

/// Which way a change moved a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FactKind {
    /// Given (explicit, default or automatic), whatever its points.
    Given(Rating),
    /// A neutral or bad review revised to good.
    RevisedGood,
    /// A neutral or bad review deleted.
    Deleted,
}

/// An account's standing at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// The moment (inclusive).
    pub at: Time,
    /// Credit then.
    pub credit: i64,
    /// 好评率 then: good ÷ all shown reviews received (`None` with none).
    pub positive_rate: Option<f64>,
    /// For a seller: the shop rating's mean and count per dimension, as the
    /// report gives them at that moment.
    pub dsr: Option<BTreeMap<String, DsrStat>>,
}

/// Shown reviews received so far, by [`rating_index`].
#[derive(Default)]
struct Shown([i64; 3]);

fn rating_index(r: Rating) -> usize {
    match r {
        Rating::Good => 0,
        Rating::Neutral => 1,
        Rating::Bad => 2,
    }
}

impl Engine {
    /// `user`'s standing in `role` at each of `times`, in the order given (each
    /// moment inclusive, as a report's `as_of`). `None` when the user never
    /// traded in that role, or when the engine no longer holds every change
    /// ([`Engine::set_change_limit`]): the history is read from the feed.
    pub fn history(&self, user: &str, role: Role, times: &[Time]) -> Option<Vec<Standing>> {
        let account = self.account_index(user, role)?;
        if self.kept_change_count() != self.changes_total {
            return None;
        }
        let (mut credit, mut shown) = (0i64, Shown::default());
        // The rating each neutral or bad review stands at, for its revision.
        let mut revisable: HashMap<(u32, Role), Rating> = HashMap::new();
        let mut next = self.facts_of(account).peekable();
        let mut ratings = (role == Role::Seller).then_some(RatingWindow {
            account,
            added: 0,
            dropped: 0,
            sums: DsrSums::default(),
        });
        // The feed is walked once, so the moments are visited in time order.
        let mut order: Vec<usize> = (0..times.len()).collect();
        order.sort_by_key(|&i| times.get(i).copied());
        let mut out: Vec<Option<Standing>> = vec![None; times.len()];
        for i in order {
            let Some(&t) = times.get(i) else {
                continue;
            };
            while let Some(f) = next.next_if(|f| f.at <= t) {
                credit += f.delta;
                match f.kind {
                    FactKind::Given(rating) => {
                        shown.add(rating, 1);
                        if rating != Rating::Good {
                            revisable.insert(f.review, rating);
                        }
                    }
                    FactKind::RevisedGood | FactKind::Deleted => {
                        if let Some(old) = revisable.remove(&f.review) {
                            shown.add(old, -1);
                        }
                        if f.kind == FactKind::RevisedGood {
                            shown.add(Rating::Good, 1);
                        }
                    }
                }
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(Standing {
                    at: t,
                    credit,
                    positive_rate: shown.rate(),
                    dsr: ratings.as_mut().map(|w| w.at(self, t)),
                });
            }
        }
        Some(out.into_iter().flatten().collect())
    }

    /// The facts of the changes that credited `account`, in feed order.
    fn facts_of(&self, account: u32) -> impl Iterator<Item = Fact> + '_ {
        let played = self.changes.iter().filter_map(move |c| {
            let a = self
                .account_of
                .get(c.user.index())
                .and_then(|a| a.get(c.role.index()))?;
            if *a != account {
                return None;
            }
            let order = self
                .order_of
                .get(c.order.index())
                .map_or(0, |&n| n.wrapping_sub(1));
            let kind = match (c.reason, c.rating) {
                (super::Reason::Revised, _) => FactKind::RevisedGood,
                (super::Reason::Deleted, _) | (_, None) => FactKind::Deleted,
                (_, Some(rating)) => FactKind::Given(rating),
            };
            Some(Fact {
                at: c.at,
                delta: i64::from(c.delta),
                kind,
                review: (order, c.role.other()),
            })
        });
        self.replayed_facts(account).chain(played)
    }
}

impl Shown {
    fn add(&mut self, rating: Rating, n: i64) {
        if let Some(c) = self.0.get_mut(rating_index(rating)) {
            *c += n;
        }
    }

    fn rate(&self) -> Option<f64> {
        let [good, neutral, bad] = self.0;
        let all = good + neutral + bad;
        (all > 0).then(|| good as f64 / all as f64)
    }
}

/// A seller's counted shop ratings in the window that ends at the moment
/// asked (the engine's ratings are in acceptance order, so two cursors do).
struct RatingWindow {
    account: u32,
    /// Ratings `[0, added)` have been added; `[0, dropped)` taken out again.
    added: usize,
    dropped: usize,
    sums: DsrSums,
}

impl RatingWindow {
    /// The shop rating at `t` ([`Engine::report`]'s, for `as_of` = `t`).
    fn at(&mut self, engine: &Engine, t: Time) -> BTreeMap<String, DsrStat> {
        let from = t.minus_months(engine.rules.dsr.months).unwrap_or(t);
        while let Some(d) = engine.dsr.get(self.added).filter(|d| d.at <= t) {
            self.count(d, true);
            self.added += 1;
        }
        while let Some(d) = engine
            .dsr
            .get(self.dropped)
            .filter(|d| d.at <= from && self.dropped < self.added)
        {
            self.count(d, false);
            self.dropped += 1;
        }
        engine.dsr_stats(&self.sums)
    }

    fn count(&mut self, d: &super::engine::DsrRecord, add: bool) {
        if !d.within_cap || d.seller_account != self.account {
            return;
        }
        if add {
            self.sums.add(&d.scores);
        } else {
            self.sums.remove(&d.scores);
        }
    }
}
