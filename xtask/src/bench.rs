//! `cargo xtask bench`: Helctic against Linux on the same emulated machine.
//!
//! Both kernels boot the same initramfs (Debian's busybox plus the static C
//! programs in `bench/`, built with `musl-gcc -static`) with the same kernel
//! command line on the same QEMU machine (`crate::qemu::MachineConfig`: q35,
//! TCG, `-cpu max`, one CPU, the same `-m`). Linux is Debian's unmodified
//! cloud kernel, fetched with `apt-get download` and checked against a
//! recorded SHA-256 like busybox is.
//!
//! Method: whole boots alternate, Linux and Helctic, in ABBA order (L H, H L,
//! L H, ...) so a slow drift on the host weighs on both; every boot runs
//! every benchmark once, and the table gives the median over the boots.
//! Boot time is measured here: from just before QEMU starts to the moment
//! the first line printed by init (`BENCH-INIT up`) arrives on the serial
//! port. The smallest memory is a binary search over `-m` in MiB, booting
//! the same image with init running `/bin/sh -c 'echo BENCH-SHELL-OK'`.
//!
//! Storage: every benchmark boot of either kernel gets a fresh copy of one
//! ext2 image as a virtio-blk disk (`disk`). The image carries what each
//! kernel needs to reach it: Helctic's native storage services (driver and
//! ext2 server, started by `services=`, which mount it on /mnt at boot) and
//! Linux's virtio modules (`modules`), which bench/storage.c loads. Both
//! kernels get both and the same command line; each ignores the other's.
//!
//! The Debian root: in boots of their own (`debian`), each round after the
//! benchmark boots and in the same order, both kernels run Debian's own
//! dynamically linked programs from a working copy of the Debian 12 image
//! of `cargo xtask rootfs` as their root file system.
//!
//! The network rows (`net`): after the rounds above, in rounds of their
//! own, both kernels boot with a virtio-net device; TCP over the guest's
//! loopback interface and from the host through a forwarded port.
//!
//! The 4-vCPU rows (`smp`): after the rounds above, in rounds of their
//! own, both kernels run the same parallel work on the same machine with
//! one vCPU and with four (real time only: not under `--icount`); the
//! report gives each kernel's speed-up.
//!
//! `--rows` runs only the rows named, in boots of the kinds they need; the
//! table shows those rows, and docs/benchmarks.md changes only when a
//! whole section was measured (every 4-vCPU row: that section).
//!
//! Submodules: `linux` (fetching the kernel), `modules` (the Linux modules
//! the disk needs), `disk` (the image), `debian` (the Debian root boots),
//! `smp` (the 4-vCPU rows), `runner` (timed QEMU boots), `report` (table,
//! JSON, docs/benchmarks.md).

mod debian;
mod disk;
mod linux;
mod modules;
mod net;
mod profile;
mod report;
mod runner;
mod smp;

use crate::cli::Machine;
use crate::initramfs::Image;
use crate::qemu::MachineConfig;
use runner::{Run, TimedBoot};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const USAGE: &str = "\
usage: cargo xtask bench [--runs N] [--icount] [--memory SIZE] [--scale N]
                         [--no-memory-search] [--rows NAME,...] [--smoke]
                         [--profile HZ]
  --runs N             boots of each kernel, alternated (default 5; median)
  --icount             QEMU -icount shift=0: deterministic, virtual time
  --memory SIZE        guest memory for the benchmark boots (default 256M)
  --scale N            divide every iteration count by N (default 1)
  --no-memory-search   skip the smallest-memory search
  --rows NAME,...      only these rows (metric names, as in target/bench/results.json;
                       `smp` stands for every 4-vCPU row: `--rows smp`, `net` for
                       every network row: `--rows net`); no memory
                       search; docs/benchmarks.md is rewritten only for a section
                       whose every row ran
  --smoke              one boot each with tiny counts; checks every metric appears
  --profile HZ         instead: one boot of Helctic of each kind (only the native
                       kinds measuring the rows --rows names; for the network
                       boot, its loopback rows only) with its sampling
                       profiler at HZ; reports in target/bench/profile-*.txt
                       (use with --icount: samples then count instructions)
";

