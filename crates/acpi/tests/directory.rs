//! Walking the XSDT or RSDT and checking each table.

mod support;

use acpi::{
    Error, RootKind, Rsdp, Signature, SkippedTable, Table, TableDirectory, MAX_ROOT_ENTRIES, MAX_SKIPPED, MAX_TABLES,
    MAX_TABLE_LEN,
};
use support::*;

fn walk(mem: &FakeMemory) -> Result<TableDirectory, Error> {
    let rsdp = Rsdp::find(mem, RSDP_AT)?;
    TableDirectory::walk(mem, &rsdp)
}

fn signatures(directory: &TableDirectory) -> Vec<Signature> {
    directory.tables.iter().map(|t| t.signature).collect()
}

#[test]
fn rsdt_only_machine() {
    let mem = pc_machine();
    let d = walk(&mem).unwrap();
    assert_eq!(d.kind, RootKind::Rsdt);
    assert_eq!(d.root.paddr, RSDT_AT);
    assert_eq!(d.xsdt_error, None);
    assert_eq!(signatures(&d), [Signature::FADT, Signature::MADT, Signature::HPET]);
    assert!(d.skipped.is_empty());
    assert_eq!(d.find(Signature::MADT).unwrap().paddr, MADT_AT);
    assert_eq!(d.find(Signature::DSDT), None);
}

#[test]
fn xsdt_is_preferred() {
    let mem = q35_machine();
    let d = walk(&mem).unwrap();
    assert_eq!(d.kind, RootKind::Xsdt);
    assert_eq!(d.root.paddr, XSDT_AT);
    assert_eq!(d.root.signature, Signature::XSDT);
    assert_eq!(signatures(&d), [Signature::FADT, Signature::MADT, Signature::HPET, Signature(*b"SSDT")]);
    let madt = d.find(Signature::MADT).unwrap();
    assert_eq!(&madt.oem_id, b"HELCTC");
    assert_eq!(&madt.oem_table_id, b"TESTTABL");
    assert_eq!(madt.revision, 5);
}

#[test]
fn a_bad_xsdt_falls_back_to_the_rsdt_and_says_why() {
    let mut mem = q35_machine();
    mem.get_mut(XSDT_AT)[40] ^= 0x10;
    let d = walk(&mem).unwrap();
    assert_eq!(d.kind, RootKind::Rsdt);
    assert_eq!(d.xsdt_error, Some(Error::BadChecksum { signature: Signature::XSDT }));
    assert_eq!(d.tables.len(), 4);
}

#[test]
fn a_bad_xsdt_without_an_rsdt_is_fatal() {
    let mut mem = q35_machine();
    mem.put(RSDP_AT, rsdp_v2(0, XSDT_AT));
    mem.get_mut(XSDT_AT)[0] = b'R';
    let expected = Error::BadSignature { expected: Signature::XSDT, found: Signature(*b"RSDT") };
    assert_eq!(walk(&mem).unwrap_err(), expected);
}

#[test]
fn an_rsdp_without_root_tables() {
    let mut mem = FakeMemory::new();
    mem.put(RSDP_AT, rsdp_v1(0));
    assert_eq!(walk(&mem).unwrap_err(), Error::NoRootTable);
}

#[test]
fn an_unreadable_root_table_is_fatal() {
    let mut mem = pc_machine();
    mem.remove(RSDT_AT);
    assert_eq!(walk(&mem).unwrap_err(), Error::Read { paddr: RSDT_AT });
}

#[test]
fn bad_tables_are_skipped_and_reported() {
    let mut mem = q35_machine();
    mem.get_mut(HPET_AT)[50] ^= 1; // checksum
    let d = walk(&mem).unwrap();
    assert_eq!(signatures(&d), [Signature::FADT, Signature::MADT, Signature(*b"SSDT")]);
    assert_eq!(
        d.skipped.as_slice(),
        [SkippedTable { paddr: HPET_AT, error: Error::BadChecksum { signature: Signature::HPET } }]
    );
}

