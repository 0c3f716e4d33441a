//! Cleaning raw memory maps into usable RAM.

use bootinfo::{Diagnostic, MemoryKind, MemoryMap, RawMemoryRegion, UsableRange};

fn ram(addr: u64, size: u64) -> RawMemoryRegion {
    RawMemoryRegion { addr, size, kind: MemoryKind::Ram }
}

fn reserved(addr: u64, size: u64) -> RawMemoryRegion {
    RawMemoryRegion { addr, size, kind: MemoryKind::Reserved }
}

fn r(start: u64, end: u64) -> UsableRange {
    UsableRange { start, end }
}

fn build<const N: usize>(regions: &[RawMemoryRegion]) -> (MemoryMap<N>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let map = MemoryMap::from_regions(regions.iter().copied(), |d| diagnostics.push(d));
    (map, diagnostics)
}

#[test]
fn clean_map_passes_through_silently() {
    let (map, diags) = build::<8>(&[ram(0x10_0000, 0x10_0000), ram(0x40_0000, 0x2000)]);
    assert_eq!(map.ranges(), [r(0x10_0000, 0x20_0000), r(0x40_0000, 0x40_2000)]);
    assert_eq!(map.usable_bytes(), 0x10_2000);
    assert!(diags.is_empty());
}

#[test]
fn output_is_sorted_whatever_the_input_order() {
    let (map, _) = build::<8>(&[ram(0x9000, 0x1000), ram(0x1000, 0x1000), ram(0x5000, 0x1000)]);
    assert_eq!(map.ranges(), [r(0x1000, 0x2000), r(0x5000, 0x6000), r(0x9000, 0xa000)]);
}

#[test]
fn adjacent_ram_merges_without_a_diagnostic() {
    let (map, diags) = build::<8>(&[ram(0x2000, 0x1000), ram(0x1000, 0x1000), ram(0x3000, 0x1000)]);
    assert_eq!(map.ranges(), [r(0x1000, 0x4000)]);
    assert!(diags.is_empty());
}

#[test]
fn overlapping_and_duplicate_ram_merges_and_is_reported() {
    let regions = [ram(0x1000, 0x4000), ram(0x3000, 0x4000), ram(0x1000, 0x4000)];
    let (map, diags) = build::<8>(&regions);
    assert_eq!(map.ranges(), [r(0x1000, 0x7000)]);
    assert_eq!(
        diags,
        [
            Diagnostic::OverlappingRam { index: 1, region: regions[1] },
            Diagnostic::OverlappingRam { index: 2, region: regions[2] },
        ]
    );
}

#[test]
fn reserved_inside_ram_splits_it_and_wins_in_any_order() {
    for reserved_first in [false, true] {
        let hole = reserved(0x5000, 0x800); // unaligned: the whole page goes
        let big = ram(0x1000, 0x9000);
        let regions = if reserved_first { [hole, big] } else { [big, hole] };
        let (map, diags) = build::<8>(&regions);
        assert_eq!(map.ranges(), [r(0x1000, 0x5000), r(0x6000, 0xa000)]);
        let hole_index = if reserved_first { 0 } else { 1 };
        assert_eq!(diags, [Diagnostic::ReservedOverlapsRam { index: hole_index, region: hole }]);
    }
}

#[test]
fn every_non_ram_kind_is_cut_out() {
    let kinds = [
        MemoryKind::Reserved,
        MemoryKind::AcpiReclaimable,
        MemoryKind::AcpiNvs,
        MemoryKind::Unusable,
        MemoryKind::Disabled,
        MemoryKind::Persistent,
        MemoryKind::Unknown(0),
        MemoryKind::Unknown(12),
    ];
    for kind in kinds {
        let (map, _) = build::<8>(&[ram(0, 0x10_0000), RawMemoryRegion { addr: 0x1000, size: 0x1000, kind }]);
        assert_eq!(map.ranges(), [r(0, 0x1000), r(0x2000, 0x10_0000)], "{kind:?}");
    }
}

