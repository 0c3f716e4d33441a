//! The `syscall` instruction's entry and exit.
//!
//! Entry builds the same `TrapFrame` an interrupt from user mode would (so
//! fork, signals and exec see one register layout), switches to the thread's
//! kernel stack from per-CPU state, and calls `syscall_dispatch`. The normal
//! exit is `sysretq`; when the call changed the user context in a way sysret
//! cannot express (exec, signal delivery, sigreturn), the dispatcher asks for
//! the full `iretq` path instead.

use super::cpu::{rdmsr, wrmsr, IA32_EFER};
use super::gdt::{KERNEL_CODE, USER_DATA};
use super::percpu::PerCpu;
use super::trap_entry::{pop_gprs, push_gprs, TrapFrame};

const IA32_STAR: u32 = 0xc000_0081;
const IA32_LSTAR: u32 = 0xc000_0082;
const IA32_FMASK: u32 = 0xc000_0084;

/// The `vector` value recorded in frames built by `syscall`.
pub const SYSCALL_VECTOR: u64 = kernel_ops::SYSCALL_ENTRY;

core::arch::global_asm!(
    concat!(
    r#"
    .section .text.syscall_entry, "ax", @progbits
    .balign 16
    .global syscall_entry
syscall_entry:
    swapgs
    mov gs:[{user_rsp}], rsp
    mov rsp, gs:[{kernel_rsp}]
    push {user_ss}
    push qword ptr gs:[{user_rsp}]
    push r11
    push {user_cs}
    push rcx
    push rax                        /* error-code slot: the original syscall number */
    push {vector}
"#,
    push_gprs!(),
    r#"    mov rdi, rsp
    xor ebp, ebp
    call syscall_dispatch
    cli
    test al, al
    jnz trap_return
"#,
    pop_gprs!(),
    r#"    mov rcx, [rsp + 16]
    mov r11, [rsp + 32]
    mov rsp, [rsp + 40]
    swapgs
    sysretq
"#),
    user_rsp = const core::mem::offset_of!(PerCpu, user_rsp_scratch),
    kernel_rsp = const core::mem::offset_of!(PerCpu, kernel_stack_top),
    user_ss = const USER_DATA as u64,
    user_cs = const super::gdt::USER_CODE as u64,
    vector = const SYSCALL_VECTOR,
);

/// Enables `syscall` on this CPU.
pub fn init() {
    extern "C" {
        fn syscall_entry();
    }
    wrmsr(IA32_EFER, rdmsr(IA32_EFER) | 1); // SCE
                                            // SYSRET: CS = STAR[63:48] + 16, SS = STAR[63:48] + 8 (both with RPL 3).
    let sysret_base = u64::from(USER_DATA) - 8;
    wrmsr(IA32_STAR, (sysret_base << 48) | (u64::from(KERNEL_CODE) << 32));
    wrmsr(IA32_LSTAR, syscall_entry as *const () as u64);
    // Cleared on entry: IF (until the dispatcher is ready), TF, DF, AC, NT.
    wrmsr(IA32_FMASK, (1 << 9) | (1 << 8) | (1 << 10) | (1 << 18) | (1 << 14));
}

/// Whether `sysretq` can return to the context in `frame`: it reloads RIP
/// from RCX and RFLAGS from R11, and must never be given a non-canonical RIP
/// (that would fault in kernel mode with the user's stack).
pub fn can_sysret(frame: &TrapFrame) -> bool {
    frame.rcx == frame.rip && frame.r11 == frame.rflags && frame.rip < 0x0000_7fff_ffff_f000
}

#[no_mangle]
extern "C" fn syscall_dispatch(frame: &mut TrapFrame) -> bool {
    super::cpu::enable_interrupts();
    crate::task::syscall::handle(frame);
    super::cpu::disable_interrupts();
    !can_sysret(frame)
}
