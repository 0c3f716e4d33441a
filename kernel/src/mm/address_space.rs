//! A user address space: page tables plus the list of mapped regions
//! (VMAs) that says what each page should hold, so pages are created only
//! when first touched (demand paging) and shared copy-on-write after fork.
//!
//! User addresses are allegations: every access from the kernel goes through
//! `copy_in`/`copy_out`, which check the range against the VMAs, fault pages
//! in exactly as the CPU would, and copy through the direct map. The kernel
//! never dereferences a user pointer.
//!
//! The address-space lock is a spinlock, so nothing under it may sleep.
//! File pages come from the page cache; when a page is not cached yet, the
//! fault (or copy) stops, hands back a [`FilePage`] saying what it needs,
//! and the caller fills the cache with the lock dropped and tries again,
//! re-checking everything (the mapping may have changed meanwhile).

use super::frames;
use super::node_hold::NodeHold;
use super::page_cache::{self, SharedFile};
use crate::arch::layout::{self, PAGE_SIZE, USER_END};
use crate::arch::paging::{self as arch_paging, DirectMapTables};
use crate::sync::{SpinLock, SpinLockGuard};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use kernel_ops::{FaultReason, Protection};
use paging::{LeafCopy, PageFlags, PageSize, PageTable, PhysAddr, VirtAddr};

/// Lowest address a mapping may use (page 0 stays unmapped: null pointers fault).
pub const USER_MIN: u64 = 0x1_0000;
/// Top of the main thread's stack; 8 MiB are reserved below it.
pub const STACK_TOP: u64 = 0x0000_7fff_ffff_f000;
pub const STACK_RESERVE: u64 = 8 << 20;
/// Where top-down mmap placement starts (below the stack and a guard gap).
const MMAP_TOP: u64 = STACK_TOP - STACK_RESERVE - (1 << 30);

/// What fills a region's pages.
#[derive(Clone)]
pub enum Backing {
    /// Zero-filled on first touch, private.
    Anonymous,
    /// Zero-filled pages shared by every mapping of the same object (shared
    /// anonymous memory survives fork as shared).
    Shared(Arc<SharedPages>),
    /// The first `valid` bytes come from a file at `offset`, the rest of the
    /// region is zero (how ELF segments end in .bss).
    File { node: Arc<NodeHold>, offset: u64, valid: u64 },
    /// A MAP_SHARED file mapping: pages come from the page cache and are
    /// shared with every other mapping of the file (`offset` is the file
    /// offset of the region's start, page aligned).
    SharedFile { file: Arc<SharedFile>, offset: u64 },
    /// Device memory at a physical address (a native driver's MMIO
    /// capability): mapped uncached, never allocated or freed here.
    Device { base: u64 },
    /// Frames the kernel owns forever and lends to every process (the
    /// vDSO and its vvar page, `super::vdso`): always mapped read-only,
    /// so a write (after mprotect) copies the page like a private file
    /// page; a page past the frames is SIGBUS.
    Kernel(&'static super::vdso::KernelPages),
    /// A System V shared-memory segment: shared pages, as `Shared`, and
    /// one attachment counted for the segment (see `super::sysv_shm`).
    SysvShm(super::sysv_shm::ShmAttach),
}

impl Backing {
    /// Whether writes are shared (not copy-on-write).
    pub fn is_shared(&self) -> bool {
        matches!(self, Backing::Shared(_) | Backing::SysvShm(_) | Backing::SharedFile { .. } | Backing::Device { .. })
    }
}

/// The frames of a shared anonymous object, by page index.
/// A word of shared memory, by what holds it rather than where it is
/// mapped (see `Mm::shared_word`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum SharedWord {
    /// Anonymous shared memory: the object (its address) and the offset.
    Memory(usize, u64),
    /// A file's bytes: the file and the offset.
    File(vfs::NodeRef, u64),
}

pub struct SharedPages {
    pages: SpinLock<BTreeMap<u64, u64>>,
    /// A native task's memory budget charged for this object, and how many
    /// pages: refunded when the last mapping and capability are gone.
    charge: SpinLock<Option<(Arc<core::sync::atomic::AtomicU64>, u64)>>,
}

impl SharedPages {
    pub fn new() -> Arc<Self> {
        Arc::new(SharedPages { pages: SpinLock::new(BTreeMap::new()), charge: SpinLock::new(None) })
    }

    /// An object whose pages exist from the start (DMA memory: `count`
    /// contiguous frames from `first`, each with one reference it now owns).
    pub fn from_frames(first: u64, count: u64) -> Arc<Self> {
        let pages = (0..count).map(|i| (i, first + i * PAGE_SIZE)).collect();
        Arc::new(SharedPages { pages: SpinLock::new(pages), charge: SpinLock::new(None) })
    }

    /// The frame holding page `index`, allocated zeroed if no mapping has
    /// touched it yet (as a first fault would).
    fn frame(&self, index: u64) -> Result<u64, FaultReason> {
        let mut pages = self.pages.lock();
        if let Some(&f) = pages.get(&index) {
            return Ok(f);
        }
        let f = frames::alloc_user_zeroed().map_err(|_| FaultReason::OutOfMemory)?;
        pages.insert(index, f);
        Ok(f)
    }

    /// Calls `f(frame address, range)` for each piece of the byte range
    /// `offset..offset + len` that lies in one page, in order.
    fn for_each_piece(
        &self,
        offset: u64,
        len: usize,
        mut f: impl FnMut(u64, core::ops::Range<usize>),
    ) -> Result<(), FaultReason> {
        let mut done = 0usize;
        while done < len {
            let at = offset + done as u64;
            let in_page = at % PAGE_SIZE;
            let n = (PAGE_SIZE - in_page).min((len - done) as u64) as usize;
            f(self.frame(at / PAGE_SIZE)? + in_page, done..done + n);
            done += n;
        }
        Ok(())
    }

    /// Copies `data` into the object from byte `offset`: how the kernel
    /// puts a request into a buffer it shares with a server.
    pub fn write_bytes(&self, offset: u64, data: &[u8]) -> Result<(), FaultReason> {
        // SAFETY: each address is inside a frame that belongs to this
        // object for as long as it lives (we hold it), and each piece stays
        // inside its page.
        self.for_each_piece(offset, data.len(), |phys, r| unsafe { layout::copy_to_phys(phys, &data[r]) })
    }

    /// The indices of the pages that exist (were written or touched).
    pub fn present_pages(&self) -> Vec<u64> {
        self.pages.lock().keys().copied().collect()
    }

    /// Copies bytes of the object from `offset` into `buf`.
    pub fn read_bytes(&self, offset: u64, buf: &mut [u8]) -> Result<(), FaultReason> {
        // SAFETY: as in `write_bytes`.
        self.for_each_piece(offset, buf.len(), |phys, r| unsafe { layout::copy_from_phys(phys, &mut buf[r]) })
    }

