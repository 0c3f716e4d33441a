//! Futexes: sleeping on a user memory word until another thread wakes it.
//! A word in private memory is known by (address space, user address); a
//! word in a shared mapping by the object that holds it and its offset
//! there, so that processes mapping it at different addresses meet on it
//! (process-shared pthread mutexes, LTP's checkpoints). Linux keys a
//! FUTEX_PRIVATE_FLAG futex by address even in shared memory; keying it by
//! object instead only lets the same threads meet, never different ones.

use super::process::Process;
use super::thread::Thread;
use crate::sched::{self, WaitError};
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;
use kernel_ops::{Error, KResult};

/// What a futex word is (see the module comment).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Key {
    Private { mm: usize, addr: u64 },
    Shared(crate::mm::SharedWord),
}

struct Waiter {
    key: Key,
    bitset: u32,
    thread: Arc<Thread>,
    woken: bool,
}

static WAITERS: SpinLock<Vec<Waiter>> = SpinLock::new(Vec::new());

/// The key of the word at `addr` in `p`'s address space. Takes the
/// address-space lock: never called holding WAITERS.
fn key_of(p: &Process, addr: u64) -> Key {
    let mm = p.mm();
    match mm.shared_word(addr) {
        Some(word) => Key::Shared(word),
        None => Key::Private { mm: Arc::as_ptr(&mm) as usize, addr },
    }
}

/// Sleeps while the word at `addr` equals `expected`.
pub fn wait(t: &Arc<Thread>, addr: u64, expected: u32, deadline: Option<u64>, bitset: u32) -> KResult<()> {
    if !addr.is_multiple_of(4) {
        return Err(Error::InvalidArgument);
    }
    let p = t.process().clone();
    let key = key_of(&p, addr);
    let mm = p.mm();
    loop {
        // Check the value and enqueue atomically with respect to wakers,
        // which take the same lock. Reading the word must not sleep under
        // that lock: if its page is a file page not yet in memory, the
        // lock is dropped, the page read, and the check starts over.
        let mut w = WAITERS.lock();
        let mut word = [0u8; 4];
        match mm.copy_in_without_sleeping(addr, &mut word).map_err(|_| Error::Fault)? {
            Ok(()) => {
                if u32::from_le_bytes(word) != expected {
                    return Err(Error::WouldBlock);
                }
                w.push(Waiter { key, bitset, thread: t.clone(), woken: false });
                break;
            }
            Err(page) => {
                drop(w);
                page.fill().map_err(|_| Error::Fault)?;
            }
        }
    }
    let done = || WAITERS.lock().iter().any(|w| Arc::ptr_eq(&w.thread, t) && w.woken);
    let result = FUTEX_SLEEP.wait_until(true, deadline, done);
    let mut w = WAITERS.lock();
    let was_woken = w.iter().any(|x| Arc::ptr_eq(&x.thread, t) && x.woken);
    w.retain(|x| !Arc::ptr_eq(&x.thread, t));
    match result {
        Ok(()) => Ok(()),
        _ if was_woken => Ok(()),
        Err(WaitError::TimedOut) => Err(Error::TimedOut),
        Err(WaitError::Interrupted) => Err(Error::Restart),
    }
}

static FUTEX_SLEEP: sched::WaitQueue = sched::WaitQueue::new();

/// Wakes up to `count` waiters on `addr` whose bitset intersects `bitset`.
pub fn wake(p: &Process, addr: u64, count: u32, bitset: u32) -> u32 {
    wake_key(key_of(p, addr), count, bitset)
}

fn wake_key(key: Key, count: u32, bitset: u32) -> u32 {
    let mut n = 0;
    {
        let mut w = WAITERS.lock();
        for waiter in w.iter_mut().filter(|x| x.key == key && !x.woken && x.bitset & bitset != 0) {
            if n >= count {
                break;
            }
            waiter.woken = true;
            n += 1;
        }
    }
    if n > 0 {
        FUTEX_SLEEP.wake_all();
    }
    n
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
    let woken = wake_key(from, wake_count, u32::MAX);
    let mut moved = 0;
    for waiter in WAITERS.lock().iter_mut().filter(|x| x.key == from && !x.woken) {
        if moved >= requeue {
            break;
        }
        waiter.key = to;
        moved += 1;
    }
    Ok(woken + moved)
}
