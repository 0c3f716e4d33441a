//! Policy routing rules: `RTM_GETRULE` dumps (`ip rule`).
//!
//! Helctic has no policy routing; its lookups behave as Linux's do with
//! the default rules, so those are what a dump lists, laid out as
//! `fib_nl_fill_rule` lays them out: for IPv4 `0: from all lookup local`,
//! `32766: from all lookup main`, `32767: from all lookup default`; for
//! IPv6 the first two. A dump of every family lists IPv4's then IPv6's
//! (Linux would add the multicast routing families' default rules, which
//! are left out: there is no multicast routing here).

use alloc::vec::Vec;

use crate::request::Body;
use crate::uapi::errno::{EAFNOSUPPORT, EINVAL};
use crate::uapi::family::{AF_INET, AF_INET6, AF_UNSPEC};
use crate::uapi::netlink::NLM_F_MULTI;
use crate::uapi::route::{RTPROT_KERNEL, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN};
use crate::uapi::rtnetlink::RTM_NEWRULE;
use crate::uapi::rule::*;
use crate::wire::Builder;

/// `(priority, table)` of the default rules of each family.
const IPV4_RULES: &[(u32, u32)] = &[(0, RT_TABLE_LOCAL), (32766, RT_TABLE_MAIN), (32767, RT_TABLE_DEFAULT)];
const IPV6_RULES: &[(u32, u32)] = &[(0, RT_TABLE_LOCAL), (32766, RT_TABLE_MAIN)];

/// The dump's messages, or the errno (and extended-ack message) it ends
/// with: `fib_valid_dumprule_req` with strict checking, EAFNOSUPPORT for a
/// family without rules.
pub fn dump(
    body: &Body,
    family: u8,
    strict: bool,
    seq: u32,
    pid: u32,
) -> Result<Vec<Vec<u8>>, (i32, Option<&'static str>)> {
    if strict {
        let Some(frh) = body.fixed(FIB_RULE_HDR_LEN) else {
            return Err((EINVAL, Some("Invalid header for fib rule dump request")));
        };
        if frh[1..] != [0; FIB_RULE_HDR_LEN - 1] {
            return Err((EINVAL, Some("Invalid values in header for fib rule dump request")));
        }
        if body.len() > FIB_RULE_HDR_LEN {
            return Err((EINVAL, Some("Invalid data after header in fib rule dump request")));
        }
    }
    let families: &[(u8, &[(u32, u32)])] = match family {
        AF_INET => &[(AF_INET, IPV4_RULES)],
        AF_INET6 => &[(AF_INET6, IPV6_RULES)],
        AF_UNSPEC => &[(AF_INET, IPV4_RULES), (AF_INET6, IPV6_RULES)],
        _ => return Err((EAFNOSUPPORT, None)),
    };
    let mut out = Vec::new();
    for (fam, rules) in families {
        for &(priority, table) in rules.iter() {
            out.push(fill(*fam, priority, table, seq, pid));
        }
    }
    Ok(out)
}

/// `fib_nl_fill_rule` for a rule that sends every packet to `table`.
fn fill(family: u8, priority: u32, table: u32, seq: u32, pid: u32) -> Vec<u8> {
    let mut frh = [0u8; FIB_RULE_HDR_LEN];
    frh[0] = family;
    frh[4] = table as u8;
    frh[7] = FR_ACT_TO_TBL;
    let mut b = Builder::new(RTM_NEWRULE, NLM_F_MULTI, seq, pid);
    b.body(&frh)
        .attr_u32(FRA_TABLE, table)
        // No prefix length is suppressed: -1.
        .attr_u32(FRA_SUPPRESS_PREFIXLEN, u32::MAX)
        .attr_u8(FRA_PROTOCOL, RTPROT_KERNEL);
    if priority != 0 {
        b.attr_u32(FRA_PRIORITY, priority);
    }
    b.finish()
}
