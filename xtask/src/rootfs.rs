//! A Debian 12 (bookworm) root file system on an ext2 disk image, for
//! Helctic to boot as its root and to run Debian's own dynamically linked
//! programs from (`cargo xtask rootfs`, `cargo xtask run --rootfs`).
//!
//! Built from Debian's packages by `mmdebstrap` (as root), customized (host
//! name, fstab, a password-less root and an ordinary `user`), turned into
//! an image by `mke2fs -d` and checked with `e2fsck -fn`. Everything lives
//! in target/rootfs/:
//!
//! | path | what |
//! |---|---|
//! | `debian.img` | the ext2 image (sparse) |
//! | `debian.stamp` | hash of the recipe the image was built from |
//! | `tree/` | the unpacked tree, to run the same binaries natively ([`run_native`]) |
//! | `packages.txt` | `dpkg-query -W` of the tree: every package and version |
//! | `<name>.img` | working copies ([`working_copy`]) |
//!
//! A build goes into `*.new` names and is renamed into place at the end;
//! the stamp is removed first and written last, so an interrupted build
//! never leaves something that looks current.

use crate::storage_tests::{run, tool};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The Debian release the image is made of.
pub const SUITE: &str = "bookworm";

/// The packages installed on top of Debian's `minbase` variant (the
/// Essential and Priority: required packages plus apt).
pub const PACKAGES: &[&str] = &[
    // The shell and the everyday tools.
    "bash",
    "coreutils",
    "findutils",
    "grep",
    "sed",
    "gawk",
    "diffutils",
    "tar",
    "gzip",
    "xz-utils",
    "less",
    "procps",
    "util-linux",
    "ncurses-bin",
    "vim-tiny",
    "file",
    "strace",
    // The debugger, for ptrace's breakpoints, single steps and registers.
    "gdb",
    // Interpreters and a compiler: large dynamically linked programs.
    "python3",
    "perl",
    "sqlite3",
    "make",
    "gcc",
    "libc6-dev",
    "git",
    // Python's own regression tests (`python3 -m test`).
    "libpython3.11-testsuite",
    // The network's everyday tools (`run --rootfs --net`): an HTTP client,
    // and `ip` (which speaks netlink).
    "curl",
    "iproute2",
];

/// Run in the finished tree by mmdebstrap (`--customize-hook`, with the
/// tree as `$1`), in this order. Part of the recipe: changing one rebuilds
/// the image.
const CUSTOMIZE: &[&str] = &[
    // The machine's name, and what it mounts.
    r#"echo helctic > "$1/etc/hostname""#,
    r#"printf '127.0.0.1\tlocalhost helctic\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$1/etc/hosts""#,
    r#"printf '/dev/vda / ext2 defaults 0 1\n' > "$1/etc/fstab""#,
    // mmdebstrap copies this machine's resolv.conf in; the guest's name
    // server is QEMU's user network's (`run --net`).
    r#"printf 'nameserver 10.0.2.3\n' > "$1/etc/resolv.conf""#,
    // root logs in without a password; an ordinary user, so that `ls -l`
    // has user and group names to show. Debian's own tools write
    // passwd, shadow, group, gshadow and the home directory.
    r#"chroot "$1" passwd --quiet --delete root"#,
    r#"chroot "$1" groupadd --gid 1000 user"#,
    r#"chroot "$1" useradd --uid 1000 --gid 1000 --create-home --home-dir /home/user --shell /bin/bash user"#,
    // apt's downloads and package lists (dpkg's status database stays).
    r#"rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/*"#,
];

/// Bumped when the way the image is made changes outside the package list
/// and the hooks (sizing, mke2fs options, layout of target/rootfs).
const FORMAT: u32 = 1;

/// The ext2 block size; the tree's size is counted in these blocks.
const BLOCK: u64 = 4096;
const MIB: u64 = 1024 * 1024;

/// The directory everything lives in.
pub fn dir() -> PathBuf {
    crate::root().join("target/rootfs")
}

