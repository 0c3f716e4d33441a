//! The requests iproute2 6.1 sends for `ip addr`, `ip link`, `ip route`
//! and friends (captured bytes, see `fixtures`), and the replies checked
//! field by field against what Linux sends for the same configuration.

mod common;
mod fixtures;

use common::*;
use rtnetlink::inspect::{self, Message};
use rtnetlink::uapi::addr::*;
use rtnetlink::uapi::errno::*;
use rtnetlink::uapi::family::*;
use rtnetlink::uapi::link::*;
use rtnetlink::uapi::netlink::*;
use rtnetlink::uapi::route::*;
use rtnetlink::uapi::rtnetlink::*;
use rtnetlink::wire::Header;

fn parse(d: &[u8]) -> Vec<Message<'_>> {
    inspect::messages(d).expect("well-formed reply")
}

fn seq_of(request: &[u8]) -> u32 {
    Header::parse(request).unwrap().seq
}

/// Checks a dump's shape: every datagram but the last holds only
/// `kind` messages with `NLM_F_MULTI`, the last is `NLMSG_DONE` alone with
/// result 0; returns the messages' bytes. `extra_flags` are expected on
/// every message and on `NLMSG_DONE`.
fn dump_messages(datagrams: &[Vec<u8>], kind: u16, seq: u32, extra_flags: u16) -> Vec<Vec<u8>> {
    dump_messages_flagged(datagrams, kind, seq, extra_flags, extra_flags)
}

/// The same with different extra flags on the messages and on `NLMSG_DONE`
/// (a strict route dump marks every route filtered, its end only when a
/// filter was given).
fn dump_messages_flagged(
    datagrams: &[Vec<u8>],
    kind: u16,
    seq: u32,
    extra_flags: u16,
    done_flags: u16,
) -> Vec<Vec<u8>> {
    let (done, parts) = datagrams.split_last().expect("at least NLMSG_DONE");
    let done = parse(done);
    assert_eq!(done.len(), 1, "NLMSG_DONE travels alone");
    let h = done[0].header;
    assert_eq!((h.len, h.kind, h.flags, h.seq, h.pid), (20, NLMSG_DONE, NLM_F_MULTI | done_flags, seq, PID));
    assert_eq!(i32_at(done[0].body, 0), 0);
    let mut out = Vec::new();
    for d in parts {
        for m in parse(d) {
            assert_eq!(m.header.kind, kind);
            assert_eq!(m.header.flags, NLM_F_MULTI | extra_flags);
            assert_eq!(m.header.seq, seq);
            assert_eq!(m.header.pid, PID);
            out.push(msg(&m.header, m.body));
        }
    }
    out
}

fn only(bytes: &[u8]) -> Message<'_> {
    let mut all = parse(bytes);
    assert_eq!(all.len(), 1);
    all.remove(0)
}

