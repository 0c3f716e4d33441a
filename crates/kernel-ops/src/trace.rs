//! Process tracing (a debugger's or strace's view of another thread):
//! the kinds of stop a tracee reports, the options a tracer sets, and
//! what it may read and change while the tracee is stopped.
//!
//! Personality-neutral: the Linux personality turns `ptrace(2)` requests
//! into these and these into Linux's wait statuses and structures.

use crate::{FpuImage, Signal, SignalInfo, UserContext};

/// Events a tracer can ask to be stopped at (Linux's PTRACE_EVENT_*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceEvent {
    Fork,
    Vfork,
    Clone,
    Exec,
    VforkDone,
    Exit,
    /// A stop a seized tracee makes on request (interrupt) or for a
    /// group stop.
    Stop,
}

/// What a tracer asked for when it attached or later (PTRACE_SETOPTIONS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TraceOptions {
    /// Syscall stops are marked apart from real SIGTRAPs.
    pub syscall_good: bool,
    pub fork: bool,
    pub vfork: bool,
    pub clone: bool,
    pub exec: bool,
    pub vfork_done: bool,
    pub exit: bool,
    /// The tracee is killed when its tracer ends.
    pub exit_kill: bool,
}

/// Why a tracee is stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceStop {
    /// A signal is about to be delivered; the tracer decides what becomes
    /// of it when it resumes the tracee.
    Signal(Signal),
    /// Entering a system call (registers hold its number and arguments).
    SyscallEntry,
    /// Leaving a system call (the result register is set).
    SyscallExit,
    Event(TraceEvent),
    /// A stopping signal stopped the whole process.
    Group(Signal),
}

/// How the tracer lets a stopped tracee go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceResume {
    Continue,
    /// Stop again at the next system-call entry or exit.
    Syscall,
    /// Stop again after one user instruction.
    SingleStep,
    /// Stop tracing it.
    Detach,
}

/// A thread's x86 debug registers as its tracer sees and sets them
/// (DR0-DR3, DR6, DR7). Only kept: the core never arms them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DebugRegisters {
    /// The breakpoint addresses (DR0-DR3).
    pub address: [u64; 4],
    /// Why the last debug trap stopped the thread (DR6's conditions:
    /// bits 0-3 breakpoints, bit 14 single step).
    pub status: u64,
    /// The enable, type and length bits (DR7).
    pub control: u64,
}

/// A stopped tracee as its tracer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceeState {
    pub context: UserContext,
    pub fpu: FpuImage,
    pub thread_pointer: u64,
    pub stop: TraceStop,
    /// What the last event stop carries (a new child's id, an exit
    /// status, the thread id before exec).
    pub event_message: u64,
    /// The signal of a signal stop, or the trap describing another stop.
    pub siginfo: SignalInfo,
    /// The system call the thread is in at a syscall stop: number and
    /// arguments at entry, the result at exit.
    pub syscall: Option<TracedSyscall>,
    pub debug: DebugRegisters,
    /// The signals the thread blocks.
    pub signal_mask: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TracedSyscall {
    pub nr: u64,
    pub args: [u64; 6],
    pub result: u64,
}

/// What a tracer may change in a stopped tracee (None: leave it).
#[derive(Debug, Clone, Default)]
pub struct TraceeChange<'a> {
    pub context: Option<&'a UserContext>,
    pub fpu: Option<&'a FpuImage>,
    pub thread_pointer: Option<u64>,
    pub siginfo: Option<SignalInfo>,
    pub debug: Option<DebugRegisters>,
    /// The signals to block (SIGKILL and SIGSTOP never are).
    pub signal_mask: Option<u64>,
}
