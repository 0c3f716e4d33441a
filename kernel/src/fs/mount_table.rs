//! The mounts as /proc/mounts lists them: what is mounted where, from
//! which source, of which type (the text is the Linux personality's).
//!
//! The VFS knows which file system covers which directory; this table keeps
//! what a listing needs besides (the path as it was when mounted, the
//! source), because /proc is read with the proc file system's lock held, and
//! walking the namespace from there could wait on a slow server's lock. Paths are absolute from the namespace's root; a
//! process whose root is the root of a mounted file system (the Debian
//! root after `root=`) sees the mounts below it, with that prefix removed,
//! as Linux shows a process the mounts under its own root.

use crate::sync::SpinLock;
use alloc::string::String;
use alloc::vec::Vec;
use vfs::{FsId, Ino, NodeRef};

pub struct MountEntry {
    pub fs: FsId,
    /// The mounted file system's root directory.
    pub root: Ino,
    /// Where it is mounted, from the namespace's root.
    pub path: Vec<u8>,
    /// What /proc/mounts names as the source (`/dev/vda`, `proc`, `tmpfs`).
    pub source: String,
    pub fstype: String,
    pub read_only: bool,
}

static TABLE: SpinLock<Vec<MountEntry>> = SpinLock::new(Vec::new());

/// Records a mount (after the VFS made it).
pub fn added(entry: MountEntry) {
    let mut t = TABLE.lock();
    t.retain(|e| e.fs != entry.fs);
    t.push(entry);
}

/// Forgets the mount of `fs` (after the VFS unmounted it).
/// A remount changed whether `fs` is read-only (what /proc/mounts says).
pub fn set_read_only(fs: FsId, read_only: bool) {
    for e in TABLE.lock().iter_mut().filter(|e| e.fs == fs) {
        e.read_only = read_only;
    }
}

pub fn removed(fs: FsId) {
    TABLE.lock().retain(|e| e.fs != fs);
}

/// `fs` is now mounted at `path` (a mount moved to a new root).
pub fn moved(fs: FsId, path: Vec<u8>) {
    if let Some(e) = TABLE.lock().iter_mut().find(|e| e.fs == fs) {
        e.path = path;
    }
}

/// Where `fs` is mounted, if it is.
pub fn path_of(fs: FsId) -> Option<Vec<u8>> {
    TABLE.lock().iter().find(|e| e.fs == fs).map(|e| e.path.clone())
}

/// The id /proc/self/mountinfo gives the mount of `fs`, and
/// name_to_handle_at reports: fixed for the file system's life, so it
/// names the same mount however the table changes around it.
pub fn mount_id(fs: FsId) -> u32 {
    MOUNT_ID_BASE + fs.0
}

/// Linux's first mount ids go to its internal mounts; ours start after.
const MOUNT_ID_BASE: u32 = 21;

/// The mounts a process whose root directory is `root` sees, for
/// /proc/mounts and /proc/self/mountinfo (printed by the Linux
/// personality). The parent is the mount the mount point lies in (1 for
/// the root); the device is what stat gives as st_dev.
pub fn records(root: NodeRef) -> Vec<kernel_ops::MountRecord> {
    let t = TABLE.lock();
    let shown = visible(root, &t);
    shown
        .iter()
        .map(|(e, point)| {
            let parent = shown
                .iter()
                .filter(|(other, p)| {
                    other.fs != e.fs && (p == "/" && point != "/" || point.starts_with(&alloc::format!("{p}/")))
                })
                .max_by_key(|(_, p)| p.len())
                .map_or(1, |(other, _)| mount_id(other.fs));
            kernel_ops::MountRecord {
                id: mount_id(e.fs),
                parent_id: parent,
                major: 0,
                minor: e.fs.0 + 1,
                point: point.clone(),
                fstype: e.fstype.clone(),
                source: e.source.clone(),
                read_only: e.read_only,
            }
        })
        .collect()
}

/// The mounts under `root`, each with its mount point as seen from there;
/// the process's root first, as Linux lists its namespace's root mount.
fn visible(root: NodeRef, t: &[MountEntry]) -> Vec<(&MountEntry, String)> {
    let prefix: Vec<u8> =
        t.iter().find(|e| e.fs == root.fs && e.root == root.ino).map(|e| e.path.clone()).unwrap_or_default();
    let prefix = if prefix == b"/" { Vec::new() } else { prefix };
    let (own_root, rest): (Vec<&MountEntry>, Vec<&MountEntry>) =
        t.iter().partition(|e| e.fs == root.fs && e.root == root.ino);
    let mut out = Vec::new();
    for e in own_root.into_iter().chain(rest) {
        let Some(rest) = e.path.strip_prefix(prefix.as_slice()) else { continue };
        if !(rest.is_empty() || rest.starts_with(b"/")) {
            continue; // /sysrootx is not under /sysroot
        }
        let shown = if rest.is_empty() { "/".into() } else { String::from_utf8_lossy(rest).into_owned() };
        out.push((e, shown));
    }
    out
}
