//! `cargo xtask ltp`: the Linux Test Project's system-call tests, run on
//! this machine and inside Helctic, compared entry by entry.
//!
//! 1. build: LTP's release source, built once as static glibc programs
//!    (build.rs), cached under target/ltp/;
//! 2. runtest/syscalls, parsed (runtest.rs), a subset picked by name;
//! 3. every selected entry natively, in parallel with `--jobs` (native.rs);
//! 4. the entries that passed, inside Helctic in batches, from an ext2 disk
//!    (inside.rs); a kernel fault costs only the batch's boot;
//! 5. target/ltp/results.json and docs/ltp.md (report.rs), failures filed
//!    under a cause derived from the output and the kernel's log (verdict.rs).

mod build;
mod inside;
mod native;
mod report;
mod runtest;
mod verdict;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Args {
    /// Entry names or glob patterns; none: every entry.
    pub patterns: Vec<String>,
    pub jobs: usize,
    pub keep_going: bool,
    pub source: Option<PathBuf>,
    pub timeout: Duration,
    /// Entries per boot inside Helctic.
    pub batch: usize,
    /// Only the native run (no kernel, no QEMU).
    pub native_only: bool,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            patterns: Vec::new(),
            jobs: 1,
            keep_going: false,
            source: None,
            timeout: Duration::from_secs(60),
            batch: 100,
            native_only: false,
        }
    }
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut a = Args::default();
        let mut i = 0;
        let number = |v: Option<&String>, flag: &str| -> Result<u64, String> {
            v.and_then(|s| s.parse::<u64>().ok())
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{flag} needs a positive number"))
        };
        while i < args.len() {
            match args[i].as_str() {
                "--jobs" | "-j" => {
                    i += 1;
                    a.jobs = number(args.get(i), "--jobs")? as usize;
                }
                "--timeout" => {
                    i += 1;
                    a.timeout = Duration::from_secs(number(args.get(i), "--timeout")?);
                }
                "--batch" => {
                    i += 1;
                    a.batch = number(args.get(i), "--batch")? as usize;
                }
                "--source" => {
                    i += 1;
                    a.source = Some(PathBuf::from(args.get(i).ok_or("--source needs a directory")?));
                }
                "--keep-going" => a.keep_going = true,
                "--native-only" => a.native_only = true,
                flag if flag.starts_with('-') => return Err(format!("unknown ltp option `{flag}`")),
                pattern => a.patterns.push(pattern.to_string()),
            }
            i += 1;
        }
        // The full run always goes on past a kernel fault: its figures are
        // the point, and one bad entry must not hide the rest.
        if a.patterns.is_empty() {
            a.keep_going = true;
        }
        Ok(a)
    }
}

