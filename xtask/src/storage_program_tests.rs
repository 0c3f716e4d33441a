//! Programs run from the ext2 disk: every page of their code and data, and
//! of the files they map, comes from the user-space file server through the
//! page cache. `tests/linux/file_mappings.c` runs 8 threads faulting in a
//! file's pages at once and runs a copy of itself, with threads, from the
//! disk: before the page cache, a fault waited for the server while holding
//! the address-space spinlock, and a second thread hung the machine.
//! `tests/linux/file_locks.c` takes its flock, POSIX and OFD locks on a file
//! of the disk: locks are kept by the kernel for every file system.
//! `tests/linux/inotify.c` works in a directory of the disk ($TMPDIR): file
//! events come from changes served by the ext2 server as well.
//! `tests/linux/unix_sockets.c` binds its sockets to paths on the disk: a
//! socket node made by the ext2 server, found again by connect.

use crate::harness;
use crate::linux_tests::{self, Verdict};
use std::path::Path;
use std::process::Command;

const SCRIPT: &str = r#"#!/bin/sh
export PATH=/bin
echo @@start
for program in file_mappings file_locks inotify unix_sockets; do
    for flavour in musl glibc glibc-dynamic; do
        echo "@@run $program-$flavour"
        TMPDIR=/mnt /mnt/$program-$flavour /mnt
        echo "@@exit $program-$flavour $?"
    done
done
echo "@@run go"
/mnt/goroutines_gc
echo "@@exit go $?"

sync
echo @@end
poweroff -f
"#;

/// The test programs run from the disk, each given /mnt to work in (as
/// its argument, and as $TMPDIR).
const PROGRAMS: [&str; 4] = ["file_mappings", "file_locks", "inotify", "unix_sockets"];

pub fn program_from_disk(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let built = linux_tests::build()?;
    let work = crate::root().join("target/storage-test/programs");
    let tree = work.join("tree");
    let _ = std::fs::remove_dir_all(&tree);
    std::fs::create_dir_all(&tree).map_err(|e| e.to_string())?;
    let mut native = Vec::new();
    for program in PROGRAMS {
        for flavour in linux_tests::FLAVOURS {
            let id = format!("{program}-{flavour}");
            let bin = built.binaries.get(&(program.to_string(), flavour)).ok_or(format!("{program} was not built"))?;
            // Natively first, in a directory like the one it gets inside.
            let scratch = work.join(format!("native-{id}"));
            let _ = std::fs::remove_dir_all(&scratch);
            std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
            let out = Command::new(bin).arg(&scratch).env("TMPDIR", &scratch).output().map_err(|e| e.to_string())?;
            let verdict = Verdict::from_output(out.status.code(), &String::from_utf8_lossy(&out.stdout));
            if !verdict.ok() {
                return Err(format!("  {id} fails natively:\n{}", verdict.output));
            }
            native.push((id.clone(), verdict.passed));
            std::fs::copy(bin, tree.join(&id)).map_err(|e| e.to_string())?;
        }
    }
    // A Go program too: its runtime starts threads at once, which fault in
    // its code from the disk together (this hung the machine once).
    let go = crate::go_tests::build()?;
    let go_bin = go.get("goroutines_gc").ok_or("tests/go/goroutines_gc.go was not built")?;
    let go_native = crate::go_tests::run_native(go_bin)?;
    if !go_native.ok() {
        return Err(format!("  goroutines_gc fails natively:\n{}", go_native.output));
    }
    native.push(("go".to_string(), go_native.passed));
    std::fs::copy(go_bin, tree.join("goroutines_gc")).map_err(|e| e.to_string())?;
    let img = work.join("disk.img");
    let _ = std::fs::remove_file(&img);
    let (code, out) = crate::storage_tests::run(
        Command::new(crate::storage_tests::tool("mke2fs")?)
            .args(["-q", "-F", "-t", "ext2", "-b", "4096", "-d"])
            .arg(&tree)
            .arg(&img)
            .arg("64M"),
    )?;
    if code != 0 {
        return Err(format!("  mke2fs failed: {out}"));
    }
    let mut image = crate::userland::busybox_image(busybox)?;
    crate::storage_tests::add_storage_services(&mut image)?;
    linux_tests::add_dynamic_runtime(&mut image)?;
    image.file("init", SCRIPT.as_bytes().to_vec(), 0o755);
    let boot = crate::storage_tests::boot_with(kernel, image.write("storage-programs.cpio")?, &img)?;
    let lines = crate::storage_tests::script_output(&boot);
    crate::storage_tests::expect(&lines, "@@end", &boot)?;
    for (id, passed) in &native {
        let section: Vec<&str> = lines
            .iter()
            .map(String::as_str)
            .skip_while(|l| *l != format!("@@run {id}"))
            .take_while(|l| !l.starts_with(&format!("@@exit {id}")))
            .collect();
        let status = lines.iter().find_map(|l| l.strip_prefix(&format!("@@exit {id} "))).unwrap_or("none");
        let inside = Verdict::from_output(status.parse().ok(), &section.join("\n"));
        if !inside.ok() || inside.passed != *passed {
            return Err(format!(
                "  {id} from the disk: {:?} passed (natively {:?}), exit {status}:\n{}\n  last log lines:\n{}",
                inside.passed,
                passed,
                section.join("\n"),
                boot.tail(30)
            ));
        }
    }
    let (code, out) =
        crate::storage_tests::run(Command::new(crate::storage_tests::tool("e2fsck")?).arg("-fn").arg(&img))?;
    if code != 0 {
        return Err(format!("  e2fsck -fn after the run (exit {code}):\n{out}"));
    }
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return Err(format!("  the kernel caught a bug of its own: {bug}"));
    }
    let checks =
        |program: &str| native.iter().find(|(id, _)| id.starts_with(program)).and_then(|(_, p)| *p).unwrap_or(0);
    Ok(format!(
        "file_mappings (8 threads faulting one file; a threaded copy run from the disk) passed {} checks, file_locks (flock, POSIX and OFD locks on a disk file) {} and inotify (events of changes on the disk) {} and unix_sockets (sockets bound to paths on the disk) {} in musl, glibc and glibc-dynamic, as natively, and a Go program ran from the disk; e2fsck clean ({:.0} s)",
        checks("file_mappings"),
        checks("file_locks"),
        checks("inotify"),
        checks("unix_sockets"),
        boot.elapsed.as_secs_f64()
    ))
}
