//! Parsing hand-built PVH start-info images.

mod support;

use bootinfo::pvh::{Module, PvhError, PvhPart, StartInfo, MAX_MEMORY_MAP_ENTRIES, MAX_MODULES};
use bootinfo::{Diagnostic, MemoryKind, RawMemoryRegion, UsableRange};
use support::{memmap_entry, module_entry, FakePhys, StartInfoFields, MAGIC};

const INFO: u64 = 0x6000;
const MODLIST: u64 = 0x7000;
const CMDLINE: u64 = 0x8000;
const MEMMAP: u64 = 0x9000;

/// A QEMU-like memory map: low RAM with an unaligned end, the BIOS hole,
/// high RAM, and an ACPI table area.
fn qemu_like_memmap() -> Vec<u8> {
    [
        memmap_entry(0, 0x9_fc00, 1),
        memmap_entry(0x9_fc00, 0x400, 2),
        memmap_entry(0xf_0000, 0x1_0000, 2),
        memmap_entry(0x10_0000, 0x7fee_0000, 1),
        memmap_entry(0x7ffe_0000, 0x2_0000, 3),
        memmap_entry(0xfffc_0000, 0x4_0000, 2),
    ]
    .concat()
}

fn full_v1_image() -> FakePhys {
    let fields = StartInfoFields {
        flags: 0x5,
        nr_modules: 2,
        modlist_paddr: MODLIST,
        cmdline_paddr: CMDLINE,
        rsdp_paddr: 0xf_5a20,
        memmap_paddr: MEMMAP,
        memmap_entries: 6,
        ..StartInfoFields::default()
    };
    let mut phys = FakePhys::new();
    phys.put(INFO, &fields.bytes())
        .put(MODLIST, &[module_entry(0x100_0000, 0x2_3456, CMDLINE + 0x100), module_entry(0x200_0000, 0, 0)].concat())
        .put(CMDLINE, b"console=ttyS0 test=all quiet\0")
        .put(CMDLINE + 0x100, b"initrd\0")
        .put(MEMMAP, &qemu_like_memmap());
    phys
}

#[test]
fn parses_a_version_1_start_info() {
    let phys = full_v1_image();
    let info = StartInfo::parse(&phys, INFO).unwrap();
    assert_eq!(info.version(), 1);
    assert_eq!(info.flags(), 0x5);
    assert_eq!(info.rsdp_paddr(), Some(0xf_5a20));
    assert_eq!(info.command_line_paddr(), Some(CMDLINE));
    assert_eq!(info.module_count(), 2);
    assert_eq!(info.memory_map_len(), 6);
    assert_eq!(info.footprint(), (INFO, INFO + 56));
    assert_eq!(info.module_list_footprint(), Some((MODLIST, MODLIST + 64)));
    assert_eq!(info.memory_map_footprint(), Some((MEMMAP, MEMMAP + 6 * 24)));

    let modules: Vec<Module> = info.modules(&phys).map(Result::unwrap).collect();
    assert_eq!(
        modules,
        [
            Module { paddr: 0x100_0000, size: 0x2_3456, cmdline_paddr: Some(CMDLINE + 0x100) },
            Module { paddr: 0x200_0000, size: 0, cmdline_paddr: None },
        ]
    );
    assert_eq!(modules[0].end(), 0x102_3456);
    let mut buf = [0u8; 64];
    assert_eq!(modules[0].command_line(&phys, &mut buf).unwrap().unwrap().text, "initrd");
    assert_eq!(modules[1].command_line(&phys, &mut buf).unwrap(), None);

    let mut buf = [0u8; 4096];
    let cmdline = info.command_line(&phys, &mut buf).unwrap().unwrap();
    assert_eq!(cmdline.text, "console=ttyS0 test=all quiet");
    assert!(!cmdline.truncated && !cmdline.had_invalid_utf8);

    let regions: Vec<RawMemoryRegion> = info.memory_map(&phys).map(Result::unwrap).collect();
    assert_eq!(regions.len(), 6);
    assert_eq!(regions[0], RawMemoryRegion { addr: 0, size: 0x9_fc00, kind: MemoryKind::Ram });
    assert_eq!(regions[4].kind, MemoryKind::AcpiReclaimable);
}

