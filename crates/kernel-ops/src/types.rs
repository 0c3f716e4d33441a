//! Neutral argument and result types for [`crate::KernelOps`].

use alloc::vec::Vec;

/// A file descriptor number in the calling process.
pub type Fd = i32;

/// Where a relative path starts: the working directory or an open directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirFd {
    Cwd,
    Fd(Fd),
}

/// A node named by a path (from a directory, following a final symlink or
/// not) or by an open descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeTarget<'a> {
    Path { dir: DirFd, path: &'a [u8], follow: bool },
    Fd(Fd),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenFlags {
    pub read: bool,
    pub write: bool,
    pub append: bool,
    pub create: bool,
    pub exclusive: bool,
    pub truncate: bool,
    pub directory: bool,
    pub no_follow: bool,
    pub close_on_exec: bool,
    pub non_blocking: bool,
    /// O_PATH: a handle for *at calls and fstat only.
    pub path_only: bool,
    /// O_NOCTTY: opening a terminal does not make it the controlling one.
    pub no_controlling_tty: bool,
    /// O_NOATIME: reads leave the access time alone (only the file's owner
    /// or a holder of CAP_FOWNER may ask).
    pub no_atime: bool,
}

/// How a path may be walked (openat2's RESOLVE_* flags); the default
/// restricts nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResolveRules {
    /// Never cross a mount (`CrossDevice`).
    pub no_xdev: bool,
    /// Follow no /proc magic link (/proc/<pid>/fd/N, exe, cwd, root): `Loop`.
    pub no_magic_links: bool,
    /// Follow no symlink at all: `Loop`.
    pub no_symlinks: bool,
    /// Stay beneath the starting directory (`CrossDevice`).
    pub beneath: bool,
    /// Treat the starting directory as the root for this walk.
    pub in_root: bool,
}

/// A file lease (fcntl F_SETLEASE): its holder is told (SIGIO) before
/// another open that conflicts with it goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseKind {
    /// Broken by an open for writing (or a truncate).
    Read,
    /// Broken by any other open.
    Write,
}

/// Flags that can change on an open file (F_SETFL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusFlags {
    pub append: bool,
    pub non_blocking: bool,
}

/// Advisory lock strengths and byte ranges, shared with the lock logic.
pub use file_locks::{LockKind, Range as LockRange, RangeError as LockRangeError};

/// Who owns a byte-range lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockScope {
    /// The calling process (POSIX `F_SETLK`): released when it closes any
    /// descriptor of the file; deadlocks between processes are detected.
    Process,
    /// The open file the descriptor refers to (`F_OFD_SETLK`): released
    /// with the open file's last reference.
    OpenFile,
}

/// A lock in the way, as `F_GETLK` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockHolder {
    pub kind: LockKind,
    pub range: LockRange,
    /// The process that set it; None for a lock owned by an open file.
    pub pid: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whence {
    Set,
    Current,
    End,
    /// The next byte at or after the offset that holds data (SEEK_DATA);
    /// past the end is `NoSuchDeviceOrAddress`.
    Data,
    /// The next hole at or after the offset (SEEK_HOLE); the end of the
    /// file counts as one.
    Hole,
}

/// What `stat` reports: the VFS metadata plus which device holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    pub dev: u64,
    pub meta: vfs::Metadata,
}

/// What statfs reports: the file system holding a node, as it describes
/// itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsInfo {
    /// The file system's type name: "ext2", "tmpfs", "ramfs", "rootfs",
    /// "proc"; for descriptors outside every file system, "pipefs" (pipes),
    /// "devpts" (the terminal), "devtmpfs" (other devices), "anon_inode".
    pub name: alloc::string::String,
    pub stats: vfs::FsStats,
    pub read_only: bool,
    /// Distinct for each mounted file system (statfs's f_fsid).
    pub id: u64,
}