    /// How many pages hold memory now.
    pub fn resident(&self) -> u64 {
        self.pages.lock().len() as u64
    }

    /// Charges the object to a native task's memory budget (see `charge`).
    pub fn charge_to(&self, budget: Arc<core::sync::atomic::AtomicU64>, pages: u64) {
        *self.charge.lock() = Some((budget, pages));
    }
}

impl Drop for SharedPages {
    fn drop(&mut self) {
        if let Some((budget, pages)) = self.charge.lock().take() {
            budget.fetch_add(pages, core::sync::atomic::Ordering::Relaxed);
        }
        for &frame in self.pages.lock().values() {
            frames::free(frame);
        }
    }
}

#[derive(Clone)]
pub struct Vma {
    pub end: u64,
    pub prot: Protection,
    pub backing: Backing,
    /// Page index of `start` within the backing object (for Shared).
    pub pgoff: u64,
    /// The process's main stack (`[stack]` in /proc/<pid>/maps).
    pub is_stack: bool,
    /// A mapping that grows down (the main stack, MAP_GROWSDOWN): what
    /// mprotect's PROT_GROWSDOWN extends a change down to the start of.
    pub grows_down: bool,
}

pub struct AddressSpace {
    table: PageTable,
    vmas: BTreeMap<u64, Vma>,
    /// Pages of PROT_NONE regions: unmapped so any access faults, but their
    /// frames are kept here (page address -> frame) until the protection
    /// allows access again or the region goes away.
    parked: BTreeMap<u64, u64>,
    pub brk_base: u64,
    pub brk: u64,
    /// Pages present in the page table: kept as they are mapped and
    /// unmapped (map_page/unmap_page), so the resident size costs nothing
    /// to ask for (getrusage samples it on every munmap, exec and exit).
    resident: u64,
    /// Locked ranges (mlock, mlockall): accounting only, nothing swaps.
    pub locks: super::memory_lock::MemoryLocks,
    /// Private anonymous ranges a forked child gets as fresh zeros
    /// (MADV_WIPEONFORK); the child keeps the setting.
    pub wipe_on_fork: range_set::RangeSet,
}

pub struct Mm {
    inner: SpinLock<AddressSpace>,
    root: u64,
    /// The program file this address space was exec'd from may not be
    /// written while it lives (ETXTBSY); forks share the denial.
    program_file: SpinLock<Option<Arc<crate::fs::write_denial::WriteDenial>>>,
}

/// Every address space, for changes that reach all mappings of a file.
static ALL: SpinLock<Vec<alloc::sync::Weak<Mm>>> = SpinLock::new(Vec::new());

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
    Execute,
}

/// A file page a fault needs and the page cache lacks: filling it may
/// sleep, so it is done with the address-space lock dropped.
pub struct FilePage {
    hold: Arc<NodeHold>,
    index: u64,
}

impl FilePage {
    pub fn fill(&self) -> Result<(), FaultReason> {
        page_cache::fill(&self.hold, self.index)
    }
}

/// Pages mapped around a file fault (Linux's fault_around_bytes: 64 KiB).
const FAULT_AROUND_PAGES: u64 = 16;

/// How often a fault may find its page missing again right after filling
/// it (memory so short that reclaim takes it back at once) before the
/// faulting program is told it is out of memory.
const FILL_RETRIES: u32 = 16;

fn retries_exhausted(addr: u64) -> FaultReason {
    crate::warn!("page fault at {addr:#x}: its file page was evicted {FILL_RETRIES} times before it could be mapped (memory too short)");
    FaultReason::OutOfMemory
}

fn page_down(a: u64) -> u64 {
    a & !(PAGE_SIZE - 1)
}

fn page_up(a: u64) -> Option<u64> {
    a.checked_add(PAGE_SIZE - 1).map(|v| v & !(PAGE_SIZE - 1))
}

impl Mm {
    pub fn new() -> Result<Arc<Mm>, OutOfMemory> {
        let table = arch_paging::new_user_table().map_err(|_| OutOfMemory)?;
        let root = table.root().as_u64();
        let mm = Arc::new(Mm {
            inner: SpinLock::ranked(
                crate::sync::Rank::AddressSpace,
                AddressSpace {
                    table,
                    vmas: BTreeMap::new(),
                    parked: BTreeMap::new(),
                    brk_base: 0,
                    brk: 0,
                    resident: 0,
                    locks: super::memory_lock::MemoryLocks::new(),
                    wipe_on_fork: range_set::RangeSet::new(),
                },
            ),
            root,
            program_file: SpinLock::new(None),
        });
        let mut all = ALL.lock();
        all.retain(|w| w.strong_count() > 0);
        all.push(Arc::downgrade(&mm));
        Ok(mm)
    }

    /// A file shrank to `size` bytes: every mapping of it loses its pages
    /// past the end (private copies too, as on Linux), so touching them
    /// faults, finds no file data and gives SIGBUS.
    pub fn file_truncated(node: vfs::NodeRef, size: u64) {
        let spaces: Vec<Arc<Mm>> = ALL.lock().iter().filter_map(|w| w.upgrade()).collect();
        let first_gone = size.div_ceil(PAGE_SIZE) * PAGE_SIZE;
        for mm in spaces {
            let mut a = mm.inner.lock();
            let doomed: Vec<(u64, u64)> = a
                .vmas
                .iter()
                .filter_map(|(&start, v)| {
                    let (hold_node, offset) = match &v.backing {
                        Backing::File { node, offset, .. } => (node.node, *offset),
                        Backing::SharedFile { file, offset } => (file.hold.node, *offset),
                        _ => return None,
                    };
                    if hold_node != node {
                        return None;
                    }
                    // The region's first page at or past the new end.
                    let from = start.checked_add(first_gone.saturating_sub(offset))?;
                    (from < v.end).then_some((from, v.end))
                })
                .collect();
            for (from, to) in doomed {
                a.drop_pages(from, to);
            }
        }
    }

    pub fn activate(&self) {
        arch_paging::load_root(self.root);
    }

    /// The root of its page tables: what names the address space to the
    /// MMU, and what the scheduler compares and loads at a switch.
    pub fn root(&self) -> u64 {
        self.root
    }

    /// Loads the page tables `root` (an `Mm::root`) names.
    /// Whether the page tables at `root` are the ones loaded on this CPU.
    pub fn root_is_active(root: u64) -> bool {
        arch_paging::is_active_root(root)
    }

    pub fn activate_root(root: u64) {
        arch_paging::load_root(root);
    }

