//! How the kernel core implements `TraceOps` (tracing: a debugger's view of
//! another thread).

use super::*;

impl TraceOps for CoreOps<'_> {
    fn trace_me(&mut self) -> KResult<()> {
        crate::task::ptrace::trace_me(self.thread)
    }

    fn trace_attach(&mut self, tid: u32, seize: bool, options: TraceOptions) -> KResult<()> {
        crate::task::ptrace::attach(self.thread, tid, seize, options)
    }

    fn trace_interrupt(&mut self, tid: u32) -> KResult<()> {
        crate::task::ptrace::interrupt(self.thread, tid)
    }

    fn trace_listen(&mut self, tid: u32) -> KResult<()> {
        crate::task::ptrace::listen(self.thread, tid)
    }

    fn trace_resume(&mut self, tid: u32, how: TraceResume, signal: Option<Signal>) -> KResult<()> {
        crate::task::ptrace::resume(self.thread, tid, how, signal)
    }

    fn trace_kill(&mut self, tid: u32) -> KResult<()> {
        crate::task::ptrace::kill(self.thread, tid)
    }

    fn trace_set_options(&mut self, tid: u32, options: TraceOptions) -> KResult<()> {
        crate::task::ptrace::set_options(self.thread, tid, options)
    }

    fn trace_read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        crate::task::ptrace::read_memory(self.thread, tid, addr, buf)
    }

    fn trace_write(&mut self, tid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        crate::task::ptrace::write_memory(self.thread, tid, addr, data)
    }

    fn trace_state(&mut self, tid: u32) -> KResult<TraceeState> {
        crate::task::ptrace::state(self.thread, tid)
    }

    fn trace_change(&mut self, tid: u32, change: &TraceeChange<'_>) -> KResult<()> {
        crate::task::ptrace::change(self.thread, tid, change)
    }
}
