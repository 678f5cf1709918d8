//! What each kind of event does to the world: section 3's scoring, reviews and
//! their defaults, revisions, follow-ups, replies and shop ratings. Each action
//! checks everything first and changes state only once nothing can refuse it.

use super::codes::{Reason, RejectCode};
use super::engine::{
    Change, DsrRecord, Engine, Judged, OrderState, Origin, Rejection, Slot, SlotState, LOW_PRICE,
    RATED, REPLIED_BUYER_REVIEW, REPLIED_FOLLOW_UP, REPLIED_SELLER_REVIEW,
};
use super::event::{DsrScores, DsrValue, Rating, ReplyTarget, Revision, Role};
use super::pairs::{Scoring, NONE};
use super::symbols::Sym;
use crate::time::Time;

impl Engine {
    /// Section 3: the points of a good/neutral/bad review on order `oi` from
    /// `from`, judged against the reviews that stand now.
    pub(super) fn score(&self, oi: usize, from: Role, rating: Rating) -> (i8, Reason) {
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
            let span = crate::time::span_of_days(self.rules.same_item_days);
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
        Reason::unzeroed(base)
    }

    /// Gives `from`'s review on `oi` (the slot must be empty) and records the change.
    pub(super) fn give(
        &mut self,
        oi: usize,
        from: Role,
        rating: Rating,
        at: Time,
        origin: Origin,
    ) -> Judged {
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
    pub(super) fn credit_change(
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
        // Before any credit moves: the replayed changes' running credit is
        // found going back from the accounts' credit.
        self.settle_replayed();
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
            event: event.and_then(|e| u32::try_from(e).ok()),
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

    pub(super) fn review(
        &mut self,
        oi: usize,
        from: Role,
        rating: Rating,
        at: Time,
        index: usize,
    ) -> Judged {
        let seller_silent = self.check_review(self.order(oi)?, from, at)?;
        self.give(oi, from, rating, at, Origin::Explicit(index))?;
        if self.rules.auto_good && from == Role::Buyer && seller_silent {
            self.give(oi, Role::Seller, Rating::Good, at, Origin::Auto)?;
        }
        Ok(())
    }

    /// Whether `from` may review `o` at `at`; if so, whether the seller had not
    /// reviewed yet (Tmall's automatic review follows the buyer's then).
    pub(super) fn check_review(
        &self,
        o: &OrderState,
        from: Role,
        at: Time,
    ) -> Result<bool, Rejection> {
        if from == Role::Seller && !self.rules.seller_reviews {
            return Err(Rejection::new(RejectCode::NotAllowedByRules));
        }
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
        Ok(o.reviews
            .get(Role::Seller.index())
            .is_some_and(|s| s.state == SlotState::Empty))
    }

    /// Section 4: the party whose default good review `o` gets when its window
    /// closes (exactly one party reviewed, and that review stands and is good).
    pub(super) fn default_giver(o: &OrderState) -> Option<Role> {
        let [buyer, seller] = o.reviews;
        let (reviewer, slot) = match (buyer.state, seller.state) {
            (SlotState::Empty, SlotState::Empty) => return None,
            (_, SlotState::Empty) => (Role::Buyer, buyer),
            (SlotState::Empty, _) => (Role::Seller, seller),
            _ => return None,
        };
        (slot.standing() && slot.rating == Some(Rating::Good)).then_some(reviewer.other())
    }

    pub(super) fn fire_due(&mut self, limit: Time, inclusive: bool) {
        while let Some((oi, giver, due)) = self.next_default(limit, inclusive) {
            // The silent party's slot is empty, so this cannot be refused.
            let _ = self.give(oi, giver, Rating::Good, due, Origin::Default);
        }
    }

    /// Takes the orders whose window closes before `limit` (or at it, when
    /// `inclusive`) off the queue of open windows, in order, until one earns a default
    /// good review: returns that order, the giver and the moment.
    pub(super) fn next_default(
        &mut self,
        limit: Time,
        inclusive: bool,
    ) -> Option<(usize, Role, Time)> {
        if !self.rules.default_good {
            return None;
        }
        loop {
            // Every event asks; the answer is almost always "not yet".
            let due = match self.next_close {
                Some(due) => due,
                None => {
                    let due = self.window_end(self.orders.get(self.closed as usize)?);
                    self.next_close = Some(due);
                    due
                }
            };
            if due > limit || (due == limit && !inclusive) {
                return None;
            }
            let oi = self.closed as usize;
            self.closed += 1;
            self.next_close = None;
            if let Some(giver) = self.orders.get(oi).and_then(Self::default_giver) {
                return Some((oi, giver, due));
            }
        }
    }

    pub(super) fn rate(&mut self, oi: usize, scores: &DsrScores, at: Time) -> Judged {
        let month = self.months.month(self.order(oi)?.at);
        let o = self.order(oi)?;
        self.check_rate(o, scores, at)?;
        let pair = o.pair;
        let earlier = self.pairs.counters(pair, month).rated;
        let record = DsrRecord {
            within_cap: u32::from(earlier) < self.rules.dsr.per_month_cap,
            ..Self::dsr_record(o, oi, scores, at)
        };
        self.pairs
            .update(pair, month, |c| c.rated = c.rated.saturating_add(1));
        self.order_mut(oi)?.flags |= RATED;
        self.dsr.push(record);
        Ok(())
    }

    /// The record of a shop rating accepted on order `oi` (`o`) at `at`; not
    /// yet within the monthly cap.
    pub(super) fn dsr_record(o: &OrderState, oi: usize, scores: &DsrScores, at: Time) -> DsrRecord {
        DsrRecord {
            order: oi as u32,
            seller_account: o
                .accounts
                .get(Role::Seller.index())
                .copied()
                .unwrap_or(NONE),
            at,
            // The scores given (0: not given).
            scores: scores.values.map(|v| match v {
                DsrValue::Score(s) => s,
                _ => 0,
            }),
            within_cap: false,
        }
    }

    /// Whether the buyer may rate the shop on `o` at `at` with `scores`.
    pub(super) fn check_rate(&self, o: &OrderState, scores: &DsrScores, at: Time) -> Judged {
        let end = self.window_end(o);
        if at > end {
            return Err(Rejection::late(RejectCode::WindowClosed, end));
        }
        if o.has(RATED) {
            return Err(Rejection::new(RejectCode::AlreadyRated));
        }
        let foreign = scores.unknown.is_some()
            || scores
                .values
                .iter()
                .zip(self.rated)
                .any(|(v, rated)| *v != DsrValue::Absent && !rated);
        if foreign {
            return Err(Rejection::new(RejectCode::DsrUnknownDimension));
        }
        if scores.values.iter().all(|v| *v == DsrValue::Absent) {
            return Err(Rejection::new(RejectCode::DsrEmpty));
        }
        if scores.values.contains(&DsrValue::Invalid) {
            return Err(Rejection::new(RejectCode::DsrOutOfRange));
        }
        Ok(())
    }

    pub(super) fn revise(
        &mut self,
        oi: usize,
        from: Role,
        to: Revision,
        at: Time,
        index: usize,
    ) -> Judged {
        let slot = self.check_revise(self.order(oi)?, from, at)?;
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

    /// Whether `from` may revise its review on `o` at `at`; if so, the review.
    pub(super) fn check_revise(
        &self,
        o: &OrderState,
        from: Role,
        at: Time,
    ) -> Result<Slot, Rejection> {
        if !self.rules.revisions {
            return Err(Rejection::new(RejectCode::NotAllowedByRules));
        }
        let slot = *o
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
        let end = slot.at(o).plus_days(self.rules.revise_days);
        if at > end {
            return Err(Rejection::late(RejectCode::ReviseWindowClosed, end));
        }
        Ok(slot)
    }

    /// Keeps the pair's tables in step when `from`'s review on `oi` goes from
    /// `old` to `new` points: the same-item index and the monthly +1 count.
    pub(super) fn points_moved(&mut self, oi: usize, from: Role, old: i8, new: i8) {
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
    pub(super) fn index_reviews(&mut self, oi: usize) {
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

    pub(super) fn set_slot(&mut self, oi: usize, from: Role, slot: Slot) -> Judged {
        let o = self.order_mut(oi)?;
        if let Some(s) = o.reviews.get_mut(from.index()) {
            *s = slot;
        }
        Ok(())
    }

    pub(super) fn follow_up(&mut self, oi: usize, at: Time) -> Judged {
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

    pub(super) fn reply(&mut self, oi: usize, from: Role, to: ReplyTarget, at: Time) -> Judged {
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