    pub fn lock(&self) -> SpinLockGuard<'_, AddressSpace> {
        self.inner.lock()
    }

    /// Holds writes to the program's file off for this address space's life.
    pub fn set_program_file(&self, denial: crate::fs::write_denial::WriteDenial) {
        *self.program_file.lock() = Some(Arc::new(denial));
    }

    /// A copy-on-write duplicate for fork: private pages are shared read-only
    /// by both sides until one writes; shared mappings stay shared.
    pub fn fork(&self) -> Result<Arc<Mm>, OutOfMemory> {
        let child = Mm::new()?;
        *child.program_file.lock() = self.program_file.lock().clone();
        let mut parent = self.inner.lock();
        // Same class: the child is new and reachable by no one else yet, so
        // parent then child is the only order.
        let mut c = child.inner.lock_nested();
        c.vmas = parent.vmas.clone();
        for (&page, &frame) in &parent.parked {
            frames::share(frame);
            c.parked.insert(page, frame);
        }
        c.brk_base = parent.brk_base;
        c.brk = parent.brk;
        let mem = &mut DirectMapTables;
        // (start, end, shared) only: cloning a region would count a System V
        // attachment and its detach.
        let vmas: Vec<(u64, u64, bool)> = parent.vmas.iter().map(|(s, v)| (*s, v.end, v.backing.is_shared())).collect();
        // One walk per region builds the child's tables and write-protects
        // the parent's private pages as it goes (paging::copy_range); the
        // parent's TLB is flushed once at the end, not page by page.
        let mut write_protected = 0;
        let mut copied = 0;
        let result = vmas.into_iter().try_for_each(|(start, end, shared)| {
            let n = parent.table.copy_range(&mut c.table, mem, start..end, |_, t| {
                let flags = t.flags.difference(PageFlags::ACCESSED).difference(PageFlags::DIRTY);
                frames::share(t.phys.as_u64());
                copied += 1;
                if !shared && flags.contains(PageFlags::WRITABLE) {
                    let read_only = flags.difference(PageFlags::WRITABLE);
                    LeafCopy { child: read_only, parent: Some(read_only) }
                } else {
                    LeafCopy { child: flags, parent: None }
                }
            })?;
            write_protected += n;
            Ok(())
        });
        c.resident += copied;
        if write_protected > 0 {
            if crate::arch::paging::is_active_root(parent.table.root().as_u64()) {
                crate::arch::paging::flush_user_tlb();
            }
            // Other CPUs running the parent's threads could go on writing
            // pages the child now shares.
            parent.flush_other_cpus();
        }
        // Out of memory part way: the child's teardown drops what it got.
        result.map_err(|_: paging::OutOfMemory| OutOfMemory)?;
        // MADV_WIPEONFORK: the child starts those ranges over.
        c.wipe_on_fork = parent.wipe_on_fork.clone();
        let wiped: Vec<(u64, u64)> = c.wipe_on_fork.iter().collect();
        for (s, e) in wiped {
            c.discard(s, e);
        }
        drop(c);
        Ok(child)
    }

    // ---- faults ----

    /// Resolves a user page fault at `addr`. Err gives the signal reason.
    /// Sleeps when the page must be read from its file.
    pub fn handle_fault(&self, addr: u64, access: Access) -> Result<(), FaultReason> {
        for _ in 0..FILL_RETRIES {
            let needed = self.inner.lock().fault(addr, access)?;
            match needed {
                None => return Ok(()),
                Some(page) => page.fill()?,
            }
        }
        Err(retries_exhausted(addr))
    }

    // ---- copies between kernel and user memory ----

    /// Visits `[addr, addr+len)` as a user access of `access` would, page
    /// by page (`f(physical address, offset in the range, length)`),
    /// filling the page cache with the lock dropped whenever a file page is
    /// missing, then going on from that page. Sleeps in that case.
    fn access_user(
        &self,
        addr: u64,
        len: usize,
        access: Access,
        mut f: impl FnMut(u64, usize, usize),
    ) -> Result<(), FaultReason> {
        let mut done = 0usize;
        let mut stalls = 0;
        loop {
            let base = done;
            let at = addr.checked_add(base as u64).ok_or(FaultReason::Unmapped)?;
            let step = self.inner.lock().walk(at, len - base, access, |phys, offset, n| f(phys, base + offset, n))?;
            match step {
                None => return Ok(()),
                Some((page, progress)) => {
                    done += progress;
                    stalls = if progress == 0 { stalls + 1 } else { 0 };
                    if stalls >= FILL_RETRIES {
                        return Err(retries_exhausted(at));
                    }
                    page.fill()?;
                }
            }
        }
    }

    pub fn copy_in(&self, addr: u64, buf: &mut [u8]) -> Result<(), FaultReason> {
        // Straight through the page tables when they are ours and the
        // pages are there (arch user_copy); faults and the rest below.
        if self.is_active() && crate::arch::user_copy::copy_from_user(buf, addr) {
            return Ok(());
        }
        self.access_user(addr, buf.len(), Access::Read, |phys, at, len| {
            // SAFETY: `phys..phys+len` is inside one present user frame of this
            // address space, stable while the walk holds its lock.
            unsafe { layout::copy_from_phys(phys, &mut buf[at..at + len]) }
        })
    }

    /// `copy_in` for callers that hold a spinlock (the futex table): it
    /// never sleeps, and says which file page it lacks instead; the caller
    /// drops its lock, fills the page and tries again.
    pub fn copy_in_without_sleeping(&self, addr: u64, buf: &mut [u8]) -> Result<Result<(), FilePage>, FaultReason> {
        if self.is_active() && crate::arch::user_copy::copy_from_user(buf, addr) {
            return Ok(Ok(()));
        }
        let step = self.inner.lock().walk(addr, buf.len(), Access::Read, |phys, at, len| {
            // SAFETY: as in copy_in.
            unsafe { layout::copy_from_phys(phys, &mut buf[at..at + len]) }
        })?;
        Ok(match step {
            None => Ok(()),
            Some((page, _)) => Err(page),
        })
    }

    /// What the futex word at `addr` is, if it lies in a shared mapping:
    /// the object it is in and its offset there, the same for every
    /// process that maps it (so that a wait and a wake from different
    /// processes meet). None for private memory.
    pub fn shared_word(&self, addr: u64) -> Option<SharedWord> {
        let a = self.inner.lock();
        let (start, vma) = a.vma_at(addr)?;
        match &vma.backing {
            Backing::Shared(obj) | Backing::SysvShm(super::sysv_shm::ShmAttach { pages: obj, .. }) => {
                Some(SharedWord::Memory(Arc::as_ptr(obj) as usize, vma.pgoff * PAGE_SIZE + (addr - start)))
            }
            Backing::SharedFile { file, offset } => Some(SharedWord::File(file.hold.node, offset + (addr - start))),
            _ => None,
        }
    }

    /// Whether this is the address space the CPU runs on.
    fn is_active(&self) -> bool {
        arch_paging::is_active_root(self.root)
    }

    pub fn copy_out(&self, addr: u64, data: &[u8]) -> Result<(), FaultReason> {
        if self.is_active() && crate::arch::user_copy::copy_to_user(addr, data) {
            return Ok(());
        }
        self.access_user(addr, data.len(), Access::Write, |phys, at, len| {
            // SAFETY: as in copy_in; the walk made the page writable and
            // private to this address space (copy-on-write resolved).
            unsafe { layout::copy_to_phys(phys, &data[at..at + len]) }
        })
    }

    /// Writes `data` at `addr` as a debugger does (ptrace POKE, Linux's
    /// FOLL_FORCE): a writable mapping is written as the program would; a
    /// private one it may not write (its code) gets a private copy of the
    /// page, which stays read-only to the program, so a breakpoint lands in
    /// this process only and never in the file or the page cache. Shared
    /// read-only mappings are refused (`Protection`).
    pub fn write_forced(&self, addr: u64, data: &[u8]) -> Result<(), FaultReason> {
        if addr.checked_add(data.len() as u64).is_none_or(|end| end > USER_END) {
            return Err(FaultReason::Unmapped);
        }
        let mut done = 0usize;
        while done < data.len() {
            let at = addr.checked_add(done as u64).ok_or(FaultReason::Unmapped)?;
            let chunk = ((page_down(at) + PAGE_SIZE - at) as usize).min(data.len() - done);
            // Present first (a file page may have to be read, which sleeps).
            self.handle_fault(at, Access::Read)?;
            let mut a = self.inner.lock();
            let phys = match a.private_frame_for_write(at)? {
                Some(phys) => phys,
                None => continue, // evicted meanwhile: fault it in again
            };
            // SAFETY: `phys..phys+chunk` is inside one user frame private to
            // this address space (made so just above), stable under its lock.
            unsafe { layout::copy_to_phys(phys + (at - page_down(at)), &data[done..done + chunk]) };
            drop(a);
            done += chunk;
        }
        Ok(())
    }

    /// Makes sure `[addr, addr+len)` can be written by the user (faulting
    /// pages in), so a read can check its destination before consuming
    /// data it could not deliver (pipes must keep such data).
    pub fn prepare_write(&self, addr: u64, len: usize) -> Result<(), FaultReason> {
        self.access_user(addr, len, Access::Write, |_, _, _| {})
    }

    /// The writable shared file mappings overlapping `[start, end)`, with the
    /// file pages they cover, for msync (which writes them back with the
    /// lock dropped).
    pub fn shared_files_in(&self, start: u64, end: u64) -> Vec<(Arc<SharedFile>, u64, u64)> {
        let a = self.inner.lock();
        let mut out = Vec::new();
        for (s, v) in a.vmas.range(..end) {
            if v.end <= start {
                continue;
            }
            if let Backing::SharedFile { file, offset } = &v.backing {
                let (lo, hi) = ((*s).max(start), v.end.min(end));
                if lo < hi {
                    out.push((file.clone(), (offset + (lo - s)) / PAGE_SIZE, (offset + (hi - s) - 1) / PAGE_SIZE));
                }
            }
        }
        out
    }

    /// Reads a NUL-terminated string of at most `max` bytes.
    pub fn copy_in_cstring(&self, addr: u64, max: usize) -> Result<Option<Vec<u8>>, FaultReason> {
        let mut out = Vec::new();
        let mut at = addr;
        while out.len() <= max {
            let chunk = (PAGE_SIZE - at % PAGE_SIZE).min(256) as usize;
            let mut buf = [0u8; 256];
            self.copy_in(at, &mut buf[..chunk])?;
            if let Some(nul) = buf[..chunk].iter().position(|&b| b == 0) {
                out.extend_from_slice(&buf[..nul]);
                return Ok((out.len() <= max).then_some(out));
            }
            out.extend_from_slice(&buf[..chunk]);
            at = at.checked_add(chunk as u64).ok_or(FaultReason::Unmapped)?;
        }
        Ok(None)
    }
}

