//! The five-step negative-review dialogue: scenarios, a simulated buyer, a rubric
//! and a grader that reads Chinese.
//!
//! A student, as the shop's after-sales agent, talks to an unhappy buyer and must
//! ① apologise sincerely, ② find the real cause with the buyer, ③ agree on a
//! remedy within the shop's bottom line, ④ close warmly and ask for the review to
//! be revised, ⑤ write a case record. [`grade`] checks each step against a
//! [`Rubric`] (built in, or a teacher's) and reports evidence from the transcript.
//!
//! ```
//! let json = r#"{"scenario":"loose-thread-01","turns":[{"from":"agent","text":"您好，非常抱歉"}]}"#;
//! let out = review_lab::dialogue::grade_json(json)?;
//! assert!(out.contains("\"apologize\""));
//! # Ok::<(), review_lab::dialogue::DialogueError>(())
//! ```

mod amount;
mod buyer;
mod caselog;
mod error;
mod grade;
mod record;
mod reply;
mod rubric;
mod scenario;
mod transcript;

pub use crate::rng::fnv1a;
pub use amount::{cash_offers, CashOffer};
pub use buyer::{lines_error, mood_label, BuyerSim, BuyerTurn, Event, Outcome, PATIENCE_TURNS};
pub use caselog::{Analysis, CaseLog, Count, LogEntry};
pub use error::{
    check_input, check_text, json_detail, DialogueError, MAX_INPUT_BYTES, MAX_TEXT_CHARS, MAX_TURNS,
};
pub use grade::{grade, grade_json, CriterionResult, GradeResult, StepResult, Violation};
pub use record::{CaseRecord, FIELDS as RECORD_FIELDS};
pub use reply::{
    grade_reply, grade_reply_json, PrivateDataSpec, PrivateHit, ReplyCriterion,
    ReplyCriterionResult, ReplyInput, ReplyResult, ReplyRubric, ReplyViolation, ReplyViolationRule,
};
pub use rubric::{
    Band, Bands, Check, CompiledMarkers, CompiledRubric, Criterion, Feedback, GuardSpec, Markers,
    Rubric, Step, StepId, ViolationRule, When,
};
pub use scenario::{
    bank_error, scenario, scenarios, Accepts, BottomLine, CauseGroup, Contact, Dsr, Order, Persona,
    Rating, Remedy, Review, Scenario, Truth,
};
pub use transcript::{Speaker, Transcript, Turn};
