//! A process: an address space, open files, a working directory,
//! credentials, signal dispositions, and the threads that share them.

use super::thread::Thread;
use crate::fs::{FdTable, FsContext};
use crate::mm::Mm;
use crate::sched::WaitQueue;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicI32, AtomicU32, AtomicU64, Ordering};
use kernel_ops::{ChildStatus, Credentials, Limit, Personality, Resource, SignalAction, UNLIMITED};

/// How a process ended, once it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    pub status: ChildStatus,
}

pub struct Process {
    pub pid: u32,
    /// crate::personality::by_number's number for the process's personality.
    personality: core::sync::atomic::AtomicU8,
    /// `mm`'s page-table root (`Mm::root`), kept beside it so that a
    /// thread switch compares and loads address spaces without taking the
    /// lock and a reference three times. Written with `mm`, under its lock.
    mm_root: AtomicU64,
    mm: SpinLock<Arc<Mm>>,
    files: SpinLock<Arc<SpinLock<FdTable>>>,
    /// `files`'s capability table (`TableId::id`), kept beside it so that
    /// every capability lookup (each native IPC call makes several) finds
    /// its table without taking two locks. Written with `files`, under its
    /// lock.
    table_id: AtomicU64,
    fs: SpinLock<Arc<SpinLock<FsContext>>>,
    pub creds: SpinLock<Credentials>,
    /// Supplementary group ids, sorted (setgroups). Shared with copies
    /// made for permission checks; replaced whole, never changed in place.
    groups: SpinLock<Arc<Vec<u32>>>,
    /// The nice value, -20..=19 (setpriority). Not used by the scheduler yet.
    pub nice: AtomicI32,
    actions: SpinLock<Arc<SpinLock<[SignalAction; 64]>>>,
    /// Signals sent to the process as a whole (kill); any thread may take them.
    shared_pending: AtomicU64,
    parent: SpinLock<Weak<Process>>,
    /// The parent's pid, kept with `parent` (getppid reads it lock-free).
    parent_pid: AtomicU32,
    pub children: SpinLock<Vec<Arc<Process>>>,
    pub threads: SpinLock<Vec<Arc<Thread>>>,
    pgid: AtomicU32,
    sid: AtomicU32,
    pub exit: SpinLock<Option<Exit>>,
    /// Stopped/continued changes not yet reported to a waiting parent.
    pub pending_report: SpinLock<Option<ChildStatus>>,
    /// Woken when a child changes state (wait4).
    pub child_events: WaitQueue,
    /// Woken when this (vfork) child execs or exits.
    pub vfork_done: WaitQueue,
    pub vfork_released: SpinLock<bool>,
    /// The program's path and its argument block, for /proc.
    pub exe: SpinLock<Vec<u8>>,
    pub cmdline: SpinLock<Vec<u8>>,
    /// The environment the program was started with (/proc/<pid>/environ):
    /// NUL-terminated strings, as in its initial stack.
    pub environ: SpinLock<Vec<u8>>,
    /// The auxiliary vector the program was started with (/proc/<pid>/auxv).
    pub auxv: SpinLock<Vec<u8>>,
    pub limits: SpinLock<[Limit; Resource::COUNT]>,
    /// CPU time of exited threads and reaped children (user, system) in ns.
    pub cpu_ns: AtomicU64,
    /// Exited threads' user and system ticks (see `Thread::user_ticks`).
    pub user_ticks: AtomicU64,
    pub system_ticks: AtomicU64,
    pub children_cpu_ns: AtomicU64,
    pub start_ns: u64,
    /// Which process of all those ever created this is: tells apart two
    /// processes that had the same pid (/proc/<pid> inode numbers, pidfds
    /// made from a /proc/<pid> directory).
    pub serial: u64,
    /// The PCI configuration address this task selected through its I/O
    /// port capability (`arch::pci_config`): kept per task so that two
    /// drivers' select-then-access pairs cannot interleave.
    pub pci_selected: crate::arch::pci_config::Selected,
    /// ITIMER_REAL: (deadline ns, interval ns), deadline 0 when disarmed.
    pub alarm: SpinLock<(u64, u64)>,
    /// ITIMER_VIRTUAL and ITIMER_PROF (see cpu_timers.rs).
    pub cpu_timers: super::cpu_timers::CpuTimers,
    /// POSIX timers by id (index); None slots are free.
    pub timers: SpinLock<Vec<Option<PosixTimer>>>,
    /// Signal the parent gets when this process ends (None: none).
    exit_signal: SpinLock<Option<kernel_ops::Signal>>,
    /// Set by exit_group so every thread's exit reports the same status.
    group_exit: SpinLock<Option<ChildStatus>>,
    /// Cached: whether the personality's calls take the native path (see
    /// `personality::CallPath`), read on every system call.
    native_abi: core::sync::atomic::AtomicBool,
    /// Native task state (supervisor, how it ended); None for Linux processes.
    pub native: SpinLock<Option<Arc<crate::native::NativeTask>>>,
    /// Woken when the process ends (native `task_wait`).
    pub ended: WaitQueue,
    /// Pollers of its process handles (pidfd: woken when it ends) and of
    /// signal readers in it (woken when a signal becomes pending for it or
    /// one of its threads).
    pub pollers: crate::sched::PollQueue,
    /// Fault and switch counts of exited threads, what reaped children
    /// used, and the largest resident size seen (see usage.rs).
    pub exited_threads: super::usage::Counters,
    pub children_usage: SpinLock<kernel_ops::ResourceUsage>,
    pub peak_rss: AtomicU64,
    pub settings: super::settings::ProcessSettings,
    /// The thread that created this process (or, after reparenting, the
    /// new parent's main thread): when it ends, the parent-death signal
    /// fires. Linux ties a child to the creating thread, not its process.
    pub parent_thread: AtomicU32,
    /// The threads this process traces (ptrace), stopped or not, and
    /// those whose end it has not collected yet.
    pub tracees: SpinLock<Vec<Arc<Thread>>>,
    /// Asynchronous I/O contexts (io_setup); they go with the address
    /// space their rings are in.
    pub aio: super::aio::Contexts,
}