/// One directory entry handed to the personality for encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirEntryInfo<'a> {
    pub ino: u64,
    pub name: &'a [u8],
    pub file_type: vfs::FileType,
    /// Opaque position after this entry (Linux's d_off).
    pub next_offset: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Protection {
    pub read: bool,
    pub write: bool,
    pub execute: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MapFlags {
    pub shared: bool,
    pub fixed: bool,
    pub fixed_no_replace: bool,
    pub anonymous: bool,
    pub populate: bool,
    pub grows_down: bool,
}

/// Which resources a new task shares with its creator (clone/fork/vfork).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CloneArgs {
    pub share_memory: bool,
    pub share_files: bool,
    pub share_fs: bool,
    pub share_signal_handlers: bool,
    /// Same thread group (a thread, not a process).
    pub thread: bool,
    /// The parent sleeps until the child execs or exits (vfork).
    pub vfork: bool,
    pub new_stack: Option<u64>,
    pub tls: Option<u64>,
    /// Store the child's id here in the parent's memory.
    pub parent_tid_address: Option<u64>,
    /// Store the child's id here in the child's memory.
    pub child_set_tid_address: Option<u64>,
    /// Clear (and futex-wake) this word when the child exits.
    pub child_clear_tid_address: Option<u64>,
    /// Open a process handle (pidfd) on the child in the parent, close-on-
    /// exec, and store its number (an `i32`) here in the parent's memory,
    /// all before the child runs; a child process only, never a thread.
    pub pidfd_address: Option<u64>,
    /// Signal the parent gets when the child exits (None: none at all).
    pub exit_signal: Option<Signal>,
    /// Caught signals start at their default action in the child (ignored
    /// ones stay ignored), as after exec (clone3's CLONE_CLEAR_SIGHAND).
    pub clear_signal_handlers: bool,
    /// Where the new thread starts, for OSes whose thread call names a
    /// function (FreeBSD's thr_new, NetBSD's _lwp_create) instead of
    /// returning twice as clone does: the personality puts the argument
    /// where its calling convention wants it
    /// ([`crate::Personality::start_thread`]).
    pub start: Option<ThreadStart>,
}

/// A new thread's first instruction and the one argument its function gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadStart {
    pub pc: u64,
    pub argument: u64,
}

/// Signals are numbered as Linux numbers them (1..=64); personalities whose
/// OS numbers them differently translate at the boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signal(u8);

impl Signal {
    pub const HUP: Signal = Signal(1);
    pub const INT: Signal = Signal(2);
    pub const QUIT: Signal = Signal(3);
    pub const ILL: Signal = Signal(4);
    pub const TRAP: Signal = Signal(5);
    pub const ABRT: Signal = Signal(6);
    pub const BUS: Signal = Signal(7);
    pub const FPE: Signal = Signal(8);
    pub const KILL: Signal = Signal(9);
    pub const USR1: Signal = Signal(10);
    pub const SEGV: Signal = Signal(11);
    pub const USR2: Signal = Signal(12);
    pub const PIPE: Signal = Signal(13);
    pub const ALRM: Signal = Signal(14);
    pub const TERM: Signal = Signal(15);
    pub const CHLD: Signal = Signal(17);
    pub const CONT: Signal = Signal(18);
    pub const STOP: Signal = Signal(19);
    pub const TSTP: Signal = Signal(20);
    pub const TTIN: Signal = Signal(21);
    pub const TTOU: Signal = Signal(22);
    pub const XFSZ: Signal = Signal(25);
    pub const VTALRM: Signal = Signal(26);
    pub const PROF: Signal = Signal(27);
    pub const WINCH: Signal = Signal(28);
    /// I/O possible; also a lease holder's notice that its lease is being broken.
    pub const IO: Signal = Signal(29);
    pub const SYS: Signal = Signal(31);
    pub const MAX: u8 = 64;

    pub const fn new(n: u32) -> Option<Signal> {
        if n >= 1 && n <= Self::MAX as u32 {
            Some(Signal(n as u8))
        } else {
            None
        }
    }

