//! Storage end to end: an ext2 image made on the host with `mke2fs -d`,
//! served inside Helctic by the user-space virtio-blk driver and ext2
//! server, used by Debian's busybox through an ordinary mount; then checked
//! on the host with `e2fsck -fn` and `debugfs`, and booted a second time.

use crate::harness;
use crate::initramfs::Image;
use crate::qemu::MachineConfig;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const BOOT_TIMEOUT: Duration = Duration::from_secs(300);

/// The content of the 300 KiB file: enough blocks (1 KiB) to need double
/// indirect blocks.
fn big_content() -> Vec<u8> {
    (0..300 * 1024u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
}

pub(crate) fn tool(name: &str) -> Result<PathBuf, String> {
    for dir in ["/usr/sbin", "/sbin", "/usr/bin"] {
        let p = Path::new(dir).join(name);
        if p.exists() {
            return Ok(p);
        }
    }
    Err(format!("{name} not found: install e2fsprogs"))
}

pub(crate) fn run(cmd: &mut Command) -> Result<(i32, String), String> {
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Ok((out.status.code().unwrap_or(-1), text))
}

/// The host's directory tree the image is made from.
fn make_tree(dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    let w = |p: &str, data: &[u8]| std::fs::write(dir.join(p), data).map_err(|e| format!("{p}: {e}"));
    std::fs::create_dir_all(dir.join("dir/sub")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir.join("emptydir")).map_err(|e| e.to_string())?;
    w("hello.txt", b"hello from the host\n")?;
    w("big.bin", &big_content())?;
    w("dir/nested.txt", b"nested file\n")?;
    w("dir/sub/deep.txt", b"deep\n")?;
    w("doomed.txt", b"to be removed\n")?;
    std::fs::hard_link(dir.join("hello.txt"), dir.join("hard.txt")).map_err(|e| e.to_string())?;
    std::os::unix::fs::symlink("hello.txt", dir.join("link")).map_err(|e| e.to_string())?;
    Ok(())
}

/// An initramfs with busybox, every native program, a boot manifest that
/// starts the storage servers and mounts vda on /mnt, and `script` as /init.
pub fn image(busybox: &crate::debian::Busybox, script: &str, name: &str) -> Result<PathBuf, String> {
    image_with_manifest(busybox, script, name, None)
}

/// As `image`, with `manifest` as the boot manifest instead of
/// user/manifests/storage.manifest when given.
pub(crate) fn image_with_manifest(
    busybox: &crate::debian::Busybox,
    script: &str,
    name: &str,
    manifest: Option<String>,
) -> Result<PathBuf, String> {
    let mut img: Image = crate::userland::busybox_image(busybox)?;
    match manifest {
        Some(text) => add_storage_services_with(&mut img, text.into_bytes())?,
        None => add_storage_services(&mut img)?,
    }
    img.file("init", script.as_bytes().to_vec(), 0o755);
    img.write(name)
}

/// Native init, the driver and the ext2 server, with the manifest that
/// mounts vda on /mnt (user/manifests/storage.manifest).
pub fn add_storage_services(img: &mut Image) -> Result<(), String> {
    let manifest = std::fs::read(crate::root().join("user/manifests/storage.manifest"))
        .map_err(|e| format!("storage.manifest: {e}"))?;
    add_storage_services_with(img, manifest)
}

/// The native programs the storage services need: init and the tasks of
/// storage.manifest (the TCP/IP server among them). Only these go into the
/// image, which keeps it (and the time the kernel takes to unpack it) small.
const STORAGE_PROGRAMS: [&str; 4] = ["init", "virtio-blk", "ext2fs", "netstack"];

/// As `add_storage_services`, with another boot manifest.
pub(crate) fn add_storage_services_with(img: &mut Image, manifest: Vec<u8>) -> Result<(), String> {
    let built = crate::native::build_native(true)?;
    for name in STORAGE_PROGRAMS {
        let (_, path) = built
            .iter()
            .find(|(prog, _)| prog == name)
            .ok_or_else(|| format!("native program {name} was not built"))?;
        img.host_file(&format!("native/{name}"), path)?;
    }
    img.file("native/boot.manifest", manifest, 0o644);
    img.file("mnt/.keep", Vec::new(), 0o644);
    crate::network_services::add_hosts(img);
    Ok(())
}

/// The kernel command line that starts the storage services beside the
/// Linux init.
pub const SERVICES: &str = "services=/native/init";

pub(crate) fn boot_with(kernel: &Path, initrd: PathBuf, disk: &Path) -> Result<harness::Boot, String> {
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "256M".into();
    cfg.initrd = Some(initrd);
    cfg.append = SERVICES.into();
    cfg.disk = Some(disk.to_path_buf());
    harness::boot(kernel, &cfg, BOOT_TIMEOUT)
}

/// The lines the test script printed (kernel log lines and native task
/// output left out), between its start and end markers.
pub(crate) fn script_output(boot: &harness::Boot) -> Vec<String> {
    boot.lines()
        .filter(|l| !harness::is_kernel_log(l) && !l.starts_with('['))
        .skip_while(|l| *l != "@@start")
        .map(str::to_string)
        .collect()
}

pub(crate) fn expect(lines: &[String], wanted: &str, boot: &harness::Boot) -> Result<(), String> {
    if lines.iter().any(|l| l == wanted) {
        Ok(())
    } else {
        Err(format!(
            "  missing output line {wanted:?}; script output:\n{}\n  last log lines:\n{}",
            lines.join("\n"),
            boot.tail(40)
        ))
    }
}

const FIRST_BOOT: &str = r#"#!/bin/sh
export PATH=/bin
echo @@start
grep ' /mnt ' /proc/mounts | cut -d' ' -f2,3
echo "statfs $(stat -f -c '%T %S %b %c' /mnt)"
dd if=/dev/zero of=/mnt/zeros bs=1M count=2 2>/dev/null && echo "zeros $(stat -c %s /mnt/zeros)" && rm /mnt/zeros
cat /mnt/hello.txt
cat /mnt/link
cat /mnt/dir/sub/deep.txt
echo "big $(md5sum < /mnt/big.bin | cut -c1-32)"
echo "entries $(ls -a /mnt | tr '\n' ' ')"
echo "written by helctic" > /mnt/new.txt
mkdir /mnt/newdir && echo inner > /mnt/newdir/inner.txt
mv /mnt/dir/nested.txt /mnt/newdir/moved.txt
rm /mnt/doomed.txt /mnt/hard.txt
ln /mnt/new.txt /mnt/newdir/new-link
ln -s ../new.txt /mnt/newdir/sym
chmod 600 /mnt/new.txt
rmdir /mnt/emptydir
dd if=/mnt/big.bin of=/mnt/copy.bin bs=4096 2>/dev/null
echo "copy $(md5sum < /mnt/copy.bin | cut -c1-32)"
echo 12345 >> /mnt/hello.txt
touch -d '2021-02-03 04:05:06' /mnt/newdir/inner.txt
rmdir /mnt/dir 2>/dev/null || echo "rmdir non-empty refused"
cat /mnt/nothing 2>/dev/null || echo "missing file refused"
exec 3< /mnt/hello.txt
umount /mnt 2>&1
exec 3<&-
mkfifo /tmp/go
(cd /mnt/dir && touch /tmp/in-mnt && read x < /tmp/go) &
while [ ! -e /tmp/in-mnt ]; do sleep 0.1; done
umount /mnt 2>&1
echo go > /tmp/go
wait
umount /mnt && echo unmounted
ls /mnt
mount -t ext2 /dev/vda /mnt && echo remounted
cat /mnt/new.txt
mount -t ext3 /dev/vda /mnt 2>/dev/null || echo "wrong type refused"
sync
echo @@end
poweroff -f
"#;

const SECOND_BOOT: &str = r#"#!/bin/sh
export PATH=/bin
echo @@start
cat /mnt/new.txt
cat /mnt/newdir/moved.txt
cat /mnt/newdir/sym
echo "entries $(ls -a /mnt | tr '\n' ' ')"
echo "copy $(md5sum < /mnt/copy.bin | cut -c1-32)"
echo @@end
poweroff -f
"#;

fn md5(data: &[u8]) -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("helctic-md5-{}", std::process::id()));
    std::fs::write(&dir, data).map_err(|e| e.to_string())?;
    let (_, out) = run(Command::new("md5sum").arg(&dir))?;
    let _ = std::fs::remove_file(&dir);
    Ok(out.chars().take(32).collect())
}

