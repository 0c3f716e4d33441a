//! The initial stack of a Linux program (the System V ABI):
//!
//! ```text
//! high  strings: the exec path, environment, arguments; platform; 16 random bytes
//!       (padding to 16 bytes)
//!       auxv pairs, AT_NULL last
//!       envp pointers, NULL
//!       argv pointers, NULL
//! sp → argc
//! ```
//! Every register but the stack pointer and program counter starts at zero
//! (on x86_64 that says there is no atexit function from a dynamic loader).

use alloc::vec::Vec;
use kernel_ops::{KResult, KernelOps, LoadedImage};
use linux_abi::auxv::*;

/// What CPUID leaf 1 EDX reports on the QEMU CPUs we run on: fpu, tsc, cx8,
/// cmov, mmx, fxsr, sse, sse2 and friends. Libcs only use it as a hint.
const HWCAP: u64 = 0x078b_fbff;

pub fn build(ops: &mut dyn KernelOps, image: &LoadedImage, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    let mut sp = image.stack_top;
    let mut push_bytes = |ops: &mut dyn KernelOps, bytes: &[u8]| -> KResult<u64> {
        sp -= bytes.len() as u64;
        ops.copy_out(sp, bytes)?;
        Ok(sp)
    };
    let mut execfn = image.exec_path.clone();
    execfn.push(0);
    let execfn_addr = push_bytes(ops, &execfn)?;
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
    let platform = push_bytes(ops, b"x86_64\0")?;
    let mut random = [0u8; 16];
    ops.random_bytes(&mut random);
    let random_addr = push_bytes(ops, &random)?;

    let mut auxv: Vec<(u64, u64)> = alloc::vec![
        (AT_PHDR, image.phdr),
        (AT_PHENT, image.phent),
        (AT_PHNUM, image.phnum),
        (AT_PAGESZ, 4096),
        (AT_BASE, image.base),
        (AT_FLAGS, 0),
        (AT_ENTRY, image.entry),
        (AT_UID, u64::from(image.uid)),
        (AT_EUID, u64::from(image.euid)),
        (AT_GID, u64::from(image.gid)),
        (AT_EGID, u64::from(image.egid)),
        (AT_SECURE, u64::from(image.secure)),
        (AT_RANDOM, random_addr),
        (AT_HWCAP, HWCAP),
        (AT_HWCAP2, 0),
        (AT_CLKTCK, 100),
        (AT_PLATFORM, platform),
        (AT_EXECFN, execfn_addr),
        (AT_MINSIGSTKSZ, 2048),
    ];
    if image.vdso_base != 0 {
        auxv.push((AT_SYSINFO_EHDR, image.vdso_base));
    }
    // Words below the strings: argc, argv + NULL, envp + NULL, auxv + AT_NULL.
    let words = 1 + arg_ptrs.len() + 1 + env_ptrs.len() + 1 + 2 * (auxv.len() + 1);
    sp &= !15;
    if words % 2 == 1 {
        sp -= 8; // keep argc (the lowest word) 16-byte aligned
    }
    let mut block = Vec::with_capacity(words * 8);
    block.extend_from_slice(&(argv.len() as u64).to_le_bytes());
    for p in arg_ptrs.iter().chain(core::iter::once(&0u64)) {
        block.extend_from_slice(&p.to_le_bytes());
    }
    for p in env_ptrs.iter().chain(core::iter::once(&0u64)) {
        block.extend_from_slice(&p.to_le_bytes());
    }
    let auxv_at = block.len();
    for (k, v) in auxv.iter().chain(core::iter::once(&(AT_NULL, 0))) {
        block.extend_from_slice(&k.to_le_bytes());
        block.extend_from_slice(&v.to_le_bytes());
    }
    ops.record_auxv(&block[auxv_at..]);
    sp -= block.len() as u64;
    ops.copy_out(sp, &block)?;

    *ops.context() = kernel_ops::UserContext::new_program(image.start, sp);
    Ok(())
}
