//! The heap's one error.

use core::fmt;

/// The heap has no block that can satisfy the layout. The heap is unchanged
/// apart from having released its cached empty slabs; the caller may add a
/// region of [`Heap::bytes_needed_for`](crate::Heap::bytes_needed_for) bytes
/// and retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocError;

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("kernel heap exhausted")
    }
}
