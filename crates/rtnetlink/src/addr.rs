//! Addresses over rtnetlink: `RTM_GETADDR` dumps and `RTM_NEWADDR` replies.
//!
//! IPv4 messages carry what `inet_fill_ifaddr` puts (address, local,
//! broadcast, label, protocol, 32-bit flags, cache info); IPv6 ones what
//! `inet6_fill_ifaddr` puts (address, cache info, flags, protocol). Lifetimes are
//! always "forever": the TCP/IP server has no expiring addresses yet.

use alloc::vec::Vec;

use crate::model::{Address, Config, Ip, Scope};
use crate::request::{Body, Invalid};
use crate::uapi::addr::*;
use crate::uapi::family::{AF_INET, AF_INET6};
use crate::uapi::netlink::{NLM_F_DUMP_FILTERED, NLM_F_MULTI};
use crate::uapi::rtnetlink::{IFADDRMSG_LEN, RTM_NEWADDR};
use crate::wire::Builder;

/// What an address dump of one family asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddrDump {
    /// Only this link's addresses (strict checking only; 0 = all).
    pub index: u32,
}

impl AddrDump {
    /// `inet_valid_dump_ifaddr_req` / `inet6_valid_dump_ifaddr_req`. Without
    /// strict checking Linux reads nothing from the request.
    pub fn parse(body: &Body, strict: bool, family: u8) -> Result<AddrDump, Invalid> {
        if !strict {
            return Ok(AddrDump::default());
        }
        let v6 = family == AF_INET6;
        let pick = |v4: &'static str, v6m: &'static str| Invalid(if v6 { v6m } else { v4 });
        let Some(ifa) = body.fixed(IFADDRMSG_LEN) else {
            return Err(pick(
                "ipv4: Invalid header for address dump request",
                "ipv6: Invalid header for address dump request",
            ));
        };
        if ifa[1] != 0 || ifa[2] != 0 || ifa[3] != 0 {
            return Err(pick(
                "ipv4: Invalid values in header for address dump request",
                "ipv6: Invalid values in header for address dump request",
            ));
        }
        let index = u32::from_ne_bytes([ifa[4], ifa[5], ifa[6], ifa[7]]);
        for attr in body.strict_attrs(IFADDRMSG_LEN)? {
            if attr.kind != IFA_TARGET_NETNSID {
                return Err(pick(
                    "ipv4: Unsupported attribute in dump request",
                    "ipv6: Unsupported attribute in dump request",
                ));
            }
        }
        Ok(AddrDump { index })
    }

    pub fn flags(&self) -> u16 {
        if self.index != 0 {
            NLM_F_MULTI | NLM_F_DUMP_FILTERED
        } else {
            NLM_F_MULTI
        }
    }

    /// The family's addresses, link by link in ifindex order; ENODEV when
    /// the filter names a link that does not exist.
    pub fn messages(&self, config: &Config, family: u8, seq: u32, pid: u32) -> Result<Vec<Vec<u8>>, i32> {
        if self.index != 0 && config.link(self.index).is_none() {
            return Err(crate::uapi::errno::ENODEV);
        }
        let mut links: Vec<_> = config.links.iter().collect();
        links.sort_by_key(|l| l.index);
        let mut out = Vec::new();
        for link in links {
            if self.index != 0 && link.index != self.index {
                continue;
            }
            let mut addrs: Vec<&Address> =
                config.addresses.iter().filter(|a| a.index == link.index && a.address.family() == family).collect();
            // IPv6 keeps each link's list sorted by scope, widest first
            // (`ipv6_link_dev_addr`), so global addresses precede fe80::.
            if family == AF_INET6 {
                addrs.sort_by_key(|a| scope_rank(a.scope));
            }
            for a in addrs {
                out.push(fill(a, &link.name, self.flags(), seq, pid));
            }
        }
        Ok(out)
    }
}

fn scope_rank(scope: Scope) -> u8 {
    match scope {
        Scope::Universe => 0,
        Scope::Site => 1,
        Scope::Link => 2,
        Scope::Host => 3,
        Scope::Nowhere => 4,
    }
}

/// `inet_fill_ifaddr` / `inet6_fill_ifaddr` for one address of `label`'s link.
pub fn fill(a: &Address, label: &str, flags: u16, seq: u32, pid: u32) -> Vec<u8> {
    let ifa = [
        a.address.family(),
        a.prefix_len,
        // ifa_flags is a u8; the full 32 bits travel in IFA_FLAGS.
        a.flags as u8,
        a.scope.to_u8(),
    ];
    let mut b = Builder::new(RTM_NEWADDR, flags, seq, pid);
    let mut body = [0u8; IFADDRMSG_LEN];
    body[..4].copy_from_slice(&ifa);
    body[4..].copy_from_slice(&a.index.to_ne_bytes());
    b.body(&body);
    let cache = cacheinfo(a);
    match a.address {
        Ip::V4(addr) => {
            b.attr(IFA_ADDRESS, &addr).attr(IFA_LOCAL, &addr);
            if let Some(brd) = a.broadcast.filter(|b| *b != [0; 4]) {
                b.attr(IFA_BROADCAST, &brd);
            }
            let label = label.as_bytes();
            if !label.is_empty() {
                b.attr_str(IFA_LABEL, &label[..label.len().min(crate::uapi::link::IFNAMSIZ - 1)]);
            }
            if a.proto != 0 {
                b.attr_u8(IFA_PROTO, a.proto);
            }
            b.attr_u32(IFA_FLAGS, a.flags).attr(IFA_CACHEINFO, &cache);
        }
        Ip::V6(addr) => {
            b.attr(IFA_ADDRESS, &addr).attr(IFA_CACHEINFO, &cache).attr_u32(IFA_FLAGS, a.flags);
            if a.proto != 0 {
                b.attr_u8(IFA_PROTO, a.proto);
            }
        }
    }
    b.finish()
}

/// `struct ifa_cacheinfo`: preferred and valid lifetimes (infinite), and
/// the creation and update stamps.
fn cacheinfo(a: &Address) -> [u8; IFA_CACHEINFO_LEN] {
    let mut out = [0u8; IFA_CACHEINFO_LEN];
    out[0..4].copy_from_slice(&INFINITY_LIFE_TIME.to_ne_bytes());
    out[4..8].copy_from_slice(&INFINITY_LIFE_TIME.to_ne_bytes());
    out[8..12].copy_from_slice(&a.created_cs.to_ne_bytes());
    out[12..16].copy_from_slice(&a.updated_cs.to_ne_bytes());
    out
}

/// The families an address dump of `family` covers: one, or both when the
/// family has no handler of its own (`rtnl_dump_all`, IPv4 first).
pub fn families(family: u8) -> &'static [u8] {
    match family {
        AF_INET => &[AF_INET],
        AF_INET6 => &[AF_INET6],
        _ => &[AF_INET, AF_INET6],
    }
}
