//! What a capability names.

use abi::CapType;

/// A kernel object as a capability table sees it. Each capability holds its
/// own value (typically a cheap handle such as an `Arc`, plus the sub-range
/// the capability covers), cloned when a capability is derived or copied.
pub trait CapObject: Clone {
    fn cap_type(&self) -> CapType;
    /// Whether `self` names no more than `parent` does (e.g. a sub-range of
    /// ports). Used by derive.
    fn is_within(&self, parent: &Self) -> bool;
}