/// `debugfs -R <request> img`, its standard output (the version banner
/// and any complaint go to standard error).
pub(crate) fn debugfs(img: &Path, request: &str) -> Result<String, String> {
    debugfs_on(img, request, false)
}

/// `debugfs [-w] -R <request> img`: with `writable`, the request may
/// change the image.
pub(crate) fn debugfs_on(img: &Path, request: &str, writable: bool) -> Result<String, String> {
    let mut cmd = Command::new(tool("debugfs")?);
    if writable {
        cmd.arg("-w");
    }
    cmd.args(["-R", request]).arg(img);
    let out = cmd.output().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // debugfs exits 0 even when the request fails; it says so on stderr.
    if !out.status.success() || stderr.lines().any(|l| !l.starts_with("debugfs ")) {
        return Err(format!("debugfs -R '{request}' failed ({}): {stdout}{stderr}", out.status));
    }
    Ok(stdout)
}

/// The names in a directory, from `debugfs -R 'ls -p'` (`/ino/mode/uid/gid/name/size/`).
fn debugfs_names(img: &Path, dir: &str) -> Result<Vec<String>, String> {
    let out = debugfs(img, &format!("ls -p {dir}"))?;
    let mut names: Vec<String> =
        out.lines().filter_map(|l| l.split('/').nth(5).map(str::to_string)).filter(|n| !n.is_empty()).collect();
    names.sort();
    Ok(names)
}

