//! Copying to and from user memory directly through the current page
//! tables: the fast path of `Mm::copy_in` / `copy_out`. A copy that touches
//! a page that is not present, or not writable for a write, faults; the
//! page-fault handler sees the fault came from the copy instruction, makes
//! it return the bytes it had left, and the caller falls back to walking
//! the address space in software (which faults pages in, copies on write,
//! waits for file data, and gives the right error). So this path never
//! sleeps and never decides anything: it only makes the common case, a
//! buffer already mapped as needed, cost what a memcpy costs.
//!
//! Only ever used on the address space the CPU runs (CR3), and only for
//! ranges wholly in the user half.

use super::layout::USER_END;
use super::trap_entry::TrapFrame;

// Eight bytes a step, then the tail byte by byte: as memcpy does, and
// under QEMU's TCG each step of a `rep` is one helper iteration, so byte
// steps throughout would make large copies several times slower.
core::arch::global_asm!(
    r#"
    .section .text.user_copy, "ax", @progbits
    .balign 16
/* rdi = destination, rsi = source, rdx = length; returns in rax the bytes
   not copied (0, or what was left when a page faulted). */
    .global helctic_user_copy
helctic_user_copy:
    mov rcx, rdx
    shr rcx, 3
    and edx, 7
    .global helctic_user_copy_quads
helctic_user_copy_quads:
    rep movsq
    mov rcx, rdx
    .global helctic_user_copy_bytes
helctic_user_copy_bytes:
    rep movsb
    xor eax, eax
    ret
    .global helctic_user_copy_quads_fixup
helctic_user_copy_quads_fixup:
    lea rax, [rdx + rcx * 8]
    ret
    .global helctic_user_copy_bytes_fixup
helctic_user_copy_bytes_fixup:
    mov rax, rcx
    ret
"#
);

extern "C" {
    fn helctic_user_copy(dst: *mut u8, src: *const u8, len: usize) -> usize;
    fn helctic_user_copy_quads();
    fn helctic_user_copy_bytes();
    fn helctic_user_copy_quads_fixup();
    fn helctic_user_copy_bytes_fixup();
}

fn in_user_half(addr: u64, len: usize) -> bool {
    addr.checked_add(len as u64).is_some_and(|end| end <= USER_END) && addr >= super::layout::PAGE_SIZE
}

/// Copies `src` to user address `dst` in the current address space; false
/// (with any prefix written) when a page was missing or read-only.
pub fn copy_to_user(dst: u64, src: &[u8]) -> bool {
    if !in_user_half(dst, src.len()) {
        return false;
    }
    // SAFETY: the destination range lies in the user half of the active
    // page tables (checked above), which never maps kernel memory; a page
    // there that is absent or read-only faults, and the fault handler
    // (fixup, below) ends the copy instead of the kernel. The source is a
    // live slice.
    unsafe { helctic_user_copy(dst as *mut u8, src.as_ptr(), src.len()) == 0 }
}

/// Copies from user address `src` in the current address space into
/// `dst`; false when a page was missing.
pub fn copy_from_user(dst: &mut [u8], src: u64) -> bool {
    if !in_user_half(src, dst.len()) {
        return false;
    }
    // SAFETY: as in copy_to_user, with the roles swapped: the destination is
    // a live, exclusively borrowed slice.
    unsafe { helctic_user_copy(dst.as_mut_ptr(), src as *const u8, dst.len()) == 0 }
}

/// A page fault in kernel mode: if it came from the copy instruction, make
/// the copy return what it had left, and say so.
pub fn fixup(frame: &mut TrapFrame) -> bool {
    let resume = if frame.rip == helctic_user_copy_quads as *const () as u64 {
        helctic_user_copy_quads_fixup as *const () as u64
    } else if frame.rip == helctic_user_copy_bytes as *const () as u64 {
        helctic_user_copy_bytes_fixup as *const () as u64
    } else {
        return false;
    };
    frame.rip = resume;
    true
}
