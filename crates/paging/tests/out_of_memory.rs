//! `map` under memory pressure: it either fully succeeds or changes nothing.

mod support;

use paging::{MapError, PageFlags, PageSize, PageTable};
use support::{phys, virt, walk_entries, FakeMemory};

#[test]
fn map_is_atomic_when_tables_run_out() {
    // A 4 KiB page in an empty tree needs three tables.
    for allowed in 0..3 {
        let mut mem = FakeMemory::new();
        let mut table = PageTable::new(&mut mem).unwrap();
        mem.limit_allocations(allowed);
        let result = table.map(&mut mem, virt(0x1000), phys(0x1000), PageSize::Size4K, PageFlags::USER);
        assert_eq!(result, Err(MapError::OutOfMemory), "with {allowed} tables allowed");
        assert_eq!(mem.live_tables(), 1, "tables allocated before the failure were given back");
        assert_eq!(mem.frees, allowed);
        assert_eq!(table.translate(&mem, virt(0x1000)), None);
        assert!(!walk_entries(&mem, table.root(), virt(0x1000))[0].is_present(), "root untouched");
    }
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    mem.limit_allocations(3);
    table.map(&mut mem, virt(0x1000), phys(0x1000), PageSize::Size4K, PageFlags::USER).unwrap();
    assert_eq!(mem.live_tables(), 4);
}

#[test]
fn oom_below_an_existing_path_leaves_that_path_unchanged() {
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    // A kernel page creates PDPT, PD, PT for the first 2 MiB.
    table.map(&mut mem, virt(0x1000), phys(0x1000), PageSize::Size4K, PageFlags::WRITABLE).unwrap();
    let before: Vec<u64> = walk_entries(&mem, table.root(), virt(0x1000)).iter().map(|e| e.raw()).collect();

    // A user page in the next 2 MiB needs one new PT and would make the path USER.
    mem.limit_allocations(0);
    let result = table.map(&mut mem, virt(0x20_0000), phys(0x2000), PageSize::Size4K, PageFlags::USER);
    assert_eq!(result, Err(MapError::OutOfMemory));
    let after: Vec<u64> = walk_entries(&mem, table.root(), virt(0x1000)).iter().map(|e| e.raw()).collect();
    assert_eq!(before, after, "no USER upgrade on a failed map");

    // Pages that need no new table still map while memory is exhausted.
    table.map(&mut mem, virt(0x2000), phys(0x2000), PageSize::Size4K, PageFlags::WRITABLE).unwrap();
    table.map(&mut mem, virt(0x4000_0000), phys(0x4000_0000), PageSize::Size1G, PageFlags::WRITABLE).unwrap();
    assert_eq!(mem.live_tables(), 4);
}

#[test]
fn new_fails_cleanly_without_memory() {
    let mut mem = FakeMemory::new();
    mem.limit_allocations(0);
    assert!(PageTable::new(&mut mem).is_err());
    assert_eq!(mem.live_tables(), 0);
}

#[test]
fn preallocate_kernel_half_can_resume_after_oom() {
    let mut mem = FakeMemory::new();
    let mut kernel = PageTable::new(&mut mem).unwrap();
    mem.limit_allocations(100);
    assert!(kernel.preallocate_kernel_half(&mut mem).is_err());
    assert_eq!(mem.live_tables(), 101);
    mem.unlimited();
    kernel.preallocate_kernel_half(&mut mem).unwrap();
    assert_eq!(mem.live_tables(), 257);
}
