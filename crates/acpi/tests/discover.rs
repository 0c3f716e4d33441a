//! The whole boot-time path: RSDP, root table, MADT, HPET, FADT.

mod support;

use acpi::{discover, Error, Polarity, RootKind, Signature, Trigger};
use support::*;

#[test]
fn q35_like_machine_by_scanning() {
    let mem = q35_machine();
    let p = discover(&mem, 0).unwrap();
    assert_eq!(p.rsdp.paddr, RSDP_AT);
    assert_eq!(p.tables.kind, RootKind::Xsdt);
    let madt = p.madt.unwrap().unwrap();
    assert_eq!(madt.cpus.len(), 4);
    assert!(madt.legacy_pics());
    assert_eq!(madt.isa_irq_to_gsi(0), (2, Polarity::ActiveHigh, Trigger::Edge));
    let hpet = p.hpet.unwrap().unwrap();
    assert_eq!(hpet.base_address, 0xfed0_0000);
    let fadt = p.fadt.unwrap().unwrap();
    assert_eq!(fadt.dsdt_address, Some(DSDT_AT));
    assert_eq!(fadt.pm1a_control.and_then(|r| r.io_port()), Some(0x604));
}

#[test]
fn pc_like_machine_from_a_boot_protocol_hint() {
    let mem = pc_machine();
    let p = discover(&mem, RSDP_AT).unwrap();
    assert_eq!(p.rsdp.revision, 0);
    assert_eq!(p.tables.kind, RootKind::Rsdt);
    assert_eq!(p.madt.unwrap().unwrap().cpus.len(), 1);
    assert_eq!(p.fadt.unwrap().unwrap().boot_arch, None);
}

#[test]
fn absent_and_malformed_tables_are_told_apart() {
    let mut mem = q35_machine();
    // Drop the HPET from the XSDT; break the MADT's first entry (and fix the
    // checksum, so the table itself is good).
    mem.put(XSDT_AT, xsdt(&[FADT_AT, MADT_AT, SSDT_AT]));
    let madt = mem.get_mut(MADT_AT);
    madt[45] = 0;
    fix_checksum(madt, 9);
    let p = discover(&mem, 0).unwrap();
    assert_eq!(p.hpet, None);
    assert_eq!(p.madt, Some(Err(Error::MadtEntryTooShort { offset: 44, entry_type: 0, length: 0 })));
    assert!(p.fadt.unwrap().is_ok());
}

#[test]
fn a_bad_table_is_skipped_and_a_later_good_one_used() {
    let mut mem = q35_machine();
    let spare_madt = 0x7ffe_7000;
    mem.put(spare_madt, qemu_madt(2).build());
    mem.put(XSDT_AT, xsdt(&[FADT_AT, MADT_AT, HPET_AT, spare_madt]));
    mem.get_mut(MADT_AT)[50] ^= 0xff;
    let p = discover(&mem, 0).unwrap();
    assert_eq!(p.tables.skipped.len(), 1);
    assert_eq!(p.tables.skipped[0].error, Error::BadChecksum { signature: Signature::MADT });
    assert_eq!(p.madt.unwrap().unwrap().cpus.len(), 2);
}

#[test]
fn no_acpi_at_all() {
    let mem = FakeMemory::new();
    assert_eq!(discover(&mem, 0), Err(Error::RsdpNotFound));
}