#[test]
fn reserved_covering_edges_and_all_of_ram() {
    let (map, _) = build::<8>(&[ram(0x1000, 0x8000), reserved(0, 0x2000), reserved(0x8800, 0x10)]);
    assert_eq!(map.ranges(), [r(0x2000, 0x8000)]);
    let (map, diags) = build::<8>(&[ram(0x1000, 0x2000), reserved(0, 0x10_0000)]);
    assert!(map.ranges().is_empty());
    assert_eq!(diags.len(), 1);
    // Reserved that only touches RAM takes nothing and says nothing.
    let (map, diags) = build::<8>(&[ram(0x1000, 0x1000), reserved(0x2000, 0x1000)]);
    assert_eq!(map.ranges(), [r(0x1000, 0x2000)]);
    assert!(diags.is_empty());
}

#[test]
fn unaligned_ram_is_trimmed_inward() {
    let odd = ram(0x1001, 0x3000); // [0x1001, 0x4001): whole pages 0x2000..0x4000
    let (map, diags) = build::<8>(&[odd]);
    assert_eq!(map.ranges(), [r(0x2000, 0x4000)]);
    assert_eq!(diags, [Diagnostic::UnalignedRam { index: 0, region: odd }]);
}

#[test]
fn ram_without_a_whole_page_is_dropped() {
    for tiny in [ram(0x1800, 0x1000), ram(0x1000, 0xfff), ram(0x1001, 1), ram(u64::MAX - 0x800, 0x100)] {
        let (map, diags) = build::<8>(&[tiny]);
        assert!(map.ranges().is_empty(), "{tiny:?}");
        assert_eq!(diags, [Diagnostic::RamTooSmall { index: 0, region: tiny }]);
    }
}

#[test]
fn zero_size_entries_are_skipped_and_reported() {
    let regions = [ram(0x1000, 0), reserved(0x2000, 0), ram(0x3000, 0x1000)];
    let (map, diags) = build::<8>(&regions);
    assert_eq!(map.ranges(), [r(0x3000, 0x4000)]);
    assert_eq!(
        diags,
        [Diagnostic::ZeroSize { index: 0, region: regions[0] }, Diagnostic::ZeroSize { index: 1, region: regions[1] },]
    );
}

#[test]
fn wrapping_ram_is_skipped_and_wrapping_reserved_claims_the_top() {
    let wrapping_ram = ram(u64::MAX - 0xfff, 0x2000);
    let (map, diags) = build::<8>(&[ram(0x1000, 0x1000), wrapping_ram]);
    assert_eq!(map.ranges(), [r(0x1000, 0x2000)]);
    assert_eq!(diags, [Diagnostic::Wraps { index: 1, region: wrapping_ram }]);

    let top_ram = ram(0xFFFF_FFFF_0000_0000, 0x1_0000);
    let wrapping_reserved = reserved(0xFFFF_FFF0_0000_0000, u64::MAX);
    let (map, diags) = build::<8>(&[ram(0x1000, 0x1000), top_ram, wrapping_reserved]);
    assert_eq!(map.ranges(), [r(0x1000, 0x2000)], "everything above the reservation's start is gone");
    assert!(diags.contains(&Diagnostic::Wraps { index: 2, region: wrapping_reserved }));
    assert!(diags.contains(&Diagnostic::ReservedOverlapsRam { index: 2, region: wrapping_reserved }));
}

#[test]
fn ram_at_the_very_top_of_the_address_space() {
    // Ends exactly at 2^64 - 1: fine. (An end of exactly 2^64 does not fit in
    // a u64 and is reported as wrapping.)
    let (map, _) = build::<8>(&[ram(0xFFFF_FFFF_FFFF_E000, 0x1FFF)]);
    assert_eq!(map.ranges(), [r(0xFFFF_FFFF_FFFF_E000, 0xFFFF_FFFF_FFFF_F000)]);
    let (map, diags) = build::<8>(&[ram(0xFFFF_FFFF_FFFF_E000, 0x2000)]);
    assert!(map.ranges().is_empty());
    assert!(matches!(diags[..], [Diagnostic::Wraps { .. }]));
}

