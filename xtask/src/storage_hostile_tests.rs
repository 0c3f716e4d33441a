//! Storage under hostile disks: images made on the host with `mke2fs -d`
//! and then damaged on purpose (`debugfs -w`, or bytes overwritten), served
//! inside Helctic and used by busybox. Each program must get an error
//! (EUCLEAN "Structure needs cleaning" or EIO) and go on; the ext2 server
//! must neither hang nor crash, the kernel must not panic, and the rest of
//! the disk must stay usable. A last case makes the server crash (on
//! purpose, through its fault-injection argument) and checks that the crash is reported, the mount fails
//! with EIO instead of hanging, init restarts the server, and the disk can
//! be mounted again.
//!
//! The host-side tests of crates/ext2 feed it thousands of mutated images;
//! these boots check that the whole path (server, kernel, Linux programs)
//! turns such damage into errors.

use crate::harness;
use crate::storage_tests::{boot_with, debugfs, debugfs_on, expect, image_with_manifest, run, script_output, tool};
use std::path::{Path, PathBuf};
use std::process::Command;

const EUCLEAN: &str = "Structure needs cleaning";
const EIO: &str = "Input/output error";

/// A small tree for the damaged images; each case damages its own files.
fn make_tree(dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    let w = |p: &str, data: &[u8]| std::fs::write(dir.join(p), data).map_err(|e| format!("{p}: {e}"));
    for d in ["dir", "loopdir", "ghostdir", "sub/deeper"] {
        std::fs::create_dir_all(dir.join(d)).map_err(|e| e.to_string())?;
    }
    w("ok.txt", b"still fine\n")?;
    w("dir/a.txt", b"a\n")?;
    w("dir/b.txt", b"b\n")?;
    w("huge.txt", b"small, but its inode will say otherwise\n")?;
    w("far.bin", &vec![0x5a; 30 * 1024])?;
    w("badmode.txt", b"mode\n")?;
    w("sub/deeper/leaf.txt", b"leaf\n")?;
    // Files for the random-damage and crash cases: many blocks each.
    for i in 0..8 {
        w(&format!("sub/f{i}.bin"), &(0..40 * 1024u32).map(|b| (b * 7 + i) as u8).collect::<Vec<u8>>())?;
    }
    w("large.bin", &(0..1024 * 1024u32).map(|b| (b >> 9) as u8).collect::<Vec<u8>>())?;
    Ok(())
}

/// A fresh image of the tree in `work/<name>.img`.
fn make_image(work: &Path, tree: &Path, name: &str) -> Result<PathBuf, String> {
    let img = work.join(format!("{name}.img"));
    let _ = std::fs::remove_file(&img);
    let (code, out) = run(Command::new(tool("mke2fs")?)
        .args(["-q", "-F", "-t", "ext2", "-b", "1024", "-d"])
        .arg(tree)
        .arg(&img)
        .arg("16M"))?;
    if code != 0 {
        return Err(format!("  mke2fs failed: {out}"));
    }
    Ok(img)
}

/// Changes the image with `debugfs -w -R <request>`.
fn damage(img: &Path, request: &str) -> Result<(), String> {
    let out = debugfs_on(img, request, true).map_err(|e| format!("  {e}"))?;
    // The requests used here print nothing when they succeed.
    if !out.trim().is_empty() {
        return Err(format!("  debugfs -w -R '{request}' said: {out}"));
    }
    Ok(())
}

/// Rewrites the inode number of the entry `name` in the first block of the
/// directory `dir` (ext2 entry: inode u32, rec_len u16, name_len u8,
/// file_type u8, name).
fn set_entry_inode(img: &Path, dir: &str, name: &[u8], ino: u32) -> Result<(), String> {
    let out = debugfs(img, &format!("blocks {dir}")).map_err(|e| format!("  {e}"))?;
    let block: u64 = out
        .lines()
        .find_map(|l| l.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("  no block for {dir}: {out}"))?;
    let data = std::fs::read(img).map_err(|e| e.to_string())?;
    let start = block as usize * 1024;
    let dir_block = data.get(start..start + 1024).ok_or("  the directory block is past the image")?;
    let at = (8..dir_block.len() - name.len())
        .find(|&i| &dir_block[i..i + name.len()] == name && dir_block[i - 2] as usize == name.len())
        .ok_or_else(|| format!("  no entry {:?} in block {block}", String::from_utf8_lossy(name)))?;
    overwrite(img, (start + at - 8) as u64, &ino.to_le_bytes())
}

