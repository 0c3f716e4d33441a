//! Mapping, translating, unmapping and re-flagging single pages.

mod support;

use paging::{MapError, PageFlags, PageSize, PageTable, Translation, UnmapError, UpdateFlagsError, VirtAddr};
use support::{phys, virt, walk_entries, FakeMemory};

const USER_RW: PageFlags = PageFlags::WRITABLE.union(PageFlags::USER);
const KERNEL_RW: PageFlags = PageFlags::WRITABLE;

fn setup() -> (FakeMemory, PageTable) {
    let mut mem = FakeMemory::new();
    let table = PageTable::new(&mut mem).unwrap();
    (mem, table)
}

#[test]
fn new_table_is_one_empty_frame() {
    let (mem, table) = setup();
    assert_eq!(mem.live_tables(), 1);
    assert!(mem.is_live(table.root()));
    assert_eq!(table.translate(&mem, virt(0)), None);
    assert_eq!(table.translate(&mem, virt(0xFFFF_FFFF_FFFF_F000)), None);
}

#[test]
fn round_trip_at_every_size_in_both_halves() {
    let cases = [
        (0x0000_0000_0040_3000, 0x0000_0123_4567_8000, PageSize::Size4K),
        (0x0000_7FFF_FFE0_0000, 0x0000_0000_8020_0000, PageSize::Size2M),
        (0x0000_0040_0000_0000, 0x000F_FFFF_C000_0000, PageSize::Size1G),
        (0xFFFF_8000_0000_0000, 0x0000_0000_0000_1000, PageSize::Size4K),
        (0xFFFF_FFFF_FFE0_0000, 0x0000_0000_0020_0000, PageSize::Size2M),
        (0xFFFF_FFFF_C000_0000, 0x0000_0000_4000_0000, PageSize::Size1G),
    ];
    for (v, p, size) in cases {
        let (mut mem, mut table) = setup();
        let flags = PageFlags::WRITABLE | PageFlags::NO_EXECUTE;
        table.map(&mut mem, virt(v), phys(p), size, flags).unwrap();

        let expected = Translation { phys: phys(p), size, flags: flags | PageFlags::PRESENT };
        assert_eq!(table.translate(&mem, virt(v)), Some(expected), "{v:#x}");
        let last_byte = v + (size.bytes() - 1);
        assert_eq!(
            table.translate(&mem, virt(last_byte)).map(|t| t.phys),
            Some(phys(p + size.bytes() - 1)),
            "offset is added to the page base"
        );
        // Just past the page: nothing.
        if let Ok(after) = VirtAddr::new(v.wrapping_add(size.bytes())) {
            assert_eq!(table.translate(&mem, after), None);
        }
        assert_eq!(table.unmap(&mut mem, virt(v)), Ok((phys(p), size, flags | PageFlags::PRESENT)));
        assert_eq!(table.translate(&mem, virt(v)), None);
        assert_eq!(table.unmap(&mut mem, virt(v)), Err(UnmapError::NotMapped));
    }
}

#[test]
fn tables_needed_per_size() {
    for (size, tables) in [(PageSize::Size4K, 3), (PageSize::Size2M, 2), (PageSize::Size1G, 1)] {
        let (mut mem, mut table) = setup();
        table.map(&mut mem, virt(0), phys(0), size, KERNEL_RW).unwrap();
        assert_eq!(mem.live_tables(), 1 + tables, "{size:?}");
    }
}

#[test]
fn second_page_reuses_existing_tables() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x1000), phys(0x5000), PageSize::Size4K, KERNEL_RW).unwrap();
    let before = mem.live_tables();
    table.map(&mut mem, virt(0x2000), phys(0x6000), PageSize::Size4K, KERNEL_RW).unwrap();
    assert_eq!(mem.live_tables(), before);
    assert_eq!(table.translate(&mem, virt(0x1000)).unwrap().phys, phys(0x5000));
    assert_eq!(table.translate(&mem, virt(0x2000)).unwrap().phys, phys(0x6000));
}

