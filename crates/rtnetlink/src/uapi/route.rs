//! Routes: `rtnetlink.h`'s `RTA_*` attributes, tables, protocols, scopes,
//! types and `rtm_flags`.

pub const RTA_DST: u16 = 1;
pub const RTA_SRC: u16 = 2;
pub const RTA_IIF: u16 = 3;
pub const RTA_OIF: u16 = 4;
pub const RTA_GATEWAY: u16 = 5;
pub const RTA_PRIORITY: u16 = 6;
pub const RTA_PREFSRC: u16 = 7;
pub const RTA_METRICS: u16 = 8;
pub const RTA_CACHEINFO: u16 = 12;
pub const RTA_TABLE: u16 = 15;
pub const RTA_MARK: u16 = 16;
pub const RTA_PREF: u16 = 20;
pub const RTA_UID: u16 = 25;

pub const RT_TABLE_UNSPEC: u32 = 0;
pub const RT_TABLE_DEFAULT: u32 = 253;
pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;

pub const RTPROT_UNSPEC: u8 = 0;
pub const RTPROT_KERNEL: u8 = 2;
pub const RTPROT_BOOT: u8 = 3;
pub const RTPROT_STATIC: u8 = 4;
pub const RTPROT_RA: u8 = 9;
pub const RTPROT_DHCP: u8 = 16;

pub const RT_SCOPE_UNIVERSE: u8 = 0;
pub const RT_SCOPE_SITE: u8 = 200;
pub const RT_SCOPE_LINK: u8 = 253;
pub const RT_SCOPE_HOST: u8 = 254;
pub const RT_SCOPE_NOWHERE: u8 = 255;

pub const RTN_UNSPEC: u8 = 0;
pub const RTN_UNICAST: u8 = 1;
pub const RTN_LOCAL: u8 = 2;
pub const RTN_BROADCAST: u8 = 3;
pub const RTN_ANYCAST: u8 = 4;
pub const RTN_MULTICAST: u8 = 5;

/// `rtm_flags` a route dump request may carry (`RTM_F_*`).
pub const RTM_F_CLONED: u32 = 0x200;
pub const RTM_F_PREFIX: u32 = 0x800;
/// `rtm_flags` in a reply: the next hop's link has no carrier.
pub const RTNH_F_LINKDOWN: u32 = 16;

/// `sizeof(struct rta_cacheinfo)`: eight `__u32`.
pub const RTA_CACHEINFO_LEN: usize = 32;
/// IPv6 route preference "medium" (`ICMPV6_ROUTER_PREF_MEDIUM`), `RTA_PREF`.
pub const ICMPV6_ROUTER_PREF_MEDIUM: u8 = 0;
/// The metric IPv6 gives prefix routes of addresses (`IP6_RT_PRIO_ADDRCONF`).
pub const IP6_RT_PRIO_ADDRCONF: u32 = 256;
/// The metric of a route the user gives none (`IP6_RT_PRIO_USER`).
pub const IP6_RT_PRIO_USER: u32 = 1024;

/// `rtm_flags` of a route get request (`ip route get`).
pub const RTM_F_NOTIFY: u32 = 0x100;
pub const RTM_F_LOOKUP_TABLE: u32 = 0x1000;
pub const RTM_F_FIB_MATCH: u32 = 0x2000;

/// High `rtm_flags` bits of an IPv4 route cache entry (`RTCF_*`, from
/// `include/uapi/linux/in_route.h`): delivered locally, broadcast.
pub const RTCF_BROADCAST: u32 = 0x1000_0000;
pub const RTCF_LOCAL: u32 = 0x8000_0000;

/// Attributes a route get request may carry besides `RTA_DST`.
pub const RTA_IP_PROTO: u16 = 27;
pub const RTA_SPORT: u16 = 28;
pub const RTA_DPORT: u16 = 29;
