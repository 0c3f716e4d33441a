//! The auxiliary vector: `(type, value)` pairs the kernel places on the
//! initial stack after `envp`, ending with `AT_NULL` (`linux/auxvec.h`,
//! `arch/x86/include/uapi/asm/auxvec.h`, `asm/hwcap2.h`).
//!
//! Static musl and glibc binaries read at least `AT_PHDR`/`AT_PHNUM`
//! (for TLS and IRELATIVE relocs), `AT_PAGESZ`, `AT_RANDOM` (stack-protector
//! and pointer-guard canaries; must point at 16 random bytes),
//! `AT_SECURE`, `AT_HWCAP`/`AT_HWCAP2`, `AT_SYSINFO_EHDR` (the vDSO, optional)
//! `AT_MINSIGSTKSZ`, and `AT_EXECFN`.

use crate::wire::{get_u64, prefix, put_u64};

pub const AT_NULL: u64 = 0;
pub const AT_IGNORE: u64 = 1;
pub const AT_EXECFD: u64 = 2;
/// Address of the program headers in memory.
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
/// Load address of the interpreter (0 for a static binary).
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
/// The program's entry point (not the interpreter's).
pub const AT_ENTRY: u64 = 9;
pub const AT_NOTELF: u64 = 10;
pub const AT_UID: u64 = 11;
pub const AT_EUID: u64 = 12;
pub const AT_GID: u64 = 13;
pub const AT_EGID: u64 = 14;
/// Address of the string `"x86_64"`.
pub const AT_PLATFORM: u64 = 15;
/// CPUID leaf 1 EDX on x86.
pub const AT_HWCAP: u64 = 16;
/// `USER_HZ` (100).
pub const AT_CLKTCK: u64 = 17;
/// Non-zero for setuid/setgid-like execs: libc then ignores dangerous
/// environment variables.
pub const AT_SECURE: u64 = 23;
pub const AT_BASE_PLATFORM: u64 = 24;
/// Address of 16 random bytes.
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
/// The size of `struct rseq` the kernel supports.
pub const AT_RSEQ_FEATURE_SIZE: u64 = 27;
/// The alignment the kernel requires of `struct rseq`.
pub const AT_RSEQ_ALIGN: u64 = 28;
pub const AT_HWCAP3: u64 = 29;
pub const AT_HWCAP4: u64 = 30;
/// Address of the path passed to `execve`.
pub const AT_EXECFN: u64 = 31;
/// i386 only: the vsyscall entry.
pub const AT_SYSINFO: u64 = 32;
/// Address of the vDSO's ELF header.
pub const AT_SYSINFO_EHDR: u64 = 33;
/// The signal-frame size this CPU needs (its FPU state's size decides).
pub const AT_MINSIGSTKSZ: u64 = 51;

/// `AT_HWCAP2` bits on x86.
pub const HWCAP2_RING3MWAIT: u64 = 1 << 0;
/// User space may use RDFSBASE/WRFSBASE and friends.
pub const HWCAP2_FSGSBASE: u64 = 1 << 1;

/// One auxv entry (`Elf64_auxv_t`, 16 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuxvEntry {
    pub a_type: u64,
    pub a_val: u64,
}

impl AuxvEntry {
    pub const SIZE: usize = 16;

    pub const fn new(a_type: u64, a_val: u64) -> Self {
        Self { a_type, a_val }
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.a_type);
        put_u64(&mut b, 8, self.a_val);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { a_type: get_u64(b, 0), a_val: get_u64(b, 8) })
    }
}

/// The name of an auxv type, for traces and `/proc/self/auxv` dumps.
pub fn auxv_name(a_type: u64) -> Option<&'static str> {
    Some(match a_type {
        AT_NULL => "AT_NULL",
        AT_IGNORE => "AT_IGNORE",
        AT_EXECFD => "AT_EXECFD",
        AT_PHDR => "AT_PHDR",
        AT_PHENT => "AT_PHENT",
        AT_PHNUM => "AT_PHNUM",
        AT_PAGESZ => "AT_PAGESZ",
        AT_BASE => "AT_BASE",
        AT_FLAGS => "AT_FLAGS",
        AT_ENTRY => "AT_ENTRY",
        AT_NOTELF => "AT_NOTELF",
        AT_UID => "AT_UID",
        AT_EUID => "AT_EUID",
        AT_GID => "AT_GID",
        AT_EGID => "AT_EGID",
        AT_PLATFORM => "AT_PLATFORM",
        AT_HWCAP => "AT_HWCAP",
        AT_CLKTCK => "AT_CLKTCK",
        AT_SECURE => "AT_SECURE",
        AT_BASE_PLATFORM => "AT_BASE_PLATFORM",
        AT_RANDOM => "AT_RANDOM",
        AT_HWCAP2 => "AT_HWCAP2",
        AT_RSEQ_FEATURE_SIZE => "AT_RSEQ_FEATURE_SIZE",
        AT_RSEQ_ALIGN => "AT_RSEQ_ALIGN",
        AT_HWCAP3 => "AT_HWCAP3",
        AT_HWCAP4 => "AT_HWCAP4",
        AT_EXECFN => "AT_EXECFN",
        AT_SYSINFO => "AT_SYSINFO",
        AT_SYSINFO_EHDR => "AT_SYSINFO_EHDR",
        AT_MINSIGSTKSZ => "AT_MINSIGSTKSZ",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names() {
        assert_eq!(auxv_name(AT_RANDOM), Some("AT_RANDOM"));
        assert_eq!(auxv_name(AT_MINSIGSTKSZ), Some("AT_MINSIGSTKSZ"));
        assert_eq!(auxv_name(18), None);
    }

    proptest! {
        #[test]
        fn round_trip(t: u64, v: u64) {
            let e = AuxvEntry::new(t, v);
            prop_assert_eq!(AuxvEntry::from_bytes(&e.to_bytes()), Some(e));
        }
    }
}
