//! Which operating system, and which machine, is this binary for?
//!
//! Helctic picks a process's personality at exec time from the file itself.
//! [`identify`] looks at the first bytes, recognises the container format
//! (ELF, PE, Mach-O, a universal Mach-O, or a `#!` script) and reads just
//! enough of it to answer. It never panics and never allocates; a file whose
//! magic is recognised but whose header is broken is reported as
//! [`Identity::Malformed`], distinct from [`Identity::Unknown`], and the
//! kernel maps both to `ENOEXEC`.
//!
//! The rules for ELF, where the answer is least obvious, are documented on
//! [`ElfOs`]: OS notes first, then `EI_OSABI`, then the interpreter path,
//! then Linux by default.
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
mod elf_os;
mod fat;
mod identity;
mod macho;
mod pe;
mod script;

pub use elf_os::{ElfBinary, ElfOs, OsEvidence, HELCTIC_ABI_VERSION, HELCTIC_NOTE_OWNER, NT_HELCTIC_ABI};
pub use fat::{FatArch, FatArches, FatBinary, FatError, MAX_FAT_ARCHES};
pub use identity::{Identity, Malformed};
pub use macho::{CpuType, MachOBinary, MachOError, MachOFileType};
pub use pe::{PeBinary, PeError, PeFormat, PeMachine, Subsystem};
pub use script::{Script, ScriptError, MAX_SCRIPT_LINE};

/// Recognises the format of `bytes` (the start of a file; the whole file
/// for ELF and universal binaries, whose tables may lie anywhere) and says
/// what it is for.
pub fn identify(bytes: &[u8]) -> Identity<'_> {
    let magic = bytes.get(..4).unwrap_or(bytes);
    if magic.starts_with(b"#!") {
        return script::identify(bytes);
    }
    if magic.starts_with(b"MZ") {
        return pe::identify(bytes);
    }
    match magic {
        b"\x7fELF" => elf_os::identify(bytes),
        macho::MH_MAGIC_LE | macho::MH_MAGIC_64_LE | macho::MH_MAGIC_BE | macho::MH_MAGIC_64_BE => {
            macho::identify(bytes)
        }
        fat::FAT_MAGIC | fat::FAT_MAGIC_64 => fat::identify(bytes),
        _ => Identity::Unknown,
    }
}
