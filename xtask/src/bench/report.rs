//! The benchmark report: the terminal table, target/bench/results.json and
//! docs/benchmarks.md.
//!
//! docs/benchmarks.md holds one section per mode (TCG real time,
//! `--icount`, and the 4-vCPU rows of `super::smp`); each run rewrites its
//! own section (kept as a fragment under target/bench/) and the page is
//! assembled from the fragments present; a section with no fragment here
//! is kept as the page already has it.

use super::runner::BOOT_METRICS;
use super::{debian, linux_twin, median, net, Os, Results, METRICS, NATIVE_METRICS, PERSONALITY_METRICS};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// A figure with sensible precision for its size.
pub(super) fn fmt(v: f64) -> String {
    if v >= 1000.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// One table row: label, Linux, Helctic, ratio.
struct Row {
    label: String,
    cells: [String; 3],
    notes: Vec<String>,
}

fn rows(r: &Results) -> Vec<Row> {
    let mut out = Vec::new();
    let mut footnote = 0;
    let wanted = |m: &str| r.rows.as_ref().is_none_or(|rows| rows.iter().any(|x| x == m));
    // The network rows only when named (net.rs's results name them all).
    let named = |m: &str| r.rows.as_ref().is_some_and(|rows| rows.iter().any(|x| x == m));
    for (metric, unit, what) in METRICS
        .iter()
        .chain(debian::METRICS)
        .chain(BOOT_METRICS)
        .filter(|m| wanted(m.0))
        .chain(net::METRICS.iter().filter(|m| named(m.0)))
    {
        let mut notes = Vec::new();
        let mut med = |os: Os| -> (Option<f64>, String) {
            let samples = r.samples.get(*metric).and_then(|m| m.get(&os)).cloned().unwrap_or_default();
            let fails = r.failures.get(*metric).and_then(|m| m.get(&os)).cloned().unwrap_or_default();
            match median(&samples) {
                Some(m) => {
                    let mut cell = fmt(m);
                    if !fails.is_empty() {
                        footnote += 1;
                        cell = format!("{cell} [{footnote}]");
                        notes.push(format!(
                            "[{footnote}] {} {metric}: only {} of {} boots gave a figure; {}",
                            os.name(),
                            samples.len(),
                            samples.len() + fails.len(),
                            fails.join("; ")
                        ));
                    }
                    (Some(m), cell)
                }
                None => {
                    footnote += 1;
                    let why = if fails.is_empty() { "no figure".to_string() } else { fails.join("; ") };
                    notes.push(format!("[{footnote}] {} {metric}: {why}", os.name()));
                    (None, format!("n/a [{footnote}]"))
                }
            }
        };
        let (l, lc) = med(Os::Linux);
        let (h, hc) = med(Os::Helctic);
        let ratio = match (l, h) {
            (Some(l), Some(h)) if l > 0.0 => format!("{:.2}", h / l),
            _ => "n/a".into(),
        };
        out.push(Row { label: format!("{what} ({unit})"), cells: [lc, hc, ratio], notes });
    }
    // Native IPC has no Linux counterpart: each figure is set beside
    // Linux's pipe round trip, the nearest thing Linux offers.
    let pipe = r.samples.get("pipe_rtt").and_then(|m| m.get(&Os::Linux)).and_then(|s| median(s));
    for (metric, unit, what) in NATIVE_METRICS.iter().filter(|m| wanted(m.0)) {
        let samples = r.samples.get(*metric).and_then(|m| m.get(&Os::Helctic)).cloned().unwrap_or_default();
        let fails = r.failures.get(*metric).and_then(|m| m.get(&Os::Helctic)).cloned().unwrap_or_default();
        let mut notes = Vec::new();
        let (h, hc) = match median(&samples) {
            Some(m) => (Some(m), fmt(m)),
            None => {
                footnote += 1;
                notes.push(format!(
                    "[{footnote}] Helctic {metric}: {}",
                    if fails.is_empty() { "no figure".to_string() } else { fails.join("; ") }
                ));
                (None, format!("n/a [{footnote}]"))
            }
        };
        let ratio = match (pipe, h) {
            (Some(l), Some(h)) if l > 0.0 => format!("{:.2} of Linux pipe_rtt", h / l),
            _ => "n/a".into(),
        };
        out.push(Row { label: format!("{what} ({unit})"), cells: ["no native ABI".into(), hc, ratio], notes });
    }
    // The other personalities' rows: Helctic running the FreeBSD build of
    // a loop, beside Linux running its Linux build.
    for (metric, unit, what) in PERSONALITY_METRICS.iter().filter(|m| wanted(m.0)) {
        let samples = r.samples.get(*metric).and_then(|m| m.get(&Os::Helctic)).cloned().unwrap_or_default();
        let fails = r.failures.get(*metric).and_then(|m| m.get(&Os::Helctic)).cloned().unwrap_or_default();
        let mut notes = Vec::new();
        let (h, hc) = match median(&samples) {
            Some(m) => (Some(m), fmt(m)),
            None => {
                footnote += 1;
                notes.push(format!(
                    "[{footnote}] Helctic {metric}: {}",
                    if fails.is_empty() { "no figure".to_string() } else { fails.join("; ") }
                ));
                (None, format!("n/a [{footnote}]"))
            }
        };
        let twin = linux_twin(metric);
        let l = twin.and_then(|t| r.samples.get(t)).and_then(|m| m.get(&Os::Linux)).and_then(|s| median(s));
        let ratio = match (l, h) {
            (Some(l), Some(h)) if l > 0.0 => format!("{:.2}", h / l),
            _ => "n/a".into(),
        };
        let lc = match (twin, l) {
            (Some(t), Some(l)) => format!("{} (its `{t}`)", fmt(l)),
            (Some(t), None) => format!("n/a (its `{t}` not measured)"),
            _ => "n/a".into(),
        };
        out.push(Row { label: format!("{what} ({unit})"), cells: [lc, hc, ratio], notes });
    }
    if r.rows.is_some() {
        return out;
    }
    let mem = |os: Os| match r.min_memory.get(&os) {
        Some(Ok(m)) => (Some(*m as f64), format!("{m}")),
        Some(Err(e)) => (None, format!("n/a ({e})")),
        None => (None, "not searched".to_string()),
    };
    let ((l, lc), (h, hc)) = (mem(Os::Linux), mem(Os::Helctic));
    let ratio = match (l, h) {
        (Some(l), Some(h)) => format!("{:.2}", h / l),
        _ => "n/a".into(),
    };
    out.push(Row { label: "smallest -m that boots to the shell (MiB)".into(), cells: [lc, hc, ratio], notes: vec![] });
    let (l, h) = (r.image_size[&Os::Linux] as f64 / 1024.0, r.image_size[&Os::Helctic] as f64 / 1024.0);
    out.push(Row {
        label: "kernel image file size (KiB)".into(),
        cells: [fmt(l), fmt(h), format!("{:.2}", h / l)],
        notes: vec![],
    });
    out
}

fn mode(r: &Results) -> &'static str {
    if r.icount {
        "icount"
    } else {
        "realtime"
    }
}

