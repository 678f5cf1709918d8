//! Finding rubric phrases inside running Chinese text.
//!
//! A phrase may hold `*` for a short gap (`给您*不便` matches 给您带来的不便);
//! each part must follow the previous one within [`MAX_GAP`] characters of the
//! same sentence. A hit is dropped when a negator stands just before it in the
//! same clause (不用道歉, 没有什么好抱歉的), and, when asked for, when a
//! conditional marker stands anywhere in the same sentence (如果您非要这么想).

use super::normalize::{normalize_phrase, Normalized};

/// Longest gap, in characters, that a `*` in a phrase stands for.
pub const MAX_GAP: usize = 8;

/// A compiled phrase: its parts after normalisation, and its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    parts: Vec<Vec<char>>,
    /// The phrase as written in the rubric.
    pub source: String,
}

impl Pattern {
    /// Compile one phrase. Returns `None` when nothing is left after normalising.
    pub fn new(phrase: &str) -> Option<Pattern> {
        let parts: Vec<Vec<char>> = phrase
            .split('*')
            .map(normalize_phrase)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(Pattern {
                parts,
                source: phrase.to_string(),
            })
        }
    }

    /// All places where the pattern occurs, as `(start, end)` over normalised characters.
    pub fn occurrences(&self, text: &Normalized) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let Some(first) = self.parts.first() else {
            return found;
        };
        for start in positions(&text.chars, first, 0, text.len()) {
            let mut end = start + first.len();
            let mut ok = true;
            for part in self.parts.iter().skip(1) {
                let limit = (end + MAX_GAP + part.len()).min(text.len());
                match positions(&text.chars, part, end, limit).into_iter().next() {
                    Some(p) if same_sentence(text, start, p) => end = p + part.len(),
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                found.push((start, end));
            }
        }
        found
    }
}

fn same_sentence(text: &Normalized, a: usize, b: usize) -> bool {
    text.sentences.get(a) == text.sentences.get(b)
}

/// Start positions of `needle` in `hay[from..to]`.
fn positions(hay: &[char], needle: &[char], from: usize, to: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() || to > hay.len() || from >= to || to - from < needle.len() {
        return out;
    }
    let Some(window) = hay.get(from..to) else {
        return out;
    };
    let Some((&head, tail)) = needle.split_first() else {
        return out;
    };
    let last = window.len() - needle.len();
    for (i, &c) in window.iter().enumerate().take(last + 1) {
        if c != head {
            continue;
        }
        let rest = window.get(i + 1..i + needle.len());
        if rest.is_some_and(|r| r.iter().zip(tail).all(|(a, b)| a == b)) {
            out.push(from + i);
        }
    }
    out
}

/// Compile a list of phrases, skipping those that normalise to nothing.
pub fn compile(phrases: &[String]) -> Vec<Pattern> {
    phrases.iter().filter_map(|p| Pattern::new(p)).collect()
}

/// Words that cancel a match just before it, and words that make a whole sentence conditional.
#[derive(Debug, Clone, Default)]
pub struct Guards {
    /// Negators (不用, 没有, 无需, …), checked in the same clause just before a hit.
    pub negators: Vec<Pattern>,
    /// Conditional or grudging markers (如果您非要, …), checked in the whole sentence.
    pub conditionals: Vec<Pattern>,
    /// How many characters may stand between a negator and the hit.
    pub window: usize,
}

/// Which guards apply to one search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuardUse {
    /// Drop hits with a negator just before them.
    pub negation: bool,
    /// Drop hits in a sentence with a conditional marker.
    pub conditional: bool,
}

/// A phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// First normalised character of the hit.
    pub start: usize,
    /// One past the last normalised character of the hit.
    pub end: usize,
    /// Index of the pattern that matched.
    pub pattern: usize,
}