static NEXT_PID: AtomicU32 = AtomicU32::new(1);
static PROCESS_SERIAL: AtomicU64 = AtomicU64::new(1);
static PROCESSES: SpinLock<BTreeMap<u32, Weak<Process>>> =
    SpinLock::ranked(crate::sync::Rank::ProcessTable, BTreeMap::new());
/// Set once ids come round again (pid_max reached, or /proc/sys/kernel/
/// ns_last_pid written): from then on a new id is checked against those
/// in use. Before, every id handed out is fresh by construction.
static REUSING: core::sync::atomic::AtomicBool = core::sync::atomic::AtomicBool::new(false);

/// Ids run below this (Linux's default pid_max on a machine this size is
/// larger, 2^22 is its ceiling for 64-bit; /proc/sys/kernel/pid_max).
pub const PID_MAX: u32 = 4_194_304;
/// Where ids start again after reaching PID_MAX (Linux keeps the first
/// 300 for daemons started at boot).
const PID_WRAP_TO: u32 = 300;

/// A fresh process or thread id (they share one number space, as on
/// Linux): the next after the last one handed out that is not in use as a
/// process, thread, process-group or session id.
pub fn allocate_id() -> u32 {
    loop {
        let id = NEXT_PID.fetch_add(1, Ordering::Relaxed);
        if id >= PID_MAX {
            let _ = NEXT_PID.compare_exchange(id + 1, PID_WRAP_TO, Ordering::Relaxed, Ordering::Relaxed);
            REUSING.store(true, Ordering::Relaxed);
            continue;
        }
        if id == 0 || (REUSING.load(Ordering::Relaxed) && id_in_use(id)) {
            continue;
        }
        return id;
    }
}

fn id_in_use(id: u32) -> bool {
    all().iter().any(|p| p.pid == id || p.pgid() == id || p.sid() == id || p.threads.lock().iter().any(|t| t.tid == id))
}

/// /proc/sys/kernel/ns_last_pid: the next id handed out is the first free
/// one after `last` (checkpoint/restore tools and LTP use it to choose pids).
pub fn set_last_id(last: u32) -> bool {
    if last >= PID_MAX {
        return false;
    }
    NEXT_PID.store(last + 1, Ordering::Relaxed);
    REUSING.store(true, Ordering::Relaxed);
    true
}

