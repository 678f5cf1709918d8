//! The rules engine's state: orders, reviews, credit, shop ratings.
//!
//! [`Engine`] takes one event at a time ([`Engine::apply`]) or moves the clock
//! ([`Engine::advance_to`]); either fires the default good reviews that fall due.
//! A rejected event changes nothing. Each review's points follow section 3 of the
//! contract (`shared/spec/credit-rules.md`): low price, then the 14-day same-item
//! rule, then the monthly cap, each judged against the reviews that stand *now*.
//!
//! Decisions where the contract is silent:
//! - Reviews, defaults and revisions are judged against current state: a review
//!   that was deleted or revised no longer blocks another under the 14-day rule.
//! - A revision to good that a section-3 rule zeroes keeps reason `revised`; the
//!   zeroing rule is given in the extra field `rule`.
//! - Advancing the clock to `t` closes the instant `t`: defaults due at `t` fire
//!   then, before any event at `t` that is applied afterwards. In a replay the
//!   clock only moves with events, so the contract's same-instant order holds.
//! - A reply to a review needs the review to stand (not deleted).
//! - Tmall's automatic good review is scored by section 3 like a default one.

use std::collections::VecDeque;

use super::codes::{Reason, RejectCode};
use super::event::{
    DsrScores, DsrValue, Event, EventBody, OrderEvent, Rating, ReplyTarget, Revision, Role,
};
use super::pairs::{Pairs, Scoring, NONE};
use super::rules::RuleSet;
use super::symbols::{Sym, Symbols};
use crate::time::{MonthKey, Time, DAY};

/// Whether a party's review of an order exists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum SlotState {
    #[default]
    Empty,
    Given,
    Deleted,
}

/// One party's review of one order (8 bytes: orders stay one cache line).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Slot {
    pub state: SlotState,
    pub rating: Option<Rating>,
    pub points: i8,
    pub revised: bool,
    /// Seconds after the order's trade success (a review is never before it).
    pub after: u32,
}

impl Slot {
    /// When the review was first given.
    pub fn at(&self, order: &OrderState) -> Time {
        order.at.plus_seconds(i64::from(self.after))
    }

    fn standing(&self) -> bool {
        self.state == SlotState::Given
    }
}

/// An accepted order and everything said about it: 64 bytes, one cache line,
/// because replaying a big shop is bound by memory latency.
#[derive(Clone, Debug)]
pub(crate) struct OrderState {
    pub item: Sym,
    /// Account indices, by [`Role::index`]: the buyer's buyer account, the seller's seller account.
    pub accounts: [u32; 2],
    pub pair: u32,
    pub created: Time,
    pub at: Time,
    pub created_month: MonthKey,
    /// Reviews, by the *reviewer's* [`Role::index`].
    pub reviews: [Slot; 2],
    /// The follow-up, in seconds after trade success ([`NONE`]: none).
    pub follow_up: u32,
    /// [`LOW_PRICE`], [`RATED`] and the `REPLIED_*` bits.
    pub flags: u8,
}

const LOW_PRICE: u8 = 1;
const RATED: u8 = 2;
const REPLIED_SELLER_REVIEW: u8 = 4;
const REPLIED_BUYER_REVIEW: u8 = 8;
const REPLIED_FOLLOW_UP: u8 = 16;

impl OrderState {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn follow_up_at(&self) -> Option<Time> {
        (self.follow_up != NONE).then(|| self.at.plus_seconds(i64::from(self.follow_up)))
    }

    /// Seconds from trade success to `t` (0 before it).
    fn offset(&self, t: Time) -> u32 {
        u32::try_from((t.seconds() - self.at.seconds()).max(0)).unwrap_or(NONE - 1)
    }
}

/// One user in one role.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub user: Sym,
    pub role: Role,
    pub credit: i64,
    /// For a buyer account: the first of its pairs.
    pub pairs: u32,
}

/// An accepted shop rating.
#[derive(Clone, Debug)]
pub(crate) struct DsrRecord {
    pub seller_account: u32,
    pub at: Time,
    pub scores: [u8; 4],
    /// Among the first N of this buyer, seller and natural month.
    pub within_cap: bool,
}

