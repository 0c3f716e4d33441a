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
    /// Put before every name: which run of a group this is ("4cpus/").
    prefix: &'static str,
}

impl Report {
    fn record(&mut self, name: &str, result: Result<String, String>) {
        let name = format!("{}{name}", self.prefix);
        match result {
            Ok(detail) => {
                self.passed += 1;
                println!(
                    "test {name} ... ok{}",
                    if detail.is_empty() { String::new() } else { format!(" ({detail})") }
                );
            }
            Err(why) => {
                println!("test {name} ... FAILED\n{why}\n");
                self.failed.push(name.to_string());
            }
        }
    }
}

fn failure(boot: &Boot, why: &str) -> String {
    format!(
        "  {why}\n  outcome: {:?} after {:.1} s{}\n  last 50 lines of the serial log:\n{}",
        boot.outcome,
        boot.elapsed.as_secs_f64(),
        boot.save().map(|p| format!("; whole serial log: {}", p.display())).unwrap_or_default(),
        indent(&boot.tail(50))
    )
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
    if !status.success() {
        return Err(format!("  cargo test --workspace failed ({status})"));
    }
    // The one native crate with logic that needs no Helctic: the
    // protocols' ring and checksum code, hostile input included.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(crate::root().join("user"))
        .args(["test", "--quiet", "-p", "protocols", "--target-dir"])
        .arg(crate::root().join("target/user-host-tests"))
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if status.success() {
        Ok("cargo test --workspace, and user/protocols".into())
    } else {
        Err(format!("  cargo test -p protocols (in user/) failed ({status})"))
    }
}

/// CPUs in the multiprocessor boots.
pub const SMP_CPUS: u32 = 4;

/// What the boot log says when every CPU but the boot CPU started.
fn smp_started_line(cpus: u32) -> String {
    format!("smp: {} application processors started (scheduling threads)", cpus - 1)
}

fn normal_boot(kernel: &Path, machine: Machine, cpus: u32) -> Result<String, String> {
    let mut cfg = MachineConfig::new(machine);
    cfg.cpus = cpus;
    cfg.append = "shutdown".into();
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    if boot.outcome != Outcome::Passed {
        return Err(failure(&boot, "the kernel did not shut down cleanly"));
    }
    require(&boot, &["Helctic", "boot: kernel ready", "timer:"])?;
    if cpus > 1 {
        require(&boot, &[&smp_started_line(cpus)])?;
    }
    let line = boot.lines().find(|l| l.contains("boot: kernel ready")).unwrap_or_default().to_string();
    let ready = line.split("] ").nth(1).unwrap_or(&line).trim().to_string();
    Ok(if cpus > 1 { format!("{ready}; {} CPUs", cpus) } else { ready })
}

fn ktest_boot(kernel: &Path, machine: Machine, cpus: u32) -> Result<String, String> {
    let mut cfg = MachineConfig::new(machine);
    cfg.cpus = cpus;
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
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
        return Err(failure(
            &boot,
            &format!("summary passed={passed} failed={failed_count}, {} result lines", results.len()),
        ));
    }
    if cpus > 1 {
        // The ping test must have pinged, not passed for want of CPUs.
        let want = format!("{} application processors answered", cpus - 1);
        if !results.iter().any(|r| r.name == "smp::every_cpu_answers_pings" && r.detail == want) {
            return Err(failure(&boot, &format!("smp::every_cpu_answers_pings did not report {want:?}")));
        }
    }
    Ok(format!("{passed} in-kernel tests"))
}

/// A kernel that faults on purpose must come back as failed, with a dump.
fn harness_catches(
    kernel: &Path,
    fault: &str,
    timeout: Duration,
    expect: Outcome,
    needles: &[&str],
) -> Result<String, String> {
    let mut cfg = MachineConfig::new(Machine::Q35);
    cfg.append = format!("ktest.fault={fault}");
    let boot = harness::boot(kernel, &cfg, timeout)?;
    if boot.outcome != expect {
        return Err(failure(&boot, &format!("the harness should have reported {expect:?}")));
    }
    require(&boot, needles)?;
    Ok(format!("reported {:?}", boot.outcome))
}

