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

#[derive(Clone, Debug)]
enum Name {
    Text(Box<str>),
    Synthetic { range: u32, n: u32 },
}

#[derive(Clone, Debug)]
struct Range {
    prefix: Box<str>,
    first: u32,
    count: u32,
}

/// The table of names.
#[derive(Clone, Debug, Default)]
pub struct Symbols {
    names: Vec<Name>,
    index: FxHashMap<Box<str>, Sym>,
    ranges: Vec<Range>,
}

impl Symbols {
    /// The symbol for `name`, made if new.
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(sym) = self.lookup(name) {
            return sym;
        }
        let sym = Sym(self.names.len() as u32);
        self.names.push(Name::Text(name.into()));
        self.index.insert(name.into(), sym);
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
        let range = self.ranges.len() as u32;
        let first = self.names.len() as u32;
        self.ranges.push(Range {
            prefix: prefix.into(),
            first,
            count,
        });
        self.names
            .extend((0..count).map(|n| Name::Synthetic { range, n }));
        Sym(first)
    }

    /// The name of `sym` (empty for a symbol from another table).
    pub fn name(&self, sym: Sym) -> Cow<'_, str> {
        match self.names.get(sym.index()) {
            Some(Name::Text(text)) => Cow::Borrowed(text),
            Some(Name::Synthetic { range, n }) => match self.ranges.get(*range as usize) {
                Some(r) => Cow::Owned(format!("{}{n}", r.prefix)),
                None => Cow::Borrowed(""),
            },
            None => Cow::Borrowed(""),
        }
    }

    /// How many symbols exist.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
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
    }
}
