//! `cargo xtask lint`: the checks CI runs before the tests.
//!
//! - `cargo fmt --check` over the three workspaces (host crates and xtask,
//!   the kernel, the native programs) and the vDSO source, with the one
//!   `rustfmt.toml` at the root;
//! - `cargo clippy` over the same, warnings denied. The kernel and the
//!   native programs are checked for the host target: clippy needs only
//!   type information, and the host is the one target whose standard library
//!   every machine here has (the bare-metal build uses another rustc);
//! - the architecture-name check: outside an `arch/` directory no source
//!   names an x86 register, trap vector or page-table bit (see
//!   [`ARCH_WORDS`]), so that a second architecture is a new `arch/`
//!   directory and not an edit of the whole kernel;
//! - the lock-order check: the kernel's lock classes and ranks
//!   (`kernel/src/sync/lock_order.rs`) and ARCHITECTURE.md's "Lock order"
//!   table agree (`crate::lock_order_doc`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Lints that stay allowed, and why. Everything else clippy warns of fails.
const ALLOWED_LINTS: &[(&str, &str)] = &[
    // `!a && !(b && c)` reads as the rule it states; clippy's rewrite
    // `!(a || b && c)` does not.
    ("clippy::nonminimal_bool", "the rewrite hides the rule"),
    // A tuple named once, beside its only use, is clearer than an alias.
    ("clippy::type_complexity", "local tuples"),
    // Its suggestion drops the branch that does the rest of the work.
    ("clippy::manual_checked_ops", "branches with more than the division"),
    // Reply values and state machines are small Copy types or one per mount.
    ("clippy::large_enum_variant", "Copy replies and per-mount state"),
];

/// Words that name x86 hardware: general registers, control registers and
/// the instructions and structures only x86 has. Matched as whole words.
const ARCH_WORDS: &[&str] = &[
    "rax",
    "rbx",
    "rcx",
    "rdx",
    "rsi",
    "rdi",
    "rsp",
    "rbp",
    "rip",
    "rflags",
    "eflags",
    "r8",
    "r9",
    "r10",
    "r11",
    "r12",
    "r13",
    "r14",
    "r15",
    "cr2",
    "cr3",
    "fxsave",
    "fxrstor",
    "xsave",
    "xrstor",
    "iretq",
    "sysretq",
    "swapgs",
    "wrmsr",
    "rdmsr",
    "fs_base",
    "gs_base",
    "ioapic",
    "lapic",
    "x2apic",
    "PAGE_PRESENT",
    "PAGE_WRITABLE",
    "PAGE_USER",
    "PAGE_NO_EXECUTE",
    "PAGE_HUGE",
    "PageFlags",
];

/// Crates that describe one architecture's hardware formats and so are arch
/// code wherever they sit: the x86_64 page-table format, and ACPI's tables
/// (whose interrupt-controller entries are x86's and Arm's own).
const ARCH_CRATES: &[&str] = &["crates/paging/", "crates/acpi/"];

/// Files outside `arch/` that still name x86 hardware, from before the
/// check existed. The list may only shrink: a file that no longer needs its
/// entry fails the check until the entry is removed, and a file not listed
/// fails when it names one of [`ARCH_WORDS`].
const ARCH_NAME_DEBT: &[&str] = &[
    "kernel/src/mm/address_space.rs",
    "crates/linux-abi/tests/linux_headers.rs",
    "crates/personality-linux/src/table.rs",
];