#[test]
fn builds_the_usable_map_from_a_start_info() {
    let phys = full_v1_image();
    let info = StartInfo::parse(&phys, INFO).unwrap();
    let mut diagnostics = Vec::new();
    let map = info.usable_memory::<16, _, _>(&phys, |d| diagnostics.push(d)).unwrap();
    assert_eq!(
        map.ranges(),
        [UsableRange { start: 0, end: 0x9_f000 }, UsableRange { start: 0x10_0000, end: 0x7ffe_0000 }]
    );
    // Only the unaligned low-RAM end is odd; the reserved entries touch RAM but
    // the trimmed RAM no longer reaches them.
    assert_eq!(
        diagnostics,
        [Diagnostic::UnalignedRam {
            index: 0,
            region: RawMemoryRegion { addr: 0, size: 0x9_fc00, kind: MemoryKind::Ram }
        }]
    );
}

#[test]
fn version_0_has_no_memory_map_and_reads_only_40_bytes() {
    let fields = StartInfoFields { version: 0, memmap_paddr: MEMMAP, memmap_entries: 3, ..StartInfoFields::default() };
    let bytes = fields.bytes();
    assert_eq!(bytes.len(), 40);
    let mut phys = FakePhys::new();
    // Memory ends right after the 40 bytes: a v1-sized read would fail.
    phys.put(INFO, &bytes);
    let info = StartInfo::parse(&phys, INFO).unwrap();
    assert_eq!(info.version(), 0);
    assert_eq!(info.memory_map_len(), 0);
    assert_eq!(info.memory_map(&phys).count(), 0);
    assert_eq!(info.footprint(), (INFO, INFO + 40));
    assert_eq!(info.memory_map_footprint(), None);
    let map = info.usable_memory::<4, _, _>(&phys, |d| panic!("{d:?}")).unwrap();
    assert!(map.ranges().is_empty());
}

#[test]
fn newer_versions_are_read_as_version_1() {
    let fields = StartInfoFields { version: 2, memmap_paddr: MEMMAP, memmap_entries: 1, ..StartInfoFields::default() };
    let mut phys = FakePhys::new();
    phys.put(INFO, &fields.bytes()).put(MEMMAP, &memmap_entry(0x10_0000, 0x10_0000, 1));
    let info = StartInfo::parse(&phys, INFO).unwrap();
    assert_eq!(info.version(), 2);
    assert_eq!(info.memory_map(&phys).count(), 1);
}

#[test]
fn absent_fields_read_as_none() {
    let mut phys = FakePhys::new();
    phys.put(INFO, &StartInfoFields::default().bytes());
    let info = StartInfo::parse(&phys, INFO).unwrap();
    assert_eq!(info.rsdp_paddr(), None);
    assert_eq!(info.command_line_paddr(), None);
    assert_eq!(info.command_line(&phys, &mut [0u8; 16]).unwrap(), None);
    assert_eq!(info.modules(&phys).count(), 0);
    assert_eq!(info.module_list_footprint(), None);
}

#[test]
fn bad_magic_is_refused() {
    for magic in [0, 0x336e_c579, MAGIC.swap_bytes(), u32::MAX] {
        let mut phys = FakePhys::new();
        phys.put(INFO, &StartInfoFields { magic, ..StartInfoFields::default() }.bytes());
        assert_eq!(StartInfo::parse(&phys, INFO), Err(PvhError::BadMagic(magic)));
    }
}

#[test]
fn unreadable_start_info_is_an_error() {
    let phys = FakePhys::new();
    assert_eq!(StartInfo::parse(&phys, INFO), Err(PvhError::Unreadable { part: PvhPart::StartInfo, paddr: INFO }));
    // Version 1 header whose tail is cut off.
    let mut phys = FakePhys::new();
    phys.put(INFO, &StartInfoFields::default().bytes()[..48]);
    assert_eq!(StartInfo::parse(&phys, INFO), Err(PvhError::Unreadable { part: PvhPart::StartInfo, paddr: INFO + 40 }));
    // At the very top of the address space the read would wrap.
    let phys = FakePhys::new();
    assert!(matches!(StartInfo::parse(&phys, u64::MAX - 8), Err(PvhError::Unreadable { .. })));
}