impl Guards {
    fn negated(&self, text: &Normalized, start: usize) -> bool {
        let clause = text.clauses.get(start);
        self.negators.iter().any(|neg| {
            let Some(first) = neg.parts.first() else {
                return false;
            };
            if neg.parts.len() != 1 {
                return neg.occurrences(text).into_iter().any(|(a, b)| {
                    b <= start && start - b <= self.window && text.clauses.get(a) == clause
                });
            }
            (0..=self.window).any(|gap| {
                let Some(end) = start.checked_sub(gap) else {
                    return false;
                };
                let Some(begin) = end.checked_sub(first.len()) else {
                    return false;
                };
                text.chars.get(begin..end) == Some(first.as_slice())
                    && text.clauses.get(begin) == clause
            })
        })
    }

    fn conditional(&self, text: &Normalized, start: usize) -> bool {
        let Some(&sentence) = text.sentences.get(start) else {
            return false;
        };
        let from = text.sentences.partition_point(|&s| s < sentence);
        let to = text.sentences.partition_point(|&s| s <= sentence);
        self.conditionals.iter().any(|c| match c.parts.as_slice() {
            [single] => !positions(&text.chars, single, from, to).is_empty(),
            _ => c
                .occurrences(text)
                .into_iter()
                .any(|(a, _)| text.sentences.get(a) == Some(&sentence)),
        })
    }

    /// The earliest hit of any pattern that survives the guards asked for.
    pub fn find(&self, text: &Normalized, patterns: &[Pattern], using: GuardUse) -> Option<Hit> {
        self.find_from(text, patterns, using, 0)
    }

    /// Whether a negator stands just before position `start` in the same clause.
    pub fn is_negated(&self, text: &Normalized, start: usize) -> bool {
        self.negated(text, start)
    }

    /// The earliest surviving hit that starts at or after `from`.
    pub fn find_from(
        &self,
        text: &Normalized,
        patterns: &[Pattern],
        using: GuardUse,
        from: usize,
    ) -> Option<Hit> {
        let mut best: Option<Hit> = None;
        for (pi, pattern) in patterns.iter().enumerate() {
            for (start, end) in pattern.occurrences(text) {
                if start < from {
                    continue;
                }
                if best.as_ref().is_some_and(|b| b.start <= start) {
                    break;
                }
                if using.negation && self.negated(text, start) {
                    continue;
                }
                if using.conditional && self.conditional(text, start) {
                    continue;
                }
                best = Some(Hit {
                    start,
                    end,
                    pattern: pi,
                });
                break;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize;

    fn guards() -> Guards {
        Guards {
            negators: compile(&["不用".into(), "没有".into(), "无需".into()]),
            conditionals: compile(&["如果您非要".into()]),
            window: 3,
        }
    }

    const BOTH: GuardUse = GuardUse {
        negation: true,
        conditional: true,
    };

    #[test]
    fn finds_inside_running_text() {
        let p = compile(&["抱歉".into()]);
        let n = normalize("非常抱歉给您带来不便");
        let hit = guards().find(&n, &p, BOTH);
        assert_eq!(hit.map(|h| h.start), Some(2));
    }

    #[test]
    fn negation_and_conditionals() {
        let p = compile(&["道歉".into(), "抱歉".into()]);
        for text in [
            "这事不用道歉",
            "我们没有什么好抱歉的",
            "如果您非要这么想，那我道歉",
        ] {
            assert!(
                guards().find(&normalize(text), &p, BOTH).is_none(),
                "{text}"
            );
        }
        assert!(guards()
            .find(&normalize("不用担心，真的很抱歉"), &p, BOTH)
            .is_some());
    }

    #[test]
    fn gaps_and_traditional() {
        let p = compile(&["给您*不便".into()]);
        let text = "給您帶來的不便，請見諒";
        let n = normalize(text);
        let hit = guards().find(&n, &p, BOTH);
        assert!(hit.is_some());
        if let Some(h) = hit {
            assert_eq!(n.original(text, h.start, h.end), "給您帶來的不便");
        }
    }
}
