//! `cargo xtask fuzz`: the typed random-syscall campaign. Builds
//! tests/fuzz/typed_fuzz.c against a header generated from the syscall
//! table (`header.rs`), boots Helctic with it as init and a scratch ext2
//! disk, streams its progress, and reports calls made, kernel panics,
//! hangs, and free memory before and after (`report.rs`). Exits non-zero
//! on a panic, a hang or a large memory loss.

pub mod header;
pub mod report;

use crate::qemu::MachineConfig;
use report::Report;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    pub calls: u64,
    pub minutes: u64,
    pub procs: u32,
    pub threads: u32,
    pub seed: u64,
    pub memory: String,
    /// No progress line for this long: a hang (QEMU is killed).
    pub hang_secs: u64,
    /// Fail when free memory after the campaign is lower by more than this.
    pub max_loss_kb: i64,
    /// Only these calls (comma-separated names), or all but these.
    pub only: Option<String>,
    pub skip: Option<String>,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            calls: 100_000,
            minutes: 0,
            procs: 2,
            threads: 2,
            seed: 1,
            memory: "512M".into(),
            hang_secs: 60,
            max_loss_kb: 16 * 1024,
            only: None,
            skip: None,
        }
    }
}

pub const USAGE: &str = "cargo xtask fuzz [--calls N | --minutes M] [--procs P] [--threads T] [--seed S] [--memory SIZE] [--hang-secs K] [--max-loss-kb KB] [--only CALL,... | --skip CALL,...]";

impl Args {
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut a = Args::default();
        let mut i = 0;
        while i < args.len() {
            let flag = args[i].as_str();
            let value = args.get(i + 1).ok_or_else(|| format!("{flag} needs a value ({USAGE})"))?;
            let num = || value.parse::<u64>().map_err(|_| format!("{flag}: `{value}` is not a number"));
            match flag {
                "--calls" => {
                    a.calls = num()?;
                    a.minutes = 0;
                }
                "--minutes" => {
                    a.minutes = num()?;
                    a.calls = 0;
                }
                "--procs" => a.procs = num()?.clamp(1, 16) as u32,
                "--threads" => a.threads = num()?.clamp(1, 8) as u32,
                "--seed" => a.seed = num()?,
                "--memory" => {
                    crate::cli::check_memory_size(value)?;
                    a.memory = value.clone();
                }
                "--hang-secs" => a.hang_secs = num()?.max(5),
                "--max-loss-kb" => a.max_loss_kb = num()? as i64,
                "--only" | "--skip" => {
                    let known =
                        |n: &str| personality_linux::table::TABLE.iter().any(|e| e.name == n && e.handler.is_some());
                    if let Some(bad) = value.split(',').find(|n| !known(n)) {
                        return Err(format!("{flag}: `{bad}` is not a call of the table"));
                    }
                    if flag == "--only" {
                        a.only = Some(value.clone());
                    } else {
                        a.skip = Some(value.clone());
                    }
                }
                other => return Err(format!("unknown fuzz option `{other}` ({USAGE})")),
            }
            i += 2;
        }
        if a.calls == 0 && a.minutes == 0 {
            return Err("give --calls N or --minutes M (more than 0)".into());
        }
        Ok(a)
    }

    /// The fuzzer's own arguments.
    fn program_args(&self) -> Vec<String> {
        let mut v = vec![];
        if self.minutes > 0 {
            v.extend(["--minutes".to_string(), self.minutes.to_string()]);
        } else {
            v.extend(["--calls".to_string(), self.calls.to_string()]);
        }
        v.extend([
            "--procs".into(),
            self.procs.to_string(),
            "--threads".into(),
            self.threads.to_string(),
            "--seed".into(),
            self.seed.to_string(),
        ]);
        if let Some(only) = &self.only {
            v.extend(["--only".into(), only.clone()]);
        }
        if let Some(skip) = &self.skip {
            v.extend(["--skip".into(), skip.clone()]);
        }
        v
    }
}

