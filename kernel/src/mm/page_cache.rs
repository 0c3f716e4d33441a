//! The page cache: file pages held in frames, so that every mapping of a
//! file uses the same copy. N processes running bash share one copy of
//! libc's text; a private mapping (every library's data) copies a page only
//! when it writes it; shared mappings of a file, and `read`/`write` on it,
//! all see the same bytes.
//!
//! Filling the cache reads the file through the VFS, which may sleep (a
//! user-space file server answers over IPC), so it is never done under a
//! spinlock: a page fault that misses drops the address-space lock, calls
//! [`fill`], and retries. Looking a page up ([`lookup`]) never sleeps.
//!
//! Coherence: `write` updates cached pages after the file system took the
//! bytes; `read` overlays cached pages only for files with a writable
//! shared mapping (only those can hold bytes the file system has not seen).
//! Those pages are written back by msync, when such a mapping goes away,
//! and at power-off; no page of such a file is evicted meanwhile.
//!
//! Lifetime: the cache holds its own `NodeHold` on each file it caches, so
//! an inode can never be freed (and its number reused) under cached pages.
//! Pages leave when memory runs short ([`reclaim`], pages only the cache
//! uses), when the file is truncated or its last link removed, and when its
//! file system is unmounted.
//!
//! Lock order: address space → this cache → frame allocator. Nothing here
//! allocates frames while holding the cache lock (allocation may reclaim).

use super::deferred::{self, Job};
use super::frames;
use super::NodeHold;
use crate::arch::layout::{self, PAGE_SIZE};
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use kernel_ops::FaultReason;
use vfs::NodeRef;

type NodeKey = (u32, u64); // (file system, inode)

/// Pages read in one go on a miss (a sequential reader, such as a program
/// starting, would otherwise pay one file-system round trip per page).
const READ_AROUND: u64 = 16;
/// Pages written back in one file-system call.
const WRITE_BATCH: usize = 16;

struct CachedNode {
    hold: Arc<NodeHold>,
    /// Page index → frame; the cache owns one reference to each frame.
    pages: BTreeMap<u64, u64>,
    /// Live writable shared mappings (see `SharedFile`): while any exist,
    /// pages may hold bytes newer than the file's and are not evicted.
    writers: usize,
}

struct Cache {
    nodes: BTreeMap<NodeKey, CachedNode>,
    /// Where the last reclaim stopped, so eviction goes round the files.
    reclaim_cursor: NodeKey,
    pages: u64,
}

static CACHE: SpinLock<Cache> =
    SpinLock::ranked(crate::sync::Rank::PageCache, Cache { nodes: BTreeMap::new(), reclaim_cursor: (0, 0), pages: 0 });

fn key(node: NodeRef) -> NodeKey {
    (node.fs.0, node.ino)
}

/// How many frames the cache holds (for /proc/meminfo's `Cached`).
pub fn cached_pages() -> u64 {
    CACHE.lock().pages
}

/// The frame caching page `index` of `node`, with a reference for the
/// caller, if it is cached. Never sleeps.
pub fn lookup(node: NodeRef, index: u64) -> Option<u64> {
    let c = CACHE.lock();
    let frame = *c.nodes.get(&key(node))?.pages.get(&index)?;
    frames::share(frame);
    Some(frame)
}

/// Whether page `index` of `node` is cached (mincore). Never sleeps.
pub fn is_cached(node: NodeRef, index: u64) -> bool {
    CACHE.lock().nodes.get(&key(node)).is_some_and(|n| n.pages.contains_key(&index))
}

/// The frames caching pages `first..end` of `node` that are cached, each
/// with a reference for the caller: (page index, frame). Never sleeps.
pub fn lookup_range(node: NodeRef, first: u64, end: u64) -> Vec<(u64, u64)> {
    let c = CACHE.lock();
    let Some(n) = c.nodes.get(&key(node)) else { return Vec::new() };
    n.pages
        .range(first..end)
        .map(|(&i, &f)| {
            frames::share(f);
            (i, f)
        })
        .collect()
}

