//! Whole-address-space operations: iteration, kernel-half sharing, teardown.

mod support;

use std::collections::BTreeSet;

use paging::{PageFlags, PageSize, PageTable, PhysAddr, TableMemory, VirtAddr, KERNEL_HALF_FIRST_INDEX};
use support::{phys, virt, walk_entries, FakeMemory};

const KERNEL: PageFlags = PageFlags::WRITABLE.union(PageFlags::GLOBAL);
const USER: PageFlags = PageFlags::WRITABLE.union(PageFlags::USER);

/// (virtual start, size) of a spread of pages in both halves and at all sizes,
/// deliberately listed out of order.
const PAGES: [(u64, PageSize); 9] = [
    (0xFFFF_FFFF_8000_0000, PageSize::Size2M),
    (0x0000_0000_0040_1000, PageSize::Size4K),
    (0x0000_7FFF_FFFF_F000, PageSize::Size4K),
    (0x0000_0000_0040_0000, PageSize::Size4K),
    (0x0000_0001_0000_0000, PageSize::Size1G),
    (0xFFFF_8000_0000_0000, PageSize::Size4K),
    (0x0000_0000_0060_0000, PageSize::Size2M),
    (0x0000_0080_0000_0000, PageSize::Size4K),
    (0xFFFF_FFFF_C000_0000, PageSize::Size1G),
];

fn map_all(mem: &mut FakeMemory, table: &mut PageTable) {
    for (i, (v, size)) in PAGES.iter().enumerate() {
        let flags = if *v >= 0xFFFF_8000_0000_0000 { KERNEL } else { USER };
        let frame = (i as u64 + 1) << 30; // 1 GiB aligned, so valid for every size
        table.map(mem, virt(*v), phys(frame), *size, flags).unwrap();
    }
}

fn collect(mem: &FakeMemory, table: &PageTable, range: std::ops::Range<u64>) -> Vec<(u64, PageSize)> {
    let mut seen = Vec::new();
    table.for_each_mapping(mem, range, |v, t| {
        assert_eq!(t.phys.as_u64() & (t.size.bytes() - 1), 0, "page base, not an interior address");
        seen.push((v.as_u64(), t.size));
    });
    seen
}

#[test]
fn for_each_mapping_visits_everything_in_address_order() {
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    map_all(&mut mem, &mut table);
    let mut expected: Vec<(u64, PageSize)> = PAGES.to_vec();
    expected.sort();
    assert_eq!(collect(&mem, &table, 0..u64::MAX), expected);
}

#[test]
fn for_each_mapping_reports_translations_that_match_translate() {
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    map_all(&mut mem, &mut table);
    table.for_each_mapping(&mem, 0..u64::MAX, |v, t| {
        assert_eq!(table.translate(&mem, v), Some(t));
    });
}

#[test]
fn for_each_mapping_filters_by_overlap() {
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    map_all(&mut mem, &mut table);
    // User half only.
    let user = collect(&mem, &table, 0..0x0000_8000_0000_0000);
    assert_eq!(user.len(), 6);
    assert!(user.iter().all(|(v, _)| *v < 0x0000_8000_0000_0000));
    // Kernel half only.
    assert_eq!(collect(&mem, &table, 0xFFFF_8000_0000_0000..u64::MAX).len(), 3);
    // A range starting inside a huge page still reports that page, whole.
    assert_eq!(
        collect(&mem, &table, 0x0000_0000_0070_0000..0x0000_0000_0070_0001),
        vec![(0x60_0000, PageSize::Size2M)]
    );
    // End is exclusive.
    assert_eq!(collect(&mem, &table, 0x40_0000..0x40_1000), vec![(0x40_0000, PageSize::Size4K)]);
    assert_eq!(collect(&mem, &table, 0x40_0000..0x40_1001).len(), 2);
    // Empty and inverted ranges report nothing.
    assert!(collect(&mem, &table, 0x40_0000..0x40_0000).is_empty());
    #[allow(clippy::reversed_empty_ranges)]
    let inverted = collect(&mem, &table, 0x50_0000..0x40_0000);
    assert!(inverted.is_empty());
    // The very last page of the address space.
    let last = collect(&mem, &table, u64::MAX - 1..u64::MAX);
    assert_eq!(last, vec![(0xFFFF_FFFF_C000_0000, PageSize::Size1G)]);
}

#[test]
fn kernel_half_is_shared_not_copied() {
    let mut mem = FakeMemory::new();
    let mut kernel = PageTable::new(&mut mem).unwrap();
    kernel.preallocate_kernel_half(&mut mem).unwrap();
    kernel.map(&mut mem, virt(0xFFFF_8000_0000_0000), phys(0x1000), PageSize::Size4K, KERNEL).unwrap();

    let mut process = PageTable::new(&mut mem).unwrap();
    let tables_before = mem.live_tables();
    process.share_kernel_half(&mut mem, &kernel);
    assert_eq!(mem.live_tables(), tables_before, "sharing allocates nothing");
    assert_eq!(process.translate(&mem, virt(0xFFFF_8000_0000_0000)).unwrap().phys, phys(0x1000));

    // A kernel mapping made later, anywhere in the kernel half, is seen by the process.
    kernel.map(&mut mem, virt(0xFFFF_C000_0020_0000), phys(0x40_0000), PageSize::Size2M, KERNEL).unwrap();
    assert_eq!(process.translate(&mem, virt(0xFFFF_C000_0020_0000)).unwrap().phys, phys(0x40_0000));
    // The user half is not shared.
    process.map(&mut mem, virt(0x1000), phys(0x9000), PageSize::Size4K, USER).unwrap();
    assert_eq!(kernel.translate(&mem, virt(0x1000)), None);
}