/// A metric: (name in the BENCH line, unit, what it is).
pub type Metric = (&'static str, &'static str, &'static str);

/// The metrics every benchmark boot must produce, in table order.
pub const METRICS: &[Metric] = &[
    ("null_syscall", "ns", "null syscall (getppid via syscall())"),
    ("pipe_rtt", "ns", "pipe round trip, 1 byte each way, 2 processes"),
    ("unix_rtt", "ns", "Unix stream socket round trip, 1 byte each way, 2 processes"),
    ("fork_exit", "us", "fork + _exit + wait"),
    ("fork_exec", "us", "fork + execve(tiny static) + wait"),
    ("futex_switch", "ns", "futex ping-pong between 2 threads, per switch"),
    ("mmap_touch_4m", "us", "mmap 4 MiB anon, touch every page, munmap"),
    ("open_read_close", "us", "open + read 4 KiB + close, ramfs file"),
    ("stat", "ns", "stat, ramfs file"),
    ("pipe_bandwidth", "MB/s", "pipe bandwidth, 64 MiB in 64 KiB writes (higher is better)"),
    ("eventfd_rtt", "ns", "eventfd round trip, one count each way, 2 processes"),
    ("splice_bandwidth", "MB/s", "splice 16 MiB file -> pipe -> file in 64 KiB steps, /tmp (higher is better)"),
    ("epoll_wait_1000", "ns", "epoll_wait with 1000 idle watched pipes and one ready"),
    ("disk_seq_write", "MB/s", "disk: write 16 MiB in 64 KiB writes + fsync, ext2 on virtio-blk (higher is better)"),
    ("disk_seq_read", "MB/s", "disk: read 16 MiB in 64 KiB reads, cold (after a remount) (higher is better)"),
    ("disk_create_delete", "us", "disk: create + unlink an empty file, 500 in one directory, then sync"),
];

/// Helctic's native IPC (no Linux counterpart: the table sets each beside
/// Linux's pipe round trip). Measured in a separate boot under native init
/// (`user/ipcbench`), after each Helctic boot.
pub const NATIVE_METRICS: &[Metric] = &[
    ("native_ipc_rtt", "ns", "native IPC call + reply round trip, 2 tasks"),
    ("native_notify_latency", "ns", "native notification, signal to waiter running, one way"),
];

/// The other personalities' rows: bench.c's loops as FreeBSD and NetBSD
/// programs (bench/bsd.c), measured in Helctic-only boots of their own
/// after each Helctic boot; the table sets each beside Linux's figure for
/// the same loop (the metric without its system's prefix).
pub const PERSONALITY_METRICS: &[Metric] = &[
    ("freebsd_null_syscall", "ns", "FreeBSD personality: null syscall (getppid)"),
    ("freebsd_pipe_rtt", "ns", "FreeBSD personality: pipe round trip, 1 byte each way, 2 processes"),
    ("freebsd_fork_exit", "us", "FreeBSD personality: fork + exit + wait4"),
    ("netbsd_null_syscall", "ns", "NetBSD personality: null syscall (getppid)"),
    ("netbsd_pipe_rtt", "ns", "NetBSD personality: pipe round trip, 1 byte each way, 2 processes"),
    ("netbsd_fork_exit", "us", "NetBSD personality: fork + exit + __wait450"),
];

/// The systems bench/bsd.c is built for: (the -D that picks its calls,
/// the name of the binary, where its header is under tests/).
const BSD_BENCH_SYSTEMS: &[(&str, &str)] = &[("FREEBSD", "freebsd"), ("NETBSD", "netbsd")];

/// The Linux row a personality's row compares with.
pub fn linux_twin(metric: &str) -> Option<&'static str> {
    let base = metric.split_once('_').map(|(_, rest)| rest)?;
    METRICS.iter().map(|m| m.0).find(|m| *m == base)
}

/// The kinds of boot a round makes, each with its own metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootKind {
    /// bench.c and storage.c from the busybox initramfs, plus the boot figures.
    Bench,
    /// debian.c on the Debian root file system (`debian`).
    Debian,
    /// Helctic's native IPC (`user/ipcbench`).
    Native,
    /// The other personalities' programs (`bench/bsd.c`).
    Personalities,
}

/// The metrics a boot of `kind` must produce, in the order they run.
pub fn expected(kind: BootKind) -> Vec<Metric> {
    match kind {
        BootKind::Bench => METRICS.iter().chain(runner::BOOT_METRICS).copied().collect(),
        BootKind::Debian => debian::METRICS.to_vec(),
        BootKind::Native => NATIVE_METRICS.to_vec(),
        BootKind::Personalities => PERSONALITY_METRICS.to_vec(),
    }
}

/// The same command line for both kernels; Helctic ignores the Linux-only
/// parameters. After `--`: init's arguments.
pub const KERNEL_ARGS: &str = "console=ttyS0 mitigations=off quiet";

/// The command line of a benchmark boot: also `services=`, which starts
/// Helctic's storage services; Linux hands the unknown parameter to init's
/// environment, where nothing reads it.
pub fn bench_append(scale: u64) -> String {
    bench_append_rows(scale, &[])
}

/// As `bench_append`, with only the rows `rows` of bench.c and storage.c
/// (none: all of them). A name neither program has ("none") runs nothing
/// but the boot.
pub fn bench_append_rows(scale: u64, rows: &[&str]) -> String {
    let mut s = format!("{KERNEL_ARGS} {} -- run {scale}", crate::storage_tests::SERVICES);
    for r in rows {
        s.push(' ');
        s.push_str(r);
    }
    s
}

#[derive(Debug, Clone)]
pub struct Options {
    pub runs: usize,
    pub icount: bool,
    pub memory: String,
    pub scale: u64,
    pub memory_search: bool,
    pub smoke: bool,
    pub profile: Option<u64>,
    /// `--rows`: only these metrics (None: all).
    pub rows: Option<Vec<String>>,
    /// `--lock-order`: measure a kernel with the lock-order check.
    pub lock_order: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut o = Options {
            runs: 5,
            icount: false,
            memory: "256M".into(),
            scale: 1,
            memory_search: true,
            smoke: false,
            profile: None,
            rows: None,
            lock_order: false,
        };
        let mut i = 0;
        let value = |i: &mut usize, flag: &str| -> Result<String, String> {
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| format!("{flag} needs a value"))
        };
        while i < args.len() {
            match args[i].as_str() {
                "--runs" => {
                    let v = value(&mut i, "--runs")?;
                    o.runs = v.parse().ok().filter(|n| *n >= 1).ok_or(format!("bad run count `{v}`"))?;
                }
                "--icount" => o.icount = true,
                "--lock-order" => o.lock_order = true,
                "--memory" | "-m" => {
                    let v = value(&mut i, "--memory")?;
                    crate::cli::check_memory_size(&v)?;
                    o.memory = v;
                }
                "--scale" => {
                    let v = value(&mut i, "--scale")?;
                    o.scale = v.parse().ok().filter(|n| *n >= 1).ok_or(format!("bad scale `{v}`"))?;
                }
                "--no-memory-search" => o.memory_search = false,
                "--smoke" => o.smoke = true,
                "--profile" => {
                    let v = value(&mut i, "--profile")?;
                    o.profile = Some(v.parse().map_err(|_| format!("--profile: bad rate {v:?}"))?);
                }
                "--rows" => {
                    let v = value(&mut i, "--rows")?;
                    let mut names: Vec<String> = Vec::new();
                    for n in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                        if n == "smp" {
                            names.extend(smp::METRICS.iter().map(|m| m.0.to_string()));
                        } else if n == net::ALIAS {
                            names.extend(net::METRICS.iter().map(|m| m.0.to_string()));
                        } else {
                            names.push(n.to_string());
                        }
                    }
                    if names.is_empty() {
                        return Err("--rows needs at least one row name".into());
                    }
                    if let Some(bad) = names.iter().find(|n| !all_metrics().any(|(m, _, _)| *m == n.as_str())) {
                        let known: Vec<&str> = all_metrics().map(|m| m.0).collect();
                        return Err(format!("--rows: no row `{bad}`; the rows are: {}", known.join(", ")));
                    }
                    o.rows = Some(names);
                }
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown bench option `{other}`\n\n{USAGE}")),
            }
            i += 1;
        }
        Ok(o)
    }

    /// Whether `metric` is to be measured.
    pub fn wants(&self, metric: &str) -> bool {
        self.rows.as_ref().is_none_or(|rows| rows.iter().any(|r| r == metric))
    }

    /// The metrics of `list` to be measured.
    pub fn wanted(&self, list: &[Metric]) -> Vec<Metric> {
        list.iter().filter(|m| self.wants(m.0)).copied().collect()
    }
}

