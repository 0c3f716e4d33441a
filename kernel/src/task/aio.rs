//! Asynchronous I/O contexts (Linux's io_setup family) as the core keeps
//! them: each process's contexts by ring address, the machine-wide count
//! of requests they may hold (/proc/sys/fs/aio-nr) and its limit
//! (aio-max-nr). What requests mean is the personality's
//! (`personality-linux/src/sys/aio.rs`); here is only the state it keeps
//! between calls, behind a lock that is never held across anything that
//! sleeps, and the wake-ups of the threads waiting on it.

use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::AioState;

/// Requests all contexts may hold, as Linux counts them (what io_setup
/// asked for), and the most they may.
static AIO_NR: AtomicU64 = AtomicU64::new(0);
static AIO_MAX_NR: AtomicU64 = AtomicU64::new(0x10000);

pub struct Context {
    state: SpinLock<AioState>,
    /// Counted in `AIO_NR` until the context is dropped.
    charge: u32,
    /// Threads waiting for it (io_getevents, and requests polling
    /// descriptors): woken by every change and when it ends.
    pub pollers: crate::sched::PollQueue,
}

impl Context {
    /// A context charged `charge` requests, or None past aio-max-nr.
    pub fn new(charge: u32, slots: u32, ring_bytes: u64) -> Option<Context> {
        let max = AIO_MAX_NR.load(Ordering::Relaxed);
        AIO_NR
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                n.checked_add(u64::from(charge)).filter(|&sum| sum <= max)
            })
            .ok()?;
        Some(Context {
            state: SpinLock::new(AioState { slots, ring_bytes, ..AioState::default() }),
            charge,
            pollers: crate::sched::PollQueue::new(),
        })
    }

    /// Runs `change` on the state; if that changed it, tells waiters.
    pub fn update(&self, change: &mut dyn FnMut(&mut AioState)) {
        let changed = {
            let mut s = self.state.lock();
            let before = fingerprint(&s);
            change(&mut s);
            let changed = fingerprint(&s) != before;
            if changed {
                s.generation = s.generation.wrapping_add(1);
            }
            changed
        };
        if changed {
            self.pollers.wake();
        }
    }

    pub fn generation(&self) -> u64 {
        self.state.lock().generation
    }

    pub fn snapshot(&self) -> AioState {
        self.state.lock().clone()
    }
}

/// What a waiter may be waiting for: a completion, a reaped one (room in
/// the ring), a request starting or ending its wait.
fn fingerprint(s: &AioState) -> (u32, u32, u32, usize, usize, u64) {
    (s.in_flight, s.head, s.tail, s.done.len(), s.waiting.len(), s.ring)
}

impl Drop for Context {
    fn drop(&mut self) {
        AIO_NR.fetch_sub(u64::from(self.charge), Ordering::AcqRel);
    }
}

/// A process's contexts by ring address (the id user space holds).
pub struct Contexts(SpinLock<BTreeMap<u64, Arc<Context>>>);

impl Contexts {
    pub const fn new() -> Contexts {
        Contexts(SpinLock::new(BTreeMap::new()))
    }

    pub fn get(&self, id: u64) -> Option<Arc<Context>> {
        self.0.lock().get(&id).cloned()
    }

    pub fn insert(&self, id: u64, context: Arc<Context>) {
        let old = self.0.lock().insert(id, context);
        drop(old);
    }

    pub fn remove(&self, id: u64) -> Option<Arc<Context>> {
        self.0.lock().remove(&id)
    }

    /// Ends them all (exec and exit: their rings were in the address
    /// space that goes). Waiters in other threads find them gone.
    pub fn clear(&self) {
        let all = core::mem::take(&mut *self.0.lock());
        for context in all.values() {
            context.pollers.wake();
        }
        drop(all);
    }
}

pub fn aio_nr() -> String {
    alloc::format!("{}\n", AIO_NR.load(Ordering::Relaxed))
}

pub fn aio_max_nr() -> String {
    alloc::format!("{}\n", AIO_MAX_NR.load(Ordering::Relaxed))
}

pub fn set_aio_max_nr(text: &[u8]) -> Result<(), vfs::Error> {
    let v: u64 =
        core::str::from_utf8(text).ok().and_then(|t| t.trim().parse().ok()).ok_or(vfs::Error::InvalidArgument)?;
    AIO_MAX_NR.store(v, Ordering::Relaxed);
    Ok(())
}