#[test]
fn ip_addr_link_dump_lists_lo_then_eth0() {
    let config = qemu();
    let mut s = iproute2_socket();
    let replies = exchange(&mut s, &config, fixtures::GETLINK_DUMP);
    let links = dump_messages(&replies, RTM_NEWLINK, seq_of(fixtures::GETLINK_DUMP), 0);
    assert_eq!(links.len(), 2);

    let lo = only(&links[0]);
    let ifm = &lo.body[..16];
    assert_eq!(ifm[0], AF_UNSPEC);
    assert_eq!(u16::from_ne_bytes([ifm[2], ifm[3]]), ARPHRD_LOOPBACK);
    assert_eq!(i32_at(ifm, 4), 1);
    assert_eq!(u32_at(ifm, 8), IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP);
    assert_eq!(u32_at(ifm, 12), 0, "ifi_change");
    assert_eq!(lo.attr(16, IFLA_IFNAME), Some(&b"lo\0"[..]));
    assert_eq!(lo.attr(16, IFLA_MTU), Some(&65536u32.to_ne_bytes()[..]));
    assert_eq!(lo.attr(16, IFLA_TXQLEN), Some(&1000u32.to_ne_bytes()[..]));
    assert_eq!(lo.attr(16, IFLA_OPERSTATE), Some(&[IF_OPER_UNKNOWN][..]));
    assert_eq!(lo.attr(16, IFLA_LINKMODE), Some(&[0u8][..]));
    assert_eq!(lo.attr(16, IFLA_GROUP), Some(&[0u8; 4][..]));
    assert_eq!(lo.attr(16, IFLA_QDISC), Some(&b"noqueue\0"[..]));
    assert_eq!(lo.attr(16, IFLA_ADDRESS), Some(&[0u8; 6][..]));
    assert_eq!(lo.attr(16, IFLA_BROADCAST), Some(&[0u8; 6][..]));
    // IFLA_EXT_MASK was RTEXT_FILTER_VF only: statistics are included.
    let stats64 = lo.attr(16, IFLA_STATS64).unwrap();
    assert_eq!(stats64.len(), RTNL_LINK_STATS64_LEN);
    assert_eq!(u64::from_ne_bytes(stats64[16..24].try_into().unwrap()), 840, "rx_bytes");
    assert_eq!(lo.attr(16, IFLA_STATS).unwrap().len(), RTNL_LINK_STATS_LEN);
    // The attribute bytes themselves: length 7, type 3, "lo", NUL, pad.
    assert_eq!(&links[0][32..40], &[7, 0, 3, 0, b'l', b'o', 0, 0]);

    let eth = only(&links[1]);
    assert_eq!(u16::from_ne_bytes([eth.body[2], eth.body[3]]), ARPHRD_ETHER);
    assert_eq!(i32_at(eth.body, 4), 2);
    assert_eq!(u32_at(eth.body, 8), IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING | IFF_LOWER_UP);
    assert_eq!(eth.attr(16, IFLA_IFNAME), Some(&b"eth0\0"[..]));
    assert_eq!(eth.attr(16, IFLA_MTU), Some(&1500u32.to_ne_bytes()[..]));
    assert_eq!(eth.attr(16, IFLA_OPERSTATE), Some(&[IF_OPER_UP][..]));
    assert_eq!(eth.attr(16, IFLA_ADDRESS), Some(&MAC[..]));
    assert_eq!(eth.attr(16, IFLA_BROADCAST), Some(&[0xff; 6][..]));
    assert_eq!(eth.attr(16, IFLA_QDISC), Some(&b"pfifo_fast\0"[..]));
    let stats = eth.attr(16, IFLA_STATS).unwrap();
    // struct rtnl_link_stats cuts the 5 GB received to 32 bits.
    assert_eq!(u32_at(stats, 8), 5_080_264_123u64 as u32);
    let stats64 = eth.attr(16, IFLA_STATS64).unwrap();
    assert_eq!(u64::from_ne_bytes(stats64[16..24].try_into().unwrap()), 5_080_264_123);
}

#[test]
fn ip_addr_address_dump_ignores_the_zeroed_slack_and_lists_both_families() {
    let config = qemu();
    let mut s = iproute2_socket();
    // 152 bytes: a 24-byte request and 128 zero bytes; the zero header
    // after it ends the walk without an error.
    assert_eq!(fixtures::GETADDR_DUMP.len(), 152);
    let replies = exchange(&mut s, &config, fixtures::GETADDR_DUMP);
    let addrs = dump_messages(&replies, RTM_NEWADDR, seq_of(fixtures::GETADDR_DUMP), 0);
    assert_eq!(addrs.len(), 4);
    let families: Vec<(u8, u32)> = addrs.iter().map(|a| (a[16], u32_at(a, 20))).collect();
    assert_eq!(families, vec![(AF_INET, 1), (AF_INET, 2), (AF_INET6, 1), (AF_INET6, 2)]);

    // 127.0.0.1/8 on lo: 76 bytes, as Linux sends it.
    let lo = only(&addrs[0]);
    assert_eq!(lo.header.len, 76);
    assert_eq!(&lo.body[..4], &[AF_INET, 8, IFA_F_PERMANENT as u8, RT_SCOPE_HOST]);
    assert_eq!(lo.attr(8, IFA_ADDRESS), Some(&[127, 0, 0, 1][..]));
    assert_eq!(lo.attr(8, IFA_LOCAL), Some(&[127, 0, 0, 1][..]));
    assert_eq!(lo.attr(8, IFA_BROADCAST), None);
    assert_eq!(lo.attr(8, IFA_LABEL), Some(&b"lo\0"[..]));
    assert_eq!(lo.attr(8, IFA_FLAGS), Some(&IFA_F_PERMANENT.to_ne_bytes()[..]));
    let ci = lo.attr(8, IFA_CACHEINFO).unwrap();
    assert_eq!((u32_at(ci, 0), u32_at(ci, 4)), (INFINITY_LIFE_TIME, INFINITY_LIFE_TIME));
    let kinds: Vec<u16> = lo.attrs(8).unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![IFA_ADDRESS, IFA_LOCAL, IFA_LABEL, IFA_FLAGS, IFA_CACHEINFO]);

    // 10.0.2.15/24 brd 10.0.2.255 scope global eth0: 88 bytes.
    let eth = only(&addrs[1]);
    assert_eq!(eth.header.len, 88);
    assert_eq!(&eth.body[..4], &[AF_INET, 24, IFA_F_PERMANENT as u8, RT_SCOPE_UNIVERSE]);
    assert_eq!(eth.attr(8, IFA_BROADCAST), Some(&[10, 0, 2, 255][..]));
    assert_eq!(eth.attr(8, IFA_LABEL), Some(&b"eth0\0"[..]));

    // ::1/128 scope host, and fe80::/64 scope link: address, cacheinfo, flags.
    let lo6 = only(&addrs[2]);
    assert_eq!(&lo6.body[..4], &[AF_INET6, 128, IFA_F_PERMANENT as u8, RT_SCOPE_HOST]);
    let kinds: Vec<u16> = lo6.attrs(8).unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![IFA_ADDRESS, IFA_CACHEINFO, IFA_FLAGS, IFA_PROTO]);
    assert_eq!(lo6.attr(8, IFA_PROTO), Some(&[IFAPROT_KERNEL_LO][..]));
    let ll = only(&addrs[3]);
    assert_eq!(&ll.body[..4], &[AF_INET6, 64, IFA_F_PERMANENT as u8, RT_SCOPE_LINK]);
    assert_eq!(ll.attr(8, IFA_ADDRESS), Some(&link_local()[..]));
}

