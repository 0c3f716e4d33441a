//! A System V shared-memory segment as address spaces see it: the pages
//! (the same kind of object as shared anonymous memory, so futexes in it
//! meet across processes) and the counts `shmctl(IPC_STAT)` reports.
//!
//! Every region mapping a segment holds one [`ShmAttach`]; cloning it (a
//! fork, a split region) counts one more attachment and dropping it (munmap,
//! shmdt, exec, exit) one less, as Linux counts its vm_area_structs. These
//! run under the address-space spinlock, so the counts are atomics and the
//! namespace (a sleeping lock) learns of the last detach when it next looks.

use super::address_space::SharedPages;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicI64, AtomicU32, Ordering};

pub struct ShmMeta {
    /// The key at creation: the name /proc/<pid>/maps shows.
    pub key: i32,
    /// The segment's size in bytes (shmdt unmaps that much).
    pub size: u64,
    /// Its id, once the namespace gave it one: the inode number
    /// /proc/<pid>/maps shows, as Linux's.
    pub id: core::sync::atomic::AtomicI32,
    attached: AtomicU32,
    atime: AtomicI64,
    dtime: AtomicI64,
    lpid: AtomicU32,
}

impl ShmMeta {
    pub fn new(key: i32, size: u64) -> Arc<Self> {
        Arc::new(ShmMeta {
            key,
            size,
            id: core::sync::atomic::AtomicI32::new(0),
            attached: AtomicU32::new(0),
            atime: AtomicI64::new(0),
            dtime: AtomicI64::new(0),
            lpid: AtomicU32::new(0),
        })
    }

    /// (attachments, atime, dtime, last attaching or detaching process).
    pub fn usage(&self) -> (u32, i64, i64, u32) {
        (
            self.attached.load(Ordering::Acquire),
            self.atime.load(Ordering::Relaxed),
            self.dtime.load(Ordering::Relaxed),
            self.lpid.load(Ordering::Relaxed),
        )
    }

    fn touched(&self, time: &AtomicI64) {
        time.store((crate::time::realtime_ns() / 1_000_000_000) as i64, Ordering::Relaxed);
        let pid = crate::sched::try_current().and_then(|t| t.try_process().map(|p| p.pid)).unwrap_or(0);
        self.lpid.store(pid, Ordering::Relaxed);
    }
}

/// One mapping's hold on a segment.
pub struct ShmAttach {
    pub pages: Arc<SharedPages>,
    pub meta: Arc<ShmMeta>,
    /// Attached without SHM_RDONLY: mprotect may make it writable.
    pub may_write: bool,
}

impl ShmAttach {
    pub fn new(pages: Arc<SharedPages>, meta: Arc<ShmMeta>, may_write: bool) -> Self {
        meta.attached.fetch_add(1, Ordering::AcqRel);
        meta.touched(&meta.atime);
        ShmAttach { pages, meta, may_write }
    }
}

impl Clone for ShmAttach {
    fn clone(&self) -> Self {
        ShmAttach::new(self.pages.clone(), self.meta.clone(), self.may_write)
    }
}

impl Drop for ShmAttach {
    fn drop(&mut self) {
        self.meta.touched(&self.meta.dtime);
        self.meta.attached.fetch_sub(1, Ordering::AcqRel);
    }
}
