//! kqueue and kevent (sys/kern/kern_event.c) on the core's event sets.
//!
//! A kqueue is an event set whose watches are keyed by descriptor and
//! filter, so EVFILT_READ and EVFILT_WRITE on one descriptor are two
//! watches, each with its own udata, as FreeBSD's knotes are. EV_CLEAR is
//! the set's edge-triggered report, EV_ONESHOT its one-shot one. A
//! change that fails is reported in the event list as an EV_ERROR entry
//! when there is room there, and fails the call otherwise; EV_RECEIPT
//! asks for such an entry (with 0) for every change.
//!
//! Two layouts: `struct kevent` (64 bytes, call 560, FreeBSD 12 and
//! later) and `struct freebsd11_kevent` (32 bytes, call 363, which Go
//! 1.19's runtime uses).

use super::fd;
use crate::errno::errno_of;
use alloc::vec::Vec;
use kernel_ops::{Error, EventSetChange, Interest, KResult, KernelOps, PollEvents, ReadyEntry};

pub const EVFILT_READ: i16 = -1;
pub const EVFILT_WRITE: i16 = -2;
const EVFILT_SYSCOUNT: i16 = 13;

pub const EV_ADD: u16 = 0x1;
pub const EV_DELETE: u16 = 0x2;
pub const EV_ENABLE: u16 = 0x4;
pub const EV_DISABLE: u16 = 0x8;
pub const EV_ONESHOT: u16 = 0x10;
pub const EV_CLEAR: u16 = 0x20;
pub const EV_RECEIPT: u16 = 0x40;
pub const EV_DISPATCH: u16 = 0x80;
pub const EV_ERROR: u16 = 0x4000;
pub const EV_EOF: u16 = 0x8000;

/// The two `struct kevent` layouts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// FreeBSD 12's: ident, filter, flags, fflags, data (64-bit), udata,
    /// ext[4].
    Current,
    /// freebsd11_kevent: the same without ext.
    Freebsd11,
}

