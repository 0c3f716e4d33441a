//! One `AF_NETLINK`/`NETLINK_ROUTE` socket: its options, its multicast
//! groups, and its receive queue of datagrams.
//!
//! [`Socket::send`] takes what the program wrote to the kernel (port 0)
//! and queues the answers; [`Socket::recv`] hands out one datagram, as one
//! `recvmsg` does, and continues a dump once the queue has room, as Linux
//! does from `netlink_recvmsg`.
//!
//! The queue is bounded by the receive buffer size (`SO_RCVBUF`). Linux
//! counts each datagram's `truesize`; this counts its bytes, which only
//! lets a little more through. A reply that finds the queue over its
//! bound is dropped and the next `recv` fails with ENOBUFS, unless
//! `NETLINK_NO_ENOBUFS` is set, as on Linux. A dump never overflows: its
//! next datagram is made only when the queue is at most half full.
//!
//! Dump datagrams are sized as Linux sizes them: at least a page less the
//! socket buffer's overhead (`NLMSG_GOODSIZE`, 3776 bytes on x86_64), or
//! the largest buffer the program has passed to `recvmsg` so far, up to
//! 32 KiB less the overhead. iproute2 first peeks with an empty buffer,
//! then reads with 32 KiB; busybox and glibc read with 8-16 KiB buffers.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::dump::Dump;
use crate::handler::{self, Context, Outcome};
use crate::model::Config;
use crate::reply::{self, AckMode};
use crate::uapi::errno::{EBUSY, EINVAL, ENOBUFS, ENOPROTOOPT};
use crate::uapi::netlink::*;
use crate::wire::{nlmsg_align, Header};

/// `NLMSG_GOODSIZE` on x86_64: a 4 KiB page less `skb_shared_info` (320).
pub const NLMSG_GOODSIZE: usize = 4096 - 320;
/// The most a dump datagram grows to for large `recvmsg` buffers:
/// `SKB_WITH_OVERHEAD(32768)`.
pub const MAX_DUMP_DATAGRAM: usize = 32768 - 320;
/// `net.core.rmem_default`, a new socket's receive buffer.
pub const DEFAULT_RCVBUF: usize = 212_992;
/// Multicast groups remembered per socket (Linux's `RTNLGRP_MAX` is below).
pub const MAX_GROUPS: u32 = 64;

/// Boolean socket options (`SOL_NETLINK`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    pub strict: bool,
    pub ext_ack: bool,
    pub cap_ack: bool,
    pub no_enobufs: bool,
    pub pktinfo: bool,
    pub broadcast_error: bool,
    pub listen_all_nsid: bool,
}

#[derive(Debug)]
pub struct Socket {
    port_id: u32,
    /// Bit `n - 1` set: listening to group `n`.
    groups: u64,
    options: Options,
    queue: VecDeque<Vec<u8>>,
    queued: usize,
    rcvbuf: usize,
    dump: Option<Dump>,
    max_recvmsg_len: usize,
    error: Option<i32>,
    uid: u32,
}

impl Socket {
    /// A socket with this port id (see [`crate::sockaddr::PortTable`]).
    pub fn new(port_id: u32) -> Socket {
        Socket {
            port_id,
            groups: 0,
            options: Options::default(),
            queue: VecDeque::new(),
            queued: 0,
            rcvbuf: DEFAULT_RCVBUF,
            dump: None,
            max_recvmsg_len: 0,
            error: None,
            uid: 0,
        }
    }

    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Changes the port id (a `bind` after the socket was made).
    pub fn set_port_id(&mut self, port_id: u32) {
        self.port_id = port_id;
    }

    /// The user id `ip route get` reports (`RTA_UID`): the caller's.
    pub fn set_uid(&mut self, uid: u32) {
        self.uid = uid;
    }

    /// The `nl_groups` of `bind`: replaces groups 1-32, keeps the others.
    pub fn bind_groups(&mut self, groups: u32) {
        self.groups = (self.groups & !0xffff_ffff) | u64::from(groups);
    }

    /// The `nl_groups` `getsockname` reports: groups 1-32.
    pub fn groups(&self) -> u32 {
        self.groups as u32
    }

    /// Whether the socket listens to group `n` (1-based). Nothing is ever
    /// sent to groups yet: the configuration does not change through
    /// netlink, and the TCP/IP server's changes are not announced.
    pub fn in_group(&self, n: u32) -> bool {
        (1..=MAX_GROUPS).contains(&n) && self.groups & (1 << (n - 1)) != 0
    }

    pub fn options(&self) -> Options {
        self.options
    }

    /// `SO_RCVBUF` as the socket layer stores it (already doubled).
    pub fn set_rcvbuf(&mut self, bytes: usize) {
        self.rcvbuf = bytes;
    }

    /// `setsockopt(SOL_NETLINK, name, &value)` for an int-sized value.
    pub fn setsockopt(&mut self, name: i32, value: u32) -> Result<(), i32> {
        let on = value != 0;
        let o = &mut self.options;
        match name {
            NETLINK_ADD_MEMBERSHIP | NETLINK_DROP_MEMBERSHIP => {
                if value == 0 || value > MAX_GROUPS {
                    return Err(EINVAL);
                }
                let bit = 1u64 << (value - 1);
                if name == NETLINK_ADD_MEMBERSHIP {
                    self.groups |= bit;
                } else {
                    self.groups &= !bit;
                }
            }
            NETLINK_PKTINFO => o.pktinfo = on,
            NETLINK_BROADCAST_ERROR => o.broadcast_error = on,
            NETLINK_NO_ENOBUFS => {
                o.no_enobufs = on;
                if on {
                    self.error = None;
                }
            }
            NETLINK_LISTEN_ALL_NSID => o.listen_all_nsid = on,
            NETLINK_CAP_ACK => o.cap_ack = on,
            NETLINK_EXT_ACK => o.ext_ack = on,
            NETLINK_GET_STRICT_CHK => o.strict = on,
            _ => return Err(ENOPROTOOPT),
        }
        Ok(())
    }

