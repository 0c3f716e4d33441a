//! `arch_prctl(2)` codes (`arch/x86/include/uapi/asm/prctl.h`).
//!
//! Every x86_64 libc calls `ARCH_SET_FS` during startup to point FS at its
//! thread control block, and TLS accesses (`mov %fs:OFF, ...`) depend on it;
//! the kernel must write the FS base MSR (or use WRFSBASE) and preserve it
//! across context switches.

pub const ARCH_SET_GS: u32 = 0x1001;
pub const ARCH_SET_FS: u32 = 0x1002;
pub const ARCH_GET_FS: u32 = 0x1003;
pub const ARCH_GET_GS: u32 = 0x1004;
/// Whether CPUID faulting is off (1) or on (0) for this thread.
pub const ARCH_GET_CPUID: u32 = 0x1011;
pub const ARCH_SET_CPUID: u32 = 0x1012;
/// AMX and other dynamically enabled XSAVE features.
pub const ARCH_GET_XCOMP_SUPP: u32 = 0x1021;
pub const ARCH_GET_XCOMP_PERM: u32 = 0x1022;
pub const ARCH_REQ_XCOMP_PERM: u32 = 0x1023;
pub const ARCH_GET_XCOMP_GUEST_PERM: u32 = 0x1024;
pub const ARCH_REQ_XCOMP_GUEST_PERM: u32 = 0x1025;
pub const ARCH_XCOMP_TILECFG: u32 = 17;
pub const ARCH_XCOMP_TILEDATA: u32 = 18;
pub const ARCH_MAP_VDSO_X32: u32 = 0x2001;
pub const ARCH_MAP_VDSO_32: u32 = 0x2002;
pub const ARCH_MAP_VDSO_64: u32 = 0x2003;
/// Linear address masking (LAM).
pub const ARCH_GET_UNTAG_MASK: u32 = 0x4001;
pub const ARCH_ENABLE_TAGGED_ADDR: u32 = 0x4002;
pub const ARCH_GET_MAX_TAG_BITS: u32 = 0x4003;
pub const ARCH_FORCE_TAGGED_SVA: u32 = 0x4004;
/// User shadow stack (CET): glibc probes these at startup and must get
/// EINVAL if unsupported.
pub const ARCH_SHSTK_ENABLE: u32 = 0x5001;
pub const ARCH_SHSTK_DISABLE: u32 = 0x5002;
pub const ARCH_SHSTK_LOCK: u32 = 0x5003;
pub const ARCH_SHSTK_UNLOCK: u32 = 0x5004;
pub const ARCH_SHSTK_STATUS: u32 = 0x5005;
/// Feature bits for the `ARCH_SHSTK_*` calls.
pub const ARCH_SHSTK_SHSTK: u64 = 1 << 0;
pub const ARCH_SHSTK_WRSS: u64 = 1 << 1;

/// The name of a code, for traces.
pub fn arch_prctl_name(code: u32) -> Option<&'static str> {
    Some(match code {
        ARCH_SET_GS => "ARCH_SET_GS",
        ARCH_SET_FS => "ARCH_SET_FS",
        ARCH_GET_FS => "ARCH_GET_FS",
        ARCH_GET_GS => "ARCH_GET_GS",
        ARCH_GET_CPUID => "ARCH_GET_CPUID",
        ARCH_SET_CPUID => "ARCH_SET_CPUID",
        ARCH_GET_XCOMP_SUPP => "ARCH_GET_XCOMP_SUPP",
        ARCH_GET_XCOMP_PERM => "ARCH_GET_XCOMP_PERM",
        ARCH_REQ_XCOMP_PERM => "ARCH_REQ_XCOMP_PERM",
        ARCH_GET_XCOMP_GUEST_PERM => "ARCH_GET_XCOMP_GUEST_PERM",
        ARCH_REQ_XCOMP_GUEST_PERM => "ARCH_REQ_XCOMP_GUEST_PERM",
        ARCH_MAP_VDSO_X32 => "ARCH_MAP_VDSO_X32",
        ARCH_MAP_VDSO_32 => "ARCH_MAP_VDSO_32",
        ARCH_MAP_VDSO_64 => "ARCH_MAP_VDSO_64",
        ARCH_GET_UNTAG_MASK => "ARCH_GET_UNTAG_MASK",
        ARCH_ENABLE_TAGGED_ADDR => "ARCH_ENABLE_TAGGED_ADDR",
        ARCH_GET_MAX_TAG_BITS => "ARCH_GET_MAX_TAG_BITS",
        ARCH_FORCE_TAGGED_SVA => "ARCH_FORCE_TAGGED_SVA",
        ARCH_SHSTK_ENABLE => "ARCH_SHSTK_ENABLE",
        ARCH_SHSTK_DISABLE => "ARCH_SHSTK_DISABLE",
        ARCH_SHSTK_LOCK => "ARCH_SHSTK_LOCK",
        ARCH_SHSTK_UNLOCK => "ARCH_SHSTK_UNLOCK",
        ARCH_SHSTK_STATUS => "ARCH_SHSTK_STATUS",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(arch_prctl_name(0x1002), Some("ARCH_SET_FS"));
        assert_eq!(arch_prctl_name(0), None);
    }
}