/// Overwrites `len` bytes at `offset` of the image with `bytes` (repeated).
fn overwrite(img: &Path, offset: u64, bytes: &[u8]) -> Result<(), String> {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new().write(true).open(img).map_err(|e| e.to_string())?;
    f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
    f.write_all(bytes).map_err(|e| e.to_string())
}

/// What every damaged boot must show besides its own lines: the script ran
/// to its end, nothing crashed, and the kernel did not declare the server
/// dead (which it does only after a crash or a 30 s silence).
fn check_survived(boot: &harness::Boot, lines: &[String]) -> Result<(), String> {
    expect(lines, "@@end", boot)?;
    for bad in ["panicked", "faulted", "PANIC", "its mounts now fail", "init: task"] {
        if let Some(l) = boot.lines().find(|l| l.contains(bad)) {
            return Err(format!("  the log says {l:?}; last lines:\n{}", boot.tail(40)));
        }
    }
    if !matches!(boot.outcome, harness::Outcome::Passed) {
        return Err(format!("  the machine ended with {:?}; last lines:\n{}", boot.outcome, boot.tail(40)));
    }
    Ok(())
}

pub fn run_all(kernel: &Path, busybox: &crate::debian::Busybox) -> Vec<(String, Result<String, String>)> {
    let work = crate::root().join("target/storage-hostile");
    let tree = work.join("tree");
    if let Err(e) = std::fs::create_dir_all(&work).map_err(|e| e.to_string()).and_then(|_| make_tree(&tree)) {
        return vec![("storage::hostile-images".into(), Err(format!("  {e}")))];
    }
    let ctx = Ctx { kernel, busybox, work: &work, tree: &tree };
    vec![
        ("storage::hostile-superblock".into(), bad_superblock(&ctx)),
        ("storage::hostile-metadata".into(), bad_metadata(&ctx)),
        ("storage::hostile-random-blocks".into(), random_blocks(&ctx)),
        ("storage::server-crash".into(), server_crash(&ctx)),
        ("storage::server-hang".into(), server_hang(&ctx)),
    ]
}

struct Ctx<'a> {
    kernel: &'a Path,
    busybox: &'a crate::debian::Busybox,
    work: &'a Path,
    tree: &'a Path,
}

impl Ctx<'_> {
    /// Boots with `img` as vda and `script` as /init; the storage manifest
    /// is `manifest` (the normal one when None).
    fn boot(
        &self,
        img: &Path,
        script: &str,
        name: &str,
        manifest: Option<String>,
    ) -> Result<(harness::Boot, Vec<String>), String> {
        let initrd = image_with_manifest(self.busybox, script, &format!("{name}.cpio"), manifest)?;
        let boot = boot_with(self.kernel, initrd, img)?;
        let lines = script_output(&boot);
        Ok((boot, lines))
    }
}

