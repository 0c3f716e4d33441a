//! System V IPC: one part of the core's surface, [`crate::KernelOps`].

use crate::KResult;
use alloc::vec::Vec;

/// System V IPC (one namespace for the whole machine). Flags and commands
/// carry Linux's System V values (`sysv_ipc`'s constants); the defaults
/// say the core has none.
pub trait SystemVIpcOps {
    /// shmget, semget, msgget: `size` is the segment's bytes or the set's
    /// number of semaphores (0 for a queue).
    fn ipc_get(&mut self, kind: sysv_ipc::Kind, key: i32, flags: u32, size: u64) -> KResult<i32> {
        let _ = (kind, key, flags, size);
        Err(crate::Error::NotImplemented)
    }
    /// shmctl, semctl, msgctl without the user-memory part.
    fn ipc_control(&mut self, kind: sysv_ipc::Kind, id: i32, cmd: sysv_ipc::Command) -> KResult<sysv_ipc::Answer> {
        let _ = (kind, id, cmd);
        Err(crate::Error::NotImplemented)
    }
    /// semop/semtimedop: all of `ops` at once, waiting until they can be
    /// (or the monotonic `deadline`: `TimedOut`); a signal ends the wait
    /// with `Interrupted`, removal of the set with `IdentifierRemoved`.
    fn sem_operate(&mut self, id: i32, ops: &[sysv_ipc::sem::SemOp], deadline: Option<u64>) -> KResult<()> {
        let _ = (id, ops, deadline);
        Err(crate::Error::NotImplemented)
    }
    /// msgsnd: waits while the queue is full unless IPC_NOWAIT is in `flags`.
    fn msg_send(&mut self, id: i32, mtype: i64, text: &[u8], flags: u32) -> KResult<()> {
        let _ = (id, mtype, text, flags);
        Err(crate::Error::NotImplemented)
    }
    /// msgrcv: (type, text of at most `max` bytes) of the message `msgtyp`
    /// and `flags` choose, waiting for one unless IPC_NOWAIT.
    fn msg_receive(&mut self, id: i32, max: usize, msgtyp: i64, flags: u32) -> KResult<(i64, Vec<u8>)> {
        let _ = (id, max, msgtyp, flags);
        Err(crate::Error::NotImplemented)
    }
    /// shmat: maps the segment at `addr` (0: anywhere) and returns where.
    fn shm_attach(&mut self, id: i32, addr: u64, flags: u32) -> KResult<u64> {
        let _ = (id, addr, flags);
        Err(crate::Error::NotImplemented)
    }
    /// shmdt: unmaps the attachment that starts at `addr`.
    fn shm_detach(&mut self, addr: u64) -> KResult<()> {
        let _ = addr;
        Err(crate::Error::NotImplemented)
    }
}
