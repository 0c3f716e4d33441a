//! Moving data between open files inside the kernel: splice (one side a
//! pipe), tee (pipe to pipe, the input left as it was) and
//! copy_file_range (two regular files). The data is copied
//! through a kernel buffer in chunks, never handed over page by page;
//! what a program can observe (counts, offsets, blocking, errors) is
//! Linux's.

use super::{with_vfs, FileObject, OpenFile, Pipe};
use alloc::sync::Arc;
use kernel_ops::{Error, KResult};
use vfs::FileType;

/// Largest chunk copied per step.
const CHUNK: usize = 64 * 1024;

/// The pipe behind a pipe or FIFO descriptor, whichever end.
pub fn pipe_of(file: &OpenFile) -> Option<&Arc<Pipe>> {
    match &file.object {
        FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => Some(p),
        _ => None,
    }
}

fn non_blocking(file: &OpenFile) -> bool {
    file.status.lock().non_blocking
}

/// Where a transfer starts on a non-pipe side: the offset given, or the
/// file's own position (None for a stream without one: a terminal, a
/// device).
fn start_position(file: &OpenFile, offset: Option<u64>) -> Option<u64> {
    match offset {
        Some(o) => Some(o),
        None if file.seekable() => Some(*file.offset.lock()),
        None => None,
    }
}

/// After moving `n` bytes from `start`: the file's own position moves
/// when no offset was given (a given offset is the caller's to update).
fn finish_position(file: &OpenFile, offset: Option<u64>, start: Option<u64>, n: usize) {
    if let (None, Some(at)) = (offset, start) {
        *file.offset.lock() = at + n as u64;
    }
}

