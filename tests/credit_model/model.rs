//! A deliberately naive reference model of the credit rules in
//! `shared/spec/credit-rules.md`, written from the spec text alone.
//!
//! It keeps every order, review, rating, follow-up and reply in plain vectors
//! and answers each question with a linear scan, so that each rule reads like
//! the sentence of the spec it comes from. Speed does not matter here.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A platform-local wall-clock time (spec section 1).
pub type Time = NaiveDateTime;

/// Parses `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DDTHH:MM`.
pub fn parse_time(text: &str) -> Option<Time> {
    let (date, clock) = text.split_once('T')?;
    let mut date_parts = date.split('-');
    let year: i32 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    if date_parts.next().is_some() {
        return None;
    }
    let mut clock_parts = clock.split(':');
    let hour: u32 = clock_parts.next()?.parse().ok()?;
    let minute: u32 = clock_parts.next()?.parse().ok()?;
    let second: u32 = match clock_parts.next() {
        Some(s) => s.parse().ok()?,
        None => 0,
    };
    if clock_parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)
}

/// Writes a time as `YYYY-MM-DDTHH:MM:SS` (the engine always writes seconds).
pub fn format_time(t: Time) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `n` days of 24 hours.
pub fn days(n: i64) -> TimeDelta {
    TimeDelta::try_days(n).unwrap()
}

/// "N months before t": calendar arithmetic, day clamped to the month's end.
pub fn months_before(t: Time, n: u32) -> Time {
    t.checked_sub_months(Months::new(n)).unwrap()
}

