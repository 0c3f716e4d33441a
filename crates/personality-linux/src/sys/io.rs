//! Reading, writing and seeking; the vectored calls, at an offset or not.

use crate::util::fd;
use kernel_ops::{Error, KResult, KernelOps, PollEvents, PollRequest, Whence};
use linux_abi::iovec::{Iovec, RWF_APPEND, RWF_DSYNC, RWF_HIPRI, RWF_NOAPPEND, RWF_NOWAIT, RWF_SYNC, UIO_MAXIOV};

/// Linux caps one transfer at 2 GiB minus a page.
pub(crate) const MAX_RW: u64 = 0x7fff_f000;

pub fn read(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.read(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn write(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.write(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn pread64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[3] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.pread(fd(a[0]), a[1], a[2].min(MAX_RW) as usize, a[3])? as u64)
}

/// pwrite on an O_APPEND descriptor appends whatever the offset: a
/// documented Linux behaviour programs meet.
pub fn pwrite64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[3] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    let f = fd(a[0]);
    let at = if ops.status_flags(f)?.1.append { ops.fstat(f)?.meta.size } else { a[3] };
    Ok(ops.pwrite(f, a[1], a[2].min(MAX_RW) as usize, at)? as u64)
}

pub fn lseek(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // whence is an unsigned int: the register's upper half is not part of it.
    let whence = match a[2] as u32 {
        0 => Whence::Set,
        1 => Whence::Current,
        2 => Whence::End,
        3 => Whence::Data,
        4 => Whence::Hole,
        _ => return Err(Error::InvalidArgument),
    };
    ops.seek(fd(a[0]), a[1] as i64, whence)
}

pub fn sendfile(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let offset = if a[2] == 0 { None } else { Some(crate::util::read_u64(ops, a[2])?) };
    if offset.is_some_and(|o| (o as i64) < 0) {
        return Err(Error::InvalidArgument);
    }
    let (n, after) = ops.transfer(fd(a[0]), fd(a[1]), offset, a[3].min(MAX_RW) as usize)?;
    if let Some(o) = after {
        crate::util::write_u64(ops, a[2], o)?;
    }
    Ok(n as u64)
}

pub fn fallocate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const FALLOC_FL_KEEP_SIZE: u64 = 1;
    let (offset, len) = (a[2] as i64, a[3] as i64);
    // No descriptor: EBADF before anything (Linux's fdget in
    // ksys_fallocate); then vfs_fallocate's order.
    let opened = ops.status_flags(fd(a[0]))?.0;
    if offset < 0 || len <= 0 {
        return Err(Error::InvalidArgument);
    }
    // A descriptor not open for writing: EBADF, as Linux's vfs_fallocate
    // (after the mode, before the file's kind and the size limit).
    if matches!(a[1], 0 | FALLOC_FL_KEEP_SIZE) && !opened.write {
        return Err(Error::BadDescriptor);
    }
    let end = offset.checked_add(len).ok_or(Error::FileTooBig)? as u64;
    match a[1] {
        0 => {
            // RAM-backed files allocate on write; only the size must grow.
            let size = ops.fstat(fd(a[0]))?.meta.size;
            if end > size {
                ops.ftruncate(fd(a[0]), end)?;
            }
            Ok(0)
        }
        FALLOC_FL_KEEP_SIZE => ops.fstat(fd(a[0])).map(|_| 0),
        mode => {
            ops.log_unsupported(format_args!("linux: fallocate mode {mode:#x}"));
            Err(Error::NotSupported)
        }
    }
}

/// The end of user space (x86_64's TASK_SIZE_MAX): a buffer reaching past
/// it fails Linux's access_ok.
pub(crate) const USER_END: u64 = 0x7fff_ffff_f000;

