//! The model test: random sequences of namespace and data operations
//! applied to ext2 and to `vfs::Ramfs` (the reference) must give the same
//! results and leave the same tree; the image must then pass e2fsck.
//!
//! Documented differences, not compared: directory sizes (ext2 counts
//! blocks, ramfs entries), the root's attributes and link count (mke2fs
//! made the root and `lost+found`), inode numbers, and `blocks`.

mod common;

use std::sync::OnceLock;

use common::{assert_fsck_clean, now, MemDevice, TempDir};
use ext2::{Ext2, MountOptions};
use proptest::prelude::*;
use vfs::{Error, FileSystem, FileType, Ino, MetadataChange, NewNode, NodeAttrs, Ramfs};

#[derive(Clone, Debug)]
enum Kind {
    File,
    Dir,
    Symlink(usize),
    Fifo,
}

#[derive(Clone, Debug)]
enum Op {
    Create(Vec<&'static str>, Kind),
    Write(Vec<&'static str>, u64, usize, u8),
    Truncate(Vec<&'static str>, u64),
    Rename(Vec<&'static str>, Vec<&'static str>),
    Unlink(Vec<&'static str>),
    Rmdir(Vec<&'static str>),
    Link(Vec<&'static str>, Vec<&'static str>),
    SetMetadata(Vec<&'static str>, u32, u32),
}

/// Paths over few names and mostly shallow, so that operations often
/// meet existing nodes.
fn path() -> impl Strategy<Value = Vec<&'static str>> {
    let name = || prop::sample::select(vec!["a", "b", "c"]);
    prop_oneof![
        3 => prop::collection::vec(name(), 1..=1),
        3 => prop::collection::vec(name(), 2..=2),
        1 => prop::collection::vec(name(), 3..=3),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let kind = prop_oneof![
        3 => Just(Kind::File),
        3 => Just(Kind::Dir),
        1 => (1usize..200).prop_map(Kind::Symlink),
        1 => Just(Kind::Fifo),
    ];
    prop_oneof![
        4 => (path(), kind).prop_map(|(p, k)| Op::Create(p, k)),
        4 => (path(), 0u64..300_000, 0usize..5000, any::<u8>()).prop_map(|(p, o, l, s)| Op::Write(p, o, l, s)),
        2 => (path(), 0u64..300_000).prop_map(|(p, l)| Op::Truncate(p, l)),
        3 => (path(), path()).prop_map(|(a, b)| Op::Rename(a, b)),
        2 => path().prop_map(Op::Unlink),
        2 => path().prop_map(Op::Rmdir),
        1 => (path(), path()).prop_map(|(a, b)| Op::Link(a, b)),
        1 => (path(), 0u32..0o7777, 0u32..100_000).prop_map(|(p, m, u)| Op::SetMetadata(p, m, u)),
    ]
}

fn resolve(fs: &dyn FileSystem, path: &[&str]) -> Result<Ino, Error> {
    let mut ino = fs.root();
    for name in path {
        ino = fs.lookup(ino, name.as_bytes())?;
    }
    Ok(ino)
}

/// The directory holding the last component, and that component.
fn parent<'p>(fs: &dyn FileSystem, path: &'p [&'static str]) -> Result<(Ino, &'p [u8]), Error> {
    let (last, dirs) = path.split_last().unwrap();
    Ok((resolve(fs, dirs)?, last.as_bytes()))
}

/// Applies `op`; the result is reduced to what both file systems share.
fn apply(fs: &mut dyn FileSystem, op: &Op) -> Result<u64, Error> {
    let t = now();
    let attrs = NodeAttrs::new(0o640, 7, 8);
    match op {
        Op::Create(path, kind) => {
            let (dir, name) = parent(fs, path)?;
            let target = vec![
                b't';
                match kind {
                    Kind::Symlink(n) => *n,
                    _ => 0,
                }
            ];
            let node = match kind {
                Kind::File => NewNode::File,
                Kind::Dir => NewNode::Directory,
                Kind::Symlink(_) => NewNode::Symlink(&target),
                Kind::Fifo => NewNode::Fifo,
            };
            fs.create(dir, name, node, attrs, t).map(|_| 0)
        }
        Op::Write(path, offset, len, seed) => {
            let ino = resolve(fs, path)?;
            let data: Vec<u8> = (0..*len).map(|i| (i as u8).wrapping_mul(31) ^ seed).collect();
            fs.write(ino, *offset, &data, t).map(|n| n as u64)
        }
        Op::Truncate(path, len) => {
            let ino = resolve(fs, path)?;
            fs.truncate(ino, *len, t).map(|_| 0)
        }
        Op::Rename(from, to) => {
            let (from_dir, from_name) = parent(fs, from)?;
            let (to_dir, to_name) = parent(fs, to)?;
            fs.rename(from_dir, from_name, to_dir, to_name, t).map(|_| 0)
        }
        Op::Unlink(path) => {
            let (dir, name) = parent(fs, path)?;
            fs.unlink(dir, name, t).map(|_| 0)
        }
        Op::Rmdir(path) => {
            let (dir, name) = parent(fs, path)?;
            fs.rmdir(dir, name, t).map(|_| 0)
        }
        Op::Link(target, path) => {
            let target = resolve(fs, target)?;
            let (dir, name) = parent(fs, path)?;
            fs.link(dir, name, target, t).map(|_| 0)
        }
        Op::SetMetadata(path, mode, uid) => {
            let ino = resolve(fs, path)?;
            let change = MetadataChange { mode: Some(*mode), uid: Some(*uid), ..Default::default() };
            fs.set_metadata(ino, change, t).map(|_| 0)
        }
    }
}

/// A comparable picture of the tree below `dir`: per path, its type, mode,
/// owner, link count (but for the root) and size and contents (but for
/// directories).
fn snapshot(fs: &dyn FileSystem, dir: Ino, prefix: &str, out: &mut Vec<String>) {
    let mut entries = Vec::new();
    fs.read_dir(dir, 0, &mut |e| {
        entries.push((e.name.to_vec(), e.ino, e.file_type));
        true
    })
    .unwrap();
    entries.sort();
    for (name, ino, file_type) in entries {
        let name = String::from_utf8(name).unwrap();
        if name == "." || name == ".." || name == "lost+found" {
            continue;
        }
        let path = format!("{prefix}/{name}");
        let meta = fs.metadata(ino).unwrap();
        assert_eq!(meta.file_type, file_type, "{path}");
        let body = match file_type {
            FileType::Directory => String::new(),
            FileType::Symlink => format!("-> {}", String::from_utf8_lossy(&fs.readlink(ino).unwrap())),
            FileType::Regular => {
                let mut data = vec![0; meta.size as usize];
                assert_eq!(fs.read(ino, 0, &mut data), Ok(data.len()));
                let sum = data
                    .iter()
                    .enumerate()
                    .fold(0u64, |h, (i, &b)| h.wrapping_mul(31).wrapping_add(b as u64 ^ i as u64));
                format!("{} bytes, hash {sum:x}", meta.size)
            }
            _ => format!("{} bytes", meta.size),
        };
        out.push(format!("{path} {file_type:?} {:o} {}:{} links {} {body}", meta.mode, meta.uid, meta.gid, meta.nlink));
        if file_type == FileType::Directory {
            snapshot(fs, ino, &path, out);
        }
    }
}

fn fresh_image() -> &'static Vec<u8> {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let tmp = TempDir::new("model-base");
        let image = tmp.path().join("img");
        common::mkfs(&image, 1024, 8192, None, &[]);
        std::fs::read(image).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn ext2_agrees_with_ramfs(ops in prop::collection::vec(op(), 1..60)) {
        let mut ext = Ext2::mount(MemDevice::new(fresh_image().clone()), MountOptions { read_only: false }, now()).unwrap();
        let mut ram = Ramfs::new(NodeAttrs::new(0o755, 0, 0), now());
        for (i, op) in ops.iter().enumerate() {
            let expected = apply(&mut ram, op);
            let got = apply(&mut ext, op);
            prop_assert_eq!(got, expected, "op {} {:?}", i, op);
        }
        let (mut want, mut have) = (Vec::new(), Vec::new());
        snapshot(&ram, ram.root(), "", &mut want);
        snapshot(&ext, ext.root(), "", &mut have);
        prop_assert_eq!(&have, &want);
        ext.check_consistency().unwrap();
        let tmp = TempDir::new("model");
        let image = tmp.path().join("img");
        ext.unmount(now()).unwrap().save(&image);
        assert_fsck_clean(&image);
        // And the tree survives a remount.
        let ext = Ext2::mount(MemDevice::load(&image), MountOptions { read_only: true }, now()).unwrap();
        let mut again = Vec::new();
        snapshot(&ext, ext.root(), "", &mut again);
        prop_assert_eq!(again, want);
    }
}
