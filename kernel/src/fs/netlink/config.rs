//! The model rtnetlink answers from (`rtnetlink::Config`), built from what
//! the network server reports (`fs::inet::tables::network`, the same
//! records SIOCGIF* and /proc/net read), at each request: a dump shows
//! the network as it is when the program asks.
//!
//! The server reports interfaces with their addresses, attached routes
//! and gateways. Linux derives its kernel routes (attached prefixes,
//! local and broadcast routes) from the addresses, so rtnetlink's
//! `derive::routes` makes those, and only the server's routes through a
//! gateway are added to them.

use alloc::vec::Vec;
use core::net::IpAddr;
use kernel_ops::{Error, InterfaceRecord, KResult, NetworkRecord, RouteRecord};
use rtnetlink::uapi::link::{IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_MULTICAST, IFF_RUNNING, IFF_UP};
use rtnetlink::uapi::route::IP6_RT_PRIO_USER;
use rtnetlink::{Address, Config, Gateway, Ip, Link, LinkKind, LinkStats, Protocol, Route, RouteType, Scope, Table};

/// The network as rtnetlink shows it. Without a network server there are
/// no interfaces at all, as SIOCGIFCONF then reports none: the dumps are
/// empty rather than failing, so a program's `getifaddrs` still works.
pub fn current() -> KResult<Config> {
    match crate::fs::inet::tables::network() {
        Ok(net) => Ok(model(&net)),
        Err(Error::NetworkDown) => Ok(Config::default()),
        Err(e) => Err(e),
    }
}

/// The model for one look at the server's tables.
pub fn model(net: &NetworkRecord) -> Config {
    let mut links: Vec<Link> = net.interfaces.iter().map(link).collect();
    links.sort_by_key(|l| l.index);
    let addresses: Vec<Address> = net.interfaces.iter().flat_map(addresses_of).collect();
    let gateways: Vec<Gateway> =
        net.routes.iter().filter(|r| r.prefix == 0).filter_map(|r| Some(gateway(r, r.gateway?))).collect();
    let mut routes = rtnetlink::derive::routes(&links, &addresses, &gateways);
    // Routes through a gateway to a prefix other than the default: as
    // `ip route add PREFIX via GATEWAY` would have made them.
    for r in net.routes.iter().filter(|r| r.prefix != 0) {
        let Some(via) = r.gateway else { continue };
        let Some(l) = links.iter().find(|l| l.index == r.interface) else { continue };
        let destination = ip(r.destination);
        routes.push(Route {
            destination: destination.masked(r.prefix),
            prefix_len: r.prefix.min(destination.max_prefix()),
            gateway: Some(ip(via)),
            oif: r.interface,
            table: Table::Main,
            protocol: Protocol::Boot,
            scope: Scope::Universe,
            kind: RouteType::Unicast,
            priority: if matches!(destination, Ip::V6(_)) { IP6_RT_PRIO_USER } else { 0 },
            prefsrc: None,
            flags: if l.has_carrier() { 0 } else { rtnetlink::uapi::route::RTNH_F_LINKDOWN },
        });
    }
    Config { links, addresses, routes }
}

fn ip(a: IpAddr) -> Ip {
    match a {
        IpAddr::V4(v4) => Ip::V4(v4.octets()),
        IpAddr::V6(v6) => Ip::V6(v6.octets()),
    }
}

fn link(i: &InterfaceRecord) -> Link {
    let f = &i.flags;
    let mut flags = 0;
    for (on, bits) in [
        (f.up, IFF_UP),
        // The server's RUNNING is the device's carrier: Linux reports
        // both operational bits from it.
        (f.running, IFF_RUNNING | IFF_LOWER_UP),
        (f.loopback, IFF_LOOPBACK),
        (f.broadcast, IFF_BROADCAST),
        (f.multicast, IFF_MULTICAST),
    ] {
        if on {
            flags |= bits;
        }
    }
    let c = &i.counters;
    Link {
        index: i.index,
        name: alloc::string::String::from_utf8_lossy(&i.name).into_owned(),
        flags,
        mtu: i.mtu,
        mac: i.mac,
        kind: if f.loopback { LinkKind::Loopback } else { LinkKind::Ether },
        stats: LinkStats {
            rx_packets: c.rx_packets,
            tx_packets: c.tx_packets,
            rx_bytes: c.rx_bytes,
            tx_bytes: c.tx_bytes,
            rx_errors: c.rx_errors,
            tx_errors: c.tx_errors,
            rx_dropped: c.rx_dropped,
            tx_dropped: c.tx_dropped,
        },
        txqlen: i.tx_queue_length,
    }
}

/// An interface's addresses. An IPv4 address on a broadcast-capable link
/// gets its prefix's broadcast address, as DHCP clients and `ip addr add
/// ... brd +` configure it (the server broadcasts to that address).
fn addresses_of(i: &InterfaceRecord) -> impl Iterator<Item = Address> + '_ {
    i.addresses.iter().map(move |&(a, prefix)| {
        let address = ip(a);
        let one = Address::new(i.index, address, prefix.min(address.max_prefix()));
        if i.flags.broadcast && matches!(address, Ip::V4(_)) {
            one.with_broadcast()
        } else {
            one
        }
    })
}

/// A default route the server has: the configured or DHCP gateway. The
/// server does not say which, so it is shown as configured at boot (no
/// `proto` in `ip route`), with Linux's default metrics.
fn gateway(r: &RouteRecord, via: IpAddr) -> Gateway {
    let via = ip(via);
    let metric = if matches!(via, Ip::V6(_)) { IP6_RT_PRIO_USER } else { 0 };
    Gateway { via, oif: r.interface, protocol: Protocol::Boot, metric }
}
