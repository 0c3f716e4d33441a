//! One capability table: its slots, which are empty, and its limit. A
//! live slot holds the capability itself (object, rights, badge) and the
//! id of its node in the derivation tree, so a lookup needs only the
//! table's lock, never the tree's.
//!
//! Storage grows lazily up to the highest slot in use (limits may be 1 << 20
//! while most tables hold a handful of capabilities) and trailing empty
//! slots are trimmed as they appear. A bitmap of non-empty slots, one bit
//! per slot, lets "lowest free slot" skip 64 occupied slots per step.

use alloc::vec::Vec;

use abi::{Error, Rights};

use crate::node::NodeId;
use crate::reserve::grow;

/// What a slot holds, without the capability itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SlotState {
    Empty,
    /// A revoked capability: unusable, and the slot is not reused until the
    /// owner deletes it (so the owner learns of the revocation).
    Tombstone,
    Live(NodeId),
}

/// A live capability, as its slot keeps it.
pub(crate) struct Live<O> {
    pub(crate) node: NodeId,
    pub(crate) object: O,
    pub(crate) rights: Rights,
    pub(crate) badge: u64,
}

pub(crate) enum Slot<O> {
    Empty,
    Tombstone,
    Live(Live<O>),
}

impl<O> Slot<O> {
    fn state(&self) -> SlotState {
        match self {
            Slot::Empty => SlotState::Empty,
            Slot::Tombstone => SlotState::Tombstone,
            Slot::Live(l) => SlotState::Live(l.node),
        }
    }
}

const WORD_BITS: usize = 64;

pub(crate) struct Table<O> {
    limit: u32,
    /// Slots up to the highest non-empty one; beyond is empty.
    slots: Vec<Slot<O>>,
    /// Bit `i` is set iff `slots[i]` is not `Empty`; bits past
    /// `slots.len()` are clear.
    occupied: Vec<u64>,
    live: usize,
    /// Always empty, with room for at least `live` objects, so that
    /// `destroy_table` can hand every object back without allocating: it
    /// is what the kernel calls when a task dies, and that cannot fail.
    reclaim: Vec<O>,
}

fn words_for(slots: usize) -> usize {
    slots.div_ceil(WORD_BITS)
}

impl<O> Table<O> {
    pub(crate) const fn new(limit: u32) -> Self {
        Table { limit, slots: Vec::new(), occupied: Vec::new(), live: 0, reclaim: Vec::new() }
    }

    pub(crate) fn limit(&self) -> u32 {
        self.limit
    }

    pub(crate) fn set_limit(&mut self, limit: u32) {
        self.limit = limit;
    }

    pub(crate) fn live_count(&self) -> usize {
        self.live
    }

    /// Number of stored slots (those past it are empty).
    #[cfg(test)]
    pub(crate) fn stored(&self) -> usize {
        self.slots.len()
    }

    pub(crate) fn state(&self, slot: u32) -> SlotState {
        self.slots.get(slot as usize).map_or(SlotState::Empty, Slot::state)
    }

    /// The live capability in `slot`: `InvalidCap` if empty, `Revoked` if a
    /// tombstone.
    pub(crate) fn live_cap(&self, slot: u32) -> Result<&Live<O>, Error> {
        match self.slots.get(slot as usize) {
            Some(Slot::Live(l)) => Ok(l),
            Some(Slot::Tombstone) => Err(Error::Revoked),
            Some(Slot::Empty) | None => Err(Error::InvalidCap),
        }
    }

