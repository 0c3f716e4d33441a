//! Synthetic ACPI tables and a fake physical memory to serve them.
//!
//! The builders write exactly the bytes a test asks for, from the layouts in
//! the ACPI specification, and know nothing of the `acpi` crate's decoders,
//! so the reader is checked against an independent writer. Checksums are
//! computed unless a test breaks them on purpose.
#![allow(dead_code)]

use acpi::{PhysMemory, ReadFailed};
use std::cell::Cell;
use std::collections::BTreeMap;

/// Physical memory made of separate byte buffers at chosen addresses; every
/// other address is unreadable. A read must fall inside a single buffer.
#[derive(Default)]
pub struct FakeMemory {
    regions: BTreeMap<u64, Vec<u8>>,
    reads: Cell<u64>,
}

impl FakeMemory {
    pub fn new() -> Self {
        Self::default()
    }

    /// Places `bytes` at `paddr`: written into the buffer that already
    /// covers that range, if one does, else as a buffer of its own (replacing
    /// any that starts at `paddr`).
    pub fn put(&mut self, paddr: u64, bytes: Vec<u8>) -> &mut Self {
        if let Some((start, region)) = self.regions.range_mut(..=paddr).next_back() {
            let offset = (paddr - start) as usize;
            if *start != paddr && offset + bytes.len() <= region.len() {
                region[offset..offset + bytes.len()].copy_from_slice(&bytes);
                return self;
            }
        }
        self.regions.insert(paddr, bytes);
        self
    }

    /// Removes the buffer that starts at `paddr`.
    pub fn remove(&mut self, paddr: u64) -> &mut Self {
        self.regions.remove(&paddr);
        self
    }

    /// The buffer placed at `paddr`, to corrupt it in place.
    pub fn get_mut(&mut self, paddr: u64) -> &mut Vec<u8> {
        self.regions.get_mut(&paddr).expect("no buffer at that address")
    }

    /// How many reads were asked for so far.
    pub fn reads(&self) -> u64 {
        self.reads.get()
    }
}

impl PhysMemory for FakeMemory {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadFailed> {
        self.reads.set(self.reads.get() + 1);
        let (start, bytes) = self.regions.range(..=paddr).next_back().ok_or(ReadFailed)?;
        let offset = usize::try_from(paddr - start).map_err(|_| ReadFailed)?;
        let end = offset.checked_add(buf.len()).ok_or(ReadFailed)?;
        buf.copy_from_slice(bytes.get(offset..end).ok_or(ReadFailed)?);
        Ok(())
    }
}

/// Sets `bytes[at]` so that all of `bytes` sums to zero.
pub fn fix_checksum(bytes: &mut [u8], at: usize) {
    bytes[at] = 0;
    let sum = bytes.iter().fold(0u8, |a, b| a.wrapping_add(*b));
    bytes[at] = 0u8.wrapping_sub(sum);
}

pub fn put_u16(bytes: &mut [u8], at: usize, value: u16) {
    bytes[at..at + 2].copy_from_slice(&value.to_le_bytes());
}

pub fn put_u32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

pub fn put_u64(bytes: &mut [u8], at: usize, value: u64) {
    bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
}

/// Writes a Generic Address Structure at `at`.
pub fn put_gas(bytes: &mut [u8], at: usize, space: u8, width: u8, access: u8, address: u64) {
    bytes[at] = space;
    bytes[at + 1] = width;
    bytes[at + 2] = 0;
    bytes[at + 3] = access;
    put_u64(bytes, at + 4, address);
}

// ---------------------------------------------------------------- RSDP ----

/// An ACPI 1.0 RSDP (20 bytes, revision 0).
pub fn rsdp_v1(rsdt: u32) -> Vec<u8> {
    let mut b = vec![0u8; 20];
    b[..8].copy_from_slice(b"RSD PTR ");
    b[9..15].copy_from_slice(b"HELCTC");
    b[15] = 0;
    put_u32(&mut b, 16, rsdt);
    fix_checksum(&mut b[..20], 8);
    b
}

