//! Kernel stacks: one per thread, 32 KiB, each with an unmapped guard page
//! below it so an overflow faults (and the double-fault handler, on its own
//! IST stack, reports it) instead of silently corrupting a neighbour.
//!
//! A stack given back is kept whole, still mapped, for the next thread
//! (up to `KEPT` of them): a thread made and ended (every fork and exit)
//! then maps and unmaps nothing, and no other CPU has to be told. Only a
//! stack beyond that is unmapped, and then every other CPU drops its TLB
//! entries for it before its frames are reused (it may have run there).
//!
//! 32 KiB, not Linux's 16: the deepest path seen (native init's
//! vfs_boot_done starting the Linux init: exec of a dynamic program whose
//! pages come from the user-space file server) overflowed 16 KiB.

use crate::arch::layout::{KERNEL_DYNAMIC_BASE, PAGE_SIZE};
use crate::arch::paging;
use crate::mm::frames;
use crate::sync::SpinLock;
use alloc::vec::Vec;

const PAGES: usize = 8;
/// Stacks live 4 GiB into the kernel's dynamic region.
const STACKS_BASE: u64 = KERNEL_DYNAMIC_BASE + (4 << 30);
const SLOT_SIZE: u64 = (PAGES as u64 + 1) * PAGE_SIZE;

/// Stacks kept mapped for reuse, at most (32 KiB each: 1 MiB).
const KEPT: usize = 32;

struct Slots {
    next: u64,
    /// Slots with nothing mapped.
    free: Vec<u64>,
    /// Whole stacks given back, still mapped (at most `KEPT`).
    kept: Vec<(u64, [u64; PAGES])>,
}

static SLOTS: SpinLock<Slots> = SpinLock::new(Slots { next: 0, free: Vec::new(), kept: Vec::new() });

pub struct KernelStack {
    slot: u64,
    frames: [u64; PAGES],
}

#[derive(Debug)]
pub struct OutOfMemory;

impl KernelStack {
    pub fn new() -> Result<KernelStack, OutOfMemory> {
        let slot = {
            let mut s = SLOTS.lock();
            if let Some((slot, frames)) = s.kept.pop() {
                return Ok(KernelStack { slot, frames });
            }
            s.free.pop().unwrap_or_else(|| {
                s.next += 1;
                s.next - 1
            })
        };
        let mut frames = [0u64; PAGES];
        for i in 0..PAGES {
            let frame = match frames::alloc() {
                Ok(f) => f,
                Err(_) => {
                    let partial = KernelStack { slot, frames };
                    drop(partial);
                    return Err(OutOfMemory);
                }
            };
            frames[i] = frame;
            if paging::map_kernel_page(Self::page_address(slot, i), frame, true).is_err() {
                frames::free(frame);
                frames[i] = 0;
                drop(KernelStack { slot, frames });
                return Err(OutOfMemory);
            }
        }
        Ok(KernelStack { slot, frames })
    }

    fn page_address(slot: u64, page: usize) -> u64 {
        // The first page of each slot is the guard and stays unmapped.
        STACKS_BASE + slot * SLOT_SIZE + PAGE_SIZE * (page as u64 + 1)
    }

    /// One past the highest byte of the stack.
    pub fn top(&self) -> u64 {
        Self::page_address(self.slot, PAGES)
    }
}

impl Drop for KernelStack {
    fn drop(&mut self) {
        let whole = self.frames.iter().all(|&f| f != 0);
        if whole {
            let mut s = SLOTS.lock();
            if s.kept.len() < KEPT {
                s.kept.push((self.slot, self.frames));
                return;
            }
        }
        let mut unmapped = false;
        for (i, &frame) in self.frames.iter().enumerate() {
            if frame != 0 {
                unmapped |= paging::unmap_kernel_page(Self::page_address(self.slot, i)).is_some();
            }
        }
        if unmapped {
            // Another CPU that ran on this stack may still translate it.
            paging::flush_kernel_on_other_cpus();
        }
        for &frame in self.frames.iter().filter(|&&f| f != 0) {
            frames::free(frame);
        }
        SLOTS.lock().free.push(self.slot);
    }
}
