//! The five-step negative-review dialogue (work in progress).
