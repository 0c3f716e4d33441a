//! The answer [`crate::identify`] gives.

use crate::elf_os::ElfBinary;
use crate::fat::{FatBinary, FatError};
use crate::macho::{MachOBinary, MachOError};
use crate::pe::{PeBinary, PeError};
use crate::script::{Script, ScriptError};

/// What a file is, as far as exec is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity<'a> {
    /// An ELF64 little-endian file, with the OS it is built for.
    Elf(ElfBinary),
    /// A Windows PE image.
    Pe(PeBinary),
    /// A single-architecture Mach-O file.
    MachO(MachOBinary),
    /// A universal (fat) Mach-O file holding one slice per architecture.
    FatMachO(FatBinary<'a>),
    /// A `#!` script: run `interpreter` instead.
    Script(Script<'a>),
    /// A recognised magic number with a header that cannot be used. Also
    /// covers ELF32 and big-endian ELF, which Helctic does not run.
    Malformed(Malformed),
    /// No format Helctic knows.
    Unknown,
}

/// Why a file with a recognised magic number was refused, by format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Malformed {
    Elf(elf::Error),
    Pe(PeError),
    MachO(MachOError),
    FatMachO(FatError),
    Script(ScriptError),
}
