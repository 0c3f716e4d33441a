//! A process's file descriptors, which are capabilities.
//!
//! A Linux descriptor is a slot in its process's capability table (the same
//! kind of table a native task's slots live in, `cap/`): descriptor N is
//! slot N, holding a `File` capability. dup makes a child capability of the
//! same open file, fork clones the table (each descriptor a child of the
//! parent's), close deletes the slot. Only close-on-exec, a property of the
//! descriptor rather than of the capability, is kept here beside the table.

use super::OpenFile;
use crate::cap::{self, KObject};
use abi::Rights;
use alloc::collections::BTreeSet;
use alloc::sync::Arc;
use alloc::vec::Vec;
use captable::{Placement, TableId};

/// The table's own bound; Linux's RLIMIT_NOFILE is checked on top of it.
const TABLE_LIMIT: u32 = 1 << 20;

#[derive(Clone)]
pub struct FdEntry {
    pub file: Arc<OpenFile>,
    pub close_on_exec: bool,
}

/// A descriptor just closed, to be dropped outside every lock: dropping it
/// releases its process's POSIX record locks on the file (which wakes the
/// lock waiters' queue, outermost in the lock order, so never under the
/// descriptor table's lock), then lets go of the file (whose last close
/// may sleep or wake others), or of the other kind of capability the slot
/// held (a native task's: its last reference may end a process, which
/// takes the process table, also before the descriptor table).
pub struct Closed {
    /// The file and its close-on-exec flag (None: not a file).
    pub entry: Option<FdEntry>,
    /// Kept only to be dropped with this, outside the lock.
    #[allow(dead_code)]
    other: Option<KObject>,
    lock_owner: u64,
}

impl Drop for Closed {
    fn drop(&mut self) {
        if let Some(entry) = &self.entry {
            super::locks::descriptor_closed(&entry.file, self.lock_owner);
        }
    }
}

pub struct FdTable {
    table: TableId,
    close_on_exec: BTreeSet<u32>,
    /// How many numbers Linux's table would have room for (its max_fds):
    /// select clamps nfds to it, so programs see the same bits read and
    /// written as on Linux. Grows, never shrinks, while the table lives.
    capacity: u32,
}

/// Linux's fd table starts with room for 64 (BITS_PER_LONG) and grows to
/// the smallest power of two above the number installed (alloc_fdtable).
const FIRST_CAPACITY: u32 = 64;

fn capacity_for(fd: u32) -> u32 {
    fd.saturating_add(1).checked_next_power_of_two().unwrap_or(u32::MAX).max(FIRST_CAPACITY)
}

#[derive(Debug)]
pub struct NoMemory;

fn slot(fd: i32) -> Option<u32> {
    u32::try_from(fd).ok()
}

/// The open file descriptor `fd` of the descriptor table whose capability
/// table is `table` (a process's `cap_table`), without the descriptor
/// table's own lock: that guards the close-on-exec flags and keeps
/// changes whole, while a look-up is one capability look-up, under only
/// that table's lock (as Linux's `fdget` takes no lock). Every read, write
/// and wait on every CPU comes through here.
pub fn file_in(table: TableId, fd: i32) -> Option<Arc<OpenFile>> {
    let s = slot(fd)?;
    cap::space()
        .with_cap(table, u64::from(s), |c| match c.object {
            KObject::File(f) => Some(f.clone()),
            _ => None,
        })
        .ok()
        .flatten()
}

impl FdTable {
    pub fn new() -> Result<Self, NoMemory> {
        let table = cap::create_table(TABLE_LIMIT).map_err(|_| NoMemory)?;
        Ok(FdTable { table, close_on_exec: BTreeSet::new(), capacity: FIRST_CAPACITY })
    }

    /// The capability table behind the descriptors.
    pub fn table(&self) -> TableId {
        self.table
    }

    /// Who owns the POSIX record locks set through these descriptors.
    /// Linux keys them by the descriptor table, not the process: threads
    /// share their locks, a forked child starts with none, and a process
    /// that shares its table (CLONE_FILES) shares its locks too.
    pub fn lock_owner(&self) -> u64 {
        self.table.id()
    }

    /// A copy for fork: every descriptor becomes a child capability of the
    /// parent's, naming the same open file.
    pub fn try_clone(&self) -> Result<FdTable, NoMemory> {
        let table = cap::with_space(|s| s.clone_table(self.table, TABLE_LIMIT)).map_err(|_| NoMemory)?;
        // Linux's fork copies into a table sized for the highest open
        // number, not the parent's grown one.
        let capacity = self.open_between(0, u32::MAX).last().map_or(FIRST_CAPACITY, |&fd| capacity_for(fd));
        Ok(FdTable { table, close_on_exec: self.close_on_exec.clone(), capacity })
    }

    /// Linux's max_fds for this table (see `capacity`).
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn get(&self, fd: i32) -> Option<FdEntry> {
        let file = file_in(self.table, fd)?;
        Some(FdEntry { file, close_on_exec: self.close_on_exec.contains(&(fd as u32)) })
    }

    /// Sets a descriptor's close-on-exec flag; false if there is no such
    /// descriptor.
    pub fn set_close_on_exec(&mut self, fd: i32, value: bool) -> bool {
        if self.get(fd).is_none() {
            return false;
        }
        let s = fd as u32;
        if value {
            self.close_on_exec.insert(s);
        } else {
            self.close_on_exec.remove(&s);
        }
        true
    }