/// Writes the header and builds the fuzzer (musl, static).
pub fn build_fuzzer() -> Result<PathBuf, String> {
    crate::toolchain::ensure_program("musl-gcc", "musl-tools", "building the fuzzer")?;
    let root = crate::root();
    let dir = root.join("target/fuzz");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("fuzz_table.h"), header::generate()).map_err(|e| format!("writing fuzz_table.h: {e}"))?;
    let bin = dir.join("typed_fuzz");
    let out = Command::new("musl-gcc")
        .args(["-static", "-O2", "-Wall", "-Wextra", "-I"])
        .arg(&dir)
        .arg("-o")
        .arg(&bin)
        .arg(root.join("tests/fuzz/typed_fuzz.c"))
        .arg("-lpthread")
        .output()
        .map_err(|e| format!("cannot run musl-gcc: {e}"))?;
    if !out.status.success() || !out.stderr.is_empty() {
        return Err(format!("building the fuzzer failed or warned:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(bin)
}

/// A fresh, empty 32 MiB ext2 disk for the campaign's files on ext2.
fn scratch_disk() -> Result<PathBuf, String> {
    let img = crate::root().join("target/fuzz/disk.img");
    let _ = std::fs::remove_file(&img);
    let (code, out) = crate::storage_tests::run(
        Command::new(crate::storage_tests::tool("mke2fs")?)
            .args(["-q", "-F", "-t", "ext2", "-b", "1024"])
            .arg(&img)
            .arg("32M"),
    )?;
    if code != 0 {
        return Err(format!("mke2fs failed: {out}"));
    }
    Ok(img)
}

/// Runs one campaign and returns its report; `echo` streams progress here.
pub fn campaign(args: &Args, echo: bool) -> Result<Report, String> {
    let fuzzer = build_fuzzer()?;
    let kernel =
        crate::build::build_kernel(&crate::build::BuildOptions { release: true, ktest: false, lock_order: true })?;
    let mut image = crate::initramfs::Image::new();
    image.host_file("bin/typed_fuzz", &fuzzer)?;
    crate::storage_tests::add_storage_services(&mut image)?;
    let quoted: Vec<String> = args.program_args().iter().map(|a| format!("\"{a}\"")).collect();
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = args.memory.clone();
    cfg.append = format!("{} init=/bin/typed_fuzz -- {}", crate::storage_tests::SERVICES, quoted.join(" "));
    cfg.initrd = Some(image.write("fuzz.cpio")?);
    cfg.disk = Some(scratch_disk()?);
    boot_streaming(&kernel, &cfg, args, echo)
}

/// Boots and reads the serial log as it comes: a hang is no progress line
/// for `hang_secs` (QEMU is killed); the log is kept in target/fuzz/serial.log.
fn boot_streaming(kernel: &std::path::Path, cfg: &MachineConfig, args: &Args, echo: bool) -> Result<Report, String> {
    let qemu = crate::toolchain::qemu()?;
    // One per campaign: a short campaign (the test group) started beside a
    // long one must not take the long one's socket away.
    let monitor = crate::root().join(format!("target/fuzz/monitor-{}.sock", std::process::id()));
    let mut child = Command::new(qemu)
        .args(cfg.qemu_args(kernel, false))
        .args(crate::qemu::monitor_socket_args(&monitor))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start QEMU: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut buf = Vec::new();
        while r.read_until(b'\n', &mut buf).map(|n| n > 0).unwrap_or(false) {
            if tx.send(String::from_utf8_lossy(&buf).into_owned()).is_err() {
                break;
            }
            buf.clear();
        }
    });
    let log_path = crate::root().join("target/fuzz/serial.log");
    let mut log = String::new();
    let mut report = Report::default();
    let start = Instant::now();
    let mut last_progress = Instant::now();
    // Booting and the storage services come before the first progress line.
    let mut limit = Duration::from_secs(args.hang_secs.max(120));
    let mut shown = 0u64;
    loop {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(line) => {
                log.push_str(&line);
                let before = report.calls;
                let progress = report.feed(&line) && (report.calls > before || before == 0);
                if progress {
                    last_progress = Instant::now();
                    limit = Duration::from_secs(args.hang_secs);
                    shown += 1;
                    if echo && (shown <= 5 || shown.is_multiple_of(10)) {
                        println!("  {}", line.trim_end());
                    }
                } else if echo
                    && (line.starts_with("FUZZ start")
                        || line.starts_with("FUZZ memory")
                        || line.starts_with("FUZZ hang")
                        || line.starts_with("FUZZ done")
                        || line.contains("!!!"))
                {
                    println!("  {}", line.trim_end());
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if last_progress.elapsed() > limit {
            report.host_hang = Some(format!(
                "no new calls for {} s after {} calls ({} s into the campaign); QEMU killed",
                limit.as_secs(),
                report.calls,
                start.elapsed().as_secs()
            ));
            let dump = nmi_dump(&monitor, &rx);
            if echo {
                println!(
                    "  the kernel's NMI dump (every thread's state and call chain):\n{}",
                    dump.lines().map(|l| format!("    | {l}\n")).collect::<String>()
                );
            }
            log.push_str(&dump);
            let _ = child.kill();
            break;
        }
    }
    let _ = child.wait();
    let _ = reader.join();
    let _ = std::fs::remove_file(&monitor);
    while let Ok(line) = rx.try_recv() {
        log.push_str(&line);
        report.feed(&line);
    }
    let _ = std::fs::write(&log_path, &log);
    if report.host_hang.is_some() || !report.panic.is_empty() || !report.done {
        let tail = crate::harness::last_lines(&log, 30).join("\n");
        if echo {
            println!(
                "  last lines of the serial log ({}):\n{}",
                log_path.display(),
                tail.lines().map(|l| format!("    | {l}\n")).collect::<String>()
            );
        }
    }
    Ok(report)
}

/// Asks the hung machine what it is doing: an NMI through the monitor,
/// then the serial lines until the kernel's dump ends (or 20 s pass; a
/// machine too wedged to take an NMI says nothing).
fn nmi_dump(monitor: &std::path::Path, rx: &mpsc::Receiver<String>) -> String {
    if let Err(e) = crate::qemu::monitor_command(monitor, "nmi") {
        return format!("(no NMI dump: {e})\n");
    }
    let mut dump = String::new();
    let until = Instant::now() + Duration::from_secs(20);
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                let end = line.starts_with("NMI dump: end");
                dump.push_str(&line);
                if end {
                    return dump;
                }
            }
            Err(_) => break,
        }
    }
    dump.push_str("(the NMI dump did not finish within 20 s)\n");
    dump
}

