//! Timestamps as the file system stores them. The file system never reads a
//! clock: every call that changes something takes the time from the kernel.

/// A point in time: seconds and nanoseconds since the Unix epoch. Negative
/// seconds are times before the epoch; `nanos` is always below one second.
#[derive(Copy, Clone, Eq, PartialEq, Ord, PartialOrd, Hash, Debug, Default)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Timestamp {
    pub const EPOCH: Timestamp = Timestamp { secs: 0, nanos: 0 };

    /// `nanos` is reduced into its second: `new(1, 1_500_000_000)` is 2.5 s.
    pub const fn new(secs: i64, nanos: u32) -> Self {
        Timestamp { secs: secs.saturating_add((nanos / 1_000_000_000) as i64), nanos: nanos % 1_000_000_000 }
    }

    pub const fn from_secs(secs: i64) -> Self {
        Timestamp { secs, nanos: 0 }
    }
}
