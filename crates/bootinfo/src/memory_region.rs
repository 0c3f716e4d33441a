//! One entry of a boot loader's memory map, as the loader stated it.

/// What a range of physical memory is, in the numbering shared by the BIOS
/// E820 call, the ACPI "System Address Map" and the PVH memory map
/// (`XEN_HVM_MEMMAP_TYPE_*`); multiboot2 uses the same values for 1..5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemoryKind {
    /// 1: RAM the OS may use.
    Ram,
    /// 2: in use or reserved by the firmware.
    Reserved,
    /// 3: ACPI tables; usable once the OS has read them.
    AcpiReclaimable,
    /// 4: ACPI non-volatile storage; must be preserved.
    AcpiNvs,
    /// 5: memory with detected errors.
    Unusable,
    /// 6: memory that is not enabled.
    Disabled,
    /// 7: persistent (non-volatile) memory.
    Persistent,
    /// Any other value; treated as reserved.
    Unknown(u32),
}

impl MemoryKind {
    pub const fn from_e820(value: u32) -> Self {
        match value {
            1 => MemoryKind::Ram,
            2 => MemoryKind::Reserved,
            3 => MemoryKind::AcpiReclaimable,
            4 => MemoryKind::AcpiNvs,
            5 => MemoryKind::Unusable,
            6 => MemoryKind::Disabled,
            7 => MemoryKind::Persistent,
            other => MemoryKind::Unknown(other),
        }
    }

    pub const fn to_e820(self) -> u32 {
        match self {
            MemoryKind::Ram => 1,
            MemoryKind::Reserved => 2,
            MemoryKind::AcpiReclaimable => 3,
            MemoryKind::AcpiNvs => 4,
            MemoryKind::Unusable => 5,
            MemoryKind::Disabled => 6,
            MemoryKind::Persistent => 7,
            MemoryKind::Unknown(other) => other,
        }
    }
}

/// `size` bytes from `addr`, of the given kind. Nothing about it is checked:
/// it may be empty, unaligned, overlapping or wrap past 2^64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawMemoryRegion {
    pub addr: u64,
    pub size: u64,
    pub kind: MemoryKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e820_numbers_round_trip() {
        for value in 0..20 {
            assert_eq!(MemoryKind::from_e820(value).to_e820(), value);
        }
        assert_eq!(MemoryKind::from_e820(1), MemoryKind::Ram);
        assert_eq!(MemoryKind::from_e820(3), MemoryKind::AcpiReclaimable);
        assert_eq!(MemoryKind::from_e820(0), MemoryKind::Unknown(0));
        assert_eq!(MemoryKind::from_e820(u32::MAX), MemoryKind::Unknown(u32::MAX));
    }
}
