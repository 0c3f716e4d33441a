//! Network interfaces as Linux's socket ioctls name them (`linux/if.h`,
//! `linux/sockios.h`, `linux/if_arp.h`): request numbers, `struct ifreq`
//! and `struct ifconf`, interface flags and hardware types.

/// Bytes of an interface name, its terminating zero included.
pub const IFNAMSIZ: usize = 16;

/// `struct ifreq`: the name, then a 24-byte union (a sockaddr, flags,
/// index, MTU, `struct ifmap`, a pointer...). 40 bytes on x86_64.
pub const IFREQ_SIZE: usize = 40;
/// Where the union starts.
pub const IFREQ_UNION_OFFSET: usize = IFNAMSIZ;
/// `struct rtentry` (SIOCADDRT, SIOCDELRT): 120 bytes on x86_64.
pub const RTENTRY_SIZE: usize = 120;
/// `struct ifconf`: `int ifc_len`, padding, then the buffer pointer.
pub const IFCONF_SIZE: usize = 16;
pub const IFCONF_BUF_OFFSET: usize = 8;

pub const SIOCADDRT: u32 = 0x890B;
pub const SIOCDELRT: u32 = 0x890C;
pub const SIOCGIFNAME: u32 = 0x8910;
pub const SIOCSIFLINK: u32 = 0x8911;
pub const SIOCGIFCONF: u32 = 0x8912;
pub const SIOCGIFFLAGS: u32 = 0x8913;
pub const SIOCSIFFLAGS: u32 = 0x8914;
pub const SIOCGIFADDR: u32 = 0x8915;
pub const SIOCSIFADDR: u32 = 0x8916;
pub const SIOCGIFDSTADDR: u32 = 0x8917;
pub const SIOCSIFDSTADDR: u32 = 0x8918;
pub const SIOCGIFBRDADDR: u32 = 0x8919;
pub const SIOCSIFBRDADDR: u32 = 0x891a;
pub const SIOCGIFNETMASK: u32 = 0x891b;
pub const SIOCSIFNETMASK: u32 = 0x891c;
pub const SIOCGIFMETRIC: u32 = 0x891d;
pub const SIOCSIFMETRIC: u32 = 0x891e;
pub const SIOCGIFMTU: u32 = 0x8921;
pub const SIOCSIFMTU: u32 = 0x8922;
pub const SIOCSIFNAME: u32 = 0x8923;
pub const SIOCSIFHWADDR: u32 = 0x8924;
pub const SIOCGIFHWADDR: u32 = 0x8927;
pub const SIOCADDMULTI: u32 = 0x8931;
pub const SIOCDELMULTI: u32 = 0x8932;
pub const SIOCGIFINDEX: u32 = 0x8933;
pub const SIOCDIFADDR: u32 = 0x8936;
pub const SIOCSIFHWBROADCAST: u32 = 0x8937;
pub const SIOCGIFTXQLEN: u32 = 0x8942;
pub const SIOCSIFTXQLEN: u32 = 0x8943;

/// `ifr_flags` bits (a short: the bits above 15 do not travel in it).
pub const IFF_UP: u32 = 0x1;
pub const IFF_BROADCAST: u32 = 0x2;
pub const IFF_LOOPBACK: u32 = 0x8;
pub const IFF_RUNNING: u32 = 0x40;
pub const IFF_MULTICAST: u32 = 0x1000;

/// `sa_family` of SIOCGIFHWADDR's answer: the link's hardware type.
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_LOOPBACK: u16 = 772;
