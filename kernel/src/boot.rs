//! What the boot loader told us, in a form that no longer depends on the
//! boot protocol (PVH today; multiboot2 and the arm64 Image protocol later).

use bootinfo::CommandLine;
use core::ops::Range;

pub const MAX_RANGES: usize = 128;
pub const MAX_MODULES: usize = 8;
pub const CMDLINE_MAX: usize = 4096;

/// A boot module (e.g. the initramfs) in physical memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Module {
    pub phys: u64,
    pub size: u64,
}

pub struct BootInfo {
    cmdline: [u8; CMDLINE_MAX],
    cmdline_len: usize,
    /// Free RAM: the loader's map with the kernel, modules, boot data and the
    /// first MiB (firmware, future AP start-up code) taken out.
    usable: [Range<u64>; MAX_RANGES],
    usable_len: usize,
    /// Everything the direct map must cover: RAM, ACPI tables, the first MiB.
    direct_map: [Range<u64>; MAX_RANGES],
    direct_map_len: usize,
    modules: [Module; MAX_MODULES],
    modules_len: usize,
    /// ACPI RSDP address, when the loader knew it.
    pub rsdp: Option<u64>,
    /// TSC value at kernel entry.
    pub entry_tsc: u64,
}

impl BootInfo {
    pub fn new(entry_tsc: u64) -> Self {
        BootInfo {
            cmdline: [0; CMDLINE_MAX],
            cmdline_len: 0,
            usable: core::array::from_fn(|_| 0..0),
            usable_len: 0,
            direct_map: core::array::from_fn(|_| 0..0),
            direct_map_len: 0,
            modules: [Module::default(); MAX_MODULES],
            modules_len: 0,
            rsdp: None,
            entry_tsc,
        }
    }

    pub fn set_cmdline(&mut self, text: &str) {
        let n = text.len().min(CMDLINE_MAX);
        self.cmdline[..n].copy_from_slice(&text.as_bytes()[..n]);
        self.cmdline_len = n;
    }

    pub fn cmdline(&self) -> CommandLine<'_> {
        // Only ever set from a &str cut at a char boundary below.
        CommandLine::new(core::str::from_utf8(&self.cmdline[..self.cmdline_len]).unwrap_or(""))
    }

    /// Adds a usable range; false when the table is full.
    pub fn push_usable(&mut self, r: Range<u64>) -> bool {
        push(&mut self.usable, &mut self.usable_len, r)
    }

    pub fn push_direct_map(&mut self, r: Range<u64>) -> bool {
        push(&mut self.direct_map, &mut self.direct_map_len, r)
    }

    pub fn push_module(&mut self, m: Module) -> bool {
        if self.modules_len == MAX_MODULES {
            return false;
        }
        self.modules[self.modules_len] = m;
        self.modules_len += 1;
        true
    }

    /// Free RAM, sorted and disjoint.
    pub fn usable_ranges(&self) -> &[Range<u64>] {
        &self.usable[..self.usable_len]
    }

    pub fn direct_map_ranges(&self) -> &[Range<u64>] {
        &self.direct_map[..self.direct_map_len]
    }

    pub fn modules(&self) -> &[Module] {
        &self.modules[..self.modules_len]
    }
}

fn push(table: &mut [Range<u64>], len: &mut usize, r: Range<u64>) -> bool {
    if *len == table.len() {
        return false;
    }
    table[*len] = r;
    *len += 1;
    true
}