/// The pristine image.
pub fn image_path() -> PathBuf {
    dir().join("debian.img")
}

/// The unpacked tree the image was made from.
pub fn tree() -> PathBuf {
    dir().join("tree")
}

fn stamp_path() -> PathBuf {
    dir().join("debian.stamp")
}

/// The mmdebstrap arguments that make the tree in `target`.
fn mmdebstrap_args(target: &Path) -> Vec<String> {
    let mut args =
        vec!["--mode=root".to_string(), "--variant=minbase".into(), format!("--include={}", PACKAGES.join(","))];
    args.extend(CUSTOMIZE.iter().map(|hook| format!("--customize-hook={hook}")));
    args.push(SUITE.into());
    args.push(target.display().to_string());
    args
}

/// Everything the image is made from, as text: its hash is the stamp.
pub fn recipe() -> String {
    let mut text = format!("format {FORMAT}\nsuite {SUITE}\nvariant minbase\n");
    for p in PACKAGES {
        text.push_str(&format!("package {p}\n"));
    }
    for hook in CUSTOMIZE {
        text.push_str(&format!("customize {hook}\n"));
    }
    text
}

fn sha256(data: &[u8]) -> Result<String, String> {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run sha256sum: {e}"))?;
    child.stdin.take().ok_or("sha256sum: no stdin")?.write_all(data).map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().next().map(str::to_string).ok_or_else(|| "sha256sum printed nothing".into())
}

/// The image's size for a tree of `tree_bytes`: a quarter more plus
/// 512 MiB of room for what is written inside Helctic, in whole MiB.
pub fn image_size(tree_bytes: u64) -> u64 {
    let wanted = tree_bytes + tree_bytes / 4 + 512 * MIB;
    wanted.div_ceil(MIB) * MIB
}

/// The inodes to ask mke2fs for: mke2fs's own default for the size (one
/// per 16 KiB), or twice the tree's entries if that is more (Python's test
/// suite is many small files).
pub fn inode_count(image_bytes: u64, tree_entries: u64) -> u64 {
    (image_bytes / 16384).max(tree_entries * 2)
}

/// The tree's size counted as ext2 would store it (every file and
/// directory in whole blocks, short symlinks inside the inode; hard links
/// counted once each) and its number of entries.
fn tree_usage(dir: &Path) -> Result<(u64, u64), String> {
    let (mut bytes, mut entries) = (0u64, 0u64);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))? {
            let entry = entry.map_err(|e| e.to_string())?;
            let meta = entry.path().symlink_metadata().map_err(|e| format!("{}: {e}", entry.path().display()))?;
            entries += 1;
            let blocks = |len: u64| len.div_ceil(BLOCK) * BLOCK;
            if meta.is_dir() {
                bytes += blocks(meta.len().max(1));
                stack.push(entry.path());
            } else if meta.file_type().is_symlink() {
                bytes += if meta.len() < 60 { 0 } else { BLOCK };
            } else {
                bytes += blocks(meta.len());
            }
        }
    }
    Ok((bytes, entries))
}

/// How `ensure` found or made the image.
pub struct Built {
    pub image: PathBuf,
    /// `None`: it was up to date; otherwise how long the build took.
    pub build_time: Option<Duration>,
    /// `e2fsck -fn`'s summary line after a build.
    pub fsck: String,
}

/// The image, built first if it is missing or its recipe changed.
pub fn ensure_image() -> Result<PathBuf, String> {
    ensure(false).map(|b| b.image)
}

