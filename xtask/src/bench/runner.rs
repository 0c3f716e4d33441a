//! Timed QEMU boots: like `crate::harness::boot`, but every serial line is
//! stamped with the wall time since just before QEMU was started, so the
//! boot time can be read off the first line init prints.

use super::{Metric, Os};
use crate::qemu::MachineConfig;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct TimedBoot {
    /// (time since QEMU start, line without its end)
    pub lines: Vec<(Duration, String)>,
    pub exit: Option<i32>,
    pub timed_out: bool,
    /// Stopped early because the kernel panicked.
    pub panicked: bool,
    pub elapsed: Duration,
}

impl TimedBoot {
    pub fn has(&self, needle: &str) -> bool {
        self.lines.iter().any(|(_, l)| l.contains(needle))
    }

    pub fn first(&self, needle: &str) -> Option<&(Duration, String)> {
        self.lines.iter().find(|(_, l)| l.contains(needle))
    }

    pub fn tail(&self, n: usize) -> String {
        let start = self.lines.len().saturating_sub(n);
        self.lines[start..].iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// How the boot ended, in words.
    pub fn ending(&self) -> String {
        if self.timed_out {
            format!("timed out after {:.0} s", self.elapsed.as_secs_f64())
        } else if self.panicked {
            let line = self.first("Kernel panic").map(|(_, l)| l.trim().to_string()).unwrap_or_default();
            format!("kernel panic: {line}")
        } else {
            let status = self.exit.map(|c| c.to_string()).unwrap_or_else(|| "a signal".into());
            match self.lines.iter().rev().map(|(_, l)| l.trim()).find(|l| !l.is_empty()) {
                Some(last) => format!("QEMU exited with {status}; last line {last:?}"),
                None => format!("QEMU exited with {status} before any serial output"),
            }
        }
    }
}

/// Lines that mean the machine is dead and waiting is pointless.
fn fatal(line: &str) -> bool {
    line.contains("Kernel panic - not syncing") || line.contains("---[ end Kernel panic")
}

/// Boots `kernel` with `config` (plus `extra` QEMU arguments) for at most `timeout`.
pub fn boot(kernel: &Path, config: &MachineConfig, extra: &[String], timeout: Duration) -> Result<TimedBoot, String> {
    let qemu = crate::toolchain::qemu()?;
    let mut args = config.qemu_args(kernel, false);
    args.extend(extra.iter().cloned());
    let start = Instant::now();
    let mut child = Command::new(qemu)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start QEMU: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let (tx, rx) = mpsc::channel::<(Duration, String)>();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let at = start.elapsed();
                    let line = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string();
                    if tx.send((at, line)).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = start + timeout;
    let mut lines = Vec::new();
    let mut timed_out = false;
    let mut panicked = false;
    let status = loop {
        while let Ok((at, line)) = rx.recv_timeout(Duration::from_millis(20)) {
            panicked |= fatal(&line);
            lines.push((at, line));
            if panicked || Instant::now() >= deadline {
                break;
            }
        }
        if let Some(s) = child.try_wait().map_err(|e| format!("waiting for QEMU: {e}"))? {
            break Some(s);
        }
        if panicked || Instant::now() >= deadline {
            timed_out = !panicked;
            if panicked {
                // Let the panic report reach the log.
                std::thread::sleep(Duration::from_millis(300));
            }
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
    };
    let elapsed = start.elapsed();
    let _ = reader.join();
    lines.extend(rx.try_iter());
    let errors = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if !errors.trim().is_empty() {
        lines.push((elapsed, format!("[qemu stderr] {}", errors.trim())));
    }
    Ok(TimedBoot { lines, exit: status.and_then(|s| s.code()), timed_out, panicked, elapsed })
}

/// One benchmark boot, parsed.
pub struct Run {
    pub boot: TimedBoot,
    /// The metrics this kind of boot must produce, in the order they run.
    pub expected: Vec<Metric>,
    /// metric -> value (in the units of `expected`, boot figures in ms)
    pub values: BTreeMap<String, f64>,
    /// metric -> why it failed (BENCH-FAIL lines, notes)
    pub reasons: BTreeMap<String, String>,
    /// The boot did not end with init's `BENCH-DONE 0`: what happened.
    pub problem: Option<String>,
}

/// The metrics a benchmark boot reports besides METRICS.
pub const BOOT_METRICS: &[Metric] = &[
    ("boot_to_init", "ms", "boot: QEMU start to init's first line (wall clock)"),
    ("boot_kernel_to_init", "ms", "boot: kernel entry to starting init (kernel's own clock)"),
];

/// Text after `marker` on a line that may carry other output before it
/// (a kernel log line can share the serial port with program output).
fn after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.find(marker).map(|i| &line[i + marker.len()..])
}

/// Helctic's "boot: kernel ready A ms after kernel entry, B ms after machine
/// start": the kernel entry time, in ms since machine start (B - A), the
/// clock its log stamps `[    0.155360]` count from.
pub fn helctic_entry_ms(line: &str) -> Option<f64> {
    let rest = after(line, "boot: kernel ready ")?;
    let (since_entry, tail) = rest.split_once(" ms after kernel entry, ")?;
    let (since_start, _) = tail.split_once(" ms after machine start")?;
    Some(since_start.trim().parse::<f64>().ok()? - since_entry.trim().parse::<f64>().ok()?)
}

/// The stamp (ms since machine start) of Helctic's "started /init as pid 1".
pub fn helctic_init_started_ms(line: &str) -> Option<f64> {
    after(line, "started /init as pid 1")?;
    let stamp = line.trim_start().strip_prefix('[')?.split_once(']')?.0;
    Some(stamp.trim().parse::<f64>().ok()? * 1000.0)
}

impl Run {
    /// `expected`: the metrics the boot must produce (see `expected`).
    pub fn parse(os: Os, boot: TimedBoot, expected: Vec<Metric>) -> Run {
        let mut values = BTreeMap::new();
        let mut reasons = BTreeMap::new();
        let mut done = None;
        let (mut entry_ms, mut init_ms) = (None, None);
        for (_, line) in &boot.lines {
            if let Some(rest) = after(line, "BENCH ") {
                let mut f = rest.split_whitespace();
                if let (Some(name), Some(v)) = (f.next(), f.next().and_then(|v| v.parse::<f64>().ok())) {
                    values.insert(name.to_string(), v);
                }
            } else if let Some(rest) = after(line, "BENCH-FAIL ").or_else(|| after(line, "BENCH-NOTE ")) {
                if let Some((name, why)) = rest.split_once(' ') {
                    reasons.insert(name.to_string(), why.trim().to_string());
                }
            } else if let Some(rest) = after(line, "BENCH-DONE ") {
                done = rest.trim().parse::<i32>().ok();
            }
            if os == Os::Helctic {
                entry_ms = entry_ms.or_else(|| helctic_entry_ms(line));
                init_ms = init_ms.or_else(|| helctic_init_started_ms(line));
            }
        }
        if let (Some(e), Some(i)) = (entry_ms, init_ms) {
            values.insert("boot_kernel_to_init".into(), i - e);
        }
        if let Some((at, _)) = boot.first("BENCH-INIT up") {
            values.insert("boot_to_init".into(), at.as_secs_f64() * 1000.0);
        }
        let problem = match done {
            Some(0) => None,
            Some(n) => Some(format!("the benchmark program exited with status {n}")),
            None => {
                // Name the benchmark that was running: the first one not reported.
                let running =
                    expected.iter().map(|m| m.0).find(|m| !values.contains_key(*m) && !reasons.contains_key(*m));
                let what = match running {
                    Some(m) if boot.has("BENCH-INIT up") => format!(" while `{m}` was running"),
                    _ if !boot.has("BENCH-INIT up") => " before init printed anything".to_string(),
                    _ => String::new(),
                };
                Some(format!("the boot ended{what}: {}", boot.ending()))
            }
        };
        Run { boot, expected, values, reasons, problem }
    }

