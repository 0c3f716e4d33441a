//! Futexes: sleeping on a user memory word until another thread wakes it.
//! A word in private memory is known by (address space, user address); a
//! word in a shared mapping by the object that holds it and its offset
//! there, so that processes mapping it at different addresses meet on it
//! (process-shared pthread mutexes, LTP's checkpoints). Linux keys a
//! FUTEX_PRIVATE_FLAG futex by address even in shared memory; keying it by
//! object instead only lets the same threads meet, never different ones.

use super::process::Process;
use super::thread::Thread;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::hash::{Hash, Hasher};
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use kernel_ops::{Error, KResult};

/// What a futex word is (see the module comment).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    Private {
        mm: usize,
        addr: u64,
    },
    Shared(crate::mm::SharedWord),
    /// A parked thread (`park`): keyed by the thread, not by a word.
    Thread(u32),
}

/// Waiters are hashed by key into this many buckets, each with its own
/// lock, so that unrelated futexes (every pthread mutex and condition
/// variable in the system) neither contend for one lock nor walk one list.
const BUCKETS: usize = 256;

/// A thread waiting on a futex, queued in its key's bucket.
struct Waiter {
    key: Key,
    bitset: u32,
    thread: Arc<Thread>,
}

/// A thread's side of its futex wait (one at a time): kept in the thread,
/// so that waiting allocates nothing.
pub struct FutexSlot {
    /// The bucket the thread is queued in. Changed only by a requeue,
    /// holding both that bucket's lock and the new one's.
    bucket: AtomicUsize,
    /// Set by a waker, under the bucket's lock, as it takes the waiter out
    /// of the bucket.
    woken: AtomicBool,
    /// An unpark that found the thread not parked, for its next park
    /// (changed under the lock of the bucket of `Key::Thread`).
    unparked: AtomicBool,
}

impl FutexSlot {
    pub const fn new() -> Self {
        FutexSlot { bucket: AtomicUsize::new(0), woken: AtomicBool::new(false), unparked: AtomicBool::new(false) }
    }
}

impl Default for FutexSlot {
    fn default() -> Self {
        Self::new()
    }
}

static TABLE: [SpinLock<Vec<Waiter>>; BUCKETS] =
    [const { SpinLock::ranked(crate::sync::Rank::FutexBucket, Vec::new()) }; BUCKETS];

/// FNV-1a: a few lines, good enough to spread addresses over the buckets
/// (the low bits of a futex address are all zero; FNV mixes every byte).
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn bucket_of(key: &Key) -> usize {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    key.hash(&mut h);
    (h.finish() % BUCKETS as u64) as usize
}

/// The key of the word at `addr` in `p`'s address space. Takes the
/// address-space lock: never called holding a bucket.
fn key_of(p: &Process, addr: u64) -> Key {
    let mm = p.mm();
    match mm.shared_word(addr) {
        Some(word) => Key::Shared(word),
        None => Key::Private { mm: Arc::as_ptr(&mm) as usize, addr },
    }
}

/// Sleeps while the word at `addr` equals `expected`.
///
/// The bucket's lock plays the part a wait queue's lock plays elsewhere:
/// the thread checks the word, queues itself and marks itself blocked
/// under it, and a waker marks it woken and wakes it under the same lock,
/// so no wake-up falls between the check and the sleep.
pub fn wait(t: &Arc<Thread>, addr: u64, expected: u32, deadline: Option<u64>, bitset: u32) -> KResult<()> {
    if !addr.is_multiple_of(4) {
        return Err(Error::InvalidArgument);
    }
    let p = t.process().clone();
    let key = key_of(&p, addr);
    let home = bucket_of(&key);
    let slot = &t.futex;
    slot.bucket.store(home, Ordering::Relaxed);
    slot.woken.store(false, Ordering::Relaxed);
    let mm = p.mm();
    loop {
        // Check the value and enqueue atomically with respect to wakers,
        // which take the same bucket. Reading the word must not sleep under
        // that lock: if its page is a file page not yet in memory, the
        // lock is dropped, the page read, and the check starts over.
        let mut q = TABLE[home].lock();
        let mut word = [0u8; 4];
        match mm.copy_in_without_sleeping(addr, &mut word).map_err(|_| Error::Fault)? {
            Ok(()) => {
                if u32::from_le_bytes(word) != expected {
                    return Err(Error::WouldBlock);
                }
                q.push(Waiter { key, bitset, thread: t.clone() });
                break;
            }
            Err(page) => {
                drop(q);
                page.fill().map_err(|_| Error::Fault)?;
            }
        }
    }
    sleep_queued(t, deadline)
}

