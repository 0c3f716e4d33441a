//! Property tests: random raw memory maps and random start-info bytes.

mod support;

use bootinfo::pvh::StartInfo;
use bootinfo::{CommandLine, Diagnostic, MemoryKind, MemoryMap, RawMemoryRegion};
use proptest::prelude::*;
use support::{FakePhys, StartInfoFields};

const PAGE: u64 = 4096;
/// Small maps live in the first 256 pages so every page can be checked.
const SMALL_SPACE_PAGES: u64 = 256;

fn kind() -> impl Strategy<Value = MemoryKind> {
    prop_oneof![
        4 => Just(MemoryKind::Ram),
        1 => (0u32..10).prop_map(MemoryKind::from_e820),
    ]
}

/// Regions in a small space, mostly page-ish sizes with some odd edges.
fn small_region() -> impl Strategy<Value = RawMemoryRegion> {
    (
        0..SMALL_SPACE_PAGES,
        0u64..40,
        prop_oneof![3 => Just(0u64), 1 => 0u64..PAGE],
        prop_oneof![3 => Just(0u64), 1 => 0u64..PAGE],
        kind(),
    )
        .prop_map(|(page, pages, start_jitter, size_jitter, kind)| RawMemoryRegion {
            addr: page * PAGE + start_jitter,
            size: pages * PAGE + size_jitter,
            kind,
        })
}

/// Regions anywhere, to shake out overflow handling.
fn wild_region() -> impl Strategy<Value = RawMemoryRegion> {
    (any::<u64>(), any::<u64>(), kind()).prop_map(|(addr, size, kind)| RawMemoryRegion { addr, size, kind })
}

fn end_of(region: &RawMemoryRegion) -> Option<u64> {
    region.addr.checked_add(region.size)
}

/// Whether `[start, end)` lies inside a single RAM entry (for per-page checks).
fn inside_some_ram(regions: &[RawMemoryRegion], start: u64, end: u64) -> bool {
    regions
        .iter()
        .any(|r| r.kind == MemoryKind::Ram && r.size > 0 && r.addr <= start && end_of(r).is_some_and(|e| end <= e))
}

/// Whether `[start, end)` shares a byte with any non-RAM entry (wrapping ones
/// reach the top of memory).
fn touches_non_ram(regions: &[RawMemoryRegion], start: u64, end: u64) -> bool {
    regions
        .iter()
        .any(|r| r.kind != MemoryKind::Ram && r.size > 0 && r.addr < end && start < end_of(r).unwrap_or(u64::MAX))
}