    pub const fn number(self) -> u32 {
        self.0 as u32
    }

    /// Bit for this signal in a 64-bit signal set.
    pub const fn bit(self) -> u64 {
        1 << (self.0 - 1)
    }

    /// SIGKILL and SIGSTOP can be neither caught, blocked nor ignored.
    pub const fn is_unblockable(self) -> bool {
        self.0 == 9 || self.0 == 19
    }

    pub fn default_action(self) -> DefaultAction {
        match self.0 {
            17 | 23 | 28 => DefaultAction::Ignore, // CHLD, URG, WINCH
            18 => DefaultAction::Continue,
            19..=22 => DefaultAction::Stop,
            3 | 4 | 5 | 6 | 7 | 8 | 11 | 24 | 25 | 31 => DefaultAction::CoreDump,
            _ => DefaultAction::Terminate,
        }
    }
}

/// A set of signals in the core's numbering (bit [`Signal::bit`]). A
/// personality translates its OS's `sigset_t` to and from this at its
/// boundary; the core keeps the word as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SignalSet(pub u64);

impl SignalSet {
    pub const EMPTY: SignalSet = SignalSet(0);

    pub const fn contains(self, signal: Signal) -> bool {
        self.0 & signal.bit() != 0
    }

    pub const fn with(self, signal: Signal) -> SignalSet {
        SignalSet(self.0 | signal.bit())
    }

