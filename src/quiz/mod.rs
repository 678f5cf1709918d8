//! Teacher spot-check quizzes (work in progress).
