//! Keeping the other CPUs' TLBs true to the page tables (TLB shootdown).
//!
//! x86 CPUs do not tell each other when a page-table entry changes: each
//! keeps what it cached until it flushes. So whoever removes a mapping or
//! takes a permission away must make every other CPU that may have cached
//! it flush before relying on the change (freeing the frame, sharing a
//! page copy-on-write), or a thread there goes on writing memory that now
//! belongs to someone else.
//!
//! User mappings: each CPU records which top-level table it has loaded
//! (`LOADED`, stored before CR3 is written; an idle CPU keeps the last one).
//! The changer edits the entries, flushes its own TLB, then calls
//! `shootdown(root)`: every other CPU with `root` loaded is asked by an IPI
//! to drop its user entries, and the caller waits until each has. A CPU
//! that loads `root` after the change starts from a flushed TLB anyway:
//! its store to `LOADED` and the changer's read of it are both sequentially
//! consistent, so either the changer sees the root loaded, or the load
//! (which flushes) comes after the change.
//!
//! Kernel mappings are global (a CR3 load keeps them): when one goes away
//! (`shootdown_kernel`), every other started CPU flushes everything.
//!
//! An address space that goes away must not stay loaded anywhere (its
//! top-level table is freed): `leave(root)` makes every CPU that still has
//! it loaded switch to the kernel's own tables.
//!
//! The changer usually holds the address space's spinlock, so its
//! interrupts are masked, and a CPU it waits for may be spinning on that
//! very lock (or shooting down at the changer), interrupts masked too. So
//! every wait with interrupts masked answers requests itself
//! (`answer_requests`: the spinlock's spin, the scheduler's wait for a
//! thread being switched out, and the wait here): two CPUs never wait for
//! each other.

use super::percpu::{self, MAX_CPUS};
use super::{interrupts::VECTOR_TLB_FLUSH, paging};
use core::sync::atomic::{fence, AtomicBool, AtomicU64, Ordering};

/// The top-level table each CPU has loaded (0: not recorded yet).
static LOADED: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];
/// Requests made of each CPU (a count) and the count it has answered:
/// one flush after reading the count answers every request made before.
static REQUESTED: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];
static ANSWERED: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];
/// A root each CPU must stop using rather than flush (`leave`; 0: none).
static LEAVE: [AtomicU64; MAX_CPUS] = [const { AtomicU64::new(0) }; MAX_CPUS];
/// Each CPU must drop its global (kernel) entries too.
static GLOBAL: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];

/// What a request asks of the CPUs it reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Request {
    /// Drop the user entries of `root` (those that have it loaded).
    Flush(u64),
    /// Stop using `root` (those that have it loaded).
    Leave(u64),
    /// Drop every entry, kernel ones included (every started CPU).
    Global,
}

/// This CPU is about to load the tables at `root` (paging::load_root).
pub fn note_loaded(root: u64) {
    LOADED[percpu::cpu_index() as usize].store(root, Ordering::SeqCst);
}

/// Entries of the tables at `root` lost a mapping or a permission, and
/// this CPU's TLB is flushed: makes every other CPU that has them loaded
/// flush too, and waits until they have.
pub fn shootdown(root: u64) {
    request(Request::Flush(root));
}

/// A kernel mapping was removed (and flushed here): every other started
/// CPU drops its kernel entries too, before the frame is reused.
pub fn shootdown_kernel() {
    request(Request::Global);
}

/// The tables at `root` are about to be freed: every CPU that has them
/// loaded switches to the kernel's own (this one included).
pub fn leave(root: u64) {
    if LOADED[percpu::cpu_index() as usize].load(Ordering::Relaxed) == root {
        paging::load_kernel_root();
    }
    request(Request::Leave(root));
}

fn request(what: Request) {
    let me = percpu::cpu_index() as usize;
    // The entries were written before this; see the module comment.
    fence(Ordering::SeqCst);
    let mut tickets = [0u64; MAX_CPUS];
    let mut any = false;
    for (cpu, ticket) in tickets.iter_mut().enumerate() {
        if cpu == me || percpu::apic_id_of(cpu).is_none() {
            continue;
        }
        let concerned = match what {
            Request::Flush(root) | Request::Leave(root) => LOADED[cpu].load(Ordering::SeqCst) == root,
            Request::Global => true,
        };
        if !concerned {
            continue;
        }
        match what {
            Request::Leave(root) => LEAVE[cpu].store(root, Ordering::SeqCst),
            Request::Global => GLOBAL[cpu].store(true, Ordering::SeqCst),
            Request::Flush(_) => {}
        }
        *ticket = REQUESTED[cpu].fetch_add(1, Ordering::SeqCst) + 1;
        any = true;
        if super::ipi::send_ipi(cpu, VECTOR_TLB_FLUSH).is_err() {
            crate::warn!("TLB shootdown: CPU {cpu} cannot be interrupted");
            *ticket = 0;
        }
    }
    if !any {
        return;
    }
    for (cpu, &ticket) in tickets.iter().enumerate() {
        while ticket != 0 && ANSWERED[cpu].load(Ordering::Acquire) < ticket {
            // Another CPU may be waiting for this one meanwhile.
            answer_requests();
            core::hint::spin_loop();
        }
    }
}

/// Answers the flush requests made of this CPU so far: the IPI's handler,
/// and every wait with interrupts masked (see the module comment).
pub fn answer_requests() {
    let me = percpu::cpu_index() as usize;
    let wanted = REQUESTED[me].load(Ordering::SeqCst);
    if ANSWERED[me].load(Ordering::Relaxed) >= wanted {
        return;
    }
    let leave = LEAVE[me].swap(0, Ordering::SeqCst);
    let left = leave != 0 && LOADED[me].load(Ordering::Relaxed) == leave;
    if left {
        paging::load_kernel_root();
    }
    if GLOBAL[me].swap(false, Ordering::SeqCst) {
        paging::flush_all_tlb();
    } else if !left {
        paging::flush_user_tlb();
    }
    // A maximum: an interrupt may have answered a later count meanwhile.
    ANSWERED[me].fetch_max(wanted, Ordering::Release);
}

/// The IPI's handler.
pub fn on_flush_request() {
    answer_requests();
    super::apic::end_of_interrupt();
}