/// An ACPI 2.0+ RSDP (36 bytes, revision 2).
pub fn rsdp_v2(rsdt: u32, xsdt: u64) -> Vec<u8> {
    let mut b = vec![0u8; 36];
    b[..8].copy_from_slice(b"RSD PTR ");
    b[9..15].copy_from_slice(b"HELCTC");
    b[15] = 2;
    put_u32(&mut b, 16, rsdt);
    put_u32(&mut b, 20, 36);
    put_u64(&mut b, 24, xsdt);
    fix_checksum(&mut b[..20], 8);
    fix_checksum(&mut b, 32);
    b
}

// -------------------------------------------------------------- tables ----

/// A whole table: the 36-byte header (length and checksum filled in), then
/// `body`.
pub fn table(signature: &[u8; 4], revision: u8, body: &[u8]) -> Vec<u8> {
    let mut b = vec![0u8; 36];
    b[..4].copy_from_slice(signature);
    put_u32(&mut b, 4, (36 + body.len()) as u32);
    b[8] = revision;
    b[10..16].copy_from_slice(b"HELCTC");
    b[16..24].copy_from_slice(b"TESTTABL");
    put_u32(&mut b, 24, 1);
    b[28..32].copy_from_slice(b"HLCT");
    put_u32(&mut b, 32, 1);
    b.extend_from_slice(body);
    fix_checksum(&mut b, 9);
    b
}

/// Rewrites a table's length field (without changing its bytes) and fixes
/// its checksum over the new length.
pub fn relength(bytes: &[u8], length: usize) -> Vec<u8> {
    let mut b = bytes[..length.max(36)].to_vec();
    put_u32(&mut b, 4, length as u32);
    fix_checksum(&mut b, 9);
    b
}

pub fn rsdt(entries: &[u32]) -> Vec<u8> {
    let body: Vec<u8> = entries.iter().flat_map(|e| e.to_le_bytes()).collect();
    table(b"RSDT", 1, &body)
}

pub fn xsdt(entries: &[u64]) -> Vec<u8> {
    let body: Vec<u8> = entries.iter().flat_map(|e| e.to_le_bytes()).collect();
    table(b"XSDT", 1, &body)
}

/// A table of no interest to the crate, to pad the root table.
pub fn dummy(signature: &[u8; 4]) -> Vec<u8> {
    table(signature, 1, &[0xaa; 8])
}

// ---------------------------------------------------------------- MADT ----

pub const PCAT_COMPAT: u32 = 1;
pub const ENABLED: u32 = 1;
pub const ONLINE_CAPABLE: u32 = 2;

/// Builds a MADT entry by entry.
pub struct MadtBuilder {
    local_apic_address: u32,
    flags: u32,
    entries: Vec<u8>,
}

impl MadtBuilder {
    pub fn new(local_apic_address: u32, flags: u32) -> Self {
        MadtBuilder { local_apic_address, flags, entries: Vec::new() }
    }

    /// Appends raw entry bytes, type and length included.
    pub fn raw(mut self, bytes: &[u8]) -> Self {
        self.entries.extend_from_slice(bytes);
        self
    }

    /// Type 0.
    pub fn local_apic(self, uid: u8, apic_id: u8, flags: u32) -> Self {
        let f = flags.to_le_bytes();
        self.raw(&[0, 8, uid, apic_id, f[0], f[1], f[2], f[3]])
    }

    /// Type 1.
    pub fn io_apic(self, id: u8, address: u32, gsi_base: u32) -> Self {
        let mut e = vec![1, 12, id, 0];
        e.extend_from_slice(&address.to_le_bytes());
        e.extend_from_slice(&gsi_base.to_le_bytes());
        self.raw(&e)
    }

