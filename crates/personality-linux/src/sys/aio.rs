//! Linux native asynchronous I/O: io_setup, io_destroy, io_submit,
//! io_cancel, io_getevents and io_pgetevents.
//!
//! A context is a completion ring mapped into the process (its address is
//! the context id, and its header is Linux's `struct aio_ring`, which
//! libaio reads in user space) plus what the core keeps between calls
//! (`kernel_ops::AioState`: the completions not reaped yet, authoritative;
//! the ring mirrors them).
//!
//! A request that cannot block is carried out inside io_submit: anything
//! with a file position (files live in memory or in a file server's cache;
//! Linux's buffered AIO also completes them inside io_submit), a stream
//! that is ready now, RWF_NOWAIT and O_NONBLOCK requests. A read or write
//! of a pipe, socket or terminal that is not ready, and a poll request
//! whose events have not come, wait in the context: io_getevents sleeps on
//! the kernel's poll machinery for them and carries each out once its
//! descriptor is ready (as do io_submit and io_cancel when they pass by).
//! So such a request completes, and its eventfd is signalled, only while
//! some thread is in (or enters) an AIO call on the context; Linux would
//! instead have blocked io_submit on the read, and completes a poll
//! request from the waker.

use crate::sys::io::{self, Target};
use crate::sys::poll::{revents, wanted};
use crate::util::{read_timespec, read_u64};
use alloc::vec::Vec;
use kernel_ops::{AioCompletion, AioWaiting, Clock, Error, KResult, KernelOps, PollEvents, PollRequest};
use linux_abi::aio::*;
use linux_abi::iovec::{Iovec, RWF_NOWAIT};
use linux_abi::poll::{POLLERR, POLLHUP};

/// What a request does, once checked.
enum Request {
    Transfer {
        write: bool,
        list: Vec<Iovec>,
        offset: Option<u64>,
        flags: u32,
    },
    /// fsync or fdatasync, already carried out (its result).
    Synced(i64),
    Poll {
        events: u16,
    },
}

/// A result as an io_event carries it: a count or a negative errno.
fn result_of(r: KResult<u64>) -> i64 {
    match r {
        Ok(n) => n as i64,
        // A signal cannot restart one request among others: EINTR.
        Err(e) => -i64::from(crate::errno::errno_of(e)),
    }
}

fn read_u32(ops: &mut dyn KernelOps, addr: u64) -> KResult<u32> {
    let mut b = [0u8; 4];
    ops.copy_in(addr, &mut b)?;
    Ok(u32::from_le_bytes(b))
}

/// io_setup(nr_events, ctxp).
pub fn io_setup(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let nr = a[0] as u32;
    let ctxp = a[1];
    if read_u64(ops, ctxp)? != 0 || nr == 0 {
        return Err(Error::InvalidArgument);
    }
    // The machine-wide limit is the core's to check (aio-nr + nr).
    let g = ring_geometry(nr, ops.cpu_count().max(1), u64::MAX).map_err(|e| match e {
        RingSizeError::Invalid => Error::InvalidArgument,
        RingSizeError::OverLimit => Error::WouldBlock,
    })?;
    let id = ops.aio_create(g.bytes, g.slots, g.max_requests)?;
    let header = RingHeader::new(g.slots).to_bytes();
    if let Err(e) = ops.copy_out(id, &header).and_then(|_| ops.copy_out(ctxp, &id.to_le_bytes())) {
        let _ = ops.aio_destroy(id);
        return Err(e);
    }
    Ok(0)
}

/// io_destroy(ctx): requests still waiting are dropped with the ring.
pub fn io_destroy(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.aio_destroy(a[0])?;
    Ok(0)
}