pub fn run_all(kernel: &Path) -> Vec<(String, Result<String, String>)> {
    let mut results = Vec::new();
    let busybox = match crate::debian::busybox() {
        Ok(b) => b,
        Err(e) => return vec![("storage::ext2-round-trip".into(), Err(format!("  {e}")))],
    };
    results.push(("storage::ext2-round-trip".into(), round_trip(kernel, &busybox)));
    results.push((
        "storage::programs-from-disk".into(),
        crate::storage_program_tests::program_from_disk(kernel, &busybox),
    ));
    results.push(("storage::loop-mount".into(), crate::storage_loop_tests::loop_mount(kernel, &busybox)));
    results.extend(crate::storage_hostile_tests::run_all(kernel, &busybox));
    results
}

fn round_trip(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let work = crate::root().join("target/storage-test");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let tree = work.join("tree");
    make_tree(&tree)?;
    let img = work.join("disk.img");
    let _ = std::fs::remove_file(&img);
    let (code, out) = run(Command::new(tool("mke2fs")?)
        .args(["-q", "-F", "-t", "ext2", "-b", "1024", "-d"])
        .arg(&tree)
        .arg(&img)
        .arg("16M"))?;
    if code != 0 {
        return Err(format!("  mke2fs failed: {out}"));
    }

    // Boot 1: read what the host wrote, change things, sync, power off.
    let first = boot_with(kernel, image(busybox, FIRST_BOOT, "storage-1.cpio")?, &img)?;
    let lines = script_output(&first);
    let big = md5(&big_content())?;
    for wanted in [
        "/mnt ext2".to_string(),
        // busybox names 0xef53 "ext2/ext3"; mke2fs -b 1024 of 16 MiB: 16384
        // blocks, 4096 inodes.
        "statfs ext2/ext3 1024 16384 4096".into(),
        "zeros 2097152".into(),
        "hello from the host".into(),
        "deep".into(),
        format!("big {big}"),
        format!("copy {big}"),
        "entries . .. big.bin dir doomed.txt emptydir hard.txt hello.txt link lost+found ".into(),
        "rmdir non-empty refused".into(),
        "missing file refused".into(),
        // Refused twice: a file open on it, then another process in it.
        "umount: can't unmount /mnt: Device or resource busy".into(),
        "unmounted".into(),
        "remounted".into(),
        "written by helctic".into(),
        "wrong type refused".into(),
        "@@end".into(),
    ] {
        expect(&lines, &wanted, &first)?;
    }
    if lines.iter().filter(|l| l.ends_with("can't unmount /mnt: Device or resource busy")).count() != 2 {
        return Err(format!("  umount should be refused twice (open file, working directory):\n{}", lines.join("\n")));
    }

    // The host's view: a clean file system with exactly the changes.
    let (code, out) = run(Command::new(tool("e2fsck")?).arg("-fn").arg(&img))?;
    if code != 0 {
        return Err(format!("  e2fsck -fn found problems (exit {code}):\n{out}"));
    }
    let root = debugfs_names(&img, "/")?;
    let want_root = [".", "..", "big.bin", "copy.bin", "dir", "hello.txt", "link", "lost+found", "new.txt", "newdir"];
    if root != want_root {
        return Err(format!("  debugfs: / holds {root:?}, expected {want_root:?}"));
    }
    let newdir = debugfs_names(&img, "/newdir")?;
    let want_newdir = [".", "..", "inner.txt", "moved.txt", "new-link", "sym"];
    if newdir != want_newdir {
        return Err(format!("  debugfs: /newdir holds {newdir:?}, expected {want_newdir:?}"));
    }
    for (path, content) in [
        ("/new.txt", "written by helctic\n"),
        ("/newdir/moved.txt", "nested file\n"),
        ("/hello.txt", "hello from the host\n12345\n"),
        ("/newdir/inner.txt", "inner\n"),
    ] {
        let got = debugfs(&img, &format!("cat {path}"))?;
        if got != content {
            return Err(format!("  debugfs: {path} holds {got:?}, expected {content:?}"));
        }
    }
    let stat = debugfs(&img, "stat /new.txt")?;
    if !stat.contains("Mode:  0600") || !stat.contains("Links: 2") {
        return Err(format!("  debugfs: /new.txt should have mode 0600 and 2 links:\n{stat}"));
    }
    let stat = debugfs(&img, "stat /newdir/inner.txt")?;
    if !stat.contains("mtime: 0x601a2036") && !stat.contains("2021") {
        return Err(format!("  debugfs: /newdir/inner.txt should have its mtime in 2021:\n{stat}"));
    }
    let link = debugfs(&img, "stat /newdir/sym")?;
    if !link.contains("Fast link dest: \"../new.txt\"") {
        return Err(format!("  debugfs: /newdir/sym should point to ../new.txt:\n{link}"));
    }

    // Boot 2: the changes are there.
    let second = boot_with(kernel, image(busybox, SECOND_BOOT, "storage-2.cpio")?, &img)?;
    let lines = script_output(&second);
    for wanted in [
        "written by helctic".to_string(),
        "nested file".into(),
        format!("copy {big}"),
        "entries . .. big.bin copy.bin dir hello.txt link lost+found new.txt newdir ".into(),
        "@@end".into(),
    ] {
        expect(&lines, &wanted, &second)?;
    }
    // "written by helctic" twice: through the file and through the symlink.
    if lines.iter().filter(|l| *l == "written by helctic").count() != 2 {
        return Err(format!("  the symlink /mnt/newdir/sym did not read back:\n{}", lines.join("\n")));
    }
    let (code, out) = run(Command::new(tool("e2fsck")?).arg("-fn").arg(&img))?;
    if code != 0 {
        return Err(format!("  e2fsck -fn after the second boot (exit {code}):\n{out}"));
    }
    Ok(format!(
        "mke2fs image read, changed, e2fsck clean, debugfs exact, second boot sees it ({:.0} s + {:.0} s)",
        first.elapsed.as_secs_f64(),
        second.elapsed.as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    /// Every task storage.manifest starts is among the programs put into
    /// the image.
    #[test]
    fn the_image_carries_every_storage_task() {
        let manifest = std::fs::read_to_string(crate::root().join("user/manifests/storage.manifest")).unwrap();
        let tasks: Vec<&str> = manifest.lines().filter_map(|l| l.strip_prefix("task ")).map(str::trim).collect();
        assert!(!tasks.is_empty());
        for task in tasks {
            assert!(super::STORAGE_PROGRAMS.contains(&task), "storage.manifest starts {task}, which the image lacks");
        }
    }
}