#[test]
fn ip_4_addr_show_dev_lo_filters_in_the_kernel() {
    let config = qemu();
    let mut s = iproute2_socket();
    // GETLINK for index 1 (family AF_INET, ext mask VF|SKIP_STATS): one
    // reply, not a dump, without statistics.
    let r = exchange(&mut s, &config, fixtures::GETLINK_INDEX_1_INET);
    assert_eq!(r.len(), 1);
    let lo = only(&r[0]);
    assert_eq!((lo.header.kind, lo.header.flags, lo.header.pid), (RTM_NEWLINK, 0, PID));
    assert_eq!(lo.attr(16, IFLA_IFNAME), Some(&b"lo\0"[..]));
    assert_eq!(lo.attr(16, IFLA_STATS64), None);
    assert_eq!(lo.attr(16, IFLA_STATS), None);

    let r = exchange(&mut s, &config, fixtures::GETADDR_DUMP_INET_INDEX_1);
    let addrs = dump_messages(&r, RTM_NEWADDR, seq_of(fixtures::GETADDR_DUMP_INET_INDEX_1), NLM_F_DUMP_FILTERED);
    assert_eq!(addrs.len(), 1);
    assert_eq!(only(&addrs[0]).attr(8, IFA_LOCAL), Some(&[127, 0, 0, 1][..]));
}

#[test]
fn an_address_dump_for_a_missing_link_fails_in_its_done() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, fixtures::GETADDR_DUMP_INDEX_4);
    assert_eq!(r.len(), 1);
    let done = only(&r[0]);
    assert_eq!(done.header.kind, NLMSG_DONE);
    assert_eq!(i32_at(done.body, 0), -ENODEV);
}

#[test]
fn ip_link_show_lo_probe_gets_eperm_and_the_name_lookup_one_link() {
    let config = qemu();
    let mut s = iproute2_socket();
    // iplink_have_newlink: RTM_NEWLINK with NLM_F_ACK and nothing else.
    let r = exchange(&mut s, &config, fixtures::NEWLINK_PROBE);
    assert_eq!(r.len(), 1);
    let e = only(&r[0]);
    assert_eq!(e.header.kind, NLMSG_ERROR);
    assert_eq!(e.header.flags, NLM_F_ACK_TLVS, "echoed, so not capped; with the message");
    assert_eq!(e.header.seq, 0);
    assert_eq!(i32_at(e.body, 0), -EPERM);
    assert_eq!(&e.body[4..36], fixtures::NEWLINK_PROBE, "the request comes back whole");
    let tlv = inspect::messages(&r[0]).unwrap()[0].body[36..].to_vec();
    assert_eq!(u16::from_ne_bytes([tlv[2], tlv[3]]), NLMSGERR_ATTR_MSG);

    for request in [fixtures::GETLINK_PACKET_LO_BY_NAME, fixtures::GETLINK_LO_BY_NAME_SKIP_STATS] {
        let r = exchange(&mut s, &config, request);
        assert_eq!(r.len(), 1);
        let lo = only(&r[0]);
        assert_eq!((lo.header.kind, lo.header.flags, lo.header.seq), (RTM_NEWLINK, 0, seq_of(request)));
        assert_eq!(i32_at(lo.body, 4), 1);
    }
    let r = exchange(&mut s, &config, fixtures::GETLINK_ETH0_BY_NAME);
    assert_eq!(i32_at(only(&r[0]).body, 4), 2);
}

