//! The kernel's page tables: the pure walker from `crates/paging`, fed with
//! real memory through the direct map. This file holds the only `unsafe`
//! page-table access (reading and writing entries, loading CR3).

use super::layout::{self, phys_to_virt, KERNEL_VIRT_OFFSET, PAGE_SIZE};
use crate::mm::frames;
use crate::sync::SpinLock;
use core::ops::Range;
use paging::{MapError, OutOfMemory, PageFlags, PageSize, PageTable, PhysAddr, TableMemory, VirtAddr};

/// Page-table memory reached through the direct map, with table frames from
/// the kernel's frame allocator.
pub struct DirectMapTables;

impl TableMemory for DirectMapTables {
    fn read(&self, table: PhysAddr, index: usize) -> u64 {
        assert!(index < 512);
        let p = phys_to_virt(table.as_u64()) as *const u64;
        // SAFETY: `table` is a page-table frame (the walker only passes frames
        // it found in entries or allocated), mapped by the direct map; index < 512
        // keeps the access inside the 4 KiB frame.
        unsafe { p.add(index).read_volatile() }
    }

    fn write(&mut self, table: PhysAddr, index: usize, value: u64) {
        assert!(index < 512);
        let p = phys_to_virt(table.as_u64()) as *mut u64;
        // SAFETY: as for `read`; entries are plain u64s the CPU reads.
        unsafe { p.add(index).write_volatile(value) }
    }

    fn alloc_table(&mut self) -> Result<PhysAddr, OutOfMemory> {
        let frame = frames::alloc_zeroed().map_err(|_| OutOfMemory)?;
        PhysAddr::new(frame).map_err(|_| OutOfMemory)
    }

    fn free_table(&mut self, table: PhysAddr) {
        frames::free(table.as_u64());
    }
}

/// Why a kernel mapping could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingError {
    /// The virtual address is not canonical (or the physical one too wide).
    BadAddress,
    Map(MapError),
}

impl From<MapError> for MappingError {
    fn from(e: MapError) -> Self {
        MappingError::Map(e)
    }
}

static KERNEL_SPACE: SpinLock<Option<PageTable>> = SpinLock::ranked(crate::sync::Rank::KernelPageTables, None);
/// The kernel's top-level table, readable without KERNEL_SPACE's lock (a
/// TLB shootdown loads it from a spinlock's spin, tlb.rs).
static KERNEL_ROOT: core::sync::atomic::AtomicU64 = core::sync::atomic::AtomicU64::new(0);

/// Kernel-half flags for normal memory.
const KERNEL_DATA: PageFlags =
    PageFlags::PRESENT.union(PageFlags::WRITABLE).union(PageFlags::NO_EXECUTE).union(PageFlags::GLOBAL);

fn load_cr3(root: u64) {
    // SAFETY: `root` is a PML4 whose kernel half maps this code, the current
    // stack and every kernel static (built by `init_kernel_space`).
    unsafe { core::arch::asm!("mov cr3, {}", in(reg) root, options(nostack, preserves_flags)) }
}

/// Drops every non-global TLB entry of this CPU (all user mappings): one
/// CR3 reload, cheaper than an `invlpg` per page once many pages changed.
pub fn flush_user_tlb() {
    load_cr3(super::cpu::read_cr3());
}

/// Drops every TLB entry of this CPU, global (kernel) ones included:
/// clearing CR4.PGE flushes them all, setting it again turns global pages
/// back on.
pub fn flush_all_tlb() {
    let cr4: u64;
    // SAFETY: reading CR4 has no side effect.
    unsafe { core::arch::asm!("mov {}, cr4", out(reg) cr4, options(nomem, nostack, preserves_flags)) }
    const PGE: u64 = 1 << 7;
    // SAFETY: only the global-pages bit changes, and it is put back; the
    // kernel runs from mappings that stay valid either way.
    unsafe {
        core::arch::asm!("mov cr4, {}", in(reg) cr4 & !PGE, options(nostack, preserves_flags));
        core::arch::asm!("mov cr4, {}", in(reg) cr4, options(nostack, preserves_flags));
    }
}

/// Kernel mappings were removed (and flushed on this CPU): the other CPUs
/// drop theirs before the frames are reused (tlb.rs).
pub fn flush_kernel_on_other_cpus() {
    super::tlb::shootdown_kernel();
}

