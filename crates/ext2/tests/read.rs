//! Reading images made by mke2fs from a source tree: every name, type,
//! size, byte, mode, owner, link count, mtime and symlink target must match
//! the tree, for each block size, small inodes, and with htree directories.

mod common;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, UNIX_EPOCH};

use common::{list, read_all, tool, MemDevice, TempDir};
use ext2::{Ext2, MountOptions};
use vfs::{FileSystem, FileType, Ino};

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[1] ^ seed).collect()
}

fn set_mtime(path: &Path, secs: u64) {
    let file = File::open(path).unwrap();
    file.set_modified(UNIX_EPOCH + Duration::from_secs(secs)).unwrap();
}

/// The source tree every read test images.
fn build_tree(root: &Path) {
    fs::write(root.join("empty"), b"").unwrap();
    fs::write(root.join("small"), b"hello, ext2\n").unwrap();
    fs::write(root.join("medium"), pattern(40_000, 1)).unwrap();
    // Past 268 KiB: double indirect with 1 KiB blocks.
    fs::write(root.join("large"), pattern(300 * 1024 + 123, 2)).unwrap();
    // Holes: at the start, between extents, and at the end.
    let mut sparse = File::create(root.join("sparse")).unwrap();
    sparse.seek(SeekFrom::Start(50_000)).unwrap();
    sparse.write_all(&pattern(5000, 3)).unwrap();
    sparse.seek(SeekFrom::Start(400_000)).unwrap();
    sparse.write_all(b"tail data").unwrap();
    sparse.set_len(600_000).unwrap();
    // Data past 64 MiB: triple indirect with 1 KiB blocks, mostly hole.
    let mut far = File::create(root.join("far")).unwrap();
    far.seek(SeekFrom::Start(70 << 20)).unwrap();
    far.write_all(b"far away").unwrap();
    std::os::unix::fs::symlink("small", root.join("fast-link")).unwrap();
    let long_target = format!("{}/target", "long-directory-name".repeat(8));
    std::os::unix::fs::symlink(&long_target, root.join("slow-link")).unwrap();
    fs::hard_link(root.join("small"), root.join("small-again")).unwrap();
    fs::create_dir_all(root.join("a/b/c/d")).unwrap();
    fs::write(root.join("a/b/c/d/deep"), b"deep").unwrap();
    fs::write(root.join("a/b/sibling"), pattern(3000, 4)).unwrap();
    fs::create_dir(root.join("many")).unwrap();
    for i in 0..400 {
        fs::write(root.join(format!("many/entry-with-a-longish-name-{i:04}")), format!("{i}")).unwrap();
    }
    fs::write(root.join("setuid"), b"#!/bin/sh\n").unwrap();
    fs::set_permissions(root.join("setuid"), fs::Permissions::from_mode(0o4751)).unwrap();
    fs::write(root.join("private"), b"secret").unwrap();
    fs::set_permissions(root.join("private"), fs::Permissions::from_mode(0o600)).unwrap();
    fs::create_dir(root.join("sticky")).unwrap();
    fs::set_permissions(root.join("sticky"), fs::Permissions::from_mode(0o1777)).unwrap();
    let status = Command::new("mkfifo").arg(root.join("fifo")).status().unwrap();
    assert!(status.success());
    let is_root = common::is_root();
    if is_root {
        std::os::unix::fs::chown(root.join("private"), Some(1234), Some(5678)).unwrap();
        // Owners past 16 bits need the inode's high halves.
        std::os::unix::fs::chown(root.join("setuid"), Some(70_000), Some(100_000)).unwrap();
        let status = Command::new("mknod").arg(root.join("tty")).args(["c", "4", "1"]).status().unwrap();
        assert!(status.success());
        let status = Command::new("mknod").arg(root.join("disk")).args(["b", "259", "300"]).status().unwrap();
        assert!(status.success());
    }
    for (path, secs) in [("small", 1_000_000_000), ("medium", 1_234_567_890), ("a/b", 987_654_321), ("sticky", 5)] {
        set_mtime(&root.join(path), secs);
    }
}