#[test]
fn capacity_overflow_keeps_the_largest_ranges_and_reports_the_rest() {
    let regions = [ram(0x1000, 0x1000), ram(0x10_0000, 0x10_0000), ram(0x40_0000, 0x3000), ram(0x80_0000, 0x2000)];
    let (map, diags) = build::<2>(&regions);
    assert_eq!(map.ranges(), [r(0x10_0000, 0x20_0000), r(0x40_0000, 0x40_3000)]);
    assert_eq!(
        diags,
        [
            Diagnostic::CapacityExceeded { dropped: r(0x1000, 0x2000) },
            Diagnostic::CapacityExceeded { dropped: r(0x80_0000, 0x80_2000) },
        ]
    );
}

#[test]
fn capacity_overflow_from_a_reserved_split_is_reported() {
    let (map, diags) = build::<1>(&[ram(0, 0x10_0000), reserved(0x4000, 0x1000)]);
    assert_eq!(map.ranges(), [r(0x5000, 0x10_0000)]);
    assert!(diags.contains(&Diagnostic::CapacityExceeded { dropped: r(0, 0x4000) }));
}

#[test]
fn zero_capacity_map_reports_everything() {
    let (map, diags) = build::<0>(&[ram(0x1000, 0x1000)]);
    assert!(map.ranges().is_empty());
    assert_eq!(diags, [Diagnostic::CapacityExceeded { dropped: r(0x1000, 0x2000) }]);
}

#[test]
fn empty_input_gives_an_empty_map() {
    let (map, diags) = build::<4>(&[]);
    assert!(map.ranges().is_empty());
    assert_eq!(map.usable_bytes(), 0);
    assert!(diags.is_empty());
    let default: MemoryMap<4> = MemoryMap::default();
    assert!(default.ranges().is_empty());
}

#[test]
fn remove_carves_out_whole_pages() {
    let (mut map, _) = build::<8>(&[ram(0x10_0000, 0x100_0000)]);
    // Kernel image at an unaligned range: widened outward.
    assert_eq!(map.remove(0x20_0123, 0x30_0456), None);
    assert_eq!(map.ranges(), [r(0x10_0000, 0x20_0000), r(0x30_1000, 0x110_0000)]);
    // Start-info page at the very start.
    assert_eq!(map.remove(0x10_0000, 0x10_0038), None);
    assert_eq!(map.ranges(), [r(0x10_1000, 0x20_0000), r(0x30_1000, 0x110_0000)]);
    // Module at the very end.
    assert_eq!(map.remove(0x10F_F000, 0x110_0000), None);
    assert_eq!(map.ranges().last(), Some(&r(0x30_1000, 0x10F_F000)));
    // Outside RAM, empty and inverted ranges: nothing happens.
    let before = map.ranges().to_vec();
    assert_eq!(map.remove(0x500_0000, 0x600_0000), None);
    assert_eq!(map.remove(0x15_0000, 0x15_0000), None);
    assert_eq!(map.remove(0x18_0000, 0x15_0000), None);
    assert_eq!(map.ranges(), before);
    assert!(map.contains(0x15_0000));
    assert!(!map.contains(0x25_0000));
    // Removing up to the top of memory, without overflow.
    assert_eq!(map.remove(0, u64::MAX), None);
    assert!(map.ranges().is_empty());
}

#[test]
fn remove_in_a_full_map_reports_what_it_dropped() {
    let (mut map, _) = build::<2>(&[ram(0, 0x10_0000), ram(0x20_0000, 0x1000)]);
    assert_eq!(map.remove(0x8000, 0x9000), Some(r(0x20_0000, 0x20_1000)));
    assert_eq!(map.ranges(), [r(0, 0x8000), r(0x9000, 0x10_0000)]);
    assert_eq!(map.usable_bytes(), 0x10_0000 - 0x1000);
}
