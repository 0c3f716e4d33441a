//! What `statfs` reports about a whole file system.

/// Capacity and usage of a file system. Counts are in `block_size` units and
/// inodes; a file system without a limit reports its current usage plus
/// what its budget allows.
#[derive(Copy, Clone, Eq, PartialEq, Debug, Default)]
pub struct FsStats {
    pub block_size: u32,
    pub total_blocks: u64,
    pub free_blocks: u64,
    pub total_inodes: u64,
    pub free_inodes: u64,
    /// Longest name a directory entry may have.
    pub name_max: u32,
}