/// The natural month (自然月) a time falls in.
fn natural_month(t: Time) -> (i32, u32) {
    (t.year(), t.month())
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Role {
    Buyer,
    Seller,
}

impl Role {
    fn parse(text: &str) -> Option<Role> {
        match text {
            "buyer" => Some(Role::Buyer),
            "seller" => Some(Role::Seller),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Seller => "seller",
        }
    }

    fn other(self) -> Role {
        match self {
            Role::Buyer => Role::Seller,
            Role::Seller => Role::Buyer,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rating {
    Good,
    Neutral,
    Bad,
}

impl Rating {
    fn parse(text: &str) -> Option<Rating> {
        match text {
            "good" => Some(Rating::Good),
            "neutral" => Some(Rating::Neutral),
            "bad" => Some(Rating::Bad),
            _ => None,
        }
    }

    fn base_points(self) -> i64 {
        match self {
            Rating::Good => 1,
            Rating::Neutral => 0,
            Rating::Bad => -1,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Rules {
    Taobao,
    Tmall,
}

impl Rules {
    fn dimensions(self) -> &'static [&'static str] {
        match self {
            Rules::Taobao => &["description", "service", "shipping", "logistics"],
            Rules::Tmall => &["description", "service", "logistics"],
        }
    }
}

/// An accepted order.
struct Order {
    id: String,
    buyer: String,
    seller: String,
    item: String,
    price: f64,
    created: Time,
    at: Time,
    /// Whether the window close (O.at + 15 days) has been handled.
    closed: bool,
}

impl Order {
    /// The user who receives a review written by `from` on this order.
    fn receiver(&self, from: Role) -> &str {
        match from {
            Role::Buyer => &self.seller,
            Role::Seller => &self.buyer,
        }
    }

    fn window_close(&self) -> Time {
        self.at + days(15)
    }
}

/// A review, explicit or created by the platform, in its current state.
struct Review {
    /// Index into `Model::orders`.
    order: usize,
    /// The party that wrote it; the counterpart receives it.
    from: Role,
    /// Current rating (a revision to good changes it).
    rating: Rating,
    /// Points it currently gives.
    points: i64,
    /// Its first `at`, kept through revisions.
    at: Time,
    deleted: bool,
    revised: bool,
}

/// An accepted shop rating.
struct ShopRating {
    order: usize,
    at: Time,
    scores: Vec<(String, f64)>,
}

/// One entry of the change feed.
struct Change {
    at: Time,
    order: String,
    user: String,
    role: Role,
    delta: i64,
    credit_after: i64,
    reason: &'static str,
    event: Option<usize>,
}

/// The replay state.
struct Model {
    rules: Rules,
    orders: Vec<Order>,
    reviews: Vec<Review>,
    ratings: Vec<ShopRating>,
    /// (order, at) of each accepted follow-up.
    follow_ups: Vec<(usize, Time)>,
    /// (order, sender, target) of each accepted reply.
    replies: Vec<(usize, Role, String)>,
    credit: BTreeMap<(String, Role), i64>,
    changes: Vec<Change>,
    rejected: Vec<(usize, &'static str)>,
}

fn text_field<'a>(event: &'a Value, key: &str) -> &'a str {
    event.get(key).and_then(Value::as_str).unwrap_or("")
}

fn time_field(event: &Value, key: &str) -> Time {
    parse_time(text_field(event, key)).unwrap_or_else(|| panic!("bad time in {event}"))
}

impl Model {
    fn find_order(&self, id: &str) -> Option<usize> {
        self.orders.iter().position(|o| o.id == id)
    }

    fn find_review(&self, order: usize, from: Role) -> Option<usize> {
        self.reviews
            .iter()
            .position(|r| r.order == order && r.from == from)
    }

    /// Section 3: the points of a `rating` review from `from` on `order`, and
    /// the reason. `skip` is a review left out of the look-back (the one being
    /// revised). Reviews are judged against the reviews that stand now.
    fn score(
        &self,
        order: usize,
        from: Role,
        rating: Rating,
        skip: Option<usize>,
    ) -> (i64, &'static str) {
        let o = &self.orders[order];
        if o.price <= 1.00 {
            return (0, "low_price");
        }
        // Reviews from the same giver to the same receiver in the same roles.
        let same_pair = |r: &Review| {
            let other = &self.orders[r.order];
            r.from == from && !r.deleted && other.buyer == o.buyer && other.seller == o.seller
        };
        let others = || {
            self.reviews
                .iter()
                .enumerate()
                .filter(move |(k, _)| Some(*k) != skip)
                .map(|(_, r)| r)
        };
        if rating != Rating::Neutral {
            let blocked = others().any(|r| {
                let other = &self.orders[r.order];
                same_pair(r)
                    && r.rating == rating
                    && r.points != 0
                    && other.item == o.item
                    && (other.created - o.created).abs() < days(14)
            });
            if blocked {
                return (0, "same_item_14d");
            }
        }
        if rating == Rating::Good {
            let month = natural_month(o.created);
            let plus_ones = others()
                .filter(|r| {
                    same_pair(r)
                        && r.points == 1
                        && natural_month(self.orders[r.order].created) == month
                })
                .count();
            if plus_ones >= 6 {
                return (0, "monthly_cap");
            }
        }
        match rating {
            Rating::Neutral => (0, "neutral"),
            _ => (rating.base_points(), "scored"),
        }
    }

    /// Adds `delta` to the receiver's credit and writes a change entry.
    fn record(
        &mut self,
        order: usize,
        from: Role,
        at: Time,
        delta: i64,
        reason: &'static str,
        event: Option<usize>,
    ) {
        let o = &self.orders[order];
        let user = o.receiver(from).to_string();
        let role = from.other();
        let credit = self.credit.entry((user.clone(), role)).or_insert(0);
        *credit += delta;
        let credit_after = *credit;
        self.changes.push(Change {
            at,
            order: o.id.clone(),
            user,
            role,
            delta,
            credit_after,
            reason,
            event,
        });
    }

    /// Creates a platform good review (default or Tmall automatic) from `from`.
    fn platform_good(&mut self, order: usize, from: Role, at: Time, scored_reason: &'static str) {
        let (points, reason) = self.score(order, from, Rating::Good, None);
        let reason = if points == 1 { scored_reason } else { reason };
        self.reviews.push(Review {
            order,
            from,
            rating: Rating::Good,
            points,
            at,
            deleted: false,
            revised: false,
        });
        self.record(order, from, at, points, reason, None);
    }

    /// Section 4: closes every window due before `limit` (or at it, when
    /// `inclusive`), in order of the close time, then the orders' `at`, then log
    /// order.
    fn close_windows(&mut self, limit: Time, inclusive: bool) {
        if self.rules == Rules::Tmall {
            return;
        }
        let mut due: Vec<usize> = (0..self.orders.len())
            .filter(|&k| {
                let o = &self.orders[k];
                let close = o.window_close();
                !o.closed && (close < limit || (inclusive && close == limit))
            })
            .collect();
        // Orders are kept in log order, so a stable sort keeps log order on ties.
        due.sort_by_key(|&k| (self.orders[k].window_close(), self.orders[k].at));
        for k in due {
            self.orders[k].closed = true;
            let buyer = self.find_review(k, Role::Buyer);
            let seller = self.find_review(k, Role::Seller);
            let (given, missing) = match (buyer, seller) {
                (Some(r), None) => (r, Role::Seller),
                (None, Some(r)) => (r, Role::Buyer),
                _ => continue,
            };
            let r = &self.reviews[given];
            if r.deleted || r.rating != Rating::Good {
                continue;
            }
            let close = self.orders[k].window_close();
            self.platform_good(k, missing, close, "default_good");
        }
    }

    fn reject(&mut self, index: usize, code: &'static str) {
        self.rejected.push((index, code));
    }

    fn apply(&mut self, index: usize, event: &Value, at: Time) {
        let kind = text_field(event, "kind");
        let result = match kind {
            "order" => self.order(event, at),
            "review" => self.review(index, event, at),
            "revise" => self.revise(index, event, at),
            "follow_up" => self.follow_up(event, at),
            "reply" => self.reply(event, at),
            "dsr" => self.dsr(event, at),
            other => panic!("the model does not know the kind {other:?}"),
        };
        if let Err(code) = result {
            self.reject(index, code);
        }
    }

    fn order(&mut self, event: &Value, at: Time) -> Result<(), &'static str> {
        let id = text_field(event, "id");
        let buyer = text_field(event, "buyer");
        let seller = text_field(event, "seller");
        let price = event["price"].as_f64().unwrap();
        let created = time_field(event, "created");
        if self.find_order(id).is_some() {
            return Err("duplicate_id");
        }
        if buyer == seller {
            return Err("self_trade");
        }
        if price < 0.0 || !price.is_finite() {
            return Err("bad_price");
        }
        if created > at {
            return Err("created_after_completion");
        }
        self.orders.push(Order {
            id: id.to_string(),
            buyer: buyer.to_string(),
            seller: seller.to_string(),
            item: text_field(event, "item").to_string(),
            price,
            created,
            at,
            closed: false,
        });
        Ok(())
    }

    fn known_order(&self, event: &Value) -> Result<usize, &'static str> {
        self.find_order(text_field(event, "order"))
            .ok_or("unknown_order")
    }

    fn review(&mut self, index: usize, event: &Value, at: Time) -> Result<(), &'static str> {
        let order = self.known_order(event)?;
        let from = Role::parse(text_field(event, "from")).unwrap();
        let rating = Rating::parse(text_field(event, "rating")).unwrap();
        if self.rules == Rules::Tmall && from == Role::Seller {
            return Err("not_allowed_by_rules");
        }
        if at > self.orders[order].window_close() {
            return Err("window_closed");
        }
        if self.find_review(order, from).is_some() {
            return Err("already_reviewed");
        }
        let (points, reason) = self.score(order, from, rating, None);
        self.reviews.push(Review {
            order,
            from,
            rating,
            points,
            at,
            deleted: false,
            revised: false,
        });
        self.record(order, from, at, points, reason, Some(index));
        if self.rules == Rules::Tmall {
            // The seller's good review of the buyer, at the same instant.
            self.platform_good(order, Role::Seller, at, "auto_good");
        }
        Ok(())
    }

    fn revise(&mut self, index: usize, event: &Value, at: Time) -> Result<(), &'static str> {
        let order = self.known_order(event)?;
        let from = Role::parse(text_field(event, "from")).unwrap();
        if self.rules == Rules::Tmall {
            return Err("not_allowed_by_rules");
        }
        let Some(k) = self.find_review(order, from) else {
            return Err("nothing_to_revise");
        };
        let r = &self.reviews[k];
        if r.deleted {
            return Err("nothing_to_revise");
        }
        if r.revised {
            return Err("already_revised");
        }
        if r.rating == Rating::Good {
            return Err("not_revisable");
        }
        if at > r.at + days(30) {
            return Err("revise_window_closed");
        }
        let old = r.points;
        let (new, reason) = match text_field(event, "to") {
            "good" => (self.score(order, from, Rating::Good, Some(k)).0, "revised"),
            "deleted" => (0, "deleted"),
            other => panic!("revise to {other:?}"),
        };
        let r = &mut self.reviews[k];
        r.revised = true;
        r.points = new;
        if reason == "deleted" {
            r.deleted = true;
        } else {
            r.rating = Rating::Good;
        }
        self.record(order, from, at, new - old, reason, Some(index));
        Ok(())
    }

    fn follow_up(&mut self, event: &Value, at: Time) -> Result<(), &'static str> {
        let order = self.known_order(event)?;
        match self.find_review(order, Role::Buyer) {
            Some(k) if !self.reviews[k].deleted => {}
            _ => return Err("follow_up_needs_review"),
        }
        if self.follow_ups.iter().any(|&(o, _)| o == order) {
            return Err("already_followed_up");
        }
        if at > self.orders[order].at + days(180) {
            return Err("follow_up_window_closed");
        }
        self.follow_ups.push((order, at));
        Ok(())
    }

    fn reply(&mut self, event: &Value, at: Time) -> Result<(), &'static str> {
        let order = self.known_order(event)?;
        let from = Role::parse(text_field(event, "from")).unwrap();
        let target = text_field(event, "to").to_string();
        // The time of the thing replied to, if the sender received it.
        let target_at = match target.as_str() {
            // The review the sender received was written by the other party.
            "review" => match self.find_review(order, from.other()) {
                Some(k) if !self.reviews[k].deleted => Some(self.reviews[k].at),
                _ => None,
            },
            // Only the seller receives the buyer's follow-up.
            "follow_up" if from == Role::Seller => self
                .follow_ups
                .iter()
                .find(|&&(o, _)| o == order)
                .map(|&(_, t)| t),
            "follow_up" => None,
            other => panic!("reply to {other:?}"),
        };
        let Some(target_at) = target_at else {
            return Err("reply_not_allowed");
        };
        if self
            .replies
            .iter()
            .any(|(o, f, t)| *o == order && *f == from && *t == target)
        {
            return Err("already_replied");
        }
        if at > target_at + days(30) {
            return Err("reply_window_closed");
        }
        self.replies.push((order, from, target));
        Ok(())
    }

    fn dsr(&mut self, event: &Value, at: Time) -> Result<(), &'static str> {
        let order = self.known_order(event)?;
        if at > self.orders[order].window_close() {
            return Err("window_closed");
        }
        if self.ratings.iter().any(|r| r.order == order) {
            return Err("already_rated");
        }
        let object = event.as_object().unwrap();
        let given: Vec<(&String, &Value)> = object
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "kind" | "order" | "at"))
            .collect();
        let dimensions = self.rules.dimensions();
        if given
            .iter()
            .any(|(key, _)| !dimensions.contains(&key.as_str()))
        {
            return Err("dsr_unknown_dimension");
        }
        // A dimension written as null is left out.
        let given: Vec<(&String, &Value)> =
            given.into_iter().filter(|(_, v)| !v.is_null()).collect();
        if given.is_empty() {
            return Err("dsr_empty");
        }
        let mut scores = Vec::new();
        for (key, value) in given {
            match value.as_f64() {
                Some(s) if s.fract() == 0.0 && (1.0..=5.0).contains(&s) => {
                    scores.push((key.clone(), s));
                }
                _ => return Err("dsr_out_of_range"),
            }
        }
        self.ratings.push(ShopRating { order, at, scores });
        Ok(())
    }

    /// The report's entry for `user` in `role`.
    fn account(&self, user: &str, role: Role, as_of: Time) -> Value {
        let credit = self
            .credit
            .get(&(user.to_string(), role))
            .copied()
            .unwrap_or(0);
        let week_start = as_of - days(7);
        let month_start = months_before(as_of, 1);
        let half_year_start = months_before(as_of, 6);
        // [good, neutral, bad] for week, month, half_year, older, total.
        let mut tallies = [[0u64; 3]; 5];
        for r in &self.reviews {
            let o = &self.orders[r.order];
            if r.deleted || r.from.other() != role || o.receiver(r.from) != user {
                continue;
            }
            let column = match r.rating {
                Rating::Good => 0,
                Rating::Neutral => 1,
                Rating::Bad => 2,
            };
            let mut periods = vec![4];
            if r.at > week_start {
                periods.push(0);
            }
            if r.at > month_start {
                periods.push(1);
            }
            if r.at > half_year_start {
                periods.push(2);
            } else {
                periods.push(3);
            }
            for p in periods {
                tallies[p][column] += 1;
            }
        }
        let tally = |p: usize| json!({"good": tallies[p][0], "neutral": tallies[p][1], "bad": tallies[p][2]});
        let total = tallies[4][0] + tallies[4][1] + tallies[4][2];
        let positive_rate = if total == 0 {
            Value::Null
        } else {
            json!(tallies[4][0] as f64 / total as f64)
        };
        let mut account = json!({
            "credit": credit,
            "level": level(credit),
            "counts": {"week": tally(0), "month": tally(1), "half_year": tally(2),
                       "older": tally(3), "total": tally(4)},
            "positive_rate": positive_rate,
        });
        if role == Role::Seller {
            account["dsr"] = self.shop_rating(user, as_of);
        }
        account
    }

    /// Section 7 for one seller.
    fn shop_rating(&self, seller: &str, as_of: Time) -> Value {
        let window_start = months_before(as_of, 6);
        let mut sums: BTreeMap<&str, (f64, u64)> = BTreeMap::new();
        for (k, rating) in self.ratings.iter().enumerate() {
            let o = &self.orders[rating.order];
            if o.seller != seller || rating.at <= window_start || rating.at > as_of {
                continue;
            }
            // How many ratings this buyer gave this seller before, on orders
            // whose trade succeeded in the same natural month.
            let earlier = self.ratings[..k]
                .iter()
                .filter(|r| {
                    let other = &self.orders[r.order];
                    other.seller == o.seller
                        && other.buyer == o.buyer
                        && natural_month(other.at) == natural_month(o.at)
                })
                .count();
            if earlier >= 3 {
                continue;
            }
            for (dimension, score) in &rating.scores {
                let entry = sums.entry(dimension.as_str()).or_insert((0.0, 0));
                entry.0 += score;
                entry.1 += 1;
            }
        }
        let mut out = Map::new();
        for dimension in self.rules.dimensions() {
            let (sum, count) = sums.get(dimension).copied().unwrap_or((0.0, 0));
            let mean = if count == 0 {
                Value::Null
            } else {
                json!(sum / count as f64)
            };
            out.insert(
                (*dimension).to_string(),
                json!({"mean": mean, "count": count}),
            );
        }
        Value::Object(out)
    }
}

