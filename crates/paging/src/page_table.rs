//! One address space's page-table tree: creating it, and mapping, unmapping,
//! translating and re-flagging single pages.

use crate::address::{PhysAddr, VirtAddr};
use crate::entry::Entry;
use crate::error::{MapError, UnmapError, UpdateFlagsError};
use crate::flags::PageFlags;
use crate::level::Level;
use crate::page_size::PageSize;
use crate::table_memory::{OutOfMemory, TableMemory};

/// An address space, named by the physical address of its PML4 (what goes in CR3).
///
/// The value owns nothing by itself; the tables live in the [`TableMemory`]
/// passed to each call. It is not `Clone` so that one address space has one
/// owner that decides when to tear it down.
#[derive(Debug, PartialEq, Eq)]
pub struct PageTable {
    root: PhysAddr,
}

/// Where a virtual address leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translation {
    /// The physical address, including the offset inside the page. From
    /// [`PageTable::for_each_mapping`] the offset is 0 (it reports page starts).
    pub phys: PhysAddr,
    pub size: PageSize,
    /// The leaf entry's flags, without `HUGE` (that is what `size` says). For
    /// tables built by this crate these are also the effective permissions.
    pub flags: PageFlags,
}

/// One table entry on the way down to a leaf.
#[derive(Clone, Copy)]
struct Slot {
    table: PhysAddr,
    index: usize,
    entry: Entry,
}

/// The leaf entry that maps an address, and the table entries that lead to it
/// (needed to propagate `USER` upwards).
struct LeafPath {
    parents: [Option<Slot>; 3],
    leaf: Slot,
    size: PageSize,
}

impl PageTable {
    /// Allocates an empty PML4.
    pub fn new<M: TableMemory + ?Sized>(mem: &mut M) -> Result<Self, OutOfMemory> {
        Ok(Self { root: mem.alloc_table()? })
    }

    /// Adopts an existing tree, e.g. the tables the boot code built.
    pub const fn from_root(root: PhysAddr) -> Self {
        Self { root }
    }

    /// The PML4's physical address, for CR3.
    pub const fn root(&self) -> PhysAddr {
        self.root
    }

    /// Maps one page of `size` at `virt` to `phys`.
    ///
    /// `PRESENT` is always added (so `WRITABLE | USER` reads naturally);
    /// `HUGE` is refused because the size decides it. Missing intermediate
    /// tables are created `PRESENT | WRITABLE`, plus `USER` if the new page is
    /// a user page, and existing entries on the path gain those bits too. A
    /// kernel page never adds `USER` anywhere.
    ///
    /// Atomic: every table the mapping needs is allocated before anything is
    /// written, so on any error, `OutOfMemory` included, the tree is unchanged
    /// and no table has leaked. New tables are filled bottom-up and linked in
    /// by a single final write, so a concurrent hardware walk sees either no
    /// mapping or the whole one. No TLB flush is needed: the slot was empty.
    pub fn map<M: TableMemory + ?Sized>(
        &mut self,
        mem: &mut M,
        virt: VirtAddr,
        phys: PhysAddr,
        size: PageSize,
        flags: PageFlags,
    ) -> Result<(), MapError> {
        if flags.contains(PageFlags::HUGE) {
            return Err(MapError::InvalidFlags);
        }
        if !virt.is_aligned(size) || !phys.is_aligned(size) {
            return Err(MapError::Misaligned);
        }
        let leaf_level = size.leaf_level();
        let mut leaf_flags = flags | PageFlags::PRESENT;
        if size != PageSize::Size4K {
            leaf_flags |= PageFlags::HUGE;
        }
        let path_flags = PageFlags::PRESENT | PageFlags::WRITABLE | (flags & PageFlags::USER);

        // Phase 1: read-only walk to find what exists and what is missing.
        let mut existing: [Option<Slot>; 3] = [None; 3];
        let mut table = self.root;
        let mut level = Level::Pml4;
        let mut first_missing: Option<Level> = None;
        while level != leaf_level {
            let index = level.index_of(virt);
            let entry = Entry::from_raw(mem.read(table, index));
            if !entry.is_present() {
                first_missing = Some(level);
                break;
            }
            if is_huge_leaf(level, entry) {
                return Err(MapError::HugePageInTheWay);
            }
            existing[path_position(level)] = Some(Slot { table, index, entry });
            table = entry.address();
            level = lower(level);
        }
        if first_missing.is_none() {
            let entry = Entry::from_raw(mem.read(table, leaf_level.index_of(virt)));
            if entry.is_present() {
                return Err(if leaf_level == Level::Pt || is_huge_leaf(leaf_level, entry) {
                    MapError::AlreadyMapped
                } else {
                    MapError::TableInTheWay
                });
            }
        }

        // Phase 2: allocate every missing table, or none.
        let missing_count = match first_missing {
            Some(missing) => (missing.number() - leaf_level.number()) as usize,
            None => 0,
        };
        let mut new_tables = [PhysAddr::ZERO; 3];
        for allocated in 0..missing_count {
            match mem.alloc_table() {
                Ok(frame) => new_tables[allocated] = frame,
                Err(OutOfMemory) => {
                    for &frame in &new_tables[..allocated] {
                        mem.free_table(frame);
                    }
                    return Err(MapError::OutOfMemory);
                }
            }
        }

        // Phase 3: write. Nothing below can fail.
        for slot in existing.iter().flatten() {
            let upgraded = slot.entry.raw() | path_flags.bits();
            if upgraded != slot.entry.raw() {
                mem.write(slot.table, slot.index, upgraded);
            }
        }
        let leaf = encode(phys, leaf_flags);
        match first_missing {
            None => mem.write(table, leaf_level.index_of(virt), leaf),
            Some(missing) => {
                // new_tables[0] hangs below `missing`, new_tables[k] at level missing-1-k.
                let deepest = missing_count - 1;
                mem.write(new_tables[deepest], leaf_level.index_of(virt), leaf);
                let mut child_level = leaf_level;
                for k in (0..deepest).rev() {
                    let parent_level = up(child_level);
                    mem.write(new_tables[k], parent_level.index_of(virt), encode(new_tables[k + 1], path_flags));
                    child_level = parent_level;
                }
                mem.write(table, missing.index_of(virt), encode(new_tables[0], path_flags));
            }
        }
        Ok(())
    }

