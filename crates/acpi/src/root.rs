//! The walk of the root table (XSDT or RSDT): which tables exist and which
//! were refused.

use crate::memory::PhysMemory;
use crate::table::HEADER_LEN;
use crate::{Error, FixedList, Rsdp, Signature, Table};

/// Root table entries looked at; any beyond are counted, not visited.
pub const MAX_ROOT_ENTRIES: u32 = 256;
/// Good tables remembered (a PC has a few dozen).
pub const MAX_TABLES: usize = 64;
/// Refused tables remembered for the boot log.
pub const MAX_SKIPPED: usize = 16;

/// Which kind of root table was walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RootKind {
    /// 32-bit table pointers (ACPI 1.0).
    #[default]
    Rsdt,
    /// 64-bit table pointers (ACPI 2.0+).
    Xsdt,
}

impl RootKind {
    fn signature(self) -> Signature {
        match self {
            RootKind::Rsdt => Signature::RSDT,
            RootKind::Xsdt => Signature::XSDT,
        }
    }

    fn entry_len(self) -> u32 {
        match self {
            RootKind::Rsdt => 4,
            RootKind::Xsdt => 8,
        }
    }
}

/// A root table entry whose table was refused, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SkippedTable {
    /// The pointer found in the root table.
    pub paddr: u64,
    pub error: Error,
}

impl Default for SkippedTable {
    fn default() -> Self {
        SkippedTable { paddr: 0, error: Error::NullTable }
    }
}

/// The tables named by the root table. A bad table is skipped and reported
/// in `skipped`; only a bad root table stops the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableDirectory {
    /// The root table walked.
    pub root: Table,
    pub kind: RootKind,
    /// Why the XSDT was refused when the RSDP named one and the RSDT was
    /// walked instead.
    pub xsdt_error: Option<Error>,
    /// Tables whose length and checksum are good, in root-table order.
    pub tables: FixedList<Table, MAX_TABLES>,
    /// Entries whose tables were refused.
    pub skipped: FixedList<SkippedTable, MAX_SKIPPED>,
    /// Entries beyond [`MAX_ROOT_ENTRIES`] that were never looked at.
    pub unvisited: u32,
}

impl TableDirectory {
    /// Walks the XSDT if the RSDP names one and it is good, else the RSDT.
    pub fn walk<M: PhysMemory + ?Sized>(mem: &M, rsdp: &Rsdp) -> Result<TableDirectory, Error> {
        let mut xsdt_error = None;
        if let Some(xsdt) = rsdp.xsdt_address {
            match Self::walk_root(mem, xsdt, RootKind::Xsdt) {
                Ok(directory) => return Ok(directory),
                Err(error) if rsdp.rsdt_address != 0 => xsdt_error = Some(error),
                Err(error) => return Err(error),
            }
        }
        if rsdp.rsdt_address == 0 {
            return Err(Error::NoRootTable);
        }
        let mut directory = Self::walk_root(mem, u64::from(rsdp.rsdt_address), RootKind::Rsdt)?;
        directory.xsdt_error = xsdt_error;
        Ok(directory)
    }

    /// Walks the root table of `kind` at `paddr`.
    pub fn walk_root<M: PhysMemory + ?Sized>(mem: &M, paddr: u64, kind: RootKind) -> Result<TableDirectory, Error> {
        let root = Table::load_expecting(mem, paddr, kind.signature())?;
        let entry_len = kind.entry_len();
        let body = root.length.saturating_sub(HEADER_LEN);
        let misaligned = Error::RootTableMisaligned { length: root.length };
        if body.checked_rem(entry_len) != Some(0) {
            return Err(misaligned);
        }
        let count = body.checked_div(entry_len).ok_or(misaligned)?;
        let visited = count.min(MAX_ROOT_ENTRIES);
        let mut directory = TableDirectory {
            root,
            kind,
            xsdt_error: None,
            tables: FixedList::new(),
            skipped: FixedList::new(),
            unvisited: count.saturating_sub(visited),
        };
        for index in 0..visited {
            let offset = index.checked_mul(entry_len).and_then(|o| o.checked_add(HEADER_LEN));
            let offset = offset.ok_or(Error::AddressOverflow)?;
            let pointer = read_pointer(mem, &root, offset, kind)?;
            match Table::load(mem, pointer) {
                Ok(table) => directory.tables.push(table),
                Err(error) => directory.skipped.push(SkippedTable { paddr: pointer, error }),
            }
        }
        Ok(directory)
    }

    /// The first good table with `signature`.
    pub fn find(&self, signature: Signature) -> Option<&Table> {
        self.tables.iter().find(|table| table.signature == signature)
    }
}

fn read_pointer<M: PhysMemory + ?Sized>(mem: &M, root: &Table, offset: u32, kind: RootKind) -> Result<u64, Error> {
    Ok(match kind {
        RootKind::Rsdt => {
            let mut raw = [0u8; 4];
            root.read(mem, offset, &mut raw)?;
            u64::from(u32::from_le_bytes(raw))
        }
        RootKind::Xsdt => {
            let mut raw = [0u8; 8];
            root.read(mem, offset, &mut raw)?;
            u64::from_le_bytes(raw)
        }
    })
}
