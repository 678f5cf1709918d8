//! Events as bytes, to pass a generated day from one Web Worker to another:
//! one worker generates the big shop's days while the other replays them.
//!
//! Each event is its moment (8 bytes), a kind byte and its order (4 bytes),
//! then what its kind carries; numbers little-endian, names as the [`Sym`]s of
//! a symbol table both sides built the same way. Decoding checks every byte it
//! reads: a short or unknown record, or a name outside the table, is an error
//! that says where, and nothing is appended.

use super::event::{
    DsrScores, DsrValue, Event, EventBody, OrderEvent, Rating, ReplyTarget, Revision, Role,
};
use super::symbols::Sym;
use crate::time::Time;

const ORDER: u8 = 0;
const REVIEW: u8 = 1;
const DSR: u8 = 2;
const REVISE: u8 = 3;
const FOLLOW_UP: u8 = 4;
const REPLY: u8 = 5;

/// No symbol (a shop rating without an unknown dimension).
const NO_SYM: u32 = u32::MAX;

/// Why bytes could not be read as events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireError {
    /// Where the record that could not be read starts.
    pub offset: usize,
    /// What was wrong with it.
    pub what: &'static str,
    /// The same, in Chinese, for people.
    pub zh: &'static str,
}

/// Appends `events` to `out` as bytes.
pub fn encode(events: &[Event], out: &mut Vec<u8>) {
    for e in events {
        out.extend_from_slice(&e.at.seconds().to_le_bytes());
        match &e.body {
            EventBody::Order(o) => {
                head(out, ORDER, o.id);
                for sym in [o.buyer, o.seller, o.item] {
                    out.extend_from_slice(&sym.0.to_le_bytes());
                }
                out.extend_from_slice(&o.price.to_le_bytes());
                out.extend_from_slice(&o.created.seconds().to_le_bytes());
            }
            EventBody::Review {
                order,
                from,
                rating,
            } => {
                head(out, REVIEW, *order);
                out.extend_from_slice(&[role(*from), rating_byte(*rating)]);
            }
            EventBody::Dsr { order, scores } => {
                head(out, DSR, *order);
                for v in scores.values {
                    out.extend_from_slice(&match v {
                        DsrValue::Absent => [0, 0],
                        DsrValue::Invalid => [1, 0],
                        DsrValue::Score(s) => [2, s],
                    });
                }
                let unknown = scores.unknown.map_or(NO_SYM, |s| s.0);
                out.extend_from_slice(&unknown.to_le_bytes());
            }
            EventBody::Revise { order, from, to } => {
                head(out, REVISE, *order);
                let to = match to {
                    Revision::Good => 0,
                    Revision::Deleted => 1,
                };
                out.extend_from_slice(&[role(*from), to]);
            }
            EventBody::FollowUp { order } => head(out, FOLLOW_UP, *order),
            EventBody::Reply { order, from, to } => {
                head(out, REPLY, *order);
                let to = match to {
                    ReplyTarget::Review => 0,
                    ReplyTarget::FollowUp => 1,
                };
                out.extend_from_slice(&[role(*from), to]);
            }
        }
    }
}

fn head(out: &mut Vec<u8>, kind: u8, order: Sym) {
    out.push(kind);
    out.extend_from_slice(&order.0.to_le_bytes());
}

fn role(r: Role) -> u8 {
    match r {
        Role::Buyer => 0,
        Role::Seller => 1,
    }
}

fn rating_byte(r: Rating) -> u8 {
    match r {
        Rating::Good => 0,
        Rating::Neutral => 1,
        Rating::Bad => 2,
    }
}

/// Appends the events in `bytes` to `out`. Every name must be below `symbols`
/// (the table's size). On an error `out` is as it was.
pub fn decode(bytes: &[u8], symbols: usize, out: &mut Vec<Event>) -> Result<(), WireError> {
    let kept = out.len();
    let mut r = Reader {
        bytes,
        at: 0,
        symbols,
        what: ("", ""),
    };
    while r.at < bytes.len() {
        let start = r.at;
        match r.event() {
            Some(e) => out.push(e),
            None => {
                out.truncate(kept);
                let (what, zh) = r.what;
                return Err(WireError {
                    offset: start,
                    what,
                    zh,
                });
            }
        }
    }
    Ok(())
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    symbols: usize,
    /// What was wrong, once reading stopped (in English, in Chinese).
    what: (&'static str, &'static str),
}