    /// Maps several 4 KiB pages that share one page table (one 2 MiB-aligned
    /// region), walking down to that table once instead of once per page:
    /// what fault-around does with the neighbours of a faulting page.
    /// Slots already mapped are left alone; `placed(i, mapped)` says for
    /// each of `pages` whether it went in, in order. The same guarantees as
    /// [`PageTable::map`]; on an error nothing was placed.
    pub fn map_4k_in_one_table<M: TableMemory + ?Sized>(
        &mut self,
        mem: &mut M,
        pages: &[(VirtAddr, PhysAddr)],
        flags: PageFlags,
        mut placed: impl FnMut(usize, bool),
    ) -> Result<(), MapError> {
        let Some(&(first, first_phys)) = pages.first() else { return Ok(()) };
        let region = first.as_u64() >> Level::Pd.entry_span().trailing_zeros();
        if pages.iter().any(|(v, p)| {
            v.as_u64() >> Level::Pd.entry_span().trailing_zeros() != region
                || !v.is_aligned(PageSize::Size4K)
                || !p.is_aligned(PageSize::Size4K)
        }) {
            return Err(MapError::Misaligned);
        }
        if flags.contains(PageFlags::HUGE) {
            return Err(MapError::InvalidFlags);
        }
        // The table, made by mapping the first page the ordinary way when
        // it does not exist yet.
        let mut first_done = None;
        let table = match self.page_table_of(mem, first, flags)? {
            Some(t) => t,
            None => {
                self.map(mem, first, first_phys, PageSize::Size4K, flags)?;
                first_done = Some(true);
                self.page_table_of(mem, first, flags)?.expect("the table exists once a page in it is mapped")
            }
        };
        let leaf_flags = flags | PageFlags::PRESENT;
        for (i, &(virt, phys)) in pages.iter().enumerate() {
            if i == 0 {
                if let Some(done) = first_done {
                    placed(0, done);
                    continue;
                }
            }
            let index = Level::Pt.index_of(virt);
            let went_in = !Entry::from_raw(mem.read(table, index)).is_present();
            if went_in {
                mem.write(table, index, encode(phys, leaf_flags));
            }
            placed(i, went_in);
        }
        Ok(())
    }

    /// The page table (level 1) covering `virt`, or None if some level is
    /// missing. The entries on the way get the permissions `map` gives the
    /// path to a page with `flags` (user access, writable), as they would
    /// had each page been mapped alone.
    fn page_table_of<M: TableMemory + ?Sized>(
        &self,
        mem: &mut M,
        virt: VirtAddr,
        flags: PageFlags,
    ) -> Result<Option<PhysAddr>, MapError> {
        let path_flags = PageFlags::PRESENT | PageFlags::WRITABLE | (flags & PageFlags::USER);
        let mut path: [Option<Slot>; 3] = [None; 3];
        let mut table = self.root;
        let mut level = Level::Pml4;
        while level != Level::Pt {
            let index = level.index_of(virt);
            let entry = Entry::from_raw(mem.read(table, index));
            if !entry.is_present() {
                return Ok(None);
            }
            if is_huge_leaf(level, entry) {
                return Err(MapError::HugePageInTheWay);
            }
            path[path_position(level)] = Some(Slot { table, index, entry });
            table = entry.address();
            level = lower(level);
        }
        for slot in path.iter().flatten() {
            let upgraded = slot.entry.raw() | path_flags.bits();
            if upgraded != slot.entry.raw() {
                mem.write(slot.table, slot.index, upgraded);
            }
        }
        Ok(Some(table))
    }

