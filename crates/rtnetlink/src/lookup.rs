//! `ip route get`: a single `RTM_GETROUTE` looks one destination up.
//!
//! The lookup is Linux's for a machine with the default rules: table local
//! first, then main; the longest matching prefix wins, then the lowest
//! metric. The answer is the route cache entry Linux would report
//! (`rt_fill_info` for IPv4, `rt6_fill_node` for IPv6): the destination as
//! a /32 or /128, the output link, the gateway if any, the source address
//! the machine would use, and `RTM_F_CLONED`. With `RTM_F_FIB_MATCH` the
//! matching table entry itself is returned, as `ip route get fibmatch`
//! expects. Input-route lookups (`RTA_IIF`, `ip route get ... iif`) are
//! not modelled: the request is answered as an output lookup.

use alloc::vec::Vec;

use crate::model::{Config, Ip, Route, RouteType, Scope, Table};
use crate::request::Body;
use crate::uapi::errno::{EINVAL, ENETUNREACH};
use crate::uapi::family::AF_INET6;
use crate::uapi::route::*;
use crate::uapi::rtnetlink::{RTMSG_LEN, RTM_NEWROUTE};
use crate::wire::Builder;

/// The result of a lookup, ready to be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The matching table entry.
    pub route: Route,
    /// The destination asked about.
    pub destination: Ip,
    /// The source address the machine would use, if it has one.
    pub source: Option<Ip>,
    /// `RTM_F_LOOKUP_TABLE`: report the table that matched, not main.
    /// (IPv4 reports main either way: see [`fill`].)
    pub lookup_table: bool,
    /// `RTM_F_FIB_MATCH`: report the table entry itself.
    pub fib_match: bool,
}

/// Validates the request (`inet_rtm_valid_getroute_req` and its IPv6
/// twin) and looks the destination up.
pub fn route_get(
    config: &Config,
    body: &Body,
    family: u8,
    strict: bool,
) -> Result<Answer, (i32, Option<&'static str>)> {
    let v6 = family == AF_INET6;
    let m = |v4: &'static str, v6m: &'static str| (EINVAL, Some(if v6 { v6m } else { v4 }));
    let Some(rtm) = body.fixed(RTMSG_LEN) else {
        return Err(m("ipv4: Invalid header for route get request", "ipv6: Invalid header for get route request"));
    };
    let flags = u32::from_ne_bytes([rtm[8], rtm[9], rtm[10], rtm[11]]);
    let full = if v6 { 128 } else { 32 };
    let attrs = if strict {
        let bad_len = |l: u8| l != 0 && l != full;
        if bad_len(rtm[1]) || bad_len(rtm[2]) || rtm[4] != 0 || rtm[5] != 0 || rtm[6] != 0 || rtm[7] != 0 {
            return Err(m(
                "ipv4: Invalid values in header for route get request",
                "ipv6: Invalid values in header for get route request",
            ));
        }
        if flags & !(RTM_F_NOTIFY | RTM_F_LOOKUP_TABLE | RTM_F_FIB_MATCH) != 0 {
            return Err(m(
                "ipv4: Unsupported rtm_flags for route get request",
                "ipv6: Invalid flags for get route request",
            ));
        }
        body.strict_attrs(RTMSG_LEN).map_err(|e| (EINVAL, Some(e.0)))?
    } else {
        body.liberal_attrs(RTMSG_LEN).map_err(|e| (EINVAL, Some(e.0)))?
    };
    let mut destination = if v6 { Ip::V6([0; 16]) } else { Ip::V4([0; 4]) };
    for attr in attrs {
        match attr.kind {
            RTA_DST => {
                destination = match (v6, attr.payload) {
                    (false, p) if p.len() >= 4 => Ip::V4([p[0], p[1], p[2], p[3]]),
                    (true, p) if p.len() >= 16 => {
                        let mut a = [0u8; 16];
                        a.copy_from_slice(&p[..16]);
                        Ip::V6(a)
                    }
                    _ => return Err((EINVAL, Some("Attribute failed policy validation"))),
                }
            }
            RTA_SRC | RTA_IIF | RTA_OIF | RTA_MARK | RTA_UID | RTA_IP_PROTO | RTA_SPORT | RTA_DPORT => {}
            _ if strict => {
                return Err(m(
                    "ipv4: Unsupported attribute in route get request",
                    "ipv6: Unsupported attribute in get route request",
                ))
            }
            _ => {}
        }
    }
    let route = lookup(config, &destination).ok_or((ENETUNREACH, None))?.clone();
    let source = route.prefsrc.or_else(|| source_for(config, &route, &destination));
    Ok(Answer {
        route,
        destination,
        source,
        lookup_table: flags & RTM_F_LOOKUP_TABLE != 0,
        fib_match: flags & RTM_F_FIB_MATCH != 0,
    })
}

