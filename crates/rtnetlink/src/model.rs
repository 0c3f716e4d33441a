//! The machine's network configuration as plain values.
//!
//! The kernel glue fills these from what the TCP/IP server reports; this
//! crate only reads them. They carry what `ip addr`, `ip link` and
//! `ip route` print, in Linux's own terms, so that the encoders are a
//! direct translation and the tests can state configurations briefly.

use alloc::string::String;
use alloc::vec::Vec;

use crate::uapi::addr::IFA_F_PERMANENT;
use crate::uapi::link::{IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_MULTICAST, IFF_RUNNING, IFF_UP};
use crate::uapi::route;

/// What kind of device a link is; it fixes `ifi_type`, the hardware
/// address's length and the default queueing discipline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    Loopback,
    Ether,
}

/// A link's counters, as `struct rtnl_link_stats64` names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
}

/// A network device (`struct net_device` as rtnetlink shows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// `ifindex`, from 1; lo is 1 on Linux.
    pub index: u32,
    /// At most 15 bytes (`IFNAMSIZ - 1`); longer names are cut when encoded.
    pub name: String,
    /// `IFF_*` as `dev_get_flags` reports them (`IFF_UP`, `IFF_RUNNING`,
    /// `IFF_LOWER_UP`, ...).
    pub flags: u32,
    pub mtu: u32,
    /// The hardware address; `None` is all zeros, as lo's is.
    pub mac: Option<[u8; 6]>,
    pub kind: LinkKind,
    pub stats: LinkStats,
    /// `tx_queue_len` (`qlen` in `ip link`): 1000 for lo and most NICs.
    pub txqlen: u32,
}

impl Link {
    /// Linux's lo: index 1, up, running, 65536-byte MTU.
    pub fn loopback() -> Link {
        Link {
            index: 1,
            name: String::from("lo"),
            flags: IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP,
            mtu: 65536,
            mac: None,
            kind: LinkKind::Loopback,
            stats: LinkStats::default(),
            txqlen: 1000,
        }
    }

    /// An Ethernet device that is up and has carrier (what virtio-net is
    /// once the TCP/IP server has brought it up).
    pub fn ether(index: u32, name: &str, mac: [u8; 6]) -> Link {
        Link {
            index,
            name: String::from(name),
            flags: IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING | IFF_LOWER_UP,
            mtu: 1500,
            mac: Some(mac),
            kind: LinkKind::Ether,
            stats: LinkStats::default(),
            txqlen: 1000,
        }
    }

    pub fn is_up(&self) -> bool {
        self.flags & IFF_UP != 0
    }

    pub fn has_carrier(&self) -> bool {
        self.flags & IFF_LOWER_UP != 0
    }
}

/// An IP address of either family, network byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ip {
    V4([u8; 4]),
    V6([u8; 16]),
}

impl Ip {
    /// `AF_INET` or `AF_INET6`.
    pub fn family(&self) -> u8 {
        match self {
            Ip::V4(_) => crate::uapi::family::AF_INET,
            Ip::V6(_) => crate::uapi::family::AF_INET6,
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Ip::V4(b) => b,
            Ip::V6(b) => b,
        }
    }

    /// The largest prefix length of the family (32 or 128).
    pub fn max_prefix(&self) -> u8 {
        match self {
            Ip::V4(_) => 32,
            Ip::V6(_) => 128,
        }
    }

    /// The address with every bit past `prefix_len` cleared.
    pub fn masked(&self, prefix_len: u8) -> Ip {
        let mut out = *self;
        let bytes: &mut [u8] = match &mut out {
            Ip::V4(b) => b,
            Ip::V6(b) => b,
        };
        for (i, byte) in bytes.iter_mut().enumerate() {
            let first_bit = i * 8;
            let keep = (prefix_len as usize).saturating_sub(first_bit).min(8);
            *byte &= if keep == 0 { 0 } else { 0xffu8 << (8 - keep) };
        }
        out
    }

    /// Whether `self` lies in `prefix`/`len` (same family only).
    pub fn in_prefix(&self, prefix: &Ip, len: u8) -> bool {
        self.family() == prefix.family() && self.masked(len) == prefix.masked(len)
    }

    /// The scope Linux gives an address of this value: host for 127/8 and
    /// ::1, link for fe80::/10, universe (`global`) otherwise.
    pub fn default_scope(&self) -> Scope {
        match self {
            Ip::V4(b) if b[0] == 127 => Scope::Host,
            Ip::V6(b) if *b == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] => Scope::Host,
            Ip::V6(b) if b[0] == 0xfe && b[1] & 0xc0 == 0x80 => Scope::Link,
            _ => Scope::Universe,
        }
    }
}

/// `rtm_scope` / `ifa_scope` (`enum rt_scope_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Universe,
    Site,
    Link,
    Host,
    Nowhere,
}

impl Scope {
    pub fn to_u8(self) -> u8 {
        match self {
            Scope::Universe => route::RT_SCOPE_UNIVERSE,
            Scope::Site => route::RT_SCOPE_SITE,
            Scope::Link => route::RT_SCOPE_LINK,
            Scope::Host => route::RT_SCOPE_HOST,
            Scope::Nowhere => route::RT_SCOPE_NOWHERE,
        }
    }
}