fn heading(r: &Results) -> String {
    if r.icount {
        "QEMU -icount shift=0 (virtual time: 1 ns per guest instruction, deterministic)".into()
    } else {
        "TCG, real time".into()
    }
}

/// Markdown table with footnotes, also what the terminal shows.
pub fn table(r: &Results) -> String {
    let rows = rows(r);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}; median of {} boots of each kernel, alternated; -m {} for the benchmarks, -m {} for those on the Debian root\n",
        heading(r),
        r.runs,
        r.memory,
        debian::MEMORY
    );
    let _ = writeln!(s, "| metric | Linux | Helctic | Helctic/Linux |");
    let _ = writeln!(s, "|---|---:|---:|---:|");
    for row in &rows {
        let _ = writeln!(s, "| {} | {} | {} | {} |", row.label, row.cells[0], row.cells[1], row.cells[2]);
    }
    let notes: Vec<&String> = rows.iter().flat_map(|r| &r.notes).collect();
    if !notes.is_empty() {
        s.push('\n');
        for n in notes {
            let _ = writeln!(s, "{n}  ");
        }
    }
    if !r.memory_trials.is_empty() {
        let _ = writeln!(
            s,
            "\nMemory search (the image without the disk programs, init runs `/bin/sh -c 'echo BENCH-SHELL-OK'`):\n"
        );
        for (os, trials) in &r.memory_trials {
            let list: Vec<String> = trials.iter().map(|(m, what)| format!("{m}M {what}")).collect();
            let _ = writeln!(s, "- {}: {}", os.name(), list.join("; "));
        }
    }
    if !r.notes.is_empty() {
        let _ = writeln!(s, "\nBoots that did not finish cleanly:\n");
        for n in &r.notes {
            let _ = writeln!(s, "- {n}");
        }
    }
    s
}

