//! The user context of an x86_64 thread: the frame the kernel's trap and
//! `syscall` entry code saves, and the neutral methods everything outside
//! an `arch/` directory uses instead of its registers.
//!
//! The entry code pushes exactly this layout
//! (`kernel/src/arch/x86_64/trap_entry.rs`), so the field order is fixed:
//! general registers in reverse push order, then what the CPU pushed.
//!
//! The fields are public because a personality's own x86_64 code (its
//! signal frame, its debugger's register set, its system-call register
//! convention) must read and write them. Nothing written here is trusted:
//! before any return to user mode the kernel's arch code calls
//! [`UserContext::sanitise`], which puts back the user segment selectors,
//! keeps only the flags a program may set, and refuses a program counter or
//! stack pointer outside user space. So no personality, and no tracer
//! through one, can return a thread to ring 0 or give it I/O privilege.

/// The user code and stack segment selectors (RPL 3). The kernel's GDT is
/// laid out to match: `sysret` derives both from one base, so they are a
/// fact of the frame a thread returns through, not a choice per personality.
pub const USER_CODE_SELECTOR: u64 = 0x20 | 3;
pub const USER_DATA_SELECTOR: u64 = 0x18 | 3;

/// The `vector` recorded in frames built by the `syscall` instruction's
/// entry (above every hardware vector).
pub const SYSCALL_ENTRY: u64 = 0x100;
/// The `vector` of a context that was not saved by an entry: a new
/// program's, or one a signal return rebuilt.
pub const NO_ENTRY: u64 = 0x101;

/// Flag bits a program may change (CF, PF, AF, ZF, SF, TF, DF, OF, RF, AC):
/// never IF, IOPL, NT or VM.
pub const USER_FLAGS: u64 = 0x0005_0dd5;
/// Interrupts enabled, and bit 1, which always reads as one.
const REQUIRED_FLAGS: u64 = (1 << 9) | (1 << 1);
const TRAP_FLAG: u64 = 1 << 8;
const RESUME_FLAG: u64 = 1 << 16;
/// The first address above the lower canonical half: user space ends here.
pub const USER_SPACE_END: u64 = 0x0000_8000_0000_0000;
/// Bytes of the `syscall` instruction (what a restart steps back over).
const SYSCALL_INSTRUCTION_LEN: u64 = 2;

#[repr(C)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserContext {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    /// Trap vector, or [`SYSCALL_ENTRY`] for a system call.
    pub vector: u64,
    /// The exception's error code; for a system call, the number it was
    /// entered with (what a restart puts back).
    pub error_code: u64,
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

/// How a thread entered the kernel, as far as code outside arch/ cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A system call, entered with this number.
    SystemCall { number: u64 },
    /// A processor exception or interrupt (numbered as the architecture numbers them).
    Trap { number: u64 },
    /// Neither: a new thread, or a context a signal return rebuilt.
    None,
}

impl UserContext {
    /// A new program's context: everything zero but where it starts and
    /// its stack.
    pub fn new_program(pc: u64, sp: u64) -> Self {
        UserContext {
            rip: pc,
            rsp: sp,
            cs: USER_CODE_SELECTOR,
            ss: USER_DATA_SELECTOR,
            rflags: REQUIRED_FLAGS,
            vector: NO_ENTRY,
            ..UserContext::default()
        }
    }

    /// Whether the frame was saved while the CPU ran user code.
    pub fn from_user(&self) -> bool {
        self.cs & 3 == 3
    }

    pub fn pc(&self) -> u64 {
        self.rip
    }

    pub fn set_pc(&mut self, pc: u64) {
        self.rip = pc;
    }

    pub fn sp(&self) -> u64 {
        self.rsp
    }

    pub fn set_sp(&mut self, sp: u64) {
        self.rsp = sp;
    }

    /// The frame pointer (for the kernel's backtraces of user code).
    pub fn frame_pointer(&self) -> u64 {
        self.rbp
    }

    pub fn entry(&self) -> Entry {
        match self.vector {
            SYSCALL_ENTRY => Entry::SystemCall { number: self.error_code },
            NO_ENTRY => Entry::None,
            n => Entry::Trap { number: n },
        }
    }

    /// Whether the thread is in a system call (so a restart is possible).
    pub fn in_system_call(&self) -> bool {
        self.vector == SYSCALL_ENTRY
    }

