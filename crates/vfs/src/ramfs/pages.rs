//! A regular file's data: 4 KiB pages in a sparse map keyed by page index.
//! A hole (a page never written) costs nothing and reads as zeros; growing a
//! file adds pages without copying the ones it has.
//!
//! Bytes of the last page past the file's length are always zero, so
//! extending a file by truncation or by writing past its end shows zeros
//! there without clearing anything.

use alloc::boxed::Box;
use alloc::collections::btree_map::Entry;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::budget::Budget;
use crate::Error;

pub(super) const PAGE_SIZE: usize = 4096;
const PAGE: u64 = PAGE_SIZE as u64;

#[derive(Debug, Default)]
pub(super) struct Pages {
    len: u64,
    pages: BTreeMap<u64, Box<[u8]>>,
}

impl Pages {
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn page_count(&self) -> u64 {
        self.pages.len() as u64
    }

    /// Copies data at `offset` into `buf`; returns how many bytes, short at
    /// the end of the file.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> usize {
        if offset >= self.len {
            return 0;
        }
        let want = (self.len - offset).min(buf.len() as u64) as usize;
        let mut done = 0;
        while done < want {
            let pos = offset + done as u64;
            let in_page = (pos % PAGE) as usize;
            let n = (PAGE_SIZE - in_page).min(want - done);
            let out = &mut buf[done..done + n];
            match self.pages.get(&(pos / PAGE)) {
                Some(page) => out.copy_from_slice(&page[in_page..in_page + n]),
                None => out.fill(0),
            }
            done += n;
        }
        want
    }

    /// Writes `data` at `offset`, allocating pages against `budget`. Stops
    /// early when a page cannot be had; `NoSpace` if nothing was written.
    /// The caller has checked that `offset + data.len()` does not overflow.
    pub fn write(&mut self, offset: u64, data: &[u8], budget: &mut Budget) -> Result<usize, Error> {
        let mut done = 0;
        while done < data.len() {
            let pos = offset + done as u64;
            let in_page = (pos % PAGE) as usize;
            let n = (PAGE_SIZE - in_page).min(data.len() - done);
            let index = pos / PAGE;
            let page = match self.pages.entry(index) {
                Entry::Occupied(slot) => slot.into_mut(),
                Entry::Vacant(slot) => match new_page(budget) {
                    Some(page) => slot.insert(page),
                    None => break,
                },
            };
            page[in_page..in_page + n].copy_from_slice(&data[done..done + n]);
            done += n;
        }
        if done == 0 && !data.is_empty() {
            return Err(Error::NoSpace);
        }
        self.len = self.len.max(offset + done as u64);
        Ok(done)
    }

    /// Sets the length: pages past it are freed and the rest of the new
    /// last page is cleared; growing leaves a hole.
    pub fn truncate(&mut self, len: u64, budget: &mut Budget) {
        if len < self.len {
            let keep = len.div_ceil(PAGE);
            let dropped = self.pages.split_off(&keep);
            budget.refund_bytes(dropped.len() as u64 * PAGE);
            let in_page = (len % PAGE) as usize;
            if in_page != 0 {
                if let Some(page) = self.pages.get_mut(&(len / PAGE)) {
                    page[in_page..].fill(0);
                }
            }
        }
        self.len = len;
    }

    /// Frees every page (the file is going away).
    pub fn clear(&mut self, budget: &mut Budget) {
        budget.refund_bytes(self.page_count() * PAGE);
        self.pages.clear();
        self.len = 0;
    }

    /// Whether the pages agree with the length: none past the end, and
    /// zeros after the end inside the last one.
    pub fn is_consistent(&self) -> bool {
        let Some((&last, page)) = self.pages.last_key_value() else {
            return true;
        };
        if last >= self.len.div_ceil(PAGE) {
            return false;
        }
        let in_page = (self.len % PAGE) as usize;
        last != self.len / PAGE || in_page == 0 || page[in_page..].iter().all(|&b| b == 0)
    }
}

/// A zeroed page charged to `budget`, or `None` if the budget or the heap
/// has no room for one.
fn new_page(budget: &mut Budget) -> Option<Box<[u8]>> {
    budget.charge_bytes(PAGE).ok()?;
    let mut page = Vec::new();
    if page.try_reserve_exact(PAGE_SIZE).is_err() {
        budget.refund_bytes(PAGE);
        return None;
    }
    page.resize(PAGE_SIZE, 0);
    Some(page.into_boxed_slice())
}
