//! Parsing the MADT.

mod support;

use acpi::{
    Cpu, Error, InterruptFlags, InterruptOverride, IoApic, LocalApicNmi, Madt, NmiSource, Polarity, PolarityFlag,
    Processors, Signature, SliceMemory, Table, Trigger, TriggerFlag, MAX_CPUS, MAX_IO_APICS, MAX_LOCAL_NMIS,
    MAX_MADT_ENTRIES, MAX_OVERRIDES,
};
use support::*;

fn parse(bytes: Vec<u8>) -> Result<Madt, Error> {
    let mut mem = FakeMemory::new();
    mem.put(MADT_AT, bytes);
    let table = Table::load(&mem, MADT_AT)?;
    Madt::parse(&mem, &table)
}

fn cpu(apic_id: u32, acpi_uid: u32) -> Cpu {
    Cpu { apic_id, acpi_uid, enabled: true, online_capable: false, x2apic_entry: false }
}

#[test]
fn qemu_q35_madt() {
    let madt = parse(qemu_madt(4).build()).unwrap();
    assert_eq!(madt.local_apic_address, 0xfee0_0000);
    assert!(madt.legacy_pics());
    assert_eq!(madt.cpus.as_slice(), [cpu(0, 0), cpu(1, 1), cpu(2, 2), cpu(3, 3)]);
    assert_eq!(madt.io_apics.as_slice(), [IoApic { id: 0, address: 0xfec0_0000, gsi_base: 0 }]);
    assert_eq!(madt.overrides.len(), 5);
    assert_eq!(
        madt.overrides[0],
        InterruptOverride {
            bus: 0,
            source_irq: 0,
            gsi: 2,
            flags: InterruptFlags { polarity: PolarityFlag::ConformsToBus, trigger: TriggerFlag::ConformsToBus },
        }
    );
    assert_eq!(
        madt.overrides[2].flags,
        InterruptFlags { polarity: PolarityFlag::ActiveHigh, trigger: TriggerFlag::Level }
    );
    assert_eq!(
        madt.local_nmis.as_slice(),
        [LocalApicNmi { processors: Processors::All, lint: 1, flags: InterruptFlags::default() }]
    );
    assert!(madt.nmi_sources.is_empty());
    assert_eq!((madt.unusable_cpus, madt.duplicate_cpus, madt.unknown_entries), (0, 0, 0));
    for list_overflowed in
        [madt.cpus.overflowed(), madt.io_apics.overflowed(), madt.overrides.overflowed(), madt.local_nmis.overflowed()]
    {
        assert!(!list_overflowed);
    }
}

#[test]
fn isa_irq_to_gsi_applies_overrides() {
    let madt = parse(qemu_madt(1).build()).unwrap();
    assert_eq!(madt.isa_irq_to_gsi(0), (2, Polarity::ActiveHigh, Trigger::Edge));
    assert_eq!(madt.isa_irq_to_gsi(1), (1, Polarity::ActiveHigh, Trigger::Edge));
    assert_eq!(madt.isa_irq_to_gsi(4), (4, Polarity::ActiveHigh, Trigger::Edge));
    assert_eq!(madt.isa_irq_to_gsi(9), (9, Polarity::ActiveHigh, Trigger::Level));
    assert_eq!(madt.isa_irq_to_gsi(11), (11, Polarity::ActiveHigh, Trigger::Level));
    assert_eq!(madt.isa_irq_to_gsi(15), (15, Polarity::ActiveHigh, Trigger::Edge));
}

#[test]
fn isa_irq_to_gsi_without_overrides_is_the_identity() {
    let madt = parse(MadtBuilder::new(0xfee0_0000, 0).build()).unwrap();
    for irq in 0..16 {
        assert_eq!(madt.isa_irq_to_gsi(irq), (u32::from(irq), Polarity::ActiveHigh, Trigger::Edge));
    }
}

#[test]
fn isa_irq_to_gsi_decodes_active_low_and_ignores_other_buses() {
    let madt = parse(
        MadtBuilder::new(0xfee0_0000, 0)
            .source_override(1, 9, 40, 0x000f) // not ISA: ignored for ISA IRQ 9
            .source_override(0, 9, 20, 0x000f)
            .source_override(0, 3, 30, 0x0003) // active low, trigger conforms: edge
            .build(),
    )
    .unwrap();
    assert_eq!(madt.isa_irq_to_gsi(9), (20, Polarity::ActiveLow, Trigger::Level));
    assert_eq!(madt.isa_irq_to_gsi(3), (30, Polarity::ActiveLow, Trigger::Edge));
}

