//! What rtnetlink does with one request message (`rtnetlink_rcv_msg`).
//!
//! - Not a request, or a control type (below `NLMSG_MIN_TYPE`): nothing,
//!   only the ack if asked.
//! - A type above `RTM_MAX`: EOPNOTSUPP.
//! - A body shorter than `struct rtgenmsg` (one byte): nothing, as Linux.
//! - `RTM_NEW*`, `RTM_DEL*`, `RTM_SET*`: EPERM. Helctic's configuration
//!   belongs to the TCP/IP server and nothing changes it through netlink
//!   yet. EPERM is what an unprivileged program gets from Linux, so every
//!   tool knows it: busybox prints "RTNETLINK answers: Operation not
//!   permitted"; iproute2, which asks for extended acks, prints the
//!   message that comes with it ([`READ_ONLY`]), which says why.
//! - Dumps (`RTM_GET*` with any `NLM_F_DUMP` bit) of links (also as IPv6
//!   sees them, for `ip -6`), addresses and routes are answered from the
//!   configuration, and rules with Linux's default rules. Dumps of objects
//!   Helctic has none of (neighbours, queueing disciplines, netconf, ...)
//!   are empty, as on a Linux without them. Other types: EOPNOTSUPP.
//! - `RTM_GETLINK` without `NLM_F_DUMP` answers the one link named by
//!   index or `IFLA_IFNAME`. `RTM_GETROUTE` without it looks a destination
//!   up (`ip route get`). Other single gets: EOPNOTSUPP.

use alloc::vec::Vec;

use crate::addr::{self, AddrDump};
use crate::dump::Dump;
use crate::link::{self, LinkDump, LinkGet};
use crate::lookup;
use crate::model::Config;
use crate::reply;
use crate::request::{Body, Invalid, Kind};
use crate::route::{self, RouteDump};
use crate::rule;
use crate::uapi::errno::{EINVAL, EOPNOTSUPP, EPERM};
use crate::uapi::family::{AF_INET, AF_INET6, AF_UNSPEC};
use crate::uapi::netlink::{NLMSG_HDRLEN, NLMSG_MIN_TYPE, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST};
use crate::uapi::rtnetlink::*;
use crate::wire::Header;

/// The extended-ack message sent with the EPERM for configuration changes.
pub const READ_ONLY: &str = "Helctic: the network configuration cannot be changed through netlink yet";

/// The result of one request.
#[derive(Debug)]
pub enum Outcome {
    /// Nothing to send but the ack, if the request asked for one.
    Ack,
    /// One reply message, then the ack if asked for.
    Reply(Vec<u8>),
    /// A dump; it ends with `NLMSG_DONE`, and no ack follows (Linux skips
    /// it for dumps even when asked).
    Dump(Dump),
    /// `NLMSG_ERROR` with this errno (positive) and extended-ack message.
    Fail(i32, Option<&'static str>),
}

/// What the socket's options change in the handling.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context {
    /// `NETLINK_GET_STRICT_CHK`.
    pub strict: bool,
    /// `NETLINK_EXT_ACK` (for the message in a failed dump's `NLMSG_DONE`).
    pub ext_ack: bool,
    /// The socket's port id, the `nlmsg_pid` of every reply.
    pub pid: u32,
    /// The caller's user id, which `ip route get` reports (`RTA_UID`).
    pub uid: u32,
}

/// Handles one message: `msg` is exactly `nlmsg_len` bytes.
pub fn handle(config: &Config, msg: &[u8], ctx: Context) -> Outcome {
    let Some(hdr) = Header::parse(msg) else { return Outcome::Ack };
    if hdr.flags & NLM_F_REQUEST == 0 || hdr.kind < NLMSG_MIN_TYPE {
        return Outcome::Ack;
    }
    if hdr.kind > RTM_MAX {
        return Outcome::Fail(EOPNOTSUPP, None);
    }
    let body = Body::new(msg.get(NLMSG_HDRLEN..).unwrap_or(&[]));
    if body.len() < RTGENMSG_LEN {
        return Outcome::Ack;
    }
    let family = body.bytes()[0];
    if Kind::of(hdr.kind) != Kind::Get {
        return Outcome::Fail(EPERM, Some(READ_ONLY));
    }
    if hdr.flags & NLM_F_DUMP != 0 {
        dump(config, &hdr, &body, family, ctx)
    } else {
        get(config, &hdr, &body, family, ctx)
    }
}