#[test]
fn every_kind_of_bad_entry_is_reported() {
    let mut mem = FakeMemory::new();
    let short_at = 0x10_0000;
    let long_at = 0x20_0000;
    let truncated_at = 0x30_0000;
    let missing_at = 0x40_0000;
    let wrapping_at = u64::MAX - 40;
    let good_at = 0x50_0000;
    let mut short = dummy(b"SHRT");
    put_u32(&mut short, 4, 35);
    let mut long = dummy(b"LONG");
    put_u32(&mut long, 4, MAX_TABLE_LEN + 1);
    let mut truncated = dummy(b"TRNC");
    truncated.pop();
    let mut wrapping = dummy(b"WRAP");
    put_u32(&mut wrapping, 4, 64);
    mem.put(short_at, short);
    mem.put(long_at, long);
    mem.put(truncated_at, truncated);
    mem.put(wrapping_at, wrapping);
    mem.put(good_at, dummy(b"GOOD"));
    let entries = [0, short_at, long_at, truncated_at, missing_at, wrapping_at, good_at];
    mem.put(RSDP_AT, rsdp_v2(0, XSDT_AT));
    mem.put(XSDT_AT, xsdt(&entries));
    let d = walk(&mem).unwrap();
    assert_eq!(signatures(&d), [Signature(*b"GOOD")]);
    let errors: Vec<(u64, Error)> = d.skipped.iter().map(|s| (s.paddr, s.error)).collect();
    assert_eq!(
        errors,
        [
            (0, Error::NullTable),
            (short_at, Error::TableTooShort { signature: Signature(*b"SHRT"), length: 35 }),
            (long_at, Error::TableTooLong { signature: Signature(*b"LONG"), length: MAX_TABLE_LEN + 1 }),
            (truncated_at, Error::Read { paddr: truncated_at }),
            (missing_at, Error::Read { paddr: missing_at }),
            (wrapping_at, Error::AddressOverflow),
        ]
    );
}

#[test]
fn rsdt_entries_are_32_bits_and_xsdt_entries_64() {
    let high = 0x1_0000_0000;
    let mut mem = FakeMemory::new();
    mem.put(high, dummy(b"HIGH"));
    mem.put(0x8000, dummy(b"LOW "));
    mem.put(RSDP_AT, rsdp_v2(RSDT_AT as u32, XSDT_AT));
    mem.put(XSDT_AT, xsdt(&[high, 0x8000]));
    mem.put(RSDT_AT, rsdt(&[0x8000]));
    let d = walk(&mem).unwrap();
    assert_eq!(signatures(&d), [Signature(*b"HIGH"), Signature(*b"LOW ")]);
    let d = TableDirectory::walk_root(&mem, RSDT_AT, RootKind::Rsdt).unwrap();
    assert_eq!(signatures(&d), [Signature(*b"LOW ")]);
}

#[test]
fn root_table_with_a_partial_entry_is_refused() {
    let mut bytes = xsdt(&[0x8000]);
    bytes.extend_from_slice(&[0; 4]);
    let bytes = relength(&bytes, bytes.len());
    let mut mem = FakeMemory::new();
    mem.put(XSDT_AT, bytes);
    assert_eq!(
        TableDirectory::walk_root(&mem, XSDT_AT, RootKind::Xsdt).unwrap_err(),
        Error::RootTableMisaligned { length: 48 }
    );
}

#[test]
fn an_empty_root_table_is_fine() {
    let mut mem = FakeMemory::new();
    mem.put(RSDT_AT, rsdt(&[]));
    let d = TableDirectory::walk_root(&mem, RSDT_AT, RootKind::Rsdt).unwrap();
    assert!(d.tables.is_empty() && d.skipped.is_empty() && d.unvisited == 0);
}

#[test]
fn counts_are_bounded_and_overflow_is_reported() {
    // 300 entries: 70 good tables, then 230 null pointers.
    let mut mem = FakeMemory::new();
    let mut entries = Vec::new();
    for i in 0..70u64 {
        let at = 0x100_0000 + i * 0x100;
        mem.put(at, dummy(b"SSDT"));
        entries.push(at);
    }
    entries.resize(300, 0);
    mem.put(XSDT_AT, xsdt(&entries));
    let d = TableDirectory::walk_root(&mem, XSDT_AT, RootKind::Xsdt).unwrap();
    assert_eq!(d.tables.len(), MAX_TABLES);
    assert_eq!(d.tables.dropped() as usize, 70 - MAX_TABLES);
    assert!(d.tables.overflowed());
    assert_eq!(d.skipped.len(), MAX_SKIPPED);
    assert_eq!(d.skipped.dropped() as usize, MAX_ROOT_ENTRIES as usize - 70 - MAX_SKIPPED);
    assert_eq!(d.unvisited, 300 - MAX_ROOT_ENTRIES);
}

#[test]
fn load_expecting_checks_the_signature_before_the_checksum() {
    let mut mem = FakeMemory::new();
    let mut bytes = dummy(b"SSDT");
    bytes[40] ^= 1;
    mem.put(0x8000, bytes);
    assert_eq!(
        Table::load_expecting(&mem, 0x8000, Signature::MADT),
        Err(Error::BadSignature { expected: Signature::MADT, found: Signature(*b"SSDT") })
    );
    assert_eq!(Table::load(&mem, 0x8000), Err(Error::BadChecksum { signature: Signature(*b"SSDT") }));
}
