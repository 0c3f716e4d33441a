//! The PVH entry path: from 32-bit protected mode to 64-bit Rust.
//!
//! QEMU (`-kernel`), Firecracker and Cloud Hypervisor find `pvh_start` through
//! the Xen ELF note below and jump to it in 32-bit protected mode with paging
//! off and `ebx` holding the physical address of `hvm_start_info`. This code
//! builds nothing at run time: the early page tables are static data that map
//!
//! * the first 4 GiB at 0 (identity, so this code keeps running after paging is
//!   switched on; dropped as soon as Rust installs the real tables),
//! * the same 4 GiB at the direct-map base `0xffff_8000_0000_0000`,
//! * the first 2 GiB of physical memory at `0xffff_ffff_8000_0000`, where the
//!   kernel is linked (see linker.ld),
//!
//! all with 2 MiB pages. Rust then replaces them (see `paging.rs`).

core::arch::global_asm!(
    r#"
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                 /* name size: "Xen\0" */
    .long 4                 /* descriptor size */
    .long 18                /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .balign 4
    .long pvh_start
    .balign 4

    .section .boot.text, "ax", @progbits
    .code32
    .global pvh_start
pvh_start:
    cli
    cld
    mov esi, ebx                    /* hvm_start_info, handed on to Rust */
    rdtsc                           /* kernel entry time, for the boot figure */
    mov [boot_entry_tsc], eax
    mov [boot_entry_tsc + 4], edx

    /* Long mode is required; NX is used when present. */
    mov eax, 0x80000000
    cpuid
    cmp eax, 0x80000001
    jb no_long_mode
    mov eax, 0x80000001
    cpuid
    test edx, 1 << 29
    jz no_long_mode
    mov edi, edx

    /* CR4: PAE, PGE, OSFXSR, OSXMMEXCPT (user programs use SSE). */
    mov eax, cr4
    or eax, (1 << 5) | (1 << 7) | (1 << 9) | (1 << 10)
    mov cr4, eax

    lea eax, [boot_pml4]
    mov cr3, eax

    /* EFER: long mode enable, and no-execute enable when supported. */
    mov ecx, 0xC0000080
    rdmsr
    or eax, 1 << 8
    test edi, 1 << 20
    jz 1f
    or eax, 1 << 11
1:
    wrmsr

    /* CR0: paging, write-protect in ring 0, FPU monitor, no FPU emulation. */
    mov eax, cr0
    and eax, ~(1 << 2)
    or eax, (1 << 31) | (1 << 16) | (1 << 1) | 1
    mov cr0, eax

    lgdt [boot_gdt_ptr]
    push 0x08
    lea eax, [long_mode_entry]
    push eax
    retf

no_long_mode:
    lea esi, [no_long_mode_msg]
2:
    mov al, [esi]
    test al, al
    jz 3f
    mov dx, 0x3f8
    out dx, al
    inc esi
    jmp 2b
3:
    mov al, 0x11                    /* isa-debug-exit: failure */
    out 0xf4, al
4:
    hlt
    jmp 4b

    .code64
long_mode_entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax

    /* Zero .bss: do not rely on the loader for it. */
    movabs rdi, offset __bss_start
    movabs rcx, offset __bss_end
    sub rcx, rdi
    xor eax, eax
    rep stosb

    movabs rax, offset boot_stack_top
    mov rsp, rax
    xor ebp, ebp                    /* a zero frame pointer ends backtraces */
    mov edi, esi                    /* arg 0: hvm_start_info (physical) */
    mov rsi, [boot_entry_tsc]       /* arg 1: TSC at entry */
    movabs rax, offset pvh_entry
    call rax
5:
    hlt
    jmp 5b

    .section .boot.data, "aw", @progbits
    .balign 4096
boot_pml4:
    .quad boot_pdpt_low + 3
    .fill 255, 8, 0
    .quad boot_pdpt_low + 3         /* 256: direct map */
    .fill 254, 8, 0
    .quad boot_pdpt_high + 3        /* 511: kernel image */
boot_pdpt_low:
    .quad boot_pd + 0x0003
    .quad boot_pd + 0x1003
    .quad boot_pd + 0x2003
    .quad boot_pd + 0x3003
    .fill 508, 8, 0
boot_pdpt_high:
    .fill 510, 8, 0
    .quad boot_pd + 0x0003
    .quad boot_pd + 0x1003
boot_pd:
    .set page, 0
    .rept 2048
    .quad (page << 21) | 0x83       /* present, writable, 2 MiB */
    .set page, page + 1
    .endr

    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 64-bit code */
    .quad 0x00cf92000000ffff        /* data */
boot_gdt_ptr:
    .word boot_gdt_ptr - boot_gdt - 1
    .long boot_gdt

    .balign 8
boot_entry_tsc:
    .quad 0

no_long_mode_msg:
    .asciz "helctic: this CPU has no 64-bit long mode\r\n"

    .section .bss.boot_stack, "aw", @nobits
    .balign 4096
boot_stack:
    .skip 65536
boot_stack_top:
"#
);