/// The image, rebuilt if `force`, missing or stale.
pub fn ensure(force: bool) -> Result<Built, String> {
    let dir = dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    // One build at a time: two test runs must not build into the same
    // temporary names. The lock goes when the file is closed.
    let lock = std::fs::File::create(dir.join(".lock")).map_err(|e| format!("{}: {e}", dir.join(".lock").display()))?;
    lock.lock().map_err(|e| format!("cannot lock {}: {e}", dir.join(".lock").display()))?;
    let want = sha256(recipe().as_bytes())?;
    let current = std::fs::read_to_string(stamp_path()).ok();
    if !force && current.as_deref().map(str::trim) == Some(want.as_str()) && image_path().is_file() && tree().is_dir() {
        return Ok(Built { image: image_path(), build_time: None, fsck: String::new() });
    }
    let started = Instant::now();
    let fsck = build(&want)?;
    Ok(Built { image: image_path(), build_time: Some(started.elapsed()), fsck })
}

/// Renames `from` to `to`, replacing it.
fn rename(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::rename(from, to).map_err(|e| format!("cannot rename {} to {}: {e}", from.display(), to.display()))
}

/// Removes a tree made by mmdebstrap. Never one with something mounted
/// below it: removing files under a bind mount of /dev would remove this
/// machine's device nodes.
fn remove_tree(path: &Path) -> Result<(), String> {
    let mountinfo =
        std::fs::read_to_string("/proc/self/mountinfo").map_err(|e| format!("/proc/self/mountinfo: {e}"))?;
    let inside: Vec<&str> =
        mountinfo.lines().filter_map(|l| l.split(' ').nth(4)).filter(|m| Path::new(m).starts_with(path)).collect();
    if !inside.is_empty() {
        return Err(format!(
            "not removing {}: mounted inside it: {} (unmount them first)",
            path.display(),
            inside.join(" ")
        ));
    }
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

fn remove_file(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

/// Makes the tree, the package list and the image under `.new` names,
/// checks the image, renames them into place and writes the stamp `hash`.
/// Returns e2fsck's summary line.
fn build(hash: &str) -> Result<String, String> {
    if !crate::toolchain::is_root() {
        return Err(format!(
            "building the Debian root file system needs root (mmdebstrap's root mode makes a tree owned by root, \
             which mke2fs -d copies as is); run `cargo xtask rootfs` as root. The recipe:\n    mmdebstrap {}",
            mmdebstrap_args(&tree()).join(" ")
        ));
    }
    if crate::toolchain::which("mmdebstrap").is_none() {
        // arch-test is what mmdebstrap asks for to check that the host can
        // run the target architecture; nothing else it recommends is
        // needed in root mode.
        crate::toolchain::ensure_packages(&["mmdebstrap", "arch-test"], "building the Debian root file system")?;
    }
    if tool("mke2fs").is_err() {
        crate::toolchain::ensure_packages(&["e2fsprogs"], "making the root file system image")?;
    }
    let dir = dir();
    let (tree_new, image_new, packages_new) =
        (dir.join("tree.new"), dir.join("debian.img.new"), dir.join("packages.txt.new"));
    remove_file(&stamp_path())?;
    remove_tree(&tree_new)?;
    remove_file(&image_new)?;

    eprintln!(
        "xtask: building the Debian {SUITE} root file system with mmdebstrap ({} packages; about a minute)",
        PACKAGES.len()
    );
    // In its own mount namespace: the /proc, /dev and /sys mmdebstrap
    // mounts into the tree while it installs vanish with it, even if it is
    // killed; in its own PID namespace, so killing unshare ends all of it.
    let (code, out) = run(Command::new("unshare")
        .args(["--mount", "--propagation", "private", "--pid", "--fork", "--kill-child", "--mount-proc", "mmdebstrap"])
        .args(mmdebstrap_args(&tree_new)))?;
    if code != 0 {
        return Err(format!(
            "mmdebstrap failed (exit {code}); its last lines:\n{}",
            crate::harness::last_lines(&out, 30).join("\n")
        ));
    }

    let admin = tree_new.join("var/lib/dpkg");
    let listing = Command::new("dpkg-query")
        .arg(format!("--admindir={}", admin.display()))
        .args(["-W", "-f", "${Package}\t${Version}\n"])
        .output()
        .map_err(|e| format!("cannot run dpkg-query: {e}"))?;
    if !listing.status.success() {
        return Err(format!("dpkg-query -W on the tree failed: {}", String::from_utf8_lossy(&listing.stderr)));
    }
    std::fs::write(&packages_new, &listing.stdout).map_err(|e| format!("{}: {e}", packages_new.display()))?;

    let (tree_bytes, entries) = tree_usage(&tree_new)?;
    let size = image_size(tree_bytes);
    let inodes = inode_count(size, entries);
    // A sparse file: only what mke2fs writes takes room on the host.
    let file = std::fs::File::create(&image_new).map_err(|e| format!("{}: {e}", image_new.display()))?;
    file.set_len(size).map_err(|e| format!("{}: {e}", image_new.display()))?;
    drop(file);
    let (code, out) = run(Command::new(tool("mke2fs")?)
        .args(["-q", "-t", "ext2", "-b", &BLOCK.to_string(), "-N", &inodes.to_string(), "-L", "debian", "-F", "-d"])
        .arg(&tree_new)
        .arg(&image_new))?;
    if code != 0 {
        return Err(format!("mke2fs -d {} failed (exit {code}):\n{out}", tree_new.display()));
    }
    let (code, out) = run(Command::new(tool("e2fsck")?).arg("-fn").arg(&image_new))?;
    if code != 0 {
        return Err(format!(
            "e2fsck -fn {} is not clean (exit {code}); the image is left there:\n{out}",
            image_new.display()
        ));
    }
    // "debian: 31802/98304 files (0.2% non-contiguous), 151066/310784 blocks"
    let fsck = out.lines().find(|l| l.contains(" files (")).unwrap_or_default().to_string();

    remove_tree(&tree())?;
    rename(&tree_new, &tree())?;
    rename(&packages_new, &dir.join("packages.txt"))?;
    rename(&image_new, &image_path())?;
    let stamp_new = dir.join("debian.stamp.new");
    std::fs::write(&stamp_new, format!("{hash}\n")).map_err(|e| format!("{}: {e}", stamp_new.display()))?;
    rename(&stamp_new, &stamp_path())?;
    Ok(fsck)
}

/// A sparse copy of the pristine image, `target/rootfs/<name>.img`, for a
/// boot that may write to its disk. Replaces an older copy of that name.
pub fn working_copy(name: &str) -> Result<PathBuf, String> {
    if name.is_empty() || name == "debian" || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("bad working copy name `{name}` (letters, digits, - and _; not `debian`)"));
    }
    let image = ensure_image()?;
    let copy = dir().join(format!("{name}.img"));
    let (code, out) = run(Command::new("cp").arg("--sparse=always").arg(&image).arg(&copy))?;
    if code != 0 {
        return Err(format!("cp --sparse=always {} {} failed:\n{out}", image.display(), copy.display()));
    }
    Ok(copy)
}

