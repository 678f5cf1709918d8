//! # Spot-check quizzes (效果测评)
//!
//! The lesson closes with a spot check: the teacher draws five groups and checks
//! them on the methods and techniques of review management; five groups passing
//! is 优秀, four 良好, three 合格 ([`verdict`]). This module holds everything a
//! teacher's screen and a group's device need, with no server:
//!
//! - [`bank`]: the question bank as data (`data/quiz/bank.json`), checked with
//!   Chinese errors that name the field;
//! - [`generate`]: computed questions — a seeded history replayed by the credit
//!   engine, the answer read from the engine's report;
//! - [`draw`]: the seeded draw of five groups and one quiz per group with the
//!   same mix of question types and difficulties;
//! - [`grade`]: grading every question type (the dialogue grader for a dialogue
//!   step, a keyword rubric for the homework) and the class verdict;
//! - [`code`]: short group and result codes with a checksum;
//! - [`csv`]: the class results as CSV for Excel and WPS.
//!
//! ```
//! use review_lab::quiz::{draw, Bank, Settings, Setup};
//! let bank = Bank::built_in()?;
//! let groups: Vec<String> = (1..=8).map(|i| format!("第{i}组")).collect();
//! let setup = Setup::new(&bank, 0x2A2A, Settings { topics: vec![], count: 6, pass_mark: 4 })?;
//! let picks = draw::draw_groups(&groups, setup.seed)?;
//! assert_eq!(picks.len(), 5);
//! let quiz = draw::make_quiz(&bank, &setup, 0)?;
//! assert_eq!(quiz.items.len(), 6);
//! # Ok::<(), review_lab::quiz::QuizError>(())
//! ```

pub mod bank;
pub mod code;
pub mod csv;
pub mod draw;
mod error;
pub mod generate;
pub mod grade;

pub use bank::{Bank, Question, Topic};
pub use code::{GroupCode, ResultCode};
pub use draw::{Quiz, QuizItem, Settings, Setup};
pub use error::QuizError;
pub use grade::{verdict, ClassReport, GroupOutcome, ItemResult, QuizResult, Verdict};

/// How many groups the lesson's spot check draws.
pub const GROUPS_DRAWN: usize = 5;