#[test]
fn a_missing_link_is_enodev() {
    let config = qemu();
    let mut s = plain_socket();
    let r = exchange(&mut s, &config, fixtures::GETLINK_INDEX_4);
    let e = only(&r[0]);
    assert_eq!(e.header.kind, NLMSG_ERROR);
    assert_eq!(i32_at(e.body, 0), -ENODEV);
    assert_eq!(e.header.flags, 0);
    assert_eq!(e.header.len as usize, 16 + 4 + fixtures::GETLINK_INDEX_4.len());
}

/// `(type, table, dst, dst_len, gateway, oif, prefsrc)` of each route.
type Shown = (u8, u8, Vec<u8>, u8, Option<Vec<u8>>, u32, Option<Vec<u8>>);

fn shown(routes: &[Vec<u8>]) -> Vec<Shown> {
    routes
        .iter()
        .map(|r| {
            let m = only(r);
            (
                m.body[7],
                m.body[4],
                m.attr(12, RTA_DST).map(<[u8]>::to_vec).unwrap_or_default(),
                m.body[1],
                m.attr(12, RTA_GATEWAY).map(<[u8]>::to_vec),
                u32_at(m.attr(12, RTA_OIF).unwrap(), 0),
                m.attr(12, RTA_PREFSRC).map(<[u8]>::to_vec),
            )
        })
        .collect()
}

#[test]
fn ip_route_shows_the_default_and_the_connected_route() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, fixtures::GETROUTE_DUMP_INET_MAIN);
    let routes = dump_messages(&r, RTM_NEWROUTE, seq_of(fixtures::GETROUTE_DUMP_INET_MAIN), NLM_F_DUMP_FILTERED);
    // default via 10.0.2.2 dev eth0
    // 10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15
    assert_eq!(
        shown(&routes),
        vec![
            (RTN_UNICAST, 254, vec![], 0, Some(vec![10, 0, 2, 2]), 2, None),
            (RTN_UNICAST, 254, vec![10, 0, 2, 0], 24, None, 2, Some(vec![10, 0, 2, 15])),
        ]
    );
    let default = only(&routes[0]);
    assert_eq!(&default.body[..12], &[AF_INET, 0, 0, 0, 254, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST, 0, 0, 0, 0]);
    let kinds: Vec<u16> = default.attrs(12).unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![RTA_TABLE, RTA_GATEWAY, RTA_OIF]);
    let connected = only(&routes[1]);
    assert_eq!(&connected.body[4..8], &[254, RTPROT_KERNEL, RT_SCOPE_LINK, RTN_UNICAST]);
    let kinds: Vec<u16> = connected.attrs(12).unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![RTA_TABLE, RTA_DST, RTA_PREFSRC, RTA_OIF]);
}

#[test]
fn ip_6_route_lists_prefix_routes_with_metric_and_preference() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, fixtures::GETROUTE_DUMP_INET6_MAIN);
    let routes = dump_messages(&r, RTM_NEWROUTE, seq_of(fixtures::GETROUTE_DUMP_INET6_MAIN), NLM_F_DUMP_FILTERED);
    // fe80::/64 dev eth0 proto kernel metric 256 pref medium
    // (Linux 6.x routes lo's ::1 only in table local.)
    let mut fe80 = vec![0u8; 16];
    fe80[0] = 0xfe;
    fe80[1] = 0x80;
    assert_eq!(shown(&routes), vec![(RTN_UNICAST, 254, fe80, 64, None, 2, None)]);
    let ll = only(&routes[0]);
    assert_eq!(&ll.body[..8], &[AF_INET6, 64, 0, 0, 254, RTPROT_KERNEL, RT_SCOPE_UNIVERSE, RTN_UNICAST]);
    let kinds: Vec<u16> = ll.attrs(12).unwrap().iter().map(|a| a.kind).collect();
    assert_eq!(kinds, vec![RTA_TABLE, RTA_DST, RTA_PRIORITY, RTA_OIF, RTA_CACHEINFO, RTA_PREF]);
    assert_eq!(ll.attr(12, RTA_PRIORITY), Some(&256u32.to_ne_bytes()[..]));
    assert_eq!(ll.attr(12, RTA_PREF), Some(&[0u8][..]));
}

