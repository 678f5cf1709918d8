//! Normalising Chinese text before matching.
//!
//! Every character goes through: full-width → half-width, traditional →
//! simplified, lower case. Letters, digits, CJK characters and `¥` are kept;
//! spaces, punctuation, emoji and symbols are removed. Punctuation still marks
//! where clauses and sentences end, which negation and conditional checks use.
//! Each kept character remembers its byte range in the original text, so a match
//! can be shown in the words the student actually wrote.

use super::t2s::to_simplified_char;

/// Text after normalisation, with a map back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The kept characters, normalised.
    pub chars: Vec<char>,
    /// For each kept character, its byte range `(start, end)` in the original text.
    pub spans: Vec<(usize, usize)>,
    /// For each kept character, the index of its clause (commas and the like end a clause).
    pub clauses: Vec<u32>,
    /// For each kept character, the index of its sentence (。！？ and line breaks end one).
    pub sentences: Vec<u32>,
}

impl Normalized {
    /// Number of kept characters.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Whether nothing was kept (empty text, or only punctuation and emoji).
    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The normalised text as a `String`.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }

    /// The original words behind the kept characters `start..end`.
    pub fn original<'a>(&self, original: &'a str, start: usize, end: usize) -> &'a str {
        let from = self.spans.get(start).map(|s| s.0);
        let to = end
            .checked_sub(1)
            .and_then(|last| self.spans.get(last))
            .map(|s| s.1);
        match (from, to) {
            (Some(a), Some(b)) if a <= b => original.get(a..b).unwrap_or(""),
            _ => "",
        }
    }
}

/// One character folded: full-width → half-width, traditional → simplified, lower case.
pub fn fold_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        0xFFE5 => '¥',
        _ => c,
    };
    let c = to_simplified_char(c);
    if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else if c.is_uppercase() {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// What a removed character means for clause and sentence boundaries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Break {
    None,
    Clause,
    Sentence,
}

fn break_of(c: char) -> Break {
    match c {
        '。' | '.' | '!' | '?' | '！' | '？' | '\n' | '\r' | ';' | '；' | '…' => {
            Break::Sentence
        }
        ',' | '，' | '、' | ':' | '：' | '(' | ')' | '（' | '）' | '[' | ']' | '【' | '】'
        | '"' | '“' | '”' | '‘' | '’' | '\'' | '《' | '》' | '<' | '>' | '~' | '～' | '—' | '-'
        | '/' | '|' | '「' | '」' | '『' | '』' => Break::Clause,
        _ => Break::None,
    }
}

fn keep(c: char) -> bool {
    c.is_alphanumeric() || c == '¥'
}

/// Normalise a text for matching.
///
/// ```
/// use review_lab::text::normalize;
/// let n = normalize("非常抱歉，給您帶來不便！");
/// assert_eq!(n.as_string(), "非常抱歉给您带来不便");
/// assert_eq!(normalize("ＡＢＣ １２３").as_string(), "abc123");
/// ```
pub fn normalize(text: &str) -> Normalized {
    let mut out = Normalized::default();
    let mut clause: u32 = 0;
    let mut sentence: u32 = 0;
    for (i, raw) in text.char_indices() {
        let end = i + raw.len_utf8();
        let c = fold_char(raw);
        if keep(c) {
            out.chars.push(c);
            out.spans.push((i, end));
            out.clauses.push(clause);
            out.sentences.push(sentence);
        } else {
            match break_of(c) {
                Break::None => {}
                Break::Clause => clause += 1,
                Break::Sentence => {
                    clause += 1;
                    sentence += 1;
                }
            }
        }
    }
    out
}

/// Normalise a short phrase (a rubric keyword) to a vector of characters.
pub fn normalize_phrase(phrase: &str) -> Vec<char> {
    phrase.chars().map(fold_char).filter(|&c| keep(c)).collect()
}
