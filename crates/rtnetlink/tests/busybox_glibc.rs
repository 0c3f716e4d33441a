//! The requests busybox `ip` and glibc send: a bare `struct rtgenmsg`
//! after the header (`xrtnl_wilddump_request`, `__netlink_sendreq`),
//! without strict checking. busybox does not clear the three bytes of
//! padding after the family, so they are junk here; Linux reads nothing
//! past the family for such short requests and neither may this crate.

mod common;

use common::*;
use rtnetlink::inspect;
use rtnetlink::uapi::family::*;
use rtnetlink::uapi::netlink::*;
use rtnetlink::uapi::rtnetlink::*;

/// busybox's 20-byte wildcard dump request.
fn wilddump(kind: u16, family: u8, seq: u32) -> Vec<u8> {
    let mut req = Vec::new();
    req.extend_from_slice(&20u32.to_ne_bytes());
    req.extend_from_slice(&kind.to_ne_bytes());
    req.extend_from_slice(&(NLM_F_ROOT | NLM_F_MATCH | NLM_F_REQUEST).to_ne_bytes());
    req.extend_from_slice(&seq.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&[family, 0xa5, 0xa5, 0xa5]);
    req
}

fn kinds_and_families(datagrams: &[Vec<u8>]) -> Vec<(u16, u8)> {
    messages(datagrams).iter().map(|(h, body)| (h.kind, body[0])).collect()
}

#[test]
fn busybox_ip_addr() {
    let config = qemu();
    let mut s = plain_socket();
    let r = exchange(&mut s, &config, &wilddump(RTM_GETLINK, AF_UNSPEC, 1_700_000_001));
    let kinds = kinds_and_families(&r);
    assert_eq!(kinds, vec![(RTM_NEWLINK, AF_UNSPEC), (RTM_NEWLINK, AF_UNSPEC), (NLMSG_DONE, 0)]);
    for (h, _) in messages(&r) {
        assert_eq!((h.seq, h.pid), (1_700_000_001, PID), "busybox drops replies with another seq or pid");
    }
    let r = exchange(&mut s, &config, &wilddump(RTM_GETADDR, AF_UNSPEC, 1_700_000_002));
    let kinds = kinds_and_families(&r);
    assert_eq!(kinds.iter().filter(|k| k.0 == RTM_NEWADDR).count(), 4);
    let r = exchange(&mut s, &config, &wilddump(RTM_GETADDR, AF_INET, 1_700_000_003));
    let kinds = kinds_and_families(&r);
    assert_eq!(kinds, vec![(RTM_NEWADDR, AF_INET), (RTM_NEWADDR, AF_INET), (NLMSG_DONE, 0)]);
}

#[test]
fn busybox_ip_route_gets_every_table_and_filters_itself() {
    let config = qemu();
    let mut s = plain_socket();
    let r = exchange(&mut s, &config, &wilddump(RTM_GETROUTE, AF_INET, 7));
    let all = messages(&r);
    let routes: Vec<_> = all.iter().filter(|(h, _)| h.kind == RTM_NEWROUTE).collect();
    assert_eq!(routes.len(), 7);
    // busybox keeps rtm_table == RT_TABLE_MAIN.
    let main: Vec<_> = routes.iter().filter(|(_, b)| b[4] == 254).collect();
    assert_eq!(main.len(), 2);
    assert!(all.iter().all(|(h, _)| h.flags & NLM_F_DUMP_FILTERED == 0), "nothing filtered without strict checking");
}

#[test]
fn glibc_getifaddrs_with_af_packet_gets_everything() {
    let config = qemu();
    let mut s = plain_socket();
    let r = exchange(&mut s, &config, &wilddump(RTM_GETLINK, AF_PACKET, 1));
    assert_eq!(kinds_and_families(&r).iter().filter(|k| k.0 == RTM_NEWLINK).count(), 2);
    // No address handler for AF_PACKET: every family's addresses, IPv4 first.
    let r = exchange(&mut s, &config, &wilddump(RTM_GETADDR, AF_PACKET, 2));
    let fams: Vec<u8> = kinds_and_families(&r).iter().filter(|k| k.0 == RTM_NEWADDR).map(|k| k.1).collect();
    assert_eq!(fams, vec![AF_INET, AF_INET, AF_INET6, AF_INET6]);
    // The link messages carry IFLA_STATS, which getifaddrs hands out as ifa_data.
    let r = exchange(&mut s, &config, &wilddump(RTM_GETLINK, AF_PACKET, 3));
    let first = inspect::messages(&r[0]).unwrap();
    assert!(first[0].attr(16, rtnetlink::uapi::link::IFLA_STATS).is_some());
}

#[test]
fn strict_checking_refuses_a_bare_rtgenmsg_dump() {
    let config = qemu();
    let mut s = iproute2_socket();
    let r = exchange(&mut s, &config, &wilddump(RTM_GETLINK, AF_UNSPEC, 1));
    let all = messages(&r);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].0.kind, NLMSG_DONE);
    assert_eq!(i32_at(&all[0].1, 0), -22);
    assert!(all[0].1.windows(28).any(|w| w == b"Invalid header for link dump"));
}
