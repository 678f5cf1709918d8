//! The transcript handed to the grader: turns, an optional record, an optional rubric.

use serde::{Deserialize, Serialize};

use super::error::{check_text, DialogueError, MAX_TURNS};
use super::record::CaseRecord;

/// Who wrote a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    /// The student, as the shop's service agent.
    Agent,
    /// The buyer.
    Buyer,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    /// Who wrote it.
    pub from: Speaker,
    /// What was written (plain text; HTML is never interpreted).
    pub text: String,
}

impl Turn {
    /// A turn by the agent.
    pub fn agent(text: impl Into<String>) -> Turn {
        Turn {
            from: Speaker::Agent,
            text: text.into(),
        }
    }

    /// A turn by the buyer.
    pub fn buyer(text: impl Into<String>) -> Turn {
        Turn {
            from: Speaker::Buyer,
            text: text.into(),
        }
    }
}

/// A whole practice dialogue, as in the spec's JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    /// Scenario id.
    pub scenario: String,
    /// The messages, buyer turns included; indexed from 0.
    pub turns: Vec<Turn>,
    /// The case record of step ⑤ (absent: the step is not met).
    #[serde(default)]
    pub record: Option<CaseRecord>,
    /// A teacher's rubric; `null` uses the built-in one.
    #[serde(default)]
    pub rubric: Option<serde_json::Value>,
}

impl Transcript {
    /// Check sizes: at least one turn, not too many, no empty or huge message.
    pub fn check(&self) -> Result<(), DialogueError> {
        if self.turns.is_empty() {
            return Err(DialogueError::EmptyTranscript);
        }
        if self.turns.len() > MAX_TURNS {
            return Err(DialogueError::TooManyTurns {
                count: self.turns.len(),
                limit: MAX_TURNS,
            });
        }
        for (i, t) in self.turns.iter().enumerate() {
            check_text(&t.text, Some(i))?;
        }
        Ok(())
    }
}
