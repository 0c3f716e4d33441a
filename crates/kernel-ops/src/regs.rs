//! The user register frame of an x86_64 thread, as saved on kernel entry.
//!
//! The kernel's trap and syscall entry code pushes exactly this layout
//! (`kernel/src/arch/x86_64/trap_entry.rs`), so the field order is fixed:
//! general registers in reverse push order, then what the CPU pushed.

#[repr(C)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regs {
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
    /// Trap vector, or 0x100 for a system call.
    pub vector: u64,
    pub error_code: u64,
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

impl Regs {
    /// Whether the frame was saved while the CPU ran user code.
    pub fn from_user(&self) -> bool {
        self.cs & 3 == 3
    }
}
