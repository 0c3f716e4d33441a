//! epoll, on the core's event sets: level-triggered, edge-triggered
//! (EPOLLET) and one-shot (EPOLLONESHOT) as Linux defines them.

use crate::util::fd;
use alloc::vec::Vec;
use kernel_ops::{Error, EventSetChange, Interest, KResult, KernelOps, PollEvents, ReadyEntry};
use linux_abi::epoll::*;

const EVENT_SIZE: usize = 12; // struct epoll_event is packed on x86_64
const MAX_EVENTS: u64 = (i32::MAX as usize / EVENT_SIZE) as u64;

pub fn epoll_create1(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] as u32 & !EPOLL_CLOEXEC != 0 {
        return Err(Error::InvalidArgument);
    }
    ops.create_event_set(a[0] as u32 & EPOLL_CLOEXEC != 0).map(|f| f as u64)
}

pub fn epoll_create(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[0] as i32) <= 0 {
        return Err(Error::InvalidArgument);
    }
    ops.create_event_set(false).map(|f| f as u64)
}

pub fn epoll_ctl(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let change = match a[1] as u32 {
        EPOLL_CTL_ADD => EventSetChange::Add,
        EPOLL_CTL_MOD => EventSetChange::Modify,
        EPOLL_CTL_DEL => EventSetChange::Delete,
        _ => return Err(Error::InvalidArgument),
    };
    let interest = if change == EventSetChange::Delete {
        Interest::default()
    } else {
        let mut b = [0u8; EVENT_SIZE];
        ops.copy_in(a[3], &mut b)?;
        let ev = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let data = u64::from_le_bytes([b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11]]);
        // EPOLLEXCLUSIVE: only at EPOLL_CTL_ADD, and with no flags but
        // these (Linux's EPOLLEXCLUSIVE_OK_BITS; EPOLLONESHOT is not one).
        // Linux makes these checks after looking up both descriptors, so
        // a bad descriptor with a bad combination is EBADF there, EINVAL here.
        const EXCLUSIVE_OK: u32 = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
        if ev & EPOLLEXCLUSIVE != 0 && (change == EventSetChange::Modify || ev & !EXCLUSIVE_OK != 0) {
            return Err(Error::InvalidArgument);
        }
        Interest {
            events: PollEvents {
                readable: ev & (EPOLLIN | EPOLLRDNORM) != 0,
                writable: ev & (EPOLLOUT | EPOLLWRNORM) != 0,
                priority: ev & EPOLLPRI != 0,
                read_hang_up: ev & EPOLLRDHUP != 0,
                ..PollEvents::default()
            },
            data,
            one_shot: ev & EPOLLONESHOT != 0,
            edge_triggered: ev & EPOLLET != 0,
            exclusive: ev & EPOLLEXCLUSIVE != 0,
            filter: 0,
        }
    };
    ops.change_event_set(fd(a[0]), change, fd(a[2]), interest).map(|_| 0)
}

fn wait(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let t = a[3] as i32;
    wait_for(ops, a, if t < 0 { None } else { Some(t as u64 * 1_000_000) })
}

/// Waits up to `deadline` ns (None: forever) for events of the set a[0],
/// stored as `struct epoll_event`s at a[1], at most a[2] of them.
/// The most events one epoll_wait returns: a larger `maxevents` gets this
/// many at most (a buffer of 64 KiB), as if no more were ready; the rest
/// stay ready for the next wait.
const MOST_PER_WAIT: usize = 4096;
/// Events encoded per copy to the program.
const CHUNK: usize = 8;

fn wait_for(ops: &mut dyn KernelOps, a: [u64; 6], deadline: Option<u64>) -> KResult<u64> {
    let max = a[2] as i32;
    if max <= 0 || max as u64 > MAX_EVENTS {
        return Err(Error::InvalidArgument);
    }
    let max = (max as usize).min(MOST_PER_WAIT);
    // A buffer on the stack, as small as will do (every entry is written
    // before the look), so that the usual wait allocates nothing.
    let none = ReadyEntry::default();
    if max <= 8 {
        wait_into(ops, a, deadline, &mut [none; 8][..max])
    } else if max <= 64 {
        wait_into(ops, a, deadline, &mut [none; 64][..max])
    } else {
        let mut events = Vec::new();
        events.try_reserve_exact(max).map_err(|_| Error::NoMemory)?;
        events.resize(max, none);
        wait_into(ops, a, deadline, &mut events)
    }
}

/// One look at the set for up to `events.len()` events (so no watch is
/// reported twice in one wait), written to the program's array.
fn wait_into(ops: &mut dyn KernelOps, a: [u64; 6], deadline: Option<u64>, events: &mut [ReadyEntry]) -> KResult<u64> {
    let n = ops.wait_event_set(fd(a[0]), events, deadline)?;
    let mut encoded = [0u8; CHUNK * EVENT_SIZE];
    for (i, chunk) in events[..n].chunks(CHUNK).enumerate() {
        for (entry, bytes) in chunk.iter().zip(encoded.chunks_exact_mut(EVENT_SIZE)) {
            bytes[..4].copy_from_slice(&event_bits(&entry.events).to_le_bytes());
            bytes[4..].copy_from_slice(&entry.data.to_le_bytes());
        }
        let at = a[1] + (i * CHUNK * EVENT_SIZE) as u64;
        ops.copy_out(at, &encoded[..chunk.len() * EVENT_SIZE])?;
    }
    Ok(n as u64)
}

/// `struct epoll_event`'s `events` bits for what a watch reports.
fn event_bits(e: &PollEvents) -> u32 {
    let mut bits = 0u32;
    if e.readable {
        bits |= EPOLLIN;
    }
    if e.writable {
        bits |= EPOLLOUT;
    }
    if e.priority {
        bits |= EPOLLPRI;
    }
    if e.error {
        bits |= EPOLLERR;
    }
    if e.hang_up {
        bits |= EPOLLHUP;
    }
    if e.read_hang_up {
        bits |= EPOLLRDHUP;
    }
    bits
}

pub fn epoll_wait(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    wait(ops, a)
}

/// A signal mask given with a size other than the kernel's sigset_t
/// (8 bytes) is EINVAL, as Linux's set_user_sigmask.
fn check_sigset_size(mask: u64, size: u64) -> KResult<()> {
    if mask != 0 && size != 8 {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

pub fn epoll_pwait(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    check_sigset_size(a[4], a[5])?;
    super::poll::with_mask(ops, a[4], |ops| wait(ops, a))
}

/// epoll_pwait2(epfd, events, maxevents, timeout, sigmask, sigsetsize):
/// epoll_pwait with a timespec (NULL: forever; invalid: EINVAL, checked
/// before anything else as Linux does).
pub fn epoll_pwait2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let deadline = if a[3] == 0 {
        None
    } else {
        Some(crate::util::read_timespec(ops, a[3])?.to_nanos().ok_or(Error::InvalidArgument)?)
    };
    check_sigset_size(a[4], a[5])?;
    super::poll::with_mask(ops, a[4], |ops| wait_for(ops, a, deadline))
}
