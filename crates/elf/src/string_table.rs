//! String tables (`SHT_STRTAB`): NUL-terminated names addressed by offset.

use crate::bytes::until_nul;
use crate::section_header::{SectionHeader, SectionType};
use crate::{ElfFile, Error, Result};

/// The bytes of one string table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StringTable<'a> {
    data: &'a [u8],
}

impl<'a> StringTable<'a> {
    pub fn new(data: &'a [u8]) -> StringTable<'a> {
        StringTable { data }
    }

    /// The string at `offset`, without its NUL. A string must end inside the
    /// table; one that runs off the end is an error rather than silently cut.
    pub fn get(&self, offset: u32) -> Result<&'a [u8]> {
        let start = usize::try_from(offset).map_err(|_| Error::StringOutOfBounds)?;
        let rest = self.data.get(start..).ok_or(Error::StringOutOfBounds)?;
        if rest.is_empty() {
            return Err(Error::StringOutOfBounds);
        }
        until_nul(rest).ok_or(Error::UnterminatedString)
    }
}

impl<'a> ElfFile<'a> {
    /// The string table in section `sh`, which must be `SHT_STRTAB`.
    pub fn string_table(&self, sh: &SectionHeader) -> Result<StringTable<'a>> {
        if sh.kind != SectionType::StrTab {
            return Err(Error::NotAStringTable);
        }
        Ok(StringTable::new(self.section_data(sh)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let table = StringTable::new(b"\0main\0_start\0tail");
        assert_eq!(table.get(0), Ok(&b""[..]));
        assert_eq!(table.get(1), Ok(&b"main"[..]));
        assert_eq!(table.get(3), Ok(&b"in"[..]));
        assert_eq!(table.get(6), Ok(&b"_start"[..]));
        assert_eq!(table.get(13), Err(Error::UnterminatedString));
        assert_eq!(table.get(17), Err(Error::StringOutOfBounds));
        assert_eq!(table.get(u32::MAX), Err(Error::StringOutOfBounds));
    }
}