/// Brings page `index` of the file into the cache (and its neighbours, up
/// to `READ_AROUND` pages), reading the file. Sleeps: call it holding no
/// spinlock. A page wholly past the end of the file is `BusObjectError`
/// (SIGBUS, as Linux).
pub fn fill(hold: &Arc<NodeHold>, index: u64) -> Result<(), FaultReason> {
    crate::sync::may_sleep("filling the page cache");
    let node = hold.node;
    let first = index - index % READ_AROUND;
    let window = {
        let c = CACHE.lock();
        let cached = |i: u64| c.nodes.get(&key(node)).is_some_and(|n| n.pages.contains_key(&i));
        if cached(index) {
            return Ok(());
        }
        // Read from the first missing page of the window up to the next cached one.
        let start = (first..index).rev().take_while(|i| !cached(*i)).last().unwrap_or(index);
        let end = (index + 1..first + READ_AROUND).find(|i| cached(*i)).unwrap_or(first + READ_AROUND);
        start..end
    };
    let want = ((window.end - window.start) * PAGE_SIZE) as usize;
    let mut buf = crate::fs::buffer(want).map_err(|_| FaultReason::OutOfMemory)?;
    let (size, got) = crate::fs::with_vfs(|v| -> Result<(u64, usize), vfs::Error> {
        let size = v.metadata(node)?.size;
        if window.start * PAGE_SIZE >= size {
            return Ok((size, 0));
        }
        let got = v.fs(node.fs)?.lock().read(node.ino, window.start * PAGE_SIZE, &mut buf)?;
        Ok((size, got))
    })
    .map_err(|_| FaultReason::BusObjectError)?;
    if index * PAGE_SIZE >= size.next_multiple_of(PAGE_SIZE) {
        return Err(FaultReason::BusObjectError);
    }
    // Pages past what the read returned (a short read, a bad block) are
    // not cached; the faulting page must be among those read.
    let pages_read = (got as u64).div_ceil(PAGE_SIZE);
    if index >= window.start + pages_read {
        return Err(FaultReason::BusObjectError);
    }
    let mut new_pages = Vec::new();
    for i in 0..pages_read {
        let frame = match frames::alloc_user_zeroed() {
            Ok(f) => f,
            Err(_) if window.start + i != index => break,
            Err(_) => {
                free_all(&new_pages);
                return Err(FaultReason::OutOfMemory);
            }
        };
        let from = (i * PAGE_SIZE) as usize;
        let to = (from + PAGE_SIZE as usize).min(got);
        // SAFETY: `frame` was just allocated for us alone.
        unsafe { layout::copy_to_phys(frame, &buf[from..to]) };
        new_pages.push((window.start + i, frame));
    }
    let mut duplicates = Vec::new();
    {
        let mut c = CACHE.lock();
        let entry = c.nodes.entry(key(node)).or_insert_with(|| CachedNode {
            hold: hold.clone(),
            pages: BTreeMap::new(),
            writers: 0,
        });
        let mut added = 0;
        for (i, frame) in new_pages {
            // Someone may have filled a page meanwhile: theirs stays.
            if let alloc::collections::btree_map::Entry::Vacant(e) = entry.pages.entry(i) {
                e.insert(frame);
                added += 1;
            } else {
                duplicates.push((i, frame));
            }
        }
        c.pages += added;
    }
    free_all(&duplicates);
    Ok(())
}

fn free_all(pages: &[(u64, u64)]) {
    for &(_, frame) in pages {
        frames::free(frame);
    }
}

/// After `read` took bytes `[offset, offset+buf.len())` from the file
/// system: replace them with what cached pages hold, for files whose
/// shared mappings may have written newer bytes.
pub fn overlay_read(node: NodeRef, offset: u64, buf: &mut [u8]) {
    let c = CACHE.lock();
    let Some(n) = c.nodes.get(&key(node)) else { return };
    if n.writers == 0 {
        return; // clean: the cached pages equal the file
    }
    for_each_cached_piece(n, offset, buf.len(), |frame, in_page, range| {
        // SAFETY: a cached frame, kept alive by the cache lock we hold.
        unsafe { layout::copy_from_phys(frame + in_page, &mut buf[range]) };
    });
}

/// After `write` put `data` at `offset` in the file system: cached pages
/// take the same bytes, so mappings see the write at once.
pub fn update_after_write(node: NodeRef, offset: u64, data: &[u8]) {
    let c = CACHE.lock();
    let Some(n) = c.nodes.get(&key(node)) else { return };
    for_each_cached_piece(n, offset, data.len(), |frame, in_page, range| {
        // SAFETY: as above; mappings may read the frame concurrently, which
        // is what shared mappings promise.
        unsafe { layout::copy_to_phys(frame + in_page, &data[range]) };
    });
}

/// Calls `f(frame, offset in page, range of the caller's buffer)` for each
/// cached page overlapping `[offset, offset+len)`.
fn for_each_cached_piece(
    n: &CachedNode,
    offset: u64,
    len: usize,
    mut f: impl FnMut(u64, u64, core::ops::Range<usize>),
) {
    let end = offset + len as u64;
    if len == 0 {
        return;
    }
    for (&page, &frame) in n.pages.range(offset / PAGE_SIZE..=(end - 1) / PAGE_SIZE) {
        let (lo, hi) = ((page * PAGE_SIZE).max(offset), ((page + 1) * PAGE_SIZE).min(end));
        if lo < hi {
            f(frame, lo % PAGE_SIZE, (lo - offset) as usize..(hi - offset) as usize);
        }
    }
}