    /// The signals in the set, lowest number first.
    pub fn iter(self) -> impl Iterator<Item = Signal> {
        (1..=u32::from(Signal::MAX)).filter_map(Signal::new).filter(move |s| self.contains(*s))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultAction {
    Terminate,
    CoreDump,
    Ignore,
    Stop,
    Continue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignalHandler {
    #[default]
    Default,
    Ignore,
    /// A user function at this address.
    User(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignalFlags {
    pub siginfo: bool,
    pub restart: bool,
    pub no_defer: bool,
    pub reset_handler: bool,
    pub on_stack: bool,
    pub no_child_stop: bool,
    pub no_child_wait: bool,
    /// The personality's own flag bits, kept so a later query returns them.
    pub raw: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignalAction {
    pub handler: SignalHandler,
    pub flags: SignalFlags,
    pub mask: SignalSet,
    /// Where the handler returns to (the libc's sigreturn trampoline).
    pub restorer: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskHow {
    Block,
    Unblock,
    Set,
}

/// An alternate signal stack (sigaltstack).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AltStack {
    pub base: u64,
    pub size: u64,
    pub disabled: bool,
}

/// Why a signal was sent, for the handler's siginfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalCause {
    /// kill from a process.
    User { pid: u32, uid: u32 },
    /// tkill/tgkill (raise) from a process: aimed at one thread.
    UserThread { pid: u32, uid: u32 },
    /// sigqueue: a signal with a value.
    Queued { pid: u32, uid: u32, value: u64 },
    /// A message reached an empty POSIX message queue (mq_notify), sent
    /// by process `pid`.
    MessageQueue { pid: u32, uid: u32, value: u64 },
    /// A POSIX timer expired (timer_create).
    Timer { id: u32, overrun: u32, value: u64 },
    /// Sent by the kernel (terminal, timer, pipe).
    Kernel,
    /// A child changed state.
    Child { pid: u32, uid: u32, status: ChildStatus },
    /// A fault at an address (SIGSEGV/SIGBUS/SIGFPE/SIGILL/SIGTRAP), with a
    /// personality-neutral reason.
    Fault { address: u64, reason: FaultReason },
    /// The trap a tracee reports at a system-call or event stop.
    Trace { syscall: bool, event: Option<crate::TraceEvent> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultReason {
    /// No mapping at the address.
    Unmapped,
    /// A mapping exists but forbids the access.
    Protection,
    IntegerDivide,
    FloatingPoint,
    IllegalInstruction,
    /// A breakpoint instruction (`int3`).
    Breakpoint,
    /// One instruction done under single-stepping (the trap flag).
    SingleStep,
    /// A hardware breakpoint or watchpoint condition met.
    HardwareBreakpoint,
    /// Bus error: e.g. a file mapping past the end of the file.
    BusObjectError,
    /// No memory left for the page: the core kills the process rather
    /// than deliver a signal (as Linux's OOM killer does).
    OutOfMemory,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalInfo {
    pub signal: Signal,
    pub cause: SignalCause,
}

/// How a child process ended or changed state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildStatus {
    Exited(u8),
    Signaled {
        signal: Signal,
        core_dumped: bool,
    },
    Stopped(Signal),
    Continued,
    /// A traced thread stopped (reported to its tracer only): the signal,
    /// and whether it is a system-call stop or an event stop.
    Traced {
        signal: Signal,
        syscall: bool,
        event: Option<crate::TraceEvent>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitTarget {
    Any,
    Pid(u32),
    ProcessGroup(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WaitOptions {
    pub no_hang: bool,
    pub stopped: bool,
    pub continued: bool,
    pub exited: bool,
    /// Leave the child waitable (WNOWAIT).
    pub no_reap: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitResult {
    pub pid: u32,
    pub uid: u32,
    pub status: ChildStatus,
    /// What the child (with its own reaped children) used (wait4's rusage).
    pub usage: ResourceUsage,
}

/// Whose resource usage getrusage asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageTarget {
    /// Every thread of the calling process, live and exited.
    Process,
    /// The calling thread only.
    Thread,
    /// Reaped children and everything they had reaped in turn.
    Children,
}

/// Resource usage as getrusage/wait4 report it, in neutral units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResourceUsage {
    pub user_ns: u64,
    pub system_ns: u64,
    /// Peak resident set size in bytes (for children: the largest of theirs).
    pub max_rss_bytes: u64,
    /// Page faults resolved without I/O, and those that needed I/O.
    pub minor_faults: u64,
    pub major_faults: u64,
    /// Context switches because the task blocked, and because it was
    /// preempted or yielded.
    pub voluntary_switches: u64,
    pub involuntary_switches: u64,
}

/// Settings a process or thread records about itself (prctl on Linux).
/// Each is a number; what it means is in the variant's comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskSetting {
    /// Signal this thread gets when the thread that created its process
    /// ends (0: none). Cleared in a new child.
    ParentDeathSignal,
    /// Whether the process may dump core / be attached to (0 or 1).
    Dumpable,
    /// execve can no longer grant privileges (0 or 1; can only be set).
    NoNewPrivileges,
    /// Orphaned descendants are reparented to this process rather than to
    /// init (0 or 1).
    ChildSubreaper,
    /// The thread's timer slack in ns (recorded; timers are exact here).
    TimerSlack,
    /// Memory-barrier commands the process registered for (a bit set in
    /// the personality's own encoding; cleared by exec).
    MembarrierRegistrations,
    /// The personality's execution-domain word (Linux's personality(2):
    /// PER_LINUX plus flags such as ADDR_NO_RANDOMIZE or UNAME26), kept per
    /// process, inherited over fork and kept over exec; the personality
    /// gives it its meaning.
    Persona,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillTarget {
    Process(u32),
    ProcessGroup(u32),
    /// Every process the caller may signal, except init and itself.
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Realtime,
    Monotonic,
    Boottime,
    ProcessCpu,
    ThreadCpu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PollEvents {
    pub readable: bool,
    pub writable: bool,
    pub priority: bool,
    pub error: bool,
    pub hang_up: bool,
    pub invalid: bool,
    /// The peer will send nothing more (Linux's POLLRDHUP): reported only
    /// when asked for.
    pub read_hang_up: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollRequest {
    pub fd: Fd,
    pub wanted: PollEvents,
    pub returned: PollEvents,
}

/// Changes to an event set's interest list (epoll_ctl; later kqueue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSetChange {
    Add,
    Modify,
    Delete,
}

/// One descriptor's entry in an event set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interest {
    pub events: PollEvents,
    /// Reported back untouched with each event (epoll_data).
    pub data: u64,
    /// Disable after one report until modified (EPOLLONESHOT).
    pub one_shot: bool,
    /// Report only what changed since the last report (EPOLLET).
    pub edge_triggered: bool,
    /// One wake-up of the file wakes one of the sets watching it this way
    /// (EPOLLEXCLUSIVE; only with EPOLL_CTL_ADD, never on an event set).
    pub exclusive: bool,
    /// Which watch of the descriptor this is, where a set keeps several
    /// per descriptor: kqueue's filter (EVFILT_READ and EVFILT_WRITE are
    /// two watches of one descriptor, each with its own data). Epoll has
    /// one watch per descriptor and uses 0.
    pub filter: u32,
}

/// A watch an event set reports ready: what is ready, the watch's data,
/// and the descriptor and filter it was added with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadyEntry {
    pub events: PollEvents,
    pub data: u64,
    pub fd: Fd,
    pub filter: u32,
}

/// How a POSIX timer reports expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerNotify {
    /// None: no signal (SIGEV_NONE), only timer_gettime sees it.
    pub signal: Option<Signal>,
    /// Value handed to the handler (si_value).
    pub value: u64,
    /// Signal this thread rather than the process (SIGEV_THREAD_ID).
    pub thread: Option<u32>,
}

/// Resource limits, in the core's own order (personalities map numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Cpu,
    FileSize,
    Data,
    Stack,
    Core,
    Rss,
    Processes,
    OpenFiles,
    LockedMemory,
    AddressSpace,
    Locks,
    PendingSignals,
    MessageQueue,
    Nice,
    RealtimePriority,
    RealtimeTime,
}

impl Resource {
    pub const COUNT: usize = 16;
}

pub const UNLIMITED: u64 = u64::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub soft: u64,
    pub hard: u64,
}

/// A counter's open-file kind (eventfd on Linux): how it starts and behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterFlags {
    /// Each read takes 1 instead of the whole count.
    pub semaphore: bool,
    pub close_on_exec: bool,
    pub non_blocking: bool,
}

/// How a new descriptor of a kernel-made kind (signal reader, timer,
/// watch queue) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DescriptorFlags {
    pub close_on_exec: bool,
    pub non_blocking: bool,
}

/// Kinds of change to a file or directory that a watch reports (inotify on
/// Linux), as a bit set in the core's own numbering; each personality maps
/// its OS's bits to these and back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct WatchEvents(pub u32);

impl WatchEvents {
    /// The file's data was read.
    pub const ACCESSED: Self = Self(1 << 0);
    /// The file's data changed (write, truncate).
    pub const MODIFIED: Self = Self(1 << 1);
    /// Metadata changed: mode, owner, times, link count.
    pub const ATTRIBUTES: Self = Self(1 << 2);
    /// An open file that could write was closed (its last descriptor).
    pub const CLOSED_WRITABLE: Self = Self(1 << 3);
    /// An open file that could not write was closed.
    pub const CLOSED_READ_ONLY: Self = Self(1 << 4);
    pub const OPENED: Self = Self(1 << 5);
    /// A directory entry was renamed away from a watched directory, and
    /// the entry it became (both carry the same cookie).
    pub const MOVED_FROM: Self = Self(1 << 6);
    pub const MOVED_TO: Self = Self(1 << 7);
    /// An entry was created in, or deleted from, a watched directory.
    pub const CREATED: Self = Self(1 << 8);
    pub const DELETED: Self = Self(1 << 9);
    /// The watched node itself lost its last name, or was renamed.
    pub const DELETED_SELF: Self = Self(1 << 10);
    pub const MOVED_SELF: Self = Self(1 << 11);
    /// Every kind a watch may ask for.
    pub const ALL: Self = Self((1 << 12) - 1);

    // Reported, never asked for:
    /// The file system holding the watched node was unmounted.
    pub const UNMOUNTED: Self = Self(1 << 16);
    /// Events were lost: the queue was full (no watch, no name).
    pub const OVERFLOW: Self = Self(1 << 17);
    /// The watch is gone (removed, its node deleted, or one-shot fired);
    /// the last event of its watch descriptor.
    pub const IGNORED: Self = Self(1 << 18);
    /// The subject of the event is a directory.
    pub const IS_DIR: Self = Self(1 << 19);

    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl core::ops::BitOr for WatchEvents {
    type Output = Self;
    fn bitor(self, other: Self) -> Self {
        self.union(other)
    }
}

/// How a notification group (fanotify_init) starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NotificationGroupOptions {
    pub flags: DescriptorFlags,
    /// 0: notification only; 1: content (permission events); 2: before
    /// content. Higher classes hear an event first.
    pub class: u8,
    /// No limit on queued events (else /proc/sys/fs/fanotify/max_queued_events).
    pub unlimited_queue: bool,
    /// No limit on marks (else max_user_marks).
    pub unlimited_marks: bool,
    /// Events name the acting thread, not its process.
    pub report_tid: bool,
    /// How the descriptor of each event is opened.
    pub event_file: OpenFlags,
}

/// How a watch is added (inotify_add_watch's flags, neutral).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WatchOptions {
    /// Follow a final symbolic link (the default on Linux).
    pub follow: bool,
    /// Refuse anything but a directory (`NotDirectory`).
    pub only_dir: bool,
    /// A watch already on the node gets these events added to its own
    /// instead of replaced.
    pub add_to_existing: bool,
    /// Refuse a node that this queue already watches (`Exists`).
    pub must_be_new: bool,
    /// Remove the watch after its first event.
    pub one_shot: bool,
    /// Report nothing for children once they are unlinked.
    pub exclude_unlinked: bool,
}

/// One event as a watch queue hands it to its record format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchRecord<'a> {
    /// The watch descriptor (-1 for an overflow).
    pub watch: i32,
    pub events: WatchEvents,
    /// Ties a MOVED_FROM to its MOVED_TO (0 otherwise).
    pub cookie: u32,
    /// The entry's name, for events about an entry of a watched directory.
    pub name: Option<&'a [u8]>,
}

/// The clock's discipline state as a time daemon sets it (NTP's: status
/// bits, offset, frequency in ppm << 16, error estimates, time constant,
/// tick length, TAI offset). The core keeps it; it does not slew the
/// clock by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockDiscipline {
    pub status: u32,
    pub offset_ns: i64,
    pub frequency: i64,
    pub max_error_us: i64,
    pub est_error_us: i64,
    pub constant: i64,
    pub tick_us: i64,
    pub tai: i32,
    /// What is left of an adjtime(3) one-shot adjustment.
    pub singleshot_us: i64,
}

impl ClockDiscipline {
    /// A clock nobody has synchronised: STA_UNSYNC, the largest errors,
    /// a 10 ms tick (USER_HZ 100), time constant 2.
    pub const UNSYNCHRONISED: ClockDiscipline = ClockDiscipline {
        status: 0x40,
        offset_ns: 0,
        frequency: 0,
        max_error_us: 16_000_000,
        est_error_us: 16_000_000,
        constant: 2,
        tick_us: 10_000,
        tai: 0,
        singleshot_us: 0,
    };
}

/// Machine-wide figures for sysinfo(2) and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SystemInfo {
    pub uptime_ns: u64,
    pub total_ram: u64,
    pub free_ram: u64,
    pub processes: u32,
    pub load: [u64; 3],
}

