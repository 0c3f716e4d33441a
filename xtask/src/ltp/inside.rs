//! Running entries inside Helctic: their programs on an ext2 disk (served
//! by Helctic's own virtio-blk driver and ext2 server, mounted on /mnt),
//! Debian's busybox as the shell, and a runner script that runs a batch of
//! entries one after another, each under busybox `timeout`, printing
//! `@@run NAME` before and `@@exit NAME STATUS` after. A kernel panic, or
//! a kernel that stops making progress (a watchdog here on the host), costs
//! only that boot: the entry that was running is recorded as crashed or
//! hung and the next boot starts from the entry after it.

use super::native::Run;
use super::runtest::Entry;
use super::verdict::{classify, Verdict};
use crate::qemu::{MachineConfig, EXIT_FAILURE};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a boot may take to reach the runner's first entry.
const BOOT_LIMIT: Duration = Duration::from_secs(180);
/// How long past an entry's own time limit the kernel may stay silent
/// before we call it hung (busybox `timeout` should have printed by then).
const GRACE: Duration = Duration::from_secs(60);

/// What LTP's library expects of the system: `nobody` (and its group),
/// name lookups from files only (the static glibc programs read
/// nsswitch.conf). /tmp is 1777 in every initramfs we make.
const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/bin/sh\ndaemon:x:2:2:daemon:/sbin:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
const GROUP: &str = "root:x:0:\nbin:x:1:\ndaemon:x:2:\nusers:x:100:\nnogroup:x:65534:\nnobody:x:65534:\n";
const NSSWITCH: &str = "passwd: files\ngroup: files\nshadow: files\nhosts: files\nservices: files\nprotocols: files\n";
/// LTP's tst_mkfs runs `mkfs.<type> [options] DEVICE [size in KiB]`
/// (ext2 unless a test says otherwise). Debian's busybox has no
/// `mkfs.ext2` applet but its `mke2fs` takes that command line (with the
/// options tests pass: -b, -I, -i, -m, -L); -F because the device is a
/// loop device, which mke2fs would otherwise question. The arguments are
/// split again ($@ unquoted) because tests pass an option and its value
/// as one word ("-b 4096"), which e2fsprogs' mke2fs accepts and busybox's
/// does not.
const MKFS_EXT2: &str = "#!/bin/sh\nexec mke2fs -F $@\n";

pub struct Options<'a> {
    pub kernel: &'a Path,
    pub busybox: &'a crate::debian::Busybox,
    pub timeout: Duration,
    pub batch: usize,
    pub keep_going: bool,
}

/// The ext2 disk with `programs` in /ltp/bin (hard links where the file
/// system allows, copies otherwise), sized to fit.
pub fn make_disk(programs: &[(String, PathBuf)], work: &Path) -> Result<PathBuf, String> {
    let tree = work.join("tree");
    let _ = std::fs::remove_dir_all(&tree);
    let bin = tree.join("ltp/bin");
    std::fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    let mut bytes = 0u64;
    for (name, path) in programs {
        let to = bin.join(name);
        if to.exists() {
            continue;
        }
        if std::fs::hard_link(path, &to).is_err() {
            std::fs::copy(path, &to).map_err(|e| format!("{name}: {e}"))?;
        }
        bytes += std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
    }
    let megabytes = bytes / (1 << 20) * 5 / 4 + 64;
    let img = work.join("disk.img");
    let _ = std::fs::remove_file(&img);
    let (code, out) = crate::storage_tests::run(
        Command::new(crate::storage_tests::tool("mke2fs")?)
            .args(["-q", "-F", "-t", "ext2", "-b", "4096", "-d"])
            .arg(&tree)
            .arg(&img)
            .arg(format!("{megabytes}M")),
    )?;
    if code != 0 {
        return Err(format!("mke2fs failed: {out}"));
    }
    let _ = std::fs::remove_dir_all(&tree);
    Ok(img)
}