#[test]
fn ip_route_show_table_all_walks_both_families_and_tables() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, fixtures::GETROUTE_DUMP_ALL);
    let routes = dump_messages_flagged(&r, RTM_NEWROUTE, seq_of(fixtures::GETROUTE_DUMP_ALL), NLM_F_DUMP_FILTERED, 0);
    let summary: Vec<(u8, u8, u8, u8)> = routes.iter().map(|r| (r[16], r[20], r[23], r[17])).collect();
    assert_eq!(
        summary,
        vec![
            (AF_INET, 254, RTN_UNICAST, 0),
            (AF_INET, 254, RTN_UNICAST, 24),
            (AF_INET, 255, RTN_LOCAL, 32),     // local 10.0.2.15
            (AF_INET, 255, RTN_BROADCAST, 32), // broadcast 10.0.2.255
            (AF_INET, 255, RTN_LOCAL, 8),      // local 127.0.0.0/8
            (AF_INET, 255, RTN_LOCAL, 32),     // local 127.0.0.1
            (AF_INET, 255, RTN_BROADCAST, 32), // broadcast 127.255.255.255
            (AF_INET6, 254, RTN_UNICAST, 64),  // fe80::/64
            (AF_INET6, 255, RTN_LOCAL, 128),   // local ::1
            (AF_INET6, 255, RTN_LOCAL, 128),   // local fe80::5054:ff:fe12:3456
            (AF_INET6, 255, RTN_MULTICAST, 8), // multicast ff00::/8
        ]
    );
    // local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1
    let lo_net = only(&routes[4]);
    assert_eq!(&lo_net.body[4..8], &[255, RTPROT_KERNEL, RT_SCOPE_HOST, RTN_LOCAL]);
    assert_eq!(lo_net.attr(12, RTA_TABLE), Some(&255u32.to_ne_bytes()[..]));
    assert_eq!(lo_net.attr(12, RTA_PREFSRC), Some(&[127, 0, 0, 1][..]));
}