#[test]
fn preallocated_kernel_half_is_present_and_never_user() {
    let mut mem = FakeMemory::new();
    let mut kernel = PageTable::new(&mut mem).unwrap();
    kernel.preallocate_kernel_half(&mut mem).unwrap();
    assert_eq!(mem.live_tables(), 1 + 256);
    for index in 0..512 {
        let entry = paging::Entry::from_raw(mem.read(kernel.root(), index));
        if index < KERNEL_HALF_FIRST_INDEX {
            assert!(!entry.is_present());
        } else {
            assert!(entry.is_present());
            assert_eq!(entry.flags(), PageFlags::PRESENT | PageFlags::WRITABLE);
        }
    }
    // Idempotent.
    kernel.preallocate_kernel_half(&mut mem).unwrap();
    assert_eq!(mem.live_tables(), 1 + 256);
}

#[test]
fn free_user_half_frees_every_user_table_and_reports_every_user_page() {
    let mut mem = FakeMemory::new();
    let mut kernel = PageTable::new(&mut mem).unwrap();
    kernel.map(&mut mem, virt(0xFFFF_FFFF_8000_0000), phys(0), PageSize::Size2M, KERNEL).unwrap();
    let kernel_tables = mem.live_table_set();

    let mut process = PageTable::new(&mut mem).unwrap();
    process.share_kernel_half(&mut mem, &kernel);
    let user_pages: [(u64, u64, PageSize, PageFlags); 5] = [
        (0x1000, 0x10_0000_0000, PageSize::Size4K, USER),
        (0x2000, 0x10_0000_1000, PageSize::Size4K, USER | PageFlags::COPY_ON_WRITE),
        (0x20_0000, 0x10_0020_0000, PageSize::Size2M, USER | PageFlags::SHARED),
        (0x4000_0000, 0x10_4000_0000, PageSize::Size1G, USER | PageFlags::DEVICE),
        (0x7FFF_FFFF_F000, 0x10_0000_2000, PageSize::Size4K, USER),
    ];
    for (v, p, size, flags) in user_pages {
        process.map(&mut mem, virt(v), phys(p), size, flags).unwrap();
    }
    // Tables that held only pages that were unmapped again must go too.
    process.map(&mut mem, virt(0x0000_4000_0000_0000), phys(0x5000), PageSize::Size4K, USER).unwrap();
    process.unmap(&mut mem, virt(0x0000_4000_0000_0000)).unwrap();

    let allocated_for_process = mem.live_tables() - kernel_tables.len();
    let mut freed_pages = BTreeSet::new();
    process.free_user_half(&mut mem, |p: PhysAddr, size, flags| {
        assert!(freed_pages.insert((p.as_u64(), size, (flags | PageFlags::PRESENT).bits())), "page reported twice");
    });
    let expected: BTreeSet<_> =
        user_pages.iter().map(|&(_, p, s, f)| (p, s, (f | PageFlags::PRESENT).bits())).collect();
    assert_eq!(freed_pages, expected);
    assert_eq!(mem.frees, allocated_for_process - 1, "every user table, but not the PML4");
    let mut left = kernel_tables.clone();
    left.insert(process.root().as_u64());
    assert_eq!(mem.live_table_set(), left);

    // The kernel half still works through both trees; the user half is empty.
    assert!(process.translate(&mem, virt(0xFFFF_FFFF_8000_0000)).is_some());
    assert!(kernel.translate(&mem, virt(0xFFFF_FFFF_8000_0000)).is_some());
    let mut remaining = 0;
    process.for_each_mapping(&mem, 0..0x0000_8000_0000_0000, |_, _| remaining += 1);
    assert_eq!(remaining, 0);

    // The tree is reusable after teardown (exec reuses the address space).
    process.map(&mut mem, virt(0x1000), phys(0x1000), PageSize::Size4K, USER).unwrap();
    assert!(walk_entries(&mem, process.root(), virt(0x1000)).iter().all(|e| e.is_present()));
}

