//! The routes Linux creates by itself for a set of links and addresses,
//! plus the default routes given.
//!
//! IPv4 follows `fib_add_ifaddr`: for each address on a link that is up, a
//! `local` route to the address itself in table local; a `broadcast` route
//! to its explicit broadcast address; unless the address is a secondary or
//! asked for no prefix route, a route to the prefix (in main, `scope link`;
//! on lo it is a `local` route in table local) and, below /31, a
//! `broadcast` route to the prefix's last address. Linux stopped adding a
//! broadcast route to the network address in 5.x, so none is made here.
//!
//! IPv6 follows addrconf: a prefix route in main with metric 256 for each
//! address (but none for lo's ::1, which Linux 6.x does not route in
//! main either), a `local` route in table local with metric 0, and an
//! `ff00::/8` multicast route in table local for each IPv6-enabled link
//! other than lo.
//!
//! A link without carrier keeps its routes, flagged `linkdown`
//! (`RTNH_F_LINKDOWN`), except the `local` ones.

use alloc::vec::Vec;

use crate::model::{Address, Gateway, Ip, Link, LinkKind, Protocol, Route, RouteType, Scope, Table};
use crate::uapi::addr::{IFA_F_NOPREFIXROUTE, IFA_F_SECONDARY};
use crate::uapi::link::IFF_MULTICAST;
use crate::uapi::route::{IP6_RT_PRIO_ADDRCONF, IP6_RT_PRIO_USER, RTNH_F_LINKDOWN};

/// Every route Linux would have for this configuration, deduplicated.
pub fn routes(links: &[Link], addresses: &[Address], gateways: &[Gateway]) -> Vec<Route> {
    let mut out: Vec<Route> = Vec::new();
    let up = |index: u32| links.iter().find(|l| l.index == index && l.is_up());
    for a in addresses {
        let Some(link) = up(a.index) else { continue };
        match a.address {
            Ip::V4(addr) => ipv4(&mut out, link, a, addr),
            Ip::V6(_) => ipv6(&mut out, link, a),
        }
    }
    for link in links.iter().filter(|l| l.is_up() && l.kind != LinkKind::Loopback && l.flags & IFF_MULTICAST != 0) {
        let has_v6 = addresses.iter().any(|a| a.index == link.index && matches!(a.address, Ip::V6(_)));
        if has_v6 {
            let mut multicast = [0u8; 16];
            multicast[0] = 0xff;
            push(
                &mut out,
                link,
                Route {
                    destination: Ip::V6(multicast),
                    prefix_len: 8,
                    gateway: None,
                    oif: link.index,
                    table: Table::Local,
                    protocol: Protocol::Kernel,
                    scope: Scope::Universe,
                    kind: RouteType::Multicast,
                    priority: IP6_RT_PRIO_ADDRCONF,
                    prefsrc: None,
                    flags: 0,
                },
            );
        }
    }
    for g in gateways {
        let Some(link) = up(g.oif) else { continue };
        let (destination, priority) = match g.via {
            Ip::V4(_) => (Ip::V4([0; 4]), g.metric),
            // IPv6 gives a route without a metric the user priority.
            Ip::V6(_) => (Ip::V6([0; 16]), if g.metric == 0 { IP6_RT_PRIO_USER } else { g.metric }),
        };
        push(
            &mut out,
            link,
            Route {
                destination,
                prefix_len: 0,
                gateway: Some(g.via),
                oif: g.oif,
                table: Table::Main,
                protocol: g.protocol,
                scope: Scope::Universe,
                kind: RouteType::Unicast,
                priority,
                prefsrc: None,
                flags: 0,
            },
        );
    }
    out
}

fn ipv4(out: &mut Vec<Route>, link: &Link, a: &Address, addr: [u8; 4]) {
    let local = |destination: [u8; 4], prefix_len: u8, kind: RouteType, table: Table| Route {
        destination: Ip::V4(destination),
        prefix_len,
        gateway: None,
        oif: link.index,
        table,
        protocol: Protocol::Kernel,
        scope: if kind == RouteType::Local { Scope::Host } else { Scope::Link },
        kind,
        priority: 0,
        prefsrc: Some(Ip::V4(addr)),
        flags: 0,
    };
    push(out, link, local(addr, 32, RouteType::Local, Table::Local));
    if let Some(brd) = a.broadcast.filter(|b| *b != [0; 4] && *b != [0xff; 4]) {
        push(out, link, local(brd, 32, RouteType::Broadcast, Table::Local));
    }
    let len = a.prefix_len.min(32);
    let Ip::V4(prefix) = Ip::V4(addr).masked(len) else { return };
    let zeronet = prefix[0] == 0;
    if !zeronet && a.flags & IFA_F_SECONDARY == 0 && (prefix != addr || len < 32) {
        if a.flags & IFA_F_NOPREFIXROUTE == 0 {
            let route = if link.kind == LinkKind::Loopback {
                local(prefix, len, RouteType::Local, Table::Local)
            } else {
                local(prefix, len, RouteType::Unicast, Table::Main)
            };
            push(out, link, route);
        }
        if len < 31 {
            let host = u32::MAX >> len;
            let last = (u32::from_be_bytes(prefix) | host).to_be_bytes();
            push(out, link, local(last, 32, RouteType::Broadcast, Table::Local));
        }
    }
}

