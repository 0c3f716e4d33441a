//! GNU symbol versioning: the version definitions a shared object exports
//! (`.gnu.version_d`, `SHT_GNU_verdef`) and the version index of each
//! dynamic symbol (`.gnu.version`, `SHT_GNU_versym`). A C library asks a
//! shared object (the vDSO, say) for a symbol by name *and* version, so a
//! tool that checks such an object needs both.
//!
//! A version definition is an `Elf64_Verdef` (20 bytes) followed, at
//! `vd_aux`, by `Elf64_Verdaux` records (8 bytes) whose first names the
//! version; `vd_next` is the byte distance to the next definition (0 ends
//! the chain). The section's `sh_info` counts the definitions and its
//! `sh_link` names the string table.

use crate::bytes::{u16_at, u32_at};
use crate::section_header::{SectionHeader, SectionType};
use crate::string_table::StringTable;
use crate::symbol::Symbols;
use crate::{ElfFile, Error, Result};

/// The only `vd_version` there is.
const VER_DEF_CURRENT: u16 = 1;
/// Size of `Elf64_Verdef`.
const VERDEF_SIZE: usize = 20;
/// Size of `Elf64_Verdaux`.
const VERDAUX_SIZE: usize = 8;

/// One version definition with its name looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VersionDefinition<'a> {
    /// `vd_ndx`: the value `.gnu.version` entries use to name it.
    pub index: u16,
    /// `vd_flags`: [`VersionDefinition::BASE`], `VER_FLG_WEAK`.
    pub flags: u16,
    /// `vd_hash`: the ELF hash of the name.
    pub hash: u32,
    /// The first `Elf64_Verdaux`'s name: the version ("LINUX_2.6"), or the
    /// file's own name for the base definition.
    pub name: &'a [u8],
    /// `vd_cnt`: how many `Elf64_Verdaux` records follow (a version and the
    /// versions it inherits from).
    pub aux_count: u16,
}

impl VersionDefinition<'_> {
    /// `VER_FLG_BASE`: the definition of the file itself, not a version.
    pub const BASE: u16 = 1;

    pub fn is_base(&self) -> bool {
        self.flags & Self::BASE != 0
    }
}

/// Iterator over a version definition chain. A definition that cannot be
/// read yields one error and ends the iteration: the framing of everything
/// after it is unknown. Every step moves forward in the section (`vd_next`
/// is unsigned and 0 ends the chain), so iteration always ends.
#[derive(Clone, Debug)]
pub struct VersionDefinitions<'a> {
    data: &'a [u8],
    names: StringTable<'a>,
    /// Offset of the next definition, `None` once the chain has ended.
    at: Option<usize>,
    /// Definitions still promised by `sh_info`.
    left: u32,
}

impl<'a> VersionDefinitions<'a> {
    /// The first `count` definitions of the chain in `data`, named from
    /// `names`.
    pub fn new(data: &'a [u8], names: StringTable<'a>, count: u32) -> VersionDefinitions<'a> {
        VersionDefinitions { data, names, at: Some(0), left: count }
    }

    fn decode(&self, at: usize) -> Result<(VersionDefinition<'a>, u32)> {
        let bad = Error::BadVersionDefinition;
        let header = at.checked_add(VERDEF_SIZE).and_then(|end| self.data.get(at..end)).ok_or(bad)?;
        if u16_at(header, 0) != Some(VER_DEF_CURRENT) {
            return Err(bad);
        }
        let flags = u16_at(header, 2).ok_or(bad)?;
        let index = u16_at(header, 4).ok_or(bad)?;
        let aux_count = u16_at(header, 6).ok_or(bad)?;
        let hash = u32_at(header, 8).ok_or(bad)?;
        let aux = u32_at(header, 12).ok_or(bad)?;
        let next = u32_at(header, 16).ok_or(bad)?;
        let aux_at = usize::try_from(aux).ok().and_then(|aux| at.checked_add(aux)).ok_or(bad)?;
        let aux_record = aux_at.checked_add(VERDAUX_SIZE).and_then(|end| self.data.get(aux_at..end)).ok_or(bad)?;
        let name = u32_at(aux_record, 0).ok_or(bad)?;
        Ok((VersionDefinition { index, flags, hash, name: self.names.get(name)?, aux_count }, next))
    }
}

