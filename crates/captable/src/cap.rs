//! A borrowed view of one live capability.

use core::fmt;

use abi::Rights;

/// What a slot holds: the object, the rights and the badge. Borrowed from
/// the [`CapSpace`](crate::CapSpace); clone the object to keep it.
pub struct Cap<'a, O> {
    pub object: &'a O,
    pub rights: Rights,
    pub badge: u64,
}

// Written out because derive would demand `O: Clone`/`O: Copy`; the view
// only holds a reference.
impl<O> Clone for Cap<'_, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for Cap<'_, O> {}

impl<O: fmt::Debug> fmt::Debug for Cap<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cap")
            .field("object", self.object)
            .field("rights", &self.rights)
            .field("badge", &self.badge)
            .finish()
    }
}