/// A change of credit, as kept by the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// When.
    pub at: Time,
    /// The order.
    pub order: Sym,
    /// Whose credit.
    pub user: Sym,
    /// Which of the user's credits.
    pub role: Role,
    /// Points added (negative: taken).
    pub delta: i32,
    /// The credit after the change.
    pub credit_after: i64,
    /// The rule that caused it.
    pub reason: Reason,
    /// For a revision: the section-3 rule that scored the new review.
    pub rule: Option<Reason>,
    /// The rating that stands after the change (none when deleted).
    pub rating: Option<Rating>,
    /// The log index of the event, or `None` for defaults and automatic reviews.
    pub event: Option<usize>,
}

/// A rejected event, as kept by the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The event's log index.
    pub event: usize,
    /// Why.
    pub code: RejectCode,
    /// The deadline that passed, when a window closed.
    pub deadline: Option<Time>,
}

impl Rejection {
    fn new(code: RejectCode) -> Self {
        Rejection {
            event: 0,
            code,
            deadline: None,
        }
    }

    fn late(code: RejectCode, deadline: Time) -> Self {
        Rejection {
            event: 0,
            code,
            deadline: Some(deadline),
        }
    }
}

type Judged = Result<(), Rejection>;

#[cfg(test)]
mod layout {
    #[test]
    fn an_order_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<super::OrderState>(), 64);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Origin {
    Explicit(usize),
    Default,
    Auto,
}

/// The state of one shop world under one rule set.
#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) rules: RuleSet,
    pub(crate) syms: Symbols,
    pub(crate) orders: Vec<OrderState>,
    /// Order index + 1, by order symbol (0: none).
    order_of: Vec<u32>,
    /// Order symbol, by order index (cold: read when a change is recorded).
    pub(crate) order_ids: Vec<Sym>,
    pairs: Pairs,
    pub(crate) accounts: Vec<Account>,
    /// Account index by user symbol and [`Role::index`] ([`NONE`]: none).
    account_of: Vec<[u32; 2]>,
    pub(crate) dsr: Vec<DsrRecord>,
    /// Orders whose review window has not been closed yet (in `at` order).
    pending: VecDeque<u32>,
    clock: Option<Time>,
    horizon: Option<Time>,
    next_event: usize,
    pub(crate) changes: VecDeque<Change>,
    pub(crate) changes_total: usize,
    change_limit: Option<usize>,
    pub(crate) rejected: Vec<Rejection>,
}

/// What one call did: changes from `first_change` on, and a rejection if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The sequence number of the first change this call made.
    pub first_change: usize,
    /// The rejection, if the event was refused.
    pub rejected: Option<Rejection>,
}

impl Engine {
    /// An empty world under `rules`.
    pub fn new(rules: RuleSet) -> Engine {
        Engine {
            rules,
            syms: Symbols::default(),
            orders: Vec::new(),
            order_of: Vec::new(),
            order_ids: Vec::new(),
            pairs: Pairs::default(),
            accounts: Vec::new(),
            account_of: Vec::new(),
            dsr: Vec::new(),
            pending: VecDeque::new(),
            clock: None,
            horizon: None,
            next_event: 0,
            changes: VecDeque::new(),
            changes_total: 0,
            change_limit: None,
            rejected: Vec::new(),
        }
    }

    /// Events after `as_of` will be rejected with `after_as_of`.
    pub fn set_horizon(&mut self, as_of: Option<Time>) {
        self.horizon = as_of;
    }