/// copy_file_range between two open files, as Linux checks it: both
/// regular files (a directory is `IsDirectory`, anything else
/// `InvalidArgument`), the input readable and the output writable and not
/// appending (`BadDescriptor`), and, within one file, ranges that do not
/// overlap (`InvalidArgument`).
pub fn copy_range(
    src: &OpenFile,
    in_offset: Option<u64>,
    dst: &OpenFile,
    out_offset: Option<u64>,
    count: usize,
) -> KResult<usize> {
    let (Some(from), Some(to)) = (src.node(), dst.node()) else { return Err(Error::InvalidArgument) };
    let (in_meta, out_meta) = with_vfs(|v| -> KResult<_> { Ok((v.metadata(from)?, v.metadata(to)?)) })?;
    if in_meta.is_dir() || out_meta.is_dir() {
        return Err(Error::IsDirectory);
    }
    if in_meta.file_type != FileType::Regular || out_meta.file_type != FileType::Regular {
        return Err(Error::InvalidArgument);
    }
    if !src.can_read() || !dst.can_write() || dst.status.lock().append {
        return Err(Error::BadDescriptor);
    }
    let in_at = in_offset.unwrap_or_else(|| *src.offset.lock());
    let out_at = out_offset.unwrap_or_else(|| *dst.offset.lock());
    // Only what the input holds counts, for the overlap rule too.
    let count =
        if in_at >= in_meta.size { 0 } else { count.min((in_meta.size - in_at).min(usize::MAX as u64) as usize) };
    let n = count as u64;
    if from == to && out_at < in_at.saturating_add(n) && in_at < out_at.saturating_add(n) {
        return Err(Error::InvalidArgument);
    }
    if count == 0 {
        return Ok(0);
    }
    let mut buf = super::buffer(count.min(CHUNK))?;
    let mut done = 0usize;
    while done < count {
        let want = (count - done).min(buf.len());
        let got = match src.read(&mut buf[..want], Some(in_at + done as u64)) {
            Ok(g) => g,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        if got == 0 {
            break;
        }
        let put = match dst.write(&buf[..got], Some(out_at + done as u64)) {
            Ok(p) => p,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += put;
        if put < got {
            break;
        }
        // Bounded by the input's size, but that may be large: others run
        // between chunks, and a signal ends the copy with what was done.
        if crate::sched::current().has_deliverable_signal() {
            break;
        }
        crate::sched::preemption_point();
    }
    finish_position(src, in_offset, Some(in_at), done);
    finish_position(dst, out_offset, Some(out_at), done);
    Ok(done)
}

/// splice between two open files, one of them a pipe (see `KernelOps::splice`).
/// `non_blocking` is SPLICE_F_NONBLOCK; a pipe's own O_NONBLOCK counts too.
pub fn splice(
    src: &OpenFile,
    in_offset: Option<u64>,
    dst: &OpenFile,
    out_offset: Option<u64>,
    count: usize,
    non_blocking_flag: bool,
) -> KResult<usize> {
    if !src.can_read() || !dst.can_write() {
        return Err(Error::BadDescriptor);
    }
    match (pipe_of(src), pipe_of(dst)) {
        (Some(input), Some(output)) => {
            if in_offset.is_some() || out_offset.is_some() {
                return Err(Error::IllegalSeek);
            }
            if Arc::ptr_eq(input, output) {
                return Err(Error::InvalidArgument);
            }
            let nb = non_blocking_flag || non_blocking(src) || non_blocking(dst);
            pipe_to_pipe(input, output, count, nb)
        }
        (Some(input), None) => {
            if in_offset.is_some() {
                return Err(Error::IllegalSeek);
            }
            if (out_offset.is_some() && !dst.seekable()) || dst.status.lock().append {
                return Err(Error::InvalidArgument);
            }
            from_pipe(input, dst, out_offset, count, non_blocking_flag || non_blocking(src))
        }
        (None, Some(output)) => {
            if out_offset.is_some() {
                return Err(Error::IllegalSeek);
            }
            if in_offset.is_some() && !src.seekable() {
                return Err(Error::InvalidArgument);
            }
            into_pipe(src, in_offset, output, count, non_blocking_flag || non_blocking(dst))
        }
        (None, None) => Err(Error::InvalidArgument),
    }
}

/// tee between two open files, both pipes and not the same one (else
/// `InvalidArgument`): copies up to `count` of the bytes the input holds
/// (waiting for some unless non-blocking; 0 once it is empty with no
/// writer left) into the output, as much as it has room for, and leaves
/// the input as it was. `non_blocking` is SPLICE_F_NONBLOCK; either
/// pipe's O_NONBLOCK counts too.
pub fn tee(src: &OpenFile, dst: &OpenFile, count: usize, non_blocking_flag: bool) -> KResult<usize> {
    if !src.can_read() || !dst.can_write() {
        return Err(Error::BadDescriptor);
    }
    let (Some(input), Some(output)) = (pipe_of(src), pipe_of(dst)) else { return Err(Error::InvalidArgument) };
    if Arc::ptr_eq(input, output) {
        return Err(Error::InvalidArgument);
    }
    let nb = non_blocking_flag || non_blocking(src) || non_blocking(dst);
    if input.wait_for_data(nb)? == 0 {
        return Ok(0);
    }
    let room = output.wait_for_room(nb)?;
    let mut buf = super::buffer(count.min(room).min(CHUNK))?;
    let got = input.peek(&mut buf);
    if got == 0 {
        return Ok(0);
    }
    output.write(&buf[..got], true)
}

/// Moves what the input pipe has (waiting for something unless
/// non-blocking), at most what the output has room for.
fn pipe_to_pipe(input: &Pipe, output: &Pipe, count: usize, nb: bool) -> KResult<usize> {
    let room = output.wait_for_room(nb)?;
    let mut buf = super::buffer(count.min(room).min(CHUNK))?;
    let got = input.read(&mut buf, nb)?;
    if got == 0 {
        return Ok(0);
    }
    output.write(&buf[..got], nb)
}

/// Takes what the pipe has (waiting for something unless non-blocking;
/// 0 once it is empty with no writers left) and writes it to the file at
/// its offset or position. Bytes the file refuses after they left the
/// pipe are lost (Linux leaves them in the pipe).
fn from_pipe(input: &Pipe, dst: &OpenFile, out_offset: Option<u64>, count: usize, nb: bool) -> KResult<usize> {
    let mut buf = super::buffer(count.min(CHUNK))?;
    let got = input.read(&mut buf, nb)?;
    if got == 0 {
        return Ok(0);
    }
    let start = start_position(dst, out_offset);
    let put = dst.write(&buf[..got], start)?;
    finish_position(dst, out_offset, start, put);
    Ok(put)
}

/// Reads from the file (at its offset or position) as much as the pipe
/// has room for, waiting for room unless non-blocking, and puts it in.
fn into_pipe(src: &OpenFile, in_offset: Option<u64>, output: &Pipe, count: usize, nb: bool) -> KResult<usize> {
    let room = output.wait_for_room(nb)?;
    let mut buf = super::buffer(count.min(room).min(CHUNK))?;
    let start = start_position(src, in_offset);
    let got = src.read(&mut buf, start)?;
    if got == 0 {
        return Ok(0);
    }
    let put = output.write(&buf[..got], nb)?;
    finish_position(src, in_offset, start, put);
    Ok(put)
}
