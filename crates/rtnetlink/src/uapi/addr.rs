//! Addresses: `if_addr.h` attributes, flags and `struct ifa_cacheinfo`.

pub const IFA_ADDRESS: u16 = 1;
pub const IFA_LOCAL: u16 = 2;
pub const IFA_LABEL: u16 = 3;
pub const IFA_BROADCAST: u16 = 4;
pub const IFA_CACHEINFO: u16 = 6;
pub const IFA_FLAGS: u16 = 8;
pub const IFA_TARGET_NETNSID: u16 = 10;
pub const IFA_PROTO: u16 = 11;

/// `IFA_PROTO` values: who made an address.
pub const IFAPROT_UNSPEC: u8 = 0;
pub const IFAPROT_KERNEL_LO: u8 = 1;
pub const IFAPROT_KERNEL_RA: u8 = 2;
pub const IFAPROT_KERNEL_LL: u8 = 3;

pub const IFA_F_SECONDARY: u32 = 0x01;
pub const IFA_F_NODAD: u32 = 0x02;
pub const IFA_F_DEPRECATED: u32 = 0x20;
pub const IFA_F_TENTATIVE: u32 = 0x40;
pub const IFA_F_PERMANENT: u32 = 0x80;
pub const IFA_F_NOPREFIXROUTE: u32 = 0x200;

/// `sizeof(struct ifa_cacheinfo)`: preferred, valid, cstamp, tstamp.
pub const IFA_CACHEINFO_LEN: usize = 16;
/// `INFINITY_LIFE_TIME`: the lifetime of a permanent address.
pub const INFINITY_LIFE_TIME: u32 = 0xffff_ffff;
