//! Symbol tables (`SHT_SYMTAB`, `SHT_DYNSYM`): names for addresses, which the
//! build tool turns into the kernel's backtrace symbol table.

use core::iter::Enumerate;
use core::slice::ChunksExact;

use crate::bytes::{u16_at, u32_at, u64_at, u8_at};
use crate::section_header::{SectionHeader, SectionType};
use crate::string_table::StringTable;
use crate::{ElfFile, Error, Result};

/// Size of `Elf64_Sym`.
const SYMBOL_SIZE: usize = 24;
/// `st_shndx` of a symbol defined elsewhere.
const SHN_UNDEF: u16 = 0;

/// The low nibble of `st_info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolType {
    NoType,
    Object,
    Func,
    Section,
    File,
    Common,
    Tls,
    /// `STT_GNU_IFUNC`: a function whose address a resolver picks at load.
    GnuIfunc,
    Other(u8),
}

impl SymbolType {
    pub fn from_raw(raw: u8) -> SymbolType {
        match raw {
            0 => SymbolType::NoType,
            1 => SymbolType::Object,
            2 => SymbolType::Func,
            3 => SymbolType::Section,
            4 => SymbolType::File,
            5 => SymbolType::Common,
            6 => SymbolType::Tls,
            10 => SymbolType::GnuIfunc,
            other => SymbolType::Other(other),
        }
    }
}

/// The high nibble of `st_info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolBinding {
    Local,
    Global,
    Weak,
    /// `STB_GNU_UNIQUE`.
    GnuUnique,
    Other(u8),
}

impl SymbolBinding {
    pub fn from_raw(raw: u8) -> SymbolBinding {
        match raw {
            0 => SymbolBinding::Local,
            1 => SymbolBinding::Global,
            2 => SymbolBinding::Weak,
            10 => SymbolBinding::GnuUnique,
            other => SymbolBinding::Other(other),
        }
    }
}

/// One decoded `Elf64_Sym` with its name looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol<'a> {
    /// Position in the symbol table (0 is the reserved null symbol).
    pub index: usize,
    pub name: &'a [u8],
    pub value: u64,
    pub size: u64,
    pub kind: SymbolType,
    pub binding: SymbolBinding,
    /// `st_other`: visibility in the low bits.
    pub other: u8,
    /// `st_shndx`: the section the symbol is defined in, or a special index.
    pub section_index: u16,
}

impl Symbol<'_> {
    /// Whether the symbol is defined in this file (not an import).
    pub fn is_defined(&self) -> bool {
        self.section_index != SHN_UNDEF
    }

    /// A function defined in this file: what a backtrace can name.
    pub fn is_defined_function(&self) -> bool {
        self.kind == SymbolType::Func && self.is_defined()
    }
}

/// Iterator over a symbol table. An entry whose name cannot be read yields
/// an error, and iteration goes on: the other entries are still sound.
#[derive(Clone, Debug)]
pub struct Symbols<'a> {
    entries: Enumerate<ChunksExact<'a, u8>>,
    names: StringTable<'a>,
}

impl<'a> Symbols<'a> {
    fn decode(&self, index: usize, entry: &[u8]) -> Result<Symbol<'a>> {
        let raw = RawSymbol::parse(entry).ok_or(Error::BadSymbolSize)?;
        Ok(Symbol {
            index,
            name: self.names.get(raw.name)?,
            value: raw.value,
            size: raw.size,
            kind: SymbolType::from_raw(raw.info & 0xf),
            binding: SymbolBinding::from_raw(raw.info >> 4),
            other: raw.other,
            section_index: raw.section_index,
        })
    }
}

/// The fields of an `Elf64_Sym` before its name is looked up.
struct RawSymbol {
    name: u32,
    info: u8,
    other: u8,
    section_index: u16,
    value: u64,
    size: u64,
}

impl RawSymbol {
    fn parse(entry: &[u8]) -> Option<RawSymbol> {
        Some(RawSymbol {
            name: u32_at(entry, 0)?,
            info: u8_at(entry, 4)?,
            other: u8_at(entry, 5)?,
            section_index: u16_at(entry, 6)?,
            value: u64_at(entry, 8)?,
            size: u64_at(entry, 16)?,
        })
    }
}

impl<'a> Iterator for Symbols<'a> {
    type Item = Result<Symbol<'a>>;

    fn next(&mut self) -> Option<Result<Symbol<'a>>> {
        let (index, entry) = self.entries.next()?;
        Some(self.decode(index, entry))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

/// The defined functions of a symbol table, errors passed through.
#[derive(Clone, Debug)]
pub struct FunctionSymbols<'a> {
    symbols: Symbols<'a>,
}

impl<'a> Iterator for FunctionSymbols<'a> {
    type Item = Result<Symbol<'a>>;

    fn next(&mut self) -> Option<Result<Symbol<'a>>> {
        self.symbols.find(|symbol| match symbol {
            Ok(symbol) => symbol.is_defined_function(),
            Err(_) => true,
        })
    }
}

impl<'a> ElfFile<'a> {
    /// The symbols of `sh`, which must be `SHT_SYMTAB` or `SHT_DYNSYM` with
    /// 24-byte entries; names come from the string table `sh_link` names.
    pub fn symbols(&self, sh: &SectionHeader) -> Result<Symbols<'a>> {
        if !matches!(sh.kind, SectionType::SymTab | SectionType::DynSym) {
            return Err(Error::NotASymbolTable);
        }
        let data = self.section_data(sh)?;
        if usize::try_from(sh.entsize) != Ok(SYMBOL_SIZE) || data.len() % SYMBOL_SIZE != 0 {
            return Err(Error::BadSymbolSize);
        }
        let link = usize::try_from(sh.link).map_err(|_| Error::SectionIndexOutOfRange)?;
        let names = self.string_table(&self.section_header(link)?)?;
        Ok(Symbols { entries: data.chunks_exact(SYMBOL_SIZE).enumerate(), names })
    }

    /// The static symbol table (`SHT_SYMTAB`, i.e. `.symtab`).
    pub fn symbol_table(&self) -> Result<Symbols<'a>> {
        let sh = self.section_headers()?.find(|sh| sh.kind == SectionType::SymTab).ok_or(Error::NoSymbolTable)?;
        self.symbols(&sh)
    }

    /// The defined function symbols of `.symtab`: name, address and size of
    /// every function, for symbolising backtraces.
    pub fn function_symbols(&self) -> Result<FunctionSymbols<'a>> {
        Ok(FunctionSymbols { symbols: self.symbol_table()? })
    }
}
