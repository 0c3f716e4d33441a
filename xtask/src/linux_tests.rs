//! The Linux test programs (tests/linux/*.c): built twice (musl-gcc and
//! gcc, both static), run natively first — a test that fails on Linux is
//! a broken test — then run inside Helctic, where each must pass exactly
//! as many checks as it did natively.

use crate::harness;
use crate::initramfs::Image;
use crate::qemu::MachineConfig;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// musl and glibc static, and glibc dynamically linked against this
/// machine's Debian libc (run inside with the same ld.so and libc.so.6).
pub const FLAVOURS: [&str; 3] = ["musl", "glibc", "glibc-dynamic"];

/// The shared libraries the dynamic flavour needs inside Helctic, at the
/// paths Debian's dynamic linker looks for them.
pub const DYNAMIC_RUNTIME: [&str; 3] = [
    "/lib64/ld-linux-x86-64.so.2",
    "/lib/x86_64-linux-gnu/libc.so.6",
    // pthread_exit and pthread_cancel unwind with it (glibc dlopens it).
    "/lib/x86_64-linux-gnu/libgcc_s.so.1",
];

pub struct Built {
    /// (test name, flavour) -> binary
    pub binaries: BTreeMap<(String, &'static str), PathBuf>,
    /// tests/robustness/*.c: run only inside Helctic (see each file's
    /// comment for why they cannot run on the build machine).
    pub robustness: Vec<(String, PathBuf)>,
}

/// The kernel-survival programs, run in Helctic only.
pub const ROBUSTNESS: [&str; 2] = ["syscall_fuzz", "memory_hog"];

fn compile(compiler: &str, src: &Path, out: &Path, extra: &[&str]) -> Result<(), String> {
    let dynamic = extra.contains(&"-dynamic");
    let extra: Vec<&str> = extra.iter().copied().filter(|a| *a != "-dynamic").collect();
    let output = Command::new(compiler)
        .args(if dynamic { &["-O2"][..] } else { &["-static", "-O2"][..] })
        .args(["-Wall", "-Wextra", "-o"])
        .arg(out)
        .arg(src)
        .args(&extra)
        .output()
        .map_err(|e| format!("cannot run {compiler}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{compiler} {} failed:\n{}", src.display(), String::from_utf8_lossy(&output.stderr)));
    }
    if !output.stderr.is_empty() {
        return Err(format!(
            "{compiler} {} warned (tests must build cleanly):\n{}",
            src.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

pub fn build() -> Result<Built, String> {
    crate::toolchain::ensure_program("musl-gcc", "musl-tools", "building the Linux test programs with musl")?;
    crate::toolchain::ensure_program("gcc", "gcc", "building the Linux test programs with glibc")?;
    let root = crate::root();
    let out = root.join("target/linux-tests");
    let mut binaries = BTreeMap::new();
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("tests/linux"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    sources.sort();
    // HELCTIC_LINUX_TESTS=stress,cpus builds (and so runs) only those: to
    // chase one failure without the whole group.
    let only: Option<Vec<String>> =
        std::env::var("HELCTIC_LINUX_TESTS").ok().map(|v| v.split(',').map(str::to_string).collect());
    let wanted = |name: &str| only.as_ref().is_none_or(|o| o.iter().any(|w| w == name));
    sources.retain(|src| src.file_stem().and_then(|s| s.to_str()).is_some_and(wanted));
    for src in &sources {
        let name = src.file_stem().and_then(|s| s.to_str()).ok_or("bad test name")?.to_string();
        for flavour in FLAVOURS {
            let dir = out.join(flavour);
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let bin = dir.join(&name);
            let (cc, extra): (&str, &[&str]) = match flavour {
                "musl" => ("musl-gcc", &[]),
                "glibc" => ("gcc", &["-lpthread"]),
                _ => ("gcc", &["-dynamic", "-lpthread"]),
            };
            compile(cc, src, &bin, extra)?;
            binaries.insert((name.clone(), flavour), bin);
        }
    }
    let mut robustness = Vec::new();
    for name in ROBUSTNESS.iter().filter(|n| wanted(n)) {
        let bin = out.join(name);
        compile("musl-gcc", &root.join(format!("tests/robustness/{name}.c")), &bin, &[])?;
        robustness.push((name.to_string(), bin));
    }
    Ok(Built { binaries, robustness })
}

/// What one run of a test program reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub exit: Option<i32>,
    pub passed: Option<u32>,
    pub failed: Option<u32>,
    pub output: String,
}

impl Verdict {
    pub fn from_output(exit: Option<i32>, output: &str) -> Verdict {
        let mut passed = None;
        let mut failed = None;
        for line in output.lines() {
            if let Some(rest) = line.trim().strip_prefix("# passed ") {
                let mut parts = rest.split_whitespace();
                passed = parts.next().and_then(|n| n.parse().ok());
                if parts.next() == Some("failed") {
                    failed = parts.next().and_then(|n| n.parse().ok());
                }
            }
        }
        Verdict { exit, passed, failed, output: output.to_string() }
    }

    pub fn ok(&self) -> bool {
        self.exit == Some(0) && self.failed == Some(0) && self.passed.is_some_and(|p| p > 0)
    }
}

/// How the harness runs one test (args_env_auxv checks what it is given).
pub fn arguments(name: &str) -> (&'static [&'static str], &'static [(&'static str, &'static str)]) {
    if name == "args_env_auxv" {
        (&["one", "two words", "three"], &[("HELCTIC_TEST", "yes")])
    } else {
        (&[], &[])
    }
}

pub fn run_native(bin: &Path, name: &str) -> Result<Verdict, String> {
    let scratch = tempdir(name)?;
    let (args, env) = arguments(name);
    let mut cmd = Command::new(bin);
    cmd.args(args).env("TMPDIR", &scratch).stdin(Stdio::null()).current_dir(&scratch);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let out = wait_with_timeout(child, Duration::from_secs(120))?;
    let _ = std::fs::remove_dir_all(&scratch);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Ok(Verdict::from_output(out.status.code(), &text))
}

fn tempdir(name: &str) -> Result<PathBuf, String> {
    let d = std::env::temp_dir().join(format!("helctic-native-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
    Ok(d)
}

fn wait_with_timeout(mut child: std::process::Child, limit: Duration) -> Result<std::process::Output, String> {
    let start = std::time::Instant::now();
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            return child.wait_with_output().map_err(|e| e.to_string());
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            return Err(format!("timed out after {} s", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// This machine's dynamic linker and libc (Debian's), where the dynamic
/// flavour's programs look for them. Symbolic links on the host (/lib64 is
/// one in a merged-/usr Debian) are followed: the image holds the files.
pub fn add_dynamic_runtime(image: &mut Image) -> Result<(), String> {
    for lib in DYNAMIC_RUNTIME {
        let real =
            std::fs::canonicalize(lib).map_err(|e| format!("{lib}: {e} (the dynamic tests need Debian's libc6)"))?;
        image.host_file(lib, &real)?;
    }
    Ok(())
}

/// The runner script: each program between markers, with its exit status.
fn runner(built: &Built) -> String {
    let mut s = String::from("#!/bin/sh\nexport PATH=/bin:/sbin TMPDIR=/tmp\ncd /tmp\n");
    for (name, flavour) in built.binaries.keys() {
        let (args, env) = arguments(name);
        let env: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let args: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        s.push_str(&format!("echo '@@BEGIN {flavour}/{name}'\nenv {} timeout 180 /tests/{flavour}/{name} {}\necho \"@@END {flavour}/{name} $?\"\n", env.join(" "), args.join(" ")));
    }
    for (name, _) in &built.robustness {
        s.push_str(&format!("echo '@@BEGIN robustness/{name}'\ntimeout 300 /tests/robustness/{name}\necho \"@@END robustness/{name} $?\"\n"));
    }
    s
}

/// Runs every test inside one Helctic boot; returns verdicts by "flavour/name".
pub fn run_in_helctic(
    kernel: &Path,
    built: &Built,
    busybox: &crate::debian::Busybox,
) -> Result<(BTreeMap<String, Verdict>, harness::Boot), String> {
    let mut image: Image = crate::userland::busybox_image(busybox)?;
    for ((name, flavour), bin) in &built.binaries {
        image.host_file(&format!("tests/{flavour}/{name}"), bin)?;
    }
    add_dynamic_runtime(&mut image)?;
    for (name, bin) in &built.robustness {
        image.host_file(&format!("tests/robustness/{name}"), bin)?;
    }
    image.file("init", runner(built).into_bytes(), 0o755);
    crate::network_services::add(&mut image)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    // The TCP/IP server keeps what inet_loopback.c's 200 connections made
    // it allocate (its heap does not shrink: up to its 48 MiB buffer
    // budget), and every later program of this one boot runs beside it.
    cfg.memory = "384M".into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(image.write("linux-tests.cpio")?);
    let boot = harness::boot(kernel, &cfg, Duration::from_secs(900))?;
    Ok((verdicts_between_markers(&boot), boot))
}

/// The verdicts of a runner that prints `@@BEGIN name`, the program's
/// output, then `@@END name <status>`; a program the boot ended inside
/// (it hung or crashed the machine) gets a verdict without a status.
pub fn verdicts_between_markers(boot: &harness::Boot) -> BTreeMap<String, Verdict> {
    let mut verdicts = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in boot.lines().filter(|l| !harness::is_kernel_log(l)) {
        if let Some(name) = line.strip_prefix("@@BEGIN ") {
            current = Some((name.to_string(), String::new()));
        } else if let Some(rest) = line.strip_prefix("@@END ") {
            let mut parts = rest.rsplitn(2, ' ');
            let code = parts.next().and_then(|c| c.parse().ok());
            if let Some((name, out)) = current.take() {
                verdicts.insert(name, Verdict::from_output(code, &out));
            }
        } else if let Some((_, out)) = current.as_mut() {
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some((name, out)) = current {
        verdicts.insert(name, Verdict::from_output(None, &out));
    }
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_parsing() {
        let v = Verdict::from_output(Some(0), "ok 1 - x\nok 2 - y\n# passed 2 failed 0\n");
        assert_eq!((v.passed, v.failed), (Some(2), Some(0)));
        assert!(v.ok());
        assert!(!Verdict::from_output(Some(1), "# passed 2 failed 0\n").ok());
        assert!(!Verdict::from_output(Some(0), "# passed 1 failed 1\n").ok());
        assert!(!Verdict::from_output(Some(0), "no summary\n").ok());
    }
}