    /// Removes the page that starts at `virt` and returns its frame, size and
    /// flags. The caller frees (or un-references) the frame only after
    /// flushing the TLB on every CPU that may cache the translation.
    /// Tables left empty are kept until teardown (see the crate docs).
    pub fn unmap<M: TableMemory + ?Sized>(
        &mut self,
        mem: &mut M,
        virt: VirtAddr,
    ) -> Result<(PhysAddr, PageSize, PageFlags), UnmapError> {
        let path = self.find_leaf(mem, virt).ok_or(UnmapError::NotMapped)?;
        if !virt.is_aligned(path.size) {
            return Err(UnmapError::Misaligned { page_size: path.size });
        }
        mem.write(path.leaf.table, path.leaf.index, Entry::EMPTY.raw());
        let flags = path.leaf.entry.flags() - PageFlags::HUGE;
        Ok((path.leaf.entry.page_address(path.size), path.size, flags))
    }

    /// Follows the tables the way the CPU would. `None` if nothing is mapped.
    pub fn translate<M: TableMemory + ?Sized>(&self, mem: &M, virt: VirtAddr) -> Option<Translation> {
        let path = self.find_leaf(mem, virt)?;
        let base = path.leaf.entry.page_address(path.size).as_u64();
        Some(Translation {
            // Page bases are size-aligned and below 2^52, so adding an offset
            // smaller than the size stays below 2^52.
            phys: PhysAddr::new(base | virt.page_offset(path.size)).ok()?,
            size: path.size,
            flags: path.leaf.entry.flags() - PageFlags::HUGE,
        })
    }

    /// Replaces the flags of the page that starts at `virt` (mprotect, marking
    /// or resolving copy-on-write) and returns the old flags. All flags are
    /// replaced, `ACCESSED` and `DIRTY` included; `PRESENT` is always kept.
    /// Adding `USER` propagates it to the path like [`Self::map`]. The caller
    /// flushes the TLB if permissions were reduced.
    pub fn update_flags<M: TableMemory + ?Sized>(
        &mut self,
        mem: &mut M,
        virt: VirtAddr,
        flags: PageFlags,
    ) -> Result<PageFlags, UpdateFlagsError> {
        if flags.contains(PageFlags::HUGE) {
            return Err(UpdateFlagsError::InvalidFlags);
        }
        let path = self.find_leaf(mem, virt).ok_or(UpdateFlagsError::NotMapped)?;
        if !virt.is_aligned(path.size) {
            return Err(UpdateFlagsError::Misaligned { page_size: path.size });
        }
        let mut new_flags = flags | PageFlags::PRESENT;
        if path.size != PageSize::Size4K {
            new_flags |= PageFlags::HUGE;
        }
        if flags.contains(PageFlags::USER) {
            for slot in path.parents.iter().flatten() {
                let upgraded = slot.entry.raw() | PageFlags::USER.bits();
                if upgraded != slot.entry.raw() {
                    mem.write(slot.table, slot.index, upgraded);
                }
            }
        }
        let old = path.leaf.entry;
        // Keep the raw address bits (including a huge page's PAT bit, which
        // this crate does not model but must not destroy).
        let address_bits = old.raw() & !PageFlags::ALL_MASK.bits();
        mem.write(path.leaf.table, path.leaf.index, address_bits | new_flags.bits());
        Ok(old.flags() - PageFlags::HUGE)
    }

    fn find_leaf<M: TableMemory + ?Sized>(&self, mem: &M, virt: VirtAddr) -> Option<LeafPath> {
        let mut parents: [Option<Slot>; 3] = [None; 3];
        let mut table = self.root;
        let mut level = Level::Pml4;
        loop {
            let index = level.index_of(virt);
            let entry = Entry::from_raw(mem.read(table, index));
            if !entry.is_present() {
                return None;
            }
            let slot = Slot { table, index, entry };
            if level == Level::Pt || is_huge_leaf(level, entry) {
                let size = level.leaf_size()?;
                return Some(LeafPath { parents, leaf: slot, size });
            }
            parents[path_position(level)] = Some(slot);
            table = entry.address();
            level = lower(level);
        }
    }
}

/// Whether `entry`, found at `level`, maps a page instead of pointing to a table.
pub(crate) fn is_huge_leaf(level: Level, entry: Entry) -> bool {
    matches!(level, Level::Pdpt | Level::Pd) && entry.flags().contains(PageFlags::HUGE)
}

/// Slot in a three-element path array for a non-leaf level (PML4 first).
fn path_position(level: Level) -> usize {
    (Level::Pml4.number() - level.number()) as usize
}

fn lower(level: Level) -> Level {
    // Callers only descend from levels that have tables below them.
    level.lower().unwrap_or(Level::Pt)
}

fn up(level: Level) -> Level {
    match level {
        Level::Pt => Level::Pd,
        Level::Pd => Level::Pdpt,
        Level::Pdpt | Level::Pml4 => Level::Pml4,
    }
}

/// Builds an entry from an address already checked to be page aligned.
fn encode(addr: PhysAddr, flags: PageFlags) -> u64 {
    addr.as_u64() | flags.bits()
}
