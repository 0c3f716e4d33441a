//! A fake physical memory for page tables: frames in a hash map, strict about
//! misuse so that a bug in the walker fails loudly instead of reading zeros.
#![allow(dead_code)] // each test file uses a different part of it

use std::collections::{HashMap, HashSet};

use paging::{Entry, OutOfMemory, PhysAddr, TableMemory, VirtAddr};

/// Frames are handed out from here upwards and never reused, so a read
/// through a stale pointer to a freed table is always caught.
const FIRST_FRAME: u64 = 0x10_0000;

pub struct FakeMemory {
    frames: HashMap<u64, [u64; 512]>,
    next_frame: u64,
    /// Successful allocations still allowed; `None` means unlimited.
    allocations_left: Option<usize>,
    pub allocations: usize,
    pub frees: usize,
}

impl FakeMemory {
    pub fn new() -> Self {
        Self { frames: HashMap::new(), next_frame: FIRST_FRAME, allocations_left: None, allocations: 0, frees: 0 }
    }

    /// From now on, only `n` more table allocations succeed.
    pub fn limit_allocations(&mut self, n: usize) {
        self.allocations_left = Some(n);
    }

    pub fn unlimited(&mut self) {
        self.allocations_left = None;
    }

    pub fn live_tables(&self) -> usize {
        self.frames.len()
    }

    pub fn live_table_set(&self) -> HashSet<u64> {
        self.frames.keys().copied().collect()
    }

    pub fn is_live(&self, table: PhysAddr) -> bool {
        self.frames.contains_key(&table.as_u64())
    }

    fn frame(&self, table: PhysAddr) -> &[u64; 512] {
        self.frames
            .get(&table.as_u64())
            .unwrap_or_else(|| panic!("access to a frame that is not a live table: {table:?}"))
    }
}

impl TableMemory for FakeMemory {
    fn read(&self, table: PhysAddr, index: usize) -> u64 {
        self.frame(table)[index]
    }

    fn write(&mut self, table: PhysAddr, index: usize, value: u64) {
        self.frames
            .get_mut(&table.as_u64())
            .unwrap_or_else(|| panic!("write to a frame that is not a live table: {table:?}"))[index] = value;
    }

    fn alloc_table(&mut self) -> Result<PhysAddr, OutOfMemory> {
        if let Some(left) = self.allocations_left.as_mut() {
            if *left == 0 {
                return Err(OutOfMemory);
            }
            *left -= 1;
        }
        let frame = self.next_frame;
        self.next_frame += 0x1000;
        self.frames.insert(frame, [0; 512]);
        self.allocations += 1;
        Ok(PhysAddr::new(frame).unwrap())
    }

    fn free_table(&mut self, table: PhysAddr) {
        if self.frames.remove(&table.as_u64()).is_none() {
            panic!("double or wild free of {table:?}");
        }
        self.frees += 1;
    }
}

pub fn virt(addr: u64) -> VirtAddr {
    VirtAddr::new(addr).unwrap()
}

pub fn phys(addr: u64) -> PhysAddr {
    PhysAddr::new(addr).unwrap()
}

/// The raw entries a hardware walk of `addr` passes through, root first,
/// stopping after the leaf or the first non-present entry.
pub fn walk_entries(mem: &FakeMemory, root: PhysAddr, addr: VirtAddr) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut table = root;
    for level in (1..=4u32).rev() {
        let index = ((addr.as_u64() >> (12 + 9 * (level - 1))) & 0x1FF) as usize;
        let entry = Entry::from_raw(mem.read(table, index));
        entries.push(entry);
        let huge = (level == 2 || level == 3) && entry.flags().contains(paging::PageFlags::HUGE);
        if !entry.is_present() || huge {
            break;
        }
        table = entry.address();
    }
    entries
}
