//! `cargo xtask bench --profile HZ`: boots Helctic once for each kind of
//! benchmark boot with the kernel's sampling profiler on (`profile=HZ`, see
//! kernel/src/profile.rs) and turns the `PROFILE` lines it prints at power-off
//! into a report per boot: samples by thread, user against kernel, and the
//! kernel functions where the time went, by themselves ("self") and with
//! what they call ("total"). With `--icount` the samples fall every fixed
//! number of guest instructions, so the counts compare run to run.

use super::{Os, Setup};
use std::collections::BTreeMap;
use std::path::Path;

/// Which kinds of benchmark boot to profile.
#[derive(Debug, Clone)]
pub struct Kinds {
    pub native: bool,
    pub bench: bool,
    pub debian: bool,
    /// The network rows to run in the network boot (none: no such boot);
    /// for the host's transfer xtask plays the host's side, as
    /// `super::net` does.
    pub net: Vec<super::Metric>,
}

/// One distinct sample and how often it was taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub count: u64,
    pub thread: String,
    /// Innermost first; empty for user mode.
    pub frames: Vec<String>,
}

/// Parses one `PROFILE` line (see profile::dump in the kernel).
pub fn parse_line(line: &str) -> Option<Sample> {
    let rest = &line[line.find("PROFILE ")? + "PROFILE ".len()..];
    let mut parts = rest.splitn(4, ' ');
    let count = parts.next()?.parse().ok()?;
    let thread = parts.next()?.to_string();
    let frames = match parts.next()? {
        "user" => Vec::new(),
        "kernel" => parts.next()?.split(';').map(|f| f.to_string()).collect(),
        _ => return None,
    };
    Some(Sample { count, thread, frames })
}

/// Puts `profile=HZ` before the `--` that starts init's arguments.
pub fn with_profile(append: &str, hz: u64) -> String {
    match append.find(" -- ") {
        Some(at) => format!("{} profile={hz}{}", &append[..at], &append[at..]),
        None => format!("{append} profile={hz}"),
    }
}

