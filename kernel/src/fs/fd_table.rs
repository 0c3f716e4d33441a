//! A process's file descriptors: small integers naming open files.
//!
//! This table is where Linux descriptors will become capabilities of the
//! native core (issue: native capability core): an entry already carries
//! the rights it was opened with.

use super::OpenFile;
use alloc::sync::Arc;
use alloc::vec::Vec;

#[derive(Clone)]
pub struct FdEntry {
    pub file: Arc<OpenFile>,
    pub close_on_exec: bool,
}

#[derive(Clone, Default)]
pub struct FdTable {
    slots: Vec<Option<FdEntry>>,
}

impl FdTable {
    pub fn new() -> Self {
        FdTable { slots: Vec::new() }
    }

    pub fn get(&self, fd: i32) -> Option<&FdEntry> {
        usize::try_from(fd).ok().and_then(|i| self.slots.get(i)).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, fd: i32) -> Option<&mut FdEntry> {
        usize::try_from(fd).ok().and_then(|i| self.slots.get_mut(i)).and_then(Option::as_mut)
    }

    /// Installs at the lowest free number ≥ `min`, below `limit`.
    pub fn insert(&mut self, entry: FdEntry, min: i32, limit: u64) -> Option<i32> {
        let start = usize::try_from(min).ok()?;
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let free = (start..limit.max(start)).find(|&i| self.slots.get(i).is_none_or(Option::is_none))?;
        if free >= limit {
            return None;
        }
        if free >= self.slots.len() {
            self.slots.resize(free + 1, None);
        }
        self.slots[free] = Some(entry);
        i32::try_from(free).ok()
    }

    /// Installs at exactly `fd`, returning what was there (to be dropped
    /// outside any lock: closing can block or wake others).
    pub fn insert_at(&mut self, fd: i32, entry: FdEntry) -> Option<FdEntry> {
        let i = usize::try_from(fd).ok()?;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, None);
        }
        self.slots[i].replace(entry)
    }

    pub fn remove(&mut self, fd: i32) -> Option<FdEntry> {
        usize::try_from(fd).ok().and_then(|i| self.slots.get_mut(i)).and_then(Option::take)
    }

    /// Drops every close-on-exec entry, returning them for closing.
    pub fn take_close_on_exec(&mut self) -> Vec<FdEntry> {
        let mut out = Vec::new();
        for slot in &mut self.slots {
            if slot.as_ref().is_some_and(|e| e.close_on_exec) {
                out.extend(slot.take());
            }
        }
        out
    }

    pub fn take_all(&mut self) -> Vec<FdEntry> {
        self.slots.drain(..).flatten().collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = (i32, &FdEntry)> {
        self.slots.iter().enumerate().filter_map(|(i, e)| e.as_ref().map(|e| (i as i32, e)))
    }
}