/// The most recently allocated process or thread id (/proc/loadavg's last
/// field; /proc/stat's count of processes created since boot).
pub fn allocate_count() -> u32 {
    NEXT_PID.load(Ordering::Relaxed).saturating_sub(1)
}

pub fn default_limits() -> [Limit; Resource::COUNT] {
    let mut l = [Limit { soft: UNLIMITED, hard: UNLIMITED }; Resource::COUNT];
    l[Resource::Stack as usize] = Limit { soft: 8 << 20, hard: UNLIMITED };
    l[Resource::OpenFiles as usize] = Limit { soft: 1024, hard: 4096 };
    l[Resource::Core as usize] = Limit { soft: 0, hard: UNLIMITED };
    l[Resource::LockedMemory as usize] = Limit { soft: 8 << 20, hard: 8 << 20 };
    l[Resource::PendingSignals as usize] = Limit { soft: 4096, hard: 4096 };
    // Linux's: no unprivileged process may lower its nice value, nor
    // take a real-time scheduling policy.
    l[Resource::Nice as usize] = Limit { soft: 0, hard: 0 };
    l[Resource::RealtimePriority as usize] = Limit { soft: 0, hard: 0 };
    l
}

/// A POSIX timer: when it next fires (0 when disarmed), how often after
/// that, and how it reports. The deadline is monotonic ns for the wall and
/// monotonic clocks (the timer interrupt fires those), and CPU-time ns of
/// the process, or of thread `cpu_thread`, for the CPU-time clocks (the
/// scheduler tick fires those: cpu_timers.rs).
#[derive(Debug, Clone, Copy)]
pub struct PosixTimer {
    pub clock: kernel_ops::Clock,
    pub notify: kernel_ops::TimerNotify,
    pub deadline: u64,
    pub interval: u64,
    /// Expiries not signalled: those missed at the last signal, then every
    /// one while that signal is pending.
    pub overrun: u64,
    /// The overrun count of the last delivered signal (timer_getoverrun).
    pub overrun_last: u32,
    /// The thread whose CPU time a CLOCK_THREAD_CPUTIME_ID timer counts
    /// (the one that created it, as on Linux).
    pub cpu_thread: u32,
}

impl PosixTimer {
    /// Whether the timer counts CPU time rather than time passing.
    pub fn on_cpu_clock(&self) -> bool {
        matches!(self.clock, kernel_ops::Clock::ProcessCpu | kernel_ops::Clock::ThreadCpu)
    }
}

pub struct NewProcess {
    pub pid: u32,
    pub personality: &'static crate::personality::Registered,
    pub mm: Arc<Mm>,
    pub files: Arc<SpinLock<FdTable>>,
    pub fs: Arc<SpinLock<FsContext>>,
    pub creds: Credentials,
    pub groups: Arc<Vec<u32>>,
    pub nice: i32,
    pub actions: Arc<SpinLock<[SignalAction; 64]>>,
    pub parent: Weak<Process>,
    pub pgid: u32,
    pub sid: u32,
    pub exe: Vec<u8>,
    pub cmdline: Vec<u8>,
    pub limits: [Limit; Resource::COUNT],
}

