//! Linux's x86_64 convention: number in rax, arguments in rdi, rsi, rdx,
//! r10, r8, r9; the result back in rax.

use kernel_ops::{UserContext, SYSCALL_ENTRY};

/// The context of a thread that has just entered system call `nr`.
pub fn enter(c: &mut UserContext, nr: u64, args: [u64; 6]) {
    c.rax = nr;
    c.error_code = nr;
    c.vector = SYSCALL_ENTRY;
    [c.rdi, c.rsi, c.rdx, c.r10, c.r8, c.r9] = args;
}

pub fn result(c: &UserContext) -> u64 {
    c.rax
}

/// The register a call's first argument arrives in.
pub fn first_argument(c: &UserContext) -> u64 {
    c.rdi
}

/// A thread whose system call `nr` (its `syscall` instruction just before
/// `pc_after`) ended interrupted: Linux's -ERESTARTSYS in the result.
pub fn interrupted_call(nr: u64, pc_after: u64) -> UserContext {
    UserContext {
        vector: SYSCALL_ENTRY,
        error_code: nr,
        rip: pc_after,
        rax: (-512i64) as u64,
        ..UserContext::default()
    }
}