#[test]
fn misaligned_addresses_are_refused_without_side_effects() {
    for size in PageSize::ALL {
        let (mut mem, mut table) = setup();
        let half = size.bytes() / 2;
        let odd_virt = table.map(&mut mem, virt(size.bytes() + size.bytes() / 2), phys(0), size, KERNEL_RW);
        assert_eq!(odd_virt, Err(MapError::Misaligned), "{size:?}");
        let odd_phys = table.map(&mut mem, virt(0), phys(half.max(0x800)), size, KERNEL_RW);
        assert_eq!(odd_phys, Err(MapError::Misaligned), "{size:?}");
        assert_eq!(mem.live_tables(), 1, "no table allocated for a refused map");
    }
    let (mut mem, mut table) = setup();
    assert_eq!(table.map(&mut mem, virt(0x1001), phys(0x1000), PageSize::Size4K, KERNEL_RW), Err(MapError::Misaligned));
    assert_eq!(table.map(&mut mem, virt(0x1000), phys(0x1fff), PageSize::Size4K, KERNEL_RW), Err(MapError::Misaligned));
}

#[test]
fn non_canonical_addresses_cannot_be_named() {
    for bad in [0x0000_8000_0000_0000u64, 0x8000_0000_0000_0000, 0x0001_0000_0000_0000] {
        assert!(VirtAddr::new(bad).is_err(), "{bad:#x}");
    }
    assert!(paging::PhysAddr::new(1 << 52).is_err());
}

#[test]
fn double_map_is_refused_and_keeps_the_first_mapping() {
    for size in PageSize::ALL {
        let (mut mem, mut table) = setup();
        let base = 0x40_0000_0000;
        table.map(&mut mem, virt(base), phys(size.bytes()), size, KERNEL_RW).unwrap();
        let tables = mem.live_tables();
        let again = table.map(&mut mem, virt(base), phys(2 * size.bytes()), size, USER_RW);
        assert_eq!(again, Err(MapError::AlreadyMapped), "{size:?}");
        assert_eq!(mem.live_tables(), tables);
        let t = table.translate(&mem, virt(base)).unwrap();
        assert_eq!((t.phys, t.flags), (phys(size.bytes()), KERNEL_RW | PageFlags::PRESENT));
        // A refused user map must not have widened the path either.
        assert!(walk_entries(&mem, table.root(), virt(base)).iter().all(|e| !e.flags().contains(PageFlags::USER)));
    }
}

#[test]
fn smaller_page_inside_a_huge_page_is_refused() {
    let cases = [
        (PageSize::Size2M, PageSize::Size4K, 0x3000),
        (PageSize::Size1G, PageSize::Size4K, 0x1234_5000),
        (PageSize::Size1G, PageSize::Size2M, 0x20_0000),
        (PageSize::Size1G, PageSize::Size2M, 0),
    ];
    for (huge, small, offset) in cases {
        let (mut mem, mut table) = setup();
        let base = 0x80_0000_0000;
        table.map(&mut mem, virt(base), phys(0), huge, KERNEL_RW).unwrap();
        let tables = mem.live_tables();
        let result = table.map(&mut mem, virt(base + offset), phys(0), small, KERNEL_RW);
        assert_eq!(result, Err(MapError::HugePageInTheWay), "{small:?} in {huge:?}");
        assert_eq!(mem.live_tables(), tables);
        assert_eq!(table.translate(&mem, virt(base + offset)).unwrap().size, huge);
    }
}

#[test]
fn huge_page_over_a_table_is_refused_even_when_the_table_is_empty() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x20_3000), phys(0x9000), PageSize::Size4K, KERNEL_RW).unwrap();
    assert_eq!(
        table.map(&mut mem, virt(0x20_0000), phys(0), PageSize::Size2M, KERNEL_RW),
        Err(MapError::TableInTheWay)
    );
    assert_eq!(table.map(&mut mem, virt(0), phys(0), PageSize::Size1G, KERNEL_RW), Err(MapError::TableInTheWay));

    table.unmap(&mut mem, virt(0x20_3000)).unwrap();
    assert_eq!(
        table.map(&mut mem, virt(0x20_0000), phys(0), PageSize::Size2M, KERNEL_RW),
        Err(MapError::TableInTheWay)
    );
    // The neighbouring 2 MiB slot has no table, so a huge page fits there.
    table.map(&mut mem, virt(0x40_0000), phys(0), PageSize::Size2M, KERNEL_RW).unwrap();
}