#[test]
fn absurd_counts_are_refused() {
    let too_many_modules =
        StartInfoFields { nr_modules: MAX_MODULES + 1, modlist_paddr: MODLIST, ..StartInfoFields::default() };
    let too_many_entries =
        StartInfoFields { memmap_entries: u32::MAX, memmap_paddr: MEMMAP, ..StartInfoFields::default() };
    for (fields, expected) in [
        (too_many_modules, PvhError::TooManyModules(MAX_MODULES + 1)),
        (too_many_entries, PvhError::TooManyMemoryMapEntries(u32::MAX)),
    ] {
        let mut phys = FakePhys::new();
        phys.put(INFO, &fields.bytes());
        assert_eq!(StartInfo::parse(&phys, INFO), Err(expected));
    }
    // The limits themselves are fine.
    let at_limit = StartInfoFields {
        nr_modules: MAX_MODULES,
        modlist_paddr: MODLIST,
        memmap_entries: MAX_MEMORY_MAP_ENTRIES,
        memmap_paddr: MEMMAP,
        ..StartInfoFields::default()
    };
    let mut phys = FakePhys::new();
    phys.put(INFO, &at_limit.bytes());
    assert!(StartInfo::parse(&phys, INFO).is_ok());
}

#[test]
fn inconsistent_tables_are_refused() {
    let cases = [
        (StartInfoFields { nr_modules: 1, ..StartInfoFields::default() }, PvhError::MissingTable(PvhPart::ModuleList)),
        (
            StartInfoFields { memmap_entries: 1, ..StartInfoFields::default() },
            PvhError::MissingTable(PvhPart::MemoryMap),
        ),
        (
            StartInfoFields { nr_modules: 2, modlist_paddr: u64::MAX - 40, ..StartInfoFields::default() },
            PvhError::TableWraps(PvhPart::ModuleList),
        ),
        (
            StartInfoFields { memmap_entries: 1, memmap_paddr: u64::MAX - 10, ..StartInfoFields::default() },
            PvhError::TableWraps(PvhPart::MemoryMap),
        ),
    ];
    for (fields, expected) in cases {
        let mut phys = FakePhys::new();
        phys.put(INFO, &fields.bytes());
        assert_eq!(StartInfo::parse(&phys, INFO), Err(expected));
    }
}

#[test]
fn truncated_tables_fail_on_iteration_and_stop() {
    let fields = StartInfoFields {
        nr_modules: 3,
        modlist_paddr: MODLIST,
        memmap_entries: 3,
        memmap_paddr: MEMMAP,
        ..StartInfoFields::default()
    };
    let mut phys = FakePhys::new();
    phys.put(INFO, &fields.bytes())
        .put(MODLIST, &module_entry(0x10_0000, 0x1000, 0))
        .put(MEMMAP, &[memmap_entry(0x10_0000, 0x10_0000, 1), memmap_entry(0x30_0000, 0x1000, 2)].concat());
    let info = StartInfo::parse(&phys, INFO).unwrap();

    let modules: Vec<_> = info.modules(&phys).collect();
    assert_eq!(modules.len(), 2, "one good entry, then one error, then nothing");
    assert!(modules[0].is_ok());
    assert_eq!(modules[1], Err(PvhError::Unreadable { part: PvhPart::ModuleList, paddr: MODLIST + 32 }));

    let entries: Vec<_> = info.memory_map(&phys).collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[2], Err(PvhError::Unreadable { part: PvhPart::MemoryMap, paddr: MEMMAP + 48 }));

    assert_eq!(
        info.usable_memory::<8, _, _>(&phys, |_| {}).err(),
        Some(PvhError::Unreadable { part: PvhPart::MemoryMap, paddr: MEMMAP + 48 })
    );
}