fn check_shape<const N: usize>(map: &MemoryMap<N>) -> Result<(), TestCaseError> {
    let ranges = map.ranges();
    prop_assert!(ranges.len() <= N);
    for range in ranges {
        prop_assert!(range.start < range.end, "non-empty");
        prop_assert_eq!(range.start % PAGE, 0);
        prop_assert_eq!(range.end % PAGE, 0);
    }
    for pair in ranges.windows(2) {
        prop_assert!(pair[0].end < pair[1].start, "sorted, disjoint and not touching: {:?}", pair);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Exact check against a page-by-page model: a page is usable iff it lies
    /// inside a RAM entry and touches no non-RAM entry.
    #[test]
    fn small_maps_match_a_page_model(regions in prop::collection::vec(small_region(), 0..12)) {
        let mut diagnostics = Vec::new();
        let map = MemoryMap::<64>::from_regions(regions.iter().copied(), |d| diagnostics.push(d));
        check_shape(&map)?;
        let overflowed = diagnostics.iter().any(|d| matches!(d, Diagnostic::CapacityExceeded { .. }));
        prop_assert!(!overflowed);
        for page in 0..SMALL_SPACE_PAGES + 48 {
            let (start, end) = (page * PAGE, (page + 1) * PAGE);
            // Each RAM entry is trimmed on its own, so a page is usable only
            // if one entry holds all of it.
            let expected = inside_some_ram(&regions, start, end) && !touches_non_ram(&regions, start, end);
            prop_assert_eq!(map.contains(start), expected, "page {:#x}", start);
        }
    }

    /// With little capacity the map may lose memory, but never gains any and
    /// always says what it dropped.
    #[test]
    fn small_capacity_only_loses_memory(regions in prop::collection::vec(small_region(), 0..16)) {
        let big = MemoryMap::<64>::from_regions(regions.iter().copied(), |_| {});
        let mut dropped = 0u64;
        let small = MemoryMap::<3>::from_regions(regions.iter().copied(), |d| {
            if let Diagnostic::CapacityExceeded { dropped: range } = d { dropped += range.len(); }
        });
        check_shape(&small)?;
        for range in small.ranges() {
            for page in (range.start..range.end).step_by(PAGE as usize) {
                prop_assert!(big.contains(page), "small map invented page {:#x}", page);
            }
        }
        if dropped == 0 {
            prop_assert_eq!(small.ranges(), big.ranges());
        }
        prop_assert!(small.usable_bytes() <= big.usable_bytes());
    }

    /// Any input at all: no panic, and the output keeps its shape and never
    /// includes non-RAM.
    #[test]
    fn wild_maps_keep_the_invariants(regions in prop::collection::vec(wild_region(), 0..12)) {
        let map = MemoryMap::<16>::from_regions(regions.iter().copied(), |_| {});
        check_shape(&map)?;
        for range in map.ranges() {
            prop_assert!(!touches_non_ram(&regions, range.start, range.end), "{:?}", range);
            prop_assert!(covered_by_ram(&regions, range.start, range.end), "{:?} is not all RAM", range);
        }
    }

    #[test]
    fn remove_takes_out_exactly_the_widened_range(
        regions in prop::collection::vec(small_region(), 0..8),
        cut_start in 0u64..SMALL_SPACE_PAGES * PAGE,
        cut_len in 0u64..64 * PAGE,
    ) {
        let before = MemoryMap::<64>::from_regions(regions.iter().copied(), |_| {});
        let mut after = MemoryMap::<64>::from_regions(regions.iter().copied(), |_| {});
        let cut_end = cut_start + cut_len;
        prop_assert_eq!(after.remove(cut_start, cut_end), None);
        check_shape(&after)?;
        for page in 0..SMALL_SPACE_PAGES + 48 {
            let (start, end) = (page * PAGE, (page + 1) * PAGE);
            let cut = cut_start < cut_end && start < cut_end && cut_start < end;
            prop_assert_eq!(after.contains(start), before.contains(start) && !cut, "page {:#x}", start);
        }
    }

    /// Random bytes where a start-info should be: never a panic, whatever
    /// parse says, and everything reachable from a successful parse works too.
    #[test]
    fn random_start_info_bytes_never_panic(
        mut bytes in prop::collection::vec(any::<u8>(), 0..80),
        force_magic in any::<bool>(),
        small_version in any::<bool>(),
        tables in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        if force_magic && bytes.len() >= 8 {
            bytes[..4].copy_from_slice(&0x336e_c578u32.to_le_bytes());
            if small_version {
                let version = u32::from(bytes[4] & 1);
                bytes[4..8].copy_from_slice(&version.to_le_bytes());
            }
        }
        let mut phys = FakePhys::new();
        phys.put(0x1000, &bytes).put(0x2000, &tables);
        if let Ok(info) = StartInfo::parse(&phys, 0x1000) {
            for module in info.modules(&phys).flatten() {
                let _ = module.command_line(&phys, &mut [0u8; 64]);
            }
            let _ = info.memory_map(&phys).count();
            let _ = info.usable_memory::<8, _, _>(&phys, |_| {});
            let mut buf = [0u8; 256];
            if let Ok(Some(line)) = info.command_line(&phys, &mut buf) {
                let line = CommandLine::new(line.text);
                let _ = line.params().count();
                let _ = line.get("x");
            }
        }
    }

    /// Well-formed headers pointing into random table bytes.
    #[test]
    fn random_tables_behind_a_valid_header_never_panic(
        nr_modules in 0u32..300,
        memmap_entries in 0u32..1100,
        version in 0u32..3,
        tables in prop::collection::vec(any::<u8>(), 0..2048),
        cmdline in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let fields = StartInfoFields {
            version,
            nr_modules,
            modlist_paddr: 0x2000,
            memmap_paddr: 0x2000,
            memmap_entries,
            cmdline_paddr: 0x9000,
            ..StartInfoFields::default()
        };
        let mut phys = FakePhys::new();
        phys.put(0x1000, &fields.bytes()).put(0x2000, &tables).put(0x9000, &cmdline);
        if let Ok(info) = StartInfo::parse(&phys, 0x1000) {
            prop_assert!(info.module_count() <= bootinfo::pvh::MAX_MODULES);
            let modules = info.modules(&phys).count();
            prop_assert!(modules <= info.module_count() as usize);
            if let Ok(map) = info.usable_memory::<32, _, _>(&phys, |_| {}) {
                check_shape(&map)?;
            }
            let mut buf = [0u8; 32];
            if let Ok(Some(line)) = info.command_line(&phys, &mut buf) {
                prop_assert!(line.text.len() <= 32);
                prop_assert!(line.truncated || line.text.len() < cmdline.len() || cmdline.is_empty());
            }
        }
    }

    #[test]
    fn command_line_parsing_never_panics_and_tokens_come_from_the_text(text in ".{0,64}") {
        let line = CommandLine::new(&text);
        for param in line.params() {
            prop_assert!(!param.key.chars().any(|c| c.is_ascii_whitespace()) || text.contains('"'));
            prop_assert!(text.contains(param.key));
            if let Some(value) = param.value {
                prop_assert!(text.contains(value));
            }
        }
        let _ = line.init_args();
    }
}

/// Whether the union of (non-wrapping) RAM entries covers `[start, end)`; a
/// merged range may span several touching or overlapping entries.
fn covered_by_ram(regions: &[RawMemoryRegion], start: u64, end: u64) -> bool {
    let mut covered = start;
    while covered < end {
        let reach = regions
            .iter()
            .filter(|r| r.kind == MemoryKind::Ram && r.size > 0 && r.addr <= covered)
            .filter_map(end_of)
            .filter(|&e| e > covered)
            .max();
        match reach {
            Some(e) => covered = e,
            None => return false,
        }
    }
    true
}
