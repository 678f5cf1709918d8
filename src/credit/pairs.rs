//! What one buyer–seller pair has done, kept so that section 3's rules and the
//! DSR cap cost O(1) per review instead of a scan of the pair's history.
//!
//! Each pair keeps per-month counters: +1 points received on orders *created* in
//! a month (the monthly cap), and shop ratings on orders whose trade *succeeded*
//! in a month (the DSR cap). The three newest months sit inline; older months
//! move to an overflow table that is almost always empty.
//!
//! For the 14-day same-item rule, each (pair, item) lists its *live scoring*
//! reviews (±1). Two of the same sign and side are always at least 14 days apart
//! in `created` (the rule zeroes any closer one), so a list stays a handful of
//! entries however many orders the pair has; a pair with one order skips it.

use rustc_hash::FxHashMap;

use crate::time::MonthKey;

/// "No index" in the linked lists.
pub(crate) const NONE: u32 = u32::MAX;

/// Counters of one natural month of one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MonthCounters {
    month: MonthKey,
    /// +1 points standing on orders created this month, by the giver's role index.
    pub plus: [u16; 2],
    /// Shop ratings accepted on orders whose trade succeeded this month.
    pub rated: u16,
}

impl MonthCounters {
    const EMPTY: MonthCounters = MonthCounters {
        month: MonthKey::MIN,
        plus: [0; 2],
        rated: 0,
    };
}

/// One buyer–seller pair.
#[derive(Clone, Debug)]
pub(crate) struct Pair {
    /// The seller's seller-account index.
    pub seller_account: u32,
    /// How many orders the pair has.
    pub orders: u32,
    /// The pair's first order (indexed late: see [`Pairs::add_order`]).
    pub first_order: u32,
    /// The buyer's next pair (the buyer's pairs form a list from its account).
    pub next_of_buyer: u32,
    months: [MonthCounters; 3],
}

/// Every pair, with the overflow of old months.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pairs {
    list: Vec<Pair>,
    overflow: FxHashMap<(u32, MonthKey), MonthCounters>,
    scoring: FxHashMap<(u32, u32), Vec<Scoring>>,
}

/// A live scoring review in the same-item index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scoring {
    /// The order's `created`, in seconds.
    pub created: i64,
    /// The order's index.
    pub order: u32,
    /// The reviewer's role index.
    pub from: u8,
    /// +1 or −1.
    pub sign: i8,
}

impl Pairs {
    /// The pair of `seller_account` among the buyer's pairs starting at `head`,
    /// made (and linked in front) when new. Returns the pair and the new head.
    pub fn find_or_add(&mut self, head: u32, seller_account: u32) -> (u32, u32) {
        let mut at = head;
        while let Some(p) = self.list.get(at as usize) {
            if p.seller_account == seller_account {
                return (at, head);
            }
            at = p.next_of_buyer;
        }
        let id = self.list.len() as u32;
        self.list.push(Pair {
            seller_account,
            orders: 0,
            first_order: NONE,
            next_of_buyer: head,
            months: [MonthCounters::EMPTY; 3],
        });
        (id, id)
    }

    /// The pair `id`.
    pub fn get(&self, id: u32) -> Option<&Pair> {
        self.list.get(id as usize)
    }

    /// Counts one more order of the pair. Returns the first order when this is
    /// the second: a pair's reviews enter the same-item index only once it has
    /// two orders (most pairs never do), so the caller indexes the first then.
    pub fn add_order(&mut self, id: u32, order: u32) -> Option<u32> {
        let p = self.list.get_mut(id as usize)?;
        p.orders = p.orders.saturating_add(1);
        match p.orders {
            1 => {
                p.first_order = order;
                None
            }
            2 => Some(p.first_order),
            _ => None,
        }
    }

    /// Whether the pair's reviews are in the same-item index.
    pub fn indexed(&self, id: u32) -> bool {
        self.get(id).is_some_and(|p| p.orders >= 2)
    }

    /// Whether another live scoring review like `probe` (same side and sign) on
    /// the same item was created less than `span` seconds from it.
    pub fn holds_like(&self, pair: u32, item: u32, probe: Scoring, span: i64) -> bool {
        if !self.indexed(pair) {
            return false;
        }
        self.scoring.get(&(pair, item)).is_some_and(|list| {
            list.iter().any(|s| {
                s.order != probe.order
                    && s.from == probe.from
                    && s.sign == probe.sign
                    && (s.created - probe.created).abs() < span
            })
        })
    }

    /// Enters a live scoring review into the same-item index.
    pub fn add_scoring(&mut self, pair: u32, item: u32, entry: Scoring) {
        self.scoring.entry((pair, item)).or_default().push(entry);
    }

    /// Takes a review that no longer scores out of the same-item index.
    pub fn remove_scoring(&mut self, pair: u32, item: u32, order: u32, from: u8) {
        if let Some(list) = self.scoring.get_mut(&(pair, item)) {
            list.retain(|s| !(s.order == order && s.from == from));
        }
    }

    /// The counters of `month` (zero when nothing was counted).
    pub fn counters(&self, id: u32, month: MonthKey) -> MonthCounters {
        let inline = self
            .list
            .get(id as usize)
            .and_then(|p| p.months.iter().find(|c| c.month == month));
        match inline {
            Some(c) => *c,
            None => self
                .overflow
                .get(&(id, month))
                .copied()
                .unwrap_or(MonthCounters {
                    month,
                    ..MonthCounters::EMPTY
                }),
        }
    }

    /// Changes the counters of `month` with `f`.
    pub fn update(&mut self, id: u32, month: MonthKey, f: impl FnOnce(&mut MonthCounters)) {
        let Some(p) = self.list.get_mut(id as usize) else {
            return;
        };
        if let Some(c) = p.months.iter_mut().find(|c| c.month == month) {
            f(c);
            return;
        }
        if let Some(c) = self.overflow.get_mut(&(id, month)) {
            f(c);
            return;
        }
        // A new month: take the inline slot of the oldest month, moving it out.
        let oldest = p.months.iter_mut().min_by_key(|c| c.month);
        let Some(slot) = oldest else { return };
        let mut fresh = MonthCounters {
            month,
            ..MonthCounters::EMPTY
        };
        f(&mut fresh);
        if slot.month > month {
            self.overflow.insert((id, month), fresh);
            return;
        }
        let evicted = std::mem::replace(slot, fresh);
        if evicted.month != MonthKey::MIN {
            self.overflow.insert((id, evicted.month), evicted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_overflow_and_come_back() {
        let mut pairs = Pairs::default();
        let (a, head) = pairs.find_or_add(NONE, 7);
        assert_eq!((a, head), (0, 0));
        assert_eq!(pairs.find_or_add(head, 7), (0, 0));
        let (b, head2) = pairs.find_or_add(head, 8);
        assert_eq!((b, head2), (1, 1));
        assert_eq!(pairs.find_or_add(head2, 7), (0, 1));
        for m in [5, 1, 2, 3, 4, 5, 0] {
            pairs.update(a, m, |c| c.plus[0] += 1);
        }
        let counts: Vec<u16> = (0..6).map(|m| pairs.counters(a, m).plus[0]).collect();
        assert_eq!(counts, vec![1, 1, 1, 1, 1, 2]);
        assert_eq!(pairs.counters(b, 5).plus[0], 0);
    }
}