pub fn flush_page(virt: u64) {
    // SAFETY: invalidating a TLB entry is always safe.
    unsafe { core::arch::asm!("invlpg [{}]", in(reg) virt, options(nostack, preserves_flags)) }
}

/// Maps [phys, phys+len) at `virt` with the biggest pages that fit.
fn map_range(
    pt: &mut PageTable,
    mem: &mut DirectMapTables,
    virt: u64,
    phys: Range<u64>,
    flags: PageFlags,
    big_pages: bool,
) -> Result<(), MappingError> {
    let mut p = phys.start & !(PAGE_SIZE - 1);
    let end = phys.end.next_multiple_of(PAGE_SIZE);
    while p < end {
        let v = virt + (p - (phys.start & !(PAGE_SIZE - 1)));
        let size = if big_pages && p.is_multiple_of(2 << 20) && v.is_multiple_of(2 << 20) && end - p >= (2 << 20) {
            PageSize::Size2M
        } else {
            PageSize::Size4K
        };
        let va = VirtAddr::new(v).map_err(|_| MappingError::BadAddress)?;
        let pa = PhysAddr::new(p).map_err(|_| MappingError::BadAddress)?;
        match pt.map(mem, va, pa, size, flags) {
            Ok(()) | Err(MapError::AlreadyMapped) => {}
            Err(e) => return Err(e.into()),
        }
        p += size.bytes();
    }
    Ok(())
}

/// Builds the kernel's own page tables and switches to them, dropping the
/// boot-time identity map. `ram` lists every physical range holding RAM or
/// firmware tables (direct-mapped as normal memory).
pub fn init_kernel_space(ram: &[Range<u64>]) -> Result<(), MappingError> {
    let mem = &mut DirectMapTables;
    let mut pt = PageTable::new(mem).map_err(|_| MapError::OutOfMemory)?;
    // Every kernel-half PML4 slot gets its table now, so address spaces that
    // copy the kernel half later see kernel mappings made after they were born.
    pt.preallocate_kernel_half(mem).map_err(|_| MapError::OutOfMemory)?;
    for r in ram {
        map_range(&mut pt, mem, phys_to_virt(r.start & !(PAGE_SIZE - 1)), r.clone(), KERNEL_DATA, true)?;
    }
    let image = layout::kernel_image();
    let text = PageFlags::PRESENT.union(PageFlags::GLOBAL);
    let rodata = text.union(PageFlags::NO_EXECUTE);
    for (range, flags) in [(image.text, text), (image.rodata, rodata), (image.data, KERNEL_DATA)] {
        let phys = range.start - KERNEL_VIRT_OFFSET..range.end - KERNEL_VIRT_OFFSET;
        map_range(&mut pt, mem, range.start, phys, flags, false)?;
    }
    load_cr3(pt.root().as_u64());
    KERNEL_ROOT.store(pt.root().as_u64(), core::sync::atomic::Ordering::Release);
    *KERNEL_SPACE.lock() = Some(pt);
    layout::set_paging_ready();
    Ok(())
}

/// Maps a device register window uncached into the direct map.
pub fn map_mmio(phys: u64, len: u64) -> Result<(), MappingError> {
    let mut guard = KERNEL_SPACE.lock();
    let pt = guard.as_mut().ok_or(MappingError::Map(MapError::OutOfMemory))?;
    let flags = KERNEL_DATA.union(PageFlags::NO_CACHE).union(PageFlags::WRITE_THROUGH).union(PageFlags::DEVICE);
    let start = phys & !(PAGE_SIZE - 1);
    map_range(pt, &mut DirectMapTables, phys_to_virt(start), start..phys + len, flags, false)?;
    let mut v = phys_to_virt(start);
    while v < phys_to_virt(phys + len) {
        flush_page(v);
        v += PAGE_SIZE;
    }
    Ok(())
}

