//! The Go programs (tests/go/*.go): built with Debian's Go as static
//! binaries (`CGO_ENABLED=0`), run natively first (a program failing on
//! Linux is a broken test), then all in one Helctic boot, where each must
//! pass as many checks as natively. The Go runtime uses the kernel harder
//! than C programs do: threads parked and woken all the time, signals for
//! preemption (SIGURG), epoll, clone with CLONE_VFORK for os/exec.

use crate::harness;
use crate::linux_tests::Verdict;
use crate::qemu::MachineConfig;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The programs, built for Linux: name → binary.
pub fn build() -> Result<BTreeMap<String, PathBuf>, String> {
    build_for("linux", None)
}

/// The programs (those named in `only`, or all), built for `goos` from
/// the same sources: Linux's under target/go-tests, another system's under
/// target/go-tests/<goos>.
pub fn build_for(goos: &str, only: Option<&[&str]>) -> Result<BTreeMap<String, PathBuf>, String> {
    let go = crate::toolchain::ensure_program("go", "golang-go", "building the Go test programs")?;
    let root = crate::root();
    let cache = root.join("target/go-tests");
    let out = if goos == "linux" { cache.clone() } else { cache.join(goos) };
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root.join("tests/go"))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "go"))
        .collect();
    sources.sort();
    let mut built = BTreeMap::new();
    for src in sources {
        let name = src.file_stem().and_then(|s| s.to_str()).ok_or("bad Go test name")?.to_string();
        if only.is_some_and(|names| !names.contains(&name.as_str())) {
            continue;
        }
        let bin = out.join(&name);
        let output = Command::new(&go)
            .args(["build", "-trimpath", "-o"])
            .arg(&bin)
            .arg(&src)
            .env("CGO_ENABLED", "0")
            .env("GOOS", goos)
            .env("GOARCH", "amd64")
            // Caches under target/, not in the user's home.
            .env("GOCACHE", cache.join("cache"))
            .env("GOPATH", cache.join("gopath"))
            .env("GOFLAGS", "-mod=mod")
            .output()
            .map_err(|e| format!("cannot run go: {e}"))?;
        if !output.status.success() {
            return Err(format!("go build {} failed:\n{}", src.display(), String::from_utf8_lossy(&output.stderr)));
        }
        built.insert(name, bin);
    }
    Ok(built)
}

pub fn run_native(bin: &Path) -> Result<Verdict, String> {
    let scratch = std::env::temp_dir().join(format!("helctic-go-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let out = Command::new(bin)
        .current_dir(&scratch)
        .env("TMPDIR", &scratch)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(Verdict::from_output(
        out.status.code(),
        &format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    ))
}

/// Every program in one boot (busybox provides /bin/sh for os/exec).
pub fn run_in_helctic(
    kernel: &Path,
    built: &BTreeMap<String, PathBuf>,
) -> Result<(BTreeMap<String, Verdict>, harness::Boot), String> {
    let busybox = crate::debian::busybox()?;
    let mut image = crate::userland::busybox_image(&busybox)?;
    let mut script = String::from("#!/bin/sh\nexport PATH=/bin:/sbin TMPDIR=/tmp\ncd /tmp\n");
    for (name, bin) in built {
        image.host_file(&format!("tests/go/{name}"), bin)?;
        script.push_str(&format!("echo '@@BEGIN {name}'\ntimeout 300 /tests/go/{name}\necho \"@@END {name} $?\"\n"));
    }
    image.file("init", script.into_bytes(), 0o755);
    crate::network_services::add(&mut image)?;
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "512M".into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(image.write("go-tests.cpio")?);
    let boot = harness::boot(kernel, &cfg, Duration::from_secs(900))?;
    Ok((crate::linux_tests::verdicts_between_markers(&boot), boot))
}