/// The terminal state personalities read and write (termios is passed in
/// Linux's encoding; see crates/tty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowSize {
    pub rows: u16,
    pub cols: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermiosWhen {
    Now,
    Drain,
    Flush,
}

/// What exec found in the new program, for the personality to build the
/// initial stack and registers (its OS's startup convention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedImage {
    /// The program's own entry point (AT_ENTRY).
    pub entry: u64,
    /// Where the thread starts: the dynamic linker's entry point when the
    /// program has one, else `entry`.
    pub start: u64,
    /// Where the program headers are mapped (AT_PHDR), count and entry size.
    pub phdr: u64,
    pub phnum: u64,
    pub phent: u64,
    /// Where the dynamic linker was loaded (AT_BASE); 0 for a program
    /// without one.
    pub base: u64,
    /// Top of the freshly mapped stack (16-byte aligned).
    pub stack_top: u64,
    /// The path the program was executed as (AT_EXECFN).
    pub exec_path: Vec<u8>,
    pub uid: u32,
    pub euid: u32,
    pub gid: u32,
    pub egid: u32,
    /// The program runs with ids or privileges its caller did not have (a
    /// set-user-ID or set-group-ID file): libc then distrusts the
    /// environment (AT_SECURE).
    pub secure: bool,
    /// Where the vDSO's ELF header is mapped (AT_SYSINFO_EHDR); 0 for none.
    pub vdso_base: u64,
}