impl Reader<'_> {
    fn event(&mut self) -> Option<Event> {
        let at = Time::from_seconds(i64::from_le_bytes(self.take()?));
        let [kind] = self.take()?;
        let order = self.sym()?;
        let body = match kind {
            ORDER => EventBody::Order(OrderEvent {
                id: order,
                buyer: self.sym()?,
                seller: self.sym()?,
                item: self.sym()?,
                price: f64::from_le_bytes(self.take()?),
                created: Time::from_seconds(i64::from_le_bytes(self.take()?)),
            }),
            REVIEW => {
                let [from, rating] = self.take()?;
                EventBody::Review {
                    order,
                    from: self.role(from)?,
                    rating: match rating {
                        0 => Rating::Good,
                        1 => Rating::Neutral,
                        2 => Rating::Bad,
                        _ => return self.bad("rating", "评价等级未知"),
                    },
                }
            }
            DSR => {
                let mut scores = DsrScores::default();
                for v in &mut scores.values {
                    *v = match self.take()? {
                        [0, _] => DsrValue::Absent,
                        [1, _] => DsrValue::Invalid,
                        [2, s] => DsrValue::Score(s),
                        _ => return self.bad("shop rating score", "店铺评分无效"),
                    };
                }
                let unknown = u32::from_le_bytes(self.take()?);
                scores.unknown = if unknown == NO_SYM {
                    None
                } else {
                    Some(self.known(unknown)?)
                };
                EventBody::Dsr { order, scores }
            }
            REVISE => {
                let [from, to] = self.take()?;
                EventBody::Revise {
                    order,
                    from: self.role(from)?,
                    to: match to {
                        0 => Revision::Good,
                        1 => Revision::Deleted,
                        _ => return self.bad("revision", "修改方式未知"),
                    },
                }
            }
            FOLLOW_UP => EventBody::FollowUp { order },
            REPLY => {
                let [from, to] = self.take()?;
                EventBody::Reply {
                    order,
                    from: self.role(from)?,
                    to: match to {
                        0 => ReplyTarget::Review,
                        1 => ReplyTarget::FollowUp,
                        _ => return self.bad("reply target", "回复对象未知"),
                    },
                }
            }
            _ => return self.bad("kind", "事件类型未知"),
        };
        Some(Event { at, body })
    }

    /// The next `N` bytes.
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let end = self.at.checked_add(N)?;
        let Some(bytes) = self.bytes.get(self.at..end) else {
            return self.bad("record cut short", "记录不完整");
        };
        self.at = end;
        bytes.try_into().ok()
    }

    fn sym(&mut self) -> Option<Sym> {
        let n = u32::from_le_bytes(self.take()?);
        self.known(n)
    }

    fn known(&mut self, n: u32) -> Option<Sym> {
        if (n as usize) < self.symbols {
            Some(Sym(n))
        } else {
            self.bad("name not in the table", "名称不在名称表中")
        }
    }

    fn role(&mut self, b: u8) -> Option<Role> {
        match b {
            0 => Some(Role::Buyer),
            1 => Some(Role::Seller),
            _ => self.bad("role", "角色未知"),
        }
    }

    /// Notes what was wrong (`zh`, in Chinese); reading stops.
    fn bad<T>(&mut self, what: &'static str, zh: &'static str) -> Option<T> {
        self.what = (what, zh);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credit::generate::{GenConfig, Generator};
    use crate::credit::{Engine, RuleSet};
    use crate::rng::Rng;

    /// A generated run's days, and the size of the symbol table they use.
    fn days(cfg: GenConfig) -> (Vec<Vec<Event>>, usize) {
        let rules = RuleSet::builtin("taobao").expect("taobao");
        let mut engine = Engine::new(rules.clone());
        let mut g = Generator::new(cfg, &rules, engine.symbols_mut());
        let days = std::iter::from_fn(|| g.next_day()).collect();
        (days, engine.symbols().len())
    }

    #[test]
    fn generated_days_come_back_as_they_went() {
        for cfg in [GenConfig::small(11), GenConfig::small(12)] {
            let (days, symbols) = days(cfg);
            let mut kinds = [0usize; 6];
            for day in &days {
                let mut bytes = Vec::new();
                encode(day, &mut bytes);
                let mut back = Vec::new();
                assert_eq!(decode(&bytes, symbols, &mut back), Ok(()));
                assert_eq!(&back, day);
                for e in day {
                    kinds[match e.body {
                        EventBody::Order(_) => 0,
                        EventBody::Review { .. } => 1,
                        EventBody::Dsr { .. } => 2,
                        EventBody::Revise { .. } => 3,
                        EventBody::FollowUp { .. } => 4,
                        EventBody::Reply { .. } => 5,
                    }] += 1;
                }
            }
            assert!(
                kinds.iter().all(|&n| n > 0),
                "every kind of event came up: {kinds:?}"
            );
        }
    }

    #[test]
    fn every_field_value_comes_back() {
        let order = Sym(3);
        let mut events = Vec::new();
        for (i, from) in [Role::Buyer, Role::Seller].into_iter().enumerate() {
            let at = Time::from_seconds(-5 + i as i64 * i64::MAX / 2);
            for rating in [Rating::Good, Rating::Neutral, Rating::Bad] {
                events.push(Event {
                    at,
                    body: EventBody::Review {
                        order,
                        from,
                        rating,
                    },
                });
            }
            for to in [Revision::Good, Revision::Deleted] {
                events.push(Event {
                    at,
                    body: EventBody::Revise { order, from, to },
                });
            }
            for to in [ReplyTarget::Review, ReplyTarget::FollowUp] {
                events.push(Event {
                    at,
                    body: EventBody::Reply { order, from, to },
                });
            }
        }
        let values = [
            DsrValue::Absent,
            DsrValue::Invalid,
            DsrValue::Score(0),
            DsrValue::Score(255),
        ];
        for unknown in [None, Some(Sym(4))] {
            let scores = DsrScores { values, unknown };
            events.push(Event {
                at: Time::from_seconds(i64::MIN),
                body: EventBody::Dsr { order, scores },
            });
        }
        events.push(Event {
            at: Time::from_seconds(7),
            body: EventBody::Order(OrderEvent {
                id: Sym(0),
                buyer: Sym(1),
                seller: Sym(2),
                item: Sym(4),
                price: -0.01,
                created: Time::from_seconds(i64::MAX),
            }),
        });
        events.push(Event {
            at: Time::from_seconds(8),
            body: EventBody::FollowUp { order },
        });
        let mut bytes = Vec::new();
        encode(&events, &mut bytes);
        let mut back = Vec::new();
        assert_eq!(decode(&bytes, 5, &mut back), Ok(()));
        assert_eq!(back, events);
        // One name too many for a table of 4.
        let err = decode(&bytes, 4, &mut back).expect_err("Sym(4) is outside");
        assert_eq!(err.what, "name not in the table");
        assert_eq!(err.zh, "名称不在名称表中");
        assert_eq!(back, events, "nothing appended on an error");
    }

    #[test]
    fn bytes_cut_short_or_changed_are_an_error_that_says_where_never_a_panic() {
        let (days, symbols) = days(GenConfig::small(5));
        let day = days.iter().max_by_key(|d| d.len()).expect("days");
        assert!(day.len() > 5, "a busy day: {}", day.len());
        let mut bytes = Vec::new();
        encode(day, &mut bytes);
        let mut out = Vec::new();
        // Cut at every byte: either whole records (a shorter day) or an error
        // at the start of the record cut.
        for cut in 0..bytes.len() {
            out.clear();
            match decode(bytes.get(..cut).unwrap_or_default(), symbols, &mut out) {
                Ok(()) => assert_eq!(out.as_slice(), day.get(..out.len()).unwrap_or_default()),
                Err(e) => {
                    assert!(out.is_empty());
                    assert!(e.offset < cut);
                    assert_eq!(e.what, "record cut short");
                }
            }
        }
        // Any byte changed to anything: decoded or refused (somewhere after
        // it, once a changed kind puts the reading out of step), never a panic.
        let mut rng = Rng::new(9);
        for _ in 0..20_000 {
            let mut changed = bytes.clone();
            let i = (rng.next_u64() % changed.len() as u64) as usize;
            if let Some(b) = changed.get_mut(i) {
                *b = rng.next_u64() as u8;
            }
            out.clear();
            if let Err(e) = decode(&changed, symbols, &mut out) {
                assert!(out.is_empty());
                assert!(!e.zh.is_empty(), "{e:?} has its Chinese text");
                assert!(e.offset < changed.len());
            }
        }
        // Noise.
        for len in 0..200 {
            let noise: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            out.clear();
            let _ = decode(&noise, symbols, &mut out);
        }
    }
}
