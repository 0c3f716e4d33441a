//! Opening, closing, reading and writing descriptors, and their flags: one
//! part of the core's surface, [`crate::KernelOps`].

use crate::{DirFd, Fd, KResult, OpenFlags, ResolveRules, StatusFlags, Whence};

/// Descriptors: opening and closing them, reading, writing and seeking,
/// duplicating them, their flags, and writing their files back.
pub trait DescriptorOps {
    fn open(&mut self, dir: DirFd, path: &[u8], flags: OpenFlags, mode: u32) -> KResult<Fd>;
    /// open, with the path walked under `rules` (openat2).
    fn open_with_rules(
        &mut self,
        dir: DirFd,
        path: &[u8],
        flags: OpenFlags,
        mode: u32,
        rules: ResolveRules,
    ) -> KResult<Fd>;
    fn close(&mut self, fd: Fd) -> KResult<()>;
    /// Closes every open descriptor from `first` to `last` (or only marks
    /// them close-on-exec), after giving the process a private descriptor
    /// table when `unshare`.
    fn close_range(&mut self, first: u32, last: u32, close_on_exec_only: bool, unshare: bool) -> KResult<()>;
    fn read(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize>;
    fn write(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize>;
    /// writev: the buffers (address, length; none empty) in order, as one
    /// write where the core can make it one (a pipe takes up to PIPE_BUF
    /// bytes from it at once, as from a single write). The default writes
    /// them one after another, stopping at the first short write.
    fn write_gathered(&mut self, fd: Fd, buffers: &[(u64, usize)]) -> KResult<usize> {
        write_each(buffers, |buf, len| self.write(fd, buf, len))
    }
    fn pread(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize>;
    fn pwrite(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize>;
    fn seek(&mut self, fd: Fd, offset: i64, whence: Whence) -> KResult<u64>;
    /// How many descriptor numbers the process's table has room for, as
    /// Linux's `max_fds` (select reads and writes that many bits at most):
    /// 64 to begin with, grown to the power of two above the highest
    /// number ever installed.
    fn descriptor_table_size(&mut self) -> u32;
    /// dup (lowest free ≥ min) or dup2/dup3 (exactly `to`).
    fn dup(&mut self, fd: Fd, min: Fd, close_on_exec: bool) -> KResult<Fd>;
    fn dup_to(&mut self, fd: Fd, to: Fd, close_on_exec: bool) -> KResult<Fd>;
    fn close_on_exec(&mut self, fd: Fd) -> KResult<bool>;
    fn set_close_on_exec(&mut self, fd: Fd, value: bool) -> KResult<()>;
    /// The open file's access mode and status flags.
    fn status_flags(&mut self, fd: Fd) -> KResult<(OpenFlags, StatusFlags)>;
    fn set_status_flags(&mut self, fd: Fd, flags: StatusFlags) -> KResult<()>;
    /// Writes the file behind `fd` back; kinds that cannot be synced
    /// (pipes, devices, terminals, ...) are `InvalidArgument`, as Linux.
    fn fsync(&mut self, fd: Fd) -> KResult<()>;
}

/// Writes `buffers` one after another with `write`, stopping at the first
/// short write; an error counts only if nothing was written (writev's
/// rule). The default `write_gathered`, and a core's for what it does not
/// gather.
pub fn write_each(buffers: &[(u64, usize)], mut write: impl FnMut(u64, usize) -> KResult<usize>) -> KResult<usize> {
    let mut total = 0;
    for &(buf, len) in buffers {
        match write(buf, len) {
            Ok(n) => {
                total += n;
                if n < len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(total)
}