/// Terminal ioctl subjects, personality-neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtyRequest {
    GetWindowSize,
    SetWindowSize(WindowSize),
    GetForegroundGroup,
    SetForegroundGroup(u32),
    SetControlling {
        steal: bool,
    },
    ReleaseControlling,
    GetSession,
    BytesReadable,
    /// TIOCOUTQ/SIOCOUTQ: bytes written and not yet sent (or, on a
    /// stream socket, not yet acknowledged by the peer).
    BytesUnsent,
    /// SIOCATMARK: 1 when a socket's next byte is its urgent mark.
    AtUrgentMark,
    Flush {
        input: bool,
        output: bool,
    },
    /// A pseudo-terminal master's number (the N of /dev/pts/N).
    PtyNumber,
    /// Locks or unlocks a pseudo-terminal's slave (unlockpt).
    SetPtyLock(bool),
    GetPtyLock,
    /// Opens the slave of a master directly; the reply is the new
    /// descriptor (TIOCGPTPEER).
    OpenPtyPeer {
        flags: OpenFlags,
        close_on_exec: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtyReply {
    None,
    WindowSize(WindowSize),
    Value(u32),
}

/// Which processes a scheduling-priority request is about (getpriority,
/// setpriority). An id of 0 means the caller's own (process, process
/// group, or real user id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityTarget {
    Process(u32),
    ProcessGroup(u32),
    /// Every process whose real user id is this.
    User(u32),
}

