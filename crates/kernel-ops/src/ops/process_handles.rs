//! Process handles (pidfd): one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Error, Fd, KResult, Signal};

/// Process handles (pidfd): opening them, signalling through them, and
/// taking a descriptor from the process one names.
pub trait ProcessHandleOps {
    /// A process handle (pidfd) for the process `pid` (which must exist and
    /// lead its thread group: `NoSuchProcess` otherwise). Always
    /// close-on-exec, as on Linux.
    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd>;
    /// Sends `signal` (None: only checks) to the process `fd` names: a
    /// process handle, or a /proc/<pid> directory; gives its pid.
    /// `BadDescriptor` for any other descriptor, `NoSuchProcess` once the
    /// process has exited.
    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32>;
    /// The pid of the process a process handle names (waitid's P_PIDFD),
    /// zombie or not; None once it has been reaped. `BadDescriptor` for
    /// any other descriptor.
    fn process_handle_pid(&mut self, fd: Fd) -> KResult<Option<u32>> {
        let _ = fd;
        Err(Error::BadDescriptor)
    }
    /// pidfd_getfd: a new close-on-exec descriptor for the open file that
    /// descriptor `fd` of the process behind `handle` holds. Needs the
    /// right to attach to that process (`NotPermitted`).
    fn take_process_descriptor(&mut self, handle: Fd, fd: Fd) -> KResult<Fd> {
        let _ = (handle, fd);
        Err(Error::NotImplemented)
    }
}
