//! The benchmarks on the Debian 12 root file system (`cargo xtask rootfs`,
//! target/rootfs/debian.img): starting Debian's own dynamically linked
//! programs (`bash -c true`, `python3 -c pass`) and reading the clock
//! through the vDSO against the system call (bench/debian.c).
//!
//! Both kernels boot the same image from the same disk: every boot gets a
//! fresh working copy of the pristine image (`crate::rootfs::working_copy`;
//! the pristine image is never attached) with the driver written into it
//! as /bench/debian by `debugfs -w`. Both get one initramfs and one kernel
//! command line (`append`), `root=/dev/vda rootfstype=ext2
//! init=/bench/debian -- SCALE` with `services=` and `norandmaps`, and each
//! ignores what is the other's:
//!
//! - Helctic: native init and the storage services with rootfs.manifest
//!   (as `cargo xtask run --rootfs`) mount the disk as the Linux world's
//!   root, and /bench/debian is pid 1, started from the disk.
//! - Linux: the initramfs's /init (bench/init.c) sees `root=`, loads the
//!   virtio modules, mounts /dev/vda with /proc, /sys and /dev inside, and
//!   runs `init=` chrooted there with the same arguments: what Debian's own
//!   initramfs does, in little (ext2 is served by the built-in ext4
//!   driver, CONFIG_EXT4_USE_FOR_EXT2; only virtio is modular).
//!
//! The boots use -m 1G, as `cargo xtask run --rootfs` does, whatever
//! `--memory` the other benchmarks get.

use super::{Os, Setup};
use crate::initramfs::Image;
use std::path::{Path, PathBuf};

/// The metrics of a Debian root boot, in table order: (name in the BENCH
/// line, unit, what it is).
pub const METRICS: &[(&str, &str, &str)] = &[
    ("bash_c_true", "us", "Debian root: fork + exec `/bin/bash -c true` (dynamic) + wait"),
    ("python3_c_pass", "ms", "Debian root: fork + exec `/usr/bin/python3 -c pass` (dynamic) + wait"),
    ("clock_gettime_vdso", "ns", "Debian root: clock_gettime(CLOCK_MONOTONIC), glibc through the vDSO"),
    ("clock_gettime_syscall", "ns", "Debian root: clock_gettime(CLOCK_MONOTONIC) as a system call"),
];

/// Guest memory of these boots.
pub const MEMORY: &str = "1G";

/// Where the driver lives in the working copy; the `init=` of both kernels.
pub const DRIVER: &str = "/bench/debian";

/// The command line of a Debian root boot. `norandmaps` turns Linux's
/// address-space randomization off (Helctic has none): under TCG it is far
/// from free, because QEMU finds the code it translated for one run only
/// at the same virtual addresses, so with every library at new ones it
/// translates all of bash again for each `bash -c true` (68 ms instead of
/// 8.5 ms when these rows were added; in `--icount` time, which does not
/// count translation, it makes no difference). On hardware it costs
/// next to nothing, so leaving it on would credit Helctic with an
/// emulator's cost.
pub fn append(scale: u64) -> String {
    append_rows(scale, &[])
}

/// As `append`, with debian.c's rows `rows` only (none: its default rows).
pub fn append_rows(scale: u64, rows: &[&str]) -> String {
    let mut s = format!(
        "{} norandmaps {} root=/dev/vda rootfstype=ext2 init={DRIVER} -- {scale}",
        super::KERNEL_ARGS,
        crate::storage_tests::SERVICES
    );
    for r in rows {
        s.push(' ');
        s.push_str(r);
    }
    s
}

/// What the Debian root boots need besides `Setup`.
pub struct Root {
    /// The one initramfs both kernels get.
    pub initrd: PathBuf,
    /// bench/debian.c, static glibc.
    pub driver: PathBuf,
    /// "bash 5.2.15-2+b7, python3.11 3.11.2-6+deb12u6, libc6 2.36-9+deb12u13".
    pub versions: String,
}