    /// Every expected metric without a value, with the reason.
    pub fn missing(&self, os: Os) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (m, _, _) in &self.expected {
            if self.values.contains_key(*m) {
                continue;
            }
            let why =
                self.reasons.get(*m).cloned().or_else(|| self.problem.clone()).unwrap_or_else(|| match (os, *m) {
                    (Os::Helctic, "boot_kernel_to_init") => {
                        "no \"boot: kernel ready\" or \"started /init\" log line".to_string()
                    }
                    _ => "not reported".to_string(),
                });
            out.push((m.to_string(), why));
        }
        out
    }

    /// The expected metrics' values, for progress lines.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .expected
            .iter()
            .filter_map(|(m, u, _)| self.values.get(*m).map(|v| format!("{m}={v:.1}{u}")))
            .collect();
        if let Some(p) = &self.problem {
            parts.push(format!("PROBLEM: {p}"));
        }
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boot(lines: &[&str]) -> TimedBoot {
        TimedBoot {
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| (Duration::from_millis(100 * i as u64), l.to_string()))
                .collect(),
            exit: Some(33),
            timed_out: false,
            panicked: false,
            elapsed: Duration::from_secs(1),
        }
    }

    #[test]
    fn parses_a_run() {
        let b = boot(&[
            "[    0.080000] INFO  helctic: boot: kernel ready 12.345 ms after kernel entry, 80.000 ms after machine start",
            "[    0.100000] INFO  helctic: started /init as pid 1",
            "BENCH-INIT up",
            "BENCH null_syscall 250.5 ns",
            "BENCH-FAIL pipe_rtt pipe: No such file",
            "BENCH-DONE 1",
        ]);
        let r = Run::parse(Os::Helctic, b, crate::bench::expected(crate::bench::BootKind::Bench));
        assert_eq!(r.values.get("null_syscall"), Some(&250.5));
        assert!((r.values["boot_kernel_to_init"] - 32.345).abs() < 1e-9);
        assert_eq!(r.values.get("boot_to_init"), Some(&200.0));
        assert_eq!(r.reasons.get("pipe_rtt").map(String::as_str), Some("pipe: No such file"));
        assert!(r.problem.as_deref().unwrap().contains("status 1"));
        let missing = r.missing(Os::Helctic);
        assert!(missing.iter().any(|(m, w)| m == "pipe_rtt" && w.contains("No such")));
        assert!(!missing.iter().any(|(m, _)| m == "null_syscall"));
    }

    #[test]
    fn names_the_benchmark_that_hung() {
        let mut b = boot(&["BENCH-INIT up", "BENCH null_syscall 1 ns"]);
        b.timed_out = true;
        let r = Run::parse(Os::Linux, b, crate::bench::expected(crate::bench::BootKind::Bench));
        let p = r.problem.unwrap();
        assert!(p.contains("`pipe_rtt`") && p.contains("timed out"), "{p}");
    }

    /// A Debian root boot expects its own metrics, and no boot figures.
    #[test]
    fn a_debian_root_boot_expects_its_own_metrics() {
        let mut b = boot(&["BENCH-INIT up", "BENCH bash_c_true 9000 us"]);
        b.timed_out = true;
        let r = Run::parse(Os::Helctic, b, crate::bench::expected(crate::bench::BootKind::Debian));
        let p = r.problem.as_deref().unwrap();
        assert!(p.contains("`python3_c_pass`"), "{p}");
        let missing: Vec<String> = r.missing(Os::Helctic).into_iter().map(|(m, _)| m).collect();
        assert_eq!(missing, ["python3_c_pass", "clock_gettime_vdso", "clock_gettime_syscall"]);
    }
}
