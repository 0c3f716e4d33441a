//! Why a page-table operation was refused. Each refused operation leaves the
//! tables exactly as they were.

use core::fmt;

use crate::page_size::PageSize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    /// A page of the requested size is already mapped at this address.
    AlreadyMapped,
    /// The virtual or physical address is not aligned to the page size.
    Misaligned,
    /// A larger page already covers this address.
    HugePageInTheWay,
    /// A lower-level table (possibly empty) occupies the slot where a huge page
    /// would go. Tables are freed only at teardown, so the range must keep
    /// using small pages.
    TableInTheWay,
    /// `HUGE` was passed; it is chosen by the page size, not by the caller.
    InvalidFlags,
    /// A needed intermediate table could not be allocated.
    OutOfMemory,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnmapError {
    NotMapped,
    /// The address is inside a mapped page of this size but not at its start.
    Misaligned {
        page_size: PageSize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateFlagsError {
    NotMapped,
    /// The address is inside a mapped page of this size but not at its start.
    Misaligned {
        page_size: PageSize,
    },
    /// `HUGE` was passed; it is chosen by the page size, not by the caller.
    InvalidFlags,
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MapError::AlreadyMapped => "a page is already mapped there",
            MapError::Misaligned => "address not aligned to the page size",
            MapError::HugePageInTheWay => "a larger page already covers the address",
            MapError::TableInTheWay => "a page table occupies the huge page's slot",
            MapError::InvalidFlags => "HUGE is not a caller flag",
            MapError::OutOfMemory => "out of memory for page tables",
        })
    }
}

impl fmt::Display for UnmapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnmapError::NotMapped => f.write_str("nothing mapped there"),
            UnmapError::Misaligned { page_size } => {
                write!(f, "not the start of the mapped {page_size:?} page")
            }
        }
    }
}

impl fmt::Display for UpdateFlagsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateFlagsError::NotMapped => f.write_str("nothing mapped there"),
            UpdateFlagsError::Misaligned { page_size } => {
                write!(f, "not the start of the mapped {page_size:?} page")
            }
            UpdateFlagsError::InvalidFlags => f.write_str("HUGE is not a caller flag"),
        }
    }
}
