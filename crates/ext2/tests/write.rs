//! Write round trips: every kind of change through the crate, then
//! e2fsck must find the image clean and debugfs must see exactly what was
//! written; a remount must see it too. Also filling the disk and emptying
//! it again.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_fsck_clean, debugfs, debugfs_bytes, list, mount, now, read_all, resolve, unmount_to, TempDir};
use ext2::Ext2;
use vfs::{Error, FileSystem, FileType, Ino, MetadataChange, NewNode, NodeAttrs, Timestamp};

fn attrs(mode: u32) -> NodeAttrs {
    NodeAttrs::new(mode, 0, 0)
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2654435761).to_le_bytes()[2] ^ seed).collect()
}

fn mkdir(fs: &mut Ext2<common::MemDevice>, dir: Ino, name: &str) -> Ino {
    fs.create(dir, name.as_bytes(), NewNode::Directory, attrs(0o755), now()).unwrap()
}

fn new_file(fs: &mut Ext2<common::MemDevice>, dir: Ino, name: &str, data: &[u8]) -> Ino {
    let ino = fs.create(dir, name.as_bytes(), NewNode::File, attrs(0o644), now()).unwrap();
    assert_eq!(fs.write(ino, 0, data, now()), Ok(data.len()));
    ino
}

/// What the tree should hold afterwards: path to file contents.
type Expected = BTreeMap<String, Vec<u8>>;

fn check_files(fs: &dyn FileSystem, expected: &Expected) {
    for (path, data) in expected {
        let ino = resolve(fs, path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert!(read_all(fs, ino) == *data, "contents of {path}");
    }
}

fn check_with_debugfs(image: &Path, expected: &Expected) {
    for (path, data) in expected {
        let out = debugfs_bytes(image, &format!("cat /{path}"), false);
        assert!(out == *data, "debugfs cat /{path}: {} bytes, expected {}", out.len(), data.len());
    }
}

/// Names `debugfs ls` lists in `dir`, without `.` and `..`.
fn debugfs_names(image: &Path, dir: &str) -> Vec<String> {
    let out = debugfs(image, &format!("ls -p {dir}"));
    let mut names: Vec<String> = out
        .lines()
        // Unused records (inode 0) are listed too; skip them.
        .filter(|line| line.split('/').nth(1) != Some("0"))
        .filter_map(|line| line.split('/').nth(5).map(str::to_owned))
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .collect();
    names.sort();
    names
}

fn stat_field<'a>(stat: &'a str, field: &str) -> &'a str {
    let at = stat.find(field).unwrap_or_else(|| panic!("no {field} in {stat}"));
    stat[at + field.len()..].split_whitespace().next().unwrap()
}