/// The superblock's magic number zeroed: the boot-time mount fails, and so
/// does `mount` from busybox, with EUCLEAN; nothing else is disturbed.
fn bad_superblock(ctx: &Ctx<'_>) -> Result<String, String> {
    let img = make_image(ctx.work, ctx.tree, "superblock")?;
    overwrite(&img, 1024 + 56, &[0, 0])?; // s_magic
    let script = r#"#!/bin/sh
export PATH=/bin
echo @@start
grep -c ' /mnt ' /proc/mounts
mount -t ext2 /dev/vda /mnt 2>&1
echo "mount status $?"
echo "root still here: $(cat /etc/hostname)"
echo @@end
poweroff -f
"#;
    let (boot, lines) = ctx.boot(&img, script, "hostile-superblock", None)?;
    for wanted in [
        "0",
        &format!("mount: mounting /dev/vda on /mnt failed: {EUCLEAN}"),
        "mount status 255",
        "root still here: helctic",
    ] {
        expect(&lines, wanted, &boot)?;
    }
    if !boot.lines().any(|l| l.contains("ext2fs: cannot mount")) {
        return Err(format!("  the server did not report the failed mount:\n{}", boot.tail(40)));
    }
    check_survived(&boot, &lines)?;
    Ok(format!("bad magic: boot mount and mount(8) refused with EUCLEAN ({:.0} s)", boot.elapsed.as_secs_f64()))
}

/// Targeted damage, one kind per file: a directory block whose first
/// record has rec_len 0, an inode claiming 2^47 bytes, an indirect block
/// pointer past the end of the disk, an inode of no file type, an entry
/// naming an inode beyond the inode table, and a directory containing
/// itself. Each access fails with EUCLEAN (or works, for the loop, as on
/// Linux), and the undamaged files and writes keep working.
fn bad_metadata(ctx: &Ctx<'_>) -> Result<String, String> {
    let img = make_image(ctx.work, ctx.tree, "metadata")?;
    damage(&img, "zap_block -f /dir -o 4 -l 2 -p 0 0")?;
    damage(&img, "sif /huge.txt size 0x800000000000")?;
    damage(&img, "sif /far.bin block[IND] 4000000")?;
    damage(&img, "sif /badmode.txt mode 0170644")?;
    // debugfs refuses to link an inode number past the table, so the
    // entry is made for a real inode and then rewritten in place.
    // (In a directory of its own: like Linux, the server refuses a whole
    // directory block with a bad entry in it.)
    damage(&img, "ln /ok.txt /ghostdir/ghost")?;
    set_entry_inode(&img, "/ghostdir", b"ghost", 99_999)?;
    damage(&img, "ln /loopdir /loopdir/self")?;
    let script = r#"#!/bin/sh
export PATH=/bin
echo @@start
echo "dir entries $(ls -a /mnt/dir | wc -l)"
cat /mnt/dir/a.txt 2>&1
echo "huge size $(stat -c %s /mnt/huge.txt)"
tail -c 10 /mnt/huge.txt 2>&1 > /dev/null
cat /mnt/far.bin > /tmp/far 2>/tmp/err; echo "far $? $(stat -c %s /tmp/far)"; cat /tmp/err
cat /mnt/badmode.txt 2>&1
cat /mnt/ghostdir/ghost 2>&1
ls /mnt/loopdir/self/self/self
cat /mnt/ok.txt
cat /mnt/sub/deeper/leaf.txt
echo written > /mnt/new.txt && cat /mnt/new.txt
umount /mnt && echo unmounted
mount -t ext2 /dev/vda /mnt && echo remounted
cat /mnt/new.txt
echo @@end
poweroff -f
"#;
    let (boot, lines) = ctx.boot(&img, script, "hostile-metadata", None)?;
    for wanted in [
        // busybox ls does not report readdir errors; it lists nothing.
        "dir entries 0".into(),
        format!("cat: can't open '/mnt/dir/a.txt': {EUCLEAN}"),
        "huge size 140737488355328".into(),
        format!("tail: read error: {EUCLEAN}"),
        // The 12 direct blocks read; the indirect block lies.
        "far 1 12288".into(),
        format!("cat: read error: {EUCLEAN}"),
        format!("cat: can't open '/mnt/badmode.txt': {EUCLEAN}"),
        format!("cat: can't open '/mnt/ghostdir/ghost': {EUCLEAN}"),
        "self".into(),
        "still fine".into(),
        "leaf".into(),
        "written".into(),
        "unmounted".into(),
        "remounted".into(),
    ] {
        expect(&lines, &wanted, &boot)?;
    }
    check_survived(&boot, &lines)?;
    Ok(format!(
        "6 kinds of damaged metadata give EUCLEAN; the rest reads and writes ({:.0} s)",
        boot.elapsed.as_secs_f64()
    ))
}

