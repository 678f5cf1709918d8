//! Whole-log replay: the same result as playing the events one by one
//! ([`Engine::apply`]), in three passes, each asking for the memory it will read ahead of reading it.
//!
//! Event-by-event play jumps, for every review, between the order, the buyer–seller
//! pair and the accounts, and a big shop's orders, pairs and accounts do not fit in
//! the cache. But only the *points* of a review depend on the pair; whether an
//! event is accepted depends on its order alone (windows, already reviewed,
//! defaults, the revise/follow-up/reply checks). So:
//!
//! 1. **Accept** (log order): every check of section 6 and every default of
//!    section 4, on the orders alone. Each accepted review, default, automatic
//!    review and revision becomes a [`Request`] for points, in the order of the
//!    change feed, and goes into its order with *provisional* points: its base
//!    points, or 0 for a low price. Each accepted shop rating is noted for the
//!    DSR cap.
//! 2. **Score** (pair by pair): the requests grouped by pair (a stable counting
//!    sort keeps each pair's in feed order) and scored with section 3's rules
//!    against that pair's own small tables. Each decision is written into its
//!    request, the few points that differ from the provisional ones (and every
//!    revision's) into the order, and each pair's points into its two accounts
//!    at once. The shop ratings are grouped by pair apart and counted against
//!    the DSR cap: the cap and section 3 share nothing.
//! 3. **Record**: the newest requests and their moments are kept as they are,
//!    as the feed. A change is made whole (its account, user and running
//!    credit, found going back from the final credit) only when it is read, so
//!    a replay whose feed is read a page at a time never pays for the rest.
//!
//! The pair tables of event-by-event play are not built; the engine rebuilds
//! them from the orders if play goes on after the replay.

use super::ahead::ahead;
use super::codes::Reason;
use super::engine::{Change, Engine, Judged, Slot, SlotState, CLOSE_AHEAD, LOW_PRICE, RATED};
use super::event::{Event, EventBody, Rating, Revision, Role};
use super::history::{Fact, FactKind};
use super::pairs::NONE;
use super::rules::RuleSet;
use super::symbols::Sym;
use crate::time::{MonthKey, Time};

/// Events (or requests) whose memory is asked for together, a stage ahead.
const STAGE: usize = 32;

/// Events (or requests) each out-of-line call of a pass takes. A browser runs
/// new wasm code as its baseline compiler made it, and swaps in the optimized
/// code at a function's next call: a pass that went through a whole log in
/// one call would run all of it in baseline code the first time.
const SLICE: usize = 1 << 16;

/// What a request asks of the scoring pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// A review is given (explicit, default or automatic).
    Give(Rating),
    /// A neutral or bad review is revised to good.
    ReviseGood,
    /// A neutral or bad review is deleted.
    Delete,
}

/// Where a given review came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Event,
    Default,
    Auto,
}

/// One request of the accept pass, in feed order.
#[derive(Clone, Copy, Debug)]
#[repr(align(32))]
struct Request {
    /// The order's `created`, in seconds (the 14-day rule).
    created: i64,
    pair: u32,
    item: u32,
    /// The order's index.
    target: u32,
    /// The natural month of the order's `created` (the monthly cap).
    month: MonthKey,
    op: Op,
    /// The party whose review it is.
    from: Role,
    source: Source,
    low_price: bool,
    /// Pass 2's decision, written where pass 2 read the request (the line is in
    /// the cache then).
    outcome: Scored,
}

impl Request {
    /// The points pass 1 writes into the order before pass 2 scores the
    /// request: the base points, or 0 for a low price. Section 3's other rules
    /// zero few reviews, so pass 2 rarely has to write the order again.
    fn provisional(&self) -> i8 {
        let base = match self.op {
            Op::Give(rating) => rating.points(),
            Op::ReviseGood => Rating::Good.points(),
            Op::Delete => 0,
        };
        if self.low_price {
            0
        } else {
            base
        }
    }

    /// What the request adds to the receiver's credit, once scored (a given
    /// review had no points before; a deleted one has none after).
    fn delta(&self) -> i8 {
        self.outcome.new - self.outcome.old
    }
}

/// What the scoring pass decided for one request.
#[derive(Clone, Copy, Debug)]
struct Scored {
    /// Points after the request.
    new: i8,
    /// Points before it (revisions).
    old: i8,
    /// The section-3 rule that set `new`.
    rule: Reason,
}

const UNSCORED: Scored = Scored {
    new: 0,
    old: 0,
    rule: Reason::Neutral,
};

/// Pair numbers in the order pairs first trade: the numbering event-by-event
/// play gives them, with a list per buyer account as compact as possible.
#[derive(Default)]
struct PairIds {
    /// The newest pair of each buyer account and its seller account: a
    /// buyer who trades with one shop finds the pair in one read.
    head: Vec<(u32, u32)>,
    /// (seller account, next pair of the same buyer).
    list: Vec<(u32, u32)>,
    /// The buyer account of each pair.
    buyers: Vec<u32>,
}

impl PairIds {
    /// Each pair's buyer and seller account, by [`Role::index`].
    fn accounts(&self) -> Vec<[u32; 2]> {
        let sellers = self.list.iter().map(|&(seller, _)| seller);
        self.buyers
            .iter()
            .zip(sellers)
            .map(|(&b, s)| [b, s])
            .collect()
    }

    fn find_or_add(&mut self, buyer: u32, seller: u32) -> u32 {
        let b = buyer as usize;
        if self.head.len() <= b {
            self.head.resize(b + 1, (NONE, NONE));
        }
        let (first, first_seller) = self.head.get(b).copied().unwrap_or((NONE, NONE));
        if first != NONE && first_seller == seller {
            return first;
        }
        let mut at = self
            .list
            .get(first as usize)
            .map_or(NONE, |&(_, next)| next);
        while let Some(&(s, next)) = self.list.get(at as usize) {
            if s == seller {
                return at;
            }
            at = next;
        }
        let id = self.list.len() as u32;
        self.list.push((seller, first));
        self.buyers.push(buyer);
        if let Some(h) = self.head.get_mut(b) {
            *h = (id, seller);
        }
        id
    }
}

