//! The Multiple APIC Description Table (signature `APIC`): the processors'
//! local APICs, the I/O APICs, how ISA interrupts are rewired onto global
//! system interrupts (GSIs), where NMIs come in, and whether a pair of 8259
//! PICs is present (and must be masked before the APICs are used).
//!
//! After a 44-byte fixed part the table is a run of entries, each starting
//! with a type byte and a length byte. Unknown types are skipped by their
//! length; a length that cannot be right (below 2, below what the type
//! needs, or past the table's end) stops the parse with an error, because
//! every later entry would be read at the wrong place.

use crate::memory::PhysMemory;
use crate::table::HEADER_LEN;
use crate::{bytes, Error, FixedList, InterruptFlags, Polarity, Signature, Table, Trigger};

/// Bytes before the first entry: the header, the local APIC address and the
/// flags.
pub const MADT_HEADER_LEN: u32 = 44;
/// Usable processors remembered.
pub const MAX_CPUS: usize = 64;
/// I/O APICs remembered.
pub const MAX_IO_APICS: usize = 8;
/// Interrupt source overrides remembered (there are at most 16 ISA IRQs, but
/// firmware may also override other buses).
pub const MAX_OVERRIDES: usize = 24;
/// NMI source entries remembered.
pub const MAX_NMI_SOURCES: usize = 8;
/// Local APIC NMI entries remembered (firmware often gives one per CPU).
pub const MAX_LOCAL_NMIS: usize = 64;
/// Entries parsed before the table is refused. Each entry is at least two
/// bytes, so the loop ends anyway; this bounds the work on a huge bad table.
pub const MAX_MADT_ENTRIES: u32 = 8192;

/// Flags bit 0: the machine also has dual 8259 PICs.
const PCAT_COMPAT: u32 = 1 << 0;
/// Local (x2)APIC flags bit 0: the processor is ready to use.
const CPU_ENABLED: u32 = 1 << 0;
/// Local (x2)APIC flags bit 1: a disabled processor can be brought online.
const CPU_ONLINE_CAPABLE: u32 = 1 << 1;
/// Interrupt source override bus 0 is ISA; no other value is defined.
const ISA_BUS: u8 = 0;
/// Type 4's processor ID meaning "every processor".
const ALL_PROCESSORS_U8: u8 = 0xff;
/// Type 0xA's processor UID meaning "every processor".
const ALL_PROCESSORS_U32: u32 = 0xffff_ffff;

/// Entry types, with the length each needs.
const LOCAL_APIC: u8 = 0;
const IO_APIC: u8 = 1;
const SOURCE_OVERRIDE: u8 = 2;
const NMI_SOURCE: u8 = 3;
const LOCAL_APIC_NMI: u8 = 4;
const LOCAL_APIC_ADDRESS_OVERRIDE: u8 = 5;
const LOCAL_X2APIC: u8 = 9;
const LOCAL_X2APIC_NMI: u8 = 0xa;

/// The most bytes of one entry ever decoded (a local x2APIC entry).
const ENTRY_BUF_LEN: usize = 16;

/// The length an entry of a type this crate reads must have at least;
/// `None` for types it skips.
fn needed_length(entry_type: u8) -> Option<u8> {
    Some(match entry_type {
        LOCAL_APIC => 8,
        IO_APIC => 12,
        SOURCE_OVERRIDE => 10,
        NMI_SOURCE => 8,
        LOCAL_APIC_NMI => 6,
        LOCAL_APIC_ADDRESS_OVERRIDE => 12,
        LOCAL_X2APIC => 16,
        LOCAL_X2APIC_NMI => 12,
        _ => return None,
    })
}

/// A processor, from a local APIC (type 0) or local x2APIC (type 9) entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Cpu {
    /// The local APIC ID (x2APIC ID for type 9), used to send it IPIs.
    pub apic_id: u32,
    /// The ACPI processor UID, which NMI entries refer to.
    pub acpi_uid: u32,
    /// Ready to use now.
    pub enabled: bool,
    /// Not enabled, but can be brought online later (hot-plug).
    pub online_capable: bool,
    /// Described by a local x2APIC entry rather than a local APIC entry.
    pub x2apic_entry: bool,
}

/// An I/O APIC (type 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct IoApic {
    pub id: u8,
    /// Physical address of its registers.
    pub address: u32,
    /// The first GSI it serves; its redirection-entry count comes from the
    /// hardware, not from the table.
    pub gsi_base: u32,
}

/// An interrupt source override (type 2): the bus interrupt `source_irq`
/// arrives on `gsi`, with the given signalling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct InterruptOverride {
    /// 0 for ISA.
    pub bus: u8,
    pub source_irq: u8,
    pub gsi: u32,
    pub flags: InterruptFlags,
}

