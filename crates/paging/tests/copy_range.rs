//! copy_range, the one-walk copy fork uses, against the page-by-page way it
//! replaces: map every page the parent maps in the range into the child.

mod support;

use paging::{LeafCopy, PageFlags, PageSize, PageTable, Translation};
use proptest::prelude::*;
use support::{phys, virt, FakeMemory};

const USER_RW: PageFlags = PageFlags::WRITABLE.union(PageFlags::USER);

/// Every mapping of `table` in `range`, as (address, translation).
fn mappings(mem: &FakeMemory, table: &PageTable, range: std::ops::Range<u64>) -> Vec<(u64, Translation)> {
    let mut out = Vec::new();
    table.for_each_mapping(mem, range, |v, t| out.push((v.as_u64(), t)));
    out
}

/// Fork's rule: the child gets the page read-only, and a writable parent
/// page becomes read-only too.
fn fork_rule(_: paging::VirtAddr, t: Translation) -> LeafCopy {
    let flags = t.flags - PageFlags::ACCESSED - PageFlags::DIRTY;
    if flags.contains(PageFlags::WRITABLE) {
        let ro = flags - PageFlags::WRITABLE;
        LeafCopy { child: ro, parent: Some(ro) }
    } else {
        LeafCopy { child: flags, parent: None }
    }
}

#[test]
fn copies_every_size_and_write_protects_both_sides() {
    let mut mem = FakeMemory::new();
    let mut parent = PageTable::new(&mut mem).unwrap();
    let pages = [
        (0x40_0000u64, PageSize::Size4K, USER_RW),
        (0x40_1000, PageSize::Size4K, PageFlags::USER),
        (0x60_0000, PageSize::Size2M, USER_RW),
        (0x1_0000_0000, PageSize::Size1G, USER_RW),
        (0x7fff_ffff_f000, PageSize::Size4K, USER_RW),
    ];
    for (i, (v, size, flags)) in pages.iter().enumerate() {
        parent.map(&mut mem, virt(*v), phys((i as u64 + 1) << 30), *size, *flags).unwrap();
    }
    let before = mappings(&mem, &parent, 0..u64::MAX);
    let mut child = PageTable::new(&mut mem).unwrap();
    let changed = parent.copy_range(&mut child, &mut mem, 0..0x8000_0000_0000, fork_rule).unwrap();
    assert_eq!(changed, 4, "the four writable pages were write-protected in the parent");
    let after = mappings(&mem, &parent, 0..u64::MAX);
    let copied = mappings(&mem, &child, 0..u64::MAX);
    assert_eq!(after, copied, "child and parent map the same frames with the same flags");
    for ((va, old), (vb, new)) in before.iter().zip(&after) {
        assert_eq!((va, old.phys, old.size), (vb, new.phys, new.size));
        assert!(!new.flags.contains(PageFlags::WRITABLE));
        assert!(new.flags.contains(PageFlags::USER));
    }
    assert_eq!(child.translate(&mem, virt(0x40_1234)).unwrap().phys, phys((2 << 30) + 0x234));
}

#[test]
fn out_of_memory_leaves_a_child_teardown_can_undo() {
    let mut mem = FakeMemory::new();
    let mut parent = PageTable::new(&mut mem).unwrap();
    for i in 0..8u64 {
        parent
            .map(&mut mem, virt(0x40_0000 + i * (1 << 30)), phys(0x1000 * (i + 1)), PageSize::Size4K, USER_RW)
            .unwrap();
    }
    let mut child = PageTable::new(&mut mem).unwrap();
    mem.limit_allocations(5);
    let mut leaves = 0;
    let r = parent.copy_range(&mut child, &mut mem, 0..0x8000_0000_0000, |v, t| {
        leaves += 1;
        fork_rule(v, t)
    });
    assert!(r.is_err());
    assert_eq!(mappings(&mem, &child, 0..u64::MAX).len(), leaves, "every page the callback saw is mapped, no other");
}

proptest! {
    /// Any set of 4 KiB pages and any range: copy_range maps exactly what
    /// mapping the parent's pages one by one would.
    #[test]
    fn matches_page_by_page(pages in proptest::collection::btree_set(0u64..4096, 0..64), lo in 0u64..4096, len in 0u64..4096) {
        let mut mem = FakeMemory::new();
        let mut parent = PageTable::new(&mut mem).unwrap();
        // Spread over several tables at every level.
        let addr = |p: u64| (p % 64) * 0x1000 + (p / 64 % 8) * 0x20_0000 + (p / 512) * 0x80_0000_0000;
        for p in &pages {
            let flags = if p % 3 == 0 { PageFlags::USER } else { USER_RW };
            parent.map(&mut mem, virt(addr(*p)), phys(0x1000 * (p + 1)), PageSize::Size4K, flags).unwrap();
        }
        let range = addr(lo)..addr(lo).saturating_add(len * 0x1000).max(addr(lo));
        let mut expected_child = PageTable::new(&mut mem).unwrap();
        let mut expected = Vec::new();
        for (v, t) in mappings(&mem, &parent, range.clone()) {
            let copy = fork_rule(virt(v), t);
            expected_child.map(&mut mem, virt(v), t.phys, t.size, copy.child).unwrap();
            expected.push((v, copy));
        }
        let mut child = PageTable::new(&mut mem).unwrap();
        let changed = parent.copy_range(&mut child, &mut mem, range.clone(), fork_rule).unwrap();
        prop_assert_eq!(mappings(&mem, &child, 0..u64::MAX), mappings(&mem, &expected_child, 0..u64::MAX));
        prop_assert_eq!(changed, expected.iter().filter(|(_, c)| c.parent.is_some()).count());
        for (v, copy) in expected {
            let t = parent.translate(&mem, virt(v)).unwrap();
            if let Some(f) = copy.parent {
                prop_assert_eq!(t.flags - PageFlags::ACCESSED - PageFlags::DIRTY, f | PageFlags::PRESENT);
            }
        }
    }
}
