//! Platform-local wall-clock times (China Standard Time, no zone written).
//!
//! A [`Time`] is a count of seconds from `1970-01-01T00:00:00` local time, so day
//! arithmetic is plain addition. Calendar questions (which natural month, "N
//! months before") go through `chrono`'s civil calendar, with the day clamped to
//! the month's end as `chrono::Months` does.
//!
//! ```
//! use review_lab::time::Time;
//! let t = Time::parse("2026-03-31T10:00").ok_or("bad time")?;
//! assert_eq!(t.to_string(), "2026-03-31T10:00:00");
//! let a_month_before = t.minus_months(1).ok_or("out of range")?;
//! assert_eq!(a_month_before.to_string(), "2026-02-28T10:00:00");
//! assert_eq!(t.plus_days(15).to_string(), "2026-04-15T10:00:00");
//! # Ok::<(), &str>(())
//! ```

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Serialize, Serializer};

/// Seconds in a day: a *day* in the rules is always 24 hours.
pub const DAY: i64 = 86_400;

/// Days from 0001-01-01 (chrono's "common era" day 1) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// A platform-local wall-clock moment, to the second.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Time(i64);

/// A natural month (自然月), as `year * 12 + month0`.
pub type MonthKey = i32;

/// `days` as a span of seconds to measure distances against
/// (`a.abs_diff(b) < span`, which no two times can overflow): 0, which
/// nothing is within, for `days` ≤ 0.
pub fn span_of_days(days: i64) -> u64 {
    u64::try_from(days_in_seconds(days)).unwrap_or(0)
}

/// `days` whole days in seconds, saturating at the ends of `i64`.
pub fn days_in_seconds(days: i64) -> i64 {
    // The same as `days.saturating_mul(DAY)`, which wasm32 builds as a call
    // to a 128-bit multiply (about 5% of the replay in the browser).
    const LIMIT: i64 = i64::MAX / DAY;
    if days > LIMIT {
        i64::MAX
    } else if days < -LIMIT {
        i64::MIN
    } else {
        days * DAY
    }
}

impl Time {
    /// Parses `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DDTHH:MM`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Time> {
        let b = text.as_bytes();
        if !(b.len() == 16 || b.len() == 19) {
            return None;
        }
        let num = |from: usize, len: usize| -> Option<u32> {
            let digits = b.get(from..from + len)?;
            digits.iter().try_fold(0u32, |acc, &d| {
                d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
            })
        };
        let sep = |at: usize, ch: u8| b.get(at) == Some(&ch);
        if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':')) {
            return None;
        }
        let second = if b.len() == 19 {
            if !sep(16, b':') {
                return None;
            }
            num(17, 2)?
        } else {
            0
        };
        let year = i32::try_from(num(0, 4)?).ok()?;
        Time::from_parts(
            year,
            num(5, 2)?,
            num(8, 2)?,
            num(11, 2)?,
            num(14, 2)?,
            second,
        )
    }

    /// Builds a time from calendar parts; `None` for an impossible date or clock.
    pub fn from_parts(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<Time> {
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        let clock = i64::from(hour * 3600 + minute * 60 + second);
        Some(Time(Self::days_of(date) * DAY + clock))
    }

    /// Seconds since `1970-01-01T00:00:00`.
    pub fn seconds(self) -> i64 {
        self.0
    }

    /// The time `seconds` after the epoch.
    pub fn from_seconds(seconds: i64) -> Time {
        Time(seconds)
    }

    /// This time plus `days` whole days (24 hours each).
    pub fn plus_days(self, days: i64) -> Time {
        self.plus_seconds(days_in_seconds(days))
    }

    /// This time plus `seconds`.
    pub fn plus_seconds(self, seconds: i64) -> Time {
        Time(self.0.saturating_add(seconds))
    }

    /// `self − n months` in calendar arithmetic, the day clamped to the month's end.
    pub fn minus_months(self, n: u32) -> Option<Time> {
        let date = self.date()?.checked_sub_months(Months::new(n))?;
        Some(Time(Self::days_of(date) * DAY + self.0.rem_euclid(DAY)))
    }

    /// The natural month this time falls in.
    pub fn month(self) -> MonthKey {
        // Hot in a replay (every order and shop rating), so plain arithmetic:
        // the civil-from-days algorithm of H. Hinnant, for every date chrono can
        // represent (checked against chrono in the tests); 0 outside them, as before.
        let days = self.0.div_euclid(DAY);
        let first = i64::from(NaiveDate::MIN.num_days_from_ce()) - EPOCH_DAYS_FROM_CE;
        let last = i64::from(NaiveDate::MAX.num_days_from_ce()) - EPOCH_DAYS_FROM_CE;
        if days < first || days > last {
            return 0;
        }
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let (year, month0) = if mp < 10 {
            (yoe + era * 400, mp + 2)
        } else {
            (yoe + era * 400 + 1, mp - 10)
        };
        (year * 12 + month0) as MonthKey
    }

    /// The calendar date, if it is within chrono's range.
    pub fn date(self) -> Option<NaiveDate> {
        let days = self.0.div_euclid(DAY) + EPOCH_DAYS_FROM_CE;
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)
    }

    fn days_of(date: NaiveDate) -> i64 {
        i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
    }
}

