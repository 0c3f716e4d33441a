//! `harness::syscall-trace`: the kernel's system-call log (`cargo xtask
//! run --trace`, kernel command line `strace`) names the calls of a small
//! program with their arguments decoded: a path string, flags by name, a
//! written buffer, an errno by name.

use crate::cli::Machine;
use crate::qemu::MachineConfig;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

pub fn run(kernel: &Path) -> Result<String, String> {
    crate::toolchain::ensure_program("musl-gcc", "musl-tools", "building the trace probe")?;
    let dir = crate::root().join("target/trace-test");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let bin = dir.join("trace_probe");
    let src = crate::root().join("tests/harness/trace_probe.c");
    let out = Command::new("musl-gcc")
        .args(["-static", "-O2", "-Wall", "-o"])
        .arg(&bin)
        .arg(&src)
        .output()
        .map_err(|e| format!("musl-gcc: {e}"))?;
    if !out.status.success() {
        return Err(format!("musl-gcc {} failed:\n{}", src.display(), String::from_utf8_lossy(&out.stderr)));
    }
    let mut image = crate::initramfs::Image::new();
    image.host_file("bin/trace_probe", &bin)?;
    let mut config = MachineConfig::new(Machine::Q35);
    config.initrd = Some(image.write("trace.cpio")?);
    config.append = "strace init=/bin/trace_probe --".into();
    let boot = crate::harness::boot(kernel, &config, Duration::from_secs(60))?;
    let wanted = [
        "strace [   1:   1] openat(AT_FDCWD, \"/helctic/no-such-file\", O_RDONLY|O_CLOEXEC",
        "= -1 ENOENT (2)",
        "strace [   1:   1] write(1, \"trace probe\\n\", 12) = 12",
        "strace [   1:   1] exit_group(0) = ?",
        "init exited with status 0",
    ];
    let lines: Vec<&str> = boot.lines().collect();
    for w in wanted {
        if !lines.iter().any(|l| l.contains(w)) {
            return Err(format!("  the log has no line with `{w}`; last lines:\n{}", boot.tail(20)));
        }
    }
    // The openat line carries both its path and its errno.
    if !lines.iter().any(|l| l.contains("openat(AT_FDCWD, \"/helctic/no-such-file\"") && l.ends_with("= -1 ENOENT (2)"))
    {
        return Err(format!("  the openat line lacks its result; last lines:\n{}", boot.tail(20)));
    }
    Ok(String::new())
}