/// `ktest.fault=lock-order` takes FdTable under Pipe twice (spinlocks,
/// the CPU's mask), `ktest.fault=mutex-order` FileSystem under FsTable
/// twice (sleeping locks, the thread's mask): one `BUG:` line naming both
/// classes (not two), with a backtrace, and a failed boot.
fn lock_order_caught(kernel: &Path, fault: &str, held: &str, taken: &str) -> Result<String, String> {
    let mut cfg = MachineConfig::new(Machine::Q35);
    cfg.append = format!("ktest.fault={fault}");
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    if boot.outcome != Outcome::Failed {
        return Err(failure(&boot, "the harness should have reported Failed"));
    }
    let line = format!("BUG: lock order: {held} then {taken}");
    let done = format!("took {taken} under {held}");
    require(&boot, &[line.as_str(), "lock_order::report", done.as_str()])?;
    let reports = boot.lines().filter(|l| l.contains("BUG: lock order:")).count();
    if reports != 1 {
        return Err(failure(&boot, &format!("{reports} `BUG: lock order:` lines for one pair taken twice, not 1")));
    }
    Ok(format!("reported {:?}", boot.outcome))
}

pub fn run_all(args: &TestArgs) -> Result<(), String> {
    let mut report = Report::default();
    if args.wants("host") {
        report.record("host::cargo-test", host_tests());
    }
    if args.wants("rootfs") {
        // Host side only: no kernel needed (yet).
        for (name, result) in crate::rootfs_tests::run_all() {
            report.record(&name, result);
        }
    }
    let needs_kernel = [
        "boot", "ktest", "harness", "linux", "go", "freebsd", "netbsd", "busybox", "console", "native", "storage",
        "net", "bench", "debian", "ltp", "fuzz",
    ]
    .iter()
    .any(|g| args.wants(g));
    if needs_kernel {
        let normal = build_kernel(&BuildOptions { release: true, ktest: false, lock_order: true })?;
        if args.wants("boot") {
            for machine in [Machine::Q35, Machine::Microvm] {
                report.record(&format!("boot::{}", machine.name()), normal_boot(&normal, machine, 1));
            }
            // The other CPUs started (and scheduling): the trampoline, the
            // start-up IPIs and each CPU's own setup.
            report.record("boot::q35-4cpus", normal_boot(&normal, Machine::Q35, SMP_CPUS));
        }
        if args.wants("ktest") || args.wants("harness") {
            let ktest = build_kernel(&BuildOptions { release: true, ktest: true, lock_order: true })?;
            if args.wants("ktest") {
                for machine in [Machine::Q35, Machine::Microvm] {
                    report.record(&format!("ktest::{}", machine.name()), ktest_boot(&ktest, machine, 1));
                }
                report.record("ktest::q35-4cpus", ktest_boot(&ktest, Machine::Q35, SMP_CPUS));
            }
            if args.wants("harness") {
                report.record(
                    "harness::catches-page-fault",
                    harness_catches(
                        &ktest,
                        "page",
                        BOOT_TIMEOUT,
                        Outcome::Failed,
                        &[
                            "KERNEL EXCEPTION 14 (#PF page fault)",
                            "not-present page on write in kernel mode",
                            "CR2=00000000dead0000",
                            "RAX=",
                            "backtrace:",
                            "deliberate_page_fault",
                        ],
                    ),
                );
                report.record(
                    "harness::catches-panic",
                    harness_catches(
                        &ktest,
                        "panic",
                        BOOT_TIMEOUT,
                        Outcome::Failed,
                        &["KERNEL PANIC", "deliberate panic", "backtrace:", "deliberate_panic"],
                    ),
                );
                report.record("harness::syscall-trace", crate::trace_test::run(&normal));
                report.record(
                    "harness::catches-hang",
                    harness_catches(
                        &ktest,
                        "hang",
                        Duration::from_secs(5),
                        Outcome::TimedOut,
                        &["deliberately hanging"],
                    ),
                );
                report.record(
                    "harness::catches-sleep-under-spinlock",
                    harness_catches(
                        &ktest,
                        "sleep-under-spinlock",
                        BOOT_TIMEOUT,
                        Outcome::Failed,
                        &[
                            "BUG: taking a sleeping lock while holding 1 spinlock(s)",
                            // The backtrace names the lock call. Which name:
                            // the linker folds identical functions, so the
                            // test's Mutex<()>::lock may carry another
                            // lock's symbol (KernelLocks::lock, after the VFS
                            // change).
                            ">::lock",
                            "took a sleeping lock under a spinlock",
                        ],
                    ),
                );
                // The lock-order check can fail: two ranked locks taken in
                // the wrong order are reported, naming both classes, once.
                report.record(
                    "harness::catches-lock-order-violation",
                    lock_order_caught(&ktest, "lock-order", "Pipe", "FdTable"),
                );
                // And for sleeping locks, whose held classes follow the thread.
                report.record(
                    "harness::catches-mutex-order-violation",
                    lock_order_caught(&ktest, "mutex-order", "FsTable", "FileSystem"),
                );
            }
        }
        // The groups that exercise the scheduler hardest, on one CPU and
        // then again on several.
        // HELCTIC_SMP_ONLY=1 skips the one-CPU run (to chase an SMP fault).
        // The programs' native runs on this machine are the same for both
        // passes, so the second reuses the first's.
        let mut native = NativeResults::default();
        if std::env::var_os("HELCTIC_SMP_ONLY").is_none() {
            cpu_dependent_groups(&normal, args, &mut report, &mut native)?;
        }
        crate::qemu::set_default_cpus(SMP_CPUS);
        report.prefix = "4cpus/";
        let again = cpu_dependent_groups(&normal, args, &mut report, &mut native);
        crate::qemu::set_default_cpus(1);
        report.prefix = "";
        again?;
        if args.wants("go") {
            go_programs(&normal, &mut report)?;
        }
        for system in crate::bsd_tests::SYSTEMS {
            if args.wants(system.name) {
                bsd_programs(system, &normal, &mut report)?;
            }
        }
        if args.wants("debian") {
            for (name, result) in crate::debian_tests::run_all(&normal, args.long) {
                report.record(&name, result);
            }
        }
        if args.wants("console") {
            report.record("console::interactive-shell", crate::console_test::run(&normal));
            report.record("console::network-shell", crate::console_test::run_network(&normal));
        }
        if args.wants("ltp") {
            // A fixed subset of the Linux Test Project's syscall tests,
            // natively and then inside (the full run is `cargo xtask ltp`).
            match crate::ltp::subset_test() {
                Ok(results) => {
                    for (name, result) in results {
                        report.record(&name, result);
                    }
                }
                Err(e) => report.record("ltp::subset", Err(format!("  {e}"))),
            }
        }
        if args.wants("fuzz") {
            // A short typed fuzz campaign (the long one is `cargo xtask fuzz`).
            report.record("fuzz::init-signals", crate::fuzz::init_signals_test());
            report.record("fuzz::typed-campaign", crate::fuzz::smoke_test());
        }
        if args.wants("bench") {
            // Tiny iteration counts: the benchmark cannot rot, and no
            // timing is judged here (that is `cargo xtask bench`'s job).
            report.record("bench::smoke", crate::bench::smoke(&normal));
        }
    }
    println!("\n{} passed, {} failed", report.passed, report.failed.len());
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", report.failed.join(", ")))
    }
}

