//! Assembly for interrupt and exception entry.
//!
//! Each of the 256 vectors has a 16-byte stub at `trap_stubs + 16 * vector`
//! that pushes a dummy error code when the CPU does not push one, then the
//! vector number, and jumps to `trap_common`, which saves every general
//! register into a `TrapFrame` and calls `trap_dispatch`. GS is swapped only
//! when the trap came from user mode, so kernel code always sees its per-CPU
//! GS base.
//!
//! #DB arrives on an interrupt stack of its own (debug_registers.rs says
//! why); one from user mode is moved at once to the thread's kernel stack,
//! where every other trap from user mode lands, because its handler may
//! sleep (a ptrace stop) and the next #DB would reuse that stack.

/// Saves the general registers in `TrapFrame` order (the reverse of the
/// struct's fields); shared by trap and syscall entry so the layout is
/// written once.
macro_rules! push_gprs {
    () => {
        "push rax\npush rbx\npush rcx\npush rdx\npush rsi\npush rdi\npush rbp\npush r8\npush r9\npush r10\npush r11\npush r12\npush r13\npush r14\npush r15\n"
    };
}

/// Restores what `push_gprs` saved.
macro_rules! pop_gprs {
    () => {
        "pop r15\npop r14\npop r13\npop r12\npop r11\npop r10\npop r9\npop r8\npop rbp\npop rdi\npop rsi\npop rdx\npop rcx\npop rbx\npop rax\n"
    };
}

pub(super) use {pop_gprs, push_gprs};

core::arch::global_asm!(concat!(
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
    /* [rsp]: vector, +8: error code, +16: rip, +24: cs, +32: rflags, +40: rsp, +48: ss */
    test qword ptr [rsp + 24], 3
    jz trap_save
    swapgs
    cmp qword ptr [rsp], 1
    jne trap_save
    /* #DB from user mode, on its interrupt stack: copy the seven words to
       the top of the thread's kernel stack and go on from there. */
    push rax
    mov rax, rsp
    mov rsp, gs:[{kernel_rsp}]
    push qword ptr [rax + 56]
    push qword ptr [rax + 48]
    push qword ptr [rax + 40]
    push qword ptr [rax + 32]
    push qword ptr [rax + 24]
    push qword ptr [rax + 16]
    push qword ptr [rax + 8]
    mov rax, [rax]
trap_save:
"#,
    push_gprs!(),
    r#"    mov rdi, rsp
    cld
    call trap_dispatch

    /* Return through the TrapFrame at rsp: also reached by new threads and
       by system calls that must restore every register. */
    .global trap_return
trap_return:
"#,
    pop_gprs!(),
    r#"    test qword ptr [rsp + 24], 3
    jz 2f
    swapgs
2:
    add rsp, 16
    iretq
"#),
    kernel_rsp = const core::mem::offset_of!(super::percpu::PerCpu, kernel_stack_top),
);

/// Registers saved on every trap. The layout is defined once, in
/// `kernel_ops::UserContext` (the rest of the kernel and the personalities
/// see it through its neutral methods); the pushes in `trap_common` and
/// `syscall_entry` must follow its field order.
pub use kernel_ops::UserContext as TrapFrame;

/// Address of vector `n`'s entry stub.
pub fn stub_address(vector: u8) -> u64 {
    extern "C" {
        static trap_stubs: u8;
    }
    // Only the address of the assembly symbol is taken; it is never read.
    let base = core::ptr::addr_of!(trap_stubs) as u64;
    base + 16 * u64::from(vector)
}