fn dump(config: &Config, hdr: &Header, body: &Body, family: u8, ctx: Context) -> Outcome {
    let (seq, pid) = (hdr.seq, ctx.pid);
    let finish = |messages: Vec<Vec<u8>>, flags: u16, result: Result<(), (i32, Option<&'static str>)>| {
        let (errno, msg) = result.err().unwrap_or((0, None));
        Outcome::Dump(Dump::new(messages, reply::done(seq, pid, flags & !NLM_F_MULTI, errno, ctx.ext_ack, msg)))
    };
    match hdr.kind {
        RTM_GETLINK if family == AF_BRIDGE => finish(Vec::new(), 0, Ok(())),
        RTM_GETLINK if family == AF_INET6 => match link::parse_inet6_dump(body, ctx.strict) {
            Ok(()) => {
                let mut links: Vec<_> = config.links.iter().collect();
                links.sort_by_key(|l| l.index);
                finish(links.into_iter().map(|l| link::fill_inet6(l, seq, pid)).collect(), 0, Ok(()))
            }
            Err(Invalid(m)) => finish(Vec::new(), 0, Err((EINVAL, Some(m)))),
        },
        RTM_GETRULE => match rule::dump(body, family, ctx.strict, seq, pid) {
            Ok(m) => finish(m, 0, Ok(())),
            Err(e) => finish(Vec::new(), 0, Err(e)),
        },
        RTM_GETLINK => match LinkDump::parse(body, ctx.strict) {
            // The filter marks the links, not NLMSG_DONE (no answer_flags).
            Ok(d) => finish(d.messages(config, seq, pid), 0, Ok(())),
            Err(Invalid(m)) => finish(Vec::new(), 0, Err((EINVAL, Some(m)))),
        },
        RTM_GETADDR => {
            let mut messages = Vec::new();
            let mut flags = 0;
            for &fam in addr::families(family) {
                let d = match AddrDump::parse(body, ctx.strict, fam) {
                    Ok(d) => d,
                    Err(Invalid(m)) => return finish(messages, flags, Err((EINVAL, Some(m)))),
                };
                flags |= d.flags();
                match d.messages(config, fam, seq, pid) {
                    Ok(mut m) => messages.append(&mut m),
                    Err(errno) => return finish(messages, flags, Err((errno, None))),
                }
            }
            finish(messages, flags, Ok(()))
        }
        RTM_GETROUTE => {
            let mut messages = Vec::new();
            let mut flags = 0;
            for &fam in route::families(family) {
                let d = match RouteDump::parse(body, ctx.strict, config) {
                    Ok(d) => d,
                    Err(e) => return finish(messages, flags, Err(e)),
                };
                flags |= d.flags();
                match d.messages(config, fam, family, seq, pid) {
                    Ok(mut m) => messages.append(&mut m),
                    Err(e) => return finish(messages, flags, Err(e)),
                }
            }
            finish(messages, flags, Ok(()))
        }
        // Per-link settings (`ip netconf`): not modelled, so empty, for
        // IPv4, IPv6 and both.
        RTM_GETNETCONF if family == AF_INET || family == AF_INET6 || family == AF_UNSPEC => {
            finish(Vec::new(), 0, Ok(()))
        }
        // Handlers registered for IPv4 and IPv6 only.
        RTM_GETNETCONF | RTM_GETMULTICAST | RTM_GETANYCAST | RTM_GETADDRLABEL => {
            if family == AF_INET || family == AF_INET6 {
                finish(Vec::new(), 0, Ok(()))
            } else {
                Outcome::Fail(EOPNOTSUPP, None)
            }
        }
        // Handlers of every family: there is nothing of these to list.
        RTM_GETNEIGH | RTM_GETQDISC | RTM_GETTCLASS | RTM_GETTFILTER | RTM_GETACTION | RTM_GETNEIGHTBL
        | RTM_GETNSID | RTM_GETSTATS | RTM_GETCHAIN | RTM_GETNEXTHOP | RTM_GETNEXTHOPBUCKET => {
            finish(Vec::new(), 0, Ok(()))
        }
        // Bridge-only objects.
        RTM_GETMDB | RTM_GETVLAN | RTM_GETTUNNEL if family == AF_BRIDGE => finish(Vec::new(), 0, Ok(())),
        _ => Outcome::Fail(EOPNOTSUPP, None),
    }
}

fn get(config: &Config, hdr: &Header, body: &Body, family: u8, ctx: Context) -> Outcome {
    match hdr.kind {
        RTM_GETLINK => {
            let query = match LinkGet::parse(body, ctx.strict) {
                Ok(q) => q,
                Err((errno, m)) => return Outcome::Fail(errno, m),
            };
            match query.find(config) {
                Ok(l) => Outcome::Reply(link::fill(l, RTM_NEWLINK, 0, hdr.seq, ctx.pid, query.ext_mask)),
                Err(errno) => Outcome::Fail(errno, None),
            }
        }
        RTM_GETROUTE if family == AF_INET || family == AF_INET6 => {
            match lookup::route_get(config, body, family, ctx.strict) {
                Ok(route) => Outcome::Reply(lookup::fill(&route, hdr.seq, ctx.pid, ctx.uid)),
                Err((errno, msg)) => Outcome::Fail(errno, msg),
            }
        }
        _ => Outcome::Fail(EOPNOTSUPP, None),
    }
}

/// `AF_BRIDGE`, whose link and object dumps list bridge ports (none here).
const AF_BRIDGE: u8 = 7;
