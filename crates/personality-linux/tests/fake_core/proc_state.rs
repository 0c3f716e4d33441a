//! The fake core's state for processes, identity, time, timers, memory,
//! resources, scheduling, futexes and the machine: what the personality
//! asked for, recorded in order, and what the fake answers.

use kernel_ops::*;

/// An exec request as the core received it: the directory (None for
/// execve), path, follow final symlink, argv, envp.
pub type ExecCall = (Option<DirFd>, Vec<u8>, bool, Vec<Vec<u8>>, Vec<Vec<u8>>);

/// An mmap request as the core received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MmapCall {
    pub addr: u64,
    pub len: u64,
    pub prot: Protection,
    pub flags: MapFlags,
    pub fd: Option<Fd>,
    pub offset: u64,
}

pub struct ProcState {
    pub parent: u32,
    /// Process group and session of the caller (pid 0 or 7); others ESRCH.
    pub pgid: u32,
    pub sid: u32,
    pub setpgids: Vec<(u32, u32)>,
    pub execs: Vec<ExecCall>,
    /// Every wait request, and what the next one answers.
    pub waits: Vec<(WaitTarget, WaitOptions)>,
    pub wait_answer: KResult<Option<WaitResult>>,
    pub clear_child_tid: Option<u64>,
    pub yields: usize,
    pub unshares: Vec<(bool, bool)>,
    pub threads: usize,
    /// Resource limits as set (unset ones: 1024 / unlimited).
    pub limits: Vec<(Resource, Limit)>,
    /// (user, system) ns of the caller, then of its children.
    pub cpu_times: [(u64, u64); 2],
    /// Nanoseconds that have passed on every clock since the fake began.
    pub elapsed: u64,
    /// How far a sleep gets before it is interrupted (None: not interrupted).
    pub interrupt_sleep_after: Option<u64>,
    pub sleeps: Vec<(Clock, u64)>,
    pub realtime_set: Vec<u64>,
    pub discipline: ClockDiscipline,
    /// POSIX timers by id - 1 (None: deleted), and every setting.
    pub timers: Vec<Option<(Clock, TimerNotify)>>,
    pub timer_sets: Vec<(u32, u64, u64, bool)>,
    pub brk_end: u64,
    pub mmaps: Vec<MmapCall>,
    /// munmap, mprotect, msync, discard, unlock calls as text.
    pub memory_log: Vec<String>,
    pub mremaps: Vec<(u64, u64, u64, bool, Option<u64>, bool)>,
    pub regions: Vec<MemoryRegion>,
    pub affinity_sets: Vec<(u32, u64)>,
    pub io_priorities: Vec<(PriorityTarget, IoPriority)>,
    pub futex_waits: Vec<(u64, u32, Option<(Clock, u64)>, u32)>,
    pub futex_wakes: Vec<(u64, u32, u32)>,
    pub futex_requeues: Vec<(u64, u32, u64, u32, Option<u32>)>,
    pub robust_list: (u64, u64),
    pub system_info: SystemInfo,
    pub hostnames: Vec<Vec<u8>>,
    pub domain_names: Vec<Vec<u8>>,
    pub power_offs: Vec<bool>,
}

impl ProcState {
    pub fn new() -> Self {
        ProcState {
            parent: 1,
            pgid: 7,
            sid: 5,
            setpgids: Vec::new(),
            execs: Vec::new(),
            waits: Vec::new(),
            wait_answer: Ok(None),
            clear_child_tid: None,
            yields: 0,
            unshares: Vec::new(),
            threads: 1,
            limits: Vec::new(),
            cpu_times: [(0, 0), (0, 0)],
            elapsed: 0,
            interrupt_sleep_after: None,
            sleeps: Vec::new(),
            realtime_set: Vec::new(),
            discipline: ClockDiscipline::UNSYNCHRONISED,
            timers: Vec::new(),
            timer_sets: Vec::new(),
            brk_end: 0x60_0000,
            mmaps: Vec::new(),
            memory_log: Vec::new(),
            mremaps: Vec::new(),
            regions: Vec::new(),
            affinity_sets: Vec::new(),
            io_priorities: Vec::new(),
            futex_waits: Vec::new(),
            futex_wakes: Vec::new(),
            futex_requeues: Vec::new(),
            robust_list: (0, 0),
            system_info: SystemInfo { uptime_ns: 0, total_ram: 0, free_ram: 0, processes: 0, load: [0; 3] },
            hostnames: Vec::new(),
            domain_names: Vec::new(),
            power_offs: Vec::new(),
        }
    }
}

impl Default for ProcState {
    fn default() -> Self {
        Self::new()
    }
}