    /// Type 2.
    pub fn source_override(self, bus: u8, irq: u8, gsi: u32, flags: u16) -> Self {
        let mut e = vec![2, 10, bus, irq];
        e.extend_from_slice(&gsi.to_le_bytes());
        e.extend_from_slice(&flags.to_le_bytes());
        self.raw(&e)
    }

    /// Type 3.
    pub fn nmi_source(self, flags: u16, gsi: u32) -> Self {
        let mut e = vec![3, 8];
        e.extend_from_slice(&flags.to_le_bytes());
        e.extend_from_slice(&gsi.to_le_bytes());
        self.raw(&e)
    }

    /// Type 4.
    pub fn local_apic_nmi(self, uid: u8, flags: u16, lint: u8) -> Self {
        let f = flags.to_le_bytes();
        self.raw(&[4, 6, uid, f[0], f[1], lint])
    }

    /// Type 5.
    pub fn local_apic_address_override(self, address: u64) -> Self {
        let mut e = vec![5, 12, 0, 0];
        e.extend_from_slice(&address.to_le_bytes());
        self.raw(&e)
    }

    /// Type 9.
    pub fn x2apic(self, x2apic_id: u32, flags: u32, uid: u32) -> Self {
        let mut e = vec![9, 16, 0, 0];
        e.extend_from_slice(&x2apic_id.to_le_bytes());
        e.extend_from_slice(&flags.to_le_bytes());
        e.extend_from_slice(&uid.to_le_bytes());
        self.raw(&e)
    }

    /// Type 0xA.
    pub fn x2apic_nmi(self, flags: u16, uid: u32, lint: u8) -> Self {
        let mut e = vec![0xa, 12];
        e.extend_from_slice(&flags.to_le_bytes());
        e.extend_from_slice(&uid.to_le_bytes());
        e.extend_from_slice(&[lint, 0, 0, 0]);
        self.raw(&e)
    }

    /// The table bytes.
    pub fn build(&self) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&self.local_apic_address.to_le_bytes());
        body.extend_from_slice(&self.flags.to_le_bytes());
        body.extend_from_slice(&self.entries);
        table(b"APIC", 5, &body)
    }

    /// Offsets (within the table) at which entries start, and the end.
    pub fn entry_boundaries(&self) -> Vec<usize> {
        let mut at = 0;
        let mut out = vec![44];
        while at < self.entries.len() {
            at += self.entries[at + 1] as usize;
            out.push(44 + at);
        }
        out
    }
}

/// What QEMU's q35 and pc machines emit for `cpus` processors: a local APIC
/// per CPU, one I/O APIC at GSI 0, IRQ 0 rerouted to GSI 2 (flags
/// "conforming"), the PCI link IRQs 5, 9, 10 and 11 level-triggered active
/// high, and LINT1 as NMI on every processor.
pub fn qemu_madt(cpus: u8) -> MadtBuilder {
    let mut m = MadtBuilder::new(0xfee0_0000, PCAT_COMPAT);
    for i in 0..cpus {
        m = m.local_apic(i, i, ENABLED);
    }
    m = m.io_apic(0, 0xfec0_0000, 0).source_override(0, 0, 2, 0);
    for irq in [5, 9, 10, 11] {
        m = m.source_override(0, irq, irq as u32, 0x000d);
    }
    m.local_apic_nmi(0xff, 0, 1)
}

// ---------------------------------------------------------------- HPET ----

/// An HPET table as QEMU emits it: block ID 0x8086a201 (revision 1, three
/// comparators, 64-bit counter, legacy replacement capable, vendor Intel).
pub fn hpet(space: u8, address: u64) -> Vec<u8> {
    let mut body = vec![0u8; 20];
    put_u32(&mut body, 0, 0x8086_a201);
    put_gas(&mut body, 4, space, 0, 0, address);
    body[16] = 0; // HPET number
    put_u16(&mut body, 17, 0x0080); // minimum tick
    body[19] = 1; // 4 KiB page protected
    table(b"HPET", 1, &body)
}

