//! The 4-vCPU rows: the same parallel work, for both kernels, on the
//! benchmark machine with one vCPU and with four (`-smp 1`, `-smp 4`,
//! otherwise `Setup::config`'s machine), and each kernel's speed-up.
//!
//! - `parallel_null_syscall`, `parallel_fork_exit` (bench.c): 4 processes
//!   at once, each running the same loop; they boot the benchmark
//!   initramfs without the disk or Helctic's storage services, init
//!   running only these rows (`-- run SCALE ROW...`).
//! - `parallel_build` (debian.c): Debian's `make -j4` of a generated C
//!   project, on the Debian root (as `super::debian`'s boots, with
//!   `-- SCALE parallel_build`).
//!
//! The work is the same on both machines, so the speed-up is the 1-vCPU
//! time over the 4-vCPU time (for a rate, the 4-vCPU rate over the 1-vCPU
//! one: the same quotient). Rounds alternate like the others: Linux 1,
//! Helctic 1, Linux 4, Helctic 4, then the other way round.
//!
//! Real time only: under `-icount` QEMU runs every vCPU in one host
//! thread in turn (`ICOUNT`), so there is no speed-up to measure.

use super::runner::Run;
use super::{debian, median, Metric, Options, Os, Setup, KERNEL_ARGS};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The vCPUs of the parallel machine (bench.c's NPAR and debian.c's `-j4`
/// are the same number).
pub const CPUS: u32 = 4;

/// The section's heading in docs/benchmarks.md (and how it is found there).
pub const HEADING: &str = "## 4 vCPUs";

/// Why the rows are not measured under `--icount`.
pub const ICOUNT: &str = "with -icount QEMU runs all vCPUs in one host thread, one after another \
     (single-threaded TCG), so 4 vCPUs cannot finish the work sooner than 1 and a speed-up would be meaningless";

/// The rows, in table order: (name in the BENCH line, unit, what it is).
pub const METRICS: &[Metric] = &[
    (
        "parallel_null_syscall",
        "ns",
        "4 processes at once, each 500,000 getppid via syscall(): wall time / 500,000 (per call per process)",
    ),
    (
        "parallel_null_syscall_rate",
        "Mcalls/s",
        "the same, aggregate: the 4 processes' calls per second (higher is better)",
    ),
    ("parallel_fork_exit", "us", "4 processes at once, each 1,000 fork + _exit + wait: wall time / 1,000"),
    ("parallel_fork_exit_rate", "k/s", "the same, aggregate: fork + _exit + wait per second, all 4 (higher is better)"),
    ("parallel_build", "ms", "Debian root: `make -j4` of 16 generated C files (gcc -O2) and their link, wall time"),
];

/// The program row that prints `metric`: a `_rate` comes with its row.
pub fn row(metric: &str) -> &str {
    metric.strip_suffix("_rate").unwrap_or(metric)
}

/// Whether `metric` runs on the Debian root (debian.c) rather than in the
/// benchmark initramfs (bench.c).
pub fn on_debian_root(metric: &str) -> bool {
    metric == "parallel_build"
}

/// Rates are better higher; times lower.
fn higher_is_better(unit: &str) -> bool {
    unit.ends_with("/s")
}

/// The program rows of `metrics`, each once.
fn rows_of(metrics: &[Metric]) -> Vec<&'static str> {
    let mut rows: Vec<&'static str> = Vec::new();
    for m in metrics {
        let r = row(m.0);
        if !rows.contains(&r) {
            rows.push(r);
        }
    }
    rows
}

/// The kernel command line of a bench.c boot running `rows`: no storage
/// services (nor a disk), which these rows do not use.
pub fn append(scale: u64, rows: &[&str]) -> String {
    format!("{KERNEL_ARGS} -- run {scale} {}", rows.join(" "))
}

/// One boot of the benchmark initramfs on `cpus` vCPUs running bench.c's
/// rows for `metrics`.
fn bench_boot(
    setup: &Setup,
    img: &Path,
    os: Os,
    cpus: u32,
    memory: &str,
    scale: u64,
    metrics: &[Metric],
) -> Result<Run, String> {
    let mut cfg = setup.config(memory, img, append(scale, &rows_of(metrics)));
    cfg.cpus = cpus;
    let boot = setup.boot(os, &cfg, super::bench_timeout(scale, setup.icount))?;
    super::save_log(os, &format!("parallel-{cpus}cpu-scale{scale}"), &boot);
    Ok(Run::parse(os, boot, metrics.to_vec()))
}

