//! Cross-checks against the host's GNU cpio, when it is installed: archives
//! it writes must read back as the files they came from, and archives the
//! Builder writes must unpack with it. Each test passes (after saying so)
//! when there is no `cpio` on the host.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use common::collect_strict;
use cpio::{Builder, FileType, Format, Metadata};

fn have_cpio() -> bool {
    let ok = Command::new("cpio")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("skipped: no cpio on this host");
    }
    ok
}

/// A fresh empty directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("cpio-test-{}-{tag}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Runs `cpio args` in `dir` with `input` on stdin; returns stdout.
fn run_cpio(dir: &Path, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("cpio")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "cpio {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// A small tree exercising every entry kind cpio can archive without
/// privileges, plus a device node when we may make one.
fn make_tree(root: &Path) -> bool {
    fs::create_dir_all(root.join("dir/sub")).unwrap();
    for n in 0..9 {
        // Names and sizes of every length mod 4.
        let name = format!("dir/{}", "f".repeat(n + 1));
        fs::write(root.join(&name), vec![b'a' + n as u8; n * 3]).unwrap();
    }
    fs::write(root.join("dir/sub/data"), (0..=255u8).cycle().take(5000).collect::<Vec<_>>()).unwrap();
    fs::write(root.join("dir/exec"), b"#!/bin/sh\n").unwrap();
    fs::set_permissions(root.join("dir/exec"), fs::Permissions::from_mode(0o4755)).unwrap();
    fs::write(root.join("dir/linked"), b"shared contents").unwrap();
    fs::hard_link(root.join("dir/linked"), root.join("dir/sub/linked2")).unwrap();
    std::os::unix::fs::symlink("../linked", root.join("dir/sub/sym")).unwrap();
    let fifo_ok = Command::new("mkfifo").arg(root.join("dir/fifo")).status().map(|s| s.success()).unwrap_or(false);
    assert!(fifo_ok, "mkfifo failed");
    Command::new("mknod")
        .arg(root.join("dir/null"))
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn archive_tree(root: &Path, format: &str) -> Vec<u8> {
    let mut names = Vec::new();
    collect_names(root, Path::new("."), &mut names);
    names.sort();
    let list: String = names.iter().map(|n| format!("{n}\n")).collect();
    run_cpio(root, &["-o", "--quiet", "-H", format], list.as_bytes())
}

fn collect_names(root: &Path, rel: &Path, out: &mut Vec<String>) {
    out.push(rel.to_str().unwrap().to_string());
    let full = root.join(rel);
    if fs::symlink_metadata(&full).unwrap().is_dir() {
        for e in fs::read_dir(&full).unwrap() {
            collect_names(root, &rel.join(e.unwrap().file_name()), out);
        }
    }
}

fn check_host_archive(format: &str, want_format: Format) {
    let tmp = TempDir::new(format);
    let have_dev = make_tree(&tmp.0);
    let image = archive_tree(&tmp.0, format);
    assert_eq!(image.len() % 512, 0, "GNU cpio pads to 512-byte blocks");

    let (entries, err) = collect_strict(&image);
    assert_eq!(err, None);
    let mut seen = BTreeMap::new();
    let mut link_data: HashMap<cpio::LinkKey, Vec<&[u8]>> = HashMap::new();
    for e in &entries {
        assert_eq!(e.format(), want_format);
        let name = e.name_str().unwrap();
        let path = if e.is_root() { tmp.0.clone() } else { tmp.0.join(name) };
        let md = fs::symlink_metadata(&path).unwrap();
        assert_eq!(e.mode(), md.mode(), "{name}");
        assert_eq!(e.permissions(), md.mode() & 0o7777);
        assert_eq!(e.uid(), md.uid());
        assert_eq!(e.gid(), md.gid());
        assert_eq!(e.nlink() as u64, md.nlink());
        assert_eq!(e.mtime() as i64, md.mtime());
        let ft = md.file_type();
        let want = if ft.is_dir() {
            FileType::Directory
        } else if ft.is_symlink() {
            FileType::Symlink
        } else if ft.is_fifo() {
            FileType::Fifo
        } else if ft.is_char_device() {
            FileType::CharDevice
        } else {
            FileType::Regular
        };
        assert_eq!(e.file_type(), want, "{name}");
        match want {
            FileType::Symlink => {
                let target = fs::read_link(&path).unwrap();
                assert_eq!(e.symlink_target().unwrap(), target.to_str().unwrap().as_bytes());
            }
            FileType::Regular if e.link_key().is_some() => {
                link_data.entry(e.link_key().unwrap()).or_default().push(e.data());
            }
            FileType::Regular => assert_eq!(e.data(), fs::read(&path).unwrap(), "{name}"),
            FileType::CharDevice => {
                assert_eq!((e.rdev_major(), e.rdev_minor()), (1, 3));
            }
            _ => assert!(e.data().is_empty()),
        }
        seen.insert(name.to_string(), e.file_type());
    }
    // GNU cpio names the root "." and strips "./" from the rest.
    assert_eq!(entries[0].raw_name(), b".");
    assert!(entries[1..].iter().all(|e| e.raw_name() == e.name()));
    assert_eq!(seen.contains_key("dir/null"), have_dev);
    assert_eq!(seen.len(), 1 + 1 + 1 + 9 + 1 + 1 + 1 + 1 + 1 + 1 + have_dev as usize);
    // The hard-linked pair: one key, data on exactly one entry (the last).
    assert_eq!(link_data.len(), 1);
    let datas = link_data.into_values().next().unwrap();
    assert_eq!(datas, [&b""[..], b"shared contents"]);
}

#[test]
fn reads_gnu_cpio_newc() {
    if have_cpio() {
        check_host_archive("newc", Format::Newc);
    }
}

#[test]
fn reads_gnu_cpio_crc() {
    if have_cpio() {
        check_host_archive("crc", Format::Crc);
    }
}

fn sample(format: Format) -> Vec<u8> {
    let mut b = Builder::with_format(format);
    b.dir("etc", Metadata::new(0o755).with_mtime(1_000_000)).unwrap();
    b.file("etc/hostname", Metadata::new(0o644).with_mtime(2_000_000), b"helctic\n").unwrap();
    b.file("bin/busybox", Metadata::new(0o755), &vec![0x7f; 4099]).unwrap();
    b.file("bin/empty", Metadata::new(0o600), b"").unwrap();
    b.symlink("bin/sh", Metadata::new(0o777), "busybox").unwrap();
    b.fifo("run/fifo", Metadata::new(0o644)).unwrap();
    b.char_device("dev/console", Metadata::new(0o600), 5, 1).unwrap();
    b.finish()
}

#[test]
fn gnu_cpio_lists_builder_output() {
    if !have_cpio() {
        return;
    }
    for (format, image) in [("newc", sample(Format::Newc)), ("crc", sample(Format::Crc))] {
        let tmp = TempDir::new("list");
        let listing = run_cpio(&tmp.0, &["-t", "--quiet", "-v"], &image);
        let listing = String::from_utf8(listing).unwrap();
        let lines: Vec<&str> = listing.lines().collect();
        let names: Vec<&str> = lines.iter().map(|l| l.rsplit(' ').next().unwrap()).collect();
        assert_eq!(
            names,
            [
                "etc",
                "etc/hostname",
                "bin",
                "bin/busybox",
                "bin/empty",
                "busybox",
                "run",
                "run/fifo",
                "dev",
                "dev/console"
            ],
            "{format}: {listing}"
        );
        assert!(lines[5].starts_with("lrwxrwxrwx") && lines[5].contains("bin/sh -> busybox"), "{}", lines[5]);
        assert!(lines[9].starts_with("crw-------") && lines[9].contains("5,"), "{}", lines[9]);
        assert!(lines[7].starts_with("prw-r--r--"), "{}", lines[7]);
        assert!(lines[3].starts_with("-rwxr-xr-x") && lines[3].contains("4099"), "{}", lines[3]);
    }
}

#[test]
fn gnu_cpio_unpacks_builder_output() {
    if !have_cpio() {
        return;
    }
    for format in [Format::Newc, Format::Crc] {
        let image = sample(format);
        let tmp = TempDir::new("unpack");
        // Leave out the device node: making one needs privileges.
        run_cpio(
            &tmp.0,
            &["-i", "-d", "-m", "--quiet", "--no-absolute-filenames", "--nonmatching", "dev/console"],
            &image,
        );
        let root = &tmp.0;
        assert_eq!(fs::read(root.join("etc/hostname")).unwrap(), b"helctic\n");
        assert_eq!(fs::read(root.join("bin/busybox")).unwrap(), vec![0x7f; 4099]);
        assert_eq!(fs::read(root.join("bin/empty")).unwrap(), b"");
        assert_eq!(fs::read_link(root.join("bin/sh")).unwrap(), Path::new("busybox"));
        let md = fs::metadata(root.join("bin/busybox")).unwrap();
        assert_eq!(md.mode() & 0o7777, 0o755);
        assert!(md.is_file());
        let md = fs::metadata(root.join("etc/hostname")).unwrap();
        assert_eq!(md.mtime(), 2_000_000);
        assert_eq!(md.mode() & 0o7777, 0o644);
        assert!(fs::symlink_metadata(root.join("run/fifo")).unwrap().file_type().is_fifo());
        assert!(fs::metadata(root.join("etc")).unwrap().is_dir());
    }
}
