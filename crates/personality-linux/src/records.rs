//! The record formats of the Linux descriptors that hand out records:
//! `struct signalfd_siginfo` for signalfd, `struct inotify_event` (with its
//! padded name) for inotify. The core keeps them with each descriptor it
//! creates for a Linux process, and lays out what a read returns with them.

use kernel_ops::{SignalInfo, SignalRecordFormat, WatchEvents, WatchRecord, WatchRecordFormat};
use linux_abi::inotify::*;
use linux_abi::signalfd::SignalfdSiginfo;

pub struct LinuxRecords;

/// The one instance handed to the core.
pub static RECORDS: LinuxRecords = LinuxRecords;

impl SignalRecordFormat for LinuxRecords {
    fn size(&self) -> usize {
        SignalfdSiginfo::SIZE
    }

    fn encode(&self, info: &SignalInfo, out: &mut [u8]) {
        let record = SignalfdSiginfo::from_siginfo(&crate::siginfo::siginfo_of(info));
        out.copy_from_slice(&record.to_bytes());
    }
}

impl WatchRecordFormat for LinuxRecords {
    fn size(&self, record: &WatchRecord<'_>) -> usize {
        InotifyEvent::record_size(record.name.map(<[u8]>::len))
    }

    fn encode(&self, record: &WatchRecord<'_>, out: &mut [u8]) {
        InotifyEvent::encode(record.watch, linux_mask(record.events), record.cookie, record.name, out);
    }
}

/// Linux's inotify bits and the core's events, one for one.
const EVENT_BITS: [(u32, WatchEvents); 16] = [
    (IN_ACCESS, WatchEvents::ACCESSED),
    (IN_MODIFY, WatchEvents::MODIFIED),
    (IN_ATTRIB, WatchEvents::ATTRIBUTES),
    (IN_CLOSE_WRITE, WatchEvents::CLOSED_WRITABLE),
    (IN_CLOSE_NOWRITE, WatchEvents::CLOSED_READ_ONLY),
    (IN_OPEN, WatchEvents::OPENED),
    (IN_MOVED_FROM, WatchEvents::MOVED_FROM),
    (IN_MOVED_TO, WatchEvents::MOVED_TO),
    (IN_CREATE, WatchEvents::CREATED),
    (IN_DELETE, WatchEvents::DELETED),
    (IN_DELETE_SELF, WatchEvents::DELETED_SELF),
    (IN_MOVE_SELF, WatchEvents::MOVED_SELF),
    (IN_UNMOUNT, WatchEvents::UNMOUNTED),
    (IN_Q_OVERFLOW, WatchEvents::OVERFLOW),
    (IN_IGNORED, WatchEvents::IGNORED),
    (IN_ISDIR, WatchEvents::IS_DIR),
];

/// The core's events for the event bits of an inotify mask (other bits
/// are dropped).
pub fn watch_events(mask: u32) -> WatchEvents {
    EVENT_BITS.iter().filter(|(bit, _)| mask & bit != 0).fold(WatchEvents::default(), |acc, (_, e)| acc | *e)
}

/// The inotify mask for the core's events.
pub fn linux_mask(events: WatchEvents) -> u32 {
    EVENT_BITS.iter().filter(|(_, e)| events.contains(*e)).fold(0, |acc, (bit, _)| acc | bit)
}