fn round_trip(block_size: u32) {
    let tmp = TempDir::new(&format!("write-{block_size}"));
    let image = tmp.path().join("img");
    common::mkfs(&image, block_size, 16384, None, &[]);
    let fresh = {
        let fs = mount(&image);
        fs.statfs()
    };
    let mut fs = mount(&image);
    let root = fs.root();
    let mut expected = Expected::new();

    // Files of every depth.
    let d = mkdir(&mut fs, root, "d");
    let small = new_file(&mut fs, d, "small", b"small file\n");
    expected.insert("d/small".into(), b"small file\n".to_vec());
    let medium = pattern(13 * block_size as usize + 5, 1);
    new_file(&mut fs, d, "indirect", &medium);
    expected.insert("d/indirect".into(), medium);
    let ppb = block_size as usize / 4;
    let big_len = (12 + ppb + 3) * block_size as usize + 77;
    let big = pattern(big_len, 2);
    let big_ino = new_file(&mut fs, d, "double", &big);
    expected.insert("d/double".into(), big.clone());
    // Triple indirect, mostly hole.
    let far_offset = ((12 + ppb + ppb * ppb + 5) * block_size as usize) as u64;
    let far = fs.create(d, b"triple", NewNode::File, attrs(0o600), now()).unwrap();
    assert_eq!(fs.write(far, far_offset, b"far", now()), Ok(3));
    let far_meta = fs.metadata(far).unwrap();
    assert_eq!(far_meta.size, far_offset + 3);
    // One data block plus single, double and triple indirect blocks.
    assert_eq!(far_meta.blocks, 4 * u64::from(block_size / 512));
    let mut buf = [1u8; 6];
    assert_eq!(fs.read(far, far_offset - 3, &mut buf), Ok(6));
    assert_eq!(&buf, b"\0\0\0far");
    // A hole in the middle of a file.
    let holey = fs.create(d, b"holey", NewNode::File, attrs(0o644), now()).unwrap();
    fs.write(holey, 0, b"start", now()).unwrap();
    fs.write(holey, 5 * u64::from(block_size) + 3, b"end", now()).unwrap();
    let mut holey_data = b"start".to_vec();
    holey_data.resize(5 * block_size as usize + 3, 0);
    holey_data.extend_from_slice(b"end");
    expected.insert("d/holey".into(), holey_data);
    // Overwrite in the middle.
    fs.write(big_ino, 1000, b"OVERWRITE", now()).unwrap();
    let mut big = big;
    big[1000..1009].copy_from_slice(b"OVERWRITE");

    // Truncate: shrink below the double indirect range, grow with a hole.
    fs.truncate(big_ino, 12 * u64::from(block_size) + 10, now()).unwrap();
    big.truncate(12 * block_size as usize + 10);
    fs.truncate(big_ino, 12 * u64::from(block_size) + 500, now()).unwrap();
    big.resize(12 * block_size as usize + 500, 0);
    expected.insert("d/double".into(), big);
    assert_eq!(fs.metadata(big_ino).unwrap().blocks, 14 * u64::from(block_size / 512));
    let shrink = new_file(&mut fs, d, "shrunk", &pattern(50_000, 3));
    fs.truncate(shrink, 0, now()).unwrap();
    assert_eq!(fs.metadata(shrink).unwrap().blocks, 0);
    expected.insert("d/shrunk".into(), Vec::new());

    // Symlinks, devices, fifos, sockets.
    let fast = fs.create(d, b"fast", NewNode::Symlink(b"small"), attrs(0o777), now()).unwrap();
    let long_target = "x/".repeat(100);
    let slow = fs.create(d, b"slow", NewNode::Symlink(long_target.as_bytes()), attrs(0o777), now()).unwrap();
    assert_eq!(fs.readlink(fast).unwrap(), b"small");
    assert_eq!(fs.readlink(slow).unwrap(), long_target.as_bytes());
    let tty = NewNode::Device { char: true, major: 4, minor: 1 };
    let disk = NewNode::Device { char: false, major: 259, minor: 70_000 };
    let tty = fs.create(d, b"tty", tty, attrs(0o620), now()).unwrap();
    let disk = fs.create(d, b"disk", disk, attrs(0o660), now()).unwrap();
    fs.create(d, b"fifo", NewNode::Fifo, attrs(0o644), now()).unwrap();
    fs.create(d, b"sock", NewNode::Socket, attrs(0o755), now()).unwrap();
    assert_eq!(fs.write(tty, 0, b"x", now()), Err(Error::BadFileType));
    assert_eq!(fs.read(disk, 0, &mut buf), Err(Error::BadFileType));
    assert_eq!(fs.metadata(disk).unwrap().rdev.minor, 70_000);

    // Links.
    fs.link(d, b"small-link", small, now()).unwrap();
    assert_eq!(fs.link(root, b"dirlink", d, now()), Err(Error::NotPermitted));
    assert_eq!(fs.link(d, b"small", small, now()), Err(Error::Exists));
    expected.insert("d/small-link".into(), b"small file\n".to_vec());

    // Attributes.
    let change = MetadataChange {
        mode: Some(0o4711),
        uid: Some(70_000),
        gid: Some(123_456),
        atime: Some(Timestamp::new(1_500_000_000, 5)),
        mtime: Some(Timestamp::new(1_400_000_000, 123_456_789)),
    };
    fs.set_metadata(small, change, now()).unwrap();
    let meta = fs.metadata(small).unwrap();
    assert_eq!((meta.mode, meta.uid, meta.gid, meta.nlink), (0o4711, 70_000, 123_456, 2));
    assert_eq!(meta.mtime, Timestamp::new(1_400_000_000, 123_456_789));

    // Renames.
    let e = mkdir(&mut fs, root, "e");
    let sub = mkdir(&mut fs, d, "sub");
    new_file(&mut fs, sub, "inner", b"inner");
    fs.rename(d, b"indirect", d, b"renamed", now()).unwrap();
    let data = expected.remove("d/indirect").unwrap();
    expected.insert("d/renamed".into(), data);
    fs.rename(d, b"renamed", e, b"moved", now()).unwrap();
    let data = expected.remove("d/renamed").unwrap();
    expected.insert("e/moved".into(), data);
    new_file(&mut fs, e, "victim", b"to be replaced");
    fs.rename(d, b"holey", e, b"victim", now()).unwrap();
    let data = expected.remove("d/holey").unwrap();
    expected.insert("e/victim".into(), data);
    let links_d = fs.metadata(d).unwrap().nlink;
    let links_e = fs.metadata(e).unwrap().nlink;
    fs.rename(d, b"sub", e, b"sub", now()).unwrap();
    assert_eq!(fs.metadata(d).unwrap().nlink, links_d - 1);
    assert_eq!(fs.metadata(e).unwrap().nlink, links_e + 1);
    assert_eq!(fs.lookup(sub, b".."), Ok(e));
    expected.insert("e/sub/inner".into(), b"inner".to_vec());
    assert_eq!(fs.rename(root, b"e", sub, b"x", now()), Err(Error::InvalidArgument));
    assert_eq!(fs.rename(root, b"e", e, b"x", now()), Err(Error::InvalidArgument));
    let empty = mkdir(&mut fs, d, "empty");
    assert_eq!(fs.rename(d, b"empty", e, b"sub", now()), Err(Error::NotEmpty));
    assert_eq!(fs.rename(d, b"small", e, b"sub", now()), Err(Error::IsDirectory));
    assert_eq!(fs.rename(e, b"sub", d, b"small", now()), Err(Error::NotDirectory));
    let target = mkdir(&mut fs, e, "target");
    fs.rename(d, b"empty", e, b"target", now()).unwrap();
    assert_eq!(fs.metadata(target), Err(Error::NotFound));
    assert_eq!(fs.lookup(e, b"target"), Ok(empty));
    assert_eq!(fs.lookup(empty, b".."), Ok(e));
    fs.rename(d, b"small", d, b"small-link", now()).unwrap_or(());
    assert_eq!(fs.lookup(d, b"small"), Ok(small), "same-node rename changes nothing");

    // Removal.
    assert_eq!(fs.rmdir(root, b"e", now()), Err(Error::NotEmpty));
    assert_eq!(fs.unlink(root, b"e", now()), Err(Error::IsDirectory));
    fs.unlink(d, b"shrunk", now()).unwrap();
    expected.remove("d/shrunk");
    let gone = mkdir(&mut fs, root, "gone");
    fs.rmdir(root, b"gone", now()).unwrap();
    assert_eq!(fs.metadata(gone), Err(Error::NotFound));

    // A directory of many blocks, thinned out.
    let many = mkdir(&mut fs, root, "many");
    for i in 0..300 {
        new_file(&mut fs, many, &format!("file-number-{i:03}"), format!("{i}").as_bytes());
    }
    assert!(fs.metadata(many).unwrap().size > u64::from(block_size));
    for i in (0..300).step_by(2) {
        fs.unlink(many, format!("file-number-{i:03}").as_bytes(), now()).unwrap();
    }
    for i in (1..300).step_by(2) {
        expected.insert(format!("many/file-number-{i:03}"), format!("{i}").into_bytes());
    }

    // Unlinked while open: readable until released.
    let open = new_file(&mut fs, root, "open", b"still here");
    fs.retain(open).unwrap();
    fs.unlink(root, b"open", now()).unwrap();
    assert_eq!(fs.metadata(open).unwrap().nlink, 0);
    assert_eq!(read_all(&fs, open), b"still here");
    fs.release(open).unwrap();
    assert_eq!(fs.metadata(open), Err(Error::NotFound));

    fs.check_consistency().unwrap();
    check_files(&fs, &expected);
    unmount_to(fs, &image);

    assert_fsck_clean(&image);
    check_with_debugfs(&image, &expected);
    let mut d_names = debugfs_names(&image, "/d");
    d_names.retain(|n| !n.is_empty());
    assert_eq!(d_names, ["disk", "double", "fast", "fifo", "slow", "small", "small-link", "sock", "triple", "tty"]);
    assert_eq!(debugfs_names(&image, "/e"), ["moved", "sub", "target", "victim"]);
    let many_names = debugfs_names(&image, "/many");
    assert_eq!(many_names.len(), 150, "{many_names:?}\n{}", debugfs(&image, "ls -p /many"));
    let stat = debugfs(&image, "stat /d/small");
    assert_eq!(stat_field(&stat, "Mode:"), "04711", "{stat}");
    assert_eq!(stat_field(&stat, "User:"), "70000", "{stat}");
    assert_eq!(stat_field(&stat, "Group:"), "123456", "{stat}");
    assert_eq!(stat_field(&stat, "Links:"), "2", "{stat}");
    assert_eq!(stat_field(&stat, "Size:"), "11", "{stat}");
    let stat = debugfs(&image, "stat /d/triple");
    assert_eq!(stat_field(&stat, "Size:"), (far_offset + 3).to_string(), "{stat}");
    let stat = debugfs(&image, "stat /e/sub");
    assert_eq!(stat_field(&stat, "Links:"), "2", "{stat}");
    let stat = debugfs(&image, "stat /e");
    assert_eq!(stat_field(&stat, "Links:"), "4", "{stat}");
    assert!(debugfs(&image, "stat /d/disk").contains("Device major/minor number: 259:70000"));
    assert!(debugfs(&image, "stat /d/fast").contains("Fast link dest: \"small\""));
    assert_eq!(debugfs_bytes(&image, "cat /d/slow", false), long_target.as_bytes());

    // Remount and look again.
    let fs = mount(&image);
    check_files(&fs, &expected);
    let d = resolve(&fs, "d").unwrap();
    let names: Vec<String> = list(&fs, d).into_iter().map(|e| e.0).collect();
    assert_eq!(names, d_names);
    let types: Vec<FileType> = list(&fs, d).into_iter().map(|e| e.2).collect();
    assert!(types.contains(&FileType::Socket) && types.contains(&FileType::Fifo));
    assert_eq!(fs.readlink(resolve(&fs, "d/slow").unwrap()).unwrap(), long_target.as_bytes());
    let meta = fs.metadata(resolve(&fs, "d/small").unwrap()).unwrap();
    assert_eq!(meta.mtime, Timestamp::new(1_400_000_000, 123_456_789));
    assert!(fs.statfs().free_blocks < fresh.free_blocks);
    fs.check_consistency().unwrap();
}

