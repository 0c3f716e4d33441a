//! The Xen PVH boot protocol's `hvm_start_info`, as used by QEMU `-kernel`,
//! Firecracker and Cloud Hypervisor.
//!
//! Layout (Xen public header `arch-x86/hvm/start_info.h`), little endian:
//!
//! ```text
//! hvm_start_info                   hvm_modlist_entry (32 bytes)
//!  0 u32 magic = 0x336ec578          0 u64 paddr
//!  4 u32 version                     8 u64 size
//!  8 u32 flags (SIF_*)              16 u64 cmdline_paddr
//! 12 u32 nr_modules                 24 u64 reserved
//! 16 u64 modlist_paddr
//! 24 u64 cmdline_paddr             hvm_memmap_table_entry (24 bytes)
//! 32 u64 rsdp_paddr                  0 u64 addr
//! -- version 1 and newer --          8 u64 size
//! 40 u64 memmap_paddr               16 u32 type (E820 numbering)
//! 48 u32 memmap_entries             20 u32 reserved
//! 52 u32 reserved
//! ```
//!
//! An address of 0 means "not provided". Versions newer than 1 are accepted
//! and read as version 1: the header promises new versions stay backwards
//! compatible (only appending fields), and Linux reads them the same way.

use core::cell::Cell;
use core::fmt;

use crate::boot_string::{read_boot_string, BootString};
use crate::memory_map::{Diagnostic, MemoryMap};
use crate::memory_region::{MemoryKind, RawMemoryRegion};
use crate::phys_reader::{read_bytes, u32_at, u64_at, PhysReader};

/// `"xEn3"` with the top bit of the `E` set.
pub const START_INFO_MAGIC: u32 = 0x336e_c578;
/// Bytes of the version 0 structure.
pub const START_INFO_V0_SIZE: u64 = 40;
/// Bytes of the version 1 structure.
pub const START_INFO_V1_SIZE: u64 = 56;
pub const MODULE_ENTRY_SIZE: u64 = 32;
pub const MEMORY_MAP_ENTRY_SIZE: u64 = 24;
/// More modules than this is taken as corruption, not a real boot.
pub const MAX_MODULES: u32 = 256;
/// More memory-map entries than this is taken as corruption. Real maps have
/// tens; large EFI machines a few hundred.
pub const MAX_MEMORY_MAP_ENTRIES: u32 = 1024;
/// A sensible buffer size for the command line (Linux's x86 default maximum is 2 KiB).
pub const COMMAND_LINE_BUFFER: usize = 4096;

/// Which structure a [`PvhError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PvhPart {
    StartInfo,
    ModuleList,
    MemoryMap,
    CommandLine,
    ModuleCommandLine,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PvhError {
    /// The reader refused the memory at `paddr`.
    Unreadable {
        part: PvhPart,
        paddr: u64,
    },
    /// Not a start-info structure at all.
    BadMagic(u32),
    TooManyModules(u32),
    TooManyMemoryMapEntries(u32),
    /// A non-zero count with a null table address.
    MissingTable(PvhPart),
    /// The table would run past the end of the physical address space.
    TableWraps(PvhPart),
    /// Module `index` claims `paddr + size` beyond 2^64.
    ModuleWraps {
        index: u32,
    },
}

impl fmt::Display for PvhError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PvhError::Unreadable { part, paddr } => {
                write!(f, "cannot read PVH {part:?} at {paddr:#x}")
            }
            PvhError::BadMagic(magic) => write!(f, "PVH start info has bad magic {magic:#x}"),
            PvhError::TooManyModules(n) => write!(f, "PVH start info claims {n} modules"),
            PvhError::TooManyMemoryMapEntries(n) => {
                write!(f, "PVH start info claims {n} memory map entries")
            }
            PvhError::MissingTable(part) => write!(f, "PVH {part:?} has entries but no address"),
            PvhError::TableWraps(part) => write!(f, "PVH {part:?} runs past the end of memory"),
            PvhError::ModuleWraps { index } => {
                write!(f, "PVH module {index} runs past the end of memory")
            }
        }
    }
}

/// The validated fixed part of `hvm_start_info`. Tables it points to are read
/// lazily through the same kind of reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartInfo {
    paddr: u64,
    version: u32,
    flags: u32,
    module_count: u32,
    modlist_paddr: u64,
    cmdline_paddr: u64,
    rsdp_paddr: u64,
    memmap_paddr: u64,
    memmap_count: u32,
}

/// One entry of the module list (for example the initramfs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Module {
    pub paddr: u64,
    pub size: u64,
    pub cmdline_paddr: Option<u64>,
}