#[test]
fn no_pcat_compat_means_no_8259s() {
    let madt = parse(MadtBuilder::new(0xfee0_0000, 0).build()).unwrap();
    assert!(!madt.legacy_pics());
    assert!(madt.cpus.is_empty());
}

#[test]
fn x2apic_entries_and_x2apic_nmis() {
    let madt = parse(
        MadtBuilder::new(0xfee0_0000, PCAT_COMPAT)
            .local_apic(0, 0, ENABLED)
            .x2apic(0x1_0000, ENABLED, 300)
            .x2apic(300, ONLINE_CAPABLE, 301)
            .x2apic_nmi(0x0005, 0xffff_ffff, 1)
            .x2apic_nmi(0x000f, 300, 0)
            .build(),
    )
    .unwrap();
    assert_eq!(
        madt.cpus.as_slice(),
        [
            cpu(0, 0),
            Cpu { x2apic_entry: true, ..cpu(0x1_0000, 300) },
            Cpu { apic_id: 300, acpi_uid: 301, enabled: false, online_capable: true, x2apic_entry: true },
        ]
    );
    assert_eq!(
        madt.local_nmis.as_slice(),
        [
            LocalApicNmi {
                processors: Processors::All,
                lint: 1,
                flags: InterruptFlags { polarity: PolarityFlag::ActiveHigh, trigger: TriggerFlag::Edge },
            },
            LocalApicNmi {
                processors: Processors::Uid(300),
                lint: 0,
                flags: InterruptFlags { polarity: PolarityFlag::ActiveLow, trigger: TriggerFlag::Level },
            },
        ]
    );
}

#[test]
fn unusable_and_duplicate_processors_are_counted_not_kept() {
    let madt = parse(
        MadtBuilder::new(0xfee0_0000, 0)
            .local_apic(0, 0, ENABLED)
            .local_apic(1, 1, 0) // absent: neither enabled nor online-capable
            .local_apic(2, 2, ONLINE_CAPABLE)
            .x2apic(0, ENABLED, 0) // same processor again, as an x2APIC
            .build(),
    )
    .unwrap();
    assert_eq!(madt.cpus.iter().map(|c| c.apic_id).collect::<Vec<_>>(), [0, 2]);
    assert_eq!((madt.unusable_cpus, madt.duplicate_cpus), (1, 1));
}

#[test]
fn nmi_sources_and_local_apic_nmis() {
    let madt =
        parse(MadtBuilder::new(0xfee0_0000, 0).nmi_source(0x000d, 23).local_apic_nmi(3, 0x0005, 1).build()).unwrap();
    assert_eq!(madt.nmi_sources.as_slice(), [NmiSource { gsi: 23, flags: InterruptFlags::from_bits(0x000d) }]);
    assert_eq!(
        madt.local_nmis.as_slice(),
        [LocalApicNmi { processors: Processors::Uid(3), lint: 1, flags: InterruptFlags::from_bits(5) }]
    );
}

#[test]
fn local_apic_address_override() {
    let madt = parse(MadtBuilder::new(0xfee0_0000, 0).local_apic_address_override(0x1_fee0_0000).build()).unwrap();
    assert_eq!(madt.local_apic_address, 0x1_fee0_0000);
    // A zero override is not believed.
    let madt = parse(MadtBuilder::new(0xfee0_0000, 0).local_apic_address_override(0).build()).unwrap();
    assert_eq!(madt.local_apic_address, 0xfee0_0000);
}

#[test]
fn unknown_entries_are_skipped_by_length() {
    let madt = parse(
        MadtBuilder::new(0xfee0_0000, 0)
            .raw(&[0x0b, 80]) // GICC, 80 bytes
            .raw(&[0; 78])
            .raw(&[0x80, 2]) // OEM-reserved, header only
            .raw(&[0x10, 3, 0xff]) // 0x10 (multiprocessor wakeup) with an odd length
            .local_apic(0, 7, ENABLED)
            .build(),
    )
    .unwrap();
    assert_eq!(madt.unknown_entries, 3);
    assert_eq!(madt.cpus.as_slice(), [cpu(7, 0)]);
}

