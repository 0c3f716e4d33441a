//! The signal trampoline: FreeBSD has no SA_RESTORER; its kernel maps a
//! "shared page" at the top of user memory holding `sigcode`, starts a
//! handler by pointing rip at it, and sigcode calls the handler and then
//! sigreturn (sys/amd64/amd64/sigtramp.S). The personality maps its own
//! copy of the same few instructions in the same place, once per program
//! (exec starts a fresh address space; fork copies it).

use kernel_ops::{KResult, KernelOps, MapFlags, Protection};

/// FreeBSD's SHAREDPAGE on amd64: the last page below
/// VM_MAXUSER_ADDRESS (sys/amd64/include/vmparam.h). The core's stacks end
/// below it.
pub const SHARED_PAGE: u64 = 0x0000_7fff_ffff_f000;

/// sigcode, entered with rsp at the signal frame (struct sigframe:
/// the handler's address at 0, the ucontext at 16):
///
/// ```text
/// call  *0(%rsp)            ff 14 24
/// lea   16(%rsp), %rdi      48 8d 7c 24 10
/// pushq $0                  6a 00            (where a return address would be)
/// mov   $417, %rax          48 c7 c0 a1 01 00 00   (SYS_sigreturn)
/// syscall                   0f 05
/// 0: hlt; jmp 0b            f4 eb fd         (sigreturn does not return)
/// ```
const SIGCODE: [u8; 24] = [
    0xff, 0x14, 0x24, // call *(%rsp)
    0x48, 0x8d, 0x7c, 0x24, 0x10, // lea 0x10(%rsp),%rdi
    0x6a, 0x00, // pushq $0
    0x48, 0xc7, 0xc0, 0xa1, 0x01, 0x00, 0x00, // mov $417,%rax
    0x0f, 0x05, // syscall
    0xf4, 0xeb, 0xfd, // hlt; jmp hlt
    0xcc, 0xcc,
];

/// Where a handler is started.
pub const SIGCODE_ADDRESS: u64 = SHARED_PAGE;

/// Maps the page, writes sigcode into it and leaves it read and execute.
pub fn install(ops: &mut dyn KernelOps) -> KResult<()> {
    let flags = MapFlags {
        shared: false,
        fixed: true,
        fixed_no_replace: false,
        anonymous: true,
        populate: false,
        grows_down: false,
    };
    let rw = Protection { read: true, write: true, execute: false };
    ops.mmap(SHARED_PAGE, 4096, rw, flags, None, 0)?;
    ops.copy_out(SIGCODE_ADDRESS, &SIGCODE)?;
    ops.mprotect(SHARED_PAGE, 4096, Protection { read: true, write: false, execute: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigcode_calls_sigreturn_with_the_ucontext() {
        // lea's displacement is the frame's ucontext offset, and the call
        // number is sigreturn's.
        assert_eq!(SIGCODE[7], super::super::signal_frame::UCONTEXT_OFFSET as u8);
        assert_eq!(u32::from_le_bytes(SIGCODE[13..17].try_into().unwrap()), 417);
    }
}
