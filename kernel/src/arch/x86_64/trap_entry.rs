//! Assembly for interrupt and exception entry.
//!
//! Each of the 256 vectors has a 16-byte stub at `trap_stubs + 16 * vector`
//! that pushes a dummy error code when the CPU does not push one, then the
//! vector number, and jumps to `trap_common`, which saves every general
//! register into a `TrapFrame` and calls `trap_dispatch`. GS is swapped only
//! when the trap came from user mode, so kernel code always sees its per-CPU
//! GS base.

core::arch::global_asm!(
    r#"
    .section .text.trap_entry, "ax", @progbits
    .balign 16
    .global trap_stubs
trap_stubs:
    .set vector, 0
    .rept 256
    .balign 16
    .if (vector == 8) || (vector == 10) || (vector == 11) || (vector == 12) || (vector == 13) || (vector == 14) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
    .else
    push 0
    .endif
    push vector
    jmp trap_common
    .set vector, vector + 1
    .endr

    .balign 16
trap_common:
    /* [rsp]: vector, +8: error code, +16: rip, +24: cs */
    test qword ptr [rsp + 24], 3
    jz 1f
    swapgs
1:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp
    cld
    call trap_dispatch

    /* Return through the TrapFrame at rsp: also reached by new threads and
       by system calls that must restore every register. */
    .global trap_return
trap_return:
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    test qword ptr [rsp + 24], 3
    jz 2f
    swapgs
2:
    add rsp, 16
    iretq
"#
);

/// Registers saved on every trap. The layout is defined once, in
/// `kernel_ops::Regs` (personalities read it too); the pushes in
/// `trap_common` and `syscall_entry` must follow its field order.
pub use kernel_ops::Regs as TrapFrame;

/// Address of vector `n`'s entry stub.
pub fn stub_address(vector: u8) -> u64 {
    extern "C" {
        static trap_stubs: u8;
    }
    // Only the address of the assembly symbol is taken; it is never read.
    let base = core::ptr::addr_of!(trap_stubs) as u64;
    base + 16 * u64::from(vector)
}
