//! poll, ppoll, select and pselect6, all on the core's one poll operation.

use crate::util::{read_timespec, write_timespec};
use alloc::vec::Vec;
use kernel_ops::{Error, KResult, KernelOps, MaskHow, PollEvents, PollRequest};
use linux_abi::poll::{
    Pollfd, POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDHUP, POLLRDNORM, POLLWRNORM,
};

const MAX_FDS: u64 = 65536;

pub(crate) fn wanted(events: u16) -> PollEvents {
    let e = u32::from(events);
    PollEvents {
        readable: e & (POLLIN | POLLRDNORM) as u32 != 0,
        writable: e & (POLLOUT | POLLWRNORM) as u32 != 0,
        priority: e & POLLPRI as u32 != 0,
        read_hang_up: e & POLLRDHUP as u32 != 0,
        ..PollEvents::default()
    }
}

pub(crate) fn revents(want: u16, got: &PollEvents) -> u16 {
    let want = u32::from(want);
    let mut r = 0u32;
    if got.readable {
        r |= want & (POLLIN | POLLRDNORM) as u32;
    }
    if got.writable {
        r |= want & (POLLOUT | POLLWRNORM) as u32;
    }
    if got.priority {
        r |= want & POLLPRI as u32;
    }
    if got.error {
        r |= POLLERR as u32;
    }
    if got.hang_up {
        r |= POLLHUP as u32;
    }
    if got.invalid {
        r |= POLLNVAL as u32;
    }
    if got.read_hang_up {
        r |= want & POLLRDHUP as u32;
    }
    r as u16
}

fn do_poll(ops: &mut dyn KernelOps, addr: u64, n: u64, timeout_ns: Option<u64>) -> KResult<u64> {
    if n > MAX_FDS {
        return Err(Error::InvalidArgument);
    }
    let mut raw = crate::util::buffer(n as usize * Pollfd::SIZE)?;
    ops.copy_in(addr, &mut raw)?;
    let fds: Vec<Pollfd> = raw.chunks(Pollfd::SIZE).map(|c| Pollfd::from_bytes(c).unwrap_or_default()).collect();
    let mut reqs: Vec<PollRequest> = fds
        .iter()
        .map(|p| PollRequest { fd: p.fd, wanted: wanted(p.events), returned: PollEvents::default() })
        .collect();
    let ready = ops.poll(&mut reqs, timeout_ns)?;
    for (i, (p, r)) in fds.iter().zip(&reqs).enumerate() {
        let out =
            Pollfd { fd: p.fd, events: p.events, revents: if p.fd < 0 { 0 } else { revents(p.events, &r.returned) } };
        raw[i * Pollfd::SIZE..(i + 1) * Pollfd::SIZE].copy_from_slice(&out.to_bytes());
    }
    ops.copy_out(addr, &raw)?;
    Ok(ready as u64)
}

pub fn poll(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let t = a[2] as i32;
    let timeout = if t < 0 { None } else { Some(t as u64 * 1_000_000) };
    do_poll(ops, a[0], a[1], timeout)
}

/// Runs `f` with the signal mask at `mask_addr` installed (ppoll, pselect6,
/// epoll_pwait).
pub(crate) fn with_mask(
    ops: &mut dyn KernelOps,
    mask_addr: u64,
    f: impl FnOnce(&mut dyn KernelOps) -> KResult<u64>,
) -> KResult<u64> {
    if mask_addr == 0 {
        return f(ops);
    }
    let mask = crate::signals::set_from_linux(crate::util::read_u64(ops, mask_addr)?);
    let old = ops.signal_mask(MaskHow::Set, Some(mask));
    let r = f(ops);
    if r == Err(Error::Interrupted) {
        // Keep the temporary mask until the handler runs; its frame saves `old`.
        ops.restore_mask_after_handler(old);
    } else {
        ops.signal_mask(MaskHow::Set, Some(old));
    }
    r
}

pub fn ppoll(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let timeout =
        if a[2] == 0 { None } else { Some(read_timespec(ops, a[2])?.to_nanos().ok_or(Error::InvalidArgument)?) };
    // A mask of a size other than sigset_t's is EINVAL (set_user_sigmask).
    if a[3] != 0 && a[4] != 8 {
        return Err(Error::InvalidArgument);
    }
    let start = ops.clock(kernel_ops::Clock::Monotonic)?;
    let r = with_mask(ops, a[3], |ops| do_poll(ops, a[0], a[1], timeout));
    if let (Some(t), true) = (timeout, a[2] != 0) {
        let spent = ops.clock(kernel_ops::Clock::Monotonic)?.saturating_sub(start);
        let _ = write_timespec(ops, a[2], t.saturating_sub(spent));
    }
    r
}

