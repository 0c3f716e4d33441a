//! The first code an application processor runs: from real mode, where a
//! start-up IPI leaves it, to 64-bit mode on its own kernel stack.
//!
//! A start-up IPI can only name a 4 KiB page below 1 MiB, and the CPU
//! starts there in 16-bit real mode with paging off. So the boot CPU copies
//! this code to `CODE` (below 1 MiB, never given to the frame allocator:
//! entry.rs keeps all of the first MiB out of it) and builds page tables
//! beside it that map the first 2 MiB at their own addresses (so this code
//! keeps running when paging comes on) and share the kernel's upper half
//! (so the jump to Rust lands in the kernel image). The CPU goes real mode
//! -> 32-bit protected mode -> long mode with the boot CPU's own CR0, CR4
//! and EFER values, takes the stack the boot CPU left in `PARAMS`, and
//! calls the entry point there with the word on top of that stack.
//!
//! The stack is taken with an atomic exchange that leaves zero behind: a
//! CPU that answers so late that the boot CPU has given up on it finds no
//! stack and halts, instead of sharing the next CPU's.

use super::layout::phys_to_virt;

/// Where the code goes: page 8, the start-up IPI's vector.
pub const CODE: u64 = 0x8000;
/// The page tables' pages: top level, second, third (one 2 MiB page).
const PML4: u64 = 0x9000;
const PDPT: u64 = 0xa000;
const PD: u64 = 0xb000;
/// The whole range the trampoline uses, for the boot checks in entry.rs.
pub const RANGE: core::ops::Range<u64> = CODE..PD + 0x1000;

/// Parameters, at this offset into the code page (the code is shorter).
const PARAMS: u64 = 0xf00;
const P_CR3: u64 = PARAMS;
const P_CR4: u64 = PARAMS + 8;
const P_EFER: u64 = PARAMS + 16;
const P_CR0: u64 = PARAMS + 24;
/// The stack pointer to take (zero once taken); `[stack]` is the argument.
const P_STACK: u64 = PARAMS + 32;
const P_ENTRY: u64 = PARAMS + 40;
/// The trampoline's GDT (four descriptors) and the pointer `lgdt` loads.
const P_GDT: u64 = PARAMS + 64;
const P_GDTR: u64 = PARAMS + 96;

core::arch::global_asm!(
    r#"
    .section .rodata.ap_trampoline, "a", @progbits
    .balign 16
    .global ap_trampoline_start
    .global ap_trampoline_end
ap_trampoline_start:
    .code16
    cli
    cld
    mov ax, cs
    mov ds, ax
    mov es, ax
    mov ss, ax
    /* DS is the code page: offsets into it are addresses here. */
    lgdt [{p_gdtr}]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    /* Far jump to 32-bit code, with a 32-bit offset (operand-size prefix). */
    .byte 0x66, 0xea
    .long {code} + (ap_protected - ap_trampoline_start)
    .word 0x08

    .code32
ap_protected:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov eax, [{code} + {p_cr4}]
    mov cr4, eax
    mov eax, [{code} + {p_cr3}]
    mov cr3, eax
    mov ecx, 0xC0000080
    mov eax, [{code} + {p_efer}]
    mov edx, [{code} + {p_efer} + 4]
    wrmsr
    /* Paging on with EFER.LME set: long mode (compatibility, until the jump). */
    mov eax, [{code} + {p_cr0}]
    mov cr0, eax
    .byte 0xea
    .long {code} + (ap_long - ap_trampoline_start)
    .word 0x18

    .code64
ap_long:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    lock xchg [{code} + {p_stack}], rax
    test rax, rax
    jz ap_no_stack
    mov rsp, rax
    mov rdi, [rsp]
    mov rax, [{code} + {p_entry}]
    xor ebp, ebp                    /* a zero frame pointer ends backtraces */
    call rax
ap_no_stack:
    cli
    hlt
    jmp ap_no_stack

ap_trampoline_end:
    .text
"#,
    code = const CODE,
    p_cr3 = const P_CR3,
    p_cr4 = const P_CR4,
    p_efer = const P_EFER,
    p_cr0 = const P_CR0,
    p_stack = const P_STACK,
    p_entry = const P_ENTRY,
    p_gdtr = const P_GDTR,
);

extern "C" {
    static ap_trampoline_start: u8;
    static ap_trampoline_end: u8;
}