    /// The number the current system call was entered with.
    pub fn system_call_number(&self) -> Option<u64> {
        self.in_system_call().then_some(self.error_code)
    }

    /// Replaces the number the system call is taken to have been entered
    /// with (a tracer changing the call at its entry stop).
    pub fn set_system_call_number(&mut self, number: u64) {
        if self.in_system_call() {
            self.error_code = number;
        }
    }

    /// Steps the program counter back over the system-call instruction, so
    /// that returning runs it again (the personality sets the registers the
    /// call reads first).
    pub fn rewind_system_call(&mut self) {
        self.rip = self.rip.wrapping_sub(SYSCALL_INSTRUCTION_LEN);
    }

    /// The thread is no longer inside a system call (its context was
    /// replaced by a signal return): nothing is left to restart.
    pub fn leave_system_call(&mut self) {
        self.vector = NO_ENTRY;
        self.error_code = 0;
    }

    /// Traps after each user instruction while on (a debugger's single step).
    pub fn set_single_step(&mut self, on: bool) {
        if on {
            self.rflags |= TRAP_FLAG;
        } else {
            self.rflags &= !TRAP_FLAG;
        }
    }

    pub fn single_stepping(&self) -> bool {
        self.rflags & TRAP_FLAG != 0
    }

    /// The next instruction runs once without raising its instruction
    /// breakpoint again (returning from the breakpoint's fault).
    pub fn resume_past_breakpoint(&mut self) {
        self.rflags |= RESUME_FLAG;
    }

    /// Makes the context safe to return to user mode with and says whether
    /// it can be returned to at all. The selectors are put back, the flags
    /// limited to those a program may change (interrupts on); the program
    /// counter and stack pointer must lie in user space, or `iretq` would
    /// fault in kernel mode: false means the thread must not return as it
    /// is (the kernel gives it SIGSEGV, as Linux does for a bad `iret`).
    pub fn sanitise(&mut self) -> bool {
        self.cs = USER_CODE_SELECTOR;
        self.ss = USER_DATA_SELECTOR;
        self.rflags = (self.rflags & USER_FLAGS) | REQUIRED_FLAGS;
        self.rip < USER_SPACE_END && self.rsp < USER_SPACE_END
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitise_takes_back_privilege() {
        let mut c = UserContext::new_program(0x40_1000, 0x7fff_0000);
        c.cs = 0x08; // the kernel's code segment
        c.ss = 0x10;
        c.rflags = 0x3000 | (1 << 17) | (1 << 14) | 1; // IOPL 3, VM, NT, CF
        assert!(c.sanitise());
        assert_eq!((c.cs, c.ss), (USER_CODE_SELECTOR, USER_DATA_SELECTOR));
        assert_eq!(c.rflags, 0x202 | 1, "only CF kept, IF forced on");
        assert!(c.from_user());
    }

    #[test]
    fn sanitise_refuses_kernel_and_non_canonical_addresses() {
        for (pc, sp) in [(0xffff_8000_0000_0000, 0x1000), (0x1000, 0x0000_8000_0000_0000), (0x0001_0000_0000_0000, 0)] {
            let mut c = UserContext::new_program(pc, sp);
            assert!(!c.sanitise(), "{pc:#x} {sp:#x}");
        }
    }

    #[test]
    fn system_call_state() {
        let mut c = UserContext { vector: SYSCALL_ENTRY, error_code: 39, rip: 0x1002, ..UserContext::default() };
        assert_eq!(c.entry(), Entry::SystemCall { number: 39 });
        c.rewind_system_call();
        assert_eq!(c.pc(), 0x1000);
        c.set_system_call_number(60);
        assert_eq!(c.system_call_number(), Some(60));
        c.leave_system_call();
        assert_eq!(c.entry(), Entry::None);
        assert!(!c.in_system_call());
        assert_eq!(c.system_call_number(), None);
    }

    #[test]
    fn single_step_and_resume() {
        let mut c = UserContext::new_program(0, 0);
        assert_eq!(c.entry(), Entry::None);
        c.set_single_step(true);
        assert!(c.single_stepping());
        c.set_single_step(false);
        assert!(!c.single_stepping());
        c.resume_past_breakpoint();
        assert!(c.sanitise());
        assert_eq!(c.rflags & RESUME_FLAG, RESUME_FLAG, "RF is a user flag");
    }
}