/// An address assigned to a link (`struct in_ifaddr` / `inet6_ifaddr`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The link's `ifindex`.
    pub index: u32,
    pub address: Ip,
    pub prefix_len: u8,
    pub scope: Scope,
    /// `IFA_F_*` (32 bits; the header's `ifa_flags` carries the low 8).
    pub flags: u32,
    /// IPv4 only: the broadcast address (`brd` in `ip addr`), if set.
    pub broadcast: Option<[u8; 4]>,
    /// `IFA_PROTO`: who made the address (`IFAPROT_*`): 0 for one that
    /// was configured, `KERNEL_LO` for lo's ::1, `KERNEL_LL` for an IPv6
    /// link-local address the kernel derived, `KERNEL_RA` for SLAAC.
    pub proto: u8,
    /// `cstamp` and `tstamp` of `IFA_CACHEINFO`, in hundredths of a second
    /// since boot (when the address was created and last updated).
    pub created_cs: u32,
    pub updated_cs: u32,
}

impl Address {
    /// A permanent address with the scope Linux would give it; ::1 and
    /// IPv6 link-local addresses are marked as the kernel's own, as Linux
    /// marks the ones it makes.
    pub fn new(index: u32, address: Ip, prefix_len: u8) -> Address {
        let proto = match (address, address.default_scope()) {
            (Ip::V6(_), Scope::Host) => crate::uapi::addr::IFAPROT_KERNEL_LO,
            (Ip::V6(_), Scope::Link) => crate::uapi::addr::IFAPROT_KERNEL_LL,
            _ => 0,
        };
        Address {
            index,
            address,
            prefix_len,
            scope: address.default_scope(),
            flags: IFA_F_PERMANENT,
            broadcast: None,
            proto,
            created_cs: 0,
            updated_cs: 0,
        }
    }

    /// Sets the IPv4 broadcast to the prefix's last address (`brd +`), as
    /// DHCP clients and `ip addr add ... brd +` do.
    pub fn with_broadcast(mut self) -> Address {
        if let Ip::V4(a) = self.address {
            let host_bits = 32 - u32::from(self.prefix_len.min(32));
            let mask = if host_bits == 32 { 0 } else { u32::MAX << host_bits };
            self.broadcast = Some((u32::from_be_bytes(a) | !mask).to_be_bytes());
        }
        self
    }
}

/// Routing tables Helctic has: Linux's `main` and `local`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Table {
    Main,
    Local,
}

impl Table {
    pub fn id(self) -> u32 {
        match self {
            Table::Main => route::RT_TABLE_MAIN,
            Table::Local => route::RT_TABLE_LOCAL,
        }
    }
}

/// `rtm_protocol`: who installed the route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// Derived from an address (`proto kernel`).
    Kernel,
    /// Configured at boot (`ip route add` without `proto`); not printed.
    Boot,
    Static,
    /// IPv6 router advertisements.
    Ra,
    Dhcp,
}

impl Protocol {
    pub fn to_u8(self) -> u8 {
        match self {
            Protocol::Kernel => route::RTPROT_KERNEL,
            Protocol::Boot => route::RTPROT_BOOT,
            Protocol::Static => route::RTPROT_STATIC,
            Protocol::Ra => route::RTPROT_RA,
            Protocol::Dhcp => route::RTPROT_DHCP,
        }
    }
}

/// `rtm_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteType {
    Unicast,
    Local,
    Broadcast,
    Multicast,
}

impl RouteType {
    pub fn to_u8(self) -> u8 {
        match self {
            RouteType::Unicast => route::RTN_UNICAST,
            RouteType::Local => route::RTN_LOCAL,
            RouteType::Broadcast => route::RTN_BROADCAST,
            RouteType::Multicast => route::RTN_MULTICAST,
        }
    }
}

/// A route (one `fib_alias` of IPv4 or one `fib6_info` of IPv6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The destination prefix's address (family of the route).
    pub destination: Ip,
    pub prefix_len: u8,
    pub gateway: Option<Ip>,
    /// The output link's `ifindex`.
    pub oif: u32,
    pub table: Table,
    pub protocol: Protocol,
    pub scope: Scope,
    pub kind: RouteType,
    /// `metric` (`RTA_PRIORITY`); IPv4 omits it when 0, IPv6 always sends it.
    pub priority: u32,
    /// `src` in `ip route` (`RTA_PREFSRC`).
    pub prefsrc: Option<Ip>,
    /// `rtm_flags` (`RTNH_F_LINKDOWN` when the link has no carrier).
    pub flags: u32,
}

impl Route {
    pub fn family(&self) -> u8 {
        self.destination.family()
    }
}

/// A default route to add to the derived ones (from DHCP, a router
/// advertisement or the boot configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gateway {
    pub via: Ip,
    pub oif: u32,
    pub protocol: Protocol,
    /// 0 for IPv4's usual default; IPv6 uses 1024 when none was given.
    pub metric: u32,
}

/// Everything a dump reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// In `ifindex` order, as Linux dumps them.
    pub links: Vec<Link>,
    /// In the order they were added (Linux dumps each family's addresses
    /// link by link, in the order each link got them).
    pub addresses: Vec<Address>,
    /// Any order; dumps sort them as Linux's tables walk.
    pub routes: Vec<Route>,
}

impl Config {
    pub fn link(&self, index: u32) -> Option<&Link> {
        self.links.iter().find(|l| l.index == index)
    }

    pub fn link_by_name(&self, name: &[u8]) -> Option<&Link> {
        self.links.iter().find(|l| l.name.as_bytes() == name)
    }
}