/// A small deterministic generator (xorshift64*), so that a failure can be
/// replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Random blocks among the first 400 (superblock copy, group descriptors,
/// bitmaps, the inode table, directories: the metadata) overwritten with
/// random bytes. busybox walks and reads everything, writes, deletes and
/// syncs; every call may fail, but the script must end, with the server
/// alive and the kernel well.
fn random_blocks(ctx: &Ctx<'_>) -> Result<String, String> {
    let script = r#"#!/bin/sh
export PATH=/bin
echo @@start
echo "mounted $(grep -c ' /mnt ' /proc/mounts)"
for f in $(find /mnt 2>/dev/null | head -n 200); do
    [ -f "$f" ] && head -c 65536 "$f" > /dev/null 2>&1
    ls -l "$f" > /dev/null 2>&1
done
echo new > /mnt/new.txt 2>/dev/null
mkdir /mnt/newdir 2>/dev/null
rm -rf /mnt/sub 2>/dev/null
mv /mnt/ok.txt /mnt/moved.txt 2>/dev/null
sync
umount /mnt 2>/dev/null
echo "walked; root still here: $(cat /etc/hostname)"
echo @@end
poweroff -f
"#;
    let mut took = Vec::new();
    let mut mounted = 0;
    for seed in [0x5eed_0001u64, 0x5eed_0002, 0x5eed_0003] {
        let img = make_image(ctx.work, ctx.tree, &format!("random-{seed:x}"))?;
        let mut rng = Rng(seed);
        for _ in 0..40 {
            // Block 1 (the superblock) is spared: with it gone nothing mounts,
            // which the superblock case covers.
            let block = 2 + rng.next() % 398;
            let bytes: Vec<u8> = (0..1024).map(|_| rng.next() as u8).collect();
            overwrite(&img, block * 1024, &bytes)?;
        }
        let (boot, lines) = ctx.boot(&img, script, &format!("hostile-random-{seed:x}"), None)?;
        expect(&lines, "walked; root still here: helctic", &boot).map_err(|e| format!("  seed {seed:#x}:\n{e}"))?;
        check_survived(&boot, &lines).map_err(|e| format!("  seed {seed:#x}:\n{e}"))?;
        took.push(format!("{:.0}", boot.elapsed.as_secs_f64()));
        if lines.iter().any(|l| l == "mounted 1") {
            mounted += 1;
        }
    }
    // Damage that only ever stops the mount would test nothing past it.
    if mounted == 0 {
        return Err(
            "  no damaged image mounted: the case no longer reaches the file operations; change the seeds".into()
        );
    }
    Ok(format!("3 seeds x 40 random metadata blocks ({mounted} mounted): every program ended, server and kernel unharmed ({} s)", took.join(" + ")))
}

/// The request on which the ext2 server of the crash case panics (its
/// fault-injection argument): past the boot-time mount and the first
/// reads, inside the script's loop.
const CRASH_AT_REQUEST: u64 = 60;

