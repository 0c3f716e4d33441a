//! How the fake core implements `ProcessHandleOps` (process handles (pidfd)).

use super::*;

impl ProcessHandleOps for FakeCore {
    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd> {
        self.process_handles.push((pid, non_blocking));
        Ok(30)
    }
    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32> {
        if fd != 30 {
            return Err(Error::BadDescriptor);
        }
        self.handle_signals.push(signal);
        Ok(77)
    }
    fn take_process_descriptor(&mut self, handle: Fd, fd: Fd) -> KResult<Fd> {
        if handle != 30 {
            return Err(Error::BadDescriptor);
        }
        self.ipc_state.taken.push((handle, fd));
        Ok(self.new_fd())
    }
}
