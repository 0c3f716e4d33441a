//! `prctl(2)` options that static Linux programs commonly issue
//! (`linux/prctl.h`).
//!
//! Options for other architectures (SVE, SME, PAC, RISC-V, PowerPC) are
//! included so a trace can name them and the personality can refuse them
//! with EINVAL as x86_64 Linux does.

pub const PR_SET_PDEATHSIG: u32 = 1;
pub const PR_GET_PDEATHSIG: u32 = 2;
pub const PR_GET_DUMPABLE: u32 = 3;
pub const PR_SET_DUMPABLE: u32 = 4;
pub const PR_GET_UNALIGN: u32 = 5;
pub const PR_SET_UNALIGN: u32 = 6;
pub const PR_GET_KEEPCAPS: u32 = 7;
pub const PR_SET_KEEPCAPS: u32 = 8;
pub const PR_GET_FPEMU: u32 = 9;
pub const PR_SET_FPEMU: u32 = 10;
pub const PR_GET_FPEXC: u32 = 11;
pub const PR_SET_FPEXC: u32 = 12;
pub const PR_GET_TIMING: u32 = 13;
pub const PR_SET_TIMING: u32 = 14;
/// Set the thread name (`comm`): up to 15 bytes plus NUL, silently truncated.
pub const PR_SET_NAME: u32 = 15;
/// Read the thread name into a 16-byte buffer.
pub const PR_GET_NAME: u32 = 16;
pub const PR_GET_ENDIAN: u32 = 19;
pub const PR_SET_ENDIAN: u32 = 20;
pub const PR_GET_SECCOMP: u32 = 21;
pub const PR_SET_SECCOMP: u32 = 22;
pub const PR_CAPBSET_READ: u32 = 23;
pub const PR_CAPBSET_DROP: u32 = 24;
pub const PR_GET_TSC: u32 = 25;
pub const PR_SET_TSC: u32 = 26;
pub const PR_GET_SECUREBITS: u32 = 27;
pub const PR_SET_SECUREBITS: u32 = 28;
pub const PR_SET_TIMERSLACK: u32 = 29;
pub const PR_GET_TIMERSLACK: u32 = 30;
pub const PR_TASK_PERF_EVENTS_DISABLE: u32 = 31;
pub const PR_TASK_PERF_EVENTS_ENABLE: u32 = 32;
pub const PR_MCE_KILL: u32 = 33;
pub const PR_MCE_KILL_GET: u32 = 34;
pub const PR_SET_MM: u32 = 35;
pub const PR_SET_CHILD_SUBREAPER: u32 = 36;
pub const PR_GET_CHILD_SUBREAPER: u32 = 37;
pub const PR_SET_NO_NEW_PRIVS: u32 = 38;
pub const PR_GET_NO_NEW_PRIVS: u32 = 39;
pub const PR_GET_TID_ADDRESS: u32 = 40;
pub const PR_SET_THP_DISABLE: u32 = 41;
pub const PR_GET_THP_DISABLE: u32 = 42;
pub const PR_MPX_ENABLE_MANAGEMENT: u32 = 43;
pub const PR_MPX_DISABLE_MANAGEMENT: u32 = 44;
pub const PR_SET_FP_MODE: u32 = 45;
pub const PR_GET_FP_MODE: u32 = 46;
pub const PR_CAP_AMBIENT: u32 = 47;
pub const PR_SVE_SET_VL: u32 = 50;
pub const PR_SVE_GET_VL: u32 = 51;
pub const PR_GET_SPECULATION_CTRL: u32 = 52;
pub const PR_SET_SPECULATION_CTRL: u32 = 53;
pub const PR_PAC_RESET_KEYS: u32 = 54;
pub const PR_SET_TAGGED_ADDR_CTRL: u32 = 55;
pub const PR_GET_TAGGED_ADDR_CTRL: u32 = 56;
pub const PR_SET_IO_FLUSHER: u32 = 57;
pub const PR_GET_IO_FLUSHER: u32 = 58;
pub const PR_SET_SYSCALL_USER_DISPATCH: u32 = 59;
pub const PR_PAC_SET_ENABLED_KEYS: u32 = 60;
pub const PR_PAC_GET_ENABLED_KEYS: u32 = 61;
pub const PR_SCHED_CORE: u32 = 62;
pub const PR_SME_SET_VL: u32 = 63;
pub const PR_SME_GET_VL: u32 = 64;
/// Memory-deny-write-execute (Linux 6.3).
pub const PR_SET_MDWE: u32 = 65;
pub const PR_GET_MDWE: u32 = 66;
/// KSM for the whole process (Linux 6.4).
pub const PR_SET_MEMORY_MERGE: u32 = 67;
pub const PR_GET_MEMORY_MERGE: u32 = 68;
/// Name an anonymous mapping (shown in /proc/self/maps).
pub const PR_SET_VMA: u32 = 0x53564d41;
pub const PR_SET_VMA_ANON_NAME: u32 = 0;
/// Yama: let another process ptrace this one.
pub const PR_SET_PTRACER: u32 = 0x59616d61;
pub const PR_SET_PTRACER_ANY: u64 = u64::MAX;

// PR_SET_DUMPABLE arguments.
pub const SUID_DUMP_DISABLE: u64 = 0;
pub const SUID_DUMP_USER: u64 = 1;

/// Bytes in a task name, including the NUL (`TASK_COMM_LEN`).
pub const TASK_COMM_LEN: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(PR_SET_NAME, 15);
        assert_eq!(PR_GET_NAME, 16);
        assert_eq!(PR_SET_VMA, u32::from_be_bytes(*b"SVMA"));
        assert_eq!(PR_SET_PTRACER, u32::from_be_bytes(*b"Yama"));
    }
}