/// The runner script for one boot: the entries in order, each under a
/// time limit, in /tmp (where LTP makes its scratch directories). /tmp and
/// /dev/shm are tmpfs mounts, as on a Debian system (tests that refuse
/// ramfs, e.g. for leases, run).
pub fn script(entries: &[&Entry], timeout: Duration) -> String {
    let mut s = String::from(
        "#!/bin/sh\nexport PATH=/mnt/ltp/bin:/bin:/sbin:/usr/bin:/usr/sbin\nexport TMPDIR=/tmp LTPROOT=/mnt/ltp LTP_COLORIZE_OUTPUT=0\nmount -t tmpfs tmpfs /tmp\nmkdir -p /dev/shm\nmount -t tmpfs tmpfs /dev/shm\ncd /tmp\necho @@start\n",
    );
    for e in entries {
        // The status goes on a line of its own even when the test's last
        // line had no newline.
        s.push_str(&format!("echo \"@@run {name}\"\nsetsid timeout -s KILL {secs} {cmd} </dev/null\nrc=$?\necho\necho \"@@exit {name} $rc\"\ncd /tmp\n", name = e.name, secs = timeout.as_secs().max(1), cmd = e.command));
    }
    s.push_str("sync\necho @@end\npoweroff -f\n");
    s
}

/// How a boot ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The runner printed `@@end`.
    Finished,
    /// The kernel panicked, or QEMU stopped without the runner finishing.
    Crashed,
    /// No progress within the watchdog's limit; QEMU was killed.
    Hung,
}

/// One console line and when it arrived (seconds since QEMU started).
pub type Line = (f64, String);

/// The results of one boot's entries: those that printed their exit status,
/// then (if the boot ended early) the one that was running, as crashed or
/// hung. Entries after it are not in the result: they go into the next boot.
pub fn parse_boot(lines: &[Line], names: &[&str], ending: Ending) -> Vec<(String, Run, Vec<String>)> {
    let mut results = Vec::new();
    let mut current: Option<(String, f64, Vec<String>, Vec<String>)> = None;
    for (t, line) in lines {
        let line = line.trim_end_matches('\r');
        if let Some(i) = line.find("@@run ") {
            let name = line[i + 6..].trim();
            if names.contains(&name) {
                current = Some((name.to_string(), *t, Vec::new(), Vec::new()));
                continue;
            }
        }
        if let Some(i) = line.find("@@exit ") {
            let mut words = line[i + 7..].split_whitespace();
            if let (Some(name), Some(status)) = (words.next(), words.next().and_then(|s| s.parse::<i32>().ok())) {
                if let Some((running, start, output, kernel)) = current.take_if(|c| c.0 == name) {
                    let mut output = output;
                    if i > 0 {
                        output.push(line[..i].to_string());
                    }
                    // busybox `timeout -s KILL`: the program dies of SIGKILL.
                    let verdict = classify(status, status == 128 + 9);
                    let run = Run { verdict, status: Some(status), seconds: t - start, output: output.join("\n") };
                    results.push((running, run, kernel));
                    continue;
                }
            }
        }
        if let Some((_, _, output, kernel)) = current.as_mut() {
            if crate::harness::is_kernel_log(line) {
                kernel.push(line.to_string());
            } else {
                output.push(line.to_string());
            }
        }
    }
    if ending != Ending::Finished {
        let last = lines.last().map(|l| l.0).unwrap_or(0.0);
        let verdict = if ending == Ending::Hung { Verdict::Hung } else { Verdict::Crashed };
        match current {
            Some((name, start, output, kernel)) => {
                let mut output = output;
                output.extend(kernel.iter().cloned());
                results.push((
                    name,
                    Run { verdict, status: None, seconds: last - start, output: output.join("\n") },
                    kernel,
                ));
            }
            // The boot failed before the runner's first entry: the first
            // entry takes the blame, so the run still moves on.
            None if results.is_empty() => {
                if let Some(first) = names.first() {
                    let tail: Vec<String> = lines.iter().rev().take(30).rev().map(|l| l.1.clone()).collect();
                    results.push((
                        first.to_string(),
                        Run {
                            verdict,
                            status: None,
                            seconds: 0.0,
                            output: format!("the boot did not reach this entry:\n{}", tail.join("\n")),
                        },
                        Vec::new(),
                    ));
                }
            }
            None => {}
        }
    }
    results
}

