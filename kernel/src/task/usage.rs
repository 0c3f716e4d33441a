//! Resource-usage accounting: what getrusage, wait4 and /proc/<pid>/stat
//! report besides CPU time.
//!
//! Each thread counts its own page faults (task/fault.rs) and context
//! switches (sched/mod.rs); an exiting thread adds its counts to its
//! process, and a reaped child adds its whole usage to its parent's
//! children total, as Linux does. The peak resident size is sampled where
//! memory is about to be given back (munmap, exec, exit) and whenever
//! someone asks, so a peak that is still mapped is always seen.

use super::process::Process;
use super::thread::Thread;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::ResourceUsage;

/// Counters a thread keeps about itself (and a process keeps for its
/// exited threads).
#[derive(Default)]
pub struct Counters {
    minor_faults: AtomicU64,
    major_faults: AtomicU64,
    voluntary_switches: AtomicU64,
    involuntary_switches: AtomicU64,
}

impl Counters {
    pub const fn new() -> Counters {
        Counters {
            minor_faults: AtomicU64::new(0),
            major_faults: AtomicU64::new(0),
            voluntary_switches: AtomicU64::new(0),
            involuntary_switches: AtomicU64::new(0),
        }
    }

    /// A context switch away from this thread: voluntary when it blocked,
    /// involuntary when it was preempted or yielded while still runnable.
    pub fn count_switch(&self, still_runnable: bool) {
        let counter = if still_runnable { &self.involuntary_switches } else { &self.voluntary_switches };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Adds these counts to `usage`.
    fn add_to(&self, usage: &mut ResourceUsage) {
        usage.minor_faults += self.minor_faults.load(Ordering::Relaxed);
        usage.major_faults += self.major_faults.load(Ordering::Relaxed);
        usage.voluntary_switches += self.voluntary_switches.load(Ordering::Relaxed);
        usage.involuntary_switches += self.involuntary_switches.load(Ordering::Relaxed);
    }

    /// Moves another set of counts (an exiting thread's) into this one.
    pub fn absorb(&self, other: &Counters) {
        self.minor_faults.fetch_add(other.minor_faults.load(Ordering::Relaxed), Ordering::Relaxed);
        self.major_faults.fetch_add(other.major_faults.load(Ordering::Relaxed), Ordering::Relaxed);
        self.voluntary_switches.fetch_add(other.voluntary_switches.load(Ordering::Relaxed), Ordering::Relaxed);
        self.involuntary_switches.fetch_add(other.involuntary_switches.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

/// A user page fault the kernel resolved (demand paging, copy-on-write).
/// Every such fault is counted as minor: the address space does not yet
/// say whether resolving it read the file from a disk server (a major
/// fault on Linux).
pub fn fault_resolved(t: &Thread) {
    t.usage.minor_faults.fetch_add(1, Ordering::Relaxed);
}

/// Records the process's current resident size if it is a new peak.
/// Takes the address space's lock: never call it under a spinlock.
pub fn sample_peak_rss(p: &Process) {
    let (_, resident) = p.mm().lock().sizes();
    p.peak_rss.fetch_max(resident, Ordering::Relaxed);
}

/// The calling thread's own usage; `running_ns` is its CPU time in the
/// current slice, not yet added to its total.
pub fn of_thread(t: &Thread, running_ns: u64) -> ResourceUsage {
    let total = t.cpu_ns.load(Ordering::Relaxed) + running_ns;
    let system = split_system(total, t.user_ticks.load(Ordering::Relaxed), t.system_ticks.load(Ordering::Relaxed));
    let mut u = ResourceUsage { user_ns: total - system, system_ns: system, ..ResourceUsage::default() };
    t.usage.add_to(&mut u);
    // Linux reports the process's peak for a thread too.
    u.max_rss_bytes = t.try_process().map_or(0, |p| p.peak_rss.load(Ordering::Relaxed));
    u
}

/// A process's usage: its live threads, its exited ones, and its peak
/// resident size as last sampled (callers that may take the address
/// space's lock sample first). Takes only spinlocks: it runs inside
/// wait's readiness check.
pub fn of_process(p: &Process, running_ns: u64) -> ResourceUsage {
    let mut total = p.cpu_ns.load(Ordering::Relaxed) + running_ns;
    let (mut user_ticks, mut system_ticks) =
        (p.user_ticks.load(Ordering::Relaxed), p.system_ticks.load(Ordering::Relaxed));
    let mut u = ResourceUsage { max_rss_bytes: p.peak_rss.load(Ordering::Relaxed), ..ResourceUsage::default() };
    p.exited_threads.add_to(&mut u);
    for t in p.threads.lock().iter() {
        total += t.cpu_ns.load(Ordering::Relaxed);
        user_ticks += t.user_ticks.load(Ordering::Relaxed);
        system_ticks += t.system_ticks.load(Ordering::Relaxed);
        t.usage.add_to(&mut u);
    }
    u.system_ns = split_system(total, user_ticks, system_ticks);
    u.user_ns = total - u.system_ns;
    u
}

/// The system part of `total` CPU ns, in the proportion the timer ticks
/// saw (Linux's cputime_adjust does the same): exact totals, sampled split.
/// With no tick yet, all of it is user time.
fn split_system(total: u64, user_ticks: u64, system_ticks: u64) -> u64 {
    let ticks = user_ticks + system_ticks;
    if ticks == 0 {
        return 0;
    }
    (u128::from(total) * u128::from(system_ticks) / u128::from(ticks)) as u64
}

/// The process's (user, system) CPU time up to this moment. `current` is
/// the thread running on this CPU when it is one of the process's: its
/// slice so far counts too.
pub fn cpu_now(p: &Process, current: Option<&Thread>) -> (u64, u64) {
    let slice = if current.is_some() { crate::sched::current_slice_ns() } else { 0 };
    let u = of_process(p, slice);
    (u.user_ns, u.system_ns)
}

/// Reaped children and what they had reaped (getrusage RUSAGE_CHILDREN).
pub fn of_children(p: &Process) -> ResourceUsage {
    *p.children_usage.lock()
}

/// What wait4 reports for a child, and what its parent adds to its
/// children total when reaping it: the child's own usage plus its
/// children's; the peak is the largest of any of them.
pub fn of_reaped_child(child: &Process) -> ResourceUsage {
    let own = of_process(child, 0);
    let theirs = of_children(child);
    ResourceUsage {
        user_ns: own.user_ns + theirs.user_ns,
        system_ns: own.system_ns + theirs.system_ns,
        max_rss_bytes: own.max_rss_bytes.max(theirs.max_rss_bytes),
        minor_faults: own.minor_faults + theirs.minor_faults,
        major_faults: own.major_faults + theirs.major_faults,
        voluntary_switches: own.voluntary_switches + theirs.voluntary_switches,
        involuntary_switches: own.involuntary_switches + theirs.involuntary_switches,
    }
}

/// Adds a reaped child's usage to its parent's children total.
pub fn add_reaped(parent: &Process, child: &ResourceUsage) {
    let mut total = parent.children_usage.lock();
    total.user_ns += child.user_ns;
    total.system_ns += child.system_ns;
    total.max_rss_bytes = total.max_rss_bytes.max(child.max_rss_bytes);
    total.minor_faults += child.minor_faults;
    total.major_faults += child.major_faults;
    total.voluntary_switches += child.voluntary_switches;
    total.involuntary_switches += child.involuntary_switches;
}
