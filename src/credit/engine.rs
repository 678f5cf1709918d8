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

use super::ahead::ahead;
use super::codes::{Reason, RejectCode};
use super::event::{Dimension, Event, EventBody, OrderEvent, Rating, Role};
use super::pairs::{Pairs, Scoring, NONE};
use super::rules::RuleSet;
use super::symbols::{Sym, Symbols};
use crate::time::{MonthCache, MonthKey, Time};

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

    pub(super) fn standing(&self) -> bool {
        self.state == SlotState::Given
    }
}

/// An accepted order and everything said about it: 64 bytes, one cache line,
/// because replaying a big shop is bound by memory latency.
#[derive(Clone, Debug)]
#[repr(align(64))]
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

pub(super) const LOW_PRICE: u8 = 1;
pub(super) const RATED: u8 = 2;
pub(super) const REPLIED_SELLER_REVIEW: u8 = 4;
pub(super) const REPLIED_BUYER_REVIEW: u8 = 8;
pub(super) const REPLIED_FOLLOW_UP: u8 = 16;

impl OrderState {
    pub(super) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub(super) fn follow_up_at(&self) -> Option<Time> {
        (self.follow_up != NONE).then(|| self.at.plus_seconds(i64::from(self.follow_up)))
    }

    /// Seconds from trade success to `t` (0 before it).
    pub(super) fn offset(&self, t: Time) -> u32 {
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
    /// The order's index.
    pub order: u32,
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
    /// Kept in 32 bits, which makes the feed a quarter smaller: an engine that
    /// has seen more than 4,294,967,295 events (far more than memory holds as a
    /// log) records `None` beyond that.
    pub event: Option<u32>,
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
    pub(super) fn new(code: RejectCode) -> Self {
        Rejection {
            event: 0,
            code,
            deadline: None,
        }
    }

    pub(super) fn late(code: RejectCode, deadline: Time) -> Self {
        Rejection {
            event: 0,
            code,
            deadline: Some(deadline),
        }
    }
}

pub(super) type Judged = Result<(), Rejection>;

#[cfg(test)]
mod layout {
    #[test]
    fn an_order_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<super::OrderState>(), 64);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    Explicit(usize),
    Default,
    Auto,
}

/// Events read ahead together in [`Engine::apply_all`].
const BATCH: usize = 32;

/// Orders ahead of the defaults' cursor read ahead (event-by-event play and
/// the whole-log replay's pass 1): more than the windows that close during one
/// batch of events, as a rule.
pub(super) const CLOSE_AHEAD: usize = 64;

/// The state of one shop world under one rule set.
#[derive(Clone, Debug)]
pub struct Engine {
    pub(crate) rules: RuleSet,
    /// Whether the rule set rates each dimension, by [`Dimension::index`].
    pub(super) rated: [bool; 4],
    /// The review window in seconds (worked out once: every event asks).
    window: i64,
    pub(crate) syms: Symbols,
    pub(crate) orders: Vec<OrderState>,
    /// Order index + 1, by order symbol (0: none).
    pub(super) order_of: Vec<u32>,
    /// Order symbol, by order index (cold: read when a change is recorded).
    pub(crate) order_ids: Vec<Sym>,
    pub(super) pairs: Pairs,
    /// Set by a whole-log replay ([`Engine::replay_log`]), which scores without the
    /// pair tables: they are rebuilt from the orders before the next event.
    pub(super) pairs_stale: bool,
    pub(crate) accounts: Vec<Account>,
    /// Account index by user symbol and [`Role::index`] ([`NONE`]: none).
    pub(super) account_of: Vec<[u32; 2]>,
    pub(crate) dsr: Vec<DsrRecord>,
    /// Orders from this index on have not had their review window closed yet.
    /// Orders come in `at` order (a log's time never goes back), so their windows
    /// close in index order and a cursor is the whole queue.
    pub(super) closed: u32,
    /// When the window of the order at `closed` closes, once looked up.
    pub(super) next_close: Option<Time>,
    /// The last natural month asked for (orders and ratings come close in time).
    pub(super) months: MonthCache,
    pub(super) clock: Option<Time>,
    pub(super) horizon: Option<Time>,
    pub(super) next_event: usize,
    /// The kept changes played one by one, after those of [`Engine::replayed`].
    pub(crate) changes: VecDeque<Change>,
    /// The kept changes of a whole-log replay, compact until play goes on.
    pub(super) replayed: super::batch::Replayed,
    pub(crate) changes_total: usize,
    pub(super) change_limit: Option<usize>,
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
            rated: Dimension::ALL.map(|d| rules.rates(d)),
            window: crate::time::days_in_seconds(rules.review_window_days),
            rules,
            syms: Symbols::default(),
            orders: Vec::new(),
            order_of: Vec::new(),
            order_ids: Vec::new(),
            pairs: Pairs::default(),
            pairs_stale: false,
            accounts: Vec::new(),
            account_of: Vec::new(),
            dsr: Vec::new(),
            closed: 0,
            next_close: None,
            months: MonthCache::default(),
            clock: None,
            horizon: None,
            next_event: 0,
            changes: VecDeque::new(),
            replayed: Default::default(),
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