#[test]
fn a_route_dump_of_a_table_that_does_not_exist_says_so() {
    let config = qemu();
    let mut s = iproute2_socket();
    let rtm = [AF_INET, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let req = request(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 9, &rtm, &[(RTA_TABLE, &100u32.to_ne_bytes())]);
    let r = exchange(&mut s, &config, &req);
    assert_eq!(r.len(), 1);
    let done = only(&r[0]);
    assert_eq!(done.header.kind, NLMSG_DONE);
    assert_eq!(done.header.flags, NLM_F_MULTI | NLM_F_DUMP_FILTERED | NLM_F_ACK_TLVS);
    assert_eq!(i32_at(done.body, 0), -ENOENT);
    assert_eq!(&done.body[4..8], &[35, 0, 1, 0]);
    assert_eq!(&done.body[8..38], b"ipv4: FIB table does not exist");
}

#[test]
fn ip_route_get_answers_with_the_cache_entry() {
    let config = qemu();
    let mut s = iproute2_socket();
    s.set_uid(0);
    let r = exchange(&mut s, &config, fixtures::GETROUTE_GET_10_0_2_2);
    assert_eq!(r.len(), 1);
    let m = only(&r[0]);
    assert_eq!(m.header.kind, RTM_NEWROUTE);
    assert_eq!(m.header.flags, 0);
    // 10.0.2.2 dev eth0 src 10.0.2.15 uid 0 / cache
    assert_eq!(&m.body[..8], &[AF_INET, 32, 0, 0, 254, RTPROT_UNSPEC, RT_SCOPE_UNIVERSE, RTN_UNICAST]);
    assert_eq!(u32_at(m.body, 8), RTM_F_CLONED);
    assert_eq!(m.attr(12, RTA_DST), Some(&[10, 0, 2, 2][..]));
    assert_eq!(m.attr(12, RTA_OIF), Some(&2u32.to_ne_bytes()[..]));
    assert_eq!(m.attr(12, RTA_PREFSRC), Some(&[10, 0, 2, 15][..]));
    assert_eq!(m.attr(12, RTA_GATEWAY), None, "10.0.2.2 is on the link");
    assert_eq!(m.attr(12, RTA_UID), Some(&[0u8; 4][..]));

    // A destination off the link goes through the gateway.
    let rtm = [AF_INET, 32, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0];
    let req = request(RTM_GETROUTE, NLM_F_REQUEST, 3, &rtm, &[(RTA_DST, &[1, 1, 1, 1])]);
    let r = exchange(&mut s, &config, &req);
    let m = only(&r[0]);
    assert_eq!(m.attr(12, RTA_GATEWAY), Some(&[10, 0, 2, 2][..]));
    assert_eq!(m.attr(12, RTA_PREFSRC), Some(&[10, 0, 2, 15][..]));
}

#[test]
fn neighbours_are_an_empty_dump_and_rules_the_default_ones() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, fixtures::GETNEIGH_DUMP);
    assert_eq!(dump_messages(&r, 0, seq_of(fixtures::GETNEIGH_DUMP), 0).len(), 0);
    // 0: from all lookup local / 32766: from all lookup main /
    // 32767: from all lookup default
    let r = exchange(&mut s, &config, fixtures::GETRULE_DUMP_INET);
    let rules = dump_messages(&r, RTM_NEWRULE, seq_of(fixtures::GETRULE_DUMP_INET), 0);
    let tables: Vec<(u8, Option<u32>)> = rules
        .iter()
        .map(|m| {
            let m = only(m);
            (m.body[4], m.attr(12, rtnetlink::uapi::rule::FRA_PRIORITY).map(|p| u32_at(p, 0)))
        })
        .collect();
    assert_eq!(tables, vec![(255, None), (254, Some(32766)), (253, Some(32767))]);
}

#[test]
fn ip_6_addr_and_ip_s_link() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, fixtures::GETLINK_DUMP_INET6_BARE);
    assert_eq!(dump_messages(&r, RTM_NEWLINK, seq_of(fixtures::GETLINK_DUMP_INET6_BARE), 0).len(), 2);
    let r = exchange(&mut s, &config, fixtures::GETADDR_DUMP_INET6);
    let addrs = dump_messages(&r, RTM_NEWADDR, seq_of(fixtures::GETADDR_DUMP_INET6), 0);
    assert!(addrs.iter().all(|a| a[16] == AF_INET6));
    assert_eq!(addrs.len(), 2);
    let r = exchange(&mut s, &config, fixtures::GETLINK_DUMP_PACKET);
    let links = dump_messages(&r, RTM_NEWLINK, seq_of(fixtures::GETLINK_DUMP_PACKET), 0);
    assert!(links.iter().all(|l| only(l).attr(16, IFLA_STATS64).is_some()));
}

#[test]
fn configuration_changes_are_refused_with_eperm() {
    let config = qemu();
    let mut s = iproute2_socket();
    // ip addr add 10.0.2.16/24 dev eth0
    let ifa = [AF_INET, 24, 0, 0, 2, 0, 0, 0];
    let req = request(
        RTM_NEWADDR,
        NLM_F_REQUEST | NLM_F_ACK | 0x400 | 0x200,
        11,
        &ifa,
        &[(IFA_LOCAL, &[10, 0, 2, 16]), (IFA_ADDRESS, &[10, 0, 2, 16])],
    );
    let r = exchange(&mut s, &config, &req);
    assert_eq!(r.len(), 1, "one error, no separate ack");
    let e = only(&r[0]);
    assert_eq!(i32_at(e.body, 0), -EPERM);
    assert_eq!(&e.body[4..4 + req.len()], &req[..]);
    for kind in [RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE, RTM_SETLINK, RTM_DELLINK, RTM_NEWNEIGH, RTM_NEWRULE] {
        let req = request(kind, NLM_F_REQUEST, 1, &[0; 12], &[]);
        let r = exchange(&mut s, &config, &req);
        assert_eq!(i32_at(only(&r[0]).body, 0), -EPERM);
    }
}