/// Section 5's level table.
fn level(credit: i64) -> Value {
    const UPPER: [i64; 19] = [
        10, 40, 90, 150, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000,
        1000000, 2000000, 5000000, 10000000,
    ];
    let index = if credit < 4 {
        0
    } else {
        UPPER.iter().filter(|&&upper| credit > upper).count() + 1
    };
    let tier = match index {
        0 => "none",
        1..=5 => "heart",
        6..=10 => "diamond",
        11..=15 => "crown",
        _ => "gold_crown",
    };
    let count = if index == 0 { 0 } else { (index - 1) % 5 + 1 };
    json!({"index": index, "tier": tier, "count": count})
}

/// Replays a contract log and returns the report fields the model covers.
pub fn replay(log: &Value) -> Value {
    let rules = match log.get("rules").and_then(Value::as_str) {
        Some("tmall") => Rules::Tmall,
        _ => Rules::Taobao,
    };
    let events: &[Value] = log["events"].as_array().map_or(&[], Vec::as_slice);
    let as_of = match (log.get("as_of").and_then(Value::as_str), events.last()) {
        (Some(text), _) => parse_time(text).unwrap(),
        (None, Some(last)) => time_field(last, "at"),
        // No events and no as_of: an empty report at no particular moment.
        (None, None) => {
            return json!({"as_of": null, "sellers": {}, "buyers": {}, "changes": [], "rejected": []});
        }
    };
    let mut model = Model {
        rules,
        orders: Vec::new(),
        reviews: Vec::new(),
        ratings: Vec::new(),
        follow_ups: Vec::new(),
        replies: Vec::new(),
        credit: BTreeMap::new(),
        changes: Vec::new(),
        rejected: Vec::new(),
    };
    let mut latest: Option<Time> = None;
    for (index, event) in events.iter().enumerate() {
        let at = time_field(event, "at");
        if latest.is_some_and(|l| at < l) {
            model.reject(index, "time_out_of_order");
            continue;
        }
        latest = Some(at);
        if at > as_of {
            model.reject(index, "after_as_of");
            continue;
        }
        // Explicit events at an instant come before the defaults due then.
        model.close_windows(at, false);
        model.apply(index, event, at);
    }
    model.close_windows(as_of, true);

    let mut sellers = Map::new();
    let mut buyers = Map::new();
    for o in &model.orders {
        sellers.insert(
            o.seller.clone(),
            model.account(&o.seller, Role::Seller, as_of),
        );
        buyers.insert(o.buyer.clone(), model.account(&o.buyer, Role::Buyer, as_of));
    }
    let changes: Vec<Value> = model
        .changes
        .iter()
        .map(|c| {
            json!({"at": format_time(c.at), "order": c.order, "user": c.user,
                   "role": c.role.name(), "delta": c.delta, "credit_after": c.credit_after,
                   "reason": c.reason, "event": c.event})
        })
        .collect();
    let rejected: Vec<Value> = model
        .rejected
        .iter()
        .map(|(event, code)| json!({"event": event, "code": code}))
        .collect();
    json!({
        "as_of": format_time(as_of),
        "sellers": sellers,
        "buyers": buyers,
        "changes": changes,
        "rejected": rejected,
    })
}
