//! Moving data between descriptors inside the kernel: one part of the
//! core's surface, [`crate::KernelOps`].

use crate::{Fd, KResult, SpliceFlags};

/// Moving data between descriptors (and pipes and user buffers) inside the
/// kernel: sendfile, copy_file_range, splice, tee, vmsplice.
pub trait TransferOps {
    /// Copies up to `count` bytes from `input` (at `offset`, or its file
    /// position) to `output` inside the kernel (sendfile, copy_file_range).
    /// Returns bytes moved and the offset after them when one was given.
    fn transfer(&mut self, output: Fd, input: Fd, offset: Option<u64>, count: usize) -> KResult<(usize, Option<u64>)>;
    /// copy_file_range: copies up to `count` bytes between two regular
    /// files, each at its offset when given (its file position otherwise,
    /// which then advances). Returns the bytes copied (0 at the end).
    fn copy_range(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
    ) -> KResult<usize>;
    /// splice: moves up to `count` bytes from `input` to `output`, one of
    /// which is a pipe; the other side is read or written at its offset
    /// when given. A pipe side with an offset is `IllegalSeek`; neither a
    /// pipe is `InvalidArgument`. Returns the bytes moved.
    fn splice(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
        flags: SpliceFlags,
    ) -> KResult<usize>;
    /// tee: copies up to `count` bytes from the pipe `input` into the pipe
    /// `output` without taking them from the input. Not two different
    /// pipes: `InvalidArgument`. Returns the bytes copied (0 when the
    /// input is empty and has no writer left).
    fn tee(&mut self, input: Fd, output: Fd, count: usize, flags: SpliceFlags) -> KResult<usize>;
    /// vmsplice: `fd` open for writing on a pipe: puts the bytes of the
    /// user buffers (address, length) in it, as many as fit once there is
    /// room; open only for reading: takes what the pipe holds into them.
    /// Not a pipe: `BadDescriptor`. Only `flags` makes it non-blocking.
    fn vmsplice(&mut self, fd: Fd, buffers: &[(u64, usize)], flags: SpliceFlags) -> KResult<usize>;
}