/// A user's iovec array, checked as Linux's import_iovec checks it: too
/// many elements or a negative length is EINVAL, a buffer reaching out of
/// user space EFAULT; the lengths are then cut so the total stays within
/// one transfer's limit.
pub(crate) fn iovecs(ops: &mut dyn KernelOps, addr: u64, count: u64) -> KResult<alloc::vec::Vec<Iovec>> {
    if count > UIO_MAXIOV as u64 {
        return Err(Error::InvalidArgument);
    }
    let mut bytes = crate::util::buffer(count as usize * Iovec::SIZE)?;
    ops.copy_in(addr, &mut bytes)?;
    let mut list: alloc::vec::Vec<Iovec> = linux_abi::iovec::iovecs(&bytes).ok_or(Error::Fault)?.collect();
    if list.iter().any(|v| (v.iov_len as i64) < 0) {
        return Err(Error::InvalidArgument);
    }
    let mut total = 0u64;
    for v in &mut list {
        if v.iov_len > 0 && v.iov_base.checked_add(v.iov_len).is_none_or(|end| end > USER_END) {
            return Err(Error::Fault);
        }
        v.iov_len = v.iov_len.min(MAX_RW - total);
        total += v.iov_len;
    }
    Ok(list)
}

/// Whether `f` can be read (or written) now without waiting.
pub(crate) fn ready_now(ops: &mut dyn KernelOps, f: i32, write: bool) -> KResult<bool> {
    let wanted = PollEvents { readable: !write, writable: write, ..PollEvents::default() };
    let mut request = [PollRequest { fd: f, wanted, returned: PollEvents::default() }];
    ops.poll(&mut request, Some(0))?;
    let r = request[0].returned;
    Ok(r.readable || r.writable || r.hang_up || r.error)
}

/// Linux reads a whole vector in one go: from a pipe or terminal it takes
/// what is there and returns. Here each buffer is one read, so a read
/// after the first from something that can block happens only when data
/// is waiting (a short-read stop otherwise).
fn may_read_more(ops: &mut dyn KernelOps, f: i32, total: u64) -> bool {
    total == 0 || ops.seek(f, 0, Whence::Current).is_ok() || ready_now(ops, f, false).unwrap_or(false)
}

