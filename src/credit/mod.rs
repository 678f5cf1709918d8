//! The credit and shop-rating rules engine (work in progress).