impl Drop for Mm {
    fn drop(&mut self) {
        let a = self.inner.get_mut();
        for &frame in a.parked.values() {
            frames::free(frame);
        }
        let table = core::mem::replace(&mut a.table, PageTable::from_root(PhysAddr::ZERO));
        // An idle CPU keeps the last tables it ran on loaded.
        arch_paging::unload_everywhere(table.root().as_u64());
        table.destroy(&mut DirectMapTables, |phys, _, flags| {
            if !flags.contains(PageFlags::DEVICE) {
                frames::free(phys.as_u64());
            }
        });
    }
}

/// A new private frame holding `bytes` bytes of the file from `file_at`
/// (taken from the page cache: one page, or two when the mapping is not
/// page-aligned in the file) and zeros after them. `Ok(Err(page))`: that
/// file page is not cached yet.
fn private_file_page(node: &Arc<NodeHold>, file_at: u64, bytes: usize) -> Result<Result<u64, FilePage>, FaultReason> {
    let first = file_at / PAGE_SIZE;
    let last = (file_at + bytes.max(1) as u64 - 1) / PAGE_SIZE;
    let mut sources: Vec<(u64, u64)> = Vec::new();
    for index in first..=last {
        match page_cache::lookup(node.node, index) {
            Some(frame) => sources.push((index, frame)),
            None => {
                for &(_, f) in &sources {
                    frames::free(f);
                }
                return Ok(Err(FilePage { hold: node.clone(), index }));
            }
        }
    }
    let frame = frames::alloc_user_zeroed();
    if let Ok(frame) = frame {
        let end = file_at + bytes as u64;
        for &(index, src) in &sources {
            let (lo, hi) = ((index * PAGE_SIZE).max(file_at), ((index + 1) * PAGE_SIZE).min(end));
            if lo < hi {
                let mut buf = [0u8; PAGE_SIZE as usize];
                let piece = &mut buf[..(hi - lo) as usize];
                // SAFETY: `src` is a cached frame we hold a reference to;
                // `frame` was just allocated for us alone; both pieces stay
                // inside their pages.
                unsafe {
                    layout::copy_from_phys(src + lo % PAGE_SIZE, piece);
                    layout::copy_to_phys(frame + (lo - file_at), piece);
                }
            }
        }
    }
    for &(_, f) in &sources {
        frames::free(f);
    }
    frame.map(Ok).map_err(|_| FaultReason::OutOfMemory)
}

impl AddressSpace {
    /// Maps one page, counting it resident.
    fn map_page(
        &mut self,
        mem: &mut DirectMapTables,
        va: VirtAddr,
        pa: PhysAddr,
        size: PageSize,
        flags: PageFlags,
    ) -> Result<(), paging::MapError> {
        self.table.map(mem, va, pa, size, flags)?;
        self.resident += 1;
        Ok(())
    }