impl Layout {
    pub const fn size(self) -> usize {
        match self {
            Layout::Current => 64,
            Layout::Freebsd11 => 32,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Kevent {
    pub ident: u64,
    pub filter: i16,
    pub flags: u16,
    pub fflags: u32,
    pub data: i64,
    pub udata: u64,
}

pub fn decode(b: &[u8]) -> Kevent {
    let u64_at = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[at..at + 8]);
        u64::from_le_bytes(w)
    };
    Kevent {
        ident: u64_at(0),
        filter: i16::from_le_bytes([b[8], b[9]]),
        flags: u16::from_le_bytes([b[10], b[11]]),
        fflags: u32::from_le_bytes([b[12], b[13], b[14], b[15]]),
        data: u64_at(16) as i64,
        udata: u64_at(24),
    }
}

/// The record in `layout` (ext, where there is one, zero).
pub fn encode(k: &Kevent, layout: Layout, out: &mut [u8]) {
    out[..layout.size()].fill(0);
    out[0..8].copy_from_slice(&k.ident.to_le_bytes());
    out[8..10].copy_from_slice(&k.filter.to_le_bytes());
    out[10..12].copy_from_slice(&k.flags.to_le_bytes());
    out[12..16].copy_from_slice(&k.fflags.to_le_bytes());
    out[16..24].copy_from_slice(&k.data.to_le_bytes());
    out[24..32].copy_from_slice(&k.udata.to_le_bytes());
}

/// The filter as the core's watch key.
fn filter_key(filter: i16) -> u32 {
    u32::from(filter as u16)
}

/// What a ready watch reports: the filter's kevent, EV_EOF when the other
/// end is gone (a pipe's writer closed, for EVFILT_READ; its reader, for
/// EVFILT_WRITE).
pub fn report(entry: &ReadyEntry) -> Kevent {
    let filter = entry.filter as u16 as i16;
    let e = entry.events;
    let eof = match filter {
        EVFILT_READ => e.hang_up || e.read_hang_up,
        _ => e.hang_up || e.error,
    };
    Kevent {
        ident: entry.fd as u32 as u64,
        filter,
        flags: if eof { EV_EOF } else { 0 },
        fflags: 0,
        data: 0,
        udata: entry.data,
    }
}

/// What the change asks of the core, or the error FreeBSD gives for it.
/// `Ok(None)`: nothing to do (EV_RECEIPT alone).
pub fn change_of(k: &Kevent) -> KResult<Option<(EventSetChange, Interest)>> {
    let events = match k.filter {
        EVFILT_READ => PollEvents { readable: true, read_hang_up: true, ..PollEvents::default() },
        EVFILT_WRITE => PollEvents { writable: true, ..PollEvents::default() },
        f if (-EVFILT_SYSCOUNT..0).contains(&f) => return Err(Error::NotImplemented),
        _ => return Err(Error::InvalidArgument),
    };
    if k.flags & EV_DISPATCH != 0 {
        return Err(Error::NotImplemented);
    }
    let mut interest = Interest {
        events,
        data: k.udata,
        one_shot: k.flags & EV_ONESHOT != 0,
        edge_triggered: k.flags & EV_CLEAR != 0,
        exclusive: false,
        filter: filter_key(k.filter),
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
        Err(Error::NotFound) => Err(Error::NotFound),
        // The core refuses regular files in an event set, where FreeBSD
        // would report them always readable.
        Err(Error::NotPermitted) => Err(Error::NotImplemented),
        other => other,
    }
}

/// kqueue(): a new queue. FreeBSD does not pass a kqueue to the child of
/// fork; this one is inherited like other descriptors.
pub fn kqueue(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(ops.create_event_set(false)? as u64)
}

/// The most events one kevent returns (a larger `nevents` is met with
/// this many at most; the rest stay ready for the next call).
const MOST_PER_WAIT: usize = 1024;

fn kevent_in(ops: &mut dyn KernelOps, a: [u64; 6], layout: Layout) -> KResult<u64> {
    let kq = fd(a[0]);
    let (changes, nchanges, events, nevents) = (a[1], a[2] as i32, a[3], a[4] as i32);
    if nchanges < 0 || nevents < 0 {
        return Err(Error::InvalidArgument);
    }
    let size = layout.size();
    let deadline = if a[5] == 0 { None } else { Some(crate::sys::time::read_timespec(ops, a[5])?) };
    let mut written = 0usize;
    let mut record = [0u8; 64];
    for i in 0..nchanges as usize {
        ops.copy_in(changes + (i * size) as u64, &mut record[..size])?;
        let k = decode(&record);
        let result = apply(ops, kq, &k);
        if let Err(e) = result {
            if e == Error::NotImplemented {
                ops.log_unsupported(format_args!("freebsd: kevent filter {} flags {:#x}", k.filter, k.flags));
            }
            if matches!(e, Error::BadDescriptor) && k.ident == kq as u32 as u64 {
                return Err(e);
            }
        }
        let receipt = k.flags & EV_RECEIPT != 0;
        match result {
            Err(e) if written < nevents as usize => {
                let errno = errno_of(if e == Error::NotImplemented { Error::InvalidArgument } else { e });
                let out = Kevent { flags: EV_ERROR, data: i64::from(errno), ..k };
                encode(&out, layout, &mut record);
                ops.copy_out(events + (written * size) as u64, &record[..size])?;
                written += 1;
            }
            Err(e) => return Err(if e == Error::NotImplemented { Error::InvalidArgument } else { e }),
            Ok(()) if receipt && written < nevents as usize => {
                let out = Kevent { flags: EV_ERROR, data: 0, ..k };
                encode(&out, layout, &mut record);
                ops.copy_out(events + (written * size) as u64, &record[..size])?;
                written += 1;
            }
            Ok(()) => {}
        }
    }
    if written > 0 || nevents == 0 {
        return Ok(written as u64);
    }
    let max = (nevents as usize).min(MOST_PER_WAIT);
    let mut ready = Vec::new();
    ready.try_reserve_exact(max).map_err(|_| Error::NoMemory)?;
    ready.resize(max, ReadyEntry::default());
    let n = match ops.wait_event_set(kq, &mut ready, deadline) {
        Err(Error::Restart) => return Err(Error::Interrupted),
        other => other?,
    };
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(n * size).map_err(|_| Error::NoMemory)?;
    bytes.resize(n * size, 0);
    for (entry, out) in ready[..n].iter().zip(bytes.chunks_exact_mut(size)) {
        encode(&report(entry), layout, out);
    }
    ops.copy_out(events, &bytes)?;
    Ok(n as u64)
}

/// kevent(kq, changelist, nchanges, eventlist, nevents, timeout).
pub fn kevent(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    kevent_in(ops, a, Layout::Current)
}

/// The FreeBSD 11 kevent (32-byte records).
pub fn freebsd11_kevent(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    kevent_in(ops, a, Layout::Freebsd11)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kevent_crosses_both_layouts_unchanged() {
        let k = Kevent { ident: 7, filter: EVFILT_WRITE, flags: EV_ADD | EV_CLEAR, fflags: 3, data: -5, udata: 0xc000 };
        for layout in [Layout::Current, Layout::Freebsd11] {
            let mut b = [0xaau8; 64];
            encode(&k, layout, &mut b);
            assert_eq!(decode(&b), k);
            assert!(b[32..layout.size()].iter().all(|&x| x == 0), "ext is zero");
        }
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
        assert_eq!(i1.data, 9);
    }

    #[test]
    fn changes_map_to_the_sets_operations() {
        let base = Kevent { ident: 4, filter: EVFILT_READ, ..Kevent::default() };
        let del = change_of(&Kevent { flags: EV_DELETE, ..base }).unwrap().unwrap();
        assert_eq!(del.0, EventSetChange::Delete);
        let disable = change_of(&Kevent { flags: EV_DISABLE, ..base }).unwrap().unwrap();
        assert_eq!(disable.0, EventSetChange::Modify);
        assert!(!disable.1.events.readable);
        assert!(change_of(&Kevent { flags: EV_RECEIPT, ..base }).unwrap().is_none());
        assert_eq!(change_of(&Kevent { filter: 5, flags: EV_ADD, ..base }), Err(Error::InvalidArgument));
        assert_eq!(change_of(&Kevent { filter: -7, flags: EV_ADD, ..base }), Err(Error::NotImplemented));
    }

    #[test]
    fn a_report_names_descriptor_filter_and_end() {
        let entry = ReadyEntry {
            events: PollEvents { readable: true, hang_up: true, ..PollEvents::default() },
            data: 0xfeed,
            fd: 5,
            filter: filter_key(EVFILT_READ),
        };
        let k = report(&entry);
        assert_eq!((k.ident, k.filter, k.flags, k.udata), (5, EVFILT_READ, EV_EOF, 0xfeed));
        let w = report(&ReadyEntry {
            events: PollEvents { writable: true, ..PollEvents::default() },
            filter: filter_key(EVFILT_WRITE),
            ..entry
        });
        assert_eq!((w.filter, w.flags), (EVFILT_WRITE, 0));
    }
}