impl Process {
    pub fn new(n: NewProcess) -> Arc<Process> {
        let table_id = n.files.lock().table().id();
        let mm_root = n.mm.root();
        let p = Arc::new(Process {
            pid: n.pid,
            personality: core::sync::atomic::AtomicU8::new(n.personality.number),
            mm_root: AtomicU64::new(mm_root),
            mm: SpinLock::new(n.mm),
            table_id: AtomicU64::new(table_id),
            files: SpinLock::new(n.files),
            fs: SpinLock::new(n.fs),
            creds: SpinLock::new(n.creds),
            groups: SpinLock::new(n.groups),
            nice: AtomicI32::new(n.nice),
            actions: SpinLock::new(n.actions),
            shared_pending: AtomicU64::new(0),
            parent_pid: AtomicU32::new(n.parent.upgrade().map_or(0, |p| p.pid)),
            parent: SpinLock::new(n.parent),
            children: SpinLock::ranked(crate::sync::Rank::Children, Vec::new()),
            threads: SpinLock::ranked(crate::sync::Rank::ThreadList, Vec::new()),
            pgid: AtomicU32::new(n.pgid),
            sid: AtomicU32::new(n.sid),
            exit: SpinLock::new(None),
            pending_report: SpinLock::new(None),
            child_events: WaitQueue::new(),
            vfork_done: WaitQueue::new(),
            vfork_released: SpinLock::new(false),
            exe: SpinLock::new(n.exe),
            cmdline: SpinLock::new(n.cmdline),
            environ: SpinLock::new(Vec::new()),
            auxv: SpinLock::new(Vec::new()),
            limits: SpinLock::new(n.limits),
            cpu_ns: AtomicU64::new(0),
            user_ticks: AtomicU64::new(0),
            system_ticks: AtomicU64::new(0),
            children_cpu_ns: AtomicU64::new(0),
            start_ns: crate::time::now_ns(),
            serial: PROCESS_SERIAL.fetch_add(1, Ordering::Relaxed),
            pci_selected: crate::arch::pci_config::Selected::new(),
            alarm: SpinLock::new((0, 0)),
            cpu_timers: super::cpu_timers::CpuTimers::new(),
            timers: SpinLock::new(Vec::new()),
            exit_signal: SpinLock::new(Some(kernel_ops::Signal::CHLD)),
            group_exit: SpinLock::new(None),
            native_abi: core::sync::atomic::AtomicBool::new(
                n.personality.calls == crate::personality::CallPath::Native,
            ),
            native: SpinLock::new(None),
            ended: WaitQueue::new(),
            pollers: crate::sched::PollQueue::new(),
            exited_threads: super::usage::Counters::new(),
            children_usage: SpinLock::new(kernel_ops::ResourceUsage {
                user_ns: 0,
                system_ns: 0,
                max_rss_bytes: 0,
                minor_faults: 0,
                major_faults: 0,
                voluntary_switches: 0,
                involuntary_switches: 0,
            }),
            peak_rss: AtomicU64::new(0),
            settings: super::settings::ProcessSettings::new(),
            parent_thread: AtomicU32::new(0),
            tracees: SpinLock::new(Vec::new()),
            aio: super::aio::Contexts::new(),
        });
        PROCESSES.lock().insert(p.pid, Arc::downgrade(&p));
        p
    }