    /// Unmaps one page, counting it gone.
    fn unmap_page(
        &mut self,
        mem: &mut DirectMapTables,
        va: VirtAddr,
    ) -> Result<(PhysAddr, PageSize, PageFlags), paging::UnmapError> {
        let r = self.table.unmap(mem, va)?;
        self.resident = self.resident.saturating_sub(1);
        Ok(r)
    }

    /// Entries of this address space lost a mapping or a permission and
    /// this CPU's TLB is flushed: other CPUs that have it loaded flush too,
    /// before the change is relied on.
    fn flush_other_cpus(&self) {
        arch_paging::flush_other_cpus(self.table.root().as_u64());
    }

    /// The VMA containing `addr`, as (start, vma).
    fn vma_at(&self, addr: u64) -> Option<(u64, &Vma)> {
        self.vmas.range(..=addr).next_back().filter(|(_, v)| addr < v.end).map(|(s, v)| (*s, v))
    }

    pub fn regions(&self) -> impl Iterator<Item = (u64, &Vma)> {
        self.vmas.iter().map(|(s, v)| (*s, v))
    }

    /// Resolves a fault at `addr` under the lock. `Ok(Some(page))`: the
    /// file page must be brought into the page cache first (see `FilePage`).
    fn fault(&mut self, addr: u64, access: Access) -> Result<Option<FilePage>, FaultReason> {
        let page = page_down(addr);
        let (start, vma) = match self.vma_at(addr) {
            Some((s, v)) => (s, v.clone()),
            None => return Err(FaultReason::Unmapped),
        };
        let allowed = match access {
            Access::Read => vma.prot.read || vma.prot.write || vma.prot.execute,
            Access::Write => vma.prot.write,
            Access::Execute => vma.prot.execute,
        };
        if !allowed {
            return Err(FaultReason::Protection);
        }
        let mem = &mut DirectMapTables;
        let va = VirtAddr::new(page).map_err(|_| FaultReason::Unmapped)?;
        let flags = arch_paging::user_flags(vma.prot.write, vma.prot.execute);
        if let Some(frame) = self.parked.remove(&page) {
            // Back from PROT_NONE: the old contents return (read-only if
            // still shared copy-on-write; a write fault then copies).
            let shared = vma.backing.is_shared();
            let writable = vma.prot.write && (shared || frames::ref_count(frame) == 1);
            let pa = PhysAddr::new(frame).map_err(|_| FaultReason::BusObjectError)?;
            if self
                .map_page(mem, va, pa, PageSize::Size4K, arch_paging::user_flags(writable, vma.prot.execute))
                .is_err()
            {
                self.parked.insert(page, frame);
                return Err(FaultReason::OutOfMemory);
            }
            if access == Access::Write && !writable {
                return self.fault(addr, access);
            }
            return Ok(None);
        }
        if let Some(t) = self.table.translate(mem, va) {
            // Present: only a write to a read-only page gets here: a page
            // shared copy-on-write (after fork, or a private file page still
            // in the page cache), or a shared page mapped read-only.
            if access != Access::Write || t.flags.contains(PageFlags::WRITABLE) {
                return Ok(None); // spurious (another thread resolved it)
            }
            let old = t.phys.as_u64();
            if vma.backing.is_shared() || frames::ref_count(old) == 1 {
                let _ = self.table.update_flags(mem, va, flags);
            } else {
                if !frames::user_may_allocate(1) {
                    return Err(FaultReason::OutOfMemory);
                }
                let new = frames::alloc().map_err(|_| FaultReason::OutOfMemory)?;
                // SAFETY: `new` was just allocated for us alone; `old` is a
                // mapped user frame, stable under the address-space lock.
                unsafe { layout::copy_frame(old, new) };
                let _ = self.unmap_page(mem, va);
                let pa = PhysAddr::new(new).map_err(|_| FaultReason::BusObjectError)?;
                let mapped = self.map_page(mem, va, pa, PageSize::Size4K, flags);
                // No CPU may still reach the old frame through this
                // address once it is let go (its other owner may free it).
                arch_paging::flush_page(page);
                self.flush_other_cpus();
                if mapped.is_err() {
                    frames::free(new);
                    return Err(FaultReason::BusObjectError);
                }
                frames::free(old);
                return Ok(None);
            }
            // Only a permission added: a stale read-only entry elsewhere
            // faults once more and finds the page writable.
            arch_paging::flush_page(page);
            return Ok(None);
        }
        let (frame, flags) = match &vma.backing {
            Backing::Device { base } => {
                let phys = base + vma.pgoff * PAGE_SIZE + (page - start);
                let pa = PhysAddr::new(phys).map_err(|_| FaultReason::BusObjectError)?;
                let device = flags.union(PageFlags::NO_CACHE).union(PageFlags::WRITE_THROUGH);
                return self
                    .map_page(mem, va, pa, PageSize::Size4K, device)
                    .map(|_| None)
                    .map_err(|_| FaultReason::OutOfMemory);
            }
            Backing::Shared(obj) | Backing::SysvShm(super::sysv_shm::ShmAttach { pages: obj, .. }) => {
                let index = vma.pgoff + (page - start) / PAGE_SIZE;
                let mut pages = obj.pages.lock();
                let frame = match pages.get(&index) {
                    Some(&f) => f,
                    None => {
                        let f = frames::alloc_user_zeroed().map_err(|_| FaultReason::OutOfMemory)?;
                        pages.insert(index, f);
                        f
                    }
                };
                frames::share(frame);
                (frame, flags)
            }
            Backing::Anonymous => (frames::alloc_user_zeroed().map_err(|_| FaultReason::OutOfMemory)?, flags),
            Backing::SharedFile { file, offset } => {
                let index = (offset + (page - start)) / PAGE_SIZE;
                match page_cache::lookup(file.hold.node, index) {
                    Some(frame) => (frame, flags),
                    None => return Ok(Some(FilePage { hold: file.hold.clone(), index })),
                }
            }
            Backing::Kernel(pages) => {
                let frame = pages.frame(vma.pgoff + (page - start) / PAGE_SIZE).ok_or(FaultReason::BusObjectError)?;
                let pa = PhysAddr::new(frame).map_err(|_| FaultReason::BusObjectError)?;
                frames::share(frame);
                if self
                    .map_page(mem, va, pa, PageSize::Size4K, arch_paging::user_flags(false, vma.prot.execute))
                    .is_err()
                {
                    frames::release_mapped(frame);
                    return Err(FaultReason::OutOfMemory);
                }
                // A write fault now finds the page present and read-only
                // and copies it, as for any page shared copy-on-write.
                return if access == Access::Write { self.fault(addr, access) } else { Ok(None) };
            }
            Backing::File { node, offset, valid } => {
                let in_region = page - start;
                // A page wholly past the end of the file: SIGBUS, as Linux.
                if in_region >= valid.next_multiple_of(PAGE_SIZE) {
                    return Err(FaultReason::BusObjectError);
                }
                let file_at = offset + in_region;
                let bytes = (valid - in_region).min(PAGE_SIZE);
                if file_at.is_multiple_of(PAGE_SIZE) && bytes == PAGE_SIZE && access != Access::Write {
                    // The page cache's own frame, read-only: every process
                    // mapping this file shares it until one writes (then
                    // the present-page path above copies it).
                    match page_cache::lookup(node.node, file_at / PAGE_SIZE) {
                        Some(frame) => (frame, arch_paging::user_flags(false, vma.prot.execute)),
                        None => return Ok(Some(FilePage { hold: node.clone(), index: file_at / PAGE_SIZE })),
                    }
                } else {
                    // A page of its own: written now, or the file's bytes
                    // end inside it (zeros follow, as for .bss), or the
                    // mapping is not page-aligned in the file.
                    match private_file_page(node, file_at, bytes as usize)? {
                        Ok(frame) => (frame, flags),
                        Err(needed) => return Ok(Some(needed)),
                    }
                }
            }
        };
        let pa = PhysAddr::new(frame).map_err(|_| FaultReason::BusObjectError)?;
        if self.map_page(mem, va, pa, PageSize::Size4K, flags).is_err() {
            frames::free(frame);
            return Err(FaultReason::BusObjectError);
        }
        if access != Access::Write {
            self.map_cached_neighbours(start, &vma, page);
        }
        Ok(None)
    }

