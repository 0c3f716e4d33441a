//! Routes over rtnetlink: `RTM_GETROUTE` dumps and `RTM_NEWROUTE` replies.
//!
//! IPv4 routes are laid out as `fib_dump_info` lays them out and listed in
//! the order of Linux's trie walk (table main, then local; ascending
//! prefix; a longer prefix before a shorter one with the same address).
//! IPv6 routes follow `rt6_fill_node` (the metric always present, cache
//! info and `RTA_PREF` at the end) and the fib6 tree's walk, which visits a
//! prefix's more specific routes before it, so `default` comes last.

use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::model::{Config, Ip, Route};
use crate::request::{Body, Invalid};
use crate::uapi::errno::{ENODEV, ENOENT};
use crate::uapi::family::{AF_INET, AF_INET6, RTNL_FAMILY_IP6MR, RTNL_FAMILY_IPMR};
use crate::uapi::netlink::{NLM_F_DUMP_FILTERED, NLM_F_MULTI};
use crate::uapi::route::*;
use crate::uapi::rtnetlink::{RTMSG_LEN, RTM_NEWROUTE};
use crate::wire::Builder;

/// The filters of a route dump (`struct fib_dump_filter`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteDump {
    pub table: u32,
    pub protocol: u8,
    pub kind: u8,
    pub oif: u32,
    /// `RTM_F_CLONED` asks for cached routes (none here), `RTM_F_PREFIX`
    /// for routes made from router advertisements' prefixes (none either).
    pub flags: u32,
    /// Strict checking chose between routes and cached routes, which
    /// Linux reports as filtering on every route message (not on `NLMSG_DONE`).
    pub strict: bool,
}