pub fn run(args: &Args) -> Result<(), String> {
    println!(
        "fuzz: {} with {} processes x {} threads, seed {}",
        if args.minutes > 0 { format!("{} minutes", args.minutes) } else { format!("{} calls", args.calls) },
        args.procs,
        args.threads,
        args.seed
    );
    let report = campaign(args, true)?;
    println!("\n{}", report.summary());
    let failures = report.failures(args.max_loss_kb);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// tests/fuzz/init_signals.c as init: signals with the default action
/// leave init alone (a campaign's init died of one).
pub fn init_signals_test() -> Result<String, String> {
    let dir = crate::root().join("target/fuzz");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let bin = dir.join("init_signals");
    let out = Command::new("musl-gcc")
        .args(["-static", "-O2", "-Wall", "-Wextra", "-o"])
        .arg(&bin)
        .arg(crate::root().join("tests/fuzz/init_signals.c"))
        .output()
        .map_err(|e| format!("cannot run musl-gcc: {e}"))?;
    if !out.status.success() || !out.stderr.is_empty() {
        return Err(format!("  building init_signals failed or warned:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    let kernel =
        crate::build::build_kernel(&crate::build::BuildOptions { release: true, ktest: false, lock_order: true })?;
    let mut image = crate::initramfs::Image::new();
    image.host_file("bin/init_signals", &bin)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.append = "init=/bin/init_signals".into();
    cfg.initrd = Some(image.write("init-signals.cpio")?);
    let boot = crate::harness::boot(&kernel, &cfg, Duration::from_secs(60))?;
    let verdict = crate::linux_tests::Verdict::from_output(
        boot.lines()
            .find_map(|l| l.strip_prefix("helctic: init exited with status ").and_then(|c| c.trim().parse().ok())),
        &boot.log,
    );
    if verdict.ok() {
        Ok(format!("{} checks", verdict.passed.unwrap_or(0)))
    } else {
        Err(format!("  init_signals failed ({:?}); last lines:\n{}", verdict.exit, boot.tail(20)))
    }
}

/// The short campaign of `cargo xtask test` (group `fuzz`): fixed seed,
/// well under two minutes.
pub fn smoke_test() -> Result<String, String> {
    let args = Args { calls: 30_000, procs: 2, threads: 2, seed: 1, hang_secs: 45, ..Args::default() };
    let report = campaign(&args, false)?;
    let failures = report.failures(args.max_loss_kb);
    if failures.is_empty() {
        Ok(format!(
            "{} calls, {} sub-workers, free memory change {} KiB",
            report.calls,
            report.subworkers,
            -report.memory_loss_kb().unwrap_or(0)
        ))
    } else {
        Err(format!("  {}\n{}", failures.join("\n  "), report.summary()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn options() {
        let a = Args::parse(&s(&["--minutes", "3", "--procs", "4", "--threads", "3", "--seed", "9"])).unwrap();
        assert_eq!((a.minutes, a.calls, a.procs, a.threads, a.seed), (3, 0, 4, 3, 9));
        assert_eq!(a.program_args(), s(&["--minutes", "3", "--procs", "4", "--threads", "3", "--seed", "9"]));
        let a = Args::parse(&s(&["--calls", "1000000"])).unwrap();
        assert_eq!((a.calls, a.minutes), (1_000_000, 0));
        assert!(Args::parse(&s(&["--calls"])).is_err());
        assert!(Args::parse(&s(&["--calls", "x"])).is_err());
        assert!(Args::parse(&s(&["--calls", "0"])).is_err());
        assert!(Args::parse(&s(&["--bogus", "1"])).is_err());
        assert_eq!(Args::parse(&s(&["--procs", "99"])).unwrap().procs, 16);
        let a = Args::parse(&s(&["--calls", "5", "--only", "read,openat"])).unwrap();
        assert!(a.program_args().ends_with(&s(&["--only", "read,openat"])));
        assert!(Args::parse(&s(&["--skip", "read,nosuchcall"])).is_err());
    }
}
