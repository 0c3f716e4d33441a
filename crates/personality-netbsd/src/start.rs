//! The initial stack and registers of a NetBSD program
//! (sys/kern/kern_exec.c `copyargs`, sys/kern/exec_elf.c `elf_copyargs`,
//! sys/arch/amd64/amd64/machdep.c `setregs`):
//!
//! ```text
//! high  struct ps_strings (argv, argc, envp, envc)
//!       environment and argument strings
//!       the exec path (AT_SUN_EXECNAME's string, right after the auxv)
//!       auxv: 16-byte entries, AT_NULL last
//!       envp pointers, NULL
//!       argv pointers, NULL
//! sp → argc
//! ```
//!
//! Unlike FreeBSD, NetBSD starts the program with the stack pointer at
//! argc and a register at the `struct ps_strings` (NetBSD's crt0 takes
//! argc, argv and envp from it, and aborts with "ps_strings missing"
//! without it); the other registers are 0 (no cleanup function).
//! Which registers: `arch::syscall_abi::set_program_registers`.

use crate::auxv::*;
use alloc::vec::Vec;
use kernel_ops::{KResult, KernelOps, LoadedImage};

/// NetBSD's page size on amd64 (AT_PAGESZ).
pub const PAGE_SIZE: u64 = 4096;

/// `struct ps_strings` (sys/sys/exec.h): `char **ps_argvstr` at 0, `int
/// ps_nargvstr` at 8, `char **ps_envstr` at 16, `int ps_nenvstr` at 24.
pub fn ps_strings(argv: u64, argc: u32, envp: u64, envc: u32) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[0..8].copy_from_slice(&argv.to_le_bytes());
    b[8..12].copy_from_slice(&argc.to_le_bytes());
    b[16..24].copy_from_slice(&envp.to_le_bytes());
    b[24..28].copy_from_slice(&envc.to_le_bytes());
    b
}

pub fn build(ops: &mut dyn KernelOps, image: &LoadedImage, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    let mut sp = image.stack_top;
    // The ps_strings at the top, 16-byte aligned (filled in below, once
    // the vectors' addresses are known).
    sp -= 32;
    let ps_at = sp;
    let mut push_bytes = |ops: &mut dyn KernelOps, bytes: &[u8]| -> KResult<u64> {
        sp -= bytes.len() as u64;
        ops.copy_out(sp, bytes)?;
        Ok(sp)
    };
    let mut env_ptrs = Vec::with_capacity(envp.len());
    for e in envp.iter().rev() {
        let mut s = e.clone();
        s.push(0);
        env_ptrs.push(push_bytes(ops, &s)?);
    }
    env_ptrs.reverse();
    let mut arg_ptrs = Vec::with_capacity(argv.len());
    for a in argv.iter().rev() {
        let mut s = a.clone();
        s.push(0);
        arg_ptrs.push(push_bytes(ops, &s)?);
    }
    arg_ptrs.reverse();

    // AT_SUN_EXECNAME only for an absolute path other than "/"
    // (exec_elf.c), its string right after the auxv.
    let exec_name = image.exec_path.first() == Some(&b'/') && image.exec_path.len() > 1;
    let mut auxv: Vec<(u64, u64)> = alloc::vec![
        (AT_PHDR, image.phdr),
        (AT_PHENT, image.phent),
        (AT_PHNUM, image.phnum),
        (AT_PAGESZ, PAGE_SIZE),
        (AT_BASE, image.base),
        (AT_FLAGS, 0),
        (AT_ENTRY, image.entry),
        (AT_EUID, u64::from(image.euid)),
        (AT_RUID, u64::from(image.uid)),
        (AT_EGID, u64::from(image.egid)),
        (AT_RGID, u64::from(image.gid)),
        (AT_STACKBASE, image.stack_top),
    ];
    if exec_name {
        auxv.push((AT_SUN_EXECNAME, 0));
    }
    auxv.push((AT_NULL, 0));
    let mut name = image.exec_path.clone();
    name.push(0);
    while exec_name && !name.len().is_multiple_of(8) {
        name.push(0);
    }
    let vectors = 8 * (1 + argv.len() + 1 + envp.len() + 1);
    let total = vectors + 16 * auxv.len() + if exec_name { name.len() } else { 0 };
    let argc_at = (sp - total as u64) & !15;
    let auxv_at = argc_at + vectors as u64;
    let name_at = auxv_at + 16 * auxv.len() as u64;
    if exec_name {
        if let Some(e) = auxv.iter_mut().find(|e| e.0 == AT_SUN_EXECNAME) {
            e.1 = name_at;
        }
    }

    let mut block = Vec::with_capacity(total);
    block.extend_from_slice(&(argv.len() as u64).to_le_bytes());
    for p in arg_ptrs.iter().chain(core::iter::once(&0u64)) {
        block.extend_from_slice(&p.to_le_bytes());
    }
    for p in env_ptrs.iter().chain(core::iter::once(&0u64)) {
        block.extend_from_slice(&p.to_le_bytes());
    }
    for &(k, v) in &auxv {
        block.extend_from_slice(&k.to_le_bytes());
        block.extend_from_slice(&v.to_le_bytes());
    }
    ops.record_auxv(&block[vectors..]);
    if exec_name {
        block.extend_from_slice(&name);
    }
    ops.copy_out(argc_at, &block)?;
    let argv_at = argc_at + 8;
    let envp_at = argv_at + 8 * (argv.len() as u64 + 1);
    ops.copy_out(ps_at, &ps_strings(argv_at, argv.len() as u32, envp_at, envp.len() as u32))?;

    let mut context = kernel_ops::UserContext::new_program(image.start, argc_at);
    crate::arch::syscall_abi::set_program_registers(&mut context, ps_at);
    *ops.context() = context;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ps_strings_layout() {
        let b = super::ps_strings(0x1000, 2, 0x2000, 3);
        assert_eq!(&b[0..8], &0x1000u64.to_le_bytes());
        assert_eq!(&b[8..12], &2u32.to_le_bytes());
        assert_eq!(&b[16..24], &0x2000u64.to_le_bytes());
        assert_eq!(&b[24..28], &3u32.to_le_bytes());
    }
}