pub fn run() -> Result<(), String> {
    let root = crate::root();
    let mut failures = Vec::new();
    for (dir, what) in [(".", "host crates and xtask"), ("kernel", "kernel"), ("user", "native programs")] {
        let dir = root.join(dir);
        if !run_step(&dir, "cargo", &["fmt", "--all", "--check"], &[], what)? {
            failures.push(format!("rustfmt: {what} (run `cargo fmt --all` in {})", dir.display()));
        }
    }
    let vdso = root.join("user/linux-vdso/vdso.rs");
    if !run_step(&root, "rustfmt", &["--edition", "2021", "--check", &vdso.to_string_lossy()], &[], "vDSO")? {
        failures.push("rustfmt: user/linux-vdso/vdso.rs".into());
    }
    let mut clippy_args: Vec<String> = Vec::new();
    clippy_args.extend(["--".into(), "-D".into(), "warnings".into()]);
    for (lint, _why) in ALLOWED_LINTS {
        clippy_args.extend(["-A".into(), lint.to_string()]);
    }
    let lint_target = root.join("target/lint");
    for (dir, extra, what) in [
        (".", &["--workspace", "--all-targets"][..], "host crates and xtask"),
        ("kernel", &[][..], "kernel"),
        // The in-kernel tests are compiled only with this feature.
        ("kernel", &["--features", "ktest"][..], "kernel with ktest"),
        ("user", &["--workspace"][..], "native programs"),
    ] {
        let mut args: Vec<String> = vec!["clippy".into(), "--quiet".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.extend(clippy_args.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let env = [("CARGO_TARGET_DIR", lint_target.join(what.replace(' ', "-")))];
        if !run_step(&root.join(dir), "cargo", &args, &env, what)? {
            failures.push(format!("clippy: {what}"));
        }
    }
    let arch = arch_name_check(&root);
    for problem in &arch {
        eprintln!("lint: {problem}");
    }
    if !arch.is_empty() {
        failures.push(format!("architecture names outside arch/: {} problem(s)", arch.len()));
    }
    let order = crate::lock_order_doc::check(&root);
    for problem in &order {
        eprintln!("lint: lock order: {problem}");
    }
    if !order.is_empty() {
        failures.push(format!("the lock order's source and ARCHITECTURE.md disagree: {} problem(s)", order.len()));
    }
    if failures.is_empty() {
        println!("lint: rustfmt, clippy, the architecture-name check and the lock-order table pass");
        Ok(())
    } else {
        Err(format!("lint failed:\n  {}", failures.join("\n  ")))
    }
}

fn run_step(dir: &Path, program: &str, args: &[&str], env: &[(&str, PathBuf)], what: &str) -> Result<bool, String> {
    eprintln!("lint: {program} {} ({what})", args.join(" "));
    let mut command = Command::new(program);
    command.args(args).current_dir(dir);
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command.status().map_err(|e| {
        format!("cannot run {program}: {e} (the lint needs rustfmt and clippy: `rustup component add rustfmt clippy`)")
    })?;
    Ok(status.success())
}

/// Every `.rs` file under the kernel and the crates that is not inside an
/// `arch/` directory is searched for [`ARCH_WORDS`]; returns what is wrong.
pub fn arch_name_check(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for top in ["kernel/src", "crates"] {
        collect_sources(&root.join(top), &mut files);
    }
    let mut problems = Vec::new();
    let mut debt_used = vec![false; ARCH_NAME_DEBT.len()];
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        if relative.split('/').any(|part| part == "arch") || ARCH_CRATES.iter().any(|c| relative.starts_with(c)) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let hits = arch_words_in(&text);
        let debt = ARCH_NAME_DEBT.iter().position(|d| *d == relative);
        match (hits.first(), debt) {
            (Some(_), Some(i)) => debt_used[i] = true,
            (Some((line, word)), None) => {
                problems.push(format!("{relative}:{line} names `{word}` ({} in all); move it behind arch/", hits.len()))
            }
            (None, _) => {}
        }
    }
    for (i, used) in debt_used.iter().enumerate() {
        if !used {
            problems.push(format!(
                "{} no longer names x86 hardware: remove it from ARCH_NAME_DEBT in xtask/src/lint.rs",
                ARCH_NAME_DEBT[i]
            ));
        }
    }
    problems
}

fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            collect_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (line number, word) of each whole-word occurrence of an [`ARCH_WORDS`]
/// entry, comments included: a comment that explains code in x86 terms
/// belongs beside arch code too.
fn arch_words_in(text: &str) -> Vec<(usize, &'static str)> {
    let mut hits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for word in line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            // Control registers in lower case only: terminals have CR2 and
            // CR3 carriage-return delays.
            let matches = |w: &&&str| if w.starts_with("cr") { **w == word } else { w.eq_ignore_ascii_case(word) };
            if let Some(w) = ARCH_WORDS.iter().find(matches) {
                hits.push((n + 1, *w));
            }
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let hits = arch_words_in("let rax = 1;\nlet rax_like = 2; // RSP here\nprocess(r8x)");
        assert_eq!(hits, vec![(1, "rax"), (2, "rsp")]);
    }

    #[test]
    fn page_bits_are_found() {
        assert_eq!(arch_words_in("flags | PAGE_USER"), vec![(1, "PAGE_USER")]);
    }

    #[test]
    fn terminal_delays_are_not_control_registers() {
        assert_eq!(arch_words_in("const CR3: u32 = 0o3000; // cr3"), vec![(1, "cr3")]);
    }
}