impl StartInfo {
    /// Reads and checks the structure at `paddr` (the value of `%ebx` at the
    /// PVH entry point). Counts and table addresses are checked here, so the
    /// iterators below only fail if the memory itself cannot be read.
    pub fn parse<R: PhysReader + ?Sized>(reader: &R, paddr: u64) -> Result<Self, PvhError> {
        let unreadable = |at| PvhError::Unreadable { part: PvhPart::StartInfo, paddr: at };
        let head: [u8; START_INFO_V0_SIZE as usize] = read_bytes(reader, paddr).map_err(|_| unreadable(paddr))?;
        let magic = u32_at(&head, 0);
        if magic != START_INFO_MAGIC {
            return Err(PvhError::BadMagic(magic));
        }
        let version = u32_at(&head, 4);
        let (memmap_paddr, memmap_count) = if version >= 1 {
            let tail_paddr = paddr + START_INFO_V0_SIZE; // cannot overflow: the head was readable
            let tail: [u8; (START_INFO_V1_SIZE - START_INFO_V0_SIZE) as usize] =
                read_bytes(reader, tail_paddr).map_err(|_| unreadable(tail_paddr))?;
            (u64_at(&tail, 0), u32_at(&tail, 8))
        } else {
            (0, 0)
        };
        let info = StartInfo {
            paddr,
            version,
            flags: u32_at(&head, 8),
            module_count: u32_at(&head, 12),
            modlist_paddr: u64_at(&head, 16),
            cmdline_paddr: u64_at(&head, 24),
            rsdp_paddr: u64_at(&head, 32),
            memmap_paddr,
            memmap_count,
        };
        if info.module_count > MAX_MODULES {
            return Err(PvhError::TooManyModules(info.module_count));
        }
        if info.memmap_count > MAX_MEMORY_MAP_ENTRIES {
            return Err(PvhError::TooManyMemoryMapEntries(info.memmap_count));
        }
        check_table(PvhPart::ModuleList, info.modlist_paddr, info.module_count, MODULE_ENTRY_SIZE)?;
        check_table(PvhPart::MemoryMap, info.memmap_paddr, info.memmap_count, MEMORY_MAP_ENTRY_SIZE)?;
        Ok(info)
    }

    /// The version as the loader wrote it (see the module docs for > 1).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// `SIF_*` flags, meaningful to Xen guests only.
    pub fn flags(&self) -> u32 {
        self.flags
    }

    /// Physical range `[start, end)` the structure itself occupies, so the
    /// kernel can keep it out of the free memory until it is done reading.
    pub fn footprint(&self) -> (u64, u64) {
        let size = if self.version >= 1 { START_INFO_V1_SIZE } else { START_INFO_V0_SIZE };
        (self.paddr, self.paddr + size)
    }

    /// Where the ACPI RSDP is, if the loader said.
    pub fn rsdp_paddr(&self) -> Option<u64> {
        non_null(self.rsdp_paddr)
    }

    pub fn command_line_paddr(&self) -> Option<u64> {
        non_null(self.cmdline_paddr)
    }

    pub fn module_count(&self) -> u32 {
        self.module_count
    }

    /// `[start, end)` of the module list, if there is one.
    pub fn module_list_footprint(&self) -> Option<(u64, u64)> {
        table_footprint(self.modlist_paddr, self.module_count, MODULE_ENTRY_SIZE)
    }

    /// Entries in the memory map; 0 for version 0 or when none was given,
    /// in which case the kernel must find memory some other way.
    pub fn memory_map_len(&self) -> u32 {
        self.memmap_count
    }

    /// `[start, end)` of the memory-map table, if there is one.
    pub fn memory_map_footprint(&self) -> Option<(u64, u64)> {
        table_footprint(self.memmap_paddr, self.memmap_count, MEMORY_MAP_ENTRY_SIZE)
    }

    pub fn modules<'r, R: PhysReader + ?Sized>(&self, reader: &'r R) -> Modules<'r, R> {
        Modules { reader, table: self.modlist_paddr, next: 0, count: self.module_count }
    }

    pub fn memory_map<'r, R: PhysReader + ?Sized>(&self, reader: &'r R) -> MemoryMapEntries<'r, R> {
        MemoryMapEntries { reader, table: self.memmap_paddr, next: 0, count: self.memmap_count }
    }

    /// Copies the kernel command line into `buf` (see [`read_boot_string`]);
    /// `None` if the loader gave none.
    pub fn command_line<'b, R: PhysReader + ?Sized>(
        &self,
        reader: &R,
        buf: &'b mut [u8],
    ) -> Result<Option<BootString<'b>>, PvhError> {
        read_optional_string(reader, self.cmdline_paddr, PvhPart::CommandLine, buf)
    }

    /// The loader's memory map, cleaned into usable RAM (see [`MemoryMap`]).
    /// Empty if [`Self::memory_map_len`] is 0.
    pub fn usable_memory<const N: usize, R, F>(&self, reader: &R, report: F) -> Result<MemoryMap<N>, PvhError>
    where
        R: PhysReader + ?Sized,
        F: FnMut(Diagnostic),
    {
        let failure = Cell::new(None);
        let entries = StopAtError { inner: self.memory_map(reader), failure: &failure };
        let map = MemoryMap::from_regions(entries, report);
        match failure.get() {
            Some(error) => Err(error),
            None => Ok(map),
        }
    }
}

impl Module {
    /// `paddr + size`. Entries from [`Modules`] never overflow here (checked
    /// when read); saturating keeps a hand-made `Module` from panicking.
    pub fn end(&self) -> u64 {
        self.paddr.saturating_add(self.size)
    }

