//! Finding a compiler that can build the bare-metal kernel, and the host
//! tools the tests need; installing what is missing when we can.
//!
//! Kernel toolchain, in order of preference:
//! 1. the active rustc has a prebuilt `x86_64-unknown-none` standard library:
//!    a plain stable build, no build-std;
//! 2. the active rustc has `rust-src`: build `core`/`alloc` from source
//!    (build-std, reached on stable through RUSTC_BOOTSTRAP);
//! 3. Debian's `rustc-web` + `rust-web-src` at /usr/bin/rustc, same way.
//!
//! Kernel code itself uses no `#![feature]`; build-std is packaging only.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub const KERNEL_TARGET: &str = "x86_64-unknown-none";

#[derive(Debug, Clone)]
pub struct KernelToolchain {
    /// The rustc to use (passed to cargo as RUSTC).
    pub rustc: PathBuf,
    /// Whether core/alloc must be built from source.
    pub build_std: bool,
    /// Linker to pass with `-C linker=` (None: the target's default rust-lld).
    pub linker: Option<PathBuf>,
    pub description: String,
}

fn sysroot(rustc: &Path) -> Option<PathBuf> {
    let out = Command::new(rustc).args(["--print", "sysroot"]).output().ok()?;
    out.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

fn version(rustc: &Path) -> String {
    Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown rustc".into())
}

pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

fn host_rust_lld(sysroot: &Path) -> Option<PathBuf> {
    let p = sysroot.join("lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld");
    p.is_file().then_some(p)
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// Installs Debian packages when we are root and apt is there; otherwise
/// fails with the exact command for the user to run.
pub fn ensure_packages(packages: &[&str], why: &str) -> Result<(), String> {
    static UPDATED: OnceLock<bool> = OnceLock::new();
    let apt = which("apt-get");
    if apt.is_none() || !is_root() {
        return Err(format!(
            "{why} needs packages that are missing; install them with:\n    sudo apt-get install -y {}",
            packages.join(" ")
        ));
    }
    eprintln!("xtask: installing {} ({why})", packages.join(" "));
    UPDATED.get_or_init(|| {
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        true
    });
    let status = Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("apt-get install {} failed ({status})", packages.join(" ")))
    }
}

/// Makes sure `program` is on PATH, installing `package` if needed.
pub fn ensure_program(program: &str, package: &str, why: &str) -> Result<PathBuf, String> {
    if let Some(p) = which(program) {
        return Ok(p);
    }
    ensure_packages(&[package], why)?;
    which(program).ok_or_else(|| format!("{package} was installed but `{program}` is still not on PATH"))
}

fn find_linker(sysroot: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(p) = which("ld.lld") {
        return Ok(p);
    }
    if let Some(p) = sysroot.and_then(host_rust_lld) {
        return Ok(p);
    }
    ensure_program("ld.lld", "lld", "linking the bare-metal kernel")
}

/// Picks the kernel toolchain once per xtask run.
pub fn kernel_toolchain() -> Result<KernelToolchain, String> {
    static CHOSEN: OnceLock<Result<KernelToolchain, String>> = OnceLock::new();
    CHOSEN.get_or_init(discover).clone()
}

fn discover() -> Result<KernelToolchain, String> {
    let active = std::env::var_os("RUSTC").map(PathBuf::from).or_else(|| which("rustc"));
    if let Some(rustc) = active {
        if let Some(root) = sysroot(&rustc) {
            if root.join("lib/rustlib").join(KERNEL_TARGET).join("lib").is_dir() {
                return Ok(KernelToolchain {
                    description: format!("{} with a prebuilt {KERNEL_TARGET} sysroot", version(&rustc)),
                    rustc,
                    build_std: false,
                    linker: None,
                });
            }
            if root.join("lib/rustlib/src/rust/library/core").is_dir() {
                let linker = find_linker(Some(&root))?;
                return Ok(KernelToolchain {
                    description: format!("{} building core from rust-src", version(&rustc)),
                    rustc,
                    build_std: true,
                    linker: Some(linker),
                });
            }
        }
    }
    let debian = PathBuf::from("/usr/bin/rustc");
    let debian_src = Path::new("/usr/lib/rustlib/src/rust/library/core");
    if !debian.is_file() || !debian_src.is_dir() {
        ensure_packages(
            &["rustc-web", "cargo-web", "rust-web-src", "lld"],
            "building the kernel (no bare-metal Rust target here)",
        )?;
    }
    if !debian.is_file() || !debian_src.is_dir() {
        return Err("Debian's rustc-web/rust-web-src did not provide /usr/bin/rustc and its library source".into());
    }
    let linker = find_linker(None)?;
    Ok(KernelToolchain {
        description: format!("{} (Debian) building core from source", version(&debian)),
        rustc: debian,
        build_std: true,
        linker: Some(linker),
    })
}

/// QEMU for x86_64, installed on demand.
pub fn qemu() -> Result<PathBuf, String> {
    ensure_program("qemu-system-x86_64", "qemu-system-x86", "booting the kernel")
}
