//! Linux's numbers and structure sizes for netlink and rtnetlink, as in
//! `include/uapi/linux/{netlink,rtnetlink,if_link,if_addr,if,if_arp}.h`.
//!
//! Only what this crate reads or writes is here. Every value is checked
//! against the host's kernel headers by `tests/linux_headers.rs`, so a typo
//! here fails a test instead of confusing a program.

pub mod addr;
pub mod link;
pub mod netlink;
pub mod route;
pub mod rtnetlink;
pub mod rule;

/// The errno values the replies carry (negated in `nlmsgerr.error`).
pub mod errno {
    pub const EPERM: i32 = 1;
    pub const ENOENT: i32 = 2;
    pub const EBUSY: i32 = 16;
    pub const ERANGE: i32 = 34;
    pub const ENODEV: i32 = 19;
    pub const EINVAL: i32 = 22;
    pub const EOPNOTSUPP: i32 = 95;
    pub const EAFNOSUPPORT: i32 = 97;
    pub const EADDRINUSE: i32 = 98;
    pub const ENETUNREACH: i32 = 101;
    pub const ENOBUFS: i32 = 105;
    pub const ENOPROTOOPT: i32 = 92;
}

/// Address families as netlink carries them (`rtgen_family` and friends).
pub mod family {
    pub const AF_UNSPEC: u8 = 0;
    pub const AF_INET: u8 = 2;
    pub const AF_INET6: u8 = 10;
    pub const AF_NETLINK: u16 = 16;
    pub const AF_PACKET: u8 = 17;
    /// `RTNL_FAMILY_IPMR`: IPv4 multicast routing tables (always empty here).
    pub const RTNL_FAMILY_IPMR: u8 = 128;
    /// `RTNL_FAMILY_IP6MR`: IPv6 multicast routing tables (always empty here).
    pub const RTNL_FAMILY_IP6MR: u8 = 129;
}
