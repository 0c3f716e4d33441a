//! Loop devices end to end (`storage::loop-mount`): inside Helctic, busybox
//! makes an image file in /tmp, attaches it to a loop device, formats it
//! with mke2fs, mounts it (the kernel starts an ext2 server instance for
//! the mount), writes files, is refused while the mount is busy, unmounts,
//! mounts again and finds the files, mounts read-only, detaches, and
//! mounts the file with `mount -o loop` (whose unmount frees the device). The vda disk is mounted on /mnt
//! as in every storage boot (the loop mount must not disturb it).

use crate::storage_tests::{boot_with, expect, image, run, script_output, tool};
use std::path::Path;
use std::process::Command;

const SCRIPT: &str = r#"#!/bin/sh
export PATH=/bin:/sbin
echo @@start
dd if=/dev/zero of=/tmp/img bs=1M count=8 2>/dev/null
losetup /dev/loop0 /tmp/img && echo attached
echo "size $(blockdev --getsize64 /dev/loop0)"
mke2fs -F /dev/loop0 >/dev/null 2>&1 && echo formatted
mkdir -p /mnt2
mount -t ext2 /dev/loop0 /mnt2 && echo mounted
grep ' /mnt2 ' /proc/mounts | cut -d' ' -f1-3
echo "statfs $(stat -f -c '%T %S %b' /mnt2)"
echo "hello loop" > /mnt2/a.txt
mkdir /mnt2/d && echo deep > /mnt2/d/b.txt
dd if=/dev/urandom of=/tmp/big bs=1k count=300 2>/dev/null
cp /tmp/big /mnt2/big
echo "entries $(ls /mnt2 | tr '\n' ' ')"
cd /mnt2
umount /mnt2 2>&1
losetup -d /dev/loop0 2>/dev/null || echo "detach refused while mounted"
cd /
umount /mnt2 && echo unmounted
ls /mnt2
mount -t ext2 /dev/loop0 /mnt2 && echo remounted
cat /mnt2/a.txt /mnt2/d/b.txt
cmp /tmp/big /mnt2/big && echo "big survived"
sync
umount /mnt2
mount -r -t ext2 /dev/loop0 /mnt2 && echo "mounted read-only"
grep ' /mnt2 ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1
touch /mnt2/new 2>/dev/null || echo "write refused"
umount /mnt2
losetup -d /dev/loop0 && echo detached
mount -o loop -t ext2 /tmp/img /mnt2 && echo "loop option mounted"
cat /mnt2/a.txt
umount /mnt2
losetup /dev/loop0 >/dev/null 2>&1 || echo "auto-cleared"
cat /mnt/hello.txt
echo @@end
poweroff -f
"#;

pub fn loop_mount(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let work = crate::root().join("target/storage-test");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let tree = work.join("loop-tree");
    let _ = std::fs::remove_dir_all(&tree);
    std::fs::create_dir_all(&tree).map_err(|e| e.to_string())?;
    std::fs::write(tree.join("hello.txt"), "the disk is still there\n").map_err(|e| e.to_string())?;
    let img = work.join("loop-disk.img");
    let _ = std::fs::remove_file(&img);
    let (code, out) =
        run(Command::new(tool("mke2fs")?).args(["-q", "-F", "-t", "ext2", "-d"]).arg(&tree).arg(&img).arg("4M"))?;
    if code != 0 {
        return Err(format!("  mke2fs failed: {out}"));
    }
    let boot = boot_with(kernel, image(busybox, SCRIPT, "storage-loop.cpio")?, &img)?;
    let lines = script_output(&boot);
    for wanted in [
        "attached",
        "size 8388608",
        "formatted",
        "mounted",
        "/dev/loop0 /mnt2 ext2",
        // busybox mke2fs of 8 MiB: 1 KiB blocks.
        "statfs ext2/ext3 1024 8192",
        "entries a.txt big d lost+found ",
        "umount: can't unmount /mnt2: Device or resource busy",
        "detach refused while mounted",
        "unmounted",
        "remounted",
        "hello loop",
        "deep",
        "big survived",
        "mounted read-only",
        "ro",
        "write refused",
        "detached",
        "loop option mounted",
        // mount -o loop asks for LO_FLAGS_AUTOCLEAR: the unmount frees the device.
        "auto-cleared",
        "the disk is still there",
        "@@end",
    ] {
        expect(&lines, wanted, &boot)?;
    }
    if lines.iter().filter(|l| *l == "hello loop").count() != 2 {
        return Err(format!(
            "  a.txt should read back after the remount and through mount -o loop:\n{}",
            lines.join("\n")
        ));
    }
    Ok(format!("loop device attached, formatted by busybox mke2fs, mounted through an ext2 server instance, files survive unmount and remount ({:.0} s)", boot.elapsed.as_secs_f64()))
}
