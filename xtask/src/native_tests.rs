//! The native world under test: native `init` reads a boot manifest and
//! starts the user-space serial driver (COM2, driven through an I/O-port
//! and an IRQ capability), a task that faults on purpose (supervision and
//! restart), and Vulcan, the native test suite, whose end powers the
//! machine off with its status.
//!
//! COM2 is a Unix socket: the host waits for the driver's greeting, sends
//! a line, and expects the driver to have echoed it back (so both its
//! interrupt-driven input and its output are proven).
//!
//! A second boot (`native-abi::virtio-blk`) runs `blk.manifest`: the
//! user-space virtio-blk driver and its test client `blkcheck`, on a 4 MiB
//! raw image the host filled with a pattern; afterwards the host checks
//! the image holds what blkcheck wrote, and nothing else changed.
//!
//! A third (`native-abi::sockets`) runs `sockets.manifest`: the TCP/IP
//! server serving native programs' sockets (`protocols::sockets`) and
//! `sockcheck`, which moves 1 MiB over TCP between two threads, tests
//! UDP, isolation between clients, and the server closing the sockets of
//! a client that ended (docs/native-sockets.md).

use crate::harness::{self, Outcome};
use crate::qemu::MachineConfig;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BOOT_TIMEOUT: Duration = Duration::from_secs(180);
/// Vulcan must run at least this many checks (it counts its own; a suite
/// that silently lost half its checks must not pass).
const MIN_CHECKS: usize = 150;
/// What the host sends the driver, and what the driver must answer.
pub const HOST_LINE: &str = "ping from the host";
pub const DRIVER_GREETING: &str = "serial: COM2 driven from user space";

/// A native boot image: every program of `user/` in /native, with the
/// manifest `manifest` (a file in user/manifests) as /native/boot.manifest.
pub fn image(manifest: &str, name: &str) -> Result<PathBuf, String> {
    let programs = crate::native::build_native(true)?;
    let mut img = crate::initramfs::Image::new();
    for (prog, path) in &programs {
        img.host_file(&format!("native/{prog}"), path)?;
    }
    let text = std::fs::read(crate::root().join("user/manifests").join(manifest))
        .map_err(|e| format!("cannot read manifest {manifest}: {e}"))?;
    img.file("native/boot.manifest", text, 0o644);
    img.write(name)
}

/// The COM2 host side: collects everything the guest writes; sends
/// `HOST_LINE` once the driver has greeted.
fn com2_peer(socket: PathBuf, transcript: Arc<Mutex<Vec<u8>>>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let start = Instant::now();
        let mut stream = loop {
            match UnixStream::connect(&socket) {
                Ok(s) => break s,
                Err(_) if start.elapsed() < Duration::from_secs(30) => std::thread::sleep(Duration::from_millis(20)),
                Err(_) => return,
            }
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
        let mut sent = false;
        let mut buf = [0u8; 256];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => transcript.lock().expect("transcript lock").extend_from_slice(&buf[..n]),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(_) => return,
            }
            if !sent && String::from_utf8_lossy(&transcript.lock().expect("transcript lock")).contains(DRIVER_GREETING)
            {
                let _ = stream.write_all(format!("{HOST_LINE}\r\n").as_bytes());
                sent = true;
            }
            if start.elapsed() > BOOT_TIMEOUT + Duration::from_secs(10) {
                return;
            }
        }
    })
}

/// One Vulcan result line, as printed through `debug_write`
/// (`[vulcan] VULCAN ok name` / `[vulcan] VULCAN FAIL name: why`).
fn parse_check(line: &str) -> Option<(bool, String)> {
    let rest = &line[line.find("VULCAN ")? + 7..];
    if let Some(name) = rest.strip_prefix("ok ") {
        Some((true, name.trim().to_string()))
    } else {
        rest.strip_prefix("FAIL ").map(|r| (false, r.trim().to_string()))
    }
}

fn parse_summary(line: &str) -> Option<(usize, usize)> {
    let rest = &line[line.find("VULCAN-SUMMARY ")? + 15..];
    let mut passed = None;
    let mut failed = None;
    for word in rest.split_whitespace() {
        if let Some(v) = word.strip_prefix("passed=") {
            passed = v.parse().ok();
        } else if let Some(v) = word.strip_prefix("failed=") {
            failed = v.parse().ok();
        }
    }
    Some((passed?, failed?))
}

fn tail(log: &str) -> String {
    harness::last_lines(log, 60).iter().map(|l| format!("    | {l}\n")).collect()
}

