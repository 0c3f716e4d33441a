//! One split virtqueue (virtio 1.x, 2.7): the descriptor table, the
//! driver ("available") ring and the device ("used") ring, in DMA memory.
//! What the buffers hold is the device type's business: a driver that
//! needs per-chain memory of its own (virtio-blk's request headers and
//! status bytes) keeps it outside the queue's pages.
//!
//! Layout of the queue's DMA memory (`PAGES` pages, size <= 256):
//!
//! | page | what |
//! |---|---|
//! | 0 | descriptor table, 16 bytes each |
//! | 1 | available ring: flags, idx, ring[size], used_event |
//! | 2 | used ring: flags, idx, ring[size] of (id, len), avail_event |
//!
//! Ordering: descriptors (and what they point to) are written before the ring entry,
//! the ring entry before `avail.idx` (release fence), `avail.idx` before
//! reading `used.flags` to decide whether to notify (full fence), and
//! `used.idx` is read before the entries it covers (acquire fence). On x86
//! the fences cost nothing but compiler ordering except the full one; they
//! state what the protocol needs.

#![forbid(unsafe_code)]

use crate::window::Window;
use alloc::vec::Vec;
use core::sync::atomic::{fence, Ordering};

pub const PAGES: u64 = 3;
/// The largest size whose rings fit a page each (the descriptor table:
/// 256 x 16 bytes).
pub const MAX_SIZE: u16 = 256;

const DESC: u64 = 0;
const AVAIL: u64 = 4096;
const USED: u64 = 8192;

const DESC_F_NEXT: u16 = 1;
const DESC_F_WRITE: u16 = 2;
const USED_F_NO_NOTIFY: u16 = 1;

/// A buffer in a chain: physical address, length, and whether the device
/// writes it (else reads it).
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub phys: u64,
    pub len: u32,
    pub device_writes: bool,
}

/// A finished chain: its head, and how many bytes the device wrote into
/// its device-writable buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Used {
    pub head: u16,
    pub len: u32,
}

pub struct Queue {
    mem: Window,
    phys: u64,
    size: u16,
    /// The queue's index, which is what a notification writes.
    index: u16,
    /// Where to write `index` to notify the device (the queue's doorbell).
    notify: Window,
    free: Vec<u16>,
    /// The descriptors of each chain the device holds, by head.
    in_flight: Vec<Option<Vec<u16>>>,
    avail_idx: u16,
    last_used: u16,
}

/// What the device did wrong with the used ring.
#[derive(Debug)]
pub struct Bogus {
    pub id: u32,
}

impl Queue {
    /// Queue `index` of its device, in `mem`: mapped DMA memory (at least
    /// `PAGES` pages) at physical `phys`, zeroed; `size`: a power of two
    /// <= `MAX_SIZE`; `notify`: its doorbell.
    pub fn new(index: u16, mem: Window, phys: u64, size: u16, notify: Window) -> Queue {
        debug_assert!(size.is_power_of_two() && size <= MAX_SIZE && mem.len() >= PAGES * 4096);
        // Interrupts wanted: avail.flags stays 0.
        mem.write16(AVAIL, 0);
        mem.write16(AVAIL + 2, 0);
        Queue {
            mem,
            phys,
            size,
            index,
            notify,
            free: (0..size).rev().collect(),
            in_flight: (0..size).map(|_| None).collect(),
            avail_idx: 0,
            last_used: 0,
        }
    }

    pub fn size(&self) -> u16 {
        self.size
    }
    pub fn index(&self) -> u16 {
        self.index
    }
    pub fn desc_phys(&self) -> u64 {
        self.phys + DESC
    }
    pub fn avail_phys(&self) -> u64 {
        self.phys + AVAIL
    }
    pub fn used_phys(&self) -> u64 {
        self.phys + USED
    }

    /// Chains the device holds.
    pub fn busy(&self) -> usize {
        self.in_flight.iter().filter(|c| c.is_some()).count()
    }

    /// Descriptors not in a chain the device holds.
    pub fn free(&self) -> usize {
        self.free.len()
    }

    /// Takes `n` descriptors for a chain; the first is its head. None if
    /// fewer are free.
    pub fn reserve(&mut self, n: usize) -> Option<Vec<u16>> {
        if n == 0 || n > self.free.len() {
            return None;
        }
        let at = self.free.len() - n;
        Some(self.free.split_off(at))
    }

    /// Fills the reserved `descs` with `segments` (same length) and makes
    /// the chain available to the device. Call `kick` afterwards.
    pub fn publish(&mut self, descs: Vec<u16>, segments: &[Segment]) {
        assert_eq!(descs.len(), segments.len());
        for (i, (&d, s)) in descs.iter().zip(segments).enumerate() {
            let at = DESC + 16 * u64::from(d);
            let next = descs.get(i + 1).copied();
            let mut flags = if s.device_writes { DESC_F_WRITE } else { 0 };
            if next.is_some() {
                flags |= DESC_F_NEXT;
            }
            self.mem.write64(at, s.phys);
            self.mem.write32(at + 8, s.len);
            self.mem.write16(at + 12, flags);
            self.mem.write16(at + 14, next.unwrap_or(0));
        }
        let head = descs[0];
        let slot = u64::from(self.avail_idx % self.size);
        self.mem.write16(AVAIL + 4 + 2 * slot, head);
        // The descriptors, what they point to and the ring entry before
        // the index that hands them over.
        fence(Ordering::Release);
        self.avail_idx = self.avail_idx.wrapping_add(1);
        self.mem.write16(AVAIL + 2, self.avail_idx);
        self.in_flight[head as usize] = Some(descs);
    }

    /// Tells the device about new chains unless it asked not to be told.
    pub fn kick(&self) {
        // avail.idx must be visible before used.flags is read, or the
        // device could go idle between the two without our notification.
        fence(Ordering::SeqCst);
        if self.mem.read16(USED) & USED_F_NO_NOTIFY == 0 {
            self.notify.write16(0, self.index);
        }
    }

    /// The chains the device has finished since the last call; their
    /// descriptors are free again. `Err` if the device returned an id
    /// that names no chain it holds.
    pub fn take_used(&mut self) -> Result<Vec<Used>, Bogus> {
        self.take_used_at_most(usize::MAX)
    }

    /// As `take_used`, but at most `limit` chains: the rest stay in the
    /// used ring, their buffers still the driver's to read (a driver that
    /// cannot pass data on yet leaves it there, and the device, short of
    /// buffers, stops).
    pub fn take_used_at_most(&mut self, limit: usize) -> Result<Vec<Used>, Bogus> {
        let idx = self.mem.read16(USED + 2);
        // The entries after the index that covers them.
        fence(Ordering::Acquire);
        let mut done = Vec::new();
        while self.last_used != idx && done.len() < limit {
            let slot = u64::from(self.last_used % self.size);
            let id = self.mem.read32(USED + 4 + 8 * slot);
            let len = self.mem.read32(USED + 4 + 8 * slot + 4);
            self.last_used = self.last_used.wrapping_add(1);
            let chain = usize::try_from(id).ok().and_then(|i| self.in_flight.get_mut(i)).and_then(Option::take);
            match chain {
                Some(descs) => {
                    self.free.extend(descs);
                    done.push(Used { head: id as u16, len });
                }
                None => return Err(Bogus { id }),
            }
        }
        Ok(done)
    }
}
