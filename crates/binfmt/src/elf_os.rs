//! Which operating system an ELF executable is for; the rules are on
//! [`ElfOs`].

use elf::{ElfFile, ElfType, Machine, Note, OsAbi};

use crate::identity::{Identity, Malformed};

/// The operating systems a personality exists (or is planned) for, as
/// decided from an ELF file.
///
/// ELF has no single field that answers this reliably, so the evidence is
/// weighed in a fixed order, strongest first, and the first conclusive piece
/// decides (the same order FreeBSD's image activator uses):
///
/// 1. **OS notes** in `PT_NOTE` segments, in file order. They are put there
///    by the OS's own C runtime or linker, so they are the most specific:
///    - owner `Helctic`, type 1 ([`NT_HELCTIC_ABI`], `.note.helctic`, emitted
///      by the native runtime `user/rt`): a native Helctic program when
///      descriptor word 0 is [`HELCTIC_ABI_VERSION`]; any other version is
///      conclusively Unknown (a native ABI this kernel does not speak);
///    - owner `GNU`, type 1 (`NT_GNU_ABI_TAG`, glibc's `.note.ABI-tag`):
///      descriptor word 0 is the kernel: 0 Linux, 3 FreeBSD (GNU/kFreeBSD
///      used the FreeBSD kernel ABI); any other kernel (Hurd, Solaris, ...)
///      is conclusively Unknown;
///    - owner `FreeBSD`, type 1 (`NT_FREEBSD_ABI_TAG`, `.note.tag`);
///    - owner `NetBSD`, type 1 (`NT_NETBSD_IDENT`, `.note.netbsd.ident`);
///    - owner `OpenBSD`, type 1 (`.note.openbsd.ident`);
///    - owner `Android`, type 1 (Bionic's `.note.android.ident`): Linux;
///    - owner `DragonFly`, type 1: conclusively Unknown (not FreeBSD, whose
///      ABI it left long ago).
///
///    Other notes (build ID, GNU properties, Go build ID, NetBSD PaX) say
///    nothing about the OS and are skipped, as are unreadable note segments;
///    only the first 64 notes are examined, to bound the work a hostile
///    file can cause.
/// 2. **`EI_OSABI`**: 3 (GNU, set by glibc toolchains when GNU extensions
///    like IFUNC are used) is Linux; 9 FreeBSD, 2 NetBSD, 12 OpenBSD (Go sets
///    these for its BSD targets); any other non-zero value names an OS
///    Helctic does not run and is conclusively Unknown. 0 (`SYSV`) claims
///    nothing.
/// 3. **The `PT_INTERP` path**, for dynamic executables that carry no note
///    (musl does not emit one): `ld-linux*`/`ld-musl-*` and Android's
///    `/system/bin/linker{,64}` are Linux; `/libexec/ld-elf.so.1` FreeBSD;
///    `/usr/libexec/ld.elf_so` NetBSD; `/usr/libexec/ld.so` OpenBSD;
///    DragonFly's `/usr/libexec/ld-elf.so.2` Unknown.
/// 4. **Default: Linux.** A static musl binary or a pure-Go `linux` binary has
///    `EI_OSABI` 0, no OS note and no interpreter; so does every
///    hand-written assembly program. Linux is the only plausible author.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfOs {
    /// A native Helctic program (capability system calls, no personality).
    Helctic,
    Linux,
    FreeBsd,
    NetBsd,
    OpenBsd,
    /// The file names an OS, but not one of these.
    Unknown,
}

/// Which rule (see [`ElfOs`]) decided [`ElfBinary::os`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OsEvidence {
    Note,
    OsAbi,
    Interpreter,
    Default,
}

/// An ELF64 little-endian file and what it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElfBinary {
    pub machine: Machine,
    pub os: ElfOs,
    pub evidence: OsEvidence,
    /// `e_type`: exec still has to refuse anything but executables and
    /// shared objects, which the loader's `load_plan` does.
    pub kind: ElfType,
    /// The raw `EI_OSABI` byte, for diagnostics.
    pub os_abi: OsAbi,
}

/// Owner name of the note that marks a native Helctic program (written
/// NUL-terminated, `namesz` 8, in section `.note.helctic`).
pub const HELCTIC_NOTE_OWNER: &[u8] = b"Helctic";
/// Type of that note: its descriptor is one little-endian `u32`, the native
/// ABI version the program was built for.
pub const NT_HELCTIC_ABI: u32 = 1;
/// The native ABI version this kernel runs.
pub const HELCTIC_ABI_VERSION: u32 = 1;