impl<'a> Iterator for VersionDefinitions<'a> {
    type Item = Result<VersionDefinition<'a>>;

    fn next(&mut self) -> Option<Result<VersionDefinition<'a>>> {
        if self.left == 0 {
            return None;
        }
        let at = self.at?;
        match self.decode(at) {
            Ok((definition, next)) => {
                self.left = self.left.saturating_sub(1);
                self.at = match next {
                    0 => None,
                    next => usize::try_from(next).ok().and_then(|next| at.checked_add(next)),
                };
                Some(Ok(definition))
            }
            Err(error) => {
                self.at = None;
                Some(Err(error))
            }
        }
    }
}

/// The `.gnu.version` table: one 16-bit entry per dynamic symbol, the
/// index of its version; the top bit marks a hidden (non-default) version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SymbolVersions<'a> {
    data: &'a [u8],
}

impl<'a> SymbolVersions<'a> {
    /// `VER_NDX_LOCAL`: the symbol is local (not versioned, not exported).
    pub const LOCAL: u16 = 0;
    /// `VER_NDX_GLOBAL`: the symbol has the file's base version.
    pub const GLOBAL: u16 = 1;
    /// The bit that marks a hidden version (`symbol@VERSION`, not `@@`).
    pub const HIDDEN: u16 = 0x8000;

    /// The table in `data`, whose length must be a multiple of 2.
    pub fn new(data: &'a [u8]) -> Result<SymbolVersions<'a>> {
        if !data.len().is_multiple_of(2) {
            return Err(Error::BadVersionTable);
        }
        Ok(SymbolVersions { data })
    }

    /// The raw entry of dynamic symbol `symbol`.
    pub fn get(&self, symbol: usize) -> Option<u16> {
        u16_at(self.data, symbol.checked_mul(2)?)
    }

    pub fn len(&self) -> usize {
        self.data.len() / 2
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

impl<'a> ElfFile<'a> {
    /// The first section of type `kind`, if any.
    fn first_section(&self, kind: SectionType) -> Result<Option<SectionHeader>> {
        Ok(self.section_headers()?.find(|sh| sh.kind == kind))
    }

    /// The dynamic symbol table (`SHT_DYNSYM`, i.e. `.dynsym`).
    pub fn dynamic_symbol_table(&self) -> Result<Symbols<'a>> {
        let sh = self.first_section(SectionType::DynSym)?.ok_or(Error::NoSymbolTable)?;
        self.symbols(&sh)
    }

    /// The version definitions in `sh`, which must be `SHT_GNU_verdef`;
    /// names come from the string table `sh_link` names.
    pub fn version_definitions(&self, sh: &SectionHeader) -> Result<VersionDefinitions<'a>> {
        if sh.kind != SectionType::GnuVerdef {
            return Err(Error::NotAVersionTable);
        }
        let link = usize::try_from(sh.link).map_err(|_| Error::SectionIndexOutOfRange)?;
        let names = self.string_table(&self.section_header(link)?)?;
        Ok(VersionDefinitions::new(self.section_data(sh)?, names, sh.info))
    }

    /// The symbol versions in `sh`, which must be `SHT_GNU_versym`.
    pub fn symbol_versions(&self, sh: &SectionHeader) -> Result<SymbolVersions<'a>> {
        if sh.kind != SectionType::GnuVersym {
            return Err(Error::NotAVersionTable);
        }
        SymbolVersions::new(self.section_data(sh)?)
    }

