//! What the kernel knows about a process, a mapping or the machine, as
//! plain data for a personality to show its programs (Linux's /proc text).
//!
//! The kernel gathers these from live state; how they are printed (field
//! order, units such as USER_HZ ticks or kB, Linux's names for states and
//! special mappings) is the personality's business, so that the format can
//! be tested on the host and a personality without a /proc ignores them.
//! Sizes are bytes and times nanoseconds throughout; the renderer converts.

use crate::{Privileges, Scheduling, SignalSet};
use alloc::string::String;
use alloc::vec::Vec;

/// What a process or thread is doing, as far as a listing of processes
/// cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskState {
    /// On a CPU or ready for one.
    Running,
    /// Waiting for something.
    #[default]
    Sleeping,
    /// Ended, not yet waited for.
    Zombie,
    /// Ended and being torn down.
    Dead,
}

/// Sizes in bytes of a process's mappings by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryLayout {
    /// Every mapping.
    pub size: u64,
    /// Private writable mappings that are not the stack.
    pub data: u64,
    pub stack: u64,
    /// Executable, not writable mappings.
    pub exe: u64,
    /// Pages present in memory, in bytes.
    pub resident: u64,
    /// Locked in memory (mlock).
    pub locked: u64,
    /// The most ever resident.
    pub peak_resident: u64,
}

/// Times and counters of a process (its threads, living and ended) or of
/// its waited-for children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskTimes {
    pub user_ns: u64,
    pub system_ns: u64,
    pub minor_faults: u64,
    pub major_faults: u64,
}

/// One process as a listing shows it (or one of its threads: `thread`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessRecord {
    pub pid: u32,
    /// The main thread's name, without its terminating zero.
    pub name: Vec<u8>,
    pub state: TaskState,
    pub parent_pid: u32,
    pub pgid: u32,
    pub sid: u32,
    /// The controlling terminal's device number in the personality's
    /// encoding (0: none), and its foreground group (-1: none).
    pub tty: u32,
    pub foreground_pgid: i32,
    pub own: TaskTimes,
    pub children: TaskTimes,
    pub nice: i32,
    /// The main thread's scheduling policy and priority.
    pub scheduling: Scheduling,
    pub threads: usize,
    /// Since boot.
    pub start_ns: u64,
    pub layout: MemoryLayout,
    /// The CPU the main thread last ran on.
    pub last_cpu: u32,
    pub umask: u32,
    pub tracer_pid: u32,
    /// Real, effective, saved and file-system ids.
    pub uids: [u32; 4],
    pub gids: [u32; 4],
    pub groups: Vec<u32>,
    /// One past the highest open descriptor.
    pub descriptors: u64,
    /// The soft limit on queued signals.
    pub signal_queue_limit: u64,
    /// The main thread's pending and blocked signals.
    pub pending: SignalSet,
    pub shared_pending: SignalSet,
    pub blocked: SignalSet,
    pub ignored: SignalSet,
    pub caught: SignalSet,
    pub privileges: Privileges,
    pub no_new_privileges: bool,
    /// CPUs online (the process may run on all of them).
    pub cpus: u32,
    pub voluntary_switches: u64,
    pub involuntary_switches: u64,
    /// Set for a thread's own files: its id, name and state stand in for
    /// the process's.
    pub thread: Option<ThreadRecord>,
    /// The personality the process runs under ("linux", "freebsd",
    /// "native"...): processes of several systems share one process tree.
    pub personality: &'static str,
}

/// Nothing known: a starting point to fill (and for tests).
impl Default for ProcessRecord {
    fn default() -> Self {
        ProcessRecord {
            pid: 0,
            name: Vec::new(),
            state: TaskState::default(),
            parent_pid: 0,
            pgid: 0,
            sid: 0,
            tty: 0,
            foreground_pgid: -1,
            own: TaskTimes::default(),
            children: TaskTimes::default(),
            nice: 0,
            scheduling: Scheduling::NORMAL,
            threads: 1,
            start_ns: 0,
            layout: MemoryLayout::default(),
            last_cpu: 0,
            umask: 0,
            tracer_pid: 0,
            uids: [0; 4],
            gids: [0; 4],
            groups: Vec::new(),
            descriptors: 0,
            signal_queue_limit: 0,
            pending: SignalSet::EMPTY,
            shared_pending: SignalSet::EMPTY,
            blocked: SignalSet::EMPTY,
            ignored: SignalSet::EMPTY,
            caught: SignalSet::EMPTY,
            privileges: Privileges::NONE,
            no_new_privileges: false,
            cpus: 1,
            voluntary_switches: 0,
            involuntary_switches: 0,
            thread: None,
            personality: "",
        }
    }
}

/// What a thread's own files show instead of its process's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreadRecord {
    pub tid: u32,
    pub name: Vec<u8>,
    pub state: TaskState,
}

