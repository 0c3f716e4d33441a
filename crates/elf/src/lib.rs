//! A zero-copy reader for 64-bit little-endian ELF files.
//!
//! The kernel's exec path hands this crate the bytes of a file that any user
//! could have written, so every byte is an allegation: nothing here indexes
//! unchecked, every offset and size is bounds- and overflow-checked, and every
//! accessor returns a `Result` or an `Option`. The crate forbids `unsafe` and,
//! under clippy, denies indexing, unchecked arithmetic and `unwrap`, so "never
//! panics" is enforced by lints as well as by the fuzz-style tests.
//!
//! What it offers, from the bottom up:
//!
//! - [`ElfFile::parse`] checks the file header (magic, ELF64, little-endian,
//!   version) and that the program header table lies inside the file. Section
//!   headers are checked only when asked for, because a loader (like Linux)
//!   must not care about them.
//! - [`ElfFile::program_headers`] yields typed [`ProgramHeader`]s.
//! - [`ElfFile::load_plan`] is the loader's gate: it validates every
//!   `PT_LOAD` segment and reports the address span, so a static PIE can be
//!   placed at any base.
//! - [`ElfFile::check_placement`] checks the segments against the address
//!   space once the image's bias is chosen, so mapping them cannot overflow.
//! - [`loader_extent`] says how much of the head of a file a loader must
//!   read before it can map the rest, so exec never reads a whole binary.
//! - [`ElfFile::interpreter`], [`ElfFile::tls_template`] and
//!   [`ElfFile::stack_permission`] answer the other questions exec asks.
//! - [`ElfFile::notes`] walks `PT_NOTE` segments, which is how a binary says
//!   which operating system it was built for.
//! - [`ElfFile::function_symbols`] reads `.symtab`, for the build tool's
//!   kernel symbol table.
//! - [`ElfFile::dynamic_entries`], [`ElfFile::dynamic_symbol_table`],
//!   [`ElfFile::version_definition_table`] and
//!   [`ElfFile::symbol_version_table`] read what a dynamic loader reads of
//!   a shared object, for the build tool's checks of the vDSO.
//!
//! Only ELF64 little-endian is read (x86_64 and aarch64 are the targets);
//! ELF32 and big-endian files are recognised and reported with their own
//! errors so the caller can say why it refused them.
#![no_std]
#![forbid(unsafe_code)]
// Unit tests may index and unwrap freely; the library may not.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::cast_possible_truncation
    )
)]

mod bytes;
mod dynamic;
mod error;
mod extent;
mod file;
mod header;
mod interpreter;
mod load_plan;
mod note;
mod placement;
mod program_header;
mod section_header;
mod stack;
mod string_table;
mod symbol;
mod tls;
mod version;

pub use dynamic::{DynamicEntries, DynamicEntry};
pub use error::Error;
pub use extent::loader_extent;
pub use file::ElfFile;
pub use header::{ElfType, FileHeader, Machine, OsAbi, FILE_HEADER_SIZE};
pub use interpreter::{interpreter_path, MAX_INTERPRETER_LEN, MIN_INTERPRETER_LEN};
pub use load_plan::LoadPlan;
pub use note::{note_alignment, AllNotes, Note, Notes};
pub use placement::{AddressRange, Misplaced};
pub use program_header::{ProgramHeader, ProgramHeaders, SegmentFlags, SegmentType};
pub use section_header::{SectionHeader, SectionHeaders, SectionType};
pub use stack::StackPermission;
pub use string_table::StringTable;
pub use symbol::{FunctionSymbols, Symbol, SymbolBinding, SymbolType, Symbols};
pub use tls::TlsTemplate;
pub use version::{SymbolVersions, VersionDefinition, VersionDefinitions};

/// The result of every fallible operation in this crate.
pub type Result<T> = core::result::Result<T, Error>;
