//! Descriptors for kernel objects: pipes, memory files, counters, signal
//! readers, timer files: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Clock, CounterFlags, DescriptorFlags, Fd, KResult, Seals};

/// Descriptors for kernel objects rather than files: pipes, memory files
/// (memfd), counters (eventfd), signal readers (signalfd) and timer files
/// (timerfd).
pub trait SpecialFileOps {
    fn pipe(&mut self, close_on_exec: bool, non_blocking: bool) -> KResult<(Fd, Fd)>;
    /// How many bytes the pipe (or FIFO) behind `fd` holds at most
    /// (`BadDescriptor` for other kinds).
    fn pipe_capacity(&mut self, fd: Fd) -> KResult<usize>;
    /// Resizes it to `bytes` (the personality has rounded it): growing
    /// past the system's maximum needs privilege (`NotPermitted`), and it
    /// cannot shrink below what it holds (`Busy`). Returns the capacity.
    fn set_pipe_capacity(&mut self, fd: Fd, bytes: usize) -> KResult<usize>;
    /// A memory file (memfd): a regular file in memory that no directory
    /// lists, named `name` in /proc links. Without `allow_sealing` it
    /// starts sealed against further seals.
    fn create_memory_file(&mut self, name: &[u8], close_on_exec: bool, allow_sealing: bool) -> KResult<Fd>;
    /// The seals of the memory file behind `fd` (`InvalidArgument` for
    /// other kinds of file).
    fn seals(&mut self, fd: Fd) -> KResult<Seals>;
    /// Adds seals: `NotPermitted` when sealing is sealed or `fd` is not
    /// open for writing, `Busy` for a write seal while writable shared
    /// mappings exist.
    fn add_seals(&mut self, fd: Fd, seals: Seals) -> KResult<()>;
    /// A counter descriptor (eventfd): a read takes the count (or 1) as 8
    /// bytes, blocking at zero; a write adds an 8-byte value, blocking when
    /// the count would pass `u64::MAX - 1`.
    fn create_counter(&mut self, initial: u64, flags: CounterFlags) -> KResult<Fd>;
    /// A signal reader (signalfd): reading it takes the reading thread's
    /// pending signals that are in `mask` (its own first, then its
    /// process's) as records in `format`, blocking while there are none;
    /// it polls readable while one is pending. KILL and STOP never count.
    fn create_signal_reader(
        &mut self,
        mask: crate::SignalSet,
        flags: DescriptorFlags,
        format: &'static dyn crate::SignalRecordFormat,
    ) -> KResult<Fd>;
    /// Replaces a signal reader's mask (`InvalidArgument` for another kind).
    fn set_signal_reader_mask(&mut self, fd: Fd, mask: crate::SignalSet) -> KResult<()>;
    /// A timer descriptor (timerfd) on `clock` (Realtime, Monotonic or
    /// Boottime), disarmed: a read takes the number of expirations since
    /// the last read as 8 native-endian bytes, blocking at zero.
    fn create_timer_file(&mut self, clock: Clock, flags: DescriptorFlags) -> KResult<Fd>;
    /// Arms (value > 0) or disarms (value 0) it: the first expiry `value`
    /// ns from now, or at `value` on its clock when `absolute`; then every
    /// `interval` ns (0: once). Pending expirations are dropped. Returns
    /// the previous (time left, interval).
    fn set_timer_file(&mut self, fd: Fd, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)>;
    /// (time left until the next expiry, 0 when disarmed; interval).
    fn get_timer_file(&mut self, fd: Fd) -> KResult<(u64, u64)>;
}
