//! Chinese-aware text normalisation and matching (work in progress).