    /// Fault-around, as Linux does: after a read fault on a file page, the
    /// neighbouring pages of the same region that the page cache already
    /// holds are mapped too (read-only: a write still faults and copies, or
    /// for a shared mapping just becomes writable), so a program walking
    /// through its libraries takes one fault per window instead of one per
    /// page. Never sleeps: pages not cached are left to their own faults.
    fn map_cached_neighbours(&mut self, start: u64, vma: &Vma, page: u64) {
        let window = FAULT_AROUND_PAGES * PAGE_SIZE;
        let lo = (page - page % window).max(start);
        let hi = (page - page % window + window).min(vma.end);
        // File page index of each address in [lo, hi), for pages that map a
        // whole cached page as they are.
        let (node, first_index, usable_end) = match &vma.backing {
            Backing::File { node, offset, valid } => {
                if !(offset + (lo - start)).is_multiple_of(PAGE_SIZE) {
                    return; // not page-aligned in the file: private copies
                }
                // Only pages wholly inside the file's bytes.
                let full_end = start + valid - valid % PAGE_SIZE;
                (node.node, (offset + (lo - start)) / PAGE_SIZE, hi.min(full_end))
            }
            Backing::SharedFile { file, offset } => (file.hold.node, (offset + (lo - start)) / PAGE_SIZE, hi),
            _ => return,
        };
        if usable_end <= lo {
            return;
        }
        let count = (usable_end - lo) / PAGE_SIZE;
        let flags = arch_paging::user_flags(false, vma.prot.execute);
        // The window lies in one page table (it is aligned and smaller than
        // a table's reach), so all its pages go in with one walk.
        let mut pages = Vec::new();
        let mut refused = Vec::new();
        for (index, frame) in page_cache::lookup_range(node, first_index, first_index + count) {
            let at = lo + (index - first_index) * PAGE_SIZE;
            match (VirtAddr::new(at), PhysAddr::new(frame)) {
                (Ok(va), Ok(pa)) if at != page && !self.parked.contains_key(&at) => pages.push((va, pa)),
                _ => refused.push(frame),
            }
        }
        let mut resident = 0;
        let result = self.table.map_4k_in_one_table(&mut DirectMapTables, &pages, flags, |i, mapped| {
            if mapped {
                resident += 1;
            } else {
                refused.push(pages[i].1.as_u64());
            }
        });
        self.resident += resident;
        if result.is_err() {
            // Nothing was placed: every page's reference goes back.
            refused.extend(pages.iter().map(|(_, pa)| pa.as_u64()));
        }
        for frame in refused {
            frames::free(frame);
        }
    }

    /// The frame at `addr` (present) made private to this address space
    /// for a debugger's write (see `Mm::write_forced`); None if the page is
    /// not present.
    fn private_frame_for_write(&mut self, addr: u64) -> Result<Option<u64>, FaultReason> {
        let page = page_down(addr);
        let vma = self.vma_at(addr).map(|(_, v)| v.clone()).ok_or(FaultReason::Unmapped)?;
        if vma.prot.write {
            if self.fault(addr, Access::Write)?.is_some() {
                return Ok(None);
            }
        } else if vma.backing.is_shared() {
            return Err(FaultReason::Protection);
        }
        let mem = &mut DirectMapTables;
        let va = VirtAddr::new(page).map_err(|_| FaultReason::Unmapped)?;
        let Some(t) = self.table.translate(mem, va) else { return Ok(None) };
        let old = t.phys.as_u64();
        if vma.prot.write || frames::ref_count(old) == 1 {
            return Ok(Some(old));
        }
        if !frames::user_may_allocate(1) {
            return Err(FaultReason::OutOfMemory);
        }
        let new = frames::alloc().map_err(|_| FaultReason::OutOfMemory)?;
        // SAFETY: `new` was just allocated for us alone; `old` is a mapped
        // user frame, stable under the address-space lock.
        unsafe { layout::copy_frame(old, new) };
        let _ = self.unmap_page(mem, va);
        let pa = PhysAddr::new(new).map_err(|_| FaultReason::BusObjectError)?;
        let mapped = self.map_page(mem, va, pa, PageSize::Size4K, arch_paging::user_flags(false, vma.prot.execute));
        // As in `fault`: nothing may reach the old frame here once let go.
        arch_paging::flush_page(page);
        self.flush_other_cpus();
        if mapped.is_err() {
            frames::free(new);
            return Err(FaultReason::OutOfMemory);
        }
        frames::free(old);
        Ok(Some(new))
    }

    /// Visits `[addr, addr+len)` page by page with the physical address of
    /// each chunk, faulting pages in as a user access of `access` would.
    /// Stops at a file page that is not cached yet, returning it and how
    /// many bytes were visited before it.
    fn walk(
        &mut self,
        addr: u64,
        len: usize,
        access: Access,
        mut f: impl FnMut(u64, usize, usize),
    ) -> Result<Option<(FilePage, usize)>, FaultReason> {
        let end = addr.checked_add(len as u64).ok_or(FaultReason::Unmapped)?;
        if end > USER_END || (len > 0 && addr < USER_MIN) {
            return Err(FaultReason::Unmapped);
        }
        let mut at = addr;
        while at < end {
            let page = page_down(at);
            let chunk = ((page + PAGE_SIZE).min(end) - at) as usize;
            let va = VirtAddr::new(page).map_err(|_| FaultReason::Unmapped)?;
            let ok = |t: &paging::Translation| access != Access::Write || t.flags.contains(PageFlags::WRITABLE);
            let t = match self.table.translate(&DirectMapTables, va) {
                Some(t) if ok(&t) => t,
                _ => {
                    if let Some(needed) = self.fault(at, access)? {
                        return Ok(Some((needed, (at - addr) as usize)));
                    }
                    self.table.translate(&DirectMapTables, va).ok_or(FaultReason::Unmapped)?
                }
            };
            f(t.phys.as_u64() + (at - page), (at - addr) as usize, chunk);
            at += chunk as u64;
        }
        Ok(None)
    }

