//! kqueue, kqueue1 and kevent (sys/kern/kern_event.c, sys/sys/event.h)
//! on the core's event sets, as FreeBSD's personality does it, with
//! NetBSD's `struct kevent` and numbers:
//!
//! ```text
//!  0  uintptr_t ident     8  uint32_t filter    12  uint32_t flags
//! 16  uint32_t fflags    20  pad                24  int64_t data
//! 32  intptr_t udata                            (40 bytes)
//! ```
//!
//! The filters are small unsigned numbers (EVFILT_READ 0, EVFILT_WRITE
//! 1), not FreeBSD's negative ones, and the flags are 32 bits. A kqueue
//! is an event set whose watches are keyed by descriptor and filter, so
//! a read and a write watch of one descriptor each keep their udata.
//! EV_CLEAR is the set's edge-triggered report, EV_ONESHOT its one-shot
//! one. A change that fails is reported in the event list as an EV_ERROR
//! entry when there is room there, and fails the call otherwise.

use super::fd;
use crate::errno::errno_of;
use alloc::vec::Vec;
use kernel_ops::{Error, EventSetChange, Interest, KResult, KernelOps, PollEvents, ReadyEntry};

pub const EVFILT_READ: u32 = 0;
pub const EVFILT_WRITE: u32 = 1;
/// EVFILT_AIO 2 to EVFILT_TIMER 6 (and NetBSD 10's EVFILT_FS, USER and
/// EMPTY, 7 to 9): filters NetBSD has that are not served.
const EVFILT_LAST: u32 = 9;

pub const EV_ADD: u32 = 0x1;
pub const EV_DELETE: u32 = 0x2;
pub const EV_ENABLE: u32 = 0x4;
pub const EV_DISABLE: u32 = 0x8;
pub const EV_ONESHOT: u32 = 0x10;
pub const EV_CLEAR: u32 = 0x20;
/// NetBSD 10's EV_RECEIPT and EV_DISPATCH (after the 2015 header).
const EV_RECEIPT: u32 = 0x40;
const EV_DISPATCH: u32 = 0x80;
pub const EV_ERROR: u32 = 0x4000;
pub const EV_EOF: u32 = 0x8000;

