//! The initial stack `start_program` builds, read back from the fake core's
//! memory as a C library's start code reads it.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE, MEM_SIZE};
use kernel_ops::{LoadedImage, Personality};
use linux_abi::auxv::{AT_NULL, AT_PAGESZ, AT_SYSINFO_EHDR};

fn word(core: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(core.get(addr, 8).try_into().unwrap())
}

/// Starts a program with `vdso_base` and returns its auxv pairs.
fn auxv_for(vdso_base: u64) -> Vec<(u64, u64)> {
    let mut core = FakeCore::new();
    let image = LoadedImage {
        entry: 0x40_1000,
        start: 0x40_1000,
        phdr: 0x40_0040,
        phnum: 4,
        phent: 56,
        base: 0,
        stack_top: MEM_BASE + MEM_SIZE as u64,
        exec_path: b"/bin/prog".to_vec(),
        uid: 0,
        euid: 0,
        gid: 0,
        egid: 0,
        secure: false,
        vdso_base,
    };
    personality_linux::LINUX.start_program(&mut core, &image, &[b"prog".to_vec()], &[b"A=1".to_vec()]).unwrap();
    let sp = core.context.sp();
    assert_eq!(sp % 16, 0, "argc is 16-byte aligned");
    let argc = word(&core, sp);
    // argc, argv..., NULL, envp..., NULL, then the auxv pairs.
    let mut at = sp + 8 * (1 + argc + 1);
    while word(&core, at) != 0 {
        at += 8;
    }
    at += 8;
    let mut pairs = Vec::new();
    loop {
        let (key, value) = (word(&core, at), word(&core, at + 8));
        if key == AT_NULL {
            return pairs;
        }
        pairs.push((key, value));
        at += 16;
    }
}

#[test]
fn the_vdso_is_announced_when_there_is_one() {
    let with = auxv_for(0x7fff_f7ff_d000);
    assert_eq!(
        with.iter().filter(|(k, _)| *k == AT_SYSINFO_EHDR).collect::<Vec<_>>(),
        [&(AT_SYSINFO_EHDR, 0x7fff_f7ff_d000)]
    );
    assert!(with.contains(&(AT_PAGESZ, 4096)));
    let without = auxv_for(0);
    assert!(!without.iter().any(|(k, _)| *k == AT_SYSINFO_EHDR), "no AT_SYSINFO_EHDR without a vDSO");
    assert_eq!(with.len(), without.len() + 1);
}
