//! Errors with a stable code for programs and a Chinese message for people.

use std::fmt;

/// Why a quiz operation was refused. `code` is stable; `message` is Chinese and
/// says what to do; `field` names the place in the input when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizError {
    /// Stable code, e.g. `too_few_groups`, `bad_checksum`, `foreign_code`.
    pub code: &'static str,
    /// The field or place at fault (`questions[3].answer`, `groups[2]`), if any.
    pub field: Option<String>,
    /// What went wrong, in Chinese.
    pub message: String,
}

impl QuizError {
    /// An error without a field.
    pub fn new(code: &'static str, message: impl Into<String>) -> QuizError {
        QuizError {
            code,
            field: None,
            message: message.into(),
        }
    }

    /// An error about one field; the message starts with the field's name.
    pub fn at(
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> QuizError {
        let field = field.into();
        let message = format!("「{field}」：{}", message.into());
        QuizError {
            code,
            field: Some(field),
            message,
        }
    }
}

impl fmt::Display for QuizError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QuizError {}