    /// The live capabilities with their slots, in slot order.
    pub(crate) fn lives(&self) -> impl Iterator<Item = (u32, &Live<O>)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| match s {
            Slot::Live(l) => Some((u32::try_from(i).ok()?, l)),
            _ => None,
        })
    }

    /// Lowest empty slot `>= min` and below the limit. O(stored slots / 64).
    pub(crate) fn first_free(&self, min: u32) -> Option<u32> {
        if min >= self.limit {
            return None;
        }
        let mut i = min as usize;
        while i < self.slots.len() {
            let w = i / WORD_BITS;
            // Treat the bits below `i` in this word as taken.
            let below = (1u64 << (i % WORD_BITS)) - 1;
            let word = self.occupied.get(w).copied().unwrap_or(0) | below;
            if word != u64::MAX {
                // Bits past the stored slots are clear, so this may land
                // just past the end: still an empty slot.
                i = w * WORD_BITS + (!word).trailing_zeros() as usize;
                break;
            }
            i = (w + 1) * WORD_BITS;
        }
        // `i >= min`: either a clear bit or the end of storage.
        let free = u32::try_from(i).ok()?;
        (free < self.limit).then_some(free)
    }

    /// Ensures `put_live(slot, ..)` will not allocate, and that the reclaim
    /// vector has room for one more object. Changes nothing visible.
    pub(crate) fn reserve(&mut self, slot: u32) -> Result<(), Error> {
        self.reserve_len((slot as usize).saturating_add(1), self.live.saturating_add(1))
    }

    /// Room for `len` stored slots and `objects` reclaimed objects.
    pub(crate) fn reserve_len(&mut self, len: usize, objects: usize) -> Result<(), Error> {
        let (slots, words) = (self.slots.len(), self.occupied.len());
        grow(&mut self.slots, len.saturating_sub(slots))?;
        grow(&mut self.occupied, words_for(len).saturating_sub(words))?;
        // `reclaim` is empty, so this asks for capacity >= `objects`.
        grow(&mut self.reclaim, objects)
    }

    /// Puts a live capability in an empty slot. Storage must have been
    /// reserved with `reserve`, so this does not allocate. A slot that is
    /// already live is left alone (and `cap` dropped: a bug in the caller).
    pub(crate) fn put_live(&mut self, slot: u32, cap: Live<O>) {
        let i = slot as usize;
        while self.slots.len() <= i {
            self.slots.push(Slot::Empty);
        }
        self.occupied.resize(words_for(self.slots.len()), 0);
        if let Some(s) = self.slots.get_mut(i) {
            if let Slot::Live(_) = *s {
                return;
            }
            *s = Slot::Live(cap);
            self.live += 1;
        }
        if let Some(w) = self.occupied.get_mut(i / WORD_BITS) {
            *w |= 1 << (i % WORD_BITS);
        }
    }

    /// Turns a live slot into a tombstone, returning what it held.
    pub(crate) fn make_tombstone(&mut self, slot: u32) -> Option<Live<O>> {
        let s = self.slots.get_mut(slot as usize)?;
        if !matches!(s, Slot::Live(_)) {
            return None;
        }
        self.live = self.live.saturating_sub(1);
        match core::mem::replace(s, Slot::Tombstone) {
            Slot::Live(l) => Some(l),
            _ => None,
        }
    }

    /// Empties a slot, trimming the storage's empty tail, and returns the
    /// capability it held, if live. Never allocates.
    pub(crate) fn clear(&mut self, slot: u32) -> Option<Live<O>> {
        let i = slot as usize;
        let s = self.slots.get_mut(i)?;
        let old = core::mem::replace(s, Slot::Empty);
        if let Slot::Live(_) = old {
            self.live = self.live.saturating_sub(1);
        }
        if let Some(w) = self.occupied.get_mut(i / WORD_BITS) {
            *w &= !(1 << (i % WORD_BITS));
        }
        while let Some(Slot::Empty) = self.slots.last() {
            self.slots.pop();
        }
        self.occupied.truncate(words_for(self.slots.len()));
        match old {
            Slot::Live(l) => Some(l),
            _ => None,
        }
    }

    /// Takes every live capability out (the table is being destroyed),
    /// leaving the storage empty. Never allocates.
    pub(crate) fn drain_live(&mut self) -> impl Iterator<Item = Live<O>> + '_ {
        self.live = 0;
        self.occupied.clear();
        self.slots.drain(..).filter_map(|s| match s {
            Slot::Live(l) => Some(l),
            _ => None,
        })
    }

    /// The reclaim vector, with room for every live object; the table is
    /// being destroyed.
    pub(crate) fn take_reclaim(&mut self) -> Vec<O> {
        core::mem::take(&mut self.reclaim)
    }

    /// Invariant checks for the tests.
    #[cfg(test)]
    pub(crate) fn check(&self) -> Result<(), &'static str> {
        if matches!(self.slots.last(), Some(Slot::Empty)) {
            return Err("table storage ends in an empty slot");
        }
        if self.occupied.len() != words_for(self.slots.len()) {
            return Err("bitmap length disagrees with storage");
        }
        for (w, word) in self.occupied.iter().enumerate() {
            for b in 0..WORD_BITS {
                let i = w * WORD_BITS + b;
                let set = word & (1 << b) != 0;
                let used = !matches!(self.state(u32::try_from(i).unwrap_or(u32::MAX)), SlotState::Empty);
                if set != used {
                    return Err("bitmap disagrees with slots");
                }
            }
        }
        let live = self.slots.iter().filter(|s| matches!(s, Slot::Live(_))).count();
        if live != self.live {
            return Err("live count disagrees with slots");
        }
        if !self.reclaim.is_empty() || self.reclaim.capacity() < self.live {
            return Err("reclaim reserve too small or not empty");
        }
        Ok(())
    }
}
