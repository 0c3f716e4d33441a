//! Parsing the HPET table.

mod support;

use acpi::{Error, Hpet, Signature, Table, HPET_LEN};
use support::*;

fn parse(bytes: Vec<u8>) -> Result<Hpet, Error> {
    let mut mem = FakeMemory::new();
    mem.put(HPET_AT, bytes);
    let table = Table::load(&mem, HPET_AT)?;
    Hpet::parse(&mem, &table)
}

#[test]
fn qemu_hpet() {
    let hpet = parse(hpet(0, 0xfed0_0000)).unwrap();
    assert_eq!(
        hpet,
        Hpet {
            base_address: 0xfed0_0000,
            event_timer_block_id: 0x8086_a201,
            hardware_revision: 1,
            comparator_count: 3,
            counter_is_64bit: true,
            legacy_replacement_capable: true,
            pci_vendor_id: 0x8086,
            hpet_number: 0,
            minimum_tick: 0x80,
            page_protection: 1,
        }
    );
}

#[test]
fn capability_bits_decode_independently() {
    let mut bytes = hpet(0, 0xfed0_0000);
    // Revision 2, last comparator 31 (so 32 of them), 32-bit counter, no
    // legacy replacement, vendor 0x1022.
    put_u32(&mut bytes, 36, 0x1022_1f02);
    fix_checksum(&mut bytes, 9);
    let hpet = parse(bytes).unwrap();
    assert_eq!(hpet.hardware_revision, 2);
    assert_eq!(hpet.comparator_count, 32);
    assert!(!hpet.counter_is_64bit);
    assert!(!hpet.legacy_replacement_capable);
    assert_eq!(hpet.pci_vendor_id, 0x1022);
}

#[test]
fn registers_must_be_in_system_memory() {
    assert_eq!(parse(hpet(1, 0x40)), Err(Error::HpetNotSystemMemory { address_space: 1 }));
    assert_eq!(parse(hpet(0, 0)), Err(Error::HpetNullAddress));
}

#[test]
fn every_short_length_is_an_error() {
    let whole = hpet(0, 0xfed0_0000);
    assert_eq!(whole.len(), HPET_LEN as usize);
    for length in 36..whole.len() {
        assert_eq!(
            parse(relength(&whole, length)),
            Err(Error::TableTooShort { signature: Signature::HPET, length: length as u32 }),
        );
    }
}

#[test]
fn a_longer_table_is_accepted() {
    let mut body = hpet(0, 0xfed0_0000)[36..].to_vec();
    body.extend_from_slice(&[0; 8]);
    assert_eq!(parse(table(b"HPET", 1, &body)).unwrap().base_address, 0xfed0_0000);
}
