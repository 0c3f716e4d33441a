//! A system description table: the 36-byte header every table but the RSDP
//! and FACS starts with, checked before anything inside is believed.

use crate::memory::{self, PhysMemory};
use crate::{bytes, checksum, Error, Signature};

/// Bytes in the common table header.
pub const HEADER_LEN: u32 = 36;

/// The largest table this crate will read. Checksumming reads every byte, so
/// a bound keeps a corrupt length from costing seconds; the tables read here
/// are a few KiB at most.
pub const MAX_TABLE_LEN: u32 = 1 << 20;

/// A table whose length is within bounds and whose checksum is right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Table {
    /// Where the table starts.
    pub paddr: u64,
    pub signature: Signature,
    /// Bytes in the whole table, header included.
    pub length: u32,
    pub revision: u8,
    pub oem_id: [u8; 6],
    pub oem_table_id: [u8; 8],
    pub oem_revision: u32,
}

impl Table {
    /// Checks the table at `paddr`: its length lies between the header size
    /// and [`MAX_TABLE_LEN`], its end does not overflow, and its bytes sum to
    /// zero.
    pub fn load<M: PhysMemory + ?Sized>(mem: &M, paddr: u64) -> Result<Table, Error> {
        Self::load_checked(mem, paddr, None)
    }

    /// Like [`Table::load`], but first insists on `signature`, so a pointer
    /// to the wrong thing is reported as such rather than as a bad checksum.
    pub fn load_expecting<M: PhysMemory + ?Sized>(mem: &M, paddr: u64, signature: Signature) -> Result<Table, Error> {
        Self::load_checked(mem, paddr, Some(signature))
    }

    fn load_checked<M: PhysMemory + ?Sized>(mem: &M, paddr: u64, expected: Option<Signature>) -> Result<Table, Error> {
        if paddr == 0 {
            return Err(Error::NullTable);
        }
        let header: [u8; HEADER_LEN as usize] = memory::read_array(mem, paddr)?;
        let table = decode_header(&header, paddr);
        if let Some(expected) = expected {
            if table.signature != expected {
                return Err(Error::BadSignature { expected, found: table.signature });
            }
        }
        let (signature, length) = (table.signature, table.length);
        if length < HEADER_LEN {
            return Err(Error::TableTooShort { signature, length });
        }
        if length > MAX_TABLE_LEN {
            return Err(Error::TableTooLong { signature, length });
        }
        paddr.checked_add(u64::from(length)).ok_or(Error::AddressOverflow)?;
        if checksum::sum_phys(mem, paddr, length)? != 0 {
            return Err(Error::BadChecksum { signature });
        }
        Ok(table)
    }

    /// Fails with [`Error::TableTooShort`] unless the table has at least
    /// `minimum` bytes (its fixed fields).
    pub(crate) fn require_length(&self, minimum: u32) -> Result<(), Error> {
        if self.length < minimum {
            return Err(Error::TableTooShort { signature: self.signature, length: self.length });
        }
        Ok(())
    }

    /// Fails with [`Error::BadSignature`] unless this is a `signature` table.
    pub(crate) fn require_signature(&self, signature: Signature) -> Result<(), Error> {
        if self.signature != signature {
            return Err(Error::BadSignature { expected: signature, found: self.signature });
        }
        Ok(())
    }

    /// Reads the table's bytes at `offset .. offset + buf.len()`, which must
    /// lie inside the table.
    pub(crate) fn read<M: PhysMemory + ?Sized>(&self, mem: &M, offset: u32, buf: &mut [u8]) -> Result<(), Error> {
        let too_short = Error::TableTooShort { signature: self.signature, length: self.length };
        let len = u32::try_from(buf.len()).map_err(|_| too_short)?;
        let end = offset.checked_add(len).ok_or(too_short)?;
        if end > self.length {
            return Err(too_short);
        }
        let at = self.paddr.checked_add(u64::from(offset)).ok_or(Error::AddressOverflow)?;
        memory::read(mem, at, buf)
    }

    /// Reads up to `buf.len()` bytes from `offset`, stopping at the end of
    /// the table; returns how many were read. Used for tables whose newer
    /// revisions are longer.
    pub(crate) fn read_prefix<'b, M: PhysMemory + ?Sized>(
        &self,
        mem: &M,
        offset: u32,
        buf: &'b mut [u8],
    ) -> Result<&'b [u8], Error> {
        let available = self.length.saturating_sub(offset) as usize;
        let part = bytes::prefix_mut(buf, available);
        self.read(mem, offset, part)?;
        Ok(part)
    }
}

fn decode_header(header: &[u8], paddr: u64) -> Table {
    Table {
        paddr,
        signature: Signature(bytes::array(header, 0).unwrap_or_default()),
        length: bytes::u32_at(header, 4).unwrap_or(0),
        revision: bytes::u8_at(header, 8).unwrap_or(0),
        oem_id: bytes::array(header, 10).unwrap_or_default(),
        oem_table_id: bytes::array(header, 16).unwrap_or_default(),
        oem_revision: bytes::u32_at(header, 24).unwrap_or(0),
    }
}