    /// The file's version definitions (`.gnu.version_d`), if it has any.
    pub fn version_definition_table(&self) -> Result<Option<VersionDefinitions<'a>>> {
        match self.first_section(SectionType::GnuVerdef)? {
            Some(sh) => self.version_definitions(&sh).map(Some),
            None => Ok(None),
        }
    }

    /// The file's symbol versions (`.gnu.version`), if it has any.
    pub fn symbol_version_table(&self) -> Result<Option<SymbolVersions<'a>>> {
        match self.first_section(SectionType::GnuVersym)? {
            Some(sh) => self.symbol_versions(&sh).map(Some),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::vec::Vec;

    fn verdef(flags: u16, index: u16, hash: u32, name: u32, next: u32) -> Vec<u8> {
        let mut out = Vec::new();
        for half in [VER_DEF_CURRENT, flags, index, 1] {
            out.extend_from_slice(&half.to_le_bytes());
        }
        for word in [hash, VERDEF_SIZE as u32, next, name, 0] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out
    }

    const NAMES: &[u8] = b"\0linux-vdso.so.1\0LINUX_2.6\0";

    fn chain() -> Vec<u8> {
        let mut data = verdef(VersionDefinition::BASE, 1, 0x0aa1, 1, 28);
        data.extend(verdef(0, 2, 0x03ae_75f6, 17, 0));
        data
    }

    #[test]
    fn reads_a_chain() {
        let data = chain();
        let got: Vec<_> = VersionDefinitions::new(&data, StringTable::new(NAMES), 2).map(Result::unwrap).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].is_base());
        assert_eq!((got[0].index, got[0].name), (1, &b"linux-vdso.so.1"[..]));
        assert_eq!(
            (got[1].index, got[1].name, got[1].hash, got[1].is_base()),
            (2, &b"LINUX_2.6"[..], 0x03ae_75f6, false)
        );
    }

    #[test]
    fn count_and_chain_end_both_stop_it() {
        let data = chain();
        assert_eq!(VersionDefinitions::new(&data, StringTable::new(NAMES), 1).count(), 1);
        assert_eq!(VersionDefinitions::new(&data, StringTable::new(NAMES), 99).count(), 2);
        assert_eq!(VersionDefinitions::new(&data, StringTable::new(NAMES), 0).count(), 0);
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let data = chain();
        for len in 0..data.len() {
            let results: Vec<_> = VersionDefinitions::new(&data[..len], StringTable::new(NAMES), 2).collect();
            assert!(results.iter().any(Result::is_err), "cut to {len} passed");
            assert!(results.len() <= 2);
        }
    }

    #[test]
    fn bad_version_and_names_are_errors() {
        let mut data = chain();
        data[0] = 2;
        assert_eq!(
            VersionDefinitions::new(&data, StringTable::new(NAMES), 2).next(),
            Some(Err(Error::BadVersionDefinition))
        );
        let data = verdef(0, 2, 0, 999, 0);
        assert_eq!(
            VersionDefinitions::new(&data, StringTable::new(NAMES), 1).next(),
            Some(Err(Error::StringOutOfBounds))
        );
        // A next pointer far past the end: the second step fails cleanly.
        let data = verdef(0, 2, 0, 1, u32::MAX);
        let got: Vec<_> = VersionDefinitions::new(&data, StringTable::new(NAMES), 5).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], Err(Error::BadVersionDefinition));
    }

    #[test]
    fn symbol_versions() {
        let table = SymbolVersions::new(&[0, 0, 2, 0, 2, 0x80]).unwrap();
        assert_eq!(table.len(), 3);
        assert_eq!((table.get(0), table.get(1), table.get(2), table.get(3)), (Some(0), Some(2), Some(0x8002), None));
        assert_eq!(table.get(usize::MAX), None);
        assert_eq!(SymbolVersions::new(&[1, 2, 3]), Err(Error::BadVersionTable));
    }
}