pub const KEVENT_BYTES: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Kevent {
    pub ident: u64,
    pub filter: u32,
    pub flags: u32,
    pub fflags: u32,
    pub data: i64,
    pub udata: u64,
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

pub fn decode(b: &[u8]) -> Kevent {
    Kevent {
        ident: u64_at(b, 0),
        filter: u32_at(b, 8),
        flags: u32_at(b, 12),
        fflags: u32_at(b, 16),
        data: u64_at(b, 24) as i64,
        udata: u64_at(b, 32),
    }
}

pub fn encode(k: &Kevent, out: &mut [u8]) {
    out[..KEVENT_BYTES].fill(0);
    out[0..8].copy_from_slice(&k.ident.to_le_bytes());
    out[8..12].copy_from_slice(&k.filter.to_le_bytes());
    out[12..16].copy_from_slice(&k.flags.to_le_bytes());
    out[16..20].copy_from_slice(&k.fflags.to_le_bytes());
    out[24..32].copy_from_slice(&k.data.to_le_bytes());
    out[32..40].copy_from_slice(&k.udata.to_le_bytes());
}

/// What a ready watch reports: the filter's kevent, EV_EOF when the other
/// end is gone.
pub fn report(entry: &ReadyEntry) -> Kevent {
    let e = entry.events;
    let eof = match entry.filter {
        EVFILT_READ => e.hang_up || e.read_hang_up,
        _ => e.hang_up || e.error,
    };
    Kevent {
        ident: entry.fd as u32 as u64,
        filter: entry.filter,
        flags: if eof { EV_EOF } else { 0 },
        fflags: 0,
        data: 0,
        udata: entry.data,
    }
}

/// What the change asks of the core, or the error NetBSD gives for it
/// (`NotImplemented`: a filter or flag NetBSD has and Helctic does not).
/// `Ok(None)`: nothing to do.
pub fn change_of(k: &Kevent) -> KResult<Option<(EventSetChange, Interest)>> {
    let events = match k.filter {
        EVFILT_READ => PollEvents { readable: true, read_hang_up: true, ..PollEvents::default() },
        EVFILT_WRITE => PollEvents { writable: true, ..PollEvents::default() },
        f if f <= EVFILT_LAST => return Err(Error::NotImplemented),
        _ => return Err(Error::InvalidArgument),
    };
    if k.flags & (EV_DISPATCH | EV_RECEIPT) != 0 {
        return Err(Error::NotImplemented);
    }
    let mut interest = Interest {
        events,
        data: k.udata,
        one_shot: k.flags & EV_ONESHOT != 0,
        edge_triggered: k.flags & EV_CLEAR != 0,
        exclusive: false,
        filter: k.filter,
    };
    if k.flags & EV_DISABLE != 0 {
        interest.events = PollEvents::default();
    }
    let change = if k.flags & EV_DELETE != 0 {
        EventSetChange::Delete
    } else if k.flags & EV_ADD != 0 {
        EventSetChange::Add
    } else if k.flags & (EV_ENABLE | EV_DISABLE) != 0 {
        EventSetChange::Modify
    } else {
        return Ok(None);
    };
    Ok(Some((change, interest)))
}

fn apply(ops: &mut dyn KernelOps, kq: i32, k: &Kevent) -> KResult<()> {
    let Some((change, interest)) = change_of(k)? else { return Ok(()) };
    let target = i32::try_from(k.ident).map_err(|_| Error::BadDescriptor)?;
    match ops.change_event_set(kq, change, target, interest) {
        // EV_ADD of a knote that exists changes it.
        Err(Error::Exists) if change == EventSetChange::Add => {
            ops.change_event_set(kq, EventSetChange::Modify, target, interest)
        }
        // The core refuses regular files in an event set, where NetBSD
        // would report them always readable.
        Err(Error::NotPermitted) => Err(Error::NotImplemented),
        other => other,
    }
}

/// kqueue(): a new queue. NetBSD does not pass a kqueue to the child of
/// fork; this one is inherited like other descriptors.
pub fn kqueue(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(ops.create_event_set(false)? as u64)
}

/// kqueue1's flags (sys/sys/fcntl.h).
const O_NONBLOCK: u64 = 0x4;
const O_CLOEXEC: u64 = 0x40_0000;
const O_NOSIGPIPE: u64 = 0x100_0000;

/// kqueue1(flags): O_CLOEXEC, O_NONBLOCK and O_NOSIGPIPE; other bits are
/// EINVAL. O_NONBLOCK and O_NOSIGPIPE change nothing on a kqueue: kevent
/// waits by its timeout and never writes.
pub fn kqueue1(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] & !(O_NONBLOCK | O_CLOEXEC | O_NOSIGPIPE) != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.create_event_set(a[0] & O_CLOEXEC != 0)? as u64)
}

/// The most events one kevent returns (a larger `nevents` is met with
/// this many at most; the rest stay ready for the next call).
const MOST_PER_WAIT: usize = 1024;

