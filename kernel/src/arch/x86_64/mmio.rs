//! Volatile access to memory-mapped device registers through the direct map.

use super::layout::phys_to_virt;

/// A device register window at a physical address. Creating one is a claim
/// that the range is device memory mapped uncached in the direct map.
#[derive(Debug, Clone, Copy)]
pub struct Mmio {
    base: u64,
    len: u64,
}

impl Mmio {
    pub const fn new(phys: u64, len: u64) -> Self {
        Mmio { base: phys, len }
    }

    fn addr(&self, offset: u64, width: u64) -> *mut u8 {
        assert!(offset.checked_add(width).is_some_and(|end| end <= self.len), "MMIO offset {offset:#x} outside window");
        phys_to_virt(self.base + offset) as *mut u8
    }

    pub fn read32(&self, offset: u64) -> u32 {
        let p = self.addr(offset, 4) as *const u32;
        // SAFETY: `p` is inside the device window (checked above), which the
        // direct map covers; device registers must be read with volatile loads.
        unsafe { p.read_volatile() }
    }

    pub fn write32(&self, offset: u64, value: u32) {
        let p = self.addr(offset, 4) as *mut u32;
        // SAFETY: as for read32.
        unsafe { p.write_volatile(value) }
    }

    pub fn read64(&self, offset: u64) -> u64 {
        let p = self.addr(offset, 8) as *const u64;
        // SAFETY: as for read32.
        unsafe { p.read_volatile() }
    }

    pub fn write64(&self, offset: u64, value: u64) {
        let p = self.addr(offset, 8) as *mut u64;
        // SAFETY: as for read32.
        unsafe { p.write_volatile(value) }
    }
}