    /// How many changes of credit were made (kept in memory or not).
    pub fn change_count(&self) -> usize {
        self.changes_total
    }

    /// How many events were rejected.
    pub fn rejected_count(&self) -> usize {
        self.rejected.len()
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

    /// How many changes are kept in memory ([`Engine::set_change_limit`]).
    pub fn kept_change_count(&self) -> usize {
        self.replayed.len() + self.changes.len()
    }

    /// The changes kept in memory from sequence number `first` on, oldest first.
    /// (A whole-log replay keeps its changes compact and makes whole only
    /// those read: reading the newest few costs only them.)
    pub fn changes_since(&self, first: usize) -> impl Iterator<Item = Change> + '_ {
        let kept_from = self.changes_total - self.kept_change_count();
        let skip = first.saturating_sub(kept_from);
        let replayed = self.replayed_changes(skip);
        let played = skip.saturating_sub(self.replayed.len());
        replayed
            .into_iter()
            .chain(self.changes.iter().skip(played).copied())
    }

    /// Applies one event: defaults due before it fire first, then the event is
    /// accepted or rejected (a rejected event changes nothing).
    pub fn apply(&mut self, event: &Event) -> Applied {
        self.ensure_pairs();
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
        self.reserve_for(events);
        let mut rejected = 0;
        let mut first = [NONE; BATCH];
        let mut second = [(NONE, NONE, NONE); BATCH];
        // The defaults' cursor read ahead: its orders `CLOSE_AHEAD` early, then,
        // once those lines are in, what their defaults will score against.
        let (mut orders_ahead, mut links_ahead) = (0, 0);
        for batch in events.chunks(BATCH) {
            // Each stage's reads are independent of one another, so the memory
            // system serves them side by side; the next stage follows the links.
            let mut sum = 0u64;
            for (e, slot) in batch.iter().zip(first.iter_mut()) {
                *slot = self.stage_one(e);
            }
            let cursor = self.closed as usize;
            sum = sum
                .wrapping_add(self.read_orders_ahead(&mut orders_ahead, cursor + 2 * CLOSE_AHEAD));
            for ((e, &one), slot) in batch.iter().zip(&first).zip(second.iter_mut()) {
                *slot = self.stage_two(e, one);
            }
            links_ahead = links_ahead.max(cursor);
            while links_ahead < (cursor + CLOSE_AHEAD).min(orders_ahead) {
                let Some(o) = self.orders.get(links_ahead) else {
                    break;
                };
                sum = sum.wrapping_add(self.pairs.touch(o.pair, o.item.0));
                sum ^= self
                    .accounts
                    .get(o.accounts[0] as usize)
                    .map_or(0, |a| a.credit as u64);
                links_ahead += 1;
            }
            for &(pair, item, account) in second.iter().take(batch.len()) {
                sum = sum.wrapping_add(self.pairs.touch(pair, item));
                sum ^= self
                    .accounts
                    .get(account as usize)
                    .map_or(0, |a| a.credit as u64);
            }
            std::hint::black_box(sum);
            for e in batch {
                rejected += usize::from(self.apply(e).rejected.is_some());
            }
        }
        rejected
    }

