//! The kernel's virtual address layout and what the linker script defines.
//!
//! ```text
//! 0x0000_0000_0000_0000 ..= 0x0000_7fff_ffff_ffff  user space (per address space)
//! 0xffff_8000_0000_0000 ..                          direct map of physical memory
//! 0xffff_c000_0000_0000 ..                          kernel dynamic mappings (reserved)
//! 0xffff_ffff_8000_0000 ..                          the kernel image
//! ```

use core::ops::Range;
use core::sync::atomic::{AtomicBool, Ordering};

pub const DIRECT_MAP_BASE: u64 = 0xffff_8000_0000_0000;
pub const KERNEL_DYNAMIC_BASE: u64 = 0xffff_c000_0000_0000;
pub const KERNEL_VIRT_OFFSET: u64 = 0xffff_ffff_8000_0000;
pub const USER_END: u64 = 0x0000_8000_0000_0000;
pub const PAGE_SIZE: u64 = 4096;

/// The kernel-visible address of physical address `phys`.
pub const fn phys_to_virt(phys: u64) -> u64 {
    DIRECT_MAP_BASE + phys
}

extern "C" {
    static __kernel_phys_start: u8;
    static __kernel_phys_end: u8;
    static __text_start: u8;
    static __text_end: u8;
    static __rodata_start: u8;
    static __rodata_end: u8;
    static __data_start: u8;
    static __data_end: u8;
    static __ksyms_start: u8;
    static __ksyms_end: u8;
}

macro_rules! symbol_address {
    ($sym:ident) => {
        // Only the address of a linker-script symbol is taken, never its value.
        core::ptr::addr_of!($sym) as u64
    };
}

/// Where the kernel image's pieces are, virtual and physical.
#[derive(Debug, Clone)]
pub struct KernelImage {
    pub phys: Range<u64>,
    pub text: Range<u64>,
    pub rodata: Range<u64>,
    pub data: Range<u64>,
}

pub fn kernel_image() -> KernelImage {
    KernelImage {
        phys: symbol_address!(__kernel_phys_start)..symbol_address!(__kernel_phys_end),
        text: symbol_address!(__text_start)..symbol_address!(__text_end),
        rodata: symbol_address!(__rodata_start)..symbol_address!(__rodata_end),
        data: symbol_address!(__data_start)..symbol_address!(__data_end),
    }
}

/// The symbol table patched in by `cargo xtask` (zeros if it was not).
pub fn ksyms_blob() -> &'static [u8] {
    let start = symbol_address!(__ksyms_start);
    let end = symbol_address!(__ksyms_end);
    // SAFETY: the linker script reserves [__ksyms_start, __ksyms_end) inside the
    // read-only image; it is mapped for the kernel's whole life and never written
    // at run time. Going through the linker symbols (not a Rust static) keeps the
    // compiler from assuming the reserved bytes are still zero.
    unsafe { core::slice::from_raw_parts(start as *const u8, (end - start) as usize) }
}

static PAGING_READY: AtomicBool = AtomicBool::new(false);

pub fn set_paging_ready() {
    PAGING_READY.store(true, Ordering::Release);
}

/// Reads a word of kernel memory if it is certainly mapped: used by the
/// backtrace walker, which must not fault on a corrupt frame chain.
pub fn read_kernel_word(addr: u64) -> Option<u64> {
    if !addr.is_multiple_of(8) || addr < DIRECT_MAP_BASE {
        return None;
    }
    let mapped = if PAGING_READY.load(Ordering::Acquire) {
        super::paging::is_kernel_mapped(addr)
    } else {
        let image = kernel_image();
        image.data.contains(&addr) || image.rodata.contains(&addr)
    };
    if !mapped {
        return None;
    }
    // SAFETY: `addr` is 8-aligned and mapped in the kernel half (checked above).
    Some(unsafe { (addr as *const u64).read_volatile() })
}

/// Turns a physical range into a `'static` slice of words through the direct map.
///
/// # Safety
/// The caller must own `[phys, phys + 8 * words)` exclusively and forever: RAM
/// that no allocator will hand out and no other reference covers.
pub unsafe fn claim_phys_words(phys: u64, words: usize) -> &'static mut [u64] {
    assert!(phys.is_multiple_of(8));
    let p = phys_to_virt(phys) as *mut u64;
    // SAFETY: the caller guarantees exclusive ownership; the direct map covers
    // the range (boot tables map 4 GiB, kernel tables map all RAM). Zeroing
    // first makes every word initialised before the slice exists.
    unsafe {
        core::ptr::write_bytes(p, 0, words);
        core::slice::from_raw_parts_mut(p, words)
    }
}

/// Fills a frame the caller owns with zeros.
pub fn zero_frame(phys: u64) {
    assert!(phys.is_multiple_of(PAGE_SIZE));
    let p = phys_to_virt(phys) as *mut u8;
    // SAFETY: the frame was just handed to the caller by the frame allocator,
    // so no one else uses it, and the direct map covers all RAM.
    unsafe { core::ptr::write_bytes(p, 0, PAGE_SIZE as usize) }
}

/// Views a word slice as u16s (the frame reference counts share the frame
/// bitmap's storage).
pub fn words_as_u16(words: &'static mut [u64]) -> &'static mut [u16] {
    let len = words.len() * 4;
    // SAFETY: u64 storage is suitably aligned for u16, every bit pattern is a
    // valid u16, and the exclusive borrow moves into the returned slice.
    unsafe { core::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u16>(), len) }
}

/// Copies a frame's bytes at `offset` into `buf`.
///
/// # Safety
/// `phys + offset .. + buf.len()` must lie inside one RAM frame that no one
/// is writing concurrently (a user page under its address-space lock).
pub unsafe fn copy_from_phys(phys: u64, buf: &mut [u8]) {
    // SAFETY: the caller guarantees a readable, stable RAM range, which the
    // direct map covers.
    unsafe { core::ptr::copy_nonoverlapping(phys_to_virt(phys) as *const u8, buf.as_mut_ptr(), buf.len()) }
}

/// Copies `data` into RAM at `phys`.
///
/// # Safety
/// The range must lie inside one RAM frame that the caller may write (a user
/// page under its address-space lock, or a frame it owns).
pub unsafe fn copy_to_phys(phys: u64, data: &[u8]) {
    // SAFETY: as above, for writing.
    unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), phys_to_virt(phys) as *mut u8, data.len()) }
}

/// Copies one whole frame to another (copy-on-write).
///
/// # Safety
/// `to` must be a frame the caller owns exclusively; `from` a RAM frame.
pub unsafe fn copy_frame(from: u64, to: u64) {
    // SAFETY: distinct 4 KiB RAM frames, both in the direct map.
    unsafe {
        core::ptr::copy_nonoverlapping(phys_to_virt(from) as *const u8, phys_to_virt(to) as *mut u8, PAGE_SIZE as usize)
    }
}

/// A boot module's bytes (the initramfs), read through the direct map.
///
/// # Safety
/// The range must be RAM the boot loader filled and the kernel reserved
/// (removed from the frame allocator), so nothing ever writes it.
pub unsafe fn boot_module(phys: u64, len: u64) -> &'static [u8] {
    // SAFETY: as the caller guarantees; the direct map covers all RAM.
    unsafe { core::slice::from_raw_parts(phys_to_virt(phys) as *const u8, len as usize) }
}
