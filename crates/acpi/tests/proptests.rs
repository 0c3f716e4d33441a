//! Arbitrary and truncated inputs: nothing panics, nothing loops, and a
//! table cut short is always refused.

mod support;

use acpi::{discover, Error, Fadt, Hpet, Madt, RootKind, Rsdp, Table, TableDirectory, MAX_ROOT_ENTRIES};
use proptest::prelude::*;
use support::*;

/// A MADT entry of a known or unknown type, with a length that may be a lie.
fn madt_entry() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![0u8..=10, any::<u8>()],
        prop_oneof![Just(None), (0u8..=24).prop_map(Some)],
        proptest::collection::vec(any::<u8>(), 0..24),
    )
        .prop_map(|(entry_type, length, payload)| {
            let mut entry = vec![entry_type, 0];
            entry.extend_from_slice(&payload);
            // Usually an honest length; sometimes any value at all.
            entry[1] = length.unwrap_or(entry.len().min(255) as u8);
            entry
        })
}

fn load_and_parse_madt(bytes: Vec<u8>) -> Result<Madt, Error> {
    let mut mem = FakeMemory::new();
    mem.put(MADT_AT, bytes);
    let table = Table::load(&mem, MADT_AT)?;
    Madt::parse(&mem, &table)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_madt_body_never_panics(body in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = load_and_parse_madt(table(b"APIC", 5, &body));
    }

    #[test]
    fn random_madt_entries_never_panic(
        entries in proptest::collection::vec(madt_entry(), 0..80),
        flags in any::<u32>(),
    ) {
        let mut builder = MadtBuilder::new(0xfee0_0000, flags);
        for entry in &entries {
            builder = builder.raw(entry);
        }
        if let Ok(madt) = load_and_parse_madt(builder.build()) {
            prop_assert!(madt.cpus.len() <= madt.cpus.len() + madt.cpus.dropped() as usize);
            for irq in 0..16 {
                let _ = madt.isa_irq_to_gsi(irq);
            }
        }
    }

    #[test]
    fn random_table_headers_never_panic(header in proptest::collection::vec(any::<u8>(), 36..80)) {
        let mut mem = FakeMemory::new();
        mem.put(MADT_AT, header);
        if let Ok(table) = Table::load(&mem, MADT_AT) {
            let _ = Madt::parse(&mem, &table);
            let _ = Hpet::parse(&mem, &table);
            let _ = Fadt::parse(&mem, &table);
        }
    }

    #[test]
    fn random_rsdp_bytes_never_panic(
        mut bytes in proptest::collection::vec(any::<u8>(), 0..64),
        signed in any::<bool>(),
        fix in any::<bool>(),
    ) {
        if signed && bytes.len() >= 8 {
            bytes[..8].copy_from_slice(b"RSD PTR ");
        }
        if fix && bytes.len() >= 20 {
            fix_checksum(&mut bytes[..20], 8);
        }
        let mut mem = FakeMemory::new();
        mem.put(0xe_0000, bytes);
        let _ = Rsdp::at(&mem, 0xe_0000);
        let _ = Rsdp::scan_bios(&mem);
        let _ = discover(&mem, 0xe_0000);
    }

    #[test]
    fn random_xsdt_body_never_panics_and_accounts_for_every_entry(
        body in proptest::collection::vec(any::<u8>(), 0..2400),
        pointers in proptest::collection::vec(
            prop_oneof![
                Just(MADT_AT), Just(HPET_AT), Just(FADT_AT), Just(0u64), any::<u64>()
            ],
            0..300,
        ),
    ) {
        let mut mem = q35_machine();
        mem.put(XSDT_AT, table(b"XSDT", 1, &body));
        let _ = TableDirectory::walk_root(&mem, XSDT_AT, RootKind::Xsdt);

        mem.put(XSDT_AT, xsdt(&pointers));
        let d = TableDirectory::walk_root(&mem, XSDT_AT, RootKind::Xsdt).unwrap();
        let seen = d.tables.len() + d.tables.dropped() as usize
            + d.skipped.len() + d.skipped.dropped() as usize;
        prop_assert_eq!(seen, pointers.len().min(MAX_ROOT_ENTRIES as usize));
        prop_assert_eq!(d.unvisited as usize, pointers.len().saturating_sub(MAX_ROOT_ENTRIES as usize));
        let _ = discover(&mem, RSDP_AT);
    }

    /// Any table, cut short in memory anywhere, is refused.
    #[test]
    fn truncated_table_in_memory_is_refused(which in 0usize..6, cut in any::<prop::sample::Index>()) {
        let whole = match which {
            0 => qemu_madt(4).x2apic(300, ENABLED, 300).x2apic_nmi(0, 300, 1).build(),
            1 => hpet(0, 0xfed0_0000),
            2 => fadt(6, 276, 0x7ffe_5000, 1 << 10),
            3 => fadt(1, 116, 0x7ffe_5000, 0),
            4 => xsdt(&[MADT_AT, HPET_AT]),
            _ => rsdt(&[MADT_AT as u32]),
        };
        let keep = cut.index(whole.len());
        let mut mem = FakeMemory::new();
        mem.put(0x9000, whole[..keep].to_vec());
        prop_assert!(Table::load(&mem, 0x9000).is_err());
    }

    /// An RSDP cut short in memory is refused.
    #[test]
    fn truncated_rsdp_is_refused(v2 in any::<bool>(), cut in any::<prop::sample::Index>()) {
        let (whole, needed) = if v2 { (rsdp_v2(0x1000, 0x2000), 36) } else { (rsdp_v1(0x1000), 20) };
        let keep = cut.index(needed);
        let mut mem = FakeMemory::new();
        mem.put(0x9000, whole[..keep].to_vec());
        prop_assert!(Rsdp::at(&mem, 0x9000).is_err());
    }
}

/// Exhaustively: every in-memory truncation of every table of the q35-like
/// machine makes that table's load fail, and the other tables still load.
#[test]
fn every_truncation_of_every_machine_table_is_refused() {
    for at in [XSDT_AT, RSDT_AT, MADT_AT, HPET_AT, FADT_AT, SSDT_AT] {
        let whole = {
            let mut mem = q35_machine();
            std::mem::take(mem.get_mut(at))
        };
        for keep in 0..whole.len() {
            let mut mem = q35_machine();
            mem.put(at, whole[..keep].to_vec());
            assert!(Table::load(&mem, at).is_err(), "{at:#x} kept {keep}");
            let p = discover(&mem, 0);
            match at {
                XSDT_AT => {
                    let p = p.unwrap();
                    assert_eq!(p.tables.kind, RootKind::Rsdt);
                    assert!(p.tables.xsdt_error.is_some());
                }
                RSDT_AT => assert!(p.is_ok()),
                _ => {
                    let p = p.unwrap();
                    assert_eq!(p.tables.skipped.len(), 1, "{at:#x} kept {keep}");
                    assert_eq!(p.tables.skipped[0].paddr, at);
                }
            }
        }
    }
}