/// Boots the Vulcan image; one result per aspect.
pub fn run(kernel: &Path) -> Result<Vec<(String, Result<String, String>)>, String> {
    let initrd = image("vulcan.manifest", "vulcan.cpio")?;
    let dir = crate::root().join("target/native");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let socket = dir.join("com2.sock");
    let _ = std::fs::remove_file(&socket);
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.initrd = Some(initrd);
    cfg.append = "init=/native/init".into();
    cfg.extra = vec![
        "-chardev".into(),
        format!("socket,id=com2,path={},server=on,wait=off", socket.display()),
        "-serial".into(),
        "chardev:com2".into(),
    ];
    let transcript = Arc::new(Mutex::new(Vec::new()));
    let peer = com2_peer(socket.clone(), transcript.clone());
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    let _ = peer.join();
    let com2 = String::from_utf8_lossy(&transcript.lock().expect("transcript lock")).into_owned();
    let mut results = Vec::new();

    let checks: Vec<(bool, String)> = boot.lines().filter_map(parse_check).collect();
    let failed: Vec<&String> = checks.iter().filter(|(ok, _)| !ok).map(|(_, n)| n).collect();
    let summary = boot.lines().find_map(parse_summary);
    let vulcan = match summary {
        _ if !failed.is_empty() => Err(format!(
            "  {} Vulcan checks failed:\n{}\n  serial log:\n{}",
            failed.len(),
            failed.iter().map(|f| format!("    - {f}\n")).collect::<String>(),
            tail(&boot.log)
        )),
        None => Err(format!("  no VULCAN-SUMMARY line (outcome {:?}); serial log:\n{}", boot.outcome, tail(&boot.log))),
        Some((p, f)) if f != 0 || p != checks.len() => {
            Err(format!("  summary passed={p} failed={f} but {} result lines\n{}", checks.len(), tail(&boot.log)))
        }
        Some((p, _)) if p < MIN_CHECKS => {
            Err(format!("  only {p} checks ran; the suite has at least {MIN_CHECKS}\n{}", tail(&boot.log)))
        }
        Some(_) if boot.outcome != Outcome::Passed => Err(format!(
            "  the machine did not power off cleanly after Vulcan ({:?})\n{}",
            boot.outcome,
            tail(&boot.log)
        )),
        Some((p, _)) => Ok(format!("{p} checks")),
    };
    results.push(("native-abi::vulcan".to_string(), vulcan));

    let driver = if !com2.contains(DRIVER_GREETING) {
        Err(format!("  the driver never greeted on COM2; COM2 got {com2:?}\n{}", tail(&boot.log)))
    } else if !com2.contains(&format!("echo: {HOST_LINE}")) {
        Err(format!("  the driver did not echo the host's line; COM2 got {com2:?}\n{}", tail(&boot.log)))
    } else {
        Ok("COM2 greeting and echo through IRQ 3 and ports 0x2f8-0x2ff".to_string())
    };
    results.push(("native-abi::serial-driver".to_string(), driver));

    let faulted = boot.lines().filter(|l| l.contains("init: task crasher faulted")).count();
    let supervision = if faulted >= 3 && boot.log.contains("init: task crasher: restart limit reached") {
        Ok(format!("crasher faulted {faulted} times, restarted twice, then given up"))
    } else {
        Err(format!(
            "  expected init to report crasher faulting 3 times and giving up; saw {faulted}\n{}",
            tail(&boot.log)
        ))
    };
    results.push(("native-abi::supervision".to_string(), supervision));

    results.push(("native-abi::virtio-blk".to_string(), virtio_blk(kernel)));
    results.push(("native-abi::sockets".to_string(), sockets(kernel)));
    Ok(results)
}

/// Boots sockets.manifest; sockcheck must pass, nothing may panic.
fn sockets(kernel: &Path) -> Result<String, String> {
    let initrd = image("sockets.manifest", "sockets.cpio")?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.initrd = Some(initrd);
    cfg.append = "init=/native/init".into();
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    let ok = boot.lines().find_map(|l| l.find("sockcheck: ok ").map(|i| l[i + 14..].trim().to_string()));
    let Some(ok) = ok else {
        return Err(format!(
            "  no `sockcheck: ok` line (outcome {:?}); serial log:\n{}",
            boot.outcome,
            tail(&boot.log)
        ));
    };
    if boot.outcome != Outcome::Passed {
        return Err(format!(
            "  the machine did not power off cleanly after sockcheck ({:?})\n{}",
            boot.outcome,
            tail(&boot.log)
        ));
    }
    if let Some(bad) = boot.lines().find(|l| l.contains("panicked") || l.contains("faulted")) {
        return Err(format!("  {bad}\n{}", tail(&boot.log)));
    }
    if !boot.log.contains("has gone; closed its") {
        return Err(format!("  netstack never said it closed the orphan's sockets\n{}", tail(&boot.log)));
    }
    Ok(format!("{ok}: 1 MiB over TCP between two clients, UDP, isolation, a dead client's sockets closed"))
}

