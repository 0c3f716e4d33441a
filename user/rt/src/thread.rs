//! Threads of the calling task, each on its own stack.
//!
//! Stacks are 64 KiB, mapped with `mem_alloc` + `mem_map` in a window of
//! the address space above the heap, with an unmapped guard page below
//! each, so an overflow faults instead of corrupting a neighbour. A stack
//! stays mapped after its thread ends (threads here are few and long-lived).

use crate::sys;
use abi::{Error, TaskStatus, ADDRESS_SPACE_SELF_SLOT, FOREVER, PAGE_SIZE, PROT_READ, PROT_WRITE};
use alloc::boxed::Box;
use core::sync::atomic::{AtomicU64, Ordering};

/// Pages of each thread's stack (64 KiB).
pub const STACK_PAGES: u64 = 16;
/// The stack window: after the heap's (see `heap.rs`).
const STACKS_BASE: u64 = crate::heap::HEAP_END as u64;
const STACKS_END: u64 = 0x6000_0000_0000;
/// Each stack takes its pages plus an unmapped guard page below them.
const STRIDE: u64 = (STACK_PAGES + 1) * PAGE_SIZE;

static NEXT_STACK: AtomicU64 = AtomicU64::new(STACKS_BASE);

/// What a new thread runs.
pub(crate) struct Start {
    f: fn(u64) -> i32,
    arg: u64,
}

/// Starts a thread running `f(arg)`; its result is the thread's exit code.
/// Returns the slot of the Thread capability (see [`join`]).
pub fn spawn(f: fn(u64) -> i32, arg: u64) -> Result<u64, Error> {
    let guard = NEXT_STACK.fetch_add(STRIDE, Ordering::Relaxed);
    let base = guard + PAGE_SIZE;
    let top = base + STACK_PAGES * PAGE_SIZE;
    if guard >= STACKS_END - STRIDE {
        return Err(Error::NoMemory);
    }
    let mem = sys::mem_alloc(STACK_PAGES, 0)?;
    let mapped = sys::mem_map(ADDRESS_SPACE_SELF_SLOT, mem, base, 0, STACK_PAGES, PROT_READ | PROT_WRITE);
    // The mapping keeps the pages; the slot is not needed any more.
    let _ = sys::cap_delete(mem);
    mapped?;
    let start = Box::into_raw(Box::new(Start { f, arg }));
    // SAFETY: `__rt_thread_start` (entry.rs) aligns the stack and calls
    // `thread_main(rdi)`, which never returns. `[base, top)` was just mapped
    // writable for this thread alone, and `top` is page- hence 16-aligned.
    let created = unsafe { sys::thread_create(crate::entry::thread_start_address(), top, start as u64) };
    if created.is_err() {
        // SAFETY: no thread started, so `start` is still only ours.
        drop(unsafe { Box::from_raw(start) });
        // SAFETY: nothing ran on the stack; no reference points into it.
        let _ = unsafe { sys::mem_unmap(ADDRESS_SPACE_SELF_SLOT, base, STACK_PAGES) };
    }
    created
}

/// Waits for a thread from [`spawn`] to end and says how it ended.
pub fn join(thread: u64) -> Result<TaskStatus, Error> {
    sys::thread_wait(thread, FOREVER)
}

/// A new thread's first Rust code, called by `__rt_thread_start`.
pub(crate) extern "C" fn thread_main(start: *mut Start) -> ! {
    // SAFETY: `start` is the box `spawn` leaked for this thread, and each
    // thread takes its own back exactly once, here.
    let Start { f, arg } = *unsafe { Box::from_raw(start) };
    sys::thread_exit(f(arg))
}