fn git(args: &[&str]) -> String {
    Command::new("git")
        .args(args)
        .current_dir(crate::root())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

pub fn run(args: &Args) -> Result<(), String> {
    run_and_report(args).map(|_| ())
}

/// One LTP entry's outcome, for `cargo xtask test`'s ltp group.
pub struct Outcome {
    pub name: String,
    pub native: verdict::Verdict,
    pub inside: Option<verdict::Verdict>,
    /// The cause a failure inside is filed under, or the native output's
    /// last lines when it failed natively.
    pub why: String,
}

/// Runs the selected entries, writes the results (docs/ltp.md only for a
/// full run) and returns each entry's outcome.
pub fn run_and_report(args: &Args) -> Result<Vec<Outcome>, String> {
    let out_dir = crate::root().join("target/ltp");
    let ltp = build::prepare(args.source.as_deref())?;
    let all = runtest::parse(&ltp.runtest()?);
    let selected = runtest::select(&all, &args.patterns);
    if selected.is_empty() {
        return Err(format!("no entry of runtest/syscalls matches {}", args.patterns.join(" ")));
    }
    eprintln!("ltp: LTP {}: {} of {} entries selected", ltp.version, selected.len(), all.len());
    let wanted: Vec<&str> = selected.iter().map(|e| e.program()).collect();
    ltp.build(&wanted, args.patterns.is_empty())?;
    let programs = ltp.programs(&wanted)?;
    let bin = out_dir.join("bin");
    programs.link_dir(&bin)?;

    // Natively first.
    let runnable: Vec<&runtest::Entry> =
        selected.iter().copied().filter(|e| programs.by_name.contains_key(e.program())).collect();
    let native_runs = native::run_all(&runnable, &bin, &out_dir.join("native"), args.timeout, args.jobs);
    let mut native: std::collections::BTreeMap<&str, native::Run> =
        runnable.iter().map(|e| e.name.as_str()).zip(native_runs).collect();
    for e in &selected {
        native.entry(e.name.as_str()).or_insert_with(|| native::Run {
            verdict: verdict::Verdict::Broken,
            status: None,
            seconds: 0.0,
            output: format!("program {} was not built", e.program()),
        });
    }
    let passing: Vec<&runtest::Entry> =
        selected.iter().copied().filter(|e| native[e.name.as_str()].verdict == verdict::Verdict::Pass).collect();
    eprintln!("ltp: {} of {} pass natively", passing.len(), selected.len());

    // Then inside Helctic.
    let mut inside_runs = std::collections::BTreeMap::new();
    if !args.native_only && !passing.is_empty() {
        let kernel =
            crate::build::build_kernel(&crate::build::BuildOptions { release: true, ktest: false, lock_order: true })?;
        let busybox = crate::debian::busybox()?;
        let mut files: Vec<(String, PathBuf)> = Vec::new();
        for e in &passing {
            for (name, path) in programs.with_helpers(e.program()) {
                if !files.iter().any(|(n, _)| n == name) {
                    files.push((name.to_string(), path.to_path_buf()));
                }
            }
        }
        let work = out_dir.join("inside");
        std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
        eprintln!("ltp: making the disk ({} programs)", files.len());
        let disk = inside::make_disk(&files, &work)?;
        let opts = inside::Options {
            kernel: &kernel,
            busybox: &busybox,
            timeout: args.timeout,
            batch: args.batch,
            keep_going: args.keep_going,
        };
        for (name, run, kernel_log) in inside::run_all(&passing, &disk, &opts)? {
            inside_runs.insert(name, (run, kernel_log));
        }
    }

    let records: Vec<report::Record> = selected
        .iter()
        .map(|e| {
            let native = native.remove(e.name.as_str()).expect("every selected entry has a native run");
            let inside = inside_runs.remove(&e.name);
            let cause = match &inside {
                Some((run, log))
                    if native.verdict == verdict::Verdict::Pass && run.verdict != verdict::Verdict::Pass =>
                {
                    Some(verdict::cause(run.verdict, &run.output, log))
                }
                _ => None,
            };
            report::Record {
                name: e.name.clone(),
                command: e.command.clone(),
                native,
                inside: inside.map(|(r, _)| r),
                cause,
            }
        })
        .collect();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let dirty =
        if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() { "" } else { " (with local changes)" };
    let summary = report::Summary {
        date,
        commit: format!("{}{dirty}", git(&["rev-parse", "--short", "HEAD"])),
        ltp_version: ltp.version.clone(),
        total_entries: all.len(),
        patterns: &args.patterns,
        timeout_secs: args.timeout.as_secs(),
        records: &records,
    };
    // A subset keeps its own results: the full run's stay for comparison.
    let json = out_dir.join(if args.patterns.is_empty() { "results.json" } else { "results-subset.json" });
    std::fs::write(&json, summary.json()).map_err(|e| format!("{}: {e}", json.display()))?;
    let md = if args.patterns.is_empty() && !args.native_only {
        crate::root().join("docs/ltp.md")
    } else {
        out_dir.join("ltp.md")
    };
    std::fs::write(&md, summary.markdown()).map_err(|e| format!("{}: {e}", md.display()))?;
    println!("ltp: {}", summary.counts_line());
    println!("ltp: wrote {} and {}", json.display(), md.display());
    Ok(records
        .into_iter()
        .map(|r| {
            let why = match (&r.inside, &r.cause) {
                (_, Some(cause)) => cause.clone(),
                (None, _) => r
                    .native
                    .output
                    .lines()
                    .rev()
                    .take(5)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => String::new(),
            };
            Outcome { name: r.name, native: r.native.verdict, inside: r.inside.map(|i| i.verdict), why }
        })
        .collect())
}

/// The fixed subset `cargo xtask test` runs (tests/ltp/subset.txt: one
/// entry name per line, `#` comments).
pub fn subset() -> Result<Vec<String>, String> {
    let path = crate::root().join("tests/ltp/subset.txt");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// `cargo xtask test`'s ltp group: every entry of the subset must pass
/// natively (else the subset is wrong for this host) and inside Helctic.
pub fn subset_test() -> Result<Vec<(String, Result<String, String>)>, String> {
    let patterns = subset()?;
    let args = Args {
        patterns: patterns.clone(),
        jobs: 2,
        keep_going: true,
        timeout: std::time::Duration::from_secs(60),
        batch: 100,
        ..Args::default()
    };
    let outcomes = run_and_report(&args)?;
    let mut results = Vec::new();
    for name in &patterns {
        let result = match outcomes.iter().find(|o| &o.name == name) {
            None => Err(format!("  {name} is not an entry of runtest/syscalls")),
            Some(o) if o.native != verdict::Verdict::Pass => {
                Err(format!("  natively: {:?}\n  {}", o.native, o.why.replace('\n', "\n  ")))
            }
            Some(o) if o.inside == Some(verdict::Verdict::Pass) => Ok("passes natively and inside".to_string()),
            Some(o) => Err(format!("  inside Helctic: {:?}: {}", o.inside, o.why)),
        };
        results.push((format!("ltp::{name}"), result));
    }
    Ok(results)
}
