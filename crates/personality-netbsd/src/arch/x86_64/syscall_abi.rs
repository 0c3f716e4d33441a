//! NetBSD's amd64 system-call convention (sys/arch/x86/x86/syscall.c,
//! `syscall`; docs/research/netbsd-amd64.md §1): the number in rax,
//! arguments in rdi, rsi, rdx, r10, r8 and r9, and a seventh and later
//! one on the user stack from rsp + 8 (rsp + 0 is taken for a return
//! address: libc calls a stub). A result comes back in rax (and a second
//! one in rdx) with the carry flag clear; an error as a positive errno in
//! rax with the carry flag set, rdx unchanged.
//!
//! The return leaves r11 equal to rflags, as `sysretq` does, so that the
//! kernel can still return with `sysretq`.

use kernel_ops::UserContext;

/// The carry flag (rflags bit 0).
const CARRY: u64 = 1;

/// Left in rax with the carry flag set while a call interrupted by a
/// signal waits for delivery to choose between restarting it and EINTR:
/// no errno is this large, so no finished call looks like it.
const RESTART_MARKER: u64 = u64::MAX - 511;

/// The number and the register arguments of the call the thread entered with.
pub fn call(c: &UserContext) -> (u64, [u64; 6]) {
    (c.rax, [c.rdi, c.rsi, c.rdx, c.r10, c.r8, c.r9])
}

/// Where the seventh argument and later ones are read from: argument
/// `6 + i` is the 8 bytes at the address returned for `i` (syscall.c
/// copies them in from `tf_rsp + 8`).
pub fn stack_argument_address(c: &UserContext, i: u64) -> u64 {
    c.rsp.wrapping_add(8 + 8 * i)
}

fn set_carry(c: &mut UserContext, carry: bool) {
    if carry {
        c.rflags |= CARRY;
    } else {
        c.rflags &= !CARRY;
    }
    c.r11 = c.rflags;
}

/// A call that succeeded with `value` (and `second` in rdx, for the calls
/// that return two values).
pub fn set_success(c: &mut UserContext, value: u64, second: Option<u64>) {
    c.rax = value;
    if let Some(v) = second {
        c.rdx = v;
    }
    set_carry(c, false);
}

/// What the call returned so far (a tracer's view at its exit stop).
pub fn result(c: &UserContext) -> u64 {
    c.rax
}

/// Puts the call number back where a call is made from (a tracer's
/// resumed call runs again).
pub fn set_number(c: &mut UserContext, nr: u64) {
    c.rax = nr;
}

/// A call that failed with `errno` (NetBSD's number).
pub fn set_error(c: &mut UserContext, errno: i32) {
    c.rax = errno as u64;
    set_carry(c, true);
}

/// Marks the call as interrupted: signal delivery finishes it.
pub fn set_interrupted(c: &mut UserContext) {
    c.rax = RESTART_MARKER;
    set_carry(c, true);
}

/// Whether the thread is in a call that ended interrupted.
pub fn interrupted(c: &UserContext) -> bool {
    c.in_system_call() && c.rflags & CARRY != 0 && c.rax == RESTART_MARKER
}

/// Sets an interrupted call up to run again on return: its number back
/// in rax, the program counter on the `syscall` instruction (NetBSD's
/// ERESTART backs rip up by the instruction's length).
pub fn restart(c: &mut UserContext) {
    if let Some(number) = c.system_call_number() {
        c.rax = number;
        set_carry(c, false);
        c.rewind_system_call();
    }
}

/// The child of fork: rax 0, no error (syscall.c `child_return`); every
/// other register, rdx included, is the parent's (libc's fork stub masks
/// the result with rdx - 1, which is 0 in the parent).
pub fn set_child(c: &mut UserContext) {
    c.rax = 0;
    set_carry(c, false);
}

/// A thread function's first argument, in rdi.
pub fn set_start_argument(c: &mut UserContext, argument: u64) {
    c.rdi = argument;
}

/// A new program's registers besides rip and rsp (sys/arch/amd64/amd64/
/// machdep.c `setregs`): rbx the address of its `struct ps_strings`,
/// every other one 0 (rdx 0: no cleanup function from a dynamic linker).
pub fn set_program_registers(c: &mut UserContext, ps_strings: u64) {
    c.rbx = ps_strings;
    c.rdx = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after_call() -> UserContext {
        let mut c = UserContext::new_program(0x40_1000, 0x7fff_0000);
        c.rflags = 0x203; // a carry left over from before the call
        c.r11 = c.rflags;
        c.rdx = 0xdead;
        c
    }

    #[test]
    fn success_clears_the_carry_and_keeps_rdx_without_a_second_value() {
        let mut c = after_call();
        set_success(&mut c, 42, None);
        assert_eq!((c.rax, c.rdx, c.rflags & CARRY), (42, 0xdead, 0));
        assert_eq!(c.r11, c.rflags, "sysretq returns rflags from r11");
        set_success(&mut c, 7, Some(9));
        assert_eq!((c.rax, c.rdx), (7, 9));
    }

    #[test]
    fn an_error_is_a_positive_errno_with_the_carry_set() {
        let mut c = after_call();
        c.rflags = 0x202;
        set_error(&mut c, 9);
        assert_eq!((c.rax, c.rflags & CARRY, c.r11), (9, CARRY, c.rflags));
    }

    #[test]
    fn the_seventh_argument_is_above_the_return_address() {
        let c = after_call();
        assert_eq!(stack_argument_address(&c, 0), 0x7fff_0008);
        assert_eq!(stack_argument_address(&c, 2), 0x7fff_0018);
    }

    #[test]
    fn the_child_of_fork_sees_zero() {
        let mut c = after_call();
        set_child(&mut c);
        assert_eq!((c.rax, c.rdx, c.rflags & CARRY), (0, 0xdead, 0));
    }

    #[test]
    fn a_new_program_gets_ps_strings_in_rbx() {
        let mut c = after_call();
        set_program_registers(&mut c, 0x7ffe_ffe0);
        assert_eq!((c.rbx, c.rdx), (0x7ffe_ffe0, 0));
    }
}
