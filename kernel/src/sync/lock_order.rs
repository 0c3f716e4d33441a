//! The lock order: every important lock, spinning or sleeping, belongs to
//! a class with a rank, and a CPU (a thread, for sleeping locks) may take
//! a ranked lock only if its rank is above the rank of every ranked lock
//! of its kind it already holds. Two CPUs (threads) that each hold one
//! lock and want the other's can then never meet: a cycle would need a
//! lock taken under one of a higher rank.
//!
//! The table below is the single source of truth; ARCHITECTURE.md's "Lock
//! order" section repeats it with what each class protects and what may be
//! taken under it, and `cargo xtask lint` (xtask/src/lock_order_doc.rs)
//! fails when the two disagree.
//!
//! The check runs in kernels built with the `lock-order` feature (every
//! test kernel: `ktest` implies it, and `cargo xtask test`, `fuzz` and
//! `ltp` turn it on; `cargo xtask build/run/bench --lock-order` too). A
//! violation prints one `BUG: lock order: <held> then <taken>` line with a
//! backtrace, once per pair of classes, and the kernel goes on (the test
//! harness fails any boot whose log has a `BUG:` line). Without the feature
//! a rank is a byte in the lock and nothing more.
//!
//! How it is kept: each CPU has a mask of the classes it holds (in its
//! per-CPU block, arch). A spinlock masks interrupts, so an interrupt
//! handler runs only on a CPU that holds no spinlock, and its mask starts
//! empty (as long as guards are dropped innermost first: dropping the
//! outer guard first unmasks interrupts while the inner lock is still
//! held, and a handler arriving then is checked against it, which is
//! right: it could spin on that very lock); an NMI may arrive with locks held, but NMI code takes locks only
//! with `try_lock`, which never waits and so is never checked (what it
//! holds is still recorded, and locks taken under it are checked). The
//! mask follows the CPU, not the thread: no thread may switch away holding
//! a spinlock (`schedule` reports it, `sync::may_sleep`).
//!
//! Sleeping locks (`Mutex::ranked`) have classes in the same table, all
//! ranked below every spinlock class: a sleeping lock is never taken under
//! a spinlock (`sync::may_sleep` reports that), while a spinlock may be
//! taken under a sleeping lock. Their mask follows the thread, not the
//! CPU, since a thread may sleep and move CPUs while holding one: each
//! thread has a `HeldSleeping` mask, and `Mutex::lock` checks the class
//! against it. A spinlock is checked against the CPU's mask alone: every
//! sleeping class ranks below it, so the thread's could never object.
//! Before the scheduler runs there is no thread to keep the mask: sleeping
//! locks taken then are not checked.
//!
//! Unranked locks (`SpinLock::new`, `Mutex::new`) are not checked: leaves
//! that take nothing under them, or locks not yet classified. Two locks of one
//! class held at once (`lock_nested`) record the class once: if the outer
//! one is released first, the class is forgotten while the inner one is
//! still held, which can hide a report but never make a false one.

#[cfg(feature = "lock-order")]
use crate::arch::percpu;
#[cfg(feature = "lock-order")]
use core::sync::atomic::{AtomicU64, Ordering};

