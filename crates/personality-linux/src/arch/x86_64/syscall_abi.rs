//! Linux's x86_64 system-call convention: the number in rax, arguments in
//! rdi, rsi, rdx, r10, r8 and r9, the result (or -errno) back in rax.

use kernel_ops::UserContext;

/// The value a system call interrupted by a signal leaves in rax until
/// signal delivery decides between restarting it and EINTR (Linux's
/// -ERESTARTSYS).
const RESTART_MARKER: u64 = (-512i64) as u64;

/// The number and arguments of the call the thread entered with.
pub fn call(c: &UserContext) -> (u64, [u64; 6]) {
    (c.rax, [c.rdi, c.rsi, c.rdx, c.r10, c.r8, c.r9])
}

/// Changes the call a tracer sees at entry (number and arguments).
pub fn set_call(c: &mut UserContext, number: u64, args: [u64; 6]) {
    c.rax = number;
    [c.rdi, c.rsi, c.rdx, c.r10, c.r8, c.r9] = args;
}

pub fn result(c: &UserContext) -> u64 {
    c.rax
}

pub fn set_result(c: &mut UserContext, value: u64) {
    c.rax = value;
}

/// Marks the call as interrupted: signal delivery finishes it.
pub fn set_interrupted(c: &mut UserContext) {
    c.rax = RESTART_MARKER;
}

/// Whether the thread is in a call that ended interrupted.
pub fn interrupted(c: &UserContext) -> bool {
    c.in_system_call() && c.rax == RESTART_MARKER
}

/// Sets an interrupted call up to run again on return: its number back in
/// rax, the program counter on the `syscall` instruction.
pub fn restart(c: &mut UserContext) {
    if let Some(number) = c.system_call_number() {
        c.rax = number;
        c.rewind_system_call();
    }
}

/// Arguments for a handler (or any function entered from the kernel):
/// the first three integer arguments of the C calling convention.
pub fn set_function_arguments(c: &mut UserContext, args: [u64; 3]) {
    [c.rdi, c.rsi, c.rdx] = args;
    c.rax = 0;
}
