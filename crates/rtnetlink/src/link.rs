//! Links over rtnetlink: `RTM_GETLINK` requests and `RTM_NEWLINK` replies.
//!
//! The reply carries, in `rtnl_fill_ifinfo`'s order, the attributes that
//! `ip link`, busybox `ip`, glibc's `getifaddrs`/`if_nameindex` and
//! `ip -s link` read: name, queue length, operational state, link mode,
//! MTU, group, promiscuity, queue counts, carrier, hardware and broadcast
//! addresses, the two statistics blocks and the queueing discipline.
//! Attributes only drivers or virtual devices have (VFs, XDP, link info,
//! per-family `IFLA_AF_SPEC` configuration) are left out: every reader
//! treats them as optional.

use alloc::vec::Vec;

use crate::model::{Config, Link, LinkKind};
use crate::request::{Body, Invalid};
use crate::uapi::family::AF_UNSPEC;
use crate::uapi::link::*;
use crate::uapi::netlink::{NLM_F_DUMP_FILTERED, NLM_F_MULTI};
use crate::uapi::rtnetlink::{RTEXT_FILTER_SKIP_STATS, RTM_NEWLINK};
use crate::wire::Builder;

/// What a link dump request asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkDump {
    /// `IFLA_EXT_MASK`: with `RTEXT_FILTER_SKIP_STATS` the statistics are left out.
    pub ext_mask: u32,
    /// `IFLA_MASTER`: only links enslaved to this index. Helctic has no
    /// bridges or bonds, so any index but -1 ("no master") matches none.
    pub master: Option<i32>,
}

impl LinkDump {
    /// `rtnl_valid_dump_ifinfo_req` and the attribute loop of
    /// `rtnl_dump_ifinfo`. Without strict checking a malformed request is
    /// dumped unfiltered, as Linux does for programs older than the checks.
    pub fn parse(body: &Body, strict: bool) -> Result<LinkDump, Invalid> {
        let mut dump = LinkDump::default();
        let attrs = if strict {
            let Some(ifm) = body.fixed(IFINFO_LEN) else {
                return Err(Invalid("Invalid header for link dump"));
            };
            if ifm[1] != 0 || ifm[2..4] != [0, 0] || ifm[8..16] != [0; 8] {
                return Err(Invalid("Invalid values in header for link dump request"));
            }
            if ifm[4..8] != [0; 4] {
                return Err(Invalid("Filter by device index not supported for link dumps"));
            }
            body.strict_attrs(IFINFO_LEN)?
        } else {
            // Before Linux 3.9 this request's body was a bare rtgenmsg;
            // a body shorter than ifinfomsg is still read that way.
            let hdrlen = if body.len() < IFINFO_LEN { 1 } else { IFINFO_LEN };
            match body.liberal_attrs(hdrlen) {
                Ok(a) => a,
                Err(_) => return Ok(dump),
            }
        };
        for attr in attrs {
            match attr.kind {
                IFLA_EXT_MASK => match attr.u32() {
                    Some(mask) => dump.ext_mask = mask,
                    None if strict => return Err(Invalid("Attribute failed policy validation")),
                    None => return Ok(LinkDump::default()),
                },
                IFLA_MASTER => dump.master = attr.u32().map(|m| m as i32),
                // Kinds name rtnl_link_ops; lo and Ethernet have none, and
                // an unknown kind filters nothing on Linux either.
                IFLA_LINKINFO => {}
                _ if strict => return Err(Invalid("Unsupported attribute in link dump request")),
                _ => {}
            }
        }
        Ok(dump)
    }

    /// `NLM_F_DUMP_FILTERED` when a filter the kernel applied was given.
    pub fn flags(&self) -> u16 {
        if self.master.is_some_and(|m| m != 0) {
            NLM_F_MULTI | NLM_F_DUMP_FILTERED
        } else {
            NLM_F_MULTI
        }
    }

    /// The dump's messages, in ifindex order.
    pub fn messages(&self, config: &Config, seq: u32, pid: u32) -> Vec<Vec<u8>> {
        let mut links: Vec<&Link> = config.links.iter().collect();
        links.sort_by_key(|l| l.index);
        let master = self.master.unwrap_or(0);
        links
            .into_iter()
            .filter(|_| master == 0 || master == -1)
            .map(|l| fill(l, RTM_NEWLINK, self.flags(), seq, pid, self.ext_mask))
            .collect()
    }
}

/// `inet6_valid_dump_ifinfo`: an IPv6 link dump (`ip -6 addr`, `ip -6
/// link`) takes no filter at all when strictly checked.
pub fn parse_inet6_dump(body: &Body, strict: bool) -> Result<(), Invalid> {
    if !strict {
        return Ok(());
    }
    let Some(ifm) = body.fixed(IFINFO_LEN) else {
        return Err(Invalid("ipv6: Invalid header for link dump request"));
    };
    if body.len() > IFINFO_LEN {
        return Err(Invalid("ipv6: Invalid data after header"));
    }
    if ifm[1..16] != [0; 15] {
        return Err(Invalid("ipv6: Invalid values in header for dump request"));
    }
    Ok(())
}