const NT_GNU_ABI_TAG: u32 = 1;
const GNU_ABI_TAG_LINUX: u32 = 0;
const GNU_ABI_TAG_FREEBSD: u32 = 3;
/// The "identification" note type every BSD-style OS note uses.
const NT_IDENT: u32 = 1;
/// How many notes (or unreadable note segments) identification looks at. A
/// hostile file can point thousands of `PT_NOTE` headers at the same bytes
/// to make a naive scan take seconds; real binaries carry a handful of
/// notes, with the OS note among the first.
const MAX_NOTES_EXAMINED: usize = 64;

pub(crate) fn identify(bytes: &[u8]) -> Identity<'_> {
    match ElfFile::parse(bytes) {
        Ok(file) => Identity::Elf(describe(&file)),
        Err(error) => Identity::Malformed(Malformed::Elf(error)),
    }
}

fn describe(file: &ElfFile<'_>) -> ElfBinary {
    let header = file.header();
    let (os, evidence) = if let Some(os) = os_from_notes(file) {
        (os, OsEvidence::Note)
    } else if let Some(os) = os_from_os_abi(header.os_abi) {
        (os, OsEvidence::OsAbi)
    } else if let Some(os) = os_from_interpreter(file) {
        (os, OsEvidence::Interpreter)
    } else {
        (ElfOs::Linux, OsEvidence::Default)
    };
    ElfBinary { machine: header.machine, os, evidence, kind: header.kind, os_abi: header.os_abi }
}

fn os_from_notes(file: &ElfFile<'_>) -> Option<ElfOs> {
    file.notes().take(MAX_NOTES_EXAMINED).flatten().find_map(|note| os_from_note(&note))
}

fn os_from_note(note: &Note<'_>) -> Option<ElfOs> {
    if note.is(HELCTIC_NOTE_OWNER, NT_HELCTIC_ABI) {
        // A descriptor too short for the version word is a broken note and,
        // like any other, decides nothing.
        return match note.desc_word(0)? {
            HELCTIC_ABI_VERSION => Some(ElfOs::Helctic),
            _ => Some(ElfOs::Unknown),
        };
    }
    if note.is(b"GNU", NT_GNU_ABI_TAG) {
        return match note.desc_word(0)? {
            GNU_ABI_TAG_LINUX => Some(ElfOs::Linux),
            GNU_ABI_TAG_FREEBSD => Some(ElfOs::FreeBsd),
            _ => Some(ElfOs::Unknown),
        };
    }
    if note.kind != NT_IDENT {
        return None;
    }
    match note.name {
        b"FreeBSD" => Some(ElfOs::FreeBsd),
        b"NetBSD" => Some(ElfOs::NetBsd),
        b"OpenBSD" => Some(ElfOs::OpenBsd),
        b"Android" => Some(ElfOs::Linux),
        b"DragonFly" => Some(ElfOs::Unknown),
        _ => None,
    }
}

fn os_from_os_abi(os_abi: OsAbi) -> Option<ElfOs> {
    match os_abi {
        OsAbi::SYSV => None,
        OsAbi::GNU => Some(ElfOs::Linux),
        OsAbi::FREEBSD => Some(ElfOs::FreeBsd),
        OsAbi::NETBSD => Some(ElfOs::NetBsd),
        OsAbi::OPENBSD => Some(ElfOs::OpenBsd),
        _ => Some(ElfOs::Unknown),
    }
}

fn os_from_interpreter(file: &ElfFile<'_>) -> Option<ElfOs> {
    let path = file.interpreter().ok()??;
    let file_name = path.rsplit(|&b| b == b'/').next().unwrap_or(path);
    match path {
        b"/libexec/ld-elf.so.1" | b"/libexec/ld-elf32.so.1" => Some(ElfOs::FreeBsd),
        b"/usr/libexec/ld.elf_so" => Some(ElfOs::NetBsd),
        b"/usr/libexec/ld.so" => Some(ElfOs::OpenBsd),
        b"/usr/libexec/ld-elf.so.2" => Some(ElfOs::Unknown),
        b"/system/bin/linker" | b"/system/bin/linker64" => Some(ElfOs::Linux),
        _ if file_name.starts_with(b"ld-linux") || file_name.starts_with(b"ld-musl-") => Some(ElfOs::Linux),
        _ => None,
    }
}