/// The ext2 server crashes while programs use it: they get EIO instead of
/// hanging, init reports the crash and restarts the server, the dead mount
/// can be unmounted, and the disk mounted again from the new server.
fn server_crash(ctx: &Ctx<'_>) -> Result<String, String> {
    let img = make_image(ctx.work, ctx.tree, "crash")?;
    let normal = std::fs::read_to_string(crate::root().join("user/manifests/storage.manifest"))
        .map_err(|e| format!("storage.manifest: {e}"))?;
    let crashing = normal.replace("task ext2fs\n", &format!("task ext2fs\n    arg {CRASH_AT_REQUEST}\n"));
    if crashing == normal {
        return Err("  storage.manifest has no 'task ext2fs' line to give an argument".into());
    }
    let script = r#"#!/bin/sh
export PATH=/bin
echo @@start
cat /mnt/ok.txt
i=0
while [ $i -lt 20 ]; do
    cat /mnt/large.bin > /dev/null 2>>/tmp/large-errors
    cat /mnt/ok.txt > /dev/null 2>/tmp/err || break
    i=$((i + 1))
done
# Init restarts the server now, and its banner would share the serial
# line with ours on another CPU: let it print first.
sleep 1
echo "crashed after $i rounds: $(cat /tmp/err)"
sort -u /tmp/large-errors
umount /mnt && echo unmounted
mount -t ext2 /dev/vda /mnt && echo remounted
cat /mnt/ok.txt
echo @@end
poweroff -f
"#;
    let (boot, lines) = ctx.boot(&img, script, "server-crash", Some(crashing))?;
    for wanted in ["unmounted", "remounted", "@@end"] {
        expect(&lines, wanted, &boot)?;
    }
    let Some(crash) = lines.iter().find(|l| l.starts_with("crashed after ")) else {
        return Err(format!("  the script's loop did not end:\n{}", boot.tail(40)));
    };
    if !crash.ends_with(EIO) {
        return Err(format!(
            "  after the crash, reading gave {crash:?}, not EIO; script output:\n{}\n  last log lines:\n{}",
            lines.join("\n"),
            boot.tail(40)
        ));
    }
    for log in [
        "init: task ext2fs panicked",
        "init: task ext2fs: restarting (1 of 3)",
        "ext2 server for vda: the server is gone",
    ] {
        if !boot.lines().any(|l| l.contains(log)) {
            return Err(format!("  no log line {log:?}:\n{}", boot.tail(40)));
        }
    }
    // "still fine" twice: before the crash and from the new server.
    if lines.iter().filter(|l| *l == "still fine").count() != 2 {
        return Err(format!("  ok.txt did not read from the restarted server:\n{}", lines.join("\n")));
    }
    if !matches!(boot.outcome, harness::Outcome::Passed) {
        return Err(format!("  the machine ended with {:?}; last lines:\n{}", boot.outcome, boot.tail(40)));
    }
    Ok(format!(
        "server panics mid-use: EIO, crash reported, restarted, remounted ({:.0} s)",
        boot.elapsed.as_secs_f64()
    ))
}

/// The request at which the ext2 server of the hang case stops answering
/// (its fault-injection argument, with the hang bit user/ext2fs/src/main.rs
/// defines): as for the crash, inside the background reader's loop.
const HANG_AT_REQUEST: u64 = 60;
const HANG_MODE: u64 = 1 << 62;

/// Longest the ramfs-and-/proc loop may take while the server hangs: well
/// under the kernel's 30 s answer timeout, which is what it took when the
/// VFS was one lock held across a server's IPC. Timed from before the
/// script's 3 s sleep (reading the clock is a VFS call: /proc/uptime) with
/// the sleep taken off; under the one VFS lock, the first call of the
/// loop waited out the timeout (both this and the reader still waiting
/// at the end failed on the old kernel).
const OTHERS_LIMIT_SECS: u64 = 10;