#[test]
fn module_whose_end_wraps_is_an_error_but_iteration_continues() {
    let fields = StartInfoFields { nr_modules: 2, modlist_paddr: MODLIST, ..StartInfoFields::default() };
    let mut phys = FakePhys::new();
    phys.put(INFO, &fields.bytes())
        .put(MODLIST, &[module_entry(u64::MAX - 5, 10, 0), module_entry(0x10_0000, 10, 0)].concat());
    let info = StartInfo::parse(&phys, INFO).unwrap();
    let modules: Vec<_> = info.modules(&phys).collect();
    assert_eq!(modules[0], Err(PvhError::ModuleWraps { index: 0 }));
    assert_eq!(modules[1].unwrap().paddr, 0x10_0000);
}

#[test]
fn command_line_edge_cases() {
    let with_cmdline = |text: &[u8]| {
        let mut phys = FakePhys::new();
        phys.put(INFO, &StartInfoFields { cmdline_paddr: CMDLINE, ..StartInfoFields::default() }.bytes())
            .put(CMDLINE, text);
        phys
    };
    let info_of = |phys: &FakePhys| StartInfo::parse(phys, INFO).unwrap();

    // Empty.
    let phys = with_cmdline(b"\0garbage");
    let mut buf = [0u8; 32];
    let line = info_of(&phys).command_line(&phys, &mut buf).unwrap().unwrap();
    assert_eq!((line.text, line.truncated), ("", false));

    // No NUL within the buffer: truncated to the buffer.
    let phys = with_cmdline(&[b'a'; 100]);
    let mut buf = [0u8; 16];
    let line = info_of(&phys).command_line(&phys, &mut buf).unwrap().unwrap();
    assert_eq!((line.text, line.truncated), ("aaaaaaaaaaaaaaaa", true));

    // Exactly fills the buffer, NUL just past it: still truncated (unknowable).
    let phys = with_cmdline(b"abcd\0");
    let mut buf = [0u8; 4];
    assert!(info_of(&phys).command_line(&phys, &mut buf).unwrap().unwrap().truncated);

    // Invalid UTF-8 is replaced, not rejected.
    let phys = with_cmdline(b"root=/dev/\xff\xfe quiet\0");
    let mut buf = [0u8; 64];
    let line = info_of(&phys).command_line(&phys, &mut buf).unwrap().unwrap();
    assert_eq!(line.text, "root=/dev/?? quiet");
    assert!(line.had_invalid_utf8);

    // No NUL and the memory ends: an error, not a panic or garbage.
    let phys = with_cmdline(b"unterminated");
    let mut buf = [0u8; 4096];
    assert_eq!(
        info_of(&phys).command_line(&phys, &mut buf),
        Err(PvhError::Unreadable { part: PvhPart::CommandLine, paddr: CMDLINE })
    );

    // Zero-length buffer: nothing read, reported as truncated.
    let phys = with_cmdline(b"x\0");
    let line = info_of(&phys).command_line(&phys, &mut []).unwrap().unwrap();
    assert_eq!((line.text, line.truncated), ("", true));
}

#[test]
fn command_line_ending_just_before_unreadable_memory_is_read() {
    // The string ends at the edge of readable memory: reading ahead of the
    // NUL, even to the end of the page, would fail here.
    let start = 0xA000 - 6;
    let mut phys = FakePhys::new();
    phys.put(INFO, &StartInfoFields { cmdline_paddr: start, ..StartInfoFields::default() }.bytes())
        .put(start, b"quiet\0");
    let info = StartInfo::parse(&phys, INFO).unwrap();
    let mut buf = [0u8; 4096];
    assert_eq!(info.command_line(&phys, &mut buf).unwrap().unwrap().text, "quiet");
}

#[test]
fn command_line_spanning_pages_is_read_whole() {
    let start = 0xA000 - 3;
    let mut phys = FakePhys::new();
    // Two separate regions joined at a page boundary, as two mapped pages are.
    phys.put(INFO, &StartInfoFields { cmdline_paddr: start, ..StartInfoFields::default() }.bytes())
        .put(start, b"abc")
        .put(0xA000, b"def ghi\0");
    let info = StartInfo::parse(&phys, INFO).unwrap();
    let mut buf = [0u8; 4096];
    assert_eq!(info.command_line(&phys, &mut buf).unwrap().unwrap().text, "abcdef ghi");
}