#[test]
fn longer_known_entries_from_newer_revisions_are_accepted() {
    // A local APIC entry with 4 extra bytes: the fields read are the first 8.
    let madt = parse(
        MadtBuilder::new(0xfee0_0000, 0)
            .raw(&[0, 12, 5, 6, 1, 0, 0, 0, 0xee, 0xee, 0xee, 0xee])
            .local_apic(1, 9, ENABLED)
            .build(),
    )
    .unwrap();
    assert_eq!(madt.cpus.as_slice(), [cpu(6, 5), cpu(9, 1)]);
}

#[test]
fn zero_length_entry_stops_with_an_error() {
    let m = MadtBuilder::new(0xfee0_0000, 0).local_apic(0, 0, ENABLED).raw(&[0, 0, 0, 0]);
    assert_eq!(parse(m.build()), Err(Error::MadtEntryTooShort { offset: 52, entry_type: 0, length: 0 }));
    let m = MadtBuilder::new(0xfee0_0000, 0).raw(&[0x42, 1, 0, 0]);
    assert_eq!(parse(m.build()), Err(Error::MadtEntryTooShort { offset: 44, entry_type: 0x42, length: 1 }));
}

#[test]
fn entry_shorter_than_its_type_needs_is_an_error() {
    let cases: [(u8, u8); 8] = [(0, 7), (1, 11), (2, 9), (3, 7), (4, 5), (5, 11), (9, 15), (0xa, 11)];
    for (entry_type, length) in cases {
        let mut entry = vec![0u8; usize::from(length)];
        entry[0] = entry_type;
        entry[1] = length;
        let m = MadtBuilder::new(0xfee0_0000, 0).raw(&entry);
        assert_eq!(
            parse(m.build()),
            Err(Error::MadtEntryTooShort { offset: 44, entry_type, length }),
            "type {entry_type}"
        );
    }
}

#[test]
fn entry_running_past_the_table_is_an_error() {
    let m = MadtBuilder::new(0xfee0_0000, 0).raw(&[0x42, 200, 0, 0]);
    assert_eq!(parse(m.build()), Err(Error::MadtEntryPastEnd { offset: 44, length: 200 }));
    let m = MadtBuilder::new(0xfee0_0000, 0).local_apic(0, 0, ENABLED).raw(&[9]);
    assert_eq!(parse(m.build()), Err(Error::MadtEntryPastEnd { offset: 52, length: 0 }));
}

#[test]
fn too_many_entries_is_an_error() {
    let mut m = MadtBuilder::new(0xfee0_0000, 0);
    for _ in 0..=MAX_MADT_ENTRIES {
        m = m.raw(&[0x42, 2]);
    }
    assert_eq!(parse(m.build()), Err(Error::MadtTooManyEntries));
}

#[test]
fn capacity_overflow_is_reported_not_hidden() {
    let mut m = MadtBuilder::new(0xfee0_0000, 0);
    for i in 0..100u32 {
        m = m.x2apic(i, ENABLED, i);
    }
    for i in 0..10u8 {
        m = m.io_apic(i, 0xfec0_0000 + u32::from(i) * 0x1000, u32::from(i) * 24);
    }
    for i in 0..30u8 {
        m = m.source_override(0, i, u32::from(i), 0);
    }
    for i in 0..70u32 {
        m = m.x2apic_nmi(0, i, 1);
    }
    let madt = parse(m.build()).unwrap();
    assert_eq!((madt.cpus.len(), madt.cpus.dropped()), (MAX_CPUS, 100 - MAX_CPUS as u32));
    assert_eq!((madt.io_apics.len(), madt.io_apics.dropped()), (MAX_IO_APICS, 2));
    assert_eq!((madt.overrides.len(), madt.overrides.dropped()), (MAX_OVERRIDES, 6));
    assert_eq!((madt.local_nmis.len(), madt.local_nmis.dropped()), (MAX_LOCAL_NMIS, 70 - MAX_LOCAL_NMIS as u32));
    assert!(madt.cpus.overflowed() && madt.io_apics.overflowed() && madt.overrides.overflowed());
    // What was kept is the first of each, in order.
    assert_eq!(madt.cpus.last().unwrap().apic_id, MAX_CPUS as u32 - 1);
}

#[test]
fn header_shorter_than_the_fixed_fields_is_an_error() {
    let bytes = relength(&MadtBuilder::new(0xfee0_0000, 0).build(), 40);
    assert_eq!(parse(bytes), Err(Error::TableTooShort { signature: Signature::MADT, length: 40 }));
}

