//! The BSD personalities' tests (issue 16), one group per system
//! (`freebsd`, `netbsd`): small C programs written against the system's
//! raw calls (tests/<system>/*.c over its header, bsd.h or nbsd.h, and
//! hello.S; no libc, branded with the system's ELF note), and the Go
//! programs of tests/go built for the system from the same source as their
//! Linux twins.
//!
//! The C programs cannot run natively (the host is Linux): their expected
//! values come from the system's headers and manuals, each check saying
//! which. Each Go program runs natively as its Linux build first; inside
//! Helctic its build for the system must pass as many checks. Everything
//! runs in one boot from busybox's shell, which also pipes Linux and BSD
//! programs together (`mix/pipeline`).

use crate::linux_tests::Verdict;
use crate::qemu::MachineConfig;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// A BSD system with a personality: its name (the test group, the
/// directory under tests/, GOOS) and the Go programs of tests/go whose
/// build for it is tested.
pub struct System {
    pub name: &'static str,
    pub go_programs: &'static [&'static str],
}

/// Every Go program but net_http.go, which needs sockets (not in either
/// personality yet).
const GO_PROGRAMS: &[&str] = &["goroutines_gc", "timers", "files", "exec", "signals", "workload"];

pub const SYSTEMS: &[System] =
    &[System { name: "freebsd", go_programs: GO_PROGRAMS }, System { name: "netbsd", go_programs: GO_PROGRAMS }];

/// The C and assembly programs of tests/<system>, built: name → binary.
pub fn build_c(system: &System) -> Result<BTreeMap<String, PathBuf>, String> {
    let gcc = crate::toolchain::ensure_program("gcc", "gcc", "building the BSD test programs")?;
    let root = crate::root();
    let dir = root.join("tests").join(system.name);
    let out = root.join(format!("target/{}-tests", system.name));
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut sources: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "c" || x == "S"))
        .collect();
    sources.sort();
    let mut built = BTreeMap::new();
    for src in sources {
        let name = src.file_stem().and_then(|s| s.to_str()).ok_or("bad test name")?.to_string();
        let bin = out.join(&name);
        let output = Command::new(&gcc)
            .args(["-nostdlib", "-static", "-no-pie", "-ffreestanding", "-fno-stack-protector", "-fno-builtin"])
            .args(["-O1", "-Wall", "-Werror", "-I"])
            .arg(&dir)
            .arg("-o")
            .arg(&bin)
            .arg(&src)
            .output()
            .map_err(|e| format!("cannot run gcc: {e}"))?;
        if !output.status.success() {
            return Err(format!("gcc {} failed:\n{}", src.display(), String::from_utf8_lossy(&output.stderr)));
        }
        built.insert(name, bin);
    }
    Ok(built)
}

/// Busybox's shell runs a pipeline of Linux and BSD programs (its own
/// printf, the BSD proc.c's `upper` filter, its own sed and wc), and the
/// BSD program's exit status reaches the shell: the `mix/pipeline`
/// verdict. `dir`: where the C programs are installed.
fn pipeline(dir: &str) -> String {
    format!(
        r##"echo '@@BEGIN mix/pipeline'
p=0; f=0
out=$(printf 'one\ntwo\nthree\n' | {dir}/proc upper | sed -n 2p)
if [ "$out" = "TWO" ]; then p=$((p+1)); echo "ok 1 - Linux printf | BSD filter | Linux sed gives TWO"; else f=$((f+1)); echo "not ok 1 - the pipeline gave '$out'"; fi
n=$(head -c 100000 /dev/zero | {dir}/proc upper | wc -c)
if [ "$n" -eq 100000 ]; then p=$((p+1)); echo "ok 2 - 100000 bytes through the BSD filter"; else f=$((f+1)); echo "not ok 2 - $n bytes came through"; fi
{dir}/proc upper < /nonexistent 2>/dev/null; s=$?
if [ "$s" -ne 0 ]; then p=$((p+1)); echo "ok 3 - the shell sees a failed redirection"; else f=$((f+1)); echo "not ok 3 - status $s"; fi
printf 'x' | {dir}/proc upper > /dev/null; s=$?
if [ "$s" -eq 0 ]; then p=$((p+1)); echo "ok 4 - the filter's exit status 0 reaches the shell"; else f=$((f+1)); echo "not ok 4 - status $s"; fi
echo "# passed $p failed $f"
echo "@@END mix/pipeline $f"
"##
    )
}

/// Every program in one boot, from busybox's shell (a Linux program
/// starting BSD ones): `c/<name>`, `go/<name>` and `mix/pipeline`
/// verdicts.
pub fn run_in_helctic(
    system: &System,
    kernel: &std::path::Path,
    c: &BTreeMap<String, PathBuf>,
    go: &BTreeMap<String, PathBuf>,
) -> Result<(BTreeMap<String, Verdict>, crate::harness::Boot), String> {
    let busybox = crate::debian::busybox()?;
    let mut image = crate::userland::busybox_image(&busybox)?;
    let mut script = String::from("#!/bin/sh\nexport PATH=/bin:/sbin TMPDIR=/tmp\ncd /tmp\n");
    let sys = system.name;
    for (kind, programs) in [("c", c), ("go", go)] {
        for (name, bin) in programs {
            image.host_file(&format!("tests/{sys}/{kind}/{name}"), bin)?;
            script.push_str(&format!(
                "echo '@@BEGIN {kind}/{name}'\ntimeout 300 /tests/{sys}/{kind}/{name}\necho \"@@END {kind}/{name} $?\"\n"
            ));
        }
    }
    script.push_str(&pipeline(&format!("/tests/{sys}/c")));
    image.file("init", script.into_bytes(), 0o755);
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "512M".into();
    cfg.initrd = Some(image.write(&format!("{sys}-tests.cpio"))?);
    let boot = crate::harness::boot(kernel, &cfg, Duration::from_secs(900))?;
    Ok((crate::linux_tests::verdicts_between_markers(&boot), boot))
}
