//! Writing files back to their storage, beyond fsync and sync: a range
//! of one file (sync_file_range), one file system (syncfs), and reading
//! ahead (readahead), which asks the same page cache the other way.

use crate::util::fd;
use kernel_ops::{Error, KResult, KernelOps};
use linux_abi::fcntl::{SYNC_FILE_RANGE_WAIT_AFTER, SYNC_FILE_RANGE_WAIT_BEFORE, SYNC_FILE_RANGE_WRITE};
use vfs::FileType;

/// The kind of file behind a status, None for the anonymous kinds (event
/// counters, timers, signal readers, epoll and inotify sets, pidfds):
/// the core reports them as regular files on no device, where Linux gives
/// their inode no file type at all.
fn kind(st: &kernel_ops::FileStat) -> Option<FileType> {
    if st.dev == 0 && st.meta.file_type == FileType::Regular {
        return None;
    }
    Some(st.meta.file_type)
}

/// sync_file_range(fd, offset, nbytes, flags), checked in Linux's order:
/// the descriptor, the flags, the range (negative or wrapping: EINVAL),
/// then the kind of file (only files, directories and links: ESPIPE).
/// SYNC_FILE_RANGE_WRITE writes the file back; the waits have nothing to
/// wait for, as writing back here is done before the call returns.
pub fn sync_file_range(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let st = ops.fstat(fd(a[0]))?;
    let flags = a[3] as u32;
    if flags & !(SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0 {
        return Err(Error::InvalidArgument);
    }
    let (offset, nbytes) = (a[1] as i64, a[2] as i64);
    let end = offset.wrapping_add(nbytes);
    if offset < 0 || end < 0 || end < offset {
        return Err(Error::InvalidArgument);
    }
    if !matches!(kind(&st), Some(FileType::Regular | FileType::BlockDevice | FileType::Directory | FileType::Symlink)) {
        return Err(Error::IllegalSeek);
    }
    if flags & SYNC_FILE_RANGE_WRITE != 0 {
        ops.fsync(fd(a[0]))?;
    }
    Ok(0)
}

/// syncfs(fd): the file system holding the file.
pub fn syncfs(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.sync_filesystem(fd(a[0])).map(|_| 0)
}

/// readahead(fd, offset, count): only a descriptor open for reading
/// (EBADF) on a regular file or block device (EINVAL for every other
/// kind, as Linux since 6.9); a count past the signed range is EINVAL.
/// The page cache reads around each miss anyway, so there is nothing
/// more to start.
pub fn readahead(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (opened, _) = ops.status_flags(fd(a[0]))?;
    if !opened.read {
        return Err(Error::BadDescriptor);
    }
    let st = ops.fstat(fd(a[0]))?;
    if !matches!(kind(&st), Some(FileType::Regular | FileType::BlockDevice)) || (a[2] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(0)
}
