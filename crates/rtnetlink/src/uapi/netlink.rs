//! `include/uapi/linux/netlink.h`: the message header, its flags, the
//! control message types, `struct nlmsgerr` and the socket options.

/// `NETLINK_ROUTE`, the protocol number of rtnetlink sockets.
pub const NETLINK_ROUTE: u32 = 0;

/// `NLMSG_ALIGNTO`: headers and messages start on 4-byte boundaries.
pub const NLMSG_ALIGNTO: usize = 4;
/// `NLMSG_HDRLEN`: `sizeof(struct nlmsghdr)` (len, type, flags, seq, pid).
pub const NLMSG_HDRLEN: usize = 16;
/// `sizeof(struct sockaddr_nl)`: family, pad, pid, groups.
pub const SOCKADDR_NL_LEN: usize = 12;
/// `sizeof(struct nlmsgerr)`: the error and the offending request's header.
pub const NLMSGERR_LEN: usize = 20;

pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_ECHO: u16 = 0x08;
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
pub const NLM_F_ROOT: u16 = 0x100;
pub const NLM_F_MATCH: u16 = 0x200;
pub const NLM_F_ATOMIC: u16 = 0x400;
pub const NLM_F_DUMP: u16 = NLM_F_ROOT | NLM_F_MATCH;
/// In an ack: the request was not echoed back (always so for success).
pub const NLM_F_CAPPED: u16 = 0x100;
/// In an ack or `NLMSG_DONE`: extended-ack attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

pub const NLMSG_NOOP: u16 = 0x1;
pub const NLMSG_ERROR: u16 = 0x2;
pub const NLMSG_DONE: u16 = 0x3;
pub const NLMSG_OVERRUN: u16 = 0x4;
/// Types below this are control messages, never handed to rtnetlink.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// Extended-ack attributes (`enum nlmsgerr_attrs`).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// `SOL_NETLINK` and its options.
pub const SOL_NETLINK: i32 = 270;
pub const NETLINK_ADD_MEMBERSHIP: i32 = 1;
pub const NETLINK_DROP_MEMBERSHIP: i32 = 2;
pub const NETLINK_PKTINFO: i32 = 3;
pub const NETLINK_BROADCAST_ERROR: i32 = 4;
pub const NETLINK_NO_ENOBUFS: i32 = 5;
pub const NETLINK_LISTEN_ALL_NSID: i32 = 8;
pub const NETLINK_LIST_MEMBERSHIPS: i32 = 9;
pub const NETLINK_CAP_ACK: i32 = 10;
pub const NETLINK_EXT_ACK: i32 = 11;
pub const NETLINK_GET_STRICT_CHK: i32 = 12;