fn ipv6(out: &mut Vec<Route>, link: &Link, a: &Address) {
    let len = a.prefix_len.min(128);
    let route = |destination: Ip, prefix_len: u8, kind: RouteType, table: Table, priority: u32| Route {
        destination,
        prefix_len,
        gateway: None,
        oif: link.index,
        table,
        protocol: Protocol::Kernel,
        scope: Scope::Universe,
        kind,
        priority,
        prefsrc: None,
        flags: 0,
    };
    // lo's ::1 comes from init_loopback, which adds no prefix route.
    if a.flags & IFA_F_NOPREFIXROUTE == 0 && link.kind != LinkKind::Loopback {
        push(out, link, route(a.address.masked(len), len, RouteType::Unicast, Table::Main, IP6_RT_PRIO_ADDRCONF));
    }
    push(out, link, route(a.address, 128, RouteType::Local, Table::Local, 0));
}

/// Adds a route unless an identical one is there (Linux's `fib_magic` and
/// addrconf both find the existing route and leave it).
fn push(out: &mut Vec<Route>, link: &Link, mut route: Route) {
    if !link.has_carrier() && route.kind != RouteType::Local {
        route.flags |= RTNH_F_LINKDOWN;
    }
    let same = |r: &Route| {
        r.destination == route.destination
            && r.prefix_len == route.prefix_len
            && r.table == route.table
            && r.kind == route.kind
            && r.oif == route.oif
            && r.priority == route.priority
            && r.gateway == route.gateway
    };
    if !out.iter().any(same) {
        out.push(route);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Link;

    fn qemu() -> (Vec<Link>, Vec<Address>, Vec<Gateway>) {
        let links = alloc::vec![Link::loopback(), Link::ether(2, "eth0", [0x52, 0x54, 0, 0x12, 0x34, 0x56])];
        let addrs = alloc::vec![
            Address::new(1, Ip::V4([127, 0, 0, 1]), 8),
            Address::new(2, Ip::V4([10, 0, 2, 15]), 24).with_broadcast(),
        ];
        let gws = alloc::vec![Gateway { via: Ip::V4([10, 0, 2, 2]), oif: 2, protocol: Protocol::Boot, metric: 0 }];
        (links, addrs, gws)
    }

    #[test]
    fn qemu_user_networking_gets_linux_routes() {
        let (links, addrs, gws) = qemu();
        let mut routes = routes(&links, &addrs, &gws);
        routes.sort_by(crate::route::walk_order);
        let shown: Vec<(Table, RouteType, [u8; 4], u8)> = routes
            .iter()
            .map(|r| {
                let Ip::V4(d) = r.destination else { panic!() };
                (r.table, r.kind, d, r.prefix_len)
            })
            .collect();
        let (main, local) = (Table::Main, Table::Local);
        let (unicast, brd, loc) = (RouteType::Unicast, RouteType::Broadcast, RouteType::Local);
        assert_eq!(
            shown,
            alloc::vec![
                (main, unicast, [0, 0, 0, 0], 0),
                (main, unicast, [10, 0, 2, 0], 24),
                (local, loc, [10, 0, 2, 15], 32),
                (local, brd, [10, 0, 2, 255], 32),
                (local, loc, [127, 0, 0, 0], 8),
                (local, loc, [127, 0, 0, 1], 32),
                (local, brd, [127, 255, 255, 255], 32),
            ]
        );
        let connected = &routes[1];
        assert_eq!(connected.scope, Scope::Link);
        assert_eq!(connected.protocol, Protocol::Kernel);
        assert_eq!(connected.prefsrc, Some(Ip::V4([10, 0, 2, 15])));
        assert_eq!(routes[0].gateway, Some(Ip::V4([10, 0, 2, 2])));
    }

    #[test]
    fn a_link_that_is_down_has_no_routes() {
        let (mut links, addrs, gws) = qemu();
        links[1].flags &= !crate::uapi::link::IFF_UP;
        assert!(routes(&links, &addrs, &gws).iter().all(|r| r.oif == 1));
    }

    #[test]
    fn ipv6_gets_prefix_local_and_multicast_routes() {
        let links = alloc::vec![Link::loopback(), Link::ether(2, "eth0", [2, 0, 0, 0, 0, 1])];
        let mut ll = [0u8; 16];
        ll[0] = 0xfe;
        ll[1] = 0x80;
        ll[15] = 1;
        let mut lo = [0u8; 16];
        lo[15] = 1;
        let addrs = alloc::vec![Address::new(1, Ip::V6(lo), 128), Address::new(2, Ip::V6(ll), 64)];
        let mut rs = routes(&links, &addrs, &[]);
        rs.sort_by(crate::route::walk_order);
        let shown: Vec<(Table, RouteType, u8, u32, u32)> =
            rs.iter().map(|r| (r.table, r.kind, r.prefix_len, r.priority, r.oif)).collect();
        assert_eq!(
            shown,
            alloc::vec![
                (Table::Main, RouteType::Unicast, 64, 256, 2),
                (Table::Local, RouteType::Local, 128, 0, 1),
                (Table::Local, RouteType::Local, 128, 0, 2),
                (Table::Local, RouteType::Multicast, 8, 256, 2),
            ]
        );
    }
}
