//! Platform-local wall-clock times (work in progress).