/// The groups run on one CPU and again on `SMP_CPUS` (the caller sets the
/// machines' CPU count): the Linux programs, busybox, the native servers
/// storage and the network.
/// What the CPU-dependent groups learn on this machine, natively: the
/// same whatever the guest's CPUs, so built and run once for both passes.
#[derive(Default)]
struct NativeResults {
    /// The C test programs and how many checks each passed natively.
    linux: Option<(crate::linux_tests::Built, std::collections::BTreeMap<String, u32>)>,
    /// Each busybox script's native output.
    busybox: Option<std::collections::BTreeMap<String, String>>,
}

fn cpu_dependent_groups(
    normal: &Path,
    args: &TestArgs,
    report: &mut Report,
    native: &mut NativeResults,
) -> Result<(), String> {
    if args.wants("linux") {
        linux_programs(normal, report, native)?;
    }
    if args.wants("busybox") {
        busybox_scripts(normal, report, native)?;
    }
    if args.wants("native") {
        match crate::native_tests::run(normal) {
            Ok(results) => {
                for (name, result) in results {
                    report.record(&name, result);
                }
            }
            Err(e) => report.record("native-abi::boot", Err(format!("  {e}"))),
        }
        // A native program and busybox on one stack (needs busybox).
        match crate::debian::busybox() {
            Ok(busybox) => {
                let (name, result) = crate::native_net_tests::run(normal, &busybox);
                report.record(&name, result);
            }
            Err(e) => report.record("native-abi::native-and-linux", Err(format!("  {e}"))),
        }
    }
    if args.wants("storage") {
        for (name, result) in crate::storage_tests::run_all(normal) {
            report.record(&name, result);
        }
    }
    if args.wants("net") {
        use crate::user_network_tests::wanted;
        if wanted("frames") {
            for (name, result) in crate::net_tests::run(normal) {
                report.record(&name, result);
            }
        }
        match crate::debian::busybox() {
            Ok(busybox) => {
                if wanted("server-faults") {
                    for (name, result) in crate::netstack_tests::run_all(normal, &busybox) {
                        report.record(&name, result);
                    }
                }
                for (name, result) in crate::user_network_tests::run(normal, &busybox) {
                    report.record(&name, result);
                }
                if wanted("hostile-frames") {
                    let (name, result) = crate::hostile_frames_tests::run(normal, &busybox);
                    report.record(&name, result);
                }
            }
            Err(e) => report.record("netstack::busybox", Err(format!("  {e}"))),
        }
    }
    Ok(())
}