    fn place(&mut self, entry: FdEntry, at: Placement) -> Option<i32> {
        let s = cap::with_space(|sp| sp.insert_root(self.table, at, KObject::File(entry.file), Rights::ALL, 0)).ok()?;
        self.capacity = self.capacity.max(capacity_for(s));
        if entry.close_on_exec {
            self.close_on_exec.insert(s);
        } else {
            self.close_on_exec.remove(&s);
        }
        i32::try_from(s).ok()
    }

    /// Installs at the lowest free number ≥ `min`, below `limit`.
    pub fn insert(&mut self, entry: FdEntry, min: i32, limit: u64) -> Option<i32> {
        let min = slot(min)?;
        let free = cap::with_space(|sp| sp.first_free(self.table, min))?;
        if u64::from(free) >= limit {
            return None;
        }
        self.place(entry, Placement::Exactly(free))
    }

    /// dup: a child capability of `fd`'s at the lowest free number ≥ `min`
    /// below `limit`. None if `fd` is not open or no number is free.
    pub fn duplicate(&mut self, fd: i32, min: i32, limit: u64, close_on_exec: bool) -> Option<i32> {
        let free = cap::with_space(|sp| sp.first_free(self.table, slot(min)?))?;
        if u64::from(free) >= limit {
            return None;
        }
        self.copy_to(fd, free, close_on_exec)
    }

    /// dup2/dup3: a child capability of `fd`'s at exactly `to`. Returns
    /// what was at `to` (to be closed outside any lock), or Err if `fd` is
    /// not open.
    pub fn duplicate_to(&mut self, fd: i32, to: i32, close_on_exec: bool) -> Result<Option<Closed>, ()> {
        self.get(fd).ok_or(())?;
        let to_slot = slot(to).ok_or(())?;
        if fd == to {
            self.set_close_on_exec(fd, close_on_exec);
            return Ok(None);
        }
        let old = self.remove(to);
        self.copy_to(fd, to_slot, close_on_exec).ok_or(())?;
        Ok(old)
    }

    fn copy_to(&mut self, fd: i32, to: u32, close_on_exec: bool) -> Option<i32> {
        let from = u64::from(slot(fd)?);
        let s = cap::with_space(|sp| sp.copy_unchecked(self.table, from, self.table, Placement::Exactly(to))).ok()?;
        self.capacity = self.capacity.max(capacity_for(s));
        if close_on_exec {
            self.close_on_exec.insert(s);
        } else {
            self.close_on_exec.remove(&s);
        }
        i32::try_from(s).ok()
    }

    /// Installs at exactly `fd`, returning what was there (to be dropped
    /// outside any lock: closing can block or wake others).
    pub fn insert_at(&mut self, fd: i32, entry: FdEntry) -> Option<Closed> {
        let old = self.remove(fd);
        self.place(entry, Placement::Exactly(slot(fd)?));
        old
    }

    /// Closes descriptor `fd`, returning its entry (to be dropped outside
    /// any lock). Whatever the descriptor, the process's POSIX record locks
    /// on its file go when it is dropped, as POSIX says.
    pub fn remove(&mut self, fd: i32) -> Option<Closed> {
        let s = slot(fd)?;
        let close_on_exec = self.close_on_exec.remove(&s);
        match cap::with_space(|sp| sp.delete(self.table, u64::from(s))) {
            Ok(Some(KObject::File(file))) => Some(Closed {
                entry: Some(FdEntry { file, close_on_exec }),
                other: None,
                lock_owner: self.lock_owner(),
            }),
            Ok(Some(other)) => Some(Closed { entry: None, other: Some(other), lock_owner: self.lock_owner() }),
            _ => None,
        }
    }

    /// Drops every close-on-exec entry, returning them for closing.
    pub fn take_close_on_exec(&mut self) -> Vec<Closed> {
        let fds: Vec<u32> = self.close_on_exec.iter().copied().collect();
        fds.into_iter().filter_map(|s| self.remove(s as i32)).collect()
    }

    /// Empties the table (exit, or exec into another personality), returning
    /// the files for closing. Capabilities that are not files are dropped.
    pub fn take_all(&mut self) -> Vec<Closed> {
        let mut slots: Vec<u32> = Vec::new();
        cap::space().for_each(self.table, |s, _| slots.push(s));
        let mut out = Vec::new();
        for s in slots {
            let close_on_exec = self.close_on_exec.remove(&s);
            match cap::with_space(|sp| sp.delete(self.table, u64::from(s))) {
                Ok(Some(KObject::File(file))) => out.push(Closed {
                    entry: Some(FdEntry { file, close_on_exec }),
                    other: None,
                    lock_owner: self.lock_owner(),
                }),
                Ok(Some(other)) => out.push(Closed { entry: None, other: Some(other), lock_owner: self.lock_owner() }),
                _ => {}
            }
        }
        out
    }

    /// The open descriptor numbers from `first` to `last`, in order,
    /// without touching the files behind them.
    pub fn open_between(&self, first: u32, last: u32) -> Vec<u32> {
        let mut open = Vec::new();
        cap::space().for_each(self.table, |s, c| {
            if (first..=last).contains(&s) && matches!(c.object, KObject::File(_)) {
                open.push(s);
            }
        });
        open
    }

    /// The descriptors in order.
    pub fn iter(&self) -> Vec<(i32, FdEntry)> {
        let mut files: Vec<(u32, Arc<OpenFile>)> = Vec::new();
        cap::space().for_each(self.table, |s, c| {
            if let KObject::File(f) = c.object {
                files.push((s, f.clone()));
            }
        });
        files
            .into_iter()
            .map(|(s, file)| (s as i32, FdEntry { file, close_on_exec: self.close_on_exec.contains(&s) }))
            .collect()
    }
}

impl Drop for FdTable {
    fn drop(&mut self) {
        cap::destroy_table(self.table);
    }
}
