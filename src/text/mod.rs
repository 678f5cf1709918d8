//! Chinese-aware text normalisation and matching.
//!
//! Chinese has no spaces between words, so a rubric keyword must be found inside
//! running text. Before matching, both the text and the keyword are normalised
//! ([`normalize`]): traditional → simplified ([`to_simplified`]), full-width →
//! half-width, lower case, spaces and punctuation removed. [`Guards`] drop hits
//! that are negated (不用道歉) or made conditional (如果您非要这么想).
//!
//! ```
//! use review_lab::text::{compile, normalize, GuardUse, Guards};
//! let patterns = compile(&["抱歉".to_string()]);
//! let text = normalize("真的非常抱歉，給您添麻煩了");
//! let hit = Guards::default().find(&text, &patterns, GuardUse { negation: true, conditional: true });
//! assert!(hit.is_some());
//! ```

mod matcher;
mod normalize;
mod t2s;

pub use matcher::{compile, GuardUse, Guards, Hit, Pattern, MAX_GAP};
pub use normalize::{fold_char, normalize, normalize_phrase, Normalized};
pub use t2s::{table_len, to_simplified, to_simplified_char};
