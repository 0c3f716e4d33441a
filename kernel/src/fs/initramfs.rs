//! Unpacking the boot initramfs (cpio newc, crates/cpio) into the root ramfs.

use super::now;
use crate::fs::Vfs;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use vfs::{FileType, Ino, MetadataChange, NewNode, NodeAttrs, Timestamp};

#[derive(Debug, Default)]
pub struct Stats {
    pub files: usize,
    pub dirs: usize,
    pub symlinks: usize,
    pub bytes: usize,
}

/// Creates every entry of `archive` under `/`. A malformed archive stops
/// the unpacking with an error; what was created so far stays.
pub fn unpack(v: &Vfs, archive: &[u8]) -> Result<Stats, String> {
    let root = v.root();
    let fs = v.fs(root.fs).map_err(|e| format!("{e:?}"))?;
    let mut stats = Stats::default();
    let mut links: BTreeMap<cpio::LinkKey, Ino> = BTreeMap::new();
    for entry in cpio::entries(archive) {
        let entry = entry.map_err(|e| format!("bad cpio archive: {e}"))?;
        if entry.is_root() {
            continue;
        }
        let name = entry.name();
        // Find (creating as needed) the parent directory.
        let mut dir = root.ino;
        let mut parts = name.split(|&b| b == b'/').filter(|p| !p.is_empty() && *p != b".").peekable();
        let mut last: &[u8] = b"";
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                last = part;
                break;
            }
            if part == b".." {
                return Err(format!("cpio entry {:?} climbs out of the archive", String::from_utf8_lossy(name)));
            }
            let found = fs.lock().lookup(dir, part);
            dir = match found {
                Ok(ino) => ino,
                Err(_) => fs
                    .lock()
                    .create(dir, part, NewNode::Directory, NodeAttrs::new(0o755, 0, 0), now())
                    .map_err(|e| format!("mkdir for {:?}: {e:?}", String::from_utf8_lossy(name)))?,
            };
        }
        if last.is_empty() || last == b".." {
            continue;
        }
        let attrs = NodeAttrs::new(entry.permissions(), entry.uid(), entry.gid());
        if let Some(key) = entry.link_key() {
            if let Some(&target) = links.get(&key) {
                fs.lock()
                    .link(dir, last, target, now())
                    .map_err(|e| format!("link {:?}: {e:?}", String::from_utf8_lossy(name)))?;
                if !entry.data().is_empty() {
                    fs.lock().write(target, 0, entry.data(), now()).map_err(|e| format!("{e:?}"))?;
                }
                continue;
            }
        }
        let node = match entry.file_type() {
            cpio::FileType::Directory => NewNode::Directory,
            cpio::FileType::Regular => NewNode::File,
            cpio::FileType::Symlink => NewNode::Symlink(entry.data()),
            cpio::FileType::CharDevice => {
                NewNode::Device { char: true, major: entry.rdev_major(), minor: entry.rdev_minor() }
            }
            cpio::FileType::BlockDevice => {
                NewNode::Device { char: false, major: entry.rdev_major(), minor: entry.rdev_minor() }
            }
            cpio::FileType::Fifo => NewNode::Fifo,
            cpio::FileType::Socket => NewNode::Socket,
        };
        let found = fs.lock().lookup(dir, last);
        let ino = match found {
            // An archive may name a directory twice (or after creating it implicitly).
            Ok(existing)
                if entry.file_type() == cpio::FileType::Directory
                    && fs.lock().metadata(existing).is_ok_and(|m| m.file_type == FileType::Directory) =>
            {
                existing
            }
            Ok(_) => {
                fs.lock()
                    .unlink(dir, last, now())
                    .map_err(|e| format!("replace {:?}: {e:?}", String::from_utf8_lossy(name)))?;
                fs.lock().create(dir, last, node, attrs, now()).map_err(|e| format!("{e:?}"))?
            }
            Err(_) => fs
                .lock()
                .create(dir, last, node, attrs, now())
                .map_err(|e| format!("create {:?}: {e:?}", String::from_utf8_lossy(name)))?,
        };
        match entry.file_type() {
            cpio::FileType::Regular => {
                fs.lock()
                    .write(ino, 0, entry.data(), now())
                    .map_err(|e| format!("write {:?}: {e:?}", String::from_utf8_lossy(name)))?;
                stats.files += 1;
                stats.bytes += entry.data().len();
            }
            cpio::FileType::Directory => stats.dirs += 1,
            cpio::FileType::Symlink => stats.symlinks += 1,
            _ => {}
        }
        if let Some(key) = entry.link_key() {
            links.insert(key, ino);
        }
        let mtime = Timestamp { secs: i64::from(entry.mtime()), nanos: 0 };
        let change = MetadataChange {
            mode: Some(entry.permissions()),
            uid: Some(entry.uid()),
            gid: Some(entry.gid()),
            atime: Some(mtime),
            mtime: Some(mtime),
        };
        let _ = fs.lock().set_metadata(ino, change, now());
    }
    Ok(stats)
}