/// Room a whole-log replay reserves ahead, so that its tables are written once
/// into memory set aside for them instead of being copied as they grow. Too
/// little only costs copies; too much only costs address space.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Capacity {
    /// Orders.
    pub orders: usize,
    /// Shop ratings.
    pub ratings: usize,
    /// Credit changes, at most (every order's two reviews, given or by
    /// default, and every revision).
    pub changes: usize,
}

/// Logs of up to this many events are counted whole for their [`Capacity`].
const COUNT_WHOLE: usize = 1 << 16;

/// One event in this many is read to estimate a longer log's [`Capacity`].
const SAMPLE_EVERY: usize = 64;

impl Capacity {
    /// Enough for `events`, as a rule: each order gives at most two reviews, and
    /// each revision one change more. A log of up to 65,536 events is counted
    /// whole; a longer one is estimated from one event in 64 (taken at a varying
    /// place in each run, so that no period in the log can fool it), with 3% to
    /// spare: reading every event of the lesson's big shop only to count them
    /// cost more than the copies a short estimate could ever cause.
    pub fn of(events: &[Event]) -> Capacity {
        if events.len() <= COUNT_WHOLE {
            return Self::counted(events.iter(), 1.0);
        }
        let runs = events.chunks(SAMPLE_EVERY);
        let sampled = runs.len();
        let picks = runs.enumerate().filter_map(|(i, run)| {
            // A well-mixed place in the run (Fibonacci hashing of its number).
            let place = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58;
            run.get(place as usize % run.len())
        });
        Self::counted(picks, events.len() as f64 / sampled as f64 * 1.03)
    }

    /// The capacity for `events`, each standing for `scale` events.
    fn counted<'a>(events: impl Iterator<Item = &'a Event>, scale: f64) -> Capacity {
        let [mut orders, mut reviews, mut revisions, mut ratings] = [0usize; 4];
        for e in events {
            match e.body {
                EventBody::Order(_) => orders += 1,
                EventBody::Review { .. } => reviews += 1,
                EventBody::Revise { .. } => revisions += 1,
                EventBody::Dsr { .. } => ratings += 1,
                EventBody::FollowUp { .. } | EventBody::Reply { .. } => {}
            }
        }
        let scaled = |n: usize| (n as f64 * scale).ceil() as usize;
        let (orders, reviews) = (scaled(orders), scaled(reviews));
        Capacity {
            orders,
            ratings: scaled(ratings),
            // A review can bring an automatic one; the rest are defaults.
            changes: (2 * orders).min(orders + 2 * reviews) + scaled(revisions),
        }
    }
}

/// A log too long for one whole-log replay: events are numbered with 32 bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyEvents;

/// A whole-log replay fed a batch at a time ([`Engine::begin_replay`]), so that
/// a log made as it is played (the generator's days) need never be held whole.
/// Fed the same events, in any batches, it ends exactly as
/// [`Engine::replay_log`] does. It ends when it is finished or dropped (say, when
/// the code feeding it stops early): either way the engine is then whole.
pub struct Replay<'e> {
    engine: &'e mut Engine,
    state: ReplayState,
}

/// A fed replay that owns its engine ([`OwnedReplay::new`]), for a caller that
/// feeds it over time and cannot hold a borrow meanwhile (a Web Worker's run
/// of the big shop). The engine is out of reach until [`OwnedReplay::finish`]
/// hands it back whole; dropped unfinished, the engine goes with it.
pub struct OwnedReplay {
    engine: Engine,
    state: ReplayState,
}

/// What a fed replay carries from batch to batch.
#[derive(Default)]
struct ReplayState {
    as_of: Option<Time>,
    pairs: PairIds,
    out: Requests,
    /// Events fed so far.
    fed: usize,
}

/// The accept pass's output: the requests in feed order, and when each of the
/// changes the engine keeps ([`Engine::set_change_limit`]) happens.
#[derive(Default)]
struct Requests {
    list: Vec<Request>,
    /// The pair of each request, on its own: pass 2 groups the requests by
    /// pair reading these 4 bytes each, not the requests' 32.
    pairs: Vec<u32>,
    /// The moments and event numbers of the newest changes (requests), at most
    /// `keep` of them: a ring, once full, whose oldest entry is at `next`.
    times: Vec<Moment>,
    keep: usize,
    next: usize,
    /// The accepted shop ratings, in the order of the engine's records.
    ratings: Vec<Rated>,
}

/// A shop rating to be counted against its pair's monthly cap.
#[derive(Clone, Copy, Debug)]
struct Rated {
    pair: u32,
    /// The natural month of the order's trade success.
    month: MonthKey,
}

/// When a kept change happens, and the log index of the event behind it
/// ([`NONE`] for a default; the feed shows none for an automatic review either).
#[derive(Clone, Copy, Debug)]
struct Moment {
    at: Time,
    event: u32,
}

impl Requests {
    fn push(&mut self, request: Request, at: Time, event: u32) {
        let moment = Moment { at, event };
        if self.times.len() < self.keep {
            self.times.push(moment);
        } else if let Some(slot) = self.times.get_mut(self.next) {
            *slot = moment;
            self.next += 1;
            if self.next == self.keep {
                self.next = 0;
            }
        }
        self.pairs.push(request.pair);
        self.list.push(request);
    }
}