// ---------------------------------------------------------------- FADT ----

/// A FADT of `length` bytes (116, 244, 268 or 276) with the fields a PC
/// chipset sets: PM1a control at port 0x604 (2 bytes), PM timer at 0x608,
/// SCI on IRQ 9, the DSDT at `dsdt`.
pub fn fadt(revision: u8, length: usize, dsdt: u32, flags: u32) -> Vec<u8> {
    let mut body = vec![0u8; length - 36];
    let b = &mut body;
    let at = |offset: usize| offset - 36;
    put_u32(b, at(40), dsdt);
    put_u16(b, at(46), 9);
    put_u32(b, at(48), 0xb2);
    b[at(52)] = 0xf1;
    b[at(53)] = 0xf0;
    put_u32(b, at(56), 0x600);
    put_u32(b, at(64), 0x604);
    put_u32(b, at(76), 0x608);
    b[at(88)] = 4;
    b[at(89)] = 2;
    b[at(91)] = 4;
    b[at(108)] = 0x32;
    put_u16(b, at(109), 0x0003); // legacy devices, 8042
    put_u32(b, at(112), flags);
    if length >= 244 {
        put_gas(b, at(116), 1, 8, 1, 0xcf9);
        b[at(128)] = 0x0f;
    }
    table(b"FACP", revision, &body)
}

/// Offsets of FADT fields the tests poke.
pub mod fadt_at {
    pub const X_DSDT: usize = 140;
    pub const X_PM1A_CNT_BLK: usize = 172;
    pub const SLEEP_CONTROL_REG: usize = 244;
    pub const SLEEP_STATUS_REG: usize = 256;
}

// ------------------------------------------------------------ machines ----

pub const RSDP_AT: u64 = 0xf_5a40;
pub const RSDT_AT: u64 = 0x7ffe_0000;
pub const XSDT_AT: u64 = 0x7ffe_1000;
pub const MADT_AT: u64 = 0x7ffe_2000;
pub const HPET_AT: u64 = 0x7ffe_3000;
pub const FADT_AT: u64 = 0x7ffe_4000;
pub const DSDT_AT: u64 = 0x7ffe_5000;
pub const SSDT_AT: u64 = 0x7ffe_6000;

/// A QEMU-q35-like machine with an ACPI 2.0 RSDP in the BIOS area, an XSDT
/// and an RSDT naming the same FADT, MADT (4 CPUs), HPET and an SSDT.
pub fn q35_machine() -> FakeMemory {
    let mut mem = FakeMemory::new();
    let tables = [FADT_AT, MADT_AT, HPET_AT, SSDT_AT];
    mem.put(RSDP_AT, rsdp_v2(RSDT_AT as u32, XSDT_AT));
    mem.put(RSDT_AT, rsdt(&tables.map(|t| t as u32)));
    mem.put(XSDT_AT, xsdt(&tables));
    mem.put(FADT_AT, fadt(3, 244, DSDT_AT as u32, 0x0000_04a5));
    mem.put(MADT_AT, qemu_madt(4).build());
    mem.put(HPET_AT, hpet(0, 0xfed0_0000));
    mem.put(SSDT_AT, dummy(b"SSDT"));
    mem
}

/// A QEMU-pc-like machine: ACPI 1.0 RSDP, RSDT only, a 116-byte FADT.
pub fn pc_machine() -> FakeMemory {
    let mut mem = FakeMemory::new();
    mem.put(RSDP_AT, rsdp_v1(RSDT_AT as u32));
    mem.put(RSDT_AT, rsdt(&[FADT_AT as u32, MADT_AT as u32, HPET_AT as u32]));
    mem.put(FADT_AT, fadt(1, 116, DSDT_AT as u32, 0x0000_01a5));
    mem.put(MADT_AT, qemu_madt(1).build());
    mem.put(HPET_AT, hpet(0, 0xfed0_0000));
    mem
}
