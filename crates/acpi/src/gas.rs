//! The Generic Address Structure: a register's address space, width and
//! address, as the FADT and HPET tables give them.

use crate::bytes;

/// Bytes in a Generic Address Structure.
pub(crate) const GAS_LEN: usize = 12;

/// Where a register lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AddressSpace {
    /// 0: memory-mapped.
    #[default]
    SystemMemory,
    /// 1: x86 I/O ports.
    SystemIo,
    /// 2: PCI configuration space.
    PciConfig,
    /// 0x7F: functional fixed hardware (model-specific registers and such).
    FunctionalFixedHardware,
    /// Any other ID (embedded controller, SMBus, CMOS, ...), not used here.
    Other(u8),
}

impl AddressSpace {
    pub fn from_id(id: u8) -> Self {
        match id {
            0 => AddressSpace::SystemMemory,
            1 => AddressSpace::SystemIo,
            2 => AddressSpace::PciConfig,
            0x7f => AddressSpace::FunctionalFixedHardware,
            other => AddressSpace::Other(other),
        }
    }

    pub fn id(self) -> u8 {
        match self {
            AddressSpace::SystemMemory => 0,
            AddressSpace::SystemIo => 1,
            AddressSpace::PciConfig => 2,
            AddressSpace::FunctionalFixedHardware => 0x7f,
            AddressSpace::Other(id) => id,
        }
    }
}

/// A register's location.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct GenericAddress {
    pub space: AddressSpace,
    /// Width of the register in bits (0 for a structure of several
    /// registers).
    pub bit_width: u8,
    pub bit_offset: u8,
    /// 0 undefined (legacy), 1 byte, 2 word, 3 dword, 4 qword access.
    pub access_size: u8,
    pub address: u64,
}

impl GenericAddress {
    /// Decodes the 12 bytes at `at` in `bytes`, or `None` if they are not all
    /// there.
    pub(crate) fn decode(bytes: &[u8], at: usize) -> Option<Self> {
        let raw: [u8; GAS_LEN] = bytes::array(bytes, at)?;
        Some(GenericAddress {
            space: AddressSpace::from_id(bytes::u8_at(&raw, 0)?),
            bit_width: bytes::u8_at(&raw, 1)?,
            bit_offset: bytes::u8_at(&raw, 2)?,
            access_size: bytes::u8_at(&raw, 3)?,
            address: bytes::u64_at(&raw, 4)?,
        })
    }

    /// A legacy I/O-port block of `len` bytes, as ACPI 1.0 fields give them.
    pub(crate) fn io_block(port: u32, len: u8) -> Self {
        GenericAddress {
            space: AddressSpace::SystemIo,
            bit_width: len.saturating_mul(8),
            bit_offset: 0,
            access_size: 0,
            address: u64::from(port),
        }
    }

    /// The I/O port, if this is a register in I/O space that ports can reach.
    pub fn io_port(&self) -> Option<u16> {
        match self.space {
            AddressSpace::SystemIo => u16::try_from(self.address).ok(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_names_ports() {
        let raw = [1, 16, 0, 2, 0x04, 0x06, 0, 0, 0, 0, 0, 0];
        let gas = GenericAddress::decode(&raw, 0).unwrap();
        assert_eq!(gas.space, AddressSpace::SystemIo);
        assert_eq!(gas.bit_width, 16);
        assert_eq!(gas.access_size, 2);
        assert_eq!(gas.io_port(), Some(0x604));
        assert_eq!(GenericAddress::decode(&raw, 1), None);

        let mmio = GenericAddress { address: 0xfed0_0000, ..GenericAddress::default() };
        assert_eq!(mmio.io_port(), None);
        let far = GenericAddress { space: AddressSpace::SystemIo, address: 0x1_0000, ..mmio };
        assert_eq!(far.io_port(), None);
        for id in 0..=255u8 {
            assert_eq!(AddressSpace::from_id(id).id(), id);
        }
    }
}