/// The interval timers (setitimer) of a process: each counts down one
/// clock and sends its signal when it reaches zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalTimer {
    /// Wall-clock time (SIGALRM).
    Real,
    /// The process's user-mode CPU time (SIGVTALRM).
    Virtual,
    /// The process's user and system CPU time (SIGPROF).
    Profiling,
}

/// Seals on a memory file (memfd): what nobody may do to it any more.
/// Seals are only ever added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Seals {
    /// No further seals may be added.
    pub seal: bool,
    /// The size may not shrink.
    pub shrink: bool,
    /// The size may not grow.
    pub grow: bool,
    /// The contents may not change (no writes, no writable shared mapping).
    pub write: bool,
    /// No new writes or writable shared mappings; existing mappings stay.
    pub future_write: bool,
}

impl Seals {
    /// Every seal in `self` or `other`.
    pub fn union(self, other: Seals) -> Seals {
        Seals {
            seal: self.seal || other.seal,
            shrink: self.shrink || other.shrink,
            grow: self.grow || other.grow,
            write: self.write || other.write,
            future_write: self.future_write || other.future_write,
        }
    }

    /// Whether writing new data (write(2), a new writable shared mapping) is refused.
    pub fn forbid_writes(&self) -> bool {
        self.write || self.future_write
    }
}

/// How splice moves data between a pipe and another descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpliceFlags {
    /// Do not block on the pipes (the other side may still block).
    pub non_blocking: bool,
}