    /// `getsockopt(SOL_NETLINK, name)` for the boolean options.
    pub fn getsockopt(&self, name: i32) -> Result<u32, i32> {
        let o = &self.options;
        let v = match name {
            NETLINK_PKTINFO => o.pktinfo,
            NETLINK_BROADCAST_ERROR => o.broadcast_error,
            NETLINK_NO_ENOBUFS => o.no_enobufs,
            NETLINK_LISTEN_ALL_NSID => o.listen_all_nsid,
            NETLINK_CAP_ACK => o.cap_ack,
            NETLINK_EXT_ACK => o.ext_ack,
            NETLINK_GET_STRICT_CHK => o.strict,
            NETLINK_LIST_MEMBERSHIPS => return Ok(self.groups as u32),
            _ => return Err(ENOPROTOOPT),
        };
        Ok(u32::from(v))
    }

    /// Handles a buffer the program sent to the kernel: every message in
    /// it, in order (`netlink_rcv_skb`). The walk stops quietly at a header
    /// that claims less than 16 bytes or more than is left; what follows
    /// is ignored, as Linux ignores it (iproute2 sends its requests with
    /// zeroed slack after them). Returns the bytes consumed: all of them.
    pub fn send(&mut self, config: &Config, data: &[u8]) -> usize {
        let mut rest = data;
        while rest.len() >= NLMSG_HDRLEN {
            let Some(hdr) = Header::parse(rest) else { break };
            let len = hdr.len as usize;
            if len < NLMSG_HDRLEN || len > rest.len() {
                break;
            }
            self.one(config, &rest[..len], &hdr);
            let step = nlmsg_align(len).min(rest.len());
            rest = &rest[step..];
        }
        data.len()
    }

    fn one(&mut self, config: &Config, msg: &[u8], hdr: &Header) {
        let ctx =
            Context { strict: self.options.strict, ext_ack: self.options.ext_ack, pid: self.port_id, uid: self.uid };
        let mode = AckMode { cap: self.options.cap_ack, ext: self.options.ext_ack };
        let wants_ack = hdr.flags & NLM_F_ACK != 0;
        match handler::handle(config, msg, ctx) {
            Outcome::Ack => {
                if wants_ack {
                    self.push(reply::ack(msg, self.port_id, 0, mode, None));
                }
            }
            Outcome::Reply(bytes) => {
                self.push(bytes);
                if wants_ack {
                    self.push(reply::ack(msg, self.port_id, 0, mode, None));
                }
            }
            Outcome::Dump(dump) => {
                if self.dump.is_some() {
                    self.push(reply::ack(msg, self.port_id, EBUSY, mode, None));
                    return;
                }
                // Linux makes the first datagram at once, from sendmsg.
                self.dump = Some(dump);
                self.continue_dump();
            }
            Outcome::Fail(errno, text) => self.push(reply::ack(msg, self.port_id, errno, mode, text)),
        }
    }

    /// Queues a reply unless the queue is over its bound (then: ENOBUFS).
    fn push(&mut self, datagram: Vec<u8>) {
        if self.queued > self.rcvbuf {
            if !self.options.no_enobufs {
                self.error = Some(ENOBUFS);
            }
            return;
        }
        self.queued += datagram.len();
        self.queue.push_back(datagram);
    }

    fn continue_dump(&mut self) {
        let size = NLMSG_GOODSIZE.max(self.max_recvmsg_len);
        if let Some(dump) = &mut self.dump {
            if let Some(datagram) = dump.next_datagram(size) {
                self.queued += datagram.len();
                self.queue.push_back(datagram);
            }
            if dump.is_finished() {
                self.dump = None;
            }
        }
    }

    /// One `recvmsg` with a `buf_len`-byte buffer: the next datagram, whole
    /// (the caller copies what fits and reports `MSG_TRUNC` for the rest).
    /// With `peek` it stays queued. `Ok(None)`: nothing queued (EAGAIN or
    /// sleep). `Err(ENOBUFS)`: replies were lost; reported once.
    pub fn recv(&mut self, buf_len: usize, peek: bool) -> Result<Option<Vec<u8>>, i32> {
        if let Some(errno) = self.error.take() {
            return Err(errno);
        }
        let datagram = if peek { self.queue.front().cloned() } else { self.queue.pop_front() };
        let Some(datagram) = datagram else { return Ok(None) };
        if !peek {
            self.queued -= datagram.len();
        }
        self.max_recvmsg_len = self.max_recvmsg_len.max(buf_len).min(MAX_DUMP_DATAGRAM);
        if self.dump.is_some() && self.queued <= self.rcvbuf / 2 {
            self.continue_dump();
        }
        Ok(Some(datagram))
    }

    /// The length of the next datagram, if any: what `recvmsg` with
    /// `MSG_PEEK | MSG_TRUNC` and an empty buffer returns (iproute2 asks
    /// this before every read to size its buffer).
    pub fn next_len(&self) -> Option<usize> {
        self.queue.front().map(Vec::len)
    }

    /// Whether `poll` reports `POLLIN`: a datagram or an error is waiting.
    pub fn readable(&self) -> bool {
        !self.queue.is_empty() || self.error.is_some()
    }

    /// Bytes queued (`SIOCINQ` on a netlink socket: the whole queue).
    pub fn queued_bytes(&self) -> usize {
        self.queued
    }
}