/// The environment a program run in the tree sees (and nothing else).
pub const NATIVE_ENV: &[(&str, &str)] = &[
    ("HOME", "/root"),
    ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    ("TERM", "dumb"),
    ("LANG", "C.UTF-8"),
];

/// Mounts /proc, /dev and /sys into the tree `$1` and runs the script `$2`
/// with bash as root, chrooted into it. Run by `unshare --mount --pid`, so
/// the mounts exist only in that namespace: they vanish with it, even when
/// something crashes, and the host never sees them.
const CHROOT_SCRIPT: &str = r#"set -e
mount -t proc proc "$1/proc"
mount --rbind /dev "$1/dev"
mount -t sysfs sysfs "$1/sys"
cd /
exec chroot "$1" /bin/bash -c "$2"
"#;

/// Runs `script` with bash inside the tree, natively on this machine, as
/// root, in its own mount and PID namespaces; stops it after `timeout`.
/// The image is not built here: call [`ensure_image`] first.
pub fn run_native(script: &str, timeout: Duration) -> Result<Output, String> {
    let tree = tree();
    if !tree.join("usr/bin/bash").is_file() {
        return Err(format!("no Debian tree at {} (run `cargo xtask rootfs`)", tree.display()));
    }
    // --kill-child: if we kill unshare, the namespace's first process dies
    // and the kernel ends every other process in the namespace with it.
    let mut child = Command::new("unshare")
        .args([
            "--mount",
            "--propagation",
            "private",
            "--pid",
            "--fork",
            "--kill-child",
            "/bin/sh",
            "-c",
            CHROOT_SCRIPT,
            "sh",
        ])
        .arg(&tree)
        .arg(script)
        .env_clear()
        .envs(NATIVE_ENV.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run unshare: {e}"))?;
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut data = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut data);
            }
            data
        })
    };
    let stdout = reader(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = reader(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "the script was still running in {} after {} s; stopped it:\n{script}",
                tree.display(),
                timeout.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output { status, stdout: stdout.join().unwrap_or_default(), stderr: stderr.join().unwrap_or_default() })
}