/// Why a route dump ends early: an errno and maybe an extended-ack message.
pub type DumpError = (i32, Option<&'static str>);

impl RouteDump {
    /// `ip_valid_fib_dump_req` with strict checking; otherwise only the
    /// header's `RTM_F_PREFIX` is read (`RTM_F_CLONED` then lists routes
    /// and cached routes alike, as Linux 6.18 does).
    pub fn parse(body: &Body, strict: bool, config: &Config) -> Result<RouteDump, DumpError> {
        let mut dump = RouteDump::default();
        if !strict {
            if let Some(rtm) = body.fixed(RTMSG_LEN) {
                let flags = u32::from_ne_bytes([rtm[8], rtm[9], rtm[10], rtm[11]]);
                dump.flags = flags & RTM_F_PREFIX;
            }
            return Ok(dump);
        }
        dump.strict = true;
        let einval = |m: &'static str| (crate::uapi::errno::EINVAL, Some(m));
        let Some(rtm) = body.fixed(RTMSG_LEN) else {
            return Err(einval("Invalid header for FIB dump request"));
        };
        // dst_len, src_len, tos and scope are not filters.
        if rtm[1] != 0 || rtm[2] != 0 || rtm[3] != 0 || rtm[6] != 0 {
            return Err(einval("Invalid values in header for FIB dump request"));
        }
        let flags = u32::from_ne_bytes([rtm[8], rtm[9], rtm[10], rtm[11]]);
        if flags & !(RTM_F_CLONED | RTM_F_PREFIX) != 0 {
            return Err(einval("Invalid flags for FIB dump request"));
        }
        dump.flags = flags;
        dump.table = u32::from(rtm[4]);
        dump.protocol = rtm[5];
        dump.kind = rtm[7];
        let attrs = body.strict_attrs(RTMSG_LEN).map_err(|Invalid(m)| einval(m))?;
        for attr in attrs {
            match attr.kind {
                RTA_TABLE => dump.table = attr.u32().ok_or(einval("Attribute failed policy validation"))?,
                RTA_OIF => {
                    let oif = attr.u32().ok_or(einval("Attribute failed policy validation"))?;
                    if config.link(oif).is_none() {
                        return Err((ENODEV, None));
                    }
                    dump.oif = oif;
                }
                _ => return Err(einval("Unsupported attribute in dump request")),
            }
        }
        Ok(dump)
    }

    fn filtered(&self) -> bool {
        self.flags != 0 || self.protocol != 0 || self.kind != 0 || self.table != 0 || self.oif != 0
    }

    /// The flags of `NLMSG_DONE`: `NLM_F_DUMP_FILTERED` when a filter was
    /// given (`cb->answer_flags`).
    pub fn flags(&self) -> u16 {
        if self.filtered() {
            NLM_F_MULTI | NLM_F_DUMP_FILTERED
        } else {
            NLM_F_MULTI
        }
    }

    /// The flags of each route message: also `NLM_F_DUMP_FILTERED` for
    /// every strict request, since strict checking always picks routes
    /// or cached routes (`fib_dump_filter.dump_routes/dump_exceptions`).
    pub fn message_flags(&self) -> u16 {
        if self.strict {
            NLM_F_MULTI | NLM_F_DUMP_FILTERED
        } else {
            self.flags()
        }
    }

    /// One family's routes, or ENOENT when a table that does not exist was
    /// asked for by a request of that very family (a request for all
    /// families just skips the family, as `rtnl_dump_all` does).
    pub fn messages(
        &self,
        config: &Config,
        family: u8,
        request_family: u8,
        seq: u32,
        pid: u32,
    ) -> Result<Vec<Vec<u8>>, DumpError> {
        if self.table != 0 && self.table != RT_TABLE_MAIN && self.table != RT_TABLE_LOCAL {
            if request_family != family {
                return Ok(Vec::new());
            }
            let msg =
                if family == AF_INET6 { "ipv6: FIB table does not exist" } else { "ipv4: FIB table does not exist" };
            return Err((ENOENT, Some(msg)));
        }
        // RTM_F_CLONED (strict only) asks for cached routes alone: none.
        let cached_only = self.flags & RTM_F_CLONED != 0;
        if self.flags & RTM_F_PREFIX != 0 || cached_only {
            return Ok(Vec::new());
        }
        let mut routes: Vec<&Route> = config
            .routes
            .iter()
            .filter(|r| r.family() == family)
            .filter(|r| self.table == 0 || r.table.id() == self.table)
            .filter(|r| self.protocol == 0 || r.protocol.to_u8() == self.protocol)
            .filter(|r| self.kind == 0 || r.kind.to_u8() == self.kind)
            .filter(|r| self.oif == 0 || r.oif == self.oif)
            .collect();
        routes.sort_by(|a, b| walk_order(a, b));
        Ok(routes.into_iter().map(|r| fill(r, RTM_NEWROUTE, self.message_flags(), seq, pid)).collect())
    }
}

/// The order Linux's dumps visit routes in.
pub fn walk_order(a: &Route, b: &Route) -> Ordering {
    let table = a.table.cmp(&b.table);
    if table != Ordering::Equal {
        return table;
    }
    let place = match (a.destination, b.destination) {
        (Ip::V4(_), Ip::V4(_)) => {
            let (ka, kb) = (v4_key(a), v4_key(b));
            ka.cmp(&kb).then(b.prefix_len.cmp(&a.prefix_len))
        }
        (Ip::V6(_), Ip::V6(_)) => post_order(a, b),
        _ => a.family().cmp(&b.family()),
    };
    place.then(a.priority.cmp(&b.priority))
}

/// The trie key of an IPv4 route: its masked destination as a number.
fn v4_key(r: &Route) -> u32 {
    match r.destination.masked(r.prefix_len) {
        Ip::V4(v) => u32::from_be_bytes(v),
        Ip::V6(_) => 0,
    }
}

/// Post-order of a binary trie over prefixes: at the first bit where two
/// prefixes differ the 0 branch comes first; when one contains the other
/// the longer (more specific) one comes first.
fn post_order(a: &Route, b: &Route) -> Ordering {
    let (x, y) = (a.destination.bytes(), b.destination.bytes());
    let common = a.prefix_len.min(b.prefix_len) as usize;
    for bit in 0..common {
        let bx = x[bit / 8] >> (7 - bit % 8) & 1;
        let by = y[bit / 8] >> (7 - bit % 8) & 1;
        if bx != by {
            return bx.cmp(&by);
        }
    }
    b.prefix_len.cmp(&a.prefix_len)
}

/// `fib_dump_info` (IPv4) or `rt6_fill_node` (IPv6) for one route.
pub fn fill(r: &Route, kind: u16, flags: u16, seq: u32, pid: u32) -> Vec<u8> {
    let v6 = matches!(r.destination, Ip::V6(_));
    let table = r.table.id();
    let mut rtm = [0u8; RTMSG_LEN];
    rtm[0] = r.family();
    rtm[1] = r.prefix_len;
    // rtm_src_len and rtm_tos stay 0: no source routing, no TOS routes.
    rtm[4] = table as u8;
    rtm[5] = r.protocol.to_u8();
    // IPv6 reports every route with universe scope.
    rtm[6] = if v6 { RT_SCOPE_UNIVERSE } else { r.scope.to_u8() };
    rtm[7] = r.kind.to_u8();
    rtm[8..12].copy_from_slice(&r.flags.to_ne_bytes());
    let mut b = Builder::new(kind, flags, seq, pid);
    b.body(&rtm).attr_u32(RTA_TABLE, table);
    if r.prefix_len != 0 {
        b.attr(RTA_DST, r.destination.bytes());
    }
    if v6 {
        if let Some(src) = &r.prefsrc {
            b.attr(RTA_PREFSRC, src.bytes());
        }
        b.attr_u32(RTA_PRIORITY, r.priority);
    } else {
        if r.priority != 0 {
            b.attr_u32(RTA_PRIORITY, r.priority);
        }
        if let Some(src) = &r.prefsrc {
            b.attr(RTA_PREFSRC, src.bytes());
        }
    }
    if let Some(gw) = &r.gateway {
        b.attr(RTA_GATEWAY, gw.bytes());
    }
    b.attr_u32(RTA_OIF, r.oif);
    if v6 {
        // struct rta_cacheinfo: no use count, no expiry, no error.
        b.attr(RTA_CACHEINFO, &[0u8; RTA_CACHEINFO_LEN]).attr_u8(RTA_PREF, ICMPV6_ROUTER_PREF_MEDIUM);
    }
    b.finish()
}

/// The families a route dump of `family` covers: one; none for the
/// multicast routing families (no multicast routes here); both when the
/// family has no handler of its own (`rtnl_dump_all`, IPv4 first).
pub fn families(family: u8) -> &'static [u8] {
    match family {
        AF_INET => &[AF_INET],
        AF_INET6 => &[AF_INET6],
        RTNL_FAMILY_IPMR | RTNL_FAMILY_IP6MR => &[],
        _ => &[AF_INET, AF_INET6],
    }
}