#[test]
fn wrong_table_is_refused() {
    let mut mem = FakeMemory::new();
    mem.put(HPET_AT, hpet(0, 0xfed0_0000));
    let table = Table::load(&mem, HPET_AT).unwrap();
    assert_eq!(
        Madt::parse(&mem, &table),
        Err(Error::BadSignature { expected: Signature::MADT, found: Signature::HPET })
    );
}

#[test]
fn a_shortened_length_field_is_an_error_unless_it_ends_on_an_entry() {
    let builder = qemu_madt(2)
        .x2apic(400, ENABLED, 400)
        .nmi_source(0, 22)
        .local_apic_address_override(0xfee0_0000)
        .x2apic_nmi(0, 400, 1);
    let whole = builder.build();
    let boundaries = builder.entry_boundaries();
    let full = parse(whole.clone()).unwrap();
    for length in 36..whole.len() {
        let result = parse(relength(&whole, length));
        if length < 44 {
            assert!(matches!(result, Err(Error::TableTooShort { .. })), "{length}");
        } else if boundaries.contains(&length) {
            let madt = result.unwrap_or_else(|e| panic!("{length}: {e}"));
            assert!(madt.cpus.len() <= full.cpus.len());
            assert!(madt.overrides.len() <= full.overrides.len());
        } else {
            assert!(
                matches!(result, Err(Error::MadtEntryPastEnd { .. } | Error::MadtEntryTooShort { .. })),
                "{length}: {result:?}"
            );
        }
    }
}

/// The MADT of the machine running the tests, when it is readable (Linux
/// makes it root-only). Whatever it holds must parse.
#[test]
fn host_madt_parses_if_readable() {
    let Ok(bytes) = std::fs::read("/sys/firmware/acpi/tables/APIC") else {
        eprintln!("host MADT not readable; skipped");
        return;
    };
    let mem = SliceMemory::new(0x1000, &bytes);
    let table = Table::load(&mem, 0x1000).expect("host MADT header and checksum");
    let madt = Madt::parse(&mem, &table).expect("host MADT entries");
    assert!(!madt.cpus.is_empty(), "{madt:#?}");
    assert!(madt.cpus.iter().any(|c| c.enabled));
    assert!(madt.local_apic_address != 0);
    eprintln!(
        "host MADT: {} CPUs, {} I/O APICs, {} overrides, 8259s: {}",
        madt.cpus.len(),
        madt.io_apics.len(),
        madt.overrides.len(),
        madt.legacy_pics()
    );
}

#[test]
fn nmi_inputs_of_a_processor() {
    let madt = parse(
        MadtBuilder::new(0xfee0_0000, PCAT_COMPAT)
            .local_apic(0, 0, ENABLED)
            .x2apic(0x1_0000, ENABLED, 300)
            .x2apic_nmi(0x0005, 0xffff_ffff, 1) // every processor: LINT1
            .x2apic_nmi(0x000f, 300, 0) // UID 300 (APIC ID 0x10000) also: LINT0, active low
            .local_apic_nmi(7, 0x000f, 1) // a UID no processor has
            .local_apic_nmi(0, 0x000d, 5) // LINT5 does not exist
            .build(),
    )
    .unwrap();
    let edge_high = InterruptFlags { polarity: PolarityFlag::ActiveHigh, trigger: TriggerFlag::Edge };
    let level_low = InterruptFlags { polarity: PolarityFlag::ActiveLow, trigger: TriggerFlag::Level };
    assert_eq!(madt.nmi_inputs(0), [None, Some(edge_high)]);
    assert_eq!(madt.nmi_inputs(0x1_0000), [Some(level_low), Some(edge_high)]);
    // An APIC ID the table does not list still gets the entries for all.
    assert_eq!(madt.nmi_inputs(9), [None, Some(edge_high)]);
    // QEMU's table: one entry, every processor, LINT1.
    assert_eq!(parse(qemu_madt(1).build()).unwrap().nmi_inputs(0), [None, Some(InterruptFlags::default())]);
    // No entries: nothing (the PC convention is the kernel's to apply).
    assert_eq!(
        parse(MadtBuilder::new(0xfee0_0000, 0).local_apic(0, 0, ENABLED).build()).unwrap().nmi_inputs(0),
        [None, None]
    );
}