/// The ext2 server stops answering (alive, its caller's reply kept) while
/// a program reads the disk: another process keeps using /tmp (ramfs) and
/// /proc and finishes in a few seconds, not after the 30 s the kernel
/// waits for the server; then the reader gets EIO, as does every later
/// call on the mount, and the dead mount can be unmounted.
fn server_hang(ctx: &Ctx<'_>) -> Result<String, String> {
    let img = make_image(ctx.work, ctx.tree, "hang")?;
    let normal = std::fs::read_to_string(crate::root().join("user/manifests/storage.manifest"))
        .map_err(|e| format!("storage.manifest: {e}"))?;
    let hanging =
        normal.replace("task ext2fs\n", &format!("task ext2fs\n    arg {:#x}\n", HANG_MODE | HANG_AT_REQUEST));
    if hanging == normal {
        return Err("  storage.manifest has no 'task ext2fs' line to give an argument".into());
    }
    let script = r#"#!/bin/sh
export PATH=/bin
echo @@start
cat /mnt/ok.txt
(
    while cat /mnt/large.bin > /dev/null 2>/tmp/hang-err; do :; done
    echo "reader ended: $(cat /tmp/hang-err)" > /tmp/hang-result
) &
read t0 rest < /proc/uptime
sleep 3
echo "others start"
i=0
while [ $i -lt 40 ]; do
    echo "line $i" > /tmp/f$i || break
    [ "$(cat /tmp/f$i)" = "line $i" ] || break
    grep -q '^Pid:' /proc/self/status || break
    ls /proc > /dev/null || break
    rm /tmp/f$i || break
    i=$((i + 1))
done
read t1 rest < /proc/uptime
if [ -e /tmp/hang-result ]; then echo "reader done too early: $(cat /tmp/hang-result)"; else echo "reader still waiting"; fi
echo "others: $i rounds in $(( ${t1%.*} - ${t0%.*} - 3 )) s"
wait
cat /tmp/hang-result
cat /mnt/ok.txt > /dev/null 2>/tmp/err; echo "after: $(cat /tmp/err)"
umount /mnt && echo unmounted
echo @@end
poweroff -f
"#;
    let (boot, lines) = ctx.boot(&img, script, "server-hang", Some(hanging))?;
    let show =
        |why: &str| format!("  {why}; script output:\n{}\n  last log lines:\n{}", lines.join("\n"), boot.tail(40));
    for wanted in ["still fine", "reader still waiting", "unmounted", "@@end"] {
        expect(&lines, wanted, &boot)?;
    }
    // The hang must have begun before the others started, or their speed
    // proves nothing.
    let log: Vec<&str> = boot.lines().collect();
    let hung_at = log.iter().position(|l| l.contains("ext2fs: hanging on purpose"));
    let others_at = log.iter().position(|l| *l == "others start");
    match (hung_at, others_at) {
        (Some(h), Some(o)) if h < o => {}
        _ => return Err(show("the server did not hang before the other programs started (raise the sleep?)")),
    }
    let Some(others) = lines.iter().find_map(|l| l.strip_prefix("others: ")) else {
        return Err(show("no timing line"));
    };
    let (rounds, secs) = others
        .strip_suffix(" s")
        .and_then(|t| t.split_once(" rounds in "))
        .and_then(|(r, s)| Some((r.parse::<u32>().ok()?, s.parse::<i64>().ok()?)))
        .ok_or_else(|| show("unreadable timing line"))?;
    if rounds != 40 {
        return Err(show(&format!("the ramfs and /proc loop failed at round {rounds}")));
    }
    if secs > OTHERS_LIMIT_SECS as i64 {
        return Err(show(&format!(
            "the ramfs and /proc loop took {secs} s while the server hung (limit {OTHERS_LIMIT_SECS} s): it waited for the hung server"
        )));
    }
    let reader =
        lines.iter().find(|l| l.starts_with("reader ended: ")).ok_or_else(|| show("the reader did not end"))?;
    if !reader.ends_with(EIO) {
        return Err(show(&format!("the hung server's reader got {reader:?}, not EIO")));
    }
    let after = lines.iter().find(|l| l.starts_with("after: ")).ok_or_else(|| show("no later call"))?;
    if !after.ends_with(EIO) {
        return Err(show(&format!("a call after the timeout got {after:?}, not EIO")));
    }
    if !boot.lines().any(|l| l.contains("ext2 server for vda: no answer in 30 s")) {
        return Err(show("no log line saying the server was given up"));
    }
    if !matches!(boot.outcome, harness::Outcome::Passed) {
        return Err(show(&format!("the machine ended with {:?}", boot.outcome)));
    }
    Ok(format!(
        "server hangs mid-read: /tmp and /proc went on ({rounds} rounds in {secs} s), its reader got EIO after the timeout, unmounted ({:.0} s)",
        boot.elapsed.as_secs_f64()
    ))
}