/// The C test programs: natively first (a failure there is a broken test),
/// then inside Helctic, where each must pass as many checks as natively.
fn linux_programs(kernel: &Path, report: &mut Report, cache: &mut NativeResults) -> Result<(), String> {
    let (built, native) = match cache.linux.take() {
        Some(earlier) => earlier,
        None => linux_programs_natively(report)?,
    };
    let result = linux_programs_inside(kernel, report, &built, &native);
    cache.linux = Some((built, native));
    result
}

/// Builds the C test programs and runs each natively: how many checks each
/// passed (a program failing here is a broken test, not counted inside).
fn linux_programs_natively(
    report: &mut Report,
) -> Result<(crate::linux_tests::Built, std::collections::BTreeMap<String, u32>), String> {
    let built = crate::linux_tests::build()?;
    let mut native = std::collections::BTreeMap::new();
    for ((name, flavour), bin) in &built.binaries {
        let id = format!("{flavour}/{name}");
        let result = crate::linux_tests::run_native(bin, name).and_then(|v| {
            if v.ok() {
                let passed = v.passed.unwrap_or(0);
                native.insert(id.clone(), passed);
                Ok(format!("{passed} checks"))
            } else {
                Err(format!("  broken test: it fails natively on Linux ({:?})\n{}", v.exit, indent(&v.output)))
            }
        });
        report.record(&format!("native::{id}"), result);
    }
    Ok((built, native))
}

/// A program's verdict inside Helctic: it must have run, passed, and (when
/// its native run is known) passed as many checks as natively.
fn judge_inside(
    boot: &Boot,
    id: &str,
    verdict: Option<&crate::linux_tests::Verdict>,
    native_checks: Option<u32>,
) -> Result<String, String> {
    let Some(v) = verdict else {
        return Err(failure(boot, &format!("{id} never ran (the boot ended early)")));
    };
    if !v.ok() {
        return Err(format!(
            "  exit {:?}, passed {:?}, failed {:?}{}\n{}",
            v.exit,
            v.passed,
            v.failed,
            boot.save().map(|p| format!(" (whole serial log: {})", p.display())).unwrap_or_default(),
            indent(&tail(&v.output, 40))
        ));
    }
    match native_checks {
        Some(n) if v.passed != Some(n) => {
            Err(format!("  passed {:?} checks in Helctic but {n} natively\n{}", v.passed, indent(&tail(&v.output, 40))))
        }
        _ => Ok(format!("{} checks", v.passed.unwrap_or(0))),
    }
}