    /// Asks for the orders from `next` (at least the defaults' cursor) up to
    /// `until`, once each ([`ahead`]), so that their lines are in the cache
    /// when their windows close. Returns something to keep the reads alive.
    pub(super) fn read_orders_ahead(&self, next: &mut usize, until: usize) -> u64 {
        *next = (*next).max(self.closed as usize);
        let until = until.min(self.orders.len());
        let mut sum = 0u64;
        while *next < until {
            sum = sum.wrapping_add(ahead(&self.orders, *next, |o| o.at.seconds() as u64));
            *next += 1;
        }
        sum
    }

    /// First link of what `event` will need: the buyer's account for an order,
    /// the order's index otherwise.
    pub(super) fn stage_one(&self, event: &Event) -> u32 {
        match &event.body {
            EventBody::Order(o) => self.account_of.get(o.buyer.index()).map_or(NONE, |a| a[0]),
            EventBody::Review { order, .. }
            | EventBody::Dsr { order, .. }
            | EventBody::Revise { order, .. }
            | EventBody::FollowUp { order }
            | EventBody::Reply { order, .. } => self
                .order_of
                .get(order.index())
                .map_or(NONE, |&n| n.wrapping_sub(1)),
        }
    }

    /// Second link: the pair, item and account to read before applying `event`.
    fn stage_two(&self, event: &Event, one: u32) -> (u32, u32, u32) {
        match &event.body {
            EventBody::Order(_) => (
                self.accounts.get(one as usize).map_or(NONE, |a| a.pairs),
                NONE,
                NONE,
            ),
            _ => self
                .orders
                .get(one as usize)
                .map_or((NONE, NONE, NONE), |o| (o.pair, o.item.0, o.accounts[0])),
        }
    }

    /// Makes room for what `events` can add at most, so that a big batch does not
    /// copy the tables again and again as they grow (the change feed too).
    pub(super) fn reserve_for(&mut self, events: &[Event]) {
        let c = super::Capacity::of(events);
        self.orders.reserve(c.orders);
        self.order_ids.reserve(c.orders);
        self.dsr.reserve(c.ratings);
        if self.change_limit.is_none() {
            self.changes.reserve(c.changes);
        }
    }

    /// Moves the clock to `to`, firing every default due at or before it.
    pub fn advance_to(&mut self, to: Time) -> Result<Applied, RejectCode> {
        if self.clock.is_some_and(|c| to < c) {
            return Err(RejectCode::ClockBackwards);
        }
        self.ensure_pairs();
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
        self.ensure_pairs();
        self.fire_due(as_of, true);
    }