/// The file was truncated to `size`: pages past it leave the cache and the
/// tail of the last one becomes zeros (mappings see zeros past the end, as
/// on Linux).
pub fn truncated(node: NodeRef, size: u64) {
    let doomed = {
        let mut c = CACHE.lock();
        let Some(n) = c.nodes.get_mut(&key(node)) else { return };
        if n.pages.range(size.div_ceil(PAGE_SIZE)..).next().is_some() {
            // Mapped pages past the end came from here: unmap them too.
            drop(c);
            super::Mm::file_truncated(node, size);
            c = CACHE.lock();
        }
        let Some(n) = c.nodes.get_mut(&key(node)) else { return };
        let keep = size.div_ceil(PAGE_SIZE);
        let doomed: Vec<(u64, u64)> = n.pages.range(keep..).map(|(&i, &f)| (i, f)).collect();
        for (i, _) in &doomed {
            n.pages.remove(i);
        }
        if !size.is_multiple_of(PAGE_SIZE) {
            if let Some(&frame) = n.pages.get(&(size / PAGE_SIZE)) {
                let zeros = [0u8; PAGE_SIZE as usize];
                let tail = size % PAGE_SIZE;
                // SAFETY: a cached frame, alive under the cache lock.
                unsafe { layout::copy_to_phys(frame + tail, &zeros[tail as usize..]) };
            }
        }
        c.pages -= doomed.len() as u64;
        doomed
    };
    free_all(&doomed);
}

/// Writes a file's cached pages back to it (msync; a writable shared
/// mapping going away; power-off). Sleeps.
pub fn write_back_node(node: NodeRef) {
    write_back(node, 0, u64::MAX);
}

/// Writes cached pages `[first, last]` of `node` back to the file (within
/// its current size). Only files with writable shared mappings can hold
/// bytes the file lacks; others are skipped. Sleeps.
pub fn write_back(node: NodeRef, first: u64, last: u64) {
    crate::sync::may_sleep("writing back the page cache");
    let pages: Vec<(u64, u64)> = {
        let c = CACHE.lock();
        let Some(n) = c.nodes.get(&key(node)) else { return };
        if n.writers == 0 {
            return;
        }
        n.pages
            .range(first..=last)
            .map(|(&i, &f)| {
                frames::share(f);
                (i, f)
            })
            .collect()
    };
    for run in pages.chunk_by(|a, b| a.0 + 1 == b.0) {
        for batch in run.chunks(WRITE_BATCH) {
            let mut buf = Vec::new();
            if buf.try_reserve_exact(batch.len() * PAGE_SIZE as usize).is_err() {
                break;
            }
            for &(_, frame) in batch {
                let mut page = [0u8; PAGE_SIZE as usize];
                // SAFETY: we hold a reference to the frame.
                unsafe { layout::copy_from_phys(frame, &mut page) };
                buf.extend_from_slice(&page);
            }
            let start = batch[0].0 * PAGE_SIZE;
            let result = crate::fs::with_vfs(|v| -> Result<(), vfs::Error> {
                let size = v.metadata(node)?.size;
                if start < size {
                    let n = (size - start).min(buf.len() as u64) as usize;
                    v.fs(node.fs)?.lock().write(node.ino, start, &buf[..n], crate::fs::now())?;
                }
                Ok(())
            });
            if let Err(e) = result {
                crate::warn!("page cache: writing back inode {} of file system {}: {e:?}", node.ino, node.fs.0);
            }
        }
    }
    free_all(&pages);
}

/// Gives back frames that only the cache uses (no mapping has them), at
/// least `want` if there are that many, skipping files whose shared
/// mappings may have written pages. Never sleeps: it is called when an
/// allocation finds memory short, perhaps under the address-space lock.
pub fn reclaim(want: usize) -> usize {
    let mut freed = Vec::new();
    let mut dropped = Vec::new();
    {
        let mut c = CACHE.lock();
        let cursor = c.reclaim_cursor;
        let keys: Vec<NodeKey> = c.nodes.range(cursor..).chain(c.nodes.range(..cursor)).map(|(k, _)| *k).collect();
        for k in keys {
            if freed.len() >= want {
                c.reclaim_cursor = k;
                break;
            }
            let Some(n) = c.nodes.get_mut(&k) else { continue };
            if n.writers > 0 {
                continue;
            }
            let idle: Vec<(u64, u64)> = n
                .pages
                .iter()
                .filter(|(_, &f)| frames::ref_count(f) == 1)
                .map(|(&i, &f)| (i, f))
                .take(want - freed.len())
                .collect();
            for (i, f) in idle {
                n.pages.remove(&i);
                freed.push((i, f));
            }
            if n.pages.is_empty() {
                if let Some(gone) = c.nodes.remove(&k) {
                    dropped.push(gone.hold);
                }
            }
        }
        c.pages -= freed.len() as u64;
    }
    free_all(&freed);
    // Dropping a hold releases the inode (deferred if we are under a lock).
    drop(dropped);
    freed.len()
}

