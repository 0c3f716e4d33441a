//! The personalities compiled into this kernel: one table says which
//! binaries each runs and how its system calls arrive. Exec looks a
//! binary's brand up here (see task/exec.rs); a process keeps its entry's
//! number in an atomic, read on every system call without a lock.
//!
//! Adding an OS is a crate implementing `kernel_ops::Personality` and one
//! line in `REGISTRY`.

use binfmt::ElfOs;
use kernel_ops::Personality;

/// How a personality's system calls reach the kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallPath {
    /// Through `Personality::syscall`, which decodes the foreign call and
    /// asks the core (`KernelOps`) for what it needs.
    Translated,
    /// Straight to the kernel's own dispatcher (`native::syscall`): the
    /// native ABI is the kernel's, there is nothing to translate.
    Native,
}

/// A personality compiled in.
pub struct Registered {
    pub personality: &'static dyn Personality,
    /// The ELF brands (crates/binfmt's reading of EI_OSABI and notes) it runs.
    pub elf: &'static [ElfOs],
    pub calls: CallPath,
    /// Its index in `REGISTRY`: what a process keeps.
    pub number: u8,
}

static REGISTRY: [Registered; 4] = [
    Registered { personality: &personality_linux::LINUX, elf: &[ElfOs::Linux], calls: CallPath::Translated, number: 0 },
    Registered { personality: &crate::native::NATIVE, elf: &[ElfOs::Helctic], calls: CallPath::Native, number: 1 },
    Registered {
        personality: &personality_freebsd::FREEBSD,
        elf: &[ElfOs::FreeBsd],
        calls: CallPath::Translated,
        number: 2,
    },
    Registered {
        personality: &personality_netbsd::NETBSD,
        elf: &[ElfOs::NetBsd],
        calls: CallPath::Translated,
        number: 3,
    },
];

/// For the first process, before any binary has been looked at, and for
/// the kernel's own threads.
pub fn default() -> &'static Registered {
    &REGISTRY[0]
}

/// The kernel's own ABI, for tasks the kernel starts itself.
pub fn native() -> &'static Registered {
    &REGISTRY[1]
}

/// The personality that runs ELF programs of this brand, if one is
/// compiled in.
pub fn for_elf(os: ElfOs) -> Option<&'static Registered> {
    REGISTRY.iter().find(|r| r.elf.contains(&os))
}

/// The entry a process's number names (an unknown number, which nothing
/// stores, gives the default).
pub fn by_number(n: u8) -> &'static Registered {
    REGISTRY.get(usize::from(n)).unwrap_or(default())
}

/// Every entry, in order.
pub fn all() -> &'static [Registered] {
    &REGISTRY
}