/// `inet6_fill_ifinfo`: a link as IPv6 sees it (family `AF_INET6`; name,
/// hardware address, MTU, operational state). Linux nests IPv6's per-link
/// settings and counters in `IFLA_PROTINFO` too; they are left out, as no
/// reader of addresses or links needs them.
pub fn fill_inet6(link: &Link, seq: u32, pid: u32) -> Vec<u8> {
    let mut ifm = [0u8; IFINFO_LEN];
    ifm[0] = crate::uapi::family::AF_INET6;
    ifm[2..4].copy_from_slice(&arphrd(link.kind).to_ne_bytes());
    ifm[4..8].copy_from_slice(&link.index.to_ne_bytes());
    ifm[8..12].copy_from_slice(&link.flags.to_ne_bytes());
    let name = link.name.as_bytes();
    let mut b = Builder::new(RTM_NEWLINK, NLM_F_MULTI, seq, pid);
    b.body(&ifm)
        .attr_str(IFLA_IFNAME, &name[..name.len().min(IFNAMSIZ - 1)])
        .attr(IFLA_ADDRESS, &link.mac.unwrap_or([0; 6]))
        .attr_u32(IFLA_MTU, link.mtu)
        .attr_u8(IFLA_OPERSTATE, operstate(link));
    b.finish()
}

/// Which link a single `RTM_GETLINK` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkGet {
    pub index: i32,
    pub name: Option<Vec<u8>>,
    pub ext_mask: u32,
}

impl LinkGet {
    /// `rtnl_valid_getlink_req`: a full ifinfomsg always; with strict
    /// checking, zero header fields and only name, mask or netns attributes.
    ///
    /// A name longer than `IFNAMSIZ - 1` bytes (one trailing NUL aside)
    /// fails the attribute policy with ERANGE, strict or not.
    pub fn parse(body: &Body, strict: bool) -> Result<LinkGet, (i32, Option<&'static str>)> {
        use crate::uapi::errno::{EINVAL, ERANGE};
        let inval = |Invalid(m): Invalid| (EINVAL, Some(m));
        let Some(ifm) = body.fixed(IFINFO_LEN) else {
            return Err(inval(Invalid("Invalid header for get link")));
        };
        let index = i32::from_ne_bytes([ifm[4], ifm[5], ifm[6], ifm[7]]);
        let attrs = if strict {
            if ifm[1] != 0 || ifm[2..4] != [0, 0] || ifm[8..16] != [0; 8] {
                return Err(inval(Invalid("Invalid values in header for get link request")));
            }
            body.strict_attrs(IFINFO_LEN).map_err(inval)?
        } else {
            body.liberal_attrs(IFINFO_LEN).map_err(inval)?
        };
        let mut get = LinkGet { index, name: None, ext_mask: 0 };
        for attr in attrs {
            match attr.kind {
                IFLA_IFNAME | IFLA_ALT_IFNAME => {
                    let policy = Some("Attribute failed policy validation");
                    if attr.payload.is_empty() {
                        return Err((EINVAL, policy));
                    }
                    let max = if attr.kind == IFLA_IFNAME { IFNAMSIZ - 1 } else { ALTIFNAMSIZ - 1 };
                    let len = attr.payload.len() - usize::from(attr.payload.last() == Some(&0));
                    if len > max {
                        return Err((ERANGE, policy));
                    }
                    // nla_strscpy: up to the NUL, cut to IFNAMSIZ - 1.
                    let name = attr.c_str();
                    let name = &name[..name.len().min(IFNAMSIZ - 1)];
                    if attr.kind == IFLA_IFNAME || get.name.is_none() {
                        get.name = Some(name.to_vec());
                    }
                }
                IFLA_EXT_MASK => {
                    get.ext_mask = attr.u32().ok_or((EINVAL, Some("Attribute failed policy validation")))?;
                }
                IFLA_TARGET_NETNSID => {}
                _ if strict => return Err(inval(Invalid("Unsupported attribute in get link request"))),
                _ => {}
            }
        }
        Ok(get)
    }

    /// `rtnl_getlink`: by index when positive, else by name; EINVAL when
    /// neither is given, ENODEV when nothing matches.
    pub fn find<'c>(&self, config: &'c Config) -> Result<&'c Link, i32> {
        use crate::uapi::errno::{EINVAL, ENODEV};
        if self.index > 0 {
            config.link(self.index as u32).ok_or(ENODEV)
        } else if let Some(name) = &self.name {
            config.link_by_name(name).ok_or(ENODEV)
        } else {
            Err(EINVAL)
        }
    }
}

const IFINFO_LEN: usize = crate::uapi::rtnetlink::IFINFOMSG_LEN;

/// Linux's defaults for every device (`GSO_MAX_SEGS`, `GSO_LEGACY_MAX_SIZE`).
const GSO_MAX_SEGS: u32 = 65535;
const GSO_MAX_SIZE: u32 = 65536;

/// `ifi_type` of a link kind.
pub fn arphrd(kind: LinkKind) -> u16 {
    match kind {
        LinkKind::Loopback => ARPHRD_LOOPBACK,
        LinkKind::Ether => ARPHRD_ETHER,
    }
}