/// A GSI wired to NMI (type 3); it must not be used as a device interrupt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct NmiSource {
    pub gsi: u32,
    pub flags: InterruptFlags,
}

/// Which processors an entry applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Processors {
    #[default]
    All,
    /// The processor with this ACPI processor UID.
    Uid(u32),
}

/// A local APIC input wired to NMI (type 4, or 0xA for x2APIC processors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LocalApicNmi {
    pub processors: Processors,
    /// The local APIC interrupt input, LINT0 or LINT1.
    pub lint: u8,
    pub flags: InterruptFlags,
}

/// What the MADT says, in fixed-capacity lists; each list's
/// [`overflowed`](FixedList::overflowed) says whether entries were dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Madt {
    /// Physical address of every processor's local APIC: the 32-bit field,
    /// or the 64-bit override entry (type 5) when there is one.
    pub local_apic_address: u64,
    /// The raw MADT flags; see [`Madt::legacy_pics`].
    pub flags: u32,
    /// Usable processors (enabled or online-capable), each APIC ID once, in
    /// table order. Firmware usually lists the bootstrap processor first,
    /// but only the hardware can say which one it is.
    pub cpus: FixedList<Cpu, MAX_CPUS>,
    pub io_apics: FixedList<IoApic, MAX_IO_APICS>,
    pub overrides: FixedList<InterruptOverride, MAX_OVERRIDES>,
    pub nmi_sources: FixedList<NmiSource, MAX_NMI_SOURCES>,
    pub local_nmis: FixedList<LocalApicNmi, MAX_LOCAL_NMIS>,
    /// Processor entries neither enabled nor online-capable, which the
    /// specification says to ignore (hypervisors list absent CPUs so).
    pub unusable_cpus: u32,
    /// Processor entries repeating an APIC ID already listed (some firmware
    /// lists a processor both as a local APIC and as a local x2APIC).
    pub duplicate_cpus: u32,
    /// Entries of types this crate does not read.
    pub unknown_entries: u32,
}

impl Madt {
    /// Parses a checked MADT.
    pub fn parse<M: PhysMemory + ?Sized>(mem: &M, table: &Table) -> Result<Madt, Error> {
        table.require_signature(Signature::MADT)?;
        table.require_length(MADT_HEADER_LEN)?;
        let mut fixed = [0u8; 8];
        table.read(mem, HEADER_LEN, &mut fixed)?;
        let mut madt = Madt {
            local_apic_address: u64::from(bytes::u32_at(&fixed, 0).unwrap_or(0)),
            flags: bytes::u32_at(&fixed, 4).unwrap_or(0),
            ..Madt::default()
        };
        let mut offset = MADT_HEADER_LEN;
        let mut count = 0u32;
        while let Some(left) = table.length.checked_sub(offset).filter(|left| *left > 0) {
            count = count.saturating_add(1);
            if count > MAX_MADT_ENTRIES {
                return Err(Error::MadtTooManyEntries);
            }
            if left < 2 {
                return Err(Error::MadtEntryPastEnd { offset, length: 0 });
            }
            let mut head = [0u8; 2];
            table.read(mem, offset, &mut head)?;
            let [entry_type, length] = head;
            let too_short = Error::MadtEntryTooShort { offset, entry_type, length };
            if length < 2 || needed_length(entry_type).is_some_and(|needed| length < needed) {
                return Err(too_short);
            }
            if u32::from(length) > left {
                return Err(Error::MadtEntryPastEnd { offset, length });
            }
            let mut buf = [0u8; ENTRY_BUF_LEN];
            let entry = bytes::prefix_mut(&mut buf, usize::from(length));
            table.read(mem, offset, entry)?;
            madt.record(entry_type, entry).ok_or(too_short)?;
            offset = offset.saturating_add(u32::from(length));
        }
        Ok(madt)
    }

    /// Whether dual 8259 PICs are present (flag PCAT_COMPAT). They power up
    /// unmasked and must be masked before interrupts are routed through the
    /// I/O APICs.
    pub fn legacy_pics(&self) -> bool {
        self.flags & PCAT_COMPAT != 0
    }

    /// Which of the local interrupt inputs LINT0 and LINT1 of the processor
    /// with local APIC ID `apic_id` carry NMI, and how they signal: the
    /// entries for every processor and those naming its ACPI UID (a later
    /// entry for the same input wins). Inputs above LINT1 do not exist and
    /// are ignored. All `None` when the table says nothing, in which case
    /// the PC convention (LINT1) is the caller's to apply.
    pub fn nmi_inputs(&self, apic_id: u32) -> [Option<InterruptFlags>; 2] {
        let uid = self.cpus.as_slice().iter().find(|c| c.apic_id == apic_id).map(|c| c.acpi_uid);
        let mut inputs = [None; 2];
        for nmi in self.local_nmis.as_slice() {
            let applies = match nmi.processors {
                Processors::All => true,
                Processors::Uid(u) => Some(u) == uid,
            };
            if let (true, Some(slot)) = (applies, inputs.get_mut(usize::from(nmi.lint))) {
                *slot = Some(nmi.flags);
            }
        }
        inputs
    }