/// The disk of the virtio-blk test: 4 MiB (8192 sectors).
const DISK_BYTES: u64 = 4 << 20;
/// The patterns, as in `user/blkcheck`: the 64-bit little-endian word at
/// byte `o` is `HOST_MAGIC | o` as the host writes it, `NEW_MAGIC | o` in
/// the sectors blkcheck rewrites.
const HOST_MAGIC: u64 = 0x484c_0000_0000_0000;
const NEW_MAGIC: u64 = 0x5752_0000_0000_0000;
const BLK_WRITTEN: std::ops::Range<u64> = 4096..4096 + 300;

/// The word the image must hold at byte `o` after blkcheck ran.
fn blk_expected(o: u64, after: bool) -> u64 {
    if after && BLK_WRITTEN.contains(&(o / 512)) {
        NEW_MAGIC | o
    } else {
        HOST_MAGIC | o
    }
}

/// Boots blk.manifest with a fresh patterned image; blkcheck must pass
/// and the image must hold its writes.
fn virtio_blk(kernel: &Path) -> Result<String, String> {
    let initrd = image("blk.manifest", "blk.cpio")?;
    let dir = crate::root().join("target/native");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let disk = dir.join("blk.img");
    let bytes: Vec<u8> = (0..DISK_BYTES).step_by(8).flat_map(|o| blk_expected(o, false).to_le_bytes()).collect();
    std::fs::write(&disk, bytes).map_err(|e| format!("{}: {e}", disk.display()))?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.initrd = Some(initrd);
    cfg.append = "init=/native/init".into();
    cfg.disk = Some(disk.clone());
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    let ok = boot.lines().find_map(|l| l.find("blkcheck: ok (").map(|i| l[i..].to_string()));
    let Some(ok) = ok else {
        return Err(format!("  no `blkcheck: ok` line (outcome {:?}); serial log:\n{}", boot.outcome, tail(&boot.log)));
    };
    if boot.outcome != Outcome::Passed {
        return Err(format!(
            "  the machine did not power off cleanly after blkcheck ({:?})\n{}",
            boot.outcome,
            tail(&boot.log)
        ));
    }
    let image = std::fs::read(&disk).map_err(|e| format!("{}: {e}", disk.display()))?;
    if image.len() as u64 != DISK_BYTES {
        return Err(format!("  the image is {} bytes now, not {DISK_BYTES}", image.len()));
    }
    for (i, word) in image.chunks_exact(8).enumerate() {
        let o = i as u64 * 8;
        let got = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        let want = blk_expected(o, true);
        if got != want {
            return Err(format!(
                "  after the boot the image holds {got:#018x} at byte {o:#x} (sector {}), expected {want:#018x}\n{}",
                o / 512,
                tail(&boot.log)
            ));
        }
    }
    // Which line the driver saw its interrupt on (it logs it once).
    let irq = boot.lines().find_map(|l| {
        l.find("interrupt on IRQ line ").map(|i| l[i + 22..].split_whitespace().next().unwrap_or("?").to_string())
    });
    let irq = irq.map_or_else(|| "no interrupt logged".to_string(), |l| format!("IRQ line {l}"));
    let checks = ok.trim_start_matches("blkcheck: ok (").trim_end_matches(')');
    Ok(format!("{checks}; {irq}; the image holds blkcheck's {} sectors", BLK_WRITTEN.end - BLK_WRITTEN.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blk_patterns_match_blkcheck() {
        assert_eq!(blk_expected(0, true), HOST_MAGIC);
        assert_eq!(blk_expected(4096 * 512, false), HOST_MAGIC | (4096 * 512));
        assert_eq!(blk_expected(4096 * 512 + 8, true), NEW_MAGIC | (4096 * 512 + 8));
        assert_eq!(blk_expected(4396 * 512, true), HOST_MAGIC | (4396 * 512));
    }

    #[test]
    fn parses_check_lines() {
        assert_eq!(parse_check("[vulcan] VULCAN ok cap.derive"), Some((true, "cap.derive".into())));
        assert_eq!(parse_check("[vulcan] VULCAN FAIL ipc.call: got 3"), Some((false, "ipc.call: got 3".into())));
        assert_eq!(parse_check("[vulcan] hello"), None);
        assert_eq!(parse_summary("[vulcan] VULCAN-SUMMARY passed=200 failed=0"), Some((200, 0)));
        assert_eq!(parse_summary("[vulcan] VULCAN-SUMMARY passed=x failed=0"), None);
    }
}
