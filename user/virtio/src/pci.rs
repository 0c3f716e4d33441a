//! PCI configuration space through the legacy mechanism #1 ports
//! (0xcf8 address, 0xcfc data), reached with an IoPorts capability: finding
//! a virtio function by device id, enabling it, reading its BARs and
//! walking its capability list for the virtio structures.

#![forbid(unsafe_code)]

use abi::Error;
use rt::sys;

const CONFIG_ADDRESS: u64 = 0xcf8;
const CONFIG_DATA: u64 = 0xcfc;

pub const VENDOR_VIRTIO: u16 = 0x1af4;

pub const COMMAND: u8 = 0x04;
pub const STATUS: u8 = 0x06;
const HEADER_TYPE: u8 = 0x0e;
const BAR0: u8 = 0x10;
const SECONDARY_BUS: u8 = 0x19;
const CAPABILITIES: u8 = 0x34;
pub const INTERRUPT_PIN: u8 = 0x3d;

pub const COMMAND_MEMORY: u16 = 1 << 1;
pub const COMMAND_BUS_MASTER: u16 = 1 << 2;
pub const COMMAND_INTX_DISABLE: u16 = 1 << 10;
const STATUS_CAP_LIST: u16 = 1 << 4;
const CAP_VENDOR: u8 = 0x09;

/// A function's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bdf {
    pub bus: u8,
    pub dev: u8,
    pub func: u8,
}

impl core::fmt::Display for Bdf {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:02x}:{:02x}.{}", self.bus, self.dev, self.func)
    }
}

/// The configuration ports.
pub struct Config {
    ports: u64,
}

impl Config {
    /// `ports` is an IoPorts capability covering 0xcf8..0xd00.
    pub fn new(ports: u64) -> Config {
        Config { ports }
    }

    fn select(&self, f: Bdf, off: u8) -> Result<(), Error> {
        let address = 0x8000_0000u64
            | u64::from(f.bus) << 16
            | u64::from(f.dev & 0x1f) << 11
            | u64::from(f.func & 7) << 8
            | u64::from(off & 0xfc);
        sys::port_out(self.ports, CONFIG_ADDRESS, 4, address)
    }

    pub fn read32(&self, f: Bdf, off: u8) -> Result<u32, Error> {
        self.select(f, off)?;
        Ok(sys::port_in(self.ports, CONFIG_DATA, 4)? as u32)
    }

    pub fn read16(&self, f: Bdf, off: u8) -> Result<u16, Error> {
        Ok((self.read32(f, off)? >> (8 * u32::from(off & 2))) as u16)
    }

    pub fn read8(&self, f: Bdf, off: u8) -> Result<u8, Error> {
        Ok((self.read32(f, off)? >> (8 * u32::from(off & 3))) as u8)
    }

    pub fn write16(&self, f: Bdf, off: u8, value: u16) -> Result<(), Error> {
        self.select(f, off)?;
        sys::port_out(self.ports, CONFIG_DATA + u64::from(off & 2), 2, u64::from(value))
    }