/// readv/writev: one transfer per buffer, stopping at the first short one;
/// an error after some bytes moved reports the bytes instead.
fn vectored(
    ops: &mut dyn KernelOps,
    a: [u64; 6],
    write: bool,
    transfer: fn(&mut dyn KernelOps, i32, u64, usize) -> KResult<usize>,
) -> KResult<u64> {
    let mut total = 0u64;
    for v in iovecs(ops, a[1], a[2])? {
        if v.iov_len == 0 {
            continue;
        }
        if !write && !may_read_more(ops, fd(a[0]), total) {
            break;
        }
        match transfer(ops, fd(a[0]), v.iov_base, v.iov_len.min(MAX_RW) as usize) {
            Ok(n) => {
                total += n as u64;
                if (n as u64) < v.iov_len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(total)
}

/// A socket takes all the buffers as one message (a datagram is never
/// split across a readv's buffers); None when `fd` is not a socket.
fn socket_vectored(ops: &mut dyn KernelOps, a: [u64; 6], send: bool) -> Option<KResult<u64>> {
    ops.socket_info(fd(a[0])).ok()?;
    let segments: alloc::vec::Vec<(u64, usize)> = match iovecs(ops, a[1], a[2]) {
        Ok(list) => list.iter().map(|v| (v.iov_base, v.iov_len.min(MAX_RW) as usize)).collect(),
        Err(e) => return Some(Err(e)),
    };
    Some(if send {
        let request = kernel_ops::SendRequest {
            data: &segments,
            to: None,
            rights: &[],
            credentials: None,
            non_blocking: false,
            no_signal: false,
            more: false,
        };
        ops.socket_send(fd(a[0]), &request).map(|n| n as u64)
    } else {
        let request = kernel_ops::ReceiveRequest {
            data: &segments,
            peek: false,
            wait_all: false,
            non_blocking: false,
            close_on_exec: false,
        };
        ops.socket_receive(fd(a[0]), &request, &|_| 0).map(|r| r.copied as u64)
    })
}

pub fn readv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if let Some(r) = socket_vectored(ops, a, false) {
        return r;
    }
    vectored(ops, a, false, |ops, f, buf, len| ops.read(f, buf, len))
}

pub fn writev(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if let Some(r) = socket_vectored(ops, a, true) {
        return r;
    }
    let buffers: alloc::vec::Vec<(u64, usize)> = iovecs(ops, a[1], a[2])?
        .iter()
        .filter(|v| v.iov_len > 0)
        .map(|v| (v.iov_base, v.iov_len.min(MAX_RW) as usize))
        .collect();
    if buffers.is_empty() {
        // Still an error for a bad descriptor, as Linux checks it first.
        return vectored(ops, a, true, |ops, f, buf, len| ops.write(f, buf, len));
    }
    ops.write_gathered(fd(a[0]), &buffers).map(|n| n as u64)
}

/// The offset of preadv/pwritev: Linux's `pos_from_hilo` on a 64-bit
/// kernel shifts the high word out entirely, so the low word is all of it.
fn offset_from_halves(low: u64, _high: u64) -> i64 {
    low as i64
}

/// The flags preadv2/pwritev2 know; anything else (RWF_ATOMIC and
/// RWF_DONTCACHE among them: no file here can do them) is EOPNOTSUPP,
/// as Linux answers for files that cannot.
const RWF_KNOWN: u32 = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND;

/// preadv, pwritev, preadv2, pwritev2: `offset` None is the file position
/// (preadv2's -1). Checks come in Linux's order: the descriptor, ESPIPE
/// for an offset on what cannot seek, the access mode, the vector, then
/// the flags (only once there is something to transfer).
fn vectored_at(ops: &mut dyn KernelOps, a: [u64; 6], write: bool, offset: Option<u64>, flags: u32) -> KResult<u64> {
    let target = Target::of(ops, fd(a[0]), write, offset.is_some())?;
    let list = iovecs(ops, a[1], a[2])?;
    if list.iter().all(|v| v.iov_len == 0) {
        return Ok(0);
    }
    check_rw_flags(flags)?;
    transfer(ops, &target, &list, write, offset, flags)
}

/// The descriptor of a positioned or vectored transfer, checked.
pub(crate) struct Target {
    pub fd: i32,
    /// Whether it has a position (files) or not (pipes, sockets, terminals).
    pub seekable: bool,
    status: kernel_ops::StatusFlags,
}

impl Target {
    /// BadDescriptor for no descriptor or the wrong access mode;
    /// IllegalSeek when `at_offset` and the file cannot seek.
    pub(crate) fn of(ops: &mut dyn KernelOps, f: i32, write: bool, at_offset: bool) -> KResult<Target> {
        // A transfer of nothing at 0: BadDescriptor, IllegalSeek, or whether
        // the file seeks at all.
        let probe = if write { ops.pwrite(f, 0, 0, 0) } else { ops.pread(f, 0, 0, 0) };
        let seekable = match probe {
            Err(Error::IllegalSeek) if at_offset => return Err(Error::IllegalSeek),
            Err(Error::IllegalSeek) => false,
            Err(Error::BadDescriptor) => return Err(Error::BadDescriptor),
            _ => true,
        };
        let (opened, status) = ops.status_flags(f)?;
        if !(if write { opened.write } else { opened.read }) {
            return Err(Error::BadDescriptor);
        }
        Ok(Target { fd: f, seekable, status })
    }

    /// Opened with O_NONBLOCK: a transfer that cannot go now fails.
    pub(crate) fn non_blocking(&self) -> bool {
        self.status.non_blocking
    }
}

/// The RWF_* flags of preadv2/pwritev2 and of AIO requests.
pub(crate) fn check_rw_flags(flags: u32) -> KResult<()> {
    if flags & !RWF_KNOWN != 0 {
        return Err(Error::NotSupported);
    }
    if flags & RWF_APPEND != 0 && flags & RWF_NOAPPEND != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// Moves the bytes of `list` (already checked) at `offset` or the file
/// position, as `flags` (already checked) say.
pub(crate) fn transfer(
    ops: &mut dyn KernelOps,
    target: &Target,
    list: &[Iovec],
    write: bool,
    offset: Option<u64>,
    flags: u32,
) -> KResult<u64> {
    let (f, seekable, status) = (target.fd, target.seekable, target.status);
    if flags & RWF_NOWAIT != 0 && !seekable {
        // Files in memory never wait; pipes and the like must be ready now.
        if !ready_now(ops, f, write)? {
            return Err(Error::WouldBlock);
        }
    }
    // Where a write goes: O_APPEND or RWF_APPEND put it at the end (even
    // with an offset, as Linux's pwrite does), unless RWF_NOAPPEND.
    let mut at = offset;
    let mut restore_position = false;
    if write && seekable {
        let append = (status.append || flags & RWF_APPEND != 0) && flags & RWF_NOAPPEND == 0;
        if append {
            match offset {
                // At an offset: at the end, the position untouched.
                Some(_) => at = Some(ops.fstat(f)?.meta.size),
                // O_APPEND already appends at the file position.
                None if status.append => {}
                None => {
                    at = Some(ops.seek(f, 0, Whence::End)?);
                    restore_position = true;
                }
            }
        } else if status.append && offset.is_none() {
            // RWF_NOAPPEND with the file position on an O_APPEND file.
            at = Some(ops.seek(f, 0, Whence::Current)?);
            restore_position = true;
        }
    }
    let mut total = 0u64;
    for v in list.iter().copied() {
        if v.iov_len == 0 {
            continue;
        }
        if !write && !seekable && total > 0 && !ready_now(ops, f, false)? {
            break;
        }
        let len = v.iov_len as usize;
        let moved = match (write, at) {
            (false, Some(o)) => ops.pread(f, v.iov_base, len, o + total),
            (false, None) => ops.read(f, v.iov_base, len),
            (true, Some(o)) => ops.pwrite(f, v.iov_base, len, o + total),
            (true, None) => ops.write(f, v.iov_base, len),
        };
        match moved {
            Ok(n) => {
                total += n as u64;
                if (n as u64) < v.iov_len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    if restore_position {
        if let Some(o) = at {
            ops.seek(f, (o + total) as i64, Whence::Set)?;
        }
    }
    if write && total > 0 && flags & (RWF_DSYNC | RWF_SYNC) != 0 {
        ops.fsync(f)?;
    }
    Ok(total)
}

/// preadv(fd, iov, iovcnt, pos_l, pos_h).
pub fn preadv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let pos = offset_from_halves(a[3], a[4]);
    if pos < 0 {
        return Err(Error::InvalidArgument);
    }
    vectored_at(ops, a, false, Some(pos as u64), 0)
}

/// pwritev(fd, iov, iovcnt, pos_l, pos_h).
pub fn pwritev(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let pos = offset_from_halves(a[3], a[4]);
    if pos < 0 {
        return Err(Error::InvalidArgument);
    }
    vectored_at(ops, a, true, Some(pos as u64), 0)
}

/// preadv2/pwritev2's offset: -1 is the file position; other negative
/// offsets are EINVAL.
fn offset2(a: [u64; 6]) -> KResult<Option<u64>> {
    match offset_from_halves(a[3], a[4]) {
        -1 => Ok(None),
        p if p < 0 => Err(Error::InvalidArgument),
        p => Ok(Some(p as u64)),
    }
}

/// preadv2(fd, iov, iovcnt, pos_l, pos_h, flags).
pub fn preadv2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let offset = offset2(a)?;
    vectored_at(ops, a, false, offset, a[5] as u32)
}

/// pwritev2(fd, iov, iovcnt, pos_l, pos_h, flags).
pub fn pwritev2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let offset = offset2(a)?;
    vectored_at(ops, a, true, offset, a[5] as u32)
}
