//! The test object: a typed range of some kernel object (`id`), counting
//! its live copies so leaks and double drops show.

use alloc::rc::Rc;
use core::cell::Cell;

use abi::CapType;

use crate::CapObject;

#[derive(Debug)]
pub(crate) struct TObj {
    pub(crate) ty: CapType,
    pub(crate) lo: u32,
    pub(crate) hi: u32,
    pub(crate) id: u64,
    alive: Rc<Cell<i64>>,
}

/// What identifies a test object, for comparisons.
/// (id, type code, lo, hi): ordered, so lists of them can be sorted.
pub(crate) type Key = (u64, u32, u32, u32);

impl TObj {
    pub(crate) fn key(&self) -> Key {
        (self.id, self.ty as u32, self.lo, self.hi)
    }
}

impl Clone for TObj {
    fn clone(&self) -> Self {
        self.alive.set(self.alive.get() + 1);
        TObj { ty: self.ty, lo: self.lo, hi: self.hi, id: self.id, alive: self.alive.clone() }
    }
}

impl Drop for TObj {
    fn drop(&mut self) {
        self.alive.set(self.alive.get() - 1);
    }
}

impl PartialEq for TObj {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
    }
}

impl CapObject for TObj {
    fn cap_type(&self) -> CapType {
        self.ty
    }

    fn is_within(&self, p: &Self) -> bool {
        self.id == p.id && self.lo >= p.lo && self.hi <= p.hi
    }
}

/// Makes objects with fresh ids and counts the live ones.
#[derive(Default)]
pub(crate) struct Objs {
    alive: Rc<Cell<i64>>,
    next_id: Cell<u64>,
}

impl Objs {
    pub(crate) fn make(&self, ty: CapType, lo: u32, hi: u32) -> TObj {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        self.with_id(id, ty, lo, hi)
    }

    /// A (narrower) object of an existing id.
    pub(crate) fn with_id(&self, id: u64, ty: CapType, lo: u32, hi: u32) -> TObj {
        self.alive.set(self.alive.get() + 1);
        TObj { ty, lo, hi, id, alive: self.alive.clone() }
    }

    pub(crate) fn alive(&self) -> i64 {
        self.alive.get()
    }
}