/// Builds the driver and the initramfs; the image itself is built if it
/// is missing or stale (`crate::rootfs::ensure_image`, which needs root).
pub fn prepare(setup: &Setup) -> Result<Root, String> {
    crate::rootfs::ensure_image()?;
    crate::toolchain::ensure_program("gcc", "gcc", "building the Debian root benchmark (static glibc)")?;
    let driver = crate::root().join("target/bench/bin/debian");
    // Static glibc, so it needs nothing from the image and no newer glibc
    // than the image's; glibc finds the vDSO through AT_SYSINFO_EHDR in a
    // static program too.
    super::compile_with("gcc", &crate::root().join("bench/debian.c"), &driver)?;
    let mut image = Image::new();
    image.host_file("init", &setup.programs.init)?;
    super::add_linux_modules(&mut image, setup)?;
    let manifest = std::fs::read(crate::root().join("user/manifests/rootfs.manifest"))
        .map_err(|e| format!("rootfs.manifest: {e}"))?;
    crate::storage_tests::add_storage_services_with(&mut image, manifest)?;
    let initrd = image.write("bench-debian.cpio")?;
    Ok(Root { initrd, driver, versions: versions() })
}

/// The versions of what the figures depend on most, from packages.txt.
fn versions() -> String {
    let listed = std::fs::read_to_string(crate::rootfs::dir().join("packages.txt")).unwrap_or_default();
    let wanted = ["bash", "python3.11-minimal", "libc6"];
    let found: Vec<String> = wanted
        .iter()
        .filter_map(|p| {
            listed
                .lines()
                .find_map(|l| l.split_once('\t').filter(|(name, _)| name == p).map(|(name, v)| format!("{name} {v}")))
        })
        .collect();
    if found.is_empty() {
        "unknown (no target/rootfs/packages.txt)".into()
    } else {
        found.join(", ")
    }
}

/// A fresh working copy of the image for one boot of `os`, holding the
/// driver at DRIVER.
pub fn fresh_copy(root: &Root, os: Os) -> Result<PathBuf, String> {
    let copy = crate::rootfs::working_copy(&format!("bench-{}", os.name().to_lowercase()))?;
    put_driver(&copy, &root.driver)?;
    Ok(copy)
}

fn put_driver(image: &Path, driver: &Path) -> Result<(), String> {
    let (dir, _) = DRIVER.rsplit_once('/').ok_or("DRIVER has no directory")?;
    crate::storage_tests::debugfs_on(image, &format!("mkdir {dir}"), true)?;
    // debugfs takes the mode (0755) from the host file, the owner too (root).
    crate::storage_tests::debugfs_on(image, &format!("write {} {DRIVER}", driver.display()), true)?;
    let stat = crate::storage_tests::debugfs(image, &format!("stat {DRIVER}"))?;
    let size = std::fs::metadata(driver).map_err(|e| format!("{}: {e}", driver.display()))?.len();
    if !stat.contains("Mode:  0755") || !stat.contains(&format!("Size: {size}\n")) {
        return Err(format!(
            "{DRIVER} in {} is not the 0755 file of {size} bytes it should be:\n{stat}",
            image.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// debian.c runs and reports every metric of the table, in its unit.
    #[test]
    fn debian_c_agrees() {
        let src = std::fs::read_to_string(crate::root().join("bench/debian.c")).unwrap();
        for (m, unit, _) in METRICS {
            assert!(src.contains(&format!("{{\"{m}\", b_{m}, 0}}")), "{m} is not among debian.c's default rows");
            assert!(src.contains(&format!("\"{unit}\")")), "{m}: no report in {unit}");
        }
        for (m, unit, _) in super::super::smp::METRICS.iter().filter(|m| super::super::smp::on_debian_root(m.0)) {
            assert!(src.contains(&format!("{{\"{m}\", b_{m}, 1}}")), "{m} is not among debian.c's named rows");
            assert!(src.contains(&format!("\"{unit}\")")), "{m}: no report in {unit}");
        }
    }

    #[test]
    fn command_line_gives_both_kernels_the_root_and_the_driver() {
        let a = append(7);
        assert!(
            a.contains(" norandmaps services=/native/init root=/dev/vda rootfstype=ext2 init=/bench/debian -- 7"),
            "{a}"
        );
        assert!(a.starts_with(super::super::KERNEL_ARGS));
        assert!(append_rows(1, &["parallel_build"]).ends_with("init=/bench/debian -- 1 parallel_build"));
    }
}