    fn apply_inner(&mut self, event: &Event, index: usize) -> Judged {
        let at = event.at;
        self.check_time(at)?;
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

    /// Section 1's checks of any event at `at`: not before the latest event
    /// (rejected ones included), not after `as_of`. Moves the clock forward.
    pub(super) fn check_time(&mut self, at: Time) -> Judged {
        if self.clock.is_some_and(|c| at < c) {
            return Err(Rejection::new(RejectCode::TimeOutOfOrder));
        }
        self.clock = Some(at);
        if self.horizon.is_some_and(|h| at > h) {
            return Err(Rejection::new(RejectCode::AfterAsOf));
        }
        Ok(())
    }

    pub(super) fn order_index(&self, order: Sym) -> Result<usize, Rejection> {
        match self.order_of.get(order.index()) {
            Some(&n) if n > 0 => Ok(n as usize - 1),
            _ => Err(Rejection::new(RejectCode::UnknownOrder)),
        }
    }

    pub(super) fn order(&self, oi: usize) -> Result<&OrderState, Rejection> {
        self.orders
            .get(oi)
            .ok_or(Rejection::new(RejectCode::UnknownOrder))
    }

    pub(super) fn order_mut(&mut self, oi: usize) -> Result<&mut OrderState, Rejection> {
        self.orders
            .get_mut(oi)
            .ok_or(Rejection::new(RejectCode::UnknownOrder))
    }

    pub(super) fn window_end(&self, o: &OrderState) -> Time {
        o.at.plus_seconds(self.window)
    }

    /// The account of `user` in `role`, made when new. Inlined: every order
    /// asks it twice, and the account is mostly there already (the shop's
    /// always; the buyer's for two orders in three of the big shop's).
    #[inline]
    fn account(&mut self, user: Sym, role: Role) -> u32 {
        let slot = user.index();
        if let Some(&entry) = self.account_of.get(slot).and_then(|a| a.get(role.index())) {
            if entry != NONE {
                return entry;
            }
        }
        self.new_account(user, role)
    }

    #[cold]
    #[inline(never)]
    fn new_account(&mut self, user: Sym, role: Role) -> u32 {
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
        self.check_order(order, at)?;
        let accounts = self.order_accounts(order);
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
        for earlier in self.pairs.add_order(pair, oi, order.item.0) {
            self.index_reviews(earlier as usize);
        }
        self.push_order(order, at, accounts, pair);
        Ok(())
    }

    /// Section 6's checks of a new order.
    pub(super) fn check_order(&self, order: &OrderEvent, at: Time) -> Judged {
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
        Ok(())
    }

    /// The accounts of an accepted order (made when new), by [`Role::index`].
    pub(super) fn order_accounts(&mut self, order: &OrderEvent) -> [u32; 2] {
        [
            self.account(order.buyer, Role::Buyer),
            self.account(order.seller, Role::Seller),
        ]
    }

    /// Records an accepted order of `pair`; returns its index.
    pub(super) fn push_order(
        &mut self,
        order: &OrderEvent,
        at: Time,
        accounts: [u32; 2],
        pair: u32,
    ) -> u32 {
        let oi = self.orders.len() as u32;
        self.orders.push(OrderState {
            item: order.item,
            accounts,
            pair,
            created: order.created,
            at,
            created_month: self.months.month(order.created),
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
        oi
    }

    /// After a whole-log replay, rebuilds the pair tables from the orders, the
    /// points that stand and the shop ratings, as event-by-event play would have
    /// left them: pairs in the order of their first order, +1 counts per created
    /// month (a +1 review is never revised, so every +1 given still stands), shop
    /// ratings per month of trade success, and the same-item index.
    fn ensure_pairs(&mut self) {
        if !self.pairs_stale {
            return;
        }
        self.pairs_stale = false;
        let mut pairs = Pairs::default();
        for a in &mut self.accounts {
            a.pairs = NONE;
        }
        for (oi, o) in self.orders.iter().enumerate() {
            let [buyer_account, seller_account] = o.accounts;
            let Some(buyer) = self.accounts.get_mut(buyer_account as usize) else {
                continue;
            };
            let (pair, head) = pairs.find_or_add(buyer.pairs, seller_account);
            buyer.pairs = head;
            debug_assert_eq!(
                pair, o.pair,
                "pairs are numbered in the order they first trade"
            );
            // Earlier orders of a pair that becomes indexed are entered below with all the rest.
            let _ = pairs.add_order(pair, oi as u32, o.item.0);
        }
        for (oi, o) in self.orders.iter().enumerate() {
            for (side, slot) in o.reviews.iter().enumerate() {
                if !slot.standing() || slot.points == 0 {
                    continue;
                }
                if pairs.indexed(o.pair) {
                    let entry = Scoring {
                        created: o.created.seconds(),
                        order: oi as u32,
                        from: side as u8,
                        sign: slot.points,
                    };
                    pairs.add_scoring(o.pair, o.item.0, entry);
                }
                if slot.points > 0 {
                    pairs.update(o.pair, o.created_month, |c| {
                        if let Some(n) = c.plus.get_mut(side) {
                            *n = n.saturating_add(1);
                        }
                    });
                }
            }
        }
        for d in &self.dsr {
            if let Some(o) = self.orders.get(d.order as usize) {
                pairs.update(o.pair, o.at.month(), |c| {
                    c.rated = c.rated.saturating_add(1)
                });
            }
        }
        self.pairs = pairs;
    }
}
