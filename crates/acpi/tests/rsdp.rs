//! Finding and checking the RSDP.

mod support;

use acpi::{Error, Rsdp, BIOS_AREA_END, BIOS_AREA_START};
use support::*;

#[test]
fn v1_at_a_given_address() {
    let mut mem = FakeMemory::new();
    mem.put(0x9000, rsdp_v1(0x1234_5678));
    let rsdp = Rsdp::find(&mem, 0x9000).unwrap();
    assert_eq!(rsdp.paddr, 0x9000);
    assert_eq!(rsdp.revision, 0);
    assert_eq!(&rsdp.oem_id, b"HELCTC");
    assert_eq!(rsdp.rsdt_address, 0x1234_5678);
    assert_eq!(rsdp.xsdt_address, None);
    assert_eq!(rsdp.root_address(), Some(0x1234_5678));
}

#[test]
fn v1_needs_only_twenty_readable_bytes() {
    let mut mem = FakeMemory::new();
    let mut bytes = rsdp_v1(0x1000);
    bytes.truncate(20);
    mem.put(0x9000, bytes);
    assert!(Rsdp::at(&mem, 0x9000).is_ok());
}

#[test]
fn v2_prefers_the_xsdt() {
    let mut mem = FakeMemory::new();
    mem.put(0x9000, rsdp_v2(0x1000, 0x1_0000_2000));
    let rsdp = Rsdp::at(&mem, 0x9000).unwrap();
    assert_eq!(rsdp.revision, 2);
    assert_eq!(rsdp.xsdt_address, Some(0x1_0000_2000));
    assert_eq!(rsdp.root_address(), Some(0x1_0000_2000));
}

#[test]
fn v2_with_a_zero_xsdt_falls_back_to_the_rsdt() {
    let mut mem = FakeMemory::new();
    mem.put(0x9000, rsdp_v2(0x1000, 0));
    let rsdp = Rsdp::at(&mem, 0x9000).unwrap();
    assert_eq!(rsdp.xsdt_address, None);
    assert_eq!(rsdp.root_address(), Some(0x1000));
}

#[test]
fn no_root_table_at_all() {
    let mut mem = FakeMemory::new();
    mem.put(0x9000, rsdp_v1(0));
    assert_eq!(Rsdp::at(&mem, 0x9000).unwrap().root_address(), None);
}

#[test]
fn bad_signature() {
    let mut mem = FakeMemory::new();
    let mut bytes = rsdp_v1(0x1000);
    bytes[0] = b'X';
    mem.put(0x9000, bytes);
    assert_eq!(Rsdp::at(&mem, 0x9000), Err(Error::RsdpBadSignature));
}

#[test]
fn bad_v1_checksum() {
    let mut mem = FakeMemory::new();
    let mut bytes = rsdp_v2(0x1000, 0x2000);
    bytes[16] ^= 1; // RSDT address changed, neither checksum fixed
    mem.put(0x9000, bytes);
    assert_eq!(Rsdp::at(&mem, 0x9000), Err(Error::RsdpBadChecksum));
}

#[test]
fn bad_extended_checksum() {
    let mut mem = FakeMemory::new();
    let mut bytes = rsdp_v2(0x1000, 0x2000);
    bytes[24] ^= 1; // XSDT address changed: only the extended sum covers it
    mem.put(0x9000, bytes);
    assert_eq!(Rsdp::at(&mem, 0x9000), Err(Error::RsdpBadExtendedChecksum));
}

#[test]
fn bad_lengths() {
    for length in [0u32, 20, 35, 1025, u32::MAX] {
        let mut mem = FakeMemory::new();
        let mut bytes = rsdp_v2(0x1000, 0x2000);
        put_u32(&mut bytes, 20, length);
        fix_checksum(&mut bytes, 32);
        mem.put(0x9000, bytes);
        assert_eq!(Rsdp::at(&mem, 0x9000), Err(Error::RsdpBadLength(length)), "{length}");
    }
}

#[test]
fn a_longer_future_rsdp_is_checked_over_its_whole_length() {
    let mut mem = FakeMemory::new();
    let mut bytes = rsdp_v2(0x1000, 0x2000);
    bytes.extend_from_slice(&[7; 12]);
    put_u32(&mut bytes, 20, 48);
    fix_checksum(&mut bytes, 32);
    mem.put(0x9000, bytes.clone());
    assert!(Rsdp::at(&mem, 0x9000).is_ok());
    bytes[47] ^= 0xff;
    mem.put(0x9000, bytes);
    assert_eq!(Rsdp::at(&mem, 0x9000), Err(Error::RsdpBadExtendedChecksum));
}

