//! `cargo xtask`: builds the Helctic kernel, boots it in QEMU, runs the tests.
//!
//! ```text
//! cargo xtask build [--debug] [--ktest]
//! cargo xtask run   [--machine q35|microvm] [--memory 128M] [--cpus N] [--gdb]
//!                   [--append "kernel args"] [--debug] [--ktest]
//!                   [--native | --manifest FILE | --disk IMAGE | --rootfs [--rootfs-image IMAGE]]
//! cargo xtask test  [--host-only] [--kernel-only] [--only GROUP] [--long]
//! cargo xtask bench [--runs N] [--icount] [--smoke]
//! cargo xtask rootfs [--force]
//! cargo xtask docs
//! cargo xtask lint
//! cargo xtask fuzz  [--calls N | --minutes M] [--procs P] [--threads T] [--seed S]
//! cargo xtask ltp   [PATTERN...] [--jobs N] [--keep-going] [--source DIR] [--timeout SECS]
//!                   [--batch N] [--native-only]
//! ```

mod bench;
mod bsd_tests;
mod build;
mod busybox_tests;
mod cli;
mod console_test;
mod debian;
mod debian_tests;
mod docs;
mod fuzz;
mod go_tests;
mod harness;
mod hostile_frames_tests;
mod initramfs;
mod kernel_symbols;
mod lint;
mod linux_tests;
mod lock_order_doc;
mod ltp;
mod native;
mod native_net_tests;
mod native_tests;
mod net_tests;
mod netstack_tests;
mod network_services;
mod qemu;
mod rootfs;
mod rootfs_tests;
mod storage_hostile_tests;
mod storage_loop_tests;
mod storage_program_tests;
mod storage_tests;
mod test;
mod toolchain;
mod trace_test;
mod user_network_tests;
mod userland;
mod vdso;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    restart_with_default_signals();
    let result = match args.first().map(String::as_str) {
        Some("build") => cli::BuildArgs::parse(&args[1..]).and_then(|a| {
            build::build_kernel(&a.options()).map(|p| {
                println!("{}", p.display());
            })
        }),
        Some("run") => cli::RunArgs::parse(&args[1..]).and_then(|a| qemu::run_interactive(&a)),
        Some("test") => cli::TestArgs::parse(&args[1..]).and_then(|a| test::run_all(&a)),
        Some("rootfs") => cli::RootfsArgs::parse(&args[1..]).and_then(|a| rootfs::command(&a)),
        Some("docs") => docs::write_all(),
        Some("lint") => lint::run(),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => fuzz::Args::parse(&args[1..]).and_then(|a| fuzz::run(&a)),
        Some("ltp") => ltp::Args::parse(&args[1..]).and_then(|a| ltp::run(&a)),
        Some("help") | Some("--help") | Some("-h") | None => {
            print!("{}", cli::USAGE);
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{}", cli::USAGE)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (xtask lives one level below it).
pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent").to_path_buf()
}

/// Signals ignored when xtask starts (`nohup` ignores SIGHUP, some CI
/// runners SIGPIPE) would be ignored in every program it runs natively too,
/// and the native results the tests compare against would depend on how
/// xtask was started (a shell script's `kill -s HUP` of a job then does
/// nothing). So xtask starts itself again with every signal at its
/// default, through coreutils' `env --default-signal`.
fn restart_with_default_signals() {
    use std::os::unix::process::CommandExt;
    const MARK: &str = "HELCTIC_XTASK_SIGNALS_RESET";
    if std::env::var_os(MARK).is_some() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let ignored = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .and_then(|mask| u64::from_str_radix(mask.trim(), 16).ok())
        .unwrap_or(0);
    if ignored == 0 {
        return;
    }
    let Ok(me) = std::env::current_exe() else { return };
    let err = std::process::Command::new("/usr/bin/env")
        .arg("--default-signal")
        .arg(format!("{MARK}=1"))
        .arg(me)
        .args(std::env::args_os().skip(1))
        .exec();
    // Only reached if env could not run: go on as started.
    eprintln!("xtask: could not restart with default signal actions ({err}); ignored mask {ignored:#x}");
}