/// __kevent50(kq, changelist, nchanges, eventlist, nevents, timeout).
pub fn kevent(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let kq = fd(a[0]);
    // size_t counts: more than an int's worth is EINVAL here.
    let nchanges = usize::try_from(a[2]).ok().filter(|&n| n <= i32::MAX as usize).ok_or(Error::InvalidArgument)?;
    let nevents = usize::try_from(a[4]).ok().filter(|&n| n <= i32::MAX as usize).ok_or(Error::InvalidArgument)?;
    let (changes, events) = (a[1], a[3]);
    let deadline = if a[5] == 0 { None } else { Some(crate::sys::time::read_timespec(ops, a[5])?) };
    let mut written = 0usize;
    let mut record = [0u8; KEVENT_BYTES];
    for i in 0..nchanges {
        ops.copy_in(changes + (i * KEVENT_BYTES) as u64, &mut record)?;
        let k = decode(&record);
        let result = apply(ops, kq, &k);
        if let Err(e) = result {
            if e == Error::NotImplemented {
                ops.log_unsupported(format_args!("netbsd: kevent filter {} flags {:#x}", k.filter, k.flags));
            }
            if matches!(e, Error::BadDescriptor) && k.ident == kq as u32 as u64 {
                return Err(e);
            }
            let e = if e == Error::NotImplemented { Error::InvalidArgument } else { e };
            if written < nevents {
                let out = Kevent { flags: EV_ERROR, data: i64::from(errno_of(e)), ..k };
                encode(&out, &mut record);
                ops.copy_out(events + (written * KEVENT_BYTES) as u64, &record)?;
                written += 1;
            } else {
                return Err(e);
            }
        }
    }
    if written > 0 || nevents == 0 {
        return Ok(written as u64);
    }
    let max = nevents.min(MOST_PER_WAIT);
    let mut ready = Vec::new();
    ready.try_reserve_exact(max).map_err(|_| Error::NoMemory)?;
    ready.resize(max, ReadyEntry::default());
    let n = match ops.wait_event_set(kq, &mut ready, deadline) {
        Err(Error::Restart) => return Err(Error::Interrupted),
        other => other?,
    };
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(n * KEVENT_BYTES).map_err(|_| Error::NoMemory)?;
    bytes.resize(n * KEVENT_BYTES, 0);
    for (entry, out) in ready[..n].iter().zip(bytes.chunks_exact_mut(KEVENT_BYTES)) {
        encode(&report(entry), out);
    }
    ops.copy_out(events, &bytes)?;
    Ok(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kevent_is_netbsds_40_bytes() {
        let k = Kevent { ident: 7, filter: EVFILT_WRITE, flags: EV_ADD | EV_CLEAR, fflags: 3, data: -5, udata: 0xc000 };
        let mut b = [0xaau8; KEVENT_BYTES];
        encode(&k, &mut b);
        assert_eq!(decode(&b), k);
        assert_eq!(u32::from_le_bytes(b[8..12].try_into().unwrap()), 1, "EVFILT_WRITE is 1 at offset 8");
        assert_eq!(u32::from_le_bytes(b[12..16].try_into().unwrap()), 0x21, "flags at 12");
        assert_eq!(&b[20..24], &[0; 4], "padding");
        assert_eq!(u64::from_le_bytes(b[32..40].try_into().unwrap()), 0xc000, "udata at 32");
    }

    #[test]
    fn read_and_write_are_two_watches_of_one_descriptor() {
        let read = Kevent { ident: 4, filter: EVFILT_READ, flags: EV_ADD | EV_CLEAR, udata: 9, ..Kevent::default() };
        let write = Kevent { filter: EVFILT_WRITE, ..read };
        let (c1, i1) = change_of(&read).unwrap().unwrap();
        let (c2, i2) = change_of(&write).unwrap().unwrap();
        assert_eq!((c1, c2), (EventSetChange::Add, EventSetChange::Add));
        assert_ne!(i1.filter, i2.filter);
        assert!(i1.edge_triggered && i1.events.readable && !i1.events.writable);
        assert!(i2.events.writable && !i2.events.readable);
    }

    #[test]
    fn unserved_and_unknown_filters() {
        let base = Kevent { ident: 4, flags: EV_ADD, ..Kevent::default() };
        assert_eq!(change_of(&Kevent { filter: 6, ..base }), Err(Error::NotImplemented), "EVFILT_TIMER");
        assert_eq!(change_of(&Kevent { filter: 42, ..base }), Err(Error::InvalidArgument));
        assert_eq!(
            change_of(&Kevent { filter: u32::MAX, ..base }),
            Err(Error::InvalidArgument),
            "FreeBSD's EVFILT_READ"
        );
        assert!(change_of(&Kevent { flags: 0, ..base }).unwrap().is_none());
    }
}