pub(super) fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

pub(super) fn json_num(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v}"),
        _ => "null".into(),
    }
}

pub(super) fn bench_dir() -> Result<PathBuf, String> {
    let d = crate::root().join("target/bench");
    std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
    Ok(d)
}

pub(super) fn command(args: &[String]) -> String {
    let mut c = String::from("cargo xtask bench");
    for a in args {
        c.push(' ');
        c.push_str(a);
    }
    c
}

/// The opening of a results file, the same for every mode: when, which
/// build, the command, QEMU, the host and its load before and after.
pub(super) fn json_header(mode: &str, args: &[String], host_load: &(String, String)) -> String {
    let env = environment();
    let mut s = String::from("{\n");
    let _ = writeln!(s, "  \"date\": {},", json_str(&env.date));
    let _ = writeln!(s, "  \"mode\": {},", json_str(mode));
    let _ = writeln!(s, "  \"helctic_commit\": {},", json_str(&env.commit));
    let _ = writeln!(s, "  \"command\": {},", json_str(&command(args)));
    let _ = writeln!(s, "  \"qemu\": {},", json_str(&env.qemu));
    let _ = writeln!(s, "  \"host_cpu\": {},", json_str(&env.cpu));
    let _ = writeln!(
        s,
        "  \"host_loadavg\": {{\"before\": {}, \"after\": {}}},",
        json_str(&host_load.0),
        json_str(&host_load.1)
    );
    s
}