#[test]
fn round_trip_1k() {
    round_trip(1024);
}

#[test]
fn round_trip_2k() {
    round_trip(2048);
}

#[test]
fn round_trip_4k() {
    round_trip(4096);
}

/// Changing an htree directory clears its index flag, and e2fsck agrees.
#[test]
fn changing_an_indexed_directory() {
    let tmp = TempDir::new("htree");
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("big")).unwrap();
    for i in 0..200 {
        std::fs::write(src.join(format!("big/name-{i:03}")), b"x").unwrap();
    }
    let image = tmp.path().join("img");
    common::mkfs(&image, 1024, 4096, Some(&src), &[]);
    let out = std::process::Command::new(common::tool("e2fsck")).arg("-fyD").arg(&image).output().unwrap();
    assert!(out.status.code().unwrap_or(8) <= 1);
    assert!(debugfs(&image, "stat /big").contains("Flags: 0x1000"));
    let mut fs = mount(&image);
    let big = resolve(&fs, "big").unwrap();
    fs.unlink(big, b"name-100", now()).unwrap();
    new_file(&mut fs, big, "added", b"new");
    unmount_to(fs, &image);
    assert_fsck_clean(&image);
    assert!(!debugfs(&image, "stat /big").contains("Flags: 0x1000"));
    let names = debugfs_names(&image, "/big");
    assert_eq!(names.len(), 200);
    assert!(names.contains(&"added".to_string()) && !names.contains(&"name-100".to_string()));
}