    pub fn personality(&self) -> &'static dyn Personality {
        self.registered_personality().personality
    }

    /// The personality's entry in the table of those compiled in.
    pub fn registered_personality(&self) -> &'static crate::personality::Registered {
        crate::personality::by_number(self.personality.load(Ordering::Acquire))
    }

    pub fn set_personality(&self, p: &'static crate::personality::Registered) {
        self.native_abi.store(p.calls == crate::personality::CallPath::Native, Ordering::Relaxed);
        self.personality.store(p.number, Ordering::Release);
    }

    pub fn mm(&self) -> Arc<Mm> {
        self.mm.lock().clone()
    }

    /// `mm`'s page-table root, without the lock or a reference: what a
    /// switch between threads compares and loads (see `mm_root`).
    pub fn mm_root(&self) -> u64 {
        self.mm_root.load(Ordering::Acquire)
    }

    /// Installs a new address space (exec) and returns the old one.
    pub fn replace_mm(&self, mm: Arc<Mm>) -> Arc<Mm> {
        let mut slot = self.mm.lock();
        self.mm_root.store(mm.root(), Ordering::Release);
        let old = core::mem::replace(&mut *slot, mm);
        drop(slot);
        // As Linux's exit_aio: the contexts' rings were in the old one.
        self.aio.clear();
        old
    }

    pub fn files(&self) -> Arc<SpinLock<FdTable>> {
        self.files.lock().clone()
    }

    /// Gives the process a private copy of its descriptor table (exec after
    /// a CLONE_FILES clone must not affect the sharer).
    pub fn unshare_files(&self) {
        let mut f = self.files.lock();
        if Arc::strong_count(&f) > 1 {
            let copy = f.lock().try_clone();
            match copy {
                Ok(copy) => {
                    self.table_id.store(copy.table().id(), Ordering::Release);
                    *f = Arc::new(SpinLock::ranked(crate::sync::Rank::FdTable, copy));
                }
                Err(_) => crate::warn!("pid {}: no memory to unshare its descriptor table; it stays shared", self.pid),
            }
        }
    }

    /// At exit: the process lets go of its descriptor table (a zombie
    /// keeps an empty one). Returns the table when this process was its
    /// last user, so that its files get closed; None when another process
    /// still shares it (CLONE_FILES), whose descriptors must stay open.
    pub fn leave_files(&self) -> Option<Arc<SpinLock<FdTable>>> {
        let replacement = FdTable::new().ok().map(|t| Arc::new(SpinLock::ranked(crate::sync::Rank::FdTable, t)));
        let mut slot = self.files.lock();
        let (old, still_held) = match replacement {
            Some(empty) => {
                self.table_id.store(empty.lock().table().id(), Ordering::Release);
                (core::mem::replace(&mut *slot, empty), 0)
            }
            // No memory for an empty table: the slot keeps its reference.
            None => (slot.clone(), 1),
        };
        drop(slot);
        (Arc::strong_count(&old) == 1 + still_held).then_some(old)
    }

    /// The process's capability table (its descriptors, for Linux).
    pub fn cap_table(&self) -> captable::TableId {
        captable::TableId::from_id(self.table_id.load(Ordering::Acquire))
    }

    /// Whether the process runs the native ABI.
    pub fn is_native(&self) -> bool {
        self.native_abi.load(Ordering::Relaxed)
    }

    pub fn fs(&self) -> Arc<SpinLock<FsContext>> {
        self.fs.lock().clone()
    }

    /// Gives the process its own root, working directory and umask when
    /// it shares them (CLONE_FS), as unshare(CLONE_FS) asks.
    pub fn unshare_fs(&self) {
        let mut f = self.fs.lock();
        if Arc::strong_count(&f) > 1 {
            let copy = f.lock().clone();
            *f = Arc::new(SpinLock::new(copy));
        }
    }

    pub fn actions(&self) -> Arc<SpinLock<[SignalAction; 64]>> {
        self.actions.lock().clone()
    }

    /// Exec gives the process private handlers, with caught signals reset to
    /// their default (ignored ones stay ignored, as POSIX says).
    pub fn reset_actions_for_exec(&self) {
        let mut slot = self.actions.lock();
        let mut table = *slot.lock();
        for a in table.iter_mut() {
            if matches!(a.handler, kernel_ops::SignalHandler::User(_)) {
                *a = SignalAction::default();
            }
        }
        *slot = Arc::new(SpinLock::new(table));
    }

    pub fn shared_pending(&self) -> u64 {
        self.shared_pending.load(Ordering::Acquire)
    }

    pub fn add_shared_pending(&self, bit: u64) {
        self.shared_pending.fetch_or(bit, Ordering::AcqRel);
    }

    /// Takes one shared pending signal out of `allowed`, if any.
    pub fn take_shared_pending(&self, allowed: u64) -> Option<u32> {
        loop {
            let cur = self.shared_pending.load(Ordering::Acquire);
            let ready = cur & allowed;
            if ready == 0 {
                return None;
            }
            let bit = ready.trailing_zeros();
            if self.shared_pending.compare_exchange(cur, cur & !(1 << bit), Ordering::AcqRel, Ordering::Acquire).is_ok()
            {
                return Some(bit + 1);
            }
        }
    }

    pub fn clear_shared_pending(&self, mask: u64) {
        self.shared_pending.fetch_and(!mask, Ordering::AcqRel);
    }

    pub fn parent(&self) -> Option<Arc<Process>> {
        self.parent.lock().upgrade()
    }

    pub fn set_parent(&self, parent: &Arc<Process>) {
        let mut p = self.parent.lock();
        *p = Arc::downgrade(parent);
        self.parent_pid.store(parent.pid, Ordering::Release);
    }

    pub fn parent_pid(&self) -> u32 {
        self.parent_pid.load(Ordering::Acquire)
    }

    pub fn pgid(&self) -> u32 {
        self.pgid.load(Ordering::Acquire)
    }

    pub fn set_pgid(&self, pgid: u32) {
        self.pgid.store(pgid, Ordering::Release);
    }

    pub fn sid(&self) -> u32 {
        self.sid.load(Ordering::Acquire)
    }

    pub fn set_sid(&self, sid: u32) {
        self.sid.store(sid, Ordering::Release);
    }

    pub fn is_zombie(&self) -> bool {
        self.exit.lock().is_some()
    }

    /// The thread that represents the process in signals and /proc.
    pub fn main_thread(&self) -> Option<Arc<Thread>> {
        self.threads.lock().first().cloned()
    }

    pub fn exit_signal(&self) -> Option<kernel_ops::Signal> {
        *self.exit_signal.lock()
    }

    pub fn set_exit_signal(&self, s: Option<kernel_ops::Signal>) {
        *self.exit_signal.lock() = s;
    }

    pub fn group_exit(&self) -> Option<ChildStatus> {
        *self.group_exit.lock()
    }

    pub fn set_group_exit(&self, status: ChildStatus) {
        let mut g = self.group_exit.lock();
        if g.is_none() {
            *g = Some(status);
        }
    }

    pub fn limit(&self, r: Resource) -> Limit {
        self.limits.lock()[r as usize]
    }

    /// The supplementary groups (sorted).
    pub fn groups(&self) -> Arc<Vec<u32>> {
        self.groups.lock().clone()
    }

    pub fn set_groups(&self, groups: Arc<Vec<u32>>) {
        // The old list is dropped after the lock is let go.
        let old = core::mem::replace(&mut *self.groups.lock(), groups);
        drop(old);
    }

    /// Who the process is to permission checks: its file-system ids, its
    /// supplementary groups and the overrides its effective privileges
    /// grant. The two locks are taken one after the other.
    pub fn vfs_credentials(&self) -> vfs::Credentials {
        let c = *self.creds.lock();
        let groups = self.groups();
        vfs::Credentials::new(c.fsuid, c.fsgid)
            .with_groups(&groups)
            .with_overrides(file_overrides(c.privileges.effective))
    }

    /// As access(2) asks: the real ids, with the privileges of the
    /// permitted set when the real uid is 0 and none otherwise (Linux's
    /// access_override_creds).
    pub fn real_vfs_credentials(&self) -> vfs::Credentials {
        let c = *self.creds.lock();
        let groups = self.groups();
        let privileges = if c.uid == 0 { c.privileges.permitted } else { kernel_ops::PrivilegeSet::EMPTY };
        vfs::Credentials::new(c.uid, c.gid).with_groups(&groups).with_overrides(file_overrides(privileges))
    }
}