impl Replay<'_> {
    /// Accepts or rejects the next events, which follow the ones fed before.
    /// A batch that would number an event past 32 bits is refused whole, and
    /// nothing changes.
    pub fn feed(&mut self, events: &[Event]) -> Result<(), TooManyEvents> {
        self.engine.feed_replay(&mut self.state, events)
    }

    /// Fires the defaults due at `as_of`, scores and records: the engine is then
    /// as [`Engine::replay_log`] leaves it. (Dropping the replay does the same.)
    pub fn finish(self) {
        drop(self);
    }
}

impl Drop for Replay<'_> {
    fn drop(&mut self) {
        let state = std::mem::take(&mut self.state);
        self.engine.finish_replay(state);
    }
}

impl OwnedReplay {
    /// Starts a fed replay of `engine` as [`Engine::begin_replay`] does; an
    /// engine that has already played events comes back as the error.
    pub fn new(
        mut engine: Engine,
        as_of: Option<Time>,
        capacity: Capacity,
    ) -> Result<OwnedReplay, Box<Engine>> {
        match engine.replay_state(as_of, capacity) {
            Some(state) => Ok(OwnedReplay { engine, state }),
            None => Err(Box::new(engine)),
        }
    }

    /// As [`Replay::feed`].
    pub fn feed(&mut self, events: &[Event]) -> Result<(), TooManyEvents> {
        self.engine.feed_replay(&mut self.state, events)
    }

    /// How many events were fed.
    pub fn events_fed(&self) -> usize {
        self.state.fed
    }

    /// How many orders were accepted so far.
    pub fn order_count(&self) -> usize {
        self.engine.order_count()
    }

    /// As [`Replay::finish`], and the engine, now whole.
    pub fn finish(self) -> Engine {
        let OwnedReplay { mut engine, state } = self;
        engine.finish_replay(state);
        engine
    }
}

impl Engine {
    /// Replays a whole log: like [`Engine::apply_all`] followed by
    /// [`Engine::close_through`] at `as_of` (default: the last event's time), with
    /// events after `as_of` rejected, and the same changes, rejections and state.
    /// On the lesson's big shop it takes a fifth to a quarter of the time of
    /// event-by-event play (`cargo bench --bench replay` prints both). An
    /// engine that has already seen events plays them one by one instead.
    pub fn replay_log(&mut self, events: &[Event], as_of: Option<Time>) {
        let as_of = as_of.or(events.last().map(|e| e.at));
        // Events are numbered with 32 bits; a longer log is played one by one.
        let fits = u32::try_from(events.len()).is_ok();
        if fits && self.is_fresh() {
            if let Some(mut replay) = self.begin_replay(as_of, Capacity::of(events)) {
                // A slice at a time (see [`SLICE`]); none is refused, as the log fits.
                for part in events.chunks(SLICE) {
                    let _ = replay.feed(part);
                }
                replay.finish();
                return;
            }
        }
        self.set_horizon(as_of);
        self.apply_all(events);
        if let Some(t) = as_of {
            self.close_through(t);
        }
    }

    /// Whether no event has been played yet (a whole-log replay needs that).
    fn is_fresh(&self) -> bool {
        self.next_event == 0 && self.orders.is_empty() && self.clock.is_none()
    }

