//! Scheduling and I/O priorities of threads, as the personalities set and
//! read them (sched_setattr, ioprio_set on Linux). The core keeps them per
//! thread; its scheduler does not act on them yet.

/// A scheduling policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchedPolicy {
    /// Time sharing by nice value (Linux SCHED_OTHER / SCHED_NORMAL).
    Normal,
    /// Real-time, run until it blocks or yields (SCHED_FIFO).
    Fifo,
    /// Real-time with a time slice (SCHED_RR).
    RoundRobin,
    /// Time sharing for CPU-bound work (SCHED_BATCH).
    Batch,
    /// Below every nice value (SCHED_IDLE).
    Idle,
    /// Earliest deadline first, with a budget (SCHED_DEADLINE).
    Deadline,
}

impl SchedPolicy {
    /// FIFO and round-robin: the policies with a real-time priority.
    pub fn is_realtime(self) -> bool {
        matches!(self, SchedPolicy::Fifo | SchedPolicy::RoundRobin)
    }
}

/// A deadline thread's budget: `runtime` ns of CPU in every `period` ns,
/// each by `deadline` ns after the period starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeadlineParams {
    pub runtime: u64,
    pub deadline: u64,
    pub period: u64,
}

/// A thread's scheduling: its policy, its real-time priority (1..=99 for
/// FIFO and round-robin, 0 otherwise), whether children it creates start
/// over with the normal policy, and a deadline thread's budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scheduling {
    pub policy: SchedPolicy,
    pub priority: u32,
    pub reset_on_fork: bool,
    pub deadline: DeadlineParams,
}

impl Scheduling {
    /// What every thread starts with.
    pub const NORMAL: Scheduling = Scheduling {
        policy: SchedPolicy::Normal,
        priority: 0,
        reset_on_fork: false,
        deadline: DeadlineParams { runtime: 0, deadline: 0, period: 0 },
    };
}

/// An I/O scheduling class and level (ioprio_set on Linux).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoClass {
    /// None chosen: the class and level follow the scheduling policy and
    /// nice value.
    None,
    RealTime,
    BestEffort,
    Idle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IoPriority {
    pub class: IoClass,
    /// The level, 0 (highest) ..= 7, in the low three bits; Linux keeps
    /// hints for the device above them (13 bits in all).
    pub data: u16,
}

/// An object a process may share with another (kcmp on Linux).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessObject {
    /// The open file behind a descriptor.
    File(u32),
    /// The descriptor table.
    Files,
    /// The address space.
    Memory,
    /// Root, working directory and umask.
    FsContext,
    /// The signal handlers.
    SignalHandlers,
    /// The I/O context.
    IoContext,
    /// The System V semaphore undo list.
    SemaphoreUndo,
}

/// How two processes' objects compare: the same object, or which comes
/// first in an arbitrary but stable order (so that user space can sort).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectOrder {
    Same,
    Less,
    Greater,
}

/// A stretch of mapped memory as madvise needs to see it: what backs it
/// and whether it is locked (regions are split where a lock begins or
/// ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryRegion {
    pub start: u64,
    pub end: u64,
    /// Mapped from a file (else anonymous).
    pub file: bool,
    /// MAP_SHARED (else private).
    pub shared: bool,
    pub locked: bool,
}