/// select over the core's poll: fd_sets in, fd_sets out.
///
/// nfds is an int: negative is EINVAL. It is not limited to FD_SETSIZE
/// (programs with many descriptors pass bigger hand-made sets); as Linux,
/// it is cut down to the descriptor table's size, and only that many bits
/// (in whole longs) are read and written back: bits past it are left as
/// the caller set them, and memory past them is never touched.
fn do_select(ops: &mut dyn KernelOps, nfds: u64, sets: [u64; 3], timeout_ns: Option<u64>) -> KResult<u64> {
    let nfds = nfds as i32;
    if nfds < 0 {
        return Err(Error::InvalidArgument);
    }
    let nfds = (nfds as u32).min(ops.descriptor_table_size()) as u64;
    let bytes = (nfds as usize).div_ceil(64) * 8;
    let mut bits = [alloc::vec![0u8; bytes], alloc::vec![0u8; bytes], alloc::vec![0u8; bytes]];
    for (i, &addr) in sets.iter().enumerate() {
        if addr != 0 {
            ops.copy_in(addr, &mut bits[i])?;
        }
    }
    let is_set = |b: &[u8], fd: usize| b.get(fd / 8).is_some_and(|byte| byte & (1 << (fd % 8)) != 0);
    let mut reqs = Vec::new();
    for fd in 0..nfds as usize {
        let (r, w, x) = (is_set(&bits[0], fd), is_set(&bits[1], fd), is_set(&bits[2], fd));
        if r || w || x {
            reqs.push(PollRequest {
                fd: fd as i32,
                wanted: PollEvents { readable: r, writable: w, priority: x, ..PollEvents::default() },
                returned: PollEvents::default(),
            });
        }
    }
    ops.poll(&mut reqs, timeout_ns)?;
    let mut out = [alloc::vec![0u8; bytes], alloc::vec![0u8; bytes], alloc::vec![0u8; bytes]];
    let mut count = 0;
    for r in &reqs {
        // A closed descriptor is EBADF. An open one with nothing to poll
        // (O_PATH) is POLLNVAL, which Linux counts in all three sets.
        let nothing_to_poll = r.returned.invalid;
        if nothing_to_poll && ops.status_flags(r.fd).is_err() {
            return Err(Error::BadDescriptor);
        }
        let fd = r.fd as usize;
        let marks = [
            r.wanted.readable && (r.returned.readable || r.returned.hang_up || r.returned.error || nothing_to_poll),
            r.wanted.writable && (r.returned.writable || r.returned.error || nothing_to_poll),
            // exceptfds: priority data (Linux's POLLEX_SET).
            r.wanted.priority && (r.returned.priority || nothing_to_poll),
        ];
        for (i, m) in marks.iter().enumerate() {
            if *m {
                out[i][fd / 8] |= 1 << (fd % 8);
                count += 1;
            }
        }
    }
    for (i, &addr) in sets.iter().enumerate() {
        if addr != 0 {
            ops.copy_out(addr, &out[i])?;
        }
    }
    Ok(count)
}

pub fn select(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let timeout = if a[4] == 0 {
        None
    } else {
        let mut b = [0u8; 16];
        ops.copy_in(a[4], &mut b)?;
        let tv = linux_abi::time::Timeval::from_bytes(&b).ok_or(Error::Fault)?;
        if !tv.is_valid() {
            return Err(Error::InvalidArgument);
        }
        Some((tv.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(tv.tv_usec as u64 * 1000))
    };
    let start = ops.clock(kernel_ops::Clock::Monotonic)?;
    let result = do_select(ops, a[0], [a[1], a[2], a[3]], timeout);
    if let Some(left) = time_left(ops, timeout, start, &result)? {
        let tv = linux_abi::time::Timeval {
            tv_sec: (left / 1_000_000_000) as i64,
            tv_usec: ((left % 1_000_000_000) / 1000) as i64,
        };
        ops.copy_out(a[4], &tv.to_bytes())?;
    }
    result
}

/// What select and pselect6 write back into their timeout: the time left
/// of `timeout` since `start`, as Linux does (also when interrupted),
/// unless there was none, the call failed otherwise, or the process asked
/// for STICKY_TIMEOUTS.
fn time_left(ops: &mut dyn KernelOps, timeout: Option<u64>, start: u64, result: &KResult<u64>) -> KResult<Option<u64>> {
    let Some(t) = timeout else { return Ok(None) };
    if ops.task_setting(kernel_ops::TaskSetting::Persona) & super::info::STICKY_TIMEOUTS != 0
        || !matches!(result, Ok(_) | Err(Error::Interrupted))
    {
        return Ok(None);
    }
    Ok(Some(t.saturating_sub(ops.clock(kernel_ops::Clock::Monotonic)?.saturating_sub(start))))
}

pub fn pselect6(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // The sixth argument points at { const sigset_t *ss; size_t ss_len; },
    // read first (Linux's get_sigset_argpack), then the timeout, then the
    // mask's size is judged (set_user_sigmask).
    let (mask_ptr, mask_len) = if a[5] == 0 {
        (0, 0)
    } else {
        (crate::util::read_u64(ops, a[5])?, crate::util::read_u64(ops, a[5].wrapping_add(8))?)
    };
    let timeout =
        if a[4] == 0 { None } else { Some(read_timespec(ops, a[4])?.to_nanos().ok_or(Error::InvalidArgument)?) };
    if mask_ptr != 0 && mask_len != 8 {
        return Err(Error::InvalidArgument);
    }
    let start = ops.clock(kernel_ops::Clock::Monotonic)?;
    let result = with_mask(ops, mask_ptr, |ops| do_select(ops, a[0], [a[1], a[2], a[3]], timeout));
    if let Some(left) = time_left(ops, timeout, start, &result)? {
        ops.copy_out(a[4], &linux_abi::time::Timespec::from_nanos(left).to_bytes())?;
    }
    result
}