fn write_u64(phys: u64, value: u64) {
    // SAFETY: every caller writes inside RANGE, low memory that the direct
    // map covers (entry.rs) and that nothing else uses once boot has read
    // the start info; the start-up sequence is run by one CPU at a time.
    unsafe { (phys_to_virt(phys) as *mut u64).write_volatile(value) }
}

fn read_u64(phys: u64) -> u64 {
    // SAFETY: `phys` is a page-table frame or in RANGE, both direct-mapped.
    unsafe { (phys_to_virt(phys) as *const u64).read_volatile() }
}

/// Copies the code to `CODE` and builds its page tables, sharing the upper
/// half of the kernel's tables at `kernel_root`. The boot CPU's control
/// registers and EFER become the AP's. Once, before the first start-up.
pub fn install(kernel_root: u64, cr0: u64, cr4: u64, efer: u64) {
    let start = core::ptr::addr_of!(ap_trampoline_start) as usize;
    let end = core::ptr::addr_of!(ap_trampoline_end) as usize;
    assert!(end - start <= PARAMS as usize, "the AP trampoline overlaps its parameters");
    // SAFETY: [start, end) is the assembled trampoline in the kernel's
    // read-only image; CODE's page is below 1 MiB, direct-mapped, ours.
    unsafe { core::ptr::copy_nonoverlapping(start as *const u8, phys_to_virt(CODE) as *mut u8, end - start) };
    for table in [PML4, PDPT, PD] {
        for i in 0..512 {
            write_u64(table + i * 8, 0);
        }
    }
    const PRESENT_WRITABLE: u64 = 0x3;
    const HUGE: u64 = 0x80;
    write_u64(PML4, PDPT | PRESENT_WRITABLE);
    write_u64(PDPT, PD | PRESENT_WRITABLE);
    write_u64(PD, HUGE | PRESENT_WRITABLE); // physical 0..2 MiB at 0
                                            // The kernel half: every slot was filled when the kernel's tables were
                                            // built (paging.rs), so later kernel mappings are seen through these too.
    for i in 256..512 {
        write_u64(PML4 + i * 8, read_u64(kernel_root + i * 8));
    }
    let gdt: [u64; 4] = [
        0,
        0x00cf_9a00_0000_ffff, // 0x08: 32-bit code
        0x00cf_9200_0000_ffff, // 0x10: data
        0x00af_9a00_0000_ffff, // 0x18: 64-bit code
    ];
    for (i, d) in gdt.iter().enumerate() {
        write_u64(CODE + P_GDT + i as u64 * 8, *d);
    }
    // limit (16 bits), then base (32 bits: real mode's lgdt loads 24 of them).
    write_u64(CODE + P_GDTR, (gdt.len() as u64 * 8 - 1) | ((CODE + P_GDT) << 16));
    const EFER_LMA: u64 = 1 << 10; // set by the CPU, not by software
    write_u64(CODE + P_CR3, PML4);
    write_u64(CODE + P_CR4, cr4);
    write_u64(CODE + P_EFER, efer & !EFER_LMA);
    write_u64(CODE + P_CR0, cr0);
    write_u64(CODE + P_STACK, 0);
    write_u64(CODE + P_ENTRY, 0);
}

/// Sets what the next CPU to start runs: `entry` on the stack ending at
/// `stack_top` (16-byte aligned), with `arg` as its argument.
pub fn prepare(entry: extern "C" fn(u64) -> !, stack_top: u64, arg: u64) {
    let sp = stack_top - 16;
    // SAFETY: the top 16 bytes of a kernel stack the caller just made and
    // that no one runs on yet.
    unsafe { (sp as *mut u64).write_volatile(arg) };
    write_u64(CODE + P_ENTRY, entry as usize as u64);
    // Last, with a release fence: the stack and entry are in place before
    // a CPU can take the stack.
    core::sync::atomic::fence(core::sync::atomic::Ordering::Release);
    write_u64(CODE + P_STACK, sp);
}

/// Takes the stack back if no CPU has taken it: true when the CPU being
/// started never reached long mode, and never will use it.
pub fn take_back_stack() -> bool {
    let p = phys_to_virt(CODE + P_STACK) as *const core::sync::atomic::AtomicU64;
    // SAFETY: an aligned u64 in the trampoline's page, which the AP
    // exchanges atomically too.
    unsafe { (*p).swap(0, core::sync::atomic::Ordering::AcqRel) != 0 }
}

/// The start-up IPI's vector: the code's page number.
pub const fn vector() -> u8 {
    (CODE >> 12) as u8
}