/// Boots once, reading the console as it comes: killed when the runner
/// makes no progress (a new `@@run`/`@@exit` line) within `entry_limit`.
fn boot_watched(kernel: &Path, config: &MachineConfig, entry_limit: Duration) -> Result<(Vec<Line>, Ending), String> {
    let qemu = crate::toolchain::qemu()?;
    let start = Instant::now();
    let mut child = Command::new(qemu)
        .args(config.qemu_args(kernel, false))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start QEMU: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut r = std::io::BufReader::new(stdout);
        let mut buf = Vec::new();
        while r.read_until(b'\n', &mut buf).map(|n| n > 0).unwrap_or(false) {
            let _ = tx.send(String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string());
            buf.clear();
        }
    });
    let mut lines: Vec<Line> = Vec::new();
    let mut deadline = start + BOOT_LIMIT;
    let mut ending = None;
    while ending.is_none() {
        let now = Instant::now();
        if now >= deadline {
            let _ = child.kill();
            ending = Some(Ending::Hung);
            break;
        }
        match rx.recv_timeout(deadline - now) {
            Ok(line) => {
                if line.contains("@@run ") || line.contains("@@exit ") {
                    deadline = Instant::now() + entry_limit;
                }
                if line.contains("@@end") {
                    ending = Some(Ending::Finished);
                }
                if line.contains("!!! KERNEL PANIC") || line.contains("!!! panic while panicking") {
                    ending = Some(Ending::Crashed);
                }
                lines.push((start.elapsed().as_secs_f64(), line));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // QEMU closed its output: it has exited.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = child.wait().map_err(|e| e.to_string())?;
                ending = Some(if status.code() == Some(EXIT_FAILURE) || !lines.iter().any(|l| l.1.contains("@@end")) {
                    Ending::Crashed
                } else {
                    Ending::Finished
                });
            }
        }
    }
    // A panic prints its backtrace and exits; let it finish (bounded).
    let wind_down = Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            _ if Instant::now() >= wind_down => {
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    let _ = reader.join();
    lines.extend(rx.try_iter().map(|l| (start.elapsed().as_secs_f64(), l)));
    Ok((lines, ending.unwrap_or(Ending::Crashed)))
}

