//! `ptrace(2)`: requests, options, events, the wait status of a traced
//! stop and `struct ptrace_syscall_info` (`linux/ptrace.h`); the register
//! layouts are each architecture's (`arch/`).

use crate::wire::put_u64;

pub const PTRACE_TRACEME: u64 = 0;
pub const PTRACE_PEEKTEXT: u64 = 1;
pub const PTRACE_PEEKDATA: u64 = 2;
pub const PTRACE_PEEKUSER: u64 = 3;
pub const PTRACE_POKETEXT: u64 = 4;
pub const PTRACE_POKEDATA: u64 = 5;
pub const PTRACE_POKEUSER: u64 = 6;
pub const PTRACE_CONT: u64 = 7;
pub const PTRACE_KILL: u64 = 8;
pub const PTRACE_SINGLESTEP: u64 = 9;
pub const PTRACE_GETREGS: u64 = 12;
pub const PTRACE_SETREGS: u64 = 13;
pub const PTRACE_GETFPREGS: u64 = 14;
pub const PTRACE_SETFPREGS: u64 = 15;
pub const PTRACE_ATTACH: u64 = 16;
pub const PTRACE_DETACH: u64 = 17;
pub const PTRACE_SYSCALL: u64 = 24;
pub const PTRACE_SETOPTIONS: u64 = 0x4200;
pub const PTRACE_GETEVENTMSG: u64 = 0x4201;
pub const PTRACE_GETSIGINFO: u64 = 0x4202;
pub const PTRACE_SETSIGINFO: u64 = 0x4203;
pub const PTRACE_GETREGSET: u64 = 0x4204;
pub const PTRACE_SETREGSET: u64 = 0x4205;
pub const PTRACE_SEIZE: u64 = 0x4206;
pub const PTRACE_INTERRUPT: u64 = 0x4207;
pub const PTRACE_LISTEN: u64 = 0x4208;
pub const PTRACE_GETSIGMASK: u64 = 0x420a;
pub const PTRACE_SETSIGMASK: u64 = 0x420b;
pub const PTRACE_GET_SYSCALL_INFO: u64 = 0x420e;

pub const PTRACE_O_TRACESYSGOOD: u64 = 1;
pub const PTRACE_O_TRACEFORK: u64 = 1 << 1;
pub const PTRACE_O_TRACEVFORK: u64 = 1 << 2;
pub const PTRACE_O_TRACECLONE: u64 = 1 << 3;
pub const PTRACE_O_TRACEEXEC: u64 = 1 << 4;
pub const PTRACE_O_TRACEVFORKDONE: u64 = 1 << 5;
pub const PTRACE_O_TRACEEXIT: u64 = 1 << 6;
pub const PTRACE_O_TRACESECCOMP: u64 = 1 << 7;
pub const PTRACE_O_EXITKILL: u64 = 1 << 20;
pub const PTRACE_O_SUSPEND_SECCOMP: u64 = 1 << 21;
/// Every option bit Linux knows.
pub const PTRACE_O_MASK: u64 = 0xff | PTRACE_O_EXITKILL | PTRACE_O_SUSPEND_SECCOMP;

pub const PTRACE_EVENT_FORK: u32 = 1;
pub const PTRACE_EVENT_VFORK: u32 = 2;
pub const PTRACE_EVENT_CLONE: u32 = 3;
pub const PTRACE_EVENT_EXEC: u32 = 4;
pub const PTRACE_EVENT_VFORK_DONE: u32 = 5;
pub const PTRACE_EVENT_EXIT: u32 = 6;
pub const PTRACE_EVENT_SECCOMP: u32 = 7;
pub const PTRACE_EVENT_STOP: u32 = 128;

/// Note types of the register sets PTRACE_GETREGSET knows here.
pub const NT_PRSTATUS: u64 = 1;
pub const NT_PRFPREG: u64 = 2;

pub const PTRACE_SYSCALL_INFO_NONE: u8 = 0;
pub const PTRACE_SYSCALL_INFO_ENTRY: u8 = 1;
pub const PTRACE_SYSCALL_INFO_EXIT: u8 = 2;
/// `AUDIT_ARCH_X86_64`.
pub const AUDIT_ARCH_X86_64: u32 = 0xc000_003e;

/// The bit a syscall stop adds to SIGTRAP under PTRACE_O_TRACESYSGOOD.
pub const SYSCALL_TRAP_FLAG: u32 = 0x80;

/// The wait status of a traced stop: `(sig << 8) | 0x7f`, with 0x80 in
/// the signal byte for a syscall stop under TRACESYSGOOD and the event
/// number in bits 16-23.
pub const fn traced_status(sig: u32, syscall_good: bool, event: u32) -> i32 {
    let sig = (sig & 0x7f) | if syscall_good { SYSCALL_TRAP_FLAG } else { 0 };
    ((event as i32 & 0xff) << 16) | ((sig as i32) << 8) | 0x7f
}