/// What a mapping shows in place of a file name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MappingName {
    /// Anonymous memory.
    #[default]
    None,
    /// A file, by the path it was opened with.
    Path(Vec<u8>),
    /// The main thread's stack.
    Stack,
    /// The program break's area.
    Heap,
    /// Pages the kernel supplies, by its name for them (the vDSO's).
    Kernel(&'static str),
    /// A System V shared memory segment, by its key.
    SharedMemory { key: u32 },
}

/// One piece of a process's address space (a mapping, or the part of one
/// on one side of a lock's boundary).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MappingRecord {
    pub start: u64,
    pub end: u64,
    pub read: bool,
    pub write: bool,
    pub execute: bool,
    /// Shared with other mappings of the same object (else private).
    pub shared: bool,
    /// Offset in the mapped object, in bytes.
    pub offset: u64,
    /// The device the file is on, in the personality's major and minor
    /// numbers, and its inode (all 0 for anonymous memory).
    pub major: u32,
    pub minor: u32,
    pub inode: u64,
    pub name: MappingName,
    /// Bytes present in memory (filled only where asked for: smaps).
    pub resident: u64,
    pub anonymous: bool,
    pub stack: bool,
    pub locked: bool,
}

/// The machine's memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryRecord {
    pub total: u64,
    pub free: u64,
    /// File pages kept in memory.
    pub cached: u64,
    /// The kernel heap in use.
    pub kernel_heap: u64,
}

/// One CPU's time since boot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuTimes {
    pub user_ns: u64,
    pub system_ns: u64,
    pub idle_ns: u64,
}

/// The machine-wide counters beside the CPU times.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SystemRecord {
    /// One entry per online CPU.
    pub cpus: Vec<CpuTimes>,
    /// Seconds since the epoch at boot.
    pub boot_time_secs: u64,
    /// Processes created since boot.
    pub processes_created: u64,
    /// Processes with a thread running or ready.
    pub running: usize,
    /// Processes that exist.
    pub processes: usize,
    pub uptime_ns: u64,
}

/// The processor, as the kernel found it (the same for every CPU but for
/// its interrupt controller's id).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcessorRecord {
    pub vendor: String,
    pub family: u32,
    pub model: u32,
    pub stepping: u32,
    pub model_name: String,
    pub cpuid_level: u32,
    /// Each online CPU's interrupt controller id.
    pub apic_ids: Vec<u32>,
    pub cache_kib: u32,
    pub clflush_bytes: u32,
    pub physical_bits: u32,
    pub virtual_bits: u32,
    /// Feature names, in the personality's (Linux's) spelling.
    pub flags: Vec<&'static str>,
    /// The time-stamp counter's rate.
    pub tsc_hz: u64,
}

/// One mount as a process sees it (below its own root).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MountRecord {
    /// The mount's id, fixed for its life, and the id of the mount its
    /// mount point lies in.
    pub id: u32,
    pub parent_id: u32,
    /// The device its files report, in the personality's numbers.
    pub major: u32,
    pub minor: u32,
    /// Where it is mounted, from the reader's root.
    pub point: String,
    pub fstype: String,
    /// What it was mounted from (`/dev/vda`, `proc`, `tmpfs`).
    pub source: String,
    pub read_only: bool,
}

/// A file of a personality's /proc and what the kernel gathered for it.
#[derive(Debug, Clone, Copy)]
pub enum ProcFile<'a> {
    /// /proc/<pid>/stat (or a thread's).
    Stat(&'a ProcessRecord),
    /// /proc/<pid>/status (or a thread's).
    Status(&'a ProcessRecord),
    Statm(&'a ProcessRecord),
    Maps(&'a [MappingRecord]),
    Smaps(&'a [MappingRecord]),
    Meminfo(&'a MemoryRecord),
    /// /proc/stat.
    SystemStat(&'a SystemRecord),
    Uptime(&'a SystemRecord),
    Loadavg(&'a SystemRecord),
    Cpuinfo(&'a ProcessorRecord),
    /// /proc/version: the kernel's own version string.
    Version(&'a str),
    /// /proc/mounts (and /proc/<pid>/mounts).
    Mounts(&'a [MountRecord]),
    /// /proc/<pid>/mountinfo.
    Mountinfo(&'a [MountRecord]),
    /// /proc/net/dev: each interface's counters.
    NetDev(&'a crate::NetworkRecord),
    /// /proc/net/route: the IPv4 routes.
    NetRoute(&'a crate::NetworkRecord),
    /// /proc/net/if_inet6: the IPv6 addresses.
    NetIfInet6(&'a crate::NetworkRecord),
    /// /proc/net/tcp, tcp6, udp, udp6: the sockets of `kind` and `family`
    /// among `sockets`.
    NetSockets {
        sockets: &'a [crate::InetSocketRecord],
        kind: crate::SocketKind,
        family: crate::SocketFamily,
    },
}
