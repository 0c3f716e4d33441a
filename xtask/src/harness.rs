//! Boots a kernel under QEMU with a hard time limit and captures its serial
//! log, so tests can judge both the exit status and what was printed.

use crate::qemu::{MachineConfig, EXIT_FAILURE, EXIT_SUCCESS};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The kernel wrote "success" to isa-debug-exit.
    Passed,
    /// The kernel wrote "failure" to isa-debug-exit (panic, fault, failed test).
    Failed,
    /// QEMU was still running at the deadline and was killed.
    TimedOut,
    /// QEMU itself ended some other way (bad arguments, triple fault reset...).
    QemuExited(Option<i32>),
}

#[derive(Debug)]
pub struct Boot {
    pub outcome: Outcome,
    pub log: String,
    pub elapsed: Duration,
}

impl Boot {
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.log.lines().map(|l| l.trim_end_matches('\r'))
    }

    /// The last `n` lines of the serial log, for failure reports.
    /// Writes the whole serial log to target/test-logs/ (once per boot)
    /// and says where: a failure's last lines may not show its cause.
    pub fn save(&self) -> Option<std::path::PathBuf> {
        let dir = crate::root().join("target/test-logs");
        std::fs::create_dir_all(&dir).ok()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&self.log, &mut h);
        let path = dir.join(format!("boot-{:016x}.log", std::hash::Hasher::finish(&h)));
        if !path.exists() {
            std::fs::write(&path, &self.log).ok()?;
        }
        Some(path)
    }

    pub fn tail(&self, n: usize) -> String {
        last_lines(&self.log, n).join("\n")
    }
}