    // ---- mapping changes ----

    /// Every region, by start address.
    pub fn vmas(&self) -> impl Iterator<Item = (u64, &Vma)> {
        self.vmas.iter().map(|(s, v)| (*s, v))
    }

    /// Adds a region; the range must be free (callers unmap first).
    pub fn insert(&mut self, start: u64, vma: Vma) {
        self.vmas.insert(start, vma);
    }

    /// Whether `[start, end)` overlaps no region.
    pub fn is_free(&self, start: u64, end: u64) -> bool {
        if start < USER_MIN || end > USER_END || start >= end {
            return false;
        }
        match self.vmas.range(..end).next_back() {
            Some((_, v)) => v.end <= start,
            None => true,
        }
    }

    /// The highest free range of `len` bytes below the mmap area's top.
    pub fn find_free(&self, len: u64) -> Option<u64> {
        let mut top = MMAP_TOP;
        for (s, v) in self.vmas.range(..MMAP_TOP).rev() {
            if v.end <= top && top - v.end >= len {
                return Some(top - len);
            }
            top = top.min(*s);
        }
        (top >= USER_MIN + len).then(|| top - len)
    }

    /// Splits regions so that `at` is a region boundary.
    fn split_at(&mut self, at: u64) {
        let Some((start, vma)) = self.vma_at(at) else { return };
        if start == at {
            return;
        }
        let mut upper = vma.clone();
        match &mut upper.backing {
            Backing::File { offset, valid, .. } => {
                let cut = at - start;
                *offset += cut;
                *valid = valid.saturating_sub(cut);
            }
            Backing::SharedFile { offset, .. } => *offset += at - start,
            _ => {}
        }
        upper.pgoff += (at - start) / PAGE_SIZE;
        if let Some(lower) = self.vmas.get_mut(&start) {
            lower.end = at;
        }
        self.vmas.insert(at, upper);
    }

    /// Removes every mapping in `[start, end)` (page aligned). Pages that
    /// shared mappings wrote stay in the page cache, written back when the
    /// file's last writable shared mapping goes (or by msync), as on Linux.
    pub fn unmap(&mut self, start: u64, end: u64) {
        self.split_at(start);
        self.split_at(end);
        let doomed: Vec<u64> = self.vmas.range(start..end).map(|(s, _)| *s).collect();
        for s in doomed {
            self.vmas.remove(&s);
        }
        self.drop_pages(start, end);
        self.locks.ranges.remove(start, end);
        self.wipe_on_fork.remove(start, end);
    }

    /// Whether regions cover every byte of `[start, end)`.
    pub fn covers(&self, start: u64, end: u64) -> bool {
        let mut at = start;
        while at < end {
            match self.vma_at(at) {
                Some((_, v)) => at = v.end,
                None => return false,
            }
        }
        true
    }

    /// For each page of `[start, end)` (page aligned), whether it is
    /// resident: mapped in the page table, or kept aside while its region
    /// is PROT_NONE.
    pub fn resident_pages(&self, start: u64, end: u64) -> Vec<bool> {
        let mut resident = alloc::vec![false; ((end - start) / PAGE_SIZE) as usize];
        self.table.for_each_mapping(&DirectMapTables, start..end, |va, _| {
            if let Some(r) = resident.get_mut(((va.as_u64() - start) / PAGE_SIZE) as usize) {
                *r = true;
            }
        });
        for (p, _) in self.parked.range(start..end) {
            if let Some(r) = resident.get_mut(((p - start) / PAGE_SIZE) as usize) {
                *r = true;
            }
        }
        // A file page not mapped here is resident when the page cache
        // holds it, as Linux's mincore counts it.
        for (s, v) in self.vmas.range(..end).filter(|(s, v)| v.end > start && **s < end) {
            let (node, offset) = match &v.backing {
                Backing::File { node, offset, .. } => (node.node, *offset),
                Backing::SharedFile { file, offset } => (file.hold.node, *offset),
                _ => continue,
            };
            let mut page = (*s).max(start);
            while page < v.end.min(end) {
                let i = ((page - start) / PAGE_SIZE) as usize;
                if !resident[i] && (offset + (page - s)) % PAGE_SIZE == 0 {
                    resident[i] = page_cache::is_cached(node, (offset + (page - s)) / PAGE_SIZE);
                }
                page += PAGE_SIZE;
            }
        }
        resident
    }

    /// Unmaps and releases every page in `[start, end)`, parked ones too.
    fn drop_pages(&mut self, start: u64, end: u64) {
        let mem = &mut DirectMapTables;
        let mut pages = Vec::new();
        self.table.for_each_mapping(mem, start..end, |va, t| pages.push((va, t)));
        let mut unmapped = Vec::new();
        for (va, _) in pages {
            if let Ok((phys, _, _)) = self.unmap_page(mem, va) {
                arch_paging::flush_page(va.as_u64());
                unmapped.push(phys.as_u64());
            }
        }
        // Released only once no CPU's TLB can reach them.
        if !unmapped.is_empty() {
            self.flush_other_cpus();
        }
        for phys in unmapped {
            frames::release_mapped(phys);
        }
        let parked: Vec<u64> = self.parked.range(start..end).map(|(p, _)| *p).collect();
        for p in parked {
            if let Some(frame) = self.parked.remove(&p) {
                frames::free(frame);
            }
        }
    }

    /// Frees the pages of private regions in `[start, end)`; regions stay,
    /// so the next access faults in zeros or file data again.
    pub fn discard(&mut self, start: u64, end: u64) {
        let private: Vec<(u64, u64)> = self
            .vmas
            .range(..end)
            .filter(|(s, v)| v.end > start && !v.backing.is_shared() && **s < end)
            .map(|(s, v)| ((*s).max(start), v.end.min(end)))
            .collect();
        for (s, e) in private {
            self.drop_pages(s, e);
        }
    }