/// Runs `entries` inside Helctic from `disk`, in boots of `opts.batch`
/// entries. Returns each entry's run and the kernel log lines seen while
/// it ran; entries never reached (a kernel fault without `keep_going`)
/// are missing from the result.
pub fn run_all(entries: &[&Entry], disk: &Path, opts: &Options) -> Result<Vec<(String, Run, Vec<String>)>, String> {
    let mut results = Vec::new();
    let mut pos = 0;
    let mut boots = 0;
    while pos < entries.len() {
        let batch: Vec<&Entry> = entries[pos..(pos + opts.batch.max(1)).min(entries.len())].to_vec();
        let names: Vec<&str> = batch.iter().map(|e| e.name.as_str()).collect();
        let mut image = crate::userland::busybox_image(opts.busybox)?;
        crate::storage_tests::add_storage_services(&mut image)?;
        image.file("etc/passwd", PASSWD.as_bytes().to_vec(), 0o644);
        image.file("etc/group", GROUP.as_bytes().to_vec(), 0o644);
        image.file("etc/nsswitch.conf", NSSWITCH.as_bytes().to_vec(), 0o644);
        image.file("bin/mkfs.ext2", MKFS_EXT2.as_bytes().to_vec(), 0o755);
        image.file("init", script(&batch, opts.timeout).into_bytes(), 0o755);
        // The host the entries pass on first has a network; so does the
        // machine inside (QEMU's user network, addressed statically: no
        // DHCP wait), so an entry that needs a route (a multicast join
        // naming no interface, say) finds one as it does natively.
        let net =
            crate::network_services::Ethernet { ipv4: crate::network_services::Ipv4Mode::Static, forwards: Vec::new() };
        net.add_to(&mut image)?;
        let initrd = image.write("ltp.cpio")?;
        let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
        // LTP's device tests make a 300 MiB image in /tmp (RAM here) and
        // a mounted loop device holds its written blocks in memory too
        // (docs/storage.md): 512 MiB ran out when a test filled the device.
        cfg.memory = "1G".into();
        cfg.initrd = Some(initrd);
        cfg.append = crate::storage_tests::SERVICES.into();
        cfg.disk = Some(disk.to_path_buf());
        cfg.extra = net.qemu_args();
        boots += 1;
        eprintln!(
            "ltp: boot {boots}: entries {}..{} of {} ({} to {})",
            pos + 1,
            pos + batch.len(),
            entries.len(),
            names[0],
            names[names.len() - 1]
        );
        let (lines, ending) = boot_watched(opts.kernel, &cfg, opts.timeout + GRACE)?;
        let got = parse_boot(&lines, &names, ending);
        let logs = crate::root().join("target/ltp/inside/logs");
        let _ = std::fs::create_dir_all(&logs);
        for (name, run, kernel) in &got {
            eprintln!("ltp: inside {name} {} ({:.1} s)", run.verdict.name(), run.seconds);
            // The whole output, for reading a failure (the report keeps its last lines).
            let _ = std::fs::write(
                logs.join(format!("{name}.log")),
                format!("{}\n--- kernel log ---\n{}\n", run.output, kernel.join("\n")),
            );
        }
        let faulted = got.last().is_some_and(|(_, r, _)| r.verdict.is_kernel_fault());
        if got.is_empty() {
            return Err(format!(
                "boot {boots} ran none of its entries ({ending:?}); last lines:\n{}",
                lines.iter().rev().take(30).rev().map(|l| l.1.as_str()).collect::<Vec<_>>().join("\n")
            ));
        }
        pos += got.len();
        results.extend(got);
        if faulted && !opts.keep_going {
            eprintln!("ltp: kernel fault; stopping (use --keep-going to go on)");
            break;
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.lines().enumerate().map(|(i, l)| (i as f64, l.to_string())).collect()
    }

    #[test]
    fn a_finished_boot_gives_every_status() {
        let l = lines("booting\n@@start\n@@run a\nhello\n[    1.000000] WARN  task::core_ops: linux: unsupported syscall 41 (socket) from pid 3 /mnt/ltp/bin/a\n\n@@exit a 2\n@@run b\npartial@@exit b 0\n@@end");
        let r = parse_boot(&l, &["a", "b"], Ending::Finished);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].0, "a");
        assert_eq!(r[0].1.verdict, Verdict::Broken);
        assert!(r[0].1.output.contains("hello"));
        assert_eq!(r[0].2.len(), 1, "the kernel's line is kept apart");
        assert_eq!(r[1].1.verdict, Verdict::Pass);
        assert!(r[1].1.output.contains("partial"));
    }

    #[test]
    fn a_hang_blames_the_running_entry_only() {
        let l = lines("@@start\n@@run a\n@@exit a 0\n@@run b\nstuck");
        let r = parse_boot(&l, &["a", "b", "c"], Ending::Hung);
        assert_eq!(r.len(), 2, "c goes to the next boot");
        assert_eq!(r[1].1.verdict, Verdict::Hung);
        let r = parse_boot(&l, &["a", "b", "c"], Ending::Crashed);
        assert_eq!(r[1].1.verdict, Verdict::Crashed);
    }

    #[test]
    fn a_timeout_is_a_kill() {
        let l = lines("@@run a\n@@exit a 137\n@@run b\n@@exit b 32\n@@end");
        let r = parse_boot(&l, &["a", "b"], Ending::Finished);
        assert_eq!(r[0].1.verdict, Verdict::Timeout);
        assert_eq!(r[1].1.verdict, Verdict::Conf);
    }

    #[test]
    fn a_boot_that_never_started_blames_its_first_entry() {
        let r = parse_boot(&lines("no init"), &["a", "b"], Ending::Crashed);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].0.as_str(), r[0].1.verdict), ("a", Verdict::Crashed));
    }

    #[test]
    fn the_script_runs_each_entry_under_a_limit() {
        let e = Entry { name: "fork06".into(), command: "fork_procs -n 1000".into() };
        let s = script(&[&e], Duration::from_secs(60));
        assert!(s.contains("echo \"@@run fork06\"\nsetsid timeout -s KILL 60 fork_procs -n 1000"));
        assert!(s.contains("echo \"@@exit fork06 $rc\""));
        assert!(s.trim_end().ends_with("poweroff -f"));
    }
}
