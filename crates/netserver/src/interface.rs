//! One network interface: smoltcp's `Interface`, its link, and the smoltcp
//! sockets whose traffic goes through it.
//!
//! Each interface has its own smoltcp socket set. smoltcp polls every
//! socket of the set it is given on the interface it polls, whatever the
//! socket's addresses, so one shared set would send loopback traffic out
//! of the Ethernet link and the reverse. A server socket that spans
//! interfaces (a listener or a UDP socket bound to the wildcard address)
//! therefore owns one smoltcp socket per interface.

use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use smoltcp::iface::{Config, Interface, SocketHandle, SocketSet};
use smoltcp::socket::{dhcpv4, tcp};
use smoltcp::time::Instant;
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr};

use crate::device::{EthernetLink, LoopbackLink};

/// How an Ethernet interface gets its addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ipv4Config {
    None,
    Static {
        address: [u8; 4],
        prefix: u8,
        gateway: Option<[u8; 4]>,
    },
    /// DHCPv4 (QEMU's user network answers it).
    Dhcp,
}

/// An Ethernet interface's configuration. A link-local IPv6 address
/// (fe80::/64 from the MAC) is always added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceConfig {
    pub ipv4: Ipv4Config,
    pub ipv6: Option<([u8; 16], u8)>,
    pub gateway6: Option<[u8; 16]>,
}

pub(crate) enum Link {
    Loopback(LoopbackLink),
    Ethernet(EthernetLink),
}

pub(crate) struct NetInterface {
    pub iface: Interface,
    pub link: Link,
    pub sockets: SocketSet<'static>,
    pub dhcp: Option<SocketHandle>,
    pub gateway4: Option<Ipv4Addr>,
    pub gateway6: Option<Ipv6Addr>,
    pub dns_servers: Vec<Ipv4Addr>,
    /// The shared raw sockets for ICMP and ICMPv6 (icmp.rs).
    pub icmp4: SocketHandle,
    pub icmp6: SocketHandle,
    /// The last ingress stopped at its limit: frames may still wait.
    rx_pending: bool,
    /// Closed TCP sockets kept for the next connection on this interface
    /// (see `Stack::free_part`): a new socket's zeroed buffers cost more
    /// than the rest of a connection's server work. Their buffers stay
    /// counted in the budget.
    pub spare_tcp: Vec<tcp::Socket<'static>>,
    /// Its addresses changed (a DHCP lease came or went) since loopback
    /// last mirrored them (`Stack::mirror_local_addresses`).
    pub addresses_changed: bool,
}

impl NetInterface {
    pub fn loopback(now: Instant, seed: u64) -> NetInterface {
        let mut link = LoopbackLink::new();
        let mut config = Config::new(HardwareAddress::Ip);
        config.random_seed = seed;
        let mut iface = Interface::new(config, &mut link, now);
        iface.update_ip_addrs(|addrs| {
            let _ = addrs.push(IpCidr::new(IpAddress::Ipv4(Ipv4Addr::LOCALHOST), 8));
            let _ = addrs.push(IpCidr::new(IpAddress::Ipv6(Ipv6Addr::LOCALHOST), 128));
        });
        let mut sockets = SocketSet::new(Vec::new());
        let (icmp4, icmp6) = add_icmp_sockets(&mut sockets);
        NetInterface {
            iface,
            link: Link::Loopback(link),
            sockets,
            dhcp: None,
            gateway4: None,
            gateway6: None,
            dns_servers: Vec::new(),
            icmp4,
            icmp6,
            rx_pending: false,
            spare_tcp: Vec::new(),
            addresses_changed: false,
        }
    }

    /// None when `mac` is not a unicast address (smoltcp would panic).
    pub fn ethernet(
        mut link: EthernetLink,
        mac: [u8; 6],
        config: &InterfaceConfig,
        now: Instant,
        seed: u64,
    ) -> Option<NetInterface> {
        let hw = EthernetAddress(mac);
        if !hw.is_unicast() {
            return None;
        }
        let mut smol_config = Config::new(HardwareAddress::Ethernet(hw));
        smol_config.random_seed = seed;
        let mut iface = Interface::new(smol_config, &mut link, now);
        let mut sockets = SocketSet::new(Vec::new());
        let mut gateway4 = None;
        let mut dhcp = None;
        let link_local = link_local_from_mac(mac);
        iface.update_ip_addrs(|addrs| {
            let _ = addrs.push(IpCidr::new(IpAddress::Ipv6(link_local), 64));
            if let Ipv4Config::Static { address, prefix, .. } = config.ipv4 {
                let _ = addrs.push(IpCidr::new(IpAddress::Ipv4(Ipv4Addr::from(address)), prefix.min(32)));
            }
            if let Some((address, prefix)) = config.ipv6 {
                let _ = addrs.push(IpCidr::new(IpAddress::Ipv6(Ipv6Addr::from(address)), prefix.min(128)));
            }
        });
        match config.ipv4 {
            Ipv4Config::Static { gateway: Some(g), .. } => {
                let g = Ipv4Addr::from(g);
                if iface.routes_mut().add_default_ipv4_route(g).is_ok() {
                    gateway4 = Some(g);
                }
            }
            Ipv4Config::Dhcp => dhcp = Some(sockets.add(dhcpv4::Socket::new())),
            _ => {}
        }
        let mut gateway6 = None;
        if let Some(g) = config.gateway6 {
            let g = Ipv6Addr::from(g);
            if iface.routes_mut().add_default_ipv6_route(g).is_ok() {
                gateway6 = Some(g);
            }
        }
        let (icmp4, icmp6) = add_icmp_sockets(&mut sockets);
        Some(NetInterface {
            iface,
            link: Link::Ethernet(link),
            sockets,
            dhcp,
            gateway4,
            gateway6,
            dns_servers: Vec::new(),
            icmp4,
            icmp6,
            rx_pending: false,
            spare_tcp: Vec::new(),
            addresses_changed: false,
        })
    }