/// `cargo xtask rootfs [--force]`: prints the image's path.
pub fn command(args: &crate::cli::RootfsArgs) -> Result<(), String> {
    let built = ensure(args.force)?;
    match built.build_time {
        None => eprintln!("xtask: {} is up to date", built.image.display()),
        Some(t) => {
            let packages = std::fs::read_to_string(dir().join("packages.txt")).map(|s| s.lines().count()).unwrap_or(0);
            eprintln!(
                "xtask: built in {:.0} s: {packages} packages (list in {})",
                t.as_secs_f64(),
                dir().join("packages.txt").display()
            );
            eprintln!("xtask: e2fsck -fn: {}", built.fsck);
        }
    }
    eprintln!("xtask: {}", describe_image(&built.image)?);
    println!("{}", built.image.display());
    Ok(())
}

/// "image 1234 MiB, 567 MiB on this disk (sparse)".
pub fn describe_image(image: &Path) -> Result<String, String> {
    use std::os::unix::fs::MetadataExt;
    let meta = image.metadata().map_err(|e| format!("{}: {e}", image.display()))?;
    Ok(format!("image {} MiB, {} MiB of it on this disk (sparse)", meta.len() / MIB, meta.blocks() * 512 / MIB))
}

/// What `cargo xtask run --rootfs` boots: native init and the storage
/// services in the initramfs, with rootfs.manifest, which mounts the disk
/// as the root; nothing else (the Linux init comes from the disk).
pub fn boot_initramfs(net: Option<&crate::network_services::Ethernet>) -> Result<PathBuf, String> {
    let manifest = std::fs::read(crate::root().join("user/manifests/rootfs.manifest"))
        .map_err(|e| format!("rootfs.manifest: {e}"))?;
    let mut image = crate::initramfs::Image::new();
    crate::storage_tests::add_storage_services_with(&mut image, manifest)?;
    match net {
        Some(net) => {
            net.add_to(&mut image)?;
            image.write("rootfs-net.cpio")
        }
        None => image.write("rootfs.cpio"),
    }
}