/// The file-system rules a privilege set lets a caller override.
pub fn file_overrides(set: kernel_ops::PrivilegeSet) -> vfs::Overrides {
    use kernel_ops::Privilege as P;
    use vfs::Overrides as O;
    [
        (P::DacOverride, O::DAC),
        (P::DacReadSearch, O::READ_SEARCH),
        (P::Fowner, O::OWNER),
        (P::Chown, O::CHOWN),
        (P::Fsetid, O::SET_ID),
    ]
    .into_iter()
    .filter(|(p, _)| set.contains(*p))
    .fold(O::NONE, |acc, (_, o)| acc.union(o))
}

/// Takes `p` out of the process table: when it is reaped (its pid is free
/// from then on, as on Linux, even while another CPU is still switching
/// away from its last thread and so holds a reference), or when it goes
/// away unreaped. An entry that is already another process's (the pid was
/// reused) stays.
pub fn unlist(p: &Process) {
    let mut table = PROCESSES.lock();
    if table.get(&p.pid).is_some_and(|w| core::ptr::eq(w.as_ptr(), p)) {
        table.remove(&p.pid);
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        unlist(self);
    }
}

pub fn find(pid: u32) -> Option<Arc<Process>> {
    PROCESSES.lock().get(&pid).and_then(Weak::upgrade)
}

/// The process table, if no one holds it: for the NMI dump, which must
/// not wait (task/dump.rs).
pub fn try_table() -> Option<crate::sync::SpinLockGuard<'static, BTreeMap<u32, Weak<Process>>>> {
    PROCESSES.try_lock()
}

/// Every live (not yet reaped) process, in pid order.
pub fn all() -> Vec<Arc<Process>> {
    PROCESSES.lock().values().filter_map(Weak::upgrade).collect()
}

/// The live thread with id `tid`, in whichever process.
pub fn find_thread(tid: u32) -> Option<Arc<Thread>> {
    all().into_iter().find_map(|p| p.threads.lock().iter().find(|t| t.tid == tid).cloned())
}
