//! How the kernel core implements `ProcessHandleOps` (process handles
//! (pidfd)).

use super::*;

impl ProcessHandleOps for CoreOps<'_> {
    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd> {
        let Some(process) = crate::task::process::find(pid) else {
            // A thread that is not its group's leader has no pidfd of its
            // own (ENOENT since Linux 6.9, which added PIDFD_THREAD); no
            // such task at all is ESRCH.
            let is_thread = crate::task::process::all().iter().any(|p| p.threads.lock().iter().any(|t| t.tid == pid));
            return Err(if is_thread { Error::NotFound } else { Error::NoSuchProcess });
        };
        self.install(fs::pidfd::ProcessHandle::open(Some(&process), non_blocking), true)
    }

    fn process_handle_pid(&mut self, fd: Fd) -> KResult<Option<u32>> {
        match &self.file(fd)?.object {
            FileObject::ProcessHandle(h) => Ok(h.process().map(|p| p.pid)),
            _ => Err(Error::BadDescriptor),
        }
    }

    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32> {
        let file = self.file(fd)?;
        let process = match &file.object {
            FileObject::ProcessHandle(h) => h.process(),
            FileObject::Node(n) => {
                fs::with_vfs(|v| fs::procfs::process_directory_of(v, *n)).ok_or(Error::BadDescriptor)?
            }
            _ => return Err(Error::BadDescriptor),
        };
        let process = process.filter(|p| !p.is_zombie()).ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(&process, signal) {
            return Err(Error::NotPermitted);
        }
        if let Some(sig) = signal {
            let cause = SignalCause::User { pid: self.process.pid, uid: self.process.creds.lock().uid };
            signal::send_to_process(&process, sig, cause);
        }
        Ok(process.pid)
    }

    fn take_process_descriptor(&mut self, handle: Fd, fd: Fd) -> KResult<Fd> {
        let caller = self.thread.clone();
        crate::task::inspect::take_process_descriptor(self, &caller, handle, fd)
    }
}
