//! The TCP/IP server failing while programs use it (fault injection
//! through its manifest argument, as the ext2 server's storage tests do):
//! tests/netstack/server_fault.c moves 64 MiB over one loopback connection
//! while the server crashes, or hangs, part way.
//!
//! - crash: both ends get ECONNRESET or EPIPE, init reports the crash and
//!   restarts the server, and a new connection works;
//! - hang: the kernel gives the server up after its answer timeout (10 s),
//!   both ends get an error instead of waiting for ever, and a new socket
//!   fails with ENETDOWN (nothing restarts a server that is alive).
//!
//! Neither may panic the kernel or hang the machine.

use crate::harness;
use crate::qemu::MachineConfig;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The request at which the server fails: a few hundred requests into the
/// transfer (each moves at most 32 KiB), a restarted one only after the
/// test's last connection.
const FAIL_AT_REQUEST: u64 = 300;
/// netstack's argument bit for a hang instead of a crash.
const HANG_MODE: u64 = 1 << 62;

pub fn run_all(kernel: &Path, busybox: &crate::debian::Busybox) -> Vec<(String, Result<String, String>)> {
    let program = match build() {
        Ok(p) => p,
        Err(e) => return vec![("netstack::server-faults".into(), Err(format!("  {e}")))],
    };
    vec![
        ("netstack::server-crash".into(), server_fault(kernel, busybox, &program, false)),
        ("netstack::server-hang".into(), server_fault(kernel, busybox, &program, true)),
    ]
}

fn build() -> Result<PathBuf, String> {
    let out = crate::root().join("target/netstack-tests");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let bin = out.join("server_fault");
    let status = Command::new("musl-gcc")
        .args(["-static", "-O2", "-Wall", "-Wextra", "-Werror", "-o"])
        .arg(&bin)
        .arg(crate::root().join("tests/netstack/server_fault.c"))
        .status()
        .map_err(|e| format!("cannot run musl-gcc: {e}"))?;
    if !status.success() {
        return Err("musl-gcc tests/netstack/server_fault.c failed".into());
    }
    Ok(bin)
}

fn server_fault(kernel: &Path, busybox: &crate::debian::Busybox, program: &Path, hang: bool) -> Result<String, String> {
    let normal = crate::network_services::manifest()?;
    let arg = if hang { HANG_MODE | FAIL_AT_REQUEST } else { FAIL_AT_REQUEST };
    let faulty = normal.replace("task netstack\n", &format!("task netstack\n    arg {arg:#x}\n"));
    if faulty == normal {
        return Err("  network.manifest has no `task netstack` line to add the argument to".into());
    }
    let mut image = crate::userland::busybox_image(busybox)?;
    image.host_file("bin/server_fault", program)?;
    let mode = if hang { "hang" } else { "restart" };
    image.file(
        "init",
        format!("#!/bin/sh\nexport PATH=/bin\necho @@start\n/bin/server_fault {mode}\necho \"@@end $?\"\n")
            .into_bytes(),
        0o755,
    );
    crate::network_services::add_with(&mut image, faulty)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "256M".into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(image.write(&format!("netstack-{mode}.cpio"))?);
    let boot = harness::boot(kernel, &cfg, Duration::from_secs(300))?;
    let fail = |why: String| {
        let saved = boot.save().map_or(String::new(), |p| format!(" (whole log: {})", p.display()));
        Err(format!("  {why}{saved}; last lines:\n{}", boot.tail(40)))
    };
    let lines: Vec<&str> = boot.lines().filter(|l| l.starts_with("fault: ") || l.starts_with("@@end")).collect();
    if !lines.contains(&"@@end 0") {
        return fail(format!("the program did not finish ({lines:?})"));
    }
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return fail(format!("the kernel logged {bug:?}"));
    }
    let reset = |l: &&str| l.contains("Connection reset by peer") || l.contains("Broken pipe");
    let receiver = lines.iter().find(|l| l.starts_with("fault: receiver"));
    let sender = lines.iter().find(|l| l.starts_with("fault: sender"));
    if !receiver.is_some_and(reset) || !sender.is_some_and(reset) {
        return fail(format!("both ends should have got ECONNRESET or EPIPE: {lines:?}"));
    }
    if !boot.lines().any(|l| l.contains("net: the network server")) {
        return fail("the kernel did not report the server's failure".into());
    }
    let after = lines.iter().find(|l| l.contains("new connection")).copied().unwrap_or("");
    if hang {
        if after != "fault: a new connection: Network is down (3 s)" {
            return fail(format!("with the server hung, a new socket should be ENETDOWN after 3 s: {after:?}"));
        }
    } else {
        if !boot.lines().any(|l| l.contains("init: task netstack: restarting")) {
            return fail("init did not restart the server".into());
        }
        if after != "fault: a new connection works" {
            return fail(format!("after the restart: {after:?}"));
        }
    }
    Ok(format!(
        "server {} at request {FAIL_AT_REQUEST} mid-transfer: {}; {} ({:.0} s)",
        if hang { "hung" } else { "crashed" },
        receiver.map_or("", |l| l.trim_start_matches("fault: ")),
        after.trim_start_matches("fault: "),
        boot.elapsed.as_secs_f64()
    ))
}