/// target/bench/results.json (the latest run) and results-<mode>.json
/// (results-rows.json for a run of some rows, `--rows`).
pub fn write_json(r: &Results, args: &[String]) -> Result<PathBuf, String> {
    let mut s = json_header(mode(r), args, &r.host_load);
    let _ = writeln!(
        s,
        "  \"machine\": {{\"type\": \"q35\", \"accel\": \"tcg\", \"cpus\": 1, \"memory\": {}, \"icount\": {}}},",
        json_str(&r.memory),
        r.icount
    );
    let _ = writeln!(s, "  \"kernel_args\": {},", json_str(&super::bench_append(r.scale)));
    let _ = writeln!(
        s,
        "  \"linux_package\": {}, \"linux_deb_sha256\": {},",
        json_str(&r.linux_package),
        json_str(&r.linux_sha256)
    );
    let _ = writeln!(s, "  \"busybox\": {},", json_str(&r.busybox));
    let _ = writeln!(
        s,
        "  \"debian_root\": {{\"memory\": {}, \"kernel_args\": {}, \"packages\": {}}},",
        json_str(debian::MEMORY),
        json_str(&debian::append(r.scale)),
        json_str(&r.debian)
    );
    let _ = writeln!(s, "  \"runs\": {}, \"scale\": {},", r.runs, r.scale);
    let rows = r.rows.as_ref().map(|rows| rows.iter().map(|m| json_str(m)).collect::<Vec<_>>().join(", "));
    let _ = writeln!(s, "  \"rows\": {},", rows.map(|l| format!("[{l}]")).unwrap_or_else(|| "\"all\"".into()));
    s.push_str("  \"metrics\": {\n");
    let wanted = |m: &str| r.rows.as_ref().is_none_or(|rows| rows.iter().any(|x| x == m));
    let named = |m: &str| r.rows.as_ref().is_some_and(|rows| rows.iter().any(|x| x == m));
    let all: Vec<_> = METRICS
        .iter()
        .chain(debian::METRICS)
        .chain(BOOT_METRICS)
        .chain(NATIVE_METRICS)
        .chain(PERSONALITY_METRICS)
        .filter(|m| wanted(m.0))
        .chain(net::METRICS.iter().filter(|m| named(m.0)))
        .collect();
    for (i, (metric, unit, what)) in all.iter().enumerate() {
        let _ =
            write!(s, "    {}: {{\"unit\": {}, \"description\": {}", json_str(metric), json_str(unit), json_str(what));
        for os in [Os::Linux, Os::Helctic] {
            let samples = r.samples.get(*metric).and_then(|m| m.get(&os)).cloned().unwrap_or_default();
            let fails = r.failures.get(*metric).and_then(|m| m.get(&os)).cloned().unwrap_or_default();
            let list: Vec<String> = samples.iter().map(|v| json_num(Some(*v))).collect();
            let flist: Vec<String> = fails.iter().map(|f| json_str(f)).collect();
            let _ = write!(
                s,
                ", {}: {{\"median\": {}, \"samples\": [{}], \"failures\": [{}]}}",
                json_str(&os.name().to_lowercase()),
                json_num(median(&samples)),
                list.join(", "),
                flist.join(", ")
            );
        }
        s.push_str(if i + 1 == all.len() { "}\n" } else { "},\n" });
    }
    s.push_str("  },\n");
    let mem = |os: Os| match r.min_memory.get(&os) {
        Some(Ok(m)) => m.to_string(),
        _ => "null".into(),
    };
    let _ = writeln!(s, "  \"min_memory_mib\": {{\"linux\": {}, \"helctic\": {}}},", mem(Os::Linux), mem(Os::Helctic));
    let _ = writeln!(
        s,
        "  \"kernel_image_bytes\": {{\"linux\": {}, \"helctic\": {}}},",
        r.image_size[&Os::Linux],
        r.image_size[&Os::Helctic]
    );
    let trials: Vec<String> = r
        .memory_trials
        .iter()
        .map(|(os, t)| {
            let list: Vec<String> =
                t.iter().map(|(m, what)| format!("{{\"mib\": {m}, \"result\": {}}}", json_str(what))).collect();
            format!("{}: [{}]", json_str(&os.name().to_lowercase()), list.join(", "))
        })
        .collect();
    let _ = writeln!(s, "  \"memory_trials\": {{{}}},", trials.join(", "));
    let notes: Vec<String> = r.notes.iter().map(|n| json_str(n)).collect();
    let _ = writeln!(s, "  \"problems\": [{}]", notes.join(", "));
    s.push_str("}\n");
    let dir = bench_dir()?;
    let kept = if r.rows.is_some() { "rows".to_string() } else { mode(r).to_string() };
    std::fs::write(dir.join(format!("results-{kept}.json")), &s).map_err(|e| e.to_string())?;
    let path = dir.join("results.json");
    std::fs::write(&path, &s).map_err(|e| e.to_string())?;
    Ok(path)
}

pub(super) struct Environment {
    pub date: String,
    /// The Helctic source measured: commit, and whether the tree had changes.
    pub commit: String,
    pub qemu: String,
    pub cpu: String,
}

