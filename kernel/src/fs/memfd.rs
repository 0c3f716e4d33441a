//! Memory files (memfd_create): regular files in a ramfs that is mounted
//! nowhere, each unlinked as soon as it is opened, so that no directory
//! lists it and it lives exactly as long as its descriptors and mappings
//! (as Linux's live on an internal tmpfs mount). Reads, writes, mmap and
//! ftruncate are those of any ramfs file.
//!
//! Seals (F_ADD_SEALS) belong to the node and are kept here, by inode, for
//! every memory file (the ones created without MFD_ALLOW_SEALING start
//! sealed against more seals). The file layer asks `check_write`,
//! `check_resize` and `forbids_writable_mapping` before changing one.

use super::{with_vfs, FileObject, OpenFile};
use crate::fs::Vfs;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, KResult, OpenFlags, Seals};
use vfs::{FsId, NewNode, NodeAttrs, NodeRef, Ramfs};

const PAGE: u64 = 4096;

/// The hidden file system (registered on first use) and each memory
/// file's seals by inode.
struct MemoryFiles {
    fs: Option<FsId>,
    seals: BTreeMap<u64, Seals>,
}

static FILES: SpinLock<MemoryFiles> = SpinLock::new(MemoryFiles { fs: None, seals: BTreeMap::new() });
/// Names the files have in the hidden root between creation and unlink.
static NEXT_NAME: AtomicU64 = AtomicU64::new(1);

/// The hidden ramfs, registered with the VFS the first time.
fn file_system(v: &Vfs) -> FsId {
    let known = FILES.lock().fs;
    if let Some(fs) = known {
        return fs;
    }
    let ramfs = Ramfs::new(NodeAttrs::new(0o1777, 0, 0), super::now()).with_name("tmpfs");
    let fs = v.add_filesystem(alloc::boxed::Box::new(ramfs));
    FILES.lock().fs = Some(fs);
    fs
}

fn is_memory_file(node: NodeRef) -> bool {
    FILES.lock().fs == Some(node.fs)
}

/// A new memory file, open for reading and writing, owned by `uid`/`gid`
/// with mode 0777 (as Linux makes them); /proc shows it as
/// `/memfd:NAME (deleted)`.
pub fn create(name: &[u8], uid: u32, gid: u32, allow_sealing: bool) -> KResult<Arc<OpenFile>> {
    let entry = alloc::format!("{}", NEXT_NAME.fetch_add(1, Ordering::Relaxed)).into_bytes();
    let node = with_vfs(|v| -> KResult<NodeRef> {
        let fs = file_system(v);
        let root = v.fs(fs)?.root();
        let ino =
            v.fs(fs)?.lock().create(root, &entry, NewNode::File, NodeAttrs::new(0o777, uid, gid), super::now())?;
        Ok(NodeRef::new(fs, ino))
    })?;
    let initial = if allow_sealing { Seals::default() } else { Seals { seal: true, ..Seals::default() } };
    FILES.lock().seals.insert(node.ino, initial);
    let mut path = b"/memfd:".to_vec();
    path.extend_from_slice(name);
    path.extend_from_slice(b" (deleted)");
    // Opening retains the node, so the unlink below leaves it alive.
    let file =
        OpenFile::new(FileObject::Node(node), OpenFlags { read: true, write: true, ..OpenFlags::default() }, path);
    with_vfs(|v| -> KResult<()> {
        let root = v.fs(node.fs)?.root();
        Ok(v.fs(node.fs)?.lock().unlink(root, &entry, super::now())?)
    })?;
    Ok(file)
}

/// The seals of a memory file (None: not one).
pub fn seals(node: NodeRef) -> Option<Seals> {
    if !is_memory_file(node) {
        return None;
    }
    FILES.lock().seals.get(&node.ino).copied()
}

/// F_ADD_SEALS, as Linux checks it: a memory file (`InvalidArgument`),
/// open for writing and not sealed against sealing (`NotPermitted`); a
/// write seal is refused while writable shared mappings exist (`Busy`).
pub fn add_seals(file: &OpenFile, add: Seals) -> KResult<()> {
    let node = file.node().ok_or(Error::InvalidArgument)?;
    let current = seals(node).ok_or(Error::InvalidArgument)?;
    if !file.can_write() || current.seal {
        return Err(Error::NotPermitted);
    }
    if add.write && !current.write && crate::mm::page_cache::writable_mappings(node) > 0 {
        return Err(Error::Busy);
    }
    FILES.lock().seals.insert(node.ino, current.union(add));
    Ok(())
}

/// How much of a write of `len` bytes at `offset` a file of `size` bytes
/// takes: all of it when unsealed. A write seal refuses it
/// (`NotPermitted`); a grow seal stops it at the last page boundary that
/// does not pass the end, as Linux writes page by page (`NotPermitted`
/// when not even the first page fits).
pub fn check_write(node: NodeRef, offset: u64, len: usize, size: u64) -> KResult<usize> {
    let Some(s) = seals(node) else { return Ok(len) };
    if s.forbid_writes() {
        return Err(Error::NotPermitted);
    }
    let end = offset.saturating_add(len as u64);
    if !s.grow || end <= size {
        return Ok(len);
    }
    let last_boundary = size / PAGE * PAGE;
    if last_boundary > offset {
        Ok((last_boundary - offset) as usize)
    } else {
        Err(Error::NotPermitted)
    }
}

/// Whether changing a file's size from `old` to `new` breaks a seal.
pub fn check_resize(node: NodeRef, old: u64, new: u64) -> KResult<()> {
    match seals(node) {
        Some(s) if (new < old && s.shrink) || (new > old && s.grow) => Err(Error::NotPermitted),
        _ => Ok(()),
    }
}

/// Whether a new writable shared mapping of `node` is refused.
pub fn forbids_writable_mapping(node: NodeRef) -> bool {
    seals(node).is_some_and(|s| s.forbid_writes())
}

/// After the kernel let go of `node`: a memory file that is gone for good
/// forgets its seals. Called with the VFS at hand (inside `with_vfs`).
pub fn released(v: &Vfs, node: NodeRef) {
    if is_memory_file(node) && v.metadata(node).is_err() {
        FILES.lock().seals.remove(&node.ino);
    }
}
