//! What one buyer–seller pair has done, kept so that section 3's rules and the
//! DSR cap cost O(1) per review instead of a scan of the pair's history.
//!
//! Each pair keeps per-month counters: +1 points received on orders *created* in
//! a month (the monthly cap), and shop ratings on orders whose trade *succeeded*
//! in a month (the DSR cap). The three newest months sit inline; older months
//! move to an overflow table that is almost always empty.
//!
//! For the 14-day same-item rule each pair links its orders, newest first
//! ([`Pairs::last_order`], [`Pairs::earlier`]): the reviews that stand are in the
//! orders themselves, and the rule walks back only through the orders close
//! enough in time (see `Engine::holds_like`). A pair whose orders are all of
//! different items cannot break the rule and is not walked: a 64-bit mask of the
//! items seen tells, with rare false alarms.

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

/// One buyer–seller pair: one cache line.
#[derive(Clone, Debug)]
#[repr(align(64))]
pub(crate) struct Pair {
    /// The seller's seller-account index.
    pub seller_account: u32,
    /// The pair's newest order (earlier ones follow [`Pairs::earlier`]).
    pub last_order: u32,
    /// The buyer's next pair (the buyer's pairs form a list from its account).
    pub next_of_buyer: u32,
    /// Whether an order of the pair may repeat an item of an earlier one.
    repeats: bool,
    /// Bit `item % 64` is set for each item the pair has ordered.
    items: u64,
    months: [MonthCounters; 3],
}

/// Every pair, with the overflow of old months.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pairs {
    list: Vec<Pair>,
    /// For each order (by index), the pair's order before it ([`NONE`]: none).
    earlier: Vec<u32>,
    overflow: FxHashMap<(u32, MonthKey), MonthCounters>,
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
            last_order: NONE,
            next_of_buyer: head,
            repeats: false,
            items: 0,
            months: [MonthCounters::EMPTY; 3],
        });
        (id, id)
    }

    /// The pair `id`.
    pub fn get(&self, id: u32) -> Option<&Pair> {
        self.list.get(id as usize)
    }

    /// Adds order `order` (the newest order of all) of `item` to the pair.
    pub fn add_order(&mut self, id: u32, order: u32, item: u32) {
        let Some(p) = self.list.get_mut(id as usize) else {
            return;
        };
        let bit = 1u64 << (item % 64);
        p.repeats |= p.items & bit != 0;
        p.items |= bit;
        let before = p.last_order;
        p.last_order = order;
        if self.earlier.len() <= order as usize {
            self.earlier.resize(order as usize + 1, NONE);
        }
        if let Some(slot) = self.earlier.get_mut(order as usize) {
            *slot = before;
        }
    }

    /// Whether an order of the pair may have repeated an item of an earlier one
    /// (false: no two of its orders share an item).
    pub fn repeats(&self, id: u32) -> bool {
        self.get(id).is_some_and(|p| p.repeats)
    }

    /// The pair's newest order ([`NONE`]: none).
    pub fn last_order(&self, id: u32) -> u32 {
        self.get(id).map_or(NONE, |p| p.last_order)
    }

    /// The order of the same pair before order `order` ([`NONE`]: none).
    pub fn earlier(&self, order: u32) -> u32 {
        self.earlier.get(order as usize).copied().unwrap_or(NONE)
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
