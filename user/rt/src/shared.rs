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

    /// Unmaps the buffer (its memory is freed once no one else maps it).
    /// Its address range is not handed out again.
    pub fn unmap(self) -> Result<(), Error> {
        // SAFETY: `self` is consumed, and every reference made into the
        // range (`bytes`, `bytes_mut`, the atomics) borrowed it, so none
        // is left; the range was mapped by `map` for this buffer alone.
        unsafe { sys::mem_unmap(ADDRESS_SPACE_SELF_SLOT, self.addr, self.len as u64 / PAGE_SIZE) }
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

/// Access for memory the other side changes while this task runs (frame
/// rings shared by two running tasks): 32-bit atomics for the indices,
/// and byte copies in and out that never make a Rust reference into the
/// memory. Whatever the other side writes concurrently, the worst a
/// reader gets is bytes that make no sense, which it must check anyway.
impl SharedBuffer {
    /// The address of `size` bytes at `off`, checked: in bounds and
    /// aligned to `align`.
    fn checked(&self, off: usize, size: usize, align: usize) -> usize {
        assert!(
            off.is_multiple_of(align) && off.checked_add(size).is_some_and(|end| end <= self.len),
            "access of {size} bytes at {off:#x} outside a shared buffer of {:#x}",
            self.len
        );
        self.addr as usize + off
    }

    fn atomic_u32(&self, off: usize) -> &core::sync::atomic::AtomicU32 {
        let p = self.checked(off, 4, 4) as *const core::sync::atomic::AtomicU32;
        // SAFETY: `p` is inside the mapping (checked), 4-aligned, mapped
        // for as long as `self` lives; an AtomicU32 may be shared with any
        // other writer, including another task.
        unsafe { &*p }
    }

    /// Reads the 32-bit word at `off` (4-aligned) with Acquire ordering:
    /// what the other side wrote before publishing it is visible after.
    pub fn load_u32(&self, off: usize) -> u32 {
        self.atomic_u32(off).load(core::sync::atomic::Ordering::Acquire)
    }

    /// Writes the 32-bit word at `off` (4-aligned) with Release ordering:
    /// everything written before is visible to a side that loads it.
    pub fn store_u32(&self, off: usize, value: u32) {
        self.atomic_u32(off).store(value, core::sync::atomic::Ordering::Release)
    }

    /// Copies `out.len()` bytes at `off` into `out`.
    pub fn read_into(&self, off: usize, out: &mut [u8]) {
        let p = self.checked(off, out.len(), 1) as *const u8;
        // SAFETY: the whole range is inside the mapping (checked), which
        // lives as long as `self`.
        unsafe { copy_from_volatile(p, out) }
    }

    /// Copies `bytes` to `off`.
    pub fn write_from(&self, off: usize, bytes: &[u8]) {
        let p = self.checked(off, bytes.len(), 1) as *mut u8;
        // SAFETY: as in `read_into`; the mapping is writable.
        unsafe { copy_to_volatile(p, bytes) }
    }

    /// Copies `len` bytes from `src`, memory someone else may write too
    /// (a device's DMA buffer), to `off`, without a copy in between.
    ///
    /// # Safety
    /// `src..src + len` must be mapped readable for the whole call.
    pub unsafe fn write_from_volatile(&self, off: usize, src: *const u8, len: usize) {
        let p = self.checked(off, len, 1) as *mut u8;
        // SAFETY: `p..p+len` is inside the writable mapping (checked);
        // `src..src+len` is readable (the caller's promise).
        unsafe { copy_volatile(src, p, len) }
    }
}

/// Copies `len` bytes from `src` to `dst`, both memory that others may
/// change meanwhile (volatile on both sides): eight bytes per load and
/// store where the two are equally 8-aligned, else a byte at a time.
///
/// # Safety
/// `src..src + len` must be mapped readable and `dst..dst + len` writable
/// for the whole call, with no Rust reference into either.
pub unsafe fn copy_volatile(src: *const u8, dst: *mut u8, len: usize) {
    let mut i = 0;
    if (src as usize) % 8 == (dst as usize) % 8 {
        while i < len && !(src as usize + i).is_multiple_of(8) {
            // SAFETY: `i < len`: inside both ranges (the caller's promise).
            unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
            i += 1;
        }
        while i + 8 <= len {
            // SAFETY: both 8-aligned here (same alignment, and the loop
            // above), and the eight bytes from `i` are inside both ranges.
            unsafe { (dst.add(i) as *mut u64).write_volatile((src.add(i) as *const u64).read_volatile()) };
            i += 8;
        }
    }
    while i < len {
        // SAFETY: as in the first loop.
        unsafe { dst.add(i).write_volatile(src.add(i).read_volatile()) };
        i += 1;
    }
}

/// Copies `out.len()` bytes from `src` with volatile loads: memory another
/// task or a device may write meanwhile, into which no Rust reference may
/// point. Eight bytes per load where `src` is 8-aligned (a byte at a time
/// a frame costs several instructions per byte).
///
/// # Safety
/// `src..src + out.len()` must be mapped readable for the whole call.
pub unsafe fn copy_from_volatile(src: *const u8, out: &mut [u8]) {
    let len = out.len();
    let mut i = 0;
    while i < len && !(src as usize + i).is_multiple_of(8) {
        // SAFETY: `src + i` is inside the range (the caller's promise).
        out[i] = unsafe { src.add(i).read_volatile() };
        i += 1;
    }
    while i + 8 <= len {
        // SAFETY: `src + i` is 8-aligned (by the loop above) and the eight
        // bytes from it are inside the range.
        let word = unsafe { (src.add(i) as *const u64).read_volatile() };
        out[i..i + 8].copy_from_slice(&word.to_ne_bytes());
        i += 8;
    }
    while i < len {
        // SAFETY: as in the first loop.
        out[i] = unsafe { src.add(i).read_volatile() };
        i += 1;
    }
}

/// Copies `bytes` to `dst` with volatile stores, eight bytes per store
/// where `dst` is 8-aligned (see `copy_from_volatile`).
///
/// # Safety
/// `dst..dst + bytes.len()` must be mapped writable for the whole call,
/// with no Rust reference into it.
pub unsafe fn copy_to_volatile(dst: *mut u8, bytes: &[u8]) {
    let len = bytes.len();
    let mut i = 0;
    while i < len && !(dst as usize + i).is_multiple_of(8) {
        // SAFETY: `dst + i` is inside the range (the caller's promise).
        unsafe { dst.add(i).write_volatile(bytes[i]) };
        i += 1;
    }
    while i + 8 <= len {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[i..i + 8]);
        // SAFETY: `dst + i` is 8-aligned (by the loop above) and the eight
        // bytes from it are inside the range.
        unsafe { (dst.add(i) as *mut u64).write_volatile(u64::from_ne_bytes(word)) };
        i += 8;
    }
    while i < len {
        // SAFETY: as in the first loop.
        unsafe { dst.add(i).write_volatile(bytes[i]) };
        i += 1;
    }
}

/// The rings of `protocols::net` live in a shared buffer: the driver and
/// its client both reach them through this type's checked accessors.
impl protocols::net::RingMemory for SharedBuffer {
    fn load_u32(&self, off: usize) -> u32 {
        SharedBuffer::load_u32(self, off)
    }
    fn store_u32(&self, off: usize, value: u32) {
        SharedBuffer::store_u32(self, off, value)
    }
    fn read_into(&self, off: usize, out: &mut [u8]) {
        SharedBuffer::read_into(self, off, out)
    }
    fn write_from(&self, off: usize, bytes: &[u8]) {
        SharedBuffer::write_from(self, off, bytes)
    }
}