fn linux_programs_inside(
    kernel: &Path,
    report: &mut Report,
    built: &crate::linux_tests::Built,
    native: &std::collections::BTreeMap<String, u32>,
) -> Result<(), String> {
    let busybox = crate::debian::busybox()?;
    let (verdicts, boot) = crate::linux_tests::run_in_helctic(kernel, built, &busybox)?;
    let robustness = built.robustness.iter().map(|(n, _)| format!("robustness/{n}"));
    for id in native.keys().cloned().chain(robustness) {
        let result = judge_inside(&boot, &id, verdicts.get(&id), native.get(&id).copied());
        report.record(&format!("helctic::{id}"), result);
    }
    // A kernel that caught itself breaking a locking rule has a bug even
    // when every program passed (the bug line names no program).
    // Every such line with its backtrace (each names a different bug: a
    // lock-order report is made once per pair), and the log kept.
    let bug = crate::harness::kernel_bug(&boot.log).map(|_| {
        failure(
            &boot,
            &format!("the kernel caught bugs of its own:\n{}", indent(&crate::harness::kernel_bugs(&boot.log))),
        )
    });
    report.record("helctic::linux-kernel-invariants", bug.map_or(Ok("no BUG: line in the log".into()), Err));
    Ok(())
}

/// The Go programs: natively first, then inside Helctic with as many
/// checks passing.
fn go_programs(kernel: &Path, report: &mut Report) -> Result<(), String> {
    let built = crate::go_tests::build()?;
    let mut native = std::collections::BTreeMap::new();
    for (name, bin) in &built {
        let result = crate::go_tests::run_native(bin).and_then(|v| {
            if v.ok() {
                native.insert(name.clone(), v.passed.unwrap_or(0));
                Ok(format!("{} checks", v.passed.unwrap_or(0)))
            } else {
                Err(format!("  broken test: it fails natively on Linux ({:?})\n{}", v.exit, indent(&v.output)))
            }
        });
        report.record(&format!("native::go/{name}"), result);
    }
    // One boot on one CPU, then one on several: goroutines are spread over
    // threads, and the garbage collector's workers run in parallel.
    for (prefix, cpus) in [("", 1), ("4cpus/", SMP_CPUS)] {
        crate::qemu::set_default_cpus(cpus);
        let ran = crate::go_tests::run_in_helctic(kernel, &built);
        crate::qemu::set_default_cpus(1);
        let (verdicts, boot) = ran?;
        for (name, &n) in &native {
            let result = judge_inside(&boot, &format!("go/{name}"), verdicts.get(name), Some(n));
            report.record(&format!("{prefix}helctic::go/{name}"), result);
        }
        if let Some(bug) = harness::kernel_bug(&boot.log) {
            report.record(
                &format!("{prefix}helctic::go/kernel-invariants"),
                Err(format!("  the kernel caught a bug of its own: {bug}")),
            );
        }
    }
    Ok(())
}

/// A BSD personality (`crate::bsd_tests::SYSTEMS`): the raw-call C
/// programs, the pipeline of Linux and BSD programs, and the Go programs
/// built for the system, which must pass as many checks as their Linux
/// builds do natively; on one CPU and on several.
fn bsd_programs(system: &crate::bsd_tests::System, kernel: &Path, report: &mut Report) -> Result<(), String> {
    let sys = system.name;
    let c = crate::bsd_tests::build_c(system)?;
    let linux = crate::go_tests::build_for("linux", Some(system.go_programs))?;
    let built = crate::go_tests::build_for(sys, Some(system.go_programs))?;
    let mut native = std::collections::BTreeMap::new();
    for (name, bin) in &linux {
        let result = crate::go_tests::run_native(bin).and_then(|v| {
            if v.ok() {
                native.insert(format!("go/{name}"), v.passed.unwrap_or(0));
                Ok(format!("{} checks", v.passed.unwrap_or(0)))
            } else {
                Err(format!("  broken test: it fails natively on Linux ({:?})\n{}", v.exit, indent(&v.output)))
            }
        });
        report.record(&format!("native::{sys}/go/{name}"), result);
    }
    for (prefix, cpus) in [("", 1), ("4cpus/", SMP_CPUS)] {
        crate::qemu::set_default_cpus(cpus);
        let ran = crate::bsd_tests::run_in_helctic(system, kernel, &c, &built);
        crate::qemu::set_default_cpus(1);
        let (verdicts, boot) = ran?;
        let ids = c.keys().map(|name| format!("c/{name}")).chain(std::iter::once("mix/pipeline".to_string()));
        for id in ids {
            let result = judge_inside(&boot, &format!("{sys}/{id}"), verdicts.get(&id), None);
            report.record(&format!("{prefix}helctic::{sys}/{id}"), result);
        }
        for (id, &n) in &native {
            let result = judge_inside(&boot, &format!("{sys}/{id}"), verdicts.get(id), Some(n));
            report.record(&format!("{prefix}helctic::{sys}/{id}"), result);
        }
        if let Some(bug) = harness::kernel_bug(&boot.log) {
            report.record(
                &format!("{prefix}helctic::{sys}/kernel-invariants"),
                Err(format!("  the kernel caught a bug of its own: {bug}")),
            );
        }
    }
    Ok(())
}

