//! A fake physical memory made of separate readable regions, and builders for
//! the little-endian structures a PVH loader leaves in it.
#![allow(dead_code)] // each test file uses a different part of it

use bootinfo::{PhysReader, ReadError};

/// Physical memory where only the listed regions exist. A read must lie
/// entirely inside one region, like a kernel reader that checks its mapping.
#[derive(Default)]
pub struct FakePhys {
    regions: Vec<(u64, Vec<u8>)>,
}

impl FakePhys {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn put(&mut self, paddr: u64, bytes: &[u8]) -> &mut Self {
        self.regions.push((paddr, bytes.to_vec()));
        self
    }
}

impl PhysReader for FakePhys {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadError> {
        for (base, bytes) in &self.regions {
            let Some(offset) = paddr.checked_sub(*base) else {
                continue;
            };
            let Ok(offset) = usize::try_from(offset) else {
                continue;
            };
            if offset <= bytes.len() && buf.len() <= bytes.len() - offset {
                buf.copy_from_slice(&bytes[offset..offset + buf.len()]);
                return Ok(());
            }
        }
        Err(ReadError)
    }
}

pub const MAGIC: u32 = 0x336e_c578;

/// Field values of an `hvm_start_info`.
#[derive(Clone, Copy)]
pub struct StartInfoFields {
    pub magic: u32,
    pub version: u32,
    pub flags: u32,
    pub nr_modules: u32,
    pub modlist_paddr: u64,
    pub cmdline_paddr: u64,
    pub rsdp_paddr: u64,
    pub memmap_paddr: u64,
    pub memmap_entries: u32,
}

impl Default for StartInfoFields {
    fn default() -> Self {
        Self {
            magic: MAGIC,
            version: 1,
            flags: 0,
            nr_modules: 0,
            modlist_paddr: 0,
            cmdline_paddr: 0,
            rsdp_paddr: 0,
            memmap_paddr: 0,
            memmap_entries: 0,
        }
    }
}

impl StartInfoFields {
    /// The structure's bytes: 40 for version 0, 56 otherwise.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(self.magic.to_le_bytes());
        out.extend(self.version.to_le_bytes());
        out.extend(self.flags.to_le_bytes());
        out.extend(self.nr_modules.to_le_bytes());
        out.extend(self.modlist_paddr.to_le_bytes());
        out.extend(self.cmdline_paddr.to_le_bytes());
        out.extend(self.rsdp_paddr.to_le_bytes());
        assert_eq!(out.len(), 40);
        if self.version >= 1 {
            out.extend(self.memmap_paddr.to_le_bytes());
            out.extend(self.memmap_entries.to_le_bytes());
            out.extend(0u32.to_le_bytes());
            assert_eq!(out.len(), 56);
        }
        out
    }
}

pub fn module_entry(paddr: u64, size: u64, cmdline_paddr: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for field in [paddr, size, cmdline_paddr, 0] {
        out.extend(field.to_le_bytes());
    }
    out
}

pub fn memmap_entry(addr: u64, size: u64, kind: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(addr.to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(kind.to_le_bytes());
    out.extend(0u32.to_le_bytes());
    out
}