macro_rules! ranks {
    ($($(#[doc = $doc:literal])* $name:ident = $rank:literal,)*) => {
        /// A lock class, outermost first: a lock may be taken while holding
        /// only locks of lower rank.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Rank {
            $($(#[doc = $doc])* $name = $rank,)*
        }

        impl Rank {
            /// The class's name, as ARCHITECTURE.md's table spells it.
            #[cfg_attr(not(feature = "lock-order"), allow(dead_code))] // the report
            pub const fn name(self) -> &'static str {
                match self {
                    $(Rank::$name => stringify!($name),)*
                }
            }

            #[cfg_attr(not(feature = "lock-order"), allow(dead_code))] // the check
            pub fn from_u8(rank: u8) -> Option<Rank> {
                match rank {
                    $($rank => Some(Rank::$name),)*
                    _ => None,
                }
            }
        }
    };
}

ranks! {
    // Sleeping locks (`Mutex::ranked`), held per thread: all below every
    // spinlock class, since no sleeping lock is taken under a spinlock.
    /// An open file's offset (`fs/file.rs`): held across the read or write
    /// that moves it, so the file system's lock is taken under it.
    FileOffset = 1,
    /// One file system's own lock (the vfs crate's `FsHandle::lock`): held
    /// for one `FileSystem` call. Two only with `lock_nested` (see
    /// ARCHITECTURE.md).
    FileSystem = 2,
    /// A served file system's exchange with its server (`fs/served.rs`),
    /// or the network server's (`fs/inet/server.rs`): one request and its
    /// answer at a time.
    ServedExchange = 3,
    /// The VFS's namespace lock: the mount table, copied out or replaced whole.
    MountTable = 4,
    /// The VFS's file-system table (`FsId` to handle), held to copy out a handle.
    FsTable = 5,
    /// The POSIX message queues' names and limits (`fs/mqueue.rs`).
    MqRegistry = 6,
    /// One POSIX message queue's messages and settings.
    MqQueue = 7,
    /// The SysV IPC namespace: shared memory, semaphores, message queues.
    SysvNamespace = 8,
    /// The key store (`keys.rs`): every key and keyring.
    KeyStore = 9,
    // Spinlocks (`SpinLock::ranked`), held per CPU.
    /// A wait queue's list of sleepers: held while `wait_until`'s `ready`
    /// check runs, so the check may take the lock of what it looks at.
    WaitQueue = 10,
    /// A futex hash bucket (two only in a requeue, lower index first).
    FutexBucket = 11,
    /// A native IPC endpoint's queues of senders and receivers (a
    /// transfer under it reads the tables and the capability space).
    Endpoint = 12,
    /// A native notification's word and waiter.
    Notification = 13,
    /// The table of every process by pid.
    ProcessTable = 14,
    /// A process's children.
    Children = 15,
    /// A process's list of threads.
    ThreadList = 16,
    /// A thread's ptrace state.
    Trace = 17,
    /// A thread's pending and blocked signals.
    ThreadSignals = 18,
    /// A process's descriptor table.
    FdTable = 19,
    /// The machine's capability space: the derivation tree across every
    /// table, and the list of free table ids. Taken by every change to a
    /// table (insert, derive, copy, move, delete, revoke, fork, destroy),
    /// never by a lookup.
    CapSpace = 20,
    /// One capability table's slots (a task's, or a process's descriptors):
    /// the only lock a lookup takes. Two only in a move between tables,
    /// lower table index first (`lock_nested`).
    CapTable = 21,
    /// Record and flock locks of every file.
    FileLocks = 22,
    /// A pipe's or FIFO's buffer and ends.
    Pipe = 23,
    /// A terminal's line discipline.
    Tty = 24,
    /// A socket's state (Unix-domain or Internet), or the network server's
    /// map of its sockets (never held with a socket's).
    Socket = 25,
    /// An address space's regions and page tables.
    AddressSpace = 26,
    /// The page cache's index of cached file pages.
    PageCache = 27,
    /// The kernel half's page tables.
    KernelPageTables = 28,
    /// The sleep and tracked-timer queues.
    Timers = 29,
    /// A CPU's armed clock-event deadline.
    ClockEvent = 30,
    /// A CPU's run queue.
    RunQueue = 31,
    /// The kernel heap (grows by frames taken under its lock).
    Heap = 32,
    /// The physical frame allocator.
    Frames = 33,
    /// The console (every kernel line).
    Console = 34,
}

/// Pairs already reported: bit `taken` of `REPORTED[held]`.
#[cfg(feature = "lock-order")]
static REPORTED: [AtomicU64; 64] = [const { AtomicU64::new(0) }; 64];

/// The check of both kinds of lock, before waiting for one of class
/// `rank` (nonzero) while holding the classes in `held`: reports an
/// out-of-order acquisition and returns the bit to record as held and give
/// back at unlock (0 when the class is held already: a nested lock of the
/// same class, whose outer lock clears it).
#[cfg(feature = "lock-order")]
#[inline]
fn check(held: u64, rank: u8, nested: bool) -> u64 {
    let bit = 1u64 << rank;
    // Held classes of this rank or above (this rank itself is allowed for
    // `lock_nested`).
    let at_or_above = held & !(bit - 1);
    let offending = if nested { at_or_above & !bit } else { at_or_above };
    if offending != 0 {
        report(63 - offending.leading_zeros() as u8, rank);
    }
    if held & bit != 0 {
        0
    } else {
        bit
    }
}

/// Before this CPU waits for a lock of class `rank` (interrupts masked):
/// `check` against the classes this CPU holds, and records the class.
#[cfg(feature = "lock-order")]
#[inline]
pub(super) fn acquire(rank: u8, nested: bool) -> u64 {
    if rank == 0 {
        return 0;
    }
    let bit = check(percpu::lock_ranks_held(), rank, nested);
    if bit != 0 {
        percpu::add_lock_ranks(bit);
    }
    bit
}

/// After a `try_lock` succeeded: records the class, never checks (a
/// `try_lock` does not wait, so it cannot close a cycle).
#[cfg(feature = "lock-order")]
#[inline]
pub(super) fn note_taken(rank: u8) -> u64 {
    if rank == 0 {
        return 0;
    }
    let bit = 1u64 << rank;
    if percpu::lock_ranks_held() & bit != 0 {
        return 0;
    }
    percpu::add_lock_ranks(bit);
    bit
}

/// The classes this CPU holds now (one bit per rank), for the in-kernel
/// tests.
#[cfg(feature = "lock-order")]
#[cfg_attr(not(feature = "ktest"), allow(dead_code))]
pub fn held_classes() -> u64 {
    percpu::lock_ranks_held()
}

/// At unlock: gives back what `acquire` or `note_taken` recorded.
#[cfg(feature = "lock-order")]
#[inline]
pub(super) fn release(bit: u64) {
    if bit != 0 {
        percpu::remove_lock_ranks(bit);
    }
}

#[cfg(feature = "lock-order")]
#[cold]
#[inline(never)]
fn report(held: u8, taken: u8) {
    let seen = REPORTED[held as usize].fetch_or(1 << taken, Ordering::Relaxed);
    if seen & (1 << taken) != 0 {
        return;
    }
    let name = |r| Rank::from_u8(r).map_or("?", Rank::name);
    // The console's own lock may be the one held (a line formatted under
    // it took a lock): then the line is written without it.
    let unlocked = percpu::lock_ranks_held() & (1 << Rank::Console as u8) != 0;
    crate::log::write_maybe_unlocked(
        crate::log::Level::Error,
        module_path!(),
        format_args!("BUG: lock order: {} then {} (ranks {held}, {taken})", name(held), name(taken)),
        unlocked,
    );
    crate::arch::backtrace::print_current();
}

/// The classes of the sleeping locks one thread holds (a field of every
/// thread): empty, and never looked at, without the `lock-order` feature.
/// Only its own thread changes it, so a plain load and store suffice.
pub struct HeldSleeping {
    #[cfg(feature = "lock-order")]
    bits: AtomicU64,
}

impl HeldSleeping {
    pub const fn new() -> Self {
        HeldSleeping {
            #[cfg(feature = "lock-order")]
            bits: AtomicU64::new(0),
        }
    }
}

impl Default for HeldSleeping {
    fn default() -> Self {
        Self::new()
    }
}

/// The calling thread's sleeping-lock mask, `f` applied to it; `None`
/// before the scheduler runs (boot), when there is no thread to keep it.
#[cfg(feature = "lock-order")]
fn with_thread_mask<R>(f: impl FnOnce(&AtomicU64) -> R) -> Option<R> {
    if percpu::current_thread().is_null() {
        return None;
    }
    Some(f(&crate::sched::current_ref().held_sleeping.bits))
}

/// Before this thread waits for a sleeping lock of class `rank`: reports
/// an out-of-order acquisition against the sleeping locks the thread holds
/// (wherever it took them), and records the class. Returns the bit to give
/// back at unlock, as `acquire` does.
#[cfg(feature = "lock-order")]
pub(super) fn acquire_sleeping(rank: u8, nested: bool) -> u64 {
    if rank == 0 {
        return 0;
    }
    with_thread_mask(|mask| {
        let held = mask.load(Ordering::Relaxed);
        let bit = check(held, rank, nested);
        mask.store(held | bit, Ordering::Relaxed);
        bit
    })
    .unwrap_or(0)
}

/// At a sleeping lock's unlock: gives back what `acquire_sleeping`
/// recorded (on the same thread, wherever it runs now).
#[cfg(feature = "lock-order")]
pub(super) fn release_sleeping(bit: u64) {
    if bit != 0 {
        with_thread_mask(|mask| mask.store(mask.load(Ordering::Relaxed) & !bit, Ordering::Relaxed));
    }
}

/// The sleeping-lock classes the calling thread holds now (for the
/// in-kernel tests).
#[cfg(feature = "lock-order")]
#[cfg_attr(not(feature = "ktest"), allow(dead_code))]
pub fn held_sleeping_classes() -> u64 {
    with_thread_mask(|mask| mask.load(Ordering::Relaxed)).unwrap_or(0)
}

/// Every class, outermost first (for the in-kernel tests).
#[cfg_attr(not(feature = "ktest"), allow(dead_code))]
pub fn all() -> impl Iterator<Item = Rank> {
    (0..=u8::MAX).filter_map(Rank::from_u8)
}
