//! Policy routing rules: `include/uapi/linux/fib_rules.h`.

/// `sizeof(struct fib_rule_hdr)`: family, dst_len, src_len, tos, table,
/// res1, res2, action, flags (u32).
pub const FIB_RULE_HDR_LEN: usize = 12;

pub const FRA_PRIORITY: u16 = 6;
pub const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
pub const FRA_TABLE: u16 = 15;
pub const FRA_PROTOCOL: u16 = 21;

/// `FR_ACT_TO_TBL`: look the destination up in the rule's table.
pub const FR_ACT_TO_TBL: u8 = 1;
