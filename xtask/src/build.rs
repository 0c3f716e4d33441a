//! Building the kernel image and patching its symbol table in.

use crate::toolchain::{self, KERNEL_TARGET};
use std::path::PathBuf;
use std::process::Command;

#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    pub release: bool,
    pub ktest: bool,
    /// The kernel's `lock-order` feature: ranked spinlocks taken out of
    /// order are reported (`BUG: lock order:`). `ktest` implies it.
    pub lock_order: bool,
}

/// Builds the kernel and returns the path of the bootable ELF.
pub fn build_kernel(opts: &BuildOptions) -> Result<PathBuf, String> {
    let tc = toolchain::kernel_toolchain()?;
    // The kernel embeds the Linux vDSO (kernel/src/mm/vdso.rs); its build
    // script reruns when the image changes.
    let vdso = crate::vdso::build_vdso()?;
    let root = crate::root();
    // Separate target directories keep the normal and test kernels from
    // rebuilding each other when we alternate between them.
    let flavour = match (opts.ktest, opts.lock_order) {
        (true, _) => "kernel-ktest",
        (false, true) => "kernel-lock-order",
        (false, false) => "kernel",
    };
    let target_dir = root.join("target").join(flavour);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root.join("kernel"))
        .arg("build")
        .arg("--target")
        .arg(KERNEL_TARGET)
        .arg("--target-dir")
        .arg(&target_dir)
        .env("RUSTC", &tc.rustc)
        .env("HELCTIC_VDSO", &vdso)
        // The outer `cargo xtask` may have set these for the host build.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER");
    if opts.release {
        cmd.arg("--release");
    }
    if opts.ktest {
        cmd.args(["--features", "ktest"]);
    } else if opts.lock_order {
        cmd.args(["--features", "lock-order"]);
    }
    if tc.build_std {
        cmd.env("RUSTC_BOOTSTRAP", "1")
            .arg("-Zbuild-std=core,alloc,compiler_builtins")
            .arg("-Zbuild-std-features=compiler-builtins-mem");
    }
    // Frame pointers give every backtrace a chain to walk; static relocation
    // because the kernel runs exactly where it is linked.
    let mut flags = vec![
        "-Cforce-frame-pointers=yes".to_string(),
        "-Crelocation-model=static".to_string(),
        "-Ccode-model=kernel".to_string(),
    ];
    if let Some(linker) = &tc.linker {
        flags.push(format!("-Clinker={}", linker.display()));
    }
    cmd.env("CARGO_ENCODED_RUSTFLAGS", flags.join("\x1f"));
    let status = cmd.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!("kernel build failed ({status}) with {}", tc.description));
    }
    let profile = if opts.release { "release" } else { "debug" };
    let built = target_dir.join(KERNEL_TARGET).join(profile).join("helctic");
    let out = target_dir.join(format!("helctic-{profile}.elf"));
    let mut image = std::fs::read(&built).map_err(|e| format!("cannot read {}: {e}", built.display()))?;
    let symbols = crate::kernel_symbols::patch(&mut image)?;
    std::fs::write(&out, &image).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("xtask: kernel {} ({} KiB, {symbols} symbols)", out.display(), image.len() / 1024);
    Ok(out)
}
