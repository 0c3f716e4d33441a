//! Record formats: how a descriptor that hands out whole records (a signal
//! reader, a watch queue) lays each one out in the reader's buffer.
//!
//! The core keeps signals and file events in its own neutral types; the
//! personality that creates such a descriptor passes its OS's format along,
//! and the descriptor keeps it for its whole life (a Linux signalfd reads as
//! `struct signalfd_siginfo` whoever reads it).

use crate::types::{SignalInfo, WatchRecord};

/// Signals as records of one fixed size (signalfd).
pub trait SignalRecordFormat: Sync {
    /// Bytes per record; a read needs room for at least one.
    fn size(&self) -> usize;
    /// Writes the record for `info` into `out`, which is `size()` bytes.
    fn encode(&self, info: &SignalInfo, out: &mut [u8]);
}

/// File events as records whose size depends on the name they carry
/// (inotify).
pub trait WatchRecordFormat: Sync {
    /// Bytes the record for `record` takes.
    fn size(&self, record: &WatchRecord<'_>) -> usize;
    /// Writes it into `out`, which is exactly `size(record)` bytes.
    fn encode(&self, record: &WatchRecord<'_>, out: &mut [u8]);
}