/// Compares the ext2 tree at `ino` with the host tree at `path`,
/// recording inode numbers of files to check hard links.
fn compare(fs: &dyn FileSystem, ino: Ino, path: &Path, links: &mut BTreeMap<u64, Ino>) {
    let host = fs::symlink_metadata(path).unwrap();
    let meta = fs.metadata(ino).unwrap();
    let what = path.display();
    assert_eq!(meta.mode, host.mode() & 0o7777, "mode of {what}");
    assert_eq!((meta.uid, meta.gid), (host.uid(), host.gid()), "owner of {what}");
    let ft = host.file_type();
    if !ft.is_symlink() {
        assert_eq!(meta.mtime.secs, host.mtime(), "mtime of {what}");
    }
    if let Some(&seen) = links.get(&host.ino()) {
        assert_eq!(seen, ino, "hard link {what}");
    }
    links.insert(host.ino(), ino);
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        assert_eq!(meta.file_type, FileType::Directory, "{what}");
        let mut host_entries: Vec<String> =
            fs::read_dir(path).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        host_entries.sort();
        let entries = list(fs, ino);
        let names: Vec<String> = entries.iter().map(|e| e.0.clone()).collect();
        let expected: Vec<String> = host_entries.into_iter().filter(|n| n != "lost+found").collect();
        let names: Vec<String> = names.into_iter().filter(|n| n != "lost+found").collect();
        assert_eq!(names, expected, "entries of {what}");
        let subdirs = entries.iter().filter(|e| e.2 == FileType::Directory).count() as u32;
        assert_eq!(meta.nlink, 2 + subdirs, "links of {what}");
        for (name, child, child_type) in entries {
            if name == "lost+found" {
                continue;
            }
            assert_eq!(fs.lookup(ino, name.as_bytes()), Ok(child));
            assert_eq!(fs.metadata(child).unwrap().file_type, child_type);
            if child_type == FileType::Directory {
                assert_eq!(fs.lookup(child, b".."), Ok(ino));
            }
            compare(fs, child, &path.join(&name), links);
        }
    } else if ft.is_symlink() {
        assert_eq!(meta.file_type, FileType::Symlink);
        let target = fs::read_link(path).unwrap();
        assert_eq!(fs.readlink(ino).unwrap(), target.as_os_str().as_encoded_bytes(), "{what}");
        assert_eq!(meta.size, target.as_os_str().len() as u64);
    } else if ft.is_file() {
        assert_eq!(meta.file_type, FileType::Regular);
        assert_eq!(meta.size, host.len(), "size of {what}");
        assert_eq!(meta.nlink as u64, host.nlink(), "links of {what}");
        assert!(read_all(fs, ino) == fs::read(path).unwrap(), "contents of {what}");
    } else if ft.is_fifo() {
        assert_eq!(meta.file_type, FileType::Fifo);
        let mut buf = [0; 4];
        assert_eq!(fs.read(ino, 0, &mut buf), Err(vfs::Error::BadFileType));
    } else if ft.is_char_device() || ft.is_block_device() {
        let kind = if ft.is_char_device() { FileType::CharDevice } else { FileType::BlockDevice };
        assert_eq!(meta.file_type, kind);
        let rdev = host.rdev();
        let major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & !0xfff);
        let minor = (rdev & 0xff) | ((rdev >> 12) & !0xff);
        assert_eq!((meta.rdev.major as u64, meta.rdev.minor as u64), (major, minor), "{what}");
    }
}

fn check_image(block_size: u32, extra: &[&str], index_dirs: bool) {
    let tmp = TempDir::new(&format!("read-{block_size}"));
    let src = tmp.path().join("src");
    fs::create_dir(&src).unwrap();
    build_tree(&src);
    let image = tmp.path().join("img");
    common::mkfs(&image, block_size, 8192, Some(&src), extra);
    if index_dirs {
        // Make every multi-block directory an htree.
        let out = Command::new(tool("e2fsck")).arg("-fyD").arg(&image).output().unwrap();
        assert!(out.status.code().unwrap_or(8) <= 1, "{}", String::from_utf8_lossy(&out.stdout));
        let stat = common::debugfs(&image, "stat /many");
        assert!(stat.contains("Flags: 0x1000"), "many is not indexed:\n{stat}");
    }
    let fs = Ext2::mount(MemDevice::load(&image), MountOptions { read_only: true }, common::now()).unwrap();
    assert!(fs.is_read_only());
    assert_eq!(fs.name(), "ext2");
    assert_eq!(fs.lookup(2, b".."), Ok(2));
    compare(&fs, fs.root(), &src, &mut BTreeMap::new());
    let stats = fs.statfs();
    assert_eq!(stats.block_size, block_size);
    assert_eq!(stats.total_blocks * block_size as u64, 8192 * 1024);
    assert!(stats.free_blocks > 0 && stats.free_inodes > 0);
    fs.check_consistency().unwrap();
    // Reads in odd pieces agree with whole reads.
    let sparse = common::resolve(&fs, "sparse").unwrap();
    let whole = read_all(&fs, sparse);
    let mut buf = vec![0; 777];
    let mut offset = 49_000;
    while offset < whole.len() {
        let n = fs.read(sparse, offset as u64, &mut buf).unwrap();
        assert_eq!(&buf[..n], &whole[offset..offset + n]);
        offset += 7_777;
    }
    assert_eq!(fs.read(sparse, 10_000_000, &mut buf), Ok(0));
}

#[test]
fn reads_1k_blocks() {
    check_image(1024, &[], false);
}

#[test]
fn reads_2k_blocks_with_128_byte_inodes() {
    check_image(2048, &["-I", "128"], false);
}

#[test]
fn reads_4k_blocks() {
    check_image(4096, &[], false);
}

#[test]
fn reads_htree_directories() {
    check_image(1024, &[], true);
}
