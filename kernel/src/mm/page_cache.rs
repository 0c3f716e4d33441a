//! The page cache for shared file mappings: one frame per (file, page)
//! while any MAP_SHARED mapping of the file exists, so every mapping, and
//! `read`/`write` on the file, see the same bytes.
//!
//! The frames are the truth while cached: file reads overlay them, file
//! writes update them, and munmap/msync (and the last mapping going away)
//! write them back to the file system. Lock order: this cache, then the
//! VFS, never the reverse.

use super::frames;
use crate::arch::layout::{self, PAGE_SIZE};
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use vfs::NodeRef;

type Key = (u32, u64, u64); // (file system, inode, page index)

static CACHE: SpinLock<BTreeMap<Key, u64>> = SpinLock::new(BTreeMap::new());

fn key(node: NodeRef, page: u64) -> Key {
    (node.fs.0, node.ino, page)
}

fn range(node: NodeRef) -> core::ops::RangeInclusive<Key> {
    key(node, 0)..=key(node, u64::MAX)
}

/// The frame caching `page` of `node`, reading it from the file if needed.
/// The caller gets its own reference (for a mapping). None: the page lies
/// wholly past the end of the file (SIGBUS), or memory ran out.
pub fn get(node: NodeRef, page: u64) -> Result<u64, kernel_ops::FaultReason> {
    if let Some(&f) = CACHE.lock().get(&key(node, page)) {
        frames::share(f);
        return Ok(f);
    }
    let size = crate::fs::with_vfs(|v| v.metadata(node).map(|m| m.size)).map_err(|_| kernel_ops::FaultReason::BusObjectError)?;
    if page * PAGE_SIZE >= size.next_multiple_of(PAGE_SIZE) {
        return Err(kernel_ops::FaultReason::BusObjectError);
    }
    let frame = frames::alloc_user_zeroed().map_err(|_| kernel_ops::FaultReason::OutOfMemory)?;
    let mut buf = [0u8; PAGE_SIZE as usize];
    let n = crate::fs::read_node(node, page * PAGE_SIZE, &mut buf).unwrap_or(0);
    // SAFETY: `frame` was just allocated for us alone.
    unsafe { layout::copy_to_phys(frame, &buf[..n]) };
    let mut cache = CACHE.lock();
    if let Some(&existing) = cache.get(&key(node, page)) {
        // Someone filled it meanwhile: use theirs.
        frames::free(frame);
        frames::share(existing);
        return Ok(existing);
    }
    cache.insert(key(node, page), frame);
    frames::share(frame);
    Ok(frame)
}

/// After `read` took bytes `[offset, offset+buf.len())` from the file
/// system: replace what cached pages hold (mapping writes may be newer).
pub fn overlay_read(node: NodeRef, offset: u64, buf: &mut [u8]) {
    let end = offset + buf.len() as u64;
    let cache = CACHE.lock();
    for (&(_, _, page), &frame) in cache.range(key(node, offset / PAGE_SIZE)..=key(node, end.saturating_sub(1) / PAGE_SIZE)) {
        let (lo, hi) = ((page * PAGE_SIZE).max(offset), ((page + 1) * PAGE_SIZE).min(end));
        if lo < hi {
            // SAFETY: a cached frame, stable while the cache lock is held.
            unsafe { layout::copy_from_phys(frame + lo % PAGE_SIZE, &mut buf[(lo - offset) as usize..(hi - offset) as usize]) };
        }
    }
}

/// After `write` put `data` at `offset` in the file system: cached pages
/// take the same bytes, so mappings see the write at once.
pub fn update_after_write(node: NodeRef, offset: u64, data: &[u8]) {
    let end = offset + data.len() as u64;
    let cache = CACHE.lock();
    for (&(_, _, page), &frame) in cache.range(key(node, offset / PAGE_SIZE)..=key(node, end.saturating_sub(1) / PAGE_SIZE)) {
        let (lo, hi) = ((page * PAGE_SIZE).max(offset), ((page + 1) * PAGE_SIZE).min(end));
        if lo < hi {
            // SAFETY: as above; mappings may read the frame concurrently,
            // which is the documented behaviour of shared mappings.
            unsafe { layout::copy_to_phys(frame + lo % PAGE_SIZE, &data[(lo - offset) as usize..(hi - offset) as usize]) };
        }
    }
}

/// Writes cached pages `[first, last]` of `node` back to the file (within
/// its current size).
pub fn write_back(node: NodeRef, first: u64, last: u64) {
    let pages: Vec<(u64, u64)> = CACHE.lock().range(key(node, first)..=key(node, last)).map(|(&(_, _, p), &f)| (p, f)).collect();
    for (page, frame) in pages {
        let mut buf = [0u8; PAGE_SIZE as usize];
        // SAFETY: the frame stays cached (and alive) while the node has mappings.
        unsafe { layout::copy_from_phys(frame, &mut buf) };
        let _ = crate::fs::with_vfs(|v| -> Result<(), vfs::Error> {
            let size = v.metadata(node)?.size;
            let start = page * PAGE_SIZE;
            if start < size {
                let n = (size - start).min(PAGE_SIZE) as usize;
                v.fs_mut(node.fs)?.write(node.ino, start, &buf[..n], crate::fs::now())?;
            }
            Ok(())
        });
    }
}

/// Held by every shared file mapping of a node; the last one to go writes
/// the cached pages back and empties the node's cache.
pub struct SharedFile {
    pub hold: Arc<super::NodeHold>,
}

impl Drop for SharedFile {
    fn drop(&mut self) {
        let node = self.hold.node;
        write_back(node, 0, u64::MAX);
        let frames_to_free: Vec<u64> = {
            let mut cache = CACHE.lock();
            let keys: Vec<Key> = cache.range(range(node)).map(|(k, _)| *k).collect();
            keys.iter().filter_map(|k| cache.remove(k)).collect()
        };
        for f in frames_to_free {
            frames::free(f);
        }
    }
}
