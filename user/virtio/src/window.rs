//! Volatile access to memory the device shares with us: MMIO registers
//! (mapped uncached from an Mmio capability) and DMA memory (mapped from a
//! Dma capability, which the device reads and writes behind the compiler's
//! back). All of the crate's `unsafe` is here.
//!
//! Every access is bounds- and alignment-checked against the window; an
//! access outside it is a bug in the driver (offsets that come from the
//! device are validated before they are used) and panics rather than
//! touching memory the window does not cover.

use abi::{Error, ADDRESS_SPACE_SELF_SLOT, PAGE_SIZE, PROT_READ, PROT_WRITE};
use rt::sys;

/// A range of this task's address space mapped to device memory.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    base: u64,
    len: u64,
}

impl Window {
    /// Maps `pages` pages of `mem` (an Mmio, Dma or Memory capability),
    /// from page `offset` of it, read-write at `vaddr`, and returns the
    /// window over them. `vaddr` must be a free range of our address space
    /// reserved for this (each driver's `main.rs` hands out such ranges).
    pub fn map(mem: u64, vaddr: u64, offset: u64, pages: u64) -> Result<Window, Error> {
        sys::mem_map(ADDRESS_SPACE_SELF_SLOT, mem, vaddr, offset, pages, PROT_READ | PROT_WRITE)?;
        // The mapping succeeded, so the range is ours and read-write; it
        // is never unmapped (the driver keeps its device for its whole
        // life), and no Rust reference is ever made into it.
        Ok(Window { base: vaddr, len: pages * PAGE_SIZE })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The part `[off, off + len)` of this window, if it lies inside.
    pub fn sub(&self, off: u64, len: u64) -> Option<Window> {
        let end = off.checked_add(len)?;
        (end <= self.len).then_some(Window { base: self.base + off, len })
    }

    /// The address of `size` bytes at `off`, checked.
    fn at(&self, off: u64, size: u64) -> u64 {
        assert!(
            off.is_multiple_of(size) && off.checked_add(size).is_some_and(|e| e <= self.len),
            "access of {size} bytes at {off:#x} outside a window of {:#x}",
            self.len
        );
        self.base + off
    }

    pub fn read8(&self, off: u64) -> u8 {
        let p = self.at(off, 1) as *const u8;
        // SAFETY: `p` is inside the window (checked by `at`), which `map`
        // made readable and which stays mapped; volatile because the device
        // changes it.
        unsafe { p.read_volatile() }
    }

    pub fn read16(&self, off: u64) -> u16 {
        let p = self.at(off, 2) as *const u16;
        // SAFETY: as in `read8`; `at` checked the alignment.
        unsafe { p.read_volatile() }
    }

    pub fn read32(&self, off: u64) -> u32 {
        let p = self.at(off, 4) as *const u32;
        // SAFETY: as in `read16`.
        unsafe { p.read_volatile() }
    }

    pub fn write8(&self, off: u64, value: u8) {
        let p = self.at(off, 1) as *mut u8;
        // SAFETY: `p` is inside the window (checked by `at`), which `map`
        // made writable; no Rust reference aliases it; volatile because the
        // device must see every store, in program order.
        unsafe { p.write_volatile(value) }
    }

    pub fn write16(&self, off: u64, value: u16) {
        let p = self.at(off, 2) as *mut u16;
        // SAFETY: as in `write8`; `at` checked the alignment.
        unsafe { p.write_volatile(value) }
    }

    pub fn write32(&self, off: u64, value: u32) {
        let p = self.at(off, 4) as *mut u32;
        // SAFETY: as in `write16`.
        unsafe { p.write_volatile(value) }
    }

    pub fn write64(&self, off: u64, value: u64) {
        let p = self.at(off, 8) as *mut u64;
        // SAFETY: as in `write16`. Used on DMA memory only: 64-bit device
        // registers are written as two 32-bit halves (`write64_split`).
        unsafe { p.write_volatile(value) }
    }

    /// The address of `len` bytes at `off`, checked (no alignment).
    fn range(&self, off: u64, len: usize) -> u64 {
        assert!(
            off.checked_add(len as u64).is_some_and(|e| e <= self.len),
            "access of {len} bytes at {off:#x} outside a window of {:#x}",
            self.len
        );
        self.base + off
    }

    /// Copies `out.len()` bytes at `off` into `out` (a frame the device
    /// wrote into DMA memory).
    ///
    /// For DMA memory: the loads are volatile (the device writes it) but
    /// eight bytes wide where aligned, which MMIO registers may not accept.
    pub fn read_bytes(&self, off: u64, out: &mut [u8]) {
        let p = self.range(off, out.len()) as *const u8;
        // SAFETY: the whole range is inside the window (checked by
        // `range`), which stays mapped.
        unsafe { rt::shared::copy_from_volatile(p, out) }
    }

    /// Copies `len` bytes at `off` (a frame the device wrote) to `dst_off`
    /// in `dst` (memory shared with another task), without a copy
    /// between.
    pub fn copy_to_shared(&self, off: u64, len: usize, dst: &rt::shared::SharedBuffer, dst_off: usize) {
        let p = self.range(off, len) as *const u8;
        // SAFETY: the whole range is inside the window (checked by
        // `range`), which stays mapped; `dst` checks its own range.
        unsafe { dst.write_from_volatile(dst_off, p, len) }
    }

    /// Copies `bytes` to `off` (DMA memory, as `read_bytes`).
    pub fn write_bytes(&self, off: u64, bytes: &[u8]) {
        let p = self.range(off, bytes.len()) as *mut u8;
        // SAFETY: as in `read_bytes`; the window is writable and no Rust
        // reference points into it.
        unsafe { rt::shared::copy_to_volatile(p, bytes) }
    }

    /// A 64-bit register as two 32-bit stores, low half first (the access
    /// width virtio's PCI transport requires every device to accept).
    pub fn write64_split(&self, off: u64, value: u64) {
        self.write32(off, value as u32);
        self.write32(off + 4, (value >> 32) as u32);
    }
}
