//! Real, unmodified binaries from Debian's packages, fetched with
//! `apt-get download` and checked against recorded SHA-256 sums.

use std::path::PathBuf;
use std::process::Command;

/// The busybox-static package this project tests against, pinned by
/// version and by the SHA-256 of the .deb. When Debian publishes a new
/// revision, update both together (and re-run the busybox tests).
pub const BUSYBOX_PACKAGE: &str = "busybox-static";
pub const BUSYBOX_VERSION: &str = "1:1.35.0-4+deb12u1+b1";
pub const BUSYBOX_DEB_SHA256: &str = "3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744";

pub struct Busybox {
    pub path: PathBuf,
    pub applets: Vec<String>,
    pub version: String,
    pub sha256: String,
}

fn sha256_of(path: &std::path::Path) -> Result<String, String> {
    let out = Command::new("sha256sum").arg(path).output().map_err(|e| format!("cannot run sha256sum: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_string())
}

/// Downloads (once) and unpacks Debian's busybox-static.
pub fn busybox() -> Result<Busybox, String> {
    let dir = crate::root().join("target/debian");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let unpacked = dir.join("busybox-static");
    let binary = unpacked.join("bin/busybox");
    if !binary.is_file() {
        crate::toolchain::ensure_program("dpkg-deb", "dpkg", "unpacking Debian packages")?;
        let pinned = format!("{BUSYBOX_PACKAGE}={BUSYBOX_VERSION}");
        let deb = find_deb(&dir).or_else(|| {
            eprintln!("xtask: downloading {pinned} with apt-get download");
            let _ = Command::new("apt-get").args(["download", &pinned]).current_dir(&dir).status();
            find_deb(&dir)
        });
        let deb = match deb {
            Some(d) => d,
            None => {
                // A fresh machine may need its package lists first.
                let _ = Command::new("apt-get").args(["update", "-qq"]).status();
                let _ = Command::new("apt-get").args(["download", &pinned]).current_dir(&dir).status();
                find_deb(&dir).ok_or_else(|| format!("apt-get download {pinned} failed"))?
            }
        };
        let sum = sha256_of(&deb)?;
        if sum != BUSYBOX_DEB_SHA256 {
            let _ = std::fs::remove_file(&deb);
            return Err(format!(
                "{} has SHA-256 {sum}, not the recorded {BUSYBOX_DEB_SHA256}; refusing to use it",
                deb.display()
            ));
        }
        let status = Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked).status().map_err(|e| e.to_string())?;
        if !status.success() || !binary.is_file() {
            return Err(format!("cannot unpack {}", deb.display()));
        }
    }
    let version = BUSYBOX_VERSION.to_string();
    let sha256 = BUSYBOX_DEB_SHA256.to_string();
    let out = Command::new(&binary).arg("--list").output().map_err(|e| format!("cannot run busybox --list: {e}"))?;
    let applets = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    Ok(Busybox { path: binary, applets, version, sha256 })
}

fn find_deb(dir: &std::path::Path) -> Option<PathBuf> {
    std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).find(|p| {
        p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("busybox-static_") && n.ends_with(".deb"))
    })
}