/// What a machine is: (kernel, vCPUs).
pub type Machine = (Os, u32);

/// The figures of the 4-vCPU rounds.
pub struct Results {
    pub runs: usize,
    pub memory: String,
    pub scale: u64,
    /// The rows measured, in table order.
    pub metrics: Vec<Metric>,
    /// metric -> ((os, vCPUs) -> samples)
    pub samples: BTreeMap<String, BTreeMap<Machine, Vec<f64>>>,
    /// metric -> ((os, vCPUs) -> why some boots had no figure)
    pub failures: BTreeMap<String, BTreeMap<Machine, Vec<String>>>,
    pub notes: Vec<String>,
    pub host_load: (String, String),
}

fn record(run: &Run, machine: Machine, round: usize, r: &mut Results) {
    for (metric, _, _) in &run.expected {
        if let Some(v) = run.values.get(*metric) {
            r.samples.entry(metric.to_string()).or_default().entry(machine).or_default().push(*v);
        }
    }
    for (metric, why) in run.missing(machine.0) {
        r.failures.entry(metric).or_default().entry(machine).or_default().push(format!("boot {}: {why}", round + 1));
    }
}

/// `opts.runs` rounds; each boots both kernels on 1 and on `CPUS` vCPUs,
/// once for bench.c's rows and once for the Debian root's, as `metrics`
/// need.
pub fn run(
    setup: &Setup,
    img: &Path,
    root: Result<&debian::Root, &String>,
    opts: &Options,
    metrics: Vec<Metric>,
) -> Result<Results, String> {
    let bench: Vec<Metric> = metrics.iter().filter(|m| !on_debian_root(m.0)).copied().collect();
    let deb: Vec<Metric> = metrics.iter().filter(|m| on_debian_root(m.0)).copied().collect();
    let mut r = Results {
        runs: opts.runs,
        memory: opts.memory.clone(),
        scale: opts.scale,
        metrics,
        samples: BTreeMap::new(),
        failures: BTreeMap::new(),
        notes: Vec::new(),
        host_load: (super::loadavg(), String::new()),
    };
    eprintln!("xtask: bench: 4-vCPU rows: {} rounds of both kernels on 1 and on {CPUS} vCPUs", opts.runs);
    for round in 0..opts.runs {
        let mut order = vec![(Os::Linux, 1), (Os::Helctic, 1), (Os::Linux, CPUS), (Os::Helctic, CPUS)];
        if round % 2 == 1 {
            order.reverse();
        }
        for (os, cpus) in order {
            let name = format!("{} on {cpus} vCPU{}", os.name(), if cpus == 1 { "" } else { "s" });
            if !bench.is_empty() {
                let run = bench_boot(setup, img, os, cpus, &opts.memory, opts.scale, &bench)?;
                eprintln!("xtask: bench: round {} {name}: {}", round + 1, run.summary());
                record(&run, (os, cpus), round, &mut r);
                if let Some(problem) = &run.problem {
                    r.notes.push(format!("{name} boot {}: {problem}", round + 1));
                }
            }
            if deb.is_empty() {
                continue;
            }
            match root {
                Ok(root) => {
                    let run = super::debian_boot(setup, root, os, cpus, opts.scale, &deb)?;
                    eprintln!("xtask: bench: round {} {name} on the Debian root: {}", round + 1, run.summary());
                    record(&run, (os, cpus), round, &mut r);
                    if let Some(problem) = &run.problem {
                        r.notes.push(format!("{name} Debian root boot {}: {problem}", round + 1));
                    }
                }
                Err(e) => {
                    for (metric, _, _) in &deb {
                        r.failures
                            .entry(metric.to_string())
                            .or_default()
                            .entry((os, cpus))
                            .or_default()
                            .push(format!("boot {}: no Debian root: {e}", round + 1));
                    }
                }
            }
        }
    }
    r.host_load.1 = super::loadavg();
    Ok(r)
}

