//! The debug registers: DR6 says why a #DB (debug exception) was raised.
//!
//! The kernel never arms a hardware breakpoint (DR7 stays 0), so a #DB
//! from user mode is a single step (the trap flag) or `int1`; DR6 tells
//! which, and is cleared afterwards because the CPU never clears it.

/// DR6 bits: breakpoint conditions 0-3 met, and single step (BS).
pub const DR6_TRAP_BITS: u64 = 0xf;
pub const DR6_SINGLE_STEP: u64 = 1 << 14;
/// What DR6 reads as when no condition is recorded (the reserved bits
/// read as one).
pub const DR6_CLEAR: u64 = 0xffff_0ff0;

/// DR6 as the last #DB left it, with its conditions reset so that the
/// next #DB reports only its own.
pub fn take_status() -> u64 {
    let value: u64;
    // SAFETY: reading and writing DR6 is allowed at CPL 0 and has no
    // effect on memory; only the debug-status bits change.
    unsafe {
        core::arch::asm!("mov {}, dr6", out(reg) value, options(nomem, nostack, preserves_flags));
        core::arch::asm!("mov dr6, {}", in(reg) DR6_CLEAR, options(nomem, nostack, preserves_flags));
    }
    value
}
