//! JavaScript surface of the spot-check quizzes.