fn top(map: &BTreeMap<String, u64>, n: usize) -> Vec<(&String, u64)> {
    let mut v: Vec<_> = map.iter().map(|(k, &c)| (k, c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.truncate(n);
    v
}

/// The kernel-function tables for `samples`.
fn functions(out: &mut String, samples: &[&Sample], total: u64, rows: usize) {
    let mut own: BTreeMap<String, u64> = BTreeMap::new();
    let mut with_callees: BTreeMap<String, u64> = BTreeMap::new();
    for s in samples {
        if let Some(f) = s.frames.first() {
            *own.entry(f.clone()).or_default() += s.count;
        }
        let mut seen: Vec<&String> = Vec::new();
        for f in &s.frames {
            if !seen.contains(&f) {
                seen.push(f);
                *with_callees.entry(f.clone()).or_default() += s.count;
            }
        }
    }
    let pct = |c: u64| 100.0 * c as f64 / total.max(1) as f64;
    out.push_str("  self (samples, % of the group):\n");
    for (f, c) in top(&own, rows) {
        out.push_str(&format!("    {c:7} {:5.1}%  {f}\n", pct(c)));
    }
    out.push_str("  total, callees included (samples, % of the group):\n");
    for (f, c) in top(&with_callees, rows) {
        out.push_str(&format!("    {c:7} {:5.1}%  {f}\n", pct(c)));
    }
}

/// The report for one boot's samples.
pub fn report(title: &str, samples: &[Sample], end: Option<&str>) -> String {
    let mut out = format!("# {title}\n{}\n\n", end.unwrap_or("(no PROFILE-END line: the table was cut short)"));
    let mut threads: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for s in samples {
        let e = threads.entry(s.thread.clone()).or_default();
        if s.frames.is_empty() {
            e.0 += s.count;
        } else {
            e.1 += s.count;
        }
    }
    let all: u64 = samples.iter().map(|s| s.count).sum();
    out.push_str("thread            user  kernel   % of all\n");
    let mut order: Vec<_> = threads.iter().collect();
    order.sort_by_key(|b| std::cmp::Reverse(b.1 .0 + b.1 .1));
    for (t, (u, k)) in &order {
        out.push_str(&format!("{t:<16} {u:6} {k:7}   {:5.1}%\n", 100.0 * (u + k) as f64 / all.max(1) as f64));
    }
    let kernel: Vec<&Sample> = samples.iter().filter(|s| !s.frames.is_empty()).collect();
    let kernel_total: u64 = kernel.iter().map(|s| s.count).sum();
    out.push_str(&format!("\n## kernel, all threads ({kernel_total} samples)\n"));
    functions(&mut out, &kernel, kernel_total, 40);
    for (t, (_, k)) in order.iter().take(4) {
        if *k == 0 {
            continue;
        }
        let mine: Vec<&Sample> = kernel.iter().copied().filter(|s| &s.thread == *t).collect();
        out.push_str(&format!("\n## kernel, thread {t} ({k} samples)\n"));
        functions(&mut out, &mine, *k, 25);
    }
    out
}

/// Boots Helctic for each kind of benchmark boot with the profiler on and
/// writes target/bench/profile-<kind>.txt.
pub fn run(
    setup: &Setup,
    img: &Path,
    root: Option<&super::debian::Root>,
    hz: u64,
    scale: u64,
    memory: &str,
    kinds: Kinds,
) -> Result<(), String> {
    let dir = crate::root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut boots = Vec::new();
    if kinds.native {
        // The native IPC benchmark first: the shortest boot.
        let native = super::native_image(super::native_iterations(scale))?;
        let cfg = setup.config(memory, &native, with_profile(&super::native_boot_args(), hz));
        eprintln!("xtask: bench --profile: the native IPC boot");
        boots.push(("native", setup.boot(Os::Helctic, &cfg, super::bench_timeout(scale, setup.icount))?));
    }
    if kinds.bench {
        let mut cfg = setup.config(memory, img, with_profile(&super::bench_append(scale), hz));
        let disk = setup.disk.fresh_copy(Os::Helctic)?;
        cfg.disk = Some(disk);
        eprintln!("xtask: bench --profile: the benchmark boot");
        boots.push(("bench", setup.boot(Os::Helctic, &cfg, super::bench_timeout(scale, setup.icount))?));
    }
    if let Some(root) = root.filter(|_| kinds.debian) {
        let mut cfg =
            setup.config(super::debian::MEMORY, &root.initrd, with_profile(&super::debian::append(scale), hz));
        let disk = super::debian::fresh_copy(root, Os::Helctic)?;
        cfg.disk = Some(disk.clone());
        eprintln!("xtask: bench --profile: the Debian root boot");
        let boot = setup.boot(Os::Helctic, &cfg, super::bench_timeout(scale, setup.icount));
        let _ = std::fs::remove_file(&disk);
        boots.push(("debian", boot?));
    }
    if !kinds.net.is_empty() {
        let img = super::net::image(setup, &setup.programs.net)?;
        let rows: Vec<&str> = kinds.net.iter().map(|m| m.0).collect();
        eprintln!("xtask: bench --profile: the network boot ({})", rows.join(", "));
        let run = super::net::boot_profiled(setup, Os::Helctic, &img, memory, scale, &kinds.net, Some(hz))?;
        boots.push(("net", run.boot));
    }
    for (kind, boot) in boots {
        super::save_log(Os::Helctic, &format!("profile-{kind}"), &boot);
        let samples: Vec<Sample> = boot.lines.iter().filter_map(|(_, l)| parse_line(l)).collect();
        let end = boot.lines.iter().find(|(_, l)| l.contains("PROFILE-END")).map(|(_, l)| l.trim().to_string());
        if samples.is_empty() {
            return Err(format!("the {kind} boot printed no PROFILE lines ({})", boot.ending()));
        }
        let text = report(
            &format!(
                "Helctic, {kind} boot, profile={hz}, {}",
                if setup.icount { "-icount shift=0" } else { "TCG real time" }
            ),
            &samples,
            end.as_deref(),
        );
        let path = dir.join(format!("profile-{kind}.txt"));
        std::fs::write(&path, &text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("xtask: bench --profile: wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines() {
        let s = parse_line("[  1.0] PROFILE 12 bash kernel a::b;<c as d>::e;f").unwrap();
        assert_eq!(
            s,
            Sample { count: 12, thread: "bash".into(), frames: vec!["a::b".into(), "<c as d>::e".into(), "f".into()] }
        );
        let u = parse_line("PROFILE 3 python3 user").unwrap();
        assert!(u.frames.is_empty() && u.count == 3);
        assert!(parse_line("PROFILE x bash user").is_none());
        assert!(parse_line("PROFILE 3 bash").is_none());
        assert!(parse_line("PROFILE-END samples=3").is_none());
    }

    #[test]
    fn inserts_before_init_arguments() {
        assert_eq!(with_profile("a b -- run 1", 5000), "a b profile=5000 -- run 1");
        assert_eq!(with_profile("a b", 5000), "a b profile=5000");
    }

    #[test]
    fn totals_count_each_function_once_per_sample() {
        let samples = vec![
            Sample { count: 2, thread: "t".into(), frames: vec!["f".into(), "g".into(), "f".into()] },
            Sample { count: 1, thread: "t".into(), frames: vec![] },
        ];
        let r = report("x", &samples, Some("END"));
        assert!(r.contains("t                     1       2"), "{r}");
        assert!(r.contains("      2 100.0%  f"), "{r}");
        assert!(r.contains("      2 100.0%  g"), "{r}");
    }
}
