//! Kernel stacks: one per thread, 32 KiB, each with an unmapped guard page
//! below it so an overflow faults (and the double-fault handler, on its own
//! IST stack, reports it) instead of silently corrupting a neighbour.
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

struct Slots {
    next: u64,
    free: Vec<u64>,
}

static SLOTS: SpinLock<Slots> = SpinLock::new(Slots { next: 0, free: Vec::new() });

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
        for (i, &frame) in self.frames.iter().enumerate() {
            if frame != 0 {
                let _ = paging::unmap_kernel_page(Self::page_address(self.slot, i));
                frames::free(frame);
            }
        }
        SLOTS.lock().free.push(self.slot);
    }
}
