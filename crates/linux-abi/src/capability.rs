//! Capability numbers (`linux/capability.h`): only the bound matters to a
//! kernel without capability checks (`PR_CAPBSET_READ`, `cap_last_cap`).

/// The highest capability this ABI knows (CAP_CHECKPOINT_RESTORE, Linux 5.9+).
pub const CAP_LAST_CAP: u32 = 40;
