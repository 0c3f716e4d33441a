//! The model rtnetlink answers from, built from the network server's
//! records (`fs::netlink::config::model`): what iproute2 prints depends
//! on each mapping here, and the records are a plain value, so the
//! mapping is checked without a server.

use super::TestResult;
use crate::check;
use crate::fs::netlink::config::model;
use alloc::vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use kernel_ops::{InterfaceFlags, InterfaceRecord, NetworkRecord, RouteRecord};
use rtnetlink::uapi::link::{IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_RUNNING, IFF_UP};
use rtnetlink::{Ip, LinkKind, Protocol, RouteType, Table};

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

/// lo and an eth0 as the server reports them in a `--net` boot.
fn records(eth0_running: bool) -> NetworkRecord {
    let lo = InterfaceRecord {
        index: 1,
        name: b"lo".to_vec(),
        flags: InterfaceFlags { up: true, running: true, loopback: true, ..InterfaceFlags::default() },
        mtu: 65535,
        tx_queue_length: 4096,
        mac: None,
        addresses: vec![(v4(127, 0, 0, 1), 8), (IpAddr::V6(Ipv6Addr::LOCALHOST), 128)],
        ..InterfaceRecord::default()
    };
    let eth0 = InterfaceRecord {
        index: 2,
        name: b"eth0".to_vec(),
        flags: InterfaceFlags { up: true, running: eth0_running, broadcast: true, multicast: true, loopback: false },
        mtu: 1500,
        tx_queue_length: 128,
        mac: Some([0x52, 0x54, 0, 0x12, 0x34, 0x56]),
        addresses: vec![(v4(10, 0, 2, 15), 24)],
        ..InterfaceRecord::default()
    };
    let attached = RouteRecord { interface: 2, destination: v4(10, 0, 2, 0), prefix: 24, gateway: None };
    let default = RouteRecord { interface: 2, destination: v4(0, 0, 0, 0), prefix: 0, gateway: Some(v4(10, 0, 2, 2)) };
    let other =
        RouteRecord { interface: 2, destination: v4(192, 168, 5, 7), prefix: 24, gateway: Some(v4(10, 0, 2, 9)) };
    NetworkRecord { interfaces: vec![eth0, lo], routes: vec![attached, default, other] }
}

pub fn model_from_server_records() -> TestResult {
    let c = model(&records(true));
    check!(c.links.iter().map(|l| l.index).eq([1, 2]), "links in index order");
    let lo = &c.links[0];
    check!(lo.kind == LinkKind::Loopback && lo.name == "lo" && lo.mtu == 65535 && lo.txqlen == 4096);
    check!(lo.flags == IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP, "lo's flags {:#x}", lo.flags);
    let eth0 = &c.links[1];
    check!(eth0.kind == LinkKind::Ether && eth0.mac == Some([0x52, 0x54, 0, 0x12, 0x34, 0x56]));
    check!(eth0.flags & (IFF_BROADCAST | IFF_LOWER_UP) == IFF_BROADCAST | IFF_LOWER_UP, "eth0 {:#x}", eth0.flags);

    let eth0_v4 = c.addresses.iter().find(|a| a.address == Ip::V4([10, 0, 2, 15]));
    check!(eth0_v4.is_some_and(|a| a.index == 2 && a.prefix_len == 24 && a.broadcast == Some([10, 0, 2, 255])));
    let lo_v4 = c.addresses.iter().find(|a| a.address == Ip::V4([127, 0, 0, 1]));
    check!(lo_v4.is_some_and(|a| a.broadcast.is_none()), "lo has no broadcast address");
    check!(c.addresses.len() == 3, "{} addresses", c.addresses.len());

    let main = |dst: Ip, len: u8| {
        c.routes.iter().filter(move |r| r.table == Table::Main && r.destination == dst && r.prefix_len == len)
    };
    let default: alloc::vec::Vec<_> = main(Ip::V4([0; 4]), 0).collect();
    check!(default.len() == 1 && default[0].gateway == Some(Ip::V4([10, 0, 2, 2])) && default[0].oif == 2);
    check!(default[0].protocol == Protocol::Boot && default[0].priority == 0);
    // The attached route is Linux's own (proto kernel, scope link, src),
    // made once though the server reports it too.
    let attached: alloc::vec::Vec<_> = main(Ip::V4([10, 0, 2, 0]), 24).collect();
    check!(attached.len() == 1 && attached[0].protocol == Protocol::Kernel && attached[0].gateway.is_none());
    check!(attached[0].prefsrc == Some(Ip::V4([10, 0, 2, 15])));
    let other: alloc::vec::Vec<_> = main(Ip::V4([192, 168, 5, 0]), 24).collect();
    check!(other.len() == 1 && other[0].gateway == Some(Ip::V4([10, 0, 2, 9])), "a route through a gateway, masked");
    check!(c
        .routes
        .iter()
        .any(|r| r.table == Table::Local && r.kind == RouteType::Local && r.destination == Ip::V4([127, 0, 0, 1])));

    // Without carrier: not RUNNING, and its routes are marked linkdown.
    let down = model(&records(false));
    check!(down.links[1].flags & (IFF_RUNNING | IFF_LOWER_UP) == 0);
    check!(down.routes.iter().filter(|r| r.oif == 2 && r.table == Table::Main).all(|r| r.flags != 0));
    // No server: no interfaces at all.
    let empty = model(&NetworkRecord::default());
    check!(empty.links.is_empty() && empty.addresses.is_empty() && empty.routes.is_empty());
    Ok(())
}
