//! Links: `if_link.h` attributes and stats layouts, `if.h` flags and
//! operational states, `if_arp.h` hardware types.

pub const IFLA_ADDRESS: u16 = 1;
pub const IFLA_BROADCAST: u16 = 2;
pub const IFLA_IFNAME: u16 = 3;
pub const IFLA_MTU: u16 = 4;
pub const IFLA_LINK: u16 = 5;
pub const IFLA_QDISC: u16 = 6;
pub const IFLA_STATS: u16 = 7;
pub const IFLA_MASTER: u16 = 10;
pub const IFLA_TXQLEN: u16 = 13;
pub const IFLA_OPERSTATE: u16 = 16;
pub const IFLA_LINKMODE: u16 = 17;
pub const IFLA_LINKINFO: u16 = 18;
pub const IFLA_STATS64: u16 = 23;
pub const IFLA_GROUP: u16 = 27;
pub const IFLA_EXT_MASK: u16 = 29;
pub const IFLA_PROMISCUITY: u16 = 30;
pub const IFLA_NUM_TX_QUEUES: u16 = 31;
pub const IFLA_NUM_RX_QUEUES: u16 = 32;
pub const IFLA_CARRIER: u16 = 33;
pub const IFLA_CARRIER_CHANGES: u16 = 35;
pub const IFLA_PROTO_DOWN: u16 = 39;
pub const IFLA_GSO_MAX_SEGS: u16 = 40;
pub const IFLA_GSO_MAX_SIZE: u16 = 41;
pub const IFLA_TARGET_NETNSID: u16 = 46;
pub const IFLA_MIN_MTU: u16 = 50;
pub const IFLA_MAX_MTU: u16 = 51;
pub const IFLA_ALT_IFNAME: u16 = 53;

/// `IFNAMSIZ`: interface names are at most 15 bytes and a NUL.
pub const IFNAMSIZ: usize = 16;
/// `ALTIFNAMSIZ`: alternative names are at most 127 bytes and a NUL.
pub const ALTIFNAMSIZ: usize = 128;

/// `sizeof(struct rtnl_link_stats)`: 23 `__u32` counters and `rx_nohandler`.
pub const RTNL_LINK_STATS_LEN: usize = 96;
/// `sizeof(struct rtnl_link_stats64)`: 23 `__u64` counters, `rx_nohandler`
/// and `rx_otherhost_dropped`.
pub const RTNL_LINK_STATS64_LEN: usize = 200;

/// `ifi_flags` (`net_device_flags` in `if.h`).
pub const IFF_UP: u32 = 0x1;
pub const IFF_BROADCAST: u32 = 0x2;
pub const IFF_LOOPBACK: u32 = 0x8;
pub const IFF_POINTOPOINT: u32 = 0x10;
pub const IFF_RUNNING: u32 = 0x40;
pub const IFF_NOARP: u32 = 0x80;
pub const IFF_PROMISC: u32 = 0x100;
pub const IFF_MULTICAST: u32 = 0x1000;
pub const IFF_LOWER_UP: u32 = 0x10000;

/// `IFLA_OPERSTATE` values (RFC 2863, `if.h`).
pub const IF_OPER_UNKNOWN: u8 = 0;
pub const IF_OPER_DOWN: u8 = 2;
pub const IF_OPER_UP: u8 = 6;

/// `ifi_type` (`if_arp.h`).
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_LOOPBACK: u16 = 772;