/// Deleting a file frees its extended-attribute block.
#[test]
fn unlink_frees_the_xattr_block() {
    let tmp = TempDir::new("xattr");
    let image = tmp.path().join("img");
    common::mkfs(&image, 1024, 2048, None, &["-I", "128"]);
    debugfs_bytes(&image, "write /dev/null f", true);
    let value = "v".repeat(300);
    debugfs_bytes(&image, &format!("ea_set /f user.big {value}"), true);
    assert!(debugfs(&image, "stat /f").contains("File ACL: "));
    let before = {
        let fs = mount(&image);
        fs.statfs().free_blocks
    };
    let mut fs = mount(&image);
    assert_eq!(fs.metadata(resolve(&fs, "f").unwrap()).unwrap().blocks, 2);
    fs.unlink(2, b"f", now()).unwrap();
    assert_eq!(fs.statfs().free_blocks, before + 1);
    unmount_to(fs, &image);
    assert_fsck_clean(&image);
}

/// Filling the disk gives partial writes then NoSpace; deleting it all
/// restores the fresh free counts.
#[test]
fn fill_and_empty() {
    let tmp = TempDir::new("fill");
    let image = tmp.path().join("img");
    common::mkfs(&image, 1024, 1024, None, &["-N", "64"]);
    let mut fs = mount(&image);
    let fresh = fs.statfs();
    let root = fs.root();
    let chunk = pattern(20_000, 9);
    let mut files = Vec::new();
    'fill: for i in 0.. {
        let name = format!("f{i}");
        let ino = match fs.create(root, name.as_bytes(), NewNode::File, attrs(0o644), now()) {
            Ok(ino) => ino,
            Err(Error::NoSpace) => break,
            Err(e) => panic!("{e:?}"),
        };
        files.push(name);
        let mut offset = 0;
        for _ in 0..10 {
            match fs.write(ino, offset, &chunk, now()) {
                Ok(n) if n == chunk.len() => offset += n as u64,
                Ok(n) => {
                    assert!(n > 0);
                    assert_eq!(fs.write(ino, offset + n as u64, &chunk, now()), Err(Error::NoSpace));
                    break 'fill;
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }
    assert_eq!(fs.statfs().free_blocks, 0);
    fs.check_consistency().unwrap();
    // Empty files until the inodes run out.
    for i in 0.. {
        let name = format!("empty{i}");
        match fs.create(root, name.as_bytes(), NewNode::File, attrs(0o644), now()) {
            Ok(_) => files.push(name),
            Err(Error::NoSpace) => break,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(fs.statfs().free_inodes, 0);
    fs.sync(now()).unwrap();
    for name in &files {
        fs.unlink(root, name.as_bytes(), now()).unwrap();
    }
    let after = fs.statfs();
    assert_eq!(after.free_inodes, fresh.free_inodes);
    // The root directory grew while full; that block stays.
    let root_blocks = fs.metadata(root).unwrap().size / 1024;
    assert_eq!(after.free_blocks + root_blocks - 1, fresh.free_blocks);
    fs.check_consistency().unwrap();
    unmount_to(fs, &image);
    assert_fsck_clean(&image);
}
