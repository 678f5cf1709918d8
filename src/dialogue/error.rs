//! Errors of the dialogue trainer: a stable code for programs, a Chinese message for people.

use std::fmt;

/// Something the dialogue trainer could not accept. Nothing panics: every bad input ends here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogueError {
    /// The input is not valid JSON or does not have the expected shape.
    InvalidJson {
        /// What the parser said (names the field when it can).
        detail: String,
    },
    /// The whole input is larger than the limit.
    InputTooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// Largest accepted size in bytes.
        limit: usize,
    },
    /// The transcript has no turns.
    EmptyTranscript,
    /// The transcript has more turns than the limit.
    TooManyTurns {
        /// Number of turns given.
        count: usize,
        /// Largest accepted number of turns.
        limit: usize,
    },
    /// A message is empty (or holds only spaces).
    EmptyText {
        /// Index of the turn, from 0 (`None` for a message typed to the buyer).
        turn: Option<usize>,
    },
    /// A message is longer than the limit.
    TextTooLong {
        /// Index of the turn, from 0 (`None` for a message typed to the buyer).
        turn: Option<usize>,
        /// Characters in the message.
        chars: usize,
        /// Largest accepted number of characters.
        limit: usize,
    },
    /// No scenario has this id.
    UnknownScenario {
        /// The id asked for.
        id: String,
    },
    /// A teacher's rubric is not valid.
    InvalidRubric {
        /// Path of the faulty field, e.g. `steps[2].id`.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A case record or case log entry is not valid.
    InvalidRecord {
        /// Path of the faulty field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The simulated buyer has already ended the conversation.
    DialogueOver,
}

impl DialogueError {
    /// A stable code (snake case) that programs can test.
    pub fn code(&self) -> &'static str {
        match self {
            DialogueError::InvalidJson { .. } => "invalid_json",
            DialogueError::InputTooLarge { .. } => "input_too_large",
            DialogueError::EmptyTranscript => "empty_transcript",
            DialogueError::TooManyTurns { .. } => "too_many_turns",
            DialogueError::EmptyText { .. } => "empty_text",
            DialogueError::TextTooLong { .. } => "text_too_long",
            DialogueError::UnknownScenario { .. } => "unknown_scenario",
            DialogueError::InvalidRubric { .. } => "invalid_rubric",
            DialogueError::InvalidRecord { .. } => "invalid_record",
            DialogueError::DialogueOver => "dialogue_over",
        }
    }

    /// The faulty field, when the error is about one.
    pub fn field(&self) -> Option<&str> {
        match self {
            DialogueError::InvalidRubric { field, .. }
            | DialogueError::InvalidRecord { field, .. } => Some(field),
            _ => None,
        }
    }
}

fn turn_label(turn: &Option<usize>) -> String {
    match turn {
        Some(t) => format!("第 {t} 条消息"),
        None => "这条消息".to_string(),
    }
}

impl fmt::Display for DialogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DialogueError::InvalidJson { detail } => write!(f, "输入的格式不正确：{detail}"),
            DialogueError::InputTooLarge { size, limit } => {
                write!(f, "输入太大（{size} 字节），最多 {limit} 字节")
            }
            DialogueError::EmptyTranscript => write!(f, "对话记录是空的，至少需要一条消息"),
            DialogueError::TooManyTurns { count, limit } => {
                write!(f, "对话有 {count} 条消息，最多 {limit} 条")
            }
            DialogueError::EmptyText { turn } => {
                write!(f, "{}是空的，请输入内容", turn_label(turn))
            }
            DialogueError::TextTooLong { turn, chars, limit } => write!(
                f,
                "{}太长（{chars} 个字符），每条最多 {limit} 个字符",
                turn_label(turn)
            ),
            DialogueError::UnknownScenario { id } => write!(f, "找不到情景「{id}」"),
            DialogueError::InvalidRubric { field, reason } => {
                write!(f, "评分标准有误（字段 {field}）：{reason}")
            }
            DialogueError::InvalidRecord { field, reason } => {
                write!(f, "记录有误（字段 {field}）：{reason}")
            }
            DialogueError::DialogueOver => write!(f, "这段对话已经结束，请重新开始"),
        }
    }
}

impl std::error::Error for DialogueError {}

/// A serde_json error in Chinese, naming the field or value when serde does.
pub fn json_detail(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let quoted = text.split('`').nth(1).unwrap_or("");
    let at = format!("（第 {} 行第 {} 列）", e.line(), e.column());
    if text.starts_with("missing field") {
        format!("缺少字段 {quoted}{at}")
    } else if text.starts_with("unknown field") {
        format!("没有字段 {quoted}，请检查拼写{at}")
    } else if text.starts_with("unknown variant") {
        format!("取值「{quoted}」不在允许的范围内{at}")
    } else if text.starts_with("invalid type") {
        format!("某个值的类型不对{at}")
    } else if text.starts_with("EOF") {
        "内容不完整，JSON 提前结束了".to_string()
    } else {
        format!("不是有效的 JSON{at}")
    }
}

/// Largest accepted JSON input, in bytes.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;
/// Largest accepted message, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Largest accepted number of turns in a transcript.
pub const MAX_TURNS: usize = 200;

/// Check one message: not empty, not too long.
pub fn check_text(text: &str, turn: Option<usize>) -> Result<(), DialogueError> {
    if text.trim().is_empty() {
        return Err(DialogueError::EmptyText { turn });
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(DialogueError::TextTooLong {
            turn,
            chars,
            limit: MAX_TEXT_CHARS,
        });
    }
    Ok(())
}

/// Check the size of a JSON input before parsing it.
pub fn check_input(json: &str) -> Result<(), DialogueError> {
    if json.len() > MAX_INPUT_BYTES {
        return Err(DialogueError::InputTooLarge {
            size: json.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}