    /// Where ISA interrupt `irq` arrives and how it signals: the override's
    /// GSI and flags if there is one for it (bus 0), else GSI `irq`, edge,
    /// active high, as ISA defines. Meaningful only while
    /// `overrides.overflowed()` is false. The identity rule does not notice
    /// another IRQ overridden onto the same GSI (QEMU routes IRQ 0 to GSI 2,
    /// the never-used cascade line).
    pub fn isa_irq_to_gsi(&self, irq: u8) -> (u32, Polarity, Trigger) {
        let found = self.overrides.iter().find(|o| o.bus == ISA_BUS && o.source_irq == irq);
        match found {
            Some(o) => (o.gsi, o.flags.isa_polarity(), o.flags.isa_trigger()),
            None => (u32::from(irq), Polarity::ActiveHigh, Trigger::Edge),
        }
    }

    /// Decodes one entry (type and length already checked); `None` if it is
    /// shorter than its fields.
    fn record(&mut self, entry_type: u8, entry: &[u8]) -> Option<()> {
        match entry_type {
            LOCAL_APIC => {
                let flags = bytes::u32_at(entry, 4)?;
                self.record_cpu(Cpu {
                    acpi_uid: u32::from(bytes::u8_at(entry, 2)?),
                    apic_id: u32::from(bytes::u8_at(entry, 3)?),
                    enabled: flags & CPU_ENABLED != 0,
                    online_capable: flags & CPU_ONLINE_CAPABLE != 0,
                    x2apic_entry: false,
                });
            }
            LOCAL_X2APIC => {
                let flags = bytes::u32_at(entry, 8)?;
                self.record_cpu(Cpu {
                    apic_id: bytes::u32_at(entry, 4)?,
                    acpi_uid: bytes::u32_at(entry, 12)?,
                    enabled: flags & CPU_ENABLED != 0,
                    online_capable: flags & CPU_ONLINE_CAPABLE != 0,
                    x2apic_entry: true,
                });
            }
            IO_APIC => self.io_apics.push(IoApic {
                id: bytes::u8_at(entry, 2)?,
                address: bytes::u32_at(entry, 4)?,
                gsi_base: bytes::u32_at(entry, 8)?,
            }),
            SOURCE_OVERRIDE => self.overrides.push(InterruptOverride {
                bus: bytes::u8_at(entry, 2)?,
                source_irq: bytes::u8_at(entry, 3)?,
                gsi: bytes::u32_at(entry, 4)?,
                flags: InterruptFlags::from_bits(bytes::u16_at(entry, 8)?),
            }),
            NMI_SOURCE => self.nmi_sources.push(NmiSource {
                flags: InterruptFlags::from_bits(bytes::u16_at(entry, 2)?),
                gsi: bytes::u32_at(entry, 4)?,
            }),
            LOCAL_APIC_NMI => {
                let processors = match bytes::u8_at(entry, 2)? {
                    ALL_PROCESSORS_U8 => Processors::All,
                    uid => Processors::Uid(u32::from(uid)),
                };
                self.local_nmis.push(LocalApicNmi {
                    processors,
                    flags: InterruptFlags::from_bits(bytes::u16_at(entry, 3)?),
                    lint: bytes::u8_at(entry, 5)?,
                });
            }
            LOCAL_X2APIC_NMI => {
                let processors = match bytes::u32_at(entry, 4)? {
                    ALL_PROCESSORS_U32 => Processors::All,
                    uid => Processors::Uid(uid),
                };
                self.local_nmis.push(LocalApicNmi {
                    processors,
                    flags: InterruptFlags::from_bits(bytes::u16_at(entry, 2)?),
                    lint: bytes::u8_at(entry, 8)?,
                });
            }
            LOCAL_APIC_ADDRESS_OVERRIDE => {
                let address = bytes::u64_at(entry, 4)?;
                if address != 0 {
                    self.local_apic_address = address;
                }
            }
            _ => self.unknown_entries = self.unknown_entries.saturating_add(1),
        }
        Some(())
    }

    fn record_cpu(&mut self, cpu: Cpu) {
        if !cpu.enabled && !cpu.online_capable {
            self.unusable_cpus = self.unusable_cpus.saturating_add(1);
        } else if self.cpus.iter().any(|known| known.apic_id == cpu.apic_id) {
            self.duplicate_cpus = self.duplicate_cpus.saturating_add(1);
        } else {
            self.cpus.push(cpu);
        }
    }
}