/// Every row the benchmark knows, of every kind.
pub fn all_metrics() -> impl Iterator<Item = &'static Metric> {
    METRICS
        .iter()
        .chain(runner::BOOT_METRICS)
        .chain(debian::METRICS)
        .chain(NATIVE_METRICS)
        .chain(PERSONALITY_METRICS)
        .chain(smp::METRICS)
        .chain(net::METRICS)
}

/// The two kernels, each with how to boot it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Os {
    Linux,
    Helctic,
}

impl Os {
    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::Helctic => "Helctic",
        }
    }
}

/// Everything both kernels boot from.
pub struct Setup {
    pub helctic: PathBuf,
    pub linux: linux::LinuxKernel,
    pub busybox: crate::debian::Busybox,
    pub programs: Programs,
    pub disk: disk::Disk,
    pub icount: bool,
}

pub struct Programs {
    pub bench: PathBuf,
    pub storage: PathBuf,
    pub init: PathBuf,
    pub exec_target: PathBuf,
    pub net: PathBuf,
    /// bench/bsd.c built for each BSD system, by its name.
    pub bsd: Vec<(&'static str, PathBuf)>,
}

impl Setup {
    fn kernel(&self, os: Os) -> &Path {
        match os {
            Os::Linux => &self.linux.vmlinuz,
            Os::Helctic => &self.helctic,
        }
    }

    /// One machine description for both kernels: only the kernel differs.
    /// One CPU (`smp` sets `cpus` on it for the 4-vCPU rows).
    fn config(&self, memory: &str, initrd: &Path, append: String) -> MachineConfig {
        let mut cfg = MachineConfig::new(Machine::Q35);
        cfg.memory = memory.to_string();
        cfg.cpus = 1;
        cfg.append = append;
        cfg.initrd = Some(initrd.to_path_buf());
        cfg
    }

    /// QEMU arguments beyond the shared config (`-icount`).
    fn extra_args(&self) -> Vec<String> {
        if self.icount {
            vec!["-icount".into(), "shift=0".into()]
        } else {
            Vec::new()
        }
    }

