//! Interned names: every id in a log becomes a dense [`Sym`].
//!
//! Generated logs reserve *synthetic* ranges (`o0`, `o1`, …) whose names are
//! written only when asked for, so a half-year of a big shop costs no string
//! allocation per order.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

/// An interned name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

impl Sym {
    /// The position in the table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A run of consecutive symbols, from `first` to the next run's first.
#[derive(Clone, Copy, Debug)]
struct Run {
    first: usize,
    kind: RunKind,
}

#[derive(Clone, Copy, Debug)]
enum RunKind {
    /// Interned texts: the run's first symbol's text is `texts[start]`.
    Text { start: usize },
    /// A synthetic range (`ranges[range]`).
    Synthetic { range: usize },
}

#[derive(Clone, Debug)]
struct Range {
    prefix: Box<str>,
    first: u32,
    count: u32,
}

/// The table of names. A synthetic range is one entry however many names it
/// holds (the big shop's 2.4 million cost nothing each).
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    /// The interned texts, in symbol order.
    texts: Vec<Box<str>>,
    /// The runs of text and synthetic symbols, in symbol order.
    runs: Vec<Run>,
    index: FxHashMap<Box<str>, Sym>,
    ranges: Vec<Range>,
    /// Symbols made so far.
    len: usize,
}

impl Symbols {
    /// The symbol for `name`, made if new.
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(sym) = self.lookup(name) {
            return sym;
        }
        let sym = Sym(self.len as u32);
        if !matches!(
            self.runs.last(),
            Some(Run {
                kind: RunKind::Text { .. },
                ..
            })
        ) {
            self.runs.push(Run {
                first: self.len,
                kind: RunKind::Text {
                    start: self.texts.len(),
                },
            });
        }
        self.texts.push(name.into());
        self.index.insert(name.into(), sym);
        self.len += 1;
        sym
    }

    /// The symbol for `name`, if it exists.
    pub fn lookup(&self, name: &str) -> Option<Sym> {
        if let Some(sym) = self.index.get(name) {
            return Some(*sym);
        }
        self.ranges.iter().find_map(|r| {
            let digits = name.strip_prefix(&*r.prefix)?;
            let canonical = !digits.is_empty() && (digits == "0" || !digits.starts_with('0'));
            let n: u32 = digits.parse().ok().filter(|_| canonical)?;
            (n < r.count).then(|| Sym(r.first + n))
        })
    }

    /// Reserves `count` names `prefix0 … prefix{count−1}`; returns the first symbol.
    pub fn synthetic(&mut self, prefix: &str, count: u32) -> Sym {
        let first = self.len as u32;
        self.runs.push(Run {
            first: self.len,
            kind: RunKind::Synthetic {
                range: self.ranges.len(),
            },
        });
        self.ranges.push(Range {
            prefix: prefix.into(),
            first,
            count,
        });
        self.len += count as usize;
        Sym(first)
    }

    /// The name of `sym` (empty for a symbol from another table).
    pub fn name(&self, sym: Sym) -> Cow<'_, str> {
        let at = sym.index();
        if at >= self.len {
            return Cow::Borrowed("");
        }
        // The last run that starts at or before `sym` holds it.
        let run = self.runs.partition_point(|r| r.first <= at);
        let Some(run) = run.checked_sub(1).and_then(|k| self.runs.get(k)) else {
            return Cow::Borrowed("");
        };
        let offset = at - run.first;
        match run.kind {
            RunKind::Text { start } => self
                .texts
                .get(start + offset)
                .map_or(Cow::Borrowed(""), |t| Cow::Borrowed(&**t)),
            RunKind::Synthetic { range } => self.ranges.get(range).map_or(Cow::Borrowed(""), |r| {
                Cow::Owned(format!("{}{offset}", r.prefix))
            }),
        }
    }

    /// How many symbols exist.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_synthetic_names_round_trip() {
        let mut s = Symbols::default();
        let a = s.intern("买家甲");
        assert_eq!(s.intern("买家甲"), a);
        let first = s.synthetic("o", 3);
        assert_eq!(s.name(Sym(first.0 + 2)), "o2");
        assert_eq!(s.lookup("o2"), Some(Sym(first.0 + 2)));
        assert_eq!(s.lookup("o3"), None);
        assert_eq!(s.lookup("o02"), None);
        assert_eq!(s.intern("o1"), Sym(first.0 + 1));
        assert_eq!(s.name(a), "买家甲");
        assert_eq!(s.len(), 4);
        // Texts after a range, an empty range, and another range: each name
        // comes from its own run.
        let b = s.intern("卖家乙");
        let c = s.intern("c");
        let empty = s.synthetic("x", 0);
        let d = s.intern("d");
        let items = s.synthetic("item", 2);
        assert_eq!((b, c, empty, d), (Sym(4), Sym(5), Sym(6), Sym(6)));
        assert_eq!(s.name(b), "卖家乙");
        assert_eq!(s.name(c), "c");
        assert_eq!(s.name(d), "d");
        assert_eq!(s.name(Sym(items.0 + 1)), "item1");
        assert_eq!(s.name(Sym(first.0)), "o0");
        assert_eq!(s.len(), 9);
        assert_eq!(s.name(Sym(9)), "");
        assert_eq!(s.lookup("x0"), None);
    }
}