/// Sleeps, queued in a bucket, until a waker takes the thread out, a
/// signal is to be delivered or the deadline passes.
fn sleep_queued(t: &Arc<Thread>, deadline: Option<u64>) -> KResult<()> {
    let slot = &t.futex;
    let mut wake_up = None;
    let outcome = loop {
        {
            // The bucket is read again once its lock is held: a requeue
            // may have moved the waiter meanwhile.
            let i = slot.bucket.load(Ordering::Acquire);
            let mut q = TABLE[i].lock();
            if slot.bucket.load(Ordering::Acquire) != i {
                continue;
            }
            let ended = t.block_unless(|| {
                if slot.woken.load(Ordering::Acquire) {
                    Some(Ok(()))
                } else if t.has_deliverable_signal() {
                    Some(Err(Error::Restart))
                } else if deadline.is_some_and(|d| crate::time::now_ns() >= d) {
                    Some(Err(Error::TimedOut))
                } else {
                    None
                }
            });
            if let Some(result) = ended {
                // Leave the bucket, unless a waker took us out already.
                if let Some(at) = q.iter().position(|w| Arc::ptr_eq(&w.thread, t)) {
                    q.remove(at);
                }
                break result;
            }
        }
        if wake_up.is_none() {
            wake_up = deadline.map(|d| crate::sched::wake_at(d, t));
        }
        crate::sched::schedule();
    };
    // Woken by a waker or a signal, the wake-up at the deadline is
    // withdrawn: it would only be a stale entry.
    if let Some(id) = wake_up {
        crate::sched::cancel_wake(id);
    }
    outcome
}

/// Parks `t` until `unpark` names it (see `FutexOps::park`): an unpark
/// that came first is used up at once, as `Already`.
pub fn park(t: &Arc<Thread>, deadline: Option<u64>) -> KResult<()> {
    let key = Key::Thread(t.tid);
    let home = bucket_of(&key);
    let slot = &t.futex;
    slot.bucket.store(home, Ordering::Relaxed);
    slot.woken.store(false, Ordering::Relaxed);
    {
        let mut q = TABLE[home].lock();
        if slot.unparked.swap(false, Ordering::AcqRel) {
            return Err(Error::Already);
        }
        q.push(Waiter { key, bitset: u32::MAX, thread: t.clone() });
    }
    sleep_queued(t, deadline)
}

/// Wakes `target` from `park`, or leaves it the token its next park uses.
pub fn unpark(target: &Arc<Thread>) {
    let key = Key::Thread(target.tid);
    let mut q = TABLE[bucket_of(&key)].lock();
    if wake_matching(&mut q, key, 1, u32::MAX) == 0 {
        target.futex.unparked.store(true, Ordering::Release);
    }
}

/// Takes out of `queue`, in order of arrival, up to `count` waiters that
/// `matches` accepts.
fn take(queue: &mut Vec<Waiter>, count: u32, matches: impl Fn(&Waiter) -> bool) -> Vec<Waiter> {
    let mut taken = Vec::new();
    let mut i = 0;
    while i < queue.len() && taken.len() < count as usize {
        if matches(&queue[i]) {
            taken.push(queue.remove(i));
        } else {
            i += 1;
        }
    }
    taken
}

/// Takes up to `count` waiters on `key` whose bitset meets `bitset` out
/// of `queue`, marks them woken and wakes them (under the bucket's lock:
/// the run queues' locks nest inside it); how many.
fn wake_matching(queue: &mut Vec<Waiter>, key: Key, count: u32, bitset: u32) -> u32 {
    let mut woken = 0;
    let mut i = 0;
    while i < queue.len() && woken < count {
        if queue[i].key == key && queue[i].bitset & bitset != 0 {
            let w = queue.remove(i);
            w.thread.futex.woken.store(true, Ordering::Release);
            crate::sched::wake(&w.thread);
            woken += 1;
        } else {
            i += 1;
        }
    }
    woken
}

/// Wakes up to `count` waiters on `addr` whose bitset intersects `bitset`.
pub fn wake(p: &Process, addr: u64, count: u32, bitset: u32) -> u32 {
    let key = key_of(p, addr);
    wake_matching(&mut TABLE[bucket_of(&key)].lock(), key, count, bitset)
}

/// Wakes `wake_count` waiters on `addr` and moves up to `requeue` others to `to`.
pub fn requeue(p: &Process, addr: u64, wake_count: u32, to: u64, requeue: u32, expected: Option<u32>) -> KResult<u32> {
    if let Some(e) = expected {
        let mut word = [0u8; 4];
        p.mm().copy_in(addr, &mut word).map_err(|_| Error::Fault)?;
        if u32::from_le_bytes(word) != e {
            return Err(Error::WouldBlock);
        }
    }
    let (from, to) = (key_of(p, addr), key_of(p, to));
    let (source, target) = (bucket_of(&from), bucket_of(&to));
    // Two buckets are locked lower index first, by every caller, so two
    // requeues in opposite directions cannot each hold the lock the other
    // waits for.
    let mut low = TABLE[source.min(target)].lock();
    // Same class: lock_nested, the order being by index.
    let mut high = (source != target).then(|| TABLE[source.max(target)].lock_nested());
    let (src, dst): (&mut Vec<Waiter>, Option<&mut Vec<Waiter>>) = match high.as_mut() {
        None => (&mut low, None),
        Some(high) if source < target => (&mut low, Some(high)),
        Some(high) => (high, Some(&mut low)),
    };
    let woken = wake_matching(src, from, wake_count, u32::MAX);
    let moved = match dst {
        None => {
            let mut moved = 0;
            for w in src.iter_mut().filter(|w| w.key == from) {
                if moved >= requeue {
                    break;
                }
                w.key = to;
                moved += 1;
            }
            moved
        }
        Some(dst) => {
            let taken = take(src, requeue, |w| w.key == from);
            let moved = taken.len() as u32;
            for mut w in taken {
                w.key = to;
                w.thread.futex.bucket.store(target, Ordering::Release);
                dst.push(w);
            }
            moved
        }
    };
    drop(high);
    drop(low);
    Ok(woken + moved)
}