    fn boot(&self, os: Os, cfg: &MachineConfig, timeout: Duration) -> Result<TimedBoot, String> {
        runner::boot(self.kernel(os), cfg, &self.extra_args(), timeout)
    }
}

fn compile(src: &Path, out: &Path) -> Result<(), String> {
    compile_with("musl-gcc", src, out)
}

/// `cc -static -O2` with warnings as failures.
fn compile_with(cc: &str, src: &Path, out: &Path) -> Result<(), String> {
    let output = Command::new(cc)
        .args(["-static", "-O2", "-Wall", "-Wextra", "-o"])
        .arg(out)
        .arg(src)
        .output()
        .map_err(|e| format!("cannot run {cc}: {e}"))?;
    if !output.status.success() || !output.stderr.is_empty() {
        return Err(format!("{cc} {} failed or warned:\n{}", src.display(), String::from_utf8_lossy(&output.stderr)));
    }
    Ok(())
}

/// Builds bench/*.c into target/bench/bin.
pub fn build_programs() -> Result<Programs, String> {
    crate::toolchain::ensure_program("musl-gcc", "musl-tools", "building the benchmark programs")?;
    let root = crate::root();
    let out = root.join("target/bench/bin");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    for name in ["bench", "storage", "init", "true", "net"] {
        compile(&root.join(format!("bench/{name}.c")), &out.join(name))?;
    }
    let mut bsd = Vec::new();
    for (define, name) in BSD_BENCH_SYSTEMS {
        let bin = out.join(name);
        compile_freestanding(&root.join("bench/bsd.c"), define, &root.join("tests").join(name), &bin)?;
        bsd.push((*name, bin));
    }
    Ok(Programs {
        bench: out.join("bench"),
        storage: out.join("storage"),
        init: out.join("init"),
        exec_target: out.join("true"),
        net: out.join("net"),
        bsd,
    })
}

/// A program of another system, without libc: `-D<define>` picks its
/// calls, and they and its ABI note come from the header directory
/// `include` (tests/freebsd/bsd.h, tests/netbsd/nbsd.h).
fn compile_freestanding(src: &Path, define: &str, include: &Path, out: &Path) -> Result<(), String> {
    let output = Command::new("gcc")
        .arg(format!("-D{define}"))
        .args(["-nostdlib", "-static", "-no-pie", "-ffreestanding", "-fno-stack-protector", "-fno-builtin"])
        .args(["-O2", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(include)
        .arg("-o")
        .arg(out)
        .arg(src)
        .output()
        .map_err(|e| format!("cannot run gcc: {e}"))?;
    if !output.status.success() || !output.stderr.is_empty() {
        return Err(format!("gcc {} failed or warned:\n{}", src.display(), String::from_utf8_lossy(&output.stderr)));
    }
    Ok(())
}

/// The image both kernels boot: busybox (for the shell), init at /init,
/// the benchmarks and the exec target under /bench. With `storage`, also
/// what each kernel needs to reach the disk: Helctic's native storage
/// services (and /mnt) and Linux's virtio modules in /lib/modules with the
/// load list storage.c follows. The memory search boots the image without
/// them, as before the disk benchmarks existed: its figure is the memory a
/// kernel needs to reach a shell.
fn image(setup: &Setup, storage: bool) -> Result<PathBuf, String> {
    let mut image: Image = crate::userland::busybox_image(&setup.busybox)?;
    image.host_file("init", &setup.programs.init)?;
    image.host_file("bench/bench", &setup.programs.bench)?;
    image.host_file("bench/true", &setup.programs.exec_target)?;
    if !storage {
        return image.write("bench-mem.cpio");
    }
    image.host_file("bench/storage", &setup.programs.storage)?;
    crate::storage_tests::add_storage_services(&mut image)?;
    add_linux_modules(&mut image, setup)?;
    image.write("bench.cpio")
}

/// Linux's virtio modules in /lib/modules, with the load list bench/vda.h
/// follows.
fn add_linux_modules(image: &mut Image, setup: &Setup) -> Result<(), String> {
    let mut names = String::new();
    for ko in &setup.linux.modules {
        let name = ko.file_name().and_then(|n| n.to_str()).ok_or("bad module file name")?;
        image.host_file(&format!("lib/modules/{name}"), ko)?;
        names.push_str(name.trim_end_matches(".ko"));
        names.push('\n');
    }
    image.file(&format!("lib/modules/{}", modules::LOAD_LIST), names.into_bytes(), 0o644);
    Ok(())
}

/// The native benchmark image: init, ipcbench and a manifest running it
/// `iterations` times.
fn native_image(iterations: u64) -> Result<PathBuf, String> {
    let programs = crate::native::build_native(true)?;
    let mut img = Image::new();
    for (name, path) in programs.iter().filter(|(n, _)| n == "init" || n == "ipcbench") {
        img.host_file(&format!("native/{name}"), path)?;
    }
    let manifest = format!(
        "# generated by cargo xtask bench\ntask ipcbench\n    arg {iterations}\n    grant bootdir rxtd\n    wait\n"
    );
    img.file("native/boot.manifest", manifest.into_bytes(), 0o644);
    img.write("native-bench.cpio")
}

/// The kernel command line of a native benchmark boot (profiled or not).
fn native_boot_args() -> String {
    format!("{KERNEL_ARGS} init=/native/init")
}

/// One native benchmark boot (Helctic only).
fn native_boot(setup: &Setup, img: &Path, memory: &str, scale: u64) -> Result<Run, String> {
    let cfg = setup.config(memory, img, native_boot_args());
    let boot = setup.boot(Os::Helctic, &cfg, bench_timeout(scale, setup.icount))?;
    save_log(Os::Helctic, &format!("native-scale{scale}"), &boot);
    Ok(Run::parse(Os::Helctic, boot, expected(BootKind::Native)))
}

/// The other personalities' image: busybox's shell as init runs each
/// system's benchmark with the scale it is given, framed by the lines the
/// runner reads as init's start and end (`BENCH-INIT up`, `BENCH-DONE
/// <status>`: the last failing program's status, else 0, as bench/init.c
/// reports), then powers off by exiting.
fn personality_image(setup: &Setup) -> Result<PathBuf, String> {
    let mut img: Image = crate::userland::busybox_image(&setup.busybox)?;
    let mut script = String::from("#!/bin/sh\necho 'BENCH-INIT up'\nstatus=0\n");
    for (name, bin) in &setup.programs.bsd {
        img.host_file(&format!("bench/{name}"), bin)?;
        script.push_str(&format!("/bench/{name} \"${{1:-1}}\" || status=$?\n"));
    }
    script.push_str("echo \"BENCH-DONE $status\"\n");
    img.file("init", script.into_bytes(), 0o755);
    img.write("personality-bench.cpio")
}

/// One boot of the other personalities' benchmarks (Helctic only).
fn personality_boot(setup: &Setup, img: &Path, memory: &str, scale: u64) -> Result<Run, String> {
    let cfg = setup.config(memory, img, format!("{KERNEL_ARGS} -- {scale}"));
    let boot = setup.boot(Os::Helctic, &cfg, bench_timeout(scale, setup.icount))?;
    save_log(Os::Helctic, &format!("personalities-scale{scale}"), &boot);
    Ok(Run::parse(Os::Helctic, boot, expected(BootKind::Personalities)))
}

/// Native iterations for a scale (the C benchmarks' counts divide the same way).
fn native_iterations(scale: u64) -> u64 {
    (100_000 / scale.max(1)).max(20)
}

/// Everything a run boots: the setup, the benchmark image, the memory
/// search's image, and what the Debian root boots need (or why they
/// cannot be made).
/// `debian_root`: whether Debian root boots are wanted (else the image,
/// which `cargo xtask rootfs` may have to build, is left alone).
fn prepare(
    icount: bool,
    lock_order: bool,
    debian_root: bool,
) -> Result<(Setup, PathBuf, PathBuf, Result<debian::Root, String>), String> {
    let helctic = crate::build::build_kernel(&crate::build::BuildOptions { release: true, ktest: false, lock_order })?;
    let linux = linux::fetch()?;
    let busybox = crate::debian::busybox()?;
    let programs = build_programs()?;
    let disk = disk::make()?;
    let setup = Setup { helctic, linux, busybox, programs, disk, icount };
    let img = image(&setup, true)?;
    let mem_img = image(&setup, false)?;
    let root = if debian_root { debian::prepare(&setup) } else { Err("no Debian root row wanted".into()) };
    Ok((setup, img, mem_img, root))
}

fn bench_timeout(scale: u64, icount: bool) -> Duration {
    let base = if scale >= 100 { 120 } else { 900 };
    Duration::from_secs(if icount { base * 3 } else { base })
}

/// One benchmark boot of `os` with a fresh copy of the disk, parsed; a
/// disk that e2fsck finds damaged afterwards is a problem of the boot.
/// `metrics`: those to measure, of `expected(BootKind::Bench)` (all of
/// them: the programs run every row).
fn bench_boot(setup: &Setup, os: Os, img: &Path, memory: &str, scale: u64, metrics: &[Metric]) -> Result<Run, String> {
    let all = expected(BootKind::Bench);
    let rows: Vec<&str> = if metrics.len() == all.len() {
        Vec::new()
    } else {
        let named: Vec<&str> = metrics.iter().map(|m| m.0).filter(|m| METRICS.iter().any(|x| x.0 == *m)).collect();
        if named.is_empty() {
            vec!["none"]
        } else {
            named
        }
    };
    let mut cfg = setup.config(memory, img, bench_append_rows(scale, &rows));
    let disk = setup.disk.fresh_copy(os)?;
    cfg.disk = Some(disk.clone());
    let boot = setup.boot(os, &cfg, bench_timeout(scale, setup.icount))?;
    save_log(os, &format!("run-scale{scale}"), &boot);
    let mut run = Run::parse(os, boot, metrics.to_vec());
    if let Err(damage) = disk::check(&disk) {
        run.problem = Some(match run.problem.take() {
            Some(p) => format!("{p}; {damage}"),
            None => damage,
        });
    }
    Ok(run)
}

/// One Debian root boot of `os` on `cpus` CPUs with a fresh working copy
/// of the image, running debian.c's rows `metrics` (all of
/// `debian::METRICS`: its default rows), parsed. The copy (over a GiB,
/// sparse) is removed afterwards.
fn debian_boot(
    setup: &Setup,
    root: &debian::Root,
    os: Os,
    cpus: u32,
    scale: u64,
    metrics: &[Metric],
) -> Result<Run, String> {
    let rows: Vec<&str> =
        if metrics == debian::METRICS { Vec::new() } else { metrics.iter().map(|m| smp::row(m.0)).collect() };
    let mut cfg = setup.config(debian::MEMORY, &root.initrd, debian::append_rows(scale, &rows));
    cfg.cpus = cpus;
    let disk = debian::fresh_copy(root, os)?;
    cfg.disk = Some(disk.clone());
    let boot = setup.boot(os, &cfg, bench_timeout(scale, setup.icount));
    let _ = std::fs::remove_file(&disk);
    let boot = boot?;
    let tag =
        if rows.is_empty() { format!("debian-scale{scale}") } else { format!("debian-rows-{cpus}cpu-scale{scale}") };
    save_log(os, &tag, &boot);
    Ok(Run::parse(os, boot, metrics.to_vec()))
}

/// Adds a boot's figures to `samples` and, for each expected metric it
/// did not give, the reason to `failures`.
fn record(
    run: &Run,
    os: Os,
    round: usize,
    samples: &mut BTreeMap<String, BTreeMap<Os, Vec<f64>>>,
    failures: &mut BTreeMap<String, BTreeMap<Os, Vec<String>>>,
) {
    for (metric, _, _) in &run.expected {
        if let Some(v) = run.values.get(*metric) {
            samples.entry(metric.to_string()).or_default().entry(os).or_default().push(*v);
        }
    }
    for (metric, why) in run.missing(os) {
        failures.entry(metric).or_default().entry(os).or_default().push(format!("boot {}: {why}", round + 1));
    }
}

/// Keeps the latest serial log of each kind of boot under target/bench/logs,
/// each line stamped with the wall time since QEMU started.
fn save_log(os: Os, tag: &str, boot: &TimedBoot) {
    let dir = crate::root().join("target/bench/logs");
    let _ = std::fs::create_dir_all(&dir);
    let text: String = boot.lines.iter().map(|(at, l)| format!("{:10.3} {l}\n", at.as_secs_f64() * 1000.0)).collect();
    let _ = std::fs::write(dir.join(format!("{}-{tag}.log", os.name().to_lowercase())), text);
}

/// The figures one mode produced, for the report.
pub struct Results {
    pub icount: bool,
    pub runs: usize,
    pub memory: String,
    pub scale: u64,
    /// `--rows`: only these were measured (None: all).
    pub rows: Option<Vec<String>>,
    /// metric -> (os -> samples)
    pub samples: BTreeMap<String, BTreeMap<Os, Vec<f64>>>,
    /// metric -> (os -> why some boots had no figure)
    pub failures: BTreeMap<String, BTreeMap<Os, Vec<String>>>,
    /// os -> smallest -m in MiB that boots to the shell (absent: not searched)
    pub min_memory: BTreeMap<Os, Result<u64, String>>,
    /// os -> every -m tried (MiB) and what happened
    pub memory_trials: BTreeMap<Os, Vec<(u64, String)>>,
    pub image_size: BTreeMap<Os, u64>,
    pub linux_package: String,
    pub linux_sha256: String,
    pub busybox: String,
    /// The Debian root's package versions that matter most.
    pub debian: String,
    pub notes: Vec<String>,
    /// /proc/loadavg before and after: other work on the host skews real time.
    pub host_load: (String, String),
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let opts = Options::parse(args)?;
    if opts.smoke {
        let kernel = crate::build::build_kernel(&crate::build::BuildOptions {
            release: true,
            ktest: false,
            lock_order: opts.lock_order,
        })?;
        let summary = smoke(&kernel)?;
        println!("{summary}");
        return Ok(());
    }
    let smp_metrics = opts.wanted(smp::METRICS);
    if opts.icount && opts.rows.is_some() && !smp_metrics.is_empty() {
        return Err(format!("the 4-vCPU rows are not measured under --icount: {}", smp::ICOUNT));
    }
    let one_cpu: Vec<Metric> = all_metrics()
        .filter(|m| opts.wants(m.0) && !smp::METRICS.contains(m) && !net::METRICS.contains(m))
        .copied()
        .collect();
    let net_metrics = opts.wanted(net::METRICS);
    let debian_root = !opts.wanted(debian::METRICS).is_empty() || smp_metrics.iter().any(|m| smp::on_debian_root(m.0));
    let (setup, img, mem_img, root) = prepare(opts.icount, opts.lock_order, debian_root)?;
    if let (true, Err(e)) = (debian_root, &root) {
        eprintln!("xtask: bench: no Debian root boots: {e}");
    }
    if let Some(hz) = opts.profile {
        // Only the kinds of boot that measure a row `--rows` names.
        let kinds = profile::Kinds {
            native: !opts.wanted(NATIVE_METRICS).is_empty(),
            bench: !opts.wanted(&expected(BootKind::Bench)).is_empty(),
            debian: !opts.wanted(&expected(BootKind::Debian)).is_empty(),
            net: net_metrics.clone(),
        };
        return profile::run(&setup, &img, root.as_ref().ok(), hz, opts.scale, &opts.memory, kinds);
    }
    if !one_cpu.is_empty() {
        one_cpu_rounds(args, &opts, &setup, &img, &mem_img, &root)?;
    }
    if !net_metrics.is_empty() {
        let net_img = net::image(&setup, &setup.programs.net)?;
        net::run(&setup, &net_img, &opts, net_metrics, args)?;
    }
    if smp_metrics.is_empty() {
        return Ok(());
    }
    if opts.icount {
        eprintln!("xtask: bench: no 4-vCPU rows under --icount: {}", smp::ICOUNT);
        return Ok(());
    }
    let results = smp::run(&setup, &img, root.as_ref(), &opts, smp_metrics)?;
    println!("{}", smp::table(&results));
    let json = smp::write_json(&results, args)?;
    eprintln!("xtask: bench: wrote {}", json.display());
    if results.metrics.len() == smp::METRICS.len() {
        let docs = smp::write_docs(&results, args)?;
        eprintln!("xtask: bench: wrote the 4-vCPU section of {}", docs.display());
    } else {
        eprintln!("xtask: bench: docs/benchmarks.md left as it was: not every 4-vCPU row ran");
    }
    Ok(())
}

/// The rounds of one-CPU boots (benchmark, Debian root, native) and the
/// memory search; their table, JSON and (when every row ran) their
/// section of docs/benchmarks.md.
fn one_cpu_rounds(
    args: &[String],
    opts: &Options,
    setup: &Setup,
    img: &Path,
    mem_img: &Path,
    root: &Result<debian::Root, String>,
) -> Result<(), String> {
    let bench = opts.wanted(&expected(BootKind::Bench));
    let deb = opts.wanted(&expected(BootKind::Debian));
    let native = opts.wanted(NATIVE_METRICS);
    let personalities = opts.wanted(PERSONALITY_METRICS);
    let load_before = loadavg();
    let mut samples: BTreeMap<String, BTreeMap<Os, Vec<f64>>> = BTreeMap::new();
    let mut failures: BTreeMap<String, BTreeMap<Os, Vec<String>>> = BTreeMap::new();
    let mut notes = Vec::new();
    eprintln!(
        "xtask: bench: {} alternated boots of each kernel, -m {}, {}",
        opts.runs,
        opts.memory,
        if opts.icount { "-icount shift=0 (virtual time)" } else { "TCG real time" }
    );
    let native_img = native_image(native_iterations(opts.scale))?;
    let personality_img = personality_image(setup)?;
    for round in 0..opts.runs {
        if !native.is_empty() {
            let native = native_boot(setup, &native_img, &opts.memory, opts.scale)?;
            eprintln!("xtask: bench: round {} Helctic native: {}", round + 1, native.summary());
            record(&native, Os::Helctic, round, &mut samples, &mut failures);
        }
        if !personalities.is_empty() {
            let run = personality_boot(setup, &personality_img, &opts.memory, opts.scale)?;
            eprintln!("xtask: bench: round {} Helctic's other personalities: {}", round + 1, run.summary());
            record(&run, Os::Helctic, round, &mut samples, &mut failures);
        }
        let order = if round % 2 == 0 { [Os::Linux, Os::Helctic] } else { [Os::Helctic, Os::Linux] };
        for os in order.iter().copied().filter(|_| !bench.is_empty()) {
            let run = bench_boot(setup, os, img, &opts.memory, opts.scale, &bench)?;
            eprintln!("xtask: bench: round {} {}: {}", round + 1, os.name(), run.summary());
            record(&run, os, round, &mut samples, &mut failures);
            if let Some(problem) = &run.problem {
                notes.push(format!("{} boot {}: {problem}", os.name(), round + 1));
            }
        }
        for os in order.iter().copied().filter(|_| !deb.is_empty()) {
            let root = match root {
                Ok(root) => root,
                Err(e) => {
                    for (metric, _, _) in &deb {
                        failures
                            .entry(metric.to_string())
                            .or_default()
                            .entry(os)
                            .or_default()
                            .push(format!("boot {}: no Debian root: {e}", round + 1));
                    }
                    continue;
                }
            };
            let run = debian_boot(setup, root, os, 1, opts.scale, &deb)?;
            eprintln!("xtask: bench: round {} {} on the Debian root: {}", round + 1, os.name(), run.summary());
            record(&run, os, round, &mut samples, &mut failures);
            if let Some(problem) = &run.problem {
                notes.push(format!("{} Debian root boot {}: {problem}", os.name(), round + 1));
            }
        }
    }
    let mut min_memory = BTreeMap::new();
    let mut memory_trials = BTreeMap::new();
    if opts.memory_search && opts.rows.is_none() {
        for os in [Os::Linux, Os::Helctic] {
            let (found, trials) = min_memory_search(setup, os, mem_img);
            memory_trials.insert(os, trials);
            match &found {
                Ok(m) => eprintln!("xtask: bench: {} boots to the shell with -m {m}M", os.name()),
                Err(e) => eprintln!("xtask: bench: {} memory search: {e}", os.name()),
            }
            min_memory.insert(os, found);
        }
    }
    let mut image_size = BTreeMap::new();
    image_size.insert(Os::Linux, file_size(&setup.linux.vmlinuz)?);
    image_size.insert(Os::Helctic, file_size(&setup.helctic)?);
    let results = Results {
        icount: opts.icount,
        runs: opts.runs,
        memory: opts.memory.clone(),
        scale: opts.scale,
        // The network rows have a table of their own (`net::run`).
        rows: opts
            .rows
            .clone()
            .map(|rows| rows.into_iter().filter(|m| !net::METRICS.iter().any(|n| n.0 == m)).collect()),
        samples,
        failures,
        min_memory,
        memory_trials,
        image_size,
        linux_package: format!("{}={}", linux::PACKAGE, linux::VERSION),
        linux_sha256: linux::DEB_SHA256.to_string(),
        busybox: format!("{}={}", crate::debian::BUSYBOX_PACKAGE, setup.busybox.version),
        debian: root.as_ref().map(|r| r.versions.clone()).unwrap_or_else(|e| format!("none ({e})")),
        notes,
        host_load: (load_before, loadavg()),
    };
    let table = report::table(&results);
    println!("{table}");
    let json = report::write_json(&results, args)?;
    if results.rows.is_some() {
        eprintln!("xtask: bench: wrote {}; docs/benchmarks.md left as it was (--rows)", json.display());
    } else {
        let docs = report::write_docs(&results, args)?;
        eprintln!("xtask: bench: wrote {} and {}", json.display(), docs.display());
    }
    Ok(())
}

fn file_size(p: &Path) -> Result<u64, String> {
    std::fs::metadata(p).map(|m| m.len()).map_err(|e| format!("{}: {e}", p.display()))
}

/// Whether `os` boots to the shell with `-m {mib}M`; logs the attempt.
fn boots_with(setup: &Setup, os: Os, img: &Path, mib: u64, trials: &mut Vec<(u64, String)>) -> Result<bool, String> {
    let cfg = setup.config(&format!("{mib}M"), img, format!("{KERNEL_ARGS} -- mem"));
    let boot = setup.boot(os, &cfg, Duration::from_secs(if setup.icount { 180 } else { 60 }))?;
    save_log(os, &format!("mem-{mib}M"), &boot);
    let ok = boot.has("BENCH-SHELL-OK");
    let what = if ok { "boots to the shell".to_string() } else { format!("no: {}", failure_line(&boot)) };
    eprintln!("xtask: bench:   {} -m {mib}M: {what}", os.name());
    trials.push((mib, what));
    Ok(ok)
}

/// The most telling line of a boot that did not reach the shell.
fn failure_line(boot: &TimedBoot) -> String {
    if boot.panicked {
        return boot.ending();
    }
    for needle in ["KERNEL PANIC", "Kernel panic", "out of memory", "init exited with status"] {
        if let Some((_, l)) = boot.first(needle) {
            return format!("{} ({})", l.trim(), boot.ending());
        }
    }
    boot.ending()
}

/// Binary search for the smallest `-m` (MiB) that boots to the shell,
/// between 1 MiB and 1 GiB; assumes more memory never hurts. Returns the
/// figure and every attempt.
fn min_memory_search(setup: &Setup, os: Os, img: &Path) -> (Result<u64, String>, Vec<(u64, String)>) {
    let mut trials = Vec::new();
    let mut search = || -> Result<u64, String> {
        let mut hi = 256;
        while !boots_with(setup, os, img, hi, &mut trials)? {
            if hi >= 1024 {
                return Err("does not boot to the shell even with -m 1024M".into());
            }
            hi *= 2;
        }
        let mut lo = 0; // known not to boot (QEMU refuses -m 0)
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if boots_with(setup, os, img, mid, &mut trials)? {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    };
    let found = search();
    (found, trials)
}

/// Checks the benchmark still runs: one boot of Helctic and one of Linux
/// (a few seconds each) with every iteration count divided by 1000, on
/// the busybox initramfs and on the Debian root, and the same again on
/// 4 vCPUs for the 4-vCPU rows; every metric must come out and e2fsck
/// must find the benchmark disk clean afterwards. Linux is
/// skipped, and the summary says so, only when its package cannot be
/// downloaded (Debian dropped the pinned version, or no network); the
/// Debian root only when its image is missing and cannot be built here
/// (that needs root). Returns a one-line summary.
pub fn smoke(kernel: &Path) -> Result<String, String> {
    let programs = build_programs()?;
    let busybox = crate::debian::busybox()?;
    let fetched = linux::fetch_optional()?;
    let with_linux = fetched.is_some();
    let linux = fetched.unwrap_or_else(linux::LinuxKernel::missing);
    let disk = disk::make()?;
    let setup = Setup { helctic: kernel.to_path_buf(), linux, busybox, programs, disk, icount: false };
    let img = image(&setup, true)?;
    let (root, no_root) = match debian::prepare(&setup) {
        Ok(root) => (Some(root), None),
        Err(e) if !crate::toolchain::is_root() => (None, Some(e)),
        Err(e) => return Err(format!("  the Debian root benchmarks cannot be prepared: {e}")),
    };
    let mut lines = Vec::new();
    let mut oses = vec![Os::Helctic];
    if with_linux {
        oses.push(Os::Linux);
    }
    for &os in &oses {
        let run = bench_boot(&setup, os, &img, "256M", 1000, &expected(BootKind::Bench))?;
        complete(&run, os, "smoke benchmark")?;
        let mut line = format!("{}: {} metrics", os.name(), run.values.len());
        if let Some(root) = &root {
            let run = debian_boot(&setup, root, os, 1, 1000, &expected(BootKind::Debian))?;
            complete(&run, os, "Debian root smoke benchmark")?;
            line.push_str(&format!(" + {} on the Debian root", run.expected.len()));
        }
        let network = net::smoke(&setup, os)?;
        line.push_str(&format!(" + {network} network"));
        let parallel = smp::smoke(&setup, &img, root.as_ref(), os)?;
        line.push_str(&format!(" + {parallel} on {} vCPUs", smp::CPUS));
        lines.push(line);
    }
    let native = native_boot(&setup, &native_image(native_iterations(1000))?, "256M", 1000)?;
    complete(&native, Os::Helctic, "native smoke benchmark")?;
    lines.push(format!("Helctic native: {} metrics", NATIVE_METRICS.len()));
    let others = personality_boot(&setup, &personality_image(&setup)?, "256M", 1000)?;
    complete(&others, Os::Helctic, "other personalities' smoke benchmark")?;
    lines.push(format!("Helctic's other personalities: {} metrics", PERSONALITY_METRICS.len()));
    if !with_linux {
        lines.push(format!("Linux SKIPPED: apt-get download {}={} failed", linux::PACKAGE, linux::VERSION));
    }
    if let Some(why) = no_root {
        lines.push(format!(
            "Debian root SKIPPED (not root, so `cargo xtask rootfs` cannot build the image): {}",
            why.lines().next().unwrap_or_default()
        ));
    }
    Ok(lines.join(", "))
}

/// Err with what is missing and the end of the serial log unless the boot
/// gave every metric it should and ended cleanly.
fn complete(run: &Run, os: Os, what: &str) -> Result<(), String> {
    let missing = run.missing(os);
    if missing.is_empty() && run.problem.is_none() {
        return Ok(());
    }
    let list: Vec<String> = missing.iter().map(|(m, why)| format!("{m}: {why}")).collect();
    Err(format!(
        "  {} {what} incomplete{}\n  missing: {}\n  last lines of the serial log:\n{}",
        os.name(),
        run.problem.as_deref().map(|p| format!(" ({p})")).unwrap_or_default(),
        list.join("; "),
        run.boot.tail(30).lines().map(|l| format!("    | {l}\n")).collect::<String>()
    ))
}

/// Median of the samples (mean of the middle two for an even count).
pub fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let n = s.len();
    Some(if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A subset of bench.c's rows goes to init after the scale; all of them, none.
    #[test]
    fn rows_reach_init() {
        assert!(bench_append(5).ends_with("-- run 5"));
        assert!(bench_append_rows(5, &["null_syscall", "stat"]).ends_with("-- run 5 null_syscall stat"));
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }

    #[test]
    fn options() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let o = Options::parse(&[]).unwrap();
        assert_eq!((o.runs, o.icount, o.memory.as_str(), o.scale, o.memory_search), (5, false, "256M", 1, true));
        let o = Options::parse(&s(&["--runs", "7", "--icount", "--memory", "512M", "--no-memory-search"])).unwrap();
        assert_eq!((o.runs, o.icount, o.memory.as_str(), o.memory_search), (7, true, "512M", false));
        assert!(o.rows.is_none() && o.wants("parallel_build") && o.wants("null_syscall"));
        let o = Options::parse(&s(&["--rows", "parallel_null_syscall, parallel_build"])).unwrap();
        assert!(o.wants("parallel_build") && !o.wants("parallel_fork_exit") && !o.wants("null_syscall"));
        assert_eq!(o.wanted(smp::METRICS).len(), 2);
        assert!(Options::parse(&s(&["--rows", "parallel_nonsense"])).unwrap_err().contains("no row"));
        let o = Options::parse(&s(&["--rows", "smp"])).unwrap();
        assert_eq!(o.wanted(smp::METRICS).len(), smp::METRICS.len());
        assert!(!o.wants("null_syscall"));
        assert!(Options::parse(&s(&["--rows", ","])).is_err());
        assert!(Options::parse(&s(&["--runs", "0"])).is_err());
        assert!(Options::parse(&s(&["--bogus"])).is_err());
    }
}