    /// Frames one polling round takes in from this interface, and so the
    /// sockets a listener keeps listening here (listener_pool.rs): each
    /// SYN of a round finds one. Loopback's frames are the server's own,
    /// a SYN per connect request, so a few do; a wire's come in bursts
    /// (and per-round work is spread over more of them).
    pub fn frames_per_round(&self) -> usize {
        if self.is_loopback() {
            4
        } else {
            16
        }
    }

    pub fn is_loopback(&self) -> bool {
        matches!(self.link, Link::Loopback(_))
    }

    /// The listeners with no socket listening here: their SYNs are dropped
    /// before smoltcp sees them (full_listeners.rs).
    pub fn full_listeners_mut(&mut self) -> &mut Vec<crate::full_listeners::FullListener> {
        match &mut self.link {
            Link::Loopback(link) => &mut link.full_listeners,
            Link::Ethernet(link) => &mut link.full_listeners,
        }
    }

    /// Frames in: at most `limit` of them. Replies are not sent yet: the
    /// stack looks at the sockets first (see `Stack::settle`).
    /// Returns whether any frame came in.
    pub fn ingress(&mut self, now: Instant, limit: usize) -> bool {
        use smoltcp::iface::PollIngressSingleResult as R;
        let mut taken = 0;
        while taken < limit {
            let result = match &mut self.link {
                Link::Loopback(link) => self.iface.poll_ingress_single(now, link, &mut self.sockets),
                Link::Ethernet(link) => self.iface.poll_ingress_single(now, link, &mut self.sockets),
            };
            if result == R::None {
                break;
            }
            taken += 1;
        }
        // At the limit, more frames may wait in the device.
        self.rx_pending = taken == limit;
        taken > 0
    }

    /// Frames out: whatever the sockets and timers want sent.
    pub fn egress(&mut self, now: Instant) {
        match &mut self.link {
            Link::Loopback(link) => {
                self.iface.poll_egress(now, link, &mut self.sockets);
            }
            Link::Ethernet(link) => {
                self.iface.poll_egress(now, link, &mut self.sockets);
                link.device.flush();
            }
        }
        self.update_dhcp();
    }

    /// Whether no frame waits: none in flight on loopback, none left in
    /// the device after the last round.
    pub fn is_idle(&self) -> bool {
        !self.rx_pending
            && match &self.link {
                Link::Loopback(link) => link.is_idle(),
                Link::Ethernet(_) => true,
            }
    }

    /// Whether this interface has a route to `addr` (a directly attached
    /// network or a default gateway).
    pub fn routes_to(&self, addr: IpAddress) -> bool {
        if self.is_loopback() {
            return false;
        }
        let attached = self.iface.ip_addrs().iter().any(|cidr| cidr.contains_addr(&addr));
        attached
            || match addr {
                IpAddress::Ipv4(_) => self.gateway4.is_some(),
                IpAddress::Ipv6(_) => self.gateway6.is_some(),
            }
    }

    /// DHCP's news: a lease sets the IPv4 address, the default route and
    /// the DNS servers; losing it clears them.
    fn update_dhcp(&mut self) {
        let Some(handle) = self.dhcp else { return };
        let event = match self.sockets.get_mut::<dhcpv4::Socket>(handle).poll() {
            None => return,
            Some(dhcpv4::Event::Configured(config)) => {
                Some((config.address, config.router, config.dns_servers.iter().copied().collect::<Vec<_>>()))
            }
            Some(dhcpv4::Event::Deconfigured) => None,
        };
        self.addresses_changed = true;
        self.iface.update_ip_addrs(|addrs| addrs.retain(|cidr| !matches!(cidr, IpCidr::Ipv4(_))));
        self.iface.routes_mut().remove_default_ipv4_route();
        self.gateway4 = None;
        self.dns_servers.clear();
        if let Some((address, router, dns)) = event {
            self.iface.update_ip_addrs(|addrs| {
                let _ = addrs.push(IpCidr::Ipv4(address));
            });
            if let Some(router) = router {
                if self.iface.routes_mut().add_default_ipv4_route(router).is_ok() {
                    self.gateway4 = Some(router);
                }
            }
            self.dns_servers = dns;
        }
    }
}

fn add_icmp_sockets(sockets: &mut SocketSet<'static>) -> (SocketHandle, SocketHandle) {
    use smoltcp::wire::IpVersion;
    let v4 = sockets.add(crate::icmp::shared_socket(IpVersion::Ipv4));
    (v4, sockets.add(crate::icmp::shared_socket(IpVersion::Ipv6)))
}

/// fe80::/64 with the modified EUI-64 interface identifier of `mac`.
fn link_local_from_mac(mac: [u8; 6]) -> Ipv6Addr {
    let mut a = [0u8; 16];
    a[0] = 0xfe;
    a[1] = 0x80;
    a[8] = mac[0] ^ 0x02;
    a[9] = mac[1];
    a[10] = mac[2];
    a[11] = 0xff;
    a[12] = 0xfe;
    a[13] = mac[3];
    a[14] = mac[4];
    a[15] = mac[5];
    Ipv6Addr::from(a)
}
