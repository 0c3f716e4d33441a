//! Tracing: a debugger's view of another thread: one part of the core's
//! surface, [`crate::KernelOps`].

use crate::{Error, KResult, Signal, TraceOptions, TraceResume, TraceeChange, TraceeState};

/// Tracing: a debugger's view of another thread.
///
/// `tid` names a thread the caller traces (`NoSuchProcess` otherwise, or
/// when it is not stopped and the request needs it stopped). The core
/// without tracing answers `NotImplemented`.
pub trait TraceOps {
    /// The calling thread asks its parent to trace it.
    fn trace_me(&mut self) -> KResult<()> {
        Err(Error::NotImplemented)
    }
    /// Starts tracing `tid`: stopping it with SIGSTOP, or not (`seize`).
    /// `NotPermitted` when the caller may not trace it (or traces it already).
    fn trace_attach(&mut self, tid: u32, seize: bool, options: TraceOptions) -> KResult<()> {
        let _ = (tid, seize, options);
        Err(Error::NotImplemented)
    }
    /// Stops a seized tracee wherever it is (an event stop).
    fn trace_interrupt(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Lets a tracee in a group stop go on being stopped as a job-control
    /// stop, without the tracer restarting it.
    fn trace_listen(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Resumes a stopped tracee, delivering `signal` (None: the stop's
    /// signal is suppressed).
    fn trace_resume(&mut self, tid: u32, how: TraceResume, signal: Option<Signal>) -> KResult<()> {
        let _ = (tid, how, signal);
        Err(Error::NotImplemented)
    }
    fn trace_kill(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    fn trace_set_options(&mut self, tid: u32, options: TraceOptions) -> KResult<()> {
        let _ = (tid, options);
        Err(Error::NotImplemented)
    }
    /// Reads the tracee's memory, as a debugger may (read-protected pages too).
    fn trace_read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let _ = (tid, addr, buf);
        Err(Error::NotImplemented)
    }
    /// Writes the tracee's memory; a private mapping the program may not
    /// write (its code) gets a private copy of the page, as a breakpoint needs.
    fn trace_write(&mut self, tid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        let _ = (tid, addr, data);
        Err(Error::NotImplemented)
    }
    fn trace_state(&mut self, tid: u32) -> KResult<TraceeState> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    fn trace_change(&mut self, tid: u32, change: &TraceeChange<'_>) -> KResult<()> {
        let _ = (tid, change);
        Err(Error::NotImplemented)
    }
}
