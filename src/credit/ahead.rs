//! Asking for memory before it is read.
//!
//! Replaying a big shop is bound by memory latency: its orders, pairs and
//! accounts do not fit in the cache, and every event reads a few of them at
//! random. The passes ask for the lines that the events a stage or more ahead
//! will read, so that many misses are under way at once and few are waited for.

use prefetch_index::prefetch_index;

/// Asks for the line holding `data[index]`, which will be read soon.
///
/// Where the processor has a prefetch instruction (x86, ARM) this is one: a
/// hint that never faults, is never waited for and returns 0 (`read` is not
/// called). Elsewhere (wasm32) it is the read itself, `read(&data[index])`: a
/// stage's reads are independent of one another, so their misses still
/// overlap. The caller keeps the sum of what it returns alive
/// ([`std::hint::black_box`]) so that the reads are not optimized away.
///
/// Either way it only decides when memory arrives, never what a pass does.
#[inline(always)]
pub(super) fn ahead<T>(data: &[T], index: usize, read: impl FnOnce(&T) -> u64) -> u64 {
    if cfg!(any(
        target_arch = "x86_64",
        target_arch = "x86",
        target_arch = "aarch64"
    )) {
        prefetch_index(data, index);
        0
    } else {
        data.get(index).map_or(0, read)
    }
}

#[cfg(test)]
mod tests {
    use super::ahead;

    #[test]
    fn asking_ahead_reads_nothing_it_should_not() {
        let data = [10u64, 20, 30];
        // Out of range is only a hint that lands nowhere, or no read at all.
        assert_eq!(ahead(&data, 7, |&x| x), 0);
        assert_eq!(ahead(&data, usize::MAX, |&x| x), 0);
        let prefetches = cfg!(any(
            target_arch = "x86_64",
            target_arch = "x86",
            target_arch = "aarch64"
        ));
        assert_eq!(ahead(&data, 1, |&x| x), if prefetches { 0 } else { 20 });
    }
}