#[test]
fn destroy_frees_the_root_but_not_the_shared_kernel_tables() {
    let mut mem = FakeMemory::new();
    let mut kernel = PageTable::new(&mut mem).unwrap();
    kernel.preallocate_kernel_half(&mut mem).unwrap();
    kernel.map(&mut mem, virt(0xFFFF_8000_0000_0000), phys(0), PageSize::Size4K, KERNEL).unwrap();
    let kernel_tables = mem.live_table_set();

    let mut process = PageTable::new(&mut mem).unwrap();
    process.share_kernel_half(&mut mem, &kernel);
    process.map(&mut mem, virt(0x1000), phys(0x1000), PageSize::Size4K, USER).unwrap();
    let mut leaves = 0;
    process.destroy(&mut mem, |_, _, _| leaves += 1);
    assert_eq!(leaves, 1);
    assert_eq!(mem.live_table_set(), kernel_tables);
    assert!(kernel.translate(&mem, virt(0xFFFF_8000_0000_0000)).is_some());
}

#[test]
fn user_pages_mapped_into_the_kernel_half_survive_free_user_half() {
    // free_user_half is about PML4 entries 0..256 only; anything above is the
    // kernel's and must not be freed through one process.
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    let high: VirtAddr = virt(0xFFFF_9000_0000_0000);
    table.map(&mut mem, high, phys(0x1000), PageSize::Size4K, KERNEL).unwrap();
    let mut reported = 0;
    table.free_user_half(&mut mem, |_, _, _| reported += 1);
    assert_eq!(reported, 0);
    assert!(table.translate(&mem, high).is_some());
}

/// Interesting range ends: page edges in both halves, the hole, the extremes.
fn range_end() -> impl proptest::strategy::Strategy<Value = u64> {
    use proptest::prelude::*;
    prop_oneof![
        (0u64..0x0000_0100_0000_0000),
        (0x0000_7F00_0000_0000u64..=u64::MAX),
        Just(0u64),
        Just(0x0000_8000_0000_0000u64),
        Just(0xFFFF_8000_0000_0000u64),
        Just(u64::MAX),
        (0usize..PAGES.len(), -1i64..=1).prop_map(|(i, d)| PAGES[i].0.wrapping_add_signed(d)),
    ]
}

proptest::proptest! {
    /// Any range reports exactly the pages of the whole walk that overlap
    /// it: the walk may skip entries, never pages it was asked about.
    #[test]
    fn for_each_mapping_of_any_range_is_the_overlapping_part_of_the_whole(a in range_end(), b in range_end()) {
        let mut mem = FakeMemory::new();
        let mut table = PageTable::new(&mut mem).unwrap();
        map_all(&mut mem, &mut table);
        let (start, end) = (a.min(b), a.max(b));
        let expected: Vec<_> = collect(&mem, &table, 0..u64::MAX)
            .into_iter()
            .filter(|(v, size)| *v < end && v + (size.bytes() - 1) >= start && start < end)
            .collect();
        proptest::prop_assert_eq!(collect(&mem, &table, start..end), expected);
    }
}

proptest::proptest! {
    /// Mapping a run of pages in one table does what mapping each alone
    /// would: the same pages go in, the same slots are left as they were,
    /// and every translation afterwards is the same.
    #[test]
    fn map_4k_in_one_table_is_map_of_each(
        region in 0u64..4,
        before in proptest::collection::vec(0u64..512, 0..20),
        wanted in proptest::collection::vec(0u64..512, 1..40),
    ) {
        let base = 0x0000_0000_4000_0000 + region * 0x20_0000;
        let frame = |i: u64| phys(0x1_0000_0000 + i * 0x1000);
        let mut mem_a = FakeMemory::new();
        let mut a = PageTable::new(&mut mem_a).unwrap();
        let mut mem_b = FakeMemory::new();
        let mut b = PageTable::new(&mut mem_b).unwrap();
        for &p in &before {
            let _ = a.map(&mut mem_a, virt(base + p * 0x1000), phys(0x2_0000_0000 + p * 0x1000), PageSize::Size4K, USER);
            let _ = b.map(&mut mem_b, virt(base + p * 0x1000), phys(0x2_0000_0000 + p * 0x1000), PageSize::Size4K, USER);
        }
        let pages: Vec<_> = wanted.iter().map(|&p| (virt(base + p * 0x1000), frame(p))).collect();
        let mut placed_a = Vec::new();
        a.map_4k_in_one_table(&mut mem_a, &pages, USER, |i, ok| placed_a.push((i, ok))).unwrap();
        let placed_b: Vec<_> = pages
            .iter()
            .enumerate()
            .map(|(i, &(v, p))| (i, b.map(&mut mem_b, v, p, PageSize::Size4K, USER).is_ok()))
            .collect();
        proptest::prop_assert_eq!(placed_a, placed_b);
        for p in 0..512u64 {
            let v = virt(base + p * 0x1000);
            proptest::prop_assert_eq!(a.translate(&mem_a, v), b.translate(&mem_b, v));
        }
    }
}

#[test]
fn map_4k_in_one_table_refuses_pages_of_two_tables() {
    let mut mem = FakeMemory::new();
    let mut table = PageTable::new(&mut mem).unwrap();
    let pages = [(virt(0x1f_f000), phys(0x1000)), (virt(0x20_0000), phys(0x2000))];
    assert_eq!(
        table.map_4k_in_one_table(&mut mem, &pages, USER, |_, _| panic!("nothing placed")),
        Err(paging::MapError::Misaligned)
    );
}