#[test]
fn truncated_rsdp_is_a_read_error() {
    for (bytes, whole) in [(rsdp_v1(0x1000), 20), (rsdp_v2(0x1000, 0x2000), 36)] {
        for keep in 0..whole {
            let mut mem = FakeMemory::new();
            mem.put(0x9000, bytes[..keep].to_vec());
            assert!(matches!(Rsdp::at(&mem, 0x9000), Err(Error::Read { .. })), "kept {keep} of {whole}");
        }
    }
}

#[test]
fn a_bad_hint_is_not_silently_replaced_by_a_scan() {
    let mut mem = FakeMemory::new();
    mem.put(0xe_0000, rsdp_v1(0x1000));
    assert_eq!(Rsdp::find(&mem, 0x9000), Err(Error::Read { paddr: 0x9000 }));
    assert_eq!(Rsdp::find(&mem, 0).unwrap().paddr, 0xe_0000);
}

/// Low memory as a BIOS leaves it: a BDA whose word at 0x40E holds the EBDA
/// segment, the EBDA, and the read-only BIOS area, all zero-filled.
fn low_memory(ebda_segment: u16) -> FakeMemory {
    let mut mem = FakeMemory::new();
    let mut low = vec![0u8; 0xa_0000];
    put_u16(&mut low, 0x40e, ebda_segment);
    mem.put(0, low);
    mem.put(BIOS_AREA_START, vec![0u8; (BIOS_AREA_END - BIOS_AREA_START) as usize]);
    mem
}

#[test]
fn scan_finds_the_rsdp_in_the_ebda_first() {
    let mut mem = low_memory(0x9fc0);
    mem.put(0x9_fc00 + 0x3f0, rsdp_v1(0xaaaa));
    mem.put(0xf_0000, rsdp_v1(0xbbbb));
    let rsdp = Rsdp::scan_bios(&mem).unwrap();
    assert_eq!((rsdp.paddr, rsdp.rsdt_address), (0x9_fff0, 0xaaaa));
}

#[test]
fn scan_looks_only_at_the_first_kib_of_the_ebda() {
    let mut mem = low_memory(0x9000);
    mem.put(0x9_0400, rsdp_v1(0xaaaa));
    assert_eq!(Rsdp::scan_bios(&mem), Err(Error::RsdpNotFound));
}

#[test]
fn scan_ignores_an_implausible_ebda_segment() {
    // Segment 0x10 puts the "EBDA" at 0x100, inside the interrupt vectors.
    let mut mem = low_memory(0x0010);
    mem.put(0x100, rsdp_v1(0xaaaa));
    assert_eq!(Rsdp::scan_bios(&mem), Err(Error::RsdpNotFound));
}

#[test]
fn scan_finds_the_rsdp_in_the_bios_area() {
    for at in [BIOS_AREA_START, 0xf_5a40, BIOS_AREA_END - 32] {
        let mut mem = low_memory(0);
        mem.put(at, rsdp_v2(0x1000, 0x2000));
        assert_eq!(Rsdp::scan_bios(&mem).unwrap().paddr, at, "{at:#x}");
    }
}

#[test]
fn scan_only_looks_on_sixteen_byte_boundaries() {
    let mut mem = low_memory(0);
    mem.put(0xf_0008, rsdp_v1(0x1000));
    assert_eq!(Rsdp::scan_bios(&mem), Err(Error::RsdpNotFound));
}

#[test]
fn scan_passes_over_a_stale_copy() {
    let mut mem = low_memory(0);
    let mut stale = rsdp_v1(0xdead);
    stale[16] ^= 0xff;
    mem.put(0xe_1000, stale);
    mem.put(0xe_2000, rsdp_v1(0x1000));
    assert_eq!(Rsdp::scan_bios(&mem).unwrap().paddr, 0xe_2000);
}

#[test]
fn scan_of_unreadable_memory_finds_nothing() {
    let mem = FakeMemory::new();
    assert_eq!(Rsdp::scan_bios(&mem), Err(Error::RsdpNotFound));
    // One read per slot plus the EBDA pointer: bounded work.
    assert!(mem.reads() <= 1 + 64 + 8192, "{} reads", mem.reads());
}

#[test]
fn scan_finds_an_rsdp_in_sparse_memory() {
    let mut mem = FakeMemory::new();
    mem.put(0xf_5a40, rsdp_v1(0x1000));
    assert_eq!(Rsdp::scan_bios(&mem).unwrap().paddr, 0xf_5a40);
}
