//! The initial stack and registers of a FreeBSD program
//! (sys/kern/kern_exec.c `exec_copyout_strings`, sys/kern/imgact_elf.c
//! `__elfN(freebsd_copyout_auxargs)`, sys/amd64/amd64/exec_machdep.c
//! `exec_setregs`):
//!
//! ```text
//! high  strings: the exec path, the canary, page sizes, environment, arguments
//!       auxv pairs, AT_NULL last
//!       envp pointers, NULL
//!       argv pointers, NULL
//! first argument → argc
//! ```
//!
//! Unlike Linux, FreeBSD hands the program the address of argc in the
//! first argument register (FreeBSD's crt1 and Go's rt0 read it there) and
//! the stack pointer at 8 modulo 16, as after a call; every other register
//! starts at zero (the second argument 0: no cleanup function from a
//! dynamic linker).

use crate::auxv::*;
use alloc::vec::Vec;
use kernel_ops::{KResult, KernelOps, LoadedImage};

/// `__FreeBSD_version` reported (AT_OSRELDATE, kern.osreldate): 14.0-RELEASE.
pub const OSRELDATE: u64 = 1_400_097;

/// amd64's page sizes: 4 KiB, 2 MiB, 1 GiB (AT_PAGESIZES).
const PAGE_SIZES: [u64; 3] = [4096, 2 << 20, 1 << 30];

/// The stack-protector canary's length (AT_CANARYLEN).
const CANARY_BYTES: usize = 64;

pub fn build(ops: &mut dyn KernelOps, image: &LoadedImage, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    crate::arch::sigcode::install(ops)?;
    let mut sp = image.stack_top;
    let mut push_bytes = |ops: &mut dyn KernelOps, bytes: &[u8]| -> KResult<u64> {
        sp -= bytes.len() as u64;
        ops.copy_out(sp, bytes)?;
        Ok(sp)
    };
    let mut exec_path = image.exec_path.clone();
    exec_path.push(0);
    let exec_path_addr = push_bytes(ops, &exec_path)?;
    let mut canary = [0u8; CANARY_BYTES];
    ops.random_bytes(&mut canary);
    let canary_addr = push_bytes(ops, &canary)?;
    let sizes: Vec<u8> = PAGE_SIZES.iter().flat_map(|s| s.to_le_bytes()).collect();
    let sizes_addr = push_bytes(ops, &sizes)?;
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

    let auxv: [(u64, u64); 14] = [
        (AT_PHDR, image.phdr),
        (AT_PHENT, image.phent),
        (AT_PHNUM, image.phnum),
        (AT_PAGESZ, PAGE_SIZES[0]),
        (AT_FLAGS, 0),
        (AT_ENTRY, image.entry),
        (AT_BASE, image.base),
        (AT_EXECPATH, exec_path_addr),
        (AT_OSRELDATE, OSRELDATE),
        (AT_CANARY, canary_addr),
        (AT_CANARYLEN, CANARY_BYTES as u64),
        (AT_PAGESIZES, sizes_addr),
        (AT_PAGESIZESLEN, sizes.len() as u64),
        (AT_NULL, 0),
    ];
    let mut block = Vec::new();
    block.extend_from_slice(&(argv.len() as u64).to_le_bytes());
    for p in arg_ptrs.iter().chain(core::iter::once(&0u64)) {
        block.extend_from_slice(&p.to_le_bytes());
    }
    for p in env_ptrs.iter().chain(core::iter::once(&0u64)) {
        block.extend_from_slice(&p.to_le_bytes());
    }
    let auxv_at = block.len();
    for (k, v) in auxv {
        block.extend_from_slice(&k.to_le_bytes());
        block.extend_from_slice(&v.to_le_bytes());
    }
    ops.record_auxv(&block[auxv_at..]);
    // argc 16-byte aligned, and the stack pointer as exec_setregs leaves
    // it: ((argc - 8) & ~15) + 8, that is 8 below argc.
    sp = (sp - block.len() as u64) & !15;
    ops.copy_out(sp, &block)?;
    let argc_at = sp;
    let mut context = kernel_ops::UserContext::new_program(image.start, ((argc_at - 8) & !15) + 8);
    crate::arch::syscall_abi::set_start_argument(&mut context, argc_at);
    *ops.context() = context;
    Ok(())
}