    /// Changes the protection of `[start, end)`; every page must be mapped.
    pub fn protect(&mut self, start: u64, end: u64, prot: Protection) -> Result<(), ()> {
        // The whole range must be covered by regions.
        let mut at = start;
        while at < end {
            match self.vma_at(at) {
                Some((_, v)) => at = v.end,
                None => return Err(()),
            }
        }
        self.split_at(start);
        self.split_at(end);
        let starts: Vec<u64> = self.vmas.range(start..end).map(|(s, _)| *s).collect();
        let mem = &mut DirectMapTables;
        let mut changed = false;
        for s in starts {
            let (vend, shared) = {
                let v = self.vmas.get_mut(&s).ok_or(())?;
                v.prot = prot;
                (v.end, v.backing.is_shared())
            };
            let mut pages = Vec::new();
            self.table.for_each_mapping(mem, s..vend, |va, t| pages.push((va, t)));
            for (va, t) in pages {
                if !prot.read && !prot.write && !prot.execute {
                    // PROT_NONE: no access at all, but keep the contents.
                    if self.unmap_page(mem, va).is_ok() {
                        self.parked.insert(va.as_u64(), t.phys.as_u64());
                    }
                    arch_paging::flush_page(va.as_u64());
                    changed = true;
                    continue;
                }
                // A page still shared copy-on-write stays read-only until written.
                let writable = prot.write && (shared || frames::ref_count(t.phys.as_u64()) == 1);
                let _ = self.table.update_flags(mem, va, arch_paging::user_flags(writable, prot.execute));
                arch_paging::flush_page(va.as_u64());
                changed = true;
            }
        }
        if changed {
            self.flush_other_cpus();
        }
        Ok(())
    }

    /// Moves the pages and regions of `[old, old+len)` to `new` (mremap).
    pub fn move_range(&mut self, old: u64, len: u64, new: u64) {
        self.split_at(old);
        self.split_at(old + len);
        let moved: Vec<(u64, Vma)> = self.vmas.range(old..old + len).map(|(s, v)| (*s, v.clone())).collect();
        // Locked parts move with the memory, as mremap keeps VM_LOCKED.
        let locked: Vec<(u64, u64)> = self
            .locks
            .ranges
            .iter()
            .filter(|&(s, e)| e > old && s < old + len)
            .map(|(s, e)| (s.max(old), e.min(old + len)))
            .collect();
        self.locks.ranges.remove(old, old + len);
        for (s, e) in locked {
            self.locks.ranges.insert(s - old + new, e - old + new);
        }
        let wiped: Vec<(u64, u64)> = self
            .wipe_on_fork
            .iter()
            .filter(|&(s, e)| e > old && s < old + len)
            .map(|(s, e)| (s.max(old), e.min(old + len)))
            .collect();
        self.wipe_on_fork.remove(old, old + len);
        for (s, e) in wiped {
            self.wipe_on_fork.insert(s - old + new, e - old + new);
        }
        for (s, _) in &moved {
            self.vmas.remove(s);
        }
        for (s, mut v) in moved {
            v.end = v.end - old + new;
            self.vmas.insert(s - old + new, v);
        }
        let mem = &mut DirectMapTables;
        let mut pages = Vec::new();
        self.table.for_each_mapping(mem, old..old + len, |va, t| pages.push((va, t)));
        let moved_any = !pages.is_empty();
        for (va, t) in pages {
            if self.unmap_page(mem, va).is_ok() {
                arch_paging::flush_page(va.as_u64());
                let dest = VirtAddr::new(va.as_u64() - old + new).expect("destination checked by caller");
                let _ = self.map_page(mem, dest, t.phys, PageSize::Size4K, t.flags);
            }
        }
        if moved_any {
            self.flush_other_cpus();
        }
        let parked: Vec<(u64, u64)> = self.parked.range(old..old + len).map(|(p, f)| (*p, *f)).collect();
        for (p, f) in parked {
            self.parked.remove(&p);
            self.parked.insert(p - old + new, f);
        }
    }

    /// mremap with MREMAP_DONTUNMAP: moves `[old, old+len)` as
    /// `move_range`, and leaves the old range mapped as it was but with no
    /// pages, so the next touch there sees zeros (private anonymous) or
    /// the file or shared object again.
    pub fn move_range_keeping_old(&mut self, old: u64, len: u64, new: u64) {
        self.split_at(old);
        self.split_at(old + len);
        let kept: Vec<(u64, Vma)> = self.vmas.range(old..old + len).map(|(s, v)| (*s, v.clone())).collect();
        self.move_range(old, len, new);
        for (s, v) in kept {
            self.vmas.insert(s, v);
        }
    }

    /// Grows or shrinks the region that ends at `old_end` in place.
    pub fn resize_region(&mut self, region_start: u64, new_end: u64) {
        if let Some(v) = self.vmas.get_mut(&region_start) {
            let old_end = v.end;
            if new_end >= old_end {
                v.end = new_end;
            } else {
                self.unmap(new_end, old_end);
            }
        }
    }

    pub fn region_start(&self, addr: u64) -> Option<u64> {
        self.vma_at(addr).map(|(s, _)| s)
    }

    pub fn region_end(&self, addr: u64) -> Option<u64> {
        self.vma_at(addr).map(|(_, v)| v.end)
    }

    /// The start of the mapping holding `addr`, if that mapping grows down
    /// (Some(Err(())) if it does not; None if nothing is mapped there).
    pub fn grows_down_start(&self, addr: u64) -> Option<Result<u64, ()>> {
        self.vma_at(addr).map(|(s, v)| if v.grows_down { Ok(s) } else { Err(()) })
    }

    /// Moves the program break; returns the break now in force.
    pub fn set_brk(&mut self, new: u64) -> u64 {
        if new < self.brk_base || new > self.brk_base + (1 << 40) {
            return self.brk;
        }
        let old_top = page_up(self.brk).unwrap_or(self.brk);
        let Some(new_top) = page_up(new) else { return self.brk };
        if new_top > old_top {
            if !self.is_free(old_top, new_top) {
                return self.brk;
            }
            // Extend the heap region, or create it on first growth.
            match self.vmas.range(..old_top).next_back() {
                Some((s, v)) if v.end == old_top && *s >= self.brk_base && matches!(v.backing, Backing::Anonymous) => {
                    let s = *s;
                    if let Some(v) = self.vmas.get_mut(&s) {
                        v.end = new_top;
                    }
                }
                _ => self.insert(
                    old_top,
                    Vma {
                        end: new_top,
                        prot: Protection { read: true, write: true, execute: false },
                        backing: Backing::Anonymous,
                        pgoff: 0,
                        is_stack: false,
                        grows_down: false,
                    },
                ),
            }
        } else if new_top < old_top {
            self.unmap(new_top, old_top);
        }
        self.brk = new;
        new
    }

    /// Bytes of mapped regions and of resident pages, for /proc.
    pub fn sizes(&self) -> (u64, u64) {
        let virt = self.vmas.iter().map(|(s, v)| v.end - s).sum();
        (virt, self.resident * PAGE_SIZE)
    }
}
