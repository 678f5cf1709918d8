//! Traditional → simplified characters, from the table in `data/dialogue/t2s.txt`.
//!
//! The table is a data file (generated once from OpenCC's `TSCharacters.txt`,
//! Apache-2.0; see its header). It is parsed once, on first use, into a sorted
//! vector searched by binary search.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../../data/dialogue/t2s.txt");

fn table() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut pairs: Vec<(char, char)> = TABLE
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut chars = line.chars();
                let t = chars.next()?;
                let s = chars.next()?;
                Some((t, s))
            })
            .collect();
        pairs.sort_unstable_by_key(|&(t, _)| t);
        pairs
    })
}

/// The simplified form of one character (the character itself when it has none).
///
/// ```
/// assert_eq!(review_lab::text::to_simplified_char('評'), '评');
/// assert_eq!(review_lab::text::to_simplified_char('评'), '评');
/// ```
pub fn to_simplified_char(c: char) -> char {
    if (c as u32) < 0x3400 {
        return c;
    }
    let pairs = table();
    match pairs.binary_search_by_key(&c, |&(t, _)| t) {
        Ok(i) => pairs.get(i).map_or(c, |&(_, s)| s),
        Err(_) => c,
    }
}

/// A whole string in simplified characters.
///
/// ```
/// assert_eq!(review_lab::text::to_simplified("淘寶客服應當如何應對中差評"), "淘宝客服应当如何应对中差评");
/// ```
pub fn to_simplified(s: &str) -> String {
    s.chars().map(to_simplified_char).collect()
}

/// Number of character pairs in the table (for reports and tests).
pub fn table_len() -> usize {
    table().len()
}