/// The file's last link is gone (unlink, rename over it): its pages can
/// never be found by name again, so the cache lets go of them and of its
/// hold on the inode, which the file system can then free once nothing
/// else has it open. Sleeps (asks the VFS how many links remain).
pub fn node_unlinked(node: NodeRef) {
    if !CACHE.lock().nodes.contains_key(&key(node)) {
        return;
    }
    let links = crate::fs::with_vfs(|v| v.metadata(node).map(|m| m.nlink)).unwrap_or(0);
    if links == 0 {
        forget(|k, n| *k == key(node) && n.writers == 0);
    }
}

/// Drops every cached page of file system `fs` that no writable shared
/// mapping uses (before unmounting it).
pub fn forget_fs(fs: vfs::FsId) {
    forget(|k, n| k.0 == fs.0 && n.writers == 0);
}

/// Writes back every page shared mappings may have written (sync(2)).
pub fn write_back_all() {
    let writers: Vec<NodeRef> = CACHE.lock().nodes.values().filter(|n| n.writers > 0).map(|n| n.hold.node).collect();
    for node in writers {
        write_back_node(node);
    }
}

/// Writes back what shared mappings of files on the file system `fs`
/// wrote (syncfs).
pub fn write_back_filesystem(fs: vfs::FsId) {
    let writers: Vec<NodeRef> =
        CACHE.lock().nodes.values().filter(|n| n.writers > 0 && n.hold.node.fs == fs).map(|n| n.hold.node).collect();
    for node in writers {
        write_back_node(node);
    }
}

/// Writes back what shared mappings wrote and empties the cache (power-off:
/// the holds must go so that file servers free unlinked inodes).
pub fn flush_all() {
    write_back_all();
    forget(|_, _| true);
}

fn forget(mut which: impl FnMut(&NodeKey, &CachedNode) -> bool) {
    let gone: Vec<CachedNode> = {
        let mut c = CACHE.lock();
        let keys: Vec<NodeKey> = c.nodes.iter().filter(|(k, n)| which(k, n)).map(|(k, _)| *k).collect();
        let gone: Vec<CachedNode> = keys.iter().filter_map(|k| c.nodes.remove(k)).collect();
        c.pages -= gone.iter().map(|n| n.pages.len() as u64).sum::<u64>();
        gone
    };
    for n in gone {
        for &frame in n.pages.values() {
            frames::free(frame);
        }
    }
}

/// Held by every shared file mapping of a node. A writable one (the file
/// was opened for writing, so the mapping may write now or after
/// mprotect) keeps the node's pages from eviction and writes them back
/// when it goes away.
pub struct SharedFile {
    pub hold: Arc<NodeHold>,
    writable: bool,
}

impl SharedFile {
    pub fn new(hold: Arc<NodeHold>, writable: bool) -> Arc<SharedFile> {
        if writable {
            let mut c = CACHE.lock();
            let n = c.nodes.entry(key(hold.node)).or_insert_with(|| CachedNode {
                hold: hold.clone(),
                pages: BTreeMap::new(),
                writers: 0,
            });
            n.writers += 1;
        }
        Arc::new(SharedFile { hold, writable })
    }

    /// Whether the mapping may write (the file was open for writing and,
    /// for a memory file, not sealed against writes).
    pub fn is_writable(&self) -> bool {
        self.writable
    }
}

/// How many writable shared mappings of `node` exist (a memory file
/// cannot be sealed against writes while any do).
pub fn writable_mappings(node: NodeRef) -> usize {
    CACHE.lock().nodes.get(&key(node)).map_or(0, |n| n.writers)
}

/// Writes a node's pages back, then counts one writable shared mapping
/// fewer (in that order, so no page is evicted before it is written).
pub fn write_back_and_unregister(node: NodeRef) {
    write_back_node(node);
    let mut c = CACHE.lock();
    if let Some(n) = c.nodes.get_mut(&key(node)) {
        n.writers = n.writers.saturating_sub(1);
    }
}

impl Drop for SharedFile {
    fn drop(&mut self) {
        if !self.writable {
            return;
        }
        if deferred::can_sleep_now() {
            write_back_and_unregister(self.hold.node);
        } else {
            deferred::push(Job::WriteBack(self.hold.node));
        }
    }
}
