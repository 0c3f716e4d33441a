//! `include/uapi/linux/rtnetlink.h`: message types, the families' fixed
//! headers' sizes and the `RTEXT_FILTER_*` bits of `IFLA_EXT_MASK`.

pub const RTM_BASE: u16 = 16;

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
pub const RTM_SETLINK: u16 = 19;
pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;
pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;
pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_GETNEIGH: u16 = 30;
pub const RTM_NEWRULE: u16 = 32;
pub const RTM_GETRULE: u16 = 34;
pub const RTM_GETQDISC: u16 = 38;
pub const RTM_GETTCLASS: u16 = 42;
pub const RTM_GETTFILTER: u16 = 46;
pub const RTM_GETACTION: u16 = 50;
pub const RTM_GETMULTICAST: u16 = 58;
pub const RTM_GETANYCAST: u16 = 62;
pub const RTM_GETNEIGHTBL: u16 = 66;
pub const RTM_GETADDRLABEL: u16 = 74;
pub const RTM_GETDCB: u16 = 78;
pub const RTM_NEWNETCONF: u16 = 80;
pub const RTM_GETNETCONF: u16 = 82;
pub const RTM_GETMDB: u16 = 86;
pub const RTM_GETNSID: u16 = 90;
pub const RTM_GETSTATS: u16 = 94;
pub const RTM_GETCHAIN: u16 = 102;
pub const RTM_GETNEXTHOP: u16 = 106;
pub const RTM_GETLINKPROP: u16 = 110;
pub const RTM_GETVLAN: u16 = 114;
pub const RTM_GETNEXTHOPBUCKET: u16 = 118;
pub const RTM_GETTUNNEL: u16 = 122;
/// `RTM_MAX`: `((__RTM_MAX + 3) & ~3) - 1` with `__RTM_MAX` one past
/// `RTM_GETTUNNEL`. Types above it fail with EOPNOTSUPP before anything else.
pub const RTM_MAX: u16 = 123;

/// `sizeof(struct rtgenmsg)`: the one byte every rtnetlink body begins with.
pub const RTGENMSG_LEN: usize = 1;
/// `sizeof(struct ifinfomsg)`.
pub const IFINFOMSG_LEN: usize = 16;
/// `sizeof(struct ifaddrmsg)`.
pub const IFADDRMSG_LEN: usize = 8;
/// `sizeof(struct rtmsg)`.
pub const RTMSG_LEN: usize = 12;
/// `sizeof(struct rtattr)` (= `struct nlattr`): len and type.
pub const RTA_HDRLEN: usize = 4;
/// `RTA_ALIGNTO` (= `NLA_ALIGNTO`).
pub const RTA_ALIGNTO: usize = 4;

/// `IFLA_EXT_MASK` bits.
pub const RTEXT_FILTER_VF: u32 = 1 << 0;
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;