pub(super) fn environment() -> Environment {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let qemu = crate::toolchain::qemu()
        .ok()
        .and_then(|q| Command::new(q).arg("--version").output().ok())
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(crate::root())
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    // docs/benchmarks.md does not count as a change: the other mode's run
    // has just rewritten it.
    let commit = match (
        git(&["rev-parse", "--short=12", "HEAD"]),
        git(&["status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/benchmarks.md"]),
    ) {
        (Some(c), Some(dirty)) if !c.is_empty() => {
            format!("{c}{}", if dirty.is_empty() { "" } else { " with uncommitted changes" })
        }
        _ => "unknown".into(),
    };
    Environment { date: civil_date(secs), commit, qemu, cpu: format!("{cpu} ({cores} host CPUs visible)") }
}

/// `YYYY-MM-DD HH:MM UTC` from Unix seconds (Howard Hinnant's days-to-civil).
pub fn civil_date(secs: u64) -> String {
    let days = (secs / 86400) as i64;
    let (h, m) = ((secs % 86400) / 3600, (secs % 3600) / 60);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02} UTC")
}

const INTRO: &str = "\
# Benchmarks: Helctic against Linux

Generated by `cargo xtask bench` (xtask/src/bench.rs); do not edit by hand.
The benchmark programs and what each metric times are in `bench/` (see
bench/README.md).

## Method

