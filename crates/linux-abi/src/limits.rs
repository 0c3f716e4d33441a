//! System-wide limits (<linux/limits.h>).

/// Most supplementary groups a process may have.
pub const NGROUPS_MAX: u32 = 65536;
/// Longest file name component.
pub const NAME_MAX: u32 = 255;
/// Writes to a pipe up to this size are atomic.
pub const PIPE_BUF: u32 = 4096;
