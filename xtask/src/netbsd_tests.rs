//! The NetBSD personality's tests (issue 16): small C programs written
//! against NetBSD's raw system calls (tests/netbsd/*.c with nbsd.h; no
//! libc, branded with NetBSD's `.note.netbsd.ident`), and the Go programs
//! of tests/go built for NetBSD from the same source as their Linux twins.
//!
//! The C programs cannot run natively (the host is Linux): their expected
//! values come from NetBSD's headers and sources, each check saying which.
//! Each Go program runs natively as its Linux build first; inside Helctic
//! its NetBSD build must pass as many checks.
//!
//! A deliberate copy of freebsd_tests.rs with NetBSD's directory, program
//! list and image name: the two differ in those only, and a shared
//! version would need the same three parameters at every call.

use crate::linux_tests::Verdict;
use crate::qemu::MachineConfig;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The Go programs whose NetBSD build is tested: those the personality
/// runs so far. files, exec, signals and workload need the descriptor,
/// file and process calls (open, fstat, fork, execve, wait4, ...), not in
/// the personality yet; net_http needs sockets.
pub const GO_PROGRAMS: &[&str] = &["goroutines_gc", "timers"];

/// The C programs, built: name → binary.
pub fn build_c() -> Result<BTreeMap<String, PathBuf>, String> {
    let gcc = crate::toolchain::ensure_program("gcc", "gcc", "building the NetBSD test programs")?;
    let root = crate::root();
    let out = root.join("target/netbsd-tests");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("tests/netbsd"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    let mut built = BTreeMap::new();
    for src in sources {
        let name = src.file_stem().and_then(|s| s.to_str()).ok_or("bad test name")?.to_string();
        let bin = out.join(&name);
        let output = Command::new(&gcc)
            .args(["-nostdlib", "-static", "-no-pie", "-ffreestanding", "-fno-stack-protector", "-fno-builtin"])
            .args(["-O1", "-Wall", "-Werror", "-I"])
            .arg(root.join("tests/netbsd"))
            .arg("-o")
            .arg(&bin)
            .arg(&src)
            .output()
            .map_err(|e| format!("cannot run gcc: {e}"))?;
        if !output.status.success() {
            return Err(format!("gcc {} failed:\n{}", src.display(), String::from_utf8_lossy(&output.stderr)));
        }
        built.insert(name, bin);
    }
    Ok(built)
}

/// Every program in one boot, from busybox's shell (a Linux program
/// starting NetBSD ones): `c/<name>` and `go/<name>` verdicts.
pub fn run_in_helctic(
    kernel: &std::path::Path,
    c: &BTreeMap<String, PathBuf>,
    go: &BTreeMap<String, PathBuf>,
) -> Result<(BTreeMap<String, Verdict>, crate::harness::Boot), String> {
    let busybox = crate::debian::busybox()?;
    let mut image = crate::userland::busybox_image(&busybox)?;
    let mut script = String::from("#!/bin/sh\nexport PATH=/bin:/sbin TMPDIR=/tmp\ncd /tmp\n");
    for (kind, programs) in [("c", c), ("go", go)] {
        for (name, bin) in programs {
            image.host_file(&format!("tests/netbsd/{kind}/{name}"), bin)?;
            script.push_str(&format!(
                "echo '@@BEGIN {kind}/{name}'\ntimeout 300 /tests/netbsd/{kind}/{name}\necho \"@@END {kind}/{name} $?\"\n"
            ));
        }
    }
    image.file("init", script.into_bytes(), 0o755);
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "512M".into();
    cfg.initrd = Some(image.write("netbsd-tests.cpio")?);
    let boot = crate::harness::boot(kernel, &cfg, Duration::from_secs(900))?;
    Ok((crate::linux_tests::verdicts_between_markers(&boot), boot))
}