/// The smoke test's part: one boot of `os` on `CPUS` vCPUs with tiny
/// counts for bench.c's rows, and one on the Debian root if there is one;
/// Err unless every row gave its figure. Returns how many rows did.
pub fn smoke(setup: &Setup, img: &Path, root: Option<&debian::Root>, os: Os) -> Result<usize, String> {
    let bench: Vec<Metric> = METRICS.iter().filter(|m| !on_debian_root(m.0)).copied().collect();
    let run = bench_boot(setup, img, os, CPUS, "256M", 1000, &bench)?;
    super::complete(&run, os, &format!("{CPUS}-vCPU smoke benchmark"))?;
    let mut rows = bench.len();
    if let Some(root) = root {
        let deb: Vec<Metric> = METRICS.iter().filter(|m| on_debian_root(m.0)).copied().collect();
        let run = super::debian_boot(setup, root, os, CPUS, 1000, &deb)?;
        super::complete(&run, os, &format!("{CPUS}-vCPU Debian root smoke benchmark"))?;
        rows += deb.len();
    }
    Ok(rows)
}

/// One table cell's figure: the median, or None with a footnote.
struct Cells<'a> {
    r: &'a Results,
    notes: Vec<String>,
}

impl Cells<'_> {
    fn cell(&mut self, metric: &str, machine: Machine) -> (Option<f64>, String) {
        let samples = self.r.samples.get(metric).and_then(|m| m.get(&machine)).cloned().unwrap_or_default();
        let fails = self.r.failures.get(metric).and_then(|m| m.get(&machine)).cloned().unwrap_or_default();
        let who = format!("{} {} vCPU {metric}", machine.0.name(), machine.1);
        match median(&samples) {
            Some(m) if fails.is_empty() => (Some(m), super::report::fmt(m)),
            Some(m) => {
                self.notes.push(format!(
                    "{who}: only {} of {} boots gave a figure; {}",
                    samples.len(),
                    samples.len() + fails.len(),
                    fails.join("; ")
                ));
                (Some(m), format!("{} [{}]", super::report::fmt(m), self.notes.len()))
            }
            None => {
                let why = if fails.is_empty() { "no figure".to_string() } else { fails.join("; ") };
                self.notes.push(format!("{who}: {why}"));
                (None, format!("n/a [{}]", self.notes.len()))
            }
        }
    }
}

/// `a` over `b` to two places, or n/a.
fn quotient(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}", a / b),
        _ => "n/a".into(),
    }
}

