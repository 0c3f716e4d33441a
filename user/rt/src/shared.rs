//! Memory shared with someone else (the kernel, a device, another task),
//! mapped into this task and used as a byte buffer.
//!
//! The other side writes the memory only while this task waits for it (a
//! call to a server, a device request it then waits for), so plain reads
//! and writes between those calls are sound; the system call in between
//! is a compiler barrier.

use crate::lock::SpinLock;
use crate::sys;
use abi::{Error, ADDRESS_SPACE_SELF_SLOT, PAGE_SIZE, PROT_READ, PROT_WRITE};

/// Where shared buffers are mapped: a region nothing else in the runtime
/// uses (the heap is at 0x4000_0000_0000, thread stacks at 0x5000_...).
const REGION: u64 = 0x2000_0000_0000;
const REGION_END: u64 = 0x3000_0000_0000;
static NEXT: SpinLock<u64> = SpinLock::new(REGION);

/// A memory capability mapped read-write for as long as the task lives.
#[derive(Debug)]
pub struct SharedBuffer {
    addr: u64,
    len: usize,
}

impl SharedBuffer {
    /// Maps `pages` pages of the Memory, Dma or Mmio capability `mem`.
    pub fn map(mem: u64, pages: u64) -> Result<SharedBuffer, Error> {
        let len = pages.checked_mul(PAGE_SIZE).ok_or(Error::InvalidArgument)?;
        let addr = NEXT.with(|next| {
            let addr = *next;
            // A guard page between buffers.
            let end = addr.checked_add(len + PAGE_SIZE).filter(|&e| e <= REGION_END)?;
            *next = end;
            Some(addr)
        });
        let addr = addr.ok_or(Error::NoMemory)?;
        sys::mem_map(ADDRESS_SPACE_SELF_SLOT, mem, addr, 0, pages, PROT_READ | PROT_WRITE)?;
        Ok(SharedBuffer { addr, len: len as usize })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The virtual address (for a device that needs it, use `mem_phys`).
    pub fn addr(&self) -> u64 {
        self.addr
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `addr..addr+len` was mapped readable and writable by
        // `map`, is never unmapped, and no Rust object else lives there
        // (the region belongs to this module).
        unsafe { core::slice::from_raw_parts(self.addr as *const u8, self.len) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `bytes`; `&mut self` makes this the only reference.
        unsafe { core::slice::from_raw_parts_mut(self.addr as *mut u8, self.len) }
    }
}