/// `IFLA_OPERSTATE` as Linux derives it: DOWN when not up, UNKNOWN for lo
/// (which never reports carrier changes), UP with carrier, DOWN without.
pub fn operstate(link: &Link) -> u8 {
    if !link.is_up() {
        IF_OPER_DOWN
    } else if link.kind == LinkKind::Loopback {
        IF_OPER_UNKNOWN
    } else if link.has_carrier() {
        IF_OPER_UP
    } else {
        IF_OPER_DOWN
    }
}

/// The queueing discipline Linux attaches: none (`noop`) while down,
/// `noqueue` on lo (it has `IFF_NO_QUEUE`), and the default
/// `pfifo_fast` on a single-queue NIC.
pub fn qdisc(link: &Link) -> &'static [u8] {
    if !link.is_up() {
        b"noop"
    } else if link.kind == LinkKind::Loopback {
        b"noqueue"
    } else {
        b"pfifo_fast"
    }
}

/// `rtnl_fill_ifinfo` for one link.
pub fn fill(link: &Link, kind: u16, flags: u16, seq: u32, pid: u32, ext_mask: u32) -> Vec<u8> {
    let mut ifm = [0u8; IFINFO_LEN];
    ifm[0] = AF_UNSPEC;
    ifm[2..4].copy_from_slice(&arphrd(link.kind).to_ne_bytes());
    ifm[4..8].copy_from_slice(&link.index.to_ne_bytes());
    ifm[8..12].copy_from_slice(&link.flags.to_ne_bytes());
    // ifi_change stays 0: it is only set in change notifications.
    let name = link.name.as_bytes();
    let name = &name[..name.len().min(IFNAMSIZ - 1)];
    // lo has no MTU bounds (0, 0); Ethernet devices 68 (ETH_MIN_MTU) to
    // 65535, as virtio-net and veth report.
    let (min_mtu, max_mtu) = match link.kind {
        LinkKind::Loopback => (0, 0),
        LinkKind::Ether => (68, 65535),
    };
    let mut b = Builder::new(kind, flags, seq, pid);
    b.body(&ifm)
        .attr_str(IFLA_IFNAME, name)
        .attr_u32(IFLA_TXQLEN, link.txqlen)
        .attr_u8(IFLA_OPERSTATE, operstate(link))
        .attr_u8(IFLA_LINKMODE, 0)
        .attr_u32(IFLA_MTU, link.mtu)
        .attr_u32(IFLA_MIN_MTU, min_mtu)
        .attr_u32(IFLA_MAX_MTU, max_mtu)
        .attr_u32(IFLA_GROUP, 0)
        .attr_u32(IFLA_PROMISCUITY, 0)
        .attr_u32(IFLA_NUM_TX_QUEUES, 1)
        .attr_u32(IFLA_GSO_MAX_SEGS, GSO_MAX_SEGS)
        .attr_u32(IFLA_GSO_MAX_SIZE, GSO_MAX_SIZE)
        .attr_u32(IFLA_NUM_RX_QUEUES, 1)
        .attr_u8(IFLA_CARRIER, u8::from(link.has_carrier()))
        .attr_u32(IFLA_CARRIER_CHANGES, 0)
        .attr_u8(IFLA_PROTO_DOWN, 0);
    // Both kinds have 6-byte hardware addresses (lo's is all zeros), so
    // both get IFLA_ADDRESS and IFLA_BROADCAST, as on Linux.
    let (mac, brd) = match link.kind {
        LinkKind::Loopback => (link.mac.unwrap_or([0; 6]), [0u8; 6]),
        LinkKind::Ether => (link.mac.unwrap_or([0; 6]), [0xff; 6]),
    };
    b.attr(IFLA_ADDRESS, &mac).attr(IFLA_BROADCAST, &brd);
    if ext_mask & RTEXT_FILTER_SKIP_STATS == 0 {
        b.attr(IFLA_STATS64, &stats64(link)).attr(IFLA_STATS, &stats32(link));
    }
    b.attr_str(IFLA_QDISC, qdisc(link));
    b.finish()
}

/// The counters in `struct rtnl_link_stats64` order; the rest stay 0.
fn counters(link: &Link) -> [u64; 8] {
    let s = &link.stats;
    [s.rx_packets, s.tx_packets, s.rx_bytes, s.tx_bytes, s.rx_errors, s.tx_errors, s.rx_dropped, s.tx_dropped]
}

fn stats64(link: &Link) -> [u8; RTNL_LINK_STATS64_LEN] {
    let mut out = [0u8; RTNL_LINK_STATS64_LEN];
    for (i, v) in counters(link).iter().enumerate() {
        out[i * 8..i * 8 + 8].copy_from_slice(&v.to_ne_bytes());
    }
    out
}

/// `copy_rtnl_link_stats`: each counter cut to 32 bits.
fn stats32(link: &Link) -> [u8; RTNL_LINK_STATS_LEN] {
    let mut out = [0u8; RTNL_LINK_STATS_LEN];
    for (i, v) in counters(link).iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&(*v as u32).to_ne_bytes());
    }
    out
}