/// The first second of natural month `key` (`year * 12 + month0`), by the
/// days-from-civil algorithm of H. Hinnant (the inverse of [`Time::month`]).
fn month_start(key: MonthKey) -> i64 {
    let (year, month0) = (i64::from(key).div_euclid(12), i64::from(key).rem_euclid(12));
    // March-based year, so that February's leap day comes last.
    let (y, mp) = if month0 >= 2 {
        (year, month0 - 2)
    } else {
        (year - 1, month0 + 10)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * DAY
}

/// [`Time::month`] that remembers the last two months it found: a replay asks
/// about times close together, so most answers take two comparisons. Two,
/// because it asks about two streams of times that cross a month's end at
/// different moments (orders' creation, and the trade success of the orders
/// whose shop ratings arrive): with one, the big shop's half-year swapped it
/// back and forth 219,000 times, a calendar computation each; with two, 7.
#[derive(Clone, Copy, Debug, Default)]
pub struct MonthCache {
    spans: [MonthSpan; 2],
    /// The span the next month found replaces: the older one.
    next: usize,
}

/// A remembered month, `[start, end)` in seconds (empty at first).
#[derive(Clone, Copy, Debug, Default)]
struct MonthSpan {
    start: i64,
    end: i64,
    key: MonthKey,
}

impl MonthCache {
    /// The natural month `t` falls in; the same as `t.month()`.
    #[inline]
    pub fn month(&mut self, t: Time) -> MonthKey {
        let s = t.seconds();
        for span in &self.spans {
            if s >= span.start && s < span.end {
                return span.key;
            }
        }
        self.find(t)
    }

    /// A month other than the remembered ones.
    #[cold]
    #[inline(never)]
    fn find(&mut self, t: Time) -> MonthKey {
        let s = t.seconds();
        let key = t.month();
        let (start, end) = (month_start(key), month_start(key.saturating_add(1)));
        // Times outside the calendar's range are answered but not remembered.
        if s >= start && s < end {
            if let Some(span) = self.spans.get_mut(self.next) {
                *span = MonthSpan { start, end, key };
            }
            self.next = 1 - self.next.min(1);
        }
        key
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(DAY);
        let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        match self.date() {
            Some(d) => write!(
                f,
                "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}",
                d.year(),
                d.month(),
                d.day()
            ),
            None => write!(f, "@{}", self.0),
        }
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_agrees_with_the_calendar() {
        let month_of = |t: Time| t.date().map_or(0, |d| d.year() * 12 + d.month0() as i32);
        let start = Time::from_parts(-3000, 1, 1, 0, 0, 0).map_or(0, Time::seconds);
        let end = Time::from_parts(9999, 12, 31, 23, 59, 59).map_or(0, Time::seconds);
        let mut t = start;
        while t <= end {
            let time = Time(t);
            assert_eq!(time.month(), month_of(time), "{time}");
            assert_eq!(Time(t + DAY - 1).month(), month_of(Time(t + DAY - 1)));
            t += DAY * 3 + 17;
        }
        let first = i64::from(NaiveDate::MIN.num_days_from_ce()) - EPOCH_DAYS_FROM_CE;
        let last = i64::from(NaiveDate::MAX.num_days_from_ce()) - EPOCH_DAYS_FROM_CE;
        for day in [first - 1, first, first + 1, last - 1, last, last + 1] {
            let time = Time(day * DAY + 5);
            assert_eq!(time.month(), month_of(time), "day {day}");
        }
        assert_eq!(Time(i64::MAX).month(), 0);
        assert_eq!(Time(i64::MIN).month(), 0);
    }

    #[test]
    fn the_month_cache_answers_as_the_calendar_does() {
        let mut cache = MonthCache::default();
        // Month edges (the last second of one month, the first of the next), leap
        // Februaries, times far apart and back again, and times out of range.
        let mut times = Vec::new();
        for year in [-401, -1, 0, 1, 1900, 1970, 2000, 2024, 2026, 2100, 9999] {
            for month in 1..=12 {
                if let Some(t) = Time::from_parts(year, month, 1, 0, 0, 0) {
                    times.extend([t.seconds() - 1, t.seconds(), t.seconds() + DAY * 28 + 5]);
                }
            }
        }
        times.extend([i64::MIN, i64::MAX, 0, -1]);
        let mut rng = 0x2026_u64;
        for _ in 0..20_000 {
            rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            times.push(1_700_000_000 + (rng >> 40) as i64 % (400 * DAY));
        }
        for (k, &s) in times.iter().enumerate() {
            let t = Time(s);
            assert_eq!(cache.month(t), t.month(), "{k}: {s}");
            assert_eq!(cache.month(t), t.month(), "{k}: {s}, again");
        }
    }

    #[test]
    fn parses_both_forms_and_rejects_nonsense() {
        assert_eq!(
            Time::parse("2026-03-01T10:00"),
            Time::parse("2026-03-01T10:00:00")
        );
        for bad in [
            "",
            "2026-02-30T10:00",
            "2026-13-01T10:00",
            "2026-03-01 10:00",
            "2026-03-01T24:00",
            "2026-03-01T10:60",
            "2026-03-01T10:00:60",
            "2026-03-01T10:00Z",
            "２０２６-03-01T10:00",
            "2026-03-01T1０:00",
        ] {
            assert_eq!(Time::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_and_month_arithmetic() {
        let t = Time::parse("2026-03-04T12:00").unwrap();
        assert_eq!(t.plus_days(15).to_string(), "2026-03-19T12:00:00");
        assert_eq!(
            t.minus_months(6).unwrap().to_string(),
            "2025-09-04T12:00:00"
        );
        let leap = Time::parse("2024-08-31T00:00").unwrap();
        assert_eq!(
            leap.minus_months(6).unwrap().to_string(),
            "2024-02-29T00:00:00"
        );
        assert_eq!(t.month(), 2026 * 12 + 2);
        let before_epoch = Time::parse("1969-12-31T23:59:59").unwrap();
        assert_eq!(before_epoch.seconds(), -1);
        assert_eq!(before_epoch.to_string(), "1969-12-31T23:59:59");
    }

    #[test]
    fn adding_days_saturates_as_a_saturating_product_would() {
        let t = Time::parse("2026-03-04T12:00").unwrap();
        let limit = i64::MAX / DAY;
        for days in [
            0,
            1,
            -1,
            181,
            limit - 1,
            limit,
            limit + 1,
            -limit,
            -limit - 1,
            i64::MAX,
            i64::MIN,
        ] {
            let expected = t.seconds().saturating_add(days.saturating_mul(DAY));
            assert_eq!(t.plus_days(days).seconds(), expected, "{days} days");
        }
    }
}