    /// Keep only the newest `limit` changes in memory (`None`: all). Credit and
    /// every total stay exact; only the feed is shortened.
    pub fn set_change_limit(&mut self, limit: Option<usize>) {
        self.change_limit = limit;
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The name table, for parsing events into this engine.
    pub fn symbols_mut(&mut self) -> &mut Symbols {
        &mut self.syms
    }

    /// The name table.
    pub fn symbols(&self) -> &Symbols {
        &self.syms
    }

    /// The clock: the latest event's time or the time advanced to.
    pub fn clock(&self) -> Option<Time> {
        self.clock
    }

    /// How many events were applied (accepted or rejected).
    pub fn events_seen(&self) -> usize {
        self.next_event
    }

    /// How many orders were accepted.
    pub fn order_count(&self) -> usize {
        self.orders.len()
    }

    /// A user's credit in a role (0 for a user never seen in it).
    pub fn credit(&self, user: &str, role: Role) -> i64 {
        self.account_index(user, role)
            .and_then(|a| self.accounts.get(a as usize))
            .map_or(0, |a| a.credit)
    }

    /// The account of `user` in `role`, if the user was ever seen in it.
    pub(crate) fn account_index(&self, user: &str, role: Role) -> Option<u32> {
        let sym = self.syms.lookup(user)?;
        let index = *self.account_of.get(sym.index())?.get(role.index())?;
        (index != NONE).then_some(index)
    }

    /// Changes kept in memory, oldest first, with their sequence numbers.
    pub fn changes_since(&self, first: usize) -> impl Iterator<Item = &Change> {
        let kept_from = self.changes_total - self.changes.len();
        self.changes.iter().skip(first.saturating_sub(kept_from))
    }

    /// Applies one event: defaults due before it fire first, then the event is
    /// accepted or rejected (a rejected event changes nothing).
    pub fn apply(&mut self, event: &Event) -> Applied {
        let index = self.next_event;
        self.next_event += 1;
        let first_change = self.changes_total;
        let rejected = self.apply_inner(event, index).err().map(|mut r| {
            r.event = index;
            self.rejected.push(r);
            r
        });
        Applied {
            first_change,
            rejected,
        }
    }

    /// Applies many events in order, like [`Engine::apply`] on each. Before each
    /// small batch it reads the orders, pairs and accounts the batch will touch,
    /// so that their cache misses overlap instead of following one another.
    pub fn apply_all(&mut self, events: &[Event]) -> usize {
        let mut rejected = 0;
        for batch in events.chunks(16) {
            let mut touched = 0u64;
            for e in batch {
                touched = touched.wrapping_add(self.touch(e));
            }
            std::hint::black_box(touched);
            for e in batch {
                rejected += usize::from(self.apply(e).rejected.is_some());
            }
        }
        rejected
    }

    /// Reads what `event` will need (a hint to the memory system; changes nothing).
    fn touch(&self, event: &Event) -> u64 {
        let order = match &event.body {
            EventBody::Order(o) => {
                let a = self.account_of.get(o.buyer.index()).map_or(0, |a| a[0]);
                return self
                    .accounts
                    .get(a as usize)
                    .map_or(0, |a| u64::from(a.pairs));
            }
            EventBody::Review { order, .. }
            | EventBody::Dsr { order, .. }
            | EventBody::Revise { order, .. }
            | EventBody::FollowUp { order }
            | EventBody::Reply { order, .. } => *order,
        };
        let oi = self.order_of.get(order.index()).copied().unwrap_or(0);
        let Some(o) = oi.checked_sub(1).and_then(|i| self.orders.get(i as usize)) else {
            return 0;
        };
        let pair = self.pairs.get(o.pair).map_or(0, |p| p.orders);
        let buyer = self
            .accounts
            .get(o.accounts[0] as usize)
            .map_or(0, |a| a.credit as u64);
        u64::from(pair) ^ buyer
    }

    /// Moves the clock to `to`, firing every default due at or before it.
    pub fn advance_to(&mut self, to: Time) -> Result<Applied, RejectCode> {
        if self.clock.is_some_and(|c| to < c) {
            return Err(RejectCode::ClockBackwards);
        }
        let first_change = self.changes_total;
        self.clock = Some(to);
        self.fire_due(to, true);
        Ok(Applied {
            first_change,
            rejected: None,
        })
    }

    /// Fires the defaults due at or before `as_of` without moving the clock (the
    /// end of a replay).
    pub fn close_through(&mut self, as_of: Time) {
        self.fire_due(as_of, true);
    }

    fn apply_inner(&mut self, event: &Event, index: usize) -> Judged {
        let at = event.at;
        if self.clock.is_some_and(|c| at < c) {
            return Err(Rejection::new(RejectCode::TimeOutOfOrder));
        }
        self.clock = Some(at);
        if self.horizon.is_some_and(|h| at > h) {
            return Err(Rejection::new(RejectCode::AfterAsOf));
        }
        self.fire_due(at, false);
        match &event.body {
            EventBody::Order(order) => self.add_order(order, at),
            EventBody::Review {
                order,
                from,
                rating,
            } => {
                let oi = self.order_index(*order)?;
                self.review(oi, *from, *rating, at, index)
            }
            EventBody::Dsr { order, scores } => {
                let oi = self.order_index(*order)?;
                self.rate(oi, scores, at)
            }
            EventBody::Revise { order, from, to } => {
                let oi = self.order_index(*order)?;
                self.revise(oi, *from, *to, at, index)
            }
            EventBody::FollowUp { order } => {
                let oi = self.order_index(*order)?;
                self.follow_up(oi, at)
            }
            EventBody::Reply { order, from, to } => {
                let oi = self.order_index(*order)?;
                self.reply(oi, *from, *to, at)
            }
        }
    }

    fn order_index(&self, order: Sym) -> Result<usize, Rejection> {
        match self.order_of.get(order.index()) {
            Some(&n) if n > 0 => Ok(n as usize - 1),
            _ => Err(Rejection::new(RejectCode::UnknownOrder)),
        }
    }

    fn order(&self, oi: usize) -> Result<&OrderState, Rejection> {
        self.orders
            .get(oi)
            .ok_or(Rejection::new(RejectCode::UnknownOrder))
    }

    fn order_mut(&mut self, oi: usize) -> Result<&mut OrderState, Rejection> {
        self.orders
            .get_mut(oi)
            .ok_or(Rejection::new(RejectCode::UnknownOrder))
    }

    fn window_end(&self, o: &OrderState) -> Time {
        o.at.plus_days(self.rules.review_window_days)
    }

    fn account(&mut self, user: Sym, role: Role) -> u32 {
        let slot = user.index();
        if self.account_of.len() <= slot {
            self.account_of.resize(slot + 1, [NONE; 2]);
        }
        let next = self.accounts.len() as u32;
        let Some(entry) = self
            .account_of
            .get_mut(slot)
            .and_then(|a| a.get_mut(role.index()))
        else {
            return NONE;
        };
        if *entry == NONE {
            *entry = next;
            self.accounts.push(Account {
                user,
                role,
                credit: 0,
                pairs: NONE,
            });
        }
        *entry
    }

    fn add_order(&mut self, order: &OrderEvent, at: Time) -> Judged {
        if self.order_index(order.id).is_ok() {
            return Err(Rejection::new(RejectCode::DuplicateId));
        }
        if order.buyer == order.seller {
            return Err(Rejection::new(RejectCode::SelfTrade));
        }
        if !order.price.is_finite() || order.price < 0.0 {
            return Err(Rejection::new(RejectCode::BadPrice));
        }
        if order.created > at {
            return Err(Rejection::new(RejectCode::CreatedAfterCompletion));
        }
        let accounts = [
            self.account(order.buyer, Role::Buyer),
            self.account(order.seller, Role::Seller),
        ];
        let oi = self.orders.len() as u32;
        let [buyer_account, seller_account] = accounts;
        let head = self
            .accounts
            .get(buyer_account as usize)
            .map_or(NONE, |a| a.pairs);
        let (pair, head) = self.pairs.find_or_add(head, seller_account);
        if let Some(a) = self.accounts.get_mut(buyer_account as usize) {
            a.pairs = head;
        }
        if let Some(first) = self.pairs.add_order(pair, oi) {
            self.index_reviews(first as usize);
        }
        self.orders.push(OrderState {
            item: order.item,
            accounts,
            pair,
            created: order.created,
            at,
            created_month: order.created.month(),

            reviews: [Slot::default(); 2],
            follow_up: NONE,
            flags: if order.price <= self.rules.low_price_max {
                LOW_PRICE
            } else {
                0
            },
        });
        let slot = order.id.index();
        if self.order_of.len() <= slot {
            self.order_of.resize(slot + 1, 0);
        }
        if let Some(entry) = self.order_of.get_mut(slot) {
            *entry = oi + 1;
        }
        self.order_ids.push(order.id);
        if self.rules.default_good {
            self.pending.push_back(oi);
        }
        Ok(())
    }

    /// Section 3: the points of a good/neutral/bad review on order `oi` from
    /// `from`, judged against the reviews that stand now.
    fn score(&self, oi: usize, from: Role, rating: Rating) -> (i8, Reason) {
        let base = rating.points();
        let Some(o) = self.orders.get(oi) else {
            return (0, Reason::Neutral);
        };
        if o.has(LOW_PRICE) {
            return (0, Reason::LowPrice);
        }
        if base != 0 {
            let probe = Scoring {
                created: o.created.seconds(),
                order: oi as u32,
                from: from.index() as u8,
                sign: base,
            };
            let span = self.rules.same_item_days * DAY;
            if self.pairs.holds_like(o.pair, o.item.0, probe, span) {
                return (0, Reason::SameItem14d);
            }
        }
        if base > 0 {
            let gained = self.pairs.counters(o.pair, o.created_month).plus;
            let cap = u16::try_from(self.rules.monthly_cap).unwrap_or(u16::MAX);
            if gained.get(from.index()).is_some_and(|&g| g >= cap) {
                return (0, Reason::MonthlyCap);
            }
        }
        (
            base,
            if base == 0 {
                Reason::Neutral
            } else {
                Reason::Scored
            },
        )
    }

    /// Gives `from`'s review on `oi` (the slot must be empty) and records the change.
    fn give(&mut self, oi: usize, from: Role, rating: Rating, at: Time, origin: Origin) -> Judged {
        let (points, rule) = self.score(oi, from, rating);
        let reason = match (origin, rule) {
            (Origin::Default, Reason::Scored) => Reason::DefaultGood,
            (Origin::Auto, Reason::Scored) => Reason::AutoGood,
            _ => rule,
        };
        self.points_moved(oi, from, 0, points);
        let o = self.order_mut(oi)?;
        let after = o.offset(at);
        let slot = o
            .reviews
            .get_mut(from.index())
            .ok_or(Rejection::new(RejectCode::UnknownOrder))?;
        *slot = Slot {
            state: SlotState::Given,
            rating: Some(rating),
            points,
            revised: false,
            after,
        };
        let event = match origin {
            Origin::Explicit(i) => Some(i),
            _ => None,
        };
        self.credit_change(
            oi,
            from.other(),
            at,
            i32::from(points),
            reason,
            None,
            Some(rating),
            event,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn credit_change(
        &mut self,
        oi: usize,
        receiver: Role,
        at: Time,
        delta: i32,
        reason: Reason,
        rule: Option<Reason>,
        rating: Option<Rating>,
        event: Option<usize>,
    ) -> Judged {
        let o = self.order(oi)?;
        let order = self.order_ids.get(oi).copied().unwrap_or(Sym(NONE));
        let ai = o
            .accounts
            .get(receiver.index())
            .copied()
            .unwrap_or(u32::MAX) as usize;
        let account = self
            .accounts
            .get_mut(ai)
            .ok_or(Rejection::new(RejectCode::UnknownOrder))?;
        account.credit += i64::from(delta);
        let change = Change {
            at,
            order,
            user: account.user,
            role: receiver,
            delta,
            credit_after: account.credit,
            reason,
            rule,
            rating,
            event,
        };
        self.changes.push_back(change);
        self.changes_total += 1;
        if let Some(limit) = self.change_limit {
            while self.changes.len() > limit {
                self.changes.pop_front();
            }
        }
        Ok(())
    }

    fn review(&mut self, oi: usize, from: Role, rating: Rating, at: Time, index: usize) -> Judged {
        if from == Role::Seller && !self.rules.seller_reviews {
            return Err(Rejection::new(RejectCode::NotAllowedByRules));
        }
        let o = self.order(oi)?;
        let end = self.window_end(o);
        if at > end {
            return Err(Rejection::late(RejectCode::WindowClosed, end));
        }
        if o.reviews
            .get(from.index())
            .is_some_and(|s| s.state != SlotState::Empty)
        {
            return Err(Rejection::new(RejectCode::AlreadyReviewed));
        }
        let seller_silent = o
            .reviews
            .get(Role::Seller.index())
            .is_some_and(|s| s.state == SlotState::Empty);
        self.give(oi, from, rating, at, Origin::Explicit(index))?;
        if self.rules.auto_good && from == Role::Buyer && seller_silent {
            self.give(oi, Role::Seller, Rating::Good, at, Origin::Auto)?;
        }
        Ok(())
    }

    fn fire_due(&mut self, limit: Time, inclusive: bool) {
        while let Some(&oi) = self.pending.front() {
            let Some(o) = self.orders.get(oi as usize) else {
                self.pending.pop_front();
                continue;
            };
            let due = self.window_end(o);
            if due > limit || (due == limit && !inclusive) {
                break;
            }
            self.pending.pop_front();
            let [buyer, seller] = o.reviews;
            let lone = match (buyer.state, seller.state) {
                (SlotState::Empty, SlotState::Empty) => None,
                (_, SlotState::Empty) => Some((Role::Buyer, buyer)),
                (SlotState::Empty, _) => Some((Role::Seller, seller)),
                _ => None,
            };
            if let Some((reviewer, slot)) = lone {
                if slot.standing() && slot.rating == Some(Rating::Good) {
                    // The silent party's slot is empty, so this cannot be refused.
                    let _ = self.give(
                        oi as usize,
                        reviewer.other(),
                        Rating::Good,
                        due,
                        Origin::Default,
                    );
                }
            }
        }
    }

    fn rate(&mut self, oi: usize, scores: &DsrScores, at: Time) -> Judged {
        let o = self.order(oi)?;
        let end = self.window_end(o);
        if at > end {
            return Err(Rejection::late(RejectCode::WindowClosed, end));
        }
        if o.has(RATED) {
            return Err(Rejection::new(RejectCode::AlreadyRated));
        }
        let given = |v: &&DsrValue| **v != DsrValue::Absent;
        let foreign = scores.unknown.is_some()
            || super::event::Dimension::ALL
                .iter()
                .zip(&scores.values)
                .any(|(d, v)| given(&v) && !self.rules.rates(*d));
        if foreign {
            return Err(Rejection::new(RejectCode::DsrUnknownDimension));
        }
        if !scores.values.iter().any(|v| given(&v)) {
            return Err(Rejection::new(RejectCode::DsrEmpty));
        }
        if scores.values.contains(&DsrValue::Invalid) {
            return Err(Rejection::new(RejectCode::DsrOutOfRange));
        }
        let (pair, month) = (o.pair, o.at.month());
        let earlier = self.pairs.counters(pair, month).rated;
        let record = DsrRecord {
            seller_account: o
                .accounts
                .get(Role::Seller.index())
                .copied()
                .unwrap_or(u32::MAX),
            at,
            scores: scores.values.map(|v| match v {
                DsrValue::Score(s) => s,
                _ => 0,
            }),
            within_cap: u32::from(earlier) < self.rules.dsr.per_month_cap,
        };
        self.pairs
            .update(pair, month, |c| c.rated = c.rated.saturating_add(1));
        self.order_mut(oi)?.flags |= RATED;
        self.dsr.push(record);
        Ok(())
    }

    fn revise(&mut self, oi: usize, from: Role, to: Revision, at: Time, index: usize) -> Judged {
        if !self.rules.revisions {
            return Err(Rejection::new(RejectCode::NotAllowedByRules));
        }
        let slot = *self
            .order(oi)?
            .reviews
            .get(from.index())
            .ok_or(Rejection::new(RejectCode::NothingToRevise))?;
        if !slot.standing() {
            return Err(Rejection::new(RejectCode::NothingToRevise));
        }
        if slot.revised {
            return Err(Rejection::new(RejectCode::AlreadyRevised));
        }
        if slot.rating == Some(Rating::Good) {
            return Err(Rejection::new(RejectCode::NotRevisable));
        }
        let end = slot.at(self.order(oi)?).plus_days(self.rules.revise_days);
        if at > end {
            return Err(Rejection::late(RejectCode::ReviseWindowClosed, end));
        }
        let old = slot.points;
        let mut new = slot;
        new.revised = true;
        new.points = 0;
        let (reason, rule) = match to {
            Revision::Deleted => {
                new.state = SlotState::Deleted;
                (Reason::Deleted, None)
            }
            Revision::Good => {
                new.rating = Some(Rating::Good);
                self.set_slot(oi, from, new)?;
                let (points, rule) = self.score(oi, from, Rating::Good);
                new.points = points;
                (Reason::Revised, Some(rule))
            }
        };
        self.points_moved(oi, from, old, new.points);
        self.set_slot(oi, from, new)?;
        let delta = i32::from(new.points) - i32::from(old);
        let rating = new.standing().then_some(Rating::Good);
        self.credit_change(
            oi,
            from.other(),
            at,
            delta,
            reason,
            rule,
            rating,
            Some(index),
        )
    }

    /// Keeps the pair's tables in step when `from`'s review on `oi` goes from
    /// `old` to `new` points: the same-item index and the monthly +1 count.
    fn points_moved(&mut self, oi: usize, from: Role, old: i8, new: i8) {
        let Some(o) = self.orders.get(oi) else { return };
        let (pair, item, month, created) = (o.pair, o.item.0, o.created_month, o.created);
        let side = from.index() as u8;
        let indexed = self.pairs.indexed(pair);
        if old != 0 && indexed {
            self.pairs.remove_scoring(pair, item, oi as u32, side);
        }
        if new != 0 && indexed {
            let entry = Scoring {
                created: created.seconds(),
                order: oi as u32,
                from: side,
                sign: new,
            };
            self.pairs.add_scoring(pair, item, entry);
        }
        if new > 0 {
            self.pairs.update(pair, month, |c| {
                if let Some(n) = c.plus.get_mut(from.index()) {
                    *n = n.saturating_add(1);
                }
            });
        }
    }

    /// Enters the live scoring reviews of order `oi` into the same-item index.
    fn index_reviews(&mut self, oi: usize) {
        let Some(o) = self.orders.get(oi) else { return };
        let (pair, item, created) = (o.pair, o.item.0, o.created.seconds());
        for (side, slot) in o.reviews.iter().enumerate() {
            if slot.standing() && slot.points != 0 {
                let entry = Scoring {
                    created,
                    order: oi as u32,
                    from: side as u8,
                    sign: slot.points,
                };
                self.pairs.add_scoring(pair, item, entry);
            }
        }
    }

    fn set_slot(&mut self, oi: usize, from: Role, slot: Slot) -> Judged {
        let o = self.order_mut(oi)?;
        if let Some(s) = o.reviews.get_mut(from.index()) {
            *s = slot;
        }
        Ok(())
    }

    fn follow_up(&mut self, oi: usize, at: Time) -> Judged {
        let o = self.order(oi)?;
        if !o
            .reviews
            .get(Role::Buyer.index())
            .is_some_and(Slot::standing)
        {
            return Err(Rejection::new(RejectCode::FollowUpNeedsReview));
        }
        if o.follow_up != NONE {
            return Err(Rejection::new(RejectCode::AlreadyFollowedUp));
        }
        let end = o.at.plus_days(self.rules.follow_up_days);
        if at > end {
            return Err(Rejection::late(RejectCode::FollowUpWindowClosed, end));
        }
        let o = self.order_mut(oi)?;
        o.follow_up = o.offset(at);
        Ok(())
    }

    fn reply(&mut self, oi: usize, from: Role, to: ReplyTarget, at: Time) -> Judged {
        let o = self.order(oi)?;
        let (target_at, bit) = match (to, from) {
            (ReplyTarget::Review, _) => {
                // The sender received the other party's review.
                let received = o.reviews.get(from.other().index()).filter(|s| s.standing());
                let bit = match from {
                    Role::Seller => REPLIED_SELLER_REVIEW,
                    Role::Buyer => REPLIED_BUYER_REVIEW,
                };
                (received.map(|s| s.at(o)), bit)
            }
            (ReplyTarget::FollowUp, Role::Seller) => (o.follow_up_at(), REPLIED_FOLLOW_UP),
            (ReplyTarget::FollowUp, Role::Buyer) => (None, REPLIED_FOLLOW_UP),
        };
        let Some(target_at) = target_at else {
            return Err(Rejection::new(RejectCode::ReplyNotAllowed));
        };
        if o.has(bit) {
            return Err(Rejection::new(RejectCode::AlreadyReplied));
        }
        let end = target_at.plus_days(self.rules.reply_days);
        if at > end {
            return Err(Rejection::late(RejectCode::ReplyWindowClosed, end));
        }
        self.order_mut(oi)?.flags |= bit;
        Ok(())
    }
}
