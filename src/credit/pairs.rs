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
//! entries however many orders the pair has. A pair whose orders are all of
//! different items cannot break the rule, so it stays out of the index until an
//! order may repeat an item (a 64-bit mask of the items seen tells, with rare
//! false alarms); then its earlier orders' reviews are entered (see
//! [`Pairs::add_order`]).

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
    /// Whether the pair's reviews are in the same-item index.
    indexed: bool,
    /// Bit `item % 64` is set for each item the pair has ordered.
    items: u64,
    months: [MonthCounters; 3],
}

/// Every pair, with the overflow of old months.
#[derive(Clone, Debug)]
pub(crate) struct Pairs {
    list: Vec<Pair>,
    /// For each order (by index), the pair's order before it ([`NONE`]: none).
    earlier: Vec<u32>,
    overflow: FxHashMap<(u32, MonthKey), MonthCounters>,
    /// The head of each (pair, item)'s list in `nodes`.
    heads: FxHashMap<u64, u32>,
    /// Live scoring reviews, linked per (pair, item); freed nodes form a list
    /// from `free` (one arena instead of a vector per key: no allocation per review).
    nodes: Vec<Node>,
    free: u32,
}

impl Default for Pairs {
    fn default() -> Self {
        Pairs {
            list: Vec::new(),
            earlier: Vec::new(),
            overflow: FxHashMap::default(),
            heads: FxHashMap::default(),
            nodes: Vec::new(),
            free: NONE,
        }
    }
}

/// One entry of a (pair, item) list.
#[derive(Clone, Copy, Debug)]
struct Node {
    entry: Scoring,
    next: u32,
}

fn key(pair: u32, item: u32) -> u64 {
    u64::from(pair) << 32 | u64::from(item)
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
            last_order: NONE,
            next_of_buyer: head,
            indexed: false,
            items: 0,
            months: [MonthCounters::EMPTY; 3],
        });
        (id, id)
    }

    /// The pair `id`.
    pub fn get(&self, id: u32) -> Option<&Pair> {
        self.list.get(id as usize)
    }

    /// Adds order `order` (the newest order of all) of `item` to the pair. When
    /// this order may repeat an item of the pair and the pair is not indexed yet,
    /// returns the pair's earlier orders, newest first, for the caller to index.
    pub fn add_order(&mut self, id: u32, order: u32, item: u32) -> Vec<u32> {
        let Some(p) = self.list.get_mut(id as usize) else {
            return Vec::new();
        };
        let bit = 1u64 << (item % 64);
        let repeat = p.items & bit != 0;
        p.items |= bit;
        let before = p.last_order;
        p.last_order = order;
        let to_index = if repeat && !p.indexed {
            p.indexed = true;
            Some(before)
        } else {
            None
        };
        if self.earlier.len() <= order as usize {
            self.earlier.resize(order as usize + 1, NONE);
        }
        if let Some(slot) = self.earlier.get_mut(order as usize) {
            *slot = before;
        }
        let mut out = Vec::new();
        let mut at = to_index.unwrap_or(NONE);
        while at != NONE {
            out.push(at);
            at = self.earlier.get(at as usize).copied().unwrap_or(NONE);
        }
        out
    }

    /// Whether the pair's reviews are in the same-item index.
    pub fn indexed(&self, id: u32) -> bool {
        self.get(id).is_some_and(|p| p.indexed)
    }

    /// Whether another live scoring review like `probe` (same side and sign) on
    /// the same item was created less than `span` seconds from it.
    pub fn holds_like(&self, pair: u32, item: u32, probe: Scoring, span: u64) -> bool {
        if !self.indexed(pair) {
            return false;
        }
        let mut at = self.heads.get(&key(pair, item)).copied().unwrap_or(NONE);
        while let Some(node) = self.nodes.get(at as usize) {
            let s = node.entry;
            if s.order != probe.order
                && s.from == probe.from
                && s.sign == probe.sign
                && s.created.abs_diff(probe.created) < span
            {
                return true;
            }
            at = node.next;
        }
        false
    }

    /// Reads what scoring a review of `item` in `pair` will read (the pair's
    /// line, and its entry in the same-item index), so that the cache misses
    /// of several reviews overlap. Returns something to keep the reads alive.
    pub fn touch(&self, pair: u32, item: u32) -> u64 {
        let Some(p) = self.list.get(pair as usize) else {
            return 0;
        };
        if !p.indexed {
            return u64::from(p.last_order);
        }
        let head = self.heads.get(&key(pair, item)).copied().unwrap_or(NONE);
        u64::from(head)
            ^ self
                .nodes
                .get(head as usize)
                .map_or(0, |n| n.entry.created as u64)
    }

    /// Enters a live scoring review into the same-item index.
    pub fn add_scoring(&mut self, pair: u32, item: u32, entry: Scoring) {
        let head = self.heads.entry(key(pair, item)).or_insert(NONE);
        let node = Node { entry, next: *head };
        let id = match self.nodes.get_mut(self.free as usize) {
            Some(slot) => {
                let id = self.free;
                self.free = slot.next;
                *slot = node;
                id
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() as u32 - 1
            }
        };
        *head = id;
    }

    /// Takes a review that no longer scores out of the same-item index.
    pub fn remove_scoring(&mut self, pair: u32, item: u32, order: u32, from: u8) {
        let Some(head) = self.heads.get_mut(&key(pair, item)) else {
            return;
        };
        let mut prev = NONE;
        let mut at = *head;
        while let Some(node) = self.nodes.get(at as usize).copied() {
            if node.entry.order == order && node.entry.from == from {
                match self.nodes.get_mut(prev as usize) {
                    Some(p) => p.next = node.next,
                    None => *head = node.next,
                }
                if let Some(freed) = self.nodes.get_mut(at as usize) {
                    freed.next = self.free;
                }
                self.free = at;
                return;
            }
            prev = at;
            at = node.next;
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