/// The table (Markdown, also what the terminal shows) with its footnotes.
pub fn table(r: &Results) -> String {
    let mut cells = Cells { r, notes: Vec::new() };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "4 vCPUs, TCG, real time; median of {} boots of each kernel on each machine, alternated; -m {} (Debian root: -m {})\n",
        r.runs,
        r.memory,
        debian::MEMORY
    );
    let _ = writeln!(
        s,
        "| metric | Linux 1 vCPU | Linux {CPUS} vCPUs | Linux speed-up | Helctic 1 vCPU | Helctic {CPUS} vCPUs | Helctic speed-up | Helctic/Linux, {CPUS} vCPUs |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|");
    for (metric, unit, what) in &r.metrics {
        let mut line = format!("| {what} ({unit}) |");
        let mut four = BTreeMap::new();
        for os in [Os::Linux, Os::Helctic] {
            let (one, one_cell) = cells.cell(metric, (os, 1));
            let (many, many_cell) = cells.cell(metric, (os, CPUS));
            let speedup = if higher_is_better(unit) { quotient(many, one) } else { quotient(one, many) };
            let _ = write!(line, " {one_cell} | {many_cell} | {speedup} |");
            four.insert(os, many);
        }
        let _ = writeln!(line, " {} |", quotient(four[&Os::Helctic], four[&Os::Linux]));
        s.push_str(&line);
    }
    if !cells.notes.is_empty() {
        s.push('\n');
        for (i, n) in cells.notes.iter().enumerate() {
            let _ = writeln!(s, "[{}] {n}  ", i + 1);
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

/// target/bench/results-smp.json.
pub fn write_json(r: &Results, args: &[String]) -> Result<PathBuf, String> {
    use super::report::{json_num, json_str};
    let mut s = super::report::json_header("smp", args, &r.host_load);
    let _ = writeln!(
        s,
        "  \"machine\": {{\"type\": \"q35\", \"accel\": \"tcg\", \"cpus\": [1, {CPUS}], \"memory\": {}, \"debian_memory\": {}, \"icount\": false}},",
        json_str(&r.memory),
        json_str(debian::MEMORY)
    );
    let rows: Vec<&str> = rows_of(&r.metrics).into_iter().filter(|m| !on_debian_root(m)).collect();
    let _ = writeln!(s, "  \"kernel_args\": {},", json_str(&append(r.scale, &rows)));
    let _ = writeln!(s, "  \"debian_kernel_args\": {},", json_str(&debian::append_rows(r.scale, &["parallel_build"])));
    let _ = writeln!(s, "  \"runs\": {}, \"scale\": {},", r.runs, r.scale);
    s.push_str("  \"metrics\": {\n");
    for (i, (metric, unit, what)) in r.metrics.iter().enumerate() {
        let _ =
            write!(s, "    {}: {{\"unit\": {}, \"description\": {}", json_str(metric), json_str(unit), json_str(what));
        for os in [Os::Linux, Os::Helctic] {
            for cpus in [1, CPUS] {
                let samples = r.samples.get(*metric).and_then(|m| m.get(&(os, cpus))).cloned().unwrap_or_default();
                let fails = r.failures.get(*metric).and_then(|m| m.get(&(os, cpus))).cloned().unwrap_or_default();
                let list: Vec<String> = samples.iter().map(|v| json_num(Some(*v))).collect();
                let flist: Vec<String> = fails.iter().map(|f| json_str(f)).collect();
                let _ = write!(
                    s,
                    ", \"{}_{cpus}cpu\": {{\"median\": {}, \"samples\": [{}], \"failures\": [{}]}}",
                    os.name().to_lowercase(),
                    json_num(median(&samples)),
                    list.join(", "),
                    flist.join(", ")
                );
            }
        }
        s.push_str(if i + 1 == r.metrics.len() { "}\n" } else { "},\n" });
    }
    s.push_str("  },\n");
    let notes: Vec<String> = r.notes.iter().map(|n| json_str(n)).collect();
    let _ = writeln!(s, "  \"problems\": [{}]", notes.join(", "));
    s.push_str("}\n");
    let path = super::report::bench_dir()?.join("results-smp.json");
    std::fs::write(&path, &s).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Rewrites the 4-vCPU section of docs/benchmarks.md.
pub fn write_docs(r: &Results, args: &[String]) -> Result<PathBuf, String> {
    let env = super::report::environment();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let mut sec = String::new();
    let _ = writeln!(sec, "{HEADING} (TCG, real time)\n");
    let _ = writeln!(sec, "- date: {}", env.date);
    let _ = writeln!(sec, "- command: `{}`", super::report::command(args));
    let _ = writeln!(sec, "- Helctic: commit {}, release build", env.commit);
    let _ = writeln!(sec, "- QEMU: {}", env.qemu);
    let _ = writeln!(sec, "- host CPU: {}; load average {} before, {} after", env.cpu, r.host_load.0, r.host_load.1);
    let rows: Vec<&str> = rows_of(&r.metrics).into_iter().filter(|m| !on_debian_root(m)).collect();
    let _ = writeln!(
        sec,
        "- kernels and user land as above; command lines `{}` and, on the Debian root, `{}`",
        append(r.scale, &rows),
        debian::append_rows(r.scale, &["parallel_build"])
    );
    let _ = writeln!(
        sec,
        "\nThe same machine as above with `-smp 1` and with `-smp {CPUS}`, and the same work on both: \
         {CPUS} processes (bench.c's parallel rows: each runs an untimed warm-up, then all are released \
         at once and the clock runs until the last has exited), or `make -j{CPUS}` (debian.c: 16 \
         generated C files, each compiled by Debian's gcc -O2, and their link, in /tmp on the Debian \
         root's ext2 file system, after an untimed `make warm` that runs make, gcc, cc1, as and ld once). \
         The null-syscall and fork rows boot the benchmark initramfs without the disk or the storage \
         services; the build boots the Debian root like the rows above. Rounds alternate Linux 1, \
         Helctic 1, Linux {CPUS}, Helctic {CPUS}, then the other way round; each cell is a median. \
         Speed-up is the 1-vCPU time over the {CPUS}-vCPU time (for a rate, {CPUS}-vCPU over 1-vCPU: \
         the same quotient); Helctic/Linux is that of the {CPUS}-vCPU figures (below 1, Helctic is \
         faster, except for rates).\n\n\
         QEMU runs each vCPU in a host thread of its own (multi-threaded TCG, its default for an x86 \
         guest on an x86 host), so {CPUS} vCPUs run at once only on as many free host cores. This host \
         has {cores}, shared with other work (the load averages above): a speed-up near {cores} is the \
         ceiling here, not {CPUS}, and the figures move with the host's load. They are what was \
         measured, on a loaded {cores}-core host. Not measured under `--icount`: {ICOUNT}.\n"
    );
    sec.push_str(&table(r));
    super::report::write_section("smp", &sec)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// bench.c and debian.c have every row, run only when named, and
    /// report every metric in its unit.
    #[test]
    fn the_programs_agree() {
        let bench = std::fs::read_to_string(crate::root().join("bench/bench.c")).unwrap();
        let deb = std::fs::read_to_string(crate::root().join("bench/debian.c")).unwrap();
        for (m, unit, _) in METRICS {
            let src = if on_debian_root(m) { &deb } else { &bench };
            let r = row(m);
            assert!(src.contains(&format!("{{\"{r}\", b_{r}, 1}}")), "{r} is not a named row");
            let name = if r == *m { "m".to_string() } else { format!("\"{m}\"") };
            assert!(src.contains(&format!("report({name}, ")), "{m} is not reported");
            assert!(src.contains(&format!("\"{unit}\")")), "{m}: no report in {unit}");
        }
        assert!(bench.contains(&format!("#define NPAR {CPUS}\n")));
        assert!(deb.contains(&format!("#define BUILD_JOBS \"-j{CPUS}\"\n")));
    }

    #[test]
    fn rows_and_speedups() {
        assert_eq!(rows_of(METRICS), ["parallel_null_syscall", "parallel_fork_exit", "parallel_build"]);
        assert_eq!(append(1000, &["a", "b"]), format!("{KERNEL_ARGS} -- run 1000 a b"));
        let mut r = Results {
            runs: 1,
            memory: "256M".into(),
            scale: 1,
            metrics: vec![METRICS[0], METRICS[1]],
            samples: BTreeMap::new(),
            failures: BTreeMap::new(),
            notes: vec![],
            host_load: (String::new(), String::new()),
        };
        let put = |r: &mut Results, m: &str, os: Os, cpus: u32, v: f64| {
            r.samples.entry(m.to_string()).or_default().insert((os, cpus), vec![v]);
        };
        put(&mut r, "parallel_null_syscall", Os::Linux, 1, 1600.0);
        put(&mut r, "parallel_null_syscall", Os::Linux, CPUS, 800.0);
        put(&mut r, "parallel_null_syscall", Os::Helctic, 1, 2000.0);
        put(&mut r, "parallel_null_syscall", Os::Helctic, CPUS, 400.0);
        put(&mut r, "parallel_null_syscall_rate", Os::Linux, 1, 2.5);
        put(&mut r, "parallel_null_syscall_rate", Os::Linux, CPUS, 5.0);
        r.failures
            .entry("parallel_null_syscall_rate".into())
            .or_default()
            .insert((Os::Helctic, CPUS), vec!["boot 1: timed out".into()]);
        let t = table(&r);
        assert!(t.contains("| 1600 | 800.0 | 2.00 | 2000 | 400.0 | 5.00 | 0.50 |"), "{t}");
        assert!(t.contains("| 2.50 | 5.00 | 2.00 | n/a [1] | n/a [2] | n/a | n/a |"), "{t}");
        assert!(t.contains("[2] Helctic 4 vCPU parallel_null_syscall_rate: boot 1: timed out"), "{t}");
    }
}