- Both kernels boot the same initramfs (Debian's busybox-static, `/init`
  from bench/init.c, `/bench/bench`, `/bench/storage` and `/bench/true`,
  all static musl; for the disk also Helctic's native storage services and
  Linux's virtio modules) with the same kernel command line on the same
  QEMU machine: q35, TCG, `-cpu max`, one CPU (except in the 4-vCPU
  section, whose method is given with it), the same `-m` and the same
  disk (built from one `crate::qemu::MachineConfig`). Linux is Debian's
  unmodified cloud kernel; Helctic ignores the Linux-only parameters, and
  Linux passes `services=/native/init` (which starts Helctic's storage
  services) to init's environment, unused.
- The disk metrics run on a fresh copy, for every boot, of one ext2 image
  (64 MiB, 4 KiB blocks, made with `mke2fs`), attached as a modern
  virtio-blk PCI device with QEMU's `cache=writeback`. Helctic reaches it
  through its user-space virtio-blk driver and ext2 server, which native
  init starts and mounts on /mnt before the Linux init runs; Linux through
  its own virtio-blk driver (modules, loaded by bench/storage.c) and its
  ext4 driver (`mount -t ext2`). The image file sits in the host's page
  cache, so a read that is cold for the guest (the file system is
  unmounted and mounted again first) still costs no host disk access.
  After every boot `e2fsck -fn` must find the copy clean.
- The rows marked \"Debian root\" come from boots of their own, -m 1G,
  made in each round after the benchmark boots and in the same order. Both
  kernels boot from a fresh working copy (never the pristine image) of
  target/rootfs/debian.img, the Debian 12 ext2 image of `cargo xtask
  rootfs`, attached as the same virtio-blk disk, with bench/debian.c (built
  with gcc -static, glibc) written into it as /bench/debian, and the same
  initramfs and command line: `root=/dev/vda rootfstype=ext2
  init=/bench/debian -- SCALE`, `services=/native/init` and `norandmaps`
  (see below). Helctic's native init mounts the disk as the Linux root
  through its user-space driver and ext2 server, and /bench/debian runs as
  pid 1 from it. Linux's
  /init (bench/init.c) does what an initramfs does: loads the virtio
  modules, mounts /dev/vda (its ext4 driver serves ext2) with /proc, /sys
  and /dev inside, and runs /bench/debian chrooted there. `bash -c true`
  and `python3 -c pass` are Debian's own dynamically linked programs,
  started by fork + execve + waitpid (the mean of 200 and of 20 runs
  after an untimed tenth as many); the clock rows are 1,000,000 calls of
  clock_gettime(CLOCK_MONOTONIC), through glibc (which calls the vDSO the
  kernel names in AT_SYSINFO_EHDR) and as the raw system call. Linux's
  clocksource, which decides whether its vDSO can avoid the kernel, is in
  each boot's log (target/bench/logs, `BENCH-INFO clocksource`).
- Whole boots alternate in ABBA order (Linux, Helctic, then Helctic, Linux,
  ...); each boot runs every benchmark once and the table gives the median
  over the boots. Footnotes list boots that gave no figure, and why.
- Times are per operation (lower is better), except the bandwidths in
  MB/s, pipe and disk (higher is better). Helctic/Linux below 1 means
  Helctic is faster, except for bandwidth, where above 1 means Helctic is
  faster.
- `boot: QEMU start to init's first line` is wall time measured by xtask
  (QEMU start-up, firmware, for Linux also SeaBIOS's `-kernel` loader and
  decompression of its bzImage; Helctic boots through the PVH entry).
  `boot: kernel entry to starting init` is each kernel's own clock: for
  Linux the printk stamp of \"Run /init as init process\" (its printk clock
  starts early in start_kernel, after decompression, so it slightly flatters
  Linux); for Helctic the stamp of \"started /init as pid 1\" minus the
  kernel-entry time given by its \"boot: kernel ready\" line. Benchmark
  boots carry the disk, so both figures include loading the larger image
  (about 11 MiB, mostly Helctic's native programs; 2 MiB without them), and
  Helctic's wall-clock figure also includes its storage services starting
  and mounting the disk before the Linux init runs (Linux loads its
  drivers and mounts after init started, outside the boot figures).
- The smallest memory is a binary search over `-m` in MiB (1 MiB
  resolution), booting the image without the disk, the native storage
  services and the modules, with init running a busybox shell command; it
  assumes more memory never hurts.

## How to read the figures

Under TCG every figure is that of an emulated CPU: compare the two columns,
never either with hardware. In real-time mode, the cost of an operation is
that of QEMU emulating it, which is far from uniform: page-table switches,
TLB flushes, system-register writes and device I/O are much dearer than
arithmetic, so a kernel that does fewer of them looks better than it would
on hardware. In `--icount` mode QEMU charges exactly 1 ns per guest
instruction, so the figures are instruction counts: deterministic (Helctic's
are identical boot to boot), but blind to cache and TLB behaviour, and a
`rep movsb` costs one instruction per byte copied. Neither mode is
hardware; the two together bracket it better than either. Real-time runs are
also sensitive to other load on the host (its load average is recorded).

Linux's address-space randomization is turned off (`norandmaps`) for the
Debian root rows, as Helctic has none: QEMU reuses the code it translated
only at the same virtual addresses, so with the libraries at new addresses
in every process it translates bash's and libc's code afresh for each
`bash -c true`. In real time that made Linux's `bash -c true` about 68 ms
instead of 8.5 ms (a shell loop in the guest, when these rows were added),
a cost of the emulator, not of Linux; `--icount` time does not count
translation.

The disk figures are not deterministic even with `--icount`: while the
guest idles waiting for a disk request, QEMU's virtual clock follows the
host's, so each wait costs host time. A kernel that waits more often (more,
smaller requests; fewer of them in flight) is charged more of it, and its
disk figures vary from boot to boot (the table gives the median).
";