#[test]
fn all_caller_flags_are_preserved() {
    let high_soft = PageFlags::software_high_bit(55).unwrap();
    let flag_sets = [
        PageFlags::empty(),
        PageFlags::WRITABLE | PageFlags::USER | PageFlags::NO_EXECUTE,
        PageFlags::GLOBAL | PageFlags::WRITE_THROUGH | PageFlags::NO_CACHE,
        PageFlags::ACCESSED | PageFlags::DIRTY | PageFlags::COPY_ON_WRITE | PageFlags::SHARED | PageFlags::DEVICE,
        PageFlags::USER | high_soft,
        PageFlags::ALL_MASK - PageFlags::HUGE,
    ];
    for size in PageSize::ALL {
        for flags in flag_sets {
            let (mut mem, mut table) = setup();
            table.map(&mut mem, virt(0), phys(0), size, flags).unwrap();
            let t = table.translate(&mem, virt(0)).unwrap();
            assert_eq!(t.flags, flags | PageFlags::PRESENT, "{size:?}");
            let leaf = *walk_entries(&mem, table.root(), virt(0)).last().unwrap();
            assert_eq!(leaf.flags().contains(PageFlags::HUGE), size != PageSize::Size4K);
        }
    }
}

#[test]
fn huge_flag_is_not_a_caller_flag() {
    let (mut mem, mut table) = setup();
    let huge = PageFlags::HUGE | PageFlags::WRITABLE;
    assert_eq!(table.map(&mut mem, virt(0), phys(0), PageSize::Size2M, huge), Err(MapError::InvalidFlags));
    assert_eq!(mem.live_tables(), 1);
    table.map(&mut mem, virt(0), phys(0), PageSize::Size4K, KERNEL_RW).unwrap();
    assert_eq!(table.update_flags(&mut mem, virt(0), huge), Err(UpdateFlagsError::InvalidFlags));
}

#[test]
fn user_leaf_makes_its_whole_path_user_and_writable() {
    for size in PageSize::ALL {
        let (mut mem, mut table) = setup();
        table.map(&mut mem, virt(0x40_0000_0000), phys(0), size, PageFlags::USER).unwrap();
        let entries = walk_entries(&mem, table.root(), virt(0x40_0000_0000));
        let (leaf, path) = entries.split_last().unwrap();
        for entry in path {
            assert!(entry.flags().contains(PageFlags::PRESENT | PageFlags::WRITABLE | PageFlags::USER), "{entry:?}");
            assert!(!entry.flags().intersects(PageFlags::NO_EXECUTE | PageFlags::HUGE));
        }
        // The leaf keeps exactly what was asked: read-only.
        assert!(!leaf.flags().contains(PageFlags::WRITABLE));
    }
}

#[test]
fn kernel_leaf_never_makes_a_path_user() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x1000), phys(0), PageSize::Size4K, KERNEL_RW).unwrap();
    for entry in walk_entries(&mem, table.root(), virt(0x1000)) {
        assert!(!entry.flags().contains(PageFlags::USER), "{entry:?}");
        assert!(entry.flags().contains(PageFlags::PRESENT));
    }
}

#[test]
fn user_leaf_upgrades_a_kernel_path_and_kernel_leaf_does_not_downgrade_it() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x1000), phys(0x1000), PageSize::Size4K, KERNEL_RW).unwrap();
    table.map(&mut mem, virt(0x2000), phys(0x2000), PageSize::Size4K, USER_RW).unwrap();
    let path = walk_entries(&mem, table.root(), virt(0x1000));
    assert!(path[..3].iter().all(|e| e.flags().contains(PageFlags::USER)), "shared path is now user");
    assert!(!path[3].flags().contains(PageFlags::USER), "kernel leaf stays kernel");

    table.map(&mut mem, virt(0x3000), phys(0x3000), PageSize::Size4K, KERNEL_RW).unwrap();
    let path = walk_entries(&mem, table.root(), virt(0x3000));
    assert!(path[..3].iter().all(|e| e.flags().contains(PageFlags::USER)));
    assert!(!path[3].flags().contains(PageFlags::USER));
    // A kernel page elsewhere gets its own, non-user path.
    table.map(&mut mem, virt(0x80_0000_0000), phys(0), PageSize::Size4K, KERNEL_RW).unwrap();
    assert!(walk_entries(&mem, table.root(), virt(0x80_0000_0000))
        .iter()
        .all(|e| !e.flags().contains(PageFlags::USER)));
}