    pub fn command_line<'b, R: PhysReader + ?Sized>(
        &self,
        reader: &R,
        buf: &'b mut [u8],
    ) -> Result<Option<BootString<'b>>, PvhError> {
        read_optional_string(reader, self.cmdline_paddr.unwrap_or(0), PvhPart::ModuleCommandLine, buf)
    }
}

/// Iterator over the module list. After a read error it yields nothing more.
pub struct Modules<'r, R: ?Sized> {
    reader: &'r R,
    table: u64,
    next: u32,
    count: u32,
}

impl<R: ?Sized> Clone for Modules<'_, R> {
    fn clone(&self) -> Self {
        Self { reader: self.reader, table: self.table, next: self.next, count: self.count }
    }
}

impl<R: PhysReader + ?Sized> Iterator for Modules<'_, R> {
    type Item = Result<Module, PvhError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.count {
            return None;
        }
        let index = self.next;
        self.next += 1;
        // In range: parse() checked that the whole table fits below 2^64.
        let paddr = self.table + u64::from(index) * MODULE_ENTRY_SIZE;
        let raw: [u8; MODULE_ENTRY_SIZE as usize] = match read_bytes(self.reader, paddr) {
            Ok(raw) => raw,
            Err(_) => {
                self.next = self.count;
                return Some(Err(PvhError::Unreadable { part: PvhPart::ModuleList, paddr }));
            }
        };
        let module =
            Module { paddr: u64_at(&raw, 0), size: u64_at(&raw, 8), cmdline_paddr: non_null(u64_at(&raw, 16)) };
        if module.paddr.checked_add(module.size).is_none() {
            return Some(Err(PvhError::ModuleWraps { index }));
        }
        Some(Ok(module))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some((self.count - self.next) as usize))
    }
}

/// Iterator over the memory-map table. After a read error it yields nothing more.
pub struct MemoryMapEntries<'r, R: ?Sized> {
    reader: &'r R,
    table: u64,
    next: u32,
    count: u32,
}

impl<R: ?Sized> Clone for MemoryMapEntries<'_, R> {
    fn clone(&self) -> Self {
        Self { reader: self.reader, table: self.table, next: self.next, count: self.count }
    }
}

impl<R: PhysReader + ?Sized> Iterator for MemoryMapEntries<'_, R> {
    type Item = Result<RawMemoryRegion, PvhError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.count {
            return None;
        }
        // In range: parse() checked that the whole table fits below 2^64.
        let paddr = self.table + u64::from(self.next) * MEMORY_MAP_ENTRY_SIZE;
        self.next += 1;
        match read_bytes::<_, { MEMORY_MAP_ENTRY_SIZE as usize }>(self.reader, paddr) {
            Ok(raw) => Some(Ok(RawMemoryRegion {
                addr: u64_at(&raw, 0),
                size: u64_at(&raw, 8),
                kind: MemoryKind::from_e820(u32_at(&raw, 16)),
            })),
            Err(_) => {
                self.next = self.count;
                Some(Err(PvhError::Unreadable { part: PvhPart::MemoryMap, paddr }))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some((self.count - self.next) as usize))
    }
}

/// Yields the entries until the first error, which it parks in `failure`:
/// [`MemoryMap::from_regions`] wants plain regions and a `Clone` iterator,
/// and an error in either of its passes must still fail the whole build.
struct StopAtError<'a, I> {
    inner: I,
    failure: &'a Cell<Option<PvhError>>,
}

impl<I: Clone> Clone for StopAtError<'_, I> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone(), failure: self.failure }
    }
}

impl<I: Iterator<Item = Result<RawMemoryRegion, PvhError>>> Iterator for StopAtError<'_, I> {
    type Item = RawMemoryRegion;

    fn next(&mut self) -> Option<RawMemoryRegion> {
        match self.inner.next()? {
            Ok(region) => Some(region),
            Err(error) => {
                self.failure.set(Some(error));
                None
            }
        }
    }
}

fn non_null(paddr: u64) -> Option<u64> {
    (paddr != 0).then_some(paddr)
}

fn check_table(part: PvhPart, paddr: u64, count: u32, entry_size: u64) -> Result<(), PvhError> {
    if count == 0 {
        return Ok(());
    }
    if paddr == 0 {
        return Err(PvhError::MissingTable(part));
    }
    // count <= 1024 and entry_size <= 32, so the product cannot overflow.
    paddr.checked_add(u64::from(count) * entry_size).ok_or(PvhError::TableWraps(part))?;
    Ok(())
}

fn table_footprint(paddr: u64, count: u32, entry_size: u64) -> Option<(u64, u64)> {
    (count > 0).then(|| (paddr, paddr + u64::from(count) * entry_size))
}

fn read_optional_string<'b, R: PhysReader + ?Sized>(
    reader: &R,
    paddr: u64,
    part: PvhPart,
    buf: &'b mut [u8],
) -> Result<Option<BootString<'b>>, PvhError> {
    if paddr == 0 {
        return Ok(None);
    }
    read_boot_string(reader, paddr, buf).map(Some).map_err(|_| PvhError::Unreadable { part, paddr })
}
