//! `cargo xtask test`: every test the project has, in one command.
//!
//! 1. host unit and property tests (`cargo test --workspace`);
//! 2. QEMU boots of the normal kernel on q35 and microvm;
//! 3. the in-kernel test suite (a kernel built with `--features ktest`) on both;
//! 4. proofs that the harness catches failure: kernels that fault, panic or
//!    hang on purpose must be reported as failed, with their register dump.

use crate::build::{build_kernel, BuildOptions};
use crate::cli::{Machine, TestArgs};
use crate::harness::{self, Boot, Outcome};
use crate::qemu::MachineConfig;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Generous for TCG: a normal boot takes well under a second.
const BOOT_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Default)]
struct Report {
    passed: usize,
    failed: Vec<String>,
}

impl Report {
    fn record(&mut self, name: &str, result: Result<String, String>) {
        match result {
            Ok(detail) => {
                self.passed += 1;
                println!("test {name} ... ok{}", if detail.is_empty() { String::new() } else { format!(" ({detail})") });
            }
            Err(why) => {
                println!("test {name} ... FAILED\n{why}\n");
                self.failed.push(name.to_string());
            }
        }
    }
}

fn failure(boot: &Boot, why: &str) -> String {
    format!("  {why}\n  outcome: {:?} after {:.1} s\n  last 50 lines of the serial log:\n{}", boot.outcome, boot.elapsed.as_secs_f64(), indent(&boot.tail(50)))
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    | {l}\n")).collect()
}

fn require(boot: &Boot, needles: &[&str]) -> Result<(), String> {
    for n in needles {
        if !boot.log.contains(n) {
            return Err(failure(boot, &format!("expected the serial log to contain {n:?}")));
        }
    }
    Ok(())
}

fn host_tests() -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(crate::root())
        .args(["test", "--workspace", "--quiet"])
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if status.success() {
        Ok("cargo test --workspace".into())
    } else {
        Err(format!("  cargo test --workspace failed ({status})"))
    }
}

fn normal_boot(kernel: &Path, machine: Machine) -> Result<String, String> {
    let mut cfg = MachineConfig::new(machine);
    cfg.append = "shutdown".into();
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    if boot.outcome != Outcome::Passed {
        return Err(failure(&boot, "the kernel did not shut down cleanly"));
    }
    require(&boot, &["Helctic", "boot: kernel ready", "timer:"])?;
    let line = boot.lines().find(|l| l.contains("boot: kernel ready")).unwrap_or_default().to_string();
    Ok(line.split("] ").nth(1).unwrap_or(&line).trim().to_string())
}

fn ktest_boot(kernel: &Path, machine: Machine) -> Result<String, String> {
    let boot = harness::boot(kernel, &MachineConfig::new(machine), BOOT_TIMEOUT)?;
    let results: Vec<_> = boot.lines().filter_map(harness::parse_ktest_line).collect();
    let summary = boot.lines().find_map(harness::parse_ktest_summary);
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).map(|r| format!("{}: {}", r.name, r.detail)).collect();
    if !failed.is_empty() {
        return Err(failure(&boot, &format!("in-kernel tests failed: {}", failed.join("; "))));
    }
    let Some((passed, failed_count)) = summary else {
        return Err(failure(&boot, "no KTEST-SUMMARY line: the test kernel did not finish"));
    };
    if boot.outcome != Outcome::Passed || failed_count != 0 || passed != results.len() || passed == 0 {
        return Err(failure(&boot, &format!("summary passed={passed} failed={failed_count}, {} result lines", results.len())));
    }
    Ok(format!("{passed} in-kernel tests"))
}

/// A kernel that faults on purpose must come back as failed, with a dump.
fn harness_catches(kernel: &Path, fault: &str, timeout: Duration, expect: Outcome, needles: &[&str]) -> Result<String, String> {
    let mut cfg = MachineConfig::new(Machine::Q35);
    cfg.append = format!("ktest.fault={fault}");
    let boot = harness::boot(kernel, &cfg, timeout)?;
    if boot.outcome != expect {
        return Err(failure(&boot, &format!("the harness should have reported {expect:?}")));
    }
    require(&boot, needles)?;
    Ok(format!("reported {:?}", boot.outcome))
}

pub fn run_all(args: &TestArgs) -> Result<(), String> {
    let mut report = Report::default();
    if !args.kernel_only {
        report.record("host::cargo-test", host_tests());
    }
    if !args.host_only {
        let normal = build_kernel(&BuildOptions { release: true, ktest: false })?;
        let ktest = build_kernel(&BuildOptions { release: true, ktest: true })?;
        for machine in [Machine::Q35, Machine::Microvm] {
            report.record(&format!("boot::{}", machine.name()), normal_boot(&normal, machine));
            report.record(&format!("ktest::{}", machine.name()), ktest_boot(&ktest, machine));
        }
        report.record(
            "harness::catches-page-fault",
            harness_catches(&ktest, "page", BOOT_TIMEOUT, Outcome::Failed, &[
                "KERNEL EXCEPTION 14 (#PF page fault)",
                "not-present page on write in kernel mode",
                "CR2=00000000dead0000",
                "RAX=",
                "backtrace:",
                "deliberate_page_fault",
            ]),
        );
        report.record(
            "harness::catches-panic",
            harness_catches(&ktest, "panic", BOOT_TIMEOUT, Outcome::Failed, &["KERNEL PANIC", "deliberate panic", "backtrace:", "deliberate_panic"]),
        );
        report.record("harness::catches-hang", harness_catches(&ktest, "hang", Duration::from_secs(5), Outcome::TimedOut, &["deliberately hanging"]));
    }
    println!("\n{} passed, {} failed", report.passed, report.failed.len());
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", report.failed.join(", ")))
    }
}
