//! The debug registers: hardware breakpoints and watchpoints a tracer
//! sets in user space (DR0-DR3 addresses, DR7 their kind and length), and
//! DR6, which says why a #DB (debug exception) was raised.
//!
//! Each thread's registers live in its `Context` and are loaded when it is
//! switched in; DR7 stays 0 on a CPU whose threads set none, so threads
//! that never use them pay one comparison per switch.
//!
//! Only user addresses are ever armed, and the kernel ignores a #DB raised
//! in kernel mode (its own copy of a watched user byte, or the MOV SS case
//! below): a tracee's watchpoint reports user accesses only, as Linux's.
//! #DB has its own interrupt stack (`gdt::IST_DEBUG`) because a watchpoint
//! hit by `mov ss` is delivered after the *next* instruction: when that is
//! `syscall` or `int3`, the exception arrives on the first kernel
//! instruction, still with the user's stack pointer or GS (CVE-2018-8897).
//! Entry code moves a #DB from user mode off that stack at once
//! (trap_entry.rs), since its handler may sleep in a ptrace stop.

/// DR6's single-step bit (BS); bits 0-3 are the breakpoint conditions met.
pub const DR6_SINGLE_STEP: u64 = 1 << 14;
/// What DR6 reads as when no condition is recorded (the reserved bits
/// read as one).
pub const DR6_CLEAR: u64 = 0xffff_0ff0;

/// DR7's per-slot fields: local and global enable (bits 0-7), kind and
/// length (bits 16-31). LE, GE and GD (general detect, which would fault
/// every access to the debug registers) are never loaded.
const DR7_SLOT_BITS: u64 = 0xffff_00ff;

/// A thread's armed breakpoints: what DR0-DR3 and DR7 are loaded with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Breakpoints {
    pub address: [u64; 4],
    pub control: u64,
}

impl Breakpoints {
    /// Breakpoints from a tracer's values: slots enabled on a kernel
    /// address are dropped (the core checks this too, before).
    pub fn new(address: [u64; 4], control: u64) -> Self {
        let mut control = control & DR7_SLOT_BITS;
        for (slot, a) in address.iter().enumerate() {
            if *a >= super::layout::USER_END {
                control &= !(3 << (2 * slot));
            }
        }
        if control & 0xff == 0 {
            control = 0; // nothing enabled: nothing to load
        }
        Breakpoints { address, control }
    }

    pub fn armed(&self) -> bool {
        self.control != 0
    }

    /// Whether a condition of `status` (DR6) is an instruction breakpoint:
    /// a fault, so the return to user mode must set RF or the same
    /// instruction would trap again.
    pub fn instruction_hit(&self, status: u64) -> bool {
        (0..4).any(|slot| status & (1 << slot) != 0 && self.control >> (16 + 4 * slot) & 3 == 0)
    }

    /// The conditions of `status` that belong to enabled slots (the CPU
    /// may also flag a met condition of a disabled one).
    pub fn enabled_hits(&self, status: u64) -> u64 {
        (0..4)
            .filter(|slot| status & (1 << slot) != 0 && self.control >> (2 * slot) & 3 != 0)
            .fold(0, |acc, slot| acc | 1 << slot)
    }
}

/// Loads `b` into this CPU's debug registers (DR7 last, so no slot is
/// live with a stale address).
pub fn load(b: &Breakpoints) {
    // SAFETY: writing debug registers at CPL 0 has no effect on memory; the
    // addresses armed are user addresses only (Breakpoints::new), so no
    // kernel code or data access can trap on them except copies of user
    // memory, which the #DB handler ignores.
    unsafe {
        core::arch::asm!("mov dr7, {}", in(reg) 0u64, options(nomem, nostack, preserves_flags));
        if b.armed() {
            core::arch::asm!("mov dr0, {}", in(reg) b.address[0], options(nomem, nostack, preserves_flags));
            core::arch::asm!("mov dr1, {}", in(reg) b.address[1], options(nomem, nostack, preserves_flags));
            core::arch::asm!("mov dr2, {}", in(reg) b.address[2], options(nomem, nostack, preserves_flags));
            core::arch::asm!("mov dr3, {}", in(reg) b.address[3], options(nomem, nostack, preserves_flags));
            core::arch::asm!("mov dr7, {}", in(reg) b.control, options(nomem, nostack, preserves_flags));
        }
    }
}

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