/// The kernel command line of `cargo xtask run --rootfs`: the storage
/// services, the disk as the root, and Debian's bash as a login shell for
/// init (the words after `--` are init's arguments).
pub fn boot_args() -> String {
    format!("{} root=/dev/vda rootfstype=ext2 init=/bin/bash -- -l", crate::storage_tests::SERVICES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_size_is_a_quarter_more_plus_512_mib_in_whole_mib() {
        assert_eq!(image_size(0), 512 * MIB);
        assert_eq!(image_size(400 * MIB), 1012 * MIB);
        assert_eq!(image_size(1), 513 * MIB);
        assert_eq!(image_size(4 * MIB), 517 * MIB);
        assert_eq!(image_size(4 * MIB + 4), 518 * MIB);
    }

    #[test]
    fn inodes_are_mke2fs_default_or_twice_the_entries() {
        assert_eq!(inode_count(1024 * MIB, 10), 65536);
        assert_eq!(inode_count(1024 * MIB, 50_000), 100_000);
    }

    /// The stamp changes with anything the image is made from.
    #[test]
    fn the_recipe_names_every_package_and_hook() {
        let r = recipe();
        for p in PACKAGES {
            assert!(r.contains(&format!("package {p}\n")), "{p}");
        }
        for h in CUSTOMIZE {
            assert!(r.contains(h), "{h}");
        }
        assert!(r.starts_with(&format!("format {FORMAT}\n")));
    }

    #[test]
    fn the_brief_packages_are_in_the_list() {
        for p in [
            "bash",
            "python3",
            "perl",
            "sqlite3",
            "gcc",
            "libc6-dev",
            "git",
            "strace",
            "gdb",
            "libpython3.11-testsuite",
            "util-linux",
        ] {
            assert!(PACKAGES.contains(&p), "{p}");
        }
        let mut sorted = PACKAGES.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), PACKAGES.len(), "a package is listed twice");
    }

    #[test]
    fn rootfs_manifest_is_storage_manifest_mounting_the_root() {
        let read = |n: &str| std::fs::read_to_string(crate::root().join("user/manifests").join(n)).unwrap();
        let directives = |text: &str| {
            text.lines()
                .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let storage = directives(&read("storage.manifest"));
        let rootfs = directives(&read("rootfs.manifest"));
        assert_eq!(storage.last().map(String::as_str), Some("mount vda ext2 /mnt"));
        assert_eq!(rootfs.last().map(String::as_str), Some("mount vda ext2 /"));
        assert_eq!(
            storage[..storage.len() - 1],
            rootfs[..rootfs.len() - 1],
            "rootfs.manifest must start the same tasks as storage.manifest"
        );
    }

    #[test]
    fn boot_args_put_init_arguments_last() {
        let a = boot_args();
        assert!(a.starts_with("services=/native/init "));
        assert!(a.ends_with(" init=/bin/bash -- -l"));
        assert!(a.contains(" root=/dev/vda rootfstype=ext2 "));
    }

    /// Processes whose root directory is the tree, and mounts inside it,
    /// as this machine sees them.
    fn left_in_tree() -> (Vec<String>, Vec<String>) {
        let tree = tree();
        let processes = std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter(|e| std::fs::read_link(e.path().join("root")).is_ok_and(|r| r.starts_with(&tree)))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let mounts = std::fs::read_to_string("/proc/self/mountinfo")
            .unwrap()
            .lines()
            .filter(|l| l.contains(&*tree.to_string_lossy()))
            .map(str::to_string)
            .collect();
        (processes, mounts)
    }

    #[test]
    #[ignore = "needs root and the tree of `cargo xtask rootfs`"]
    fn run_native_runs_in_the_tree_and_leaves_nothing_behind() {
        let out = run_native("bash --version | head -n 1; ls -l /home; grep -c . /proc/mounts >/dev/null && echo mounted; echo $$; echo oops >&2; exit 3", Duration::from_secs(60)).unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{stdout}");
        assert!(stdout.starts_with("GNU bash, version 5."), "{stdout}");
        assert!(stdout.contains(" user user "), "{stdout}");
        assert!(stdout.contains("mounted\n"), "{stdout}");
        // The script's shell is the first process of its own PID namespace.
        assert!(stdout.lines().any(|l| l == "1"), "{stdout}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "oops\n");
        assert_eq!(left_in_tree(), (vec![], vec![]));

        let started = Instant::now();
        let e = run_native("sleep 300 & sleep 300", Duration::from_secs(2)).unwrap_err();
        assert!(e.contains("still running"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(60));
        // Killing unshare killed the whole namespace: both sleeps are gone.
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(left_in_tree(), (vec![], vec![]));
    }

    #[test]
    fn working_copy_names_stay_in_the_directory() {
        for bad in ["", "debian", "../x", "a/b", "x.img", " "] {
            assert!(working_copy(bad).is_err(), "{bad:?} accepted");
        }
    }
}
