//! The Linux kernel the benchmarks compare against: Debian bookworm's
//! cloud kernel, fetched unmodified with `apt-get download`, pinned by
//! version and by the SHA-256 of the .deb (as `crate::debian` pins busybox).
//!
//! The pin is the bookworm point-release kernel (bookworm/main), which stays
//! in the archive until the next point release; security updates come and
//! go faster. When Debian drops it, pick the new one with
//! `apt-cache search linux-image cloud-amd64` and
//! `apt-cache policy linux-image-<abi>-cloud-amd64`, then update all three
//! constants together and re-run the benchmarks.
//!
//! Of the package's ~100 MB of modules only the few the storage benchmarks
//! load are kept (`super::modules`); the rest is deleted after unpacking.

use std::path::{Path, PathBuf};
use std::process::Command;

pub const PACKAGE: &str = "linux-image-6.1.0-50-cloud-amd64";
pub const VERSION: &str = "6.1.176-1";
pub const DEB_SHA256: &str = "efe19f605b6f54a8352e68d85a629abb2d30b72a085faef603a9152590baa791";

pub struct LinuxKernel {
    pub vmlinuz: PathBuf,
    /// The virtio-blk modules, in load order (`super::modules`).
    pub modules: Vec<PathBuf>,
}

impl LinuxKernel {
    /// Stands in when a caller boots only Helctic.
    pub fn missing() -> Self {
        LinuxKernel { vmlinuz: PathBuf::from("/nonexistent/vmlinuz"), modules: Vec::new() }
    }
}

fn dir() -> PathBuf {
    crate::root().join("target/debian/linux-cloud")
}

fn deb_name() -> String {
    format!("{PACKAGE}_{VERSION}_amd64.deb")
}

fn sha256_of(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum").arg(path).output().map_err(|e| format!("cannot run sha256sum: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_string())
}

fn find_vmlinuz(unpacked: &Path) -> Option<PathBuf> {
    std::fs::read_dir(unpacked.join("boot"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("vmlinuz-")))
}

/// Downloads (once), checks and unpacks the pinned kernel package.
pub fn fetch() -> Result<LinuxKernel, String> {
    fetch_optional()?.ok_or_else(|| format!("apt-get download {PACKAGE}={VERSION} failed (if Debian has dropped it, see xtask/src/bench/linux.rs for how to move the pin)"))
}

/// As `fetch`, but Ok(None) when the package cannot be downloaded (no
/// network, or Debian has dropped the pinned version); a package that does
/// not match its recorded SHA-256 is still an error.
pub fn fetch_optional() -> Result<Option<LinuxKernel>, String> {
    let dir = dir();
    let unpacked = dir.join("unpacked");
    let modules_dir = dir.join("modules");
    // An unpacked kernel from before the modules were kept has none: the
    // .deb is still here, so it is simply unpacked again.
    if let (Some(vmlinuz), Some(modules)) = (find_vmlinuz(&unpacked), super::modules::kept(&modules_dir)) {
        return Ok(Some(LinuxKernel { vmlinuz, modules }));
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    crate::toolchain::ensure_program("dpkg-deb", "dpkg", "unpacking Debian packages")?;
    let deb = dir.join(deb_name());
    let pinned = format!("{PACKAGE}={VERSION}");
    if !deb.is_file() {
        eprintln!("xtask: downloading {pinned} with apt-get download");
        let _ = Command::new("apt-get").args(["download", &pinned]).current_dir(&dir).status();
    }
    if !deb.is_file() {
        // A fresh machine may need its package lists first.
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        let _ = Command::new("apt-get").args(["download", &pinned]).current_dir(&dir).status();
    }
    if !deb.is_file() {
        return Ok(None);
    }
    let sum = sha256_of(&deb)?;
    if sum != DEB_SHA256 {
        let _ = std::fs::remove_file(&deb);
        return Err(format!("{} has SHA-256 {sum}, not the recorded {DEB_SHA256}; refusing to use it", deb.display()));
    }
    let _ = std::fs::remove_dir_all(&unpacked);
    let status = Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked).status().map_err(|e| e.to_string())?;
    let vmlinuz = find_vmlinuz(&unpacked)
        .filter(|_| status.success())
        .ok_or_else(|| format!("cannot unpack {}", deb.display()))?;
    let modules = super::modules::keep(&unpacked, &modules_dir);
    // Besides the kernel image only those few modules are needed: the
    // modules tree is ~100 MB.
    let _ = std::fs::remove_dir_all(unpacked.join("lib"));
    Ok(Some(LinuxKernel { vmlinuz, modules: modules? }))
}