/// io_submit(ctx, nr, iocbpp): how many were submitted, or the first
/// request's error when none was.
pub fn io_submit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, nr, list) = (a[0], a[1] as i64, a[2]);
    if nr < 0 {
        return Err(Error::InvalidArgument);
    }
    let mut slots = 0;
    ops.aio_update(id, &mut |s| slots = s.slots)?;
    let nr = nr.min(i64::from(slots)) as u64;
    let mut submitted = 0;
    for i in 0..nr {
        let r = read_u64(ops, list.wrapping_add(i * 8)).and_then(|iocb| submit_one(ops, id, iocb));
        match r {
            Ok(()) => submitted += 1,
            Err(e) if submitted == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(submitted)
}

fn submit_one(ops: &mut dyn KernelOps, id: u64, addr: u64) -> KResult<()> {
    let mut raw = [0u8; Iocb::SIZE];
    ops.copy_in(addr, &mut raw)?;
    let cb = Iocb::from_bytes(&raw).ok_or(Error::Fault)?;
    if cb.aio_reserved2 != 0 || (cb.aio_nbytes as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    // A place in the ring for its completion, given back if it fails.
    let mut full = false;
    ops.aio_update(id, &mut |s| {
        if s.in_flight + 1 >= s.slots {
            full = true;
        } else {
            s.in_flight += 1;
        }
    })?;
    if full {
        return Err(Error::WouldBlock);
    }
    let r = start(ops, id, addr, &cb);
    if r.is_err() {
        let _ = ops.aio_update(id, &mut |s| s.in_flight = s.in_flight.saturating_sub(1));
    }
    r
}

/// Checks a request as Linux's `__io_submit_one` does (errors here fail
/// io_submit), then carries it out or leaves it waiting.
fn start(ops: &mut dyn KernelOps, id: u64, addr: u64, cb: &Iocb) -> KResult<()> {
    let f = cb.aio_fildes as i32;
    ops.status_flags(f)?;
    let notify = if cb.aio_flags & IOCB_FLAG_RESFD != 0 {
        let resfd = cb.aio_resfd as i32;
        ops.add_to_counter(resfd, 0)?;
        Some(resfd)
    } else {
        None
    };
    ops.copy_out(addr + Iocb::OFF_KEY, &KIOCB_KEY.to_le_bytes())?;
    let request = prepare(ops, cb)?;
    let done = AioCompletion { data: cb.aio_data, request: addr, result: 0, result2: 0 };
    match carry_out(ops, f, &request) {
        Some(result) => {
            complete(ops, id, AioCompletion { result, ..done }, notify);
            Ok(())
        }
        None => {
            let wanted = match &request {
                Request::Transfer { write, .. } => {
                    PollEvents { readable: !write, writable: *write, ..PollEvents::default() }
                }
                Request::Poll { events } => wanted(*events),
                Request::Synced(_) => PollEvents::default(),
            };
            let record = record_of(cb, &request);
            ops.aio_update(id, &mut |s| {
                s.waiting.push(AioWaiting { request: addr, fd: f, wanted, record: record.clone() })
            })
        }
    }
}

fn prepare(ops: &mut dyn KernelOps, cb: &Iocb) -> KResult<Request> {
    let f = cb.aio_fildes as i32;
    match cb.aio_lio_opcode {
        IOCB_CMD_PREAD | IOCB_CMD_PWRITE | IOCB_CMD_PREADV | IOCB_CMD_PWRITEV => {
            let write = matches!(cb.aio_lio_opcode, IOCB_CMD_PWRITE | IOCB_CMD_PWRITEV);
            let target = Target::of(ops, f, write, false)?;
            io::check_rw_flags(cb.aio_rw_flags)?;
            let list = if matches!(cb.aio_lio_opcode, IOCB_CMD_PREADV | IOCB_CMD_PWRITEV) {
                io::iovecs(ops, cb.aio_buf, cb.aio_nbytes)?
            } else {
                let len = cb.aio_nbytes.min(io::MAX_RW);
                if len > 0 && cb.aio_buf.checked_add(len).is_none_or(|end| end > io::USER_END) {
                    return Err(Error::Fault);
                }
                alloc::vec![Iovec { iov_base: cb.aio_buf, iov_len: len }]
            };
            // The offset counts only where there is a position.
            let offset = if target.seekable {
                if cb.aio_offset < 0 {
                    return Err(Error::InvalidArgument);
                }
                Some(cb.aio_offset as u64)
            } else {
                None
            };
            Ok(Request::Transfer { write, list, offset, flags: cb.aio_rw_flags })
        }
        IOCB_CMD_FSYNC | IOCB_CMD_FDSYNC => {
            if cb.aio_buf != 0 || cb.aio_offset != 0 || cb.aio_nbytes != 0 || cb.aio_rw_flags != 0 {
                return Err(Error::InvalidArgument);
            }
            // What cannot be synced at all is refused at submission.
            match ops.fsync(f) {
                Err(Error::InvalidArgument) => Err(Error::InvalidArgument),
                r => Ok(Request::Synced(result_of(r.map(|()| 0)))),
            }
        }
        IOCB_CMD_POLL => {
            if u64::from(cb.aio_buf as u16) != cb.aio_buf
                || cb.aio_offset != 0
                || cb.aio_nbytes != 0
                || cb.aio_rw_flags != 0
            {
                return Err(Error::InvalidArgument);
            }
            Ok(Request::Poll { events: cb.aio_buf as u16 | POLLERR | POLLHUP })
        }
        // IOCB_CMD_NOOP among them: Linux never implemented it.
        _ => Err(Error::InvalidArgument),
    }
}

/// Carries `request` out if it can go without waiting: its result, or
/// None to wait.
fn carry_out(ops: &mut dyn KernelOps, f: i32, request: &Request) -> Option<i64> {
    match request {
        Request::Synced(result) => Some(*result),
        Request::Poll { events } => {
            let mut r = [PollRequest { fd: f, wanted: wanted(*events), returned: PollEvents::default() }];
            match ops.poll(&mut r, Some(0)) {
                Ok(0) => None,
                Ok(_) => Some(i64::from(revents(*events, &r[0].returned))),
                Err(e) => Some(result_of(Err(e))),
            }
        }
        Request::Transfer { write, list, offset, flags } => {
            let target = match Target::of(ops, f, *write, offset.is_some()) {
                Ok(t) => t,
                // The descriptor went away or changed under a waiting request.
                Err(e) => return Some(result_of(Err(e))),
            };
            let asked_not_to_wait = flags & RWF_NOWAIT != 0 || target.non_blocking();
            if target.seekable || asked_not_to_wait {
                return Some(result_of(io::transfer(ops, &target, list, *write, *offset, *flags)));
            }
            if list.iter().all(|v| v.iov_len == 0) {
                return Some(0);
            }
            // A stream: only when it is ready, and never blocking here.
            match io::transfer(ops, &target, list, *write, None, flags | RWF_NOWAIT) {
                Err(Error::WouldBlock) => None,
                r => Some(result_of(r)),
            }
        }
    }
}

/// The record a waiting request keeps: its iocb, then its buffers.
fn record_of(cb: &Iocb, request: &Request) -> Vec<u8> {
    let mut record = cb.to_bytes().to_vec();
    if let Request::Transfer { list, .. } = request {
        for v in list {
            record.extend_from_slice(&v.to_bytes());
        }
    }
    record
}

fn request_of(record: &[u8]) -> Option<(Iocb, Request)> {
    let cb = Iocb::from_bytes(record)?;
    let request = match cb.aio_lio_opcode {
        IOCB_CMD_POLL => Request::Poll { events: cb.aio_buf as u16 | POLLERR | POLLHUP },
        op => {
            let list = linux_abi::iovec::iovecs(&record[Iocb::SIZE..])?.collect();
            let write = matches!(op, IOCB_CMD_PWRITE | IOCB_CMD_PWRITEV);
            Request::Transfer { write, list, offset: None, flags: cb.aio_rw_flags }
        }
    };
    Some((cb, request))
}

/// Records a completion, mirrors it into the ring and signals the eventfd.
fn complete(ops: &mut dyn KernelOps, id: u64, c: AioCompletion, notify: Option<i32>) {
    let mut placed = None;
    let _ = ops.aio_update(id, &mut |s| {
        let index = s.tail;
        if s.complete(c) {
            placed = Some((s.ring, index, s.tail));
        }
    });
    if let Some((ring, index, tail)) = placed {
        let event = IoEvent { data: c.data, obj: c.request, res: c.result, res2: c.result2 };
        // The ring is the process's own memory: if it unmapped or broke
        // it, only its user-space readers suffer; the state stays right.
        let _ = ops.copy_out(ring + RingHeader::slot_offset(index), &event.to_bytes());
        let _ = ops.copy_out(ring + RingHeader::OFF_TAIL, &tail.to_le_bytes());
    }
    if let Some(fd) = notify {
        let _ = ops.add_to_counter(fd, 1);
    }
}

/// Carries out the waiting requests whose descriptors are ready.
fn run_waiting(ops: &mut dyn KernelOps, id: u64) -> KResult<()> {
    let mut waiting = Vec::new();
    ops.aio_update(id, &mut |s| waiting = s.waiting.clone())?;
    if waiting.is_empty() {
        return Ok(());
    }
    let mut polls: Vec<PollRequest> =
        waiting.iter().map(|w| PollRequest { fd: w.fd, wanted: w.wanted, returned: PollEvents::default() }).collect();
    ops.poll(&mut polls, Some(0))?;
    for (w, p) in waiting.iter().zip(&polls) {
        let r = p.returned;
        if !(r.readable || r.writable || r.hang_up || r.error || r.invalid || r.read_hang_up) {
            continue;
        }
        // Claim it (a canceller or another reaper may have been first).
        let mut claimed = false;
        ops.aio_update(id, &mut |s| {
            if let Some(i) = s.waiting.iter().position(|x| x.request == w.request) {
                s.waiting.remove(i);
                claimed = true;
            }
        })?;
        let Some((cb, request)) = request_of(&w.record).filter(|_| claimed) else { continue };
        match carry_out(ops, w.fd, &request) {
            Some(result) => {
                let notify = (cb.aio_flags & IOCB_FLAG_RESFD != 0).then_some(cb.aio_resfd as i32);
                complete(ops, id, AioCompletion { data: cb.aio_data, request: w.request, result, result2: 0 }, notify);
            }
            // Someone else took the data first: wait again.
            None => ops.aio_update(id, &mut |s| s.waiting.push(w.clone()))?,
        }
    }
    Ok(())
}

/// io_cancel(ctx, iocb, result): only a waiting poll request can be
/// cancelled, as on Linux (the others are never cancellable there); its
/// completion (no events) goes to the ring and the call says
/// EINPROGRESS.
pub fn io_cancel(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (id, addr) = (a[0], a[1]);
    if read_u32(ops, addr.wrapping_add(Iocb::OFF_KEY))? != KIOCB_KEY {
        return Err(Error::InvalidArgument);
    }
    let mut found = None;
    ops.aio_update(id, &mut |s| {
        let poll = |w: &AioWaiting| {
            w.request == addr && Iocb::from_bytes(&w.record).is_some_and(|cb| cb.aio_lio_opcode == IOCB_CMD_POLL)
        };
        if let Some(i) = s.waiting.iter().position(poll) {
            found = Some(s.waiting.remove(i));
        }
    })?;
    let Some(w) = found else { return Err(Error::InvalidArgument) };
    let cb = Iocb::from_bytes(&w.record).ok_or(Error::InvalidArgument)?;
    let notify = (cb.aio_flags & IOCB_FLAG_RESFD != 0).then_some(cb.aio_resfd as i32);
    complete(ops, id, AioCompletion { data: cb.aio_data, request: addr, result: 0, result2: 0 }, notify);
    // EINPROGRESS is how Linux reports success here; the core has no
    // error for it, so the raw return value carries it.
    Ok((-i64::from(linux_abi::errno::EINPROGRESS)) as u64)
}

/// io_getevents(ctx, min_nr, nr, events, timeout).
pub fn io_getevents(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let timeout = timeout(ops, a[4])?;
    get_events(ops, a[0], a[1] as i64, a[2] as i64, a[3], timeout)
}

/// io_pgetevents(ctx, min_nr, nr, events, timeout, usig): as io_getevents
/// with `usig->sigmask` (of `usig->sigsetsize` bytes) installed meanwhile.
pub fn io_pgetevents(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let timeout = timeout(ops, a[4])?;
    // The address of the mask to install (0: none).
    let mut mask = 0;
    if a[5] != 0 {
        let mut usig = [0u8; 16];
        ops.copy_in(a[5], &mut usig)?;
        let (sigmask, size) = (
            u64::from_le_bytes(usig[..8].try_into().unwrap_or_default()),
            u64::from_le_bytes(usig[8..].try_into().unwrap_or_default()),
        );
        if sigmask != 0 && size != 8 {
            return Err(Error::InvalidArgument);
        }
        mask = sigmask;
    }
    crate::sys::poll::with_mask(ops, mask, |ops| get_events(ops, a[0], a[1] as i64, a[2] as i64, a[3], timeout))
}

/// The timeout in ns (None: none). Linux does not check the timespec's
/// range: anything not a positive time is "now".
fn timeout(ops: &mut dyn KernelOps, addr: u64) -> KResult<Option<u64>> {
    if addr == 0 {
        return Ok(None);
    }
    Ok(Some(read_timespec(ops, addr)?.to_nanos().unwrap_or(0)))
}

fn get_events(
    ops: &mut dyn KernelOps,
    id: u64,
    min_nr: i64,
    nr: i64,
    events: u64,
    timeout: Option<u64>,
) -> KResult<u64> {
    ops.aio_update(id, &mut |_| {})?;
    if min_nr < 0 || min_nr > nr {
        return Err(Error::InvalidArgument);
    }
    let deadline = match timeout {
        Some(t) => Some(ops.clock(Clock::Monotonic)?.saturating_add(t)),
        None => None,
    };
    let (min, max) = (min_nr as usize, nr as usize);
    let mut got = 0usize;
    let mut expired = timeout == Some(0);
    loop {
        run_waiting(ops, id)?;
        // Look, copy out, then take: a fault leaves them for the next call.
        let user_head = read_u32(ops, id + RingHeader::OFF_HEAD).ok();
        let (mut peek, mut seen, mut head, mut watch) = (Vec::new(), 0, 0, Vec::new());
        ops.aio_update(id, &mut |s| {
            if let Some(h) = user_head {
                s.reaped_in_user_space(h);
            }
            peek = s.done.iter().take(max - got).copied().collect();
            seen = s.generation;
            head = s.head;
            watch = s
                .waiting
                .iter()
                .map(|w| PollRequest { fd: w.fd, wanted: w.wanted, returned: PollEvents::default() })
                .collect();
        })?;
        if !peek.is_empty() {
            let mut bytes = Vec::new();
            for c in &peek {
                bytes.extend_from_slice(
                    &IoEvent { data: c.data, obj: c.request, res: c.result, res2: c.result2 }.to_bytes(),
                );
            }
            if let Err(e) = ops.copy_out(events + (got * IoEvent::SIZE) as u64, &bytes) {
                return if got > 0 { Ok(got as u64) } else { Err(e) };
            }
            let mut taken = 0;
            let mut new_head = 0;
            ops.aio_update(id, &mut |s| {
                // Another reaper took them meanwhile: they are its.
                if s.head == head {
                    taken = s.take(peek.len()).len();
                }
                new_head = s.head;
            })?;
            let _ = ops.copy_out(id + RingHeader::OFF_HEAD, &new_head.to_le_bytes());
            got += taken;
        }
        if got >= min || got == max || expired {
            return Ok(got as u64);
        }
        match ops.aio_wait(id, seen, &mut watch, deadline) {
            Ok(()) => {}
            Err(Error::TimedOut) => expired = true,
            // A destroyed context: what was taken, else EINVAL.
            Err(e) => return if got > 0 { Ok(got as u64) } else { Err(e) },
        }
    }
}
