//! NetBSD on amd64.

pub mod signal_frame;
pub mod syscall_abi;
pub mod ucontext;

/// Where a position-independent program is placed. NetBSD randomises
/// it (PaX ASLR); without ASLR its amd64 ELF loader puts ET_DYN programs
/// at the start of user space after the first page: Helctic uses a fixed
/// base well clear of the null page, as FreeBSD's personality does.
pub const PROGRAM_BASE: u64 = 0x0100_0000;
