//! The `syscall` instruction, with 0 to 6 arguments, and the IPC form that
//! also returns the six argument registers.
//!
//! Register convention (see `crates/abi/src/lib.rs`): the call number in
//! `rax`, arguments in `rdi, rsi, rdx, r10, r8, r9`, the result in `rax`;
//! `rcx` and `r11` are clobbered by the instruction itself; IPC calls that
//! receive return the message in `rdi, rsi, rdx, r10, r8, r9`.
//!
//! These functions are safe to call inside the crate because the typed
//! wrappers in `sys` only pass pointers derived from live Rust references
//! of the right mutability and length; outside it, they are reachable only
//! through the `unsafe` functions of `raw`.

use core::arch::asm;

/// The registers after an IPC system call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IpcRegs {
    /// The result: 0 or `-(error code)`.
    pub rax: u64,
    /// The sender's badge.
    pub rdi: u64,
    /// The message-info word.
    pub rsi: u64,
    pub rdx: u64,
    pub r10: u64,
    pub r8: u64,
    pub r9: u64,
}

pub(crate) fn syscall0(nr: u64) -> u64 {
    let rax;
    // SAFETY: `syscall` enters the kernel, which preserves every register
    // but `rax` (the result) and `rcx`/`r11` (declared clobbered). It only
    // touches user memory the arguments name (none here); the default
    // memory clobber covers that. It does not use the user stack.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

pub(crate) fn syscall1(nr: u64, a: u64) -> u64 {
    let rax;
    // SAFETY: as in `syscall0`; the kernel may read or write memory named
    // by the argument, which the memory clobber covers.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, in("rdi") a,
             out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

pub(crate) fn syscall2(nr: u64, a: u64, b: u64) -> u64 {
    let rax;
    // SAFETY: as in `syscall1`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, in("rdi") a, in("rsi") b,
             out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

pub(crate) fn syscall3(nr: u64, a: u64, b: u64, c: u64) -> u64 {
    let rax;
    // SAFETY: as in `syscall1`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, in("rdi") a, in("rsi") b, in("rdx") c,
             out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

pub(crate) fn syscall4(nr: u64, a: u64, b: u64, c: u64, d: u64) -> u64 {
    let rax;
    // SAFETY: as in `syscall1`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, in("rdi") a, in("rsi") b, in("rdx") c,
             in("r10") d, out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

pub(crate) fn syscall5(nr: u64, a: u64, b: u64, c: u64, d: u64, e: u64) -> u64 {
    let rax;
    // SAFETY: as in `syscall1`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, in("rdi") a, in("rsi") b, in("rdx") c,
             in("r10") d, in("r8") e, out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

pub(crate) fn syscall6(nr: u64, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> u64 {
    let rax;
    // SAFETY: as in `syscall1`.
    unsafe {
        asm!("syscall", inlateout("rax") nr => rax, in("rdi") a, in("rsi") b, in("rdx") c,
             in("r10") d, in("r8") e, in("r9") f, out("rcx") _, out("r11") _, options(nostack));
    }
    rax
}

/// An IPC call: six arguments in, the result and six message registers out.
#[inline]
pub(crate) fn ipc(nr: u64, args: [u64; 6]) -> IpcRegs {
    let mut r = IpcRegs::default();
    // SAFETY: as in `syscall1`; every argument register is also declared
    // as an output, since receiving calls overwrite them with the message.
    unsafe {
        asm!("syscall",
             inlateout("rax") nr => r.rax,
             inlateout("rdi") args[0] => r.rdi,
             inlateout("rsi") args[1] => r.rsi,
             inlateout("rdx") args[2] => r.rdx,
             inlateout("r10") args[3] => r.r10,
             inlateout("r8") args[4] => r.r8,
             inlateout("r9") args[5] => r.r9,
             out("rcx") _, out("r11") _, options(nostack));
    }
    r
}
