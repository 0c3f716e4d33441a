//! Where a new capability goes in its table.

use abi::Error;

use crate::table::{SlotState, Table};

/// How to choose the slot for a new (or moved) capability.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The lowest empty slot `>= min` below the table's limit (what Linux
    /// does for a new file descriptor); `TableFull` if there is none.
    Lowest { min: u32 },
    /// Exactly this slot: `InvalidArgument` unless it is below the limit,
    /// `Busy` if it holds a capability or a tombstone.
    Exactly(u32),
}

impl Placement {
    /// The slot this placement picks in `table`, which is not changed.
    pub(crate) fn resolve<O>(self, table: &Table<O>) -> Result<u32, Error> {
        match self {
            Placement::Lowest { min } => table.first_free(min).ok_or(Error::TableFull),
            Placement::Exactly(slot) if slot >= table.limit() => Err(Error::InvalidArgument),
            Placement::Exactly(slot) => match table.state(slot) {
                SlotState::Empty => Ok(slot),
                SlotState::Tombstone | SlotState::Live(_) => Err(Error::Busy),
            },
        }
    }
}
