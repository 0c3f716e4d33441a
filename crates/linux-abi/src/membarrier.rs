//! `membarrier(2)` commands (`linux/membarrier.h`). Each command is one
//! bit, so `MEMBARRIER_CMD_QUERY` can answer with the set supported.

pub const MEMBARRIER_CMD_QUERY: u32 = 0;
pub const MEMBARRIER_CMD_GLOBAL: u32 = 1 << 0;
pub const MEMBARRIER_CMD_GLOBAL_EXPEDITED: u32 = 1 << 1;
pub const MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED: u32 = 1 << 2;
pub const MEMBARRIER_CMD_PRIVATE_EXPEDITED: u32 = 1 << 3;
pub const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED: u32 = 1 << 4;
pub const MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE: u32 = 1 << 5;
pub const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE: u32 = 1 << 6;
pub const MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ: u32 = 1 << 7;
pub const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ: u32 = 1 << 8;
/// Linux 6.3: which of the REGISTER commands this process has issued.
pub const MEMBARRIER_CMD_GET_REGISTRATIONS: u32 = 1 << 9;
/// The old name of `MEMBARRIER_CMD_GLOBAL`.
pub const MEMBARRIER_CMD_SHARED: u32 = MEMBARRIER_CMD_GLOBAL;
/// `flags` for `MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ`: `cpu_id` is valid.
pub const MEMBARRIER_CMD_FLAG_CPU: u32 = 1 << 0;