#[test]
fn unmap_requires_the_page_start() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x20_0000), phys(0x20_0000), PageSize::Size2M, KERNEL_RW).unwrap();
    assert_eq!(table.unmap(&mut mem, virt(0x20_1000)), Err(UnmapError::Misaligned { page_size: PageSize::Size2M }));
    assert!(table.translate(&mem, virt(0x20_0000)).is_some(), "refused unmap leaves the page");
    assert_eq!(table.unmap(&mut mem, virt(0x40_0000)), Err(UnmapError::NotMapped));
    assert_eq!(table.unmap(&mut mem, virt(0xFFFF_8000_0000_0000)), Err(UnmapError::NotMapped));
    assert!(table.unmap(&mut mem, virt(0x20_0000)).is_ok());
}

#[test]
fn unmap_keeps_tables_until_teardown() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x5000), phys(0x5000), PageSize::Size4K, USER_RW).unwrap();
    let tables = mem.live_tables();
    table.unmap(&mut mem, virt(0x5000)).unwrap();
    assert_eq!(mem.live_tables(), tables);
    assert_eq!(mem.frees, 0);
}

#[test]
fn update_flags_replaces_flags_and_returns_the_old_ones() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x40_0000), phys(0x60_0000), PageSize::Size2M, USER_RW | PageFlags::DIRTY).unwrap();
    let cow = PageFlags::USER | PageFlags::COPY_ON_WRITE;
    let old = table.update_flags(&mut mem, virt(0x40_0000), cow).unwrap();
    assert_eq!(old, USER_RW | PageFlags::DIRTY | PageFlags::PRESENT);
    let t = table.translate(&mem, virt(0x40_1000)).unwrap();
    assert_eq!(t, Translation { phys: phys(0x60_1000), size: PageSize::Size2M, flags: cow | PageFlags::PRESENT });
    let leaf = *walk_entries(&mem, table.root(), virt(0x40_0000)).last().unwrap();
    assert!(leaf.flags().contains(PageFlags::HUGE), "a huge page stays huge");
}

#[test]
fn update_flags_to_user_upgrades_the_path() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x7000), phys(0x7000), PageSize::Size4K, KERNEL_RW).unwrap();
    table.update_flags(&mut mem, virt(0x7000), USER_RW).unwrap();
    assert!(walk_entries(&mem, table.root(), virt(0x7000)).iter().all(|e| e.flags().contains(PageFlags::USER)));
}

#[test]
fn update_flags_errors() {
    let (mut mem, mut table) = setup();
    assert_eq!(table.update_flags(&mut mem, virt(0), KERNEL_RW), Err(UpdateFlagsError::NotMapped));
    table.map(&mut mem, virt(0), phys(0), PageSize::Size1G, KERNEL_RW).unwrap();
    assert_eq!(
        table.update_flags(&mut mem, virt(0x1000), KERNEL_RW),
        Err(UpdateFlagsError::Misaligned { page_size: PageSize::Size1G })
    );
    // PRESENT cannot be dropped through update_flags.
    table.update_flags(&mut mem, virt(0), PageFlags::empty()).unwrap();
    assert_eq!(table.translate(&mem, virt(0)).unwrap().flags, PageFlags::PRESENT);
}

#[test]
fn from_root_adopts_an_existing_tree() {
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0xFFFF_FFFF_8000_0000), phys(0x20_0000), PageSize::Size2M, KERNEL_RW).unwrap();
    let adopted = PageTable::from_root(table.root());
    assert_eq!(adopted.root(), table.root());
    assert_eq!(adopted.translate(&mem, virt(0xFFFF_FFFF_8000_1234)).unwrap().phys, phys(0x20_1234));
}

#[test]
fn huge_entry_with_pat_bit_translates_to_the_page_base() {
    // A tree built elsewhere (e.g. by boot code) may set PAT (bit 12) in a
    // huge entry; it must not leak into the physical address.
    let (mut mem, mut table) = setup();
    table.map(&mut mem, virt(0x4000_0000), phys(0x4000_0000), PageSize::Size2M, KERNEL_RW).unwrap();
    let entries = walk_entries(&mem, table.root(), virt(0x4000_0000));
    let pd = entries[1].address(); // entries: PML4E, PDPTE, huge PDE
    use paging::TableMemory;
    let raw = mem.read(pd, 0);
    mem.write(pd, 0, raw | 0x1000);
    let t = table.translate(&mem, virt(0x4000_0010)).unwrap();
    assert_eq!(t.phys, phys(0x4000_0010));
    table.update_flags(&mut mem, virt(0x4000_0000), PageFlags::empty()).unwrap();
    assert_eq!(mem.read(pd, 0) & 0x1000, 0x1000, "update_flags keeps the PAT bit");
}
