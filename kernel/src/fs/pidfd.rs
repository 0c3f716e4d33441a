//! Process handles behind a descriptor (Linux's pidfd): a reference to one
//! process that, unlike its number, cannot come to mean another process
//! once the first is gone and its number is reused. Polled readable once
//! the process has exited; signalled with pidfd_send_signal. Reading or
//! writing one is EINVAL, as on Linux.

use super::file::PollState;
use crate::task::process::Process;
use alloc::sync::{Arc, Weak};

pub struct ProcessHandle {
    process: Weak<Process>,
}

impl ProcessHandle {
    /// An open pidfd on `process` (None: on no process, which behaves as
    /// one already reaped; clone's placeholder while the child is made).
    pub fn open(process: Option<&Arc<Process>>, non_blocking: bool) -> Arc<super::OpenFile> {
        let handle = ProcessHandle { process: process.map_or_else(Weak::new, Arc::downgrade) };
        let opened = kernel_ops::OpenFlags { read: true, write: true, non_blocking, ..Default::default() };
        super::OpenFile::new(super::FileObject::ProcessHandle(handle), opened, b"anon_inode:[pidfd]".to_vec())
    }

    /// The process, while it has not been reaped.
    pub fn process(&self) -> Option<Arc<Process>> {
        self.process.upgrade()
    }

    /// Puts `table` on the process's queue, woken when it ends (a reaped
    /// process is ready already).
    pub fn register_poll(&self, table: &mut crate::sched::PollTable) {
        if let Some(p) = self.process() {
            table.register(&p.pollers);
        }
    }

    /// Readable (and "hung up" on Linux too) once the process exited.
    pub fn poll(&self) -> PollState {
        let exited = self.process().is_none_or(|p| p.is_zombie());
        PollState { readable: exited, ..PollState::default() }
    }
}
