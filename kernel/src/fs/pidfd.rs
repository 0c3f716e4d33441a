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
    pub fn new(process: &Arc<Process>) -> Self {
        ProcessHandle { process: Arc::downgrade(process) }
    }

    /// The process, while it has not been reaped.
    pub fn process(&self) -> Option<Arc<Process>> {
        self.process.upgrade()
    }

    /// Readable (and "hung up" on Linux too) once the process exited.
    pub fn poll(&self) -> PollState {
        let exited = self.process().is_none_or(|p| p.is_zombie());
        PollState { readable: exited, ..PollState::default() }
    }
}