/// Maps one 4 KiB frame at a kernel virtual address (used by tests and, later,
/// guarded kernel stacks in the dynamic region).
pub fn map_kernel_page(virt: u64, phys: u64, writable: bool) -> Result<(), MappingError> {
    let mut guard = KERNEL_SPACE.lock();
    let pt = guard.as_mut().ok_or(MappingError::Map(MapError::OutOfMemory))?;
    let mut flags = PageFlags::PRESENT.union(PageFlags::NO_EXECUTE).union(PageFlags::GLOBAL);
    if writable {
        flags = flags.union(PageFlags::WRITABLE);
    }
    let va = VirtAddr::new(virt).map_err(|_| MappingError::BadAddress)?;
    let pa = PhysAddr::new(phys).map_err(|_| MappingError::BadAddress)?;
    Ok(pt.map(&mut DirectMapTables, va, pa, PageSize::Size4K, flags)?)
}

/// Removes a mapping made by `map_kernel_page`, returning the frame.
pub fn unmap_kernel_page(virt: u64) -> Option<u64> {
    let mut guard = KERNEL_SPACE.lock();
    let pt = guard.as_mut()?;
    let (phys, _, _) = pt.unmap(&mut DirectMapTables, VirtAddr::new(virt).ok()?).ok()?;
    flush_page(virt);
    Some(phys.as_u64())
}

/// Whether `virt` is mapped in the current address space's kernel half.
/// Lock-free (it reads the live tables), so the fault path can use it.
pub fn is_kernel_mapped(virt: u64) -> bool {
    current_translation(virt).is_some()
}

fn current_translation(virt: u64) -> Option<paging::Translation> {
    let va = VirtAddr::new(virt).ok()?;
    let root = PhysAddr::new(super::cpu::read_cr3() & 0x000f_ffff_ffff_f000).ok()?;
    PageTable::from_root(root).translate(&DirectMapTables, va)
}

#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
/// Whether `virt` is mapped writable (None: not mapped).
pub fn writable(virt: u64) -> Option<bool> {
    current_translation(virt).map(|t| t.flags.contains(PageFlags::WRITABLE))
}

#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
/// Whether `virt` is mapped executable (None: not mapped).
pub fn executable(virt: u64) -> Option<bool> {
    current_translation(virt).map(|t| !t.flags.contains(PageFlags::NO_EXECUTE))
}

/// A new user page table whose kernel half is the kernel's.
pub fn new_user_table() -> Result<PageTable, OutOfMemory> {
    let mem = &mut DirectMapTables;
    let mut pt = PageTable::new(mem)?;
    let guard = KERNEL_SPACE.lock();
    let kernel = guard.as_ref().ok_or(OutOfMemory)?;
    pt.share_kernel_half(mem, kernel);
    Ok(pt)
}

/// Switches to an address space (its PML4 at `root`).
/// Whether the page tables rooted at `root` are the ones this CPU runs on.
pub fn is_active_root(root: u64) -> bool {
    super::cpu::read_cr3() & 0x000f_ffff_ffff_f000 == root
}

pub fn load_root(root: u64) {
    super::tlb::note_loaded(root);
    load_cr3(root);
}

/// Other CPUs may have the tables at `root` loaded: after this CPU changed
/// them (and flushed its own TLB), make those flush too (tlb.rs).
pub fn flush_other_cpus(root: u64) {
    super::tlb::shootdown(root);
}

/// The tables at `root` are about to be freed: no CPU may keep them
/// loaded (tlb.rs).
pub fn unload_everywhere(root: u64) {
    super::tlb::leave(root);
}

/// The physical address of the kernel's own top-level table (its upper
/// half is shared by every address space, and by the AP trampoline's).
pub fn kernel_root() -> u64 {
    let root = KERNEL_ROOT.load(core::sync::atomic::Ordering::Acquire);
    assert!(root != 0, "kernel page tables not built");
    root
}

/// Loads the kernel's own tables (before the last user space goes away).
/// Takes no lock (a TLB shootdown calls it from a spinlock's spin).
pub fn load_kernel_root() {
    let root = KERNEL_ROOT.load(core::sync::atomic::Ordering::Acquire);
    if root != 0 {
        super::tlb::note_loaded(root);
        load_cr3(root);
    }
}

/// User-page flags for a protection.
pub fn user_flags(write: bool, execute: bool) -> PageFlags {
    let mut f = PageFlags::PRESENT.union(PageFlags::USER);
    if write {
        f = f.union(PageFlags::WRITABLE);
    }
    if !execute {
        f = f.union(PageFlags::NO_EXECUTE);
    }
    f
}
