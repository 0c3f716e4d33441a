//! `cargo xtask bench --profile HZ`: boots Helctic once for each kind of
//! benchmark boot with the kernel's sampling profiler on (`profile=HZ`, see
//! kernel/src/profile.rs) and turns the `PROFILE` lines it prints at power-off
//! into a report per boot: samples by thread, user against kernel, and the
//! kernel functions where the time went, by themselves ("self") and with
//! what they call ("total"). With `--icount` the samples fall every fixed
//! number of guest instructions, so the counts compare run to run.

use super::{Os, Setup};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// User mode: the program counter, if the kernel printed it.
    pub user_pc: Option<u64>,
    /// Its function, named from the native program's symbols
    /// (`name_user_samples`).
    pub user_function: Option<String>,
}

/// Parses one `PROFILE` line (see profile::dump in the kernel).
pub fn parse_line(line: &str) -> Option<Sample> {
    let rest = &line[line.find("PROFILE ")? + "PROFILE ".len()..];
    let mut parts = rest.splitn(4, ' ');
    let count = parts.next()?.parse().ok()?;
    let thread = parts.next()?.to_string();
    let (frames, user_pc) = match parts.next()? {
        "user" => {
            let pc = parts.next().and_then(|p| u64::from_str_radix(p.trim().trim_start_matches("0x"), 16).ok());
            (Vec::new(), pc)
        }
        "kernel" => (parts.next()?.split(';').map(|f| f.to_string()).collect(), None),
        _ => return None,
    };
    Some(Sample { count, thread, frames, user_pc, user_function: None })
}

/// Names the user samples of native programs: a thread is named after its
/// program, one of `programs` (name and executable, as
/// `native::build_native` lists them). Linux programs keep their
/// numbers: no native program has their name.
pub fn name_user_samples(samples: &mut [Sample], programs: &[(String, PathBuf)]) {
    let mut tables: BTreeMap<String, Option<Vec<(u64, u64, String)>>> = BTreeMap::new();
    for s in samples.iter_mut() {
        let Some(pc) = s.user_pc else { continue };
        let table = tables.entry(s.thread.clone()).or_insert_with(|| {
            programs.iter().find(|(name, _)| *name == s.thread).and_then(|(_, path)| functions_of(path))
        });
        let Some(table) = table else { continue };
        let at = table.partition_point(|f| f.0 <= pc);
        if let Some((start, size, name)) = at.checked_sub(1).map(|i| &table[i]) {
            if pc < start + (*size).max(1) {
                s.user_function = Some(name.clone());
            }
        }
    }
}

/// A program's functions by address: (start, size, demangled name).
fn functions_of(path: &Path) -> Option<Vec<(u64, u64, String)>> {
    let image = std::fs::read(path).ok()?;
    let file = elf::ElfFile::parse(&image).ok()?;
    let mut functions: Vec<(u64, u64, String)> = file
        .symbol_table()
        .ok()?
        .flatten()
        .filter(|sym| sym.is_defined_function())
        .map(|sym| {
            let raw = String::from_utf8_lossy(sym.name);
            (sym.value, sym.size, format!("{:#}", rustc_demangle::demangle(&raw)))
        })
        .collect();
    functions.sort();
    Some(functions)
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
    for (t, (u, _)) in &order {
        let mut own: BTreeMap<String, u64> = BTreeMap::new();
        for s in samples.iter().filter(|s| &s.thread == *t) {
            if let Some(f) = &s.user_function {
                *own.entry(f.clone()).or_default() += s.count;
            }
        }
        if own.is_empty() {
            continue;
        }
        let named: u64 = own.values().sum();
        out.push_str(&format!("\n## user, thread {t} ({u} samples, {named} of them in a named function)\n"));
        for (f, c) in top(&own, 30) {
            out.push_str(&format!("    {c:7} {:5.1}%  {f}\n", 100.0 * c as f64 / (*u).max(1) as f64));
        }
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
    // The native programs the boots ran (built already: this only lists
    // them), for naming user samples.
    let natives = crate::native::build_native(true)?;
    for (kind, boot) in boots {
        super::save_log(Os::Helctic, &format!("profile-{kind}"), &boot);
        let mut samples: Vec<Sample> = boot.lines.iter().filter_map(|(_, l)| parse_line(l)).collect();
        name_user_samples(&mut samples, &natives);
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
            Sample {
                count: 12,
                thread: "bash".into(),
                frames: vec!["a::b".into(), "<c as d>::e".into(), "f".into()],
                user_pc: None,
                user_function: None
            }
        );
        let u = parse_line("PROFILE 3 python3 user").unwrap();
        assert!(u.frames.is_empty() && u.count == 3 && u.user_pc.is_none());
        let u = parse_line("PROFILE 4 netstack user 0x40a1f0").unwrap();
        assert!(u.frames.is_empty() && u.count == 4 && u.user_pc == Some(0x40a1f0));
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
            Sample {
                count: 2,
                thread: "t".into(),
                frames: vec!["f".into(), "g".into(), "f".into()],
                user_pc: None,
                user_function: None,
            },
            Sample { count: 1, thread: "t".into(), frames: vec![], user_pc: None, user_function: None },
        ];
        let r = report("x", &samples, Some("END"));
        assert!(r.contains("t                     1       2"), "{r}");
        assert!(r.contains("      2 100.0%  f"), "{r}");
        assert!(r.contains("      2 100.0%  g"), "{r}");
    }

    /// User samples are named from the program's ELF symbols: here this
    /// test's own executable, by one of its functions' addresses; a thread
    /// no program is named after stays unnamed.
    #[test]
    fn names_user_samples_from_the_programs_symbols() {
        let exe = std::env::current_exe().unwrap();
        let functions = functions_of(&exe).expect("this test's executable has symbols");
        let (start, _, name) = functions.iter().find(|f| f.2.ends_with("functions_of")).expect("functions_of");
        let thread = exe.file_name().unwrap().to_string_lossy().to_string();
        let line = format!("PROFILE 5 {thread} user {:#x}", start + 1);
        let mut samples = vec![parse_line(&line).unwrap(), parse_line("PROFILE 1 nobody user 0x1000").unwrap()];
        name_user_samples(&mut samples, &[(thread.clone(), exe.clone())]);
        assert_eq!(samples[0].user_function.as_deref(), Some(name.as_str()));
        assert_eq!(samples[1].user_function, None, "no program of that name");
        let r = report("x", &samples, Some("END"));
        assert!(r.contains(&format!("## user, thread {thread} (5 samples, 5 of them in a named function)")), "{r}");
    }
}