    /// Starts a whole-log replay to be fed in batches ([`Replay::feed`]) and closed
    /// at `as_of` ([`Replay::finish`]); events after `as_of` are rejected. With
    /// `as_of` absent nothing is rejected for lateness and no default fires at
    /// the end ([`Engine::replay_log`] instead closes at the last event). `None`
    /// when the engine has already played events.
    pub fn begin_replay(&mut self, as_of: Option<Time>, capacity: Capacity) -> Option<Replay<'_>> {
        let state = self.replay_state(as_of, capacity)?;
        Some(Replay {
            engine: self,
            state,
        })
    }

    /// A fed replay's start ([`Engine::begin_replay`]).
    fn replay_state(&mut self, as_of: Option<Time>, capacity: Capacity) -> Option<ReplayState> {
        if !self.is_fresh() {
            return None;
        }
        self.set_horizon(as_of);
        self.orders.reserve(capacity.orders);
        self.order_ids.reserve(capacity.orders);
        self.dsr.reserve(capacity.ratings);
        let keep = self.change_limit.unwrap_or(usize::MAX);
        Some(ReplayState {
            as_of,
            pairs: PairIds::default(),
            out: Requests {
                list: Vec::with_capacity(capacity.changes),
                pairs: Vec::with_capacity(capacity.changes),
                times: Vec::with_capacity(keep.min(capacity.changes)),
                keep,
                next: 0,
                ratings: Vec::with_capacity(capacity.ratings),
            },
            fed: 0,
        })
    }

    /// A fed replay's next batch ([`Replay::feed`]).
    fn feed_replay(
        &mut self,
        state: &mut ReplayState,
        events: &[Event],
    ) -> Result<(), TooManyEvents> {
        let end = state.fed.checked_add(events.len()).ok_or(TooManyEvents)?;
        // The last event's number must stay below `NONE`.
        if u32::try_from(end).is_err() {
            return Err(TooManyEvents);
        }
        self.accept_all(events, state.fed, &mut state.pairs, &mut state.out);
        state.fed = end;
        Ok(())
    }

    /// A fed replay's end ([`Replay::finish`]): the defaults due at `as_of`,
    /// then passes 2 and 3.
    fn finish_replay(&mut self, state: ReplayState) {
        let ReplayState {
            as_of,
            pairs,
            mut out,
            ..
        } = state;
        if let Some(t) = as_of {
            self.defaults_due(t, true, &mut out);
        }
        self.score_by_pair(&mut out.list, &out.pairs, &pairs);
        out.pairs = Vec::new();
        self.cap_ratings(&out.ratings, pairs.list.len());
        out.times.rotate_left(out.next);
        let pair_accounts = pairs.accounts();
        self.record(out.list, out.times, pair_accounts);
        self.pairs_stale = true;
    }

    // The passes stay out of line, so that a profile shows each on its own.
    /// Pass 1: accepts or rejects every event in log order (`events` are numbered
    /// from `first`).
    #[inline(never)]
    fn accept_all(
        &mut self,
        events: &[Event],
        first: usize,
        pairs: &mut PairIds,
        out: &mut Requests,
    ) {
        let chunk = |c: usize| {
            let from = events.len().min(c.saturating_mul(STAGE));
            let to = events.len().min(from + STAGE);
            events.get(from..to).unwrap_or_default()
        };
        let mut close_ahead = 0;
        for c in 0..events.len().div_ceil(STAGE) {
            // Each link of what an event will touch is asked for ([`ahead`]) a
            // stage before the next is read from it, and the last a stage before
            // the event: the misses of many events overlap, and few are waited for.
            let mut sum = 0u64;
            // The events themselves, six stages ahead. They are read in order,
            // yet the first read of each event's line was where pass 1 waited
            // most (measured: 47-49 -> 42-46 ns an event on a shop that fits
            // in the cache, min 0.316 -> 0.301 s on the big shop).
            let next = (c + 6) * STAGE;
            for k in next..next + STAGE {
                sum = sum.wrapping_add(ahead(events, k, |e| e.at.seconds() as u64));
            }
            for e in chunk(c + 2) {
                sum = sum.wrapping_add(self.first_link(e));
            }
            for e in chunk(c + 1) {
                sum = sum.wrapping_add(self.second_link(e, pairs));
            }
            // The orders whose windows close next (the defaults' cursor).
            let until = self.closed as usize + CLOSE_AHEAD;
            sum = sum.wrapping_add(self.read_orders_ahead(&mut close_ahead, until));
            std::hint::black_box(sum);
            for (k, event) in chunk(c).iter().enumerate() {
                let index = first + c * STAGE + k;
                self.next_event += 1;
                if let Err(mut r) = self.accept(event, index as u32, pairs, out) {
                    r.event = index;
                    self.rejected.push(r);
                }
            }
        }
    }

    /// Pass 1's first link of `event`: the buyer's entry in the account table
    /// for an order, the order's entry in the order table otherwise.
    ///
    /// The two links are found without a branch on the event's kind: the
    /// kinds come in no order, so such a branch is often mispredicted, twice
    /// an event. Each link asks for both tables' lines instead, the one
    /// not needed at index 0 (a line already in the cache).
    fn first_link(&self, event: &Event) -> u64 {
        let [buyer, order] = link_keys(event);
        ahead(&self.account_of, buyer, |a| u64::from(a[0])).wrapping_add(ahead(
            &self.order_of,
            order,
            |&n| u64::from(n),
        ))
    }

    /// The second: the buyer account's newest pair (and its seller: for a
    /// buyer of one shop, all [`PairIds::find_or_add`] reads), or the order's line.
    fn second_link(&self, event: &Event, pairs: &PairIds) -> u64 {
        let [account, order] = self.link_indices(event);
        ahead(&pairs.head, account, |&(p, _)| u64::from(p)).wrapping_add(ahead(
            &self.orders,
            order,
            |o| o.at.seconds() as u64,
        ))
    }

    /// The buyer's account of an order (or 0), and the index of any other
    /// event's order (or 0): [`link_keys`] looked up.
    fn link_indices(&self, event: &Event) -> [usize; 2] {
        let [buyer, order] = link_keys(event);
        let account = self.account_of.get(buyer).map_or(0, |a| a[0]);
        let index = self.order_of.get(order).map_or(0, |&n| n.saturating_sub(1));
        [account as usize, index as usize]
    }

    fn accept(
        &mut self,
        event: &Event,
        index: u32,
        pairs: &mut PairIds,
        out: &mut Requests,
    ) -> Judged {
        let at = event.at;
        self.check_time(at)?;
        self.defaults_due(at, false, out);
        match &event.body {
            EventBody::Order(order) => {
                self.check_order(order, at)?;
                let accounts = self.order_accounts(order);
                let [buyer, seller] = accounts;
                let pair = pairs.find_or_add(buyer, seller);
                self.push_order(order, at, accounts, pair);
                Ok(())
            }
            EventBody::Review {
                order,
                from,
                rating,
            } => {
                let oi = self.order_index(*order)?;
                let seller_silent = self.check_review(self.order(oi)?, *from, at)?;
                self.mark_given(oi, *from, *rating, at, (Source::Event, index), out);
                if self.rules.auto_good && *from == Role::Buyer && seller_silent {
                    self.mark_given(
                        oi,
                        Role::Seller,
                        Rating::Good,
                        at,
                        (Source::Auto, index),
                        out,
                    );
                }
                Ok(())
            }
            EventBody::Dsr { order, scores } => {
                let oi = self.order_index(*order)?;
                let month = self.months.month(self.order(oi)?.at);
                let o = self.order(oi)?;
                self.check_rate(o, scores, at)?;
                let record = Self::dsr_record(o, oi, scores, at);
                out.ratings.push(Rated {
                    pair: o.pair,
                    month,
                });
                self.dsr.push(record);
                self.order_mut(oi)?.flags |= RATED;
                Ok(())
            }
            EventBody::Revise { order, from, to } => {
                let oi = self.order_index(*order)?;
                let o = self.order(oi)?;
                let mut slot = self.check_revise(o, *from, at)?;
                let op = match to {
                    Revision::Good => Op::ReviseGood,
                    Revision::Deleted => Op::Delete,
                };
                let request = Self::request(o, oi, *from, op);
                slot.points = request.provisional();
                out.push(request, at, index);
                slot.revised = true;
                match to {
                    Revision::Good => slot.rating = Some(Rating::Good),
                    Revision::Deleted => slot.state = SlotState::Deleted,
                }
                self.set_slot(oi, *from, slot)
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

    /// A request to `op` `from`'s review of order `oi` (`o`), as a log event's.
    fn request(o: &super::engine::OrderState, oi: usize, from: Role, op: Op) -> Request {
        Request {
            created: o.created.seconds(),
            pair: o.pair,
            item: o.item.0,
            target: oi as u32,
            month: o.created_month,
            op,
            from,
            source: Source::Event,
            low_price: o.has(LOW_PRICE),
            outcome: UNSCORED,
        }
    }

    /// Gives `from`'s review on `oi` now, with its provisional points; pass 2 scores it.
    fn mark_given(
        &mut self,
        oi: usize,
        from: Role,
        rating: Rating,
        at: Time,
        (source, event): (Source, u32),
        out: &mut Requests,
    ) {
        let Some(o) = self.orders.get_mut(oi) else {
            return;
        };
        let request = Request {
            source,
            ..Self::request(o, oi, from, Op::Give(rating))
        };
        let after = o.offset(at);
        if let Some(slot) = o.reviews.get_mut(from.index()) {
            *slot = Slot {
                state: SlotState::Given,
                rating: Some(rating),
                points: request.provisional(),
                revised: false,
                after,
            };
        }
        out.push(request, at, event);
    }

    /// Section 4 in pass 1: the defaults due before `limit` (or at it, when
    /// `inclusive`), exactly as [`Engine::apply`] fires them.
    fn defaults_due(&mut self, limit: Time, inclusive: bool, out: &mut Requests) {
        while let Some((oi, giver, due)) = self.next_default(limit, inclusive) {
            self.mark_given(oi, giver, Rating::Good, due, (Source::Default, NONE), out);
        }
    }

    /// Pass 2: groups the requests by pair, keeping feed order within each,
    /// scores them against each pair's own tables, and adds each pair's points
    /// to its two accounts (one visit per pair, not one per change).
    #[inline(never)]
    fn score_by_pair(&mut self, requests: &mut [Request], pair_of: &[u32], pairs: &PairIds) {
        let by_pair = counting_order(pair_of, pairs.list.len(), |&p| p as usize);
        let mut run = PairRun {
            table: PairTable::default(),
            pair: NONE,
            credit: [0; 2],
        };
        for part in by_pair.chunks(SLICE) {
            self.score_slice(requests, part, pairs, &mut run);
        }
        self.settle(&mut run, pairs);
    }

    /// Scores the requests numbered in `order` (grouped by pair) into their
    /// `outcome`; `run` is the current pair's, carried from slice to slice.
    #[inline(never)]
    fn score_slice(
        &mut self,
        requests: &mut [Request],
        order: &[u32],
        pairs: &PairIds,
        run: &mut PairRun,
    ) {
        let mut chunks = order.chunks(STAGE).peekable();
        while let Some(chunk) = chunks.next() {
            // The next chunk's requests are asked for ([`ahead`]) before this
            // one is scored: their misses overlap, and few are waited for.
            let mut sum = 0u64;
            for &k in chunks.peek().copied().unwrap_or_default() {
                sum = sum.wrapping_add(ahead(requests, k as usize, |r| u64::from(r.item)));
            }
            std::hint::black_box(sum);
            for &k in chunk {
                let Some(r) = requests.get_mut(k as usize) else {
                    continue;
                };
                if r.pair != run.pair {
                    self.settle(run, pairs);
                    run.table.clear();
                    run.pair = r.pair;
                }
                r.outcome = run.table.apply(&self.rules, r);
                if let Some(c) = run.credit.get_mut(r.from.other().index()) {
                    *c += i64::from(r.delta());
                }
                // Points other than pass 1's go into the order, and so do every
                // revision's: it comes after the review it revises, here as in
                // the feed, so its points are the last word.
                let revision = matches!(r.op, Op::ReviseGood | Op::Delete);
                if revision || r.outcome.new != r.provisional() {
                    let slot = self
                        .orders
                        .get_mut(r.target as usize)
                        .and_then(|o| o.reviews.get_mut(r.from.index()));
                    if let Some(slot) = slot {
                        slot.points = r.outcome.new;
                    }
                }
            }
        }
    }

    /// Pass 2 for the shop ratings (`ratings`, in the order of the engine's
    /// records), on its own because the DSR cap and section 3 share nothing:
    /// grouped by pair, a rating is within the cap when fewer than the cap of
    /// its pair's ratings came before it in its month of trade success.
    #[inline(never)]
    fn cap_ratings(&mut self, ratings: &[Rated], pairs: usize) {
        let cap = self.rules.dsr.per_month_cap;
        let mut within = vec![false; ratings.len()];
        let mut months: Vec<(MonthKey, u32)> = Vec::new();
        let mut current = NONE;
        let order = counting_order(ratings, pairs, |r| r.pair as usize);
        for (i, &k) in order.iter().enumerate() {
            // The rating a stage ahead is asked for ([`ahead`]): the ratings
            // are read in pair order, at random.
            let next = order.get(i + STAGE).map_or(0, |&n| n as usize);
            std::hint::black_box(ahead(ratings, next, |r| u64::from(r.pair)));
            let Some(r) = ratings.get(k as usize) else {
                continue;
            };
            if r.pair != current {
                months.clear();
                current = r.pair;
            }
            let before = match months.iter_mut().find(|m| m.0 == r.month) {
                Some(m) => {
                    m.1 += 1;
                    m.1 - 1
                }
                None => {
                    months.push((r.month, 1));
                    0
                }
            };
            if let Some(w) = within.get_mut(k as usize) {
                *w = before < cap;
            }
        }
        for (record, within) in self.dsr.iter_mut().zip(within) {
            record.within_cap = within;
        }
    }

    /// Adds the points `run`'s pair gave to its buyer and seller accounts.
    fn settle(&mut self, run: &mut PairRun, pairs: &PairIds) {
        let p = run.pair as usize;
        let accounts = [
            pairs.buyers.get(p).copied(),
            pairs.list.get(p).map(|&(seller, _)| seller),
        ];
        for (account, credit) in accounts.into_iter().zip(&mut run.credit) {
            if let Some(a) = account.and_then(|a| self.accounts.get_mut(a as usize)) {
                a.credit += *credit;
            }
            *credit = 0;
        }
    }

    /// Pass 3: the newest changes, as many as `times` holds (their moments),
    /// become the kept feed, as they are: made into [`Change`]s only when read
    /// ([`Engine::replayed_changes`]). `requests` are all the changes, in feed order.
    #[inline(never)]
    fn record(
        &mut self,
        mut requests: Vec<Request>,
        moments: Vec<Moment>,
        pair_accounts: Vec<[u32; 2]>,
    ) {
        self.changes_total += requests.len();
        let from = requests.len().saturating_sub(moments.len());
        if from > 0 {
            // A short tail: copied, so that the whole list's memory goes back now.
            requests = requests.split_off(from);
        }
        self.replayed = Replayed {
            requests,
            moments,
            pair_accounts,
        };
    }

    /// The replayed changes kept, from the `from`th on (0: the oldest kept), made
    /// whole. Pass 2 added every change to the accounts, and nothing has changed
    /// credit since ([`Engine::settle_replayed`]), so each change's
    /// `credit_after` is found going back from the accounts' credit: a read of
    /// the newest few changes costs only those.
    pub(super) fn replayed_changes(&self, from: usize) -> Vec<Change> {
        let Replayed {
            requests, moments, ..
        } = &self.replayed;
        let n = requests.len().min(moments.len());
        let (Some(kept), Some(times)) = (requests.get(from..n), moments.get(from..n)) else {
            return Vec::new();
        };
        // What each account received after the change being read, so far.
        if kept.len() < self.accounts.len() / 8 {
            self.walk_back(kept, times, std::collections::HashMap::new())
        } else {
            self.walk_back(kept, times, vec![0; self.accounts.len()])
        }
    }

    /// [`Engine::replayed_changes`] with `later`, the points each account
    /// received after the change being read.
    fn walk_back(&self, kept: &[Request], times: &[Moment], mut later: impl Later) -> Vec<Change> {
        let mut out = Vec::with_capacity(kept.len());
        let mut accounts = [NONE; STAGE];
        // Newest first, a stage at a time, its memory read ahead as in the other
        // passes: the orders first, then the accounts they name.
        for (batch, moments) in kept.rchunks(STAGE).zip(times.rchunks(STAGE)) {
            for (r, a) in batch.iter().zip(accounts.iter_mut()) {
                *a = self.receiver(r).unwrap_or(NONE);
            }
            let mut sum = 0i64;
            for &a in accounts.iter().take(batch.len()) {
                let user = self.accounts.get(a as usize).map_or(0, |a| a.user.0);
                sum = sum.wrapping_add(i64::from(user));
            }
            std::hint::black_box(sum);
            for ((r, moment), &a) in batch.iter().zip(moments).zip(&accounts).rev() {
                let (Some(account), Some(&order)) = (
                    self.accounts.get(a as usize),
                    self.order_ids.get(r.target as usize),
                ) else {
                    continue;
                };
                let credit_after = account.credit - later.add(a, i64::from(r.delta()));
                out.push(change(r, *moment, order, account.user, credit_after));
            }
        }
        out.reverse();
        out
    }

    /// The account that `r`'s change credits.
    fn receiver(&self, r: &Request) -> Option<u32> {
        let o = self.orders.get(r.target as usize)?;
        o.accounts.get(r.from.other().index()).copied()
    }

    /// The facts of the replayed changes that credited `account`, in feed order
    /// ([`Engine::history`]).
    pub(super) fn replayed_facts(&self, account: u32) -> impl Iterator<Item = Fact> + '_ {
        let Replayed {
            requests,
            moments,
            pair_accounts,
        } = &self.replayed;
        // Only a review from the other role can credit the account, and only
        // in a pair the account is part of: the pairs are marked first, one bit
        // each, so that no change's order is read (a seller's chart read one
        // order, at random, for each of its buyers' reviews).
        let role = self.accounts.get(account as usize).map(|a| a.role);
        let side = role.map_or(0, Role::index);
        let mut mine = vec![0u64; pair_accounts.len().div_ceil(64)];
        for (p, accounts) in pair_accounts.iter().enumerate() {
            if accounts.get(side) == Some(&account) {
                if let Some(word) = mine.get_mut(p / 64) {
                    *word |= 1 << (p % 64);
                }
            }
        }
        let in_pair = move |pair: u32| {
            let p = pair as usize;
            mine.get(p / 64).is_some_and(|w| w >> (p % 64) & 1 == 1)
        };
        requests.iter().zip(moments).filter_map(move |(r, moment)| {
            if Some(r.from.other()) != role || !in_pair(r.pair) {
                return None;
            }
            let kind = match r.op {
                Op::Give(rating) => FactKind::Given(rating),
                Op::ReviseGood => FactKind::RevisedGood,
                Op::Delete => FactKind::Deleted,
            };
            Some(Fact {
                at: moment.at,
                delta: i64::from(r.delta()),
                kind,
                review: (r.target, r.from),
            })
        })
    }

    /// Play goes on after a replay: its kept changes are made whole into the
    /// feed of changes played one by one, before the next change is added to it.
    pub(super) fn settle_replayed(&mut self) {
        if !self.replayed.requests.is_empty() {
            let changes = self.replayed_changes(0);
            self.replayed = Replayed::default();
            self.changes.extend(changes);
        }
    }
}

/// The points each account received after the change being read, in a walk
/// back through the feed: a map for a short walk, a table for a long one.
trait Later {
    /// Adds `delta` to account `a`'s, and returns the sum before.
    fn add(&mut self, a: u32, delta: i64) -> i64;
}

impl Later for Vec<i64> {
    fn add(&mut self, a: u32, delta: i64) -> i64 {
        self.get_mut(a as usize)
            .map_or(0, |sum| std::mem::replace(sum, *sum + delta))
    }
}

impl Later for std::collections::HashMap<u32, i64> {
    fn add(&mut self, a: u32, delta: i64) -> i64 {
        let sum = self.entry(a).or_insert(0);
        std::mem::replace(sum, *sum + delta)
    }
}

/// A whole-log replay's kept changes, as pass 1 and 2 left them: the requests
/// behind them and their moments, in feed order. A change takes 48 bytes here
/// against 40 made whole, but the requests are already in memory: the replay
/// neither writes a second copy of the feed nor looks up the accounts and
/// running credit of changes nobody reads.
#[derive(Clone, Debug, Default)]
pub(crate) struct Replayed {
    requests: Vec<Request>,
    moments: Vec<Moment>,
    /// Each pair's buyer and seller account, by [`Role::index`] (pass 1's
    /// numbering, as the requests' `pair`).
    pair_accounts: Vec<[u32; 2]>,
}

impl Replayed {
    /// How many changes are kept.
    pub(crate) fn len(&self) -> usize {
        self.requests.len().min(self.moments.len())
    }
}

/// The keys of an event's first link: the buyer's symbol for an order, the
/// order's symbol for any other event, each 0 when it is the other kind's.
fn link_keys(event: &Event) -> [usize; 2] {
    let (is_order, key) = match &event.body {
        EventBody::Order(o) => (true, o.buyer.index()),
        EventBody::Review { order, .. }
        | EventBody::Dsr { order, .. }
        | EventBody::Revise { order, .. }
        | EventBody::FollowUp { order }
        | EventBody::Reply { order, .. } => (false, order.index()),
    };
    if is_order {
        [key, 0]
    } else {
        [0, key]
    }
}

/// The positions of `items` in ascending order of `key` (each below `keys`),
/// equal keys in the order given: a counting sort, one counter per key. It
/// groups the requests and the ratings by pair, and the generator's hour by second.
pub(super) fn counting_order<T>(items: &[T], keys: usize, key: impl Fn(&T) -> usize) -> Vec<u32> {
    let mut start = vec![0u32; keys + 1];
    for item in items {
        if let Some(n) = start.get_mut(key(item) + 1) {
            *n += 1;
        }
    }
    let mut total = 0;
    for n in &mut start {
        total += *n;
        *n = total;
    }
    let mut order = vec![0u32; items.len()];
    for (i, item) in items.iter().enumerate() {
        if let Some(at) = start.get_mut(key(item)) {
            if let Some(slot) = order.get_mut(*at as usize) {
                *slot = i as u32;
            }
            *at += 1;
        }
    }
    order
}

/// The change request `r` made at `moment` on `order`, to `user`'s credit,
/// which it left at `credit_after`.
fn change(r: &Request, moment: Moment, order: Sym, user: Sym, credit_after: i64) -> Change {
    let s = &r.outcome;
    let event = Some(moment.event);
    let (reason, rule, rating, event) = match r.op {
        Op::Give(rating) => {
            let (reason, event) = match r.source {
                Source::Event => (s.rule, event),
                Source::Auto => (auto(s.rule, Reason::AutoGood), None),
                Source::Default => (auto(s.rule, Reason::DefaultGood), None),
            };
            (reason, None, Some(rating), event)
        }
        Op::ReviseGood => (Reason::Revised, Some(s.rule), Some(Rating::Good), event),
        Op::Delete => (Reason::Deleted, None, None, event),
    };
    Change {
        at: moment.at,
        order,
        user,
        role: r.from.other(),
        delta: i32::from(r.delta()),
        credit_after,
        reason,
        rule,
        rating,
        event,
    }
}

/// A default or automatic review that scores says so; a zeroing rule keeps its name.
fn auto(rule: Reason, instead: Reason) -> Reason {
    if rule == Reason::Scored {
        instead
    } else {
        rule
    }
}

/// Pass 2's current pair: its tables, and the points it has given so far to
/// its buyer and seller accounts (by [`Role::index`]), not yet added to them.
struct PairRun {
    table: PairTable,
    pair: u32,
    credit: [i64; 2],
}

/// One pair's tables while its requests are scored: the live scoring reviews
/// (the 14-day rule) and per-month counts (the monthly cap, the DSR cap).
#[derive(Default)]
struct PairTable {
    /// By the reviewer's [`Role::index`]: the 14-day rule and a revision
    /// only ever look at the reviews of the same reviewer, and a regular
    /// buyer's pair holds many of both sides' (half as many read).
    live: [Vec<Live>; 2],
    months: Vec<MonthCount>,
}

/// A review of the pair that scores (±1) and stands.
#[derive(Clone, Copy)]
struct Live {
    created: i64,
    item: u32,
    order: u32,
    sign: i8,
}

#[derive(Clone, Copy)]
struct MonthCount {
    month: MonthKey,
    /// +1 points given on orders created this month, by the giver's role index.
    plus: [u16; 2],
}

impl PairTable {
    fn clear(&mut self) {
        for live in &mut self.live {
            live.clear();
        }
        self.months.clear();
    }

    /// The counts of `month`, added when new. Months are looked for from the
    /// newest: a pair's requests come in feed order, and most are about its
    /// latest orders.
    fn month(&mut self, month: MonthKey) -> Option<&mut MonthCount> {
        let at = match self.months.iter().rposition(|m| m.month == month) {
            Some(at) => at,
            None => {
                self.months.push(MonthCount {
                    month,
                    plus: [0; 2],
                });
                self.months.len() - 1
            }
        };
        self.months.get_mut(at)
    }

    /// The live reviews given by `from`.
    fn live(&self, from: Role) -> &[Live] {
        self.live.get(from.index()).map_or(&[], Vec::as_slice)
    }

    fn apply(&mut self, rules: &RuleSet, r: &Request) -> Scored {
        match r.op {
            Op::Give(rating) => {
                let (new, rule) = self.score(rules, r, rating);
                self.moved(r, 0, new);
                Scored { new, old: 0, rule }
            }
            Op::ReviseGood | Op::Delete => {
                let old = self
                    .live(r.from)
                    .iter()
                    .find(|l| l.order == r.target)
                    .map_or(0, |l| l.sign);
                let (new, rule) = if r.op == Op::ReviseGood {
                    self.score(rules, r, Rating::Good)
                } else {
                    (0, Reason::Deleted)
                };
                self.moved(r, old, new);
                Scored { new, old, rule }
            }
        }
    }

    /// Section 3, as `Engine::score` judges it against the pair's standing reviews.
    fn score(&mut self, rules: &RuleSet, r: &Request, rating: Rating) -> (i8, Reason) {
        if r.low_price {
            return (0, Reason::LowPrice);
        }
        let base = rating.points();
        if base != 0 {
            let span = crate::time::span_of_days(rules.same_item_days);
            let twin = self.live(r.from).iter().any(|l| {
                l.item == r.item
                    && l.order != r.target
                    && l.sign == base
                    && l.created.abs_diff(r.created) < span
            });
            if twin {
                return (0, Reason::SameItem14d);
            }
        }
        if base > 0 {
            let cap = u16::try_from(rules.monthly_cap).unwrap_or(u16::MAX);
            let gained = self
                .months
                .iter()
                .rfind(|m| m.month == r.month)
                .and_then(|m| m.plus.get(r.from.index()).copied())
                .unwrap_or(0);
            if gained >= cap {
                return (0, Reason::MonthlyCap);
            }
        }
        Reason::unzeroed(base)
    }

    /// Keeps the tables in step when `r`'s review goes from `old` to `new` points.
    fn moved(&mut self, r: &Request, old: i8, new: i8) {
        if let Some(live) = self.live.get_mut(r.from.index()) {
            if old != 0 {
                live.retain(|l| l.order != r.target);
            }
            if new != 0 {
                live.push(Live {
                    created: r.created,
                    item: r.item,
                    order: r.target,
                    sign: new,
                });
            }
        }
        if new > 0 {
            if let Some(n) = self
                .month(r.month)
                .and_then(|m| m.plus.get_mut(r.from.index()))
            {
                *n = n.saturating_add(1);
            }
        }
    }
}

#[cfg(test)]
mod capacity {
    use super::*;
    use crate::credit::generate::{GenConfig, Generator};
    use crate::credit::symbols::Symbols;
    use crate::credit::RuleSet;

    #[test]
    fn a_long_log_is_estimated_from_a_sample_and_a_short_one_counted() {
        let rules = RuleSet::builtin("taobao").unwrap();
        let cfg = GenConfig {
            days: 20,
            orders_per_day: (2_000, 2_500),
            ..GenConfig::big_shop(5)
        };
        let events = Generator::new(cfg, &rules, &mut Symbols::default()).all();
        assert!(events.len() > COUNT_WHOLE, "{} events", events.len());
        let exact = Capacity::counted(events.iter(), 1.0);
        let estimate = Capacity::of(&events);
        for (what, e, x) in [
            ("orders", estimate.orders, exact.orders),
            ("ratings", estimate.ratings, exact.ratings),
            ("changes", estimate.changes, exact.changes),
        ] {
            let ratio = e as f64 / x as f64;
            assert!(
                (0.9..1.15).contains(&ratio),
                "{what}: {e} estimated, {x} counted"
            );
        }
        let short = &events[..COUNT_WHOLE];
        assert_eq!(Capacity::of(short), Capacity::counted(short.iter(), 1.0));
    }

    #[test]
    fn spans_of_days_too_long_for_seconds_saturate_both_ways() {
        let mut rules = RuleSet::builtin("taobao").unwrap();
        rules.same_item_days = i64::MAX;
        rules.review_window_days = i64::MAX / 2;
        let mut fresh = Engine::new(rules.clone());
        let generator = Generator::new(GenConfig::small(7), &rules, fresh.symbols_mut());
        let end = generator.end();
        let events = generator.all();
        let mut whole = fresh.clone();
        whole.replay_log(&events, Some(end));
        let mut single = fresh;
        single.set_horizon(Some(end));
        single.apply_all(&events);
        single.close_through(end);
        // Every window stays open (no default) and every second same-item
        // review of a pair scores nothing, replayed or played one by one.
        assert_eq!(whole.report(Some(end)), single.report(Some(end)));
        let same_item = whole
            .changes_since(0)
            .filter(|c| c.rule == Some(Reason::SameItem14d))
            .count();
        assert!(same_item > 0);
    }
}

#[cfg(test)]
mod layout {
    #[test]
    fn a_request_is_half_a_cache_line() {
        assert_eq!(std::mem::size_of::<super::Request>(), 32);
        assert_eq!(std::mem::align_of::<super::Request>(), 32);
    }
}