/// Debian's busybox runs the shell scripts natively and in Helctic; the
/// outputs must be identical.
fn busybox_scripts(kernel: &Path, report: &mut Report, cache: &mut NativeResults) -> Result<(), String> {
    use crate::busybox_tests as bt;
    let busybox = crate::debian::busybox()?;
    println!("busybox: Debian busybox-static {} (.deb SHA-256 {})", busybox.version, busybox.sha256);
    let scripts = bt::scripts()?;
    let native = match cache.busybox.take() {
        Some(earlier) => earlier,
        None => busybox_scripts_natively(report, &busybox, &scripts),
    };
    let result = busybox_scripts_inside(kernel, report, &busybox, &scripts, &native);
    cache.busybox = Some(native);
    result
}

/// Checks the suite's breadth and runs each script natively: its output.
fn busybox_scripts_natively(
    report: &mut Report,
    busybox: &crate::debian::Busybox,
    scripts: &[std::path::PathBuf],
) -> std::collections::BTreeMap<String, String> {
    use crate::busybox_tests as bt;
    let applets = bt::declared_applets(scripts);
    report.record(
        "busybox::applet-coverage",
        if applets.len() >= 40 {
            Ok(format!("{} applets across {} scripts", applets.len(), scripts.len()))
        } else {
            Err(format!("  only {} applets used; the suite must use at least 40", applets.len()))
        },
    );
    let mut native = std::collections::BTreeMap::new();
    for s in scripts {
        let n = s.file_stem().and_then(|x| x.to_str()).unwrap_or("?").to_string();
        let r = bt::run_native(busybox, s);
        report.record(
            &format!("native::busybox/{n}"),
            r.as_ref()
                .map(|o| format!("{} lines", o.lines().count()))
                .map_err(|e| format!("  broken script: fails natively\n{}", indent(e))),
        );
        if let Ok(out) = r {
            native.insert(n, out);
        }
    }
    native
}

fn busybox_scripts_inside(
    kernel: &Path,
    report: &mut Report,
    busybox: &crate::debian::Busybox,
    scripts: &[std::path::PathBuf],
    native: &std::collections::BTreeMap<String, String>,
) -> Result<(), String> {
    use crate::busybox_tests as bt;
    let (results, boot) = bt::run_in_helctic(kernel, busybox, scripts)?;
    // Both sides' outputs, kept for diffing by hand.
    let dump = crate::root().join("target/busybox-out");
    let _ = std::fs::create_dir_all(&dump);
    for (n, want) in native {
        let _ = std::fs::write(dump.join(format!("{n}.native")), want);
        if let Some((_, got, _)) = results.get(n) {
            let _ = std::fs::write(dump.join(format!("{n}.helctic")), got);
        }
    }
    for (n, want) in native {
        let result = match results.get(n) {
            None => Err(failure(&boot, &format!("{n} never ran (the boot ended early)"))),
            Some((code, got, err)) if *code != Some(0) || got != want => Err(format!(
                "  exit {code:?}; first difference at {}\n  stderr:\n{}",
                bt::first_difference(want, got),
                indent(&tail(err, 20))
            )),
            Some((_, got, _)) => Ok(format!("{} identical lines", got.lines().count())),
        };
        report.record(&format!("helctic::busybox/{n}"), result);
    }
    Ok(())
}

fn tail(s: &str, n: usize) -> String {
    harness::last_lines(s, n).join("\n")
}