/// Local table, then main; longest prefix, then lowest metric. Multicast
/// routes (IPv6's ff00::/8) only match multicast destinations, which an
/// output lookup treats like any other prefix, as Linux does.
pub fn lookup<'c>(config: &'c Config, destination: &Ip) -> Option<&'c Route> {
    [Table::Local, Table::Main].iter().find_map(|&table| {
        config
            .routes
            .iter()
            .filter(|r| r.table == table && destination.in_prefix(&r.destination, r.prefix_len))
            .min_by(|a, b| b.prefix_len.cmp(&a.prefix_len).then(a.priority.cmp(&b.priority)))
    })
}

/// The address Linux's source selection would pick: one on the output
/// link in the same prefix as the next hop, else the first on that link
/// of a scope at least as wide as the destination's.
fn source_for(config: &Config, route: &Route, destination: &Ip) -> Option<Ip> {
    let hop = route.gateway.unwrap_or(*destination);
    let on_link: Vec<_> =
        config.addresses.iter().filter(|a| a.index == route.oif && a.address.family() == hop.family()).collect();
    on_link
        .iter()
        .find(|a| hop.in_prefix(&a.address, a.prefix_len) && a.scope != Scope::Host)
        .or_else(|| on_link.iter().find(|a| a.scope == destination.default_scope() || a.scope == Scope::Universe))
        .or_else(|| on_link.first())
        .map(|a| a.address)
}

/// The reply: the cache entry (`rt_fill_info` / `rt6_fill_node` with a
/// destination), or with `fib_match` the table entry as a dump shows it.
pub fn fill(answer: &Answer, seq: u32, pid: u32, uid: u32) -> Vec<u8> {
    if answer.fib_match {
        return crate::route::fill(&answer.route, RTM_NEWROUTE, 0, seq, pid);
    }
    let r = &answer.route;
    let v6 = matches!(answer.destination, Ip::V6(_));
    // IPv4 without policy rules looks local and main up as one merged
    // trie, which reports itself as main: the table is main either way.
    let table = if v6 { r.table.id() } else { RT_TABLE_MAIN };
    let mut rtm = [0u8; RTMSG_LEN];
    rtm[0] = answer.destination.family();
    rtm[1] = answer.destination.max_prefix();
    rtm[4] = table as u8;
    rtm[5] = if v6 { r.protocol.to_u8() } else { RTPROT_UNSPEC };
    rtm[6] = RT_SCOPE_UNIVERSE;
    rtm[7] = r.kind.to_u8();
    // IPv4 answers with a route cache entry (RTM_F_CLONED) whose high
    // flag bits say local or broadcast delivery; IPv6 with the table entry.
    let flags = match (v6, r.kind) {
        (true, _) => r.flags,
        (false, RouteType::Local) => RTM_F_CLONED | RTCF_LOCAL,
        (false, RouteType::Broadcast) => RTM_F_CLONED | RTCF_LOCAL | RTCF_BROADCAST,
        (false, _) => RTM_F_CLONED,
    };
    rtm[8..12].copy_from_slice(&flags.to_ne_bytes());
    if v6 {
        // The lookup's source (none, so ::) is reported as a /128.
        rtm[2] = 128;
    }
    let mut b = Builder::new(RTM_NEWROUTE, 0, seq, pid);
    b.body(&rtm).attr_u32(RTA_TABLE, table).attr(RTA_DST, answer.destination.bytes());
    if v6 {
        b.attr(RTA_SRC, &[0u8; 16]);
    }
    // Local destinations leave through lo.
    let oif = if r.kind == RouteType::Local && !v6 { 1 } else { r.oif };
    if v6 {
        if let Some(src) = &answer.source {
            b.attr(RTA_PREFSRC, src.bytes());
        }
        b.attr_u32(RTA_PRIORITY, r.priority);
        if let Some(gw) = &r.gateway {
            b.attr(RTA_GATEWAY, gw.bytes());
        }
        b.attr_u32(RTA_OIF, oif);
        b.attr(RTA_CACHEINFO, &[0u8; RTA_CACHEINFO_LEN]).attr_u8(RTA_PREF, ICMPV6_ROUTER_PREF_MEDIUM);
    } else {
        b.attr_u32(RTA_OIF, oif);
        if let Some(src) = &answer.source {
            b.attr(RTA_PREFSRC, src.bytes());
        }
        if let Some(gw) = &r.gateway {
            b.attr(RTA_GATEWAY, gw.bytes());
        }
        b.attr_u32(RTA_UID, uid).attr(RTA_CACHEINFO, &[0u8; RTA_CACHEINFO_LEN]);
    }
    b.finish()
}
