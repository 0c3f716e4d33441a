//! FreeBSD's amd64 system-call convention (sys/amd64/amd64/trap.c,
//! vm_machdep.c `cpu_set_syscall_retval`): the number in rax, arguments
//! in rdi, rsi, rdx, r10, r8 and r9. A result comes back in rax (and a
//! second one in rdx) with the carry flag clear; an error as a positive
//! errno in rax with the carry flag set. rdx keeps its value when a call
//! has no second result.
//!
//! The return leaves r11 equal to rflags, as FreeBSD's `sysretq` does,
//! so that the kernel can still return with `sysretq`.

use kernel_ops::UserContext;

/// The carry flag (rflags bit 0).
const CARRY: u64 = 1;

/// Left in rax with the carry flag set while a call interrupted by a
/// signal waits for delivery to choose between restarting it and EINTR:
/// no errno is this large, so no finished call looks like it.
const RESTART_MARKER: u64 = u64::MAX - 511;

/// The number and arguments of the call the thread entered with.
pub fn call(c: &UserContext) -> (u64, [u64; 6]) {
    (c.rax, [c.rdi, c.rsi, c.rdx, c.r10, c.r8, c.r9])
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

/// The second result of a call that returns two (fork's parent: 0).
pub fn set_second_result(c: &mut UserContext, value: u64) {
    c.rdx = value;
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

/// A call that failed with `errno` (FreeBSD's number).
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
/// in rax, the program counter on the `syscall` instruction (FreeBSD's
/// ERESTART).
pub fn restart(c: &mut UserContext) {
    if let Some(number) = c.system_call_number() {
        c.rax = number;
        set_carry(c, false);
        c.rewind_system_call();
    }
}

/// The child of fork: rax 0 and rdx 1, no error (sys/amd64/amd64/
/// vm_machdep.c `cpu_fork`).
pub fn set_child(c: &mut UserContext) {
    set_success(c, 0, Some(1));
}

/// A new program's one argument: the address of argc, in rdi.
pub fn set_start_argument(c: &mut UserContext, argc_at: u64) {
    c.rdi = argc_at;
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
    fn the_child_of_fork_sees_zero_and_one() {
        let mut c = after_call();
        set_child(&mut c);
        assert_eq!((c.rax, c.rdx, c.rflags & CARRY), (0, 1, 0));
    }

    #[test]
    fn a_new_program_gets_argc_s_address_in_rdi() {
        let mut c = after_call();
        set_start_argument(&mut c, 0x7ffe_fff0);
        assert_eq!(c.rdi, 0x7ffe_fff0);
    }
}