/// The `si_code` of the SIGTRAP a syscall or event stop reports
/// (`ptrace_notify`: the status's bits above the stop byte).
pub const fn trap_code(syscall_good: bool, event: u32) -> i32 {
    traced_status(crate::signal::SIGTRAP, syscall_good, event) >> 8
}

/// Option bits refused with EINVAL: unknown ones. (Seccomp options are
/// known; there is no seccomp, so they are accepted and never fire.)
pub const fn options_valid(options: u64) -> bool {
    options & !PTRACE_O_MASK == 0
}

/// `struct ptrace_syscall_info`, as much of it as its `op` fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyscallInfo {
    pub op: u8,
    pub instruction_pointer: u64,
    pub stack_pointer: u64,
    pub nr: u64,
    pub args: [u64; 6],
    pub rval: i64,
    pub is_error: bool,
}

impl SyscallInfo {
    pub const SIZE: usize = 88;

    /// The bytes and how many of them the kernel reports for this `op`
    /// (PTRACE_GET_SYSCALL_INFO returns that size and copies at most the
    /// caller's).
    pub fn to_bytes(&self) -> ([u8; Self::SIZE], usize) {
        let mut b = [0u8; Self::SIZE];
        b[0] = self.op;
        b[4..8].copy_from_slice(&AUDIT_ARCH_X86_64.to_le_bytes());
        put_u64(&mut b, 8, self.instruction_pointer);
        put_u64(&mut b, 16, self.stack_pointer);
        let len = match self.op {
            PTRACE_SYSCALL_INFO_ENTRY => {
                put_u64(&mut b, 24, self.nr);
                for (i, a) in self.args.iter().enumerate() {
                    put_u64(&mut b, 32 + i * 8, *a);
                }
                80
            }
            PTRACE_SYSCALL_INFO_EXIT => {
                put_u64(&mut b, 24, self.rval as u64);
                b[32] = u8::from(self.is_error);
                33
            }
            _ => 24,
        };
        (b, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::get_u64;

    #[test]
    fn stop_statuses_are_linuxs() {
        // A syscall stop under TRACESYSGOOD: (SIGTRAP|0x80)<<8 | 0x7f.
        assert_eq!(traced_status(5, true, 0), 0x857f);
        assert_eq!(traced_status(5, false, 0), 0x057f);
        assert_eq!(traced_status(19, false, 0), 0x137f);
        // An event: event<<16 on top of the SIGTRAP stop.
        assert_eq!(traced_status(5, false, PTRACE_EVENT_FORK), 0x1057f);
        assert_eq!(traced_status(5, false, PTRACE_EVENT_STOP), 0x80057f);
        assert_eq!(trap_code(true, 0), 0x85);
        assert_eq!(trap_code(false, PTRACE_EVENT_EXEC), 0x405);
        assert!(crate::wait::wifstopped(traced_status(5, true, 3)));
    }

    #[test]
    fn options_are_checked() {
        assert!(options_valid(0));
        assert!(options_valid(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXIT));
        assert!(!options_valid(1 << 8));
        assert!(!options_valid(1 << 63));
    }

    #[test]
    fn syscall_info_sizes() {
        let entry = SyscallInfo {
            op: PTRACE_SYSCALL_INFO_ENTRY,
            instruction_pointer: 1,
            stack_pointer: 2,
            nr: 39,
            args: [1, 2, 3, 4, 5, 6],
            rval: 0,
            is_error: false,
        };
        let (b, n) = entry.to_bytes();
        assert_eq!(n, 80);
        assert_eq!(u32::from_le_bytes([b[4], b[5], b[6], b[7]]), AUDIT_ARCH_X86_64);
        assert_eq!(get_u64(&b, 24), 39);
        assert_eq!(get_u64(&b, 72), 6);
        let exit = SyscallInfo { op: PTRACE_SYSCALL_INFO_EXIT, rval: -2, is_error: true, ..entry };
        let (b, n) = exit.to_bytes();
        assert_eq!(n, 33);
        assert_eq!(get_u64(&b, 24), (-2i64) as u64);
        assert_eq!(b[32], 1);
        assert_eq!(SyscallInfo { op: PTRACE_SYSCALL_INFO_NONE, ..entry }.to_bytes().1, 24);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn traced_statuses_are_stops(sig in 1u32..65, good: bool, event in 0u32..256) {
            let s = traced_status(sig, good, event);
            prop_assert!(crate::wait::wifstopped(s));
            prop_assert_eq!((s >> 16) as u32, event);
        }
    }
}