/// The last `n` lines of `text` (carriage returns dropped).
pub fn last_lines(text: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

/// Boots `kernel` and waits at most `timeout`.
pub fn boot(kernel: &Path, config: &MachineConfig, timeout: Duration) -> Result<Boot, String> {
    let qemu = crate::toolchain::qemu()?;
    let start = Instant::now();
    // A monitor, so that a boot that times out can be asked what it waits
    // on (the kernel's NMI dump) before it is stopped.
    static BOOTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let monitor = std::env::temp_dir().join(format!(
        "helctic-boot-{}-{}.sock",
        std::process::id(),
        BOOTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let mut child = Command::new(qemu)
        .args(config.qemu_args(kernel, false))
        .args(crate::qemu::monitor_socket_args(&monitor))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start QEMU: {e}"))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = start + timeout;
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| format!("waiting for QEMU: {e}"))? {
            break Some(s);
        }
        if Instant::now() >= deadline {
            // Every thread's state and kernel call chain, into the log.
            if crate::qemu::monitor_command(&monitor, "nmi").is_ok() {
                std::thread::sleep(Duration::from_secs(2));
            }
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = std::fs::remove_file(&monitor);
    let mut log = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let errors = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if !errors.trim().is_empty() {
        log.push_str("\n[qemu stderr] ");
        log.push_str(errors.trim());
        log.push('\n');
    }
    let mut outcome = match status {
        None => Outcome::TimedOut,
        Some(s) => match s.code() {
            Some(EXIT_SUCCESS) => Outcome::Passed,
            Some(EXIT_FAILURE) => Outcome::Failed,
            code => Outcome::QemuExited(code),
        },
    };
    // A kernel that caught itself breaking a locking rule (sync::may_sleep)
    // has a bug even if everything it ran happened to pass.
    if outcome == Outcome::Passed && kernel_bug(&log).is_some() {
        outcome = Outcome::Failed;
    }
    Ok(Boot { outcome, log, elapsed: start.elapsed() })
}

/// The first `BUG:` line the kernel logged (a broken kernel invariant that
/// it detected and survived), if any.
pub fn kernel_bug(log: &str) -> Option<&str> {
    log.lines()
        .map(|l| l.trim_end_matches('\r'))
        .find(|l| is_kernel_log(l) && l.contains("ERROR ") && l.contains(" BUG: "))
}

/// Every kernel `BUG:` line with the backtrace lines after it.
pub fn kernel_bugs(log: &str) -> String {
    let mut out = String::new();
    let mut in_trace = false;
    for l in log.lines().map(|l| l.trim_end_matches('\r')) {
        if is_kernel_log(l) && l.contains("ERROR ") && l.contains(" BUG: ") {
            in_trace = true;
        } else if !(in_trace && l.trim_start().starts_with('#')) {
            in_trace = false;
            continue;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// Whether a console line is the kernel's own log (`[    1.234567] INFO  ...`),
/// which shares the serial port with program output.
pub fn is_kernel_log(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('[') else { return false };
    let Some((stamp, tail)) = rest.split_once("] ") else { return false };
    let stamp_ok = stamp.trim().split_once('.').is_some_and(|(s, f)| {
        s.chars().all(|c| c.is_ascii_digit()) && f.len() == 6 && f.chars().all(|c| c.is_ascii_digit())
    });
    stamp_ok && ["ERROR ", "WARN  ", "INFO  ", "DEBUG ", "TRACE "].iter().any(|l| tail.starts_with(l))
}

/// One in-kernel test result line: `KTEST <name> ok` or `KTEST <name> FAIL <why>`;
/// a passing test may add a note, `KTEST <name> ok (<note>)`, kept in `detail`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KtestLine {
    pub name: String,
    pub passed: bool,
    pub detail: String,
}

pub fn parse_ktest_line(line: &str) -> Option<KtestLine> {
    let rest = line.trim().strip_prefix("KTEST ")?;
    let (name, verdict) = rest.split_once(' ')?;
    if let Some(detail) = verdict.strip_prefix("FAIL") {
        return Some(KtestLine { name: name.to_string(), passed: false, detail: detail.trim().to_string() });
    }
    // `ok`, or `ok (note)`: what a passing test says beside its verdict.
    let verdict = verdict.trim();
    let note = verdict.strip_prefix("ok").filter(|r| r.is_empty() || r.starts_with(" ("))?;
    let note = note.trim().strip_prefix('(').and_then(|n| n.strip_suffix(')')).unwrap_or("");
    Some(KtestLine { name: name.to_string(), passed: true, detail: note.to_string() })
}

/// The kernel's closing line: `KTEST-SUMMARY passed=N failed=M`.
pub fn parse_ktest_summary(line: &str) -> Option<(usize, usize)> {
    let rest = line.trim().strip_prefix("KTEST-SUMMARY ")?;
    let mut passed = None;
    let mut failed = None;
    for field in rest.split_whitespace() {
        match field.split_once('=') {
            Some(("passed", v)) => passed = v.parse().ok(),
            Some(("failed", v)) => failed = v.parse().ok(),
            _ => {}
        }
    }
    Some((passed?, failed?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ktest_lines() {
        assert_eq!(
            parse_ktest_line("KTEST mm::frames ok"),
            Some(KtestLine { name: "mm::frames".into(), passed: true, detail: String::new() })
        );
        let f = parse_ktest_line("KTEST heap FAIL at kernel/src/x.rs:3: boom").unwrap();
        assert!(!f.passed);
        assert_eq!(f.detail, "at kernel/src/x.rs:3: boom");
        assert_eq!(parse_ktest_line("KTEST heap maybe"), None);
        assert_eq!(parse_ktest_line("[ 0.1] INFO KTEST x ok"), None);
        assert_eq!(
            parse_ktest_line("KTEST smp::pings ok (one CPU started: nothing to ping)"),
            Some(KtestLine {
                name: "smp::pings".into(),
                passed: true,
                detail: "one CPU started: nothing to ping".into()
            })
        );
        assert_eq!(parse_ktest_line("KTEST x okay"), None);
    }

    #[test]
    fn kernel_log_lines() {
        assert!(is_kernel_log("[    0.938847] WARN  task::core_ops: linux: unsupported"));
        assert!(is_kernel_log("[   12.000001] INFO  helctic: boot"));
        assert!(!is_kernel_log("[x] WARN  no"));
        assert!(!is_kernel_log("[    0.93] WARN  short fraction"));
        assert!(!is_kernel_log("tree/a.txt"));
        assert!(!is_kernel_log("[    1.000000] something else"));
    }

    #[test]
    fn ktest_summary() {
        assert_eq!(parse_ktest_summary("KTEST-SUMMARY passed=12 failed=0"), Some((12, 0)));
        assert_eq!(parse_ktest_summary("KTEST-SUMMARY passed=1"), None);
        assert_eq!(parse_ktest_summary("KTEST-SUMMARY passed=x failed=0"), None);
    }

    #[test]
    fn last_lines_keeps_the_end() {
        let text: String = (1..=50).map(|i| format!("line {i}\n")).collect();
        let t = last_lines(&text, 40);
        assert_eq!(t.len(), 40);
        assert_eq!(t[0], "line 11");
        assert_eq!(t[39], "line 50");
        assert_eq!(last_lines("one", 40), vec!["one"]);
    }

    #[test]
    fn tail_takes_last_lines() {
        let b = Boot {
            outcome: Outcome::Passed,
            log: (1..=60).map(|i| format!("line {i}\r\n")).collect(),
            elapsed: Duration::ZERO,
        };
        let t = b.tail(50);
        assert!(t.starts_with("line 11\n") && t.ends_with("line 60"));
    }
}
