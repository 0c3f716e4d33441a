//! Errors returned by the frame allocator.

use core::fmt;

/// [`FrameAllocator::new`](crate::FrameAllocator::new) could not build an allocator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitError {
    /// The span's start lies above its end, or it holds more frames than a
    /// `usize` can index.
    InvalidSpan,
    /// The storage slice is shorter than the bitmaps need.
    StorageTooSmall {
        /// Words the span needs, as [`FrameAllocator::words_needed`](crate::FrameAllocator::words_needed) reports.
        needed_words: usize,
    },
}

/// No free frame satisfies the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

/// A contiguous allocation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContiguousError {
    /// No run of free frames with the requested length and alignment exists.
    OutOfMemory,
    /// Zero frames were requested; there is no address to return for that.
    ZeroFrames,
    /// The alignment is zero or not a power of two.
    BadAlignment,
}

/// A free was rejected; the allocator's state is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreeError {
    /// The address is not a multiple of [`FRAME_SIZE`](crate::FRAME_SIZE).
    Misaligned,
    /// Some of the frames lie outside the allocator's span.
    OutOfRange,
    /// Some of the frames are inside the span but were never added or reserved
    /// (a hole in the memory map); freeing them would put non-RAM in the pool.
    NotManaged,
    /// Some of the frames are already free: a double free.
    NotAllocated,
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSpan => f.write_str("invalid physical span"),
            Self::StorageTooSmall { needed_words } => {
                write!(f, "bitmap storage too small: {needed_words} words needed")
            }
        }
    }
}

impl fmt::Display for OutOfMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("out of physical frames")
    }
}

impl fmt::Display for ContiguousError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OutOfMemory => "no contiguous run of free frames",
            Self::ZeroFrames => "zero frames requested",
            Self::BadAlignment => "alignment is not a power of two",
        })
    }
}

impl fmt::Display for FreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Misaligned => "address is not frame aligned",
            Self::OutOfRange => "frame outside the allocator's span",
            Self::NotManaged => "frame was never added to the allocator",
            Self::NotAllocated => "frame is already free",
        })
    }
}
