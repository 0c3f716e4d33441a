//! POSIX message queues: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Fd, KResult, OpenFlags};
use alloc::vec::Vec;

/// POSIX message queues.
pub trait MessageQueueOps {
    /// mq_open: the queue `name` (no leading slash) opened as a descriptor
    /// (`flags`: read/write, create, exclusive, non_blocking,
    /// close_on_exec); a new one gets `mode` and `attr` (maxmsg, msgsize)
    /// or the defaults.
    fn mq_open(&mut self, name: &[u8], flags: OpenFlags, mode: u32, attr: Option<(i64, i64)>) -> KResult<Fd> {
        let _ = (name, flags, mode, attr);
        Err(crate::Error::NotImplemented)
    }
    fn mq_unlink(&mut self, name: &[u8]) -> KResult<()> {
        let _ = name;
        Err(crate::Error::NotImplemented)
    }
    /// mq_timedsend: waits while the queue is full (unless the descriptor
    /// is non-blocking) until `deadline` on the realtime clock (`TimedOut`).
    fn mq_send(&mut self, fd: Fd, data: &[u8], prio: u32, deadline: Option<u64>) -> KResult<()> {
        let _ = (fd, data, prio, deadline);
        Err(crate::Error::NotImplemented)
    }
    /// mq_timedreceive: (priority, message), waiting as `mq_send` does.
    fn mq_receive(&mut self, fd: Fd, max: usize, deadline: Option<u64>) -> KResult<(u32, Vec<u8>)> {
        let _ = (fd, max, deadline);
        Err(crate::Error::NotImplemented)
    }
    /// mq_notify: registers the calling process (None: removes its registration).
    fn mq_notify(&mut self, fd: Fd, notify: Option<sysv_ipc::mqueue::Notify>) -> KResult<()> {
        let _ = (fd, notify);
        Err(crate::Error::NotImplemented)
    }
    /// (maxmsg, msgsize, messages now) of the queue behind `fd`
    /// (`BadDescriptor` for another kind of descriptor).
    fn mq_attributes(&mut self, fd: Fd) -> KResult<(i64, i64, i64)> {
        let _ = fd;
        Err(crate::Error::NotImplemented)
    }
}