    /// The first virtio function whose device id is one of `devices`, on
    /// bus 0 or a bus behind a bridge reachable from it, with its device
    /// id; and how many functions were looked at (for the log when none
    /// is found). A driver lists both the modern id (0x1040 + device type)
    /// and the transitional one, and drives either through its modern
    /// interface only (its virtio capabilities), never the legacy I/O BAR.
    pub fn find(&self, devices: &[u16]) -> Result<(Option<(Bdf, u16)>, u32), Error> {
        let mut seen = [false; 256];
        let mut buses: [u8; 256] = [0; 256];
        let (mut head, mut tail) = (0usize, 1usize);
        seen[0] = true;
        let mut functions = 0;
        while head < tail {
            let bus = buses[head];
            head += 1;
            for dev in 0..32u8 {
                let f0 = Bdf { bus, dev, func: 0 };
                if self.read16(f0, 0)? == 0xffff {
                    continue;
                }
                let funcs = if self.read8(f0, HEADER_TYPE)? & 0x80 != 0 { 8 } else { 1 };
                for func in 0..funcs {
                    let f = Bdf { bus, dev, func };
                    let id = self.read32(f, 0)?;
                    let (vendor, device) = (id as u16, (id >> 16) as u16);
                    if vendor == 0xffff {
                        continue;
                    }
                    functions += 1;
                    if vendor == VENDOR_VIRTIO && devices.contains(&device) {
                        return Ok((Some((f, device)), functions));
                    }
                    // A PCI-to-PCI bridge: scan its secondary bus too.
                    if self.read8(f, HEADER_TYPE)? & 0x7f == 1 {
                        let secondary = self.read8(f, SECONDARY_BUS)?;
                        if secondary != 0 && !seen[secondary as usize] && tail < buses.len() {
                            seen[secondary as usize] = true;
                            buses[tail] = secondary;
                            tail += 1;
                        }
                    }
                }
            }
        }
        Ok((None, functions))
    }

    /// The physical address BAR `bar` decodes, if it is an assigned memory
    /// BAR (32- or 64-bit). `Ok(None)` for I/O or unassigned BARs.
    pub fn memory_bar(&self, f: Bdf, bar: u8) -> Result<Option<u64>, Error> {
        if bar > 5 {
            return Ok(None);
        }
        let low = self.read32(f, BAR0 + 4 * bar)?;
        if low & 1 != 0 {
            return Ok(None);
        }
        let base = match (low >> 1) & 3 {
            0 => u64::from(low & !0xf),
            2 if bar < 5 => u64::from(low & !0xf) | u64::from(self.read32(f, BAR0 + 4 * (bar + 1))?) << 32,
            _ => return Ok(None),
        };
        Ok((base != 0).then_some(base))
    }

    /// The virtio vendor capabilities of `f`, in list order.
    pub fn virtio_caps(&self, f: Bdf) -> Result<alloc::vec::Vec<VirtioCap>, Error> {
        let mut caps = alloc::vec::Vec::new();
        if self.read16(f, STATUS)? & STATUS_CAP_LIST == 0 {
            return Ok(caps);
        }
        let mut ptr = self.read8(f, CAPABILITIES)? & 0xfc;
        // At most 48 capabilities fit in 192 bytes: a loop in the list
        // (a broken device) cannot keep us here.
        for _ in 0..48 {
            if ptr < 0x40 {
                break;
            }
            let id = self.read8(f, ptr)?;
            let next = self.read8(f, ptr + 1)? & 0xfc;
            if id == CAP_VENDOR && ptr <= 0xff - 16 {
                let len = self.read8(f, ptr + 2)?;
                let cfg_type = self.read8(f, ptr + 3)?;
                let bar = self.read8(f, ptr + 4)?;
                let offset = self.read32(f, ptr + 8)?;
                let length = self.read32(f, ptr + 12)?;
                let multiplier =
                    if cfg_type == CAP_NOTIFY && len >= 20 && ptr <= 0xff - 20 { self.read32(f, ptr + 16)? } else { 0 };
                caps.push(VirtioCap {
                    cfg_type,
                    bar,
                    offset: u64::from(offset),
                    length: u64::from(length),
                    multiplier,
                });
            }
            ptr = next;
        }
        Ok(caps)
    }
}

/// `cfg_type` of the virtio PCI capabilities (virtio 1.x, 4.1.4).
pub const CAP_COMMON: u8 = 1;
pub const CAP_NOTIFY: u8 = 2;
pub const CAP_ISR: u8 = 3;
pub const CAP_DEVICE: u8 = 4;

/// One `virtio_pci_cap`.
#[derive(Debug, Clone, Copy)]
pub struct VirtioCap {
    pub cfg_type: u8,
    pub bar: u8,
    pub offset: u64,
    pub length: u64,
    /// `notify_off_multiplier` (notify capability only).
    pub multiplier: u32,
}