/// Rewrites this mode's section and assembles docs/benchmarks.md.
pub fn write_docs(r: &Results, args: &[String]) -> Result<PathBuf, String> {
    let env = environment();
    let mut sec = String::new();
    let _ = writeln!(sec, "## {}\n", heading(r));
    let _ = writeln!(sec, "- date: {}", env.date);
    let _ = writeln!(sec, "- command: `{}`", command(args));
    let _ = writeln!(sec, "- Helctic: commit {}, release build", env.commit);
    let _ = writeln!(sec, "- QEMU: {}", env.qemu);
    let _ = writeln!(sec, "- host CPU: {}; load average {} before, {} after", env.cpu, r.host_load.0, r.host_load.1);
    let _ = writeln!(
        sec,
        "- Linux: Debian `{}` (.deb SHA-256 `{}`), command line `{}`",
        r.linux_package,
        r.linux_sha256,
        super::bench_append(r.scale)
    );
    let _ = writeln!(sec, "- user land: Debian `{}`, bench/*.c built with musl-gcc -static", r.busybox);
    let _ = writeln!(
        sec,
        "- Debian root rows: target/rootfs/debian.img (Debian 12, `cargo xtask rootfs`: {}), command line `{}`, bench/debian.c built with gcc -static (glibc)",
        r.debian,
        debian::append(r.scale)
    );
    let _ = writeln!(sec);
    sec.push_str(&table(r));
    write_section(mode(r), &sec)
}

/// The sections of docs/benchmarks.md, in page order: fragment name
/// (target/bench/section-NAME.md) and how its heading starts.
const SECTIONS: &[(&str, &str)] = &[
    ("realtime", "## TCG, real time"),
    ("icount", "## QEMU -icount"),
    ("smp", super::smp::HEADING),
    ("net-realtime", net::HEADING_REALTIME),
    ("net-icount", net::HEADING_ICOUNT),
];

/// Keeps `text` as the fragment of section `name` and assembles
/// docs/benchmarks.md: the introduction, then each section from its
/// fragment or, where this tree has none, as the page has it now.
pub(super) fn write_section(name: &str, text: &str) -> Result<PathBuf, String> {
    let dir = bench_dir()?;
    std::fs::write(dir.join(format!("section-{name}.md")), text).map_err(|e| e.to_string())?;
    let path = crate::root().join("docs/benchmarks.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let mut page = String::from(INTRO);
    for (name, heading) in SECTIONS {
        let fragment = std::fs::read_to_string(dir.join(format!("section-{name}.md"))).ok();
        if let Some(s) = fragment.or_else(|| section_of(&old, heading)) {
            page.push('\n');
            page.push_str(&s);
        }
    }
    std::fs::write(&path, page).map_err(|e| e.to_string())?;
    Ok(path)
}

/// The section of `page` whose heading line starts with `heading`, up to
/// the next section's heading (or the end).
fn section_of(page: &str, heading: &str) -> Option<String> {
    let start = page.lines().position(|l| l.starts_with(heading))?;
    let lines: Vec<&str> = page.lines().collect();
    let end = (start + 1..lines.len())
        .find(|&i| SECTIONS.iter().any(|(_, h)| lines[i].starts_with(h)))
        .unwrap_or(lines.len());
    let mut body: Vec<&str> = lines[start..end].to_vec();
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    Some(body.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01 00:00 UTC");
        assert_eq!(civil_date(951_782_400 + 3600 * 13 + 60 * 7), "2000-02-29 13:07 UTC");
        assert_eq!(civil_date(1_735_689_600), "2025-01-01 00:00 UTC");
    }

    #[test]
    fn keeps_sections_it_has_no_fragment_of() {
        let page = format!(
            "{INTRO}\n## TCG, real time\n\n| a | b |\n\n## QEMU -icount shift=0 (x)\n\nic\n\n{} (y)\n\nsmp\n",
            super::super::smp::HEADING
        );
        assert_eq!(section_of(&page, "## TCG, real time").unwrap(), "## TCG, real time\n\n| a | b |\n");
        assert_eq!(section_of(&page, "## QEMU -icount").unwrap(), "## QEMU -icount shift=0 (x)\n\nic\n");
        assert!(section_of(&page, super::super::smp::HEADING).unwrap().ends_with("(y)\n\nsmp\n"));
        assert_eq!(section_of(INTRO, "## TCG, real time"), None);
    }

    #[test]
    fn json_escapes() {
        assert_eq!(json_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(json_num(None), "null");
        assert_eq!(json_num(Some(f64::NAN)), "null");
    }
}
